package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

func newLearningServer(t *testing.T, keys ...server.APIKey) (*httptest.Server, *history.History) {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{Variants: []string{"default", "concise"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(server.Config{APIKeys: keys}, pl, server.WithLearning(h)).Handler())
	t.Cleanup(ts.Close)
	return ts, h
}

func TestLearningRoutes(t *testing.T) {
	ts, h := newLearningServer(t, server.APIKey{Key: "ka", Tenant: "a"}, server.APIKey{Key: "kb", Tenant: "b"})
	ctx := context.Background()
	auth := func(k string) []string { return []string{"Authorization", "Bearer " + k} }
	for i := range 7 {
		p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "1+1"}}}}
		if err := h.Record(ctx, &history.Record{Tenant: "a", Request: fmt.Sprintf("compute %d plus 1", i), Source: "llm", Valid: i%2 == 0,
			IssueFields: map[bool][]string{true: nil, false: {"calculate.expression"}}[i%2 == 0], Plan: p}); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/v1/history", ""); code != 401 {
		t.Errorf("unauthenticated history: %d", code)
	}
	code, body, _ := do(t, "GET", ts.URL+"/api/v1/history?limit=5", "", auth("ka")...)
	if code != 200 || len(body["records"].([]any)) != 5 || body["next_offset"] != float64(5) {
		t.Fatalf("history page 1: %d %v", code, body)
	}
	code, body, _ = do(t, "GET", ts.URL+"/api/v1/history?limit=5&offset=5", "", auth("ka")...)
	if code != 200 || len(body["records"].([]any)) != 2 || body["next_offset"] != nil {
		t.Errorf("history page 2: %d %v", code, body)
	}
	if code, body, _ = do(t, "GET", ts.URL+"/api/v1/history", "", auth("kb")...); code != 200 || len(body["records"].([]any)) != 0 {
		t.Errorf("tenant b sees tenant a's history: %v", body)
	}
	if code, _, _ = do(t, "GET", ts.URL+"/api/v1/history?limit=0", "", auth("ka")...); code != 400 {
		t.Errorf("limit=0: %d", code)
	}
	code, body, _ = do(t, "GET", ts.URL+"/api/v1/insights?since=1h", "", auth("ka")...)
	if code != 200 || body["requests"] != float64(7) {
		t.Fatalf("insights: %d %v", code, body)
	}
	sugg := body["suggestions"].([]any)
	if len(sugg) == 0 || sugg[0].(map[string]any)["subject"] != "calculate.expression" {
		t.Errorf("insights suggestions %v, want calculate.expression first", sugg)
	}
	if code, _, _ = do(t, "GET", ts.URL+"/api/v1/insights?since=soon", "", auth("ka")...); code != 400 {
		t.Errorf("bad since: %d", code)
	}

	code, body, _ = do(t, "POST", ts.URL+"/api/v1/experiments", `{"id":"w1","name":"wording","variants":[{"name":"default"},{"name":"concise"}]}`, auth("ka")...)
	if code != 201 || body["status"] != "running" || body["tenant"] != "a" {
		t.Fatalf("create: %d %v", code, body)
	}
	if code, _, _ = do(t, "POST", ts.URL+"/api/v1/experiments", `{"variants":[{"name":"default"},{"name":"loud"}]}`, auth("ka")...); code != 400 {
		t.Errorf("unknown variant: %d", code)
	}
	code, body, _ = do(t, "GET", ts.URL+"/api/v1/experiments", "", auth("ka")...)
	if exps := body["experiments"].([]any); code != 200 || len(exps) != 1 {
		t.Fatalf("list: %d %v", code, body)
	}
	if _, body, _ = do(t, "GET", ts.URL+"/api/v1/experiments", "", auth("kb")...); len(body["experiments"].([]any)) != 0 {
		t.Errorf("tenant b sees tenant a's experiment")
	}
	if code, _, _ = do(t, "POST", ts.URL+"/api/v1/experiments/w1/promote", "", auth("ka")...); code != 409 {
		t.Errorf("promote without evidence: %d", code)
	}
	if code, _, _ = do(t, "POST", ts.URL+"/api/v1/experiments/w1/promote", `{"winner":"concise"}`, auth("kb")...); code != 404 {
		t.Errorf("another tenant promoted: %d", code)
	}
	code, body, _ = do(t, "POST", ts.URL+"/api/v1/experiments/w1/promote", `{"winner":"concise"}`, auth("ka")...)
	if code != 200 || body["status"] != "promoted" || body["winner"] != "concise" {
		t.Fatalf("promote: %d %v", code, body)
	}
	if _, v := h.Assign("a", "anything"); v != "concise" {
		t.Errorf("after promotion Assign gives %q", v)
	}
	if code, _, _ = do(t, "POST", ts.URL+"/api/v1/experiments/nope/promote", `{"winner":"x"}`, auth("ka")...); code != 404 {
		t.Errorf("missing experiment: %d", code)
	}
}

