package tool

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// Format names a tool file format.
type Format string

// Tool file formats understood by Parse and LoadPath.
const (
	// FormatAuto detects the format from the content (never from the file extension).
	FormatAuto Format = "auto"
	// FormatPlanwise is planwise's own tool file, YAML or JSON: one tool object, a list of
	// them, or {"tools": [...]}; fields as in Tool ("parameters" is an alias of
	// "input_schema").
	FormatPlanwise Format = "planwise"
	// FormatTaskBench is TaskBench's tool_desc.json / graph_desc.json:
	// {"nodes": [{"id", "desc", "parameters" | "input-type"/"output-type"}]}.
	FormatTaskBench Format = "taskbench"
	// FormatNESTFUL is a NESTFUL *-spec.json: a list of {"name", "description",
	// "query_parameters" | "arguments", "output_parameters", ...}.
	FormatNESTFUL Format = "nestful"
	// FormatOpenAI is a list of OpenAI function tools, {"type": "function", "function":
	// {"name", "description", "parameters", "strict"}}, or bare function objects.
	FormatOpenAI Format = "openai"
)

// Formats lists the formats a caller may force, FormatAuto first.
func Formats() []Format {
	return []Format{FormatAuto, FormatPlanwise, FormatTaskBench, FormatNESTFUL, FormatOpenAI, FormatBFCL}
}

// ParseFormat maps a user-supplied format name to a Format.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if f == "" {
		return FormatAuto, nil
	}
	for _, k := range Formats() {
		if f == k {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown tool file format %q: use one of auto, planwise, taskbench, nestful, openai, bfcl", s)
}

// MaxFileSize bounds one tool file; catalogs far larger than any real tool set are refused
// rather than read into memory.
const MaxFileSize = 64 << 20

// LoadPaths loads every path (a file or a directory, see LoadPath) and checks the union:
// a tool name defined differently in two places is an error naming both. A definition
// identical to an earlier one (a catalog that lists a tool twice) is dropped; see
// LoadPathsWarn to hear about it. All problems found are reported, joined.
func LoadPaths(paths ...string) ([]*Tool, error) {
	return LoadPathsWarn(nil, paths...)
}

// LoadPathsWarn is LoadPaths with a warning for every identical duplicate definition
// dropped (warn may be nil).
func LoadPathsWarn(warn func(*Error), paths ...string) ([]*Tool, error) {
	return loadEach(paths, func(p string) ([]*Tool, error) { return loadPath(p, warn) }, warn)
}

// loadEach loads every source with load and checks the union for names defined twice,
// reporting all problems, joined.
func loadEach(sources []string, load func(string) ([]*Tool, error), warn func(*Error)) ([]*Tool, error) {
	var (
		all  []*Tool
		errs []error
		seen = map[string]*Tool{}
	)
	for _, src := range sources {
		tools, err := load(src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		all, errs = appendUnique(all, errs, seen, tools, warn)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return all, nil
}

// appendUnique appends tools to all, reporting a name already in seen with a different
// definition as a duplicate naming both sources; an identical definition is dropped with
// a warning.
func appendUnique(all []*Tool, errs []error, seen map[string]*Tool, tools []*Tool, warn func(*Error)) ([]*Tool, []error) {
	for _, t := range tools {
		if prev, dup := seen[t.Name]; dup {
			if canonicalKey(prev) == canonicalKey(t) {
				if warn != nil {
					warn(&Error{File: t.Source, Tool: t.Name, Field: "name",
						Message: fmt.Sprintf("defined twice, identically (also in %s); the copy is ignored", orUnknown(prev.Source)),
						Fix:     "drop one of the definitions"})
				}
				continue
			}
			errs = append(errs, &Error{File: t.Source, Tool: t.Name, Field: "name",
				Message: fmt.Sprintf("duplicate tool name with a different definition (also defined in %s)", orUnknown(prev.Source)),
				Fix:     "rename one of them or load only one of the definitions"})
			continue
		}
		seen[t.Name] = t
		all = append(all, t)
	}
	return all, errs
}

// LoadPath loads the tools of one file or of every tool file in a directory. The format
// of each file is detected from its content (see Parse). In a directory, the regular
// files (or links to files) named *.json, *.yaml or *.yml, not hidden and not in
// subdirectories, are loaded in name order and each must be a tool file. The tools
// returned have passed the same checks as NewRegistry (names, schemas that compile, run
// specs), so errors surface at load time naming the file, the tool and the field.
func LoadPath(path string) ([]*Tool, error) {
	return loadPath(path, nil)
}

func loadPath(path string, warn func(*Error)) ([]*Tool, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, &Error{File: path, Message: pathErrMessage(err), Fix: "check the path: a tool file or a directory of them"}
	}
	var files []string
	if info.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, &Error{File: path, Message: pathErrMessage(err), Fix: "check the directory's permissions"}
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if !e.Type().IsRegular() {
				// Follow symbolic links to files (Kubernetes mounts ConfigMaps that way).
				fi, err := os.Stat(filepath.Join(path, name))
				if err != nil || !fi.Mode().IsRegular() {
					continue
				}
			}
			switch strings.ToLower(filepath.Ext(name)) {
			case ".json", ".yaml", ".yml":
				files = append(files, filepath.Join(path, name))
			}
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, &Error{File: path, Message: "directory holds no tool files",
				Fix: "put *.yaml, *.yml or *.json tool files in it, or name the files directly"}
		}
	} else {
		files = []string{path}
	}
	all, err := loadEach(files, loadFile, warn)
	if err != nil {
		return nil, err
	}
	// Compile everything once so that a bad schema is reported now, against its file.
	if _, err := NewRegistry(all...); err != nil {
		return nil, err
	}
	if warn != nil {
		for _, t := range all {
			if e := undescribed(t); e != nil {
				warn(e)
			}
			for _, e := range cutKeys(t) {
				warn(e)
			}
		}
	}
	return all, nil
}

