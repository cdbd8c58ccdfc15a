package planner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/planwise/planwise/internal/ids"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// PartialPlanner is an offline planner (a query.Planner) that can also answer with the
// plan of the clauses it can plan and the list of those it cannot (pattern.Pattern
// does), for requests that ask for partial plans (Options.Partial, Config.Partial).
type PartialPlanner interface {
	PlanPartial(ctx context.Context, q query.Query) (*plan.Plan, []string, error)
}

// partial reports whether req may be answered with a partial plan.
func (p *Planner) partial(req Request) bool {
	if req.Options.Partial != nil {
		return *req.Options.Partial
	}
	return p.cfg.Partial
}

// Config holds the planner's settings; the zero value is completed by defaults.
type Config struct {
	// Deadline bounds a whole request (default 10 s); a request may ask for less or more,
	// up to MaxDeadline.
	Deadline    time.Duration
	MaxDeadline time.Duration
	// MaxRequestBytes bounds the request text (default 8 KiB).
	MaxRequestBytes int
	// Partial makes the offline pattern planner answer a request some of whose clauses
	// it cannot plan with the plan of the others (Response.Partial and Unplanned)
	// instead of refusing it. Off by default: a plan that silently does part of what
	// was asked is a wrong plan. A request may ask either way (Options.Partial).
	Partial bool
	// Margin is the default pattern planner's margin (pattern.WithMargin); 0 keeps its
	// default.
	Margin float64
}

func (c *Config) defaults() {
	if c.Deadline <= 0 {
		c.Deadline = 10 * time.Second
	}
	if c.MaxDeadline <= 0 {
		c.MaxDeadline = 60 * time.Second
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = 8 << 10
	}
}

// Planner turns requests into validated plans. See the package documentation.
type Planner struct {
	reg     *tool.Registry
	cfg     Config
	history query.Planner // optional
	pattern query.Planner
	llm     *llmStage // nil when offline
	rec     *metrics.Recorder
	tp      trace.TracerProvider // nil: not tracing
	tracer  trace.Tracer         // the request's span
	stages  trace.Tracer         // the stages' spans (route, cache, prompt, validate, fallback)
	cache   *cache.Cache
	an      *query.Analyzer // the request's slots, extracted once for every stage
	budget  Budget
	learn   *history.History
	learnQ  *history.Queue
	now     func() time.Time

	// opts rebuild the planner over another registry (SetRegistry); live is that planner.
	opts []Option
	live atomic.Pointer[Planner]
	swap sync.Mutex
}

// Budget caps LLM spending per UTC day, overall and per API key (0 = no cap). When a cap
// is reached, requests that would call the LLM get a rate_limited error (HTTP 429) with
// Retry-After until midnight UTC, and no offline planner answers them instead (a spent
// budget is no fallback); cache hits are still served. Spending is read from the
// Ledger when one is set (kept in the store: it survives restarts and replicas share
// it), else from the metrics recorder (this process only; WithRecorder is required).
type Budget struct {
	DailyUSD       float64
	PerKeyDailyUSD float64
	Ledger         *metrics.Ledger
}

// WithBudget enforces b before every LLM call.
func WithBudget(b Budget) Option {
	return func(p *Planner) error { p.budget = b; return nil }
}

// WithCache consults the semantic plan cache before routing (a hit never calls the LLM)
// and stores every validated LLM plan in it.
func WithCache(c *cache.Cache) Option {
	return func(p *Planner) error { p.cache = c; return nil }
}

// WithTracerProvider traces every request with one span per stage (route, cache,
// prompt, validate, fallback). The LLM call's span, with the GenAI attributes, is the
// llm.Client's (metrics.NewLLMObserver); a Provider that is not a Client is traced with
// tp. The default traces nothing.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(p *Planner) error {
		p.tp, p.tracer = tp, tp.Tracer("github.com/planwise/planwise/planner")
		p.stages = p.tracer
		return nil
	}
}

