package metrics

import (
	"context"

	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/llm"
)

// NewLLMObserver observes an llm.Client (llm.ClientConfig.Observer): every call gets a
// GenAI client span ("chat gpt-4o-mini", "embeddings text-embedding-3-small") with the
// usage and response attributes when tp traces, and every attempt the GenAI metrics
// (operation duration, token usage, error type) when rec is set. Either may be nil.
func NewLLMObserver(rec *Recorder, tp trace.TracerProvider) llm.Observer {
	o := &llmObserver{rec: rec}
	if TracingOn(tp) {
		o.tracer = tp.Tracer(TracerName)
	}
	return o
}

type llmObserver struct {
	rec    *Recorder
	tracer trace.Tracer // nil when not tracing
}

func (o *llmObserver) Start(ctx context.Context, call *llm.Call) context.Context {
	if o.tracer == nil {
		return ctx
	}
	if call.Op == llm.OpEmbeddings {
		ctx, _ = o.tracer.Start(ctx, "embeddings "+call.Model, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(embeddingSpanAttributes(call.Model, call.Provider, 0)...))
		return ctx
	}
	ctx, _ = startLLMSpan(ctx, o.tracer, call.Model, call.Provider)
	return ctx
}

func (o *llmObserver) Attempt(_ context.Context, call *llm.Call, a llm.Attempt) {
	if o.rec == nil {
		return
	}
	if call.Op == llm.OpEmbeddings {
		o.rec.RecordEmbedding(a.Model, a.Duration, a.Usage.PromptTokens)
		return
	}
	o.rec.RecordLLMCall(a.Model, call.Provider, a.Duration,
		Usage{InputTokens: a.Usage.PromptTokens, OutputTokens: a.Usage.CompletionTokens}, string(a.ErrorType))
}

func (o *llmObserver) End(ctx context.Context, call *llm.Call) {
	if o.tracer == nil {
		return
	}
	res := llmResult{Usage: Usage{InputTokens: call.Usage.PromptTokens, OutputTokens: call.Usage.CompletionTokens}}
	if r := call.Response; r != nil {
		res.ResponseModel, res.ResponseID = r.Model, r.ID
		if r.FinishReason != "" {
			res.FinishReasons = []string{r.FinishReason}
		}
	}
	if call.Err != nil {
		res.ErrorType = string(llm.Classify(call.Err))
	}
	endLLMSpan(trace.SpanFromContext(ctx), res)
}
