package execute_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/planwise/planwise/internal/testdata"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// sharedData returns ../shared/data, or skips the test when it is absent.
func sharedData(t testing.TB) string { return testdata.Shared(t) }

// exampleArgs fills every argument of a tool with a value of its schema type.
func exampleArgs(tl *tool.Tool) map[string]any {
	args := map[string]any{}
	for _, p := range tl.Params() {
		var v any = "example " + p.Name
		switch p.Type {
		case "integer":
			v = json.Number("1")
		case "number":
			v = json.Number("1.5")
		case "boolean":
			v = true
		case "array":
			v = []any{}
		case "object":
			v = map[string]any{}
		}
		if len(p.Enum) > 0 {
			v = p.Enum[0]
		}
		args[p.Name] = v
	}
	return args
}

// dryRunAll validates each plan and runs the valid ones; every valid plan must succeed.
func dryRunAll(t *testing.T, ex *execute.Executor, reg *tool.Registry, name string, plans []*plan.Plan) (valid int) {
	t.Helper()
	for i, p := range plans {
		if err := plan.Validate(p, reg); err != nil {
			continue
		}
		valid++
		res := ex.Run(context.Background(), p, execute.RunOptions{DryRun: true})
		if res.Status != execute.RunSucceeded {
			b, _ := json.Marshal(res.Steps)
			t.Errorf("%s plan %d: %s: %s\nplan %s", name, i, res.Status, b, p.JSON())
			continue
		}
		for _, s := range res.Steps {
			if s.Status == execute.StepSucceeded && !s.Simulated {
				t.Errorf("%s plan %d: step %s ran for real in a dry run", name, i, s.ID)
			}
		}
	}
	return valid
}

// TestDryRunTaskBench: simulated tools make every validated TaskBench plan succeed: the
// gold plans, one call of every tool, and a two-step chain for every link of each
// domain's tool graph.
func TestDryRunTaskBench(t *testing.T) {
	data := sharedData(t)
	for _, domain := range []string{"dailylifeapis", "multimedia", "huggingface"} {
		t.Run(domain, func(t *testing.T) {
			dir := filepath.Join(data, "taskbench", domain)
			tools, err := tool.LoadPath(filepath.Join(dir, "tool_desc.json"))
			if err != nil {
				t.Fatal(err)
			}
			reg := mustRegistry(t, tools...)
			ex := execute.New(reg)
			defer ex.Close()

			samples, err := dataset.LoadTaskBench(dir)
			if err != nil {
				t.Fatal(err)
			}
			var gold []*plan.Plan
			for _, s := range samples {
				gold = append(gold, s.Plan())
			}
			gv := dryRunAll(t, ex, reg, "gold", gold)

			var single []*plan.Plan
			for _, tl := range reg.Tools() {
				single = append(single, &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: tl.Name, Args: exampleArgs(tl)}}})
			}
			sv := dryRunAll(t, ex, reg, "single", single)

			var graph struct {
				Links []struct{ Source, Target string } `json:"links"`
			}
			b, err := os.ReadFile(filepath.Join(dir, "graph_desc.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &graph); err != nil {
				t.Fatal(err)
			}
			var chains []*plan.Plan
			for _, l := range graph.Links {
				src, ok1 := reg.Get(tool.TaskBenchName(l.Source))
				dst, ok2 := reg.Get(tool.TaskBenchName(l.Target))
				if !ok1 || !ok2 {
					continue
				}
				args := exampleArgs(dst)
				ref := "${s1}"
				if out := reg.OutputSchema(src.Name); out != nil && len(out.PropOrder) > 0 {
					ref = plan.MakeRef("s1", out.PropOrder[0])
				}
				for _, p := range dst.Params() {
					if p.Type == "string" || p.Type == "" {
						args[p.Name] = ref
						break
					}
				}
				chains = append(chains, &plan.Plan{Steps: []plan.Step{
					{ID: "s1", Tool: src.Name, Args: exampleArgs(src)},
					{ID: "s2", Tool: dst.Name, Args: args},
				}})
			}
			cv := dryRunAll(t, ex, reg, "chain", chains)
			t.Logf("%s: valid and succeeded: gold %d/%d, single-tool %d/%d, graph-link chains %d/%d",
				domain, gv, len(gold), sv, len(single), cv, len(chains))
			if sv != len(single) {
				t.Errorf("%d single-tool plans did not validate", len(single)-sv)
			}
		})
	}
}

// TestDryRunNESTFUL: NESTFUL gold sequences reference fields of earlier outputs
// ("${s1.rates.EUR}"); dry runs follow them through generated or placeholder values.
func TestDryRunNESTFUL(t *testing.T) {
	data := sharedData(t)
	for _, set := range []string{"executable", "non-executable-sgd"} {
		t.Run(set, func(t *testing.T) {
			dataFile := filepath.Join(data, "nestful", set+"-data.json")
			tools, err := tool.LoadPath(dataset.NESTFULSpecPath(dataFile))
			if err != nil {
				t.Fatal(err)
			}
			reg := mustRegistry(t, tools...)
			ex := execute.New(reg)
			defer ex.Close()
			samples, err := dataset.LoadNESTFUL(dataFile)
			if err != nil {
				t.Fatal(err)
			}
			var plans []*plan.Plan
			for _, s := range samples {
				plans = append(plans, s.Plan())
			}
			v := dryRunAll(t, ex, reg, set, plans)
			t.Logf("%s: %d of %d gold plans validate; all of those succeeded in a dry run", set, v, len(plans))
			if v == 0 {
				t.Error("no NESTFUL plan validated: nothing was tested")
			}
		})
	}
}