// untraced is the tracer of a planner without a TracerProvider: noop's, except that a
// span started in a context that has none returns that context as it is. noop's Tracer
// stores its empty span in a new context, where SpanFromContext finds the same empty span
// as in the context it was given: three context values a cache hit, for nothing.
type untraced struct{ noop.Tracer }

// noSpan is what trace.SpanFromContext returns for a context without a span.
var noSpan = trace.SpanFromContext(context.Background())

func (t untraced) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if trace.SpanFromContext(ctx) == noSpan {
		return ctx, noSpan
	}
	return t.Tracer.Start(ctx, name, opts...)
}

// unobserved is the tracer of the stages of a planner without a TracerProvider. Within
// the request's span, untraced's span is already either none (the caller brought no
// span: a stage's span would be none too, its context the one it was given) or noop's,
// carrying the caller's span context (a stage's span would be that same span, in a
// context that gives what its parent gives). So a stage's span can return its context as
// it is and a span that does not record, without looking into the context: a look walks
// its chain of values (net/http's, the server's), about 190 instructions a span on a
// cache hit served over HTTP.
type unobserved struct{ noop.Tracer }

func (unobserved) Start(ctx context.Context, _ string, _ ...trace.SpanStartOption) (context.Context, trace.Span) {
	return ctx, noSpan
}

// WithRecorder records every request's outcome (latency, source, tokens, cost, errors).
func WithRecorder(r *metrics.Recorder) Option {
	return func(p *Planner) error { p.rec = r; return nil }
}

// Option configures a Planner.
type Option func(*Planner) error

// WithConfig sets the planner's configuration.
func WithConfig(c Config) Option {
	return func(p *Planner) error { p.cfg = c; return nil }
}

// WithHistoryPlanner adds the history planner, tried before the pattern planner.
func WithHistoryPlanner(h query.Planner) Option {
	return func(p *Planner) error { p.history = h; return nil }
}

// WithClock sets the clock the planner reads (default time.Now): for deadlines' start,
// for records, and for relative dates ("tomorrow") in the default pattern planner.
func WithClock(now func() time.Time) Option {
	return func(p *Planner) error {
		if now == nil {
			return errors.New("planner: WithClock(nil)")
		}
		p.now = now
		return nil
	}
}

// WithPatternPlanner replaces the default pattern planner (pattern.NewPattern).
func WithPatternPlanner(o query.Planner) Option {
	return func(p *Planner) error { p.pattern = o; return nil }
}

// New returns a planner over reg. Without an LLM option it plans offline.
func New(reg *tool.Registry, opts ...Option) (*Planner, error) {
	if reg == nil {
		return nil, errors.New("planner: nil registry")
	}
	p := &Planner{reg: reg, now: time.Now, tracer: untraced{}, stages: unobserved{}, opts: slices.Clone(opts)}
	for _, o := range opts {
		if err := o(p); err != nil {
			return nil, err
		}
	}
	p.cfg.defaults()
	if p.pattern == nil {
		p.pattern = pattern.NewPattern(reg, pattern.WithClock(p.now), pattern.WithMargin(p.cfg.Margin))
	}
	if p.llm != nil {
		if p.llm.cfg.Router == nil {
			// LLMConfig.Routing: the router matches clauses with the pattern planner
			// above, which plans when the LLM fails, rather than a second one.
			pat, ok := p.pattern.(*pattern.Pattern)
			if !ok {
				pat = pattern.NewPattern(reg)
			}
			r, err := complexityRouter(pat, *p.llm.cfg.Routing)
			if err != nil {
				return nil, fmt.Errorf("routing: %w", err)
			}
			p.llm.cfg.Router = r
		}
		p.llm.finish(p.tp, p.stages, p.budget, p.rec, p.now)
	}
	p.an = query.NewAnalyzer(reg, p.now)
	return p, nil
}

// Deadline is the deadline a request with these options gets: options.deadline_ms
// capped by Config.MaxDeadline, else Config.Deadline.
func (p *Planner) Deadline(o Options) time.Duration {
	if d := time.Duration(o.DeadlineMS) * time.Millisecond; d > 0 {
		return min(d, p.cfg.MaxDeadline)
	}
	return p.cfg.Deadline
}

