package planner

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
)

// RunRunning is the status of a run executing (execute.RunRunning).
const RunRunning = execute.RunRunning

// RunRequest asks for a run: plan Request (through the planner) or execute Plan as given.
type RunRequest struct {
	Request Request
	// Plan, when set, is executed as given (after validation) instead of planning.
	Plan *plan.Plan
	// DryRun simulates every tool.
	DryRun bool
	// OnEvent, when set, receives the executor's progress events.
	OnEvent func(execute.Event)
}

// RunState is a run as the API reports it: the plan, where it came from and the
// executor's result so far.
type RunState struct {
	// Result carries id, status (queued, running, then the executor's final status, or
	// interrupted), error, steps[] and timings.
	execute.Result
	Request string     `json:"request,omitempty"`
	Plan    *plan.Plan `json:"plan"`
	// Planning is the planner's response when the run planned a request.
	Planning *Response `json:"planning,omitempty"`
	// Source is where the plan came from: llm, cache, history, pattern, or user.
	Source string `json:"source"`
	// RequestID is the planning request's id (empty for a plan given by the user).
	RequestID string `json:"request_id,omitempty"`
	// HistoryID is the id of the planning request's history record, which the run's
	// outcome and its feedback attach to (empty for a plan given by the user, or with
	// no history).
	HistoryID string `json:"history_id,omitempty"`
	Tenant    string `json:"-"`
	// cacheEntry is the cache entry the plan was served from, for eviction on bad feedback.
	cacheEntry string
	apiKey     string
}

// RunsConfig tunes the run service; zero values take the defaults.
type RunsConfig struct {
	// Workers bounds the runs executing at once (default 32).
	Workers int
	// QueueSize bounds the runs accepted and waiting for a worker (default 1,000). With
	// Workers+QueueSize runs accepted and not finished, Start refuses new runs with an
	// unavailable error (HTTP 503 with Retry-After) rather than accept and lose them.
	QueueSize int
	// LeaseTTL, for stores shared by replicas: the service marks its runs in flight
	// alive every LeaseTTL/3 and marks as interrupted the runs nobody marked alive for
	// LeaseTTL (a replica that was killed). 0 turns both off.
	LeaseTTL time.Duration
	// AckTimeout bounds the wait for the write that records a new run before Start
	// acknowledges it (default 10 s); a run that cannot be recorded is refused.
	AckTimeout time.Duration
	// Drain bounds the time Close gives the store to record what is pending (default 10 s).
	Drain time.Duration
	// Logger receives write failures and recoveries (default: discard).
	Logger *slog.Logger
}

