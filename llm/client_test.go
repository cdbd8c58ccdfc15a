package llm

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
)

// ticking advances the fake clock by d, as a provider call that takes d would.
func ticking(c *fakeClock, d time.Duration, step func(context.Context) (*Response, error)) func(context.Context) (*Response, error) {
	return func(ctx context.Context) (*Response, error) {
		c.mu.Lock()
		c.now = c.now.Add(d)
		c.mu.Unlock()
		return step(ctx)
	}
}

// recorder is an Observer that writes down what it is told, in order.
type recorder struct {
	mu     sync.Mutex
	events []string
	calls  []*Call
	seen   []Attempt
}

type ctxKey struct{}

func (r *recorder) Start(ctx context.Context, call *Call) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "start "+string(call.Op)+" "+call.Model)
	return context.WithValue(ctx, ctxKey{}, call.Model)
}

func (r *recorder) Attempt(ctx context.Context, call *Call, a Attempt) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "attempt "+string(a.ErrorType)+" ctx="+ctx.Value(ctxKey{}).(string))
	r.seen = append(r.seen, a)
}

func (r *recorder) End(ctx context.Context, call *Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "end ctx="+ctx.Value(ctxKey{}).(string))
	r.calls = append(r.calls, call)
}

// Every attempt comes back as data, on the response and on the error: model, error
// type, usage and duration; usage and cost cover the failed attempts too.
func TestClientReturnsEveryAttemptAsData(t *testing.T) {
	clock := newFakeClock()
	p := &scripted{script: []func(context.Context) (*Response, error){
		ticking(clock, 30*time.Millisecond, fail(&Error{Type: RateLimitError, Status: 429, RetryAfter: time.Second})),
		ticking(clock, 40*time.Millisecond, fail(&Error{Type: ParseError, Err: ErrMalformedResponse, Usage: Usage{PromptTokens: 1000}})),
		ticking(clock, 50*time.Millisecond, ok("{}")),
	}}
	c := NewClient(p, ClientConfig{Resilience: testConfig(clock)})
	resp, err := c.Complete(context.Background(), Request{Model: "gpt-4o-mini"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Attempt{
		{Model: "gpt-4o-mini", ErrorType: RateLimitError, Duration: 30 * time.Millisecond},
		{Model: "gpt-4o-mini", ErrorType: ParseError, Usage: Usage{PromptTokens: 1000}, Duration: 40 * time.Millisecond},
		{Model: "gpt-4o-mini", Usage: Usage{PromptTokens: 10, CompletionTokens: 5}, Duration: 50 * time.Millisecond},
	}
	if len(resp.Attempts) != len(want) {
		t.Fatalf("attempts %+v", resp.Attempts)
	}
	for i := range want {
		if resp.Attempts[i] != want[i] {
			t.Errorf("attempt %d = %+v, want %+v", i, resp.Attempts[i], want[i])
		}
	}
	if resp.Usage != (Usage{PromptTokens: 1010, CompletionTokens: 5}) {
		t.Errorf("usage %+v, want every attempt's", resp.Usage)
	}
	// gpt-4o-mini: $0.15 in, $0.60 out per million tokens.
	if wantCost, _ := DefaultPrices().Cost("gpt-4o-mini", resp.Usage); resp.CostUSD != wantCost || wantCost <= 0 {
		t.Errorf("cost %v, want %v", resp.CostUSD, wantCost)
	}
	// 30 + 40 + 50 ms of calls and the 1 s Retry-After, then a 0.5·400 ms backoff.
	if resp.Latency != 120*time.Millisecond+time.Second+200*time.Millisecond {
		t.Errorf("latency %s", resp.Latency)
	}

	p = &scripted{script: []func(context.Context) (*Response, error){
		ticking(clock, 10*time.Millisecond, fail(&Error{Type: ServerError, Status: 500, Usage: Usage{PromptTokens: 7}})),
		ticking(clock, 10*time.Millisecond, fail(&Error{Type: AuthError, Status: 401})),
	}}
	_, err = NewClient(p, ClientConfig{Resilience: testConfig(clock)}).Complete(context.Background(), Request{Model: "gpt-4o"})
	e, isErr := errors.AsType[*Error](err)
	if !isErr || e.Type != AuthError || len(e.Attempts) != 2 || e.Attempts[0].ErrorType != ServerError ||
		e.Attempts[1].ErrorType != AuthError || e.Usage != (Usage{PromptTokens: 7}) || e.CostUSD <= 0 {
		t.Fatalf("err %#v", err)
	}
}

// The observer is told of the call and of each attempt as it ends, under the context
// it returned, and sees the whole call at its end.
func TestClientObserverReceivesTheCall(t *testing.T) {
	clock := newFakeClock()
	obs := &recorder{}
	var providerCtx string
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: ServerError, Status: 503}),
		func(ctx context.Context) (*Response, error) {
			providerCtx, _ = ctx.Value(ctxKey{}).(string)
			return ok("{}")(ctx)
		},
	}}
	c := NewClient(p, ClientConfig{Name: "acme", Resilience: testConfig(clock), Observer: obs})
	resp, err := c.Complete(context.Background(), Request{Model: "gpt-4o"})
	if err != nil {
		t.Fatal(err)
	}
	want := "start chat gpt-4o|attempt ServerError ctx=gpt-4o|attempt  ctx=gpt-4o|end ctx=gpt-4o"
	if got := strings.Join(obs.events, "|"); got != want {
		t.Errorf("events %q, want %q", got, want)
	}
	if providerCtx != "gpt-4o" {
		t.Error("the provider did not run under the observer's context")
	}
	call := obs.calls[0]
	if call.Provider != "acme" || call.Response != resp || call.Err != nil || len(call.Attempts) != 2 || call.CostUSD != resp.CostUSD || call.Elapsed != resp.Latency {
		t.Errorf("call %+v", call)
	}

	// A refusal by the breaker: no attempt, the CircuitOpen error at the end.
	obs = &recorder{}
	cfg := testConfig(clock)
	cfg.MaxAttempts, cfg.Breaker = 1, BreakerConfig{ConsecutiveFailures: 1, CoolDown: time.Hour}
	c = NewClient(&scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: ServerError, Status: 500})}},
		ClientConfig{Resilience: cfg, Observer: obs})
	c.Complete(context.Background(), req)
	_, err = c.Complete(context.Background(), req)
	if e, ok := errors.AsType[*Error](err); !ok || e.Type != CircuitOpen || e.Attempts != nil {
		t.Fatalf("err %#v", err)
	}
	if len(obs.seen) != 1 || len(obs.calls) != 2 || Classify(obs.calls[1].Err) != CircuitOpen || len(obs.calls[1].Attempts) != 0 {
		t.Errorf("observer saw %d attempts, calls %+v", len(obs.seen), obs.calls)
	}
}

