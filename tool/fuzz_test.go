package tool

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the content detector and every importer, auto-detected
// and forced: Parse must never panic, and must return either tools or an error. Tools that
// register must survive WriteYAML and Parse with the same registry version.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b, uint8(0))
		}
	}
	for _, s := range []string{
		"", "{}", "[]", "null", "42", `"x"`, "name: a\n", "- name: a\n  description: b\n",
		`{"nodes": [{"id": "a b", "desc": "c", "input-type": ["image", "image"], "output-type": ["text"]}]}`,
		`[{"name": "A.B", "description": "d", "arguments": {"x": {"allowed_values": "1-5", "type": "Number"}}, "output_parameters": {"o": {"type": "Array", "items": "string"}}}]`,
		`[{"type": "function", "function": {"name": "f", "parameters": {}}}]`,
		"a: &x [*x]\n", "{a: b, c: [d, e]}", "tools: 3\n", "nodes: {}\n", "name: a\nrun: {kind: mcp}\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	formats := Formats()
	f.Fuzz(func(t *testing.T, data []byte, fmtIdx uint8) {
		format := formats[int(fmtIdx)%len(formats)]
		tools, err := Parse(data, "fuzz.yaml", format)
		if err == nil && len(tools) == 0 {
			t.Fatal("Parse returned neither tools nor an error")
		}
		if err != nil && tools != nil {
			t.Fatal("Parse returned tools and an error")
		}
		for _, tl := range tools {
			if tl == nil || tl.Name == "" {
				t.Fatalf("Parse returned an unnamed tool: %+v", tl)
			}
		}
		if err != nil {
			return
		}
		// Registration either succeeds or explains itself; it must not panic.
		reg, err := NewRegistry(tools...)
		if err != nil {
			return
		}
		// What registers can be written as a planwise YAML file and read back unchanged.
		var buf bytes.Buffer
		if err := WriteYAML(&buf, tools, ""); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
		back, err := Parse(buf.Bytes(), "back.yaml", FormatAuto)
		if err != nil {
			t.Fatalf("written YAML does not parse: %v\n%s", err, buf.Bytes())
		}
		reg2, err := NewRegistry(back...)
		if err != nil {
			t.Fatalf("written YAML does not register: %v\n%s", err, buf.Bytes())
		}
		if reg2.Version() != reg.Version() {
			t.Fatalf("version changed across WriteYAML: %s -> %s\n%s", reg.Version(), reg2.Version(), buf.Bytes())
		}
	})
}
