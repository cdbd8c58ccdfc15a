package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZSlots(t *testing.T) {
	req := os.Getenv("SREQ")
	if req == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	for _, r := range strings.Split(req, "|") {
		for _, s := range p.ex.Extract(r) {
			t.Logf("%q: %+v", r, s)
		}
	}
}
