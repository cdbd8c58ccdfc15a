package pattern

import (
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZExamples(t *testing.T) {
	if os.Getenv("ETOOL") == "" {
		t.Skip()
	}
	ts, _ := tool.LoadPaths(strings.Split(os.Getenv("DEBUG_TOOLS"), ",")...)
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	for _, ti := range p.tools {
		if ti.tool.Name != os.Getenv("ETOOL") {
			continue
		}
		for _, pr := range ti.params {
			t.Logf("%s kind=%v examples=%q phrases=%q idLike=%v entity=%v whole=%v free=%v", pr.Name, pr.kind, pr.examples, pr.phrases, pr.idLike, pr.entity, pr.whole, pr.free)
		}
	}
}
