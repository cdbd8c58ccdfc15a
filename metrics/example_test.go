package metrics_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/planwise/planwise/metrics"
)

func Example() {
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	rec := metrics.NewRecorder(metrics.Options{Now: func() time.Time { return start }})

	// The planner records one Event per request.
	rec.Record(metrics.Event{Source: "llm", Model: "gpt-4o-mini", Tier: "simple", Latency: 420 * time.Millisecond,
		Success: true, Valid: true, CacheResult: "miss", PromptTokens: 900, CompletionTokens: 120, CostUSD: 0.000207})
	rec.Record(metrics.Event{Source: "cache", Tier: "simple", Latency: 300 * time.Microsecond, Success: true, Valid: true, CacheResult: "hit"})
	rec.Record(metrics.Event{Source: "pattern", Tier: "complex", Latency: 2 * time.Millisecond, Success: true,
		Fallback: true, FallbackReason: "circuit_open", CacheResult: "miss", ErrorType: "CircuitOpen"})

	s := rec.Summary(5 * time.Minute)
	fmt.Printf("requests %d, success %.2f, fallback %.2f, cache hits %.2f, tokens %d, errors %v\n",
		s.Requests, s.SuccessRate, s.FallbackRate, s.CacheHitRate, s.Cost.TotalTokens, s.Errors.ByType)

	// Alerts evaluate rules against the same recorder; Run drives Evaluate on a ticker.
	alerts, err := metrics.NewAlerts(rec, []metrics.Rule{
		{Name: "high_fallback_rate", Kind: metrics.KindFallbackRate, Threshold: 0.10, MinRequests: 3},
	}, metrics.AlertOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	for _, a := range alerts.Evaluate(context.Background(), start) {
		fmt.Println(a.State, a.Rule)
	}
	// Output:
	// requests 3, success 1.00, fallback 0.33, cache hits 0.33, tokens 1020, errors map[CircuitOpen:1]
	// firing high_fallback_rate
}
