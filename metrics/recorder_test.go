package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// fakeClock is a settable clock for the windows.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func approx(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestSummaryExactCounts(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	events := []Event{
		{Source: "llm", Model: "gpt-4o-mini", Tier: "simple", Variant: "a", APIKey: "k1", Tenant: "t1", Latency: 100 * time.Millisecond,
			Success: true, Valid: true, CacheResult: "miss", PromptTokens: 100, CompletionTokens: 50, CostUSD: 0.001, Errors: []string{"RateLimitError"}, Retries: 1},
		{Source: "cache", Tier: "simple", APIKey: "k1", Tenant: "t1", Latency: 2 * time.Millisecond, Success: true, Valid: true, CacheResult: "hit"},
		{Source: "cache", Tier: "simple", APIKey: "k2", Tenant: "t1", Latency: 1 * time.Millisecond, Success: true, Valid: true, CacheResult: "exact"},
		{Source: "history", Model: "gpt-4o", Tier: "complex", APIKey: "k2", Latency: 300 * time.Millisecond, Success: true, Fallback: true,
			FallbackReason: "timeout", CacheResult: "miss", ErrorType: "TimeoutError", Errors: []string{"TimeoutError", "TimeoutError"}, PromptTokens: 400, CostUSD: 0.002},
		{Source: "none", Model: "gpt-4o", Tier: "complex", APIKey: "k2", Latency: 500 * time.Millisecond, CacheResult: "skip",
			ErrorType: "ValidationError", PromptTokens: 200, CompletionTokens: 100, CostUSD: 0.003},
	}
	for _, e := range events {
		r.Record(e)
	}
	r.RecordExecution("t1", true)
	r.RecordExecution("t1", false)
	r.RecordExecution("t2", true)
	r.RecordFeedback("t1", "k1", true)
	r.RecordFeedback("t1", "k1", true)
	r.RecordFeedback("t1", "k2", false)
	r.RecordRetry("k2")

	for _, w := range []time.Duration{0, 5 * time.Minute} {
		s := r.Summary(w)
		check := []struct {
			name      string
			got, want float64
		}{
			{"requests", float64(s.Requests), 5},
			{"success_rate", s.SuccessRate, 4.0 / 5},
			{"fallback_rate", s.FallbackRate, 1.0 / 5},
			{"cache_hit_rate", s.CacheHitRate, 2.0 / 4}, // hit+exact over hit+exact+miss+miss
			{"validity_rate", s.ValidityRate, 3.0 / 5},
			{"llm_success_rate", s.LLMSuccessRate, 1.0 / 3}, // 1 llm success over 3 non-cache requests
			{"prompt_tokens", float64(s.PromptTokens), 700},
			{"completion_tokens", float64(s.CompletionTokens), 150},
			{"total_tokens", float64(s.Cost.TotalTokens), 850},
			{"avg_tokens", s.Cost.AvgTokensPerRequest, 170},
			{"cost", s.Cost.TotalCostUSD, 0.006},
			{"cost_per_success", s.CostPerSuccessfulPlanUSD, 0.006 / 4},
			{"errors_total", float64(s.Errors.Total), 4}, // 1 + 2 + 1 (ErrorType alone)
			{"rate_limit", float64(s.Errors.ByType["RateLimitError"]), 1},
			{"timeout", float64(s.Errors.ByType["TimeoutError"]), 2},
			{"validation", float64(s.Errors.ByType["ValidationError"]), 1},
			{"exec_rate", s.ExecutionSuccessRate, 2.0 / 3},
			{"feedback_ratio", s.Satisfaction.FeedbackPositiveRatio, 2.0 / 3},
			{"feedback_count", float64(s.Satisfaction.FeedbackCount), 3},
			{"retry_rate", s.Satisfaction.RetryRate, 1.0 / 5},
			{"fallback_timeout", float64(s.FallbacksByReason["timeout"]), 1},
			{"provider_retries", float64(s.ProviderRetries), 1},
			{"avg_ms", s.Latency.Avg, (100 + 2 + 1 + 300 + 500) / 5.0},
			{"src_cache_requests", float64(s.Breakdown.Source["cache"].Requests), 2},
			{"src_cache_hit_rate", s.Breakdown.Source["cache"].CacheHitRate, 1},
			{"model_4o_cost", s.Breakdown.Model["gpt-4o"].CostUSD, 0.005},
			{"model_none_requests", float64(s.Breakdown.Model[LabelNone].Requests), 2},
			{"tier_complex_success", s.Breakdown.Tier["complex"].SuccessRate, 0.5},
			{"key_k2_requests", float64(s.Breakdown.APIKey["k2"].Requests), 3},
			{"key_k2_retries", float64(s.Breakdown.APIKey["k2"].Retries), 1},
			{"key_k1_feedback", s.Breakdown.APIKey["k1"].FeedbackPositive, 1},
			{"tenant_t1_exec", s.Breakdown.Tenant["t1"].ExecutionSuccessRate, 0.5},
			{"variant_a_p50", s.Breakdown.Variant["a"].Latency.P50, 100},
		}
		for _, c := range check {
			if c.name == "variant_a_p50" {
				if math.Abs(c.got-c.want) > 0.01*c.want {
					t.Errorf("window %v: %s = %v, want %v within 1%%", w, c.name, c.got, c.want)
				}
				continue
			}
			if !approx(c.got, c.want) {
				t.Errorf("window %v: %s = %v, want %v", w, c.name, c.got, c.want)
			}
		}
	}
}

