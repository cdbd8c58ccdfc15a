package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func record(r *Recorder, n int, e Event) {
	for range n {
		r.Record(e)
	}
}

func TestFallbackRateAlertFiresAndResolves(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	var logs bytes.Buffer
	al, err := NewAlerts(r, []Rule{{Name: "fb", Kind: KindFallbackRate, Threshold: 0.10, Window: 5 * time.Minute, MinRequests: 10}},
		AlertOptions{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	record(r, 19, Event{Source: "llm", Success: true})
	record(r, 1, Event{Source: "history", Success: true, Fallback: true, FallbackReason: "rate_limited"})
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 || len(al.Active()) != 0 {
		t.Fatalf("5%% fallback fired: %+v", tr)
	}
	clk.Advance(time.Minute)
	record(r, 2, Event{Source: "pattern", Fallback: true, FallbackReason: "timeout"}) // 3/22 = 13.6%
	tr := al.Evaluate(ctx, clk.Now())
	if len(tr) != 1 || tr[0].State != StateFiring || tr[0].Rule != "fb" || tr[0].StartsAt != clk.Now() {
		t.Fatalf("crossing 10%% gave %+v", tr)
	}
	if v := tr[0].Value; v < 0.136 || v > 0.137 {
		t.Fatalf("value %v, want 3/22", v)
	}
	if act := al.Active(); len(act) != 1 || act[0].State != StateFiring {
		t.Fatalf("active %+v", act)
	}
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 {
		t.Fatalf("still firing produced a transition: %+v", tr)
	}
	m := find(t, scrape(t, r.Handler()), "planwise_alerts_firing", map[string]string{"rule": "fb"})
	if m.GetGauge().GetValue() != 1 {
		t.Fatalf("planwise_alerts_firing{rule=fb} = %v, want 1", m.GetGauge().GetValue())
	}
	if !strings.Contains(logs.String(), `"msg":"alert firing"`) || !strings.Contains(logs.String(), `"rule":"fb"`) {
		t.Fatalf("no structured firing log line: %s", logs.String())
	}

	// The fallbacks age out of the window: resolved.
	clk.Advance(5 * time.Minute)
	record(r, 20, Event{Source: "llm", Success: true})
	tr = al.Evaluate(ctx, clk.Now())
	if len(tr) != 1 || tr[0].State != StateResolved || tr[0].EndsAt != clk.Now() || tr[0].StartsAt.IsZero() {
		t.Fatalf("dropping under 10%% gave %+v", tr)
	}
	if len(al.Active()) != 0 {
		t.Fatalf("resolved alert still active")
	}
	if h := al.History(); len(h) != 2 || h[0].State != StateFiring || h[1].State != StateResolved {
		t.Fatalf("history %+v", h)
	}
	m = find(t, scrape(t, r.Handler()), "planwise_alerts_firing", map[string]string{"rule": "fb"})
	if m.GetGauge().GetValue() != 0 {
		t.Fatalf("planwise_alerts_firing{rule=fb} = %v after resolve", m.GetGauge().GetValue())
	}
	if !strings.Contains(logs.String(), `"msg":"alert resolved"`) {
		t.Fatalf("no resolved log line")
	}
}

func TestMinRequestsAndForHoldAlertBack(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	al, err := NewAlerts(r, []Rule{{Name: "fb", Kind: KindFallbackRate, Threshold: 0.1, MinRequests: 10, For: 2 * time.Minute}},
		AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	record(r, 5, Event{Fallback: true})
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 {
		t.Fatalf("fired below min_requests: %+v", tr)
	}
	record(r, 5, Event{Fallback: true})
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 {
		t.Fatalf("fired before For elapsed: %+v", tr)
	}
	clk.Advance(time.Minute)
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 {
		t.Fatalf("fired after 1m of a 2m For: %+v", tr)
	}
	clk.Advance(time.Minute)
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 1 || tr[0].State != StateFiring {
		t.Fatalf("did not fire after For: %+v", tr)
	}
}

type webhookSink struct {
	mu       sync.Mutex
	payloads []WebhookPayload
}

func (s *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var p WebhookPayload
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.payloads = append(s.payloads, p)
	s.mu.Unlock()
}

func (s *webhookSink) get() []WebhookPayload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookPayload(nil), s.payloads...)
}

type leaderFlag struct{ v bool }

func (l *leaderFlag) IsLeader() bool { return l.v }

func TestWebhookReceivesFireAndResolve(t *testing.T) {
	sink := &webhookSink{}
	srv := httptest.NewServer(sink)
	defer srv.Close()
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	leader := &leaderFlag{v: false}
	al, err := NewAlerts(r, []Rule{{Name: "burst", Kind: KindErrorBurst, Threshold: 3, Window: time.Minute, Severity: "critical"}},
		AlertOptions{Logger: quietLogger(), WebhookURL: srv.URL, Leader: leader})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	record(r, 3, Event{ErrorType: "ServerError"})
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 1 {
		t.Fatalf("burst did not fire: %+v", tr)
	}
	if n := len(sink.get()); n != 0 {
		t.Fatalf("a follower sent %d webhooks", n)
	}
	clk.Advance(2 * time.Minute)
	leader.v = true
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 { // quiet: the burst's hysteresis starts
		t.Fatalf("resolved at the first quiet evaluation: %+v", tr)
	}
	clk.Advance(time.Minute)
	al.Evaluate(ctx, clk.Now()) // quiet for the rule's window: resolves, sent by the leader
	record(r, 1, Event{Errors: []string{"TimeoutError", "TimeoutError", "RateLimitError"}})
	al.Evaluate(ctx, clk.Now()) // fires again
	got := sink.get()
	if len(got) != 2 {
		t.Fatalf("webhook got %d posts, want 2", len(got))
	}
	if a := got[0].Alerts; got[0].Source != "planwise" || len(a) != 1 || a[0].State != StateResolved || a[0].Rule != "burst" || a[0].EndsAt.IsZero() {
		t.Fatalf("first post %+v", got[0])
	}
	if a := got[1].Alerts; len(a) != 1 || a[0].State != StateFiring || a[0].Value != 3 || a[0].Severity != "critical" {
		t.Fatalf("second post %+v", got[1])
	}
}

func TestWebhookTimeoutDoesNotStallEvaluation(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	var logs bytes.Buffer
	al, err := NewAlerts(r, []Rule{{Name: "burst", Kind: KindErrorBurst, Threshold: 1}},
		AlertOptions{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), WebhookURL: srv.URL, WebhookTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.Record(Event{ErrorType: "APIError"})
	start := time.Now()
	tr := al.Evaluate(context.Background(), clk.Now())
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("evaluation took %v with a hanging webhook", el)
	}
	if len(tr) != 1 || len(al.Active()) != 1 {
		t.Fatalf("transition lost when the webhook failed: %+v", tr)
	}
	if !strings.Contains(logs.String(), "alert webhook failed") {
		t.Fatalf("webhook failure not logged: %s", logs.String())
	}
}

func TestDailyCostBudgets(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	al, err := NewAlerts(r, DefaultRules(1.0, 0.75), AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r.Record(Event{APIKey: "team-a", CostUSD: 0.6, Success: true})
	r.Record(Event{APIKey: "team-b", CostUSD: 0.1, Success: true})
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 {
		t.Fatalf("under budget fired: %+v", tr)
	}
	r.Record(Event{APIKey: "team-a", CostUSD: 0.5, Success: true}) // total 1.2 > 1.0; team-a 1.1 > 0.75
	tr := al.Evaluate(ctx, clk.Now())
	if len(tr) != 2 {
		t.Fatalf("budget transitions %+v, want overall and team-a", tr)
	}
	act := al.Active()
	if len(act) != 2 || act[0].Rule != "daily_cost_budget" || act[1].Rule != "daily_cost_budget_per_key" || act[1].Key != "team-a" {
		t.Fatalf("active %+v", act)
	}
	if v := act[0].Value; v < 1.2-1e-9 || v > 1.2+1e-9 {
		t.Fatalf("overall cost %v, want 1.2", v)
	}
	// A new UTC day: both resolve.
	clk.Advance(24 * time.Hour)
	tr = al.Evaluate(ctx, clk.Now())
	if len(tr) != 2 || tr[0].State != StateResolved || tr[1].State != StateResolved || len(al.Active()) != 0 {
		t.Fatalf("new day transitions %+v", tr)
	}
}

func TestLatencyAgainstBaseline(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	al, err := NewAlerts(r, []Rule{{Name: "p95", Kind: KindLatencyP95VsBaseline, Threshold: 1.5, Window: 5 * time.Minute, Baseline: 30 * time.Minute, MinRequests: 20}},
		AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 30 { // a steady half hour: 100-110 ms
		for i := range 10 {
			r.Record(Event{Latency: time.Duration(100+i) * time.Millisecond})
		}
		clk.Advance(time.Minute)
	}
	record(r, 30, Event{Latency: 120 * time.Millisecond})
	if tr := al.Evaluate(ctx, clk.Now()); len(tr) != 0 {
		t.Fatalf("1.1x fired: %+v", tr)
	}
	record(r, 200, Event{Latency: 400 * time.Millisecond})
	tr := al.Evaluate(ctx, clk.Now())
	if len(tr) != 1 || tr[0].State != StateFiring {
		t.Fatalf("p95 at ~3.6x baseline did not fire: %+v", tr)
	}
	if tr[0].Value < 3.4 || tr[0].Value > 3.8 {
		t.Fatalf("ratio %v, want about 400/109", tr[0].Value)
	}
}

func TestRunEvaluatesUntilCancelled(t *testing.T) {
	r := NewRecorder(Options{})
	al, err := NewAlerts(r, []Rule{{Name: "burst", Kind: KindErrorBurst, Threshold: 1}}, AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	r.Record(Event{ErrorType: "APIError"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { al.Run(ctx, time.Millisecond); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(al.Active()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Run never evaluated")
		}
		time.Sleep(time.Millisecond) // polling with a deadline
	}
	cancel()
	<-done
}

func TestParseRulesYAML(t *testing.T) {
	rules, err := ParseRules([]byte(`
rules:
  - name: high_fallback_rate
    kind: fallback_rate
    threshold: 0.1
    window: 5m
    for: 30s
    min_requests: 20
  - name: budget
    kind: daily_cost_per_key
    threshold: 2.5
    severity: critical
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Rule{Name: "high_fallback_rate", Kind: KindFallbackRate, Threshold: 0.1, Window: 5 * time.Minute, For: 30 * time.Second, MinRequests: 20}
	if len(rules) != 2 || rules[0] != want || rules[1].Threshold != 2.5 || rules[1].Severity != "critical" {
		t.Fatalf("parsed %+v", rules)
	}
	bad := []struct{ yaml, field string }{
		{"rules:\n  - name: x\n    kind: p99\n    threshold: 1\n", "kind"},
		{"rules:\n  - name: x\n    kind: fallback_rate\n    threshold: 10\n", "threshold"},
		{"rules:\n  - kind: error_burst\n    threshold: 1\n", "name"},
		{"rules:\n  - name: x\n    kind: error_burst\n    threshold: 1\n  - name: x\n    kind: error_burst\n    threshold: 2\n", "name"},
	}
	for _, b := range bad {
		_, err := ParseRules([]byte(b.yaml))
		re, ok := errors.AsType[*RuleError](err)
		if !ok || re.Field != b.field {
			t.Errorf("%q: error %v, want a RuleError on %s", b.yaml, err, b.field)
		}
	}
	if _, err := ParseRules([]byte("rules:\n  - name: x\n    kind: error_burst\n    threshold: 1\n    treshold: 2\n")); err == nil {
		t.Errorf("unknown field accepted")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "alerts.yaml")
	if err := os.WriteFile(path, []byte("rules:\n  - name: x\n    kind: nope\n    threshold: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRules(path); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "kind") {
		t.Errorf("LoadRules error %v does not name the file and field", err)
	}
}

func TestDefaultRulesValid(t *testing.T) {
	for _, rules := range [][]Rule{DefaultRules(0, 0), DefaultRules(10, 1)} {
		if err := ValidateRules(rules); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(DefaultRules(0, 0)); n != 5 {
		t.Fatalf("%d default rules without budgets, want 5", n)
	}
	if n := len(DefaultRules(10, 1)); n != 7 {
		t.Fatalf("%d default rules with budgets, want 7", n)
	}
}

func TestRuleWindowBeyondRetentionRejected(t *testing.T) {
	r := NewRecorder(Options{Retention: time.Hour})
	_, err := NewAlerts(r, []Rule{{Name: "fb", Kind: KindFallbackRate, Threshold: 0.1, Window: 2 * time.Hour}}, AlertOptions{})
	if re, ok := errors.AsType[*RuleError](err); !ok || re.Field != "window" {
		t.Fatalf("error %v, want a RuleError on window", err)
	}
}

func TestStatusJSON(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	al, err := NewAlerts(r, DefaultRules(1, 0), AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	r.Record(Event{APIKey: "k", CostUSD: 2})
	al.Evaluate(context.Background(), clk.Now())
	b, err := json.Marshal(al.Status())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rules  []map[string]any `json:"rules"`
		Active []Alert          `json:"active"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Rules) != 6 || got.Rules[0]["window"] != "5m0s" || got.Rules[1]["baseline"] != "1h0m0s" || got.Rules[0]["name"] != "high_fallback_rate" {
		t.Fatalf("rules JSON %s", b)
	}
	if _, ok := got.Rules[0]["baseline"]; ok {
		t.Fatalf("baseline shown on a rule that has none: %s", b)
	}
	if len(got.Active) != 1 || got.Active[0].Rule != "daily_cost_budget" {
		t.Fatalf("active %s", b)
	}
}

// burstTransitions drives rule with a steady 12 errors a minute for 10 minutes (3 every
// 15 s, evaluated every 15 s over 1-minute slots), then 3 quiet minutes, and returns the
// transitions.
func burstTransitions(t *testing.T, rule Rule) []Alert {
	t.Helper()
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	al, err := NewAlerts(r, []Rule{rule}, AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out []Alert
	for i := range 52 {
		if i < 40 {
			record(r, 3, Event{ErrorType: "RateLimitError"})
		}
		out = append(out, al.Evaluate(ctx, clk.Now())...)
		clk.Advance(15 * time.Second)
	}
	return out
}

// A steady error stream around the threshold fires error_burst once and resolves it once
// it stops, instead of flapping every time the window's count dips below the threshold.
func TestErrorBurstHysteresis(t *testing.T) {
	// Without hysteresis (resolve just below the threshold, no hold) the same stream
	// flaps: the count drops each time a new 1-minute slot starts.
	flappy := burstTransitions(t, Rule{Name: "burst", Kind: KindErrorBurst, Threshold: 10, Resolve: 9.99, KeepFiringFor: time.Nanosecond})
	if len(flappy) < 10 {
		t.Fatalf("the stream does not flap without hysteresis (%d transitions): the test proves nothing", len(flappy))
	}
	got := burstTransitions(t, Rule{Name: "burst", Kind: KindErrorBurst, Threshold: 10})
	if len(got) != 2 || got[0].State != StateFiring || got[1].State != StateResolved {
		t.Fatalf("transitions with the default hysteresis: %+v", got)
	}
	// The last errors came at 10:09:45; the window's count is 0 from 10:10:00 (a new
	// slot), and the alert resolves a full window later.
	want := time.Date(2026, 11, 26, 10, 11, 0, 0, time.UTC)
	if !got[1].EndsAt.Equal(want) {
		t.Errorf("resolved at %s, want %s", got[1].EndsAt.Format(time.TimeOnly), want.Format(time.TimeOnly))
	}
	// The defaults are visible on the rule: half the threshold, the window.
	al, _ := NewAlerts(NewRecorder(Options{}), DefaultRules(0, 0), AlertOptions{Logger: quietLogger()})
	for _, r := range al.Rules() {
		if r.Kind == KindErrorBurst && (r.Resolve != 5 || r.KeepFiringFor != time.Minute) {
			t.Errorf("error_burst defaults: resolve %v, keep firing for %v", r.Resolve, r.KeepFiringFor)
		}
	}
	if err := ValidateRules([]Rule{{Name: "b", Kind: KindErrorBurst, Threshold: 10, Resolve: 10}}); err == nil {
		t.Error("a resolve level at the threshold accepted")
	}
}

// An authentication error from the provider fires the provider_auth alert: the fallback
// would otherwise hide a wrong API key.
func TestProviderAuthAlert(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	al, err := NewAlerts(r, DefaultRules(0, 0), AlertOptions{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	r.Record(Event{Success: true, Source: "pattern", Fallback: true, FallbackReason: "provider_error", Errors: []string{"AuthError"}, Time: clk.Now()})
	al.Evaluate(context.Background(), clk.Now())
	active := al.Active()
	if len(active) != 1 || active[0].Rule != "provider_auth_failed" || !strings.Contains(active[0].Message, "API key") {
		t.Fatalf("active alerts %+v, want provider_auth_failed", active)
	}
}
