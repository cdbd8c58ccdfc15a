package pattern

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// FuzzPatternPlan: Plan never panics, and any plan it returns validates; otherwise the
// error wraps plan.ErrCannotPlan.
func FuzzPatternPlan(f *testing.F) {
	daily := dailyLife(f)
	nestful := loadRegistry(f, filepath.Join(sharedData(f), "nestful", "executable-spec.json"))
	// The hand-written catalogues of the newcomer tests, whose examples turn on value
	// readers the others do not (names with numbers, "every ... when left out").
	ts, err := tool.LoadPaths("testdata/farm.yaml", "testdata/brewery.yaml", "testdata/legal.yaml", "testdata/kitchen.yaml")
	if err != nil {
		f.Fatal(err)
	}
	own, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), ts...)...)
	if err != nil {
		f.Fatal(err)
	}
	planners := []struct {
		reg *tool.Registry
		p   *Pattern
	}{
		{daily, NewPattern(daily, WithClock(testNow))},
		{nestful, NewPattern(nestful, WithClock(testNow))},
		{own, NewPattern(own, WithClock(testNow))},
	}
	for _, s := range []string{
		"Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation",
		"Get the weather in Paris for tomorrow and email it to bob@example.com",
		"Can you install the 'example_software' for me, and then wake me up at 08:00?",
		"and then, then and. 'unterminated , also once after that finally",
		"send it to them then share that",
		"\xff\xfe Book 2026-02-30 at 25:00 +1 (555",
	} {
		f.Add(s)
	}
	f.Add("Find flights from New York to London on August 15, 2024 and get me details, reviews and offers for it")
	f.Add("40 irrigation on River Paddock for 30 minutes, then stop watering the north 40")
	f.Fuzz(func(t *testing.T, req string) {
		for _, x := range planners {
			pl, err := x.p.Plan(context.Background(), planq.New(req))
			if err != nil {
				if !errors.Is(err, plan.ErrCannotPlan) {
					t.Fatalf("error %v does not wrap plan.ErrCannotPlan", err)
				}
				continue
			}
			if verr := plan.Validate(pl, x.reg); verr != nil {
				t.Fatalf("Plan(%q) returned an invalid plan: %v", req, verr)
			}
		}
	})
}
