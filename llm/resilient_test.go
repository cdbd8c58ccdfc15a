package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// fakeClock is a clock that only moves when the retry loop sleeps, so waits are measured
// exactly instead of with timing thresholds.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// scripted is an in-process provider that returns one scripted outcome per call and
// repeats the last one when the script runs out.
type scripted struct {
	mu     sync.Mutex
	script []func(ctx context.Context) (*Response, error)
	calls  int
}

func (s *scripted) ProviderName() string { return "test" }

func (s *scripted) Complete(ctx context.Context, req Request) (*Response, error) {
	s.mu.Lock()
	i := min(s.calls, len(s.script)-1)
	s.calls++
	step := s.script[i]
	s.mu.Unlock()
	return step(ctx)
}

func (s *scripted) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func ok(content string) func(context.Context) (*Response, error) {
	return func(context.Context) (*Response, error) {
		return &Response{Content: content, Model: "m", Usage: Usage{PromptTokens: 10, CompletionTokens: 5}, FinishReason: "stop", Latency: time.Millisecond}, nil
	}
}

func fail(err error) func(context.Context) (*Response, error) {
	return func(context.Context) (*Response, error) { return nil, err }
}

// hang blocks until the call's context ends, like a server that never answers.
func hang(ctx context.Context) (*Response, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func testConfig(clock *fakeClock) ResilienceConfig {
	return ResilienceConfig{
		Now:     clock.Now,
		Sleep:   clock.Sleep,
		Jitter:  func() float64 { return 0.5 },
		Breaker: BreakerConfig{Disabled: true},
	}
}

var req = Request{Model: "m", Messages: []Message{{Role: RoleUser, Content: "hi"}}}

func TestResilientSuccessFirstAttempt(t *testing.T) {
	clock := newFakeClock()
	p := &scripted{script: []func(context.Context) (*Response, error){ok("{}")}}
	resp, err := newResilient(p, testConfig(clock)).Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Attempts) != 1 || resp.Content != "{}" || resp.Usage.Total() != 15 {
		t.Errorf("response %+v", resp)
	}
	if len(clock.Sleeps()) != 0 {
		t.Errorf("slept %v on a first-attempt success", clock.Sleeps())
	}
}

func TestResilientRetriesServerErrorsWithJitteredBackoff(t *testing.T) {
	clock := newFakeClock()
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: ServerError, Status: 500}),
		fail(&Error{Type: ServerError, Status: 503}),
		ok("{}"),
	}}
	resp, err := newResilient(p, testConfig(clock)).Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Attempts) != 3 || p.Calls() != 3 {
		t.Errorf("attempts %d, calls %d, want 3", len(resp.Attempts), p.Calls())
	}
	// Full jitter with the draw fixed at 0.5: 0.5·200ms, then 0.5·400ms.
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}
	if got := clock.Sleeps(); !equalDurations(got, want) {
		t.Errorf("sleeps %v, want %v", got, want)
	}
	if resp.Latency != 300*time.Millisecond {
		t.Errorf("latency %s, want the 300ms spent waiting on the fake clock", resp.Latency)
	}
}

func TestResilientBackoffIsCappedAtMaxDelay(t *testing.T) {
	clock := newFakeClock()
	cfg := testConfig(clock)
	cfg.MaxAttempts = 6
	cfg.BaseDelay = time.Second
	cfg.MaxDelay = 3 * time.Second
	cfg.Jitter = func() float64 { return 0.999 }
	p := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: ServerError, Status: 502})}}
	_, err := newResilient(p, cfg).Complete(context.Background(), req)
	if Classify(err) != ServerError {
		t.Fatalf("err %v", err)
	}
	for i, d := range clock.Sleeps() {
		ceiling := min(3*time.Second, time.Second<<i)
		if d > ceiling || d < ceiling*99/100 {
			t.Errorf("sleep %d = %s, want just under %s", i, d, ceiling)
		}
	}
	if len(clock.Sleeps()) != 5 {
		t.Errorf("%d sleeps for 6 attempts", len(clock.Sleeps()))
	}
}

