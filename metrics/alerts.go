package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Alert states.
const (
	StateFiring   = "firing"
	StateResolved = "resolved"
)

// Alert is one alert instance: a rule, and for per-key rules the API key.
type Alert struct {
	Rule      string    `json:"rule"`
	Kind      string    `json:"kind"`
	Key       string    `json:"key,omitempty"`
	Severity  string    `json:"severity"`
	State     string    `json:"state"`
	Value     float64   `json:"value"`
	Threshold float64   `json:"threshold"`
	Message   string    `json:"message"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at,omitzero"`
}

// Leader says whether this replica is the one that sends notifications, so that several
// replicas do not all post the same alert.
type Leader interface{ IsLeader() bool }

type alwaysLeader struct{}

func (alwaysLeader) IsLeader() bool { return true }

// AlertOptions configures Alerts. The zero value logs to slog.Default and sends nothing.
type AlertOptions struct {
	Logger *slog.Logger
	// WebhookURL, when set, receives a JSON POST {"source":"planwise","alerts":[...]} of the
	// transitions of each evaluation that has any. Each POST is attempted once.
	WebhookURL string
	// WebhookTimeout bounds one POST (default 5s).
	WebhookTimeout time.Duration
	// HTTPClient sends the webhook (default: a client with WebhookTimeout).
	HTTPClient *http.Client
	// Leader gates the webhook (default: always the leader).
	Leader Leader
	// HistorySize bounds History (default 200 transitions).
	HistorySize int
}

// WebhookPayload is the body of a webhook POST.
type WebhookPayload struct {
	Source string  `json:"source"`
	Alerts []Alert `json:"alerts"`
}

// Alerts evaluates rules against a Recorder. Evaluate is driven by the owner, directly or
// with Run; the other methods are safe to call concurrently.
type Alerts struct {
	rec   *Recorder
	rules []Rule
	opts  AlertOptions

	mu        sync.Mutex
	pending   map[instanceKey]time.Time // condition true since, not yet firing
	active    map[instanceKey]*Alert
	resolving map[instanceKey]time.Time // firing, value at or below the resolve level since
	history   []Alert                   // ring of transitions, oldest first once full
	hnext     int
}

type instanceKey struct{ rule, key string }

type alertsRef struct{ p atomic.Pointer[Alerts] }

func (r *alertsRef) get() *Alerts  { return r.p.Load() }
func (r *alertsRef) set(a *Alerts) { r.p.Store(a) }

// NewAlerts validates rules and returns their evaluator. It also makes rec's Prometheus
// collector report planwise_alerts_firing for these rules.
func NewAlerts(rec *Recorder, rules []Rule, opts AlertOptions) (*Alerts, error) {
	if err := ValidateRules(rules); err != nil {
		return nil, err
	}
	rules = append([]Rule(nil), rules...)
	for i := range rules {
		r := &rules[i]
		if r.Window == 0 {
			r.Window = rec.opts.Window
			if r.Kind == KindErrorBurst {
				r.Window = time.Minute
			}
		}
		if r.Baseline == 0 {
			r.Baseline = time.Hour
		}
		if r.Severity == "" {
			r.Severity = "warning"
		}
		if r.Kind == KindErrorBurst {
			if r.Resolve == 0 {
				r.Resolve = r.Threshold / 2
			}
			if r.KeepFiringFor == 0 {
				r.KeepFiringFor = r.Window
			}
		}
		if r.Window > rec.opts.Retention {
			return nil, &RuleError{Index: i, Name: r.Name, Field: "window",
				Msg: fmt.Sprintf("%s is longer than the recorder's retention %s; shorten it or raise the recorder's Retention", r.Window, rec.opts.Retention)}
		}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.WebhookTimeout <= 0 {
		opts.WebhookTimeout = 5 * time.Second
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: opts.WebhookTimeout}
	}
	if opts.Leader == nil {
		opts.Leader = alwaysLeader{}
	}
	if opts.HistorySize <= 0 {
		opts.HistorySize = 200
	}
	a := &Alerts{
		rec:       rec,
		rules:     rules,
		opts:      opts,
		pending:   make(map[instanceKey]time.Time),
		active:    make(map[instanceKey]*Alert),
		resolving: make(map[instanceKey]time.Time),
	}
	rec.alerts.set(a)
	return a, nil
}

// Status is the JSON document of GET /api/v1/alerts.
type Status struct {
	Rules   []Rule  `json:"rules"`
	Active  []Alert `json:"active"`
	History []Alert `json:"history"`
}

// Status returns the rules, the firing alerts and the recent transitions.
func (a *Alerts) Status() Status {
	return Status{Rules: a.Rules(), Active: a.Active(), History: a.History()}
}

