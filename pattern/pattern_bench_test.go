package pattern

import (
	"context"
	planq "github.com/planwise/planwise/query"
	"path/filepath"
	"testing"
)

var benchDailyLife = []string{
	"Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation",
	"I want to deliver a Birthday Gift to my friend in London, UK. Then, I need to book a flight from New York, USA to London, UK on August 1st, 2023 for myself.",
	"Please help me file my tax return for 2021, book Example Restaurant for a dinner on 25th December 2022, sell my Item XYZ on Amazon, and make a voice call to +1 123 456 7890.",
	"I want to watch the movie titled 'Example Movie'",
}

// BenchmarkPatternPlan measures one Plan call on the TaskBench daily-life catalog, over
// requests of one to four clauses.
func BenchmarkPatternPlan(b *testing.B) {
	p := NewPattern(dailyLife(b), WithClock(testNow))
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Plan(ctx, planq.New(benchDailyLife[i%len(benchDailyLife)])); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewPattern(b *testing.B) {
	reg := dailyLife(b)
	b.ReportAllocs()
	for b.Loop() {
		NewPattern(reg)
	}
}

// BenchmarkPatternPlanNESTFUL measures Plan over the NESTFUL executable requests (large
// output schemas, producer look-ups), cycling through all 85.
func BenchmarkPatternPlanNESTFUL(b *testing.B) {
	data := sharedData(b)
	reg := loadRegistry(b, filepath.Join(data, "nestful", "executable-spec.json"))
	samples := loadNESTFUL(b, filepath.Join(data, "nestful", "executable-data.json"))
	p := NewPattern(reg, WithClock(testNow))
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Plan(ctx, planq.New(samples[i%len(samples)].Input))
	}
}