// GET /api/v1/history/{id}: one request's record with what it cost, for its tenant only.
func TestHistoryRecordRoute(t *testing.T) {
	ts, h := newLearningServer(t, server.APIKey{Key: "ka", Tenant: "a"}, server.APIKey{Key: "kb", Tenant: "b"},
		server.APIKey{Key: "kadmin", Tenant: "ops", Admin: true})
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "6*7"}}}}
	if err := h.Record(context.Background(), &history.Record{ID: "req-1", RequestID: "req-1", Tenant: "a", Request: "compute 6 times 7",
		Source: "llm", Model: "gpt-4o-mini", Valid: false, IssueCodes: []string{"schema"}, Attempts: 3,
		Errors: []string{"RateLimitError", "ValidationError"}, PromptTokens: 410, CompletionTokens: 35, CostUSD: 0.0000825, Plan: p}); err != nil {
		t.Fatal(err)
	}
	auth := func(k string) []string { return []string{"Authorization", "Bearer " + k} }
	code, body, _ := do(t, "GET", ts.URL+"/api/v1/history/req-1", "", auth("ka")...)
	if code != 200 || body["request"] != "compute 6 times 7" || body["attempts"] != float64(3) || body["prompt_tokens"] != float64(410) ||
		body["cost_usd"] != 0.0000825 || fmt.Sprint(body["errors"]) != "[RateLimitError ValidationError]" || body["plan"] == nil {
		t.Fatalf("GET /api/v1/history/req-1: %d %v", code, body)
	}
	if code, body, _ = do(t, "GET", ts.URL+"/api/v1/history/req-1", "", auth("kb")...); code != 404 {
		t.Errorf("another tenant's record: %d %v", code, body)
	}
	// An admin key reads every tenant's history, as it reads every tenant's metrics.
	if code, body, _ = do(t, "GET", ts.URL+"/api/v1/history/req-1", "", auth("kadmin")...); code != 200 || body["tenant"] != "a" {
		t.Errorf("admin reading tenant a's record: %d %v", code, body)
	}
	if code, body, _ = do(t, "GET", ts.URL+"/api/v1/history", "", auth("kadmin")...); code != 200 || len(body["records"].([]any)) != 1 {
		t.Errorf("admin history: %d %v", code, body)
	}
	if code, body, _ = do(t, "GET", ts.URL+"/api/v1/history", "", auth("kb")...); code != 200 || len(body["records"].([]any)) != 0 {
		t.Errorf("tenant b's history shows tenant a's record: %d %v", code, body)
	}
	if code, _, _ = do(t, "GET", ts.URL+"/api/v1/history/nope", "", auth("ka")...); code != 404 {
		t.Errorf("a missing record: %d", code)
	}
	if code, _, _ = do(t, "GET", ts.URL+"/api/v1/history/req-1", ""); code != 401 {
		t.Errorf("unauthenticated: %d", code)
	}
}

// The API's insights and records speak the error codes its errors carry (snake_case),
// also for a record written when records held CamelCase error types.
func TestInsightsRouteSpeaksTheErrorCodes(t *testing.T) {
	ts, h := newLearningServer(t)
	ctx := context.Background()
	for _, r := range []*history.Record{
		{ID: "old", RequestID: "old", Request: "an old refusal", Source: "none", NoPlan: true, Refused: "offline", ErrorType: "CannotPlan"},
		{ID: "new", RequestID: "new", Request: "book a flight", Source: "none", NoPlan: true, ErrorType: planner.CodeUnavailable},
	} {
		r.Tenant = planner.DefaultTenant
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	code, body, _ := do(t, "GET", ts.URL+"/api/v1/insights?since=0", "")
	keys := []string{}
	for _, g := range body["by_error_type"].([]any) {
		keys = append(keys, g.(map[string]any)["key"].(string))
	}
	if code != 200 || fmt.Sprint(keys) != "[cannot_plan unavailable]" {
		t.Errorf("insights: %d, error types %v; want cannot_plan and unavailable", code, keys)
	}
	if code, body, _ = do(t, "GET", ts.URL+"/api/v1/history/old", ""); code != 200 || body["error_type"] != planner.CodeCannotPlan {
		t.Errorf("history/old: %d, error_type %v; want cannot_plan", code, body["error_type"])
	}
}
