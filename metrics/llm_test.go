package metrics

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/llm"
)

// scriptedLLM answers chat calls from a script (the last reply repeats) and embeds.
type scriptedLLM struct {
	mu      sync.Mutex
	replies []func() (*llm.Response, error)
	n       int
}

func (s *scriptedLLM) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	s.mu.Lock()
	r := s.replies[min(s.n, len(s.replies)-1)]
	s.n++
	s.mu.Unlock()
	return r()
}

func (s *scriptedLLM) Embed(ctx context.Context, model string, inputs []string) ([][]float32, llm.Usage, error) {
	return [][]float32{{1, 0}}, llm.Usage{PromptTokens: 12}, nil
}

// The observer of an llm.Client: one GenAI span per call with the whole call's usage
// and the answer's attributes, and the GenAI metrics of every attempt, the retried ones
// included.
func TestLLMObserver(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp, shutdown, err := SetupTracing(context.Background(), TracingConfig{Exporter: exp})
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown(context.Background())
	rec := NewRecorder(Options{Now: newFakeClock().Now})
	prov := &scriptedLLM{replies: []func() (*llm.Response, error){
		func() (*llm.Response, error) {
			return nil, &llm.Error{Type: llm.RateLimitError, Status: 429, RetryAfter: time.Millisecond}
		},
		func() (*llm.Response, error) {
			return &llm.Response{Content: "{}", Model: "gpt-4o-mini-2024-07-18", ID: "chatcmpl-1", FinishReason: "stop",
				Usage: llm.Usage{PromptTokens: 800, CompletionTokens: 90}}, nil
		},
	}}
	c := llm.NewClient(prov, llm.ClientConfig{Name: "openai", Observer: NewLLMObserver(rec, tp)})
	ctx, root := tp.Tracer(TracerName).Start(context.Background(), "plan")
	if _, err := c.Complete(ctx, llm.Request{Model: "gpt-4o-mini"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Embed(ctx, "text-embedding-3-small", []string{"x"}); err != nil {
		t.Fatal(err)
	}
	prov.replies = prov.replies[:1] // rate limited from now on
	if _, err := llm.NewClient(prov, llm.ClientConfig{Name: "openai", Observer: NewLLMObserver(rec, tp),
		Resilience: llm.ResilienceConfig{MaxAttempts: 1}}).Complete(ctx, llm.Request{Model: "gpt-4o"}); err == nil {
		t.Fatal("want the 429")
	}
	root.End()
	if err := tp.(interface{ ForceFlush(context.Context) error }).ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	byName := map[string]tracetest.SpanStub{}
	for _, s := range exp.GetSpans() {
		byName[s.Name] = s
	}
	chat, ok := byName["chat gpt-4o-mini"]
	if !ok || chat.SpanKind != trace.SpanKindClient || chat.Parent.SpanID() != byName["plan"].SpanContext.SpanID() {
		t.Fatalf("chat span %+v; spans %v", chat, byName)
	}
	attrs := attribute.NewSet(chat.Attributes...)
	for k, v := range map[attribute.Key]attribute.Value{
		"gen_ai.operation.name":          attribute.StringValue("chat"),
		"gen_ai.provider.name":           attribute.StringValue("openai"),
		"gen_ai.usage.input_tokens":      attribute.IntValue(800),
		"gen_ai.usage.output_tokens":     attribute.IntValue(90),
		"gen_ai.response.model":          attribute.StringValue("gpt-4o-mini-2024-07-18"),
		"gen_ai.response.id":             attribute.StringValue("chatcmpl-1"),
		"gen_ai.response.finish_reasons": attribute.StringSliceValue([]string{"stop"}),
	} {
		if got, found := attrs.Value(k); !found || got != v {
			t.Errorf("chat %s = %v, want %v", k, got.Emit(), v.Emit())
		}
	}
	emb, ok := byName["embeddings text-embedding-3-small"]
	embAttrs := attribute.NewSet(emb.Attributes...)
	if op, _ := embAttrs.Value("gen_ai.operation.name"); !ok || op.AsString() != "embeddings" || embAttrs.HasValue("error.type") {
		t.Errorf("embeddings span %+v", emb)
	}
	failed := byName["chat gpt-4o"]
	failedAttrs := attribute.NewSet(failed.Attributes...)
	if v, _ := failedAttrs.Value("error.type"); v.AsString() != "RateLimitError" || failed.Status.Code != codes.Error {
		t.Errorf("failed span error.type %q status %v", v.AsString(), failed.Status)
	}

	fams := scrape(t, rec.Handler())
	ok429 := find(t, fams, "gen_ai_client_operation_duration_seconds", map[string]string{
		"gen_ai_operation_name": "chat", "gen_ai_request_model": "gpt-4o-mini", "gen_ai_provider_name": "openai", "error_type": "RateLimitError"})
	okCall := find(t, fams, "gen_ai_client_operation_duration_seconds", map[string]string{
		"gen_ai_operation_name": "chat", "gen_ai_request_model": "gpt-4o-mini", "error_type": ""})
	if ok429.GetHistogram().GetSampleCount() != 1 || okCall.GetHistogram().GetSampleCount() != 1 {
		t.Errorf("attempts of the retried call: %d rate limited, %d answered; want 1 and 1",
			ok429.GetHistogram().GetSampleCount(), okCall.GetHistogram().GetSampleCount())
	}
	if in := find(t, fams, "gen_ai_client_token_usage", map[string]string{"gen_ai_operation_name": "chat", "gen_ai_token_type": "input"}); in.GetHistogram().GetSampleSum() != 800 {
		t.Errorf("input tokens %v", in.GetHistogram().GetSampleSum())
	}
	if ein := find(t, fams, "gen_ai_client_token_usage", map[string]string{"gen_ai_operation_name": "embeddings", "gen_ai_token_type": "input"}); ein.GetHistogram().GetSampleSum() != 12 {
		t.Errorf("embedding tokens %v", ein.GetHistogram().GetSampleSum())
	}
}

// Without a tracer the observer leaves the caller's span alone.
func TestLLMObserverWithoutTracing(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp, shutdown, err := SetupTracing(context.Background(), TracingConfig{Exporter: exp})
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown(context.Background())
	ctx, root := tp.Tracer(TracerName).Start(context.Background(), "plan")
	c := llm.NewClient(&scriptedLLM{replies: []func() (*llm.Response, error){func() (*llm.Response, error) {
		return &llm.Response{Content: "{}"}, nil
	}}}, llm.ClientConfig{Observer: NewLLMObserver(nil, nil)})
	if _, err := c.Complete(ctx, llm.Request{Model: "m"}); err != nil {
		t.Fatal(err)
	}
	if !root.IsRecording() {
		t.Fatal("the observer ended the caller's span")
	}
	root.End()
}
