// Package histplan is the history planner (History): it answers a request with the plan
// of the most similar successful past request of the same namespace, re-bound to the new
// request's values, without an LLM. The request path asks it before the pattern planner
// (package pattern) when no model is configured or the model fails. Its past plans come
// from a HistorySource (history.History implements it); see history.go for the guards a
// past plan must pass. It returns a *plan.Plan that passed plan.Validate, or an error
// wrapping plan.ErrCannotPlan.
//
// The past request may be another user's of the tenant, so what reaches the caller
// never quotes it: a served plan's reasoning says it reused a similar past request's plan
// and how similar it was, and a refusal's reason says why the most similar one could not
// serve, not what it asked or which of its values failed to re-bind.
//
// The package is not named history: that name is the learning loop's store (package
// history), which supplies the past plans.
package histplan
