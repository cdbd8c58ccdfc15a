package execute

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// DefaultMemoryRuns is how many runs a MemoryRunStore keeps by default.
const DefaultMemoryRuns = 10_000

// MemoryRunStore is a RunStore in memory, for running without persistence (store.driver
// memory) and for tests. It keeps at most its capacity of runs: past it, the oldest
// finished run is forgotten (runs in flight are never dropped), so a long-running
// process does not grow without bound. It also implements RunBatchSaver and RunRecovery,
// so it passes the same conformance suite as the persistent stores.
type MemoryRunStore struct {
	capacity int

	mu    sync.Mutex
	runs  map[string]*memRun
	order []string // ids, oldest first; may hold ids already dropped
}

type memRun struct {
	res      Result
	meta     RunMeta
	alive    time.Time
	feedback []Feedback
}

// NewMemoryRunStore returns an empty store keeping at most capacity runs
// (DefaultMemoryRuns when capacity <= 0).
func NewMemoryRunStore(capacity int) *MemoryRunStore {
	if capacity <= 0 {
		capacity = DefaultMemoryRuns
	}
	return &MemoryRunStore{capacity: capacity, runs: map[string]*memRun{}}
}

var (
	_ RunStore      = (*MemoryRunStore)(nil)
	_ RunBatchSaver = (*MemoryRunStore)(nil)
	_ RunRecovery   = (*MemoryRunStore)(nil)
)

// SaveRun implements RunStore.
func (m *MemoryRunStore) SaveRun(ctx context.Context, r *Result, meta RunMeta) error {
	return m.SaveRuns(ctx, []RunRecord{{Result: r, Meta: meta}})
}

// SaveRuns implements RunBatchSaver.
func (m *MemoryRunStore) SaveRuns(_ context.Context, recs []RunRecord) error {
	for _, rec := range recs {
		if rec.Result == nil || rec.Result.ID == "" {
			return errors.New("save run: the result has no id")
		}
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, rec := range recs {
		meta := rec.Meta
		if meta.Created.IsZero() {
			meta.Created = now
		}
		res := *rec.Result
		res.Steps = slices.Clone(res.Steps)
		if old, ok := m.runs[res.ID]; ok {
			old.res, old.meta, old.alive = res, meta, now
			continue
		}
		m.runs[res.ID] = &memRun{res: res, meta: meta, alive: now}
		m.order = append(m.order, res.ID)
	}
	m.evict()
	return nil
}

// evict drops the oldest finished runs past the capacity. Called with mu held.
func (m *MemoryRunStore) evict() {
	if len(m.runs) <= m.capacity {
		return
	}
	kept := m.order[:0]
	for _, id := range m.order {
		r, ok := m.runs[id]
		if !ok {
			continue
		}
		if len(m.runs) > m.capacity && !InFlight(r.res.Status) {
			delete(m.runs, id)
			continue
		}
		kept = append(kept, id)
	}
	clear(m.order[len(kept):])
	m.order = kept
}

// GetRun implements RunStore.
func (m *MemoryRunStore) GetRun(_ context.Context, id string) (*Result, RunMeta, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.runs[id]
	if !ok {
		return nil, RunMeta{}, fmt.Errorf("run %q: %w", id, ErrRunNotFound)
	}
	res := r.res
	res.Steps = slices.Clone(r.res.Steps)
	if res.Steps == nil {
		res.Steps = []StepResult{}
	}
	return &res, r.meta, nil
}

// SaveFeedback implements RunStore.
func (m *MemoryRunStore) SaveFeedback(_ context.Context, runID string, fb Feedback) error {
	if err := fb.Validate(); err != nil {
		return err
	}
	if fb.Time.IsZero() {
		fb.Time = time.Now()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.runs[runID]
	if !ok {
		return fmt.Errorf("feedback on run %q: %w", runID, ErrRunNotFound)
	}
	r.feedback = append(r.feedback, fb)
	return nil
}

// Feedback returns the feedback given on a run, oldest first.
func (m *MemoryRunStore) Feedback(_ context.Context, runID string) ([]Feedback, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.runs[runID]; ok {
		return slices.Clone(r.feedback), nil
	}
	return nil, nil
}

// RenewRuns implements RunRecovery.
func (m *MemoryRunStore) RenewRuns(_ context.Context, ids []string, t time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if r, ok := m.runs[id]; ok {
			r.alive = t
		}
	}
	return nil
}

// InterruptRuns implements RunRecovery.
func (m *MemoryRunStore) InterruptRuns(_ context.Context, before time.Time, reason string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.runs {
		if !InFlight(r.res.Status) || !r.alive.Before(before) {
			continue
		}
		InterruptResult(&r.res, reason, time.Now())
		n++
	}
	return n, nil
}

// InterruptResult marks a run that was in flight as interrupted at t: its status, its
// error and its unfinished steps. Stores apply the same change in SQL.
func InterruptResult(r *Result, reason string, t time.Time) {
	r.Status = RunInterrupted
	r.Error = reason
	if r.Finished.IsZero() {
		r.Finished = t
		r.DurationMS = durationMS(r.Started, t)
	}
	for i := range r.Steps {
		if r.Steps[i].Status == StepPending || r.Steps[i].Status == StepRunning || r.Steps[i].Status == "" {
			r.Steps[i].Status = StepInterrupted
		}
	}
}
