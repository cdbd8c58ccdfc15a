package main

import (
	"net/http"
	"net/http/httptest"
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
	args := []string{"bench", "load", "--url", srv.URL, "--max-requests", "300", "--concurrency", "2", "--duration", "0"}
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
	code, _, stderr = runCLI(t, "bench", "load", "--url", srv.URL, "--duration", "300ms", "--warmup", "200ms", "--concurrency", "1", "--progress")
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
// process, its faults are injected in its own simulator): it takes no --url or --token,
// which bench load takes to drive a server already running. A flag it would parse and
// never use is refused instead.
func TestBenchSoakTakesNoServerURLOrKey(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "soak", "--url", "http://127.0.0.1:1", "--duration", "1ms", "--warmup", "0"},
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
	code, _, stderr := runCLI(t, "bench", "load", "--url", srv.URL, "--token", "secret", "--max-requests", "1", "--concurrency", "1", "--duration", "0")
	if got, _ := auth.Load().(string); code != 0 || got != "Bearer secret" {
		t.Errorf("bench load --url --token: exit %d (%s), Authorization %q", code, stderr, got)
	}
}
