package execute

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/planwise/planwise/tool"
)

// GoRunner runs tools implemented by Go functions in this process (run kind go, built
// with tool.Func or tool.FuncSchema). The call is real: the step is not simulated. A
// panic in the function fails the step (permanently: a retry would panic again) instead
// of the process.
type GoRunner struct{}

// Run calls the tool's function.
func (GoRunner) Run(ctx context.Context, t *tool.Tool, args map[string]any) (out any, err error) {
	if t.Run == nil || t.Run.Go == nil {
		return nil, Permanent(fmt.Errorf("tool %s has no Go function (build it with tool.Func)", t.Name))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, Permanent(fmt.Errorf("tool %s panicked: %v\n%s", t.Name, p, debug.Stack()))
		}
	}()
	return t.Run.Go(ctx, args)
}
