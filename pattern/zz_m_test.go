package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZMatch(t *testing.T) {
	req := os.Getenv("MREQ")
	if req == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	all := p.ex.Extract(req)
	for _, c := range splitClauses(req, all, p.isVerb) {
		t.Logf("clause %q", c.text)
		for _, cd := range p.match(c, "") {
			t.Logf("  %-28s score=%.2f rank=%.2f core=%.2f nouns=%.2f name=%.2f verb=%v", p.tools[cd.tool].tool.Name, cd.score, cd.rank, cd.core, cd.nouns, cd.name, cd.verb)
		}
	}
}
