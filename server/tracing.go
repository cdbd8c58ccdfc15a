package server

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// WithTracing traces every request with an HTTP server span (otelhttp, named by the
// route: "POST /api/v1/plan") that joins the caller's trace when the request carries a
// W3C traceparent (and tracestate); the planner's spans are its children, and the
// provider and tool calls carry the trace on (see llm/openai.Config.TracerProvider and
// execute's HTTP clients). Without it nothing is traced and an incoming traceparent is
// ignored; so it is with a nil tp.
func WithTracing(tp trace.TracerProvider) Option {
	return func(s *Server) { s.tracer = tp }
}

// Propagator is the trace context format planwise reads and writes: W3C Trace Context.
// It is passed explicitly, never installed globally.
var Propagator propagation.TextMapPropagator = propagation.TraceContext{}

// traced wraps h in the HTTP server span, when tracing is on.
func (s *Server) traced(h http.Handler) http.Handler {
	if s.tracer == nil {
		return h
	}
	return otelhttp.NewHandler(h, "planwise",
		otelhttp.WithTracerProvider(s.tracer),
		otelhttp.WithMeterProvider(noop.NewMeterProvider()), // metrics are the Recorder's
		otelhttp.WithPropagators(Propagator),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			if r.Pattern != "" {
				return r.Pattern // the route, not the path: bounded cardinality
			}
			return r.Method
		}),
		// Liveness probes and scrapes would drown the traces that matter; the requests no
		// route takes (unrouted's 404 and 405) were never traced.
		otelhttp.WithFilter(func(r *http.Request) bool {
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return false
			}
			status, _ := s.miss(r)
			return status == 0
		}),
	)
}
