package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/goccy/go-yaml"
)

// Rule kinds.
const (
	// KindFallbackRate fires when the fallback rate over Window exceeds Threshold (a
	// fraction), once the window holds at least MinRequests requests.
	KindFallbackRate = "fallback_rate"
	// KindLatencyP95VsBaseline fires when the p95 latency over Window exceeds Threshold
	// times its baseline: the p95 over the Baseline horizon (default 1h) just before the
	// window, as far back as the Recorder's retention reaches. Both need MinRequests.
	KindLatencyP95VsBaseline = "latency_p95_vs_baseline"
	// KindErrorBurst fires when at least Threshold errors occurred within Window (default
	// 1m). It resolves with hysteresis: once the errors within Window are at most Resolve
	// (default half the threshold) and have stayed so for KeepFiringFor (default Window).
	KindErrorBurst = "error_burst"
	// KindDailyCost fires when the cost of the current UTC day exceeds Threshold USD.
	KindDailyCost = "daily_cost"
	// KindDailyCostPerKey fires, once per API key, when a key's cost of the current UTC
	// day exceeds Threshold USD.
	KindDailyCostPerKey = "daily_cost_per_key"
	// KindProviderAuth fires when the LLM provider refused the credentials (AuthError)
	// at least Threshold times within Window (default 1 in 5m): a configuration problem
	// no retry fixes, which the fallback would otherwise hide.
	KindProviderAuth = "provider_auth"
	// KindHistoryDropped fires when at least Threshold history writes (records, run
	// outcomes, feedback) were dropped within Window because the history queue was full:
	// the store does not keep up, and the learning loop loses what it drops.
	KindHistoryDropped = "history_dropped"
)

// Rule is one alert rule.
type Rule struct {
	Name      string  `yaml:"name" json:"name"`
	Kind      string  `yaml:"kind" json:"kind"`
	Threshold float64 `yaml:"threshold" json:"threshold"`
	// Window is the evaluation window of the rate, latency and burst kinds (default: the
	// Recorder's window, 1m for error_burst). It is rounded up to whole slots.
	Window time.Duration `yaml:"window" json:"window"`
	// For is how long the condition must hold before the alert fires (0: at once).
	For time.Duration `yaml:"for" json:"for"`
	// Resolve and KeepFiringFor are the hysteresis of a firing alert: it resolves only
	// once its value is at or below Resolve and has stayed so, evaluation after
	// evaluation, for KeepFiringFor. Resolve 0 means "when the condition no longer holds"
	// (value at or below Threshold), except for error_burst, whose defaults are half the
	// threshold and its Window: an error count hovering around the threshold in a sliding
	// window otherwise fires and resolves every few evaluations.
	Resolve       float64       `yaml:"resolve" json:"resolve,omitempty"`
	KeepFiringFor time.Duration `yaml:"keep_firing_for" json:"keep_firing_for"`
	// MinRequests keeps rate and latency rules quiet on too little traffic.
	MinRequests int `yaml:"min_requests" json:"min_requests"`
	// Baseline is the horizon of latency_p95_vs_baseline's baseline (default 1h).
	Baseline time.Duration `yaml:"baseline" json:"baseline"`
	// Severity is free text passed on to logs and the webhook ("warning" by default).
	Severity string `yaml:"severity" json:"severity"`
}

// MarshalJSON writes durations as Go duration strings ("5m0s"), as the YAML file has them.
func (r Rule) MarshalJSON() ([]byte, error) {
	type plain Rule
	return json.Marshal(struct {
		plain
		Window        string `json:"window"`
		For           string `json:"for"`
		Baseline      string `json:"baseline,omitempty"`
		KeepFiringFor string `json:"keep_firing_for"`
	}{plain(r), r.Window.String(), r.For.String(), durationOrEmpty(r.Baseline, r.Kind == KindLatencyP95VsBaseline), r.KeepFiringFor.String()})
}

func durationOrEmpty(d time.Duration, keep bool) string {
	if !keep {
		return ""
	}
	return d.String()
}

// RuleError says which rule is wrong and how.
type RuleError struct {
	Source string // file name, when loaded from one
	Index  int    // position in the list
	Name   string
	Field  string
	Msg    string
}

func (e *RuleError) Error() string {
	where := fmt.Sprintf("rules[%d]", e.Index)
	if e.Name != "" {
		where += fmt.Sprintf(" (%s)", e.Name)
	}
	if e.Source != "" {
		where = e.Source + ": " + where
	}
	return fmt.Sprintf("%s: %s: %s", where, e.Field, e.Msg)
}

