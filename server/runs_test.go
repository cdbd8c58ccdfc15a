package server_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/tool"
)

func newRunsServer(t *testing.T, keys ...server.APIKey) (*httptest.Server, *metrics.Recorder) {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema:  json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`),
		OutputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}}}`),
		Run:          &tool.RunSpec{Kind: tool.RunSimulated, Output: map[string]any{"text": "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	rec := metrics.NewRecorder(metrics.Options{})
	pl, err := planner.New(reg, planner.WithPatternPlanner(fixedPlanner{echoPlan}), planner.WithRecorder(rec))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/runs.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	runs := planner.NewRuns(pl, execute.New(reg), db.Runs(), rec)
	t.Cleanup(runs.Close)
	ts := httptest.NewServer(server.New(server.Config{APIKeys: keys}, pl, server.WithRuns(runs)).Handler())
	t.Cleanup(ts.Close)
	return ts, rec
}

func TestRunsAPI(t *testing.T) {
	ts, rec := newRunsServer(t)

	code, body, h := do(t, "POST", ts.URL+"/api/v1/runs?wait=true", `{"request":"echo hi"}`)
	if code != 200 || body["status"] != "succeeded" || body["source"] != "pattern" || h.Get("Location") == "" {
		t.Fatalf("run: %d %v", code, body)
	}
	steps := body["steps"].([]any)
	step := steps[0].(map[string]any)
	if step["id"] != "s1" || step["tool"] != "echo" || step["status"] != "succeeded" || step["output"].(map[string]any)["text"] != "hi" || step["simulated"] != true {
		t.Fatalf("step: %v", step)
	}
	id := body["id"].(string)

	// Read back from the store.
	code, body, _ = do(t, "GET", ts.URL+"/api/v1/runs/"+id, "")
	if code != 200 || body["status"] != "succeeded" || body["request"] != "echo hi" || body["plan"] == nil {
		t.Fatalf("get: %d %v", code, body)
	}

	// Asynchronous run of a given plan: 202, then poll until it ends.
	code, body, _ = do(t, "POST", ts.URL+"/api/v1/runs", `{"plan":{"steps":[{"id":"a","tool":"echo","args":{"text":"x"}},{"id":"b","tool":"echo","args":{"text":"${a.text}"}}]}}`)
	if code != 202 || body["source"] != "user" {
		t.Fatalf("async: %d %v", code, body)
	}
	aid := body["id"].(string)
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body, _ = do(t, "GET", ts.URL+"/api/v1/runs/"+aid, "")
		if code == 200 && body["status"] != "running" && body["status"] != "queued" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("run never finished: %v", body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if body["status"] != "succeeded" || len(body["steps"].([]any)) != 2 {
		t.Fatalf("async result: %v", body)
	}

	// Feedback.
	if code, body, _ = do(t, "POST", ts.URL+"/api/v1/runs/"+id+"/feedback", `{"rating":1,"comment":"good"}`); code != 200 {
		t.Fatalf("feedback: %d %v", code, body)
	}
	if code, _, _ = do(t, "POST", ts.URL+"/api/v1/runs/"+id+"/feedback", `{"rating":5}`); code != 400 {
		t.Fatalf("bad rating: %d", code)
	}
	if code, _, _ = do(t, "POST", ts.URL+"/api/v1/runs/nope/feedback", `{"rating":1}`); code != 404 {
		t.Fatalf("feedback on unknown run: %d", code)
	}
	s := rec.Summary(0)
	if s.Executions != 2 || s.ExecutionSuccessRate != 1 || s.Satisfaction.FeedbackCount != 1 {
		t.Fatalf("metrics: executions %d rate %v feedback %d", s.Executions, s.ExecutionSuccessRate, s.Satisfaction.FeedbackCount)
	}
}

func TestRunsAPIErrors(t *testing.T) {
	ts, _ := newRunsServer(t)
	tests := []struct {
		name, body string
		code       int
		errCode    string
	}{
		{"neither", `{}`, 400, "invalid_request"},
		{"both", `{"request":"x","plan":{"steps":[]}}`, 400, "invalid_request"},
		{"invalid plan", `{"plan":{"steps":[{"id":"s1","tool":"nope","args":{}}]}}`, 422, "invalid_plan"},
		{"malformed plan", `{"plan":{"steps":"x"}}`, 400, "invalid_request"},
	}
	for _, tc := range tests {
		code, body, _ := do(t, "POST", ts.URL+"/api/v1/runs?wait=true", tc.body)
		e, _ := body["error"].(map[string]any)
		if code != tc.code || e == nil || e["code"] != tc.errCode {
			t.Errorf("%s: %d %v", tc.name, code, body)
		}
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/v1/runs/unknown", ""); code != 404 {
		t.Errorf("unknown run: %d", code)
	}
}

func TestRunsTenantIsolation(t *testing.T) {
	a := server.APIKey{Key: "tenant-a-key-0123456789", Tenant: "a"}
	b := server.APIKey{Key: "tenant-b-key-0123456789", Tenant: "b"}
	ts, _ := newRunsServer(t, a, b)
	code, body, _ := do(t, "POST", ts.URL+"/api/v1/runs?wait=true", `{"request":"echo hi"}`, "Authorization", "Bearer "+a.Key)
	if code != 200 {
		t.Fatalf("run: %d %v", code, body)
	}
	id := body["id"].(string)
	if code, _, _ := do(t, "GET", ts.URL+"/api/v1/runs/"+id, "", "Authorization", "Bearer "+b.Key); code != 404 {
		t.Fatalf("tenant b read tenant a's run: %d", code)
	}
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/runs/"+id+"/feedback", `{"rating":-1}`, "Authorization", "Bearer "+b.Key); code != 404 {
		t.Fatalf("tenant b rated tenant a's run: %d", code)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/v1/runs/"+id, "", "Authorization", "Bearer "+a.Key); code != 200 {
		t.Fatalf("tenant a cannot read its run: %d", code)
	}
}

// The interface other checks rely on: POST /api/v1/runs answers 202 {"id"} while the
// run queue has room, and 503 with Retry-After (JSON, code unavailable) once it is full,
// rather than accept a run it would lose; GET /api/v1/runs/{id} answers 200 with the
// run's status.
func TestRunsQueueFullIs503WithRetryAfter(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "nap", Description: "take a nap",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}}}`),
		Run:         &tool.RunSpec{Kind: tool.RunSimulated}})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	blocked := execute.RunnerFunc(func(ctx context.Context, _ *tool.Tool, _ map[string]any) (any, error) {
		select {
		case <-release:
			return map[string]any{"ok": true}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	runs := planner.NewRuns(pl, execute.New(reg, execute.WithRunner(tool.RunSimulated, blocked)), execute.NewMemoryRunStore(0), nil,
		planner.WithRunsConfig(planner.RunsConfig{Workers: 1, QueueSize: 1}))
	t.Cleanup(runs.Close)
	ts := httptest.NewServer(server.New(server.Config{}, pl, server.WithRuns(runs)).Handler())
	t.Cleanup(ts.Close)
	const run = `{"plan": {"steps": [{"id": "s1", "tool": "nap", "args": {"text": "zz"}}]}}`
	var ids []string
	for i := range 2 { // one running, one queued
		code, body, _ := do(t, "POST", ts.URL+"/api/v1/runs", run)
		id, _ := body["id"].(string)
		if code != 202 || id == "" {
			t.Fatalf("run %d: %d %v; want 202 with an id", i, code, body)
		}
		ids = append(ids, id)
	}
	code, body, h := do(t, "POST", ts.URL+"/api/v1/runs", run)
	e, _ := body["error"].(map[string]any)
	if code != 503 || h.Get("Retry-After") == "" || e == nil || e["code"] != "unavailable" {
		t.Fatalf("a run past the queue: %d %v (Retry-After %q); want 503 unavailable with Retry-After", code, body, h.Get("Retry-After"))
	}
	close(release)
	for _, id := range ids {
		deadline := time.Now().Add(10 * time.Second)
		for {
			code, body, _ := do(t, "GET", ts.URL+"/api/v1/runs/"+id, "")
			if code == 200 && body["status"] == execute.RunSucceeded {
				break
			}
			if code != 200 || time.Now().After(deadline) {
				t.Fatalf("GET run %s: %d %v; want 200 and, soon, succeeded", id, code, body)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
