package server_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

const (
	keyAcme  = "acme-key-0123456789"
	keyBeta  = "beta-key-0123456789"
	keyAdmin = "admin-key-0123456789"
)

// A tenant's key reads its own tenant's traffic, cost and alerts, not the others'; an
// admin key reads everything.
func TestMetricsAndAlertsScopedToTenant(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	rec := metrics.NewRecorder(metrics.Options{Now: func() time.Time { return now }})
	pl, err := planner.New(reg, planner.WithRecorder(rec),
		planner.WithPatternPlanner(fixedPlanner{&plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "echo", Args: map[string]any{"text": "hi"}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := metrics.NewAlerts(rec, []metrics.Rule{{Name: "key_budget", Kind: metrics.KindDailyCostPerKey, Threshold: 0.01, Severity: "warning"}}, metrics.AlertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{APIKeys: []server.APIKey{{Key: keyAcme, Tenant: "acme"}, {Key: keyBeta, Tenant: "beta"},
		{Key: keyAdmin, Tenant: "ops", Admin: true}}}, pl, server.WithMetrics(rec, alerts))
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	for range 3 {
		do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo hi"}`, "Authorization", "Bearer "+keyAcme)
	}
	do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo hi"}`, "Authorization", "Bearer "+keyBeta)
	// Beta's key spends past its budget: a per-key alert about beta fires.
	rec.Record(metrics.Event{APIKey: server.KeyID(keyBeta), Tenant: "beta", CostUSD: 0.05, Success: true, Source: "llm", Model: "gpt-4o", Time: now})
	alerts.Evaluate(context.Background(), now)

	get := func(key, path string) map[string]any {
		code, body, _ := do(t, "GET", ts.URL+path, "", "Authorization", "Bearer "+key)
		if code != 200 {
			t.Fatalf("GET %s: %d %v", path, code, body)
		}
		return body
	}
	m := get(keyAcme, "/api/v1/metrics/planner?window=lifetime")
	bd := m["breakdown"].(map[string]any)
	tenants, keys := bd["tenant"].(map[string]any), bd["api_key"].(map[string]any)
	if m["scope"] != "tenant:acme" || m["requests"].(float64) != 3 || len(tenants) != 1 || tenants["acme"] == nil ||
		len(keys) != 1 || keys[server.KeyID(keyAcme)] == nil || len(bd["model"].(map[string]any)) != 0 {
		t.Fatalf("acme's view: scope %v requests %v tenants %v keys %v models %v", m["scope"], m["requests"], tenants, keys, bd["model"])
	}
	if cost := m["cost"].(map[string]any)["total_cost_usd"].(float64); cost != 0 {
		t.Fatalf("acme sees cost %v, beta's spend", cost)
	}
	a := get(keyAdmin, "/api/v1/metrics/planner?window=lifetime")
	if a["scope"] != "all" || a["requests"].(float64) != 5 || len(a["breakdown"].(map[string]any)["tenant"].(map[string]any)) != 2 {
		t.Fatalf("admin's view: scope %v requests %v", a["scope"], a["requests"])
	}
	if n := len(get(keyAcme, "/api/v1/alerts")["active"].([]any)); n != 0 {
		t.Fatalf("acme sees %d alerts about another tenant's key", n)
	}
	if n := len(get(keyBeta, "/api/v1/alerts")["active"].([]any)); n != 1 {
		t.Fatalf("beta sees %d alerts about its own key, want 1", n)
	}
	if n := len(get(keyAdmin, "/api/v1/alerts")["active"].([]any)); n != 1 {
		t.Fatalf("admin sees %d alerts, want 1", n)
	}
}
