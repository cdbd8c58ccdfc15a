package pattern

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"

	"github.com/planwise/planwise/tool"
)

// TestZZDebug prints the clauses, slots, candidates and plan of DEBUG_REQ over DEBUG_TOOLS
// (analysis only).
func TestZZDebug(t *testing.T) {
	req := os.Getenv("DEBUG_REQ")
	if req == "" {
		t.Skip()
	}
	var tools []*tool.Tool
	if os.Getenv("DEBUG_NOBUILTINS") == "" {
		tools = tool.Builtins()
	}
	for _, f := range strings.Split(os.Getenv("DEBUG_TOOLS"), ",") {
		if f == "" {
			continue
		}
		ts, err := tool.LoadPaths(f)
		if err != nil {
			t.Fatal(err)
		}
		tools = append(tools, ts...)
	}
	if os.Getenv("DEBUG_UNION") != "" {
		var lists [][]*tool.Tool
		for _, set := range []string{"live_simple", "live_multiple", "live_irrelevance"} {
			b, err := os.ReadFile("/work/shared/data/bfcl-live/BFCL_v4_" + set + ".json")
			if err != nil {
				t.Fatal(err)
			}
			bq, err := tool.ParseBFCLQuestions(b, set)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range bq {
				lists = append(lists, x.Tools)
			}
		}
		u, _ := tool.UnionTools(lists...)
		tools = append(tools, u...)
	}
	reg, err := (*tool.Registry)(nil).Merge(tools...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, s := range p.extract(req) {
		fmt.Printf("slot %-10s %q -> %q\n", s.Kind, s.Text, s.Value)
	}
	prev := ""
	for _, c := range p.clauses(req) {
		fmt.Printf("clause %q cond=%v ctx=%v ordered=%v refers=%v asks=%v meta=%v states=%v test=%v\n", c.text, c.condition, c.context, c.ordered, c.refers, c.asks, c.meta, c.states, c.test)
		for k, cd := range p.match(c, prev) {
			if k < 5 {
				fmt.Printf("    %-40s score %.2f rank %.2f core %.2f\n", p.tools[cd.tool].tool.Name, cd.score, cd.rank, cd.core)
			}
		}
		prev = c.text
	}
	all := p.extract(req)
	b := &builder{p: p, request: req, all: all}
	prev = ""
	for _, c := range splitClauses(req, all, p.isVerb) {
		if c.condition || c.context {
			prev = c.text
			continue
		}
		cands := p.match(c, prev)
		prev = c.text
		if len(cands) > 0 {
			fmt.Printf("addClause %q: why=%q\n", c.text, b.addClause(c, cands))
		}
	}
	if r, err := p.plan(context.Background(), req); err == nil {
		for _, e := range r.evidence {
			fmt.Printf("EVIDENCE %+v\n", e)
		}
	}
	pl, un, err := p.PlanPartial(context.Background(), planq.New(req))
	if err != nil {
		fmt.Println("ERR", err)
		return
	}
	fmt.Println("UNPLANNED", un)
	fmt.Println(string(pl.JSON()))
}
