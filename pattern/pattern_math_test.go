package pattern

import (
	"context"
	"encoding/json"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// TestMathValues: the coefficients of a written-out equation go to the parameters by
// power (the 2 of "x^2" is no coefficient), a radius in centimetres is a radius, and a
// percentage for a rate "as a decimal" is a fraction.
func TestMathValues(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("solve_quadratic", "Find the roots of a quadratic equation.",
			`{"type":"object","properties":{"a":{"type":"integer","description":"Coefficient of x^2."},"b":{"type":"integer","description":"Coefficient of x."},"c":{"type":"integer","description":"Constant term."}},"required":["a","b","c"]}`),
		testTool("circle_area", "Calculate the area of a circle given its radius.",
			`{"type":"object","properties":{"radius":{"type":"number","description":"The radius of the circle."}},"required":["radius"]}`),
		testTool("compound_interest", "Calculate compound interest on an investment.",
			`{"type":"object","properties":{"principal":{"type":"integer","description":"The initial amount."},"rate":{"type":"number","description":"The annual interest rate as a decimal."},"years":{"type":"integer","description":"Number of years."}},"required":["principal","rate","years"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"Find the roots of x^2 + 4x + 4 = 0": `{"a":1,"b":4,"c":4}`,
		"solve 2x^2 - 3x = 0":                `{"a":2,"b":-3,"c":0}`,
		"Find the roots of a quadratic equation with coefficients a=1, b=-3, c=2":        `{"a":1,"b":-3,"c":2}`,
		"Find the roots of 3x^2 + 2.5x - 1 = 0":                                          "", // 2.5 is no integer coefficient
		"What's the area of a circle whose radius is 3.5 cm?":                            `{"radius":3.5}`,
		"Calculate the compound interest on $10000 at an annual rate of 5% for 10 years": `{"principal":10000,"rate":0.05,"years":10}`,
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if want == "" {
			if err == nil {
				t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
			}
			continue
		}
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		got, _ := json.Marshal(pl.Steps[0].Args)
		if string(got) != want {
			t.Errorf("%q: args %s, want %s", req, got, want)
		}
	}
}

// TestTitlesEndAtValues: a title ends where a date, a time or an address is introduced,
// and e-mail addresses fill a list of attendees' addresses.
func TestTitlesEndAtValues(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("calendar.create_event", "Create a calendar event.",
			`{"type":"object","properties":{"title":{"type":"string","description":"Event title"},"date":{"type":"string","format":"date","description":"Event date"},"time":{"type":"string","description":"Start time HH:MM"},"attendees":{"type":"array","items":{"type":"string"},"description":"E-mail addresses of the attendees"}},"required":["title","date"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"schedule a meeting called Budget review on 2026-12-10 at 14:00 with ann@example.com":        `{"attendees":["ann@example.com"],"date":"2026-12-10","time":"14:00","title":"Budget review"}`,
		"create an event called Launch party on 2026-12-18 with ann@example.com and bob@example.com": `{"attendees":["ann@example.com","bob@example.com"],"date":"2026-12-18","title":"Launch party"}`,
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		if got, _ := json.Marshal(pl.Steps[0].Args); string(got) != want {
			t.Errorf("%q: args %s, want %s", req, got, want)
		}
	}
}

// TestMessageAfterItsCue: a note's text follows "with the text", not "titled".
func TestMessageAfterItsCue(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("notes.create", "Create a note.",
			`{"type":"object","properties":{"title":{"type":"string","description":"Note title"},"content":{"type":"string","description":"Note text"}},"required":["content"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("create a note titled Ideas with the text try the new pasta place"))
	if err != nil || pl.Steps[0].Args["content"] != "try the new pasta place" || pl.Steps[0].Args["title"] != "Ideas" {
		t.Errorf("%v %v", err, pl)
	}
}

// TestWordForms: "a dermatologist" is the example "dermatology", and a tool that
// "summarises" is asked to "summarize".
func TestWordForms(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("doctor.book_appointment", "Book an appointment with a doctor.",
			`{"type":"object","properties":{"specialty":{"type":"string","description":"Specialty, e.g. dermatology, cardiology"},"date":{"type":"string","format":"date","description":"Appointment date"}},"required":["specialty","date"]}`),
		testTool("fitness.weekly_summary", "Summarise the workouts of a week.",
			`{"type":"object","properties":{"week_start":{"type":"string","format":"date","description":"Monday of the week"}},"required":["week_start"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	pl, err := p.Plan(context.Background(), planq.New("book a dermatologist for 2026-12-15"))
	if err != nil || pl.Steps[0].Args["specialty"] != "dermatology" {
		t.Errorf("dermatologist: %v %v", err, pl)
	}
	pl, err = p.Plan(context.Background(), planq.New("summarize my workouts for the week of 2026-11-30"))
	if err != nil || pl.Steps[0].Tool != "fitness.weekly_summary" {
		t.Errorf("summarize: %v %v", err, pl)
	}
	for _, tc := range []struct {
		w, e string
		want bool
	}{{"dermatologist", "dermatology", true}, {"cardiologist", "cardiology", true}, {"cyclist", "cycling", false}, {"running", "run", false}} {
		if got := sameStem(tc.w, tc.e); got != tc.want {
			t.Errorf("sameStem(%q, %q) = %v", tc.w, tc.e, got)
		}
	}
	if !lowerExamples(&paramInfo{examples: []string{"running", "cycling"}, Param: tool.Param{Description: "Activity, e.g. running, cycling"}}) {
		t.Error("running, cycling are lower-case examples")
	}
}

// TestTitleBeforeADateReference: "called Trip on the same day" is titled Trip.
func TestTitleBeforeADateReference(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("flight.book", "Book a flight.",
			`{"type":"object","properties":{"destination":{"type":"string","description":"Destination city"},"date":{"type":"string","format":"date","description":"Flight date"}},"required":["destination","date"]}`),
		testTool("calendar.create_event", "Create a calendar event.",
			`{"type":"object","properties":{"title":{"type":"string","description":"Event title"},"date":{"type":"string","format":"date","description":"Event date"}},"required":["title","date"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("book a flight to Rome on 2027-01-10 and create a calendar event called Trip on the same day"))
	if err != nil || len(pl.Steps) != 2 || pl.Steps[1].Args["title"] != "Trip" || pl.Steps[1].Args["date"] != "2027-01-10" {
		t.Errorf("%v %v", err, pl)
	}
}

// TestTopicAfterIn: "the news in technology today" is about technology; "in Paris" would
// be a place, not a topic.
func TestTopicAfterIn(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("get_news_for_topic", "Get the news for a specific topic",
			`{"type":"object","properties":{"topic":{"type":"string","description":"The topic to get the news for"}},"required":["topic"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("what's the news in technology today"))
	if err != nil || pl.Steps[0].Args["topic"] != "technology" {
		t.Errorf("%v %v", err, pl)
	}
}
