package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/planwise/planwise/execute"
)

func TestQueueWritesInOrderAndDrainsOnShutdown(t *testing.T) {
	store := NewMemoryStore()
	h := newHistory(t, store, newClock())
	q := h.NewQueue(256)
	var recorded, retries int
	q.OnRecorded = func(r *Record) {
		recorded++
		if r.Retry {
			retries++
		}
	}
	for i := range 50 {
		if !q.Enqueue(&Record{ID: fmt.Sprint("r", i), RequestID: fmt.Sprint("r", i), APIKey: "k", Tenant: "t", Request: "send the weekly report", Source: "llm",
			Plan: emailPlan(t, "a@example.com", "report"), Valid: true, RegistryVersion: "v"}) {
			t.Fatal("queue full")
		}
	}
	// Outcomes enqueued right after their record find it.
	q.EnqueueRun("r3", &execute.Result{ID: "run", Status: execute.RunFailed})
	q.EnqueueFeedback("r4", -1)
	q.EnqueueFeedback("missing", 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	rs, _ := store.Records(context.Background(), Query{})
	if len(rs) != 50 || recorded != 50 || retries != 49 {
		t.Errorf("stored %d, OnRecorded %d, retries %d; want 50, 50, 49", len(rs), recorded, retries)
	}
	if r, _ := store.GetRecord(context.Background(), "r3"); r.Execution == nil || r.Execution.Status != execute.RunFailed {
		t.Errorf("run outcome lost: %+v", r.Execution)
	}
	if r, _ := store.GetRecord(context.Background(), "r4"); r.Feedback == nil || *r.Feedback != -1 {
		t.Errorf("feedback lost")
	}
	if n := h.PoolSize("t", "v"); n != 48 {
		t.Errorf("pool %d, want 48 (one failed run, one bad rating)", n)
	}
	if q.Failed() != 1 {
		t.Errorf("failed %d, want 1 (feedback on a missing request)", q.Failed())
	}
}

// A full queue drops without blocking, and tells OnDropped of each drop as it happens
// (a record, a run's outcome or feedback), on the enqueuing goroutine: a count on
// /metrics that does not wait for the writer, which may be stuck on the store.
func TestQueueDropsWhenFull(t *testing.T) {
	q := newHistory(t, NewMemoryStore(), newClock()).NewQueue(2)
	var told int
	q.OnDropped = func() { told++ }
	for i := range 3 {
		ok := q.Enqueue(&Record{Request: fmt.Sprint(i)})
		if ok != (i < 2) {
			t.Errorf("enqueue %d: %v", i, ok)
		}
	}
	if q.EnqueueRun("r0", &execute.Result{ID: "run"}) || q.EnqueueFeedback("r0", 1) {
		t.Error("a run's outcome or feedback queued in a full queue")
	}
	if q.Dropped() != 3 || told != 3 {
		t.Errorf("dropped %d, OnDropped told of %d; want 3 and 3", q.Dropped(), told)
	}
}

// A full queue drops records without blocking, and the writer reports how many to
// OnError once a batch (an error wrapping ErrQueueFull), so that a drop is logged, not
// only counted. MaxUnwritten is what a crash could lose at worst: the queue and a batch.
func TestQueueReportsDrops(t *testing.T) {
	q := newHistory(t, NewMemoryStore(), newClock()).NewQueue(2)
	q.MaxBatch, q.Linger = 10, 0
	if got := q.MaxUnwritten(); got != 12 {
		t.Errorf("MaxUnwritten %d, want 12 (2 queued, a batch of 10)", got)
	}
	var reports []error
	q.OnError = func(err error) { reports = append(reports, err) }
	for i := range 5 {
		q.Enqueue(&Record{Request: fmt.Sprint("request ", i)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	q.Run(ctx)
	if len(reports) != 1 || !errors.Is(reports[0], ErrQueueFull) || !strings.Contains(reports[0].Error(), "3 since the last report") {
		t.Fatalf("reports %v; want one saying 3 records were dropped", reports)
	}
	q.Enqueue(&Record{Request: "one more"})
	q.Run(ctx)
	if len(reports) != 1 {
		t.Errorf("reported again with nothing more dropped: %v", reports[1:])
	}
}
