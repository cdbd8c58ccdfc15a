package server_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

type slowPlanner struct{ d time.Duration }

func (s slowPlanner) Plan(ctx context.Context, _ query.Query) (*plan.Plan, error) {
	select {
	case <-time.After(s.d):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "echo", Args: map[string]any{"text": "hi"}}}}, nil
}

// A request allowed a deadline longer than the server's write timeout still gets its
// reply: the write deadline follows the request's deadline.
func TestReplyNotDroppedPastWriteTimeout(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg, planner.WithPatternPlanner(slowPlanner{800 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{WriteTimeout: 300 * time.Millisecond}, pl)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, time.Second) }()
	defer func() { cancel(); <-done }()
	res, err := http.Post("http://"+ln.Addr().String()+"/api/v1/plan", "application/json",
		strings.NewReader(`{"request": "echo hi", "options": {"deadline_ms": 3000}}`))
	if err != nil {
		t.Fatalf("a plan taking 800 ms of its 3 s deadline, write timeout 300 ms: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
}

// A run waited for (?wait=true) may take its deadline and the run timeout: its reply is
// not dropped at the server's write timeout either.
func TestRunWaitNotDroppedPastWriteTimeout(t *testing.T) {
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
	slow := execute.RunnerFunc(func(ctx context.Context, _ *tool.Tool, _ map[string]any) (any, error) {
		select {
		case <-time.After(800 * time.Millisecond):
			return map[string]any{"ok": true}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	runs := planner.NewRuns(pl, execute.New(reg, execute.WithRunner(tool.RunSimulated, slow)), execute.NewMemoryRunStore(0), nil)
	defer runs.Close()
	srv := server.New(server.Config{WriteTimeout: 300 * time.Millisecond}, pl, server.WithRuns(runs))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, time.Second) }()
	defer func() { cancel(); <-done }()
	res, err := http.Post("http://"+ln.Addr().String()+"/api/v1/runs?wait=true", "application/json",
		strings.NewReader(`{"plan": {"steps": [{"id": "s1", "tool": "nap", "args": {"text": "zz"}}]}}`))
	if err != nil {
		t.Fatalf("a run taking 800 ms, write timeout 300 ms: %v", err)
	}
	defer res.Body.Close()
	var body struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != http.StatusOK || body.Status != execute.RunSucceeded {
		t.Fatalf("status %d, run %q (%v)", res.StatusCode, body.Status, err)
	}
}

// On shutdown /readyz says "draining" (503) while requests are still served, before the
// listener closes.
func TestNotReadyBeforeDraining(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg, planner.WithPatternPlanner(slowPlanner{0}))
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{DrainDelay: 2 * time.Second}, pl)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, time.Second) }()
	if code, _, _ := do(t, "GET", base+"/readyz", ""); code != http.StatusOK {
		t.Fatalf("readyz before shutdown: %d", code)
	}
	cancel()
	deadline := time.Now().Add(time.Second)
	for {
		code, body, _ := do(t, "GET", base+"/readyz", "")
		if code == http.StatusServiceUnavailable && body["status"] == "draining" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz while draining: %d %v", code, body)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if code, _, _ := do(t, "POST", base+"/api/v1/plan", `{"request": "echo hi"}`); code != http.StatusOK {
		t.Fatalf("a request while draining: %d", code)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
