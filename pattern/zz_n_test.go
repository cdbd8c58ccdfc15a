package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZNumberFits(t *testing.T) {
	req := os.Getenv("NREQ")
	if req == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	for _, ti := range p.tools {
		if ti.tool.Name != os.Getenv("NTOOL") {
			continue
		}
		for pi := range ti.params {
			pr := &ti.params[pi]
			for _, s := range p.ex.Extract(req) {
				t.Logf("%s dims=%b %q: fits=%q", pr.Name, pr.dims, s.Text, slotFits(pr, s, req))
			}
		}
	}
}

func TestZZScore(t *testing.T) {
	req := os.Getenv("NREQ")
	if req == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	all := p.ex.Extract(req)
	cs := splitClauses(req, all, p.isVerb)
	b := &builder{p: p, request: req, goal: req, all: all, clauses: cs}
	for _, ti := range p.tools {
		if ti.tool.Name != os.Getenv("NTOOL") {
			continue
		}
		for pi := range ti.params {
			pr := &ti.params[pi]
			for _, s := range cs[0].slots {
				t.Logf("%s %q: score=%.2f", pr.Name, s.Text, b.slotScore(ti, pr, s, cs[0], ""))
			}
		}
		args, src, ok, why := b.fill(ti, cs[0], "", 0)
		t.Logf("fill: %v %v %v %q", args, src, ok, why)
	}
}
