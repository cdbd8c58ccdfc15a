package planner_test

import (
	"context"
	"errors"
	"testing"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/route"
)

// options.model may only name a model the configuration routes the key to: any other
// is a typed 400 and no call is made.
func TestModelOverrideAllowList(t *testing.T) {
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
	p, _ := newCachedPlanner(t, prov)
	ctx := context.Background()
	for _, model := range []string{"o1-pro", "gpt-5", "gpt-4o-mini ", "a-very-long-model-name-that-would-become-a-metrics-label"} {
		_, err := p.Plan(ctx, planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", Options: planner.Options{Model: model, NoCache: true}})
		var pe *planner.Error
		if !errors.As(err, &pe) || pe.Code != planner.CodeModelNotAllowed || pe.HTTPStatus() != 400 {
			t.Fatalf("options.model %q: %v; want a model_not_allowed 400", model, err)
		}
	}
	if prov.calls != 0 {
		t.Fatalf("%d provider calls for refused models", prov.calls)
	}
	resp, err := p.Plan(ctx, planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", Options: planner.Options{Model: "gpt-4o", NoCache: true}})
	if err != nil || resp.Model != "gpt-4o" {
		t.Fatalf("a configured model: %v, %+v", err, resp)
	}
}

// headerSpy records the headers of the calls it passes on.
type headerSpy struct {
	*scriptedProvider
	ids []string
}

func (h *headerSpy) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	h.ids = append(h.ids, req.Headers["X-Request-ID"])
	return h.scriptedProvider.Complete(ctx, req)
}

// The request's id is forwarded to the provider.
func TestRequestIDForwardedToProvider(t *testing.T) {
	spy := &headerSpy{scriptedProvider: &scriptedProvider{replies: []reply{{plan: goodPlan}}}}
	reg := registry(t)
	sch, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	compiledMode = sch.Mode
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}),
		planner.WithLLM(planner.LLMConfig{Provider: spy, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", RequestID: "req-7"}); err != nil {
		t.Fatal(err)
	}
	if len(spy.ids) == 0 || spy.ids[0] != "req-7" {
		t.Fatalf("X-Request-ID sent to the provider: %v", spy.ids)
	}
}

// A key with its own tiers may name only those tiers' models: another key's, or the
// global tiers' it does not use, are a model_not_allowed 400 and no call.
func TestModelOverrideFollowsTheKeysTiers(t *testing.T) {
	reg := compiledRegistry(t)
	r, err := planner.NewComplexityRouter(reg, route.Config{
		Tiers:  map[route.Tier]string{route.Simple: "gpt-4o-mini", route.Moderate: "gpt-4o-mini", route.Complex: "gpt-4o"},
		PerKey: map[string]map[route.Tier]string{"key-a": {route.Simple: "gpt-4.1-nano", route.Moderate: "gpt-4.1-nano", route.Complex: "o1-mini"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}, {plan: goodPlan}}}
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}), planner.WithLLM(planner.LLMConfig{Provider: prov, Router: r}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const text = "weather in Paris, then text it to +1 555 123 4567"
	for _, tc := range []struct {
		key, model string
		allowed    bool
	}{
		{"key-a", "gpt-4o", false},      // the global complex tier, not key-a's
		{"key-a", "gpt-4o-mini", false}, // likewise
		{"key-b", "o1-mini", false},     // key-a's, not key-b's
		{"key-a", "o1-mini", true},
		{"key-b", "gpt-4o", true},
	} {
		resp, err := p.Plan(ctx, planner.Request{Text: text, APIKey: tc.key, Options: planner.Options{Model: tc.model, NoCache: true}})
		pe, refused := planner.AsError(err)
		refused = refused && pe.Code == planner.CodeModelNotAllowed && pe.HTTPStatus() == 400
		if refused == tc.allowed || (tc.allowed && (err != nil || resp.Model != tc.model)) {
			t.Errorf("%s naming %s: %+v, %v; allowed %v", tc.key, tc.model, resp, err, tc.allowed)
		}
	}
	if prov.calls != 2 {
		t.Errorf("%d provider calls, want 2 (the allowed ones)", prov.calls)
	}
}