func TestResilientHonoursRetryAfter(t *testing.T) {
	clock := newFakeClock()
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: RateLimitError, Status: 429, RetryAfter: 2 * time.Second}),
		ok("{}"),
	}}
	resp, err := newResilient(p, testConfig(clock)).Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !equalDurations(got, []time.Duration{2 * time.Second}) {
		t.Errorf("sleeps %v, want exactly the server's 2s", got)
	}
	if len(resp.Attempts) != 2 {
		t.Errorf("attempts %d", len(resp.Attempts))
	}
}

func TestResilientCapsRetryAfter(t *testing.T) {
	clock := newFakeClock()
	cfg := testConfig(clock)
	cfg.MaxRetryAfter = 3 * time.Second
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: RateLimitError, Status: 429, RetryAfter: time.Hour}),
		ok("{}"),
	}}
	if _, err := newResilient(p, cfg).Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !equalDurations(got, []time.Duration{3 * time.Second}) {
		t.Errorf("sleeps %v, want the 3s cap", got)
	}
}

func TestResilientGivesUpBeforeTheDeadline(t *testing.T) {
	clock := newFakeClock()
	ctx, cancel := context.WithDeadline(context.Background(), clock.Now().Add(time.Second))
	defer cancel()
	cfg := testConfig(clock)
	cfg.MaxAttempts = 10
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: RateLimitError, Status: 429, RetryAfter: 700 * time.Millisecond}),
	}}
	_, err := newResilient(p, cfg).Complete(ctx, req)
	// First wait ends at 0.7s (< 1s deadline); the second would end at 1.4s, so the loop
	// returns the last error instead of waiting.
	var e *Error
	if !errors.As(err, &e) || e.Type != RateLimitError || len(e.Attempts) != 2 || e.Status != 429 {
		t.Fatalf("err %#v, want RateLimitError after 2 attempts", err)
	}
	if got := clock.Sleeps(); !equalDurations(got, []time.Duration{700 * time.Millisecond}) {
		t.Errorf("sleeps %v", got)
	}
	if p.Calls() != 2 {
		t.Errorf("calls %d", p.Calls())
	}
	if e.Provider != "test" || e.Model != "m" {
		t.Errorf("error not labelled: provider %q model %q", e.Provider, e.Model)
	}
}

func TestResilientKeepsAnAttemptBudget(t *testing.T) {
	clock := newFakeClock()
	ctx, cancel := context.WithDeadline(context.Background(), clock.Now().Add(time.Second))
	defer cancel()
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: ServerError, Status: 503, RetryAfter: 990 * time.Millisecond}),
		ok("{}"),
	}}
	// The wait would end 10ms before the deadline, less than the 20ms default budget.
	_, err := newResilient(p, testConfig(clock)).Complete(ctx, req)
	if Classify(err) != ServerError || p.Calls() != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("err %v calls %d sleeps %v, want to give up at once", err, p.Calls(), clock.Sleeps())
	}
}

func TestResilientNeverExceedsRealDeadline(t *testing.T) {
	// Real clock: a provider that always fails with 503 and a 700ms budget. Every wait
	// is checked against the deadline before it starts, so the call returns the last
	// server error before the deadline instead of a timeout. The attempt budget is
	// generous (400ms) so that a CPU-starved test machine, not the loop, cannot make the
	// test fail; the exact arithmetic is tested with the fake clock above.
	p := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: ServerError, Status: 503})}}
	r := newResilient(p, ResilienceConfig{MaxAttempts: 50, BaseDelay: 40 * time.Millisecond, MaxDelay: 100 * time.Millisecond,
		MinAttemptBudget: 400 * time.Millisecond, Breaker: BreakerConfig{Disabled: true}})
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	_, err := r.Complete(ctx, req)
	returned := time.Now()
	if Classify(err) != ServerError {
		t.Fatalf("err %v, want the last ServerError", err)
	}
	if !returned.Before(deadline) {
		t.Errorf("returned %s after the deadline", returned.Sub(deadline))
	}
	if p.Calls() < 2 {
		t.Errorf("only %d calls: the loop should have retried within the budget", p.Calls())
	}
}

