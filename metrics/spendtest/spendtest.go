// Package spendtest is the conformance suite of metrics.SpendStore implementations.
package spendtest

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/planwise/planwise/metrics"
)

// Run tests a new, empty store.
func Run(t *testing.T, s metrics.SpendStore) {
	ctx := context.Background()
	day := time.Date(2026, 11, 26, 15, 4, 5, 0, time.UTC)
	if err := s.AddSpend(ctx, []metrics.Spend{{Day: day, APIKey: "k1", USD: 0.25}, {Day: day, APIKey: "k2", USD: 0.5}}); err != nil {
		t.Fatal(err)
	}
	// Adds sum, also from several writers at once.
	done := make(chan error, 4)
	for range 4 {
		go func() { done <- s.AddSpend(ctx, []metrics.Spend{{Day: day.Add(time.Hour), APIKey: "k1", USD: 0.125}}) }()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddSpend(ctx, []metrics.Spend{{Day: day.AddDate(0, 0, 1), APIKey: "k1", USD: 9}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.DaySpend(ctx, metrics.Day(day))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || math.Abs(got["k1"]-0.75) > 1e-9 || math.Abs(got["k2"]-0.5) > 1e-9 {
		t.Fatalf("day spend %v, want k1 0.75 and k2 0.5", got)
	}
	got, err = s.DaySpend(ctx, day.AddDate(0, 0, -1))
	if err != nil || len(got) != 0 {
		t.Fatalf("a day without spending: %v, %v", got, err)
	}
}
