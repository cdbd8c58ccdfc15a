package planner_test

import (
	"context"
	"testing"

	"github.com/planwise/planwise/internal/cputime"
	"github.com/planwise/planwise/planner"
)

// BenchmarkPlannerCacheHit measures Planner.Plan serving one request again and again
// from the cache (an exact hit, the hit path's planner half): the lookup, the response
// and the accounting, with no history attached. cpu-ns/op is the process's CPU time a
// request, the garbage collector's included.
func BenchmarkPlannerCacheHit(b *testing.B) {
	p, _ := newCachedPlanner(b, &scriptedProvider{replies: []reply{{plan: goodPlan}}})
	ctx := context.Background()
	req := planner.Request{Text: "weather in Paris on 2026-12-24, then text it to +1 555 123 4567", Tenant: "a"}
	if _, err := p.Plan(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0, _ := cputime.Process()
	n := 0
	for b.Loop() {
		resp, err := p.Plan(ctx, req)
		if err != nil || resp.Source != planner.SourceCache {
			b.Fatalf("%v %+v", err, resp)
		}
		n++
	}
	if cpu1, ok := cputime.Process(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/op")
	}
}
