package planner_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
)

// TestErrorCode: the one mapping from a failure of Plan to the name of how the request
// ended, which the HTTP API and the MCP server answer with, the metrics count and the
// history keeps.
func TestErrorCode(t *testing.T) {
	for _, tc := range []struct {
		err    error
		code   string
		status int
	}{
		{nil, "", 0},
		{&planner.Error{Code: planner.CodeCannotPlan}, planner.CodeCannotPlan, http.StatusUnprocessableEntity},
		{fmt.Errorf("plan: %w", &planner.Error{Code: planner.CodeRateLimited}), planner.CodeRateLimited, http.StatusTooManyRequests},
		{errors.New("a stage's bug"), planner.CodeInternal, http.StatusInternalServerError},
	} {
		if got := planner.ErrorCode(tc.err); got != tc.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", tc.err, got, tc.code)
		}
		if tc.err == nil {
			continue
		}
		if got := (&planner.Error{Code: planner.ErrorCode(tc.err)}).HTTPStatus(); got != tc.status {
			t.Errorf("%q: status %d, want %d", tc.code, got, tc.status)
		}
	}
}

// TestOneErrorTaxonomy: a request that fails is named the same way by the error its
// caller gets, the metrics' errors.by_type and its history record: the API's snake_case
// code (when the provider met no error on the way; those are counted by their
// llm.ErrorType, as the error's errors list them).
func TestOneErrorTaxonomy(t *testing.T) {
	reg := compiledRegistry(t)
	ctx := context.Background()
	router := planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}
	for _, tc := range []struct {
		name     string
		prov     llm.Provider
		budget   planner.Budget
		req      planner.Request
		code     string
		provider []string // the provider errors met on the way, which by_type counts instead
	}{
		{name: "offline refusal", req: planner.Request{Text: "paint the fence blue", Options: planner.Options{Offline: true}},
			code: planner.CodeCannotPlan},
		{name: "empty request", req: planner.Request{Text: "  "}, code: planner.CodeInvalidRequest},
		{name: "model not routed", prov: &scriptedProvider{replies: []reply{{plan: weatherPlan}}},
			req: planner.Request{Text: "weather in Paris", Options: planner.Options{Model: "o1-pro"}}, code: planner.CodeModelNotAllowed},
		// The budget's refusal is no fallback: nothing is called and no offline planner
		// answers (the pattern planner here would).
		{name: "budget spent", prov: &scriptedProvider{replies: []reply{{plan: weatherPlan}}},
			budget: planner.Budget{DailyUSD: 1e-9}, req: planner.Request{Text: "weather in Paris", APIKey: "k1"}, code: planner.CodeRateLimited},
		{name: "provider down", prov: &scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.ServerError, Status: 503}}}},
			// Both tiers failed (the cascade asks the stronger one).
			req: planner.Request{Text: "paint the shed green"}, code: planner.CodeUnavailable, provider: []string{string(llm.ServerError), string(llm.ServerError)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := history.NewMemoryStore()
			h, err := history.New(ctx, store, localEmbedder(t), history.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rec := metrics.NewRecorder(metrics.Options{})
			pattern := &fakeOffline{}
			if tc.code == planner.CodeRateLimited {
				pattern.p = weatherPlan
			}
			opts := []planner.Option{planner.WithPatternPlanner(pattern), planner.WithRecorder(rec), planner.WithLearning(h, nil), planner.WithBudget(tc.budget)}
			if tc.prov != nil {
				opts = append(opts, planner.WithLLM(planner.LLMConfig{Provider: tc.prov, Router: router}))
			}
			p, err := planner.New(reg, opts...)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := p.Plan(ctx, tc.req)
			pe, ok := planner.AsError(err)
			if !ok || pe.Code != tc.code || planner.ErrorCode(err) != tc.code {
				t.Fatalf("resp %+v, err %v; want %s", resp, err, tc.code)
			}
			if tc.code == planner.CodeRateLimited && pattern.calls.Load() != 0 {
				t.Errorf("the budget's refusal asked the pattern planner %d times", pattern.calls.Load())
			}
			s := rec.Summary(0)
			want := map[string]int64{tc.code: 1}
			if tc.provider != nil {
				want = map[string]int64{}
				for _, e := range tc.provider {
					want[e]++
				}
			}
			if fmt.Sprint(s.Errors.ByType) != fmt.Sprint(want) {
				t.Errorf("errors.by_type %v, want %v", s.Errors.ByType, want)
			}
			if len(s.FallbacksByReason) != 0 {
				t.Errorf("fallbacks by reason %v: a failure is no fallback", s.FallbacksByReason)
			}
			if pe.Response == nil {
				return // refused at admission: nothing reached the history
			}
			r, err := store.GetRecord(ctx, pe.Response.RequestID)
			if err != nil {
				t.Fatal(err)
			}
			if r.ErrorType != tc.code || r.Outcome() != tc.code {
				t.Errorf("record's error_type %q, outcome %q; want %q", r.ErrorType, r.Outcome(), tc.code)
			}
		})
	}
}
