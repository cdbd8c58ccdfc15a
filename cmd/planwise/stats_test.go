package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/metrics"
)

// statsServer serves a real Recorder's summary and alerts the way the planwise server
// does, and remembers the window each request asked for.
type statsServer struct {
	*httptest.Server
	mu      sync.Mutex
	windows []string
}

func newStatsServer(t *testing.T, key string) *statsServer {
	t.Helper()
	now := time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)
	rec := metrics.NewRecorder(metrics.Options{Now: func() time.Time { return now }})
	for i := range 20 {
		e := metrics.Event{Source: "llm", Model: "gpt-4o-mini", Tier: "primary", Success: true, Valid: true,
			CacheResult: "miss", Latency: time.Duration(100+i) * time.Millisecond, PromptTokens: 900, CompletionTokens: 100, CostUSD: 0.000195}
		if i%4 == 0 {
			e = metrics.Event{Source: "pattern", Success: true, Valid: true, Fallback: true, FallbackReason: "provider_error",
				CacheResult: "miss", Latency: 5 * time.Millisecond, Errors: []string{"RateLimitError"}, ErrorType: ""}
		}
		rec.Record(e)
	}
	// The offline planners found no tool: a refusal, which produced no plan.
	rec.Record(metrics.Event{Source: "none", CacheResult: "skip", Latency: time.Millisecond, ErrorType: "cannot_plan", NoPlan: true, Refusal: "offline"})
	alerts, err := metrics.NewAlerts(rec, metrics.DefaultRules(0, 0), metrics.AlertOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	alerts.Evaluate(context.Background(), now) // fallback rate 5/21 > 10% with >= 20 requests: fires

	s := &statsServer{}
	mux := http.NewServeMux()
	auth := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if key != "" && r.Header.Get("Authorization") != "Bearer "+key {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":{"code":"unauthorized","message":"invalid API key"}}`))
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("GET /api/v1/metrics/planner", auth(func(w http.ResponseWriter, r *http.Request) {
		win := r.URL.Query().Get("window")
		s.mu.Lock()
		s.windows = append(s.windows, win)
		s.mu.Unlock()
		d := rec.Options().Window
		if win == "lifetime" {
			d = 0
		} else if win != "" {
			d, _ = time.ParseDuration(win)
		}
		_ = json.NewEncoder(w).Encode(rec.Summary(d))
	}))
	mux.HandleFunc("GET /api/v1/alerts", auth(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(alerts.Status())
	}))
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestStatsTable(t *testing.T) {
	srv := newStatsServer(t, "")
	code, out, stderr := runCLI(t, "stats", "--server", srv.URL, "--window", "1h")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := srv.windows; len(got) != 1 || got[0] != "1h" {
		t.Errorf("windows asked for: %v", got)
	}
	// 21 requests: 15 LLM plans, 5 fallbacks, 1 refusal.
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^planwise at http://127\.0\.0\.1:\d+ · window 1h, `),
		regexp.MustCompile(`(?m)^Requests +21  `),
		regexp.MustCompile(`(?m)^Success rate +95\.2%  20 valid plans$`),
		regexp.MustCompile(`(?m)^Fallback rate +23\.8%  5 offline answers$`),
		// The refusal is no invalid plan: validity is over the 20 plans sent.
		regexp.MustCompile(`(?m)^Plan validity +100\.0%  first plan valid, of 20 plans$`),
		regexp.MustCompile(`(?m)^Refusal rate +4\.8%  1 no tool fits \(0 by the LLM\)$`),
		regexp.MustCompile(`(?m)^Tokens +15000  13500 prompt, 1500 completion, 714 per request$`),
		regexp.MustCompile(`(?m)^Cost +\$0\.002925  \$0\.000146 per successful plan$`),
		regexp.MustCompile(`(?m)^ERROR TYPE +COUNT +SHARE$`),
		regexp.MustCompile(`(?m)^RateLimitError +5 +83\.3%$`),
		regexp.MustCompile(`(?m)^cannot_plan +1 +16\.7%$`),
		regexp.MustCompile(`(?m)^SOURCE +REQUESTS +SHARE +SUCCESS +FALLBACK +P50 +P95 +TOKENS +COST$`),
		regexp.MustCompile(`(?m)^llm +15 +71\.4% +100\.0% +0\.0% +1\d\d ms +1\d\d ms +15000 +\$0\.002925$`),
		regexp.MustCompile(fmt.Sprintf(`(?m)^ALERTS FIRING: 1 of %d rules$`, len(metrics.DefaultRules(0, 0)))),
		regexp.MustCompile(`(?m)^warning +high_fallback_rate +12:00:30 +fallback rate 23\.8% over 5m0s \(21 requests\), threshold 10\.0%$`),
		regexp.MustCompile(`(?m)^RECENT TRANSITIONS$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	// Columns line up: in every table, the numeric column ends at the same position.
	lines := strings.Split(out, "\n")
	var ends []int
	for _, l := range lines {
		if m := regexp.MustCompile(`^(RateLimitError|cannot_plan|ERROR TYPE) +\S+`).FindStringIndex(l); m != nil {
			ends = append(ends, m[1])
		}
	}
	if len(ends) != 3 || ends[0] != ends[1] || ends[1] != ends[2] {
		t.Errorf("error table columns not aligned (ends %v):\n%s", ends, out)
	}
}

func TestStatsJSON(t *testing.T) {
	srv := newStatsServer(t, "")
	code, out, stderr := runCLI(t, "stats", "--server", srv.URL+"/", "--window", "lifetime", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Planner metrics.Summary `json:"planner"`
		Alerts  struct {
			Rules  []json.RawMessage `json:"rules"`
			Active []metrics.Alert   `json:"active"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if doc.Planner.Requests != 21 || doc.Planner.Window != "lifetime" || doc.Planner.Errors.ByType["RateLimitError"] != 5 {
		t.Errorf("planner document: %+v", doc.Planner)
	}
	if len(doc.Alerts.Rules) != len(metrics.DefaultRules(0, 0)) || len(doc.Alerts.Active) != 1 {
		t.Errorf("alerts document: %d rules, %d active", len(doc.Alerts.Rules), len(doc.Alerts.Active))
	}
	if srv.windows[0] != "lifetime" {
		t.Errorf("window asked for: %v", srv.windows)
	}
}

func TestStatsAuthAndErrors(t *testing.T) {
	srv := newStatsServer(t, "s3cret")
	code, _, stderr := runCLI(t, "stats", "--server", srv.URL)
	if code == 0 || !strings.Contains(stderr, "requires an API key") || !strings.Contains(stderr, "--api-key") {
		t.Errorf("without a key: exit %d, %q", code, stderr)
	}
	code, out, stderr := runCLI(t, "stats", "--server", srv.URL, "--api-key", "s3cret")
	if code != 0 || !strings.Contains(out, "Requests") {
		t.Errorf("with --api-key: exit %d, %q", code, stderr)
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "stats", "--server", srv.URL, "--api-key-file", keyFile); code != 0 {
		t.Errorf("with --api-key-file: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "stats", "--server", srv.URL, "--api-key-file", keyFile, "--api-key", "x"); code != 1 {
		t.Errorf("with --api-key and --api-key-file: exit %d, %q", code, stderr)
	}

	if code, _, stderr := runCLI(t, "stats", "--server", srv.URL, "--window", "soon"); code != 1 || !strings.Contains(stderr, "--window") {
		t.Errorf("bad window: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCLI(t, "stats", "--server", "127.0.0.1:8080"); code != 1 || !strings.Contains(stderr, "--server") {
		t.Errorf("URL without a scheme: exit %d, %q", code, stderr)
	}
	// A port nothing listens on: a listener closed at once.
	gone := httptest.NewServer(http.NotFoundHandler())
	url := gone.URL
	gone.Close()
	if code, _, stderr := runCLI(t, "stats", "--server", url); code != 1 || !strings.Contains(stderr, "cannot reach the planwise server") {
		t.Errorf("server down: exit %d, %q", code, stderr)
	}
	notPlanwise := httptest.NewServer(http.NotFoundHandler())
	defer notPlanwise.Close()
	if code, _, stderr := runCLI(t, "stats", "--server", notPlanwise.URL); code != 1 || !strings.Contains(stderr, "metrics enabled") {
		t.Errorf("not a planwise server: exit %d, %q", code, stderr)
	}
}
