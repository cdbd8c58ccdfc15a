package history

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"
)

// ErrNotFound is returned (wrapped) when a record or an experiment does not exist.
var ErrNotFound = errors.New("not found")

// ErrUnreadable is wrapped by the error of a Records call that left out stored records
// it could not decode (damaged, or written in a form this planwise does not read): the
// records it returns with that error are the readable ones. One bad record must not
// stop a server from starting or hide the rest of the history.
var ErrUnreadable = errors.New("unreadable history records left out")

// Store persists records. store/sqlite implements it. Methods are safe for concurrent
// use.
type Store interface {
	// PutRecord inserts r, or replaces the record with the same ID.
	PutRecord(ctx context.Context, r *Record) error
	// GetRecord returns the record with the given ID, or an error wrapping ErrNotFound.
	GetRecord(ctx context.Context, id string) (*Record, error)
	// Records returns the records matching q, newest first (ties by ID). Records it
	// cannot decode are left out, and the error then wraps ErrUnreadable.
	Records(ctx context.Context, q Query) ([]*Record, error)
}

// Pruner is implemented by stores that can delete old records (History.Prune).
type Pruner interface {
	// DeleteRecordsBefore deletes the records whose time is before t and returns how
	// many it deleted.
	DeleteRecordsBefore(ctx context.Context, t time.Time) (int, error)
}

// ExperimentStore persists experiments. store/sqlite implements it.
type ExperimentStore interface {
	// PutExperiment inserts e, or replaces the experiment with the same ID.
	PutExperiment(ctx context.Context, e *Experiment) error
	// Experiments returns every experiment, oldest first.
	Experiments(ctx context.Context) ([]*Experiment, error)
}

// TallyStore is a Store that keeps the counts automatic promotion tests (Tally, per
// experiment and arm) with the records, so that a restart does not start a running
// experiment over and replicas sharing the store count together. The counts are the
// stored records': a record that carries an experiment and a variant is counted (as
// Tally.Add counts it) in the same transaction that writes it, a record replaced is
// counted as it is now, and a record deleted (DeleteRecordsBefore: retention) is counted
// no more. Tallies therefore always equal the experiment's stored records counted with
// Tally.Add, the numbers ExperimentReport tests; written apart, the two drifted (a crash
// between the record's transaction and the count's, a prune). store/sqlite,
// store/postgres and MemoryStore implement it; History uses it when its Store does, and
// otherwise counts in memory from the records it loads.
type TallyStore interface {
	// Tallies returns the counts of the experiment's stored records per arm; an arm
	// with no record is absent, and an experiment with none is empty.
	Tallies(ctx context.Context, experiment string) (map[string]Tally, error)
}

// MemoryStore is an in-memory Store, ExperimentStore and TallyStore, for tests,
// evaluations and running without persistence. Its tallies change under the same lock
// as its records.
type MemoryStore struct {
	mu          sync.Mutex
	records     map[string]*Record
	experiments map[string]*Experiment
	tallies     tallyBook
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{records: map[string]*Record{}, experiments: map[string]*Experiment{}, tallies: tallyBook{}}
}

var (
	_ Store           = (*MemoryStore)(nil)
	_ ExperimentStore = (*MemoryStore)(nil)
	_ TallyStore      = (*MemoryStore)(nil)
	_ Pruner          = (*MemoryStore)(nil)
)

// tallyBook is the automatic promotion's counts kept in memory: experiment id ->
// variant -> counts.
type tallyBook map[string]map[string]Tally

// add adds ds to an experiment's counts and returns a copy of its counts of every arm.
func (b tallyBook) add(experiment string, ds map[string]Tally) map[string]Tally {
	ts := b[experiment]
	if ts == nil {
		ts = map[string]Tally{}
		b[experiment] = ts
	}
	for v, d := range ds {
		ts[v] = ts[v].Plus(d)
	}
	return maps.Clone(ts)
}

