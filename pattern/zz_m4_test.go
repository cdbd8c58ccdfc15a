package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZMatch4(t *testing.T) {
	req := os.Getenv("M4REQ")
	if req == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	all := p.ex.Extract(req)
	for _, c := range splitClauses(req, all, p.isVerb) {
		t.Logf("clause %q slots=%v", c.text, c.slots)
		for _, cd := range p.match(c, "") {
			ti := p.tools[cd.tool]
			b := &builder{p: p, request: req}
			args, _, ok, why := b.fill(ti, c, "", 0)
			if os.Getenv("M4TOOL") == ti.tool.Name {
				for pi := range ti.params {
					for _, s := range c.slots {
						t.Logf("    %s <- %q: score=%.2f fits=%q", ti.params[pi].Name, s.Text, b.slotScore(ti, &ti.params[pi], s, c, ""), slotFits(&ti.params[pi], s, req))
					}
				}
			}
			t.Logf("  %s rank=%.2f nouns=%.2f name=%.2f verb=%v fill ok=%v args=%v why=%s", ti.tool.Name, cd.rank, cd.nouns, cd.name, cd.verb, ok, args, why)
		}
	}
}
