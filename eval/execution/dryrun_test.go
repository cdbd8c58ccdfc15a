package execution_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/eval/execution"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// sharedData returns ../shared/data, or skips the test when it is absent.
func sharedData(t testing.TB) string { return shareddata.Shared(t) }

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

func mustRegistry(t *testing.T, tools ...*tool.Tool) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TaskBench reads a domain's catalogue and its first requests, and says which flag is
// missing without a directory.
func TestTaskBench(t *testing.T) {
	if _, _, err := execution.TaskBench("", 10); err == nil || err.Error() != "--taskbench DIR is required (a TaskBench domain directory with tool_desc.json and user_requests.json)" {
		t.Errorf("no directory: %v", err)
	}
	if _, _, err := execution.TaskBench(t.TempDir(), 10); err == nil {
		t.Error("an empty directory read")
	}
	dir := filepath.Join(sharedData(t), "taskbench", "dailylifeapis")
	reg, reqs, err := execution.TaskBench(dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	want, err := execution.TaskBenchRequests(dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Len() == 0 || len(reqs) != 5 || reqs[0] != want[0] || reqs[4] != want[4] {
		t.Errorf("%d tools, requests %q", reg.Len(), reqs)
	}
}

// RunTaskBench plans a domain's first requests over its own catalogue and dry-runs
// them, drawing progress under the domain's name; a planner that cannot be built is
// the run's error.
func TestRunTaskBench(t *testing.T) {
	dir := filepath.Join(sharedData(t), "taskbench", "dailylifeapis")
	var bars []string
	var finished int
	rep, err := execution.RunTaskBench(context.Background(), dir, 6, func(reg *tool.Registry) (*planner.Planner, error) { return planner.New(reg) },
		func(name string, total int) (func(int, int), func()) {
			bars = append(bars, fmt.Sprintf("%s/%d", name, total))
			return func(int, int) {}, func() { finished++ }
		})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dataset != "dailylifeapis" || rep.Requests != 6 || rep.Planned == 0 || rep.Succeeded != rep.Planned {
		t.Errorf("report %+v", rep)
	}
	if len(bars) != 1 || bars[0] != "dailylifeapis/6" || finished != 1 {
		t.Errorf("progress %v, finished %d", bars, finished)
	}
	want := errors.New("no planner")
	if _, err := execution.RunTaskBench(context.Background(), dir, 6, func(*tool.Registry) (*planner.Planner, error) { return nil, want }, nil); err != want {
		t.Errorf("planner error: %v", err)
	}
	if _, err := execution.RunTaskBench(context.Background(), "", 6, nil, nil); err == nil {
		t.Error("no directory accepted")
	}
}
