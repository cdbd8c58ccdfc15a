package pattern

import (
	"context"
	"os"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"
)

func TestZZTrain(t *testing.T) {
	req := os.Getenv("TRREQ")
	if req == "" {
		t.Skip()
	}
	p := newTestPattern(t, trainingTools()...)
	for _, r := range strings.Split(req, "|") {
		pl, err := p.Plan(context.Background(), planq.New(r))
		if err != nil {
			t.Logf("REFUSED %q: %v", r, err)
			continue
		}
		t.Logf("PLAN %q: %s", r, pl.JSON())
	}
}
