package llm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// ResilienceConfig configures a Client's retry loop and circuit breakers. The zero value
// is usable: every zero field takes the default written next to it.
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
	// AuthHold is how long, after the provider refused the API key (AuthError: a 401,
	// or a 403 not about one model), the Client refuses calls to that endpoint itself:
	// each fails at once with an AuthError wrapping ErrAuthHeld and makes no attempt. A
	// refused key does not mend between two requests, and without the hold every
	// request paid a call (and its wait) to be refused again. When the hold ends one
	// call goes through (the others are still held while it is in flight): refused
	// again, the hold starts over; any other outcome ends it. The hold lives in the
	// Client: a new one (a restart after the configuration changed) starts without.
	// Default 30 s; negative turns it off.
	AuthHold time.Duration

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
	DefaultAuthHold         = 30 * time.Second
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
	if c.AuthHold == 0 {
		c.AuthHold = DefaultAuthHold
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

// run makes call under c's retry loop and the circuit breaker of c's provider and
// call.Model, recording every attempt on call (and telling c's Observer of each as it
// ends). It stops when an attempt succeeds, fails with an error that is not retryable,
// the attempts run out, the breaker rejects the next one, or the next one would have to
// wait past ctx's deadline (less MinAttemptBudget). On return call.Usage sums every
// attempt's usage (failed attempts are billed too) and call.Elapsed spans them all,
// waits included.
//
// do makes one call to the provider and returns its value, the usage it reported, and
// the attempts it made itself when it reports any (a Client used as another Client's
// provider does); a call that reports none is one attempt.
//
// If the breaker rejects a retry after at least one real attempt, the error of that
// attempt is returned (it says why the breaker opened); a breaker rejection before any
// attempt is a CircuitOpen error. A call to an endpoint whose provider refused the key
// within AuthHold makes no attempt and returns an AuthError wrapping ErrAuthHeld. When ctx ends, the error is a TimeoutError (deadline)
// or Canceled wrapping the last attempt's error, if any. The error is always an *Error
// with Provider, Model, Attempts and Usage set.
func run[T any](ctx context.Context, c *Client, call *Call, do func(ctx context.Context) (T, Usage, []Attempt, error)) (T, *Error) {
	var zero T
	model := call.Model
	start := c.cfg.Now()
	defer func() { call.Elapsed = c.cfg.Now().Sub(start) }()
	br := c.breakers.get(model)
	endpoint := c.Endpoint(model)
	var last *Error
	for try := 1; ; try++ {
		if err := ctx.Err(); err != nil {
			return zero, c.contextError(ctx, call, last)
		}
		held, probe := c.holds.enter(endpoint, c.cfg.Now())
		if held != nil {
			return zero, c.final(call, held.refusal(c.name, model))
		}
		done, err := br.allow()
		if err != nil {
			if probe {
				c.holds.abandon(endpoint)
			}
			if last != nil {
				return zero, c.final(call, last)
			}
			return zero, c.final(call, &Error{Type: CircuitOpen, Provider: c.name, Model: model, Err: err})
		}

		began := c.cfg.Now()
		v, usage, nested, err := attemptOnce(ctx, c, model, do)
		c.holds.leave(endpoint, began, c.cfg.Now(), err)
		if err == nil {
			br.end(done, nil)
			c.record(ctx, call, nested, Attempt{Model: model, Usage: usage, Duration: c.cfg.Now().Sub(began)})
			return v, nil
		}
		last = c.typed(err, model)
		c.record(ctx, call, last.Attempts, Attempt{Model: model, ErrorType: last.Type, Usage: last.Usage, Duration: c.cfg.Now().Sub(began)})
		if ctx.Err() != nil {
			// The caller's deadline or cancellation ended the attempt. A short deadline
			// says nothing about the provider, so the breaker does not count it; but
			// an attempt that had waited SlowCall without an answer is the provider's
			// slowness (a hanging provider is only ever cut by deadlines), so it
			// counts as a failure.
			if errors.Is(ctx.Err(), context.DeadlineExceeded) && c.cfg.Breaker.SlowCall > 0 && c.cfg.Now().Sub(began) >= c.cfg.Breaker.SlowCall {
				br.end(done, &Error{Type: TimeoutError, Provider: c.name, Model: model, Err: fmt.Errorf("no answer after %s", c.cfg.Now().Sub(began).Round(time.Millisecond))})
			} else {
				br.end(done, errExcluded)
			}
			return zero, c.contextError(ctx, call, last)
		}
		br.end(done, last)

		if try >= c.cfg.MaxAttempts || !Retryable(last) {
			return zero, c.final(call, last)
		}
		wait := c.delay(try, last)
		if deadline, ok := ctx.Deadline(); ok && c.cfg.Now().Add(wait+c.cfg.MinAttemptBudget).After(deadline) {
			return zero, c.final(call, last)
		}
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return zero, c.contextError(ctx, call, last)
		}
	}
}

