package main

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/server"
)

// Every command that talks to a running server (stats, bench load, and history,
// insights and experiments with --server) takes the server's API key the same way, as
// the README says: its flag, else $PLANWISE_API_KEY; a flag given wins over the
// variable.
func TestClientCommandsTakeTheKeyFromTheFlagElsePLANWISE_API_KEY(t *testing.T) {
	rec := metrics.NewRecorder(metrics.Options{})
	alerts, err := metrics.NewAlerts(rec, metrics.DefaultRules(0, 0), metrics.AlertOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := keyedServer(t, nil, server.WithMetrics(rec, alerts))
	// The local store must not be touched: point it somewhere that would fail.
	t.Setenv("PLANWISE_STORE__PATH", t.TempDir()+"/missing/pw.db")

	// accepted runs a command and reports whether the server took its key.
	accepted := func(t *testing.T, args []string) bool {
		t.Helper()
		code, out, stderr := runCLI(t, args...)
		if args[0] != "bench" {
			if code != 0 && !strings.Contains(strings.ToLower(stderr), "api key") {
				t.Fatalf("planwise %s: exit %d, %s", strings.Join(args, " "), code, stderr)
			}
			return code == 0
		}
		var rep struct{ Status map[string]int }
		if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
			t.Fatalf("planwise %s: exit %d, %v: %s %s", strings.Join(args, " "), code, err, stderr, out)
		}
		return rep.Status["200"] == 1
	}
	for _, tt := range []struct {
		args []string
		flag string // the command's key flag
	}{
		{[]string{"stats", "--server", ts.URL}, "--token"},
		{[]string{"history", "--server", ts.URL}, "--api-key"},
		{[]string{"insights", "--server", ts.URL}, "--api-key"},
		{[]string{"experiments", "list", "--server", ts.URL}, "--api-key"},
		{[]string{"bench", "load", "--json", "--url", ts.URL, "--max-requests", "1", "--concurrency", "1", "--duration", "0"}, "--token"},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			t.Setenv("PLANWISE_API_KEY", "")
			if accepted(t, tt.args) {
				t.Error("accepted with no key at all")
			}
			if !accepted(t, append(tt.args, tt.flag, "secret")) {
				t.Errorf("refused with %s", tt.flag)
			}
			t.Setenv("PLANWISE_API_KEY", "secret")
			if !accepted(t, tt.args) {
				t.Error("refused with $PLANWISE_API_KEY")
			}
			if accepted(t, append(tt.args, tt.flag, "wrong")) {
				t.Errorf("%s wrong: accepted: $PLANWISE_API_KEY won over the flag", tt.flag)
			}
		})
	}
}
