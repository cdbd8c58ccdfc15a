package loadgen

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
	rep, err := Run(t.Context(), Config{URL: srv.URL, Duration: 10 * time.Second, Concurrency: 4, MaxRequests: 400,
		Mix: "repeats=1", Token: "tok", Timeout: 5 * time.Second, Seed: 1})
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
	rep, err = Run(t.Context(), Config{URL: srv.URL, Duration: 10 * time.Second, Concurrency: 2, MaxRequests: 10,
		Mix: "repeats=1", Timeout: time.Second, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ErrorTotal != 10 {
		t.Fatalf("errors against a closed server = %d (%v), want 10", rep.ErrorTotal, rep.Errors)
	}
}

// Refused counts the answers that refused the key (401 and 403), none for a nil report.
func TestReportRefused(t *testing.T) {
	rep := &Report{Status: map[string]int{"200": 5, "401": 2, "403": 1, "429": 4}}
	if got := rep.Refused(); got != 3 {
		t.Errorf("Refused = %d, want 3", got)
	}
	if got := (*Report)(nil).Refused(); got != 0 {
		t.Errorf("nil report: Refused = %d", got)
	}
}
