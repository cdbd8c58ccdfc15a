package pattern

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	planq "github.com/planwise/planwise/query"

	"github.com/planwise/planwise/tool"
)

// TestZZTrace dumps per-clause candidate traces for BFCL questions (analysis only).
func TestZZTrace(t *testing.T) {
	out := os.Getenv("TRACE_OUT")
	if out == "" {
		t.Skip("TRACE_OUT not set")
	}
	dir := filepath.Join(sharedData(t), "bfcl-live")
	type q struct {
		set string
		tool.BFCLQuestion
	}
	var qs []q
	var lists [][]*tool.Tool
	for _, set := range []string{"live_simple", "live_multiple", "live_irrelevance"} {
		b, err := os.ReadFile(filepath.Join(dir, "BFCL_v4_"+set+".json"))
		if err != nil {
			t.Fatal(err)
		}
		bq, err := tool.ParseBFCLQuestions(b, set)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range bq {
			qs = append(qs, q{set, x})
			lists = append(lists, x.Tools)
		}
	}
	union, _ := tool.UnionTools(lists...)
	mode := os.Getenv("TRACE_CATALOG")
	var reg *tool.Registry
	var p *Pattern
	if mode != "question" {
		var err error
		reg, err = (*tool.Registry)(nil).Merge(append(tool.Builtins(), union...)...)
		if err != nil {
			t.Fatal(err)
		}
		p = NewPattern(reg, WithClock(testNow))
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for _, x := range qs {
		pp := p
		if mode == "question" {
			r, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), x.Tools...)...)
			if err != nil {
				t.Fatal(err)
			}
			pp = NewPattern(r, WithClock(testNow))
		}
		type cand struct {
			Tool  string  `json:"tool"`
			Score float64 `json:"score"`
			Rank  float64 `json:"rank"`
			Core  float64 `json:"core"`
			Fam   bool    `json:"fam"`
		}
		type cl struct {
			Text      string `json:"text"`
			Condition bool   `json:"condition,omitempty"`
			Context   bool   `json:"context,omitempty"`
			Cands     []cand `json:"cands"`
		}
		rec := struct {
			ID      string `json:"id"`
			Set     string `json:"set"`
			Request string `json:"request"`
			Clauses []cl   `json:"clauses"`
			Plan    any    `json:"plan,omitempty"`
			Err     string `json:"err,omitempty"`
		}{ID: x.ID, Set: x.set, Request: x.Request}
		prev := ""
		for _, c := range pp.clauses(x.Request) {
			c2 := cl{Text: c.text, Condition: c.condition, Context: c.context}
			m := pp.match(c, prev)
			prev = c.text
			for k, cd := range m {
				if k >= 6 {
					break
				}
				c2.Cands = append(c2.Cands, cand{pp.tools[cd.tool].tool.Name, cd.score, cd.rank, cd.core, k > 0 && pp.sameFamily(m[0].tool, cd.tool)})
			}
			rec.Clauses = append(rec.Clauses, c2)
		}
		pl, err := pp.Plan(context.Background(), planq.New(x.Request))
		if err != nil {
			rec.Err = err.Error()
		} else {
			rec.Plan = pl
		}
		if err := enc.Encode(rec); err != nil {
			t.Fatal(err)
		}
	}
}
