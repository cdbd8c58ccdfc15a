package planner_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
)

// modelLog is an OpenAI-compatible endpoint on loopback that logs the model of every
// chat completion it is asked for and answers with answer.
type modelLog struct {
	mu     sync.Mutex
	models []string
	srv    *httptest.Server
}

func newModelLog(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, model string)) *modelLog {
	t.Helper()
	m := &modelLog{}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Model string `json:"model"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		m.mu.Lock()
		m.models = append(m.models, body.Model)
		m.mu.Unlock()
		answer(w, r, body.Model)
	}))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *modelLog) asked() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.models)
}

func (m *modelLog) reset() {
	m.mu.Lock()
	m.models = nil
	m.mu.Unlock()
}

func (m *modelLog) provider(t *testing.T) *openai.Provider {
	t.Helper()
	p, err := openai.New(openai.Config{BaseURL: m.srv.URL + "/v1", APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// hang answers nothing until the client gives up.
func hang(_ http.ResponseWriter, r *http.Request, _ string) { <-r.Context().Done() }

// answerPlan answers a chat completion whose content is p in the compiled schema.
func answerPlan(t *testing.T) func(w http.ResponseWriter, r *http.Request, model string) {
	content, err := prompt.EncodePlan(weatherPlan, compiledMode)
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, _ *http.Request, model string) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": string(content)}}},
			"usage": map[string]any{"prompt_tokens": 900, "completion_tokens": 60, "total_tokens": 960},
		})
	}
}

// instant is the retry loop's wait, without waiting.
func instant(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func timeoutPlanner(t *testing.T, prov llm.Provider, rc llm.ResilienceConfig) (*planner.Planner, *llm.Client) {
	t.Helper()
	reg := compiledRegistry(t)
	rc.Sleep = instant
	client := llm.NewClient(prov, llm.ClientConfig{Name: "openai", Resilience: rc})
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{p: weatherPlan}),
		planner.WithLLM(planner.LLMConfig{Provider: client, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	return p, client
}

// A provider that does not answer in time is not asked again for the stronger tier at
// the same endpoint: each attempt timed out (or the provider said 408 itself), and the
// stronger model, slower if anything, behind the same base URL would wait as long
// again. Measured in calls the endpoint received for one request with a 5 s deadline.
func TestTimeoutIsNotEscalatedOnTheSameEndpoint(t *testing.T) {
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request, model string)
	}{
		{"attempt timeout", hang},
		{"408 from the provider", func(w http.ResponseWriter, _ *http.Request, _ string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusRequestTimeout)
			w.Write([]byte(`{"error":{"message":"request timed out","type":"timeout","param":null,"code":null}}`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			endpoint := newModelLog(t, tt.answer)
			p, _ := timeoutPlanner(t, endpoint.provider(t), llm.ResilienceConfig{MaxAttempts: 2, AttemptTimeout: 50 * time.Millisecond,
				Breaker: llm.BreakerConfig{ConsecutiveFailures: 100}})
			resp, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris", Options: planner.Options{NoCache: true, DeadlineMS: 5000}})
			// The request had 5 s and the attempts 2 x 50 ms: what ran out was the
			// provider's time to answer, not the request's deadline.
			if err != nil || resp.Source != planner.SourcePattern || resp.FallbackReason != planner.ReasonProviderTimeout {
				t.Fatalf("want the offline answer after a provider timeout, got %+v, %v", resp, err)
			}
			if got := endpoint.asked(); !slices.Equal(got, []string{"gpt-4o-mini", "gpt-4o-mini"}) || resp.Attempts != 2 {
				t.Fatalf("the endpoint was asked for %v (attempts %d, errors %v); want gpt-4o-mini twice, no cascade", got, resp.Attempts, resp.Errors)
			}
		})
	}
}

// twoEndpoints serves each model from an endpoint of its own and says so
// (llm.Endpointer), as a deployment with the stronger tier elsewhere would.
type twoEndpoints map[string]*modelLog

func (e twoEndpoints) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	p, err := openai.New(openai.Config{BaseURL: e.Endpoint(req.Model) + "/v1", APIKey: "sk-test"})
	if err != nil {
		return nil, err
	}
	return p.Complete(ctx, req)
}

func (e twoEndpoints) Endpoint(model string) string { return e[model].srv.URL }

// The stronger tier served at another endpoint is asked after the cheap model's
// endpoint timed out: the hang is that endpoint's, not the other's.
func TestTimeoutEscalatesToAnotherEndpoint(t *testing.T) {
	compiledRegistry(t) // sets compiledMode for answerPlan
	cheap, strong := newModelLog(t, hang), newModelLog(t, answerPlan(t))
	p, _ := timeoutPlanner(t, twoEndpoints{"gpt-4o-mini": cheap, "gpt-4o": strong},
		llm.ResilienceConfig{MaxAttempts: 2, AttemptTimeout: 50 * time.Millisecond, Breaker: llm.BreakerConfig{ConsecutiveFailures: 100}})
	resp, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris", Options: planner.Options{NoCache: true, DeadlineMS: 5000}})
	if err != nil || resp.Source != planner.SourceLLM || resp.Model != "gpt-4o" {
		t.Fatalf("want gpt-4o's plan from the other endpoint, got %+v, %v", resp, err)
	}
	if c, s := cheap.asked(), strong.asked(); len(c) != 2 || len(s) != 1 {
		t.Fatalf("asked %v at the hanging endpoint and %v at the other; want 2 and 1", c, s)
	}
}

// With the default attempt timeout (longer than the request's deadline) a hanging
// provider is cut by each request's deadline, and after SlowCall those cuts open the
// primary model's breaker. A breaker opened that way says the endpoint does not answer
// (llm.ErrNoAnswer), so requests fail fast from then on instead of each waiting its
// whole deadline again on the stronger model behind the same endpoint until that
// model's breaker opens too.
//
// The deadline is ten times SlowCall. At 300 ms (3x) the test failed under load (the
// whole suite building and running on 2 shared cores; reproduced with ten copies of
// the race-built test at GOMAXPROCS=1): what the request spends before its attempt
// starts, and the planner's reserve for the offline answer (a tenth of the deadline),
// left the attempt under SlowCall, so it was not counted and a third request waited
// too; or the 30 ms reserve was spent before the offline plan was made. At 1 s the
// attempt has 800 ms of slack and the reserve is 100 ms.
func TestHangingProviderFailsFastOnceItsBreakerOpens(t *testing.T) {
	endpoint := newModelLog(t, hang)
	const slowCall, deadline = 100 * time.Millisecond, time.Second
	p, _ := timeoutPlanner(t, endpoint.provider(t), llm.ResilienceConfig{
		Breaker: llm.BreakerConfig{ConsecutiveFailures: 2, SlowCall: slowCall, CoolDown: time.Hour}})
	var waited []int // the requests that waited their deadline out
	for i := range 6 {
		resp, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris", Options: planner.Options{NoCache: true, DeadlineMS: int(deadline.Milliseconds())}})
		if err != nil || resp.Source != planner.SourcePattern {
			t.Fatalf("request %d: want the offline answer, got %+v, %v", i+1, resp, err)
		}
		if resp.FallbackReason == planner.ReasonDeadline {
			waited = append(waited, i+1)
		} else if resp.FallbackReason != planner.ReasonCircuitOpen || resp.Attempts != 0 {
			t.Fatalf("request %d: %s after %d attempts, want circuit_open with none", i+1, resp.FallbackReason, resp.Attempts)
		}
	}
	asked := endpoint.asked()
	if !slices.Equal(waited, []int{1, 2}) || !slices.Equal(asked, []string{"gpt-4o-mini", "gpt-4o-mini"}) {
		t.Fatalf("requests %v waited their deadline out, the endpoint was asked for %v; want the first two, gpt-4o-mini only", waited, asked)
	}
}
