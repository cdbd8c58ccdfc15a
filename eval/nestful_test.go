package eval

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
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

// TestLoadNESTFULData loads both public sets and checks their documented sizes, that
// every "$varK...$" reference was rewritten, and that a gold plan scores perfectly
// against itself.
func TestLoadNESTFULData(t *testing.T) {
	dir := filepath.Join(sharedData(t), "nestful")
	sets, err := FindNESTFULSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantSizes := map[string]int{"executable": 85, "sgd": 46}
	if len(sets) != len(wantSizes) {
		t.Fatalf("sets = %+v, want %v", sets, wantSizes)
	}
	for _, set := range sets {
		samples, err := LoadNESTFUL(set.Data)
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) != wantSizes[set.Name] {
			t.Errorf("%s: %d samples, want %d", set.Name, len(samples), wantSizes[set.Name])
		}
		var edges int
		for _, s := range samples {
			edges += len(s.Edges)
			for i, g := range s.Gold {
				if g.Tool == nestfulResult {
					t.Errorf("%s step %d: var_result kept", s.ID, i)
				}
				eachString(g.Args, func(v string) {
					if strings.Contains(v, "$var") || nestfulBareRef.MatchString(v) {
						t.Errorf("%s step %d: unrewritten reference %q", s.ID, i, v)
					}
				})
			}
			for _, e := range s.Edges {
				if e[0] >= e[1] {
					t.Errorf("%s: edge %v does not point forward", s.ID, e)
				}
			}
			sc := Score(s, s.Plan())
			if sc.NodeF1 != 1 || sc.EdgeF1 != 1 || sc.ArgNameF1 != 1 || sc.ArgValueF1 != 1 || sc.EditDistance != 0 {
				t.Errorf("%s: gold against itself scores %+v", s.ID, sc)
			}
		}
		if edges == 0 {
			t.Errorf("%s: no dependency edges at all", set.Name)
		}
	}
	// Sample 0 of executable, spelt out.
	samples, err := LoadNESTFUL(filepath.Join(dir, "executable-data.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := samples[0]
	if len(s.Gold) != 5 || s.Gold[2].Tool != "SkyScrapperFlightSearch" || s.Gold[2].Args["originSkyId"] != "${s1.skyId}" ||
		s.Gold[4].Args["geoId"] != "${s4.geoId}" || !reflect.DeepEqual(s.Edges, [][2]int{{0, 2}, {1, 2}, {3, 4}}) {
		gb, _ := json.Marshal(s)
		t.Errorf("executable/0 = %s", gb)
	}
}

func FuzzParseNESTFUL(f *testing.F) {
	f.Add([]byte(`[{"input":"a","output":[{"name":"A","arguments":{"x":"$var1$"},"label":"var1"},{"name":"B","arguments":{"y":"5 * $var1.a b$"},"label":"var2"}]}]`))
	f.Add([]byte(`[{"input":"a","output":[{"name":"A","arguments":{"x":["var1.x$", {"k": 1.5}]}}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		samples, err := parseNESTFUL(b, "fuzz")
		if err != nil {
			return
		}
		for _, s := range samples {
			if len(s.Gold) == 0 {
				t.Fatalf("%s: sample without gold steps", s.ID)
			}
			for _, e := range s.Edges {
				if e[0] < 0 || e[1] >= len(s.Gold) || e[0] >= e[1] {
					t.Fatalf("%s: bad edge %v", s.ID, e)
				}
			}
			Score(s, s.Plan())
		}
	})
}