// record adds one provider call to call: the attempts it reported itself, or else a,
// and tells the observer of each. A call that failed with CircuitOpen and reports no
// attempt made none (a breaker below refused it).
func (c *Client) record(ctx context.Context, call *Call, reported []Attempt, a Attempt) {
	if len(reported) == 0 {
		if a.ErrorType == CircuitOpen {
			return
		}
		reported = []Attempt{a}
	}
	for _, a := range reported {
		call.Attempts = append(call.Attempts, a)
		call.Usage = call.Usage.Add(a.Usage)
		if c.obs != nil {
			c.obs.Attempt(ctx, call, a)
		}
	}
}

// attemptOnce makes one call, bounded by AttemptTimeout when set. A timeout of the
// attempt alone (the caller's context still live) is reported as a retryable
// TimeoutError whatever the provider made of it.
func attemptOnce[T any](ctx context.Context, c *Client, model string, do func(context.Context) (T, Usage, []Attempt, error)) (T, Usage, []Attempt, error) {
	if c.cfg.AttemptTimeout <= 0 {
		return do(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.AttemptTimeout)
	defer cancel()
	v, u, nested, err := do(actx)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		var zero T
		return zero, Usage{}, nil, &Error{Type: TimeoutError, Provider: c.name, Model: model,
			Err: fmt.Errorf("attempt timed out after %s: %w", c.cfg.AttemptTimeout, err)}
	}
	return v, u, nested, err
}

// delay is the wait before retry number attempt (1-based): the server's Retry-After if
// it sent one (capped), otherwise full-jitter exponential backoff.
func (c *Client) delay(attempt int, err *Error) time.Duration {
	if err.RetryAfter > 0 {
		return min(err.RetryAfter, c.cfg.MaxRetryAfter)
	}
	ceiling := c.cfg.MaxDelay
	if shift := attempt - 1; shift < 32 {
		if d := c.cfg.BaseDelay << shift; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return time.Duration(c.cfg.Jitter() * float64(ceiling))
}

// typed returns err as an *Error naming this provider and model, without modifying
// the provider's value. An *Error wrapped by a middleware keeps its status, Retry-After,
// usage and attempts, so that the wait and the accounting do not depend on the wrapping.
func (c *Client) typed(err error, model string) *Error {
	var e Error
	if pe, ok := errors.AsType[*Error](err); ok {
		e = *pe
		if pe != err {
			e.Type, e.Err = Classify(err), err
		}
	} else {
		e = Error{Type: Classify(err), Err: err}
	}
	if e.Provider == "" {
		e.Provider = c.name
	}
	if e.Model == "" {
		e.Model = model
	}
	if e.Type == "" {
		e.Type = Classify(e.Err)
	}
	return &e
}

// final returns a copy of err carrying the call's attempts, usage and cost.
func (c *Client) final(call *Call, err *Error) *Error {
	e := *err
	e.Attempts, e.Usage = call.Attempts, call.Usage
	return &e
}

// contextError reports the end of ctx, wrapping the last attempt's error when there was
// one so that the cause stays visible.
func (c *Client) contextError(ctx context.Context, call *Call, last *Error) *Error {
	cause := context.Cause(ctx)
	typ := Canceled
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		typ = TimeoutError
	}
	e := &Error{Type: typ, Provider: c.name, Model: call.Model, Attempts: call.Attempts, Usage: call.Usage, Err: cause}
	if last != nil {
		e.Err = fmt.Errorf("%w (last attempt: %w)", cause, last)
	}
	return e
}
