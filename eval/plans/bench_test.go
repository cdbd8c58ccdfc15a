package plans

import (
	"context"
	"testing"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
)

// BenchmarkScore measures scoring one two-step prediction against its gold plan.
func BenchmarkScore(b *testing.B) {
	s := weatherMail()
	p := steps(step("s1", "get_weather", map[string]any{"location": "Paris"}),
		step("s2", "send_email", map[string]any{"to": "bob@example.com", "body": "${s1.summary}"}))
	b.ReportAllocs()
	for b.Loop() {
		Score(s, p)
	}
}

type fixed struct{ p *plan.Plan }

func (f fixed) Plan(context.Context, query.Query) (*plan.Plan, error) { return f.p, nil }

// BenchmarkRun measures eval's own overhead per sample (validation, scoring,
// aggregation) with a planner that answers instantly.
func BenchmarkRun(b *testing.B) {
	reg := testRegistry(b)
	samples := make([]dataset.Sample, 100)
	for i := range samples {
		samples[i] = weatherMail()
	}
	p := fixed{weatherMail().Plan()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), p, reg, samples, RunOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(samples))/1000, "us/sample")
}
