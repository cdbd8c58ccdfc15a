package histplan

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func historyTestRegistry(t *testing.T) *tool.Registry {
	t.Helper()
	mk := func(name, desc, schema string) *tool.Tool {
		return &tool.Tool{Name: name, Description: desc, InputSchema: json.RawMessage(schema)}
	}
	reg, err := tool.NewRegistry(
		mk("send_email", "Send an e-mail.", `{"type":"object","properties":{"to":{"type":"string","format":"email"},"body":{"type":"string"}},"required":["to","body"]}`),
		mk("set_lights", "Switch the lights of a room.", `{"type":"object","properties":{"room":{"type":"string"},"state":{"type":"string","enum":["on","off"]}},"required":["room","state"]}`),
		mk("get_weather", "Weather forecast for a city on a date.", `{"type":"object","properties":{"city":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["city","date"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// fakeSource returns fixed past plans, best first, for any request, and records the
// namespace it was asked for.
type fakeSource struct {
	past            []PastPlan
	tenant, version string
}

func (f *fakeSource) SimilarPlans(_ context.Context, q query.Query, version string, k int) ([]PastPlan, error) {
	f.tenant, f.version = q.Tenant, version
	return f.past[:min(k, len(f.past))], nil
}

func mustPlan(t *testing.T, s string) *plan.Plan {
	t.Helper()
	p, err := plan.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var historyTestNow = func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }

func TestHistoryPlannerRebindsSlots(t *testing.T) {
	reg := historyTestRegistry(t)
	src := &fakeSource{past: []PastPlan{{
		ID: "r1", Request: "email bob@example.com the weather in Paris on 2026-12-01", Similarity: 0.93,
		Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"get_weather","args":{"city":"Paris","date":"2026-12-01"}},
			{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1}"}}]}`),
	}}}
	h := NewHistory(src, reg, WithHistoryClock(historyTestNow))
	p, err := h.Plan(context.Background(), query.For("acme", "email alice@example.org the weather in Rome on 2026-12-05"))
	if err != nil {
		t.Fatal(err)
	}
	if src.tenant != "acme" || src.version != reg.Version() {
		t.Errorf("source asked for namespace (%q, %q), want (acme, %s)", src.tenant, src.version, reg.Version())
	}
	if got := p.Steps[0].Args; got["city"] != "Rome" || got["date"] != "2026-12-05" {
		t.Errorf("step 1 args = %v, want Rome on 2026-12-05", got)
	}
	if got := p.Steps[1].Args["to"]; got != "alice@example.org" {
		t.Errorf("to = %v, want alice@example.org", got)
	}
	if p.Steps[1].Args["body"] != "${s1}" {
		t.Errorf("reference lost: %v", p.Steps[1].Args["body"])
	}
	if err := plan.Validate(p, reg); err != nil {
		t.Fatal(err)
	}
	// The source's plan is untouched.
	if src.past[0].Plan.Steps[0].Args["city"] != "Paris" {
		t.Error("the past plan was modified")
	}
}

func TestHistoryPlannerGuards(t *testing.T) {
	reg := historyTestRegistry(t)
	lightsOn := PastPlan{ID: "r1", Request: "turn on the lights in the kitchen", Similarity: 0.95,
		Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"set_lights","args":{"room":"kitchen","state":"on"}}]}`)}
	email := PastPlan{ID: "r2", Request: "email bob@example.com that I am late", Similarity: 0.9,
		Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"bob@example.com","body":"I am late"}}]}`)}
	cases := []struct {
		name, request string
		past          PastPlan
		why           string // part of the cannot-plan reason
	}{
		{"polarity", "turn off the lights in the kitchen", lightsOn, "polarity"},
		{"unbound literal", "turn on the lights in the bedroom", lightsOn, "words"},
		{"slot kinds", "email +1 555 123 4567 that I am late", email, "other kinds"},
		{"below floor", "turn on the lights in the kitchen", PastPlan{ID: "r3", Request: lightsOn.Request, Plan: lightsOn.Plan, Similarity: 0.2}, "below the floor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := NewHistory(&fakeSource{past: []PastPlan{c.past}}, reg, WithHistoryClock(historyTestNow))
			p, err := h.Plan(context.Background(), query.New(c.request))
			if err == nil {
				t.Fatalf("Plan(%q) = %s, want cannot plan", c.request, p.JSON())
			}
			var cpe *plan.CannotPlanError
			if !errors.Is(err, plan.ErrCannotPlan) || !errors.As(err, &cpe) {
				t.Fatalf("error %v does not wrap plan.ErrCannotPlan", err)
			}
			if !strings.Contains(cpe.Reason, c.why) {
				t.Errorf("reason %q does not say %q", cpe.Reason, c.why)
			}
		})
	}
	// The same request (all guards agree) is served.
	h := NewHistory(&fakeSource{past: []PastPlan{lightsOn}}, reg)
	if _, err := h.Plan(context.Background(), query.New("Turn on the lights in the kitchen!")); err != nil {
		t.Fatalf("paraphrase not served: %v", err)
	}
}

