package pattern

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// TestPatternBriefExample is the acceptance example: a booking then an SMS carrying its
// confirmation, on the TaskBench daily-life catalog.
func TestPatternBriefExample(t *testing.T) {
	reg := dailyLife(t)
	p := NewPattern(reg, WithClock(testNow))
	pl, err := p.Plan(context.Background(), planq.New("Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation"))
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(pl, reg); err != nil {
		t.Fatalf("invalid plan: %v", err)
	}
	if len(pl.Steps) != 2 {
		t.Fatalf("want 2 steps, got %s", pl.JSON())
	}
	s1, s2 := pl.Steps[0], pl.Steps[1]
	if s1.Tool != "book_restaurant" || !reflect.DeepEqual(s1.Args, map[string]any{"name": "Luigi's", "date": "2026-12-24"}) {
		t.Errorf("step 1 = %s %v, want book_restaurant{name: Luigi's, date: 2026-12-24}", s1.Tool, s1.Args)
	}
	if s2.Tool != "send_sms" || s2.Args["phone_number"] != "+15551234567" {
		t.Errorf("step 2 = %s %v, want send_sms to +15551234567", s2.Tool, s2.Args)
	}
	if c, _ := s2.Args["content"].(string); !strings.Contains(c, "${"+s1.ID) {
		t.Errorf("step 2 content = %v, want a reference to %s", s2.Args["content"], s1.ID)
	}
	if want := [][2]string{{s1.ID, s2.ID}}; !reflect.DeepEqual(pl.Edges(), want) {
		t.Errorf("edges = %v, want %v", pl.Edges(), want)
	}
}

