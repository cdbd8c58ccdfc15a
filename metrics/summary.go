package metrics

import (
	"math"
	"time"
)

// Summary is the JSON document of GET /api/v1/metrics/planner. Its first fields are the
// seed's shape; rates are defined in the package documentation.
type Summary struct {
	Latency      Latency `json:"latency"`
	SuccessRate  float64 `json:"success_rate"`
	FallbackRate float64 `json:"fallback_rate"`
	CacheHitRate float64 `json:"cache_hit_rate"`
	Cost         Cost    `json:"cost"`
	Errors       Errors  `json:"errors"`

	// Scope is "all", or "tenant:NAME" for a summary restricted to one tenant (ForTenant).
	Scope string `json:"scope"`
	// Window is "lifetime" or the window's length ("5m0s"); From and To bound the data.
	Window        string    `json:"window"`
	WindowSeconds float64   `json:"window_seconds"`
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`

	Requests         int64   `json:"requests"`
	Successes        int64   `json:"successes"`
	Fallbacks        int64   `json:"fallbacks"`
	LLMSuccesses     int64   `json:"llm_successes"`
	Refusals         int64   `json:"refusals"`
	LLMRefusals      int64   `json:"llm_refusals"`
	RefusalRate      float64 `json:"refusal_rate"`
	LLMSuccessRate   float64 `json:"llm_success_rate"`
	PromptTokens     int64   `json:"prompt_tokens"`
	CompletionTokens int64   `json:"completion_tokens"`
	ProviderRetries  int64   `json:"provider_retries"`
	// Plans counts the requests that produced a plan (valid or not): validity_rate's
	// denominator. A refusal produces none.
	Plans                    int64            `json:"plans"`
	ValidityRate             float64          `json:"validity_rate"`
	Executions               int64            `json:"executions"`
	ExecutionSuccessRate     float64          `json:"execution_success_rate"`
	CostPerSuccessfulPlanUSD float64          `json:"cost_per_successful_plan_usd"`
	Satisfaction             Satisfaction     `json:"satisfaction"`
	FallbacksByReason        map[string]int64 `json:"fallbacks_by_reason"`
	CacheResults             map[string]int64 `json:"cache_results"`
	Breakdown                Breakdown        `json:"breakdown"`
	Series                   []Point          `json:"series"`
	// HistoryRecordsDropped counts the history writes (records, run outcomes, feedback)
	// dropped because the history queue was full (Recorder.RecordHistoryDropped). It is
	// the service's, in the "all" scope only, and absent when none was dropped.
	HistoryRecordsDropped int64 `json:"history_records_dropped,omitempty"`
}

// Latency percentiles and mean in milliseconds. Percentiles are within 1% of the true
// order statistics (DDSketch); the mean is exact.
type Latency struct {
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
	Avg float64 `json:"avg_ms"`
}

// Cost sums tokens and provider cost.
type Cost struct {
	TotalTokens         int64   `json:"total_tokens"`
	TotalCostUSD        float64 `json:"total_cost_usd"`
	AvgTokensPerRequest float64 `json:"avg_tokens_per_request"`
}

// Errors counts error occurrences by type.
type Errors struct {
	Total  int64            `json:"total"`
	ByType map[string]int64 `json:"by_type"`
}

// Satisfaction is what users tell us, explicitly (feedback) or by asking again (retries).
type Satisfaction struct {
	FeedbackPositiveRatio float64 `json:"feedback_positive_ratio"`
	FeedbackCount         int64   `json:"feedback_count"`
	Retries               int64   `json:"retries"`
	RetryRate             float64 `json:"retry_rate"`
}

// Breakdown slices the requests by label value.
type Breakdown struct {
	Source  map[string]Slice `json:"source"`
	Model   map[string]Slice `json:"model"`
	Tier    map[string]Slice `json:"tier"`
	Variant map[string]Slice `json:"variant"`
	APIKey  map[string]Slice `json:"api_key"`
	Tenant  map[string]Slice `json:"tenant"`
}

// Slice is the summary of the requests with one label value.
type Slice struct {
	Requests             int64   `json:"requests"`
	SuccessRate          float64 `json:"success_rate"`
	FallbackRate         float64 `json:"fallback_rate"`
	CacheHitRate         float64 `json:"cache_hit_rate"`
	Plans                int64   `json:"plans"`
	ValidityRate         float64 `json:"validity_rate"`
	Refusals             int64   `json:"refusals"`
	RefusalRate          float64 `json:"refusal_rate"`
	Errors               int64   `json:"errors"`
	Latency              Latency `json:"latency"`
	PromptTokens         int64   `json:"prompt_tokens"`
	CompletionTokens     int64   `json:"completion_tokens"`
	CostUSD              float64 `json:"cost_usd"`
	Executions           int64   `json:"executions,omitempty"`
	ExecutionSuccessRate float64 `json:"execution_success_rate,omitempty"`
	FeedbackCount        int64   `json:"feedback_count,omitempty"`
	FeedbackPositive     float64 `json:"feedback_positive_ratio,omitempty"`
	Retries              int64   `json:"retries,omitempty"`
}

// Point is one time slot of the series, for charts.
type Point struct {
	Time         time.Time `json:"time"`
	Requests     int64     `json:"requests"`
	P50          float64   `json:"p50_ms"`
	P95          float64   `json:"p95_ms"`
	P99          float64   `json:"p99_ms"`
	FallbackRate float64   `json:"fallback_rate"`
	CacheHitRate float64   `json:"cache_hit_rate"`
	Tokens       int64     `json:"tokens"`
	CostUSD      float64   `json:"cost_usd"`
	Errors       int64     `json:"errors"`
}

func ratio(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func latencyOf(c *cell) Latency {
	l := Latency{P50: c.quantileMs(0.50), P95: c.quantileMs(0.95), P99: c.quantileMs(0.99)}
	if c.requests > 0 {
		l.Avg = c.latencySumMs / float64(c.requests)
	}
	return l
}

// Summary returns the numbers over the sliding window ending now (window > 0, clamped to
// the retention) or over the process lifetime (window == 0). The series covers the window,
// or the retention for the lifetime, one point per slot that saw events.
func (r *Recorder) Summary(window time.Duration) Summary {
	return r.SummaryAt(r.opts.Now(), window)
}

// SummaryAt is Summary with the window ending at now.
func (r *Recorder) SummaryAt(now time.Time, window time.Duration) Summary {
	var s Summary
	var a *agg
	var slots map[int64]*agg
	var lo, hi int64
	if window > 0 {
		lo, hi = r.windowSlots(now, window)
		slots = r.snapshot(lo, hi, false, false).slots
		a = newAgg()
		for _, sa := range slots {
			a.merge(sa)
		}
		s.Window = time.Duration((hi - lo + 1) * r.res).String()
		s.WindowSeconds = time.Duration((hi - lo + 1) * r.res).Seconds()
		s.From = time.Unix(0, lo*r.res).UTC()
	} else {
		lo, hi = r.windowSlots(now, r.opts.Retention)
		snap := r.snapshot(lo, hi, true, true)
		a, slots = snap.lifetime, snap.slots
		s.Window = "lifetime"
		s.From = r.started.UTC()
	}
	s.To = now.UTC()
	s.Scope = "all"

	t := &a.total
	s.Requests = t.requests
	s.Successes = t.successes
	s.Fallbacks = t.fallbacks
	s.LLMSuccesses = t.llmSuccesses
	s.Refusals, s.LLMRefusals = t.refusals, t.llmRefusals
	s.RefusalRate = ratio(t.refusals, t.requests)
	s.LLMSuccessRate = ratio(t.llmSuccesses, t.requests-a.cacheResults[cacheHit]-a.cacheResults[cacheExact])
	s.Latency = latencyOf(t)
	s.SuccessRate = ratio(t.successes, t.requests)
	s.FallbackRate = ratio(t.fallbacks, t.requests)
	s.CacheHitRate = ratio(t.cacheHits, t.cacheLookups)
	s.Plans = t.plans
	s.ValidityRate = ratio(t.valid, t.plans)
	s.PromptTokens = t.promptTokens
	s.CompletionTokens = t.completionTokens
	s.ProviderRetries = t.providerRetries
	s.HistoryRecordsDropped = t.historyDropped
	s.Cost = Cost{
		TotalTokens:         t.promptTokens + t.completionTokens,
		TotalCostUSD:        t.costUSD,
		AvgTokensPerRequest: ratio(t.promptTokens+t.completionTokens, t.requests),
	}
	if t.successes > 0 {
		s.CostPerSuccessfulPlanUSD = t.costUSD / float64(t.successes)
	}
	s.Executions = t.executions
	s.ExecutionSuccessRate = ratio(t.executionsOK, t.executions)
	s.Satisfaction = Satisfaction{
		FeedbackPositiveRatio: ratio(t.feedbackPositive, t.feedback),
		FeedbackCount:         t.feedback,
		Retries:               t.userRetries,
		RetryRate:             ratio(t.userRetries, t.requests),
	}
	s.Errors = Errors{Total: t.errors, ByType: byName(a.errorsByType, r.errs)}
	s.FallbacksByReason = byName(a.fallbackReasons, r.rsns)
	s.CacheResults = make(map[string]int64, numCacheResults)
	for i, n := range a.cacheResults {
		s.CacheResults[cacheResultNames[i]] = n
	}
	s.Breakdown = Breakdown{
		Source:  r.slices(a, dimSource),
		Model:   r.slices(a, dimModel),
		Tier:    r.slices(a, dimTier),
		Variant: r.slices(a, dimVariant),
		APIKey:  r.slices(a, dimAPIKey),
		Tenant:  r.slices(a, dimTenant),
	}
	s.Series = r.series(slots, lo, hi)
	return s
}

func byName(counts []int64, ls *labelSet) map[string]int64 {
	out := make(map[string]int64)
	for id, n := range counts {
		if n != 0 {
			out[ls.name(int32(id))] += n
		}
	}
	return out
}

func (r *Recorder) slices(a *agg, d int) map[string]Slice {
	out := make(map[string]Slice)
	for id, c := range a.dims[d] {
		if c == nil || (c.requests == 0 && c.executions == 0 && c.feedback == 0 && c.userRetries == 0) {
			continue // a label value seen in an earlier slot only
		}
		out[r.labels[d].name(int32(id))] = Slice{
			Requests:             c.requests,
			SuccessRate:          ratio(c.successes, c.requests),
			FallbackRate:         ratio(c.fallbacks, c.requests),
			CacheHitRate:         ratio(c.cacheHits, c.cacheLookups),
			Plans:                c.plans,
			ValidityRate:         ratio(c.valid, c.plans),
			Refusals:             c.refusals,
			RefusalRate:          ratio(c.refusals, c.requests),
			Errors:               c.errors,
			Latency:              latencyOf(c),
			PromptTokens:         c.promptTokens,
			CompletionTokens:     c.completionTokens,
			CostUSD:              c.costUSD,
			Executions:           c.executions,
			ExecutionSuccessRate: ratio(c.executionsOK, c.executions),
			FeedbackCount:        c.feedback,
			FeedbackPositive:     ratio(c.feedbackPositive, c.feedback),
			Retries:              c.userRetries,
		}
	}
	return out
}

// series returns one point per slot of [lo, hi], zero points included so that charts
// show idle time as zero traffic; slots before the Recorder started are left out.
func (r *Recorder) series(slots map[int64]*agg, lo, hi int64) []Point {
	if start := r.slotOf(r.started); lo < start {
		lo = start
	}
	pts := make([]Point, 0, max(hi-lo+1, 0))
	for k := lo; k <= hi; k++ {
		p := Point{Time: time.Unix(0, k*r.res).UTC()}
		if a := slots[k]; a != nil {
			t := &a.total
			p.Requests = t.requests
			p.P50, p.P95, p.P99 = t.quantileMs(0.50), t.quantileMs(0.95), t.quantileMs(0.99)
			p.FallbackRate = ratio(t.fallbacks, t.requests)
			p.CacheHitRate = ratio(t.cacheHits, t.cacheLookups)
			p.Tokens = t.promptTokens + t.completionTokens
			p.CostUSD = t.costUSD
			p.Errors = t.errors
		}
		pts = append(pts, p)
	}
	return pts
}

// ForTenant returns the part of s one tenant may see: the tenant's own figures at the top
// level (from its breakdown slice), its API keys' slices, and nothing that mixes tenants
// (the source, model, tier and variant breakdowns, the error types, the series and the
// other tenants and keys are left out). Scope says so.
func (s Summary) ForTenant(tenant string, keyIDs []string) Summary {
	c := s.Breakdown.Tenant[tenant]
	out := Summary{
		Scope:  "tenant:" + tenant,
		Window: s.Window, WindowSeconds: s.WindowSeconds, From: s.From, To: s.To,
		Latency:      c.Latency,
		SuccessRate:  c.SuccessRate,
		FallbackRate: c.FallbackRate,
		CacheHitRate: c.CacheHitRate,
		Plans:        c.Plans,
		ValidityRate: c.ValidityRate,
		Refusals:     c.Refusals,
		RefusalRate:  c.RefusalRate,
		Requests:     c.Requests,
		Successes:    int64(math.Round(c.SuccessRate * float64(c.Requests))),
		Fallbacks:    int64(math.Round(c.FallbackRate * float64(c.Requests))),
		Errors:       Errors{Total: c.Errors, ByType: map[string]int64{}},
		PromptTokens: c.PromptTokens, CompletionTokens: c.CompletionTokens,
		Cost: Cost{TotalTokens: c.PromptTokens + c.CompletionTokens, TotalCostUSD: c.CostUSD,
			AvgTokensPerRequest: ratio(c.PromptTokens+c.CompletionTokens, c.Requests)},
		Executions:           c.Executions,
		ExecutionSuccessRate: c.ExecutionSuccessRate,
		Satisfaction: Satisfaction{FeedbackPositiveRatio: c.FeedbackPositive, FeedbackCount: c.FeedbackCount,
			Retries: c.Retries, RetryRate: ratio(c.Retries, c.Requests)},
		FallbacksByReason: map[string]int64{},
		CacheResults:      map[string]int64{},
		Breakdown: Breakdown{Source: map[string]Slice{}, Model: map[string]Slice{}, Tier: map[string]Slice{},
			Variant: map[string]Slice{}, APIKey: map[string]Slice{}, Tenant: map[string]Slice{}},
		Series: []Point{},
	}
	if out.Successes > 0 {
		out.CostPerSuccessfulPlanUSD = c.CostUSD / float64(out.Successes)
	}
	if _, ok := s.Breakdown.Tenant[tenant]; ok {
		out.Breakdown.Tenant[tenant] = c
	}
	for _, k := range keyIDs {
		if v, ok := s.Breakdown.APIKey[k]; ok {
			out.Breakdown.APIKey[k] = v
		}
	}
	return out
}
