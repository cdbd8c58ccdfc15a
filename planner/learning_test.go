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
