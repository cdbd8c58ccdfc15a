// Package runstoretest is the conformance suite every execute.RunStore runs: memory,
// SQLite and PostgreSQL prove the same behaviour with the same test.
package runstoretest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
)

// Run tests the store returned by open (a new, empty one per call).
func Run(t *testing.T, open func(t *testing.T) execute.RunStore) {
	t.Run("BatchRoundTrip", func(t *testing.T) { testBatch(t, open(t)) })
	t.Run("InterruptRuns", func(t *testing.T) { testInterrupt(t, open(t)) })
	t.Run("FeedbackUnknownRun", func(t *testing.T) {
		err := open(t).SaveFeedback(context.Background(), "nope", execute.Feedback{Rating: 1})
		if !errors.Is(err, execute.ErrRunNotFound) {
			t.Fatalf("feedback on an unknown run: %v, want ErrRunNotFound", err)
		}
	})
}

func result(id, status string, steps ...string) *execute.Result {
	t0 := time.Date(2026, 11, 26, 21, 0, 0, 0, time.UTC)
	r := &execute.Result{ID: id, Status: status, Started: t0}
	for i, s := range steps {
		r.Steps = append(r.Steps, execute.StepResult{ID: fmt.Sprintf("s%d", i+1), Tool: "calculate", Status: s})
	}
	return r
}

func testBatch(t *testing.T, s execute.RunStore) {
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
}

func testInterrupt(t *testing.T, s execute.RunStore) {
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
	if err := rr.RenewRuns(ctx, []string{"renewed"}, cut.Add(time.Hour)); err != nil {
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
