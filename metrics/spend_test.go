package metrics_test

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/metrics/spendtest"
)

// memSpend is a SpendStore in memory, standing in for the shared database.
type memSpend struct {
	mu   sync.Mutex
	days map[int64]map[string]float64
	fail bool
}

func (m *memSpend) AddSpend(_ context.Context, rows []metrics.Spend) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return context.DeadlineExceeded
	}
	if m.days == nil {
		m.days = map[int64]map[string]float64{}
	}
	for _, r := range rows {
		d := metrics.Day(r.Day).Unix()
		if m.days[d] == nil {
			m.days[d] = map[string]float64{}
		}
		m.days[d][r.APIKey] += r.USD
	}
	return nil
}

func (m *memSpend) DaySpend(_ context.Context, day time.Time) (map[string]float64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]float64{}
	for k, v := range m.days[metrics.Day(day).Unix()] {
		out[k] = v
	}
	return out, nil
}

func TestSpendStoreConformanceMemory(t *testing.T) { spendtest.Run(t, &memSpend{}) }

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
	store.fail = true
	a.Add("k1", 1)
	if err := a.Sync(ctx); err == nil {
		t.Fatal("sync with a failing store succeeded")
	}
	if total, _ := a.DayCost(now); math.Abs(total-1.503) > 1e-9 {
		t.Fatalf("after a failed write: %v, want 1.503", total)
	}
	store.fail = false
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