func TestPatternCannotPlan(t *testing.T) {
	reg := dailyLife(t)
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"",
		"   ",
		"What is the meaning of life?",
		"Book a hotel", // book_hotel needs a date and a name: never invented
		strings.Repeat("x", maxRequestBytes+1),
		tooManySteps(),
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err == nil {
			t.Errorf("Plan(%.40q) = %s, want an error", req, pl.JSON())
			continue
		}
		if !errors.Is(err, plan.ErrCannotPlan) {
			t.Errorf("Plan(%.40q) error %v does not wrap plan.ErrCannotPlan", req, err)
		}
		var cpe *plan.CannotPlanError
		if !errors.As(err, &cpe) || cpe.Reason == "" {
			t.Errorf("Plan(%.40q) error %v is not a *plan.CannotPlanError with a reason", req, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Plan(ctx, planq.New("play the movie 'Up'")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := NewPattern(nil).Plan(context.Background(), planq.New("play music")); !errors.Is(err, plan.ErrCannotPlan) {
		t.Errorf("nil registry: %v", err)
	}
}

func TestCannotPlanErrorMessage(t *testing.T) {
	err := error(&plan.CannotPlanError{Reason: "no tool matches", Clauses: []string{"fly me", "to the moon"}})
	if got, want := err.Error(), `cannot plan: no tool matches (unplanned: "fly me"; "to the moon")`; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, plan.ErrCannotPlan) || errors.Is(err, errors.New("cannot plan")) {
		t.Fatal("Is must match plan.ErrCannotPlan only")
	}
}

func TestPatternDailyLifePlans(t *testing.T) {
	reg := dailyLife(t)
	p := NewPattern(reg, WithClock(testNow))
	tests := []struct {
		req   string
		tools []string
		args  []map[string]any
		edges [][2]string
	}{
		{
			req:   "I want to watch the movie titled 'Example Movie'",
			tools: []string{"play_movie_by_title"},
			args:  []map[string]any{{"title": "Example Movie"}},
		},
		{
			req:   "I want to book the Hilton Hotel for December 10th, 2022",
			tools: []string{"book_hotel"},
			args:  []map[string]any{{"name": "Hilton Hotel", "date": "2022-12-10"}},
		},
		{
			req:   "Can you install the 'example_software' for me, and then wake me up at 08:00 so I can get an early start?",
			tools: []string{"software_management", "set_alarm"},
			args:  []map[string]any{{"software": "example_software", "instruction": "install"}, {"time": "08:00"}},
			edges: [][2]string{{"s1", "s2"}}, // "and then": ordering only
		},
		{
			req:   "Get the weather in Paris for tomorrow and email it to bob@example.com",
			tools: []string{"get_weather", "send_email"},
			args:  []map[string]any{{"location": "Paris", "date": "2026-11-27"}, {"email_address": "bob@example.com", "content": "${s1}"}},
			edges: [][2]string{{"s1", "s2"}}, // data flows through "it"
		},
		{
			req:   "Buy an electric toothbrush on Amazon and share it on Facebook",
			tools: []string{"online_shopping", "share_by_social_network"},
			args:  []map[string]any{{"website": "Amazon", "product": "electric toothbrush"}, {"social_network": "Facebook", "content": "${s1}"}},
			edges: [][2]string{{"s1", "s2"}},
		},
		{
			// A parameter named by a noun takes the phrase that names it by that noun,
			// not the verb's object (the quoted title is the book).
			req:   "borrow the 'To Kill a Mockingbird' book from the local library",
			tools: []string{"borrow_book_online"},
			args:  []map[string]any{{"book": "To Kill a Mockingbird", "library": "local library"}},
		},
		{
			req:   "borrow a book called 'Python for Beginners' from example_library",
			tools: []string{"borrow_book_online"},
			args:  []map[string]any{{"book": "Python for Beginners", "library": "example_library"}},
		},
		{
			// A greeting does not turn a statement of what was done into a request.
			// (Without the greeting the clause was already read as context.)
			req:   "Hey, I've booked a table at the Innovation restaurant on 2022-05-20, and I want to share this information with my friends on Twitter",
			tools: []string{"share_by_social_network"},
			args:  []map[string]any{{"social_network": "Twitter", "content": "I've booked a table at the Innovation restaurant on 2022-05-20"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.req, func(t *testing.T) {
			pl, err := p.Plan(context.Background(), planq.New(tc.req))
			if err != nil {
				t.Fatal(err)
			}
			if err := plan.Validate(pl, reg); err != nil {
				t.Fatalf("invalid plan: %v", err)
			}
			var tools []string
			var args []map[string]any
			for _, s := range pl.Steps {
				tools = append(tools, s.Tool)
				args = append(args, s.Args)
			}
			if !reflect.DeepEqual(tools, tc.tools) {
				t.Fatalf("tools = %v, want %v (%s)", tools, tc.tools, pl.JSON())
			}
			if !reflect.DeepEqual(args, tc.args) {
				t.Errorf("args = %v, want %v", args, tc.args)
			}
			if got := pl.Edges(); !reflect.DeepEqual(got, tc.edges) {
				t.Errorf("edges = %v, want %v", got, tc.edges)
			}
		})
	}
}

// TestPatternProducers checks that an identifier the request does not give is looked up
// by a producer step whose output declares it, with one lookup per role.
func TestPatternProducers(t *testing.T) {
	obj := func(props string, req ...string) json.RawMessage {
		r, _ := json.Marshal(req)
		if req == nil {
			r = []byte("[]")
		}
		return json.RawMessage(`{"type":"object","properties":{` + props + `},"required":` + string(r) + `}`)
	}
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "SearchAirport", Description: "Search for airports using a location name.",
			InputSchema:  obj(`"query":{"type":"string","description":"Name of the location where the airport is situated."}`, "query"),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"skyId":{"type":"string"},"entityId":{"type":"string"}}}`)},
		&tool.Tool{Name: "FlightSearch", Description: "Retrieves available flights for a given route.",
			InputSchema: obj(`"originSkyId":{"type":"string","description":"Can be extracted from the Search Airport API."},
				"destinationSkyId":{"type":"string","description":"Can be extracted from the Search Airport API."},
				"date":{"type":"string","description":"Departure date. Format: YYYY-MM-DD"}`, "originSkyId", "destinationSkyId", "date")},
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	pl, err := p.Plan(context.Background(), planq.New("Find flights from New York to London on August 15, 2027"))
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(pl, reg); err != nil {
		t.Fatalf("invalid plan: %v", err)
	}
	want := `[{"id":"s1","tool":"SearchAirport","args":{"query":"New York"}},{"id":"s2","tool":"SearchAirport","args":{"query":"London"}},{"id":"s3","tool":"FlightSearch","args":{"date":"2027-08-15","destinationSkyId":"${s2.skyId}","originSkyId":"${s1.skyId}"}}]`
	got, _ := json.Marshal(pl.Steps)
	if string(got) != want {
		t.Fatalf("steps\n got %s\nwant %s", got, want)
	}
}

func TestClauses(t *testing.T) {
	reg := dailyLife(t)
	p := NewPattern(reg, WithClock(testNow))
	got := p.Clauses("Please help me file my tax return for 2021, book Example Restaurant for a dinner on 25th December 2022, sell my Item XYZ on Amazon, and make a voice call to +1 123 456 7890.")
	want := []Clause{
		{Text: "Please help me file my tax return for 2021", Tool: "do_tax_return"},
		{Text: "book Example Restaurant for a dinner on 25th December 2022", Tool: "book_restaurant"},
		{Text: "sell my Item XYZ on Amazon", Tool: "sell_item_online"},
		{Text: "make a voice call to +1 123 456 7890", Tool: "make_voice_call"},
	}
	if len(got) != len(want) {
		t.Fatalf("clauses = %+v", got)
	}
	for i := range want {
		if got[i].Text != want[i].Text || got[i].Tool != want[i].Tool || got[i].Score <= 0 {
			t.Errorf("clause %d = %+v, want %+v with a positive score", i, got[i], want[i])
		}
	}
	// Quoted strings and names are never split.
	got = p.Clauses("Play 'Rock and Roll, then Jazz' and then call Smith and Wesson.")
	if len(got) != 2 || got[0].Text != "Play 'Rock and Roll, then Jazz'" {
		t.Errorf("quoted clause split: %+v", got)
	}
	// The dot of an abbreviation ends no sentence; "and at the same time <verb>" starts
	// a second request (it was one clause, planned as the insurance alone: the stock
	// purchase was dropped).
	got = p.Clauses("As an investor, I want to buy Apple Inc. stock and at the same time purchase stock insurance from XYZ Insurance Company.")
	var texts []string
	for _, c := range got {
		texts = append(texts, c.Text+" -> "+c.Tool)
	}
	if want := "As an investor -> ; I want to buy Apple Inc. stock -> stock_operation; purchase stock insurance from XYZ Insurance Company -> buy_insurance"; strings.Join(texts, "; ") != want {
		t.Errorf("clauses = %q, want %q", strings.Join(texts, "; "), want)
	}
}

// TestPatternContextAndReferences: a clause that only states what the user has is not a
// step, but its file serves the clause that asks; "it" refers to the previous step; a
// condition clause ("once ...") is no step either.
func TestPatternContextAndReferences(t *testing.T) {
	obj := func(props string, req ...string) json.RawMessage {
		r, _ := json.Marshal(req)
		return json.RawMessage(`{"type":"object","properties":{` + props + `},"required":` + string(r) + `}`)
	}
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "transcribe_audio", Description: "Transcribe the speech in an audio file to text.",
			InputSchema: obj(`"audio":{"type":"string","description":"The audio file to transcribe"}`, "audio")},
		&tool.Tool{Name: "translate_text", Description: "Translate text into another language.",
			InputSchema: obj(`"text":{"type":"string","description":"The text to translate"},"language":{"type":"string","description":"The target language"}`, "text", "language")},
		&tool.Tool{Name: "send_email", Description: "Send an email to an address.",
			InputSchema: obj(`"to":{"type":"string","format":"email"},"body":{"type":"string","description":"The content of the email"}`, "to", "body")},
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	pl, err := p.Plan(context.Background(), planq.New("I've got a recording named 'talk.wav'. Please transcribe the audio, then translate it into French. Once that is done, email it to ann@example.com."))
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(pl, reg); err != nil {
		t.Fatalf("invalid plan: %v", err)
	}
	want := `[{"id":"s1","tool":"transcribe_audio","args":{"audio":"talk.wav"}},{"id":"s2","tool":"translate_text","args":{"language":"French","text":"${s1}"}},{"id":"s3","tool":"send_email","args":{"body":"${s2}","to":"ann@example.com"}}]`
	got, _ := json.Marshal(pl.Steps)
	if string(got) != want {
		t.Fatalf("steps\n got %s\nwant %s", got, want)
	}
}

// TestPatternConcurrent plans from several goroutines on one Pattern (run with -race):
// every goroutine gets the plan a single caller gets.
func TestPatternConcurrent(t *testing.T) {
	reg := dailyLife(t)
	p := NewPattern(reg, WithClock(testNow))
	reqs := []string{
		"Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation",
		"Get the weather in Paris for tomorrow and email it to bob@example.com",
		"I want to watch the movie titled 'Example Movie'",
	}
	want := make([]string, len(reqs))
	for i, r := range reqs {
		pl, err := p.Plan(context.Background(), planq.New(r))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = string(pl.JSON())
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for k := 0; k < 30; k++ {
				i := (g + k) % len(reqs)
				pl, err := p.Plan(context.Background(), planq.New(reqs[i]))
				if err != nil {
					errs <- err
					return
				}
				if got := string(pl.JSON()); got != want[i] {
					errs <- fmt.Errorf("concurrent plan for %q = %s, want %s", reqs[i], got, want[i])
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// tooManySteps is a request for more distinct steps than a plan may hold.
func tooManySteps() string {
	var b strings.Builder
	for i := 0; i < 70; i++ {
		fmt.Fprintf(&b, "Call +1 555 %03d %04d. ", i, i)
	}
	return b.String()
}