// A Client used as another's provider reports the attempts it made; the outer Client
// keeps them instead of counting one. A CircuitOpen without attempts made no call.
func TestClientKeepsTheAttemptsOfANestedClient(t *testing.T) {
	clock := newFakeClock()
	inner := NewClient(&scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: ServerError, Status: 500}), fail(&Error{Type: ServerError, Status: 502}), ok("{}"),
	}}, ClientConfig{Resilience: testConfig(clock)})
	outerCfg := testConfig(clock)
	outerCfg.MaxAttempts = 1
	resp, err := NewClient(inner, ClientConfig{Resilience: outerCfg}).Complete(context.Background(), req)
	if err != nil || len(resp.Attempts) != 3 || resp.Attempts[1].ErrorType != ServerError || resp.Usage.Total() != 15 {
		t.Fatalf("resp %+v err %v", resp, err)
	}
	open := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: CircuitOpen, Err: ErrCircuitOpen})}}
	_, err = NewClient(open, ClientConfig{Resilience: outerCfg}).Complete(context.Background(), req)
	if e, ok := errors.AsType[*Error](err); !ok || e.Type != CircuitOpen || len(e.Attempts) != 0 {
		t.Fatalf("err %#v, want CircuitOpen after no attempt", err)
	}
}

func TestClientEmbedNeedsAnEmbeddingProvider(t *testing.T) {
	c := NewClient(&scripted{script: []func(context.Context) (*Response, error){ok("{}")}}, ClientConfig{})
	_, err := c.Embed(context.Background(), "text-embedding-3-small", []string{"x"})
	if Classify(err) != BadRequestError {
		t.Fatalf("err %v", err)
	}
}

type spend struct {
	total float64
	byKey map[string]float64
	asked time.Time
}

func (s *spend) DayCost(now time.Time) (float64, map[string]float64) {
	s.asked = now
	return s.total, s.byKey
}

