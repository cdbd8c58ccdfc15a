package tool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/goccy/go-yaml"
)

// WriteYAML writes tools as a planwise YAML tool file ({tools: [...]}), keeping the key
// order of every schema, so that what an importer produced can be reviewed, edited and
// loaded back with LoadPath. header, when not empty, is written first as comment lines.
// Loading the file back yields tools with the same registry version.
func WriteYAML(w io.Writer, tools []*Tool, header string) error {
	list := make([]any, 0, len(tools))
	for _, t := range tools {
		obj := orderedObject{{"name", t.Name}, {"description", t.Description}}
		if !isNull(t.InputSchema) {
			obj = append(obj, member{"input_schema", json.RawMessage(t.InputSchema)})
		}
		if !isNull(t.OutputSchema) {
			obj = append(obj, member{"output_schema", json.RawMessage(t.OutputSchema)})
		}
		if len(t.Examples) > 0 {
			obj = append(obj, member{"examples", t.Examples})
		}
		if t.Run != nil {
			obj = append(obj, member{"run", t.Run})
		}
		if t.Idempotent {
			obj = append(obj, member{"idempotent", true})
		}
		list = append(list, obj)
	}
	doc, err := json.Marshal(orderedObject{{"tools", list}})
	if err != nil {
		return fmt.Errorf("encode tools: %w", err)
	}
	var v any
	if err := yaml.UnmarshalWithOptions(doc, &v, yaml.UseOrderedMap()); err != nil {
		return fmt.Errorf("encode tools: %w", err)
	}
	out, err := yaml.MarshalWithOptions(v, yaml.Indent(2), yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return fmt.Errorf("encode tools: %w", err)
	}
	var b bytes.Buffer
	if header != "" {
		for _, line := range bytes.Split([]byte(header), []byte("\n")) {
			b.WriteString("# ")
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	b.Write(out)
	_, err = w.Write(b.Bytes())
	return err
}
