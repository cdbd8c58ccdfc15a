// Package planner is the orchestrator: the only package that knows the order of the
// request path (mission.md section 1).
//
//	admit -> semantic cache -> route (tier, model) -> prompt -> LLM (strict structured output)
//	      -> validate -> one repair round -> cascade one tier up -> offline planners
//	      (history, then pattern) -> a typed error
//
// Every stage is optional except validation and the pattern planner: with no LLM
// configured the planner runs fully offline, and every response says so (Offline, Source,
// Fallback, FallbackReason). Every plan returned has passed plan.Validate against the
// planner's registry; nothing else ever leaves Plan.
//
// A Planner is safe for concurrent use. Create one with New and close it with Close when
// it owns background resources.
//
// Example (library use, offline):
//
//	reg, _ := tool.NewRegistry(tool.Builtins()...)
//	p, err := planner.New(reg)
//	if err != nil { ... }
//	resp, err := p.Plan(ctx, planner.Request{Text: "what time is it in Tokyo, then add 3 hours"})
//	if err != nil {
//		var pe *planner.Error
//		if errors.As(err, &pe) { ... pe.Code, pe.HTTPStatus() ... }
//	}
//	fmt.Println(resp.Source, len(resp.Plan.Steps))
package planner
