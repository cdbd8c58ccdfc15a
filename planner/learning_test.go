package planner_test

import (
	"context"
	"testing"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
)

// TestLearningLoop: an LLM plan is recorded; when the LLM then fails, the history planner
// answers a similar request with its slots re-bound, before the pattern planner.
func TestLearningLoop(t *testing.T) {
	reg := compiledRegistry(t)
	emb := localEmbedder(t)
	store := history.NewMemoryStore()
	h, err := history.New(context.Background(), store, emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	paris := &plan.Plan{Steps: []plan.Step{
		{ID: "s1", Tool: "get_weather", Args: map[string]any{"location": "Paris"}},
		{ID: "s2", Tool: "send_sms", Args: map[string]any{"phone_number": "+15551234567", "content": "${s1.summary}"}},
	}}
	prov := &scriptedProvider{replies: []reply{{plan: paris}, {err: &llm.Error{Type: llm.ServerError, Status: 503}}}}
	pattern := &fakeOffline{}
	p, err := planner.New(reg, planner.WithPatternPlanner(pattern), planner.WithLearning(h, nil),
		planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first, err := p.Plan(ctx, planner.Request{Text: "Get the weather in Paris and text it to +1 555 123 4567", Tenant: "t1"})
	if err != nil || first.Source != planner.SourceLLM {
		t.Fatalf("first: %v %+v", err, first)
	}
	rec, err := h.Get(ctx, first.RequestID)
	if err != nil || rec.Source != "llm" || !rec.Valid || rec.Plan == nil || rec.Model != "gpt-4o-mini" {
		t.Fatalf("record: %v %+v", err, rec)
	}
	second, err := p.Plan(ctx, planner.Request{Text: "Get the weather in Rome and text it to +1 555 987 6543", Tenant: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	if second.Source != planner.SourceHistory || !second.Fallback || second.FallbackReason != planner.ReasonProviderError {
		t.Fatalf("second: %+v", second)
	}
	got := second.Plan.Steps
	if got[0].Args["location"] != "Rome" || got[1].Args["phone_number"] != "+15559876543" {
		t.Fatalf("slots not re-bound: %+v", got)
	}
	if pattern.calls.Load() != 0 {
		t.Fatal("the pattern planner was asked although the history planner answered")
	}
	// Another tenant's history is not used.
	if _, err := p.Plan(ctx, planner.Request{Text: "Get the weather in Rome and text it to +1 555 987 6543", Tenant: "t2"}); err == nil {
		t.Fatal("tenant t2 was answered from tenant t1's history")
	}
}

// A refusal is recorded as one, with no plan, so that the history's validity rate leaves
// it out: the model's cannot_plan (refused by "llm"), and the offline planners finding
// nothing (refused by "offline"); a plan, even an invalid first one, is no refusal.
func TestRecordsSayWhoRefused(t *testing.T) {
	const refusalJSON = `{"goal":"make a sandwich","reasoning":"no food tools","cannot_plan":"No listed tool prepares food.","steps":[]}`
	reg := compiledRegistry(t)
	h, err := history.New(context.Background(), history.NewMemoryStore(), localEmbedder(t), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	prov := &scriptedProvider{replies: []reply{{raw: refusalJSON}, {plan: badPlan}, {plan: weatherPlan}}}
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}), planner.WithLearning(h, nil),
		planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	record := func(req planner.Request) *history.Record {
		t.Helper()
		resp, err := p.Plan(ctx, req)
		id := ""
		if resp != nil {
			id = resp.RequestID
		} else if pe, ok := planner.AsError(err); ok && pe.Response != nil {
			id = pe.Response.RequestID
		}
		r, gerr := h.Get(ctx, id)
		if gerr != nil {
			t.Fatalf("%q: no record (%v; plan: %v)", req.Text, gerr, err)
		}
		return r
	}
	if r := record(planner.Request{Text: "make me a sandwich"}); !r.NoPlan || r.Refused != "llm" || r.Valid {
		t.Errorf("the model's refusal: no_plan %v refused %q valid %v; want true, llm, false", r.NoPlan, r.Refused, r.Valid)
	}
	if r := record(planner.Request{Text: "weather in Paris"}); r.NoPlan || r.Refused != "" || r.Valid || r.Source != "llm" {
		t.Errorf("an invalid first plan, repaired: no_plan %v refused %q valid %v source %s; want false, none, false, llm", r.NoPlan, r.Refused, r.Valid, r.Source)
	}
	if r := record(planner.Request{Text: "zxqv blorft", Options: planner.Options{Offline: true}}); !r.NoPlan || r.Refused != "offline" {
		t.Errorf("the offline planners' refusal: no_plan %v refused %q; want true, offline", r.NoPlan, r.Refused)
	}
}

// A request's record says how it failed in the API's taxonomy, the code its caller got
// (unavailable, cannot_plan), and insights group failures so, with the fallback reason of
// a request the offline planners answered after the LLM failed: one taxonomy, snake_case,
// from the HTTP error to planwise insights.
func TestRecordsSpeakTheAPIsErrorCodes(t *testing.T) {
	reg := compiledRegistry(t)
	ctx := context.Background()
	store := history.NewMemoryStore()
	h, err := history.New(ctx, store, localEmbedder(t), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	failing := func(pattern *fakeOffline) *planner.Planner {
		t.Helper()
		prov := &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.ServerError, Status: 503}}}}
		p, err := planner.New(reg, planner.WithPatternPlanner(pattern), planner.WithLearning(h, nil),
			planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	answering, refusing := failing(&fakeOffline{p: weatherPlan}), failing(&fakeOffline{})
	id := func(resp *planner.Response, err error) string {
		if pe, ok := planner.AsError(err); ok && pe.Response != nil {
			return pe.Response.RequestID
		}
		if resp == nil {
			t.Fatalf("no response: %v", err)
		}
		return resp.RequestID
	}
	for _, tc := range []struct {
		p                  *planner.Planner
		req                planner.Request
		errorType, outcome string
	}{
		{answering, planner.Request{Text: "weather in Paris"}, "", planner.ReasonProviderError},
		{refusing, planner.Request{Text: "paint the fence blue"}, planner.CodeUnavailable, planner.CodeUnavailable},
		{refusing, planner.Request{Text: "paint the shed green", Options: planner.Options{Offline: true}}, planner.CodeCannotPlan, planner.CodeCannotPlan},
	} {
		// As stored, not only as read: the planner writes the code.
		r, err := store.GetRecord(ctx, id(tc.p.Plan(ctx, tc.req)))
		if err != nil {
			t.Fatal(err)
		}
		if r.ErrorType != tc.errorType || r.Outcome() != tc.outcome {
			t.Errorf("%q: error_type %q, outcome %q; want %q, %q", tc.req.Text, r.ErrorType, r.Outcome(), tc.errorType, tc.outcome)
		}
	}
	in, err := h.Insights(ctx, planner.DefaultTenant, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, g := range in.ByErrorType {
		got[g.Key] = g.Failures
	}
	want := map[string]int{planner.ReasonProviderError: 1, planner.CodeUnavailable: 1, planner.CodeCannotPlan: 1}
	if len(got) != len(want) || got[planner.ReasonProviderError] != 1 || got[planner.CodeUnavailable] != 1 || got[planner.CodeCannotPlan] != 1 {
		t.Errorf("insights' error types %v, want %v", got, want)
	}
}
