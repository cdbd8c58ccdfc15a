package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZTerms(t *testing.T) {
	if os.Getenv("TWORDS") == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	for _, w := range strings.Fields(os.Getenv("TWORDS")) {
		t.Logf("%s -> %v", w, terms(w))
		for _, ti := range p.tools {
			if p.docHas(ti, w) && strings.Contains(ti.tool.Name, os.Getenv("TTOOL")) {
				t.Logf("  %s has %s", ti.tool.Name, w)
			}
		}
	}
}
