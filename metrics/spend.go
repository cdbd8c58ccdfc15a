package metrics

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Spend is LLM spending on one UTC day by one API key (its non-secret key id).
type Spend struct {
	Day    time.Time // midnight UTC
	APIKey string
	USD    float64
}

// SpendStore keeps spending per UTC day and API key where every replica (and the next
// process) sees it: store/sqlite and store/postgres implement it. Methods are safe for
// concurrent use.
type SpendStore interface {
	// AddSpend adds each amount to its day and key, atomically.
	AddSpend(ctx context.Context, s []Spend) error
	// DaySpend returns the spending of day (midnight UTC) per API key.
	DaySpend(ctx context.Context, day time.Time) (map[string]float64, error)
}

// Day returns midnight UTC of t's day.
func Day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Ledger is the day's spending as budgets need it: what this process spent, at once, plus
// what every process recorded in the SpendStore, read again every Sync. Local spending
// is written to the store in batches by Run, so the request path never waits for it.
// Its view may miss another replica's last Sync interval of spending: budgets are caps
// with that slack, not exact counters.
type Ledger struct {
	store SpendStore
	now   func() time.Time
	log   *slog.Logger

	mu       sync.Mutex
	pending  map[spendKey]float64 // not yet written
	inflight map[spendKey]float64 // being written; not in the snapshot yet
	snapDay  time.Time
	snap     map[string]float64 // the store's view of snapDay, as last read
	loaded   bool
}

type spendKey struct {
	day time.Time
	key string
}

// NewLedger returns a ledger over store (nil keeps spending in this process only).
// now is the clock (time.Now when nil).
func NewLedger(store SpendStore, now func() time.Time, log *slog.Logger) *Ledger {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Ledger{store: store, now: now, log: log, pending: map[spendKey]float64{}, inflight: map[spendKey]float64{}, snap: map[string]float64{}}
}

// Add records usd spent now by apiKey.
func (l *Ledger) Add(apiKey string, usd float64) {
	if usd <= 0 {
		return
	}
	k := spendKey{Day(l.now()), apiKey}
	l.mu.Lock()
	l.pending[k] += usd
	l.mu.Unlock()
}

// DayCost returns the spending of now's UTC day, in total and per API key.
func (l *Ledger) DayCost(now time.Time) (total float64, byKey map[string]float64) {
	day := Day(now)
	byKey = map[string]float64{}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.snapDay.Equal(day) {
		for k, v := range l.snap {
			byKey[k] += v
		}
	}
	for _, m := range [2]map[spendKey]float64{l.pending, l.inflight} {
		for k, v := range m {
			if k.day.Equal(day) {
				byKey[k.key] += v
			}
		}
	}
	for _, v := range byKey {
		total += v
	}
	return total, byKey
}

// Sync writes local spending to the store and reads the day's total back.
func (l *Ledger) Sync(ctx context.Context) error {
	if l.store == nil {
		return nil
	}
	l.mu.Lock()
	if len(l.inflight) == 0 {
		l.inflight, l.pending = l.pending, map[spendKey]float64{}
	}
	batch := make([]Spend, 0, len(l.inflight))
	for k, v := range l.inflight {
		batch = append(batch, Spend{Day: k.day, APIKey: k.key, USD: v})
	}
	l.mu.Unlock()
	if len(batch) > 0 {
		if err := l.store.AddSpend(ctx, batch); err != nil {
			return err // inflight stays counted and is written on the next Sync
		}
	}
	day := Day(l.now())
	got, err := l.store.DaySpend(ctx, day)
	l.mu.Lock()
	defer l.mu.Unlock()
	// What was in flight is in the store now, whether or not the read succeeded.
	if err != nil {
		for k, v := range l.inflight {
			if l.snapDay.Equal(k.day) {
				l.snap[k.key] += v
			}
		}
		l.inflight = map[spendKey]float64{}
		return err
	}
	l.inflight = map[spendKey]float64{}
	l.snapDay, l.snap, l.loaded = day, got, true
	return nil
}

// Run syncs every interval until ctx ends, then once more.
func (l *Ledger) Run(ctx context.Context, interval time.Duration) {
	if l.store == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := l.Sync(sctx); err != nil {
				l.log.Error("could not record LLM spending at shutdown", "err", err)
			}
			cancel()
			return
		case <-t.C:
		}
		if err := l.Sync(ctx); err != nil && ctx.Err() == nil {
			l.log.Error("could not sync LLM spending with the store; budgets use the last view", "err", err)
		}
	}
}

// MemorySpendStore is a SpendStore in memory: spending seen by the ledgers of one
// process only, for tests and for running without a database. The zero value is ready.
type MemorySpendStore struct {
	mu   sync.Mutex
	days map[int64]map[string]float64 // midnight UTC in Unix seconds -> API key -> USD
}

var _ SpendStore = (*MemorySpendStore)(nil)

// AddSpend implements SpendStore.
func (m *MemorySpendStore) AddSpend(_ context.Context, rows []Spend) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.days == nil {
		m.days = map[int64]map[string]float64{}
	}
	for _, r := range rows {
		d := Day(r.Day).Unix()
		if m.days[d] == nil {
			m.days[d] = map[string]float64{}
		}
		m.days[d][r.APIKey] += r.USD
	}
	return nil
}

// DaySpend implements SpendStore.
func (m *MemorySpendStore) DaySpend(_ context.Context, day time.Time) (map[string]float64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]float64{}
	for k, v := range m.days[Day(day).Unix()] {
		out[k] = v
	}
	return out, nil
}
