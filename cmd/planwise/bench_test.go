package main

import (
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseLoadMix(t *testing.T) {
	m, err := parseLoadMix("repeats=0.6,paraphrases=0.3,new=0.1")
	if err != nil || math.Abs(m.repeats-0.6) > 1e-9 || math.Abs(m.paraphrases-0.3) > 1e-9 || math.Abs(m.fresh-0.1) > 1e-9 {
		t.Fatalf("mix = %+v, %v", m, err)
	}
	if m, err := parseLoadMix("repeats=3,new=1"); err != nil || m.repeats != 0.75 || m.fresh != 0.25 {
		t.Fatalf("normalised mix = %+v, %v", m, err)
	}
	for _, bad := range []string{"", "repeats", "repeats=-1", "again=1", "repeats=0,new=0"} {
		if _, err := parseLoadMix(bad); err == nil {
			t.Errorf("parseLoadMix(%q) accepted", bad)
		}
	}
}

// TestGeneratorMix: the share of never-sent requests follows the mix, and filled shapes
// have no holes left.
func TestGeneratorMix(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var base []string
	for _, s := range benchShapes {
		f := s.fill(rng)
		if strings.ContainsAny(strings.ReplaceAll(f, "{{name}}", ""), "{}") {
			t.Fatalf("shape %q filled as %q", s, f)
		}
		base = append(base, f)
	}
	g := newGenerator(loadMix{repeats: 0.6, paraphrases: 0.3, fresh: 0.1}, base, benchShapes, 3)
	seen := map[string]int{}
	fresh := 0
	const n = 20000
	for range n {
		r := g.next()
		if strings.Contains(r, " for project ") && seen[r] == 0 {
			fresh++ // new: never sent before (it may be repeated later, as a repeat)
		}
		seen[r]++
	}
	if share := float64(fresh) / n; math.Abs(share-0.1) > 0.02 {
		t.Fatalf("new share %.3f, want 0.1", share)
	}
}

func TestBenchFileShape(t *testing.T) {
	if got := benchFileShape("Book 2 seats on flight 715 {now}"); got != "Book {n} seats on flight {n} (now(" {
		t.Fatalf("benchFileShape = %q", got)
	}
}

// TestRunLoad drives a fake server and checks the counts, the sources and the
// max-requests bound.
func TestRunLoad(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if n%4 == 0 {
			w.WriteHeader(http.StatusUnprocessableEntity)
			w.Write([]byte(`{"error":{"code":"cannot_plan","message":"no"}}`))
			return
		}
		w.Write([]byte(`{"plan":{"steps":[{"args":{"source":"x"}}]},"source":"cache"}`))
	}))
	defer srv.Close()
	rep, err := runLoad(t.Context(), loadFlags{url: srv.URL, duration: 10 * time.Second, concurrency: 4, maxRequests: 400,
		mix: "repeats=1", token: "tok", timeout: 5 * time.Second, seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests != 400 || calls.Load() != 400 {
		t.Fatalf("requests = %d, server saw %d, want 400", rep.Requests, calls.Load())
	}
	if rep.Status["200"] != 300 || rep.Status["422"] != 100 || rep.Sources["cache"] != 300 || rep.Untyped != 0 || rep.ErrorTotal != 0 {
		t.Fatalf("report = %+v", rep)
	}
	if rep.Latency.P50 <= 0 || rep.Latency.P99 < rep.Latency.P50 || rep.Latency.Max < rep.Latency.P99 {
		t.Fatalf("latency = %+v", rep.Latency)
	}
	// A server that is gone: transport errors, counted.
	srv.Close()
	rep, err = runLoad(t.Context(), loadFlags{url: srv.URL, duration: 10 * time.Second, concurrency: 2, maxRequests: 10,
		mix: "repeats=1", timeout: time.Second, seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ErrorTotal != 10 {
		t.Fatalf("errors against a closed server = %d (%v), want 10", rep.ErrorTotal, rep.Errors)
	}
}

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
