package client

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// The CLI's error object keeps a planner's and a server's own code, and otherwise names
// the failure by its type, never by its words.
func TestErrorObject(t *testing.T) {
	refusal := &planner.Error{Code: planner.CodeCannotPlan, Message: "no tool fits", Causes: []string{"pattern: no tool"}}
	if got := ErrorObject(fmt.Errorf("run: %w", refusal)); got != refusal {
		t.Errorf("a planner error: %#v; want the planner's own error object", got)
	}
	for _, c := range []struct {
		err  error
		want Failure
	}{
		{&Error{Method: "GET", Path: "/x", StatusCode: 401, Code: "unauthorized", Message: "bad key"},
			Failure{Code: "unauthorized", Message: "GET /x: bad key (401 unauthorized)", Status: 401}},
		{&Error{Method: "GET", Path: "/x", StatusCode: 502}, Failure{Code: CodeHTTP, Message: "GET /x: HTTP 502", Status: 502}},
		{fmt.Errorf("stats: %w", &NetError{Method: "GET", Path: "/x", Err: errors.New("refused")}),
			Failure{Code: CodeUnreachable, Message: "stats: GET /x: refused"}},
		{errors.Join(errors.New("first"), &tool.Error{File: "t.yaml", Message: "bad"}),
			Failure{Code: CodeInvalidTools, Message: "first\nt.yaml: bad"}},
		{fmt.Errorf("store: %w", context.DeadlineExceeded), Failure{Code: CodeDeadline, Message: "store: context deadline exceeded"}},
		{errors.New("--limit must be 1-500"), Failure{Code: CodeFailed, Message: "--limit must be 1-500"}},
	} {
		if got, ok := ErrorObject(c.err).(*Failure); !ok || !reflect.DeepEqual(*got, c.want) {
			t.Errorf("ErrorObject(%v) = %#v; want %#v", c.err, ErrorObject(c.err), c.want)
		}
	}
}
