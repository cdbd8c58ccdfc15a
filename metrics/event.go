package metrics

import "time"

// Event is the outcome of one planning request, recorded once by the planner.
type Event struct {
	// Source is the planner that produced the returned plan: "llm", "cache", "history",
	// "pattern", or "none" when no plan was returned.
	Source string
	// Model, Tier and Variant are the routed model, its tier and the prompt variant.
	Model, Tier, Variant string
	// APIKey identifies the caller's key (an id or name, never the secret). Tenant is the
	// caller's tenant.
	APIKey, Tenant string
	// Latency is the whole request, admission to response.
	Latency time.Duration
	// Success is true when a valid plan was returned.
	Success bool
	// Fallback is true when an offline planner answered; FallbackReason says why.
	Fallback       bool
	FallbackReason string
	// CacheResult is "hit", "exact", "miss" or "skip" (cache not consulted).
	CacheResult string
	// Valid is true when the first plan produced for the request passed validation,
	// before any repair round.
	Valid bool
	// NoPlan is true when no plan was produced at all, valid or not: the model refused
	// (cannot_plan), or the request failed before any planner answered. Such a request
	// says nothing about plan validity and is left out of validity_rate. (The zero value
	// counts the request, as before the field existed.)
	NoPlan bool
	// ErrorType is how the request failed ("" when a plan was served): the code its
	// caller was answered with (planner.ErrorCode: cannot_plan, deadline, unavailable,
	// rate_limited, invalid_request, model_not_allowed, internal). It is counted in
	// errors.by_type only when Errors is empty: a request whose provider failed on the
	// way is counted by those failures.
	ErrorType string
	// Refusal names the planner that declined the request as no tool fitting it: "llm"
	// (the model answered cannot_plan: an answer, so ErrorType stays "") or "offline"
	// (no offline planner could plan it); "" otherwise.
	Refusal string
	// Errors lists every error type seen during the request, retried attempts included,
	// as package llm classifies them: RateLimitError, TimeoutError, APIError,
	// ServerError, ValidationError, CircuitOpen, ParseError, ...
	Errors []string
	// PromptTokens and CompletionTokens sum every provider attempt of the request.
	PromptTokens, CompletionTokens int
	// CostUSD is the provider cost of the request.
	CostUSD float64
	// Retries counts provider retries within the request.
	Retries int
	// Time is when the request finished; zero, or a time after the Recorder's clock, means
	// now.
	Time time.Time
}

// Usage is the token usage of one provider call.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// Options configures a Recorder. The zero value is usable.
type Options struct {
	// Window is the default sliding window of the dashboard and the alerts (default 5m).
	Window time.Duration
	// Resolution is the width of one time slot (default 1m). Windows are whole slots.
	Resolution time.Duration
	// Retention is how far back windowed summaries and series can reach (default 1h, and
	// at least Window; at most maxSlots slots, 69 days at the default resolution).
	Retention time.Duration
	// Now is the clock (default time.Now). Tests inject one.
	Now func() time.Time
	// MaxLabelValues bounds each label's distinct values (default 100); the overflow is
	// reported as "other".
	MaxLabelValues int
	// EmbeddingProvider is the gen_ai_provider_name of RecordEmbedding calls (default
	// "openai", the OpenAI-compatible embeddings API).
	EmbeddingProvider string
}

const (
	defaultWindow         = 5 * time.Minute
	defaultResolution     = time.Minute
	defaultRetention      = time.Hour
	defaultMaxLabelValues = 100
	// maxSlots bounds the ring (its slot headers are allocated up front).
	maxSlots = 100_000
	// LabelOther replaces label values beyond Options.MaxLabelValues.
	LabelOther = "other"
	// LabelNone replaces empty label values.
	LabelNone = "none"
)

func (o Options) withDefaults() Options {
	if o.Window <= 0 {
		o.Window = defaultWindow
	}
	if o.Resolution <= 0 {
		o.Resolution = defaultResolution
	}
	if o.Retention <= 0 {
		o.Retention = defaultRetention
	}
	if o.Retention < o.Window {
		o.Retention = o.Window
	}
	if o.Retention/o.Resolution > maxSlots {
		o.Retention = maxSlots * o.Resolution
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxLabelValues <= 0 {
		o.MaxLabelValues = defaultMaxLabelValues
	}
	if o.EmbeddingProvider == "" {
		o.EmbeddingProvider = "openai"
	}
	return o
}
