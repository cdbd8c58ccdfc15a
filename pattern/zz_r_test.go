package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZRespell(t *testing.T) {
	if os.Getenv("RWORDS") == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	for _, w := range strings.Split(os.Getenv("RWORDS"), ",") {
		_, known := p.ix.idf[w]
		t.Logf("%s -> %q known=%v terms=%v", w, p.ix.respelled(w), known, terms(w))
	}
}
