package slot

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

func TestCues(t *testing.T) {
	var tools []*tool.Tool
	for _, n := range []string{"make_voice_call", "make_video_call", "RentalCars.ReserveCar", "book_restaurant", "get_weather", "get_news", "get_stock"} {
		tools = append(tools, &tool.Tool{Name: n, Description: "Get the " + strings.ReplaceAll(n, "_", " ") + " for the user"})
	}
	tools = append(tools, &tool.Tool{Name: "borrow", Description: "Borrow for the user",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"library_name":{"type":"string","description":"The library to use"}}}`)})
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	c := CuesOf(reg)
	for w, want := range map[string]bool{
		"voice": true, "video": true, "calls": true, "rental": true, "cars": true, "reserve": true,
		"restaurant": true, "weather": true, "library": true,
		"eats": true, "film": false, // eat -> restaurant (a cue here); film -> movie (no movie tool)
		"the": false, "for": false, "user": false, "get": false, // function word, boilerplate, in most tools
		"bohemian": false,
	} {
		if got := c.Has(w); got != want {
			t.Errorf("Has(%q) = %v, want %v", w, got, want)
		}
	}
	if got := c.In(Words("A voice call, then another voice call to the restaurant")); !slices.Equal(got, []string{"call", "call", "restaurant", "voice", "voice"}) {
		t.Errorf("In = %v (a multiset, stemmed, sorted)", got)
	}
	x := NewExtractor(Options{})
	sig := func(s string) []string { sl := x.Extract(s); return c.Signature(Template(s, sl), sl) }
	a, b := sig("book the Weather Cafe restaurant for Bob"), sig("book the Blue Cafe restaurant for Weather")
	if slices.Equal(a, b) {
		t.Errorf("a cue moved from one slot to another but the signatures agree: %v", a)
	}
	if a, b := sig("book the Blue Cafe restaurant for Bob"), sig("book the Green Cafe restaurant for Alice"); !slices.Equal(a, b) {
		t.Errorf("values without cues changed the signature: %v vs %v", a, b)
	}
	var nilCues *Cues
	if nilCues.Has("voice") || nilCues.In([]string{"voice"}) != nil {
		t.Error("nil Cues has cues")
	}
}

func TestGuardKind(t *testing.T) {
	for _, tc := range []struct {
		s    Slot
		want string
	}{
		{Slot{Kind: Name, Text: "Uber"}, "name"},
		{Slot{Kind: Name, Text: "123 Main St"}, "name#"},
		{Slot{Kind: Quoted, Text: "'Inception'", Value: "Inception"}, "quoted"},
		{Slot{Kind: Quoted, Text: "'What is it?'", Value: "What is it?"}, "quoted."},
		{Slot{Kind: Date, Text: "tomorrow", Value: "2026-12-03"}, "date"},
		// A recording is another sort of file than a picture; a country's adjective is
		// planned as the country ("a Japanese passport" is Japan's).
		{Slot{Kind: File, Text: "example.wav", Value: "example.wav"}, "file:audio"},
		{Slot{Kind: File, Text: "example.jpg", Value: "example.jpg"}, "file:image"},
		{Slot{Kind: File, Text: "notes.xyz", Value: "notes.xyz"}, "file:"},
		{Slot{Kind: Name, Text: "Japanese"}, "name:adj"},
		{Slot{Kind: Name, Text: "Japan"}, "name"},
	} {
		if got := tc.s.GuardKind(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestValuesRecur(t *testing.T) {
	x := NewExtractor(Options{})
	for text, want := range map[string]bool{
		"order a pizza to be delivered at Pizza":                          true,  // the name is also a word elsewhere
		"enroll in the 'Computer Science 101' course at Computer Science": true,  // one value inside another
		"fly from London to Paris":                                        false, // distinct values
		"fly from London to London":                                       false, // one value twice, both slots
		"email Bob about Bobby's party":                                   false, // inside a longer word only
	} {
		if got := ValuesRecur(text, x.Extract(text)); got != want {
			t.Errorf("%q: %v, want %v (slots %+v)", text, got, want, x.Extract(text))
		}
	}
}

func TestPhrasesGrounded(t *testing.T) {
	x := NewExtractor(Options{})
	check := func(past, cur string, args map[string]any) bool {
		ps, cs := x.Extract(past), x.Extract(cur)
		p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "t", Args: args}}}
		q, err := Rebind(p, ps, cs)
		if err != nil {
			t.Fatalf("%q -> %q: %v", past, cur, err)
		}
		return PhrasesGrounded(p, q, Words(past), Words(cur),
			strings.Fields(Template(past, ps)), strings.Fields(Template(cur, cs)))
	}
	for _, tc := range []struct {
		past, cur string
		args      map[string]any
		want      bool
	}{
		{"clean the floor of my house", "clean the floor in my house", map[string]any{"i": "clean the floor of my house"}, false},
		{"clean the floor of my house", "please clean the floor of my house, thanks", map[string]any{"i": "clean the floor of my house"}, true},
		{"order a pizza for delivery", "order a pizza delivery", map[string]any{"food": "pizza"}, false},
		{"order a pizza for delivery", "hey, order a pizza for delivery", map[string]any{"food": "pizza"}, true},
		{"meet Bob about the budget", "meet Alice about the budget", map[string]any{"who": "Bob", "topic": "the budget"}, true},
		{"note: call Bob at noon", "note: call Alice at noon", map[string]any{"text": "call Bob at noon"}, true},
		{"remind me", "remind me", map[string]any{"x": "${s0.y} later"}, true}, // references are not copies
	} {
		if got := check(tc.past, tc.cur, tc.args); got != tc.want {
			t.Errorf("%q -> %q %v: %v, want %v", tc.past, tc.cur, tc.args, got, tc.want)
		}
	}
}
