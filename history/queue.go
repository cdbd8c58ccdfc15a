package history

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/planwise/planwise/execute"
)

// BatchStore is implemented by stores that write several records in one transaction
// (store/sqlite: one fsync per batch instead of one per record).
type BatchStore interface {
	PutRecords(ctx context.Context, rs []*Record) error
}

// DefaultQueueSize is the capacity of a Queue when NewQueue is given none.
const DefaultQueueSize = 4096

// DefaultMaxBatch bounds the records written in one batch.
const DefaultMaxBatch = 1024

// DefaultLinger is how long a Queue waits for more records to join a batch.
const DefaultLinger = 10 * time.Millisecond

// ErrQueueFull is wrapped by the error OnError receives when records were dropped
// because the queue was full.
var ErrQueueFull = errors.New("history queue full: records dropped")

// Queue takes recording off the request path: a durable SQLite insert costs
// milliseconds, far more than the planner's overhead budget. Enqueue never blocks (a
// full queue drops the record, counts it and reports it to OnError); Run, owned by the
// caller, writes records in batches and applies run outcomes and feedback in the order
// they were enqueued, so an outcome enqueued after its record always finds it.
//
// What the queue holds is what a crash (SIGKILL, power loss) loses: the records
// acknowledged to their callers and not yet written. It is bounded by count, the
// queue's capacity plus MaxBatch (the batch being written), and, while the writer keeps
// up, by time: a record is written within Linger plus one batch's write of being
// queued. A stop (Run's context done) loses nothing: Run writes what is queued first.
type Queue struct {
	h       *History
	ops     chan queueOp
	dropped atomic.Int64
	failed  atomic.Int64
	// reported is the drops already reported to OnError (Run's goroutine only).
	reported int64
	// OnRecorded, when set before Run, is called from Run's goroutine after each record
	// is stored, e.g. to count retries: if r.Retry { rec.RecordRetry(r.APIKey) }.
	OnRecorded func(r *Record)
	// OnDropped, when set before the first Enqueue, is called on each operation dropped
	// because the queue was full, at once, from the goroutine that enqueued it (the
	// request's): it must be cheap and safe for concurrent use, e.g. a counter
	// (metrics.Recorder.RecordHistoryDropped). OnError logs the drops once a batch.
	OnDropped func()
	// OnError, when set before Run, receives write errors and, once a batch, how many
	// records were dropped since the last report (an error wrapping ErrQueueFull)
	// (default: counted only).
	OnError func(err error)
	// Linger, set before Run, is how long a batch waits for more records once its first
	// is taken (DefaultLinger from NewQueue; 0 writes what is queued at once): the time
	// bound of what a crash loses. Every batch is a transaction with an fsync: at
	// thousands of requests a second, waiting a few milliseconds turns hundreds of small
	// commits a second into tens of large ones, and that is most of what recording costs.
	Linger time.Duration
	// MaxBatch, set before Run, bounds the records of one batch (DefaultMaxBatch).
	MaxBatch int
}

type queueOp struct {
	rec    *Record
	id     string // of the record a run or a rating attaches to
	run    *execute.Result
	rating *int
}

// NewQueue returns a queue in front of h holding up to size pending operations
// (DefaultQueueSize when size <= 0).
func (h *History) NewQueue(size int) *Queue {
	if size <= 0 {
		size = DefaultQueueSize
	}
	return &Queue{h: h, ops: make(chan queueOp, size), Linger: DefaultLinger, MaxBatch: DefaultMaxBatch}
}

func (q *Queue) push(op queueOp) bool {
	select {
	case q.ops <- op:
		return true
	default:
		q.dropped.Add(1)
		if q.OnDropped != nil {
			q.OnDropped()
		}
		return false
	}
}

// Enqueue queues r for History.Record; false when the queue is full (r is dropped).
func (q *Queue) Enqueue(r *Record) bool { return q.push(queueOp{rec: r}) }

// EnqueueRun queues History.RecordRun for the record with the given id.
func (q *Queue) EnqueueRun(id string, res *execute.Result) bool {
	return q.push(queueOp{id: id, run: res})
}

// EnqueueFeedback queues History.RecordFeedback for the record with the given id.
func (q *Queue) EnqueueFeedback(id string, rating int) bool {
	return q.push(queueOp{id: id, rating: &rating})
}

// Dropped counts operations dropped because the queue was full; Failed counts
// operations whose write failed.
func (q *Queue) Dropped() int64 { return q.dropped.Load() }