func TestEmptySummaryIsZero(t *testing.T) {
	r := NewRecorder(Options{})
	s := r.Summary(0)
	if s.Requests != 0 || s.SuccessRate != 0 || s.Latency.P99 != 0 || s.CostPerSuccessfulPlanUSD != 0 || len(s.Series) != 1 || s.Series[0].Requests != 0 {
		t.Fatalf("empty recorder summary not zero: %+v", s)
	}
	if s.Window != "lifetime" {
		t.Fatalf("window = %q, want lifetime", s.Window)
	}
}

func trueQuantile(sorted []float64, q float64) float64 {
	return sorted[int(q*float64(len(sorted)-1))]
}

func TestPercentilesWithinOnePercent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dists := map[string]func() float64{
		"uniform_1_1000ms":  func() float64 { return 1 + 999*rng.Float64() },
		"exponential_200ms": func() float64 { return rng.ExpFloat64() * 200 },
		"lognormal":         func() float64 { return math.Exp(5 + 1.2*rng.NormFloat64()) },
		"bimodal_cache_llm": func() float64 {
			if rng.IntN(10) < 4 {
				return 0.2 + 0.3*rng.Float64()
			}
			return 300 + 1500*rng.Float64()
		},
		"pareto_heavy_tail": func() float64 { return 50 / math.Pow(rng.Float64(), 1/1.5) },
	}
	for name, gen := range dists {
		t.Run(name, func(t *testing.T) {
			clk := newFakeClock()
			r := NewRecorder(Options{Now: clk.Now})
			const n = 20000
			vals := make([]float64, n)
			for i := range vals {
				// Spread over 4 slots so the answer comes from merged sketches.
				if i%5000 == 0 && i > 0 {
					clk.Advance(time.Minute)
				}
				d := time.Duration(gen() * 1e6)
				vals[i] = float64(d) / 1e6
				r.Record(Event{Source: "llm", Latency: d})
			}
			sort.Float64s(vals)
			for _, w := range []time.Duration{0, 5 * time.Minute} {
				s := r.Summary(w)
				if s.Requests != n {
					t.Fatalf("window %v: requests = %d, want %d", w, s.Requests, n)
				}
				for _, q := range []struct {
					q   float64
					got float64
				}{{0.5, s.Latency.P50}, {0.95, s.Latency.P95}, {0.99, s.Latency.P99}} {
					want := trueQuantile(vals, q.q)
					rel := math.Abs(q.got-want) / want
					t.Logf("window %v: p%v = %.4f ms, true %.4f ms, relative error %.5f", w, q.q*100, q.got, want, rel)
					if rel > 0.01 {
						t.Errorf("window %v: p%v = %v, true %v, relative error %.4f > 1%%", w, q.q*100, q.got, want, rel)
					}
				}
				var sum float64
				for _, v := range vals {
					sum += v
				}
				if math.Abs(s.Latency.Avg-sum/n) > 1e-6*sum/n {
					t.Errorf("avg = %v, want %v", s.Latency.Avg, sum/n)
				}
			}
		})
	}
}