// Rules returns the rules with their defaults filled in.
func (a *Alerts) Rules() []Rule { return append([]Rule(nil), a.rules...) }

// Run evaluates every interval until ctx is done.
func (a *Alerts) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.Evaluate(ctx, a.rec.opts.Now())
		}
	}
}

// observation is a rule instance's value at one evaluation.
type observation struct {
	key   string
	value float64
	cond  bool
	msg   string
}

// Evaluate checks every rule at now, moves instances between pending, firing and
// resolved, logs each transition, sends them to the webhook (when this replica leads) and
// returns them.
func (a *Alerts) Evaluate(ctx context.Context, now time.Time) []Alert {
	windows := make(map[time.Duration]*agg)
	window := func(w time.Duration) *agg {
		if g, ok := windows[w]; ok {
			return g
		}
		g := a.rec.window(now, w)
		windows[w] = g
		return g
	}
	var dayTotal float64
	var dayByKey map[string]float64
	dayDone := false
	day := func() {
		if !dayDone {
			dayTotal, dayByKey = a.rec.DayCost(now)
			dayDone = true
		}
	}

	var transitions []Alert
	a.mu.Lock()
	for _, rule := range a.rules {
		var obs []observation
		switch rule.Kind {
		case KindFallbackRate:
			t := &window(rule.Window).total
			v := ratio(t.fallbacks, t.requests)
			obs = append(obs, observation{value: v, cond: t.requests >= int64(rule.MinRequests) && v > rule.Threshold,
				msg: fmt.Sprintf("fallback rate %.1f%% over %s (%d requests), threshold %.1f%%", 100*v, rule.Window, t.requests, 100*rule.Threshold)})
		case KindLatencyP95VsBaseline:
			t := &window(rule.Window).total
			base := a.baseline(now, rule)
			p95, b95 := t.quantileMs(0.95), base.quantileMs(0.95)
			v := 0.0
			if b95 > 0 {
				v = p95 / b95
			}
			enough := t.requests >= int64(rule.MinRequests) && base.requests >= int64(max(rule.MinRequests, 1))
			obs = append(obs, observation{value: v, cond: enough && v > rule.Threshold,
				msg: fmt.Sprintf("p95 latency %.1f ms over %s is %.2fx its baseline %.1f ms, threshold %.2fx", p95, rule.Window, v, b95, rule.Threshold)})
		case KindErrorBurst:
			n := window(rule.Window).total.errors
			obs = append(obs, observation{value: float64(n), cond: float64(n) >= rule.Threshold,
				msg: fmt.Sprintf("%d errors within %s, threshold %g (resolves at %g or fewer for %s)", n, rule.Window, rule.Threshold, rule.Resolve, rule.KeepFiringFor)})
		case KindProviderAuth:
			g := window(rule.Window)
			var n int64
			if id := a.rec.errs.id("AuthError"); int(id) < len(g.errorsByType) {
				n = g.errorsByType[id]
			}
			obs = append(obs, observation{value: float64(n), cond: n > 0 && float64(n) >= rule.Threshold,
				msg: fmt.Sprintf("the LLM provider refused the API key %d times within %s (AuthError): check llm.api_key / OPENAI_API_KEY", n, rule.Window)})
		case KindHistoryDropped:
			n := window(rule.Window).total.historyDropped
			obs = append(obs, observation{value: float64(n), cond: n > 0 && float64(n) >= rule.Threshold,
				msg: fmt.Sprintf("%d history records dropped within %s: the history queue was full; check that the store keeps up (disk, database), or raise history.max_unflushed", n, rule.Window)})
		case KindDailyCost:
			day()
			obs = append(obs, observation{value: dayTotal, cond: dayTotal > rule.Threshold,
				msg: fmt.Sprintf("cost today $%.4f exceeds the daily budget $%.4f", dayTotal, rule.Threshold)})
		case KindDailyCostPerKey:
			day()
			keys := make([]string, 0, len(dayByKey))
			for k := range dayByKey {
				keys = append(keys, k)
			}
			sort.Strings(keys) // a stable order of transitions
			for _, k := range keys {
				v := dayByKey[k]
				obs = append(obs, observation{key: k, value: v, cond: v > rule.Threshold,
					msg: fmt.Sprintf("cost today of API key %s $%.4f exceeds its daily budget $%.4f", k, v, rule.Threshold)})
			}
			// Keys firing earlier but absent today (a new day) resolve.
			for ik := range a.active {
				if _, ok := dayByKey[ik.key]; ik.rule == rule.Name && !ok {
					obs = append(obs, observation{key: ik.key, msg: "a new budget day started"})
				}
			}
			for ik := range a.pending {
				if _, ok := dayByKey[ik.key]; ik.rule == rule.Name && !ok {
					delete(a.pending, ik)
				}
			}
		}
		for _, o := range obs {
			if t, ok := a.step(rule, o, now); ok {
				transitions = append(transitions, t)
			}
		}
	}
	a.mu.Unlock()

	for _, t := range transitions {
		a.opts.Logger.LogAttrs(ctx, levelOf(t), "alert "+t.State,
			slog.String("rule", t.Rule), slog.String("kind", t.Kind), slog.String("key", t.Key),
			slog.String("severity", t.Severity), slog.Float64("value", t.Value),
			slog.Float64("threshold", t.Threshold), slog.String("message", t.Message),
			slog.Time("starts_at", t.StartsAt))
	}
	if len(transitions) > 0 && a.opts.WebhookURL != "" && a.opts.Leader.IsLeader() {
		if err := a.post(ctx, transitions); err != nil {
			a.opts.Logger.LogAttrs(ctx, slog.LevelWarn, "alert webhook failed",
				slog.Int("alerts", len(transitions)), slog.String("error", err.Error()))
		}
	}
	return transitions
}

