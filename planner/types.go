package planner

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/planwise/planwise/plan"
)

// Sources of a plan.
const (
	SourceLLM     = "llm"
	SourceCache   = "cache"
	SourceHistory = "history"
	SourcePattern = "pattern"
)

// Fallback reasons: why an offline planner answered instead of the LLM.
const (
	ReasonOffline       = "offline"        // no LLM configured, or the request asked for offline
	ReasonInvalidPlan   = "invalid_plan"   // the LLM's plans failed validation after repair and cascade
	ReasonProviderError = "provider_error" // the provider failed (the error type is in Errors)
	ReasonCircuitOpen   = "circuit_open"
	// ReasonDeadline: the request's deadline (less the reserve kept for the offline
	// planners) was used up before the LLM answered.
	ReasonDeadline = "deadline"
	// ReasonProviderTimeout: the provider did not answer in time while the request still
	// had time: its attempts timed out (llm.attempt_timeout) or it said 408. The error
	// type, TimeoutError, is in Errors; the stronger tier at the same endpoint is not
	// asked (llm.ProviderWide).
	ReasonProviderTimeout = "provider_timeout"
)

// A spent daily budget has no fallback reason: it is no fallback. The request gets
// rate_limited (429, Retry-After until the budget resets) before the LLM is called, and
// the offline planners are not asked (see Budget); a caller who wants their answer
// asks with Options.Offline, which never reaches the budget.

// DefaultTenant is the tenant of a request that names none: the CLI's, a library
// caller's, and the HTTP API's without API keys (or with a key that names no tenant).
// One name everywhere, so that what one entry point records the others read.
const DefaultTenant = "default"

// Request is one planning request.
type Request struct {
	// Text is the natural-language request.
	Text string `json:"request"`
	// Tenant and APIKey scope the cache and history and label the metrics; APIKey is
	// the non-secret id of the caller's key (server.KeyID hashes the key once, at the
	// edge), never the key itself. An empty Tenant is DefaultTenant.
	Tenant string `json:"-"`
	APIKey string `json:"-"`
	// RequestID is echoed in the response; generated when empty. It is the caller's
	// correlation id (the HTTP API's X-Request-ID), not unique: it keys nothing.
	RequestID string `json:"-"`
	// HistoryID is the id of the request's history record (history.Record.ID), which
	// runs and feedback attach to. Empty, the planner makes one: the RequestID when it
	// made that too, else a new id. A caller that sets it must make it unique and never
	// take it from a client (server passes the request id it made itself, and nothing
	// when the client sent one): the store replaces a record by id.
	HistoryID string `json:"-"`
	// Options tune one request.
	Options Options `json:"options"`
}

// Options are per-request settings.
type Options struct {
	// DeadlineMS overrides the configured deadline (milliseconds; capped by the server).
	DeadlineMS int `json:"deadline_ms,omitempty"`
	// Offline skips the LLM.
	Offline bool `json:"offline,omitempty"`
	// NoCache skips the cache lookup and store.
	NoCache bool `json:"no_cache,omitempty"`
	// Model forces a model instead of the routed one.
	Model string `json:"model,omitempty"`
	// Partial asks for the planned part of a request some of whose clauses the offline
	// planner cannot plan (Response.Partial, Response.Unplanned) instead of a refusal.
	// Config.Partial sets the default.
	Partial *bool `json:"partial,omitempty"`
}

// Tokens counts LLM tokens spent on the request (all attempts, as the provider reported
// them) and the offline tokenizer's estimate of one call's prompt, made before the call.
type Tokens struct {
	Prompt     int `json:"prompt"`
	Completion int `json:"completion"`
	Estimated  int `json:"estimated_prompt,omitempty"`
}

// CacheInfo describes a cache hit.
type CacheInfo struct {
	Similarity float64 `json:"similarity"`
	Exact      bool    `json:"exact"`
	AgeSeconds float64 `json:"age_seconds"`
	EntryID    string  `json:"entry_id,omitempty"`
}

