package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZCover(t *testing.T) {
	req := os.Getenv("M5REQ")
	if req == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	all := p.ex.Extract(req)
	for _, c := range splitClauses(req, all, p.isVerb) {
		content := p.contentTerms(c)
		t.Logf("content=%v q=%v", content, query(c.text, p.isVerb, true))
		for _, cd := range p.match(c, "") {
			t.Logf("  %s covers=%v", p.tools[cd.tool].tool.Name, p.covered(cd.tool, content))
		}
	}
}