// noDescription is the message of undescribed's warning, which ValidateFiles reports as
// a problem rather than a note.
const noDescription = "is empty: the LLM and the offline planners choose a tool by what its description says, so no request will be planned with this one"

// undescribed warns of a tool without a description. It loads (a catalog stays whole,
// and a plan given to run may name it), but planning never picks it: a file meant for
// planning is not ready, and tools validate says so as a problem.
func undescribed(t *Tool) *Error {
	if strings.TrimSpace(t.Description) != "" {
		return nil
	}
	return &Error{File: t.Source, Tool: t.Name, Field: "description", Message: noDescription,
		Fix: "write one sentence saying what the tool does and when to use it, e.g. description: Look up the current weather for a city"}
}

// cutKeys finds, in tool t's input schema, keys with no value whose name holds a space:
// the rest of a value a comma cut off in a YAML flow mapping. {type: string,
// description: the room, e.g. living room or bedroom} is the description "the room"
// and a key "e.g. living room or bedroom"; JSON Schema ignores the key, so the tool
// loads and its description is silently short.
func cutKeys(t *Tool) []*Error {
	if len(t.InputSchema) == 0 {
		return nil
	}
	var schema any
	if json.Unmarshal(t.InputSchema, &schema) != nil {
		return nil
	}
	var out []*Error
	var walk func(v any, path string)
	walk = func(v any, path string) {
		m, ok := v.(map[string]any)
		if !ok {
			if a, ok := v.([]any); ok {
				for _, x := range a {
					walk(x, path)
				}
			}
			return
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if m[k] == nil && strings.Contains(k, " ") {
				out = append(out, &Error{File: t.Source, Tool: t.Name, Field: path,
					Message: fmt.Sprintf("holds the key %q with no value: a comma in an unquoted value of a YAML {...} mapping ends the value there", k),
					Fix:     "quote the value that holds the comma, e.g. description: \"the room, e.g. living room or bedroom\""})
				continue
			}
			walk(m[k], path+"."+k)
		}
	}
	walk(schema, "input_schema")
	return out
}

func pathErrMessage(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func loadFile(path string) ([]*Tool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Message: pathErrMessage(err), Fix: "check the path and its permissions"}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &Error{File: path, Message: "read: " + pathErrMessage(err)}
	}
	if len(data) > MaxFileSize {
		return nil, &Error{File: path, Message: fmt.Sprintf("file is larger than %d MiB", MaxFileSize>>20),
			Fix: "split the catalog into several files"}
	}
	if looksLikeBFCLQuestions(data) {
		return parseBFCLQuestionFile(data, path)
	}
	doc, err := decodeDocument(data, path)
	if err != nil {
		return nil, err
	}
	tools, errs := parseDocument(doc, path, FormatAuto)
	if len(errs) > 0 {
		// Also report what is wrong with the tools that did parse (schemas, run specs).
		if _, rerr := NewRegistry(tools...); rerr != nil {
			errs = append(errs, rerr)
		}
		return nil, errors.Join(errs...)
	}
	if len(tools) == 0 {
		return nil, &Error{File: path, Message: "no tools defined",
			Fix: `define at least one tool, e.g. "name: my_tool" with a description and an input_schema`}
	}
	return tools, nil
}

