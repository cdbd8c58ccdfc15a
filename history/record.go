package history

import (
	"slices"
	"strings"
	"time"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// Record is one planning request and what became of it: the feature store's row.
type Record struct {
	// ID is the record's key, made by planwise: History.Record gives a record without
	// one a new id (ids.New), and the planner passes the id it answered with
	// (planner.Response.HistoryID). It is never a client's X-Request-ID, which is
	// RequestID: two requests may carry the same RequestID (two tenants, or one client
	// reusing an id), and each keeps a record of its own.
	ID string `json:"id"`
	// RequestID is the request's correlation id: the client's X-Request-ID as sent, or
	// the one planwise made when the client sent none (then also the ID). It is not
	// unique and keys nothing.
	RequestID string `json:"request_id"`
	Tenant    string `json:"tenant"`
	// APIKey identifies the caller's key (an id or hash, never the secret).
	APIKey  string `json:"api_key,omitempty"`
	Request string `json:"request"`
	// Template, Slots and Embedding are computed by History.Record when empty. Embedding
	// is the embedding of Template by the embedder named Embedder; it is not kept for a
	// cache hit that does not teach (it is computed again if the hit is rated good).
	Template  string      `json:"template"`
	Slots     []slot.Slot `json:"slots,omitempty"`
	Embedding []float32   `json:"-"`
	Embedder  string      `json:"embedder,omitempty"`
	// Tier, Model and Variant are the route and the prompt variant; Experiment is the id
	// of the A/B experiment that chose the variant, if any.
	Tier       string `json:"tier,omitempty"`
	Model      string `json:"model,omitempty"`
	Variant    string `json:"variant,omitempty"`
	Experiment string `json:"experiment,omitempty"`
	// Source is the planner that produced Plan: llm, cache, history, pattern, user,
	// import; "none" when no plan was returned.
	Source         string `json:"source"`
	Fallback       bool   `json:"fallback,omitempty"`
	FallbackReason string `json:"fallback_reason,omitempty"`
	// Plan is the plan returned (it passed plan.Validate), nil when none was.
	Plan *plan.Plan `json:"plan,omitempty"`
	// Valid is true when the first plan produced for the request passed validation,
	// before any repair round. IssueCodes are the validation issue codes of the first
	// invalid answer; IssueFields the "tool.arg" of each failing argument.
	Valid       bool     `json:"valid"`
	IssueCodes  []string `json:"issue_codes,omitempty"`
	IssueFields []string `json:"issue_fields,omitempty"`
	// NoPlan is true when no plan was produced for the request, valid or not (a
	// refusal, a failure before any planner answered): Valid then says nothing, and the
	// validity rate leaves the record out. Records written before the field existed read
	// false and are counted, as they were.
	NoPlan bool `json:"no_plan,omitempty"`
	// Refused names the planner that declined the request as no tool fitting it: "llm"
	// (the model answered cannot_plan) or "offline" (no offline planner could plan it).
	Refused string `json:"refused,omitempty"`
	// ErrorType is how the request failed when no plan was served ("" when one was):
	// the code of the planner's error, as the API's error carries it (cannot_plan,
	// deadline, unavailable, rate_limited, invalid_request, model_not_allowed). Records
	// written before held a CamelCase error type there (CannotPlan, TimeoutError, ...);
	// History's readers give them the code (ErrorCode). What the provider failed with on
	// the way is in Errors, in package llm's taxonomy.
	ErrorType string `json:"error_type,omitempty"`
	// Attempts counts the provider calls made (retries, the repair round and the
	// cascade included); Errors lists the error types met on the way, retried, repaired
	// or fallen back from (the response's attempts and errors).
	Attempts         int      `json:"attempts,omitempty"`
	Errors           []string `json:"errors,omitempty"`
	LatencyMS        float64  `json:"latency_ms"`
	PromptTokens     int      `json:"prompt_tokens,omitempty"`
	CompletionTokens int      `json:"completion_tokens,omitempty"`
	CostUSD          float64  `json:"cost_usd,omitempty"`
	RegistryVersion  string   `json:"registry_version"`
	PromptVersion    string   `json:"prompt_version,omitempty"`
	// Time is when the request finished; zero means now.
	Time time.Time `json:"time"`
	// Retry is computed by History.Record: the same API key asked a similar request
	// within Options.RetryWindow before this one.
	Retry bool `json:"retry,omitempty"`
	// Execution is the outcome of running the plan, attached by RecordRun.
	Execution *Execution `json:"execution,omitempty"`
	// Feedback is a person's rating (-1, 0, 1), attached by RecordFeedback.
	Feedback *int `json:"feedback,omitempty"`
}

// Execution is the outcome of one run of a record's plan.
type Execution struct {
	RunID string `json:"run_id,omitempty"`
	// Status is the run's status (execute.RunSucceeded, RunFailed, RunPartial,
	// RunCanceled).
	Status     string        `json:"status"`
	Steps      []StepOutcome `json:"steps,omitempty"`
	DurationMS float64       `json:"duration_ms"`
}

// StepOutcome is what one step of a run did.
type StepOutcome struct {
	ID     string `json:"id"`
	Tool   string `json:"tool"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// legacyErrorCodes are the error codes of the CamelCase error types records held before
// ErrorType held codes: the planner's own names for its codes, and the provider error
// types it gave instead when the provider had failed on the way (a timeout, the
// request's deadline; a 429, most often the budget's refusal). Any other provider type
// ended the request with the LLM failing and nothing planned offline: unavailable.
var legacyErrorCodes = map[string]string{
	"CannotPlan": "cannot_plan", "InvalidRequest": "invalid_request", "Unavailable": "unavailable",
	"TimeoutError": "deadline", "Canceled": "deadline", "RateLimitError": "rate_limited",
}

// ErrorCode is ErrorType as an error code, also for a record written when it held a
// CamelCase error type: a refused request is cannot_plan, and the other old values read
// as the code they stood for (legacyErrorCodes).
func (r *Record) ErrorCode() string {
	t := r.ErrorType
	if t == "" || t[0] < 'A' || t[0] > 'Z' { // a code (or nothing): lower case
		return t
	}
	if r.Refused != "" {
		return "cannot_plan"
	}
	if c, ok := legacyErrorCodes[t]; ok {
		return c
	}
	return "unavailable"
}

// Outcome is how the request failed, in the taxonomy the API and the CLI speak: its
// error code when no plan was served (ErrorCode), else its fallback reason when the
// LLM failed and an offline planner answered (provider_error, provider_timeout,
// invalid_plan, circuit_open, deadline); "" otherwise (served, or planned offline by design).
// Insights groups failures by it.
func (r *Record) Outcome() string {
	if c := r.ErrorCode(); c != "" {
		return c
	}
	if fellBack(r) {
		return r.FallbackReason
	}
	return ""
}

// withErrorCode is r, or a copy of r with ErrorType as its ErrorCode when they differ (a
// record written before ErrorType held codes).
func withErrorCode(r *Record) *Record {
	if r == nil {
		return nil
	}
	if c := r.ErrorCode(); c != r.ErrorType {
		cp := *r
		cp.ErrorType = c
		return &cp
	}
	return r
}

// Succeeded reports whether the record produced a plan without error.
func (r *Record) Succeeded() bool { return r.Plan != nil && r.ErrorType == "" }

// ExecutionFailed reports whether the plan was run and the run did not succeed (a
// cancelled run says nothing about the plan and does not count).
func (r *Record) ExecutionFailed() bool {
	return r.Execution != nil && r.Execution.Status != "succeeded" && r.Execution.Status != "canceled"
}

// Tools returns the tools the record's plan calls, in step order, deduplicated.
func (r *Record) Tools() []string {
	if r.Plan == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range r.Plan.Steps {
		if !seen[s.Tool] {
			seen[s.Tool] = true
			out = append(out, s.Tool)
		}
	}
	return out
}

func (r *Record) clone() *Record {
	c := *r
	c.Slots = append([]slot.Slot(nil), r.Slots...)
	c.Embedding = append([]float32(nil), r.Embedding...)
	c.IssueCodes = append([]string(nil), r.IssueCodes...)
	c.IssueFields = append([]string(nil), r.IssueFields...)
	c.Plan = r.Plan.Clone()
	if r.Execution != nil {
		e := *r.Execution
		e.Steps = append([]StepOutcome(nil), r.Execution.Steps...)
		c.Execution = &e
	}
	if r.Feedback != nil {
		f := *r.Feedback
		c.Feedback = &f
	}
	return &c
}

// Query selects records from a Store. Zero fields do not filter.
type Query struct {
	// Tenant restricts to one tenant.
	Tenant string
	// Since and Until bound Time (Since inclusive, Until exclusive).
	Since, Until time.Time
	// Experiment restricts to records of one experiment.
	Experiment string
	// Limit bounds the number of records (newest first); 0 means no limit.
	Limit int
	// Offset skips that many of the newest records first (pagination).
	Offset int
}

// IssuesOf returns the validation issue codes (deduplicated, in first-seen order) and
// the "tool.arg" of every argument an issue names (from fields "args.<arg>..."), for
// Record.IssueCodes and Record.IssueFields. It returns nil, nil when err is not a
// *plan.ValidationError.
func IssuesOf(err error) (codes, fields []string) {
	ve, ok := plan.AsValidationError(err)
	if !ok {
		return nil, nil
	}
	for _, is := range ve.Issues {
		if !slices.Contains(codes, is.Code) {
			codes = append(codes, is.Code)
		}
		rest, ok := strings.CutPrefix(is.Field, "args.")
		if !ok || is.Tool == "" {
			continue
		}
		arg, _, _ := strings.Cut(rest, ".")
		if f := is.Tool + "." + arg; arg != "" && !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	return codes, fields
}
