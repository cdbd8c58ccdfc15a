package plans_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/eval/plans"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// TestOfflinePatternNESTFUL runs the real offline pattern planner over both NESTFUL sets
// and checks that the report is well formed and consistent with its per-sample results.
// The scores are logged (go test -v -run OfflinePattern ./eval/plans), not asserted: they
// measure the planner, not eval.
func TestOfflinePatternNESTFUL(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data", "nestful")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("NESTFUL data not found at %s (see ../shared/data/README.md): %v", dir, err)
	}
	sets, err := dataset.FindNESTFULSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	var reports []*plans.Report
	for _, set := range sets {
		samples, err := dataset.LoadNESTFUL(set.Data)
		if err != nil {
			t.Fatal(err)
		}
		tools, err := tool.LoadPath(set.Spec)
		if err != nil {
			t.Fatal(err)
		}
		reg, err := tool.NewRegistry(tools...)
		if err != nil {
			t.Fatal(err)
		}
		progress := 0
		rep, err := plans.Run(context.Background(), pattern.NewPattern(reg), reg, samples, plans.RunOptions{
			Dataset:  "nestful/" + set.Name,
			Planner:  "offline-pattern",
			Progress: func(done, total int) { progress = done },
			Classify: func(err error) string {
				if errors.Is(err, plan.ErrCannotPlan) {
					return "cannot_plan"
				}
				return ""
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		checkWellFormed(t, rep, samples, reg)
		if progress != len(samples) {
			t.Errorf("%s: progress reached %d of %d", set.Name, progress, len(samples))
		}
		if rep.Errors[plans.ErrorKindPanic] > 0 {
			t.Errorf("%s: the pattern planner panicked on %d samples", set.Name, rep.Errors[plans.ErrorKindPanic])
		}
		if n := rep.Errors[plans.ErrorKindInvalid]; n > 0 {
			t.Logf("%s: the pattern planner returned %d plans that fail plan.Validate", set.Name, n)
		}
		t.Logf("%s: %d samples, valid %.3f, node-F1 %.3f, edge-F1 %.3f, arg-name-F1 %.3f, arg-value-F1 %.3f, edit %.3f; pooled node %.3f edge %.3f name %.3f value %.3f; errors %v; p50 %.2f ms p95 %.2f ms; %d ms",
			set.Name, rep.Samples, rep.ValidRate, rep.NodeF1, rep.EdgeF1, rep.ArgNameF1, rep.ArgValueF1, rep.EditDistance,
			rep.TaskBench.NodeF1, rep.TaskBench.EdgeF1, rep.TaskBench.ArgNameF1, rep.TaskBench.ArgValueF1,
			rep.Errors, rep.Latency.P50, rep.Latency.P95, rep.DurationMS)
		reports = append(reports, rep)
	}
	all := plans.Combine("nestful", reports...)
	if all.Samples != reports[0].Samples+reports[1].Samples || len(all.Sets) != 2 {
		t.Errorf("combined report: %d samples, %d sets", all.Samples, len(all.Sets))
	}
	t.Logf("nestful: %d samples, valid %.3f, node-F1 %.3f, edge-F1 %.3f, arg-name-F1 %.3f, arg-value-F1 %.3f, edit %.3f",
		all.Samples, all.ValidRate, all.NodeF1, all.EdgeF1, all.ArgNameF1, all.ArgValueF1, all.EditDistance)
}

func checkWellFormed(t *testing.T, rep *plans.Report, samples []dataset.Sample, reg *tool.Registry) {
	t.Helper()
	if rep.Samples != len(samples) || len(rep.Results) != len(samples) {
		t.Fatalf("%s: %d samples, %d results, want %d", rep.Dataset, rep.Samples, len(rep.Results), len(samples))
	}
	misses := 0
	for _, n := range rep.Errors {
		misses += n
	}
	if rep.Valid+misses != rep.Samples {
		t.Errorf("%s: valid %d + misses %v != %d", rep.Dataset, rep.Valid, rep.Errors, rep.Samples)
	}
	var node float64
	for i, r := range rep.Results {
		if r.ID != samples[i].ID {
			t.Fatalf("%s: result %d is %s, want %s", rep.Dataset, i, r.ID, samples[i].ID)
		}
		node += r.NodeF1
		if r.Valid {
			if err := plan.Validate(r.Plan, reg); err != nil {
				t.Errorf("%s: counted valid but fails validation: %v", r.ID, err)
			}
		} else if r.NodeF1 != 0 || r.EditDistance != 1 || r.ErrorKind == "" {
			t.Errorf("%s: a miss scored %+v (kind %q)", r.ID, r.Scores, r.ErrorKind)
		}
	}
	if got := node / float64(len(samples)); got-rep.NodeF1 > 1e-9 || rep.NodeF1-got > 1e-9 {
		t.Errorf("%s: node F1 %v is not the mean of the samples' %v", rep.Dataset, rep.NodeF1, got)
	}
	for _, v := range []float64{rep.ValidRate, rep.NodeF1, rep.EdgeF1, rep.ArgNameF1, rep.ArgValueF1, rep.EditDistance,
		rep.TaskBench.NodeF1, rep.TaskBench.EdgeF1, rep.TaskBench.ArgNameF1, rep.TaskBench.ArgValueF1, rep.TaskBench.EditDistance} {
		if v < 0 || v > 1 {
			t.Errorf("%s: score %v outside [0, 1]", rep.Dataset, v)
		}
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatalf("%s: report does not encode: %v", rep.Dataset, err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"samples", "valid_rate", "node_f1", "edge_f1", "arg_name_f1", "arg_value_f1", "edit_distance", "dataset", "planner", "errors", "duration_ms", "taskbench", "latency_ms"} {
		if _, ok := back[k]; !ok {
			t.Errorf("%s: report JSON lacks %q", rep.Dataset, k)
		}
	}
}
