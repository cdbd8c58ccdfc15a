package metrics_test

import (
	"context"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/metrics"
)

// memSpend is a SpendStore in memory, standing in for the shared database, that can be
// made to fail writes.
type memSpend struct {
	metrics.MemorySpendStore
	fail atomic.Bool
}

func (m *memSpend) AddSpend(ctx context.Context, rows []metrics.Spend) error {
	if m.fail.Load() {
		return context.DeadlineExceeded
	}
	return m.MemorySpendStore.AddSpend(ctx, rows)
}

// Two replicas' ledgers over one store see each other's spending after a sync, and a new
// process starts from the day's spending so far.
func TestLedgerSharedAndDurable(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	store := &memSpend{}
	a, b := metrics.NewLedger(store, clock, nil), metrics.NewLedger(store, clock, nil)
	a.Add("k1", 0.003)
	if total, _ := a.DayCost(now); math.Abs(total-0.003) > 1e-12 {
		t.Fatalf("local spending not seen at once: %v", total)
	}
	b.Add("k2", 0.5)
	for _, l := range []*metrics.Ledger{a, b, a} {
		if err := l.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for name, l := range map[string]*metrics.Ledger{"a": a, "b": b} {
		total, byKey := l.DayCost(now)
		if math.Abs(total-0.503) > 1e-9 || math.Abs(byKey["k1"]-0.003) > 1e-9 {
			t.Fatalf("replica %s: total %v by key %v; want 0.503", name, total, byKey)
		}
	}
	// A failed write keeps the spending counted and writes it later.
	store.fail.Store(true)
	a.Add("k1", 1)
	if err := a.Sync(ctx); err == nil {
		t.Fatal("sync with a failing store succeeded")
	}
	if total, _ := a.DayCost(now); math.Abs(total-1.503) > 1e-9 {
		t.Fatalf("after a failed write: %v, want 1.503", total)
	}
	store.fail.Store(false)
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	restarted := metrics.NewLedger(store, clock, nil)
	if err := restarted.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if total, _ := restarted.DayCost(now); math.Abs(total-1.503) > 1e-9 {
		t.Fatalf("after a restart: %v, want 1.503", total)
	}
	// A new UTC day starts from zero.
	if total, _ := restarted.DayCost(now.Add(13 * time.Hour)); total != 0 {
		t.Fatalf("next day: %v", total)
	}
}
