package client

import (
	"context"
	"errors"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// The codes of the failures that are neither the planner's (*planner.Error, whose own
// code is kept) nor a server's answer (*Error, whose code is kept).
const (
	CodeUnreachable  = "unreachable"   // a server that did not answer (*NetError)
	CodeInvalidTools = "invalid_tools" // a tool file or MCP tool that does not load (*tool.Error)
	CodeDeadline     = "deadline"      // a deadline or --timeout spent
	CodeHTTP         = "http_error"    // a server's non-2xx answer that carried no typed error
	CodeFailed       = "failed"        // any other failure: usage, configuration, I/O
)

// Failure is the error object of a failure that is not the planner's: Code one of the
// constants above or a server's own code, Message what the CLI says on stderr without
// --json, Status a server's HTTP status when it answered.
type Failure struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Status  int    `json:"status,omitempty"`
}

// ErrorObject is the value the planwise CLI prints under "error" for err, the failure of
// a command given --json (README: stdout then holds one JSON document): the planner's
// own error (*planner.Error, as the HTTP API sends it, causes and all) when the planner
// failed, else a *Failure whose message is err's text, the words a person gets on
// stderr without --json.
func ErrorObject(err error) any {
	if pe, ok := planner.AsError(err); ok {
		return pe
	}
	o := &Failure{Code: CodeFailed, Message: err.Error()}
	if ce, ok := errors.AsType[*Error](err); ok {
		o.Code, o.Status = ce.Code, ce.StatusCode
		if o.Code == "" {
			o.Code = CodeHTTP
		}
		return o
	}
	if _, ok := errors.AsType[*NetError](err); ok {
		o.Code = CodeUnreachable
	} else if _, ok := errors.AsType[*tool.Error](err); ok {
		o.Code = CodeInvalidTools
	} else if errors.Is(err, context.DeadlineExceeded) {
		o.Code = CodeDeadline
	}
	return o
}
