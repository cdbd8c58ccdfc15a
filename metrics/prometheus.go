package metrics

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
)

// GenAI operation names (gen_ai.operation.name).
const (
	opChat       = "chat"
	opEmbeddings = "embeddings"
)

// Bucket boundaries the OpenTelemetry GenAI semantic conventions specify
// (ExplicitBucketBoundaries of gen_ai.client.operation.duration and
// gen_ai.client.token.usage).
var (
	genAIDurationBuckets = []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}
	genAITokenBuckets    = []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}
)

// genAIMetrics are the client-side GenAI histograms, observed per provider call.
type genAIMetrics struct {
	duration *prometheus.HistogramVec
	tokens   *prometheus.HistogramVec
}

func newGenAIMetrics() genAIMetrics {
	return genAIMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gen_ai_client_operation_duration_seconds",
			Help:    "GenAI operation duration, one observation per provider call.",
			Buckets: genAIDurationBuckets,
		}, []string{"gen_ai_operation_name", "gen_ai_request_model", "gen_ai_provider_name", "error_type"}),
		tokens: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gen_ai_client_token_usage",
			Help:    "Number of input and output tokens used, one observation per provider call and token type.",
			Buckets: genAITokenBuckets,
		}, []string{"gen_ai_operation_name", "gen_ai_request_model", "gen_ai_provider_name", "gen_ai_token_type"}),
	}
}

func (g genAIMetrics) observe(op, model, provider string, d time.Duration, u Usage, errType string) {
	g.duration.WithLabelValues(op, model, provider, errType).Observe(d.Seconds())
	// The conventions record usage only when the provider reported it.
	if u.InputTokens > 0 {
		g.tokens.WithLabelValues(op, model, provider, "input").Observe(float64(u.InputTokens))
	}
	if u.OutputTokens > 0 {
		g.tokens.WithLabelValues(op, model, provider, "output").Observe(float64(u.OutputTokens))
	}
}

var (
	descRequests = prometheus.NewDesc("planwise_requests_total",
		"Planning requests by the planner that answered, tier and model.", []string{"source", "tier", "model"}, nil)
	descDuration = prometheus.NewDesc("planwise_request_duration_seconds",
		"Planning request duration, admission to response.", []string{"source"}, nil)
	descFallbacks = prometheus.NewDesc("planwise_fallbacks_total",
		"Requests answered by an offline planner, by reason.", []string{"reason"}, nil)
	descRefusals = prometheus.NewDesc("planwise_refusals_total",
		"Requests declined because no tool fits, by who declined (llm: the model's cannot_plan; offline: no offline planner could plan).", []string{"by"}, nil)
	descCache = prometheus.NewDesc("planwise_cache_lookups_total",
		"Plan cache results (skip: the cache was not consulted).", []string{"result"}, nil)
	descCost = prometheus.NewDesc("planwise_cost_usd_total",
		"Provider cost in US dollars.", []string{"model"}, nil)
	descTokens = prometheus.NewDesc("planwise_tokens_total",
		"Tokens used by planning requests.", []string{"type", "model"}, nil)
	descErrors = prometheus.NewDesc("planwise_errors_total",
		"Errors seen while planning, retried attempts included.", []string{"error_type"}, nil)
	descValidity = prometheus.NewDesc("planwise_plan_validity_total",
		"Requests by whether their first plan passed validation.", []string{"valid"}, nil)
	descExecutions = prometheus.NewDesc("planwise_executions_total",
		"Plan executions by outcome.", []string{"status"}, nil)
	descAlerts = prometheus.NewDesc("planwise_alerts_firing",
		"Alert instances firing, by rule.", []string{"rule"}, nil)
	descBreakerTransitions = prometheus.NewDesc("planwise_circuit_breaker_transitions_total",
		"Circuit breaker state changes, by breaker (provider/model) and new state.", []string{"breaker", "state"}, nil)
	descBreakerOpen = prometheus.NewDesc("planwise_circuit_breaker_open",
		"1 while a circuit breaker is open or half-open, by breaker (provider/model).", []string{"breaker"}, nil)
	descHistoryDropped = prometheus.NewDesc("planwise_history_records_dropped_total",
		"History writes (request records, run outcomes, feedback) dropped because the history queue was full (history.max_unflushed).", nil, nil)
)

