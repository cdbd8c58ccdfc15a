package pattern

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	eval "github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/tool"
)

// TestZZEvidence dumps, for every sample of the dev sets, the planner's evidence per step
// with the gold tools (analysis only; EVID_OUT names the output file).
func TestZZEvidence(t *testing.T) {
	out := os.Getenv("EVID_OUT")
	if out == "" {
		t.Skip()
	}
	data := sharedData(t)
	type set struct {
		name    string
		samples []eval.Sample
		tools   []*tool.Tool
		now     time.Time
		perQ    bool
	}
	var sets []set
	// BFCL, per question and union.
	bsets, err := eval.FindBFCLSets(filepath.Join(data, "bfcl-live"))
	if err != nil {
		t.Fatal(err)
	}
	var all []eval.Sample
	var lists [][]*tool.Tool
	for _, bs := range bsets {
		ss, err := eval.LoadBFCL(bs)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ss {
			ss[i].ID = bs.Name + "/" + ss[i].ID
			lists = append(lists, ss[i].Tools)
		}
		all = append(all, ss...)
	}
	union, _ := tool.UnionTools(lists...)
	sets = append(sets, set{name: "bfcl-question", samples: all, perQ: true, now: testNow()})
	sets = append(sets, set{name: "bfcl-union", samples: all, tools: union, now: testNow()})
	// NESTFUL.
	ns, _ := eval.FindNESTFULSets(filepath.Join(data, "nestful"))
	for _, n := range ns {
		ss, err := eval.LoadNESTFUL(n.Data)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := tool.LoadPaths(n.Spec)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, set{name: "nestful-" + n.Name, samples: ss, tools: ts, now: testNow()})
	}
	// Hand-written dev cases.
	files, _ := filepath.Glob(os.Getenv("EVID_CASES") + "/*.yaml")
	for _, f := range files {
		cs, ss, err := eval.LoadCases(f)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := tool.LoadPaths(cs.Tools...)
		if err != nil {
			t.Fatal(err)
		}
		now, _ := time.Parse("2006-01-02", cs.Now)
		sets = append(sets, set{name: "cases-" + cs.Name, samples: ss, tools: ts, now: now.Add(12 * time.Hour)})
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for _, st := range sets {
		var shared *Pattern
		if !st.perQ {
			reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), st.tools...)...)
			if err != nil {
				t.Fatal(err)
			}
			now := st.now
			shared = NewPattern(reg, WithClock(func() time.Time { return now }))
		}
		for _, s := range st.samples {
			p := shared
			if st.perQ {
				reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), s.Tools...)...)
				if err != nil {
					t.Fatal(err)
				}
				p = NewPattern(reg, WithClock(testNow))
			}
			var gold []string
			for _, g := range s.Gold {
				gold = append(gold, g.Tool)
			}
			rec := map[string]any{"set": st.name, "id": s.ID, "request": s.Request, "gold": gold, "irrelevant": s.Irrelevant}
			r, err := p.plan(context.Background(), s.Request)
			if err != nil {
				rec["err"] = err.Error()
			} else {
				var tools []string
				for _, x := range r.plan.Steps {
					tools = append(tools, x.Tool)
				}
				rec["tools"] = tools
				rec["steps"] = r.plan.Steps
				rec["unplanned"] = r.unplanned
				rec["evidence"] = r.evidence
			}
			if err := enc.Encode(rec); err != nil {
				t.Fatal(err)
			}
		}
	}
}
