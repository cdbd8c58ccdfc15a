package client

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planwise/planwise/internal/textfmt"
	"github.com/planwise/planwise/metrics"
)

// Stats are a server's planner metrics and alerts documents as it sent them
// (Client.Stats); WriteText prints them as tables.
type Stats struct {
	Planner json.RawMessage `json:"planner"`
	Alerts  json.RawMessage `json:"alerts"`
	// Base is the server's base URL, which the tables name.
	Base string `json:"-"`
}

// Stats fetches the planner metrics (for window: a duration such as 5m, "lifetime", or ""
// for the server's window) and the alerts.
func (c *Client) Stats(ctx context.Context, window string) (*Stats, error) {
	s := Stats{Base: c.base}
	var err error
	if s.Planner, err = c.Metrics(ctx, window); err != nil {
		return nil, err
	}
	if s.Alerts, err = c.Alerts(ctx); err != nil {
		return nil, err
	}
	return &s, nil
}

// CheckWindow checks a window for Stats as the CLI's stats --window takes it: "" (the
// server's window), "lifetime", or a positive duration such as 5m or 1h. Its error
// names the flag.
func CheckWindow(window string) error {
	if window == "" || window == "lifetime" {
		return nil
	}
	if d, err := time.ParseDuration(window); err != nil || d <= 0 {
		return fmt.Errorf("--window %q: want a positive duration such as 5m or 1h, or \"lifetime\"", window)
	}
	return nil
}

// ExplainStats words a failed Stats call for people: a refused key or a server not
// reached as Explain words them, a 404 as a server that is no planwise server with
// metrics, any other answer with its status and the server's message. nil stays nil.
func (c *Client) ExplainStats(err error) error {
	e, ok := errors.AsType[*Error](err)
	if !ok || IsUnauthorized(err) {
		return Explain(err)
	}
	if e.StatusCode == http.StatusNotFound {
		return fmt.Errorf("GET %s: not found (is %s a planwise server with metrics enabled?)", e.Path, c.base)
	}
	return fmt.Errorf("GET %s: %s: %s", e.Path, e.Status, cmp.Or(e.Message, strings.TrimSpace(string(e.Body))))
}

// statsAlerts is GET /api/v1/alerts as a client reads it (the rules are shown by count only).
type statsAlerts struct {
	Rules   []json.RawMessage `json:"rules"`
	Active  []metrics.Alert   `json:"active"`
	History []metrics.Alert   `json:"history"`
}

// WriteText prints the documents as tables for people: request counts and rates,
// latency percentiles, tokens and cost, errors by type, the source/model/tier mix and
// the alerts, under the server's name.
func (d *Stats) WriteText(w io.Writer) error {
	base := d.Base
	var s metrics.Summary
	if err := json.Unmarshal(d.Planner, &s); err != nil {
		return fmt.Errorf("%s/api/v1/metrics/planner: unexpected document: %w", base, err)
	}
	var st statsAlerts
	if err := json.Unmarshal(d.Alerts, &st); err != nil {
		return fmt.Errorf("%s/api/v1/alerts: unexpected document: %w", base, err)
	}
	return printStats(w, base, s, st)
}

