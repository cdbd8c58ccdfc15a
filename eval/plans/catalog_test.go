package plans

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/internal/shareddata"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func catalogRegistry(t *testing.T, file string) *tool.Registry {
	t.Helper()
	tools, err := tool.LoadPath(file)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestGoldAgainstCatalogs checks that the loaders and the importers in package tool agree
// on names: every TaskBench gold plan validates against the registry imported from the
// same tool_desc.json, and every NESTFUL gold tool exists in its *-spec.json. (NESTFUL's
// gold calls do not all match their own specs, argument for argument; those
// inconsistencies are the data's and are logged, not failed.)
func TestGoldAgainstCatalogs(t *testing.T) {
	root := shareddata.Shared(t)
	for _, domain := range []string{"dailylifeapis", "multimedia", "huggingface"} {
		dir := filepath.Join(root, "taskbench", domain)
		samples, err := dataset.LoadTaskBench(dir)
		if err != nil {
			t.Fatal(err)
		}
		reg := catalogRegistry(t, filepath.Join(dir, dataset.TaskBenchTools))
		for _, s := range samples {
			if err := plan.Validate(s.Plan(), reg); err != nil {
				t.Errorf("%s/%s: gold plan invalid against tool_desc.json: %v", domain, s.ID, err)
			}
		}
	}
	sets, err := dataset.FindNESTFULSets(filepath.Join(root, "nestful"))
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range sets {
		samples, err := dataset.LoadNESTFUL(set.Data)
		if err != nil {
			t.Fatal(err)
		}
		reg := catalogRegistry(t, set.Spec)
		codes := map[string]int{}
		for _, s := range samples {
			for i, g := range s.Gold {
				if _, ok := reg.Get(g.Tool); !ok {
					t.Errorf("%s step %d: tool %q is not in %s", s.ID, i, g.Tool, set.Spec)
				}
			}
			if ve, ok := plan.AsValidationError(plan.Validate(s.Plan(), reg)); ok {
				codes["invalid"]++
				for _, c := range ve.Codes() {
					codes[c]++
				}
			}
		}
		t.Logf("%s: %d samples; gold plans failing their own spec, by issue code: %v", set.Name, len(samples), codes)
	}
}

// oracle answers every request with its gold plan.
type oracle map[string]*plan.Plan

func (o oracle) Plan(_ context.Context, q query.Query) (*plan.Plan, error) {
	request := q.Text
	p, ok := o[request]
	if !ok {
		return nil, errors.New("no gold plan for this request")
	}
	return p.Clone(), nil
}

// TestRunOracleTaskBench runs the gold plans through Run against the imported catalogues:
// every plan must validate and score perfectly, pooled scores included.
func TestRunOracleTaskBench(t *testing.T) {
	root := shareddata.Shared(t)
	for _, domain := range []string{"dailylifeapis", "multimedia", "huggingface"} {
		dir := filepath.Join(root, "taskbench", domain)
		samples, err := dataset.LoadTaskBench(dir)
		if err != nil {
			t.Fatal(err)
		}
		o := oracle{}
		for _, s := range samples {
			o[s.Request] = s.Plan()
		}
		rep, err := Run(context.Background(), o, catalogRegistry(t, filepath.Join(dir, dataset.TaskBenchTools)), samples, RunOptions{Dataset: domain})
		if err != nil {
			t.Fatal(err)
		}
		if rep.ValidRate != 1 || rep.NodeF1 != 1 || rep.EdgeF1 != 1 || rep.ArgNameF1 != 1 || rep.ArgValueF1 != 1 || rep.EditDistance != 0 {
			t.Errorf("%s: oracle report %+v", domain, rep)
		}
		if tb := rep.TaskBench; tb.NodeF1 != 1 || tb.EdgeF1 != 1 || tb.ArgNameF1 != 1 || tb.ArgValueF1 != 1 || tb.EditDistance != 0 {
			t.Errorf("%s: oracle pooled %+v", domain, tb)
		}
	}
}
