package planner

import (
	"errors"
	"fmt"
	"testing"

	"github.com/planwise/planwise/llm"
)

func TestAuthRefused(t *testing.T) {
	refused := &Response{Source: "pattern", Fallback: true, Errors: []string{string(llm.RateLimitError), string(llm.AuthError)}}
	other := &Response{Source: "pattern", Fallback: true, Errors: []string{string(llm.RateLimitError)}}
	for _, tt := range []struct {
		name string
		resp *Response
		err  error
		want bool
	}{
		{"nothing", nil, nil, false},
		{"answered after a refused key", refused, nil, true},
		{"answered after other errors", other, nil, false},
		{"a typed error carrying a refused key", nil, fmt.Errorf("plan: %w", &Error{Code: CodeCannotPlan, Response: refused}), true},
		{"a typed error without a response", other, &Error{Code: CodeCannotPlan}, false},
		{"an untyped error", nil, errors.New("boom"), false},
	} {
		if got := AuthRefused(tt.resp, tt.err); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
