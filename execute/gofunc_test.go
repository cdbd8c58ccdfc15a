package execute_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// addIn and addOut are mcp_test.go's.

// Tools built with tool.Func run for real in the executor (not simulated), their output
// feeds later steps, a dry run simulates them, and a panic fails the step, not the process.
func TestGoFunctionTools(t *testing.T) {
	var calls atomic.Int64
	add, err := tool.Func("add", "Add two numbers.", func(_ context.Context, in addIn) (addOut, error) {
		calls.Add(1)
		return addOut{Sum: in.A + in.B}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	boom, err := tool.Func("boom", "Panics.", func(context.Context, addIn) (addOut, error) { panic("kaboom") })
	if err != nil {
		t.Fatal(err)
	}
	reg, err := tool.NewRegistry(append(tool.Builtins(), add, boom)...)
	if err != nil {
		t.Fatal(err)
	}
	ex := execute.New(reg)
	defer ex.Close()
	p, err := plan.Parse([]byte(`{"steps":[
		{"id":"s1","tool":"add","args":{"a":2,"b":3}},
		{"id":"s2","tool":"add","args":{"a":"${s1.sum}","b":10}},
		{"id":"s3","tool":"calculate","args":{"expression":"${s2.sum} * 2"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(p, reg); err != nil {
		t.Fatalf("a reference into a Go tool's output does not validate: %v", err)
	}
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunSucceeded || calls.Load() != 2 {
		t.Fatalf("status %s after %d calls: %+v", res.Status, calls.Load(), res.Steps)
	}
	s2, _ := res.Step("s2")
	if s2.Simulated || s2.Output.(map[string]any)["sum"] != int64(15) {
		t.Errorf("s2: simulated %v, output %#v; want a real call giving 15", s2.Simulated, s2.Output)
	}
	if s3, _ := res.Step("s3"); s3.Output.(map[string]any)["result"] != int64(30) {
		t.Errorf("s3 output %#v", s3.Output)
	}
	dry := ex.Run(context.Background(), p, execute.RunOptions{DryRun: true})
	if s1, _ := dry.Step("s1"); !s1.Simulated || calls.Load() != 2 {
		t.Errorf("dry run: s1 simulated %v, calls %d", s1.Simulated, calls.Load())
	}
	bp, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"boom","args":{"a":1,"b":2}}]}`))
	res = ex.Run(context.Background(), bp, execute.RunOptions{})
	if s1, _ := res.Step("s1"); res.Status != execute.RunFailed || !strings.Contains(s1.Error, "boom panicked: kaboom") || s1.Attempts != 1 {
		t.Errorf("a panicking tool: status %s, step %+v", res.Status, s1)
	}
}
