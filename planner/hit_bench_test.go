package planner_test

import (
	"context"
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
)

// BenchmarkPlannerCacheHit measures Planner.Plan serving one request again and again
// from the cache (an exact hit, the hit path's planner half): the lookup, the response
// and the accounting, with no history attached.
func BenchmarkPlannerCacheHit(b *testing.B) {
	reg := registry(b)
	s, err := prompt.CompileSchema(reg)
	if err != nil {
		b.Fatal(err)
	}
	compiledMode = s.Mode
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		b.Fatal(err)
	}
	c, err := cache.New(cache.Config{}, emb, cache.NewMemoryStore())
	if err != nil {
		b.Fatal(err)
	}
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}), planner.WithCache(c),
		planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := planner.Request{Text: "weather in Paris on 2026-12-24, then text it to +1 555 123 4567", Tenant: "a"}
	if _, err := p.Plan(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := p.Plan(ctx, req)
		if err != nil || resp.Source != planner.SourceCache {
			b.Fatalf("%v %+v", err, resp)
		}
	}
}
