package plans

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/internal/shareddata"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func TestAcceptsCallAsBFCLDoes(t *testing.T) {
	gold := dataset.GoldStep{Tool: "uber.ride", Accept: map[string][]any{
		"loc":   {"2020 Addison Street, Berkeley, CA, USA"},
		"type":  {"plus", "comfort"},
		"time":  {json.Number("600")},
		"notes": {"", "none"},
		"body":  {map[string]any{"mode": []any{"COOL"}, "temp": []any{"", json.Number("22")}}},
		"sizes": {[]any{"M", "L"}},
	}}
	base := func() map[string]any {
		return map[string]any{"loc": "2020 addison street berkeley CA USA", "type": "comfort", "time": 600.0,
			"body": map[string]any{"mode": "cool"}, "sizes": []any{"m", "L"}}
	}
	call := func(mut func(map[string]any)) plan.Step {
		a := base()
		if mut != nil {
			mut(a)
		}
		return plan.Step{ID: "s1", Tool: "uber.ride", Args: a}
	}
	if !acceptsCall(call(nil), gold, false) {
		t.Fatal("the right call (normalised strings, a float for an int, an omittable field left out) refused")
	}
	for name, mut := range map[string]func(map[string]any){
		"wrong enum":               func(a map[string]any) { a["type"] = "pool" },
		"number as a string":       func(a map[string]any) { a["time"] = "600" },
		"required argument left":   func(a map[string]any) { delete(a, "loc") },
		"argument the gold lacks":  func(a map[string]any) { a["tip"] = 2.0 },
		"nested value wrong":       func(a map[string]any) { a["body"] = map[string]any{"mode": "HEAT"} },
		"nested unexpected field":  func(a map[string]any) { a["body"] = map[string]any{"mode": "COOL", "fan": 1.0} },
		"list of another length":   func(a map[string]any) { a["sizes"] = []any{"M"} },
		"omittable, but wrong too": func(a map[string]any) { a["notes"] = "loud" },
	} {
		if acceptsCall(call(mut), gold, false) {
			t.Errorf("%s: accepted", name)
		}
	}
	other := call(nil)
	other.Tool = "uber.eat"
	if acceptsCall(other, gold, false) {
		t.Error("another function accepted")
	}
}

