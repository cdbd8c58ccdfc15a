package pattern

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

func builtinRegistry(t *testing.T) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// wantStep is one expected step: its tool, exact arguments, and ordering-only edges.
type wantStep struct {
	tool  string
	args  map[string]any
	after []string
}

// TestPatternBuiltinRequests plans requests over the built-in catalog, the embedded
// default with no LLM and no tool files, and checks every step's tool, arguments and
// references.
func TestPatternBuiltinRequests(t *testing.T) {
	reg := builtinRegistry(t)
	p := NewPattern(reg, WithClock(testNow))
	cases := []struct {
		request string
		want    []wantStep
	}{
		{"what time is it in Europe/Paris, then add 90 minutes", []wantStep{
			{tool: "current_time", args: map[string]any{"timezone": "Europe/Paris"}},
			{tool: "add_duration", args: map[string]any{"time": "${s1.iso}", "duration": "90m"}},
		}},
		{"what time is it in Asia/Tokyo", []wantStep{
			{tool: "current_time", args: map[string]any{"timezone": "Asia/Tokyo"}},
		}},
		{"what time is it in Tokyo", []wantStep{
			{tool: "current_time", args: map[string]any{"timezone": "Asia/Tokyo"}},
		}},
		{"what's the time in UTC", []wantStep{
			{tool: "current_time", args: map[string]any{"timezone": "UTC"}},
		}},
		{"calculate (12.5 * 4) + 3", []wantStep{
			{tool: "calculate", args: map[string]any{"expression": "(12.5 * 4) + 3"}},
		}},
		{"what is sqrt(2) * 3", []wantStep{
			{tool: "calculate", args: map[string]any{"expression": "sqrt(2) * 3"}},
		}},
		// Arithmetic in words, as the calculator's own examples put it.
		{"what is 15% of 240", []wantStep{{tool: "calculate", args: map[string]any{"expression": "240 * 15 / 100"}}}},
		{"multiply 42 by 19", []wantStep{{tool: "calculate", args: map[string]any{"expression": "42 * 19"}}}},
		{"subtract 3 from 10", []wantStep{{tool: "calculate", args: map[string]any{"expression": "10 - 3"}}}},
		{"what is 7 plus 5", []wantStep{{tool: "calculate", args: map[string]any{"expression": "7 + 5"}}}},
		{"what is 3 + 4", []wantStep{{tool: "calculate", args: map[string]any{"expression": "3 + 4"}}}},
		{"fetch https://example.com/api/items and extract items.0.name from the response", []wantStep{
			{tool: "http_request", args: map[string]any{"url": "https://example.com/api/items"}},
			{tool: "json_extract", args: map[string]any{"json": "${s1.json}", "path": "items.0.name"}},
		}},
		{"convert 2026-12-24T19:00:00Z to America/New_York", []wantStep{
			{tool: "convert_time", args: map[string]any{"time": "2026-12-24T19:00:00Z", "timezone": "America/New_York"}},
		}},
		{"add 3 days to 2026-12-24", []wantStep{
			{tool: "add_duration", args: map[string]any{"time": "2026-12-24", "duration": "3d"}},
		}},
		{"add 1 hour and 30 minutes to 2026-03-01T15:00:00+01:00", []wantStep{
			{tool: "add_duration", args: map[string]any{"time": "2026-03-01T15:00:00+01:00", "duration": "1h30m"}},
		}},
		{"subtract 2 hours from 2026-03-01T15:00:00Z", []wantStep{
			{tool: "add_duration", args: map[string]any{"time": "2026-03-01T15:00:00Z", "duration": "-2h"}},
		}},
		// Counting from the present: the current time is a step of its own.
		{"what will the date be in 3 days", []wantStep{
			{tool: "current_time", args: map[string]any{}},
			{tool: "add_duration", args: map[string]any{"time": "${s1.iso}", "duration": "3d"}},
		}},
		{"what was the time 2 hours ago", []wantStep{
			{tool: "current_time", args: map[string]any{}},
			{tool: "add_duration", args: map[string]any{"time": "${s1.iso}", "duration": "-2h"}},
		}},
		{"what time will it be in Tokyo in 90 minutes", []wantStep{
			{tool: "current_time", args: map[string]any{"timezone": "Asia/Tokyo"}},
			{tool: "add_duration", args: map[string]any{"time": "${s1.iso}", "duration": "90m"}},
		}},
		{"render the template 'Hello {{.name}}' with name Bob", []wantStep{
			{tool: "render_template", args: map[string]any{"template": "Hello {{.name}}", "values": map[string]any{"name": "Bob"}}},
		}},
		{"render 'It is {{.temp}} degrees' with temp 21", []wantStep{
			{tool: "render_template", args: map[string]any{"template": "It is {{.temp}} degrees", "values": map[string]any{"temp": json.Number("21")}}},
		}},
		{"delete https://api.example.com/v1/items/3", []wantStep{
			{tool: "http_request", args: map[string]any{"method": "DELETE", "url": "https://api.example.com/v1/items/3"}},
		}},
		{"fetch https://example.com", []wantStep{
			{tool: "http_request", args: map[string]any{"url": "https://example.com"}},
		}},
		{"GET https://api.example.com/v1/status", []wantStep{
			{tool: "http_request", args: map[string]any{"method": "GET", "url": "https://api.example.com/v1/status"}},
		}},
	}
	for _, c := range cases {
		t.Run(c.request, func(t *testing.T) {
			pl, err := p.Plan(context.Background(), planq.New(c.request))
			if err != nil {
				t.Fatal(err)
			}
			if err := plan.Validate(pl, reg); err != nil {
				t.Fatalf("invalid plan: %v", err)
			}
			if len(pl.Steps) != len(c.want) {
				t.Fatalf("got %d steps, want %d: %s", len(pl.Steps), len(c.want), pl.JSON())
			}
			for i, w := range c.want {
				s := pl.Steps[i]
				if s.Tool != w.tool || !reflect.DeepEqual(s.Args, w.args) {
					t.Errorf("step %d = %s %#v, want %s %#v", i+1, s.Tool, s.Args, w.tool, w.args)
				}
			}
		})
	}
}

