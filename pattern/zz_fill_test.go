package pattern

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZFill(t *testing.T) {
	req := os.Getenv("FILL_REQ")
	if req == "" {
		t.Skip()
	}
	tools := tool.Builtins()
	for _, f := range strings.Split(os.Getenv("DEBUG_TOOLS"), ",") {
		if f == "" {
			continue
		}
		ts, err := tool.LoadPaths(f)
		if err != nil {
			t.Fatal(err)
		}
		tools = append(tools, ts...)
	}
	reg, _ := (*tool.Registry)(nil).Merge(tools...)
	p := NewPattern(reg, WithClock(testNow))
	all := p.extract(req)
	b := &builder{p: p, request: req, all: all}
	for _, c := range splitClauses(req, all, p.isVerb) {
		for _, cd := range p.match(c, "") {
			ti := p.tools[cd.tool]
			if ti.tool.Name != os.Getenv("FILL_TOOL") {
				continue
			}
			for pi := range ti.params {
				pr := &ti.params[pi]
				fmt.Printf("param %s kind=%v roles=%v entity=%v idLike=%v free=%v whole=%v\n", pr.Name, pr.kind, pr.roles, pr.entity, pr.idLike, pr.free, pr.whole)
				for _, s := range c.slots {
					fmt.Printf("   slot %s %q score=%.2f fits=%q\n", s.Kind, s.Text, b.slotScore(ti, pr, s, c, ""), slotFits(pr, s, req))
				}
			}
			args, src, ok, why := b.fill(ti, c, "", 0)
			fmt.Println("fill", args, src, ok, why)
			if ok {
				a2, why2 := b.judge(ti, c, args, src)
				fmt.Println("judge", a2, why2)
			}
		}
	}
}
