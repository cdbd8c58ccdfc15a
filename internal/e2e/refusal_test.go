package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

// dailyLife is the TaskBench daily-life catalog merged with the built-ins, as `planwise
// serve --tools` loads it.
func dailyLife(t testing.TB) *tool.Registry {
	t.Helper()
	dir, err := shareddata.Dir("taskbench", "dailylifeapis")
	if err != nil {
		t.Skipf("TaskBench data not found beside the repository: %v", err)
	}
	loaded, err := tool.LoadPaths(filepath.Join(dir, "tool_desc.json"))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), loaded...)...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// refusalBody is a 422 answer of POST /api/v1/plan.
type refusalBody struct {
	Error struct {
		Code      string         `json:"code"`
		Message   string         `json:"message"`
		Reason    string         `json:"reason"`
		RefusedBy string         `json:"refused_by"`
		Attempts  int            `json:"attempts"`
		Tokens    planner.Tokens `json:"tokens"`
	} `json:"error"`
}

// TestModelRefusalEndToEnd: a request no daily-life tool serves gets 422 cannot_plan after
// exactly one model call, for about the tokens of one ordinary plan, over real HTTP: the
// planwise API, the official openai-go SDK, and the simulator answering in the schema's
// cannot_plan form because its planner cannot plan the request.
func TestModelRefusalEndToEnd(t *testing.T) {
	reg := dailyLife(t)
	s, err := sim.New(sim.Config{Answerer: pattern.NewPattern(reg)})
	if err != nil {
		t.Fatal(err)
	}
	simSrv := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); simSrv.Close() })
	prov, err := openai.New(openai.Config{BaseURL: simSrv.URL + "/v1", APIKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rec := metrics.NewRecorder(metrics.Options{})
	p, err := planner.New(reg, planner.WithRecorder(rec), planner.WithPatternPlanner(pattern.NewPattern(reg)),
		planner.WithLLM(planner.LLMConfig{Provider: llm.NewClient(prov, llm.ClientConfig{}),
			Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(server.New(server.Config{}, p, server.WithMetrics(rec, nil)).Handler())
	t.Cleanup(api.Close)
	post := func(request string) (int, []byte) {
		body, _ := json.Marshal(map[string]any{"request": request, "options": map[string]any{"no_cache": true}})
		res, err := http.Post(api.URL+"/api/v1/plan", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, raw
	}

	// An ordinary plan, for the token comparison.
	status, raw := post("Check the weather in Oslo on 2026-12-10 and then text +1 555 010 2233 the forecast")
	if status != http.StatusOK {
		t.Fatalf("ordinary request: %d %s", status, raw)
	}
	var ordinary planner.Response
	if err := json.Unmarshal(raw, &ordinary); err != nil {
		t.Fatal(err)
	}
	if ordinary.Source != planner.SourceLLM || ordinary.Attempts != 1 {
		t.Fatalf("ordinary request: source %s attempts %d", ordinary.Source, ordinary.Attempts)
	}
	before := s.Stats().Requests["gpt-4o-mini"] + s.Stats().Requests["gpt-4o"]

	status, raw = post("make me a sandwich with extra pickles")
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("sandwich: %d %s", status, raw)
	}
	var ref refusalBody
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	calls := s.Stats().Requests["gpt-4o-mini"] + s.Stats().Requests["gpt-4o"] - before
	if ref.Error.Code != planner.CodeCannotPlan || ref.Error.RefusedBy != "llm" || ref.Error.Reason == "" {
		t.Fatalf("want cannot_plan refused by the model with its reason, got %s", raw)
	}
	if calls != 1 || ref.Error.Attempts != 1 {
		t.Fatalf("the refusal took %d model calls (%d attempts), want exactly one", calls, ref.Error.Attempts)
	}
	got := ref.Error.Tokens.Prompt + ref.Error.Tokens.Completion
	one := ordinary.Tokens.Prompt + ordinary.Tokens.Completion
	if float64(got) > 1.5*float64(one) {
		t.Fatalf("the refusal cost %d tokens, more than 1.5x the %d of one ordinary plan", got, one)
	}
	t.Logf("refusal: 1 call, %d tokens (%d prompt + %d completion); ordinary plan: %d tokens (%d + %d); ratio %.2f",
		got, ref.Error.Tokens.Prompt, ref.Error.Tokens.Completion, one, ordinary.Tokens.Prompt, ordinary.Tokens.Completion, float64(got)/float64(one))
	sum := rec.Summary(0)
	if sum.LLMRefusals != 1 || sum.Errors.ByType["ValidationError"] != 0 || sum.Errors.Total != 0 {
		t.Errorf("metrics: llm refusals %d, errors %+v", sum.LLMRefusals, sum.Errors)
	}
	// The refusal is an answer, not an invalid plan: validity counts the one plan sent.
	if sum.ValidityRate != 1 || sum.Plans != 1 || sum.RefusalRate != 0.5 {
		t.Errorf("metrics: validity_rate %v over %d plans, refusal_rate %v; want 1 over 1, and 0.5", sum.ValidityRate, sum.Plans, sum.RefusalRate)
	}
}
