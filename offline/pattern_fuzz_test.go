package offline

import (
	"context"
	"errors"
	"testing"

	"github.com/planwise/planwise/plan"
)

// FuzzPatternPlan: Plan never panics, and any plan it returns validates; otherwise the
// error wraps ErrCannotPlan.
func FuzzPatternPlan(f *testing.F) {
	reg := dailyLife(f)
	p := NewPattern(reg, WithClock(testNow))
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
	f.Fuzz(func(t *testing.T, req string) {
		pl, err := p.Plan(context.Background(), req)
		if err != nil {
			if !errors.Is(err, ErrCannotPlan) {
				t.Fatalf("error %v does not wrap ErrCannotPlan", err)
			}
			return
		}
		if verr := plan.Validate(pl, reg); verr != nil {
			t.Fatalf("Plan(%q) returned an invalid plan: %v", req, verr)
		}
	})
}
