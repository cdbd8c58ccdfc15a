// Package query is a planning request as every stage sees it, and the one contract every
// planner implements.
//
// A Query is the request's text and the tenant it plans for. The tenant travels in the
// Query, not in the context: a planner that reads per-tenant state (the history planner)
// takes it from there, and a planner that does not ignores it.
//
// Planner is the contract of the offline planners (pattern.Pattern, histplan.History),
// of the evaluations' planners and of the simulator's answerer: Plan(ctx, Query) returns
// a plan or an error wrapping plan.ErrCannotPlan when it has no answer. The package sits
// below every stage (it imports only plan), so any of them can name the contract without
// an import cycle.
package query

import (
	"context"

	"github.com/planwise/planwise/plan"
)

// Query is one planning request.
type Query struct {
	// Text is the request as the user wrote it (the planner has trimmed it).
	Text string
	// Tenant is the customer the request plans for; "" is no tenant in particular.
	Tenant string
}

// New returns the Query for text, with no tenant.
func New(text string) Query { return Query{Text: text} }

// For returns the Query for text planned for tenant.
func For(tenant, text string) Query { return Query{Text: text, Tenant: tenant} }

// Planner plans a query without asking anyone else. It returns an error wrapping
// plan.ErrCannotPlan when it has no plan for the query, and ctx's error when ctx ends
// first.
type Planner interface {
	Plan(ctx context.Context, q Query) (*plan.Plan, error)
}

// PlannerFunc adapts a function to Planner.
type PlannerFunc func(ctx context.Context, q Query) (*plan.Plan, error)

// Plan calls f.
func (f PlannerFunc) Plan(ctx context.Context, q Query) (*plan.Plan, error) { return f(ctx, q) }
