package planner_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/tool"
)

// flakyStore fails the first `fail` writes, or every write when fail < 0, and counts
// what it saved.
type flakyStore struct {
	*execute.MemoryRunStore
	mu     sync.Mutex
	fail   int
	writes int
}

func (f *flakyStore) SaveRuns(ctx context.Context, recs []execute.RunRecord) error {
	f.mu.Lock()
	f.writes++
	failing := f.fail < 0 || f.fail > 0
	if f.fail > 0 {
		f.fail--
	}
	f.mu.Unlock()
	if failing {
		return errors.New("disk I/O error")
	}
	return f.MemoryRunStore.SaveRuns(ctx, recs)
}

func (f *flakyStore) SaveRun(ctx context.Context, r *execute.Result, m execute.RunMeta) error {
	return f.SaveRuns(ctx, []execute.RunRecord{{Result: r, Meta: m}})
}

// gate is a builtin runner that blocks every call until released.
type gate struct {
	started chan struct{}
	release chan struct{}
}

func newGate() *gate { return &gate{started: make(chan struct{}, 100), release: make(chan struct{})} }

func (g *gate) Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error) {
	g.started <- struct{}{}
	select {
	case <-g.release:
		return map[string]any{"result": 2}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func calcPlan() *plan.Plan {
	return &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: tool.BuiltinCalculate, Args: map[string]any{"expression": "1+1"}}}}
}

func newRunsFor(t *testing.T, store execute.RunStore, g *gate, cfg planner.RunsConfig) *planner.Runs {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	var opts []execute.Option
	if g != nil {
		opts = append(opts, execute.WithRunner(tool.RunBuiltin, g))
	}
	rs := planner.NewRuns(p, execute.New(reg, opts...), store, nil, planner.WithRunsConfig(cfg))
	t.Cleanup(rs.Close)
	return rs
}

func waitStatus(t *testing.T, get func() (string, error), want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := get()
		if err == nil && st == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %q (%v), want %q", st, err, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// An acknowledged run is in the store before Start returns, while it is still queued.
func TestRunRecordedBeforeAcknowledged(t *testing.T) {
	store := execute.NewMemoryRunStore(0)
	g := newGate()
	rs := newRunsFor(t, store, g, planner.RunsConfig{})
	st, err := rs.Start(context.Background(), planner.RunRequest{Plan: calcPlan()}, false)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := store.GetRun(context.Background(), st.ID)
	if err != nil {
		t.Fatalf("acknowledged run not in the store: %v", err)
	}
	if !execute.InFlight(got.Status) {
		t.Fatalf("stored status %q, want queued or running", got.Status)
	}
	<-g.started
	close(g.release)
	waitStatus(t, func() (string, error) {
		r, _, err := store.GetRun(context.Background(), st.ID)
		if err != nil {
			return "", err
		}
		return r.Status, nil
	}, execute.RunSucceeded)
}

// A full queue refuses with unavailable (503) instead of accepting and losing runs.
func TestRunQueueFull(t *testing.T) {
	g := newGate()
	rs := newRunsFor(t, nil, g, planner.RunsConfig{Workers: 1, QueueSize: 1})
	ctx := context.Background()
	var ids []string
	for range 2 {
		st, err := rs.Start(ctx, planner.RunRequest{Plan: calcPlan()}, false)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, st.ID)
	}
	_, err := rs.Start(ctx, planner.RunRequest{Plan: calcPlan()}, false)
	pe, ok := planner.AsError(err)
	if !ok || pe.Code != planner.CodeUnavailable || !errors.Is(err, planner.ErrQueueFull) || pe.RetryAfter <= 0 {
		t.Fatalf("third run with a queue of 1 and 1 worker: %v, want unavailable wrapping ErrQueueFull with Retry-After", err)
	}
	close(g.release)
	for _, id := range ids {
		waitStatus(t, func() (string, error) {
			st, err := rs.Get(ctx, id)
			if err != nil {
				return "", err
			}
			return st.Status, nil
		}, execute.RunSucceeded)
	}
	// Capacity is back once runs finish.
	if _, err := rs.Start(ctx, planner.RunRequest{Plan: calcPlan()}, true); err != nil {
		t.Fatalf("after the queue drained: %v", err)
	}
}

// A write that fails is retried: the run is still acknowledged and recorded.
func TestRunWriteRetried(t *testing.T) {
	store := &flakyStore{MemoryRunStore: execute.NewMemoryRunStore(0), fail: 3}
	rs := newRunsFor(t, store, nil, planner.RunsConfig{})
	st, err := rs.Start(context.Background(), planner.RunRequest{Plan: calcPlan()}, true)
	if err != nil {
		t.Fatalf("a store failing 3 writes then recovering: %v", err)
	}
	got, _, err := store.MemoryRunStore.GetRun(context.Background(), st.ID)
	if err != nil || got.Status != execute.RunSucceeded {
		t.Fatalf("recorded run: %+v, %v", got, err)
	}
}

// A run that cannot be recorded is refused, not acknowledged and lost.
func TestRunNotRecordedIsRefused(t *testing.T) {
	store := &flakyStore{MemoryRunStore: execute.NewMemoryRunStore(0), fail: -1}
	var ran atomic.Bool
	g := newGate()
	rs := newRunsFor(t, store, g, planner.RunsConfig{AckTimeout: 200 * time.Millisecond, Drain: 100 * time.Millisecond})
	_, err := rs.Start(context.Background(), planner.RunRequest{Plan: calcPlan()}, false)
	if pe, ok := planner.AsError(err); !ok || pe.Code != planner.CodeUnavailable || !errors.Is(err, planner.ErrNotRecorded) {
		t.Fatalf("Start with a store that fails every write: %v, want unavailable wrapping ErrNotRecorded", err)
	}
	select {
	case <-g.started:
		ran.Store(true)
	default:
	}
	if ran.Load() {
		t.Fatal("a run that was refused was executed")
	}
}