// writeBFCL writes a small BFCL data directory: two simple questions with answers and two
// irrelevance questions.
func writeBFCL(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "possible_answer"), 0o755); err != nil {
		t.Fatal(err)
	}
	weather := `{"name": "get_weather", "description": "Weather for a city.", "parameters": {"type": "dict", "required": ["city"], "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"], "default": "c"}}}}`
	sms := `{"name": "send_sms", "description": "Send an SMS.", "parameters": {"type": "dict", "required": ["to", "text"], "properties": {"to": {"type": "string"}, "text": {"type": "string"}}}}`
	q := func(id, text, fns string) string {
		return `{"id": "` + id + `", "question": [[{"role": "user", "content": "` + text + `"}]], "function": [` + fns + `]}`
	}
	files := map[string]string{
		"BFCL_v4_live_simple.json": q("live_simple_0", "weather in Oslo", weather) + "\n" + q("live_simple_1", "text 555 hi", weather+","+sms) + "\n",
		"possible_answer/BFCL_v4_live_simple.json": `{"id": "live_simple_0", "ground_truth": [{"get_weather": {"city": ["Oslo", "Oslo, Norway"], "unit": ["", "c"]}}]}` + "\n" +
			`{"id": "live_simple_1", "ground_truth": [{"send_sms": {"to": ["555"], "text": ["hi"]}}]}` + "\n",
		"BFCL_v4_live_irrelevance.json": q("live_irrelevance_0", "make me a sandwich", weather) + "\n" + q("live_irrelevance_1", "weather please", weather) + "\n",
		// No answers and not an irrelevance category: not scorable, skipped.
		"BFCL_v4_live_relevance.json": q("live_relevance_0", "x", weather) + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadBFCL(t *testing.T) {
	dir := writeBFCL(t)
	sets, err := dataset.FindBFCLSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 2 || sets[0].Name != "live_irrelevance" || !sets[0].Irrelevant() || sets[1].Name != "live_simple" || sets[1].Irrelevant() {
		t.Fatalf("sets = %+v", sets)
	}
	simple, err := dataset.LoadBFCL(sets[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(simple) != 2 || simple[0].Request != "weather in Oslo" || len(simple[1].Tools) != 2 {
		t.Fatalf("samples = %+v", simple)
	}
	g := simple[0].Gold[0]
	if g.Tool != "get_weather" || g.Args["city"] != "Oslo" || g.Args["unit"] != "c" || len(g.Accept["city"]) != 2 {
		t.Fatalf("gold = %+v", g)
	}
	irr, err := dataset.LoadBFCL(sets[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(irr) != 2 || !irr[0].Irrelevant || len(irr[0].Gold) != 0 {
		t.Fatalf("irrelevance = %+v", irr)
	}
}

// perQuestion plans from a table keyed by request and remembers the tools it was given.
type perQuestion struct {
	tools []string
	plans map[string]*plan.Plan
}

func (p *perQuestion) Plan(_ context.Context, q query.Query) (*plan.Plan, error) {
	req := q.Text
	if pl := p.plans[req]; pl != nil {
		return pl, nil
	}
	return nil, errors.New("cannot plan")
}

func TestRunScoresPrecisionCoverageAndRefusals(t *testing.T) {
	dir := writeBFCL(t)
	sets, err := dataset.FindBFCLSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	var samples []dataset.Sample
	for _, s := range sets {
		ss, err := dataset.LoadBFCL(s)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, ss...)
	}
	plans := map[string]*plan.Plan{
		// Right tool, acceptable values: exact.
		"weather in Oslo": steps(step("s1", "get_weather", map[string]any{"city": "oslo, norway"})),
		// The wrong tool: served and wrong.
		"text 555 hi": steps(step("s1", "get_weather", map[string]any{"city": "555"})),
		// An irrelevant request served: wrong. The other irrelevant one is refused.
		"weather please": steps(step("s1", "get_weather", map[string]any{"city": "here"})),
	}
	var built [][]string
	rep, err := Run(context.Background(), &perQuestion{plans: plans}, testRegistry(t), samples, RunOptions{
		Concurrency: 1,
		ForRegistry: func(tools []*tool.Tool) (*tool.Registry, query.Planner, error) {
			reg, err := tool.NewRegistry(tools...)
			if err != nil {
				return nil, nil, err
			}
			built = append(built, reg.Names())
			return reg, &perQuestion{plans: plans}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Outcomes
	want := Outcomes{Served: 3, Refused: 1, ExactTools: 1, Wrong: 2, Relevant: 2, Irrelevant: 2, IrrelevantRefused: 1,
		CallsChecked: 2, ExactCalls: 1, WrongRate: 0.5, Coverage: 0.75, ExactRate: 0.5, RefusalRate: 0.5, ExactCallRate: 0.5}
	if o != want {
		t.Fatalf("outcomes\n got %+v\nwant %+v", o, want)
	}
	two := 0
	for _, b := range built {
		if strings.Join(b, ",") == "get_weather,send_sms" {
			two++
		}
	}
	if len(built) != 4 || two != 1 {
		t.Errorf("per-question registries = %v, want one per question, one with both tools", built)
	}
	for _, r := range rep.Results {
		switch r.Request {
		case "make me a sandwich":
			// The refused irrelevant request is the right answer: full marks.
			if r.Wrong || r.NodeF1 != 1 || r.EditDistance != 0 {
				t.Errorf("refused irrelevant request scored %+v", r.Scores)
			}
		case "weather please":
			if !r.Wrong || r.NodeF1 != 0 {
				t.Errorf("served irrelevant request scored %+v wrong=%v", r.Scores, r.Wrong)
			}
		}
	}
}

func TestExactToolsAllowsReorderedIndependentSteps(t *testing.T) {
	s := dataset.Sample{Gold: []dataset.GoldStep{{Tool: "a"}, {Tool: "b"}, {Tool: "c", Args: map[string]any{"x": "${s1}", "y": "${s2}"}}},
		Edges: [][2]int{{0, 2}, {1, 2}}}
	swapped := steps(step("s1", "b", nil), step("s2", "a", nil), step("s3", "c", map[string]any{"x": "${s2}", "y": "${s1}"}))
	if !ExactTools(s, swapped) {
		t.Error("independent steps listed the other way round are the same plan")
	}
	chain := steps(step("s1", "b", nil), step("s2", "a", map[string]any{"q": "${s1}"}), step("s3", "c", nil))
	if ExactTools(s, chain) {
		t.Error("other edges are another plan")
	}
	if ExactTools(s, nil) {
		t.Error("no plan is never exact")
	}
}

func TestBFCLLiveLoads(t *testing.T) {
	dir := filepath.Join(shareddata.Shared(t), "bfcl-live")
	sets, err := dataset.FindBFCLSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, s := range sets {
		ss, err := dataset.LoadBFCL(s)
		if err != nil {
			t.Fatal(err)
		}
		counts[s.Name] = len(ss)
		for _, x := range ss {
			if x.Request == "" || len(x.Tools) == 0 && !x.Irrelevant {
				t.Fatalf("%s: empty sample %+v", x.ID, x)
			}
		}
	}
	if counts["live_simple"] != 258 || counts["live_multiple"] != 1053 || counts["live_irrelevance"] != 884 {
		t.Fatalf("counts = %v", counts)
	}
}

func TestLoadCases(t *testing.T) {
	dir := t.TempDir()
	cat := `[{"name": "get_weather", "description": "Weather for a city on a day", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]`
	if err := os.WriteFile(filepath.Join(dir, "cat.json"), []byte(cat), 0o644); err != nil {
		t.Fatal(err)
	}
	body := `name: mini
tools: [cat.json]
now: "2026-12-01"
cases:
  - request: weather in Oslo
    tools: [get_weather]
    args: [{city: {any: [Oslo, "Oslo, Norway"]}}]
  - id: sandwich
    request: make me a sandwich
    refuse: true
  - request: "post it in #carpool"   # quoted, the channel is part of the request
    refuse: true
`
	file := filepath.Join(dir, "mini.yaml")
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	set, samples, err := dataset.LoadCases(file)
	if err != nil {
		t.Fatal(err)
	}
	if set.Name != "mini" || set.Now != "2026-12-01" || set.Tools[0] != filepath.Join(dir, "cat.json") || len(samples) != 3 || samples[2].Request != "post it in #carpool" {
		t.Fatalf("set %+v samples %+v", set, samples)
	}
	if samples[0].ID != "mini/1" || len(samples[0].Gold[0].Accept["city"]) != 2 || !samples[0].OpenArgs || !samples[1].Irrelevant || samples[1].ID != "sandwich" {
		t.Fatalf("samples = %+v", samples)
	}
	// Extra arguments are fine in a case; a wrong value is not.
	extra := steps(step("s1", "get_weather", map[string]any{"city": "oslo, norway", "unit": "c"}))
	if exact, ok := ExactCalls(samples[0], extra); !ok || !exact {
		t.Error("an extra argument failed the case")
	}
	if exact, _ := ExactCalls(samples[0], steps(step("s1", "get_weather", map[string]any{"city": "Bergen"}))); exact {
		t.Error("a wrong value passed")
	}
	for name, bad := range map[string]string{
		"no tools":        "cases: [{request: x, tools: [a]}]",
		"refuse and tool": "tools: [cat.json]\ncases: [{request: x, tools: [a], refuse: true}]",
		"nothing":         "tools: [cat.json]\ncases: [{request: x}]",
		"unknown field":   "tools: [cat.json]\ncases: [{request: x, refuse: true, gold: 1}]",
		// YAML would read "post it in" and a comment.
		"cut by a comment": "tools: [cat.json]\ncases:\n  - request: post it in #carpool\n    refuse: true\n",
	} {
		f := filepath.Join(dir, "bad.yaml")
		if err := os.WriteFile(f, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := dataset.LoadCases(f); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A wrong plan made only of built-in tools is counted wrong, and counted apart: the data
// set's gold cannot name planwise's own tools ("What's 1+1?" -> calculate).
func TestWrongPlansOfBuiltinsAreCountedApart(t *testing.T) {
	reg, err := testRegistry(t).Merge(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	samples := []dataset.Sample{
		{ID: "a", Request: "what's 1+1?", Irrelevant: true},
		{ID: "b", Request: "weather please", Irrelevant: true},
	}
	plans := map[string]*plan.Plan{
		"what's 1+1?":    steps(step("s1", "calculate", map[string]any{"expression": "1+1"})),
		"weather please": steps(step("s1", "get_weather", map[string]any{"location": "here"})),
	}
	rep, err := Run(context.Background(), &perQuestion{plans: plans}, reg, samples, RunOptions{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if o := rep.Outcomes; o.Wrong != 2 || o.WrongBuiltin != 1 {
		t.Fatalf("wrong %d, of built-ins %d; want 2 and 1", o.Wrong, o.WrongBuiltin)
	}
	for _, r := range rep.Results {
		if r.BuiltinOnly != (r.Request == "what's 1+1?") {
			t.Errorf("%q: builtin_only = %v", r.Request, r.BuiltinOnly)
		}
	}
}
