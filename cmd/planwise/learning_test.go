package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/tool"
)

// seedHistory records 10 requests for tenant "default": calculate's expression is wrong
// in 4 of them.
func seedHistory(t *testing.T, h *history.History) {
	t.Helper()
	for i := range 10 {
		r := &history.Record{Tenant: "default", Request: fmt.Sprintf("compute %d times 3", i), Source: "llm", Valid: true,
			Plan: &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": fmt.Sprintf("%d*3", i)}}}}}
		if i < 4 {
			r.Valid, r.IssueCodes, r.IssueFields = false, []string{"invalid_type"}, []string{"calculate.expression"}
		}
		if err := h.Record(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

func checkLearningCLI(t *testing.T, extra ...string) {
	t.Helper()
	args := func(a ...string) []string { return append(a, extra...) }
	code, out, stderr := runCLI(t, args("history", "--json", "--limit", "3")...)
	if code != 0 {
		t.Fatalf("history: exit %d: %s", code, stderr)
	}
	var page struct{ Records []history.Record }
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Records) != 3 || page.Records[0].Request != "compute 9 times 3" {
		t.Fatalf("history --json: %v %s", err, out)
	}
	code, out, stderr = runCLI(t, args("history")...)
	if code != 0 || !strings.Contains(out, "compute 0 times 3") || !strings.Contains(out, "calculate") {
		t.Errorf("history: exit %d %s %s", code, stderr, out)
	}
	code, out, stderr = runCLI(t, args("insights", "--since", "0")...)
	if code != 0 || !strings.Contains(out, "tool calculate's argument expression is invalid in 40% of plans (4/10)") {
		t.Errorf("insights: exit %d %s\n%s", code, stderr, out)
	}
	code, out, stderr = runCLI(t, args("experiments", "create", "--json", "--id", "w", "--variants", "default=3,concise=1")...)
	if code != 0 || !strings.Contains(out, `"share":0.75`) {
		t.Fatalf("experiments create: exit %d %s %s", code, stderr, out)
	}
	if code, _, _ = runCLI(t, args("experiments", "create", "--variants", "default")...); code == 0 {
		t.Error("one variant accepted")
	}
	code, out, stderr = runCLI(t, args("experiments", "list")...)
	if code != 0 || !strings.Contains(out, "w (w): running") || !strings.Contains(out, "concise  0.25") {
		t.Errorf("experiments list: exit %d %s\n%s", code, stderr, out)
	}
	if code, _, stderr = runCLI(t, args("experiments", "promote", "w")...); code == 0 || !strings.Contains(stderr, "significantly better") {
		t.Errorf("promote without evidence: exit %d %s", code, stderr)
	}
	code, out, stderr = runCLI(t, args("experiments", "promote", "w", "--winner", "concise")...)
	if code != 0 || !strings.Contains(out, "promoted concise") {
		t.Errorf("promote: exit %d %s %s", code, stderr, out)
	}
}

func TestLearningCommandsLocalStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw.db")
	t.Setenv("PLANWISE_STORE__DRIVER", "sqlite")
	t.Setenv("PLANWISE_STORE__PATH", path)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, err := history.New(ctx, db.HistoryStore(), emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedHistory(t, h)
	db.Close()
	checkLearningCLI(t)
}

// keyedServer serves the built-in tools with the learning loop on a memory store and
// opts, behind the API key "secret": what the CLI's client commands talk to. seed, when
// given, fills the history first.
func keyedServer(t *testing.T, seed func(*testing.T, *history.History), opts ...server.Option) *httptest.Server {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, err := history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if seed != nil {
		seed(t, h)
	}
	ts := httptest.NewServer(server.New(server.Config{APIKeys: []server.APIKey{{Key: "secret", Tenant: "default"}}}, pl,
		append([]server.Option{server.WithLearning(h)}, opts...)...).Handler())
	t.Cleanup(ts.Close)
	return ts
}

func TestLearningCommandsServer(t *testing.T) {
	ts := keyedServer(t, seedHistory)
	// The local store must not be touched: point it somewhere that would fail.
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "missing", "pw.db"))
	checkLearningCLI(t, "--server", ts.URL, "--api-key", "secret")
	if code, _, stderr := runCLI(t, "history", "--server", ts.URL, "--api-key", "wrong"); code == 0 || !strings.Contains(stderr, "invalid API key") {
		t.Errorf("wrong key: exit %d %s", code, stderr)
	}
}
