package tool

import (
	"github.com/planwise/planwise/internal/shareddata"

	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func versionOf(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tools")
	writeFile(t, path, content)
	tools, err := LoadPath(path)
	if err != nil {
		t.Fatalf("LoadPath: %v", err)
	}
	r, err := NewRegistry(tools...)
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	return r.Version()
}

// TestVersionIsContentHash checks that the registry version ignores formatting, key order,
// file format and tool order, and changes with any description or schema.
func TestVersionIsContentHash(t *testing.T) {
	base := `{"tools": [
	  {"name": "send_email", "description": "Send an email.",
	   "input_schema": {"type": "object", "properties": {"to": {"type": "string"}, "body": {"type": "string"}}, "required": ["to"]},
	   "output_schema": {"type": "object", "properties": {"id": {"type": "string"}}}},
	  {"name": "notify", "description": "Notify.", "input_schema": {"type": "object", "properties": {"text": {"type": "string"}}}}
	]}`
	want := versionOf(t, base)

	same := map[string]string{
		"compact JSON": `{"tools":[{"name":"send_email","description":"Send an email.","input_schema":{"type":"object","properties":{"to":{"type":"string"},"body":{"type":"string"}},"required":["to"]},"output_schema":{"type":"object","properties":{"id":{"type":"string"}}}},{"name":"notify","description":"Notify.","input_schema":{"type":"object","properties":{"text":{"type":"string"}}}}]}`,
		"key order": `[
		  {"input_schema": {"required": ["to"], "properties": {"body": {"type": "string"}, "to": {"type": "string"}}, "type": "object"},
		   "output_schema": {"properties": {"id": {"type": "string"}}, "type": "object"},
		   "description": "Send an email.", "name": "send_email"},
		  {"input_schema": {"properties": {"text": {"type": "string"}}, "type": "object"}, "name": "notify", "description": "Notify."}
		]`,
		"YAML, tools reordered": `
tools:
  - name: notify
    description: Notify.
    input_schema:
      type: object
      properties:
        text: {type: string}
  - name: send_email
    description: "Send an email."
    input_schema:
      type: object
      required: [to]
      properties:
        to:   {type: string}
        body: {type: string}
    output_schema: {type: object, properties: {id: {type: string}}}
`,
	}
	for name, content := range same {
		if got := versionOf(t, content); got != want {
			t.Errorf("%s: version %s, want %s (formatting must not change it)", name, got, want)
		}
	}

	changed := map[string][2]string{
		"description":         {`"Send an email."`, `"Send an e-mail."`},
		"input property type": {`"body": {"type": "string"}`, `"body": {"type": "integer"}`},
		"required":            {`"required": ["to"]`, `"required": ["to", "body"]`},
		"output schema":       {`"id": {"type": "string"}`, `"id": {"type": "integer"}`},
		"other tool":          {`"Notify."`, `"Notify a user."`},
	}
	for name, edit := range changed {
		content := strings.Replace(base, edit[0], edit[1], 1)
		if content == base {
			t.Fatalf("%s: edit did not apply", name)
		}
		if got := versionOf(t, content); got == want {
			t.Errorf("%s changed but the version did not", name)
		}
	}
}

// TestWriteYAMLRoundTrip checks that an imported catalog written as planwise YAML loads
// back with the same content (registry version) and the same property order.
func TestWriteYAMLRoundTrip(t *testing.T) {
	cases := map[string][]*Tool{"builtins": Builtins()}
	for _, f := range []string{"weather.yaml", "messaging.json", "openai_tools.json", "taskbench_small.json", "nestful_small.json"} {
		tools, err := LoadPath(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		cases[f] = tools
	}
	if data, err := shareddata.Dir(); err == nil {
		for _, f := range []string{"taskbench/dailylifeapis/tool_desc.json", "taskbench/multimedia/tool_desc.json",
			"taskbench/huggingface/tool_desc.json", "nestful/executable-spec.json", "nestful/non-executable-sgd-spec.json"} {
			tools, err := LoadPath(filepath.Join(data, f))
			if err != nil {
				t.Fatal(err)
			}
			cases[f] = tools
		}
	}
	for name, tools := range cases {
		t.Run(name, func(t *testing.T) {
			orig, err := NewRegistry(tools...)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteYAML(&buf, tools, "imported from "+name+"\nsecond line"); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("# imported from "+name+"\n# second line\n")) {
				t.Errorf("header not written: %.80q", buf.String())
			}
			back, err := Parse(buf.Bytes(), "out.yaml", FormatAuto)
			if err != nil {
				t.Fatalf("written YAML does not load: %v\n%s", err, buf.String())
			}
			r, err := NewRegistry(back...)
			if err != nil {
				t.Fatal(err)
			}
			if r.Version() != orig.Version() {
				t.Errorf("version changed across write/load: %s -> %s", orig.Version(), r.Version())
			}
			for _, tl := range orig.Tools() {
				bt, _ := r.Get(tl.Name)
				if got, want := paramNames(bt), paramNames(tl); strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("%s: parameter order %v, want %v", tl.Name, got, want)
				}
			}
		})
	}
}

func paramNames(t *Tool) []string {
	var out []string
	for _, p := range t.Params() {
		out = append(out, p.Name)
	}
	return out
}
