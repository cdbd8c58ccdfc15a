package planner_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func registry(t testing.TB) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "get_weather", Description: "Get the weather for a city",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"],"additionalProperties":false}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"}}}`)},
		&tool.Tool{Name: "send_sms", Description: "Send an SMS to a phone number",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"phone_number":{"type":"string"},"content":{"type":"string"}},"required":["phone_number","content"],"additionalProperties":false}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

var goodPlan = &plan.Plan{Steps: []plan.Step{
	{ID: "s1", Tool: "get_weather", Args: map[string]any{"location": "Paris"}},
	{ID: "s2", Tool: "send_sms", Args: map[string]any{"phone_number": "+15551234567", "content": "${s1.summary}"}},
}}

// weatherPlan states nothing the request must give (goodPlan's phone number is the
// user's: a request must state it).
var weatherPlan = &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"location": "Paris"}}}}

var badPlan = &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_sms", Args: map[string]any{"phone_number": "+1"}}}}

// fakeOffline is an offline planner returning a fixed plan or ErrCannotPlan.
type fakeOffline struct {
	p     *plan.Plan
	calls atomic.Int32
}

func (f *fakeOffline) Plan(ctx context.Context, _ query.Query) (*plan.Plan, error) {
	f.calls.Add(1)
	if f.p == nil {
		return nil, &plan.CannotPlanError{Reason: "nothing matched"}
	}
	return f.p.Clone(), nil
}

// scriptedProvider answers each call with the next scripted reply (the last repeats).
type scriptedProvider struct {
	mu      sync.Mutex
	replies []reply
	models  []string
	calls   int
}

type reply struct {
	plan  *plan.Plan
	raw   string
	err   error
	hang  bool
	model string // only answer for this model; others get the default (last) reply
}

func (s *scriptedProvider) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	s.mu.Lock()
	i := min(s.calls, len(s.replies)-1)
	s.calls++
	s.models = append(s.models, req.Model)
	r := s.replies[i]
	s.mu.Unlock()
	if r.hang {
		<-ctx.Done()
		return nil, &llm.Error{Type: llm.TimeoutError, Err: ctx.Err(), Model: req.Model}
	}
	if r.err != nil {
		return nil, r.err
	}
	content := r.raw
	if r.plan != nil {
		b, err := prompt.EncodePlan(r.plan, compiledMode)
		if err != nil {
			return nil, err
		}
		content = string(b)
	}
	return &llm.Response{Content: content, Model: req.Model,
		Usage: llm.Usage{PromptTokens: 1000, CompletionTokens: 100}}, nil
}

// failedAttempts stands for the attempts of a provider that retried by itself (an
// llm.Client used as the planner's provider reports every attempt it made).
func failedAttempts(n int, typ llm.ErrorType) []llm.Attempt {
	out := make([]llm.Attempt, n)
	for i := range out {
		out[i] = llm.Attempt{ErrorType: typ}
	}
	return out
}

// compiledMode is the response mode CompileSchema chose for the test registry.
var compiledMode prompt.Mode

// compiledRegistry is the test registry with its strict schema compiled (compiledMode
// set), as a planner with an LLM needs.
func compiledRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	reg := registry(t)
	s, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	compiledMode = s.Mode
	return reg
}

// localEmbedder is the default local embedder.
func localEmbedder(t testing.TB) *embed.Local {
	t.Helper()
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return emb
}

func newPlanner(t testing.TB, prov llm.Provider, pattern query.Planner, rec *metrics.Recorder, cfg planner.Config) *planner.Planner {
	t.Helper()
	reg := registry(t)
	s, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	compiledMode = s.Mode
	opts := []planner.Option{planner.WithPatternPlanner(pattern), planner.WithConfig(cfg)}
	if rec != nil {
		opts = append(opts, planner.WithRecorder(rec))
	}
	if prov != nil {
		opts = append(opts, planner.WithLLM(planner.LLMConfig{Provider: prov,
			Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	}
	p, err := planner.New(reg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOfflinePattern(t *testing.T) {
	p := newPlanner(t, nil, &fakeOffline{p: goodPlan}, nil, planner.Config{})
	resp, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris then text it to +1 555 123 4567"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Source != planner.SourcePattern || !resp.Fallback || resp.FallbackReason != planner.ReasonOffline || !resp.Offline {
		t.Fatalf("response = %+v", resp)
	}
	if resp.RequestID == "" || resp.RegistryVersion == "" {
		t.Fatalf("missing ids: %+v", resp)
	}
}

func TestOfflineInvalidPlanIsNeverReturned(t *testing.T) {
	p := newPlanner(t, nil, &fakeOffline{p: badPlan}, nil, planner.Config{})
	_, err := p.Plan(context.Background(), planner.Request{Text: "text someone"})
	pe, ok := planner.AsError(err)
	if !ok || pe.Code != planner.CodeCannotPlan || pe.HTTPStatus() != 422 {
		t.Fatalf("want cannot_plan, got %v", err)
	}
}

// A refusal says why in its message: the pattern planner's reason, not a generic line.
func TestOfflineRefusalSaysWhy(t *testing.T) {
	p := newPlanner(t, nil, &fakeOffline{}, nil, planner.Config{})
	_, err := p.Plan(context.Background(), planner.Request{Text: "make me a sandwich"})
	pe, ok := planner.AsError(err)
	if !ok || pe.Code != planner.CodeCannotPlan {
		t.Fatalf("want cannot_plan, got %v", err)
	}
	if want := "the request cannot be planned: nothing matched"; pe.Message != want {
		t.Fatalf("message = %q, want %q", pe.Message, want)
	}
}

func TestAdmission(t *testing.T) {
	p := newPlanner(t, nil, &fakeOffline{p: goodPlan}, nil, planner.Config{MaxRequestBytes: 10})
	for _, text := range []string{"", "   ", "\xff\xfe", "this is longer than ten bytes"} {
		_, err := p.Plan(context.Background(), planner.Request{Text: text})
		if pe, ok := planner.AsError(err); !ok || pe.Code != planner.CodeInvalidRequest || pe.HTTPStatus() != 400 {
			t.Errorf("Plan(%q) = %v, want invalid_request", text, err)
		}
	}
}

func TestLLMPath(t *testing.T) {
	validFirst := func() *scriptedProvider { return &scriptedProvider{replies: []reply{{plan: goodPlan}}} }
	tests := []struct {
		name         string
		prov         *scriptedProvider
		pattern      *plan.Plan
		wantSource   string
		wantModel    string
		wantReason   string
		wantAttempts int
		wantCode     string
		wantModels   []string // the models the provider was asked, in order, when set
	}{
		{name: "valid first time", prov: validFirst(), wantSource: "llm", wantModel: "gpt-4o-mini", wantAttempts: 1},
		{name: "repaired", prov: &scriptedProvider{replies: []reply{{plan: badPlan}, {plan: goodPlan}}},
			wantSource: "llm", wantModel: "gpt-4o-mini", wantAttempts: 2},
		{name: "malformed then repaired", prov: &scriptedProvider{replies: []reply{{raw: `{"steps": [`}, {plan: goodPlan}}},
			wantSource: "llm", wantModel: "gpt-4o-mini", wantAttempts: 2},
		{name: "cascade after failed repair", prov: &scriptedProvider{replies: []reply{{plan: badPlan}, {plan: badPlan}, {plan: goodPlan}}},
			wantSource: "llm", wantModel: "gpt-4o", wantAttempts: 3},
		{name: "invalid everywhere falls back to pattern", prov: &scriptedProvider{replies: []reply{{plan: badPlan}}},
			pattern: goodPlan, wantSource: "pattern", wantModel: "gpt-4o", wantReason: planner.ReasonInvalidPlan, wantAttempts: 4},
		{name: "provider error falls back", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.ServerError, Status: 503, Attempts: failedAttempts(3, llm.ServerError)}}}},
			pattern: goodPlan, wantSource: "pattern", wantReason: planner.ReasonProviderError, wantAttempts: 6},
		{name: "circuit open falls back", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.CircuitOpen, Err: llm.ErrCircuitOpen}}}},
			pattern: goodPlan, wantSource: "pattern", wantReason: planner.ReasonCircuitOpen, wantAttempts: 0}, // the breakers refused: no call made
		{name: "malformed body is the provider's failure", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.ParseError, Err: llm.ErrMalformedResponse}}}},
			pattern: goodPlan, wantSource: "pattern", wantReason: planner.ReasonProviderError, wantAttempts: 2},
		// A failure of the provider's endpoint, not of the model, is not escalated: the
		// stronger tier is behind the same endpoint and key (llm.ProviderWide).
		{name: "401: no cascade", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.AuthError, Status: 401}}}},
			pattern: goodPlan, wantSource: "pattern", wantModel: "gpt-4o-mini", wantReason: planner.ReasonProviderError, wantAttempts: 1,
			wantModels: []string{"gpt-4o-mini"}},
		{name: "403: no cascade", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.AuthError, Status: 403}}}},
			pattern: goodPlan, wantSource: "pattern", wantModel: "gpt-4o-mini", wantReason: planner.ReasonProviderError, wantAttempts: 1,
			wantModels: []string{"gpt-4o-mini"}},
		{name: "connection refused: no cascade", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.NetworkError,
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, Attempts: failedAttempts(3, llm.NetworkError)}}}},
			pattern: goodPlan, wantSource: "pattern", wantModel: "gpt-4o-mini", wantReason: planner.ReasonProviderError, wantAttempts: 3,
			wantModels: []string{"gpt-4o-mini"}},
		{name: "breaker open on an unreachable endpoint: no cascade", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.CircuitOpen,
			Err: fmt.Errorf("%w (cooling down after repeated failures: %w)", llm.ErrCircuitOpen, llm.ErrUnreachable)}}}},
			pattern: goodPlan, wantSource: "pattern", wantReason: planner.ReasonCircuitOpen, wantAttempts: 0,
			wantModels: []string{"gpt-4o-mini"}},
		{name: "timeout: no cascade", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.TimeoutError,
			Err: fmt.Errorf("attempt timed out after 2s: %w", context.DeadlineExceeded), Attempts: failedAttempts(3, llm.TimeoutError)}}}},
			pattern: goodPlan, wantSource: "pattern", wantModel: "gpt-4o-mini", wantReason: planner.ReasonProviderTimeout, wantAttempts: 3,
			wantModels: []string{"gpt-4o-mini"}},
		{name: "breaker open on a hanging endpoint: no cascade", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.CircuitOpen,
			Err: fmt.Errorf("%w (cooling down after repeated failures: %w)", llm.ErrCircuitOpen, llm.ErrNoAnswer)}}}},
			pattern: goodPlan, wantSource: "pattern", wantReason: planner.ReasonCircuitOpen, wantAttempts: 0,
			wantModels: []string{"gpt-4o-mini"}},
		// The model's failures are: the stronger tier is another model.
		{name: "model not found cascades", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.BadRequestError, Status: 404}}, {plan: goodPlan}}},
			wantSource: "llm", wantModel: "gpt-4o", wantAttempts: 2, wantModels: []string{"gpt-4o-mini", "gpt-4o"}},
		{name: "breaker open on a model's 5xx cascades", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.CircuitOpen, Err: llm.ErrCircuitOpen}}, {plan: goodPlan}}},
			wantSource: "llm", wantModel: "gpt-4o", wantAttempts: 1, wantModels: []string{"gpt-4o-mini", "gpt-4o"}},
		{name: "nothing plans: typed error", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.ServerError, Status: 500}}}},
			wantCode: planner.CodeUnavailable},
		{name: "invalid everywhere and no offline plan", prov: &scriptedProvider{replies: []reply{{plan: badPlan}}},
			wantCode: planner.CodeCannotPlan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPlanner(t, tc.prov, &fakeOffline{p: tc.pattern}, nil, planner.Config{})
			resp, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567"})
			if tc.wantCode != "" {
				pe, ok := planner.AsError(err)
				if !ok || pe.Code != tc.wantCode {
					t.Fatalf("want %s, got %v", tc.wantCode, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := plan.Validate(resp.Plan, p.Registry()); err != nil {
				t.Fatalf("returned an invalid plan: %v", err)
			}
			if resp.Source != tc.wantSource || resp.FallbackReason != tc.wantReason || resp.Attempts != tc.wantAttempts {
				t.Fatalf("source=%s reason=%q attempts=%d; want %s %q %d (errors %v)", resp.Source, resp.FallbackReason, resp.Attempts,
					tc.wantSource, tc.wantReason, tc.wantAttempts, resp.Errors)
			}
			if tc.wantModel != "" && resp.Model != tc.wantModel {
				t.Fatalf("model = %s, want %s", resp.Model, tc.wantModel)
			}
			if tc.wantModels != nil && !slices.Equal(tc.prov.models, tc.wantModels) {
				t.Fatalf("the provider was asked %v, want %v", tc.prov.models, tc.wantModels)
			}
			if resp.Fallback != (tc.wantSource != "llm") {
				t.Fatalf("fallback = %v", resp.Fallback)
			}
			if resp.Source == "llm" && (resp.Tokens.Prompt == 0 || resp.CostUSD <= 0 || resp.PromptVersion == "") {
				t.Fatalf("no accounting: %+v", resp)
			}
		})
	}
}

func TestDeadlineLeavesRoomForFallback(t *testing.T) {
	prov := &scriptedProvider{replies: []reply{{hang: true}}}
	p := newPlanner(t, prov, &fakeOffline{p: goodPlan}, nil, planner.Config{})
	start := time.Now()
	resp, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris", Options: planner.Options{DeadlineMS: 300}})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Source != planner.SourcePattern || resp.FallbackReason != planner.ReasonDeadline {
		t.Fatalf("response = %+v", resp)
	}
	// The reserve leaves 30 ms for the pattern planner; allow scheduling slack on a
	// loaded machine, but not another deadline's worth.
	if elapsed > 450*time.Millisecond {
		t.Fatalf("took %v, well past the 300ms deadline", elapsed)
	}
}

func TestRecordsMetrics(t *testing.T) {
	rec := metrics.NewRecorder(metrics.Options{})
	prov := &scriptedProvider{replies: []reply{{plan: badPlan}, {plan: goodPlan}}}
	p := newPlanner(t, prov, &fakeOffline{p: goodPlan}, rec, planner.Config{})
	if _, err := p.Plan(context.Background(), planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", APIKey: "k1"}); err != nil {
		t.Fatal(err)
	}
	off := newPlanner(t, nil, &fakeOffline{}, rec, planner.Config{})
	if _, err := off.Plan(context.Background(), planner.Request{Text: "nothing fits"}); err == nil {
		t.Fatal("want error")
	}
	s := rec.Summary(0)
	if s.Requests != 2 {
		t.Fatalf("requests = %d", s.Requests)
	}
	if s.SuccessRate != 0.5 {
		t.Fatalf("success rate = %v", s.SuccessRate)
	}
	if s.Cost.TotalTokens != 2200 {
		t.Fatalf("tokens = %d", s.Cost.TotalTokens)
	}
	if s.Errors.ByType["ValidationError"] == 0 && s.Errors.ByType[planner.CodeCannotPlan] == 0 {
		t.Fatalf("errors = %+v", s.Errors)
	}
}

// BenchmarkPlannerOverhead measures the planner's own time on an LLM call: the provider
// is in-process and answers at once, so the time per op is the overhead (prompt build,
// schema, decode, validation, accounting). It reports the median as p50-ns.
func BenchmarkPlannerOverhead(b *testing.B) {
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
	rec := metrics.NewRecorder(metrics.Options{})
	p := newPlanner(b, prov, &fakeOffline{p: goodPlan}, rec, planner.Config{})
	ctx := context.Background()
	req := planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", Options: planner.Options{NoCache: true}}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := p.Plan(ctx, req); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.ReportMetric(float64(median(durs).Nanoseconds()), "p50-ns")
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func TestDailyBudget(t *testing.T) {
	rec := metrics.NewRecorder(metrics.Options{})
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
	reg := registry(t)
	s, _ := prompt.CompileSchema(reg)
	compiledMode = s.Mode
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{p: goodPlan}), planner.WithRecorder(rec),
		planner.WithBudget(planner.Budget{PerKeyDailyUSD: 0.0005}),
		planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Each call costs 1000*0.15/1e6 + 100*0.6/1e6 = $0.00021 (the fake provider's usage).
	// Calls go through while the spend plus the next call's estimate fits in $0.0005.
	const perCall, budget = 0.00021, 0.0005
	ok, estimate := 0, 0
	for i := 0; i < 10; i++ {
		resp, err := p.Plan(ctx, planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", APIKey: "k1"})
		if err != nil {
			pe, isPE := planner.AsError(err)
			if !isPE || pe.Code != planner.CodeRateLimited || pe.HTTPStatus() != 429 || pe.RetryAfter <= 0 || pe.RetryAfter > 24*time.Hour {
				t.Fatalf("over budget: %v", err)
			}
			break
		}
		ok++
		estimate = resp.Tokens.Estimated
	}
	if ok == 0 || ok == 10 || estimate == 0 {
		t.Fatalf("%d calls went through (estimate %d tokens)", ok, estimate)
	}
	spent := float64(ok) * perCall
	next := float64(estimate) * 0.15 / 1e6
	if spent > budget || spent+next <= budget {
		t.Fatalf("refused after %d calls: spent $%.5f, next estimated $%.5f, budget $%.4f", ok, spent, next, budget)
	}
	if prov.calls != ok {
		t.Fatalf("provider calls = %d; the refused request must not reach the LLM", prov.calls)
	}
	if _, err := p.Plan(ctx, planner.Request{Text: "weather in Paris", APIKey: "k2"}); err != nil {
		t.Fatalf("another key is not limited: %v", err)
	}
}

// TestModelRefusal: a model that answers cannot_plan gets one call, no repair round and no
// cascade (unless the refusal policy escalates), and its refusal is served as 422
// cannot_plan with its reason: the offline planners are not asked to make up a plan over
// it. Metrics count a refusal, not an error.
func TestModelRefusal(t *testing.T) {
	const refusalJSON = `{"goal":"make a sandwich","reasoning":"no food tools","cannot_plan":"No listed tool prepares food.","steps":[]}`
	for _, policy := range []string{"", planner.RefusalAccept, planner.RefusalEscalate} {
		t.Run("policy="+policy, func(t *testing.T) {
			prov := &scriptedProvider{replies: []reply{{raw: refusalJSON, model: "gpt-4o-mini"}, {plan: weatherPlan}}}
			pattern := &fakeOffline{p: goodPlan}
			rec := metrics.NewRecorder(metrics.Options{})
			reg := registry(t)
			sch, err := prompt.CompileSchema(reg)
			if err != nil {
				t.Fatal(err)
			}
			compiledMode = sch.Mode
			p, err := planner.New(reg, planner.WithPatternPlanner(pattern), planner.WithRecorder(rec),
				planner.WithLLM(planner.LLMConfig{Provider: prov, Refusal: policy,
					Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := p.Plan(context.Background(), planner.Request{Text: "make me a sandwich with extra pickles"})
			if policy == planner.RefusalEscalate {
				// The stronger tier is asked once; here it plans.
				if err != nil || resp.Source != planner.SourceLLM || resp.Model != "gpt-4o" || resp.Attempts != 2 {
					t.Fatalf("escalate: resp %+v errors %v err %v", resp, resp.Errors, err)
				}
				if prov.calls != 2 || pattern.calls.Load() != 0 {
					t.Fatalf("escalate: %d provider calls, %d pattern calls", prov.calls, pattern.calls.Load())
				}
				return
			}
			pe, ok := planner.AsError(err)
			if !ok || pe.Code != planner.CodeCannotPlan || pe.HTTPStatus() != 422 {
				t.Fatalf("want 422 cannot_plan, got resp %v err %v", resp, err)
			}
			if pe.Reason != "No listed tool prepares food." || pe.RefusedBy != "llm" {
				t.Errorf("reason %q refused_by %q", pe.Reason, pe.RefusedBy)
			}
			if prov.calls != 1 || pe.Response.Attempts != 1 {
				t.Errorf("%d provider calls (%d attempts), want exactly one", prov.calls, pe.Response.Attempts)
			}
			if pattern.calls.Load() != 0 {
				t.Errorf("the pattern planner was asked to plan over the model's refusal")
			}
			if pe.Response.Tokens.Prompt != 1000 || len(pe.Response.Errors) != 0 {
				t.Errorf("tokens %+v errors %v", pe.Response.Tokens, pe.Response.Errors)
			}
			s := rec.Summary(0)
			if s.Refusals != 1 || s.LLMRefusals != 1 || s.RefusalRate != 1 || s.Errors.Total != 0 || s.Successes != 0 {
				t.Errorf("metrics: refusals %d llm %d rate %v errors %+v successes %d", s.Refusals, s.LLMRefusals, s.RefusalRate, s.Errors, s.Successes)
			}
		})
	}
	reg := registry(t)
	if _, err := planner.New(reg, planner.WithLLM(planner.LLMConfig{Provider: &scriptedProvider{}, Refusal: "ignore"})); err == nil {
		t.Error("an unknown refusal policy was accepted")
	}
}

// partialOffline plans the first clause of every request and lists the rest as unplanned.
type partialOffline struct{ p *plan.Plan }

func (f *partialOffline) Plan(ctx context.Context, _ query.Query) (*plan.Plan, error) {
	return nil, errors.New("cannot plan: part of the request cannot be planned")
}

func (f *partialOffline) PlanPartial(ctx context.Context, _ query.Query) (*plan.Plan, []string, error) {
	return f.p.Clone(), []string{"make me a sandwich"}, nil
}

func TestPartialPlansOnlyWhenAskedFor(t *testing.T) {
	req := planner.Request{Text: "weather in Paris, then make me a sandwich"}
	p := newPlanner(t, nil, &partialOffline{p: goodPlan}, nil, planner.Config{})
	if _, err := p.Plan(context.Background(), req); err == nil {
		t.Fatal("a request planned only in part was served by default")
	}
	yes := true
	req.Options.Partial = &yes
	resp, err := p.Plan(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Partial || len(resp.Unplanned) != 1 || resp.Unplanned[0] != "make me a sandwich" {
		t.Fatalf("response = %+v", resp)
	}
	// The configuration sets the default; a request may still refuse partial plans.
	p = newPlanner(t, nil, &partialOffline{p: goodPlan}, nil, planner.Config{Partial: true})
	if resp, err := p.Plan(context.Background(), planner.Request{Text: req.Text}); err != nil || !resp.Partial {
		t.Fatalf("config partial: %+v, %v", resp, err)
	}
	no := false
	if _, err := p.Plan(context.Background(), planner.Request{Text: req.Text, Options: planner.Options{Partial: &no}}); err == nil {
		t.Fatal("options.partial=false was not honoured")
	}
}
