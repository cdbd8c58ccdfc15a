package planner

import (
	"context"
	"sync"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
)

// ObserveProvider wraps a provider so that every call to it (each attempt, when wrapped
// inside llm.NewResilient) is recorded as a GenAI client operation: duration, token usage
// and error type. Wrap the raw provider, then the resilient loop around it.
func ObserveProvider(p llm.Provider, rec *metrics.Recorder, providerName string) llm.Provider {
	if rec == nil {
		return p
	}
	return &observedProvider{p: p, rec: rec, name: providerName}
}

type observedProvider struct {
	p    llm.Provider
	rec  *metrics.Recorder
	name string
}

func (o *observedProvider) ProviderName() string { return o.name }

func (o *observedProvider) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	start := time.Now()
	r, err := o.p.Complete(ctx, req)
	var u metrics.Usage
	if r != nil {
		u = metrics.Usage{InputTokens: r.Usage.PromptTokens, OutputTokens: r.Usage.CompletionTokens}
	} else if le, ok := err.(*llm.Error); ok {
		// Failed answers (truncated, refused) are billed too.
		u = metrics.Usage{InputTokens: le.Usage.PromptTokens, OutputTokens: le.Usage.CompletionTokens}
	}
	errType := ""
	if err != nil {
		errType = string(llm.Classify(err))
	}
	o.rec.RecordLLMCall(req.Model, o.name, time.Since(start), u, errType)
	if l, ok := ctx.Value(attemptLogKey{}).(*attemptLog); ok {
		l.add(errType)
	}
	return r, err
}

// attemptLog collects the error types of every provider attempt of one call, retried
// ones included, so that a request's response and metrics name the 429 that a retry
// recovered from. It is filled by ObserveProvider; without it only the final error of a
// call is known.
type attemptLog struct {
	mu       sync.Mutex
	observed bool
	errs     []string
}

type attemptLogKey struct{}

func (l *attemptLog) add(errType string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.observed = true
	if errType != "" {
		l.errs = append(l.errs, errType)
	}
}

func withAttemptLog(ctx context.Context) (context.Context, *attemptLog) {
	l := &attemptLog{}
	return context.WithValue(ctx, attemptLogKey{}, l), l
}