func TestResilientDoesNotRetryPermanentErrors(t *testing.T) {
	for _, typ := range []ErrorType{AuthError, BadRequestError, ValidationError} {
		t.Run(string(typ), func(t *testing.T) {
			clock := newFakeClock()
			p := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: typ, Status: 401}), ok("{}")}}
			_, err := newResilient(p, testConfig(clock)).Complete(context.Background(), req)
			if Classify(err) != typ || p.Calls() != 1 || len(clock.Sleeps()) != 0 {
				t.Errorf("err %v calls %d sleeps %v, want one attempt", err, p.Calls(), clock.Sleeps())
			}
		})
	}
	t.Run("truncated", func(t *testing.T) {
		p := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: ParseError, Err: ErrTruncated}), ok("{}")}}
		_, err := newResilient(p, testConfig(newFakeClock())).Complete(context.Background(), req)
		if !errors.Is(err, ErrTruncated) || p.Calls() != 1 {
			t.Errorf("err %v calls %d", err, p.Calls())
		}
	})
}

func TestResilientClassifiesUntypedErrors(t *testing.T) {
	clock := newFakeClock()
	p := &scripted{script: []func(context.Context) (*Response, error){fail(io.ErrUnexpectedEOF), ok("{}")}}
	resp, err := newResilient(p, testConfig(clock)).Complete(context.Background(), req)
	if err != nil || len(resp.Attempts) != 2 {
		t.Fatalf("network error not retried: %v", err)
	}
	p = &scripted{script: []func(context.Context) (*Response, error){fail(errors.New("odd"))}}
	_, err = newResilient(p, testConfig(clock)).Complete(context.Background(), req)
	var e *Error
	if !errors.As(err, &e) || e.Type != APIError || e.Provider != "test" || len(e.Attempts) != 1 {
		t.Errorf("untyped error became %#v", err)
	}
}

func TestResilientSeesThroughWrappedErrors(t *testing.T) {
	clock := newFakeClock()
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(fmt.Errorf("middleware: %w", &Error{Type: RateLimitError, Status: 429, RetryAfter: 3 * time.Second, Usage: Usage{PromptTokens: 1}})),
		ok("{}"),
	}}
	resp, err := newResilient(p, testConfig(clock)).Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !equalDurations(got, []time.Duration{3 * time.Second}) {
		t.Errorf("sleeps %v: the wrapped error's Retry-After was lost", got)
	}
	if resp.Usage.PromptTokens != 11 {
		t.Errorf("usage %+v: the wrapped error's usage was lost", resp.Usage)
	}
}

func TestResilientAttemptTimeoutIsRetried(t *testing.T) {
	p := &scripted{script: []func(context.Context) (*Response, error){hang, ok("{}")}}
	cfg := testConfig(newFakeClock())
	cfg.AttemptTimeout = 20 * time.Millisecond
	resp, err := newResilient(p, cfg).Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Attempts) != 2 {
		t.Errorf("attempts %d", len(resp.Attempts))
	}
	p = &scripted{script: []func(context.Context) (*Response, error){hang}}
	_, err = newResilient(p, cfg).Complete(context.Background(), req)
	var e *Error
	if !errors.As(err, &e) || e.Type != TimeoutError || len(e.Attempts) != 3 || p.Calls() != 3 {
		t.Errorf("err %v calls %d, want TimeoutError after 3 attempts", err, p.Calls())
	}
}

func TestResilientRequestDeadlineEndsAHangingAttempt(t *testing.T) {
	p := &scripted{script: []func(context.Context) (*Response, error){hang}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := newResilient(p, ResilienceConfig{}).Complete(ctx, req)
	var e *Error
	if !errors.As(err, &e) || e.Type != TimeoutError || len(e.Attempts) != 1 {
		t.Fatalf("err %#v, want TimeoutError after 1 attempt", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("timeout does not wrap context.DeadlineExceeded")
	}
}

func TestResilientCanceledDuringWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := testConfig(newFakeClock())
	cfg.Sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}
	p := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: ServerError, Status: 500})}}
	_, err := newResilient(p, cfg).Complete(ctx, req)
	if Classify(err) != Canceled || p.Calls() != 1 {
		t.Fatalf("err %v calls %d", err, p.Calls())
	}
	if !errors.Is(err, context.Canceled) || !treeHasType(err, ServerError) {
		t.Errorf("cancellation lost its causes: %v", err)
	}
}

