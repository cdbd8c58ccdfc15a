package dataset

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseNESTFUL(t *testing.T) {
	const data = `[{
	  "input": " Convert 5 ETH and book ",
	  "output": [
	    {"name": "Rate", "arguments": {"from": "ETH", "n": 5}, "label": "var1"},
	    {"name": "Calc", "arguments": {"expr": "5 * $var1.Exchange Rate$", "all": "$var1$"}, "label": "var2"},
	    {"name": "Lookup", "arguments": {"id": "var2.product_id$", "opts": {"list": ["$var1.x$", 2]}}, "label": "var2"},
	    {"name": "Book", "arguments": {"id": "$var2.id$", "flag": true}, "label": "var3"},
	    {"name": "var_result", "arguments": {"out": "$var3$"}}
	  ]}]`
	got, err := parseNESTFUL([]byte(data), "demo")
	if err != nil {
		t.Fatal(err)
	}
	want := Sample{
		ID:      "demo/0",
		Request: "Convert 5 ETH and book",
		Gold: []GoldStep{
			{Tool: "Rate", Args: map[string]any{"from": "ETH", "n": json.Number("5")}},
			{Tool: "Calc", Args: map[string]any{"expr": "5 * ${s1.Exchange Rate}", "all": "${s1}"}},
			// The missing leading '$' is repaired; var2 still means Calc here.
			{Tool: "Lookup", Args: map[string]any{"id": "${s2.product_id}", "opts": map[string]any{"list": []any{"${s1.x}", json.Number("2")}}}},
			// Lookup re-defined var2, so var2 now means Lookup (s3), not Calc.
			{Tool: "Book", Args: map[string]any{"id": "${s3.id}", "flag": true}},
		},
		Edges: [][2]int{{0, 1}, {0, 2}, {1, 2}, {2, 3}},
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		gb, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("got %s", gb)
	}
}

func TestParseNESTFULErrors(t *testing.T) {
	tests := map[string]string{
		"not json":        `{`,
		"undefined label": `[{"input":"x","output":[{"name":"A","arguments":{"a":"$var9.f$"},"label":"var1"}]}]`,
		"no calls":        `[{"input":"x","output":[{"name":"var_result","arguments":{}}]}]`,
		"empty input":     `[{"input":" ","output":[{"name":"A","arguments":{}}]}]`,
		"unnamed call":    `[{"input":"x","output":[{"name":"","arguments":{}}]}]`,
	}
	for name, data := range tests {
		if _, err := parseNESTFUL([]byte(data), "bad"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestNESTFULNames(t *testing.T) {
	if got := NESTFULSetName("/x/non-executable-sgd-data.json"); got != "sgd" {
		t.Errorf("set name = %q", got)
	}
	if got := NESTFULSetName("executable-data.json"); got != "executable" {
		t.Errorf("set name = %q", got)
	}
	if got := NESTFULSpecPath("/x/executable-data.json"); got != "/x/executable-spec.json" {
		t.Errorf("spec path = %q", got)
	}
}
