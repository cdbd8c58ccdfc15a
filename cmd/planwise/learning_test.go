package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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

// Every flag a learning command lists does something where it is given, or is refused
// with the reason: --timeout bounds the local store's work as it bounds a server's
// answer; the key flags without --server, and --tenant, --all-tenants and --config with
// it, are usage errors (exit 1) that say which use they belong to.
func TestLearningCommandsRefuseFlagsTheyWouldIgnore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pw.db")
	t.Setenv("PLANWISE_STORE__DRIVER", "sqlite")
	t.Setenv("PLANWISE_STORE__PATH", path)
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "plan", "--offline", "calculate 2 + 3"); code != 0 {
		t.Fatalf("plan: exit %d %s", code, stderr)
	}
	ts := keyedServer(t, seedHistory)
	check := func(want int, stderrHas string, args ...string) {
		t.Helper()
		code, _, stderr := runCLI(t, args...)
		if code != want || !strings.Contains(stderr, stderrHas) {
			t.Errorf("planwise %s: exit %d, stderr %q; want %d and %q", strings.Join(args, " "), code, stderr, want, stderrHas)
		}
	}
	for _, cmd := range [][]string{{"history"}, {"insights"}, {"experiments", "list"}} {
		arg := func(a ...string) []string { return append(slices.Clone(cmd), a...) }
		// The local store, bounded by --timeout: a deadline already spent ends the command.
		check(0, "", arg("--timeout", "1m")...)
		check(1, "the local store did not answer within --timeout 1ns", arg("--timeout", "1ns")...)
		// A key is for a server; $PLANWISE_API_KEY, set for every command, is no flag given.
		for _, key := range [][]string{{"--api-key", "secret"}, {"--api-key-file", keyFile}, {"--token", "secret"}, {"--token-file", keyFile}} {
			check(1, key[0]+" is for --server: the local store takes no key", arg(key...)...)
		}
		t.Setenv("PLANWISE_API_KEY", "secret")
		check(0, "", arg()...)
		t.Setenv("PLANWISE_API_KEY", "")
		// A server answers for its key's tenant, from its own configuration.
		server := arg("--server", ts.URL, "--api-key", "secret")
		check(0, "", server...)
		for _, local := range [][]string{{"--tenant", "acme"}, {"--tenant", "default"}, {"--all-tenants"}, {"--config", filepath.Join(dir, "c.yaml")}} {
			check(1, local[0]+" is for the local store; with --server leave it out", append(slices.Clone(server), local...)...)
		}
	}
}

// experiments create's --tenant and --all-tenants say what they do there: the
// experiment is created for that tenant, or for every tenant (it splits every tenant's
// requests, and every tenant lists it), not "read".
func TestExperimentsCreateTenantFlagsSayWhatTheyDo(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "sqlite")
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "pw.db"))
	_, help, _ := runCLI(t, "experiments", "create", "--help")
	for _, line := range strings.Split(help, "\n") {
		if strings.Contains(line, "--all-tenants") && !strings.Contains(line, "create the experiment for every tenant") ||
			strings.Contains(line, "--tenant ") && !strings.Contains(line, "tenant to create the experiment for") {
			t.Errorf("experiments create --help: %q", line)
		}
	}
	for _, args := range [][]string{{"--all-tenants", "--id", "every"}, {"--tenant", "acme", "--id", "acme-only"}} {
		if code, _, stderr := runCLI(t, append([]string{"experiments", "create", "--variants", "default,concise"}, args...)...); code != 0 {
			t.Fatalf("experiments create %v: exit %d %s", args, code, stderr)
		}
	}
	for tenant, want := range map[string][]string{"other": {"every"}, "acme": {"acme-only", "every"}} {
		_, out, stderr := runCLI(t, "experiments", "list", "--json", "--tenant", tenant)
		var list struct {
			Experiments []struct{ Experiment history.Experiment }
		}
		var ids []string
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatalf("experiments list --tenant %s: %v %s %s", tenant, err, out, stderr)
		}
		for _, e := range list.Experiments {
			ids = append(ids, e.Experiment.ID)
		}
		if slices.Sort(ids); !slices.Equal(ids, want) {
			t.Errorf("tenant %s lists %v, want %v", tenant, ids, want)
		}
	}
}

// experiments promote's --tenant and --all-tenants say what they do there: --tenant
// finds only that tenant's experiments (and those of every tenant), --all-tenants any
// tenant's.
func TestExperimentsPromoteTenantFlagsSayWhatTheyDo(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "sqlite")
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "pw.db"))
	_, help, _ := runCLI(t, "experiments", "promote", "--help")
	for _, line := range strings.Split(help, "\n") {
		if strings.Contains(line, "--all-tenants") && !strings.Contains(line, "promote an experiment of any tenant") ||
			strings.Contains(line, "--tenant ") && !strings.Contains(line, "tenant whose experiment to promote") {
			t.Errorf("experiments promote --help: %q", line)
		}
	}
	for _, id := range []string{"first", "second"} {
		if code, _, stderr := runCLI(t, "experiments", "create", "--variants", "default,concise", "--tenant", "acme", "--id", id); code != 0 {
			t.Fatalf("experiments create %s: exit %d %s", id, code, stderr)
		}
	}
	for _, tt := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"first", "--tenant", "other"}, false},
		{[]string{"first", "--tenant", "acme"}, true},
		{[]string{"second", "--all-tenants"}, true},
	} {
		code, out, stderr := runCLI(t, append([]string{"experiments", "promote", "--winner", "concise"}, tt.args...)...)
		if (code == 0) != tt.ok || tt.ok != strings.Contains(out, "promoted concise") || !tt.ok && !strings.Contains(stderr, `no experiment "first" for tenant other`) {
			t.Errorf("experiments promote %v: exit %d %q %s", tt.args, code, out, stderr)
		}
	}
}

// Each learning command's --server and --timeout help says what the command does there:
// the commands that only read say "read from", create and promote say what they change.
func TestLearningServerFlagSaysWhatTheCommandDoes(t *testing.T) {
	for _, tt := range []struct {
		cmd, server string
		writes      bool
	}{
		{"history", "read from a running planwise server at this URL instead of the local store", false},
		{"insights", "read from a running planwise server at this URL instead of the local store", false},
		{"experiments list", "read from a running planwise server at this URL instead of the local store", false},
		{"experiments create", "create the experiment on a running planwise server at this URL instead of in the local store", true},
		{"experiments promote", "promote the variant on a running planwise server at this URL instead of in the local store", true},
	} {
		_, help, _ := runCLI(t, append(strings.Fields(tt.cmd), "--help")...)
		for _, line := range strings.Split(help, "\n") {
			flag, usage, _ := strings.Cut(strings.TrimSpace(line), "  ")
			switch {
			case strings.HasPrefix(flag, "--server ") && strings.TrimSpace(usage) != tt.server,
				strings.HasPrefix(flag, "--timeout ") && !strings.Contains(usage, "(without --server: of the command's work on the local store)"),
				tt.writes && (strings.Contains(usage, "read from") || strings.Contains(usage, "reading")):
				t.Errorf("%s --help: %q", tt.cmd, line)
			}
		}
		if !strings.Contains(help, tt.server) {
			t.Errorf("%s --help lacks %q:\n%s", tt.cmd, tt.server, help)
		}
	}
}
