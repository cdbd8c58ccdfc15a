package e2e

import (
	"github.com/planwise/planwise/plan"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/server"
)

// routedStack is the HTTP server and planner with complexity routing
// (planner.NewComplexityRouter) in front of the simulator, which can be
// told to make one model return invalid plans.
type routedStack struct {
	*stack
	mu      sync.Mutex
	badMini bool
}

// branchRequest asks for a step that runs only when a condition holds.
const branchRequest = "Get the weather in Rome on 2026-11-30, and if it rains, text +1 555 987 6543 the summary"

func newRoutedStack(t *testing.T) *routedStack {
	t.Helper()
	rs := &routedStack{stack: &stack{reg: catalog(t)}}
	// A model that plans correctly answers the branching request with a condition (the
	// offline planner, the simulator's answerer, refuses a test of the world it cannot
	// write).
	g := gold()
	g[sim.NormalizeRequest(branchRequest)] = &plan.Plan{Steps: []plan.Step{
		{ID: "s1", Tool: "get_weather", Args: map[string]any{"location": "Rome", "date": "2026-11-30"}},
		{ID: "s2", Tool: "send_sms", Args: map[string]any{"phone_number": "+15559876543", "content": "${s1.summary}"}, If: `s1.summary.contains("rain")`},
	}}
	s, err := sim.New(sim.Config{Gold: g, Answerer: pattern.NewPattern(rs.reg)})
	if err != nil {
		t.Fatal(err)
	}
	rs.sim = s
	simSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.mu.Lock()
		if rs.badMini {
			r.Header.Set(sim.HeaderFault, string(sim.FaultInvalidPlan))
			r.Header.Set(sim.HeaderFaultModel, route.DefaultCheapModel)
		}
		rs.mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { s.Close(); simSrv.Close() })
	prov, err := openai.New(openai.Config{BaseURL: simSrv.URL + "/v1", APIKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	router, err := planner.NewComplexityRouter(rs.reg, route.Config{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(rs.reg, planner.WithLLM(planner.LLMConfig{
		Provider: llm.NewClient(prov, llm.ClientConfig{}),
		Router:   router,
	}))
	if err != nil {
		t.Fatal(err)
	}
	rs.api = httptest.NewServer(server.New(server.Config{}, p).Handler())
	t.Cleanup(rs.api.Close)
	return rs
}

// TestComplexityRouting sends requests of each tier through the HTTP API and checks the
// model that planned them, and that an invalid plan from the cheap model climbs the
// cascade to the strong one.
func TestComplexityRouting(t *testing.T) {
	rs := newRoutedStack(t)
	const (
		oneStep = "Book a table at Nobu on 2027-01-05"
		twoStep = "Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation"
		branch  = branchRequest
	)
	for _, tt := range []struct {
		request     string
		tier, model string
	}{
		{oneStep, "simple", route.DefaultCheapModel},
		{twoStep, "moderate", route.DefaultCheapModel},
		{branch, "complex", route.DefaultStrongModel},
	} {
		r := rs.plan(t, tt.request, 5000)
		if r.status != http.StatusOK || r.resp.Source != planner.SourceLLM {
			t.Fatalf("%q: status %d source %q (%s)", tt.request, r.status, r.resp.Source, r.errCode)
		}
		if r.resp.Tier != tt.tier || r.resp.Model != tt.model {
			t.Errorf("%q: tier %q model %q, want %q on %q", tt.request, r.resp.Tier, r.resp.Model, tt.tier, tt.model)
		}
		checkAnswer(t, rs.reg, r, 5e9)
	}

	before := rs.sim.Stats().Requests
	rs.mu.Lock()
	rs.badMini = true
	rs.mu.Unlock()
	r := rs.plan(t, twoStep, 5000)
	if r.status != http.StatusOK || r.resp.Source != planner.SourceLLM {
		t.Fatalf("cascade: status %d source %q (%s)", r.status, r.resp.Source, r.errCode)
	}
	if r.resp.Model != route.DefaultStrongModel || r.resp.Tier != "complex" {
		t.Errorf("cascade: answered by %q (tier %q), want the strong model", r.resp.Model, r.resp.Tier)
	}
	checkAnswer(t, rs.reg, r, 5e9)
	after := rs.sim.Stats().Requests
	// The cheap model was asked twice (the call and the repair round), then the strong one.
	if got := after[route.DefaultCheapModel] - before[route.DefaultCheapModel]; got != 2 {
		t.Errorf("cheap model called %d times during the cascade, want 2", got)
	}
	if got := after[route.DefaultStrongModel] - before[route.DefaultStrongModel]; got != 1 {
		t.Errorf("strong model called %d times during the cascade, want 1", got)
	}
}
