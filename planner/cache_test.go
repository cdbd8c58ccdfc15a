package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/store/sqlite"
)

func newCachedPlanner(t testing.TB, prov *scriptedProvider) (*planner.Planner, *cache.Cache) {
	t.Helper()
	reg := compiledRegistry(t)
	emb := localEmbedder(t)
	c, err := cache.New(cache.Config{}, emb, cache.NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}), planner.WithCache(c),
		planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func TestCacheHitNeverCallsTheLLM(t *testing.T) {
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
	p, _ := newCachedPlanner(t, prov)
	ctx := context.Background()
	const req = "weather in Paris, then text it to +1 555 123 4567"
	first, err := p.Plan(ctx, planner.Request{Text: req, Tenant: "a"})
	if err != nil || first.Source != planner.SourceLLM {
		t.Fatalf("first: %v %+v", err, first)
	}
	second, err := p.Plan(ctx, planner.Request{Text: req, Tenant: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if second.Source != planner.SourceCache || second.Cache == nil || !second.Cache.Exact || second.Cache.Similarity != 1 || second.Attempts != 0 {
		t.Fatalf("second: %+v cache %+v", second, second.Cache)
	}
	if prov.calls != 1 {
		t.Fatalf("the provider was called %d times; a hit must not call it", prov.calls)
	}
	// Another tenant never sees tenant a's plan.
	third, err := p.Plan(ctx, planner.Request{Text: req, Tenant: "b"})
	if err != nil || third.Source != planner.SourceLLM {
		t.Fatalf("other tenant: %v %+v", err, third)
	}
	// no_cache skips it.
	fourth, err := p.Plan(ctx, planner.Request{Text: req, Tenant: "a", Options: planner.Options{NoCache: true}})
	if err != nil || fourth.Source != planner.SourceLLM {
		t.Fatalf("no_cache: %v %+v", err, fourth)
	}
}

func TestNegativeFeedbackEvicts(t *testing.T) {
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
	p, c := newCachedPlanner(t, prov)
	ctx := context.Background()
	const req = "weather in Paris, then text it to +1 555 123 4567"
	if _, err := p.Plan(ctx, planner.Request{Text: req}); err != nil {
		t.Fatal(err)
	}
	// The run is recorded in a store, so feedback reads it back from there (as after a
	// restart, or on another replica): the cache entry must survive in the run's record.
	db, err := sqlite.Open(ctx, t.TempDir()+"/runs.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs := planner.NewRuns(p, execute.New(p.Registry()), db.Runs(), nil)
	defer runs.Close()
	st, err := runs.Start(ctx, planner.RunRequest{Request: planner.Request{Text: req}, DryRun: true}, true)
	if err != nil || st.Source != planner.SourceCache {
		t.Fatalf("run: %v %+v", err, st)
	}
	if err := runs.Feedback(ctx, st.ID, execute.Feedback{Rating: -1}, ""); err != nil {
		t.Fatal(err)
	}
	if n := c.Stats().Entries; n != 0 {
		t.Fatalf("%d entries after negative feedback", n)
	}
	again, err := p.Plan(ctx, planner.Request{Text: req})
	if err != nil || again.Source != planner.SourceLLM {
		t.Fatalf("after eviction: %v %+v", err, again)
	}
}

// A cache hit's reasoning and goal do not quote the request its plan was made for: the
// model's words about one user's request reached another user of the tenant whose
// request the cache re-bound the plan to (the reasoning whole, the goal's words other
// than its slots).
func TestCacheHitReasoningIsNotTheCachedRequests(t *testing.T) {
	p0 := goodPlan.Clone()
	p0.Reasoning = "The user wants the weather in Paris texted to +1 555 123 4567: get_weather, then send_sms."
	p0.Goal = "Text the weather in Paris to +1 555 123 4567 before the chemotherapy appointment"
	prov := &scriptedProvider{replies: []reply{{plan: p0}}}
	p, _ := newCachedPlanner(t, prov)
	ctx := context.Background()
	first, err := p.Plan(ctx, planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", Tenant: "a", APIKey: "alice"})
	if err != nil || first.Source != planner.SourceLLM || first.Plan.Reasoning != p0.Reasoning {
		t.Fatalf("first: %v %+v", err, first)
	}
	second, err := p.Plan(ctx, planner.Request{Text: "weather in Rome, then text it to +1 555 987 6543", Tenant: "a", APIKey: "bob"})
	if err != nil || second.Source != planner.SourceCache {
		t.Fatalf("second: %v %+v", err, second)
	}
	for _, w := range []string{"Paris", "123 4567"} {
		if strings.Contains(second.Plan.Reasoning, w) {
			t.Errorf("bob's hit: reasoning %q quotes alice's request (%q)", second.Plan.Reasoning, w)
		}
	}
	if second.Plan.Reasoning != cache.ReasoningSemantic {
		t.Errorf("bob's hit: reasoning %q, want %q", second.Plan.Reasoning, cache.ReasoningSemantic)
	}
	if second.Plan.Goal != "weather in Rome, then text it to +1 555 987 6543" {
		t.Errorf("bob's hit: goal %q, want his request", second.Plan.Goal)
	}
}
