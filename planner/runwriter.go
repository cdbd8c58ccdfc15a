package planner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/planwise/planwise/execute"
)

// runWriter is the one goroutine that writes runs to the store. Callers put the latest
// state of a run; states of one run that were not written yet coalesce (only the newest
// is written), and every state waiting is written in one transaction when the store is an
// execute.RunBatchSaver (group commit: a burst of 300 new runs costs a few commits, not
// 300 contending ones). A failed write is logged and retried with backoff until it
// succeeds or the writer is stopped and its drain time is spent; nothing put is dropped
// silently.
type runWriter struct {
	store execute.RunStore
	log   *slog.Logger
	// written is called, from the writer's goroutine, after a state has been committed.
	written func(rec execute.RunRecord)

	mu      sync.Mutex
	pending map[string]*pendingRun
	order   []string
	kick    chan struct{}
	// failing is the first of the failures in a row and the last error; zero once a
	// write succeeds.
	failingSince time.Time
	lastErr      error
}

// healthy returns the write failure in progress, if any.
func (w *runWriter) healthy() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failingSince.IsZero() {
		return nil
	}
	return fmt.Errorf("runs cannot be recorded since %s: %w", w.failingSince.Format(time.RFC3339), w.lastErr)
}

type pendingRun struct {
	rec     execute.RunRecord
	waiters []chan error
}

// maxRunBatch bounds the runs written in one transaction.
const maxRunBatch = 256

func newRunWriter(store execute.RunStore, log *slog.Logger, written func(execute.RunRecord)) *runWriter {
	return &runWriter{store: store, log: log, written: written, pending: map[string]*pendingRun{}, kick: make(chan struct{}, 1)}
}

// put queues rec for writing, replacing a state of the same run not yet written. The
// returned channel, when wait is true, receives nil once rec (or a newer state of the
// run) is committed, or an error if the writer stops before it could be. A failed
// attempt is retried; the waiter bounds its own wait.
func (w *runWriter) put(rec execute.RunRecord, wait bool) <-chan error {
	var ch chan error
	if wait {
		ch = make(chan error, 1)
	}
	w.mu.Lock()
	p, ok := w.pending[rec.Result.ID]
	if !ok {
		p = &pendingRun{}
		w.pending[rec.Result.ID] = p
		w.order = append(w.order, rec.Result.ID)
	}
	p.rec = rec
	if ch != nil {
		p.waiters = append(p.waiters, ch)
	}
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
	return ch
}

// take removes up to n pending states, oldest first.
func (w *runWriter) take(n int) []*pendingRun {
	w.mu.Lock()
	defer w.mu.Unlock()
	n = min(n, len(w.order))
	out := make([]*pendingRun, 0, n)
	for _, id := range w.order[:n] {
		out = append(out, w.pending[id])
		delete(w.pending, id)
	}
	w.order = slices.Delete(w.order, 0, n)
	return out
}

// requeue puts back states whose write failed, unless a newer state of the run came in.
func (w *runWriter) requeue(ps []*pendingRun) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range ps {
		if newer, ok := w.pending[p.rec.Result.ID]; ok {
			newer.waiters = append(newer.waiters, p.waiters...)
			continue
		}
		w.pending[p.rec.Result.ID] = p
		w.order = append(w.order, p.rec.Result.ID)
	}
}

func (w *runWriter) empty() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.order) == 0
}

// run writes until ctx ends, then drains what is pending for at most drain.
func (w *runWriter) run(ctx context.Context, drain time.Duration) {
	backoff := time.Duration(0)
	for {
		if backoff > 0 {
			t := time.NewTimer(backoff)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		} else {
			select {
			case <-w.kick:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			w.drain(drain)
			return
		}
		backoff = 0
		for !w.empty() && ctx.Err() == nil {
			if err := w.flush(ctx); err != nil {
				backoff = nextBackoff(backoff)
				break
			}
		}
	}
}

func nextBackoff(d time.Duration) time.Duration {
	if d <= 0 {
		return 50 * time.Millisecond
	}
	return min(2*d, 2*time.Second)
}

// flush writes one batch; on failure the batch goes back to the queue.
func (w *runWriter) flush(ctx context.Context) error {
	batch := w.take(maxRunBatch)
	if len(batch) == 0 {
		return nil
	}
	recs := make([]execute.RunRecord, len(batch))
	for i, p := range batch {
		recs[i] = p.rec
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	err := w.save(wctx, recs)
	cancel()
	if err != nil {
		ids := make([]string, len(recs))
		for i, r := range recs {
			ids[i] = r.Result.ID
		}
		// Waiters stay attached: a write that succeeds on a retry acknowledges them;
		// they bound their own wait.
		w.log.Error("could not record runs; retrying", "runs", len(recs), "ids", ids, "err", err)
		w.mu.Lock()
		if w.failingSince.IsZero() {
			w.failingSince = time.Now()
		}
		w.lastErr = err
		w.mu.Unlock()
		w.requeue(batch)
		return err
	}
	w.mu.Lock()
	w.failingSince, w.lastErr = time.Time{}, nil
	w.mu.Unlock()
	for _, p := range batch {
		for _, ch := range p.waiters {
			ch <- nil
		}
		if w.written != nil {
			w.written(p.rec)
		}
	}
	return nil
}

func (w *runWriter) save(ctx context.Context, recs []execute.RunRecord) error {
	if bs, ok := w.store.(execute.RunBatchSaver); ok {
		return bs.SaveRuns(ctx, recs)
	}
	var errs []error
	for _, r := range recs {
		errs = append(errs, w.store.SaveRun(ctx, r.Result, r.Meta))
	}
	return errors.Join(errs...)
}

// drain writes what is pending, retrying for at most d, and logs every run it could
// not record.
func (w *runWriter) drain(d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	backoff := time.Duration(0)
	for !w.empty() {
		if err := w.flush(ctx); err == nil {
			continue
		}
		backoff = nextBackoff(backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			for _, p := range w.take(math.MaxInt) {
				w.log.Error("run lost: it could not be recorded before shutdown", "id", p.rec.Result.ID, "status", p.rec.Result.Status)
				for _, ch := range p.waiters {
					ch <- ctx.Err()
				}
			}
			return
		}
	}
}
