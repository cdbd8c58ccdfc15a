package history

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Insight thresholds: a suggestion needs at least minEvidence records behind it and a
// failure rate at or above the threshold of its kind.
const (
	minEvidence        = 5
	argumentThreshold  = 0.20 // a tool argument invalid in >= 20% of the plans using the tool
	executionThreshold = 0.20 // a tool failing in >= 20% of its runs
	patternThreshold   = 0.30 // a request pattern falling back in >= 30% of its requests
	routeThreshold     = 0.30 // a pattern invalid on one model in >= 30% of its requests
	errorThreshold     = 0.05 // an error type in >= 5% of the requests
	variantMargin      = 0.05 // a variant's fallback rate this much above the best variant's
	maxGroups          = 20
	maxClusterRecords  = 20_000
	maxExamples        = 3
	// maxInsightRecords bounds the records one analysis reads (the newest).
	maxInsightRecords = 50_000
)

// Group is one failure group: Failures of Total records failed in this group.
type Group struct {
	Key      string   `json:"key"`
	Failures int      `json:"failures"`
	Total    int      `json:"total"`
	Rate     float64  `json:"rate"`
	Examples []string `json:"examples,omitempty"`
}

// Suggestion is a concrete improvement with its evidence.
type Suggestion struct {
	// Kind is argument, tool, example, route, variant or error.
	Kind string `json:"kind"`
	// Subject is what the suggestion is about: "send_email.to", a template, a variant.
	Subject string `json:"subject"`
	Text    string `json:"text"`
	// Failures of Total records are the evidence; Rate is their ratio.
	Failures int     `json:"failures"`
	Total    int     `json:"total"`
	Rate     float64 `json:"rate"`
}

// Insights is the failure analysis of a tenant's records over a window.
type Insights struct {
	Tenant   string    `json:"tenant"`
	Since    time.Time `json:"since"`
	Requests int       `json:"requests"`
	// Truncated is true when the window held more records than one analysis reads
	// (50,000): the newest were analysed.
	Truncated bool `json:"truncated,omitempty"`
	// Unreadable says which stored records could not be decoded and were left out of
	// the analysis ("" when none were).
	Unreadable string `json:"unreadable,omitempty"`
	Failures   int    `json:"failures"`
	// Plans counts the requests that produced a plan, valid or not (Record.NoPlan):
	// ValidityRate is the share of them whose first plan was valid.
	Plans        int     `json:"plans"`
	ValidityRate float64 `json:"validity_rate"`
	// Refusals counts the requests a planner declined as no tool fitting them
	// (Record.Refused): an answer, not an invalid plan. RefusalRate is their share of
	// the requests.
	Refusals    int     `json:"refusals"`
	RefusalRate float64 `json:"refusal_rate"`
	// FallbackRate is the share of requests that fell back from the LLM (fellBack).
	FallbackRate float64 `json:"fallback_rate"`
	// Offline counts the requests planned offline by design (no LLM configured, or the
	// request asked for offline planning); they are neither failures nor fallbacks here.
	Offline int `json:"offline"`
	// ByTool: records whose plan (or first, invalid answer) used the tool, failing when
	// one of its arguments was invalid or its step failed in execution.
	ByTool []Group `json:"by_tool"`
	// ByArgument: "tool.arg" invalid in the first answer, over the records using the tool.
	ByArgument []Group `json:"by_argument"`
	// ByErrorType: how the failing requests failed (Record.Outcome), over all requests,
	// in the codes the API and the CLI show: the error code of a request served no plan
	// (cannot_plan, deadline, unavailable, rate_limited, invalid_request, ...) or the
	// fallback reason of one an offline planner answered after the LLM failed
	// (provider_error, provider_timeout, invalid_plan, circuit_open, deadline).
	ByErrorType []Group `json:"by_error_type"`
	// ByIssueCode: validation issue codes of first answers over all requests.
	ByIssueCode []Group `json:"by_issue_code"`
	// ByPattern: request templates clustered by similarity; failing when the request fell
	// back, was invalid at first or failed.
	ByPattern []Group `json:"by_pattern"`
	// ByVariant: prompt variants; failing when the request fell back.
	ByVariant   []Group      `json:"by_variant"`
	Suggestions []Suggestion `json:"suggestions"`
}

// offlineReason is planner.ReasonOffline: the fallback reason of a plan made by the
// offline planners because no LLM is configured or the request asked for offline.
const offlineReason = "offline"