// collector exposes a Recorder to Prometheus. The planwise_* series are computed from the
// lifetime aggregate at scrape time, so the hot path pays nothing for them.
type collector Recorder

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	c.genAI.duration.Describe(ch)
	c.genAI.tokens.Describe(ch)
	for _, d := range []*prometheus.Desc{descRequests, descDuration, descFallbacks, descRefusals, descCache,
		descCost, descTokens, descErrors, descValidity, descExecutions, descAlerts, descBreakerTransitions, descBreakerOpen, descHistoryDropped} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	r := (*Recorder)(c)
	r.genAI.duration.Collect(ch)
	r.genAI.tokens.Collect(ch)

	a := r.snapshot(1, 0, true, false).lifetime
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	for k, n := range a.combos {
		if *n != 0 {
			counter(descRequests, float64(*n), r.labels[dimSource].name(k[0]), r.labels[dimTier].name(k[1]), r.labels[dimModel].name(k[2]))
		}
	}
	for id, cl := range a.dims[dimSource] {
		if cl == nil || cl.requests == 0 {
			continue
		}
		buckets := make(map[float64]uint64, len(requestBuckets))
		var cum uint64
		for i, ub := range requestBuckets {
			cum += cl.durBuckets[i]
			buckets[ub] = cum
		}
		ch <- prometheus.MustNewConstHistogram(descDuration, uint64(cl.requests), cl.latencySumMs/1e3, buckets, r.labels[dimSource].name(int32(id)))
	}
	for id, n := range a.fallbackReasons {
		if n != 0 {
			counter(descFallbacks, float64(n), r.rsns.name(int32(id)))
		}
	}
	counter(descRefusals, float64(a.total.llmRefusals), "llm")
	counter(descRefusals, float64(a.total.refusals-a.total.llmRefusals), "offline")
	for i, n := range a.cacheResults {
		counter(descCache, float64(n), cacheResultNames[i])
	}
	for id, cl := range a.dims[dimModel] {
		if cl == nil || cl.requests == 0 {
			continue
		}
		model := r.labels[dimModel].name(int32(id))
		counter(descCost, cl.costUSD, model)
		counter(descTokens, float64(cl.promptTokens), "input", model)
		counter(descTokens, float64(cl.completionTokens), "output", model)
	}
	for id, n := range a.errorsByType {
		if n != 0 {
			counter(descErrors, float64(n), r.errs.name(int32(id)))
		}
	}
	counter(descValidity, float64(a.total.valid), "true")
	counter(descValidity, float64(a.total.plans-a.total.valid), "false")
	counter(descExecutions, float64(a.total.executionsOK), "success")
	counter(descExecutions, float64(a.total.executions-a.total.executionsOK), "failure")
	counter(descHistoryDropped, float64(a.total.historyDropped))
	if al := r.alerts.get(); al != nil {
		for rule, n := range al.firingByRule() {
			ch <- prometheus.MustNewConstMetric(descAlerts, prometheus.GaugeValue, float64(n), rule)
		}
	}
	r.breakers.mu.Lock()
	for k, n := range r.breakers.transitions {
		counter(descBreakerTransitions, float64(n), k[0], k[1])
	}
	for b, st := range r.breakers.state {
		v := 0.0
		if st != "closed" {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(descBreakerOpen, prometheus.GaugeValue, v, b)
	}
	r.breakers.mu.Unlock()
}

// Handler serves the Recorder's metrics, and those of the collectors registered with
// Register, in the Prometheus exposition formats (/metrics).
func (r *Recorder) Handler() http.Handler {
	reg := prometheus.NewRegistry()
	// The Go runtime and the process (memory, goroutines, GC, CPU, file descriptors) are
	// what an operator looks at first when the service misbehaves.
	reg.MustRegister(r.Collector(), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	extra := prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		r.extraMu.Lock()
		cs := slices.Clone(r.extra)
		r.extraMu.Unlock()
		er := prometheus.NewRegistry()
		for _, c := range cs {
			if err := er.Register(c); err != nil {
				return nil, err
			}
		}
		return er.Gather()
	})
	return promhttp.HandlerFor(prometheus.Gatherers{reg, extra}, promhttp.HandlerOpts{})
}

// Register exposes c with the Recorder's metrics: instrumentation declared next to the
// code it measures in another package (the MCP tool sources' state, for one).
func (r *Recorder) Register(c prometheus.Collector) {
	r.extraMu.Lock()
	defer r.extraMu.Unlock()
	r.extra = append(r.extra, c)
}

// breakerStats counts circuit breaker transitions; few and rare, so one lock.
type breakerStats struct {
	mu          sync.Mutex
	transitions map[[2]string]int64 // (breaker, new state)
	state       map[string]string
}

// RecordBreakerTransition records a circuit breaker's change of state (llm's
// BreakerConfig.OnStateChange): planwise_circuit_breaker_transitions_total and
// planwise_circuit_breaker_open.
func (r *Recorder) RecordBreakerTransition(breaker, from, to string) {
	b := &r.breakers
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.transitions == nil {
		b.transitions, b.state = map[[2]string]int64{}, map[string]string{}
	}
	b.transitions[[2]string{breaker, to}]++
	b.state[breaker] = to
}