// Registry returns the planner's tool registry.
func (p *Planner) Registry() *tool.Registry {
	if q := p.live.Load(); q != nil {
		return q.reg
	}
	return p.reg
}

// Offline reports whether the planner has no LLM.
func (p *Planner) Offline() bool { return p.llm == nil }

// Plan produces a validated plan for req or a *Error.
func (p *Planner) Plan(ctx context.Context, req Request) (*Response, error) {
	if q := p.live.Load(); q != nil {
		return q.Plan(ctx, req)
	}
	start := p.now()
	err := p.admit(&req)
	if err == nil {
		err = p.checkModel(req)
	}
	if err != nil {
		end := p.now()
		p.record(req, nil, &outcome{cacheResult: "skip"}, end.Sub(start), end, err)
		return nil, err
	}
	// A span's attributes are built only when it records: without a tracer provider they
	// were a twentieth of a cache hit's garbage.
	ctx, span := p.tracer.Start(ctx, "planwise.plan")
	defer span.End()
	if span.IsRecording() {
		span.SetAttributes(attribute.String("planwise.request_id", req.RequestID), attribute.String("planwise.tenant", req.Tenant))
	}

	resp := &Response{
		RequestID:       req.RequestID,
		HistoryID:       req.HistoryID,
		RegistryVersion: p.reg.Version(),
		Offline:         p.llm == nil || req.Options.Offline,
	}
	out := &outcome{cacheResult: "skip"}
	choice := p.choosePrompt(req)
	// One query for every stage: its text is analysed (slots, template) and embedded at
	// most once, on the first stage's demand.
	q := p.an.Query(req.Tenant, req.Text)
	resp, err = p.plan(ctx, req, q, resp, out, choice)
	// The clock is read once for the end of the request: the response, the metrics and
	// the history record give the same latency and time (each reading is 60-120 ns here).
	end := p.now()
	latency := end.Sub(start)
	if resp != nil {
		resp.LatencyMS = float64(latency.Microseconds()) / 1000
	}
	if pe, ok := AsError(err); ok && pe.Response != nil {
		pe.Response.LatencyMS = float64(latency.Microseconds()) / 1000
	}
	p.record(req, resp, out, latency, end, err)
	p.remember(ctx, req, q, resp, out, choice, latency, end, err)
	switch {
	case !span.IsRecording():
	case err != nil:
		span.SetStatus(codes.Error, err.Error())
	default:
		span.SetAttributes(attribute.String("planwise.source", resp.Source), attribute.Bool("planwise.fallback", resp.Fallback))
	}
	return resp, err
}

// outcome carries what metrics and the history need beyond the response.
type outcome struct {
	cacheResult string
	refused     string // the planner that declined the request ("llm"), if one did
	firstValid  *bool  // validity of the first plan produced, before any repair
	firstErr    error  // why the first plan was invalid
}

func (o *outcome) sawPlan(err error) {
	if o.firstValid == nil {
		valid := err == nil
		o.firstValid, o.firstErr = &valid, err
	}
}

