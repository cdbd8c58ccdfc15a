package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/tool"
)

// What the CLI writes, `planwise history` and `planwise insights` read with their
// defaults, and so does the HTTP API without API keys over the same store: one tenant
// name everywhere. Successful offline plans are not failures.
func TestCLIRecordsAreReadBackUnderOneTenant(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw.db")
	t.Setenv("PLANWISE_STORE__DRIVER", "sqlite")
	t.Setenv("PLANWISE_STORE__PATH", path)
	requests := []string{"Calculate 2 + 3", "Calculate 7 * 6", "Calculate 10 / 4"}
	for _, r := range requests {
		if code, _, stderr := runCLI(t, "plan", r); code != 0 {
			t.Fatalf("plan %q: exit %d: %s", r, code, stderr)
		}
	}
	if code, out, stderr := runCLI(t, "run", "Calculate 5 - 1"); code != 0 {
		t.Fatalf("run: exit %d: %s %s", code, stderr, out)
	}
	requests = append(requests, "Calculate 5 - 1")

	code, out, stderr := runCLI(t, "history", "--json")
	if code != 0 {
		t.Fatalf("history: exit %d: %s", code, stderr)
	}
	var page struct{ Records []history.Record }
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != len(requests) {
		t.Fatalf("history shows %d records of the CLI's %d requests:\n%s", len(page.Records), len(requests), out)
	}
	for _, r := range page.Records {
		if r.Tenant != planner.DefaultTenant {
			t.Errorf("record %q has tenant %q, want %q", r.Request, r.Tenant, planner.DefaultTenant)
		}
	}
	if page.Records[0].Request != "Calculate 5 - 1" || page.Records[0].Execution == nil {
		t.Errorf("newest record %+v, want the run with its execution", page.Records[0])
	}

	code, out, stderr = runCLI(t, "insights", "--since", "0", "--json")
	if code != 0 {
		t.Fatalf("insights: exit %d: %s", code, stderr)
	}
	var in history.Insights
	if err := json.Unmarshal([]byte(out), &in); err != nil {
		t.Fatal(err)
	}
	if in.Requests != len(requests) || in.Failures != 0 || in.Offline != len(requests) || in.FallbackRate != 0 {
		t.Errorf("insights: %d requests, %d failures, %d offline, fallback rate %v; want %d, 0, %d, 0",
			in.Requests, in.Failures, in.Offline, in.FallbackRate, len(requests), len(requests))
	}
	code, out, _ = runCLI(t, "insights", "--since", "0")
	if code != 0 || !strings.Contains(out, "4 requests, 0 failing") || !strings.Contains(out, "4 planned offline") {
		t.Errorf("insights: exit %d\n%s", code, out)
	}
	// Another tenant sees nothing; every tenant is the same four.
	if code, out, _ = runCLI(t, "history", "--tenant", "acme"); code != 0 || !strings.Contains(out, "no records") {
		t.Errorf("history --tenant acme: exit %d\n%s", code, out)
	}
	if code, out, _ = runCLI(t, "history", "--all-tenants", "--json"); code != 0 || strings.Count(out, `"request_id"`) != len(requests) {
		t.Errorf("history --all-tenants: exit %d\n%s", code, out)
	}

	// The HTTP API without keys reads the same records.
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, err := history.New(ctx, db.HistoryStore(), emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg, _ := tool.NewRegistry(tool.Builtins()...)
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(server.Config{}, pl, server.WithLearning(h)).Handler())
	defer ts.Close()
	res, err := http.Get(ts.URL + "/api/v1/history")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Count(string(b), `"request_id"`) != len(requests) {
		t.Errorf("GET /api/v1/history without keys does not show the CLI's %d records:\n%s", len(requests), b)
	}
}
