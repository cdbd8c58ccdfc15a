// Package histplan is the history planner (History): it answers a request with the plan
// of the most similar successful past request of the same namespace, re-bound to the new
// request's values, without an LLM. The request path asks it before the pattern planner
// (package pattern) when no model is configured or the model fails. Its past plans come
// from a HistorySource (history.History implements it); see history.go for the guards a
// past plan must pass. It returns a *plan.Plan that passed plan.Validate, or an error
// wrapping plan.ErrCannotPlan.
//
// The package is not named history: that name is the learning loop's store (package
// history), which supplies the past plans.
package histplan
