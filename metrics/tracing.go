package metrics

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// TracerName is the instrumentation scope of planwise's spans.
const TracerName = "github.com/planwise/planwise"

// TracingConfig configures SetupTracing. The zero value, with no OTEL_EXPORTER_OTLP_*
// endpoint in the environment, turns tracing off.
type TracingConfig struct {
	// Endpoint is the OTLP/HTTP collector's base URL ("http://collector:4318"); a URL with
	// no path gets the standard "/v1/traces". Empty: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
	// OTEL_EXPORTER_OTLP_ENDPOINT, read by the exporter; neither set: tracing is off.
	Endpoint string
	// Headers are sent with every export (e.g. an authorization header).
	Headers map[string]string
	// ServiceName (default "planwise") and ServiceVersion describe the resource.
	ServiceName, ServiceVersion string
	// SampleRatio is the fraction of new traces sampled (default 1); a sampled parent is
	// always followed.
	SampleRatio float64
	// Timeout bounds one export (default 10s).
	Timeout time.Duration
	// Exporter, when set, replaces the OTLP exporter (tests, other back ends); tracing is
	// then on whatever the endpoint.
	Exporter sdktrace.SpanExporter
}

// SetupTracing returns the tracer provider the rest of planwise takes its tracer from,
// and the shutdown that flushes pending spans (call it before exit). It installs nothing
// globally: the caller passes the provider on, or calls otel.SetTracerProvider itself.
// Tracing is off (a no-op provider) unless an endpoint or exporter is configured, or
// when OTEL_SDK_DISABLED=true.
func SetupTracing(ctx context.Context, cfg TracingConfig) (trace.TracerProvider, func(context.Context) error, error) {
	noopShutdown := func(context.Context) error { return nil }
	exp := cfg.Exporter
	if exp == nil {
		envEndpoint := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != ""
		if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") || (cfg.Endpoint == "" && !envEndpoint) {
			return noop.NewTracerProvider(), noopShutdown, nil
		}
		timeout := cfg.Timeout
		if timeout <= 0 {
			timeout = 10 * time.Second
		}
		opts := []otlptracehttp.Option{otlptracehttp.WithTimeout(timeout)}
		if cfg.Endpoint != "" {
			u, err := url.Parse(cfg.Endpoint)
			if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				return nil, nil, fmt.Errorf("tracing: endpoint %q: want a URL such as http://collector:4318", cfg.Endpoint)
			}
			if u.Path == "" || u.Path == "/" {
				u.Path = "/v1/traces"
			}
			opts = append(opts, otlptracehttp.WithEndpointURL(u.String()))
		}
		if len(cfg.Headers) > 0 {
			opts = append(opts, otlptracehttp.WithHeaders(cfg.Headers))
		}
		var err error
		exp, err = otlptracehttp.New(ctx, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("tracing: OTLP exporter: %w", err)
		}
	}
	name := cfg.ServiceName
	if name == "" {
		name = "planwise"
	}
	attrs := []attribute.KeyValue{semconv.ServiceName(name)}
	if cfg.ServiceVersion != "" {
		attrs = append(attrs, semconv.ServiceVersion(cfg.ServiceVersion))
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(attrs...))
	if err != nil {
		return nil, nil, fmt.Errorf("tracing: resource: %w", err)
	}
	ratio := cfg.SampleRatio
	if ratio <= 0 || ratio > 1 {
		ratio = 1
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio))),
	)
	return tp, tp.Shutdown, nil
}

// TracingOn reports whether tp records anything (SetupTracing returns a no-op provider
// when tracing is off), so that callers skip instrumentation that would cost on every
// request for nothing.
func TracingOn(tp trace.TracerProvider) bool {
	if tp == nil {
		return false
	}
	_, off := tp.(noop.TracerProvider)
	return !off
}

// llmSpanAttributes are the GenAI attributes of a chat call: operation, model, provider
// and, when known, the token usage.
func llmSpanAttributes(model, provider string, u Usage) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		semconv.GenAIOperationNameChat,
		semconv.GenAIRequestModel(model),
		semconv.GenAIProviderNameKey.String(provider),
	}
	return appendUsage(attrs, u)
}

// embeddingSpanAttributes are the GenAI attributes of an embeddings call.
func embeddingSpanAttributes(model, provider string, inputTokens int) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		semconv.GenAIOperationNameEmbeddings,
		semconv.GenAIRequestModel(model),
		semconv.GenAIProviderNameKey.String(provider),
	}
	return appendUsage(attrs, Usage{InputTokens: inputTokens})
}

func appendUsage(attrs []attribute.KeyValue, u Usage) []attribute.KeyValue {
	if u.InputTokens > 0 {
		attrs = append(attrs, semconv.GenAIUsageInputTokens(u.InputTokens))
	}
	if u.OutputTokens > 0 {
		attrs = append(attrs, semconv.GenAIUsageOutputTokens(u.OutputTokens))
	}
	return attrs
}

// startLLMSpan starts a client span for one chat call, named as the GenAI conventions
// say ("chat gpt-4o-mini"). End it with endLLMSpan.
func startLLMSpan(ctx context.Context, tracer trace.Tracer, model, provider string) (context.Context, trace.Span) {
	return tracer.Start(ctx, "chat "+model,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(llmSpanAttributes(model, provider, Usage{})...))
}

// llmResult is what a chat call's span records when it ends: the usage, what the
// provider said about its answer, and the error type of a failure.
type llmResult struct {
	Usage Usage
	// ResponseModel is the model that answered, as the provider names it (often dated:
	// gpt-4o-mini-2024-07-18); ResponseID the provider's id of the completion;
	// FinishReasons one per choice ("stop", "length", "tool_calls").
	ResponseModel string
	ResponseID    string
	FinishReasons []string
	// ErrorType, when not "", is the class of the failure (llm.Classify's names): it sets
	// error.type and an error status.
	ErrorType string
}

// endLLMSpan records r with the GenAI names of semconv v1.41.0 (gen_ai.usage.*,
// gen_ai.response.model, gen_ai.response.id, gen_ai.response.finish_reasons, error.type)
// and ends the span.
func endLLMSpan(span trace.Span, r llmResult) {
	attrs := appendUsage(nil, r.Usage)
	if r.ResponseModel != "" {
		attrs = append(attrs, semconv.GenAIResponseModel(r.ResponseModel))
	}
	if r.ResponseID != "" {
		attrs = append(attrs, semconv.GenAIResponseID(r.ResponseID))
	}
	if len(r.FinishReasons) > 0 {
		attrs = append(attrs, semconv.GenAIResponseFinishReasons(r.FinishReasons...))
	}
	if r.ErrorType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(r.ErrorType))
		span.SetStatus(codes.Error, r.ErrorType)
	}
	span.SetAttributes(attrs...)
	span.End()
}