func levelOf(t Alert) slog.Level {
	if t.State == StateFiring {
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// baseline merges the slots of rule.Baseline before rule.Window (totals only).
func (a *Alerts) baseline(now time.Time, rule Rule) *cell {
	lo, _ := a.rec.windowSlots(now, rule.Window)
	n := (int64(rule.Baseline) + a.rec.res - 1) / a.rec.res
	snap := a.rec.snapshot(lo-n, lo-1, false, true)
	var c cell
	for _, s := range snap.slots {
		c.merge(&s.total)
	}
	return &c
}

// clears reports whether a firing instance's observation allows it to resolve: the
// condition no longer holds and the value is at or below the rule's resolve level.
func clears(rule Rule, o observation) bool {
	if o.cond {
		return false
	}
	return rule.Resolve <= 0 || o.value <= rule.Resolve
}

// step advances one instance; it returns the transition, if any. a.mu is held.
func (a *Alerts) step(rule Rule, o observation, now time.Time) (Alert, bool) {
	ik := instanceKey{rule.Name, o.key}
	if cur, ok := a.active[ik]; ok {
		if !clears(rule, o) {
			// Still firing: the condition holds, or the value is between the resolve level
			// and the threshold (hysteresis).
			delete(a.resolving, ik)
			cur.Value, cur.Message = o.value, o.msg
			return Alert{}, false
		}
		since, ok := a.resolving[ik]
		if !ok {
			since = now
			a.resolving[ik] = now
		}
		if now.Sub(since) < rule.KeepFiringFor {
			cur.Value, cur.Message = o.value, o.msg
			return Alert{}, false
		}
		delete(a.resolving, ik)
		delete(a.active, ik)
		res := *cur
		res.State, res.EndsAt, res.Value = StateResolved, now, o.value
		res.Message = "resolved: " + o.msg
		a.remember(res)
		return res, true
	}
	if !o.cond {
		delete(a.pending, ik)
		return Alert{}, false
	}
	since, ok := a.pending[ik]
	if !ok {
		since = now
		a.pending[ik] = now
	}
	if now.Sub(since) < rule.For {
		return Alert{}, false
	}
	delete(a.pending, ik)
	al := &Alert{Rule: rule.Name, Kind: rule.Kind, Key: o.key, Severity: rule.Severity, State: StateFiring,
		Value: o.value, Threshold: rule.Threshold, Message: o.msg, StartsAt: now}
	a.active[ik] = al
	a.remember(*al)
	return *al, true
}

func (a *Alerts) remember(t Alert) {
	if len(a.history) < a.opts.HistorySize {
		a.history = append(a.history, t)
		return
	}
	a.history[a.hnext] = t
	a.hnext = (a.hnext + 1) % len(a.history)
}

func (a *Alerts) post(ctx context.Context, alerts []Alert) error {
	body, err := json.Marshal(WebhookPayload{Source: "planwise", Alerts: alerts})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, a.opts.WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.opts.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.opts.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// Active returns the firing alerts, by rule then key.
func (a *Alerts) Active() []Alert {
	a.mu.Lock()
	out := make([]Alert, 0, len(a.active))
	for _, al := range a.active {
		out = append(out, *al)
	}
	a.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rule != out[j].Rule {
			return out[i].Rule < out[j].Rule
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// History returns the recent transitions (firing and resolved), oldest first.
func (a *Alerts) History() []Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Alert, 0, len(a.history))
	out = append(out, a.history[a.hnext:]...)
	return append(out, a.history[:a.hnext]...)
}

func (a *Alerts) firingByRule() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	m := make(map[string]int, len(a.rules))
	for _, r := range a.rules {
		m[r.Name] = 0
	}
	for ik := range a.active {
		m[ik.rule]++
	}
	return m
}
