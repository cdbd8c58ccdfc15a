package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

type fixedPlanner struct{ p *plan.Plan }

func (f fixedPlanner) Plan(context.Context, query.Query) (*plan.Plan, error) {
	if f.p == nil {
		return nil, &plan.CannotPlanError{Reason: "no tool matched"}
	}
	return f.p.Clone(), nil
}

func newServer(t *testing.T, p *plan.Plan, keys ...server.APIKey) *httptest.Server {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg, planner.WithPatternPlanner(fixedPlanner{p}))
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{MaxBodyBytes: 4096, APIKeys: keys}, pl)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func do(t *testing.T, method, url, body string, header ...string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: non-JSON body %q", method, url, b)
	}
	return res.StatusCode, m, res.Header
}

var echoPlan = &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "echo", Args: map[string]any{"text": "hi"}}}}

func TestPlanEndpoint(t *testing.T) {
	ts := newServer(t, echoPlan)
	code, body, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo hi"}`)
	if code != 200 {
		t.Fatalf("status %d: %v", code, body)
	}
	steps := body["plan"].(map[string]any)["steps"].([]any)
	if len(steps) != 1 || body["source"] != "pattern" || body["fallback"] != true || body["fallback_reason"] != "offline" {
		t.Fatalf("body = %v", body)
	}
	for _, k := range []string{"model", "attempts", "tokens", "cost_usd", "request_id", "registry_version"} {
		if _, ok := body[k]; !ok && k != "model" {
			t.Errorf("missing %s", k)
		}
	}
}

func TestPlanErrors(t *testing.T) {
	ts := newServer(t, nil)
	tests := []struct {
		name, body string
		code       int
		errCode    string
	}{
		{"cannot plan", `{"request":"fly me to the moon"}`, 422, "cannot_plan"},
		{"empty request", `{"request":""}`, 400, "invalid_request"},
		{"malformed JSON", `{"request":`, 400, "invalid_request"},
		{"unknown field", `{"request":"x","bogus":1}`, 400, "invalid_request"},
		{"trailing data", `{"request":"x"} {}`, 400, "invalid_request"},
		{"too large", `{"request":"` + strings.Repeat("a", 5000) + `"}`, 413, "invalid_request"},
		{"negative deadline", `{"request":"x","options":{"deadline_ms":-1}}`, 400, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := do(t, "POST", ts.URL+"/api/v1/plan", tc.body)
			if code != tc.code {
				t.Fatalf("status %d, want %d: %v", code, tc.code, body)
			}
			e, _ := body["error"].(map[string]any)
			if e == nil || e["code"] != tc.errCode || e["message"] == "" {
				t.Fatalf("error body = %v", body)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	key := server.APIKey{Key: "0123456789abcdef-secret", Tenant: "acme"}
	ts := newServer(t, echoPlan, key)
	if code, _, h := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo"}`); code != 401 || h.Get("WWW-Authenticate") == "" {
		t.Fatalf("no token: status %d", code)
	}
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo"}`, "Authorization", "Bearer wrong"); code != 401 {
		t.Fatalf("wrong token: status %d", code)
	}
	if code, body, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo"}`, "Authorization", "Bearer "+key.Key); code != 200 {
		t.Fatalf("good token: status %d %v", code, body)
	}
	// Health and the OpenAPI document stay public.
	if code, _, _ := do(t, "GET", ts.URL+"/healthz", ""); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/v1/openapi.json", ""); code != 200 {
		t.Fatalf("openapi %d", code)
	}
}

