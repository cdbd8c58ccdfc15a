package llm

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"
)

// BreakerConfig configures the circuit breaker kept per provider and model. A breaker
// counts only transient failures (those Retryable reports): a 400 or 401 shows the
// endpoint is up, and calls that end because the caller's context ended early say
// nothing about the provider, so neither counts; a call cut by the caller's deadline
// after SlowCall without an answer does count. The zero value takes the defaults below.
type BreakerConfig struct {
	// Disabled turns the breakers off.
	Disabled bool
	// ConsecutiveFailures opens the breaker after that many failures in a row. Default 5.
	ConsecutiveFailures uint32
	// FailureRatio opens the breaker when, within Window, at least MinRequests calls
	// were made and this fraction of them failed. Defaults 0.5 and 20.
	FailureRatio float64
	MinRequests  uint32
	// Window is the rolling window the counts cover in the closed state. Default 60 s.
	Window time.Duration
	// CoolDown is how long an open breaker rejects calls before letting HalfOpenProbes
	// calls through; that many consecutive successes close it, one failure reopens it.
	// Defaults 30 s and 1.
	CoolDown       time.Duration
	HalfOpenProbes uint32
	// SlowCall: an attempt the caller's deadline cut after it had waited at least this
	// long counts as a failure (a hanging provider); shorter ones are not counted.
	// Default 5 s; negative counts none.
	SlowCall time.Duration
	// OnStateChange, when set, is told of every transition ("closed", "half-open",
	// "open") with the breaker's "provider/model" key. It runs under the breaker's lock:
	// it must be quick and must not call back into the Client.
	OnStateChange func(key, from, to string)
}

// Defaults of BreakerConfig.
const (
	DefaultBreakerConsecutiveFailures = 5
	DefaultBreakerFailureRatio        = 0.5
	DefaultBreakerMinRequests         = 20
	DefaultBreakerWindow              = 60 * time.Second
	DefaultBreakerCoolDown            = 30 * time.Second
	DefaultBreakerSlowCall            = 5 * time.Second
)

func (c BreakerConfig) withDefaults() BreakerConfig {
	if c.ConsecutiveFailures == 0 {
		c.ConsecutiveFailures = DefaultBreakerConsecutiveFailures
	}
	if c.FailureRatio <= 0 || c.FailureRatio > 1 {
		c.FailureRatio = DefaultBreakerFailureRatio
	}
	if c.MinRequests == 0 {
		c.MinRequests = DefaultBreakerMinRequests
	}
	if c.Window <= 0 {
		c.Window = DefaultBreakerWindow
	}
	if c.CoolDown <= 0 {
		c.CoolDown = DefaultBreakerCoolDown
	}
	if c.HalfOpenProbes == 0 {
		c.HalfOpenProbes = 1
	}
	if c.SlowCall == 0 {
		c.SlowCall = DefaultBreakerSlowCall
	}
	return c
}

// errExcluded marks an attempt the breaker must neither count as a success nor as a
// failure.
var errExcluded = errors.New("llm: attempt excluded from breaker counts")

// breakers holds one breaker per model of one provider, created on first use. The set
// of models a deployment calls is small and fixed by its routing config, so the map
// stays small.
type breakers struct {
	provider string
	cfg      BreakerConfig

	mu sync.RWMutex
	m  map[string]*breaker
}

func newBreakers(provider string, cfg BreakerConfig) *breakers {
	return &breakers{provider: provider, cfg: cfg, m: make(map[string]*breaker)}
}

// breaker is one circuit breaker; a nil *breaker lets everything through.
type breaker struct {
	cb *gobreaker.TwoStepCircuitBreaker[struct{}]
	// down says why the provider's endpoint failed at the last attempt the breaker
	// counted: endpointUnreachable (a NetworkError), endpointSilent (a TimeoutError), or
	// endpointUp (an answer, or a failure of the model). Its rejections then wrap
	// ErrUnreachable or ErrNoAnswer, so that a caller can tell an endpoint that is down,
	// which every model behind it shares, from one model failing.
	down atomic.Int32
}

// Values of breaker.down.
const (
	endpointUp int32 = iota
	endpointUnreachable
	endpointSilent
)

func noop(error) {}

// allow asks the breaker for permission; done must be called with the attempt's
// outcome (nil, errExcluded or the error). A rejection wraps ErrCircuitOpen, and
// ErrUnreachable or ErrNoAnswer when the last failure counted was the endpoint's.
func (b *breaker) allow() (done func(error), err error) {
	if b == nil {
		return noop, nil
	}
	done, err = b.cb.Allow()
	if err == nil {
		return done, nil
	}
	why := "cooling down after repeated failures"
	if errors.Is(err, gobreaker.ErrTooManyRequests) {
		why = "half-open: a probe is in flight"
	}
	switch b.down.Load() {
	case endpointUnreachable:
		return nil, fmt.Errorf("%w (%s: %w)", ErrCircuitOpen, why, ErrUnreachable)
	case endpointSilent:
		return nil, fmt.Errorf("%w (%s: %w)", ErrCircuitOpen, why, ErrNoAnswer)
	}
	return nil, fmt.Errorf("%w (%s)", ErrCircuitOpen, why)
}

// end reports an attempt's outcome to the breaker through done (allow's) and remembers
// whether it was a failure of the endpoint (no connection, no answer in time). An
// excluded attempt changes nothing.
func (b *breaker) end(done func(error), err error) {
	done(err)
	if b == nil || errors.Is(err, errExcluded) {
		return
	}
	down := endpointUp
	switch Classify(err) {
	case NetworkError:
		down = endpointUnreachable
	case TimeoutError:
		down = endpointSilent
	}
	b.down.Store(down)
}

func (bs *breakers) get(model string) *breaker {
	if bs.cfg.Disabled {
		return nil
	}
	bs.mu.RLock()
	b, ok := bs.m[model]
	bs.mu.RUnlock()
	if ok {
		return b
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if b, ok := bs.m[model]; ok {
		return b
	}
	b = &breaker{cb: gobreaker.NewTwoStepCircuitBreaker[struct{}](bs.settings(bs.provider + "/" + model))}
	bs.m[model] = b
	return b
}

func (bs *breakers) settings(key string) gobreaker.Settings {
	c := bs.cfg
	s := gobreaker.Settings{
		Name:        key,
		MaxRequests: c.HalfOpenProbes,
		Interval:    c.Window,
		// Ten buckets make the window roll instead of resetting all at once.
		BucketPeriod: c.Window / 10,
		Timeout:      c.CoolDown,
		ReadyToTrip: func(n gobreaker.Counts) bool {
			if n.ConsecutiveFailures >= c.ConsecutiveFailures {
				return true
			}
			if n.Requests < n.TotalExclusions {
				return false
			}
			valid := n.Requests - n.TotalExclusions
			return valid >= c.MinRequests && float64(n.TotalFailures) >= c.FailureRatio*float64(valid)
		},
		IsSuccessful: func(err error) bool { return err == nil || !Retryable(err) },
		IsExcluded:   func(err error) bool { return errors.Is(err, errExcluded) },
	}
	if c.OnStateChange != nil {
		s.OnStateChange = func(name string, from, to gobreaker.State) {
			c.OnStateChange(name, from.String(), to.String())
		}
	}
	return s
}

func (bs *breakers) states() map[string]string {
	bs.mu.RLock()
	defer bs.mu.RUnlock()
	out := make(map[string]string, len(bs.m))
	for model, b := range bs.m {
		out[bs.provider+"/"+model] = b.cb.State().String()
	}
	return out
}
