package planner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
)

// Run statuses beyond the executor's final ones.
const RunRunning = "running"

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
	// Result carries id, status (running until the executor's final status), error,
	// steps[] and timings.
	execute.Result
	Request string     `json:"request,omitempty"`
	Plan    *plan.Plan `json:"plan"`
	// Planning is the planner's response when the run planned a request.
	Planning *Response `json:"planning,omitempty"`
	// Source is where the plan came from: llm, cache, history, pattern, or user.
	Source string `json:"source"`
	// RequestID is the planning request's id (empty for a plan given by the user).
	RequestID string `json:"request_id,omitempty"`
	Tenant    string `json:"-"`
	// cacheEntry is the cache entry the plan was served from, for eviction on bad feedback.
	cacheEntry string
}

// Runs plans and executes requests, keeps the runs in flight in memory and writes every
// finished run to the store. It owns the goroutines of asynchronous runs: Close cancels
// them and waits.
type Runs struct {
	p     *Planner
	ex    *execute.Executor
	store execute.RunStore
	rec   *metrics.Recorder

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	active map[string]*RunState
}

// NewRuns returns a run service. store and rec may be nil.
func NewRuns(p *Planner, ex *execute.Executor, store execute.RunStore, rec *metrics.Recorder) *Runs {
	ctx, cancel := context.WithCancel(context.Background())
	return &Runs{p: p, ex: ex, store: store, rec: rec, ctx: ctx, cancel: cancel, active: map[string]*RunState{}}
}

// Close cancels runs in flight and waits for them to be recorded.
func (rs *Runs) Close() {
	rs.cancel()
	rs.wg.Wait()
}

// ErrRunNotFound is returned by Get and Feedback for an unknown run id.
var ErrRunNotFound = execute.ErrRunNotFound

// Start plans (unless a plan is given) and starts executing. With wait it returns when
// the run has ended; otherwise it returns the running state at once and the run goes on
// in the background, bounded by the service's lifetime, not by ctx. Planning errors are
// returned as *Error; an invalid given plan as a *plan.ValidationError.
func (rs *Runs) Start(ctx context.Context, rr RunRequest, wait bool) (*RunState, error) {
	if rr.Request.Tenant == "" {
		rr.Request.Tenant = DefaultTenant
	}
	st := &RunState{Request: rr.Request.Text, Tenant: rr.Request.Tenant}
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
		st.Plan, st.Source, st.Planning, st.RequestID = resp.Plan, resp.Source, resp, resp.RequestID
		if resp.Cache != nil {
			st.cacheEntry = resp.Cache.EntryID
		}
	}
	st.Result = execute.Result{ID: uuid.NewString(), Status: RunRunning, Started: time.Now()}
	for _, s := range st.Plan.Steps {
		st.Steps = append(st.Steps, execute.StepResult{ID: s.ID, Tool: s.Tool, Status: "pending"})
	}
	rs.mu.Lock()
	rs.active[st.ID] = st
	rs.mu.Unlock()

	runCtx := rs.ctx
	if wait {
		// A waiting caller's cancellation (client gone) cancels the run too.
		var stop context.CancelFunc
		runCtx, stop = context.WithCancel(ctx)
		defer stop()
		go func() {
			select {
			case <-rs.ctx.Done():
				stop()
			case <-runCtx.Done():
			}
		}()
	}
	rs.wg.Add(1)
	done := make(chan struct{})
	go func() {
		defer rs.wg.Done()
		defer close(done)
		rs.execute(runCtx, st, rr)
	}()
	if wait {
		<-done
	}
	return rs.snapshot(st), nil
}

func (rs *Runs) execute(ctx context.Context, st *RunState, rr RunRequest) {
	res := rs.ex.Run(ctx, st.Plan, execute.RunOptions{RunID: st.ID, DryRun: rr.DryRun, OnEvent: func(ev execute.Event) {
		if ev.Step != nil {
			rs.mu.Lock()
			for i := range st.Steps {
				if st.Steps[i].ID == ev.Step.ID {
					st.Steps[i] = *ev.Step
				}
			}
			rs.mu.Unlock()
		}
		if rr.OnEvent != nil {
			rr.OnEvent(ev)
		}
	}})
	rs.mu.Lock()
	st.Result = *res
	rs.mu.Unlock()
	if rs.rec != nil {
		rs.rec.RecordExecution(st.Tenant, res.Status == "succeeded")
	}
	rs.p.rememberRun(ctx, st.RequestID, res)
	if rs.store != nil {
		meta := execute.RunMeta{Request: st.Request, Plan: st.Plan.JSON(), Tenant: st.Tenant, Source: st.Source,
			APIKeyHash: rr.Request.APIKey, RequestID: st.RequestID, CacheEntry: st.cacheEntry}
		// The run is recorded even when the service is shutting down.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		if err := rs.store.SaveRun(sctx, res, meta); err != nil {
			rs.mu.Lock()
			st.Error = joinErr(st.Error, "the run could not be recorded: "+err.Error())
			rs.mu.Unlock()
		}
		cancel()
	}
	rs.mu.Lock()
	delete(rs.active, st.ID)
	if rs.store == nil {
		// Without a store, finished runs stay readable for this process's lifetime.
		rs.active[st.ID] = st
	}
	rs.mu.Unlock()
}

func joinErr(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
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
	if rs.store == nil {
		return nil, fmt.Errorf("run %s: %w", id, ErrRunNotFound)
	}
	res, meta, err := rs.store.GetRun(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &RunState{Result: *res, Request: meta.Request, Source: meta.Source, Tenant: meta.Tenant,
		RequestID: meta.RequestID, cacheEntry: meta.CacheEntry}
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
	if st.Status == RunRunning {
		return fmt.Errorf("run %s is still running: %w", id, ErrRunBusy)
	}
	if rs.store != nil {
		if err := rs.store.SaveFeedback(ctx, id, fb); err != nil {
			return err
		}
	}
	if rs.rec != nil && fb.Rating != 0 {
		rs.rec.RecordFeedback(st.Tenant, apiKey, fb.Rating > 0)
	}
	rs.p.rememberFeedback(ctx, st.RequestID, fb.Rating)
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
