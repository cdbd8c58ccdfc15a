// Package planner is the orchestrator: the only package that knows the order of the
// request path (mission.md section 1).
//
//	admit -> route (tier, model) -> semantic cache -> prompt -> LLM (strict structured
//	      output) -> validate -> one repair round -> cascade one tier up -> offline
//	      planners (history, then pattern) -> a typed error; then record
//
// The route comes before the cache because the tier is part of the cache's namespace.
// docs/architecture.md follows a request through it hop by hop.
//
// Every stage is optional except validation and the pattern planner: with no LLM
// configured the planner runs fully offline, and every response says so (Offline, Source,
// Fallback, FallbackReason). Every plan returned has passed plan.Validate against the
// planner's registry; nothing else ever leaves Plan.
//
// A Planner is safe for concurrent use. Create one with New; it owns no background work
// (the history's write queue, the cache's store and the LLM client belong to whoever
// passed them in: package app for planwise serve).
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
