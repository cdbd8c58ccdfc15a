package pattern

import (
	"os"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func TestZZClauses(t *testing.T) {
	req := os.Getenv("CREQ")
	if req == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	q := planq.New(req)
	_ = q
	all := p.ex.Extract(req)
	for _, c := range splitClauses(req, all, p.isVerb) {
		t.Logf("%q asks=%v context=%v meta=%v cond=%v states=%v refers=%v", c.text, c.asks, c.context, c.meta, c.condition, c.states, c.refers)
	}
}
