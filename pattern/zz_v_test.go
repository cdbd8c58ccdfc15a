package pattern

import (
	"testing"
	"time"

	"github.com/planwise/planwise/tool"
)

func TestZZVerb(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	t.Log("vocab", len(p.ix.spelled))
	start := time.Now()
	n := 20000
	for i := 0; i < n; i++ {
		p.ix.respelled("perscriptions")
	}
	t.Logf("respelled %v each", time.Since(start)/time.Duration(n))
}