func TestWindowForgetsOldEvents(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now, Window: 5 * time.Minute})
	r.Record(Event{Source: "llm", Latency: 800 * time.Millisecond, Fallback: true, Success: true})
	clk.Advance(2 * time.Minute)
	for range 9 {
		r.Record(Event{Source: "cache", Latency: time.Millisecond, Success: true})
	}
	if s := r.Summary(5 * time.Minute); s.Requests != 10 || !approx(s.FallbackRate, 0.1) {
		t.Fatalf("at +2m: requests %d fallback %v, want 10 and 0.1", s.Requests, s.FallbackRate)
	}
	clk.Advance(3 * time.Minute) // the first event's slot is now 5 slots back: out of a 5m window
	s := r.Summary(5 * time.Minute)
	if s.Requests != 9 || s.FallbackRate != 0 {
		t.Fatalf("at +5m: requests %d fallback %v, want 9 and 0", s.Requests, s.FallbackRate)
	}
	if s.Latency.P99 > 1.02 {
		t.Fatalf("at +5m: p99 %v ms still sees the forgotten 800 ms event", s.Latency.P99)
	}
	clk.Advance(3 * time.Minute)
	if s := r.Summary(5 * time.Minute); s.Requests != 0 {
		t.Fatalf("at +8m: requests %d, want 0", s.Requests)
	}
	if s := r.Summary(0); s.Requests != 10 || !approx(s.FallbackRate, 0.1) {
		t.Fatalf("lifetime: requests %d fallback %v, want 10 and 0.1", s.Requests, s.FallbackRate)
	}
	// Far beyond the retention, the ring slots are reused and the lifetime still holds.
	clk.Advance(3 * time.Hour)
	r.Record(Event{Source: "llm", Latency: time.Second})
	if s := r.Summary(time.Hour); s.Requests != 1 {
		t.Fatalf("after 3h: window requests %d, want 1", s.Requests)
	}
	if s := r.Summary(0); s.Requests != 11 {
		t.Fatalf("after 3h: lifetime requests %d, want 11", s.Requests)
	}
}

func TestSeriesOnePointPerSlot(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	for i := range 3 {
		for range i + 1 {
			r.Record(Event{Source: "llm", Latency: time.Duration(i+1) * 100 * time.Millisecond, PromptTokens: 10, CostUSD: 0.5, ErrorType: "APIError"})
		}
		clk.Advance(time.Minute)
	}
	s := r.Summary(5 * time.Minute)
	// Three busy slots and the current idle one; the window's first slot predates the
	// Recorder and is left out.
	if len(s.Series) != 4 || s.Series[3].Requests != 0 || s.Series[3].P99 != 0 {
		t.Fatalf("series has %d points, want 3 busy and 1 idle: %+v", len(s.Series), s.Series)
	}
	for i, p := range s.Series[:3] {
		if p.Requests != int64(i+1) || p.Tokens != int64(10*(i+1)) || p.Errors != int64(i+1) || !approx(p.CostUSD, 0.5*float64(i+1)) {
			t.Errorf("point %d = %+v", i, p)
		}
		if want := float64(i+1) * 100; math.Abs(p.P50-want) > 0.01*want {
			t.Errorf("point %d p50 = %v, want %v", i, p.P50, want)
		}
		if i > 0 && !p.Time.After(s.Series[i-1].Time) {
			t.Errorf("series not in time order")
		}
	}
	if l := r.Summary(0); len(l.Series) != 4 {
		t.Fatalf("lifetime series has %d points, want 4", len(l.Series))
	}
}

