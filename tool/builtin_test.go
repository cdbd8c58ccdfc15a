package tool

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestBuiltins(t *testing.T) {
	tools := Builtins()
	r, err := NewRegistry(tools...)
	if err != nil {
		t.Fatalf("built-in catalog does not compile: %v", err)
	}
	// The executor implements exactly these names: changing them breaks it.
	want := []string{"add_duration", "calculate", "convert_time", "current_time", "http_request", "json_extract", "render_template"}
	if !reflect.DeepEqual(r.Names(), want) {
		t.Fatalf("built-in names %v, want %v", r.Names(), want)
	}
	for _, tl := range tools {
		if tl.RunKind() != RunBuiltin || tl.Run.Builtin != tl.Name {
			t.Errorf("%s: run %+v, want builtin %q", tl.Name, tl.Run, tl.Name)
		}
		if tl.Source != BuiltinSource {
			t.Errorf("%s: source %q", tl.Name, tl.Source)
		}
		if tl.Description == "" || len(tl.Examples) == 0 {
			t.Errorf("%s: needs a description and examples for the pattern planner", tl.Name)
		}
		if r.OutputSchema(tl.Name) == nil {
			t.Errorf("%s: no output schema", tl.Name)
		}
		in := r.InputSchema(tl.Name)
		for i, ex := range tl.Examples {
			if ex.Request == "" {
				t.Errorf("%s: example %d without a request", tl.Name, i)
			}
			for k, v := range ex.Args {
				ps, ok := in.Properties[k]
				if !ok {
					t.Errorf("%s: example %d uses undeclared argument %q", tl.Name, i, k)
					continue
				}
				// Each example argument must be valid on its own against its property.
				if err := r.InputValidator(tl.Name).Validate(completeArgs(in, k, v)); err != nil {
					t.Errorf("%s: example %d argument %s=%v invalid (%v): %v", tl.Name, i, k, v, ps.Types(), err)
				}
			}
		}
	}
	// Fresh values on each call: callers may modify them.
	a, b := Builtins(), Builtins()
	a[0].Description = "changed"
	if b[0].Description == "changed" {
		t.Error("Builtins shares values between calls")
	}
}

// completeArgs fills the required arguments other than key with valid placeholder values so
// that one example argument can be validated against the whole schema.
func completeArgs(in *Schema, key string, v any) map[string]any {
	args := map[string]any{key: v}
	placeholders := map[string]any{
		"url": "https://example.com", "json": map[string]any{}, "path": "a",
		"expression": "1", "template": "x", "time": "2026-01-01T00:00:00Z", "timezone": "UTC", "duration": "1h",
	}
	for _, r := range in.Required {
		if _, ok := args[r]; !ok {
			args[r] = placeholders[r]
		}
	}
	return args
}

func TestBuiltinSchemasReject(t *testing.T) {
	r, err := NewRegistry(Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		tool string
		args map[string]any
	}{
		{"http_request", map[string]any{}},
		{"http_request", map[string]any{"url": "ftp://example.com/x"}},
		{"http_request", map[string]any{"url": "https://example.com", "method": "FETCH"}},
		{"http_request", map[string]any{"url": "https://example.com", "headers": map[string]any{"X": 1}}},
		{"calculate", map[string]any{"expression": ""}},
		{"calculate", map[string]any{"expr": "1+1"}},
		{"json_extract", map[string]any{"json": "{}"}},
		{"render_template", map[string]any{"template": "x", "values": "not an object"}},
		{"add_duration", map[string]any{"time": "2026-01-01T00:00:00Z", "duration": "three days"}},
		{"convert_time", map[string]any{"time": "2026-01-01T00:00:00Z"}},
	}
	for _, tc := range tests {
		if err := r.InputValidator(tc.tool).Validate(tc.args); err == nil {
			t.Errorf("%s accepted invalid args %v", tc.tool, tc.args)
		}
	}
	ok := []struct {
		tool string
		args map[string]any
	}{
		{"http_request", map[string]any{"url": "https://example.com/a?b=c", "method": "POST", "body": map[string]any{"k": 1}}},
		{"add_duration", map[string]any{"time": "2026-01-01", "duration": "-3d"}},
		{"add_duration", map[string]any{"time": "2026-01-01T00:00:00Z", "duration": "1h30m"}},
		{"current_time", map[string]any{}},
		{"json_extract", map[string]any{"json": `{"a": [1]}`, "path": "$.a[0]"}},
	}
	for _, tc := range ok {
		if err := r.InputValidator(tc.tool).Validate(tc.args); err != nil {
			t.Errorf("%s rejected valid args %v: %v", tc.tool, tc.args, err)
		}
	}
}

// TestBuiltinTextNamesNoEntities checks that the built-in descriptions and example requests
// name no people, places or hosts: the pattern planner matches requests against this text,
// and an entity there (a city in a time zone example) drew "what's the weather in Paris"
// to current_time instead of a weather tool loaded beside the built-ins.
func TestBuiltinTextNamesNoEntities(t *testing.T) {
	allowed := map[string]bool{"HTTP": true, "JSON": true, "REST": true, "URL": true, "Go": true, "IANA": true, "UTC": true, "RFC": true, "API": true}
	for _, tl := range Builtins() {
		texts := []string{tl.Description}
		for _, ex := range tl.Examples {
			texts = append(texts, ex.Request)
		}
		for _, text := range texts {
			if strings.Contains(text, "://") {
				t.Errorf("%s: URL in %q", tl.Name, text)
			}
			sentenceStart := true
			for _, w := range strings.Fields(text) {
				word := strings.Trim(w, `"'(),.:;!?`)
				if word != "" && !sentenceStart && unicode.IsUpper([]rune(word)[0]) && !allowed[word] {
					t.Errorf("%s: capitalised word %q in %q", tl.Name, word, text)
				}
				sentenceStart = strings.HasSuffix(w, ".") || strings.HasSuffix(w, ":")
			}
		}
	}
}
