package execute

import (
	"log/slog"
	"time"
)

// config collects options before New builds the runners.
type config struct {
	e       *Executor
	policy  NetPolicy
	maxBody int64
	runners map[string]Runner
}

// Option configures an Executor.
type Option func(*config)

// WithConcurrency bounds the tool calls in flight in one run (default 8).
func WithConcurrency(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.e.concurrency = n
		}
	}
}

// WithLoopConcurrency bounds the elements of one for_each loop in flight (default: the
// run's concurrency).
func WithLoopConcurrency(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.e.loopConc = n
		}
	}
}

// WithStepTimeout sets the default timeout of one tool call (default 30 s).
func WithStepTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.e.stepTimeout = d
		}
	}
}

// WithRetry sets how idempotent tools are retried: at most maxAttempts calls, waiting
// from start doubling up to max between them, with jitter. maxAttempts 1 disables retries.
func WithRetry(maxAttempts int, start, max time.Duration) Option {
	return func(c *config) {
		if maxAttempts > 0 {
			c.e.maxAttempts = maxAttempts
		}
		if start > 0 {
			c.e.backoffStart = start
		}
		if max > 0 {
			c.e.backoffMax = max
		}
	}
}

// WithNetPolicy sets the network policy of http_request and webhook tools.
func WithNetPolicy(p NetPolicy) Option {
	return func(c *config) { c.policy = p }
}

// WithMaxResponseBytes bounds the response body http_request and webhooks read
// (default 1 MiB); longer bodies are truncated and flagged.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithRunner replaces the runner of one run kind (tool.RunBuiltin, RunHTTP, RunMCP,
// RunSimulated, RunGo). The executor does not close runners given this way.
func WithRunner(kind string, r Runner) Option {
	return func(c *config) { c.runners[kind] = r }
}

// WithLogger sets the logger for diagnostics such as retries (default slog.Default());
// results, not logs, carry what happened to each step.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.e.log = l
		}
	}
}

// WithLimits bounds every run's time, argument and output sizes, loop elements and
// tool calls (see Limits; zero fields take the defaults).
func WithLimits(l Limits) Option {
	return func(c *config) { c.e.limits = l }
}
