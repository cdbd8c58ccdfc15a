package pattern

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// TestZZUnplanned prints the unplanned clauses of every request in UNPL_REQS (JSON lines
// with "request") over UNPL_TOOLS plus the built-ins (analysis only).
func TestZZUnplanned(t *testing.T) {
	file := os.Getenv("UNPL_REQS")
	if file == "" {
		t.Skip()
	}
	tools := tool.Builtins()
	for _, f := range strings.Split(os.Getenv("UNPL_TOOLS"), ",") {
		ts, err := tool.LoadPaths(f)
		if err != nil {
			t.Fatal(err)
		}
		tools = append(tools, ts...)
	}
	reg, err := (*tool.Registry)(nil).Merge(tools...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	b, _ := os.ReadFile(file)
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r struct {
			Request string `json:"request"`
		}
		json.Unmarshal([]byte(line), &r)
		res, err := p.plan(context.Background(), r.Request)
		var pl = (*plan.Plan)(nil)
		var un, why []string
		if res != nil {
			pl, un, why = res.plan, res.unplanned, res.reasons
		}
		if len(un) == 0 && err == nil {
			continue
		}
		var ts []string
		if pl != nil {
			for _, s := range pl.Steps {
				ts = append(ts, s.Tool)
			}
		}
		fmt.Printf("REQ %s\n   planned %v\n", r.Request, ts)
		for i, u := range un {
			fmt.Printf("   UNPLANNED %q: %s\n", u, why[i])
		}
		if err != nil {
			fmt.Printf("   ERR %v\n", err)
		}
	}
}