func TestLabelOverflowBounded(t *testing.T) {
	r := NewRecorder(Options{MaxLabelValues: 5})
	for i := range 50 {
		r.Record(Event{Source: "llm", Model: fmt.Sprintf("model-%d", i), APIKey: fmt.Sprintf("key-%d", i), ErrorType: fmt.Sprintf("E%d", i)})
	}
	s := r.Summary(0)
	if n := len(s.Breakdown.Model); n != 6 {
		t.Fatalf("model breakdown has %d values, want 5 + other", n)
	}
	if got := s.Breakdown.Model[LabelOther].Requests; got != 45 {
		t.Fatalf("other got %d requests, want 45", got)
	}
	if n := len(s.Breakdown.APIKey); n != 6 {
		t.Fatalf("api_key breakdown has %d values, want 6", n)
	}
	if n := len(s.Errors.ByType); n != 6 || s.Errors.ByType[LabelOther] != 45 {
		t.Fatalf("errors by type %v, want 5 values + other=45", s.Errors.ByType)
	}
}

func TestLateEventsCountedOnce(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	start := clk.Now()
	clk.Advance(3 * time.Minute)
	// Fill every shard's current slot so the late event takes the slow path.
	for range 4 * len(r.shards) {
		r.Record(Event{Source: "cache"})
	}
	r.Record(Event{Source: "llm", Time: start.Add(30 * time.Second)})
	s := r.Summary(5 * time.Minute)
	if s.Requests != int64(4*len(r.shards)+1) || s.Breakdown.Source["llm"].Requests != 1 {
		t.Fatalf("requests %d (llm %d), want %d (1)", s.Requests, s.Breakdown.Source["llm"].Requests, 4*len(r.shards)+1)
	}
	if got := r.Summary(2 * time.Minute).Breakdown.Source["llm"].Requests; got != 0 {
		t.Fatalf("late event from 3 minutes ago is inside a 2m window")
	}
	if got := r.Summary(0).Requests; got != int64(4*len(r.shards)+1) {
		t.Fatalf("lifetime requests %d", got)
	}
}

func TestConcurrentRecordAcrossSlotsIsExact(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now, Retention: 2 * time.Hour})
	const workers, per = 8, 2000
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Add(1)
	go func() { // readers and slot roll-overs race with the writers
		defer readers.Done()
		for {
			select {
			case <-stop:
				return
			default:
				_ = r.Summary(0)
				_ = r.Summary(time.Hour)
				_, _ = r.DayCost(clk.Now())
				reg := prometheus.NewPedanticRegistry()
				reg.MustRegister(r.Collector())
				if _, err := reg.Gather(); err != nil {
					t.Errorf("gather while recording: %v", err)
				}
				clk.Advance(10 * time.Second)
			}
		}
	}()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				r.Record(Event{Source: "llm", Model: fmt.Sprintf("m%d", w%3), Latency: time.Duration(i) * time.Microsecond, Success: i%2 == 0, CostUSD: 0.25})
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	s := r.Summary(0)
	if s.Requests != workers*per || s.Successes != workers*per/2 || !approx(s.Cost.TotalCostUSD, 0.25*workers*per) {
		t.Fatalf("lifetime requests %d successes %d cost %v", s.Requests, s.Successes, s.Cost.TotalCostUSD)
	}
	var seriesTotal int64
	for _, p := range s.Series {
		seriesTotal += p.Requests
	}
	if seriesTotal != workers*per {
		t.Fatalf("series sums to %d requests, want %d", seriesTotal, workers*per)
	}
	if w := r.Summary(2 * time.Hour); w.Requests != workers*per {
		t.Fatalf("2h window has %d requests, want %d", w.Requests, workers*per)
	}
}

