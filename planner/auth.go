package planner

import (
	"slices"

	"github.com/planwise/planwise/llm"
)

// AuthRefused reports whether the LLM provider refused the credentials while a request
// was answered; resp and err are Plan's results (the Response of a typed error counts).
// An authentication error is a configuration problem no retry or fallback fixes, and the
// offline plan that follows looks like an ordinary answer: callers should say it loudly.
func AuthRefused(resp *Response, err error) bool {
	if pe, ok := AsError(err); ok && pe.Response != nil {
		resp = pe.Response
	}
	return resp != nil && slices.Contains(resp.Errors, string(llm.AuthError))
}