func TestResilientSumsUsageOfFailedAttempts(t *testing.T) {
	p := &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: ParseError, Err: ErrEmptyResponse, Usage: Usage{PromptTokens: 10, CompletionTokens: 2}}),
		ok("{}"), // reports 10 + 5
	}}
	resp, err := newResilient(p, testConfig(newFakeClock())).Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Usage != (Usage{PromptTokens: 20, CompletionTokens: 7}) {
		t.Errorf("usage %+v, want both attempts billed", resp.Usage)
	}
	p = &scripted{script: []func(context.Context) (*Response, error){
		fail(&Error{Type: ParseError, Err: ErrMalformedResponse, Usage: Usage{PromptTokens: 4}}),
	}}
	_, err = newResilient(p, testConfig(newFakeClock())).Complete(context.Background(), req)
	var e *Error
	if !errors.As(err, &e) || e.Usage != (Usage{PromptTokens: 12}) || len(e.Attempts) != 3 {
		t.Errorf("err %#v, want 3 attempts billing 12 prompt tokens", err)
	}
}

func TestEmbedSharesTheLoopAndTheBreakers(t *testing.T) {
	clock := newFakeClock()
	cfg := testConfig(clock)
	cfg.Breaker = BreakerConfig{ConsecutiveFailures: 3, CoolDown: time.Hour}
	calls := 0
	p := &embedder{scripted: scripted{script: []func(context.Context) (*Response, error){ok("{}")}},
		embed: func(ctx context.Context, model string, inputs []string) ([][]float32, Usage, error) {
			calls++
			switch {
			case calls == 1:
				return nil, Usage{}, &Error{Type: RateLimitError, Status: 429, RetryAfter: time.Second}
			case calls > 2:
				return nil, Usage{}, &Error{Type: ServerError, Status: 500}
			}
			return [][]float32{{1, 2}}, Usage{PromptTokens: 3}, nil
		}}
	r := newResilient(p, cfg)
	res, err := r.Embed(context.Background(), "emb", []string{"x"})
	if err != nil || len(res.Vectors[0]) != 2 || len(res.Attempts) != 2 || res.Latency != time.Second {
		t.Fatalf("Embed = %+v, %v", res, err)
	}
	if a := res.Attempts; a[0].ErrorType != RateLimitError || a[1].ErrorType != "" || res.Usage.PromptTokens != 3 {
		t.Errorf("attempts %+v usage %+v", a, res.Usage)
	}
	// Three failing embedding calls open the breaker that Complete uses for that model.
	for range 3 {
		r.Embed(context.Background(), "emb", []string{"x"})
	}
	if _, err := r.Complete(context.Background(), Request{Model: "emb"}); Classify(err) != CircuitOpen {
		t.Errorf("Complete after Embed opened the breaker: %v", err)
	}
}

// embedder is a scripted provider that also embeds.
type embedder struct {
	scripted
	embed func(ctx context.Context, model string, inputs []string) ([][]float32, Usage, error)
}

func (e *embedder) Embed(ctx context.Context, model string, inputs []string) ([][]float32, Usage, error) {
	return e.embed(ctx, model, inputs)
}

