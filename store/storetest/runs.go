package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

func runRuns(t *testing.T, open Opener) {
	runEach(t, open, func(s Stores) execute.RunStore { return s.Runs }, []test[execute.RunStore]{
		{"RoundTrip", testRunsRoundTrip},
		{"Errors", testRunsErrors},
		{"ConcurrentWriters", testRunsConcurrentWriters},
		{"ExecutorResult", testRunsExecutorResult},
		{"BatchRoundTrip", testRunsBatch},
		{"InterruptRuns", testRunsInterrupt},
	})
}

func runsTestResult(id string) *execute.Result {
	t0 := time.Date(2026, 11, 26, 21, 0, 0, 123456789, time.UTC)
	return &execute.Result{
		ID: id, Status: execute.RunPartial, Started: t0, Finished: t0.Add(1500 * time.Millisecond), DurationMS: 1500,
		Steps: []execute.StepResult{
			{ID: "s1", Tool: "get_weather", Status: execute.StepSucceeded, Simulated: true, Attempts: 1,
				Output:  map[string]any{"summary": "cold", "temperature_c": 3.5, "alerts": []any{map[string]any{"title": "ice"}}, "n": int64(2)},
				Started: t0, Finished: t0.Add(time.Second), DurationMS: 1000},
			{ID: "s2", Tool: "notify", Status: execute.StepFailed, Error: "s2: webhook answered 502", Attempts: 3,
				Output: []any{"a", nil}, Items: 2, Started: t0.Add(time.Second), Finished: t0.Add(1500 * time.Millisecond), DurationMS: 500},
			{ID: "s3", Tool: "notify", Status: execute.StepSkipped, Error: "not run: s2 failed"},
		},
	}
}

func runsTestMeta() execute.RunMeta {
	return execute.RunMeta{Request: "email Bob the weather", Plan: json.RawMessage(`{"steps":[]}`),
		Tenant: "acme", APIKeyHash: "k1", Source: "llm", RequestID: "req-1", HistoryID: "0193a8c2-7f00-7000-8000-000000000001", CacheEntry: "e1",
		Created: time.Date(2026, 11, 26, 21, 0, 2, 5, time.UTC)}
}

// feedbacker is the feedback reading every run store of planwise has.
type feedbacker interface {
	Feedback(ctx context.Context, runID string) ([]execute.Feedback, error)
}

func feedback(t *testing.T, s execute.RunStore, runID string) []execute.Feedback {
	t.Helper()
	f, ok := s.(feedbacker)
	if !ok {
		t.Skip("the store cannot read feedback back (no Feedback method)")
	}
	fbs, err := f.Feedback(context.Background(), runID)
	if err != nil {
		t.Fatalf("feedback of %s: %v", runID, err)
	}
	return fbs
}

// testRunsRoundTrip: a run, its steps (outputs, times to the nanosecond) and meta come
// back exactly; saving again replaces the steps and keeps the feedback.
func testRunsRoundTrip(t *testing.T, runs execute.RunStore, reopen func() execute.RunStore) {
	ctx := context.Background()
	want := runsTestResult("run-1")
	meta := runsTestMeta()
	if err := runs.SaveRun(ctx, want, meta); err != nil {
		t.Fatal(err)
	}
	if reopen != nil {
		runs = reopen()
	}
	got, gotMeta, err := runs.GetRun(ctx, "run-1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("round trip differs:\n got %s\nwant %s", gj, wj)
	}
	if !reflect.DeepEqual(gotMeta, meta) {
		t.Errorf("meta %+v, want %+v", gotMeta, meta)
	}

	// Saving again replaces the steps and keeps feedback.
	if err := runs.SaveFeedback(ctx, "run-1", execute.Feedback{Rating: -1, Comment: "wrong person"}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 22, 0, 0, 7, time.UTC)
	if err := runs.SaveFeedback(ctx, "run-1", execute.Feedback{Rating: 1, Comment: "fixed", Time: at}); err != nil {
		t.Fatal(err)
	}
	want.Status = execute.RunSucceeded
	want.Steps = want.Steps[:1]
	if err := runs.SaveRun(ctx, want, meta); err != nil {
		t.Fatal(err)
	}
	got, _, err = runs.GetRun(ctx, "run-1")
	if err != nil || got.Status != execute.RunSucceeded || len(got.Steps) != 1 {
		t.Errorf("after replace: %+v %v", got, err)
	}
	fbs := feedback(t, runs, "run-1")
	if len(fbs) != 2 || fbs[0].Rating != -1 || fbs[0].Comment != "wrong person" || fbs[0].Time.IsZero() ||
		fbs[1].Rating != 1 || fbs[1].Comment != "fixed" || !fbs[1].Time.Equal(at) {
		t.Errorf("feedback %+v", fbs)
	}
	if fbs := feedback(t, runs, "absent"); len(fbs) != 0 {
		t.Errorf("feedback of an absent run: %+v", fbs)
	}
}

