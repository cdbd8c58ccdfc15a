package planner_test

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/planner"
)

// A provider whose endpoint refuses connections costs one tier's attempts, not two: the
// stronger tier is behind the same base URL and would be refused the same way. Once the
// primary model's breaker has opened on those refusals, a request makes no attempt at
// all. The waits are injected (full jitter pinned at its ceiling), so the time the
// backoff adds before the fallback answer is exact: 200 + 400 ms for one tier's three
// attempts (1.2 s, and six attempts, when the cascade repeated them).
func TestUnreachableProviderCostsOneTier(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	prov, err := openai.New(openai.Config{BaseURL: "http://" + addr + "/v1", APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		waits []time.Duration
	)
	client := llm.NewClient(prov, llm.ClientConfig{Name: "openai", Resilience: llm.ResilienceConfig{
		Jitter: func() float64 { return 1 },
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			return ctx.Err()
		},
		Breaker: llm.BreakerConfig{ConsecutiveFailures: 5, CoolDown: time.Hour},
	}})
	reg := compiledRegistry(t)
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{p: weatherPlan}),
		planner.WithLLM(planner.LLMConfig{Provider: client, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	plan := func() *planner.Response {
		t.Helper()
		mu.Lock()
		waits = nil
		mu.Unlock()
		resp, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris", Options: planner.Options{NoCache: true}})
		if err != nil || resp.Source != planner.SourcePattern {
			t.Fatalf("want the offline answer, got %+v, %v", resp, err)
		}
		return resp
	}
	waited := func() (sum time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		for _, w := range waits {
			sum += w
		}
		return sum
	}

	resp := plan()
	if resp.Attempts != 3 || resp.Model != "gpt-4o-mini" || resp.FallbackReason != planner.ReasonProviderError ||
		!slices.Equal(resp.Errors, []string{"NetworkError", "NetworkError", "NetworkError"}) {
		t.Fatalf("first request: attempts %d on %s (%s), errors %v; want 3 NetworkErrors on gpt-4o-mini", resp.Attempts, resp.Model, resp.FallbackReason, resp.Errors)
	}
	if w := waited(); w != 600*time.Millisecond {
		t.Errorf("first request waited %v in backoff, want 600ms", w)
	}
	// The fifth refusal opens the primary model's breaker, half-way through the second
	// request's retries.
	if resp = plan(); resp.Attempts != 2 || resp.Model != "gpt-4o-mini" {
		t.Fatalf("second request: attempts %d on %s, want 2 on gpt-4o-mini", resp.Attempts, resp.Model)
	}
	// The breaker refuses the call and knows why: no attempt, and no cascade.
	if resp = plan(); resp.Attempts != 0 || resp.FallbackReason != planner.ReasonCircuitOpen || waited() != 0 {
		t.Fatalf("third request: attempts %d (%s), waited %v; want none (circuit_open)", resp.Attempts, resp.FallbackReason, waited())
	}
	if _, asked := client.BreakerStates()["openai/gpt-4o"]; asked {
		t.Errorf("the stronger tier was asked: breakers %v", client.BreakerStates())
	}
}