// printStats writes the summary as aligned tables.
func printStats(w io.Writer, base string, s metrics.Summary, st statsAlerts) error {
	p := &statsPrinter{w: w}
	span := "lifetime, since " + s.From.UTC().Format("2006-01-02 15:04:05") + " UTC"
	if s.Window != "lifetime" {
		span = "window " + statsShortDuration(s.Window) + ", " + s.From.UTC().Format("15:04:05") + " to " + s.To.UTC().Format("15:04:05") + " UTC"
	}
	p.printf("planwise at %s · %s\n\n", base, span)

	lookups := s.CacheResults["hit"] + s.CacheResults["exact"] + s.CacheResults["miss"]
	seen := s.Requests > 0
	rate := func(r float64, ok bool) string {
		if !ok {
			return "-"
		}
		return statsPct(r)
	}
	rows := [][]string{
		{"Requests", fmt.Sprint(s.Requests), statsPerMinute(s)},
		{"Success rate", rate(s.SuccessRate, seen), fmt.Sprintf("%d valid plans", s.Successes)},
		{"Fallback rate", rate(s.FallbackRate, seen), fmt.Sprintf("%d offline answers", s.Fallbacks)},
		{"Cache hit rate", rate(s.CacheHitRate, lookups > 0), fmt.Sprintf("%d lookups", lookups)},
		{"LLM success rate", rate(s.LLMSuccessRate, seen), fmt.Sprintf("%d LLM plans", s.LLMSuccesses)},
		{"Latency p50", statsMs(s.Latency.P50, seen), "mean " + statsMs(s.Latency.Avg, seen)},
		{"Latency p95", statsMs(s.Latency.P95, seen), ""},
		{"Latency p99", statsMs(s.Latency.P99, seen), ""},
		{"Tokens", fmt.Sprint(s.Cost.TotalTokens), fmt.Sprintf("%d prompt, %d completion, %.0f per request", s.PromptTokens, s.CompletionTokens, s.Cost.AvgTokensPerRequest)},
		{"Cost", statsUSD(s.Cost.TotalCostUSD), statsUSD(s.CostPerSuccessfulPlanUSD) + " per successful plan"},
		{"Plan validity", rate(s.ValidityRate, s.Plans > 0), fmt.Sprintf("first plan valid, of %d plans", s.Plans)},
		{"Refusal rate", rate(s.RefusalRate, seen), fmt.Sprintf("%d no tool fits (%d by the LLM)", s.Refusals, s.LLMRefusals)},
		{"Execution success", rate(s.ExecutionSuccessRate, s.Executions > 0), fmt.Sprintf("%d executions", s.Executions)},
		{"Feedback positive", rate(s.Satisfaction.FeedbackPositiveRatio, s.Satisfaction.FeedbackCount > 0), fmt.Sprintf("%d feedback", s.Satisfaction.FeedbackCount)},
		{"Retry rate", rate(s.Satisfaction.RetryRate, seen), fmt.Sprintf("%d users asked again", s.Satisfaction.Retries)},
		{"Provider retries", fmt.Sprint(s.ProviderRetries), ""},
		{"Errors", fmt.Sprint(s.Errors.Total), ""},
	}
	p.table(nil, []bool{false, true, false}, rows)

	if len(s.Errors.ByType) > 0 {
		p.printf("\n")
		p.table([]string{"ERROR TYPE", "COUNT", "SHARE"}, []bool{false, true, true}, statsCountRows(s.Errors.ByType))
	}
	if len(s.FallbacksByReason) > 0 {
		p.printf("\n")
		p.table([]string{"FALLBACK REASON", "COUNT", "SHARE"}, []bool{false, true, true}, statsCountRows(s.FallbacksByReason))
	}
	for _, dim := range []struct {
		name   string
		slices map[string]metrics.Slice
	}{{"SOURCE", s.Breakdown.Source}, {"MODEL", s.Breakdown.Model}, {"TIER", s.Breakdown.Tier}} {
		if len(dim.slices) == 0 {
			continue
		}
		p.printf("\n")
		p.table([]string{dim.name, "REQUESTS", "SHARE", "SUCCESS", "FALLBACK", "P50", "P95", "TOKENS", "COST"},
			[]bool{false, true, true, true, true, true, true, true, true}, statsSliceRows(dim.slices, s.Requests))
	}

	p.printf("\n")
	if len(st.Active) == 0 {
		p.printf("No alerts firing (%d rules).\n", len(st.Rules))
	} else {
		p.printf("ALERTS FIRING: %d of %d rules\n", len(st.Active), len(st.Rules))
		rows := make([][]string, 0, len(st.Active))
		for _, al := range st.Active {
			rows = append(rows, []string{al.Severity, statsRuleName(al), al.StartsAt.UTC().Format("15:04:05"), al.Message})
		}
		p.table([]string{"SEVERITY", "RULE", "SINCE", "MESSAGE"}, nil, rows)
	}
	if n := len(st.History); n > 0 {
		p.printf("\nRECENT TRANSITIONS\n")
		rows := make([][]string, 0, 5)
		for i := n - 1; i >= 0 && i >= n-5; i-- {
			h := st.History[i]
			at := h.StartsAt
			if h.State == metrics.StateResolved && !h.EndsAt.IsZero() {
				at = h.EndsAt
			}
			rows = append(rows, []string{at.UTC().Format("15:04:05"), h.State, statsRuleName(h), h.Message})
		}
		p.table([]string{"TIME", "STATE", "RULE", "MESSAGE"}, nil, rows)
	}
	return p.err
}

