package e2e

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/planner"
)

// TestFaultSuite drives 100 requests per fault kind (injected into a quarter of the
// simulator's answers, on every model) through the HTTP API and checks that each one ends within its
// deadline with a valid, correctly labelled plan or a typed error. Not one invalid plan
// may come back.
func TestFaultSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("fault suite: 900 requests; skipped with -short")
	}
	const (
		perKind  = 100
		deadline = 1500 * time.Millisecond
	)
	for _, kind := range sim.FaultKinds() {
		t.Run(string(kind), func(t *testing.T) {
			st := newStack(t, sim.Config{
				Faults:       []sim.FaultRule{{Kind: kind, Prob: 0.25}},
				Seed:         uint64(len(kind)),
				RetryAfter:   "0.02",
				LatencyScale: 0.02, // gpt-4o-mini 4-10 ms, gpt-4o 8-18 ms; slow x10
			}, llm.ResilienceConfig{
				BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond,
				MaxRetryAfter: 100 * time.Millisecond, AttemptTimeout: 400 * time.Millisecond,
				// A short cool-down: a breaker opened by a run of faults recovers within the run.
				Breaker: llm.BreakerConfig{CoolDown: 200 * time.Millisecond},
			})
			var mu sync.Mutex
			outcomes := map[string]int{}
			runConcurrently(perKind, 8, func(i int) {
				r := st.plan(t, requests[i%len(requests)], int(deadline/time.Millisecond))
				checkAnswer(t, st.reg, r, deadline)
				key := r.errCode
				if r.status == 200 {
					key = r.resp.Source
					if r.resp.Source == planner.SourceLLM {
						key += "/" + r.resp.Model
						if r.resp.Attempts > 1 {
							key += "/retried"
						}
					} else {
						key += "/" + r.resp.FallbackReason
					}
				}
				mu.Lock()
				outcomes[key]++
				mu.Unlock()
			})
			total := 0
			for _, n := range outcomes {
				total += n
			}
			if total != perKind {
				t.Fatalf("%d answers for %d requests", total, perKind)
			}
			stats := st.sim.Stats()
			if stats.Faults[kind] == 0 {
				t.Fatalf("no %s fault was injected", kind)
			}
			llmAnswers := 0
			for k, n := range outcomes {
				if strings.HasPrefix(k, "llm/") {
					llmAnswers += n
				}
			}
			// With a quarter of the answers faulted, retries, repair and the cascade recover
			// most of them (how many depends on the machine's load: timeouts open breakers).
			if llmAnswers < perKind*6/10 {
				t.Errorf("only %d of %d answered by the LLM: %v", llmAnswers, perKind, outcomes)
			}
			t.Logf("%s: injected %d faults; outcomes %s", kind, stats.Faults[kind], render(outcomes))
		})
	}
}

// TestCircuitBreaker opens the primary model's breaker with a burst of 5xx, checks that
// requests are still answered (the cascade to the strong model) without calling the
// failing model, and that the breaker closes once the model recovers.
func TestCircuitBreaker(t *testing.T) {
	st := newStack(t, sim.Config{}, llm.ResilienceConfig{
		BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond,
		Breaker: llm.BreakerConfig{ConsecutiveFailures: 5, CoolDown: 300 * time.Millisecond},
	})
	st.setFault("500", "gpt-4o-mini")
	const burst = 20
	for i := 0; i < burst; i++ {
		r := st.plan(t, requests[i%len(requests)], 2000)
		checkAnswer(t, st.reg, r, 2*time.Second)
		if r.status != 200 || r.resp.Source != planner.SourceLLM || r.resp.Model != "gpt-4o" {
			t.Fatalf("request %d during the burst: %+v", i, r)
		}
	}
	if got := st.res.BreakerStates()["openai/gpt-4o-mini"]; got != "open" {
		t.Fatalf("breaker after a burst of 5xx: %q (states %v)", got, st.res.BreakerStates())
	}
	calls := st.sim.Stats().Requests["gpt-4o-mini"]
	// 5 consecutive failures open it: the first two requests make 3+2 calls; afterwards
	// the open breaker answers CircuitOpen without a call (one half-open probe may pass
	// per cool-down).
	if calls > 8 {
		t.Fatalf("the failing model was called %d times during a burst of %d requests", calls, burst)
	}
	r := st.plan(t, requests[0], 2000)
	if !slices.Contains(r.resp.Errors, string(llm.CircuitOpen)) {
		t.Fatalf("open breaker not reported in errors: %v", r.resp.Errors)
	}

	st.setFault("", "")
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := st.plan(t, requests[1], 2000)
		checkAnswer(t, st.reg, r, 2*time.Second)
		if r.status == 200 && r.resp.Model == "gpt-4o-mini" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("primary model never came back: last %+v, breakers %v", r.resp, st.res.BreakerStates())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := st.res.BreakerStates()["openai/gpt-4o-mini"]; got != "closed" {
		t.Fatalf("breaker after recovery: %q", got)
	}
}

// TestLLMPlansOverHTTP: with the simulator answering from its labelled data, plans come
// from the LLM, validate and carry tokens and cost.
func TestLLMPlansOverHTTP(t *testing.T) {
	st := newStack(t, sim.Config{}, llm.ResilienceConfig{})
	for _, req := range requests {
		r := st.plan(t, req, 3000)
		checkAnswer(t, st.reg, r, 3*time.Second)
		if r.status != 200 || r.resp.Source != planner.SourceLLM || r.resp.Model != "gpt-4o-mini" {
			t.Fatalf("%q: %+v", req, r)
		}
		if r.resp.Tokens.Prompt == 0 || r.resp.Tokens.Completion == 0 || r.resp.CostUSD <= 0 || r.resp.Attempts != 1 {
			t.Fatalf("accounting: tokens %+v cost %v attempts %d", r.resp.Tokens, r.resp.CostUSD, r.resp.Attempts)
		}
		// gpt-4o-mini: $0.15 in / $0.60 out per 1M tokens.
		want := float64(r.resp.Tokens.Prompt)*0.15/1e6 + float64(r.resp.Tokens.Completion)*0.60/1e6
		if diff := r.resp.CostUSD - want; diff > 1e-12 || diff < -1e-12 {
			t.Fatalf("cost %v, want %v", r.resp.CostUSD, want)
		}
	}
}

func render(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
