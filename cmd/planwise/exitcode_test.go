package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The exit codes are one scheme for every command, as the README and plan's and run's
// help say: 1 for a usage or configuration error (the command's own checks, the client
// commands' key and --server, cobra's unknown flag and command alike), 2 for no plan
// (plan and run only), 3 for a run that failed.
func TestExitCodesAreOneScheme(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("k\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(config, []byte("nonsense: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const server = "http://127.0.0.1:1" // nothing is called: every check comes first
	usage := [][]string{
		{"stats", "--window", "soon", "--server", server},
		{"stats", "--server", "127.0.0.1:8080"},
		{"stats", "--server", ""},
		{"bench", "load", "--server", ""},
		{"stats", "--server", server, "--api-key", "x", "--api-key-file", keyFile},
		{"history", "--limit", "0"},
		{"history", "--server", "nope"},
		{"history", "--server", server, "--api-key", "x", "--api-key-file", keyFile},
		{"insights", "--since", "-1h"},
		{"insights", "--server", "nope"},
		{"experiments", "list", "--server", "nope"},
		{"experiments", "create", "--server", server},
		{"experiments", "create", "--variants", "default", "--server", server},
		{"experiments", "promote"},
		{"history", "--tenant", "a", "--all-tenants"},
		{"bench", "load", "--server", "nope"},
		{"bench", "load", "--server", server, "--api-key", "x", "--api-key-file", keyFile},
		{"eval", "cache"},
		{"eval", "plans", "--data", "x"},
		{"plan"},
		{"plan", "--bogus", "x"},
		{"stats", "--bogus"},
		{"experiments", "list", "--bogus"},
		{"bogus"},
		{"--json", "plan", "x"},
		{"plan", "--config", config, "x"},
	}
	for _, args := range usage {
		if code, _, stderr := runCLI(t, args...); code != exitFailed || !strings.HasPrefix(stderr, "error: ") {
			t.Errorf("planwise %s: exit %d, stderr %q; want %d, a usage or configuration error", strings.Join(args, " "), code, stderr, exitFailed)
		}
	}
	for _, args := range [][]string{
		{"plan", "--offline", "zxqv blorft wuzzle"},
		{"plan", "--offline", "--json", "zxqv blorft wuzzle"},
		{"run", "--offline", "zxqv blorft wuzzle"},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitNoPlan {
			t.Errorf("planwise %s: exit %d, stderr %q; want %d, no plan", strings.Join(args, " "), code, stderr, exitNoPlan)
		}
	}
}

// Exit 2 is "no plan: the planner refused" (cannot_plan), whoever refused: the offline
// planners, or the model answering cannot_plan. Every other failure of plan and run is
// 1, with its error: a bad flag the planner refuses as an invalid request, an LLM
// provider failing with nothing planned offline. With --json both print the planner's
// error object on stdout, run as plan does.
func TestPlanAndRunExit2OnlyWhenThePlannerRefused(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	const unplannable = "zxqv blorft wuzzle"
	check := func(t *testing.T, want int, stderrHas string, args ...string) {
		t.Helper()
		code, out, stderr := runCLI(t, args...)
		if code != want || !strings.Contains(stderr, stderrHas) {
			t.Errorf("planwise %s: exit %d, stderr %q; want %d and %q\n%s", strings.Join(args, " "), code, stderr, want, stderrHas, out)
		}
		if slices.Contains(args, "--json") {
			var e struct{ Error struct{ Code string } }
			if err := json.Unmarshal([]byte(out), &e); err != nil || e.Error.Code == "" {
				t.Errorf("planwise %s: stdout %q (%v); want the error object", strings.Join(args, " "), out, err)
			}
		}
	}

	t.Run("offline", func(t *testing.T) {
		t.Setenv("OPENAI_BASE_URL", "")
		t.Setenv("OPENAI_API_KEY", "")
		for _, cmd := range []string{"plan", "run"} {
			check(t, exitNoPlan, "cannot_plan", cmd, "--offline", unplannable)
			check(t, exitFailed, "invalid_request: options.deadline_ms must be positive", cmd, "--deadline-ms", "-1", "calculate 2 + 3")
			check(t, exitNoPlan, "", cmd, "--offline", "--json", unplannable)
			check(t, exitFailed, "", cmd, "--json", "--deadline-ms", "-1", "calculate 2 + 3")
		}
		// The same object, whichever command planned.
		_, planOut, _ := runCLI(t, "plan", "--offline", "--json", unplannable)
		if _, runOut, _ := runCLI(t, "run", "--offline", "--json", unplannable); runOut != planOut {
			t.Errorf("run --json printed\n%s\nplan --json\n%s", runOut, planOut)
		}
	})

	t.Run("provider failing", func(t *testing.T) {
		provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"error":{"message":"the server had an error","type":"server_error"}}`))
		}))
		defer provider.Close()
		t.Setenv("OPENAI_BASE_URL", provider.URL+"/v1")
		t.Setenv("OPENAI_API_KEY", "sk-test")
		for _, cmd := range []string{"plan", "run"} {
			check(t, exitFailed, "unavailable: the LLM failed and no offline planner could plan the request", cmd, "--no-cache", unplannable)
			// Planned offline after the provider failed: a plan, exit 0.
			check(t, 0, "", cmd, "--no-cache", "calculate 2 + 3")
			check(t, exitFailed, "", cmd, "--no-cache", "--json", unplannable)
		}
	})

	t.Run("the model refused", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		base := startCommand(t, ctx, baseURLLine, "sim", "--addr", "127.0.0.1:0", "--latency-scale", "0", "--no-planner")
		t.Setenv("OPENAI_BASE_URL", base)
		t.Setenv("OPENAI_API_KEY", "")
		for _, cmd := range []string{"plan", "run"} {
			check(t, exitNoPlan, "(llm: the model", cmd, "--no-cache", unplannable)
			check(t, exitNoPlan, "", cmd, "--no-cache", "--json", unplannable)
		}
	})
}