// TestSimulatedOutputs: declared outputs win, generated outputs follow the schema and are
// deterministic per tool and arguments, and schema-less tools echo their call.
func TestSimulatedOutputs(t *testing.T) {
	sim := execute.SimulatedRunner{}
	ctx := context.Background()
	declared := &tool.Tool{Name: "d", Run: &tool.RunSpec{Kind: tool.RunSimulated, Output: map[string]any{"temp": 3}}}
	if out, _ := sim.Run(ctx, declared, nil); fmt.Sprint(out) != "map[temp:3]" {
		t.Errorf("declared: %v", out)
	}
	schema := &tool.Tool{Name: "weather", OutputSchema: json.RawMessage(`{"type":"object","properties":{
		"summary":{"type":"string"},"temperature_c":{"type":"number"},"count":{"type":"integer"},"ok":{"type":"boolean"},
		"date":{"type":"string","format":"date"},"email":{"type":"string"},"level":{"enum":["low","high"]},
		"alerts":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"}}}}}}`)}
	a, _ := sim.Run(ctx, schema, map[string]any{"city": "Paris"})
	b, _ := sim.Run(ctx, schema, map[string]any{"city": "Paris"})
	c, _ := sim.Run(ctx, schema, map[string]any{"city": "Oslo"})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("not deterministic: %v vs %v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("different arguments gave the same output %v", a)
	}
	m := a.(map[string]any)
	checks := map[string]func(any) bool{
		"summary":       func(v any) bool { _, ok := v.(string); return ok },
		"temperature_c": func(v any) bool { _, ok := v.(float64); _, ok2 := v.(int64); return ok || ok2 },
		"count":         func(v any) bool { _, ok := v.(int64); return ok },
		"ok":            func(v any) bool { _, ok := v.(bool); return ok },
		"date":          func(v any) bool { s, _ := v.(string); return len(s) == 10 && s[4] == '-' },
		"email":         func(v any) bool { s, _ := v.(string); return len(s) > 3 && s[len(s)-12:] == "@example.com" },
		"level":         func(v any) bool { return v == "low" || v == "high" },
		"alerts": func(v any) bool {
			l, ok := v.([]any)
			if !ok || len(l) < 1 || len(l) > 3 {
				return false
			}
			_, ok = l[0].(map[string]any)["title"].(string)
			return ok
		},
	}
	for k, ok := range checks {
		if !ok(m[k]) {
			t.Errorf("%s = %#v does not fit the schema", k, m[k])
		}
	}
	bare := &tool.Tool{Name: "bare"}
	if out, _ := sim.Run(ctx, bare, map[string]any{"x": 1}); fmt.Sprint(out) != "map[args:map[x:1] ok:true tool:bare]" {
		t.Errorf("bare: %v", out)
	}
}

// TestDryRunPlaceholders: in a dry run a reference to a field the simulation did not
// invent yields a placeholder of the consumer's type, and conditions on simulated outputs
// that cannot be evaluated follow the branch.
func TestDryRunPlaceholders(t *testing.T) {
	src := &tool.Tool{Name: "src", Description: "src", InputSchema: json.RawMessage(`{"type":"object"}`)}
	dst := &tool.Tool{Name: "dst", Description: "dst", InputSchema: json.RawMessage(`{"type":"object","properties":{
		"n":{"type":"integer"},"s":{"type":"string"},"l":{"type":"array","items":{"type":"string"}}}}`)}
	reg := mustRegistry(t, src, dst)
	ex := execute.New(reg)
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[
		{"id":"s1","tool":"src","args":{}},
		{"id":"s2","tool":"dst","args":{"n":"${s1.count}","s":"${s1.name}","l":"${s1.items}"},"if":"s1.count > 2"},
		{"id":"s3","tool":"dst","for_each":"${s1.items}","args":{"s":"${item}"}},
		{"id":"s4","tool":"dst","for_each":"${s1}","args":{"s":"${item.tool}"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
	args := step(t, res, "s2").Output.(map[string]any)["args"].(map[string]any)
	if args["n"] != int64(1) || args["s"] != "<simulated s1.name>" || fmt.Sprint(args["l"]) != "[<simulated s1.items>]" {
		t.Errorf("placeholders %v", args)
	}
	if s3 := step(t, res, "s3"); s3.Items != 1 {
		t.Errorf("loop over a placeholder list: %d items", s3.Items)
	}
	if s4 := step(t, res, "s4"); s4.Items != 1 || s4.Output.([]any)[0].(map[string]any)["args"].(map[string]any)["s"] != "src" {
		t.Errorf("loop over a simulated object: %d items, %v", s4.Items, s4.Output)
	}
}
