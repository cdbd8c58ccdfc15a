package planner

import (
	"cmp"
	"context"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
)

// WithLearning connects the learning loop (package history): the prompt variant of any
// running A/B experiment, dynamic few-shot examples from similar successful past requests,
// the history planner as the first offline fallback, and a record of every request. q
// writes the records asynchronously (its owner runs q.Run); nil records synchronously.
func WithLearning(h *history.History, q *history.Queue) Option {
	return func(p *Planner) error {
		p.learn, p.learnQ = h, q
		if p.history == nil {
			p.history = h.Planner(p.reg)
		}
		return nil
	}
}

// promptChoice is the prompt variant chosen for a request and the experiment that chose it.
type promptChoice struct {
	Variant, Experiment string
}

func (p *Planner) choosePrompt(req Request) promptChoice {
	if p.learn == nil {
		return promptChoice{}
	}
	exp, v := p.learn.Assign(req.Tenant, req.Text)
	return promptChoice{Variant: v, Experiment: exp}
}

// examples returns the dynamic few-shot examples for the request (none on error: the
// curated examples stay).
func (p *Planner) examples(ctx context.Context, q query.Query) []prompt.Example {
	if p.learn == nil {
		return nil
	}
	ex, err := p.learn.Examples(ctx, q, p.reg.Version(), prompt.DefaultMaxExamples)
	if err != nil {
		return nil
	}
	return ex
}

// remember writes the record of the request, which ended at end after latency, to the
// history.
func (p *Planner) remember(ctx context.Context, req Request, q query.Query, resp *Response, out *outcome, choice promptChoice, latency time.Duration, end time.Time, err error) {
	if p.learn == nil {
		return
	}
	r := &history.Record{
		ID: req.HistoryID, RequestID: req.RequestID, Tenant: req.Tenant, APIKey: req.APIKey, Request: req.Text,
		Variant: choice.Variant, Experiment: choice.Experiment, Source: "none",
		RegistryVersion: p.reg.Version(), LatencyMS: float64(latency.Microseconds()) / 1000, Time: end,
	}
	if out.firstValid != nil {
		r.Valid = *out.firstValid
	} else {
		r.NoPlan = true
	}
	r.IssueCodes, r.IssueFields = history.IssuesOf(out.firstErr)
	res := resp
	r.ErrorType = ErrorCode(err) // the code the caller was answered with (the API's taxonomy)
	if pe, ok := AsError(err); ok {
		res = pe.Response
		if pe.Code == CodeCannotPlan {
			r.Refused = cmp.Or(out.refused, "offline") // as the metrics' Event.Refusal
		}
	}
	if res != nil {
		r.Tier, r.Model, r.PromptVersion = res.Tier, res.Model, res.PromptVersion
		r.PromptTokens, r.CompletionTokens, r.CostUSD = res.Tokens.Prompt, res.Tokens.Completion, res.CostUSD
		r.Attempts, r.Errors = res.Attempts, res.Errors
		if err == nil {
			r.Source, r.Plan, r.Fallback, r.FallbackReason = res.Source, res.Plan, res.Fallback, res.FallbackReason
		}
	}
	// The request's analysis (slots, template, embedding) is the query's, when it is
	// the history's too: the record is not analysed again.
	p.learn.FromQuery(r, q)
	if p.learnQ != nil {
		p.learnQ.Enqueue(r)
		return
	}
	_ = p.learn.Record(context.WithoutCancel(ctx), r)
}

// rememberRun attaches an execution outcome to the request's record (its history id).
func (p *Planner) rememberRun(ctx context.Context, historyID string, res *execute.Result) {
	if p.learn == nil || historyID == "" {
		return
	}
	if p.learnQ != nil {
		p.learnQ.EnqueueRun(historyID, res)
		return
	}
	_ = p.learn.RecordRun(context.WithoutCancel(ctx), historyID, res)
}

// rememberFeedback attaches a person's rating to the request's record (its history id).
func (p *Planner) rememberFeedback(ctx context.Context, historyID string, rating int) {
	if p.learn == nil || historyID == "" {
		return
	}
	if p.learnQ != nil {
		p.learnQ.EnqueueFeedback(historyID, rating)
		return
	}
	_ = p.learn.RecordFeedback(context.WithoutCancel(ctx), historyID, rating)
}