func TestBreakerOpensAndRecovers(t *testing.T) {
	var healthy atomic.Bool
	var calls atomic.Int32
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		calls.Add(1)
		if healthy.Load() {
			return ok("{}")(ctx)
		}
		return nil, &Error{Type: ServerError, Status: 503}
	})
	var transitions []string
	var mu sync.Mutex
	r := newResilient(p, ResilienceConfig{
		MaxAttempts: 1,
		Breaker: BreakerConfig{ConsecutiveFailures: 3, CoolDown: 30 * time.Millisecond, OnStateChange: func(key, from, to string) {
			mu.Lock()
			transitions = append(transitions, key+":"+from+"->"+to)
			mu.Unlock()
		}},
	})
	for range 3 {
		if _, err := r.Complete(context.Background(), req); Classify(err) != ServerError {
			t.Fatalf("burst: %v", err)
		}
	}
	if st := r.BreakerStates()["func/m"]; st != "open" {
		t.Fatalf("after 3 consecutive 503s breaker is %q", st)
	}
	before := calls.Load()
	_, err := r.Complete(context.Background(), req)
	var e *Error
	if !errors.As(err, &e) || e.Type != CircuitOpen || !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("open breaker returned %v", err)
	}
	if calls.Load() != before {
		t.Error("open breaker still called the provider")
	}

	healthy.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := r.Complete(context.Background(), req)
		if err == nil {
			break
		}
		if Classify(err) != CircuitOpen || time.Now().After(deadline) {
			t.Fatalf("breaker did not recover: %v", err)
		}
		time.Sleep(5 * time.Millisecond) // poll interval while the cool-down runs
	}
	if st := r.BreakerStates()["func/m"]; st != "closed" {
		t.Errorf("after a successful probe the breaker is %q", st)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"func/m:closed->open", "func/m:open->half-open", "func/m:half-open->closed"}
	if len(transitions) != 3 || transitions[0] != want[0] || transitions[1] != want[1] || transitions[2] != want[2] {
		t.Errorf("transitions %v, want %v", transitions, want)
	}
}

func TestBreakerIgnoresPermanentAndCallerErrors(t *testing.T) {
	p := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: BadRequestError, Status: 400})}}
	r := newResilient(p, ResilienceConfig{MaxAttempts: 1, Breaker: BreakerConfig{ConsecutiveFailures: 2}})
	for range 5 {
		r.Complete(context.Background(), req)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	hp := &scripted{script: []func(context.Context) (*Response, error){hang}}
	rh := newResilient(hp, ResilienceConfig{MaxAttempts: 1, Breaker: BreakerConfig{ConsecutiveFailures: 2}})
	for range 5 {
		short, stop := context.WithTimeout(context.Background(), time.Millisecond)
		rh.Complete(short, req)
		stop()
	}
	rh.Complete(ctx, req)
	if st := r.BreakerStates()["test/m"]; st != "closed" {
		t.Errorf("400s opened the breaker: %q", st)
	}
	if st := rh.BreakerStates()["test/m"]; st != "closed" {
		t.Errorf("caller deadlines opened the breaker: %q", st)
	}
}

func TestBreakerOpeningMidLoopReturnsTheCause(t *testing.T) {
	p := &scripted{script: []func(context.Context) (*Response, error){fail(&Error{Type: ServerError, Status: 502})}}
	cfg := testConfig(newFakeClock())
	cfg.MaxAttempts = 5
	cfg.Breaker = BreakerConfig{ConsecutiveFailures: 2, CoolDown: time.Hour}
	r := newResilient(p, cfg)
	_, err := r.Complete(context.Background(), req)
	var e *Error
	if !errors.As(err, &e) || e.Type != ServerError || len(e.Attempts) != 2 || p.Calls() != 2 {
		t.Fatalf("err %v calls %d, want the 502 after 2 attempts", err, p.Calls())
	}
	_, err = r.Complete(context.Background(), req)
	if Classify(err) != CircuitOpen || p.Calls() != 2 {
		t.Errorf("next call: %v (calls %d), want CircuitOpen without calling", err, p.Calls())
	}
}

