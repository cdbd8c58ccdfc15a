package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
)

// Prices per 1M tokens (mission.md section 5), written out here so that the test checks
// the planner's price table rather than reusing it.
var pricePerM = map[string][2]float64{
	"gpt-4o-mini": {0.15, 0.60},
	"gpt-4o":      {2.50, 10},
}

// manualClock is the recorder's clock in these tests. It must stay behind the wall clock:
// the recorder takes an event's own timestamp (the wall clock) when it is earlier than
// its clock, and its clock otherwise, so a clock behind the wall places every event at
// the manual time.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// wireUsage sums the usage the simulator reported on the wire, per model: what the
// provider billed, measured independently of the planner's accounting.
type wireUsage struct {
	mu         sync.Mutex
	prompt     map[string]int
	completion map[string]int
	calls      map[string]int // chat completions answered 200 with a usage block
}

func (u *wireUsage) add(model string, prompt, completion int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.prompt[model] += prompt
	u.completion[model] += completion
	u.calls[model]++
}

// totals returns the prompt and completion tokens and their cost at pricePerM.
func (u *wireUsage) totals(t testing.TB) (prompt, completion int, cost float64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for m, p := range u.prompt {
		price, ok := pricePerM[m]
		if !ok {
			t.Fatalf("the simulator answered for model %q, which has no price here", m)
		}
		c := u.completion[m]
		prompt += p
		completion += c
		cost += float64(p)*price[0]/1e6 + float64(c)*price[1]/1e6
	}
	return prompt, completion, cost
}

// obsStack is the stack of stack_test.go with the observability surface mounted: the
// recorder on a manual clock, an alert rules engine, server.WithMetrics and
// server.WithDashboard. Its simulator handler also taps the usage on the wire and can
// inject a fault into exactly the next n calls.
type obsStack struct {
	*stack
	clock  *manualClock
	alerts *metrics.Alerts
	usage  *wireUsage
	hist   *history.History // set with obsConfig.learning

	onceM    sync.Mutex
	onceKind string
	onceLeft int
}

type obsConfig struct {
	sim     sim.Config
	rec     metrics.Options // Now is set to the manual clock
	rules   []metrics.Rule
	resil   llm.ResilienceConfig
	apiKeys []server.APIKey
	cache   bool // a semantic plan cache (local embedder, in memory) before the LLM
	// learning records every request in a history (in memory) and mounts its routes
	// (server.WithLearning): GET /api/v1/history and /api/v1/history/{id}.
	learning bool
}