// Response is a validated plan and how it was made.
type Response struct {
	// Plan is read-only when Source is SourceCache: a hit served verbatim shares the
	// cache entry's plan with every other request it serves (cache.LookupVerbatim).
	// Clone it to modify it.
	Plan           *plan.Plan `json:"plan"`
	Source         string     `json:"source"`
	Model          string     `json:"model,omitempty"`
	Tier           string     `json:"tier,omitempty"`
	Fallback       bool       `json:"fallback"`
	FallbackReason string     `json:"fallback_reason,omitempty"`
	// Attempts counts provider calls (retries, the repair round and the cascade included).
	Attempts int     `json:"attempts"`
	Tokens   Tokens  `json:"tokens"`
	CostUSD  float64 `json:"cost_usd"`
	// Cache is set on cache hits.
	Cache *CacheInfo `json:"cache,omitempty"`
	// Offline is true when no LLM is configured or the request asked for offline planning.
	Offline         bool   `json:"offline"`
	PromptVersion   string `json:"prompt_version,omitempty"`
	PromptVariant   string `json:"prompt_variant,omitempty"`
	RegistryVersion string `json:"registry_version"`
	RequestID       string `json:"request_id"`
	// HistoryID is the id of the request's history record (GET /api/v1/history/{id}),
	// set when the planner keeps a history (WithLearning). It equals RequestID unless
	// the caller chose the request id.
	HistoryID string  `json:"history_id,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
	// Errors lists the error types met on the way (retried, repaired or fallen back from).
	Errors []string `json:"errors,omitempty"`
	// Partial is true when the plan serves only part of the request: Unplanned lists, in
	// request order, the clauses it leaves out (only when partial plans were asked for;
	// otherwise such a request is refused).
	Partial   bool     `json:"partial,omitempty"`
	Unplanned []string `json:"unplanned,omitempty"`

	// planJSON is Plan encoded (PlanJSON).
	planJSON []byte
	// retries counts provider attempts the resilient loop retried (not repair rounds or
	// the cascade, which are separate calls).
	retries int
}

// PlanJSON returns Plan as encoding/json writes it when the planner already has it (a
// cache hit served verbatim: the cache entry's encoding, made once), else nil. It is
// read-only.
func (r *Response) PlanJSON() []byte { return r.planJSON }

// Error codes of *Error.
const (
	CodeInvalidRequest = "invalid_request" // 400
	CodeCannotPlan     = "cannot_plan"     // 422: no tool fits
	CodeDeadline       = "deadline"        // 503: the deadline was spent
	CodeUnavailable    = "unavailable"     // 503: every planner failed for operational reasons
	CodeRateLimited    = "rate_limited"    // 429
	// CodeModelNotAllowed: options.model names a model the configuration does not
	// route this key to (400).
	CodeModelNotAllowed = "model_not_allowed"
	// CodeInternal: a failure that is not an *Error (a bug in a stage, not an answer);
	// 500.
	CodeInternal = "internal"
)

// ErrorCode is the code a failure of Plan is answered with, the one name of how a
// request ended: the *Error's Code in err's chain, CodeInternal for any other error, ""
// for nil. The HTTP API and the MCP server answer with it, the metrics count it in
// errors.by_type (when the provider met no error on the way: those are counted by their
// llm.ErrorType, as the response's Errors list them), and the history record keeps it
// as its error_type, which insights group by.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if pe, ok := AsError(err); ok {
		return pe.Code
	}
	return CodeInternal
}

// Error is the typed error Plan returns when no valid plan can be produced.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Causes are the reasons each planner gave, in the order they were tried.
	Causes []string `json:"causes,omitempty"`
	// Response carries what was spent (tokens, cost, attempts) even though no plan came out.
	Response *Response `json:"-"`
	// RetryAfter, for rate_limited, is when asking again can succeed.
	RetryAfter time.Duration `json:"-"`
	// Reason and RefusedBy, for a cannot_plan the model itself answered, are the model's
	// own words on why no tool fits and "llm".
	Reason    string `json:"reason,omitempty"`
	RefusedBy string `json:"refused_by,omitempty"`
	err       error
}

func (e *Error) Error() string {
	if len(e.Causes) == 0 {
		return e.Code + ": " + e.Message
	}
	return e.Code + ": " + e.Message + " (" + strings.Join(e.Causes, "; ") + ")"
}

func (e *Error) Unwrap() error { return e.err }

// HTTPStatus maps the error code to an HTTP status.
func (e *Error) HTTPStatus() int {
	switch e.Code {
	case CodeInvalidRequest, CodeModelNotAllowed:
		return http.StatusBadRequest
	case CodeCannotPlan:
		return http.StatusUnprocessableEntity
	case CodeRateLimited:
		return http.StatusTooManyRequests
	case CodeInternal:
		return http.StatusInternalServerError
	default:
		return http.StatusServiceUnavailable
	}
}

func invalidRequest(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidRequest, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the *Error in err's chain.
func AsError(err error) (*Error, bool) {
	// errors.AsType, not errors.As: As's target escapes, an allocation on every call,
	// and the planner asks for every request, most of which succeed.
	return errors.AsType[*Error](err)
}
