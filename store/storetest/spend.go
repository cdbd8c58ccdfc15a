package storetest

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/planwise/planwise/metrics"
)

func runSpend(t *testing.T, open Opener) {
	runEach(t, open, func(s Stores) metrics.SpendStore { return s.Spend }, []test[metrics.SpendStore]{
		{"AddAndRead", testSpend},
	})
}

// testSpend: amounts add up per UTC day and key, also from concurrent writers, and
// survive a restart.
func testSpend(t *testing.T, s metrics.SpendStore, reopen func() metrics.SpendStore) {
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
	if err := s.AddSpend(ctx, nil); err != nil {
		t.Fatalf("adding nothing: %v", err)
	}
	if reopen != nil {
		s = reopen()
	}
	got, err := s.DaySpend(ctx, metrics.Day(day))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || math.Abs(got["k1"]-0.75) > 1e-9 || math.Abs(got["k2"]-0.5) > 1e-9 {
		t.Fatalf("day spend %v, want k1 0.75 and k2 0.5", got)
	}
	// Any time of the day names the day.
	if got, err := s.DaySpend(ctx, day.Add(8*time.Hour)); err != nil || math.Abs(got["k1"]-0.75) > 1e-9 {
		t.Fatalf("day spend read at 23:04: %v, %v", got, err)
	}
	got, err = s.DaySpend(ctx, day.AddDate(0, 0, -1))
	if err != nil || len(got) != 0 {
		t.Fatalf("a day without spending: %v, %v", got, err)
	}
}