func TestBudgetCheck(t *testing.T) {
	now := time.Date(2026, 12, 4, 18, 30, 0, 0, time.FixedZone("CET", 3600))
	s := &spend{total: 0.9, byKey: map[string]float64{"k1": 0.4}}
	b := Budget{DailyUSD: 1, PerKeyDailyUSD: 0.5, Spending: s, Now: func() time.Time { return now }}
	if err := b.Check("k1", 0.05); err != nil {
		t.Fatalf("within both budgets: %v", err)
	}
	if !s.asked.Equal(now) || s.asked.Location() != time.UTC {
		t.Errorf("spending read for %v, want the UTC day of %v", s.asked, now)
	}
	err := b.Check("k1", 0.2)
	be, ok := errors.AsType[*BudgetError](err)
	if !ok || be.PerKey || be.LimitUSD != 1 || be.SpentUSD != 0.9 || Classify(err) != RateLimitError {
		t.Fatalf("overall budget: %#v", err)
	}
	// 17:30 UTC: the budget resets in 6h30.
	if be.RetryAfter != 6*time.Hour+30*time.Minute {
		t.Errorf("retry after %s", be.RetryAfter)
	}
	s.total = 0
	if be, ok := errors.AsType[*BudgetError](b.Check("k1", 0.2)); !ok || !be.PerKey || be.LimitUSD != 0.5 || be.SpentUSD != 0.4 {
		t.Fatalf("key budget: %#v", be)
	}
	if err := b.Check("k2", 0.2); err != nil {
		t.Errorf("another key: %v", err)
	}
	if (Budget{DailyUSD: 1}).On() || (Budget{Spending: s}).On() || (Budget{Spending: s}).Check("k1", 100) != nil {
		t.Error("a budget without spending or caps refused")
	}
}

// fakeEmbeddings answers each input with [len(input), 3, 0, ...] of dim d.
type fakeEmbeddings struct {
	scripted
	dim   int
	calls int
}

func (f *fakeEmbeddings) Embed(ctx context.Context, model string, inputs []string) ([][]float32, Usage, error) {
	f.calls++
	out := make([][]float32, len(inputs))
	for i, s := range inputs {
		out[i] = make([]float32, f.dim)
		out[i][0], out[i][1] = float32(len(s)), 3
	}
	return out, Usage{PromptTokens: len(inputs)}, nil
}

func TestEmbedder(t *testing.T) {
	f := &fakeEmbeddings{dim: 4}
	obs := &recorder{}
	c := NewClient(f, ClientConfig{Name: "openai", Observer: obs})
	e, err := NewEmbedder(c, EmbedderConfig{Model: "nomic-embed-text", Dim: 4})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"a", "bbbb"}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		n := math.Hypot(float64(len(texts[i])), 3)
		if len(v) != 4 || math.Abs(float64(v[0])-float64(len(texts[i]))/n) > 1e-6 || math.Abs(float64(v[1])-3/n) > 1e-6 {
			t.Errorf("text %d: vector out of order or not normalised: %v", i, v)
		}
	}
	if e.Name() != "openai:nomic-embed-text:4" || e.Dim() != 4 {
		t.Errorf("name %q dim %d", e.Name(), e.Dim())
	}
	if len(obs.calls) != 1 || obs.calls[0].Op != OpEmbeddings || len(obs.seen) != 1 || obs.seen[0].Usage.PromptTokens != 2 {
		t.Errorf("the embedding call was not observed: %v", obs.events)
	}
	if _, err := e.Embed(context.Background(), []string{"ok", ""}); !errors.Is(err, embed.ErrEmptyInput) || f.calls != 1 {
		t.Errorf("empty text: %v (%d calls)", err, f.calls)
	}
	if _, err := NewEmbedder(c, EmbedderConfig{}); err != nil {
		t.Errorf("default model: %v", err)
	}
	wrong, _ := NewEmbedder(c, EmbedderConfig{}) // text-embedding-3-small: 1536
	if _, err := wrong.Embed(context.Background(), []string{"x"}); !errors.As(err, new(*DimensionError)) {
		t.Errorf("dimension mismatch: %v", err)
	}
	if _, err := NewEmbedder(c, EmbedderConfig{Model: "mystery"}); err == nil {
		t.Error("unknown model without Dim accepted")
	}
}