// Close interrupts runs in flight and records them as interrupted; a new process marks
// runs a killed one left in flight as interrupted.
func TestRunsInterrupted(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/planwise.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g := newGate()
	rs := newRunsFor(t, db.Runs(), g, planner.RunsConfig{})
	st, err := rs.Start(ctx, planner.RunRequest{Plan: calcPlan()}, false)
	if err != nil {
		t.Fatal(err)
	}
	<-g.started
	// A caller waiting on its run (?wait=true) is interrupted the same way.
	waited := make(chan *planner.RunState, 1)
	go func() {
		st, err := rs.Start(ctx, planner.RunRequest{Plan: calcPlan()}, true)
		if err != nil {
			t.Error(err)
		}
		waited <- st
	}()
	<-g.started
	rs.Close()
	got, _, err := db.Runs().GetRun(ctx, st.ID)
	if err != nil || got.Status != execute.RunInterrupted {
		t.Fatalf("after Close: %+v, %v; want interrupted", got, err)
	}
	if w := <-waited; w == nil || w.Status != execute.RunInterrupted {
		t.Fatalf("the waited run after Close: %+v; want interrupted", w)
	}
	if _, err := rs.Start(ctx, planner.RunRequest{Plan: calcPlan()}, false); !errors.Is(err, planner.ErrClosed) {
		t.Fatalf("Start after Close: %v, want ErrClosed", err)
	}
	// A run left running by a killed process.
	left := &execute.Result{ID: "left", Status: execute.RunRunning, Started: time.Now(),
		Steps: []execute.StepResult{{ID: "s1", Tool: tool.BuiltinCalculate, Status: execute.StepRunning}}}
	if err := db.Runs().SaveRun(ctx, left, execute.RunMeta{}); err != nil {
		t.Fatal(err)
	}
	rs2 := newRunsFor(t, db.Runs(), nil, planner.RunsConfig{})
	if n, err := rs2.Recover(ctx); err != nil || n != 1 {
		t.Fatalf("Recover: %d, %v; want 1", n, err)
	}
	got2, err := rs2.Get(ctx, "left")
	if err != nil || got2.Status != execute.RunInterrupted || got2.Steps[0].Status != execute.StepInterrupted {
		t.Fatalf("left run after Recover: %+v, %v", got2, err)
	}
}

// A store that keeps refusing writes makes the run service not ready; it recovers when
// a write goes through.
func TestRunsReadyFollowsTheStore(t *testing.T) {
	store := &flakyStore{MemoryRunStore: execute.NewMemoryRunStore(0), fail: -1}
	rs := newRunsFor(t, store, nil, planner.RunsConfig{AckTimeout: 100 * time.Millisecond, Drain: 100 * time.Millisecond})
	if err := rs.Ready(context.Background()); err != nil {
		t.Fatalf("before any write: %v", err)
	}
	rs.Start(context.Background(), planner.RunRequest{Plan: calcPlan()}, false)
	if err := rs.Ready(context.Background()); err == nil {
		t.Fatal("ready while every write fails")
	}
	store.mu.Lock()
	store.fail = 0
	store.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for rs.Ready(context.Background()) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("still not ready after the store recovered: %v", rs.Ready(context.Background()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for a logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A run is recorded as its steps finish, not only at its end (a crash then loses at
// most the step in flight, and a reader sees the progress), and every failed write is
// logged with the run's id before it is retried.
func TestRunProgressRecordedAndWriteFailuresLogged(t *testing.T) {
	store := &flakyStore{MemoryRunStore: execute.NewMemoryRunStore(0), fail: 2}
	var logs syncBuffer
	g := newGate()
	rs := newRunsFor(t, store, g, planner.RunsConfig{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	p := &plan.Plan{Steps: []plan.Step{
		{ID: "s1", Tool: tool.BuiltinCalculate, Args: map[string]any{"expression": "1+1"}},
		{ID: "s2", Tool: tool.BuiltinCalculate, Args: map[string]any{"expression": "2+2"}, After: []string{"s1"}},
	}}
	st, err := rs.Start(context.Background(), planner.RunRequest{Plan: p}, false)
	if err != nil {
		t.Fatalf("a store failing 2 writes then recovering: %v", err)
	}
	if n := strings.Count(logs.String(), "could not record runs; retrying"); n != 2 || !strings.Contains(logs.String(), st.ID) {
		t.Fatalf("2 failed writes logged %d times (with the run's id: %v):\n%s", n, strings.Contains(logs.String(), st.ID), logs.String())
	}
	stored := func() (*execute.Result, error) {
		r, _, err := store.MemoryRunStore.GetRun(context.Background(), st.ID)
		return r, err
	}
	<-g.started
	g.release <- struct{}{} // s1 ends; s2 starts and waits
	<-g.started
	waitStatus(t, func() (string, error) {
		r, err := stored()
		if err != nil {
			return "", err
		}
		return r.Status + " " + r.Steps[0].Status, nil
	}, execute.RunRunning+" "+execute.StepSucceeded)
	g.release <- struct{}{}
	waitStatus(t, func() (string, error) {
		r, err := stored()
		if err != nil {
			return "", err
		}
		return r.Status + " " + r.Steps[1].Status, nil
	}, execute.RunSucceeded+" "+execute.StepSucceeded)
}
