package pattern

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// ZZDebug: DEBUG_TOOLS=a.yaml,b.yaml DEBUG_REQ="r1|r2" DEBUG_NOW=2027-10-14
func TestZZDebug(t *testing.T) {
	reqs := os.Getenv("DEBUG_REQ")
	if reqs == "" {
		t.Skip()
	}
	var paths []string
	if s := os.Getenv("DEBUG_TOOLS"); s != "" {
		paths = strings.Split(s, ",")
	}
	ts, err := tool.LoadPaths(paths...)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), ts...)...)
	if err != nil {
		t.Fatal(err)
	}
	clock := testNow
	if s := os.Getenv("DEBUG_NOW"); s != "" {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		clock = func() time.Time { return d.Add(10 * time.Hour) }
	}
	p := NewPattern(reg, WithClock(clock))
	for _, r := range strings.Split(reqs, "|") {
		pl, err := p.Plan(context.Background(), planq.New(r))
		if err != nil {
			t.Logf("\nREFUSED %q: %v", r, err)
			continue
		}
		t.Logf("\nPLAN %q: %s", r, pl.JSON())
	}
}
