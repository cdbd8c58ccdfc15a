package sim_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

func TestNormalizeRequest(t *testing.T) {
	cases := map[string]string{
		"  Email   Bob the REPORT. ": "email bob the report",
		"Is it raining?!":            "is it raining",
		"a\tb\nc":                    "a b c",
		"3.5":                        "3.5",
	}
	for in, want := range cases {
		if got := sim.NormalizeRequest(in); got != want {
			t.Errorf("NormalizeRequest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadGoldJSONL(t *testing.T) {
	in := `{"request": "Ping the service.", "plan": {"steps": [{"id": "s1", "tool": "ping", "args": {}}]}}

{"request": "notify me", "plan": {"goal": "n", "steps": [{"id": "s1", "tool": "notify", "args": {"text": "hi", "n": 3}}]}}
`
	m, err := sim.ReadGoldJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m["ping the service"] == nil || m["notify me"].Steps[0].Args["text"] != "hi" {
		t.Errorf("gold %v", m)
	}
	for _, bad := range []string{
		`{"request": "x"}`,
		`{"plan": {"steps": []}}`,
		`{"request": "x", "plan": {"steps": [], "extra": 1}}`,
		"{\"request\": \"ok\", \"plan\": {\"steps\": []}}\nnot json",
	} {
		_, err := sim.ReadGoldJSONL(strings.NewReader(bad))
		if err == nil || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%q: want an error naming the line, got %v", bad, err)
		}
	}
	path := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := sim.LoadGoldFile(path); err != nil || len(m) != 2 {
		t.Errorf("LoadGoldFile: %d plans, %v", len(m), err)
	}
}

func TestReadNestful(t *testing.T) {
	in := `[{"input": "Find flights from New York to London.", "output": [
	  {"name": "SearchAirport", "arguments": {"query": "New York"}, "label": "var1"},
	  {"name": "SearchAirport", "arguments": {"query": "London"}, "label": "var2"},
	  {"name": "SearchFlights", "arguments": {"origin": "$var1.skyId$", "destination": "$var2.skyId$", "note": "from $var1.name$ to $var2.name$", "ids": ["$var1.entityId$"], "count": 2, "keep": "$unknown.x$"}, "label": "var3"},
	  {"name": "var_result", "arguments": {"flights": "$var3$"}}]}]`
	m, err := sim.ReadNestful(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	p := m["find flights from new york to london"]
	if p == nil {
		t.Fatalf("no plan under the normalised request: %v", m)
	}
	want, err := plan.Parse([]byte(`{"goal":"Find flights from New York to London.","steps":[
	  {"id":"s1","tool":"SearchAirport","args":{"query":"New York"}},
	  {"id":"s2","tool":"SearchAirport","args":{"query":"London"}},
	  {"id":"s3","tool":"SearchFlights","args":{"origin":"${s1.skyId}","destination":"${s2.skyId}","note":"from ${s1.name} to ${s2.name}","ids":["${s1.entityId}"],"count":2,"keep":"$unknown.x$"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(p.JSON()) != string(want.JSON()) {
		t.Errorf("got  %s\nwant %s", p.JSON(), want.JSON())
	}
	if _, err := sim.ReadNestful(strings.NewReader(`{"input": "not a list"}`)); err == nil {
		t.Error("a non-list was accepted")
	}
}

// TestNestfulDataValidates converts the public NESTFUL data and validates every gold plan
// against the tools of its spec file. The conversion must produce no structural problem
// (ids, references, ordering, tool names); NESTFUL's own data disagrees with its specs
// in places (argument "sortBy" where the spec says "sort_by", output fields the spec does
// not declare, missing required arguments), which is logged, not failed.
func TestNestfulDataValidates(t *testing.T) {
	root := sharedData(t, "nestful")
	for _, name := range []string{"executable", "non-executable-sgd"} {
		t.Run(name, func(t *testing.T) {
			gold, err := sim.LoadNestfulFile(filepath.Join(root, name+"-data.json"))
			if err != nil {
				t.Fatal(err)
			}
			tools, err := tool.LoadPath(filepath.Join(root, name+"-spec.json"))
			if err != nil {
				t.Fatal(err)
			}
			reg, err := tool.NewRegistry(tools...)
			if err != nil {
				t.Fatal(err)
			}
			valid := 0
			codes := map[string]int{}
			for _, p := range gold {
				if len(p.Steps) == 0 {
					t.Errorf("empty plan for %q", p.Goal)
				}
				err := plan.Validate(p, reg)
				if err == nil {
					valid++
					continue
				}
				if ve, ok := plan.AsValidationError(err); ok {
					for _, c := range ve.Codes() {
						codes[c]++
					}
				}
			}
			t.Logf("%s: %d distinct requests, %d gold plans validate against the spec; issue codes of the rest: %v", name, len(gold), valid, codes)
			for _, c := range []string{plan.CodeEmptyPlan, plan.CodeMissingID, plan.CodeInvalidID, plan.CodeDuplicateID, plan.CodeMissingTool,
				plan.CodeUnknownTool, plan.CodeBadReference, plan.CodeUnknownStep, plan.CodeForwardReference} {
				if codes[c] > 0 {
					t.Errorf("conversion problem %s in %d plans", c, codes[c])
				}
			}
			if valid == 0 {
				t.Error("no converted plan validates")
			}
		})
	}
}

// sharedData returns ../shared/data/rel, or skips the test when it is absent.
func sharedData(t testing.TB, rel string) string { return shareddata.Shared(t, rel) }
