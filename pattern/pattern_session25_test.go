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

// TestTurnIsSwitch: "turn on international roaming for Ben" went to the autopay tool,
// whose description says "Turn autopay on or off", and was refused for its missing
// setting; the roaming tool says "Switch ... on or off". To turn a thing on is to switch
// it on (or toggle it).
func TestTurnIsSwitch(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("bills.setAutopay", "Turn autopay on or off. With autopay the full balance is paid on each due date from the card or bank account on file.",
			`{"type":"object","properties":{"enabled":{"type":"boolean"}},"required":["enabled"]}`),
		testTool("roaming.setInternational", "Switch international roaming on or off for a line.",
			`{"type":"object","properties":{"line":{"type":"string","description":"Phone number or nickname"},"enabled":{"type":"boolean"}},"required":["enabled"]}`),
		testTool("usage.getLine", "Data, minutes and texts used this cycle on a line.",
			`{"type":"object","properties":{"line":{"type":"string","description":"Phone number or nickname"}}}`))...)
	wantCalls(t, p, map[string]string{
		"turn on international roaming for Ben": "roaming.setInternational(enabled=true line=Ben)",
		"turn roaming off for Ben":              "roaming.setInternational(enabled=false line=Ben)",
		"toggle roaming on for Ben":             "roaming.setInternational(enabled=true line=Ben)",
		"turn on autopay":                       "bills.setAutopay(enabled=true)",
	}, "enabled", "line")
}
