package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/app"
)

// ServeMCP serves the app's planner over an MCP transport: a client lists the tools and
// plans a request; the offline warning is logged; the client going away ends it cleanly.
func TestServeMCP(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(ctx, sqliteConfig(t), app.Options{LongRunning: true, Logger: log, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	st, ct := mcp.NewInMemoryTransports()
	done := make(chan error, 1)
	go func() { done <- a.ServeMCP(ctx, st) }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tl, err := range cs.Tools(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tl.Name)
	}
	if strings.Join(names, ",") != "plan,run,tools" {
		t.Errorf("tools %v, want plan, run and tools", names)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "plan", Arguments: map[string]any{"request": "calculate 6 * 7"}})
	if err != nil || res.IsError {
		t.Fatalf("plan: %+v %v", res, err)
	}
	b, _ := json.Marshal(res.StructuredContent)
	if !strings.Contains(string(b), `"calculate"`) {
		t.Errorf("plan: %s, want a plan calling calculate", b)
	}
	cs.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeMCP after the client left: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ServeMCP did not return after the client left")
	}
	if !strings.Contains(logs.String(), "no LLM configured") {
		t.Errorf("logs %q: want the offline warning", logs.String())
	}
}