// testRunsErrors: unknown runs, bad ratings, results without an id and, in a store that
// encodes outputs, a save that cannot be encoded, which leaves nothing behind.
func testRunsErrors(t *testing.T, runs execute.RunStore, reopen func() execute.RunStore) {
	ctx := context.Background()
	if _, _, err := runs.GetRun(ctx, "missing"); !errors.Is(err, execute.ErrRunNotFound) {
		t.Errorf("get missing: %v", err)
	}
	if err := runs.SaveFeedback(ctx, "missing", execute.Feedback{Rating: 1}); !errors.Is(err, execute.ErrRunNotFound) {
		t.Errorf("feedback on missing run: %v", err)
	}
	if err := runs.SaveRun(ctx, runsTestResult("r"), execute.RunMeta{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []int{-2, 2, 5} {
		if err := runs.SaveFeedback(ctx, "r", execute.Feedback{Rating: r}); !errors.Is(err, execute.ErrInvalidFeedback) {
			t.Errorf("rating %d: %v", r, err)
		}
	}
	if err := runs.SaveRun(ctx, &execute.Result{}, execute.RunMeta{}); err == nil {
		t.Error("a result without id was saved")
	}
	if reopen == nil {
		return // outputs are kept as they are, not encoded
	}
	// A step output that cannot be encoded fails the whole save: nothing half-written.
	bad := runsTestResult("bad")
	bad.Steps[1].Output = map[string]any{"f": func() {}}
	if err := runs.SaveRun(ctx, bad, execute.RunMeta{}); err == nil {
		t.Fatal("unencodable output saved")
	}
	if _, _, err := runs.GetRun(ctx, "bad"); !errors.Is(err, execute.ErrRunNotFound) {
		t.Errorf("a failed save left a run behind: %v", err)
	}
}

// testRunsConcurrentWriters saves runs and feedback from 40 goroutines at once.
func testRunsConcurrentWriters(t *testing.T, runs execute.RunStore, _ func() execute.RunStore) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			id := fmt.Sprintf("run-%d", i)
			if err := runs.SaveRun(ctx, runsTestResult(id), runsTestMeta()); err != nil {
				errs <- err
				return
			}
			errs <- runs.SaveFeedback(ctx, id, execute.Feedback{Rating: 1})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	steps, fbs := 0, 0
	for i := range 40 {
		id := fmt.Sprintf("run-%d", i)
		r, _, err := runs.GetRun(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		steps += len(r.Steps)
		fbs += len(feedback(t, runs, id))
	}
	if steps != 120 || fbs != 40 {
		t.Errorf("40 runs read back with %d steps and %d feedback, want 120 and 40", steps, fbs)
	}
}

// testRunsExecutorResult saves what the executor really produces.
func testRunsExecutorResult(t *testing.T, runs execute.RunStore, _ func() execute.RunStore) {
	ctx := context.Background()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"calculate","args":{"expression":"6 * 7"}},
		{"id":"s2","tool":"render_template","args":{"template":"answer {{.a}}","values":{"a":"${s1.result}"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ex := execute.New(reg)
	defer ex.Close()
	res := ex.Run(ctx, p, execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
	if err := runs.SaveRun(ctx, res, execute.RunMeta{Plan: p.JSON(), Source: "user"}); err != nil {
		t.Fatal(err)
	}
	got, meta, err := runs.GetRun(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Steps[0].Output, res.Steps[0].Output) || !reflect.DeepEqual(got.Steps[1].Output, res.Steps[1].Output) {
		t.Errorf("outputs %v %v, want %v %v", got.Steps[0].Output, got.Steps[1].Output, res.Steps[0].Output, res.Steps[1].Output)
	}
	if !got.Started.Equal(res.Started) || !got.Steps[1].Finished.Equal(res.Steps[1].Finished) {
		t.Error("times changed in the round trip")
	}
	if string(meta.Plan) != string(p.JSON()) || meta.Created.IsZero() {
		t.Errorf("meta %+v", meta)
	}
}

func result(id, status string, steps ...string) *execute.Result {
	t0 := time.Date(2026, 11, 26, 21, 0, 0, 0, time.UTC)
	r := &execute.Result{ID: id, Status: status, Started: t0}
	for i, s := range steps {
		r.Steps = append(r.Steps, execute.StepResult{ID: fmt.Sprintf("s%d", i+1), Tool: "calculate", Status: s})
	}
	return r
}

// testRunsBatch saves several runs in one execute.RunBatchSaver call.
func testRunsBatch(t *testing.T, s execute.RunStore, _ func() execute.RunStore) {
	ctx := context.Background()
	bs, ok := s.(execute.RunBatchSaver)
	if !ok {
		t.Skip("the store saves one run at a time")
	}
	a := result("run-a", execute.RunQueued, execute.StepPending, execute.StepPending)
	b := result("run-b", execute.RunSucceeded, execute.StepSucceeded)
	b.Steps[0].Output = map[string]any{"result": int64(42)}
	if err := bs.SaveRuns(ctx, []execute.RunRecord{{Result: a, Meta: execute.RunMeta{Tenant: "acme", Request: "r-a"}},
		{Result: b, Meta: execute.RunMeta{Tenant: "beta"}}}); err != nil {
		t.Fatal(err)
	}
	got, meta, err := s.GetRun(ctx, "run-a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != execute.RunQueued || len(got.Steps) != 2 || got.Steps[1].Status != execute.StepPending || meta.Tenant != "acme" || meta.Request != "r-a" {
		t.Fatalf("run-a read back as %+v %+v", got, meta)
	}
	// Saving again replaces the run and its steps.
	a.Status = execute.RunSucceeded
	a.Steps = a.Steps[:1]
	a.Steps[0].Status = execute.StepSucceeded
	if err := bs.SaveRuns(ctx, []execute.RunRecord{{Result: a, Meta: execute.RunMeta{Tenant: "acme"}}}); err != nil {
		t.Fatal(err)
	}
	got, _, err = s.GetRun(ctx, "run-a")
	if err != nil || got.Status != execute.RunSucceeded || len(got.Steps) != 1 {
		t.Fatalf("run-a after a second save: %+v, %v", got, err)
	}
	got, _, err = s.GetRun(ctx, "run-b")
	if err != nil || got.Steps[0].Output.(map[string]any)["result"] != int64(42) {
		t.Fatalf("run-b read back as %+v, %v", got, err)
	}
	if err := bs.SaveRuns(ctx, []execute.RunRecord{{Result: &execute.Result{}}}); err == nil {
		t.Fatal("a run without an id was saved")
	}
	// One bad record fails the batch: the good one is not saved either.
	if err := bs.SaveRuns(ctx, []execute.RunRecord{{Result: result("run-c", execute.RunQueued)}, {Result: &execute.Result{}}}); err == nil {
		t.Fatal("a batch with a run without an id was saved")
	}
	if _, _, err := s.GetRun(ctx, "run-c"); !errors.Is(err, execute.ErrRunNotFound) {
		t.Fatalf("a failed batch saved run-c: %v", err)
	}
	if err := bs.SaveRuns(ctx, nil); err != nil {
		t.Fatalf("an empty batch: %v", err)
	}
}

// testRunsInterrupt: runs in flight that nobody renewed end as interrupted, with their
// unfinished steps; renewed and finished runs are left alone.
func testRunsInterrupt(t *testing.T, s execute.RunStore, _ func() execute.RunStore) {
	ctx := context.Background()
	rr, ok := s.(execute.RunRecovery)
	if !ok {
		t.Skip("the store does not implement execute.RunRecovery")
	}
	save := func(r *execute.Result) {
		t.Helper()
		if err := s.SaveRun(ctx, r, execute.RunMeta{Tenant: "acme"}); err != nil {
			t.Fatal(err)
		}
	}
	save(result("queued", execute.RunQueued, execute.StepPending))
	save(result("running", execute.RunRunning, execute.StepSucceeded, execute.StepRunning, execute.StepPending))
	save(result("renewed", execute.RunRunning, execute.StepRunning))
	save(result("done", execute.RunSucceeded, execute.StepSucceeded))
	cut := time.Now().Add(time.Second)
	if err := rr.RenewRuns(ctx, []string{"renewed", "absent"}, cut.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := rr.RenewRuns(ctx, nil, cut); err != nil {
		t.Fatal(err)
	}
	n, err := rr.InterruptRuns(ctx, cut, "interrupted: test")
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("InterruptRuns marked %d runs, want 2 (queued and running)", n)
	}
	want := map[string][]string{
		"queued":  {execute.RunInterrupted, execute.StepInterrupted},
		"running": {execute.RunInterrupted, execute.StepSucceeded, execute.StepInterrupted, execute.StepInterrupted},
		"renewed": {execute.RunRunning, execute.StepRunning},
		"done":    {execute.RunSucceeded, execute.StepSucceeded},
	}
	for id, w := range want {
		got, _, err := s.GetRun(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		have := []string{got.Status}
		for _, st := range got.Steps {
			have = append(have, st.Status)
		}
		if fmt.Sprint(have) != fmt.Sprint(w) {
			t.Errorf("%s: statuses %v, want %v", id, have, w)
		}
		if got.Status == execute.RunInterrupted && (got.Error != "interrupted: test" || got.Finished.IsZero()) {
			t.Errorf("%s: error %q, finished %v", id, got.Error, got.Finished)
		}
	}
	// A second pass finds nothing more.
	if n, err := rr.InterruptRuns(ctx, cut, "again"); err != nil || n != 0 {
		t.Fatalf("second InterruptRuns: %d, %v", n, err)
	}
}
