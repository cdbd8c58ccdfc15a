package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func unsetOTelEnv(t *testing.T) {
	for _, k := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED"} {
		t.Setenv(k, "")
	}
}

func TestTracingOffByDefault(t *testing.T) {
	unsetOTelEnv(t)
	tp, shutdown, err := SetupTracing(context.Background(), TracingConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown(context.Background())
	_, span := tp.Tracer(TracerName).Start(context.Background(), "x")
	if span.IsRecording() || span.SpanContext().IsValid() {
		t.Fatalf("tracing is on with no endpoint configured")
	}
	span.End()
}

func TestTracingDisabledByEnv(t *testing.T) {
	unsetOTelEnv(t)
	t.Setenv("OTEL_SDK_DISABLED", "true")
	tp, _, err := SetupTracing(context.Background(), TracingConfig{Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, span := tp.Tracer(TracerName).Start(context.Background(), "x"); span.IsRecording() {
		t.Fatalf("OTEL_SDK_DISABLED=true did not turn tracing off")
	}
}

func TestTracingBadEndpoint(t *testing.T) {
	unsetOTelEnv(t)
	if _, _, err := SetupTracing(context.Background(), TracingConfig{Endpoint: "collector:4318"}); err == nil {
		t.Fatalf("an endpoint without a scheme was accepted")
	}
}

func TestLLMSpanGenAIAttributes(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp, shutdown, err := SetupTracing(context.Background(), TracingConfig{Exporter: exp})
	if err != nil {
		t.Fatal(err)
	}
	tr := tp.Tracer(TracerName)
	ctx, root := tr.Start(context.Background(), "plan")
	_, span := startLLMSpan(ctx, tr, "gpt-4o-mini", "openai")
	endLLMSpan(span, llmResult{Usage: Usage{InputTokens: 812, OutputTokens: 95},
		ResponseModel: "gpt-4o-mini-2024-07-18", ResponseID: "chatcmpl-42", FinishReasons: []string{"stop"}})
	_, failed := startLLMSpan(ctx, tr, "gpt-4o", "openai")
	endLLMSpan(failed, llmResult{ErrorType: "RateLimitError"})
	root.End()
	// The in-memory exporter forgets its spans on shutdown: flush and read them first.
	if err := tp.(interface{ ForceFlush(context.Context) error }).ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans := exp.GetSpans()
	defer shutdown(context.Background())
	if len(spans) != 3 {
		t.Fatalf("exported %d spans, want 3", len(spans))
	}
	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		byName[s.Name] = s
	}
	ok := byName["chat gpt-4o-mini"]
	if ok.SpanKind != trace.SpanKindClient || ok.Parent.SpanID() != byName["plan"].SpanContext.SpanID() {
		t.Fatalf("chat span kind %v parent %v", ok.SpanKind, ok.Parent.SpanID())
	}
	attrs := attribute.NewSet(ok.Attributes...)
	want := map[attribute.Key]attribute.Value{
		"gen_ai.operation.name":          attribute.StringValue("chat"),
		"gen_ai.request.model":           attribute.StringValue("gpt-4o-mini"),
		"gen_ai.provider.name":           attribute.StringValue("openai"),
		"gen_ai.usage.input_tokens":      attribute.IntValue(812),
		"gen_ai.usage.output_tokens":     attribute.IntValue(95),
		"gen_ai.response.model":          attribute.StringValue("gpt-4o-mini-2024-07-18"),
		"gen_ai.response.id":             attribute.StringValue("chatcmpl-42"),
		"gen_ai.response.finish_reasons": attribute.StringSliceValue([]string{"stop"}),
	}
	for k, v := range want {
		if got, found := attrs.Value(k); !found || got != v {
			t.Errorf("%s = %v (found %v), want %v", k, got.Emit(), found, v.Emit())
		}
	}
	if _, found := attrs.Value("error.type"); found {
		t.Errorf("successful call carries error.type")
	}
	bad := byName["chat gpt-4o"]
	badAttrs := attribute.NewSet(bad.Attributes...)
	if v, found := badAttrs.Value("error.type"); !found || v.AsString() != "RateLimitError" {
		t.Errorf("failed call error.type = %v", v.Emit())
	}
	if bad.Status.Code != codes.Error {
		t.Errorf("failed call status %v, want Error", bad.Status.Code)
	}
	if res := attribute.NewSet(ok.Resource.Attributes()...); res.HasValue("service.name") {
		if v, _ := res.Value("service.name"); v.AsString() != "planwise" {
			t.Errorf("service.name = %q", v.AsString())
		}
	} else {
		t.Errorf("resource has no service.name")
	}
}

func TestEmbeddingSpanAttributes(t *testing.T) {
	set := attribute.NewSet(embeddingSpanAttributes("text-embedding-3-small", "openai", 9)...)
	if v, _ := set.Value("gen_ai.operation.name"); v.AsString() != "embeddings" {
		t.Fatalf("operation %q", v.AsString())
	}
	if v, _ := set.Value("gen_ai.usage.input_tokens"); v.AsInt64() != 9 {
		t.Fatalf("input tokens %d", v.AsInt64())
	}
	if set.HasValue("gen_ai.usage.output_tokens") {
		t.Fatalf("embeddings carry output tokens")
	}
}

// TestOTLPHTTPExport sends spans over real OTLP/HTTP to a loopback collector.
func TestOTLPHTTPExport(t *testing.T) {
	unsetOTelEnv(t)
	var mu sync.Mutex
	var paths []string
	var bytes int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+r.Header.Get("X-Token"))
		bytes += len(b)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	tp, shutdown, err := SetupTracing(context.Background(), TracingConfig{Endpoint: srv.URL, Headers: map[string]string{"X-Token": "t1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, span := startLLMSpan(context.Background(), tp.Tracer(TracerName), "gpt-4o-mini", "openai")
	endLLMSpan(span, llmResult{Usage: Usage{InputTokens: 1, OutputTokens: 2}})
	if err := shutdown(context.Background()); err != nil { // flushes the batch
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(paths) == 0 || bytes == 0 {
		t.Fatalf("collector received nothing")
	}
	if paths[0] != "POST /v1/traces application/x-protobuf t1" {
		t.Fatalf("collector got %q", paths[0])
	}
}
