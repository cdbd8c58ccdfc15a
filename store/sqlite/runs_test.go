package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/execute/runstoretest"
	"github.com/planwise/planwise/metrics/spendtest"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

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
		Tenant: "acme", APIKeyHash: "k1", Source: "llm", Created: time.Date(2026, 11, 26, 21, 0, 2, 0, time.UTC)}
}

func openTestDB(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "planwise.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

func TestRunsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, path := openTestDB(t)
	runs := db.Runs()
	want := runsTestResult("run-1")
	meta := runsTestMeta()
	if err := runs.SaveRun(ctx, want, meta); err != nil {
		t.Fatal(err)
	}
	// Survives closing and reopening the file.
	db.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs = db.Runs()
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
	want.Status = execute.RunSucceeded
	want.Steps = want.Steps[:1]
	if err := runs.SaveRun(ctx, want, meta); err != nil {
		t.Fatal(err)
	}
	got, _, err = runs.GetRun(ctx, "run-1")
	if err != nil || got.Status != execute.RunSucceeded || len(got.Steps) != 1 {
		t.Errorf("after replace: %+v %v", got, err)
	}
	fbs, err := runs.Feedback(ctx, "run-1")
	if err != nil || len(fbs) != 1 || fbs[0].Rating != -1 || fbs[0].Comment != "wrong person" || fbs[0].Time.IsZero() {
		t.Errorf("feedback %+v %v", fbs, err)
	}
}

func TestRunsErrors(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	defer db.Close()
	runs := db.Runs()
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
	// A step output that cannot be encoded fails the whole save: nothing half-written.
	bad := runsTestResult("bad")
	bad.Steps[1].Output = map[string]any{"f": func() {}}
	if err := runs.SaveRun(ctx, bad, execute.RunMeta{}); err == nil {
		t.Fatal("unencodable output saved")
	}
	if _, _, err := runs.GetRun(ctx, "bad"); !errors.Is(err, execute.ErrRunNotFound) {
		t.Errorf("a failed save left a run behind: %v", err)
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM run_steps WHERE run_id = 'bad'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a failed save left %d steps (%v)", n, err)
	}
}

func TestRunsConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	defer db.Close()
	runs := db.Runs()
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
	var runsN, stepsN, fbN int
	db.SQL.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM run_steps), (SELECT COUNT(*) FROM feedback)`).Scan(&runsN, &stepsN, &fbN)
	if runsN != 40 || stepsN != 120 || fbN != 40 {
		t.Errorf("rows: runs %d steps %d feedback %d", runsN, stepsN, fbN)
	}
}

// TestRunsStoreExecutorResult saves what the executor really produces.
func TestRunsStoreExecutorResult(t *testing.T) {
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
	db, _ := openTestDB(t)
	defer db.Close()
	if err := db.Runs().SaveRun(ctx, res, execute.RunMeta{Plan: p.JSON(), Source: "user"}); err != nil {
		t.Fatal(err)
	}
	got, meta, err := db.Runs().GetRun(ctx, res.ID)
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

func TestRunStoreConformance(t *testing.T) {
	runstoretest.Run(t, func(t *testing.T) execute.RunStore {
		db, _ := openTestDB(t)
		t.Cleanup(func() { db.Close() })
		return db.Runs()
	})
}

func TestSpendStoreConformance(t *testing.T) {
	db, _ := openTestDB(t)
	defer db.Close()
	spendtest.Run(t, db.SpendStore())
}