// count adds r to its arm's counts (sign 1) or takes it out (sign -1), when r carries
// an experiment and a variant; an arm left with no request is removed.
func (b tallyBook) count(r *Record, sign int) {
	if r == nil || r.Experiment == "" || r.Variant == "" {
		return
	}
	var d Tally
	d.Add(r)
	if sign < 0 {
		d = Tally{-d.Requests, -d.Plans, -d.Valid, -d.Refused}
	}
	b.add(r.Experiment, map[string]Tally{r.Variant: d})
	if ts := b[r.Experiment]; ts[r.Variant].Requests <= 0 {
		delete(ts, r.Variant)
		if len(ts) == 0 {
			delete(b, r.Experiment)
		}
	}
}

// Tallies implements TallyStore.
func (m *MemoryStore) Tallies(_ context.Context, experiment string) (map[string]Tally, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := maps.Clone(m.tallies[experiment])
	if out == nil {
		out = map[string]Tally{}
	}
	return out, nil
}

// DeleteRecordsBefore implements Pruner.
func (m *MemoryStore) DeleteRecordsBefore(_ context.Context, t time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, r := range m.records {
		if r.Time.Before(t) {
			delete(m.records, id)
			m.tallies.count(r, -1)
			n++
		}
	}
	return n, nil
}

// PutRecord implements Store.
func (m *MemoryStore) PutRecord(_ context.Context, r *Record) error {
	if r == nil || r.ID == "" {
		return errors.New("history: record without an id")
	}
	c := r.clone()
	m.mu.Lock()
	m.tallies.count(m.records[r.ID], -1) // the record it replaces, if any
	m.records[r.ID] = c
	m.tallies.count(c, 1)
	m.mu.Unlock()
	return nil
}

// GetRecord implements Store.
func (m *MemoryStore) GetRecord(_ context.Context, id string) (*Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[id]
	if !ok {
		return nil, ErrNotFound
	}
	return r.clone(), nil
}

// Records implements Store.
func (m *MemoryStore) Records(_ context.Context, q Query) ([]*Record, error) {
	m.mu.Lock()
	var out []*Record
	for _, r := range m.records {
		if q.matches(r) {
			out = append(out, r.clone())
		}
	}
	m.mu.Unlock()
	sortNewestFirst(out)
	return q.page(out), nil
}

// PutExperiment implements ExperimentStore.
func (m *MemoryStore) PutExperiment(_ context.Context, e *Experiment) error {
	if e == nil || e.ID == "" {
		return errors.New("history: experiment without an id")
	}
	m.mu.Lock()
	m.experiments[e.ID] = e.clone()
	m.mu.Unlock()
	return nil
}

// Experiments implements ExperimentStore.
func (m *MemoryStore) Experiments(context.Context) ([]*Experiment, error) {
	m.mu.Lock()
	out := make([]*Experiment, 0, len(m.experiments))
	for _, e := range m.experiments {
		out = append(out, e.clone())
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b *Experiment) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
	return out, nil
}

// matches reports whether r passes q's filters (not Limit and Offset). Stores that
// filter in their own query language may use it to check their results.
func (q Query) matches(r *Record) bool {
	if q.Tenant != "" && r.Tenant != q.Tenant {
		return false
	}
	if !q.Since.IsZero() && r.Time.Before(q.Since) {
		return false
	}
	if !q.Until.IsZero() && !r.Time.Before(q.Until) {
		return false
	}
	if q.Experiment != "" && r.Experiment != q.Experiment {
		return false
	}
	return true
}

func (q Query) page(rs []*Record) []*Record {
	if q.Offset > 0 {
		if q.Offset >= len(rs) {
			return nil
		}
		rs = rs[q.Offset:]
	}
	if q.Limit > 0 && len(rs) > q.Limit {
		rs = rs[:q.Limit]
	}
	return rs
}

// sortNewestFirst orders records by descending Time, ties by ascending ID: the order
// Store.Records returns.
func sortNewestFirst(rs []*Record) {
	slices.SortFunc(rs, func(a, b *Record) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