func (c *RunsConfig) defaults() {
	if c.Workers <= 0 {
		c.Workers = 32
	}
	if c.QueueSize < 0 {
		c.QueueSize = 0
	} else if c.QueueSize == 0 {
		c.QueueSize = 1000
	}
	if c.AckTimeout <= 0 {
		c.AckTimeout = 10 * time.Second
	}
	if c.Drain <= 0 {
		c.Drain = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// RunsOption configures NewRuns.
type RunsOption func(*RunsConfig)

// WithRunsConfig sets the run service's configuration.
func WithRunsConfig(c RunsConfig) RunsOption { return func(dst *RunsConfig) { *dst = c } }

// Runs plans and executes requests. A run is recorded in the store (status queued)
// before Start acknowledges it, recorded again as it starts and as each step finishes,
// and once more when it ends; a write that fails is logged and retried. Runs execute in
// the background on a bounded pool of workers behind a bounded queue. Runs owns the
// goroutines of asynchronous runs: Close interrupts them and waits for their records.
type Runs struct {
	p     *Planner
	ex    *execute.Executor
	store execute.RunStore
	rec   *metrics.Recorder
	cfg   RunsConfig
	log   *slog.Logger
	w     *runWriter

	ctx     context.Context
	cancel  context.CancelCauseFunc
	wg      sync.WaitGroup
	admit   chan struct{} // one token per run accepted and not finished
	workers chan struct{} // one token per run executing

	stopWriter context.CancelFunc
	writerDone chan struct{}

	mu     sync.Mutex
	closed bool
	active map[string]*RunState
}

// errShutdown is the cause with which Close interrupts runs in flight.
var errShutdown = errors.New("the service shut down before the run finished")

// Run service errors (wrapped in *Error with code unavailable: HTTP 503).
var (
	// ErrQueueFull: Workers+QueueSize runs are accepted and not finished.
	ErrQueueFull = errors.New("run queue full")
	// ErrNotRecorded: the store did not record the new run in time; it was not started.
	ErrNotRecorded = errors.New("the run could not be recorded")
	// ErrClosed: the service is shutting down.
	ErrClosed = errors.New("the run service is shutting down")
)

// NewRuns returns a run service. store nil keeps runs in memory
// (execute.NewMemoryRunStore); rec may be nil.
func NewRuns(p *Planner, ex *execute.Executor, store execute.RunStore, rec *metrics.Recorder, opts ...RunsOption) *Runs {
	var cfg RunsConfig
	for _, o := range opts {
		o(&cfg)
	}
	cfg.defaults()
	if store == nil {
		store = execute.NewMemoryRunStore(0)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	rs := &Runs{p: p, ex: ex, store: store, rec: rec, cfg: cfg, log: cfg.Logger, ctx: ctx, cancel: cancel,
		admit: make(chan struct{}, cfg.Workers+cfg.QueueSize), workers: make(chan struct{}, cfg.Workers),
		active: map[string]*RunState{}, writerDone: make(chan struct{})}
	rs.w = newRunWriter(store, rs.log, rs.written)
	wctx, stop := context.WithCancel(context.Background())
	rs.stopWriter = stop
	go func() { defer close(rs.writerDone); rs.w.run(wctx, cfg.Drain) }()
	if cfg.LeaseTTL > 0 {
		if _, ok := store.(execute.RunRecovery); ok {
			rs.wg.Add(1)
			go func() { defer rs.wg.Done(); rs.keepLeases() }()
		}
	}
	return rs
}

// Recover marks as interrupted the runs a stopped process left queued or running: with
// a LeaseTTL, those nobody marked alive for that long; without one (a store only this
// process uses, such as SQLite), every run in flight. Call it once at start-up, before
// accepting runs. It returns how many runs it marked.
func (rs *Runs) Recover(ctx context.Context) (int, error) {
	rr, ok := rs.store.(execute.RunRecovery)
	if !ok {
		return 0, nil
	}
	before := time.Now()
	if rs.cfg.LeaseTTL > 0 {
		before = before.Add(-rs.cfg.LeaseTTL)
	}
	n, err := rr.InterruptRuns(ctx, before, interruptedReason)
	if err != nil {
		return 0, fmt.Errorf("mark interrupted runs: %w", err)
	}
	if n > 0 {
		rs.log.Warn("runs left in flight by a stopped process marked interrupted", "runs", n)
	}
	return n, nil
}

const interruptedReason = "interrupted: the service stopped before the run finished; run it again if it is still wanted"

// keepLeases marks this process's runs in flight alive, and interrupts the runs of
// processes that stopped marking theirs, every LeaseTTL/3.
func (rs *Runs) keepLeases() {
	rr := rs.store.(execute.RunRecovery)
	tick := time.NewTicker(rs.cfg.LeaseTTL / 3)
	defer tick.Stop()
	for {
		select {
		case <-rs.ctx.Done():
			return
		case <-tick.C:
		}
		rs.mu.Lock()
		ids := make([]string, 0, len(rs.active))
		for id, st := range rs.active {
			if execute.InFlight(st.Status) {
				ids = append(ids, id)
			}
		}
		rs.mu.Unlock()
		ctx, cancel := context.WithTimeout(rs.ctx, rs.cfg.LeaseTTL/3)
		if err := rr.RenewRuns(ctx, ids, time.Now()); err != nil {
			rs.log.Error("could not mark runs in flight alive", "runs", len(ids), "err", err)
		}
		if _, err := rs.Recover(ctx); err != nil {
			rs.log.Error("could not mark abandoned runs interrupted", "err", err)
		}
		cancel()
	}
}

// Close stops accepting runs, interrupts the runs in flight (their status becomes
// interrupted) and waits until they are recorded, giving the store RunsConfig.Drain.
func (rs *Runs) Close() {
	rs.mu.Lock()
	rs.closed = true
	rs.mu.Unlock()
	rs.cancel(errShutdown)
	rs.wg.Wait()
	rs.stopWriter()
	<-rs.writerDone
}

// Ready reports a store that keeps refusing the runs' writes (/readyz): runs are then
// held in memory and retried, and new ones are refused.
func (rs *Runs) Ready(context.Context) error { return rs.w.healthy() }

// RunTimeout is the longest a run may execute (the executor's execute.Limits).
func (rs *Runs) RunTimeout() time.Duration { return rs.ex.Limits().RunTimeout }

// ErrRunNotFound is returned by Get and Feedback for an unknown run id.
var ErrRunNotFound = execute.ErrRunNotFound

func unavailable(err error, msg string, retry time.Duration) *Error {
	return &Error{Code: CodeUnavailable, Message: msg, RetryAfter: retry, err: err}
}

// Start plans (unless a plan is given), records the run as queued, and starts executing
// it. With wait it returns when the run has ended and is recorded; otherwise it returns
// the queued state at once and the run goes on in the background, bounded by the
// service's lifetime, not by ctx. Planning errors are returned as *Error; an invalid
// given plan as a *plan.ValidationError; a full queue, a store that cannot record the
// run, or a service shutting down as an *Error with code unavailable (wrapping
// ErrQueueFull, ErrNotRecorded or ErrClosed).
func (rs *Runs) Start(ctx context.Context, rr RunRequest, wait bool) (*RunState, error) {
	// The closed check and the WaitGroup's Add happen under one lock, so that Close
	// never waits while a new run is being added.
	rs.mu.Lock()
	if rs.closed {
		rs.mu.Unlock()
		return nil, unavailable(ErrClosed, "the service is shutting down; retry on another replica or later", time.Second)
	}
	rs.wg.Add(1)
	rs.mu.Unlock()
	handedOff := false
	defer func() {
		if !handedOff {
			rs.wg.Done()
		}
	}()
	// Admission comes before planning: a run that cannot be queued must not spend an
	// LLM call first.
	select {
	case rs.admit <- struct{}{}:
	default:
		return nil, unavailable(ErrQueueFull, fmt.Sprintf("%d runs are queued or running, the most this service accepts; retry later", cap(rs.admit)), time.Second)
	}
	admitted := true
	defer func() {
		if admitted {
			<-rs.admit
		}
	}()
	if rr.Request.Tenant == "" {
		rr.Request.Tenant = DefaultTenant
	}
	st := &RunState{Request: rr.Request.Text, Tenant: rr.Request.Tenant, apiKey: rr.Request.APIKey}
	switch {
	case rr.Plan != nil:
		if err := plan.Validate(rr.Plan, rs.p.Registry()); err != nil {
			return nil, err
		}
		st.Plan, st.Source = rr.Plan, "user"
	default:
		resp, err := rs.p.Plan(ctx, rr.Request)
		if err != nil {
			return nil, err
		}
		st.Plan, st.Source, st.Planning, st.RequestID, st.HistoryID = resp.Plan, resp.Source, resp, resp.RequestID, resp.HistoryID
		if resp.Cache != nil {
			st.cacheEntry = resp.Cache.EntryID
		}
	}
	st.Result = execute.Result{ID: uuid.NewString(), Status: execute.RunQueued, Started: time.Now()}
	for _, s := range st.Plan.Steps {
		st.Steps = append(st.Steps, execute.StepResult{ID: s.ID, Tool: s.Tool, Status: execute.StepPending})
	}
	rs.mu.Lock()
	rs.active[st.ID] = st
	rs.mu.Unlock()

	// Nothing is acknowledged before it is recorded.
	if err := rs.awaitWrite(ctx, rs.w.put(rs.record(st), true)); err != nil {
		rs.log.Error("run refused: it could not be recorded", "id", st.ID, "err", err)
		rs.mu.Lock()
		st.Status, st.Error = execute.RunFailed, "not started: the run could not be recorded"
		st.Finished = time.Now()
		delete(rs.active, st.ID) // not acknowledged: nobody will ask for it
		rs.mu.Unlock()
		// If the queued state reaches the store after all, this final state follows it.
		rs.w.put(rs.record(st), false)
		return nil, unavailable(ErrNotRecorded, "the run could not be recorded, so it was not started; retry later", time.Second)
	}

	runCtx := rs.ctx
	if wait {
		// A waiting caller's cancellation (client gone) cancels the run too.
		var stop context.CancelCauseFunc
		runCtx, stop = context.WithCancelCause(ctx)
		defer stop(nil)
		go func() {
			select {
			case <-rs.ctx.Done():
				stop(context.Cause(rs.ctx)) // a shutdown interrupts it like the others
			case <-runCtx.Done():
			}
		}()
	}
	admitted = false // the run's goroutine owns the admission token now
	handedOff = true // and the WaitGroup count
	done := make(chan (<-chan error), 1)
	go func() {
		defer rs.wg.Done()
		defer func() { <-rs.admit }()
		done <- rs.execute(runCtx, st, rr)
	}()
	if !wait {
		return rs.snapshot(st), nil
	}
	// The caller sees the run once it has ended and its final state is recorded (or
	// the write is still being retried when ctx ends).
	_ = rs.awaitWrite(ctx, <-done)
	return rs.snapshot(st), nil
}

// awaitWrite waits for a write's outcome, at most AckTimeout and while ctx lasts.
func (rs *Runs) awaitWrite(ctx context.Context, ch <-chan error) error {
	if ch == nil {
		return nil
	}
	t := time.NewTimer(rs.cfg.AckTimeout)
	defer t.Stop()
	for {
		select {
		case err := <-ch:
			return err
		case <-t.C:
			return fmt.Errorf("not recorded within %s", rs.cfg.AckTimeout)
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// record is the store record of st's current state.
func (rs *Runs) record(st *RunState) execute.RunRecord {
	rs.mu.Lock()
	res := st.Result
	res.Steps = slices.Clone(st.Steps)
	rs.mu.Unlock()
	var planJSON json.RawMessage
	if st.Plan != nil {
		planJSON = st.Plan.JSON()
	}
	return execute.RunRecord{Result: &res, Meta: execute.RunMeta{Request: st.Request, Plan: planJSON, Tenant: st.Tenant,
		Source: st.Source, APIKeyHash: st.apiKey, RequestID: st.RequestID, HistoryID: st.HistoryID, CacheEntry: st.cacheEntry}}
}

// written is told of every state the store committed: a run whose final state is
// recorded leaves memory (Get reads it from the store).
func (rs *Runs) written(rec execute.RunRecord) {
	if execute.InFlight(rec.Result.Status) {
		return
	}
	rs.mu.Lock()
	if st, ok := rs.active[rec.Result.ID]; ok && st.Status == rec.Result.Status && !st.Finished.IsZero() {
		delete(rs.active, rec.Result.ID)
	}
	rs.mu.Unlock()
}

// execute waits for a worker, runs the plan, and records the run as it goes. It returns
// the channel on which the final state's write is acknowledged.
func (rs *Runs) execute(ctx context.Context, st *RunState, rr RunRequest) <-chan error {
	select {
	case rs.workers <- struct{}{}:
		defer func() { <-rs.workers }()
	case <-ctx.Done():
		rs.mu.Lock()
		st.Result.Status, st.Result.Error = execute.RunCanceled, "run canceled before it started: "+context.Cause(ctx).Error()
		if errors.Is(context.Cause(ctx), errShutdown) {
			execute.InterruptResult(&st.Result, interruptedReason, time.Now())
		}
		st.Finished = time.Now()
		rs.mu.Unlock()
		return rs.w.put(rs.record(st), true)
	}
	rs.mu.Lock()
	st.Status = execute.RunRunning
	rs.mu.Unlock()
	rs.w.put(rs.record(st), false)
	res := rs.ex.Run(ctx, st.Plan, execute.RunOptions{RunID: st.ID, DryRun: rr.DryRun, OnEvent: func(ev execute.Event) {
		if ev.Step != nil {
			rs.mu.Lock()
			for i := range st.Steps {
				if st.Steps[i].ID == ev.Step.ID {
					st.Steps[i] = *ev.Step
					if ev.Type == execute.EventStepStarted && st.Steps[i].Status == "" {
						st.Steps[i].Status = execute.StepRunning
					}
				}
			}
			rs.mu.Unlock()
			if ev.Type == execute.EventStepFinished {
				rs.w.put(rs.record(st), false)
			}
		}
		if rr.OnEvent != nil {
			rr.OnEvent(ev)
		}
	}})
	if res.Status == execute.RunCanceled && errors.Is(context.Cause(ctx), errShutdown) {
		execute.InterruptResult(res, interruptedReason, res.Finished)
	}
	rs.mu.Lock()
	started := st.Started
	st.Result = *res
	st.Started = started
	rs.mu.Unlock()
	if rs.rec != nil {
		rs.rec.RecordExecution(st.Tenant, res.Status == execute.RunSucceeded)
	}
	rs.p.rememberRun(context.WithoutCancel(ctx), st.HistoryID, res)
	return rs.w.put(rs.record(st), true)
}

func (rs *Runs) snapshot(st *RunState) *RunState {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	cp := *st
	cp.Steps = append([]execute.StepResult(nil), st.Steps...)
	return &cp
}

// Get returns a run in flight or a recorded one.
func (rs *Runs) Get(ctx context.Context, id string) (*RunState, error) {
	rs.mu.Lock()
	st, ok := rs.active[id]
	rs.mu.Unlock()
	if ok {
		return rs.snapshot(st), nil
	}
	res, meta, err := rs.store.GetRun(ctx, id)
	if err != nil {
		return nil, err
	}
	// A run recorded before runs kept the history id attaches to the record of its
	// request id: records were keyed by it then.
	out := &RunState{Result: *res, Request: meta.Request, Source: meta.Source, Tenant: meta.Tenant,
		RequestID: meta.RequestID, HistoryID: cmp.Or(meta.HistoryID, meta.RequestID), cacheEntry: meta.CacheEntry, apiKey: meta.APIKeyHash}
	if len(meta.Plan) > 0 {
		if p, err := plan.Parse(meta.Plan); err == nil {
			out.Plan = p
		}
	}
	return out, nil
}

// Feedback records a person's rating of a run (-1, 0 or 1).
func (rs *Runs) Feedback(ctx context.Context, id string, fb execute.Feedback, apiKey string) error {
	if err := fb.Validate(); err != nil {
		return err
	}
	st, err := rs.Get(ctx, id)
	if err != nil {
		return err
	}
	if execute.InFlight(st.Status) {
		return fmt.Errorf("run %s is still %s: %w", id, st.Status, ErrRunBusy)
	}
	if err := rs.store.SaveFeedback(ctx, id, fb); err != nil {
		return err
	}
	if rs.rec != nil && fb.Rating != 0 {
		rs.rec.RecordFeedback(st.Tenant, apiKey, fb.Rating > 0)
	}
	rs.p.rememberFeedback(ctx, st.HistoryID, fb.Rating)
	if fb.Rating < 0 && st.cacheEntry != "" {
		// A plan rated bad must not be served again from the cache (the eviction reaches
		// other replicas through the shared store).
		if err := rs.p.ForgetEntry(ctx, st.cacheEntry); err != nil {
			return fmt.Errorf("evict the cached plan: %w", err)
		}
	}
	return nil
}

// ErrRunBusy: feedback on a run that has not ended.
var ErrRunBusy = errors.New("run not finished")
