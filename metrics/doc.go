// Package metrics records what the planner does and turns it into numbers people and
// machines can act on: a JSON Summary for the API and dashboard, a Prometheus collector
// named after the OpenTelemetry GenAI conventions, OpenTelemetry tracing set-up with the
// GenAI span attributes, and an alert rules engine.
//
// # Recording
//
// The planner calls Recorder.Record once per request with an Event, and the narrower
// Record* methods for what happens around a request (provider attempts, embeddings,
// executions, feedback, a user re-asking). Every Record* method is safe for concurrent
// use and cheap: a few hundred nanoseconds, no allocation in the steady state. State is
// striped over lock shards; each shard accumulates the current time slot and hands it to a
// shared ring when the slot rolls over, so the hot path never touches shared state. A
// shard resolves an Event's six label values to its cells once per distinct label set and
// keeps the result (at most 256 label sets a shard), so a request of a label set seen
// before hashes its labels once instead of six times.
//
// # Windows
//
// Time is cut into slots of Options.Resolution (default 1 minute). A Summary over a window
// w merges the last ceil(w/Resolution) slots, the current partial slot included, so its
// data spans between w-Resolution and w. Slots older than Options.Retention (default 1 h)
// are forgotten; the lifetime aggregate keeps everything since the Recorder was made.
// Latency percentiles come from DDSketch (1% relative accuracy), merged on read.
//
// # Rates
//
// Every rate is a ratio of counts over the same requests, and 0 when its denominator is 0:
//
//   - success_rate: requests that returned a valid plan / requests.
//   - fallback_rate: requests answered by an offline planner (Event.Fallback) / requests.
//   - cache_hit_rate: cache hits (semantic "hit" and "exact") / cache lookups (hit, exact
//     and miss; "skip" means the cache was not consulted and is not a lookup).
//   - validity_rate: requests whose first produced plan passed validation (Event.Valid) /
//     requests that produced a plan (plans: all but Event.NoPlan). It measures plan
//     quality before any repair round; success_rate measures what the user finally got.
//     A request that produced no plan (the model's cannot_plan, a failure before any
//     planner answered) is neither valid nor invalid: a refusal is an answer, counted
//     by refusal_rate.
//   - refusal_rate: requests a planner declined as no tool fitting them (Event.Refusal:
//     the model's cannot_plan, llm_refusals, or the offline planners') / requests.
//   - llm_success_rate: requests answered by the LLM with a valid plan / requests not
//     answered from the cache.
//   - execution_success_rate: successful executions / executions (RecordExecution).
//   - feedback_positive_ratio: positive feedback / feedback (RecordFeedback).
//   - retry_rate: user re-asks (RecordRetry) / requests.
//   - cost_per_successful_plan_usd: cost in USD / requests that returned a valid plan.
//
// errors.total counts error occurrences, not failed requests: every entry of
// Event.Errors (retried attempts included), or Event.ErrorType once when Errors is empty.
// errors.by_type (and planwise_errors_total's error_type) names them as the API does: a
// provider failure met on the way by its llm.ErrorType (RateLimitError, TimeoutError,
// ...), as the response's errors list it; a request that failed with none by the error
// code it was answered with (cannot_plan, deadline, unavailable, rate_limited, ...).
//
// # Labels
//
// Breakdown labels (source, model, tier, variant, API key, tenant, error type, fallback
// reason) are bounded: each keeps at most Options.MaxLabelValues distinct values and maps
// the rest to "other"; an empty value is reported as "none". Event.APIKey must be a key
// identifier (a name or id), never the secret itself: it appears in the JSON summary.
//
// # Prometheus
//
// Recorder.Collector (or Recorder.Handler for /metrics) exposes
// gen_ai_client_operation_duration_seconds and gen_ai_client_token_usage with the
// OpenTelemetry GenAI conventions' labels and bucket boundaries, observed per provider
// call (RecordLLMCall, RecordEmbedding), and planwise's own counters, computed from the
// lifetime aggregate at scrape time: planwise_requests_total{source,tier,model},
// planwise_request_duration_seconds{source}, planwise_fallbacks_total{reason},
// planwise_cache_lookups_total{result}, planwise_cost_usd_total{model},
// planwise_tokens_total{type,model}, planwise_errors_total{error_type},
// planwise_plan_validity_total{valid}, planwise_executions_total{status},
// planwise_circuit_breaker_transitions_total{breaker,state},
// planwise_circuit_breaker_open{breaker}, planwise_history_records_dropped_total and, once
// NewAlerts is called, planwise_alerts_firing{rule}.
//
// # Tracing
//
// SetupTracing returns an OpenTelemetry tracer provider: a no-op unless an OTLP/HTTP
// endpoint is configured, and never installed globally. NewLLMObserver observes an
// llm.Client: a GenAI span per call, with the GenAI attributes of semconv v1.41.0, and
// the GenAI metrics per attempt.
//
// # Alerts
//
// Alerts evaluates Rules (DefaultRules, or YAML through LoadRules) against a Recorder:
// fallback rate over a window, p95 latency against its baseline, error bursts, the
// provider refusing the API key, history records dropped, and daily cost budgets overall
// and per API key. The owner drives Evaluate, directly or with Run;
// instances move from pending (For) to firing to resolved, each transition logged with
// slog and, on the leader replica, posted once to an optional webhook.
package metrics