// Parse decodes tool definitions from data. file names the source in errors and in each
// tool's Source; format forces a format, or FormatAuto detects it:
//
//   - an object with a "nodes" list is a TaskBench catalog;
//   - an object with a "tools" list, or a list, holds tool entries (other top-level keys
//     are ignored, so that they can hold YAML anchors); a single object is one tool entry;
//   - an entry with a "function" object, or whose keys are only OpenAI's (name,
//     description, parameters, strict, type), is an OpenAI function tool;
//   - an entry with "query_parameters", "arguments", "path_parameters" or
//     "output_parameters" is a NESTFUL spec;
//   - an entry with "id" and "desc" is a TaskBench node;
//   - an entry with only "name", "description" and "parameters", whose parameters use
//     BFCL's schema dialect ("type": "dict"), is a BFCL function; JSON lines of BFCL
//     questions ({"id", "question", "function"}) import the union of their functions
//     (UnionTools);
//   - anything else is a planwise tool, decoded strictly (unknown fields are errors).
//
// Content starting with '{' or '[' is read as JSON (errors carry line:column), anything
// else as YAML. Parse does not compile schemas; NewRegistry (or LoadPath) does.
func Parse(data []byte, file string, format Format) ([]*Tool, error) {
	if format == "" {
		format = FormatAuto
	}
	if _, err := ParseFormat(string(format)); err != nil {
		return nil, &Error{File: file, Message: err.Error()}
	}
	if (format == FormatAuto || format == FormatBFCL) && looksLikeBFCLQuestions(data) {
		return parseBFCLQuestionFile(data, file)
	}
	doc, err := decodeDocument(data, file)
	if err != nil {
		return nil, err
	}
	tools, errs := parseDocument(doc, file, format)
	if len(errs) > 0 {
		if format != FormatAuto {
			if detected := DetectFormat(doc); detected != format && detected != FormatAuto {
				errs = append([]error{&Error{File: file,
					Message: fmt.Sprintf("the content looks like a %s file, not %s", detected, format),
					Fix:     fmt.Sprintf("use --format %s, or auto", detected)}}, errs...)
			}
		}
		return nil, errors.Join(errs...)
	}
	if len(tools) == 0 {
		return nil, &Error{File: file, Message: "no tools defined",
			Fix: `define at least one tool, e.g. "name: my_tool" with a description and an input_schema`}
	}
	return tools, nil
}

// parseDocument converts a decoded document, returning the tools that converted cleanly
// and the problems with the others, so that a caller can report both at once.
func parseDocument(doc json.RawMessage, file string, format Format) ([]*Tool, []error) {
	p := &parser{file: file, format: format}
	tools := p.document(doc)
	return tools, p.errs
}

// DetectFormat reports the format of a decoded tool document (JSON) from its first tool
// entry, or FormatAuto when it holds none.
func DetectFormat(doc json.RawMessage) Format {
	var first json.RawMessage
	switch jsonKind(doc) {
	case "array":
		var items []json.RawMessage
		if json.Unmarshal(doc, &items) != nil || len(items) == 0 {
			return FormatAuto
		}
		first = items[0]
	case "object":
		members, _ := rawMembers(doc)
		keys := memberKeys(members)
		if nodes, ok := lookup(members, "nodes"); ok && !keys["name"] && jsonKind(nodes) == "array" {
			return FormatTaskBench
		}
		if list, ok := lookup(members, "tools"); ok && !keys["name"] {
			var items []json.RawMessage
			if json.Unmarshal(list, &items) != nil || len(items) == 0 {
				return FormatAuto
			}
			first = items[0]
		} else {
			first = doc
		}
	default:
		return FormatAuto
	}
	if jsonKind(first) != "object" {
		return FormatAuto
	}
	members, _ := rawMembers(first)
	return classify(members)
}

