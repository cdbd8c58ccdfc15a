package planner_test

import (
	"testing"

	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/tool"
)

// TestRoutingSharesThePatternPlanner: with LLMConfig.Routing the complexity router
// matches clauses with the planner's own pattern planner, so building a planner over a
// registry builds one pattern planner, not a second for the router (issue 14). Without
// it, building the routed planner allocates at least a whole pattern planner more than
// the same planner routed by a TwoModelRouter.
func TestRoutingSharesThePatternPlanner(t *testing.T) {
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	build := func(c planner.LLMConfig) {
		c.Provider = &scriptedProvider{}
		if _, err := planner.New(reg, planner.WithLLM(c)); err != nil {
			t.Fatal(err)
		}
	}
	pat := testing.AllocsPerRun(5, func() { pattern.NewPattern(reg) })
	twoModels := testing.AllocsPerRun(5, func() { build(planner.LLMConfig{Router: planner.TwoModelRouter{Primary: "a", Strong: "b"}}) })
	routed := testing.AllocsPerRun(5, func() { build(planner.LLMConfig{Routing: &route.Config{}}) })
	separate := testing.AllocsPerRun(5, func() {
		r, err := planner.NewComplexityRouter(reg, route.Config{})
		if err != nil {
			t.Fatal(err)
		}
		build(planner.LLMConfig{Router: r})
	})
	t.Logf("allocations: pattern planner %.0f; planner with two models %.0f, routed %.0f, with NewComplexityRouter %.0f", pat, twoModels, routed, separate)
	if routed-twoModels >= pat {
		t.Errorf("routing added %.0f allocations to the planner, a pattern planner's %.0f or more: the router built a pattern planner of its own", routed-twoModels, pat)
	}
	if separate-twoModels < pat {
		t.Errorf("the test cannot tell: NewComplexityRouter's own pattern planner added %.0f allocations, less than a pattern planner's %.0f", separate-twoModels, pat)
	}
}