// A breaker that opened because the endpoint could not be reached says so in its
// rejections (ProviderWide), and stops saying it once the endpoint answers again; one
// that opened on a model's 5xx does not.
func TestBreakerRejectionSaysTheEndpointIsUnreachable(t *testing.T) {
	var (
		mu    sync.Mutex
		fault error = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	)
	setFault := func(err error) { mu.Lock(); fault = err; mu.Unlock() }
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		mu.Lock()
		err := fault
		mu.Unlock()
		if err != nil {
			return nil, err
		}
		return ok("{}")(ctx)
	})
	r := newResilient(p, ResilienceConfig{MaxAttempts: 1, Breaker: BreakerConfig{ConsecutiveFailures: 2, CoolDown: 20 * time.Millisecond}})
	for range 2 {
		if _, err := r.Complete(context.Background(), req); Classify(err) != NetworkError {
			t.Fatalf("connection refused: %v", err)
		}
	}
	_, err := r.Complete(context.Background(), req)
	if Classify(err) != CircuitOpen || !errors.Is(err, ErrUnreachable) || !ProviderWide(err) {
		t.Fatalf("breaker opened on refused connections rejected with %v, want CircuitOpen wrapping ErrUnreachable", err)
	}

	// The endpoint answers again, then a model's 503s open the breaker: not unreachable.
	setFault(nil)
	waitClosed := time.Now().Add(5 * time.Second)
	for {
		if _, err := r.Complete(context.Background(), req); err == nil {
			break
		}
		if time.Now().After(waitClosed) {
			t.Fatal("the breaker did not close")
		}
		time.Sleep(5 * time.Millisecond) // poll while the cool-down runs
	}
	setFault(&Error{Type: ServerError, Status: 503})
	for range 2 {
		r.Complete(context.Background(), req)
	}
	_, err = r.Complete(context.Background(), req)
	if Classify(err) != CircuitOpen || errors.Is(err, ErrUnreachable) || ProviderWide(err) {
		t.Fatalf("breaker opened on 503s rejected with %v, want CircuitOpen without ErrUnreachable", err)
	}
}

// A breaker that opened because the endpoint did not answer in time (attempts timed
// out) says so in its rejections (ErrNoAnswer, ProviderWide), as one opened on refused
// connections does.
func TestBreakerRejectionSaysTheEndpointDoesNotAnswer(t *testing.T) {
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		<-ctx.Done() // hangs until the attempt times out
		return nil, ctx.Err()
	})
	r := newResilient(p, ResilienceConfig{MaxAttempts: 1, AttemptTimeout: 5 * time.Millisecond,
		Breaker: BreakerConfig{ConsecutiveFailures: 2, CoolDown: time.Hour}})
	for range 2 {
		if _, err := r.Complete(context.Background(), req); Classify(err) != TimeoutError || !ProviderWide(err) {
			t.Fatalf("hanging provider: %v, want a provider-wide TimeoutError", err)
		}
	}
	_, err := r.Complete(context.Background(), req)
	if Classify(err) != CircuitOpen || !errors.Is(err, ErrNoAnswer) || errors.Is(err, ErrUnreachable) || !ProviderWide(err) {
		t.Fatalf("breaker opened on timeouts rejected with %v, want CircuitOpen wrapping ErrNoAnswer", err)
	}
}

func TestBreakersArePerModel(t *testing.T) {
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		if r.Model == "bad" {
			return nil, &Error{Type: ServerError, Status: 500}
		}
		return ok("{}")(ctx)
	})
	r := newResilient(p, ResilienceConfig{MaxAttempts: 1, Breaker: BreakerConfig{ConsecutiveFailures: 1, CoolDown: time.Hour}})
	r.Complete(context.Background(), Request{Model: "bad"})
	if _, err := r.Complete(context.Background(), Request{Model: "good"}); err != nil {
		t.Errorf("good model blocked by bad model's breaker: %v", err)
	}
	states := r.BreakerStates()
	if states["func/bad"] != "open" || states["func/good"] != "closed" {
		t.Errorf("states %v", states)
	}
}