// decodeDocument turns JSON or YAML into JSON bytes whose objects keep their key order.
func decodeDocument(data []byte, file string) (json.RawMessage, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, &Error{File: file, Message: "file is empty", Fix: "define at least one tool"}
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		jerr := checkJSON(data)
		if jerr == nil {
			return json.RawMessage(trimmed), nil
		}
		// A YAML flow collection also starts with '{' or '['; accept it, but report the JSON
		// error when it is not YAML either, since JSON is far more likely.
		if out, err := yamlToJSON(data); err == nil {
			return out, nil
		}
		return nil, &Error{File: file, Message: jerr.Error(), Fix: "fix the JSON syntax at that position"}
	}
	out, err := yamlToJSON(data)
	if err != nil {
		var le *limitError
		if errors.As(err, &le) {
			return nil, &Error{File: file, Message: le.msg, Fix: le.fix}
		}
		return nil, &Error{File: file, Message: "YAML: " + err.Error(), Fix: "fix the YAML syntax at that line"}
	}
	return out, nil
}

// checkJSON reports the first syntax error with its line and column.
func checkJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			line, col := lineCol(data, int(dec.InputOffset()))
			return fmt.Errorf("JSON: line %d, column %d: unexpected content after the top-level value", line, col)
		}
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the offending byte itself; point at it.
		line, col := lineCol(data, int(se.Offset)-1)
		return fmt.Errorf("JSON: line %d, column %d: %s", line, col, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		line, col := lineCol(data, len(data))
		return fmt.Errorf("JSON: line %d, column %d: unexpected end of input (an unclosed { or [?)", line, col)
	}
	return fmt.Errorf("JSON: %v", err)
}

func lineCol(data []byte, off int) (int, int) {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// maxDepth bounds nesting in tool files; real schemas are a handful of levels deep.
const maxDepth = 64

// jsonCompatible converts a YAML value into one encoding/json can marshal, keeping key
// order (as an orderedObject).
func jsonCompatible(v any, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels", maxDepth)
	}
	switch t := v.(type) {
	case yaml.MapSlice:
		obj := make(orderedObject, 0, len(t))
		seen := make(map[string]bool, len(t))
		for _, it := range t {
			k, ok := yamlKey(it.Key)
			if !ok {
				return nil, fmt.Errorf("mapping key %v is not a string", it.Key)
			}
			if seen[k] {
				return nil, fmt.Errorf("duplicate key %q", k)
			}
			seen[k] = true
			cv, err := jsonCompatible(it.Value, depth+1)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			obj = append(obj, member{Key: k, Value: cv})
		}
		return obj, nil
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		obj := make(orderedObject, 0, len(t))
		for _, k := range keys {
			cv, err := jsonCompatible(t[k], depth+1)
			if err != nil {
				return nil, err
			}
			obj = append(obj, member{Key: k, Value: cv})
		}
		return obj, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			cv, err := jsonCompatible(e, depth+1)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = cv
		}
		return out, nil
	case float64:
		if t != t || t > 1.7976931348623157e308 || t < -1.7976931348623157e308 {
			return nil, fmt.Errorf("number %v cannot be represented in JSON", t)
		}
		return t, nil
	case float32:
		return jsonCompatible(float64(t), depth)
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return t, nil
	default:
		// Timestamps and other typed scalars become their text form.
		return fmt.Sprint(t), nil
	}
}

func yamlKey(k any) (string, bool) {
	switch t := k.(type) {
	case string:
		return t, true
	case nil:
		return "", false
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(t), true
	}
	return "", false
}

// member is one key of an orderedObject.
type member struct {
	Key   string
	Value any
}

// orderedObject marshals as a JSON object with its keys in slice order.
type orderedObject []member

// MarshalJSON implements json.Marshaler.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// rawMembers splits a JSON object into its members in document order. ok is false when
// raw is not an object.
func rawMembers(raw json.RawMessage) (members []rawMember, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, false
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != '{' {
		return nil, false
	}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		members = append(members, rawMember{Key: key, Value: v})
	}
	return members, true
}

type rawMember struct {
	Key   string
	Value json.RawMessage
}

// jsonKind is the JSON type of raw: "object", "array", "string", "number", "boolean",
// "null", or "" when raw is empty.
func jsonKind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return ""
	}
	switch t[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
