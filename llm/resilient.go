package llm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// ResilienceConfig configures Resilient. The zero value is usable: every zero field
// takes the default written next to it.
type ResilienceConfig struct {
	// MaxAttempts bounds the calls per request, the first included. Default 3; 1
	// disables retries.
	MaxAttempts int
	// BaseDelay and MaxDelay shape the backoff: before retry n (n >= 1) the loop waits a
	// uniformly random time in [0, min(MaxDelay, BaseDelay·2^(n-1))] ("full jitter").
	// Defaults 200 ms and 5 s.
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter caps a server's Retry-After: the loop waits exactly what the server
	// asked for, up to this cap. Default 30 s. The request deadline bounds it further.
	MaxRetryAfter time.Duration
	// AttemptTimeout bounds each attempt; an attempt that times out is a retryable
	// TimeoutError and counts against the breaker. Default 20 s; negative turns it off.
	// The request deadline always bounds the whole call.
	AttemptTimeout time.Duration
	// MinAttemptBudget is the least time a retry must have left before the deadline once
	// its wait is over; a retry with less is not worth starting (it could only time out,
	// and timer slack could carry the wait past the deadline), so the loop returns the
	// last error instead. Default 20 ms.
	MinAttemptBudget time.Duration
	// Breaker configures the circuit breakers.
	Breaker BreakerConfig

	// Now, Sleep and Jitter replace the clock, the wait between attempts and the jitter
	// source (a value in [0, 1)); nil means time.Now, a context-aware timer and
	// math/rand/v2. Tests inject them to measure waits without waiting. Sleep must
	// return ctx.Err() when ctx ends first.
	Now    func() time.Time
	Sleep  func(ctx context.Context, d time.Duration) error
	Jitter func() float64
}

// Defaults of ResilienceConfig.
const (
	DefaultMaxAttempts      = 3
	DefaultBaseDelay        = 200 * time.Millisecond
	DefaultMaxDelay         = 5 * time.Second
	DefaultMaxRetryAfter    = 30 * time.Second
	DefaultMinAttemptBudget = 20 * time.Millisecond
	DefaultAttemptTimeout   = 20 * time.Second
)

func (c ResilienceConfig) withDefaults() ResilienceConfig {
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BaseDelay <= 0 {
		c.BaseDelay = DefaultBaseDelay
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = DefaultMaxDelay
	}
	if c.MaxDelay < c.BaseDelay {
		c.MaxDelay = c.BaseDelay
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if c.MinAttemptBudget <= 0 {
		c.MinAttemptBudget = DefaultMinAttemptBudget
	}
	if c.AttemptTimeout == 0 {
		c.AttemptTimeout = DefaultAttemptTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.Jitter == nil {
		c.Jitter = rand.Float64
	}
	c.Breaker = c.Breaker.withDefaults()
	return c
}

// sleep waits for d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Resilient wraps a Provider with planwise's one retry loop and a circuit breaker per
// model. It is safe for concurrent use. Errors it returns are always *Error, with
// Provider, Model and Attempts set.
type Resilient struct {
	p        Provider
	name     string
	cfg      ResilienceConfig
	breakers *breakers
}

// NewResilient wraps p. The provider's retries, if it has any, should be off: this loop
// is the only one.
func NewResilient(p Provider, cfg ResilienceConfig) *Resilient {
	cfg = cfg.withDefaults()
	name := ProviderName(p)
	return &Resilient{p: p, name: name, cfg: cfg, breakers: newBreakers(name, cfg.Breaker)}
}

// ProviderName returns the wrapped provider's name.
func (r *Resilient) ProviderName() string { return r.name }

// BreakerStates returns the state ("closed", "half-open" or "open") of every circuit
// breaker created so far, keyed "provider/model". For metrics and /readyz.
func (r *Resilient) BreakerStates() map[string]string { return r.breakers.states() }

// Complete calls the provider until it succeeds, fails with an error that is not
// retryable, runs out of attempts, is rejected by the circuit breaker, or would have to
// wait past ctx's deadline (less MinAttemptBudget). On success Response.Attempts counts
// the calls and Response.Latency spans all of them, waits included. Usage, on the
// response or on the final *Error, sums every attempt that reported usage, since failed
// attempts are billed too.
//
// If the breaker rejects a retry after at least one real attempt, the error of that
// attempt is returned (it says why the breaker opened); a breaker rejection before any
// attempt is a CircuitOpen error. When ctx ends, the error is a TimeoutError (deadline)
// or Canceled wrapping the last attempt's error, if any.
func (r *Resilient) Complete(ctx context.Context, req Request) (*Response, error) {
	resp, out, err := Do(ctx, r, req.Model, func(ctx context.Context) (*Response, error) {
		return r.p.Complete(ctx, req)
	})
	if err != nil {
		return nil, err
	}
	resp.Attempts = out.Attempts
	resp.Usage = resp.Usage.Add(out.FailedUsage)
	resp.Latency = out.Elapsed
	return resp, nil
}

// Outcome describes a call made through Do.
type Outcome struct {
	// Attempts is how many times the call ran.
	Attempts int
	// Elapsed spans every attempt and wait.
	Elapsed time.Duration
	// FailedUsage sums the Usage of the *Errors of failed attempts (billed all the same).
	FailedUsage Usage
}

// Do runs call under r's retry loop and the circuit breaker of r's provider and model,
// exactly as Complete does, for the provider's other endpoints (embeddings, say), so
// that planwise keeps one retry policy and one breaker per provider and model. call
// must honour ctx and should return *Error; other errors are classified with Classify.
// The returned error is always an *Error with Provider, Model, Attempts and Usage set.
func Do[T any](ctx context.Context, r *Resilient, model string, call func(ctx context.Context) (T, error)) (T, Outcome, error) {
	var zero T
	start := r.cfg.Now()
	br := r.breakers.get(model)
	var last *Error
	var spent Usage // billed by failed attempts
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return zero, r.outcome(attempt-1, start, spent), r.contextError(ctx, model, attempt-1, last)
		}
		done, err := br.allow()
		if err != nil {
			if last != nil {
				return zero, r.outcome(attempt-1, start, spent), r.final(last, attempt-1)
			}
			return zero, r.outcome(0, start, spent), &Error{Type: CircuitOpen, Provider: r.name, Model: model, Err: err}
		}

		began := r.cfg.Now()
		v, err := attemptOnce(ctx, r, model, call)
		if err == nil {
			done(nil)
			return v, r.outcome(attempt, start, spent), nil
		}
		last = r.typed(err, model)
		spent = spent.Add(last.Usage)
		last.Usage = spent
		if ctx.Err() != nil {
			// The caller's deadline or cancellation ended the attempt. A short deadline
			// says nothing about the provider, so the breaker does not count it; but
			// an attempt that had waited SlowCall without an answer is the provider's
			// slowness (a hanging provider is only ever cut by deadlines), so it
			// counts as a failure.
			if errors.Is(ctx.Err(), context.DeadlineExceeded) && r.cfg.Breaker.SlowCall > 0 && r.cfg.Now().Sub(began) >= r.cfg.Breaker.SlowCall {
				done(&Error{Type: TimeoutError, Provider: r.name, Model: model, Err: fmt.Errorf("no answer after %s", r.cfg.Now().Sub(began).Round(time.Millisecond))})
			} else {
				done(errExcluded)
			}
			return zero, r.outcome(attempt, start, spent), r.contextError(ctx, model, attempt, last)
		}
		done(last)

		if attempt >= r.cfg.MaxAttempts || !Retryable(last) {
			return zero, r.outcome(attempt, start, spent), r.final(last, attempt)
		}
		wait := r.delay(attempt, last)
		if deadline, ok := ctx.Deadline(); ok && r.cfg.Now().Add(wait+r.cfg.MinAttemptBudget).After(deadline) {
			return zero, r.outcome(attempt, start, spent), r.final(last, attempt)
		}
		if err := r.cfg.Sleep(ctx, wait); err != nil {
			return zero, r.outcome(attempt, start, spent), r.contextError(ctx, model, attempt, last)
		}
	}
}

