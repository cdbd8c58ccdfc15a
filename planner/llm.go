package planner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// Route is the routing decision for one request.
type Route struct {
	Tier    string   `json:"tier"`
	Model   string   `json:"model"`
	Score   float64  `json:"score,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	// KeyID names the API key whose per-key tiers applied, so the cascade keeps them.
	KeyID string `json:"key_id,omitempty"`
}

// Router picks the tier and model for a request and the next stronger one for the
// cascade. Escalate returns false at the strongest tier.
type Router interface {
	Route(req Request) Route
	Escalate(r Route) (Route, bool)
}

// QueryRouter is a Router that routes a request from its query.Query, the one the
// planner hands every stage, reading the analysis it holds (ComplexityRouter's analyzer
// reads the request's slots) instead of analysing the text again. The planner calls
// RouteQuery instead of Route when its router has it.
type QueryRouter interface {
	Router
	RouteQuery(req Request, q query.Query) Route
}

// ModelLister is implemented by routers that can list the models a request may be
// routed to (its key's tier table): options.model must name one of them. With a router
// that does not implement it, options.model is refused.
type ModelLister interface {
	Models(req Request) []string
}

// Models implements ModelLister.
func (t TwoModelRouter) Models(Request) []string { return []string{t.Primary, t.Strong} }

// TwoModelRouter sends everything to Primary and escalates once to Strong.
type TwoModelRouter struct {
	Primary, Strong string
}

// Route implements Router.
func (t TwoModelRouter) Route(Request) Route { return Route{Tier: "primary", Model: t.Primary} }

// Escalate implements Router.
func (t TwoModelRouter) Escalate(r Route) (Route, bool) {
	if r.Model == t.Strong || t.Strong == "" {
		return r, false
	}
	return Route{Tier: "strong", Model: t.Strong, Reasons: []string{"cascade from " + r.Model}}, true
}

// LLMConfig wires the LLM stage.
type LLMConfig struct {
	// Provider makes the calls. An *llm.Client (the LLM-call pipeline: retries, the
	// breaker, the hold after a refused key, observation, cost) is used as it is; any
	// other Provider is put in a Client of its own that calls it once per request to it
	// (no retries, no breaker, no attempt timeout, no hold), priced with Prices and
	// traced with the planner's tracer.
	Provider llm.Provider
	// ProviderName labels the metrics and traces of a Provider that is not an
	// *llm.Client (default "openai"); a Client has its own name.
	ProviderName string
	// Router picks models; default TwoModelRouter{"gpt-4o-mini", "gpt-4o"}, or a
	// ComplexityRouter when Routing is set.
	Router Router
	// Routing, when Router is nil, routes by request complexity with these tiers: a
	// ComplexityRouter whose analyzer matches clauses to the registry's tools with the
	// planner's own pattern planner (when it is a *pattern.Pattern), so a registry has
	// one pattern planner, not a second one for the router (NewComplexityRouter builds
	// its own).
	Routing *route.Config
	// Prices prices the calls of a Provider that is not an *llm.Client (default
	// llm.DefaultPrices()); a Client meters with its own table, which must then be
	// this one or nil.
	Prices *llm.PriceTable
	// PromptOptions tune the prompt builder.
	PromptOptions []prompt.Option
	// Refusal says what happens when the model answers cannot_plan (no listed tool can
	// do the request): RefusalAccept (the default) returns 422 cannot_plan with the
	// model's reason after that one call; RefusalEscalate asks the next stronger tier
	// once first. Neither repairs a refusal, and no offline planner is asked to plan
	// over it (see Planner.Plan).
	Refusal string
}

// Refusal policies of LLMConfig.Refusal.
const (
	RefusalAccept   = "accept"
	RefusalEscalate = "escalate"
)

// refusal is the model's "no tool fits": an answer, not a failure.
type refusal struct {
	model  string
	reason string
}

func (r *refusal) Error() string {
	return "the model " + r.model + " found no tool that fits: " + r.reason
}

// WithLLM enables the LLM stage.
func WithLLM(c LLMConfig) Option {
	return func(p *Planner) error {
		if c.Provider == nil {
			return errors.New("planner: WithLLM needs a Provider")
		}
		if c.Router == nil && c.Routing == nil {
			c.Router = TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}
		}
		if client, ok := c.Provider.(*llm.Client); ok && c.Prices != nil && c.Prices != client.Prices() {
			return errors.New("planner: LLMConfig.Prices differs from the llm.Client's price table: set the prices on the Client")
		}
		if c.Prices == nil {
			c.Prices = llm.DefaultPrices()
		}
		if c.ProviderName == "" {
			c.ProviderName = "openai"
		}
		switch c.Refusal {
		case "":
			c.Refusal = RefusalAccept
		case RefusalAccept, RefusalEscalate:
		default:
			return fmt.Errorf("planner: LLMConfig.Refusal %q: use %q or %q", c.Refusal, RefusalAccept, RefusalEscalate)
		}
		// The pre-call token estimate needs the BPE tables: load them now (once per
		// process, ~130 ms) rather than inside the first request's deadline.
		llm.LoadTokenizers()
		p.llm = &llmStage{
			cfg:     c,
			reg:     p.reg,
			prompts: prompt.NewBuilder(p.reg, c.PromptOptions...),
		}
		return nil
	}
}

type llmStage struct {
	// client is the LLM-call pipeline every call goes through (see LLMConfig.Provider).
	client *llm.Client
	// budget refuses a request whose estimated cost would pass the day's budget.
	budget llm.Budget
	// systemTokens caches the token count of system prompts by model and prompt version
	// (counting is ~µs per token: too slow to repeat on every request).
	systemTokens sync.Map
	cfg          LLMConfig
	reg          *tool.Registry
	tracer       trace.Tracer
	prompts      *prompt.Builder
}

// finish completes the stage once every option has run: the pipeline (the configured
// Client, or one around a plain Provider, traced with the planner's tracer provider)
// and the budget, read from the ledger when there is one, else from the recorder.
func (s *llmStage) finish(tp trace.TracerProvider, tracer trace.Tracer, b Budget, rec *metrics.Recorder, now func() time.Time) {
	s.tracer = tracer
	if c, ok := s.cfg.Provider.(*llm.Client); ok {
		s.client = c
	} else {
		s.client = llm.NewClient(s.cfg.Provider, llm.ClientConfig{
			Name:   s.cfg.ProviderName,
			Prices: s.cfg.Prices,
			Resilience: llm.ResilienceConfig{MaxAttempts: 1, AttemptTimeout: -1, AuthHold: -1,
				Breaker: llm.BreakerConfig{Disabled: true}},
			Observer: metrics.NewLLMObserver(nil, tp),
		})
	}
	s.budget = llm.Budget{DailyUSD: b.DailyUSD, PerKeyDailyUSD: b.PerKeyDailyUSD, Now: now}
	switch {
	case b.Ledger != nil:
		s.budget.Spending = b.Ledger
	case rec != nil:
		s.budget.Spending = rec
	}
}

// plan asks the routed model, repairs once, escalates once, and returns a validated plan
// or the last error (a *plan.ValidationError when the models kept producing invalid plans,
// a *refusal when the model declined: escalated only under RefusalEscalate). A failure
// of the provider's endpoint rather than of the model (llm.ProviderWide: the key
// refused, the endpoint unreachable or not answering in time) is escalated only to a
// model served at another endpoint.
func (s *llmStage) plan(ctx context.Context, req Request, q query.Query, route Route, choice promptChoice, examples []prompt.Example, resp *Response, out *outcome) (*plan.Plan, error) {
	_, pspan := s.tracer.Start(ctx, "prompt")
	in := prompt.Input{Request: req.Text, Variant: choice.Variant, Examples: examples}
	pr, err := s.prompts.Build(in)
	pspan.End()
	if err != nil {
		return nil, fmt.Errorf("build prompt: %w", err)
	}
	resp.PromptVersion, resp.PromptVariant = pr.Version, pr.Variant
	resp.Tokens.Estimated = s.estimate(route.Model, pr)
	if s.budget.On() {
		est, _ := s.client.Prices().Cost(route.Model, llm.Usage{PromptTokens: resp.Tokens.Estimated})
		if be, ok := errors.AsType[*llm.BudgetError](s.budget.Check(req.APIKey, est)); ok {
			return nil, budgetRefusal(be, resp)
		}
	}
	var lastErr error
	for {
		resp.Tier, resp.Model = route.Tier, route.Model
		pl, err := s.tryModel(ctx, route.Model, in, q, pr, resp, out)
		if err == nil {
			return pl, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, lastErr
		}
		var ref *refusal
		if errors.As(err, &ref) && s.cfg.Refusal != RefusalEscalate {
			return nil, err
		}
		next, ok := s.cfg.Router.Escalate(route)
		if !ok {
			return nil, lastErr
		}
		if llm.ProviderWide(err) && s.client.Endpoint(next.Model) == s.client.Endpoint(route.Model) {
			// The stronger tier is behind the same endpoint and key: a refused key, an
			// endpoint that cannot be reached or one that does not answer in time
			// would fail it the same way, after as many attempts (and as long a wait)
			// again.
			return nil, err
		}
		route = next
	}
}

// estimate counts the prompt's tokens with the offline tokenizer before the call: the
// messages plus the response schema, which providers bill as input too.
func (s *llmStage) estimate(model string, pr *prompt.Prompt) int {
	n := 0
	if pr.Schema != nil {
		key := model + "\x00schema\x00" + pr.Version
		if v, ok := s.systemTokens.Load(key); ok {
			n += v.(int)
		} else {
			c := llm.CountTokens(model, string(pr.Schema.JSON))
			s.systemTokens.Store(key, c)
			n += c
		}
	}
	for i, m := range pr.Messages {
		if i == 0 && m.Role == prompt.RoleSystem {
			key := model + "\x00" + pr.Version
			if v, ok := s.systemTokens.Load(key); ok {
				n += v.(int)
				continue
			}
			c := llm.CountTokens(model, m.Content)
			s.systemTokens.Store(key, c)
			n += c
			continue
		}
		n += llm.CountTokens(model, m.Content)
	}
	return n
}

// promptVersion is the version of a variant's prompt (request-independent).
func (s *llmStage) promptVersion(variant string) string {
	v, err := s.prompts.Version(variant)
	if err != nil {
		return ""
	}
	return v
}

// tryModel makes one call and, when the answer does not decode or validate, one repair
// call with the exact errors. Provider errors are returned at once (the resilient
// provider has already retried what can be retried), and so is the model's refusal
// (*refusal): it is an answer, which a repair round would only argue with.
func (s *llmStage) tryModel(ctx context.Context, model string, in prompt.Input, q query.Query, pr *prompt.Prompt, resp *Response, out *outcome) (*plan.Plan, error) {
	msgs, schema := pr.Messages, pr.Schema
	var lastErr error
	for round := 0; round < 2; round++ {
		r, err := s.client.Complete(ctx, llm.Request{
			Model:    model,
			Messages: toLLMMessages(msgs),
			Format:   &llm.ResponseFormat{Name: schema.Name, Schema: schema.JSON, Strict: true},
			// The request's id reaches the provider's logs, so one request can be
			// followed across both.
			Headers: map[string]string{"X-Request-ID": resp.RequestID},
		})
		account(r, err, resp)
		if err != nil {
			return nil, err
		}
		_, vspan := s.tracer.Start(ctx, "validate")
		pl, err := prompt.DecodePlan([]byte(r.Content), schema.Mode)
		if ce, ok := errors.AsType[*prompt.CannotPlanError](err); ok {
			vspan.SetAttributes(attribute.Bool("planwise.cannot_plan", true))
			vspan.End()
			return nil, &refusal{model: model, reason: ce.Reason}
		}
		if err == nil {
			err = plan.Validate(pl, s.reg)
		}
		if err == nil {
			// Valid is not right: a phone number, e-mail address or URL the user never
			// wrote is made up (often copied from an example). The request's values are
			// the query's analysis (Plain: those kinds are no enum's).
			err = checkGrounded(pl, func() []slot.Slot { return plainSlots(q) }, s.reg)
		}
		if err != nil {
			vspan.SetStatus(codes.Error, err.Error())
		}
		vspan.End()
		out.sawPlan(err)
		if err == nil {
			return pl, nil
		}
		lastErr = err
		resp.Errors = append(resp.Errors, string(llm.ValidationError))
		if round == 1 || ctx.Err() != nil {
			break
		}
		in.Repair = &prompt.Repair{Previous: r.Content, Err: err}
		repair, berr := s.prompts.Build(in)
		if berr != nil {
			return nil, berr
		}
		msgs, schema = repair.Messages, repair.Schema
	}
	return nil, lastErr
}

// account adds one call's attempts, retries, tokens, cost and error types, as the
// pipeline returned them, to the response.
func account(r *llm.Response, err error, resp *Response) {
	var (
		attempts []llm.Attempt
		usage    llm.Usage
		cost     float64
	)
	if r != nil {
		attempts, usage, cost = r.Attempts, r.Usage, r.CostUSD
	} else if le, ok := errors.AsType[*llm.Error](err); ok {
		// Failed attempts that produced output (truncated, refused) are billed too.
		attempts, usage, cost = le.Attempts, le.Usage, le.CostUSD
	}
	resp.Attempts += len(attempts)
	resp.retries += max(len(attempts)-1, 0)
	resp.Tokens.Prompt += usage.PromptTokens
	resp.Tokens.Completion += usage.CompletionTokens
	resp.CostUSD += cost
	// Every attempt's error, the retried ones included; a call that made no attempt
	// (the breaker refused it) reports why.
	for _, a := range attempts {
		if a.ErrorType != "" {
			resp.Errors = append(resp.Errors, string(a.ErrorType))
		}
	}
	if err != nil && len(attempts) == 0 {
		resp.Errors = append(resp.Errors, string(llm.Classify(err)))
	}
}

// budgetRefusal is the planner's answer to a call the budget refused: rate_limited
// with Retry-After until the budget resets.
func budgetRefusal(be *llm.BudgetError, resp *Response) *Error {
	msg := fmt.Sprintf("the daily LLM budget of %s is spent (%s so far today)", USD(be.LimitUSD), USD(be.SpentUSD))
	if be.PerKey {
		msg = fmt.Sprintf("the daily LLM budget of %s for this API key is spent (%s so far today)", USD(be.LimitUSD), USD(be.SpentUSD))
	}
	return &Error{Code: CodeRateLimited, Message: msg + "; it resets at midnight UTC", Response: resp,
		RetryAfter: be.RetryAfter, err: be}
}

func toLLMMessages(ms []prompt.Message) []llm.Message {
	out := make([]llm.Message, len(ms))
	for i, m := range ms {
		out[i] = llm.Message{Role: m.Role, Content: m.Content}
	}
	return out
}