func TestDayCost(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	r.Record(Event{APIKey: "a", CostUSD: 1})
	r.Record(Event{APIKey: "b", CostUSD: 2})
	r.Record(Event{APIKey: "a", CostUSD: 0.5})
	total, byKey := r.DayCost(clk.Now())
	if !approx(total, 3.5) || !approx(byKey["a"], 1.5) || !approx(byKey["b"], 2) {
		t.Fatalf("day cost %v %v", total, byKey)
	}
	clk.Advance(24 * time.Hour)
	if total, byKey := r.DayCost(clk.Now()); total != 0 || len(byKey) != 0 {
		t.Fatalf("next day cost %v %v, want 0", total, byKey)
	}
}

func TestSummaryJSONShape(t *testing.T) {
	r := NewRecorder(Options{})
	r.Record(Event{Source: "llm", Latency: time.Millisecond, Success: true})
	b, err := json.Marshal(r.Summary(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	paths := [][]string{
		{"latency", "p50_ms"}, {"latency", "p95_ms"}, {"latency", "p99_ms"}, {"latency", "avg_ms"},
		{"success_rate"}, {"fallback_rate"}, {"cache_hit_rate"},
		{"cost", "total_tokens"}, {"cost", "total_cost_usd"}, {"cost", "avg_tokens_per_request"},
		{"errors", "total"}, {"errors", "by_type"},
		{"window"}, {"requests"}, {"prompt_tokens"}, {"completion_tokens"}, {"validity_rate"},
		{"execution_success_rate"}, {"cost_per_successful_plan_usd"},
		{"satisfaction", "feedback_positive_ratio"}, {"satisfaction", "feedback_count"}, {"satisfaction", "retry_rate"},
		{"fallbacks_by_reason"}, {"breakdown", "source", "llm", "latency", "p95_ms"}, {"breakdown", "model"},
		{"breakdown", "tier"}, {"breakdown", "variant"}, {"breakdown", "api_key"}, {"series"},
	}
	for _, p := range paths {
		var cur any = m
		for _, k := range p {
			obj, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q in %s", p, k, b)
			}
			if cur, ok = obj[k]; !ok {
				t.Fatalf("missing %v in %s", p, b)
			}
		}
	}
}

func TestRecordDoesNotAllocate(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	evs := benchEvents()
	for i := range 100 * len(evs) { // a shard's first sight of a label value allocates its cell
		r.Record(evs[i%len(evs)])
	}
	i := 0
	if n := testing.AllocsPerRun(1000, func() { r.Record(evs[i&63]); i++ }); n != 0 {
		t.Fatalf("Record allocates %v times per call in the steady state", n)
	}
}

func TestIdleShardOlderThanRetentionGoesToLifetimeOnly(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now, Retention: 10 * time.Minute})
	// Put one event in every shard's current slot.
	for range 8 * len(r.shards) {
		r.Record(Event{Source: "llm"})
	}
	n := int64(8 * len(r.shards))
	// Two retentions later, every shard rolls over: the old slot's ring entry is long
	// recycled, so its events must reach the lifetime and no window.
	clk.Advance(20 * time.Minute)
	for range 8 * len(r.shards) {
		r.Record(Event{Source: "cache"})
	}
	if s := r.Summary(10 * time.Minute); s.Requests != n || s.Breakdown.Source["llm"].Requests != 0 {
		t.Fatalf("window requests %d (llm %d), want %d (0)", s.Requests, s.Breakdown.Source["llm"].Requests, n)
	}
	if s := r.Summary(0); s.Requests != 2*n {
		t.Fatalf("lifetime requests %d, want %d", s.Requests, 2*n)
	}
}

func TestFutureTimestampCountsAsNow(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	r.Record(Event{Source: "llm", Time: clk.Now().Add(time.Hour)})
	r.Record(Event{Source: "cache"})
	if s := r.Summary(time.Minute); s.Requests != 2 {
		t.Fatalf("window requests %d, want 2 (the future event taken as now)", s.Requests)
	}
}
