package planner_test

import (
	"context"
	"sync"
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/planner"
)

// deadlineEmbedder records whether each Embed call's context had a deadline.
type deadlineEmbedder struct {
	embed.Embedder
	mu        sync.Mutex
	deadlines []bool
}

func (e *deadlineEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	_, ok := ctx.Deadline()
	e.mu.Lock()
	e.deadlines = append(e.deadlines, ok)
	e.mu.Unlock()
	return e.Embedder.Embed(ctx, texts)
}

func (e *deadlineEmbedder) calls() []bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]bool(nil), e.deadlines...)
}

// A request its cache entry serves verbatim runs without a deadline (nothing on its path
// waits); every other lookup, one that embeds the request among them, still runs within
// the request's deadline.
func TestOnlyAVerbatimHitRunsWithoutTheDeadline(t *testing.T) {
	emb := &deadlineEmbedder{Embedder: localEmbedder(t)}
	c, err := cache.New(cache.Config{}, emb, cache.NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(compiledRegistry(t), planner.WithPatternPlanner(&fakeOffline{}), planner.WithCache(c),
		planner.WithLLM(planner.LLMConfig{Provider: &scriptedProvider{replies: []reply{{plan: goodPlan}}}, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const req = "weather in Paris on 2026-12-24, then text it to +1 555 123 4567"
	if r, err := p.Plan(ctx, planner.Request{Text: req, Tenant: "a"}); err != nil || r.Source != planner.SourceLLM {
		t.Fatalf("first: %v %+v", err, r)
	}
	before := len(emb.calls())
	r, err := p.Plan(ctx, planner.Request{Text: req, Tenant: "a"})
	if err != nil || r.Source != planner.SourceCache || !r.Cache.Exact {
		t.Fatalf("verbatim: %v %+v", err, r)
	}
	if n := len(emb.calls()); n != before {
		t.Fatalf("a verbatim hit embedded its request (%d calls)", n-before)
	}
	// Another text: the lookup embeds it, within the deadline.
	if _, err := p.Plan(ctx, planner.Request{Text: "weather in Lyon on 2026-12-24, then text it to +1 555 123 4567", Tenant: "a"}); err != nil {
		t.Fatal(err)
	}
	calls := emb.calls()
	if len(calls) == before {
		t.Fatal("the second text was not embedded: the test no longer reaches the semantic lookup")
	}
	for i, ok := range calls[before:] {
		if !ok {
			t.Fatalf("embedding %d of a lookup ran without the request's deadline", i)
		}
	}
}

// The planner half of a cache hit served verbatim has an allocation budget (issue 13:
// the hit path's garbage was a tenth of its CPU). Raise it only with a measurement that
// says the new allocation is worth it (BenchmarkPlannerCacheHit, bench hits).
func TestVerbatimHitAllocationBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	const budget = 29
	p, _ := newCachedPlanner(t, &scriptedProvider{replies: []reply{{plan: goodPlan}}})
	// The server's requests have a cancelable context: a deadline derived from it
	// registered with it and allocated its channel.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := planner.Request{Text: "weather in Paris on 2026-12-24, then text it to +1 555 123 4567", Tenant: "a"}
	if _, err := p.Plan(ctx, req); err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(200, func() {
		if r, err := p.Plan(ctx, req); err != nil || r.Source != planner.SourceCache {
			t.Fatalf("%v %+v", err, r)
		}
	})
	if n > budget {
		t.Fatalf("a verbatim cache hit allocates %.0f times in Planner.Plan; the budget is %d", n, budget)
	}
	t.Logf("%.0f allocations (budget %d)", n, budget)
}
