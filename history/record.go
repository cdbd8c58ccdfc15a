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
	// ID is the record's key; History.Record sets it to RequestID (or a random id when
	// both are empty).
	ID        string `json:"id"`
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
	// ErrorType is the final error type ("" on success), as package llm classifies it.
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