// plan runs the stages within the request's deadline. A request its cache entry serves
// verbatim (cache.LookupVerbatim) takes none: nothing on its path waits, and the
// deadline's context and timer were a tenth of the allocations of a cache hit served
// over HTTP (BENCHMARKS.md, issue 13).
func (p *Planner) plan(ctx context.Context, req Request, q query.Query, resp *Response, out *outcome, choice promptChoice) (*Response, error) {
	route := p.route(ctx, req, q)
	ns := p.namespace(req, route, choice)
	hit := p.lookupVerbatim(ctx, req, q, ns, out)
	if hit == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.Deadline(req.Options))
		defer cancel()
		hit = p.lookup(ctx, req, q, ns, out)
	}
	if hit != nil {
		resp.Plan, resp.Source, resp.planJSON = hit.Plan, SourceCache, hit.PlanJSON
		resp.Tier = route.Tier
		resp.PromptVersion = ns.Prompt
		resp.Cache = &CacheInfo{Similarity: hit.Similarity, Exact: hit.Exact, AgeSeconds: hit.Age.Seconds(), EntryID: hit.EntryID}
		return resp, nil
	}

	var causes []string
	reason := ReasonOffline
	if !resp.Offline {
		// The LLM stage gets the deadline minus a reserve, so that a hanging or slow
		// provider still leaves time for the offline planners (microseconds to
		// milliseconds) to answer within the request's deadline.
		llmCtx, cancel := context.WithDeadline(ctx, llmDeadline(ctx))
		pl, err := p.llm.plan(llmCtx, req, q, route, choice, p.examples(llmCtx, q), resp, out)
		if err == nil {
			cancel()
			resp.Plan, resp.Source = pl, SourceLLM
			p.store(ctx, req, q, ns, resp)
			return resp, nil
		}
		reason = fallbackReason(llmCtx, err)
		cancel()
		if pe, ok := AsError(err); ok && pe.Code == CodeRateLimited {
			return nil, pe // a spent budget: answered 429, no fallback (Budget)
		}
		if ref, ok := errors.AsType[*refusal](err); ok {
			// The model read every tool's documentation and said none fits. The offline
			// planners match words against the same registry with less understanding:
			// asked now, their best guess would be a made-up plan served over the
			// model's refusal. The refusal is the answer.
			out.refused = SourceLLM
			e := p.fail(resp, CodeCannotPlan, "no tool in the registry fits the request: "+ref.reason, []string{"llm: " + ref.Error()}, plan.ErrCannotPlan)
			e.Reason, e.RefusedBy = ref.reason, SourceLLM
			return nil, e
		}
		causes = append(causes, "llm: "+err.Error())
		if ctx.Err() != nil {
			return nil, p.fail(resp, CodeDeadline, "the deadline was spent before a valid plan was found", causes, err)
		}
	}

	// Offline planners: history first (it reuses proven plans), then pattern.
	type stage struct {
		name string
		o    query.Planner
	}
	why := ""
	for _, st := range []stage{{SourceHistory, p.history}, {SourcePattern, p.pattern}} {
		if st.o == nil {
			continue
		}
		sctx, span := p.stages.Start(ctx, "fallback "+st.name, trace.WithAttributes(attribute.String("planwise.fallback_reason", reason)))
		var (
			pl        *plan.Plan
			unplanned []string
			err       error
		)
		if pp, ok := st.o.(PartialPlanner); ok && p.partial(req) {
			pl, unplanned, err = pp.PlanPartial(sctx, q)
		} else {
			pl, err = st.o.Plan(sctx, q)
		}
		if err == nil {
			// The validator is the authority, whatever the planner promised.
			if verr := plan.Validate(pl, p.reg); verr != nil {
				span.SetStatus(codes.Error, "invalid plan")
				span.End()
				out.sawPlan(verr)
				causes = append(causes, st.name+": produced an invalid plan: "+verr.Error())
				continue
			}
			span.End()
			out.sawPlan(nil)
			resp.Plan, resp.Source = pl, st.name
			resp.Partial, resp.Unplanned = len(unplanned) > 0, unplanned
			// An offline planner's answer is always a fallback, online or not, and says why.
			resp.Fallback = true
			resp.FallbackReason = reason
			return resp, nil
		}
		span.SetStatus(codes.Error, err.Error())
		span.End()
		causes = append(causes, st.name+": "+err.Error())
		if ce := (*plan.CannotPlanError)(nil); errors.As(err, &ce) && st.name == SourcePattern {
			why = ce.Reason
		}
		if ctx.Err() != nil {
			return nil, p.fail(resp, CodeDeadline, "the deadline was spent before a valid plan was found", causes, err)
		}
	}
	code, msg := CodeCannotPlan, "no tool in the registry fits the request"
	if why != "" {
		// The pattern planner says which part it could not plan and why: that, not a
		// generic line, is what the caller needs to rephrase or add a tool.
		msg = "the request cannot be planned: " + why
	}
	if reason != ReasonOffline && reason != ReasonInvalidPlan {
		code, msg = CodeUnavailable, "the LLM failed and no offline planner could plan the request"
	}
	return nil, p.fail(resp, code, msg, causes, plan.ErrCannotPlan)
}