func statsRuleName(a metrics.Alert) string {
	if a.Key != "" {
		return a.Rule + " (" + a.Key + ")"
	}
	return a.Rule
}

func statsCountRows(m map[string]int64) [][]string {
	var total int64
	keys := make([]string, 0, len(m))
	for k, n := range m {
		keys = append(keys, k)
		total += n
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	rows := make([][]string, 0, len(keys))
	for _, k := range keys {
		rows = append(rows, []string{k, fmt.Sprint(m[k]), statsPct(float64(m[k]) / float64(max(total, 1)))})
	}
	return rows
}

func statsSliceRows(m map[string]metrics.Slice, total int64) [][]string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]].Requests != m[keys[j]].Requests {
			return m[keys[i]].Requests > m[keys[j]].Requests
		}
		return keys[i] < keys[j]
	})
	rows := make([][]string, 0, len(keys))
	for _, k := range keys {
		sl := m[k]
		rows = append(rows, []string{k, fmt.Sprint(sl.Requests), statsPct(float64(sl.Requests) / float64(max(total, 1))),
			statsPct(sl.SuccessRate), statsPct(sl.FallbackRate), statsMs(sl.Latency.P50, true), statsMs(sl.Latency.P95, true),
			fmt.Sprint(sl.PromptTokens + sl.CompletionTokens), statsUSD(sl.CostUSD)})
	}
	return rows
}

func statsPerMinute(s metrics.Summary) string {
	secs := s.WindowSeconds
	if s.Window == "lifetime" {
		secs = s.To.Sub(s.From).Seconds()
	}
	if secs <= 0 || s.Requests == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f per minute", float64(s.Requests)/(secs/60))
}

func statsPct(r float64) string { return fmt.Sprintf("%.1f%%", 100*r) }

func statsMs(v float64, ok bool) string {
	switch {
	case !ok:
		return "-"
	case v >= 1000:
		return fmt.Sprintf("%.2f s", v/1000)
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	default:
		return fmt.Sprintf("%.1f ms", v)
	}
}

func statsUSD(v float64) string {
	if v >= 1 {
		return fmt.Sprintf("$%.2f", v)
	}
	return fmt.Sprintf("$%.6f", v)
}

// statsShortDuration turns "5m0s" into "5m", "1h0m0s" into "1h" and "1m30s" stays.
func statsShortDuration(s string) string {
	if d, err := time.ParseDuration(s); err == nil {
		return textfmt.Duration(d)
	}
	return s
}

// statsPrinter writes until the first error and keeps it.
type statsPrinter struct {
	w   io.Writer
	err error
}

func (e *statsPrinter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// table prints rows in columns two spaces apart; right[i] right-aligns column i. The
// last column is never padded.
func (e *statsPrinter) table(header []string, right []bool, rows [][]string) {
	all := rows
	if header != nil {
		all = append([][]string{header}, rows...)
	}
	var widths []int
	for _, r := range all {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range all {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			last := i == len(r)-1
			switch {
			case i < len(right) && right[i]:
				b.WriteString(pad + c)
			case last:
				b.WriteString(c)
			default:
				b.WriteString(c + pad)
			}
			if !last {
				b.WriteString("  ")
			}
		}
		e.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
}
