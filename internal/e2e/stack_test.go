package e2e

import (
	"bytes"

	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

// catalog is a small travel-and-messaging registry.
func catalog(t testing.TB) *tool.Registry {
	t.Helper()
	tools := []*tool.Tool{
		{Name: "get_weather", Description: "Get the weather forecast for a city on a date",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"location":{"type":"string","description":"the city"},"date":{"type":"string","description":"the date, YYYY-MM-DD"}},"required":["location","date"],"additionalProperties":false}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"},"temperature_c":{"type":"number"}}}`)},
		{Name: "book_restaurant", Description: "Book a table at a restaurant for a date",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"name":{"type":"string","description":"the restaurant"},"date":{"type":"string","description":"the date"}},"required":["name","date"],"additionalProperties":false}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"confirmation":{"type":"string"}}}`)},
		{Name: "send_sms", Description: "Send an SMS text message to a phone number",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"phone_number":{"type":"string"},"content":{"type":"string"}},"required":["phone_number","content"],"additionalProperties":false}`)},
	}
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

var requests = []string{
	"Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation",
	"Get the weather in Paris on 2026-12-01 and then text +1 555 987 6543 the summary",
	"Book a table at Nobu on 2027-01-05",
	"Get the weather in Rome on 2026-11-30",
}

// gold is the labelled answer for each request: the simulator answers with it, as a
// model that plans correctly would.
func gold() map[string]*plan.Plan {
	step := func(id, tool string, args map[string]any) plan.Step { return plan.Step{ID: id, Tool: tool, Args: args} }
	plans := []*plan.Plan{
		{Steps: []plan.Step{
			step("s1", "book_restaurant", map[string]any{"name": "Luigi's", "date": "2026-12-24"}),
			step("s2", "send_sms", map[string]any{"phone_number": "+15551234567", "content": "${s1.confirmation}"}),
		}},
		{Steps: []plan.Step{
			step("s1", "get_weather", map[string]any{"location": "Paris", "date": "2026-12-01"}),
			step("s2", "send_sms", map[string]any{"phone_number": "+15559876543", "content": "${s1.summary}"}),
		}},
		{Steps: []plan.Step{step("s1", "book_restaurant", map[string]any{"name": "Nobu", "date": "2027-01-05"})}},
		{Steps: []plan.Step{step("s1", "get_weather", map[string]any{"location": "Rome", "date": "2026-11-30"})}},
	}
	g := map[string]*plan.Plan{}
	for i, r := range requests {
		g[sim.NormalizeRequest(r)] = plans[i]
	}
	return g
}

// stack is the whole path on loopback: the planwise HTTP server, the planner with the
// official SDK provider behind the resilient loop, and the simulator.
type stack struct {
	reg    *tool.Registry
	sim    *sim.Server
	res    *llm.Client
	rec    *metrics.Recorder
	api    *httptest.Server
	faultM sync.Mutex
	fault  string // injected into every simulator request while set (X-Sim-Fault)
	model  string // restrict the injected fault to this model
}

func newStack(t testing.TB, simCfg sim.Config, rc llm.ResilienceConfig) *stack {
	t.Helper()
	st := &stack{reg: catalog(t)}
	if simCfg.Gold == nil {
		simCfg.Gold = gold()
	}
	s, err := sim.New(simCfg)
	if err != nil {
		t.Fatal(err)
	}
	st.sim = s
	simSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st.faultM.Lock()
		if st.fault != "" {
			r.Header.Set(sim.HeaderFault, st.fault)
			if st.model != "" {
				r.Header.Set(sim.HeaderFaultModel, st.model)
			}
		}
		st.faultM.Unlock()
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { s.Close(); simSrv.Close() })
	// Warm the simulator up (its tokenizer loads its BPE tables on first use, which can
	// take longer than the attempt timeouts below on a loaded machine).
	warm, err := http.Post(simSrv.URL+"/v1/chat/completions", "application/json",
		bytes.NewReader([]byte(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"warm up"}]}`)))
	if err != nil {
		t.Fatal(err)
	}
	warm.Body.Close()

	prov, err := openai.New(openai.Config{BaseURL: simSrv.URL + "/v1", APIKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	st.rec = metrics.NewRecorder(metrics.Options{})
	st.res = llm.NewClient(prov, llm.ClientConfig{Name: "openai", Resilience: rc, Observer: metrics.NewLLMObserver(st.rec, nil)})
	p, err := planner.New(st.reg,
		planner.WithLLM(planner.LLMConfig{Provider: st.res, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}),
		planner.WithRecorder(st.rec))
	if err != nil {
		t.Fatal(err)
	}
	st.api = httptest.NewServer(server.New(server.Config{}, p).Handler())
	t.Cleanup(st.api.Close)
	return st
}

func (st *stack) setFault(kind, model string) {
	st.faultM.Lock()
	st.fault, st.model = kind, model
	st.faultM.Unlock()
}

// result is one HTTP answer of POST /api/v1/plan.
type result struct {
	status  int
	resp    planner.Response
	errCode string
	elapsed time.Duration
}

func (st *stack) plan(t testing.TB, request string, deadlineMS int) result {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"request": request, "options": map[string]any{"deadline_ms": deadlineMS}})
	start := time.Now()
	res, err := http.Post(st.api.URL+"/api/v1/plan", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /api/v1/plan: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := result{status: res.StatusCode, elapsed: time.Since(start)}
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, &r.resp); err != nil {
			t.Fatalf("decode response: %v\n%s", err, raw)
		}
		return r
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("status %d without a typed error body: %s", res.StatusCode, raw)
	}
	r.errCode = e.Error.Code
	return r
}

// checkAnswer asserts the contract every answer keeps: a valid, correctly labelled plan,
// or a typed error; within the deadline.
func checkAnswer(t testing.TB, reg *tool.Registry, r result, deadline time.Duration) {
	t.Helper()
	if r.elapsed > deadline+150*time.Millisecond {
		t.Errorf("answer after %v, deadline %v", r.elapsed, deadline)
	}
	if r.status != http.StatusOK {
		switch r.errCode {
		case planner.CodeCannotPlan, planner.CodeDeadline, planner.CodeUnavailable:
		default:
			t.Errorf("status %d with error code %q", r.status, r.errCode)
		}
		return
	}
	if err := plan.Validate(r.resp.Plan, reg); err != nil {
		t.Errorf("an invalid plan was returned (source %s): %v", r.resp.Source, err)
	}
	switch r.resp.Source {
	case planner.SourceLLM:
		if r.resp.Fallback || r.resp.Model == "" || r.resp.Attempts < 1 || r.resp.Tokens.Prompt == 0 {
			t.Errorf("mislabelled llm answer: %+v", r.resp)
		}
	case planner.SourcePattern, planner.SourceHistory:
		if !r.resp.Fallback || r.resp.FallbackReason == "" {
			t.Errorf("mislabelled fallback: %+v", r.resp)
		}
	case planner.SourceCache:
		if r.resp.Fallback || r.resp.Cache == nil || r.resp.Cache.Similarity <= 0 {
			t.Errorf("mislabelled cache hit: %+v", r.resp)
		}
	default:
		t.Errorf("unknown source %q", r.resp.Source)
	}
}

func runConcurrently(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