// USD formats an amount of dollars with the precision small amounts need: $0.003, not
// $0.00; $12.50; at most six decimals.
func USD(v float64) string {
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 < 2 {
		s += strings.Repeat("0", 2-(len(s)-i-1))
	}
	return "$" + s
}

// route picks the tier and model (microseconds); offline it is empty. A QueryRouter
// reads q's analysis.
func (p *Planner) route(ctx context.Context, req Request, q query.Query) Route {
	if p.llm == nil || req.Options.Offline {
		return Route{}
	}
	_, span := p.stages.Start(ctx, "route")
	defer span.End()
	var r Route
	if qr, ok := p.llm.cfg.Router.(QueryRouter); ok {
		r = qr.RouteQuery(req, q)
	} else {
		r = p.llm.cfg.Router.Route(req)
	}
	if req.Options.Model != "" {
		r = Route{Tier: "override", Model: req.Options.Model}
	}
	if span.IsRecording() {
		span.SetAttributes(attribute.String("planwise.tier", r.Tier), attribute.String("planwise.model", r.Model))
	}
	return r
}

// namespace is the cache partition of a request: registry, prompt version, tier, tenant.
func (p *Planner) namespace(req Request, r Route, choice promptChoice) cache.Namespace {
	ns := cache.Namespace{Registry: p.reg.Version(), Tier: r.Tier, Tenant: req.Tenant}
	if p.llm != nil {
		ns.Prompt = p.llm.promptVersion(choice.Variant)
	}
	return ns
}

// lookupVerbatim is lookup when the cache serves req's text verbatim, nil otherwise.
func (p *Planner) lookupVerbatim(ctx context.Context, req Request, q query.Query, ns cache.Namespace, out *outcome) *cache.Hit {
	if p.cache == nil || req.Options.NoCache {
		return nil
	}
	res, ok := p.cache.LookupVerbatim(ns, q, p.reg)
	if !ok {
		return nil
	}
	_, span := p.stages.Start(ctx, "cache")
	if span.IsRecording() {
		span.SetAttributes(attribute.String("planwise.cache.result", string(res.Reason)))
	}
	span.End()
	out.cacheResult = "exact"
	out.sawPlan(nil)
	return res.Hit
}

// lookup consults the cache; nil on a miss, when disabled, or on a cache error (a broken
// cache must never fail a request: the LLM path answers instead).
func (p *Planner) lookup(ctx context.Context, req Request, q query.Query, ns cache.Namespace, out *outcome) *cache.Hit {
	if p.cache == nil || req.Options.NoCache {
		return nil
	}
	ctx, span := p.stages.Start(ctx, "cache")
	defer span.End()
	res, err := p.cache.LookupQuery(ctx, ns, q, p.reg)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
		out.cacheResult = "error"
		return nil
	}
	span.SetAttributes(attribute.String("planwise.cache.result", string(res.Reason)))
	if res.Hit == nil {
		out.cacheResult = "miss"
		return nil
	}
	// A hit has been re-bound and has passed plan.Validate against p.reg inside Lookup
	// (a plan that does not validate is a miss_invalid): the validator stays the
	// authority without running twice on the hot path.
	out.cacheResult = "hit"
	if res.Hit.Exact {
		out.cacheResult = "exact"
	}
	out.sawPlan(nil)
	return res.Hit
}

