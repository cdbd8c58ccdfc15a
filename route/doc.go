// Package route decides how hard a planning request is and which model should plan it.
//
// The planner calls it once per request that reaches the LLM stage (after the cache) and
// again when a model's plan stays invalid after repair (the cascade):
//
//	r, _ := route.NewRouter(route.Config{}, route.NewAnalyzer(matcher))
//	d := r.Route(request, apiKey)   // Decision{Tier, Model, Score, Reasons}
//	...plan with d.Model; if the plan stays invalid:
//	next, ok := r.Escalate(d)       // the next stronger tier with a different model
//
// # Analysis
//
// An analyzer maps a request to a Tier (Simple, Moderate, Complex) with a score and the
// reasons, in microseconds and without any model call. Two are provided:
//
//   - SeedAnalyzer reproduces the seed project's heuristics (word count, multi-step
//     markers, conditionals, loops, references; the exact rules are on the type). It is
//     kept as the baseline that `planwise eval route` compares against.
//   - Analyzer extracts Features (the seed's cues counted rather than flagged, plus
//     cues of parallel and fan-in structure and, when a ClauseMatcher is given, the
//     number of clauses and of distinct tools the request maps to) and classifies them
//     with a small multinomial logistic regression. Its weights (model.json, embedded)
//     were fitted on TaskBench shape labels (single -> Simple, chain -> Moderate, dag ->
//     Complex) over the train part of a deterministic split by request-id hash; `go
//     generate` (or `planwise eval route --train`) re-fits them.
//
// The tiers are a proxy for the shape of the plan a request needs: one tool call
// (Simple), a sequence (Moderate), or a graph with parallel branches, fan-in, conditions
// or loops (Complex). Routing only needs the tier to be right where the cheap model
// would fail; the cascade (Escalate) catches the rest.
//
// # Routing
//
// Config maps tiers to models (defaults: Simple and Moderate to gpt-4o-mini, Complex to
// gpt-4o), with per-API-key overrides, orders the tiers for the cascade, and may set
// score thresholds that replace the analyzer's own tier choice (to be tuned from the
// recorded decisions and their cost and validity). A Router is
// immutable after NewRouter and safe for concurrent use. A Decision is a plain value
// with JSON tags so the history store can keep it next to the request's cost and
// outcome; it carries the KeyID its caller gave Route, the non-secret id of the API key
// (planwise's server.KeyID, computed once per request where the key is checked; the
// router never sees a key), so that Escalate still honours the key's overrides after a
// round trip through storage.
//
// # Measuring
//
// `planwise eval route` (package eval/route) scores both analyzers on TaskBench's
// held-out requests and replays a workload through the real planner and the simulator
// to compare the cost of routing with "gpt-4o for everything". The model depends on the
// pattern planner's clause splitting: when that changes, re-fit (go generate ./route)
// and re-check the scores.
package route
