package execute_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/tool"
)

func echoRunner(calls *atomic.Int64) funcs {
	return funcs{"echo": func(ctx context.Context, args map[string]any) (any, error) {
		if calls != nil {
			calls.Add(1)
		}
		return args, nil
	}}
}

// doublingPlan doubles a string through n steps: "${sK.text}${sK.text}".
func doublingPlan(n int) string {
	var b strings.Builder
	b.WriteString(`{"steps": [{"id": "s1", "tool": "echo", "args": {"text": "` + strings.Repeat("x", 1000) + `"}}`)
	for i := 2; i <= n; i++ {
		fmt.Fprintf(&b, `, {"id": "s%d", "tool": "echo", "args": {"text": "${s%d.text}${s%d.text}"}}`, i, i-1, i-1)
	}
	b.WriteString("]}")
	return b.String()
}

// The doubling plan that grew a server to 1.47 GB stops at the argument bound with a
// clear error; the steps after it are skipped.
func TestDoublingPlanBounded(t *testing.T) {
	reg := mustRegistry(t, testTool("echo", true, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, echoRunner(nil)), execute.WithLimits(execute.Limits{MaxArgBytes: 64 << 10}))
	res := ex.Run(context.Background(), mustPlan(t, doublingPlan(30)), execute.RunOptions{})
	if res.Status == execute.RunSucceeded {
		t.Fatal("the doubling plan succeeded")
	}
	// 1,000 bytes doubled: s7 holds 64,000 bytes; s8 would hold 128,000 > 64 KiB.
	s8 := step(t, res, "s8")
	if s8.Status != execute.StepFailed || !strings.Contains(s8.Error, "execute.max_arg_bytes") || !strings.Contains(s8.Error, "64 KiB") {
		t.Fatalf("s8: %s %q", s8.Status, s8.Error)
	}
	if s := step(t, res, "s7"); s.Status != execute.StepSucceeded {
		t.Fatalf("s7: %s %q", s.Status, s.Error)
	}
	if s := step(t, res, "s30"); s.Status != execute.StepSkipped {
		t.Fatalf("s30: %s", s.Status)
	}
}

// The outputs one run holds are bounded per call and for the whole run.
func TestOutputBounds(t *testing.T) {
	big := func(n int) fn {
		return func(context.Context, map[string]any) (any, error) {
			return map[string]any{"blob": strings.Repeat("y", n)}, nil
		}
	}
	reg := mustRegistry(t, testTool("big", true, ""), testTool("half", true, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{"big": big(2 << 20), "half": big(600 << 10)}),
		execute.WithLimits(execute.Limits{MaxOutputBytes: 1 << 20, MaxRunBytes: 1 << 20}))
	res := ex.Run(context.Background(), mustPlan(t, `{"steps": [{"id": "s1", "tool": "big", "args": {}}]}`), execute.RunOptions{})
	if s := step(t, res, "s1"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "execute.max_output_bytes") || s.Attempts != 1 {
		t.Fatalf("a 2 MiB output with a 1 MiB bound: %s %q (attempts %d)", s.Status, s.Error, s.Attempts)
	}
	res = ex.Run(context.Background(), mustPlan(t, `{"steps": [{"id": "s1", "tool": "half", "args": {}},
		{"id": "s2", "tool": "half", "args": {}, "after": ["s1"]}]}`), execute.RunOptions{})
	if s := step(t, res, "s2"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "execute.max_run_bytes") {
		t.Fatalf("two 600 KiB outputs with a 1 MiB run bound: %s %q", s.Status, s.Error)
	}
}

// A loop over more elements than the bound fails before calling anything; tool calls
// per run are capped.
func TestLoopAndCallBounds(t *testing.T) {
	list := func(n int) fn {
		return func(context.Context, map[string]any) (any, error) {
			items := make([]any, n)
			for i := range items {
				items[i] = int64(i)
			}
			return map[string]any{"items": items}, nil
		}
	}
	var calls atomic.Int64
	reg := mustRegistry(t, testTool("list", true, ""), testTool("echo", true, ""))
	run := func(n int, l execute.Limits) *execute.Result {
		calls.Store(0)
		r := echoRunner(&calls)
		r["list"] = list(n)
		ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, r), execute.WithLimits(l))
		return ex.Run(context.Background(), mustPlan(t, `{"steps": [{"id": "s1", "tool": "list", "args": {}},
			{"id": "s2", "tool": "echo", "for_each": "${s1.items}", "args": {"n": "${item}"}}]}`), execute.RunOptions{})
	}
	res := run(100_000, execute.Limits{})
	if s := step(t, res, "s2"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "execute.max_loop_items") || calls.Load() != 0 {
		t.Fatalf("a 100,000-element loop: %s %q, %d calls", s.Status, s.Error, calls.Load())
	}
	res = run(50, execute.Limits{MaxCalls: 10})
	if s := step(t, res, "s2"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "execute.max_calls") || calls.Load() > 9 {
		t.Fatalf("50 calls with a cap of 10 per run: %s %q, %d echo calls", s.Status, s.Error, calls.Load())
	}
	// Simulated calls are not outbound: a dry run is not capped by MaxCalls.
	calls.Store(0)
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, echoRunner(&calls)), execute.WithLimits(execute.Limits{MaxCalls: 1}))
	res = ex.Run(context.Background(), mustPlan(t, `{"steps": [{"id": "s1", "tool": "echo", "args": {}}, {"id": "s2", "tool": "echo", "args": {}}]}`),
		execute.RunOptions{DryRun: true})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("a dry run with MaxCalls 1: %s %q", res.Status, res.Error)
	}
}

// A run has an overall deadline.
func TestRunDeadline(t *testing.T) {
	reg := mustRegistry(t, testTool("hang", false, ""))
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{"hang": func(ctx context.Context, _ map[string]any) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}), execute.WithLimits(execute.Limits{RunTimeout: 100 * time.Millisecond}))
	start := time.Now()
	res := ex.Run(context.Background(), mustPlan(t, `{"steps": [{"id": "s1", "tool": "hang", "args": {}}]}`), execute.RunOptions{})
	if res.Status != execute.RunFailed || !strings.Contains(res.Error, "execute.run_timeout") || time.Since(start) > 5*time.Second {
		t.Fatalf("a hanging run with a 100 ms deadline: %s %q after %s", res.Status, res.Error, time.Since(start))
	}
}