// store keeps a validated LLM plan; a failure is recorded on the response, not returned.
func (p *Planner) store(ctx context.Context, req Request, q query.Query, ns cache.Namespace, resp *Response) {
	if p.cache == nil || req.Options.NoCache {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := p.cache.StoreQuery(sctx, ns, q, resp.Plan, p.reg); err != nil {
		resp.Errors = append(resp.Errors, "CacheStoreError")
	}
}

// Forget evicts from the cache the entry a response was served from (negative feedback).
func (p *Planner) Forget(ctx context.Context, resp *Response) error {
	if resp == nil || resp.Cache == nil {
		return nil
	}
	return p.ForgetEntry(ctx, resp.Cache.EntryID)
}

// ForgetEntry evicts a cache entry by id; unknown ids are not an error.
func (p *Planner) ForgetEntry(ctx context.Context, entryID string) error {
	if p.cache == nil || entryID == "" {
		return nil
	}
	return p.cache.Evict(ctx, entryID)
}

// llmDeadline keeps a tenth of the remaining time (20-250 ms) for the offline planners.
func llmDeadline(ctx context.Context) time.Time {
	dl, _ := ctx.Deadline()
	reserve := min(max(time.Until(dl)/10, 20*time.Millisecond), 250*time.Millisecond)
	return dl.Add(-reserve)
}

func (p *Planner) fail(resp *Response, code, msg string, causes []string, err error) *Error {
	return &Error{Code: code, Message: msg, Causes: causes, Response: resp, err: err}
}

// record reports the request, which ended at end after latency, to the metrics recorder,
// if any, and its spending to the budget ledger.
func (p *Planner) record(req Request, resp *Response, out *outcome, latency time.Duration, end time.Time, err error) {
	if p.budget.Ledger != nil {
		r := resp
		if pe, ok := AsError(err); ok {
			r = pe.Response
		}
		if r != nil && r.CostUSD > 0 {
			p.budget.Ledger.Add(req.APIKey, r.CostUSD)
		}
	}
	if p.rec == nil {
		return
	}
	e := metrics.Event{
		APIKey: req.APIKey, Tenant: req.Tenant, Latency: latency,
		CacheResult: out.cacheResult, Source: "none", Time: end,
	}
	if out.firstValid != nil {
		e.Valid = *out.firstValid
	} else {
		e.NoPlan = true // a refusal, or a failure before any plan: no validity to count
	}
	r := resp
	e.ErrorType = ErrorCode(err) // the code the caller was answered with, as the history's
	if pe, ok := AsError(err); ok {
		r = pe.Response
		if pe.Code == CodeCannotPlan {
			e.Refusal = "offline"
		}
		if out.refused != "" {
			// A model's refusal is an answer, not an error: counted as a refusal, it
			// must not feed the error-burst alert or the provider error rates.
			e.Refusal, e.ErrorType = out.refused, ""
		}
	}
	if r != nil {
		e.Model, e.Tier, e.Variant = r.Model, r.Tier, r.PromptVariant
		e.PromptTokens, e.CompletionTokens, e.CostUSD = r.Tokens.Prompt, r.Tokens.Completion, r.CostUSD
		e.Errors = r.Errors
		e.Retries = r.retries
		if err == nil {
			e.Success, e.Source = true, r.Source
			e.Fallback, e.FallbackReason = r.Fallback, r.FallbackReason
		}
	}
	p.rec.Record(e)
}

// checkModel refuses an options.model the configuration does not route the request's key
// to: a caller naming any model would otherwise bypass routing, the key's tiers and (for
// models without a price) the budgets.
func (p *Planner) checkModel(req Request) error {
	if req.Options.Model == "" || p.llm == nil || req.Options.Offline {
		return nil
	}
	var allowed []string
	if ml, ok := p.llm.cfg.Router.(ModelLister); ok {
		allowed = ml.Models(req)
	}
	if slices.Contains(allowed, req.Options.Model) {
		return nil
	}
	msg := fmt.Sprintf("options.model %q is not a model this API key may use", truncate(req.Options.Model, 64))
	if len(allowed) > 0 {
		msg += "; use one of: " + strings.Join(allowed, ", ") + ", or leave it out to be routed"
	} else {
		msg += "; leave it out to be routed"
	}
	return &Error{Code: CodeModelNotAllowed, Message: msg}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Check reports what Plan would refuse req for before planning anything (an
// invalid_request *Error: empty, too long, not UTF-8, a negative deadline), so that a
// caller can refuse it before saying anything about how it would plan it.
func (p *Planner) Check(req Request) error { return p.admit(&req) }

// admit checks the request and fills the request id.
func (p *Planner) admit(req *Request) error {
	if req.Tenant == "" {
		req.Tenant = DefaultTenant
	}
	if !utf8.ValidString(req.Text) {
		return invalidRequest("the request is not valid UTF-8")
	}
	req.Text = strings.TrimSpace(req.Text)
	if req.Text == "" {
		return invalidRequest("the request is empty; send {\"request\": \"what you want done\"}")
	}
	if len(req.Text) > p.cfg.MaxRequestBytes {
		return invalidRequest("the request is %d bytes; at most %d are accepted", len(req.Text), p.cfg.MaxRequestBytes)
	}
	if req.Options.DeadlineMS < 0 {
		return invalidRequest("options.deadline_ms must be positive")
	}
	made := req.RequestID == ""
	if made {
		req.RequestID = newRequestID()
	}
	switch {
	case p.learn == nil:
		req.HistoryID = "" // no record is kept
	case req.HistoryID != "":
	case made:
		req.HistoryID = req.RequestID
	default: // the caller chose the request id: the record gets an id of its own
		req.HistoryID = newRequestID()
	}
	return nil
}

func newRequestID() string { return ids.New() }

func fallbackReason(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return ReasonDeadline
	}
	var ve *plan.ValidationError
	if errors.As(err, &ve) {
		return ReasonInvalidPlan
	}
	switch llm.Classify(err) {
	case llm.CircuitOpen:
		return ReasonCircuitOpen
	case llm.TimeoutError:
		// The request's deadline is not spent (ctx has time left): an attempt's own
		// timeout, or a 408, cut the call. Saying "deadline" would send an operator to
		// raise a deadline that was never reached.
		return ReasonProviderTimeout
	case llm.ParseError:
		// A body that is not the JSON the API promises (or has no answer at all) is
		// the provider's failure; a truncated or refused answer is the model's plan.
		if errors.Is(err, llm.ErrMalformedResponse) || errors.Is(err, llm.ErrEmptyResponse) {
			return ReasonProviderError
		}
		return ReasonInvalidPlan
	}
	return ReasonProviderError
}

// String renders a response for people: the plan and where it came from. On a fallback
// the model is the one that failed, said after the reason, never beside the offline
// planner that made the plan.
func (r *Response) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "source: %s", r.Source)
	switch {
	case r.Fallback && r.Model != "":
		fmt.Fprintf(&b, ", fallback: %s (after model %s)", r.FallbackReason, r.Model)
	case r.Fallback:
		fmt.Fprintf(&b, ", fallback: %s", r.FallbackReason)
	case r.Model != "":
		fmt.Fprintf(&b, " (model %s)", r.Model)
	}
	b.WriteString("\n")
	for _, s := range r.Plan.Steps {
		fmt.Fprintf(&b, "  %s  %s(%s)", s.ID, s.Tool, renderArgs(s.Args))
		if len(s.After) > 0 {
			fmt.Fprintf(&b, " after %s", strings.Join(s.After, ","))
		}
		if s.If != "" {
			fmt.Fprintf(&b, " if %s", s.If)
		}
		if s.ForEach != "" {
			fmt.Fprintf(&b, " for each %s", s.ForEach)
		}
		b.WriteString("\n")
	}
	if r.Partial {
		fmt.Fprintf(&b, "PARTIAL: not planned: %q\n", r.Unplanned)
	}
	return b.String()
}

func renderArgs(args map[string]any) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		// Strings quoted; numbers, booleans, lists and objects as JSON, never as Go
		// renders them ([a b], map[k:v]).
		v, ok := args[k].(string)
		if !ok {
			b, err := json.Marshal(args[k])
			if err != nil {
				b = []byte(fmt.Sprint(args[k]))
			}
			parts = append(parts, k+"="+string(b))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%q", k, v))
	}
	return strings.Join(parts, ", ")
}
