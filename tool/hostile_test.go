package tool

import (
	"fmt"
	"strings"
	"testing"
)

// TestHostileYAML checks that documents built to exhaust the parser are refused with an
// error instead of being expanded (before the guard, the 9-level "billion laughs" below
// took minutes and 23 GB of memory).
func TestHostileYAML(t *testing.T) {
	var laughs strings.Builder
	laughs.WriteString(`a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i <= 30; i++ { // 9^30 nodes: also overflows a naive int64 count
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&laughs, "a%d: &a%d [%s]\n", i, i, strings.Repeat(p+",", 8)+p)
	}
	tests := []struct {
		name, content, want string
	}{
		{"billion laughs", laughs.String(), "YAML aliases expand the document"},
		{"deep flow YAML", "name: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "nested deeper than 64 levels"},
		{"deep JSON", strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "exceeded max depth"},
		{"deep block YAML", deepBlock(100), "nesting deeper than 64 levels"},
		{"two documents", "name: a\ndescription: x\n---\nname: b\n", "more than one YAML document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.content), "hostile.yaml", FormatAuto)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func deepBlock(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}

// TestYAMLAnchorsAllowed checks that ordinary reuse of anchors still loads.
func TestYAMLAnchorsAllowed(t *testing.T) {
	doc := `
common: &city {type: string, description: City name}
tools:
  - name: weather
    description: Weather in a city.
    input_schema: {type: object, properties: {city: *city}, required: [city]}
  - name: time_in
    description: Local time in a city.
    input_schema: {type: object, properties: {city: *city}}
`
	// The top level has keys other than tools: it is read as a list under "tools".
	tools, err := Parse([]byte(doc), "anchors.yaml", FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	if p := paramsByName(mustGet(t, r, "time_in"))["city"]; p.Type != "string" || p.Description != "City name" {
		t.Errorf("alias not resolved: %+v", p)
	}
}