func newObsStack(t testing.TB, cfg obsConfig) *obsStack {
	t.Helper()
	ob := &obsStack{
		stack: &stack{reg: catalog(t)},
		// An hour behind the wall clock: tests may advance it by up to that much.
		clock: &manualClock{t: time.Now().Add(-time.Hour).Truncate(time.Minute)},
		usage: &wireUsage{prompt: map[string]int{}, completion: map[string]int{}, calls: map[string]int{}},
	}
	if cfg.sim.Gold == nil {
		cfg.sim.Gold = gold()
	}
	s, err := sim.New(cfg.sim)
	if err != nil {
		t.Fatal(err)
	}
	ob.sim = s
	simSrv := httptest.NewServer(http.HandlerFunc(ob.serveSim))
	t.Cleanup(func() { s.Close(); simSrv.Close() })
	warm, err := http.Post(simSrv.URL+"/v1/chat/completions", "application/json",
		bytes.NewReader([]byte(`{"model":"warm-up","messages":[{"role":"user","content":"warm up"}]}`)))
	if err != nil {
		t.Fatal(err)
	}
	warm.Body.Close()
	ob.usage.prompt, ob.usage.completion, ob.usage.calls = map[string]int{}, map[string]int{}, map[string]int{}

	prov, err := openai.New(openai.Config{BaseURL: simSrv.URL + "/v1", APIKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.rec.Now = ob.clock.Now
	ob.rec = metrics.NewRecorder(cfg.rec)
	if cfg.rules != nil {
		ob.alerts, err = metrics.NewAlerts(ob.rec, cfg.rules, metrics.AlertOptions{
			Logger: slog.New(slog.NewTextHandler(testLog{t}, nil)), // transitions in -v output
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	ob.res = llm.NewClient(prov, llm.ClientConfig{Name: "openai", Resilience: cfg.resil, Observer: metrics.NewLLMObserver(ob.rec, nil)})
	opts := []planner.Option{
		planner.WithLLM(planner.LLMConfig{Provider: ob.res, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}),
		planner.WithRecorder(ob.rec),
	}
	if cfg.cache {
		emb, err := embed.NewLocal(embed.LocalConfig{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := cache.New(cache.Config{}, emb, nil)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, planner.WithCache(c))
	}
	var srvOpts []server.Option
	if cfg.learning {
		emb, err := embed.NewLocal(embed.LocalConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if ob.hist, err = history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{}); err != nil {
			t.Fatal(err)
		}
		opts = append(opts, planner.WithLearning(ob.hist, nil))
		srvOpts = append(srvOpts, server.WithLearning(ob.hist))
	}
	p, err := planner.New(ob.reg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ob.api = httptest.NewServer(server.New(server.Config{APIKeys: cfg.apiKeys}, p, append(srvOpts,
		server.WithMetrics(ob.rec, ob.alerts), server.WithDashboard())...).Handler())
	t.Cleanup(ob.api.Close)
	return ob
}

// testLog writes log lines to the test's log. Alerts log only from Evaluate, which the
// tests call themselves, so nothing logs after a test ends.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// serveSim forwards to the simulator, injecting the standing fault (setFault) or the
// next one-shot fault (faultNext), and records the usage of every 200 answer.
func (ob *obsStack) serveSim(w http.ResponseWriter, r *http.Request) {
	ob.faultM.Lock()
	fault, model := ob.fault, ob.model
	ob.faultM.Unlock()
	ob.onceM.Lock()
	if ob.onceLeft > 0 && r.URL.Path == "/v1/chat/completions" {
		fault, model = ob.onceKind, ""
		ob.onceLeft--
	}
	ob.onceM.Unlock()
	if fault != "" {
		r.Header.Set(sim.HeaderFault, fault)
		if model != "" {
			r.Header.Set(sim.HeaderFaultModel, model)
		}
	}
	tap := &tapWriter{ResponseWriter: w, status: http.StatusOK}
	ob.sim.ServeHTTP(tap, r)
	if r.URL.Path != "/v1/chat/completions" || tap.status != http.StatusOK {
		return
	}
	var body struct {
		Model string `json:"model"`
		Usage *struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	if json.Unmarshal(tap.buf.Bytes(), &body) == nil && body.Usage != nil {
		ob.usage.add(body.Model, body.Usage.PromptTokens, body.Usage.CompletionTokens)
	}
}

// faultNext injects kind into the next n chat completion calls, whatever their model.
func (ob *obsStack) faultNext(kind sim.FaultKind, n int) {
	ob.onceM.Lock()
	ob.onceKind, ob.onceLeft = string(kind), n
	ob.onceM.Unlock()
}

type tapWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *tapWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }
func (w *tapWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}
func (w *tapWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// answer is what a client saw of one POST /api/v1/plan: the result of stack_test.go plus
// the error body's accounting.
type obsAnswer struct {
	result
	errTypes []string // the error body's "errors"
	attempts int      // the error body's "attempts"
}

// checkObsAnswer is checkAnswer, which predates the cache, extended to cache hits: a
// valid plan, not a fallback, no provider spending.
func checkObsAnswer(t testing.TB, st *obsStack, r result, deadline time.Duration) {
	t.Helper()
	if r.status != http.StatusOK || r.resp.Source != planner.SourceCache {
		checkAnswer(t, st.reg, r, deadline)
		return
	}
	if err := plan.Validate(r.resp.Plan, st.reg); err != nil {
		t.Errorf("an invalid plan was served from the cache: %v", err)
	}
	if r.resp.Fallback || r.resp.Cache == nil || r.resp.Attempts != 0 || r.resp.Tokens != (planner.Tokens{}) || r.resp.CostUSD != 0 {
		t.Errorf("mislabelled cache answer: %+v", r.resp)
	}
}

// post sends one planning request with opts and measures it from the client's side.
func (ob *obsStack) post(t testing.TB, request string, opts planner.Options) obsAnswer {
	t.Helper()
	return ob.postKey(t, "", request, opts)
}

// postKey is post with an API key ("" sends none).
func (ob *obsStack) postKey(t testing.TB, key, request string, opts planner.Options) obsAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"request": request, "options": opts})
	start := time.Now()
	req, err := http.NewRequest(http.MethodPost, ob.api.URL+"/api/v1/plan", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /api/v1/plan: %v", err)
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	a := obsAnswer{result: result{status: res.StatusCode, elapsed: elapsed}}
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, &a.resp); err != nil {
			t.Fatalf("decode response: %v\n%s", err, raw)
		}
		return a
	}
	var e struct {
		Error struct {
			Code     string   `json:"code"`
			Message  string   `json:"message"`
			Errors   []string `json:"errors"`
			Attempts int      `json:"attempts"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("status %d without a typed error body: %s", res.StatusCode, raw)
	}
	a.errCode, a.errTypes, a.attempts = e.Error.Code, e.Error.Errors, e.Error.Attempts
	return a
}

func obsGetJSON(t testing.TB, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", url, err, raw)
	}
}

// scrape parses /metrics with the Prometheus text parser.
func scrapeMetrics(t testing.TB, url string) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d", res.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse as Prometheus text: %v", err)
	}
	return fams
}

func promLabels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// quantile is the order statistic DDSketch estimates: the value of rank q·(n-1), rounded
// down, of the sorted sample.
func orderStatistic(sorted []float64, q float64) float64 {
	return sorted[int(math.Floor(q*float64(len(sorted)-1)))]
}

// TestPlannerMetricsMatchTheMix drives a known mix of requests through the HTTP API and
// checks that /api/v1/metrics/planner reports exactly that mix, tokens and cost exactly
// what the simulator billed on the wire, latency percentiles within an honest tolerance
// of the latencies measured by the client, and that /metrics parses and agrees.
func TestPlannerMetricsMatchTheMix(t *testing.T) {
	const (
		nLLM       = 12 // plain LLM successes
		nInvalid   = 6  // invalid plans from both models: repair, cascade, then the pattern planner
		nOffline   = 5  // forced offline: the pattern planner
		nRetried5x = 3  // one 500, retried, then an LLM success
		nRetried4x = 2  // one 429 with Retry-After, retried, then an LLM success
		nNoTool    = 2  // forced offline and nothing fits: 422
		nCacheHits = 4  // a request planned by the LLM once, stored, then served from the cache
	)
	st := newObsStack(t, obsConfig{
		sim: sim.Config{LatencyScale: 0.04, Seed: 7, RetryAfter: "0.01"}, // gpt-4o-mini 8-20 ms, gpt-4o 16-36 ms
		rec: metrics.Options{Window: time.Minute, Resolution: 10 * time.Second, Retention: 10 * time.Minute},
		resil: llm.ResilienceConfig{BaseDelay: 2 * time.Millisecond, MaxDelay: 10 * time.Millisecond,
			MaxRetryAfter: 50 * time.Millisecond, AttemptTimeout: 2 * time.Second},
		cache: true,
	})
	var answers []obsAnswer
	send := func(req string, opts planner.Options) obsAnswer {
		opts.DeadlineMS = 5000
		a := st.post(t, req, opts)
		checkObsAnswer(t, st, a.result, 5*time.Second)
		answers = append(answers, a)
		return a
	}
	// Every request skips the cache except the cache group's, so that the other groups
	// reach the LLM as designed.
	do := func(req string, opts planner.Options) obsAnswer {
		opts.NoCache = true
		return send(req, opts)
	}
	for i := range nLLM {
		if a := do(requests[i%len(requests)], planner.Options{}); a.resp.Source != planner.SourceLLM || a.resp.Attempts != 1 {
			t.Fatalf("plain request %d: status %d source %q attempts %d", i, a.status, a.resp.Source, a.resp.Attempts)
		}
	}
	st.setFault(string(sim.FaultInvalidPlan), "")
	for i := range nInvalid {
		a := do(requests[i%len(requests)], planner.Options{})
		if a.status == http.StatusOK && (a.resp.Source == planner.SourceLLM || a.resp.FallbackReason != planner.ReasonInvalidPlan) {
			t.Fatalf("invalid-plan request %d: %+v", i, a.resp)
		}
	}
	st.setFault("", "")
	for i := range nOffline {
		if a := do(requests[i%len(requests)], planner.Options{Offline: true}); a.status != http.StatusOK || a.resp.FallbackReason != planner.ReasonOffline {
			t.Fatalf("offline request %d: status %d %+v", i, a.status, a.resp)
		}
	}
	for i := range nRetried5x + nRetried4x {
		kind := sim.Fault500
		if i >= nRetried5x {
			kind = sim.Fault429
		}
		st.faultNext(kind, 1)
		if a := do(requests[i%len(requests)], planner.Options{}); a.resp.Source != planner.SourceLLM || a.resp.Attempts != 2 {
			t.Fatalf("retried %s request %d: status %d source %q attempts %d errors %v", kind, i, a.status, a.resp.Source, a.resp.Attempts, a.resp.Errors)
		}
	}
	cached := requests[3]
	if a := send(cached, planner.Options{}); a.resp.Source != planner.SourceLLM {
		t.Fatalf("first cache-group request: status %d source %q", a.status, a.resp.Source)
	}
	for i := range nCacheHits {
		if a := send(cached, planner.Options{}); a.resp.Source != planner.SourceCache || a.resp.Cache == nil {
			t.Fatalf("cache-group repeat %d: status %d source %q", i, a.status, a.resp.Source)
		}
	}
	for i := range nNoTool {
		if a := do(fmt.Sprintf("Compose a symphony in D minor, movement %d", i+1), planner.Options{Offline: true}); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("no-tool request %d: status %d", i, a.status)
		}
	}

	// What the client saw, counted independently of the server's metrics.
	var (
		total                            = len(answers)
		successes, fallbacks, llmAnswers int64
		retries                          int64
		reasons                          = map[string]int64{}
		cacheResults                     = map[string]int64{"miss": 1} // the cache group's first request
		errTypes                         = map[string]int64{}
		sources                          = map[string]int64{}
		clientMs                         []float64
		gapMs                            float64 // largest client-minus-server latency among answers that report the server's
	)
	for _, a := range answers {
		clientMs = append(clientMs, float64(a.elapsed)/1e6)
		if a.status != http.StatusOK {
			sources["none"]++
			if len(a.errTypes) == 0 {
				errTypes[a.errCode]++ // a failure with no provider error is typed by its code
			}
			for _, e := range a.errTypes {
				errTypes[e]++
			}
			continue
		}
		successes++
		sources[a.resp.Source]++
		if a.resp.Fallback {
			fallbacks++
			reasons[a.resp.FallbackReason]++
		}
		if a.resp.Source == planner.SourceLLM {
			llmAnswers++
		}
		if c := a.resp.Cache; c != nil {
			if c.Exact {
				cacheResults["exact"]++
			} else {
				cacheResults["hit"]++
			}
		}
		for _, e := range a.resp.Errors {
			errTypes[e]++
		}
		gapMs = max(gapMs, float64(a.elapsed)/1e6-a.resp.LatencyMS)
	}
	// Provider retries are the resilient loop's own (not repair rounds or the cascade):
	// one per injected transport fault, each recovered by a retry, and each reported in
	// the answer's errors.
	retries = int64(nRetried5x + nRetried4x)
	if got := errTypes["ServerError"] + errTypes["RateLimitError"]; got != retries {
		t.Fatalf("answers report %d retried transport errors, designed %d", got, retries)
	}
	// The mix as designed: the client's view must match it before the server's is checked.
	if llmAnswers != nLLM+nRetried5x+nRetried4x+1 {
		t.Fatalf("LLM answers %d, designed %d", llmAnswers, nLLM+nRetried5x+nRetried4x+1)
	}
	cacheHits := cacheResults["exact"] + cacheResults["hit"]
	if cacheHits != nCacheHits {
		t.Fatalf("cache hits %d, designed %d", cacheHits, nCacheHits)
	}
	cacheResults["skip"] = int64(total) - cacheHits - cacheResults["miss"]
	if errTypes[string(llm.ValidationError)] != 4*nInvalid {
		t.Fatalf("ValidationError %d, designed %d (4 per invalid-plan request): %v", errTypes[string(llm.ValidationError)], 4*nInvalid, errTypes)
	}
	stats := st.sim.Stats()
	if stats.Faults[sim.Fault500] != nRetried5x || stats.Faults[sim.Fault429] != nRetried4x || stats.Faults[sim.FaultInvalidPlan] != 4*nInvalid {
		t.Fatalf("faults injected: %v", stats.Faults)
	}
	wirePrompt, wireCompletion, wireCost := st.usage.totals(t)

	var s metrics.Summary
	obsGetJSON(t, st.api.URL+"/api/v1/metrics/planner?window=lifetime", &s)
	var windowed metrics.Summary
	obsGetJSON(t, st.api.URL+"/api/v1/metrics/planner", &windowed)

	for _, sum := range []metrics.Summary{s, windowed} {
		eq := func(name string, got, want int64) {
			t.Helper()
			if got != want {
				t.Errorf("[%s] %s = %d, want %d", sum.Window, name, got, want)
			}
		}
		eqf := func(name string, got, want float64) {
			t.Helper()
			if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
				t.Errorf("[%s] %s = %.15g, want %.15g", sum.Window, name, got, want)
			}
		}
		eq("requests", sum.Requests, int64(total))
		eq("successes", sum.Successes, successes)
		eq("fallbacks", sum.Fallbacks, fallbacks)
		eq("llm_successes", sum.LLMSuccesses, llmAnswers)
		eqf("success_rate", sum.SuccessRate, float64(successes)/float64(total))
		eqf("fallback_rate", sum.FallbackRate, float64(fallbacks)/float64(total))
		eqf("llm_success_rate", sum.LLMSuccessRate, float64(llmAnswers)/float64(int64(total)-cacheHits))
		eqf("cache_hit_rate", sum.CacheHitRate, float64(cacheHits)/float64(cacheHits+cacheResults["miss"]))
		for k, n := range cacheResults {
			eq("cache_results."+k, sum.CacheResults[k], n)
		}
		eq("prompt_tokens", sum.PromptTokens, int64(wirePrompt))
		eq("completion_tokens", sum.CompletionTokens, int64(wireCompletion))
		eq("cost.total_tokens", sum.Cost.TotalTokens, int64(wirePrompt+wireCompletion))
		eqf("cost.total_cost_usd", sum.Cost.TotalCostUSD, wireCost)
		eqf("cost.avg_tokens_per_request", sum.Cost.AvgTokensPerRequest, float64(wirePrompt+wireCompletion)/float64(total))
		eqf("cost_per_successful_plan_usd", sum.CostPerSuccessfulPlanUSD, wireCost/float64(successes))
		eq("provider_retries", sum.ProviderRetries, retries)
		// The first plan was valid for the LLM successes and the offline answers; the
		// invalid-plan requests' first plan was not; the no-tool requests produced none,
		// so they are refusals, not invalid plans. The cache group's plans were valid too.
		eq("plans", sum.Plans, int64(total-nNoTool))
		eqf("validity_rate", sum.ValidityRate, float64(nLLM+nRetried5x+nRetried4x+nOffline+1+nCacheHits)/float64(total-nNoTool))
		eq("refusals", sum.Refusals, nNoTool)
		eqf("refusal_rate", sum.RefusalRate, float64(nNoTool)/float64(total))
		var errTotal int64
		for k, n := range errTypes {
			eq("errors.by_type."+k, sum.Errors.ByType[k], n)
			errTotal += n
		}
		if len(sum.Errors.ByType) != len(errTypes) {
			t.Errorf("[%s] errors.by_type %v, want %v", sum.Window, sum.Errors.ByType, errTypes)
		}
		eq("errors.total", sum.Errors.Total, errTotal)
		if len(sum.FallbacksByReason) != len(reasons) {
			t.Errorf("[%s] fallbacks_by_reason %v, want %v", sum.Window, sum.FallbacksByReason, reasons)
		}
		for k, n := range reasons {
			eq("fallbacks_by_reason."+k, sum.FallbacksByReason[k], n)
		}
		for k, n := range sources {
			eq("breakdown.source."+k+".requests", sum.Breakdown.Source[k].Requests, n)
		}
		eq("breakdown.model.gpt-4o-mini.requests", sum.Breakdown.Model["gpt-4o-mini"].Requests, nLLM+nRetried5x+nRetried4x+1)
	}

	// Latency: the server times a request from admission to response, inside the client's
	// measurement, so its order statistics can only be smaller; they are smaller by at
	// most the largest HTTP overhead, which the answers that report the server's own
	// latency measure (gapMs), plus 2 ms for the 422 answers, which do not report it.
	// DDSketch adds at most 1% relative error either way.
	sort.Float64s(clientMs)
	var clientSum float64
	for _, v := range clientMs {
		clientSum += v
	}
	slack := gapMs + 2
	for _, c := range []struct {
		name string
		q    float64
		got  float64
	}{{"p50", 0.50, s.Latency.P50}, {"p95", 0.95, s.Latency.P95}, {"p99", 0.99, s.Latency.P99}} {
		want := orderStatistic(clientMs, c.q)
		lo, hi := (want-slack)*0.99, want*1.01
		if c.got < lo || c.got > hi {
			t.Errorf("latency %s = %.3f ms, client-side %.3f ms: outside [%.3f, %.3f]", c.name, c.got, want, lo, hi)
		}
		t.Logf("latency %s: server %.3f ms, client %.3f ms (allowed [%.3f, %.3f])", c.name, c.got, want, lo, hi)
	}
	if avg := clientSum / float64(len(clientMs)); s.Latency.Avg > avg || s.Latency.Avg < avg-slack {
		t.Errorf("latency avg = %.3f ms, client-side %.3f ms, slack %.3f ms", s.Latency.Avg, avg, slack)
	}
	t.Logf("mix: %d requests, %d successes, %d fallbacks %v, cache %v, errors %v, retries %d, tokens %d+%d, cost $%.8f, largest HTTP overhead %.3f ms",
		total, successes, fallbacks, reasons, cacheResults, errTypes, retries, wirePrompt, wireCompletion, wireCost, gapMs)

	// /metrics: parses, carries the GenAI names with their labels, and agrees with the wire.
	fams := scrapeMetrics(t, st.api.URL)
	dur := fams["gen_ai_client_operation_duration_seconds"]
	if dur == nil || dur.GetType() != dto.MetricType_HISTOGRAM {
		t.Fatalf("gen_ai_client_operation_duration_seconds missing or not a histogram: %v", dur)
	}
	callsByErr := map[string]uint64{}
	var calls uint64
	for _, m := range dur.GetMetric() {
		l := promLabels(m)
		for _, k := range []string{"gen_ai_operation_name", "gen_ai_request_model", "gen_ai_provider_name", "error_type"} {
			if _, ok := l[k]; !ok && k != "error_type" {
				t.Errorf("gen_ai_client_operation_duration_seconds without label %s: %v", k, l)
			}
		}
		if l["gen_ai_operation_name"] != "chat" || l["gen_ai_provider_name"] != "openai" || pricePerM[l["gen_ai_request_model"]] == [2]float64{} {
			t.Errorf("unexpected GenAI labels %v", l)
		}
		calls += m.GetHistogram().GetSampleCount()
		callsByErr[l["error_type"]] += m.GetHistogram().GetSampleCount()
	}
	simCalls := 0
	for m, n := range stats.Requests {
		if m != "warm-up" { // newObsStack's first call, before the planner existed
			simCalls += n
		}
	}
	if calls != uint64(simCalls) {
		t.Errorf("gen_ai_client_operation_duration_seconds counts %d calls, the simulator served %d", calls, simCalls)
	}
	if callsByErr[string(llm.ServerError)] != nRetried5x || callsByErr[string(llm.RateLimitError)] != nRetried4x {
		t.Errorf("GenAI calls by error_type %v: want %d ServerError and %d RateLimitError", callsByErr, nRetried5x, nRetried4x)
	}
	tok := fams["gen_ai_client_token_usage"]
	if tok == nil || tok.GetType() != dto.MetricType_HISTOGRAM {
		t.Fatalf("gen_ai_client_token_usage missing or not a histogram")
	}
	tokens := map[string]float64{}
	for _, m := range tok.GetMetric() {
		l := promLabels(m)
		tokens[l["gen_ai_request_model"]+"/"+l["gen_ai_token_type"]] += m.GetHistogram().GetSampleSum()
	}
	st.usage.mu.Lock()
	for mdl, p := range st.usage.prompt {
		if tokens[mdl+"/input"] != float64(p) || tokens[mdl+"/output"] != float64(st.usage.completion[mdl]) {
			t.Errorf("gen_ai_client_token_usage %s: input %v output %v, wire %d and %d", mdl, tokens[mdl+"/input"], tokens[mdl+"/output"], p, st.usage.completion[mdl])
		}
	}
	st.usage.mu.Unlock()
	var promReqs float64
	for _, m := range fams["planwise_requests_total"].GetMetric() {
		promReqs += m.GetCounter().GetValue()
	}
	if promReqs != float64(total) {
		t.Errorf("planwise_requests_total sums to %v, want %d", promReqs, total)
	}
	var promDur uint64
	for _, m := range fams["planwise_request_duration_seconds"].GetMetric() {
		promDur += m.GetHistogram().GetSampleCount()
	}
	if promDur != uint64(total) {
		t.Errorf("planwise_request_duration_seconds counts %d, want %d", promDur, total)
	}
	var promCost float64
	for _, m := range fams["planwise_cost_usd_total"].GetMetric() {
		promCost += m.GetCounter().GetValue()
	}
	if math.Abs(promCost-wireCost) > 1e-12 {
		t.Errorf("planwise_cost_usd_total %v, wire cost %v", promCost, wireCost)
	}
	for _, m := range fams["planwise_fallbacks_total"].GetMetric() {
		if r := promLabels(m)["reason"]; m.GetCounter().GetValue() != float64(reasons[r]) {
			t.Errorf("planwise_fallbacks_total{reason=%q} = %v, want %d", r, m.GetCounter().GetValue(), reasons[r])
		}
	}
}

// alertStatus is the body of GET /api/v1/alerts as a client reads it (the rules'
// durations are strings there).
type alertStatus struct {
	Rules   []json.RawMessage `json:"rules"`
	Active  []metrics.Alert   `json:"active"`
	History []metrics.Alert   `json:"history"`
}

// TestFallbackAlertFiresAndResolves: the fallback-rate rule fires when injected faults
// push the fallback rate over 10% and resolves once the faults stop and the faulty
// minute has left the window. The rules are evaluated by calling Evaluate on the manual
// clock: no waiting.
func TestFallbackAlertFiresAndResolves(t *testing.T) {
	st := newObsStack(t, obsConfig{
		sim: sim.Config{Seed: 3},
		rec: metrics.Options{Window: time.Minute, Resolution: 10 * time.Second, Retention: 10 * time.Minute},
		rules: []metrics.Rule{{Name: "high_fallback_rate", Kind: metrics.KindFallbackRate, Threshold: 0.10,
			Window: time.Minute, MinRequests: 10, Severity: "warning"}},
		resil: llm.ResilienceConfig{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, AttemptTimeout: 2 * time.Second},
	})
	ctx := context.Background()
	plainRound := func(n int) {
		for i := range n {
			a := st.post(t, requests[i%len(requests)], planner.Options{DeadlineMS: 5000})
			checkAnswer(t, st.reg, a.result, 5*time.Second)
		}
	}
	alertsDoc := func() alertStatus {
		var s alertStatus
		obsGetJSON(t, st.api.URL+"/api/v1/alerts", &s)
		return s
	}
	firing := func() float64 {
		for _, m := range scrapeMetrics(t, st.api.URL)["planwise_alerts_firing"].GetMetric() {
			if promLabels(m)["rule"] == "high_fallback_rate" {
				return m.GetGauge().GetValue()
			}
		}
		t.Fatal("planwise_alerts_firing{rule=\"high_fallback_rate\"} missing")
		return 0
	}

	// Healthy traffic: no alert.
	plainRound(10)
	if tr := st.alerts.Evaluate(ctx, st.clock.Now()); len(tr) != 0 {
		t.Fatalf("transitions on healthy traffic: %+v", tr)
	}
	// Faults: both models answer invalid plans for 3 of the next 10 requests, which the
	// pattern planner answers instead (fallback rate over the window: 3/20 = 15%).
	st.clock.Advance(10 * time.Second)
	st.setFault(string(sim.FaultInvalidPlan), "")
	for i := range 3 {
		a := st.post(t, requests[i], planner.Options{DeadlineMS: 5000})
		if a.status != http.StatusOK || a.resp.FallbackReason != planner.ReasonInvalidPlan {
			t.Fatalf("faulted request %d: status %d %+v", i, a.status, a.resp)
		}
	}
	st.setFault("", "")
	plainRound(7)
	var sum metrics.Summary
	obsGetJSON(t, st.api.URL+"/api/v1/metrics/planner", &sum)
	if sum.Requests != 20 || sum.Fallbacks != 3 || sum.FallbackRate != 0.15 {
		t.Fatalf("window before evaluation: %d requests, %d fallbacks, rate %v", sum.Requests, sum.Fallbacks, sum.FallbackRate)
	}
	tr := st.alerts.Evaluate(ctx, st.clock.Now())
	if len(tr) != 1 || tr[0].State != metrics.StateFiring || tr[0].Rule != "high_fallback_rate" || tr[0].Value != 0.15 {
		t.Fatalf("transitions at 15%% fallback: %+v", tr)
	}
	if doc := alertsDoc(); len(doc.Active) != 1 || doc.Active[0].Rule != "high_fallback_rate" || doc.Active[0].State != metrics.StateFiring {
		t.Fatalf("/api/v1/alerts while firing: %+v", doc)
	}
	if v := firing(); v != 1 {
		t.Fatalf("planwise_alerts_firing = %v while firing", v)
	}
	// Still over the threshold: no new transition.
	if tr := st.alerts.Evaluate(ctx, st.clock.Now()); len(tr) != 0 {
		t.Fatalf("repeated transitions: %+v", tr)
	}

	// Faults stop. Once the faulty slots leave the 1-minute window the rate is 0.
	st.clock.Advance(70 * time.Second)
	plainRound(12)
	obsGetJSON(t, st.api.URL+"/api/v1/metrics/planner", &sum)
	if sum.Requests != 12 || sum.Fallbacks != 0 {
		t.Fatalf("window after the faults: %d requests, %d fallbacks", sum.Requests, sum.Fallbacks)
	}
	tr = st.alerts.Evaluate(ctx, st.clock.Now())
	if len(tr) != 1 || tr[0].State != metrics.StateResolved || tr[0].EndsAt.IsZero() {
		t.Fatalf("transitions after the faults stopped: %+v", tr)
	}
	doc := alertsDoc()
	if len(doc.Active) != 0 {
		t.Fatalf("still active after resolving: %+v", doc.Active)
	}
	states := make([]string, len(doc.History))
	for i, h := range doc.History {
		states[i] = h.State
	}
	if !slices.Equal(states, []string{metrics.StateFiring, metrics.StateResolved}) {
		t.Fatalf("alert history %v", states)
	}
	if v := firing(); v != 0 {
		t.Fatalf("planwise_alerts_firing = %v after resolving", v)
	}
	if !strings.HasPrefix(doc.History[1].Message, "resolved: ") {
		t.Errorf("resolved message %q", doc.History[1].Message)
	}
}

// promFamily is what a scrape says about one metric family.
type promFamily struct {
	typ    dto.MetricType
	labels map[string]bool
}

// exportedSeries scrapes a Recorder that has seen every kind of event and returns the
// series names it exports (histograms as their _bucket, _sum and _count series) with
// their label names.
func exportedSeries(t *testing.T) map[string]promFamily {
	t.Helper()
	rec := metrics.NewRecorder(metrics.Options{})
	rec.Record(metrics.Event{Source: "llm", Model: "gpt-4o-mini", Tier: "simple", Variant: "v1", APIKey: "k1", Tenant: "t1",
		Latency: 120 * time.Millisecond, Success: true, Valid: true, CacheResult: "miss", PromptTokens: 800, CompletionTokens: 90, CostUSD: 0.0002, Retries: 1,
		Errors: []string{"RateLimitError"}})
	rec.Record(metrics.Event{Source: "cache", Latency: time.Millisecond, Success: true, Valid: true, CacheResult: "hit"})
	rec.Record(metrics.Event{Source: "pattern", Latency: 3 * time.Millisecond, Success: true, Valid: true, Fallback: true,
		FallbackReason: "provider_error", CacheResult: "exact", Errors: []string{"TimeoutError"}})
	rec.Record(metrics.Event{Source: "none", Latency: 2 * time.Millisecond, CacheResult: "skip", ErrorType: "CannotPlan"})
	rec.RecordLLMCall("gpt-4o-mini", "openai", 80*time.Millisecond, metrics.Usage{InputTokens: 800, OutputTokens: 90}, "")
	rec.RecordLLMCall("gpt-4o-mini", "openai", 5*time.Millisecond, metrics.Usage{}, "RateLimitError")
	rec.RecordEmbedding("text-embedding-3-small", 10*time.Millisecond, 12)
	rec.RecordExecution("t1", true)
	rec.RecordExecution("t1", false)
	if _, err := metrics.NewAlerts(rec, metrics.DefaultRules(1, 1), metrics.AlertOptions{Logger: slog.New(slog.DiscardHandler)}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rec.Handler())
	defer srv.Close()
	out := map[string]promFamily{}
	for name, f := range scrapeMetrics(t, srv.URL) {
		labels := map[string]bool{"instance": true, "job": true} // added by Prometheus at scrape time
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = true
			}
		}
		if f.GetType() == dto.MetricType_HISTOGRAM {
			bucket := map[string]bool{"le": true}
			for k := range labels {
				bucket[k] = true
			}
			out[name+"_bucket"] = promFamily{f.GetType(), bucket}
			out[name+"_sum"] = promFamily{f.GetType(), labels}
			out[name+"_count"] = promFamily{f.GetType(), labels}
			continue
		}
		out[name] = promFamily{f.GetType(), labels}
	}
	return out
}

var (
	promSelectorStart = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{`)
	promMatcher       = regexp.MustCompile(`^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$`)
	promGrouping      = regexp.MustCompile(`\b(by|without|on|ignoring)\s*\(([^)]*)\)`)
	promIdent         = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	promKeywords      = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true,
		"group_left": true, "group_right": true, "inf": true, "nan": true}
)

// promQLRefs returns the series names and label names an expression refers to. It knows
// enough PromQL for dashboards: selectors with matchers, range vectors, function calls,
// aggregations with by/without, binary operators and numbers.
func promQLRefs(t *testing.T, expr string) (series []string, matcherLabels map[string][]string, grouping []string) {
	t.Helper()
	matcherLabels = map[string][]string{}
	var rest strings.Builder
	for i := 0; i < len(expr); {
		loc := promSelectorStart.FindStringSubmatchIndex(expr[i:])
		if loc == nil {
			rest.WriteString(expr[i:])
			break
		}
		name := expr[i+loc[2] : i+loc[3]]
		body, end, ok := braceBody(expr, i+loc[1])
		if !ok {
			t.Errorf("%q: unterminated selector of %s", expr, name)
			return nil, nil, nil
		}
		rest.WriteString(expr[i : i+loc[0]])
		rest.WriteString(" ")
		series = append(series, name)
		for _, part := range splitMatchers(body) {
			mm := promMatcher.FindStringSubmatch(part)
			if mm == nil {
				t.Errorf("%q: cannot read label matcher %q", expr, part)
				continue
			}
			matcherLabels[name] = append(matcherLabels[name], mm[1])
		}
		i = end
	}
	out := promGrouping.ReplaceAllStringFunc(rest.String(), func(g string) string {
		for _, l := range strings.Split(promGrouping.FindStringSubmatch(g)[2], ",") {
			if l = strings.TrimSpace(l); l != "" {
				grouping = append(grouping, l)
			}
		}
		return " "
	})
	out = regexp.MustCompile(`\[[^\]]*\]`).ReplaceAllString(out, " ")
	out = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`).ReplaceAllString(out, " ")
	out = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b`).ReplaceAllString(out, " ")
	for _, loc := range promIdent.FindAllStringIndex(out, -1) {
		id := out[loc[0]:loc[1]]
		after := strings.TrimLeft(out[loc[1]:], " \t\n")
		if strings.HasPrefix(after, "(") || promKeywords[strings.ToLower(id)] {
			continue // a function or an aggregation, or an operator keyword
		}
		series = append(series, id) // a bare selector
	}
	return series, matcherLabels, grouping
}

// braceBody returns the text from start up to the closing brace, quotes respected, and
// the index after that brace.
func braceBody(s string, start int) (body string, end int, ok bool) {
	inStr, esc := false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case esc:
			esc = false
		case c == '\\' && inStr:
			esc = true
		case c == '"':
			inStr = !inStr
		case c == '}' && !inStr:
			return s[start:i], i + 1, true
		}
	}
	return "", 0, false
}

func splitMatchers(s string) []string {
	var parts []string
	var b strings.Builder
	inStr, esc := false, false
	for _, r := range s {
		switch {
		case esc:
			esc = false
		case r == '\\' && inStr:
			esc = true
		case r == '"':
			inStr = !inStr
		case r == ',' && !inStr:
			parts = append(parts, b.String())
			b.Reset()
			continue
		}
		b.WriteRune(r)
	}
	if strings.TrimSpace(b.String()) != "" {
		parts = append(parts, b.String())
	}
	return parts
}

func TestPromQLRefs(t *testing.T) {
	series, matchers, grouping := promQLRefs(t, `histogram_quantile(0.95, sum by (le, source) (rate(a_bucket{instance=~"$x",b!="}{,"}[5m]))) / scalar(sum(c_total)) or vector(0)`)
	if !slices.Equal(series, []string{"a_bucket", "c_total"}) || !slices.Equal(matchers["a_bucket"], []string{"instance", "b"}) || !slices.Equal(grouping, []string{"le", "source"}) {
		t.Fatalf("series %v, matchers %v, grouping %v", series, matchers, grouping)
	}
}

// TestGrafanaDashboardUsesExportedMetrics reads deploy/grafana/planwise-dashboard.json and
// checks that every PromQL expression refers only to series and labels the Recorder
// really exports, that the data source is a variable, and that the panels cover what
// operators need.
func TestGrafanaDashboardUsesExportedMetrics(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(e2eModuleRoot(t), "deploy", "grafana", "planwise-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	type datasource struct {
		Type string `json:"type"`
		UID  string `json:"uid"`
	}
	var dash struct {
		Title      string `json:"title"`
		UID        string `json:"uid"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Type  string `json:"type"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
		Panels []struct {
			ID         int                       `json:"id"`
			Type       string                    `json:"type"`
			Title      string                    `json:"title"`
			Datasource *datasource               `json:"datasource"`
			GridPos    *struct{ X, Y, W, H int } `json:"gridPos"`
			Targets    []struct {
				Expr       string      `json:"expr"`
				Datasource *datasource `json:"datasource"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("planwise-dashboard.json: %v", err)
	}
	if dash.Title == "" || dash.UID == "" {
		t.Error("dashboard without a title or uid")
	}
	hasDS := false
	for _, v := range dash.Templating.List {
		if v.Name == "datasource" && v.Type == "datasource" && v.Query == "prometheus" {
			hasDS = true
		}
	}
	if !hasDS {
		t.Error("no datasource variable of type prometheus")
	}

	exported := exportedSeries(t)
	used := map[string]bool{}
	ids := map[int]bool{}
	exprs := 0
	for _, p := range dash.Panels {
		if ids[p.ID] || p.Title == "" || p.GridPos == nil || p.GridPos.W == 0 {
			t.Errorf("panel %d %q: duplicate id, no title or no position", p.ID, p.Title)
		}
		ids[p.ID] = true
		if p.Type == "row" {
			continue
		}
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" || len(p.Targets) == 0 {
			t.Errorf("panel %q: data source %+v, %d targets; want the ${datasource} variable and at least one query", p.Title, p.Datasource, len(p.Targets))
		}
		for _, tg := range p.Targets {
			if tg.Datasource != nil && tg.Datasource.UID != "${datasource}" {
				t.Errorf("panel %q: a query with data source %+v", p.Title, tg.Datasource)
			}
			exprs++
			series, matchers, grouping := promQLRefs(t, tg.Expr)
			if len(series) == 0 {
				t.Errorf("panel %q: %q refers to no series", p.Title, tg.Expr)
			}
			labels := map[string]bool{}
			for _, s := range series {
				f, ok := exported[s]
				if !ok {
					t.Errorf("panel %q: %s is not exported by the recorder (expression %q)", p.Title, s, tg.Expr)
					continue
				}
				used[s] = true
				for l := range f.labels {
					labels[l] = true
				}
				for _, l := range matchers[s] {
					if !f.labels[l] {
						t.Errorf("panel %q: %s has no label %q (expression %q)", p.Title, s, l, tg.Expr)
					}
				}
			}
			for _, l := range grouping {
				if !labels[l] {
					t.Errorf("panel %q: grouping by %q, which none of %v has", p.Title, l, series)
				}
			}
		}
	}
	for _, need := range []string{"planwise_requests_total", "planwise_fallbacks_total", "planwise_cache_lookups_total",
		"planwise_request_duration_seconds_bucket", "gen_ai_client_operation_duration_seconds_bucket",
		"gen_ai_client_token_usage_sum", "planwise_cost_usd_total", "planwise_errors_total", "planwise_alerts_firing"} {
		if !used[need] {
			t.Errorf("no panel uses %s", need)
		}
	}
	var unused []string
	for s := range exported {
		if !used[s] {
			unused = append(unused, s)
		}
	}
	sort.Strings(unused)
	t.Logf("%d panels, %d expressions; exported series no panel uses: %v", len(dash.Panels), exprs, unused)
}
