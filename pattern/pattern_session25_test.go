package pattern

import (
	"context"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// TestTiedReadingsSameEveryRun: "book a haircut for saturday morning" over the
// daily-life catalogue fits book_hotel and book_restaurant alike, and the refusal named
// them in either order, run to run: the fit of a reading was a sum taken in a map's
// order, whose last bits differ. The same request gets the same answer every time.
func TestTiedReadingsSameEveryRun(t *testing.T) {
	reg, err := dailyLife(t).Merge(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	const req = "book a haircut for saturday morning"
	first := ""
	for i := range 60 {
		_, err := p.Plan(context.Background(), planq.New(req))
		if err == nil {
			t.Fatalf("%q: want a refusal (two bookings fit alike)", req)
		}
		if i == 0 {
			first = err.Error()
			continue
		}
		if err.Error() != first {
			t.Fatalf("%q: run %d answered %q, run 1 %q", req, i+1, err, first)
		}
	}
}
