package metrics

import (
	"fmt"
	"testing"
	"time"
)

func benchEvents() []Event {
	evs := make([]Event, 64)
	for i := range evs {
		evs[i] = Event{
			Source: []string{"llm", "cache", "history", "pattern"}[i%4], Model: []string{"gpt-4o-mini", "gpt-4o"}[i%2],
			Tier: []string{"simple", "moderate", "complex"}[i%3], Variant: []string{"a", "b"}[i%2],
			APIKey: fmt.Sprintf("key-%d", i%8), Tenant: fmt.Sprintf("t%d", i%3),
			Latency: time.Duration(1+i*37) * time.Millisecond, Success: i%10 != 0, Fallback: i%7 == 0, FallbackReason: "timeout",
			CacheResult: []string{"hit", "miss", "exact", "skip"}[i%4], Valid: i%9 != 0,
			PromptTokens: 300 + i, CompletionTokens: 80, CostUSD: 0.0001,
		}
		if i%5 == 0 {
			evs[i].ErrorType = "RateLimitError"
			evs[i].Errors = []string{"RateLimitError", "TimeoutError"}
		}
	}
	return evs
}

// BenchmarkRecord is the hot path of every request: go test -bench Record -benchmem ./metrics/
func BenchmarkRecord(b *testing.B) {
	r := NewRecorder(Options{})
	evs := benchEvents()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.Record(evs[i&63])
		i++
	}
}

func BenchmarkRecordParallel(b *testing.B) {
	r := NewRecorder(Options{})
	evs := benchEvents()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.Record(evs[i&63])
			i++
		}
	})
}

func BenchmarkSummaryWindow(b *testing.B) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	evs := benchEvents()
	for i := range 60 * 1000 {
		r.Record(evs[i&63])
		if i%1000 == 999 {
			clk.Advance(time.Minute)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Summary(5 * time.Minute)
	}
}

func BenchmarkSummaryLifetime(b *testing.B) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	evs := benchEvents()
	for i := range 60 * 1000 {
		r.Record(evs[i&63])
		if i%1000 == 999 {
			clk.Advance(time.Minute)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Summary(0)
	}
}