func TestHistoryPlannerTriesNextCandidate(t *testing.T) {
	reg := historyTestRegistry(t)
	src := &fakeSource{past: []PastPlan{
		{ID: "off", Request: "turn off the lights in the kitchen", Similarity: 0.97,
			Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"set_lights","args":{"room":"kitchen","state":"off"}}]}`)},
		{ID: "on", Request: "switch on the kitchen lights", Similarity: 0.9,
			Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"set_lights","args":{"room":"kitchen","state":"on"}}]}`)},
	}}
	p, err := NewHistory(src, reg).Plan(context.Background(), query.New("turn on the lights in the kitchen"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Steps[0].Args["state"] != "on" {
		t.Errorf("served %s, want the plan that turns the lights on", p.JSON())
	}
}

func TestHistoryPlannerEmptyAndInvalid(t *testing.T) {
	reg := historyTestRegistry(t)
	if _, err := NewHistory(&fakeSource{}, reg).Plan(context.Background(), query.New("turn on the lights")); !errors.Is(err, plan.ErrCannotPlan) {
		t.Errorf("empty history: %v, want plan.ErrCannotPlan", err)
	}
	// A past plan that no longer validates (unknown tool) never serves.
	src := &fakeSource{past: []PastPlan{{ID: "x", Request: "ring the bell", Similarity: 1,
		Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"ring_bell","args":{}}]}`)}}}
	if p, err := NewHistory(src, reg).Plan(context.Background(), query.New("ring the bell")); !errors.Is(err, plan.ErrCannotPlan) {
		t.Errorf("invalid past plan served: %v %v", p, err)
	}
}

// TestHistoryPlannerRefusesAnAddedPart: "water the back garden for 15 minutes and paint
// the fence blue" was served the plan of "water the back garden for 15 minutes"
// (similarity 0.78, every guard passed), dropping the fence: a part the request adds
// that shares no word with the past request is no part of its plan.
func TestHistoryPlannerRefusesAnAddedPart(t *testing.T) {
	reg := historyTestRegistry(t)
	lights := PastPlan{ID: "r1", Request: "turn on the lights in the kitchen", Similarity: 0.8,
		Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"set_lights","args":{"room":"kitchen","state":"on"}}]}`)}
	for _, req := range []string{
		"turn on the lights in the kitchen and paint the fence blue",
		"turn on the lights in the kitchen. Then water the garden",
	} {
		_, err := NewHistory(&fakeSource{past: []PastPlan{lights}}, reg).Plan(context.Background(), query.New(req))
		var cpe *plan.CannotPlanError
		if !errors.As(err, &cpe) || !strings.Contains(cpe.Reason, "which the request adds") {
			t.Errorf("Plan(%q) = %v, want a refusal naming the added part", req, err)
		}
	}
	// A part that speaks of what the past request did is still its plan.
	for _, req := range []string{
		"turn on the lights in the kitchen and make the kitchen bright",
		"please turn on the kitchen lights, thanks",
	} {
		if _, err := NewHistory(&fakeSource{past: []PastPlan{lights}}, reg).Plan(context.Background(), query.New(req)); err != nil {
			t.Errorf("Plan(%q): %v", req, err)
		}
	}
}

// Neither a served plan's reasoning nor a refusal's reason quotes the past request or
// its values: the past request may be another user's of the tenant, and both reach the
// caller (the reasoning in the plan, the reason in the error's causes).
func TestHistoryPlannerDoesNotQuotePastRequests(t *testing.T) {
	reg := historyTestRegistry(t)
	weather := PastPlan{ID: "r1", Request: "email bob@example.com the weather in Paris on 2026-12-01", Similarity: 0.93,
		Plan: mustPlan(t, `{"steps":[{"id":"s1","tool":"get_weather","args":{"city":"Paris","date":"2026-12-01"}},
			{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1}"}}]}`)}
	private := []string{"bob@example.com", "Paris", "2026-12-01"}
	quotes := func(where, text string) {
		t.Helper()
		for _, w := range private {
			if strings.Contains(text, w) {
				t.Errorf("%s %q quotes the past request (%q)", where, text, w)
			}
		}
	}
	h := NewHistory(&fakeSource{past: []PastPlan{weather}}, reg, WithHistoryClock(historyTestNow))
	p, err := h.Plan(context.Background(), query.New("email alice@example.org the weather in Rome on 2026-12-05"))
	if err != nil {
		t.Fatal(err)
	}
	quotes("the served plan's reasoning", p.Reasoning)
	// A guard refuses (two addresses where the past request had one); re-binding fails
	// (the past plan does not use the past request's date, so a new date cannot be
	// re-bound: the error named both dates).
	unusedDate := weather
	unusedDate.Plan = mustPlan(t, `{"steps":[{"id":"s1","tool":"get_weather","args":{"city":"Paris","date":"2026-12-02"}},
		{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1}"}}]}`)
	for _, c := range []struct {
		past    PastPlan
		request string
	}{
		{weather, "email alice@example.org and carol@example.org the weather in Rome on 2026-12-05"},
		{unusedDate, "email alice@example.org the weather in Rome on 2026-12-05"},
	} {
		h := NewHistory(&fakeSource{past: []PastPlan{c.past}}, reg, WithHistoryClock(historyTestNow))
		_, err := h.Plan(context.Background(), query.New(c.request))
		var cpe *plan.CannotPlanError
		if !errors.As(err, &cpe) {
			t.Fatalf("%q: %v, want cannot plan", c.request, err)
		}
		quotes("the refusal", cpe.Reason)
	}
}
