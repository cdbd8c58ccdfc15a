package planner

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
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
	// Provider makes the calls; wrap it in llm.NewResilient for retries and the breaker.
	Provider llm.Provider
	// ProviderName labels metrics and traces ("openai").
	ProviderName string
	// Router picks models; default TwoModelRouter{"gpt-4o-mini", "gpt-4o"}.
	Router Router
	// Prices turns usage into cost; default llm.DefaultPrices().
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
		if c.Router == nil {
			c.Router = TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}
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
			tracer:  p.tracer,
			prompts: prompt.NewBuilder(p.reg, c.PromptOptions...),
		}
		return nil
	}
}

type llmStage struct {
	// budget, when set, refuses a call whose estimated cost would pass the day's budget.
	budget func(req Request, resp *Response, estimateUSD float64) *Error
	// systemTokens caches the token count of system prompts by model and prompt version
	// (counting is ~µs per token: too slow to repeat on every request).
	systemTokens sync.Map
	cfg          LLMConfig
	reg          *tool.Registry
	tracer       trace.Tracer
	prompts      *prompt.Builder
}

// plan asks the routed model, repairs once, escalates once, and returns a validated plan
// or the last error (a *plan.ValidationError when the models kept producing invalid plans,
// a *refusal when the model declined: escalated only under RefusalEscalate).
func (s *llmStage) plan(ctx context.Context, req Request, route Route, choice promptChoice, examples []prompt.Example, resp *Response, out *outcome) (*plan.Plan, error) {
	_, pspan := s.tracer.Start(ctx, "prompt")
	in := prompt.Input{Request: req.Text, Variant: choice.Variant, Examples: examples}
	pr, err := s.prompts.Build(in)
	pspan.End()
	if err != nil {
		return nil, fmt.Errorf("build prompt: %w", err)
	}
	resp.PromptVersion, resp.PromptVariant = pr.Version, pr.Variant
	resp.Tokens.Estimated = s.estimate(route.Model, pr)
	if s.budget != nil {
		est, _ := s.cfg.Prices.Cost(route.Model, llm.Usage{PromptTokens: resp.Tokens.Estimated})
		if err := s.budget(req, resp, est); err != nil {
			return nil, err
		}
	}
	var lastErr error
	for {
		resp.Tier, resp.Model = route.Tier, route.Model
		pl, err := s.tryModel(ctx, route.Model, in, pr, resp, out)
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
func (s *llmStage) tryModel(ctx context.Context, model string, in prompt.Input, pr *prompt.Prompt, resp *Response, out *outcome) (*plan.Plan, error) {
	msgs, schema := pr.Messages, pr.Schema
	var lastErr error
	for round := 0; round < 2; round++ {
		cctx, span := metrics.StartLLMSpan(ctx, s.tracer, model, s.cfg.ProviderName)
		cctx, attempts := withAttemptLog(cctx)
		r, err := s.cfg.Provider.Complete(cctx, llm.Request{
			Model:    model,
			Messages: toLLMMessages(msgs),
			Format:   &llm.ResponseFormat{Name: schema.Name, Schema: schema.JSON, Strict: true},
			// The request's id reaches the provider's logs, so one request can be
			// followed across both.
			Headers: map[string]string{"X-Request-ID": resp.RequestID},
		})
		var res metrics.LLMResult
		if r != nil {
			res.Usage = metrics.Usage{InputTokens: r.Usage.PromptTokens, OutputTokens: r.Usage.CompletionTokens}
			res.ResponseModel, res.ResponseID = r.Model, r.ID
			if r.FinishReason != "" {
				res.FinishReasons = []string{r.FinishReason}
			}
		}
		if err != nil {
			res.ErrorType = string(llm.Classify(err))
			if le, ok := errors.AsType[*llm.Error](err); ok {
				res.Usage = metrics.Usage{InputTokens: le.Usage.PromptTokens, OutputTokens: le.Usage.CompletionTokens}
			}
		}
		metrics.EndLLMSpan(span, res)
		s.account(model, r, err, resp, attempts)
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

// account adds one call's attempts, retries, tokens, cost and error types to the response.
func (s *llmStage) account(model string, r *llm.Response, err error, resp *Response, log *attemptLog) {
	calls := 0
	defer func() { resp.retries += max(calls-1, 0) }()
	if r != nil {
		calls = max(r.Attempts, 1)
		resp.Attempts += calls
		resp.Tokens.Prompt += r.Usage.PromptTokens
		resp.Tokens.Completion += r.Usage.CompletionTokens
		if cost, ok := s.cfg.Prices.Cost(model, r.Usage); ok {
			resp.CostUSD += cost
		}
	} else {
		attempts := 1
		var le *llm.Error
		if errors.As(err, &le) {
			attempts = max(le.Attempts, 1)
			if le.Type == llm.CircuitOpen && le.Attempts == 0 {
				attempts = 0 // the breaker refused: no call was made
			}
			// Failed attempts that produced output (truncated, refused) are billed.
			resp.Tokens.Prompt += le.Usage.PromptTokens
			resp.Tokens.Completion += le.Usage.CompletionTokens
			if cost, ok := s.cfg.Prices.Cost(model, le.Usage); ok {
				resp.CostUSD += cost
			}
		}
		resp.Attempts += attempts
		calls = attempts
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	switch {
	case log.observed:
		// Every attempt's error, the retried ones included.
		resp.Errors = append(resp.Errors, log.errs...)
	case err != nil:
		resp.Errors = append(resp.Errors, string(llm.Classify(err)))
	}
}

func toLLMMessages(ms []prompt.Message) []llm.Message {
	out := make([]llm.Message, len(ms))
	for i, m := range ms {
		out[i] = llm.Message{Role: m.Role, Content: m.Content}
	}
	return out
}
