package planner

import (
	"slices"

	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/tool"
)

// ComplexityRouter routes by request complexity with a route.Router: the analyzer's tier
// picks the model, and the cascade climbs the router's tier order.
//
// The Route carries the key id of per-key overrides, so the cascade climbs the key's own
// tier table.
type ComplexityRouter struct {
	R *route.Router
}

// Route implements Router.
func (c ComplexityRouter) Route(req Request) Route {
	return fromDecision(c.R.Route(req.Text, req.APIKey))
}

// RouteQuery implements QueryRouter: the analyzer reads the slots q holds.
func (c ComplexityRouter) RouteQuery(req Request, q query.Query) Route {
	return fromDecision(c.R.RouteQuery(q, req.APIKey))
}

// Models implements ModelLister: the models of every tier for the request's API key.
func (c ComplexityRouter) Models(req Request) []string {
	var out []string
	for _, t := range route.Tiers() {
		if m := c.R.Model(t, req.APIKey); m != "" && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// Escalate implements Router.
func (c ComplexityRouter) Escalate(r Route) (Route, bool) {
	d, ok := c.R.Escalate(route.Decision{Tier: route.Tier(r.Tier), Model: r.Model, Score: r.Score, KeyID: r.KeyID})
	if !ok {
		return r, false
	}
	return fromDecision(d), true
}

func fromDecision(d route.Decision) Route {
	return Route{Tier: string(d.Tier), Model: d.Model, Score: d.Score, Reasons: d.Reasons, KeyID: d.KeyID}
}

// NewComplexityRouter returns a ComplexityRouter for reg: the analyzer maps requests to
// reg's tools with the pattern planner's clause matching, and cfg maps tiers to models.
// It builds a pattern planner of its own; LLMConfig.Routing routes with the planner's.
func NewComplexityRouter(reg *tool.Registry, cfg route.Config) (ComplexityRouter, error) {
	return complexityRouter(pattern.NewPattern(reg), cfg)
}

// complexityRouter is NewComplexityRouter over pat's clause matching.
func complexityRouter(pat *pattern.Pattern, cfg route.Config) (ComplexityRouter, error) {
	an, err := route.NewAnalyzer(route.MatchQueryClauses(pat.ClausesOf))
	if err != nil {
		return ComplexityRouter{}, err
	}
	r, err := route.NewRouter(cfg, an)
	if err != nil {
		return ComplexityRouter{}, err
	}
	return ComplexityRouter{R: r}, nil
}