// DefaultRules are the seed's alerts: fallback rate above 10% over 5 minutes, p95
// latency 50% above its baseline, 10 errors within a minute, the provider refusing the
// API key, a history record dropped within 5 minutes, and the daily cost budgets when
// they are set (a budget <= 0 adds no rule).
func DefaultRules(dailyBudgetUSD, perKeyDailyBudgetUSD float64) []Rule {
	rules := []Rule{
		{Name: "high_fallback_rate", Kind: KindFallbackRate, Threshold: 0.10, Window: defaultWindow, MinRequests: 20, Severity: "warning"},
		{Name: "latency_p95_regression", Kind: KindLatencyP95VsBaseline, Threshold: 1.5, Window: defaultWindow, Baseline: time.Hour, MinRequests: 20, Severity: "warning"},
		{Name: "error_burst", Kind: KindErrorBurst, Threshold: 10, Window: time.Minute, Severity: "critical"},
		{Name: "provider_auth_failed", Kind: KindProviderAuth, Threshold: 1, Window: defaultWindow, Severity: "critical"},
		{Name: "history_records_dropped", Kind: KindHistoryDropped, Threshold: 1, Window: defaultWindow, Severity: "warning"},
	}
	if dailyBudgetUSD > 0 {
		rules = append(rules, Rule{Name: "daily_cost_budget", Kind: KindDailyCost, Threshold: dailyBudgetUSD, Severity: "critical"})
	}
	if perKeyDailyBudgetUSD > 0 {
		rules = append(rules, Rule{Name: "daily_cost_budget_per_key", Kind: KindDailyCostPerKey, Threshold: perKeyDailyBudgetUSD, Severity: "warning"})
	}
	return rules
}

// ParseRules reads rules from YAML of the form
//
//	rules:
//	  - name: high_fallback_rate
//	    kind: fallback_rate
//	    threshold: 0.1
//	    window: 5m
//	    min_requests: 20
//
// Unknown fields are errors. The rules are validated.
func ParseRules(data []byte) ([]Rule, error) {
	var f struct {
		Rules []Rule `yaml:"rules"`
	}
	if err := unmarshalYAML(data, &f); err != nil {
		return nil, fmt.Errorf("alert rules: %w", err)
	}
	if err := ValidateRules(f.Rules); err != nil {
		return nil, err
	}
	return f.Rules, nil
}

// LoadRules reads and validates a YAML rules file (see ParseRules).
func LoadRules(path string) ([]Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("alert rules: %w", err)
	}
	rules, err := ParseRules(data)
	if err != nil {
		if re, ok := errors.AsType[*RuleError](err); ok {
			re.Source = path
			return nil, re
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rules, nil
}

// ValidateRules checks every rule; the error is a *RuleError naming the first bad one.
func ValidateRules(rules []Rule) error {
	seen := make(map[string]bool, len(rules))
	for i, r := range rules {
		bad := func(field, msg string) error {
			return &RuleError{Index: i, Name: r.Name, Field: field, Msg: msg}
		}
		switch {
		case r.Name == "":
			return bad("name", "required")
		case seen[r.Name]:
			return bad("name", "duplicate rule name")
		}
		seen[r.Name] = true
		switch r.Kind {
		case KindFallbackRate:
			if r.Threshold <= 0 || r.Threshold >= 1 {
				return bad("threshold", "a fraction between 0 and 1 is required, e.g. 0.1 for 10%")
			}
		case KindLatencyP95VsBaseline:
			if r.Threshold <= 1 {
				return bad("threshold", "a factor above 1 is required, e.g. 1.5 for 50% above the baseline")
			}
		case KindErrorBurst, KindDailyCost, KindDailyCostPerKey, KindProviderAuth, KindHistoryDropped:
			if r.Threshold <= 0 {
				return bad("threshold", "a positive number is required")
			}
		default:
			return bad("kind", fmt.Sprintf("unknown kind %q; use one of %s, %s, %s, %s, %s, %s, %s", r.Kind,
				KindFallbackRate, KindLatencyP95VsBaseline, KindErrorBurst, KindDailyCost, KindDailyCostPerKey, KindProviderAuth, KindHistoryDropped))
		}
		if r.Window < 0 || r.For < 0 || r.Baseline < 0 || r.KeepFiringFor < 0 {
			return bad("window", "durations cannot be negative")
		}
		if r.Resolve < 0 || (r.Resolve > 0 && r.Resolve >= r.Threshold) {
			return bad("resolve", fmt.Sprintf("the resolve level must be below the threshold %g (hysteresis), e.g. %g; 0 for the default", r.Threshold, r.Threshold/2))
		}
		if r.MinRequests < 0 {
			return bad("min_requests", "cannot be negative")
		}
	}
	return nil
}

// unmarshalYAML decodes strictly. go-yaml v1.19.2 panics on some malformed documents
// (a nil dereference in ArrayNodeIter.Len on an unknown tag where a slice is expected,
// upstream issue goccy/go-yaml#735, found here by FuzzParseRules; the input is kept in
// testdata), so a panic is turned into an error: a bad rules file must not crash start-up.
func unmarshalYAML(data []byte, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("malformed YAML (decoder panic: %v)", p)
		}
	}()
	return yaml.UnmarshalWithOptions(data, v, yaml.Strict())
}
