package metrics

import (
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("parse exposition: %v\n%s", err, body)
	}
	return fams
}

func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// find returns the metric of fam whose labels include want.
func find(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	t.Helper()
	fam, ok := fams[name]
	if !ok {
		t.Fatalf("metric family %s missing", name)
	}
next:
	for _, m := range fam.GetMetric() {
		got := labelsOf(m)
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		return m
	}
	t.Fatalf("%s%v not found", name, want)
	return nil
}

func TestPrometheusExposition(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	r.RecordLLMCall("gpt-4o-mini", "openai", 300*time.Millisecond, Usage{InputTokens: 1000, OutputTokens: 200}, "")
	r.RecordLLMCall("gpt-4o-mini", "openai", 50*time.Millisecond, Usage{}, "RateLimitError")
	r.RecordLLMCall("gpt-4o-mini", "openai", 1500*time.Millisecond, Usage{InputTokens: 3, OutputTokens: 70000}, "")
	r.RecordEmbedding("text-embedding-3-small", 20*time.Millisecond, 12)
	r.Record(Event{Source: "llm", Tier: "simple", Model: "gpt-4o-mini", Latency: 400 * time.Millisecond, Success: true, Valid: true,
		CacheResult: "miss", PromptTokens: 1003, CompletionTokens: 70200, CostUSD: 0.05, Errors: []string{"RateLimitError"}})
	r.Record(Event{Source: "cache", Tier: "simple", Latency: 300 * time.Microsecond, Success: true, Valid: true, CacheResult: "hit"})
	r.Record(Event{Source: "pattern", Tier: "complex", Model: "gpt-4o", Latency: 2 * time.Second, Success: true, Fallback: true,
		FallbackReason: "circuit_open", CacheResult: "miss", ErrorType: "CircuitOpen"})
	r.RecordExecution("t", true)
	r.RecordExecution("t", false)
	r.RecordExecution("t", false)

	fams := scrape(t, r.Handler())

	// GenAI client duration: names, labels, bucket boundaries of the conventions.
	d := find(t, fams, "gen_ai_client_operation_duration_seconds", map[string]string{
		"gen_ai_operation_name": "chat", "gen_ai_request_model": "gpt-4o-mini", "gen_ai_provider_name": "openai", "error_type": ""})
	if h := d.GetHistogram(); h.GetSampleCount() != 2 || math.Abs(h.GetSampleSum()-1.8) > 1e-9 {
		t.Fatalf("chat duration count %d sum %v, want 2 and 1.8", h.GetSampleCount(), h.GetSampleSum())
	}
	var bounds []float64
	for _, b := range d.GetHistogram().GetBucket() {
		if math.IsInf(b.GetUpperBound(), 1) {
			continue
		}
		bounds = append(bounds, b.GetUpperBound())
		if b.GetUpperBound() == 0.32 && b.GetCumulativeCount() != 1 {
			t.Fatalf("le=0.32 holds %d, want 1 (the 300 ms call)", b.GetCumulativeCount())
		}
	}
	if len(bounds) != len(genAIDurationBuckets) || bounds[0] != 0.01 || bounds[len(bounds)-1] != 81.92 {
		t.Fatalf("duration buckets %v, want the GenAI conventions' %v", bounds, genAIDurationBuckets)
	}
	e := find(t, fams, "gen_ai_client_operation_duration_seconds", map[string]string{"gen_ai_operation_name": "chat", "error_type": "RateLimitError"})
	if e.GetHistogram().GetSampleCount() != 1 {
		t.Fatalf("rate-limited call not counted with its error_type")
	}
	emb := find(t, fams, "gen_ai_client_operation_duration_seconds", map[string]string{"gen_ai_operation_name": "embeddings", "gen_ai_request_model": "text-embedding-3-small"})
	if emb.GetHistogram().GetSampleCount() != 1 {
		t.Fatalf("embeddings call not counted")
	}

	// GenAI token usage: input and output histograms, no error_type label.
	in := find(t, fams, "gen_ai_client_token_usage", map[string]string{"gen_ai_operation_name": "chat", "gen_ai_token_type": "input"})
	if h := in.GetHistogram(); h.GetSampleCount() != 2 || h.GetSampleSum() != 1003 {
		t.Fatalf("input tokens count %d sum %v, want 2 and 1003", h.GetSampleCount(), h.GetSampleSum())
	}
	if _, ok := labelsOf(in)["error_type"]; ok {
		t.Fatalf("token usage must not carry error_type")
	}
	out := find(t, fams, "gen_ai_client_token_usage", map[string]string{"gen_ai_operation_name": "chat", "gen_ai_token_type": "output"})
	for _, b := range out.GetHistogram().GetBucket() {
		if b.GetUpperBound() == 256 && b.GetCumulativeCount() != 1 {
			t.Fatalf("output le=256 holds %d, want 1", b.GetCumulativeCount())
		}
		if b.GetUpperBound() == 65536 && b.GetCumulativeCount() != 1 {
			t.Fatalf("output le=65536 holds %d, want 1 (70000 is above)", b.GetCumulativeCount())
		}
	}
	if n := len(out.GetHistogram().GetBucket()); n != len(genAITokenBuckets)+1 { // +Inf
		t.Fatalf("token buckets %d, want %d", n, len(genAITokenBuckets))
	}
	ein := find(t, fams, "gen_ai_client_token_usage", map[string]string{"gen_ai_operation_name": "embeddings", "gen_ai_token_type": "input"})
	if ein.GetHistogram().GetSampleSum() != 12 {
		t.Fatalf("embedding tokens %v, want 12", ein.GetHistogram().GetSampleSum())
	}

	counter := func(name string, labels map[string]string) float64 {
		return find(t, fams, name, labels).GetCounter().GetValue()
	}
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"planwise_requests_total", map[string]string{"source": "llm", "tier": "simple", "model": "gpt-4o-mini"}, 1},
		{"planwise_requests_total", map[string]string{"source": "cache", "tier": "simple", "model": LabelNone}, 1},
		{"planwise_fallbacks_total", map[string]string{"reason": "circuit_open"}, 1},
		{"planwise_cache_lookups_total", map[string]string{"result": "hit"}, 1},
		{"planwise_cache_lookups_total", map[string]string{"result": "miss"}, 2},
		{"planwise_cost_usd_total", map[string]string{"model": "gpt-4o-mini"}, 0.05},
		{"planwise_tokens_total", map[string]string{"type": "input", "model": "gpt-4o-mini"}, 1003},
		{"planwise_tokens_total", map[string]string{"type": "output", "model": "gpt-4o-mini"}, 70200},
		{"planwise_errors_total", map[string]string{"error_type": "RateLimitError"}, 1},
		{"planwise_errors_total", map[string]string{"error_type": "CircuitOpen"}, 1},
		{"planwise_plan_validity_total", map[string]string{"valid": "true"}, 2},
		{"planwise_plan_validity_total", map[string]string{"valid": "false"}, 1},
		{"planwise_executions_total", map[string]string{"status": "success"}, 1},
		{"planwise_executions_total", map[string]string{"status": "failure"}, 2},
	}
	for _, c := range checks {
		if got := counter(c.name, c.labels); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	dur := find(t, fams, "planwise_request_duration_seconds", map[string]string{"source": "cache"}).GetHistogram()
	if dur.GetSampleCount() != 1 || dur.GetBucket()[0].GetUpperBound() != 0.0005 || dur.GetBucket()[0].GetCumulativeCount() != 1 {
		t.Fatalf("cache request duration histogram %v", dur)
	}
	if _, ok := fams["planwise_alerts_firing"]; ok {
		t.Fatalf("planwise_alerts_firing exposed with no alert rules")
	}
}

// /metrics has the Go runtime's and the process's own metrics beside planwise's: what an
// operator looks at first (memory, goroutines, GC, CPU, file descriptors). They were
// missing before issue 13.
func TestRuntimeAndProcessMetricsExposed(t *testing.T) {
	fams := scrape(t, NewRecorder(Options{}).Handler())
	names := []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "go_gc_duration_seconds"}
	if runtime.GOOS == "linux" { // the process collector reads /proc
		names = append(names, "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds")
	}
	for _, n := range names {
		if fams[n] == nil || len(fams[n].GetMetric()) == 0 {
			t.Errorf("/metrics lacks %s", n)
		}
	}
}