func TestResilientConcurrentUse(t *testing.T) {
	// Every request's first attempt fails with a 500 and its second succeeds, whatever
	// the interleaving of 32 goroutines.
	var seen sync.Map
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		if _, again := seen.LoadOrStore(r.Headers["X-Request-Id"], true); !again {
			return nil, &Error{Type: ServerError, Status: 500}
		}
		return ok("{}")(ctx)
	})
	r := newResilient(p, ResilienceConfig{BaseDelay: time.Microsecond, MaxDelay: time.Microsecond, Breaker: BreakerConfig{ConsecutiveFailures: 1 << 20, MinRequests: 1 << 20}})
	var wg sync.WaitGroup
	var failures, wrongAttempts atomic.Int32
	for g := range 32 {
		wg.Go(func() {
			for i := range 50 {
				rq := req
				rq.Headers = map[string]string{"X-Request-Id": fmt.Sprint(g, "-", i)}
				resp, err := r.Complete(context.Background(), rq)
				switch {
				case err != nil:
					failures.Add(1)
				case len(resp.Attempts) != 2:
					wrongAttempts.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if failures.Load() != 0 || wrongAttempts.Load() != 0 {
		t.Errorf("%d calls failed and %d did not take exactly 2 attempts", failures.Load(), wrongAttempts.Load())
	}
}

// newResilient is a Client with cfg as its resilience and nothing else configured.
func newResilient(p Provider, cfg ResilienceConfig) *Client {
	return NewClient(p, ClientConfig{Resilience: cfg})
}

type providerFunc func(ctx context.Context, r Request) (*Response, error)

func (f providerFunc) Complete(ctx context.Context, r Request) (*Response, error) { return f(ctx, r) }
func (providerFunc) ProviderName() string                                         { return "func" }

// treeHasType reports whether any *Error in err's tree has type typ.
func treeHasType(err error, typ ErrorType) bool {
	if e, ok := err.(*Error); ok && e.Type == typ {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return u.Unwrap() != nil && treeHasType(u.Unwrap(), typ)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if treeHasType(e, typ) {
				return true
			}
		}
	}
	return false
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkResilientOverhead measures what the wrapper adds to a call that succeeds at
// once (breaker check and report, clock reads, response bookkeeping), against calling
// the same in-process provider directly.
func BenchmarkResilientOverhead(b *testing.B) {
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		return &Response{Content: "{}", Model: r.Model, FinishReason: "stop"}, nil
	})
	ctx := context.Background()
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Complete(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("resilient", func(b *testing.B) {
		r := newResilient(p, ResilienceConfig{})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Complete(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("resilient-parallel", func(b *testing.B) {
		r := newResilient(p, ResilienceConfig{})
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := r.Complete(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// A provider that hangs is only ever cut by request deadlines; attempts that waited
// SlowCall without an answer count, so the breaker opens and later requests fall back
// at once instead of each waiting out its deadline.
func TestBreakerOpensOnAHangingProvider(t *testing.T) {
	hp := &scripted{script: []func(context.Context) (*Response, error){hang}}
	r := newResilient(hp, ResilienceConfig{Breaker: BreakerConfig{ConsecutiveFailures: 3, SlowCall: 20 * time.Millisecond}})
	for range 3 {
		ctx, stop := context.WithTimeout(context.Background(), 40*time.Millisecond)
		r.Complete(ctx, req)
		stop()
	}
	if st := r.BreakerStates()["test/m"]; st != "open" {
		t.Fatalf("after 3 requests cut by their deadlines while hanging: breaker %q, want open", st)
	}
	calls := hp.Calls()
	start := time.Now()
	ctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	_, err := r.Complete(ctx, req)
	if Classify(err) != CircuitOpen || hp.Calls() != calls || time.Since(start) > time.Second {
		t.Fatalf("with the breaker open: %v after %s (%d calls made)", err, time.Since(start), hp.Calls()-calls)
	}
}

// Attempts have a timeout by default.
func TestDefaultAttemptTimeout(t *testing.T) {
	if got := (ResilienceConfig{}).withDefaults().AttemptTimeout; got != DefaultAttemptTimeout || got <= 0 {
		t.Fatalf("default attempt timeout %v", got)
	}
	if got := (ResilienceConfig{AttemptTimeout: -1}).withDefaults().AttemptTimeout; got > 0 {
		t.Fatalf("a negative attempt timeout is not off: %v", got)
	}
}