func TestToolsReadyOpenAPI(t *testing.T) {
	ts := newServer(t, echoPlan)
	code, body, _ := do(t, "GET", ts.URL+"/api/v1/tools", "")
	if code != 200 || body["version"] == "" || len(body["tools"].([]any)) != 1 {
		t.Fatalf("tools: %d %v", code, body)
	}
	code, body, _ = do(t, "GET", ts.URL+"/readyz", "")
	if code != 200 || body["offline"] != true {
		t.Fatalf("readyz: %d %v", code, body)
	}
	code, body, _ = do(t, "GET", ts.URL+"/api/v1/openapi.json", "")
	if code != 200 || body["openapi"] != "3.1.0" {
		t.Fatalf("openapi: %d", code)
	}
	paths := body["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/plan", "/api/v1/tools", "/healthz", "/readyz", "/api/v1/runs", "/api/v1/runs/{id}",
		"/api/v1/runs/{id}/feedback", "/api/v1/metrics/planner", "/api/v1/alerts", "/api/v1/insights", "/api/v1/experiments", "/metrics"} {
		if paths[p] == nil {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}

func TestObservabilityRoutes(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	rec := metrics.NewRecorder(metrics.Options{})
	pl, err := planner.New(reg, planner.WithPatternPlanner(fixedPlanner{echoPlan}), planner.WithRecorder(rec))
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := metrics.NewAlerts(rec, metrics.DefaultRules(0, 0), metrics.AlertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(server.Config{}, pl, server.WithMetrics(rec, alerts)).Handler())
	defer ts.Close()
	for i := 0; i < 3; i++ {
		if code, body, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo hi"}`); code != 200 {
			t.Fatalf("plan: %d %v", code, body)
		}
	}
	code, body, _ := do(t, "GET", ts.URL+"/api/v1/metrics/planner?window=lifetime", "")
	if code != 200 || body["requests"].(float64) != 3 || body["fallback_rate"].(float64) != 1 || body["success_rate"].(float64) != 1 {
		t.Fatalf("summary: %d %v", code, body)
	}
	for _, k := range []string{"latency", "cache_hit_rate", "cost", "errors"} {
		if body[k] == nil {
			t.Errorf("summary lacks %s", k)
		}
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/v1/metrics/planner?window=bogus", ""); code != 400 {
		t.Fatalf("bad window: %d", code)
	}
	code, body, _ = do(t, "GET", ts.URL+"/api/v1/alerts", "")
	if code != 200 || len(body["rules"].([]any)) < 3 || body["active"] == nil {
		t.Fatalf("alerts: %d %v", code, body)
	}
	res, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `planwise_requests_total{`) || !strings.Contains(string(b), "planwise_fallbacks_total") {
		t.Fatalf("/metrics lacks planwise counters:\n%.2000s", b)
	}
}

func TestRateLimit(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg, planner.WithPatternPlanner(fixedPlanner{echoPlan}))
	if err != nil {
		t.Fatal(err)
	}
	a := server.APIKey{Key: "key-a-0123456789abcdef", Tenant: "a"}
	b := server.APIKey{Key: "key-b-0123456789abcdef", Tenant: "b"}
	// 0.001 rps: the bucket does not refill during the test.
	ts := httptest.NewServer(server.New(server.Config{APIKeys: []server.APIKey{a, b}}, pl, server.WithRateLimit(0.001, 3)).Handler())
	defer ts.Close()
	for i := 0; i < 3; i++ {
		if code, body, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo"}`, "Authorization", "Bearer "+a.Key); code != 200 {
			t.Fatalf("request %d within the burst: %d %v", i, code, body)
		}
	}
	code, body, h := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo"}`, "Authorization", "Bearer "+a.Key)
	if code != 429 || h.Get("Retry-After") == "" || body["error"].(map[string]any)["code"] != "rate_limited" {
		t.Fatalf("over the limit: %d %v %v", code, body, h)
	}
	// Another key has its own bucket.
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo"}`, "Authorization", "Bearer "+b.Key); code != 200 {
		t.Fatalf("key b limited by key a's traffic: %d", code)
	}
}

// WithLimitedRoute mounts a handler behind the API's authentication and its per-key rate
// limit (the MCP endpoint); WithRoute, behind authentication only.
func TestLimitedRoute(t *testing.T) {
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	k := server.APIKey{Key: "key-a-0123456789abcdef", Tenant: "a"}
	var tenants []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tenants = append(tenants, server.PrincipalFrom(r.Context()).Tenant)
		w.Write([]byte(`{}`))
	})
	ts := httptest.NewServer(server.New(server.Config{APIKeys: []server.APIKey{k}}, pl, server.WithRateLimit(0.001, 2),
		server.WithLimitedRoute("/api/v1/limited", h), server.WithRoute("/api/v1/open", h)).Handler())
	defer ts.Close()
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/limited", `{}`); code != http.StatusUnauthorized {
		t.Fatalf("without a key: %d", code)
	}
	for i := 0; i < 2; i++ {
		if code, _, _ := do(t, "POST", ts.URL+"/api/v1/limited", `{}`, "Authorization", "Bearer "+k.Key); code != 200 {
			t.Fatalf("request %d within the burst: %d", i, code)
		}
	}
	if code, _, hd := do(t, "POST", ts.URL+"/api/v1/limited", `{}`, "Authorization", "Bearer "+k.Key); code != 429 || hd.Get("Retry-After") == "" {
		t.Fatalf("over the limit: %d", code)
	}
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/open", `{}`, "Authorization", "Bearer "+k.Key); code != 200 {
		t.Fatalf("WithRoute is not rate limited: %d", code)
	}
	if len(tenants) != 3 || tenants[0] != "a" {
		t.Fatalf("handler saw tenants %v", tenants)
	}
}