// TestPatternBuiltinCannotPlan: requests whose values are missing or malformed are
// refused rather than filled with made-up values.
func TestPatternBuiltinCannotPlan(t *testing.T) {
	p := NewPattern(builtinRegistry(t), WithClock(testNow))
	for _, req := range []string{
		"convert the meeting time to America/New_York", // no time given
		"add 90 minutes", // to what?
		"convert 2026-12-24T19:00:00Z to Europe/Atlantis", // not a zone
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("Plan(%q) = %s, want an error", req, pl.JSON())
		}
	}
}

func TestDurationSlots(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"add 90 minutes", "90m"},
		{"in 3 days", "3d"},
		{"2 weeks from now", "14d"},
		{"1 hour and 30 minutes later", "1h30m"},
		{"add 1h30m", "1h30m"},
		{"1.5 hours", "1.5h"},
		{"1.5 days", "36h"},
		{"2 days, 3 hours", "51h"},
		{"2 hours ago", "-2h"},
		{"subtract 45 seconds", "-45s"},
		{"3 apples", ""},
		{"room 101", ""},
		{"5 m of cable", ""},
		{"9999999999999999999999 days ago", ""},
	} {
		got := ""
		if ss := durationSlots(c.text); len(ss) > 0 {
			got = ss[0].Value
		}
		if got != c.want {
			t.Errorf("durationSlots(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestExpressionSlots(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"calculate (12.5 * 4) + 3", "(12.5 * 4) + 3"},
		{"what is 7 - 2", "7 - 2"},
		{"compute max(3, 4) ^ 2", "max(3, 4) ^ 2"},
		{"multiply: 6 × 7", "6 * 7"},
		{"list 1) milk 2) eggs", ""},
		{"on 2026-12-24", ""},
		{"call 555-1234", ""},
		{"3 days", ""},
		{"(12 + 3", ""},
		{"(12 + 3) * 2 apples", "(12 + 3) * 2"},
		{"12.5kg + 3", ""},
		{"what is 15% of 240", ""},
		{"room 4/5", ""},
		{"(4/5) * 100", "(4/5) * 100"},
		{"4 / 5", "4 / 5"},
		// Thousands separators, which the calculator does not read ("unexpected ','").
		{"what is 1,250 / 8", "1250 / 8"},
		{"12,000,000 * 2", "12000000 * 2"},
	} {
		got := ""
		if ss := expressionSlots(c.text); len(ss) > 0 {
			got = ss[0].Value
		}
		if got != c.want {
			t.Errorf("expressionSlots(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestWordExpressionSlots(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"divide 10 by 4", "10 / 4"},
		{"add 3 and 4", "3 + 4"},
		{"2 to the power of 10", "2 ^ 10"},
		{"12 percent of 50", "50 * 12 / 100"},
		{"add 3 and 4 days", ""},
		{"subtract 2 hours from now", ""},
		{"multiply the numbers", ""},
		{"how much is 1,250 divided by 8?", "1250 / 8"},
		{"15% of 1,200", "1200 * 15 / 100"},
		{"multiply 1,000 by 3", "1000 * 3"},
	} {
		got := ""
		if ss := wordExpressionSlots(c.text); len(ss) > 0 {
			got = ss[0].Value
		}
		if got != c.want {
			t.Errorf("wordExpressionSlots(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestZoneAndPathSlots(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"time in Europe/Paris and America/Argentina/Buenos_Aires", []string{"Europe/Paris", "America/Argentina/Buenos_Aires"}},
		{"in UTC", []string{"UTC"}},
		{"in Europe/Atlantis", nil},
	} {
		var got []string
		for _, s := range zoneSlots(c.text) {
			got = append(got, s.Value)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("zoneSlots(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	ex := slot.NewExtractor(slot.Options{Now: testNow})
	for _, c := range []struct {
		text string
		want []string
	}{
		{"extract items.0.name", []string{"items.0.name"}},
		{"get $.items[0].name from it", []string{"$.items[0].name"}},
		{"see https://example.com/a.b and e.g. data.id", []string{"data.id"}},
		{"open report.pdf", nil},
		{"mail bob@example.com", nil},
	} {
		var got []string
		for _, s := range jsonPathSlots(c.text, ex.Extract(c.text)) {
			got = append(got, s.Value)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("jsonPathSlots(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestValueKindsOnlyWhereAsked: a catalog without such parameters gets no value spans,
// so its clauses and slots are what they were; date parameters read RFC 3339 date-times
// (one span, not a date, a time and a name).
func TestValueKindsOnlyWhereAsked(t *testing.T) {
	if p := NewPattern(dailyLife(t), WithClock(testNow)); !reflect.DeepEqual(p.valueKinds, map[slot.Kind]bool{kindInstant: true}) {
		t.Errorf("daily-life catalog value kinds = %v, want instant only (its date parameters)", p.valueKinds)
	}
	p := NewPattern(builtinRegistry(t), WithClock(testNow))
	for _, k := range []slot.Kind{kindInstant, kindZone, kindDuration, kindJSONPath, kindExpression} {
		if !p.valueKinds[k] {
			t.Errorf("built-in catalog lacks value kind %s", k)
		}
	}
}

// FuzzPatternBuiltin: any request over the built-in catalog gives a valid plan or an
// error, never a panic; the value scanners see every byte sequence.
func FuzzPatternBuiltin(f *testing.F) {
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		f.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, s := range []string{
		"what time is it in Europe/Paris, then add 90 minutes",
		"calculate (12.5 * 4) + 3 and max(1,2)^3 ÷ 4",
		"fetch https://example.com/api/items and extract $.items[0].name from the response",
		"add 1 hour and 30 minutes, 2 days and 3.5h to 2026-03-01T15:00:00+01:00 then convert it to UTC",
		"render 'Hi {{.a}} {{ .b }}' with a = 'x' and b: 3",
		"((((1+", "2026-12-24T25:99:00Z", "9999999999999999999999 days ago",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, req string) {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil {
			return
		}
		if err := plan.Validate(pl, reg); err != nil {
			t.Fatalf("Plan(%q) returned an invalid plan: %v", req, err)
		}
	})
}

// TestArticleDurations: "an hour", "a free hour", "half an hour" and "a week" are
// durations; a rate or a frequency is not.
func TestArticleDurations(t *testing.T) {
	for req, want := range map[string]string{
		"find me a free hour on Dec 8":     "a free hour=1h",
		"set a timer for half an hour":     "half an hour=30m",
		"book it for a week":               "a week=7d",
		"rent it for half a day":           "half a day=12h",
		"it pays $20 an hour":              "",
		"take it twice a day":              "",
		"plan a day-trip to Sintra":        "",
		"three times a week, an hour each": "an hour=1h",
	} {
		var got []string
		for _, s := range articleDurations(req) {
			got = append(got, s.Text+"="+s.Value)
		}
		if g := strings.Join(got, " | "); g != want {
			t.Errorf("%q: got %q, want %q", req, g, want)
		}
	}
}
