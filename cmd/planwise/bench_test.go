package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// bench load shows its progress on stderr when asked (--progress), never on stdout, and
// not at all by default when stderr is not a terminal.
func TestBenchLoadProgress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"plan":{"steps":[]},"source":"cache"}`))
	}))
	defer srv.Close()
	args := []string{"bench", "load", "--server", srv.URL, "--max-requests", "300", "--concurrency", "2", "--duration", "0"}
	code, out, stderr := runCLI(t, append(args, "--progress")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "load: 300 answered") || !strings.Contains(stderr, "req/s, 0 without answer") || !strings.Contains(stderr, "100%") {
		t.Errorf("no progress on stderr with --progress: %q", stderr)
	}
	if strings.Contains(out, "answered,") || !strings.Contains(out, "requests   300 answered") {
		t.Errorf("stdout is the report only:\n%s", out)
	}
	// With a duration the bar follows the time; a warm-up has its own bar.
	code, _, stderr = runCLI(t, "bench", "load", "--server", srv.URL, "--duration", "300ms", "--warmup", "200ms", "--concurrency", "1", "--progress")
	if code != 0 || !strings.Contains(stderr, "warm-up: ") || !strings.Contains(stderr, "load: ") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, extra := range [][]string{nil, {"--progress=false"}} {
		code, _, stderr = runCLI(t, append(args, extra...)...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q; want no progress (stderr is not a terminal)", extra, code, stderr)
		}
	}
}

// bench soak drives the server it starts in this process (its leak checks measure this
// process, its faults are injected in its own simulator): it takes no --server (nor
// --url) or key, which bench load takes to drive a server already running. A flag it
// would parse and never use is refused instead.
func TestBenchSoakTakesNoServerURLOrKey(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "soak", "--server", "http://127.0.0.1:1", "--duration", "1ms", "--warmup", "0"},
		{"bench", "soak", "--url", "http://127.0.0.1:1", "--duration", "1ms", "--warmup", "0"},
		{"bench", "soak", "--api-key", "secret", "--duration", "1ms", "--warmup", "0"},
		{"bench", "soak", "--token", "secret", "--duration", "1ms", "--warmup", "0"},
	} {
		code, out, stderr := runCLI(t, args...)
		if code != 1 || !strings.Contains(stderr, "unknown flag: "+args[2]) || out != "" {
			t.Errorf("planwise %s: exit %d, stderr %q, stdout %q; want the flag refused as unknown", strings.Join(args, " "), code, stderr, out)
		}
	}
	// bench load keeps both, and sends the key.
	var auth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`{"plan":{"steps":[]},"source":"cache"}`))
	}))
	defer srv.Close()
	code, _, stderr := runCLI(t, "bench", "load", "--server", srv.URL, "--api-key", "secret", "--max-requests", "1", "--concurrency", "1", "--duration", "0")
	if got, _ := auth.Load().(string); code != 0 || got != "Bearer secret" {
		t.Errorf("bench load --server --api-key: exit %d (%s), Authorization %q", code, stderr, got)
	}
}

// bench load names the server with --server, as every client command does; --url, its
// name before, still works, hidden from the help, with a one-line notice on stderr that
// leaves stdout (--json) clean.
func TestBenchLoadTakesServerAndTheDeprecatedURL(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"plan":{"steps":[]},"source":"cache"}`))
	}))
	defer srv.Close()
	const notice = "Flag --url has been deprecated, use --server instead\n"
	for _, name := range []string{"--server", "--url"} {
		before := hits.Load()
		code, out, stderr := runCLI(t, "bench", "load", "--json", name, srv.URL, "--max-requests", "2", "--concurrency", "1", "--duration", "0")
		var rep struct {
			URL    string
			Status map[string]int
		}
		if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.URL != srv.URL || rep.Status["200"] != 2 || hits.Load()-before != 2 {
			t.Errorf("%s: exit %d, %+v (%v), %d requests: %s", name, code, rep, err, hits.Load()-before, stderr)
		}
		if want := map[string]int{"--server": 0, "--url": 1}[name]; strings.Count(stderr, notice) != want {
			t.Errorf("%s: stderr %q, want the notice %d times", name, stderr, want)
		}
	}
	_, out, _ := runCLI(t, "bench", "load", "--help")
	if !strings.Contains(out, `--server string `) || strings.Contains(out, "--url") {
		t.Errorf("bench load --help: want --server, not --url:\n%s", out)
	}
	if code, _, stderr := runCLI(t, "bench", "load", "--server", "127.0.0.1:8080", "--duration", "0"); code == 0 || !strings.Contains(stderr, `--server "127.0.0.1:8080": want a URL such as`) {
		t.Errorf("bench load with a server that is no URL: exit %d, %q", code, stderr)
	}
}

// fakeWrk writes a wrk to dir that answers without sending a request: its odd calls
// (the trivial server's side of a round) 20,000 req/s with p99 2 ms, its even calls
// (planwise's) what the FAKE_WRK_PLANWISE variable says, "RPS P99MS NON2XX". It counts
// its calls in dir/calls.
func fakeWrk(t *testing.T, dir string) {
	t.Helper()
	script := `#!/bin/sh
n=$(cat "` + dir + `/calls" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "` + dir + `/calls"
if [ $((n % 2)) -eq 1 ]; then set -- 20000 2.00 0; else set -- $FAKE_WRK_PLANWISE; fi
printf 'Running 1s test @ http://127.0.0.1/api/v1/plan\n  Latency Distribution\n'
printf '     50%%  100.00us\n     75%%  200.00us\n     99%%    %sms\n' "$2"
printf '  10000 requests in 1.00s, 1.00MB read\n  Non-2xx or 3xx responses: %s\nRequests/sec:  %s\n' "$3" "$1"
`
	if err := os.WriteFile(filepath.Join(dir, "wrk"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// bench hits exits 1 when its target is NOT MET, after printing the report (stdout, as
// text or --json) and saying why on stderr; 0 when it is MET. wrk is a fake on PATH, so
// that the verdict is the test's choice; the servers it would measure are real.
func TestBinaryBenchHitsExitCode(t *testing.T) {
	bin := t.TempDir()
	fakeWrk(t, bin)
	for _, tc := range []struct {
		name, planwise string
		json           bool
		code           int
		verdict        string
	}{
		{"met", "18000 2.40 0", false, 0, ": MET\n"},
		{"p99 too high", "18000 5.00 0", false, 1, "NOT MET (p99 2.50x > 1.5x)"},
		{"error answers", "30000 1.00 7", false, 1, "NOT MET (7 error answers)"},
		{"not met, json", "10000 2.00 0", true, 1, `"target_met": false`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(bin, "calls"))
			env := append(cleanEnv(t.TempDir(), ""), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_WRK_PLANWISE="+tc.planwise)
			args := []string{"bench", "hits", "--duration", "1s", "--rounds", "1"}
			if tc.json {
				args = append(args, "--json")
			}
			code, out, stderr := runBinary(t, t.TempDir(), env, args...)
			if code != tc.code || !strings.Contains(out, tc.verdict) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, stderr, tc.code, tc.verdict)
			}
			if said := strings.Contains(stderr, "error: the hit-path target is NOT MET"); said != (tc.code != 0) {
				t.Errorf("stderr %q: the failure said %v, want %v", stderr, said, tc.code != 0)
			}
			if calls, _ := os.ReadFile(filepath.Join(bin, "calls")); strings.TrimSpace(string(calls)) != "2" {
				t.Errorf("wrk called %q times, want 2 (one round, two sides)", calls)
			}
		})
	}
}
