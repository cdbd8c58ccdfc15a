package tool

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bfclFunctions = `[
 {"name": "uber.ride", "description": "Find a ride.",
  "parameters": {"type": "dict", "required": ["loc", "type"], "properties": {
    "loc": {"type": "string", "description": "Address"},
    "type": {"type": "string", "enum": ["plus", "comfort"]},
    "time": {"type": "integer", "default": 10},
    "fare": {"type": "float"},
    "stops": {"type": "tuple", "items": {"type": "String"}},
    "extra": {"type": "any"},
    "prefs": {"type": "dict", "properties": {"quiet": {"type": "boolean"}}}}}}
]`

func TestBFCLFunctionListImport(t *testing.T) {
	tools, err := Parse([]byte(bfclFunctions), "fns.json", FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	if len(tools) != 1 || tools[0].Name != "uber.ride" || !strings.HasPrefix(tools[0].Source, "bfcl:") {
		t.Fatalf("tools = %+v", tools)
	}
	reg, err := NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	v := reg.InputValidator("uber.ride")
	ok := map[string]any{"loc": "2020 Addison Street", "type": "plus", "fare": 12.5, "stops": []any{"a"}, "extra": map[string]any{"x": 1}, "prefs": map[string]any{"quiet": true}}
	if err := v.Validate(ok); err != nil {
		t.Fatalf("valid arguments refused: %v", err)
	}
	for name, bad := range map[string]map[string]any{
		"float as string":  {"loc": "x", "type": "plus", "fare": "12"},
		"dict as string":   {"loc": "x", "type": "plus", "prefs": "quiet"},
		"tuple as string":  {"loc": "x", "type": "plus", "stops": "a"},
		"missing required": {"loc": "x"},
		"enum":             {"loc": "x", "type": "pool"},
	} {
		if err := v.Validate(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if f, _ := Parse([]byte(bfclFunctions), "fns.json", FormatBFCL); len(f) != 1 {
		t.Errorf("forced bfcl format: %d tools", len(f))
	}
}

func TestBFCLSchemaRejectsUnknownTypes(t *testing.T) {
	if _, err := BFCLSchema(json.RawMessage(`{"type": "dict", "properties": {"a": {"type": "frobnicate"}}}`)); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("err = %v", err)
	}
}

func TestBFCLQuestionFileImportsTheUnion(t *testing.T) {
	q := func(id, text string, fns ...string) string {
		return `{"id": "` + id + `", "question": [[{"role": "system", "content": "be brief"}, {"role": "user", "content": "` + text + `"}]], "function": [` + strings.Join(fns, ",") + `]}`
	}
	weatherA := `{"name": "get_current_weather", "description": "Weather now.", "parameters": {"type": "dict", "required": ["location"], "properties": {"location": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}}}`
	weatherB := `{"name": "get_current_weather", "description": "Weather now.", "parameters": {"type": "dict", "required": ["location", "days"], "properties": {"location": {"type": "string"}, "days": {"type": "integer"}}}}`
	calc := `{"name": "calc", "description": "Add numbers.", "parameters": {"type": "dict", "required": [], "properties": {}}}`
	data := strings.Join([]string{q("a", "weather in Oslo", weatherA, calc), q("b", "weather in Rome", weatherB), q("c", "2+2", calc)}, "\n") + "\n"

	qs, err := ParseBFCLQuestions([]byte(data), "q.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 3 || qs[0].Request != "weather in Oslo" || len(qs[0].Tools) != 2 {
		t.Fatalf("questions = %+v", qs)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "q.json")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	tools, err := LoadPath(path)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(reg.Names(), ","); got != "calc,get_current_weather" {
		t.Fatalf("names = %s", got)
	}
	var s struct {
		Properties map[string]any `json:"properties"`
		Required   []string       `json:"required"`
	}
	w, _ := reg.Get("get_current_weather")
	if err := json.Unmarshal(w.InputSchema, &s); err != nil {
		t.Fatal(err)
	}
	// Two definitions, once each: the first is kept whole.
	if len(s.Properties) != 2 || s.Properties["unit"] == nil || strings.Join(s.Required, ",") != "location" {
		t.Errorf("kept schema = %s", w.InputSchema)
	}
}

func TestIdenticalDuplicatesLoadWithAWarning(t *testing.T) {
	dir := t.TempDir()
	one := `{"name": "ping", "description": "Ping a host.", "input_schema": {"type": "object", "properties": {"host": {"type": "string"}}}}`
	other := `{"name": "ping", "description": "Ping something else.", "input_schema": {"type": "object"}}`
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	twice := write("twice.json", "["+one+","+one+"]")
	var warnings []string
	tools, err := LoadPathsWarn(func(e *Error) { warnings = append(warnings, e.Error()) }, twice)
	if err != nil {
		t.Fatalf("identical duplicate refused: %v", err)
	}
	if len(tools) != 1 || len(warnings) != 1 || !strings.Contains(warnings[0], "identically") {
		t.Fatalf("tools %d, warnings %q", len(tools), warnings)
	}
	// Across files too.
	again := write("again.json", one)
	if tools, err := LoadPaths(twice, again); err != nil || len(tools) != 1 {
		t.Fatalf("across files: %d tools, %v", len(tools), err)
	}
	// A different definition under the same name stays an error.
	diff := write("diff.json", other)
	if _, err := LoadPaths(twice, diff); err == nil || !strings.Contains(err.Error(), "different definition") {
		t.Fatalf("different duplicate: %v", err)
	}
}

// TestBFCLJavaAndJavaScriptTypes: BFCL's Java and JavaScript categories name their
// languages' types ("HashMap", "long", "ArrayList"); a question file of theirs failed to
// load whole. BFCL converts what a model writes as code back to a value of the declared
// type and compares that with its answers, so a question file's parameters take those
// values (a long is an integer, a HashMap an object), each description saying the
// language's type, with enums and defaults kept; a type BFCL does not list ("int[]",
// "Promise") constrains nothing rather than failing the file. A plain function list maps
// the types the same way.
func TestBFCLJavaAndJavaScriptTypes(t *testing.T) {
	fn := `{"name": "Cache.put", "description": "Store a value.", "parameters": {"type": "dict", "required": ["key", "ttl"], "properties": {` +
		`"key": {"type": "String", "description": "The key."}, "ttl": {"type": "long", "description": "Seconds to keep it."}, ` +
		`"tags": {"type": "ArrayList", "items": {"type": "String"}}, "meta": {"type": "HashMap"}, "big": {"type": "Bigint"}, "flag": {"type": "Boolean"}, ` +
		`"unit": {"type": "String", "enum": ["SECONDS", "MINUTES"], "default": "SECONDS"}}}}`
	odd := `{"name": "Batch.split", "description": "Split ids.", "parameters": {"type": "dict", "required": ["ids"], "properties": {` +
		`"ids": {"type": "int[]", "description": "The ids."}, "done": {"type": "Promise"}}}}`
	line := `{"id": "simple_java_0", "question": [[{"role": "user", "content": "cache the value under key 'k' for 60 seconds"}]], "function": [` + fn + `]}` + "\n" +
		`{"id": "simple_java_1", "question": [[{"role": "user", "content": "split 1, 2 and 3"}]], "function": [` + odd + `]}` + "\n"
	for _, file := range []string{"BFCL_v4_simple_java.json", "data/BFCL_v4_simple_javascript.json"} {
		qs, err := ParseBFCLQuestions([]byte(line), file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		reg, err := NewRegistry(qs[0].Tools[0], qs[1].Tools[0])
		if err != nil {
			t.Fatal(err)
		}
		var schema struct {
			Properties map[string]struct {
				Type        string `json:"type"`
				Description string `json:"description"`
				Enum        []string
				Default     string
			} `json:"properties"`
		}
		if err := json.Unmarshal(qs[0].Tools[0].InputSchema, &schema); err != nil {
			t.Fatal(err)
		}
		if p := schema.Properties["ttl"]; p.Type != "integer" || !strings.Contains(p.Description, "long value") {
			t.Errorf("%s: ttl = %+v", file, p)
		}
		if p := schema.Properties["meta"]; p.Type != "object" {
			t.Errorf("%s: meta = %+v", file, p)
		}
		if p := schema.Properties["unit"]; len(p.Enum) != 2 || p.Default != "SECONDS" {
			t.Errorf("%s: unit = %+v", file, p)
		}
		v := reg.InputValidator("Cache.put")
		if err := v.Validate(map[string]any{"key": "k", "ttl": 60, "tags": []any{"a"}, "meta": map[string]any{"x": 1}, "big": 7, "flag": true}); err != nil {
			t.Errorf("%s: valid arguments refused: %v", file, err)
		}
		if err := v.Validate(map[string]any{"key": "k", "ttl": "60"}); err == nil {
			t.Errorf("%s: a long given as a string accepted", file)
		}
		if err := reg.InputValidator("Batch.split").Validate(map[string]any{"ids": []any{1, 2, 3}, "done": "callback"}); err != nil {
			t.Errorf("%s: unlisted types: %v", file, err)
		}
	}
	tools, err := Parse([]byte("["+fn+"]"), "fns.json", FormatBFCL)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	v := reg.InputValidator("Cache.put")
	if err := v.Validate(map[string]any{"key": "k", "ttl": 60, "tags": []any{"a"}, "meta": map[string]any{"x": 1}, "big": 7, "flag": true}); err != nil {
		t.Errorf("function list: valid arguments refused: %v", err)
	}
	if err := v.Validate(map[string]any{"key": "k", "ttl": "60"}); err == nil {
		t.Error("function list: a long given as a string accepted")
	}
}
