package execute

import (
	"context"
	"errors"
	"fmt"

	"github.com/planwise/planwise/tool"
)

// Runner runs tools of one kind (builtin, http, mcp, simulated, go). args are JSON values
// with every reference resolved. The output must be JSON-encodable; the executor
// normalizes it. A Runner must honour ctx and be safe for concurrent use.
type Runner interface {
	Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error)
}

// RunnerFunc adapts a function to Runner.
type RunnerFunc func(ctx context.Context, t *tool.Tool, args map[string]any) (any, error)

// Run calls f.
func (f RunnerFunc) Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error) {
	return f(ctx, t, args)
}

// PermanentError marks a failure that retrying cannot fix (bad arguments, a refused
// address, a client error). The executor does not retry it even for idempotent tools.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError (nil stays nil).
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err is marked permanent.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// ArgError is an argument a tool cannot use. It is permanent.
type ArgError struct {
	Arg string
	Msg string
}

func (e *ArgError) Error() string {
	if e.Arg == "" {
		return e.Msg
	}
	return fmt.Sprintf("argument %s: %s", e.Arg, e.Msg)
}

// ErrNoRunner is returned for a tool whose run kind has no Runner.
var ErrNoRunner = errors.New("no runner for this kind of tool")

func permanentErr(err error) bool {
	if IsPermanent(err) {
		return true
	}
	var ae *ArgError
	var re *refError
	var be *BlockedError
	var le *LimitError
	// A tool error the MCP server reported (isError) is the tool's answer, not a
	// transport failure: asking again gets the same answer.
	var me *MCPToolError
	return errors.As(err, &ae) || errors.As(err, &re) || errors.As(err, &be) || errors.As(err, &le) || errors.As(err, &me) || errors.Is(err, ErrNoRunner)
}
