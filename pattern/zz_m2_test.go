package pattern

import (
	"os"
	"strings"
	"testing"
)

func TestZZMatch2(t *testing.T) {
	req := os.Getenv("M2REQ")
	if req == "" {
		t.Skip()
	}
	p := newTestPattern(t, trainingTools()...)
	all := p.ex.Extract(req)
	for _, c := range splitClauses(req, all, p.isVerb) {
		t.Logf("clause %q slots=%v", c.text, c.slots)
		t.Logf("q=%+v", query(c.text, p.isVerb, true))
		for _, cd := range p.match(c, "") {
			t.Logf("  %s %+v", p.tools[cd.tool].tool.Name, cd)
		}
	}
	_ = strings.Split
}

func TestZZTerms2(t *testing.T) {
	if os.Getenv("M2REQ") == "" {
		t.Skip()
	}
	p := newTestPattern(t, trainingTools()...)
	t.Logf("terms(run)=%v terms(swim)=%v isVerb(run)=%v", terms("run"), terms("swim"), p.isVerb("run"))
	for i := range p.tools {
		t.Logf("%s score=%+v", p.tools[i].tool.Name, p.ix.score(i, addTerm(nil, "run")))
	}
}