func (r *Resilient) outcome(attempts int, start time.Time, spent Usage) Outcome {
	return Outcome{Attempts: attempts, Elapsed: r.cfg.Now().Sub(start), FailedUsage: spent}
}

// attemptOnce makes one call, bounded by AttemptTimeout when set. A timeout of the
// attempt alone (the caller's context still live) is reported as a retryable
// TimeoutError whatever the provider made of it.
func attemptOnce[T any](ctx context.Context, r *Resilient, model string, call func(context.Context) (T, error)) (T, error) {
	if r.cfg.AttemptTimeout <= 0 {
		return call(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, r.cfg.AttemptTimeout)
	defer cancel()
	v, err := call(actx)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		var zero T
		return zero, &Error{Type: TimeoutError, Provider: r.name, Model: model,
			Err: fmt.Errorf("attempt timed out after %s: %w", r.cfg.AttemptTimeout, err)}
	}
	return v, err
}

// delay is the wait before retry number attempt (1-based): the server's Retry-After if
// it sent one (capped), otherwise full-jitter exponential backoff.
func (r *Resilient) delay(attempt int, err *Error) time.Duration {
	if err.RetryAfter > 0 {
		return min(err.RetryAfter, r.cfg.MaxRetryAfter)
	}
	ceiling := r.cfg.MaxDelay
	if shift := attempt - 1; shift < 32 {
		if d := r.cfg.BaseDelay << shift; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return time.Duration(r.cfg.Jitter() * float64(ceiling))
}

// typed returns err as an *Error naming this provider and model, without modifying
// the provider's value. An *Error wrapped by a middleware keeps its status, Retry-After
// and usage, so that the wait and the accounting do not depend on the wrapping.
func (r *Resilient) typed(err error, model string) *Error {
	var c Error
	if e, ok := errors.AsType[*Error](err); ok {
		c = *e
		if e != err {
			c.Type, c.Err = Classify(err), err
		}
	} else {
		c = Error{Type: Classify(err), Err: err}
	}
	if c.Provider == "" {
		c.Provider = r.name
	}
	if c.Model == "" {
		c.Model = model
	}
	if c.Type == "" {
		c.Type = Classify(c.Err)
	}
	return &c
}

// final returns a copy of err carrying the number of attempts made.
func (r *Resilient) final(err *Error, attempts int) *Error {
	c := *err
	c.Attempts = attempts
	return &c
}

// contextError reports the end of ctx, wrapping the last attempt's error when there was
// one so that the cause stays visible.
func (r *Resilient) contextError(ctx context.Context, model string, attempts int, last *Error) *Error {
	cause := context.Cause(ctx)
	typ := Canceled
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		typ = TimeoutError
	}
	e := &Error{Type: typ, Provider: r.name, Model: model, Attempts: attempts, Err: cause}
	if last != nil {
		e.Usage = last.Usage
		e.Err = fmt.Errorf("%w (last attempt: %w)", cause, last)
	}
	return e
}
