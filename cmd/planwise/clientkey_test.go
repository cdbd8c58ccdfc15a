package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/server"
)

// clientCommands are the commands that talk to a running server (stats, bench load, and
// history, insights and experiments with --server), each run against a keyedServer with
// --json and no key, and a call that reports whether the server took the key: the
// command's stdout must be JSON (a notice on stdout would break it); a command refused
// must say so, with client.KeyHint on stderr.
func clientCommands(t *testing.T) ([][]string, func(t *testing.T, args []string) (accepted bool, stderr string)) {
	rec := metrics.NewRecorder(metrics.Options{})
	alerts, err := metrics.NewAlerts(rec, metrics.DefaultRules(0, 0), metrics.AlertOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := keyedServer(t, nil, server.WithMetrics(rec, alerts))
	// The local store must not be touched: point it somewhere that would fail.
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "missing", "pw.db"))
	cmds := [][]string{
		{"stats", "--json", "--server", ts.URL},
		{"history", "--json", "--server", ts.URL},
		{"insights", "--json", "--server", ts.URL},
		{"experiments", "list", "--json", "--server", ts.URL},
		{"bench", "load", "--json", "--server", ts.URL, "--max-requests", "1", "--concurrency", "1", "--duration", "0"},
	}
	accepted := func(t *testing.T, args []string) (bool, string) {
		t.Helper()
		code, out, stderr := runCLI(t, args...)
		cmdline := "planwise " + strings.Join(args, " ")
		if args[0] == "bench" { // a load run reports the status of its one request
			var rep struct{ Status map[string]int }
			if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
				t.Fatalf("%s: exit %d, %v: %s %s", cmdline, code, err, stderr, out)
			}
			if rep.Status["200"] != 1 && !strings.Contains(stderr, "warning: 1 of 1 requests refused (401 or 403): "+client.KeyHint) {
				t.Errorf("%s: refused without the hint: %q", cmdline, stderr)
			}
			return rep.Status["200"] == 1, stderr
		}
		if code != 0 {
			if stderr = said(t, out, stderr); !strings.Contains(stderr, client.KeyHint) {
				t.Fatalf("%s: exit %d without the hint: %s", cmdline, code, stderr)
			}
			return false, stderr
		}
		if !json.Valid([]byte(out)) {
			t.Errorf("%s: stdout is not JSON: %q", cmdline, out)
		}
		return true, stderr
	}
	return cmds, accepted
}

// Every client command takes the server's API key the same way, as the README says:
// --api-key or --api-key-file, else $PLANWISE_API_KEY; a flag given wins over the
// variable; and a key refused is explained the same way (client.KeyHint).
func TestClientCommandsTakeTheKeyFromTheFlagElsePLANWISE_API_KEY(t *testing.T) {
	cmds, accepted := clientCommands(t)
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := func(t *testing.T, args []string) bool { b, _ := accepted(t, args); return b }
	for _, args := range cmds {
		t.Run(args[0], func(t *testing.T) {
			t.Setenv("PLANWISE_API_KEY", "")
			if ok(t, args) {
				t.Error("accepted with no key at all")
			}
			if !ok(t, append(args, "--api-key", "secret")) {
				t.Error("refused with --api-key")
			}
			if !ok(t, append(args, "--api-key-file", keyFile)) {
				t.Error("refused with --api-key-file")
			}
			if code, out, stderr := runCLI(t, append(args, "--api-key", "x", "--api-key-file", keyFile)...); code != 1 || !strings.Contains(said(t, out, stderr), "not both") {
				t.Errorf("--api-key and --api-key-file: exit %d, %q; want a usage error", code, stderr)
			}
			t.Setenv("PLANWISE_API_KEY", "secret")
			if !ok(t, args) {
				t.Error("refused with $PLANWISE_API_KEY")
			}
			if ok(t, append(args, "--api-key", "wrong")) {
				t.Error("--api-key wrong: accepted: $PLANWISE_API_KEY won over the flag")
			}
		})
	}
}

// --token and --token-file, the key flags' names before --api-key (stats and bench
// load), still work on every client command, hidden from the help, with a one-line
// notice on stderr that leaves stdout (--json) clean.
func TestClientCommandsKeepTheDeprecatedTokenFlags(t *testing.T) {
	cmds, accepted := clientCommands(t)
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range cmds {
		t.Run(args[0], func(t *testing.T) {
			for _, tt := range []struct{ old, value, notice string }{
				{"--token", "secret", "Flag --token has been deprecated, use --api-key instead\n"},
				{"--token-file", keyFile, "Flag --token-file has been deprecated, use --api-key-file instead\n"},
			} {
				ok, stderr := accepted(t, append(args, tt.old, tt.value))
				if !ok || strings.Count(stderr, tt.notice) != 1 {
					t.Errorf("%s: accepted %v, stderr %q; want accepted with the notice once", tt.old, ok, stderr)
				}
			}
			help := args[:1]
			if args[0] != "stats" && args[0] != "history" && args[0] != "insights" {
				help = args[:2]
			}
			_, out, _ := runCLI(t, append(help, "--help")...)
			if !strings.Contains(out, "--api-key string") || !strings.Contains(out, "--api-key-file string") || strings.Contains(out, "--token") {
				t.Errorf("%s --help: want --api-key and --api-key-file, not --token:\n%s", strings.Join(help, " "), out)
			}
		})
	}
}

// Every client command takes --timeout, the bound of each request to the server, with
// one name, one help line and one default (client.DefaultTimeout), and keeps to it. The
// learning commands' help adds that it bounds the local store without --server.
func TestClientCommandsTakeOneTimeout(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // answers after the client gave up, or when the test ends
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release)
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "missing", "pw.db"))
	const help = "      --timeout duration      timeout of each request to the server (default 30s)\n"
	if client.DefaultTimeout != 30*time.Second {
		t.Fatalf("client.DefaultTimeout %v: update the help line this test expects", client.DefaultTimeout)
	}
	for _, args := range [][]string{
		{"stats"}, {"history"}, {"insights"}, {"experiments", "list"}, {"experiments", "create", "--variants", "a,b"},
		{"experiments", "promote", "x"}, {"bench", "load", "--max-requests", "1", "--concurrency", "1", "--duration", "0"},
	} {
		cmdline := "planwise " + strings.Join(args, " ")
		path := args[:1:1]
		if args[0] == "experiments" || args[0] == "bench" {
			path = args[:2:2]
		}
		want := help
		if args[0] != "stats" && args[0] != "bench" {
			want = strings.Replace(help, " (default", " (without --server: of the command's work on the local store) (default", 1)
		}
		if _, out, _ := runCLI(t, append(path, "--help")...); !strings.Contains(out, want) {
			t.Errorf("%s --help lacks %q:\n%s", cmdline, want, out)
		}
		start := time.Now()
		code, out, stderr := runCLI(t, append(args, "--json", "--server", slow.URL, "--timeout", "200ms")...)
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s --timeout 200ms: took %v", cmdline, took)
		}
		if args[0] == "bench" { // a request timed out is a transport error of the report
			var rep struct{ Errors map[string]int }
			if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Errors["timeout"] != 1 {
				t.Errorf("%s --timeout 200ms: exit %d, %q (%v), %s", cmdline, code, out, err, stderr)
			}
			continue
		}
		if code != 1 || !strings.Contains(said(t, out, stderr), "Client.Timeout exceeded") {
			t.Errorf("%s --timeout 200ms: exit %d, %q", cmdline, code, stderr)
		}
	}
}