// fellBack reports whether the request fell back from a failing LLM. An offline plan
// is a fallback in the response (the reader sees no LLM planned it) but not here: with
// no LLM configured it is the deployment working as set up, and counting it would make
// every successful offline request a failure.
func fellBack(r *Record) bool { return r.Fallback && r.FallbackReason != offlineReason }

// failed reports whether a record counts as a failure for the pattern groups.
func failed(r *Record) bool {
	return fellBack(r) || !r.Valid || r.ErrorType != "" || r.ExecutionFailed()
}

type counter struct {
	failures, total int
	examples        []string
}

func (c *counter) add(fail bool, request string) {
	c.total++
	if fail {
		c.failures++
		if len(c.examples) < maxExamples && !slices.Contains(c.examples, request) {
			c.examples = append(c.examples, request)
		}
	}
}

func groups(m map[string]*counter, onlyFailing bool) []Group {
	out := make([]Group, 0, len(m))
	for k, c := range m {
		if onlyFailing && c.failures == 0 {
			continue
		}
		g := Group{Key: k, Failures: c.failures, Total: c.total, Examples: c.examples}
		if c.total > 0 {
			g.Rate = float64(c.failures) / float64(c.total)
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b Group) int {
		if a.Failures != b.Failures {
			return b.Failures - a.Failures
		}
		if a.Rate != b.Rate {
			if a.Rate > b.Rate {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Key, b.Key)
	})
	if len(out) > maxGroups {
		out = out[:maxGroups]
	}
	return out
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }

// Insights analyses a tenant's records of the last since (all records when since <= 0;
// every tenant when tenant is ""), at most the newest 50,000.
func (h *History) Insights(ctx context.Context, tenant string, since time.Duration) (*Insights, error) {
	q := Query{Tenant: tenant, Limit: maxInsightRecords}
	if since > 0 {
		q.Since = h.opts.Now().Add(-since)
	}
	rs, err := h.store.Records(ctx, q)
	var unreadable string
	if errors.Is(err, ErrUnreadable) {
		unreadable, err = err.Error(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("history: insights: %w", err)
	}
	in := analyse(rs, tenant, q.Since, h.opts.RetryThreshold)
	in.Truncated = len(rs) == maxInsightRecords
	in.Unreadable = unreadable
	return in, nil
}

// analyse computes the insights of rs; clusterSim is the similarity at or above which
// two request templates are one pattern.
func analyse(rs []*Record, tenant string, since time.Time, clusterSim float64) *Insights {
	in := &Insights{Tenant: tenant, Since: since, Requests: len(rs)}
	tools := map[string]*counter{}
	args := map[string]*counter{}
	errs := map[string]*counter{}
	codes := map[string]*counter{}
	variants := map[string]*counter{}
	execs := map[string]*counter{} // per tool, over the runs that called it
	valid, fallbacks := 0, 0
	for _, r := range rs {
		if failed(r) {
			in.Failures++
		}
		if !r.NoPlan {
			in.Plans++
		}
		if r.Valid {
			valid++
		}
		if r.Refused != "" {
			in.Refusals++
		}
		if fellBack(r) {
			fallbacks++
		}
		if r.Fallback && r.FallbackReason == offlineReason {
			in.Offline++
		}
		// Tools the record involved: its plan's and those its invalid first answer named.
		used := map[string]bool{}
		for _, t := range r.Tools() {
			used[t] = true
		}
		badArgs := map[string]bool{}
		for _, f := range r.IssueFields {
			t, _, _ := strings.Cut(f, ".")
			used[t] = true
			badArgs[f] = true
		}
		execFailed := map[string]bool{}
		if r.Execution != nil && r.Execution.Status != "canceled" {
			ran := map[string]bool{}
			for _, s := range r.Execution.Steps {
				ran[s.Tool] = true
				if s.Status == "failed" {
					execFailed[s.Tool] = true
				}
			}
			for t := range ran {
				c := execs[t]
				if c == nil {
					c = &counter{}
					execs[t] = c
				}
				c.add(execFailed[t], r.Request)
			}
		}
		for t := range used {
			badTool := execFailed[t]
			for f := range badArgs {
				if strings.HasPrefix(f, t+".") {
					badTool = true
				}
			}
			c := tools[t]
			if c == nil {
				c = &counter{}
				tools[t] = c
			}
			c.add(badTool, r.Request)
		}
		for f := range badArgs {
			if args[f] == nil {
				args[f] = &counter{}
			}
		}
		for _, code := range dedup(r.IssueCodes) {
			if codes[code] == nil {
				codes[code] = &counter{}
			}
		}
		if o := r.Outcome(); o != "" && errs[o] == nil {
			errs[o] = &counter{}
		}
		if r.Variant != "" {
			c := variants[r.Variant]
			if c == nil {
				c = &counter{}
				variants[r.Variant] = c
			}
			c.add(fellBack(r), r.Request)
		}
	}
	// Second pass for the groups whose denominator needs every record.
	for _, r := range rs {
		used := map[string]bool{}
		for _, t := range r.Tools() {
			used[t] = true
		}
		for _, f := range r.IssueFields {
			t, _, _ := strings.Cut(f, ".")
			used[t] = true
		}
		for f, c := range args {
			t, _, _ := strings.Cut(f, ".")
			if used[t] {
				c.add(slices.Contains(r.IssueFields, f), r.Request)
			}
		}
		for code, c := range codes {
			c.add(slices.Contains(r.IssueCodes, code), r.Request)
		}
		outcome := r.Outcome()
		for et, c := range errs {
			c.add(outcome == et, r.Request)
		}
	}
	if in.Plans > 0 {
		in.ValidityRate = float64(valid) / float64(in.Plans)
	}
	if len(rs) > 0 {
		in.RefusalRate = float64(in.Refusals) / float64(len(rs))
		in.FallbackRate = float64(fallbacks) / float64(len(rs))
	}
	in.ByTool = groups(tools, true)
	in.ByArgument = groups(args, true)
	in.ByErrorType = groups(errs, true)
	in.ByIssueCode = groups(codes, true)
	in.ByVariant = groups(variants, false)
	patterns, models := clusterPatterns(rs, clusterSim)
	in.ByPattern = groups(patterns, true)
	in.Suggestions = suggest(in, args, execs, models)
	return in
}

func dedup(xs []string) []string {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return slices.Compact(ys)
}

// clusterPatterns groups records by template, then merges templates whose embeddings
// are at least sim apart (greedy leader clustering, most frequent templates first). It
// returns the pattern groups (keyed by the cluster's most frequent template) and, per
// pattern, per model counts of invalid first answers.
func clusterPatterns(rs []*Record, sim float64) (map[string]*counter, map[string]map[string]*counter) {
	if len(rs) > maxClusterRecords {
		rs = rs[:maxClusterRecords] // newest first
	}
	type tmpl struct {
		text string
		vec  []float32
		rs   []*Record
	}
	byText := map[string]*tmpl{}
	var order []*tmpl
	for _, r := range rs {
		t := byText[r.Template]
		if t == nil {
			t = &tmpl{text: r.Template, vec: r.Embedding}
			byText[r.Template] = t
			order = append(order, t)
		}
		t.rs = append(t.rs, r)
	}
	slices.SortStableFunc(order, func(a, b *tmpl) int { return len(b.rs) - len(a.rs) })
	type cluster struct {
		leader *tmpl
		rs     []*Record
	}
	var clusters []*cluster
	for _, t := range order {
		var home *cluster
		if len(t.vec) > 0 {
			for _, c := range clusters {
				if dot(c.leader.vec, t.vec) >= float32(sim) {
					home = c
					break
				}
			}
		}
		if home == nil {
			home = &cluster{leader: t}
			clusters = append(clusters, home)
		}
		home.rs = append(home.rs, t.rs...)
	}
	patterns := map[string]*counter{}
	models := map[string]map[string]*counter{}
	for _, c := range clusters {
		pc := &counter{}
		mc := map[string]*counter{}
		for _, r := range c.rs {
			pc.add(failed(r), r.Request)
			if r.Model != "" && judged(r) {
				m := mc[r.Model]
				if m == nil {
					m = &counter{}
					mc[r.Model] = m
				}
				m.add(!r.Valid, r.Request)
			}
		}
		patterns[c.leader.text] = pc
		models[c.leader.text] = mc
	}
	return patterns, models
}

// judged reports whether r's model answered with a plan that validation judged: a first
// plan valid, or invalid (with issues, or an answer that did not parse). A refusal by the
// model (cannot_plan), a request its caller canceled and a provider that never answered
// say nothing of the model's plans, so a route suggestion does not count them.
func judged(r *Record) bool {
	return r.Valid || len(r.IssueCodes) > 0 || slices.Contains(r.Errors, "ValidationError") || slices.Contains(r.Errors, "ParseError")
}

// suggest turns the strongest failure signals into suggestions, most failures first
// within each kind.
func suggest(in *Insights, args, execs map[string]*counter, models map[string]map[string]*counter) []Suggestion {
	out := []Suggestion{}
	add := func(kind, subject, text string, failures, total int) {
		out = append(out, Suggestion{Kind: kind, Subject: subject, Text: text, Failures: failures, Total: total,
			Rate: float64(failures) / float64(total)})
	}
	for _, g := range groups(args, true) {
		if g.Total >= minEvidence && g.Rate >= argumentThreshold {
			t, a, _ := strings.Cut(g.Key, ".")
			add("argument", g.Key, fmt.Sprintf("tool %s's argument %s is invalid in %s of plans (%d/%d): clarify its description or add an example",
				t, a, pct(g.Rate), g.Failures, g.Total), g.Failures, g.Total)
		}
	}
	for _, g := range groups(execs, true) {
		if g.Total >= minEvidence && g.Rate >= executionThreshold {
			add("tool", g.Key, fmt.Sprintf("tool %s fails in %s of the runs that call it (%d/%d): check its endpoint, timeout and retries",
				g.Key, pct(g.Rate), g.Failures, g.Total), g.Failures, g.Total)
		}
	}
	for _, g := range in.ByPattern {
		if g.Total < minEvidence {
			continue
		}
		if g.Rate >= patternThreshold {
			add("example", g.Key, fmt.Sprintf("add a worked example for requests like '%s' (failure or fallback rate %s, %d/%d)",
				g.Key, pct(g.Rate), g.Failures, g.Total), g.Failures, g.Total)
		}
		for _, m := range sortedKeys(models[g.Key]) {
			c := models[g.Key][m]
			if c.total >= minEvidence && float64(c.failures)/float64(c.total) >= routeThreshold {
				rate := float64(c.failures) / float64(c.total)
				add("route", g.Key, fmt.Sprintf("route requests like '%s' to a stronger tier (invalid on %s %s, %d/%d)",
					g.Key, m, pct(rate), c.failures, c.total), c.failures, c.total)
			}
		}
	}
	if len(in.ByVariant) >= 2 {
		best := in.ByVariant[0]
		for _, g := range in.ByVariant {
			if g.Total >= minEvidence && (best.Total < minEvidence || g.Rate < best.Rate) {
				best = g
			}
		}
		for _, g := range in.ByVariant {
			if g.Key == best.Key || g.Total < minEvidence || best.Total < minEvidence || g.Rate < best.Rate+variantMargin {
				continue
			}
			_, p := twoProportionZ(g.Failures, g.Total, best.Failures, best.Total)
			add("variant", g.Key, fmt.Sprintf("prompt variant %s has a fallback rate of %s vs %s for %s (%d/%d vs %d/%d, p=%.3g)",
				g.Key, pct(g.Rate), pct(best.Rate), best.Key, g.Failures, g.Total, best.Failures, best.Total, p), g.Failures, g.Total)
		}
	}
	for _, g := range in.ByErrorType {
		if g.Failures >= minEvidence && g.Rate >= errorThreshold {
			add("error", g.Key, fmt.Sprintf("%s in %s of requests (%d/%d): %s", g.Key, pct(g.Rate), g.Failures, g.Total, errorAdvice(g.Key)),
				g.Failures, g.Total)
		}
	}
	return out
}

// errorAdvice is what to do about an outcome (Record.Outcome) that fails many requests.
func errorAdvice(outcome string) string {
	switch outcome {
	case "rate_limited":
		return "the daily LLM budget refused them: raise metrics.daily_budget_usd or per_key_daily_budget_usd, or route them to a cheaper model"
	case "deadline":
		return "raise the deadline or route these requests to a faster model"
	case "provider_timeout":
		return "the provider did not answer within llm.attempt_timeout (or said 408) although the deadline left time: check its latency, or raise llm.attempt_timeout"
	case "circuit_open":
		return "the provider keeps failing; check its health"
	case "invalid_plan":
		return "look at the argument and pattern suggestions; plans stay invalid after repair"
	case "cannot_plan":
		return "add tools or examples for what these requests ask"
	case "invalid_request", "model_not_allowed":
		return "the callers send requests planwise refuses; check what they send"
	}
	return "check the provider and the logs"
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
