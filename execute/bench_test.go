package execute_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// benchPlan builds n steps: a chain (each step references the previous one) or a fan of
// independent steps.
func benchPlan(b *testing.B, n int, chain bool) *plan.Plan {
	var steps []string
	for i := 1; i <= n; i++ {
		args := `{"x":1}`
		if chain && i > 1 {
			args = fmt.Sprintf(`{"x":"${s%d.x}","t":"prev ${s%d.x}"}`, i-1, i-1)
		}
		steps = append(steps, fmt.Sprintf(`{"id":"s%d","tool":"noop","args":%s}`, i, args))
	}
	p, err := plan.Parse([]byte(`{"steps":[` + strings.Join(steps, ",") + `]}`))
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkRun measures the executor's own overhead per run: validation, scheduling,
// reference resolution, argument checks and result assembly around a tool that returns
// at once.
func BenchmarkRun(b *testing.B) {
	noop := testTool("noop", false, "")
	reg, err := tool.NewRegistry(noop)
	if err != nil {
		b.Fatal(err)
	}
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, funcs{
		"noop": func(_ context.Context, args map[string]any) (any, error) { return map[string]any{"x": 1}, nil },
	}))
	for _, c := range []struct {
		name  string
		n     int
		chain bool
	}{{"chain-1", 1, true}, {"chain-10", 10, true}, {"fan-10", 10, false}} {
		p := benchPlan(b, c.n, c.chain)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if res := ex.Run(context.Background(), p, execute.RunOptions{}); res.Status != execute.RunSucceeded {
					b.Fatal(res.Status)
				}
			}
		})
	}
}