// MaxUnwritten is the most records the queue can hold unwritten, what a crash could lose
// at worst: its capacity and a batch being written.
func (q *Queue) MaxUnwritten() int { return cap(q.ops) + max(q.MaxBatch, 1) }

// Failed counts operations whose write failed.
func (q *Queue) Failed() int64 { return q.failed.Load() }

// Run writes queued operations until ctx is done, then writes what is still queued
// (with a context that is not cancelled, so that a shutdown loses nothing already
// accepted) and returns ctx's error. Call it once, from a goroutine the caller owns.
func (q *Queue) Run(ctx context.Context) error {
	// Accepted operations are written whatever happens to ctx: it only says when to stop.
	wctx := context.WithoutCancel(ctx)
	for {
		select {
		case op := <-q.ops:
			q.process(wctx, op)
		case <-ctx.Done():
			q.drain(wctx)
			return ctx.Err()
		}
	}
}

// drain writes everything queued now.
func (q *Queue) drain(ctx context.Context) {
	for {
		select {
		case op := <-q.ops:
			q.process(ctx, op)
		default:
			return
		}
	}
}

// process handles op and, for a record, the records queued right behind it as one batch.
func (q *Queue) process(ctx context.Context, op queueOp) {
	if op.rec == nil {
		var err error
		if op.run != nil {
			err = q.h.RecordRun(ctx, op.id, op.run)
		} else {
			err = q.h.RecordFeedback(ctx, op.id, *op.rating)
		}
		q.fail(err)
		return
	}
	batch := []*Record{op.rec}
	var next *queueOp
	var linger <-chan time.Time
	if q.Linger > 0 {
		t := time.NewTimer(q.Linger)
		defer t.Stop()
		linger = t.C
	}
	// take adds o to the batch, or keeps it for after the batch when it is not a record
	// (a run outcome or feedback must follow the records queued before it).
	take := func(o queueOp) bool {
		if o.rec == nil {
			next = &o
			return false
		}
		batch = append(batch, o.rec)
		return true
	}
collect:
	for len(batch) < max(q.MaxBatch, 1) {
		select {
		case o := <-q.ops:
			if !take(o) {
				break collect
			}
			continue
		default: // nothing queued: linger for more, if the queue does
		}
		if linger == nil {
			break
		}
		select {
		case o := <-q.ops:
			if !take(o) {
				break collect
			}
		case <-linger:
			break collect
		}
	}
	q.fail(q.h.RecordBatch(ctx, batch))
	q.reportDrops()
	if q.OnRecorded != nil {
		for _, r := range batch {
			if r.ID != "" {
				q.OnRecorded(r)
			}
		}
	}
	if next != nil {
		q.process(ctx, *next)
	}
}

// reportDrops tells OnError how many operations were dropped since it was last told.
func (q *Queue) reportDrops() {
	d := q.dropped.Load()
	if d == q.reported || q.OnError == nil {
		return
	}
	q.OnError(fmt.Errorf("%w: %d since the last report (%d in all; the queue holds %d)", ErrQueueFull, d-q.reported, d, cap(q.ops)))
	q.reported = d
}

func (q *Queue) fail(err error) {
	if err == nil {
		return
	}
	q.failed.Add(1)
	if q.OnError != nil {
		q.OnError(err)
	}
}

// RecordBatch is Record for several records, written in one transaction when the store
// is a BatchStore. Records that fail analysis are skipped and reported in the error.
func (h *History) RecordBatch(ctx context.Context, rs []*Record) error {
	bs, ok := h.store.(BatchStore)
	if !ok {
		var errs []error
		for _, r := range rs {
			errs = append(errs, h.Record(ctx, r))
		}
		return errors.Join(errs...)
	}
	var errs []error
	ready := make([]*Record, 0, len(rs))
	for _, r := range rs {
		if err := h.prepare(ctx, r); err != nil {
			errs = append(errs, err)
			continue
		}
		ready = append(ready, r)
	}
	if len(ready) > 0 {
		if err := bs.PutRecords(ctx, ready); err != nil {
			return errors.Join(append(errs, err)...)
		}
	}
	for _, r := range ready {
		if h.teaches(r) {
			h.addToPool(r)
		}
	}
	// One add to the experiments' counts for the batch, not one a record.
	if err := h.observeExperiments(ctx, ready); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
