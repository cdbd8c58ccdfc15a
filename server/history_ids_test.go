package server_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/tool"
)

// newHistoryRunsServer is a server whose planner keeps a history (written as it answers)
// and runs plans, both on one SQLite store, as planwise serve has them.
func newHistoryRunsServer(t *testing.T, keys ...server.APIKey) *httptest.Server {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema:  json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`),
		OutputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}}}`),
		Run:          &tool.RunSpec{Kind: tool.RunSimulated, Output: map[string]any{"text": "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/planwise.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(ctx, db.HistoryStore(), emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg, planner.WithPatternPlanner(fixedPlanner{echoPlan}), planner.WithLearning(h, nil))
	if err != nil {
		t.Fatal(err)
	}
	runs := planner.NewRuns(pl, execute.New(reg), db.Runs(), nil)
	t.Cleanup(runs.Close)
	ts := httptest.NewServer(server.New(server.Config{APIKeys: keys}, pl, server.WithRuns(runs), server.WithLearning(h)).Handler())
	t.Cleanup(ts.Close)
	return ts
}

// Two tenants' clients send the same X-Request-ID (and one of them sends it twice): each
// request keeps a record of its own, and tenant b's run and feedback land on b's record.
// The X-Request-ID was the record's key: b's request replaced a's record, and b's
// feedback then rated it.
func TestSharedRequestIDKeepsEachTenantsRecord(t *testing.T) {
	ts := newHistoryRunsServer(t, server.APIKey{Key: "ka", Tenant: "a"}, server.APIKey{Key: "kb", Tenant: "b"})
	as := func(key string) []string {
		return []string{"Authorization", "Bearer " + key, "X-Request-ID", "shared-1"}
	}
	run := func(key, request string) (runID string, body map[string]any) {
		t.Helper()
		code, body, hdr := do(t, "POST", ts.URL+"/api/v1/runs?wait=true", `{"request":"`+request+`"}`, as(key)...)
		planning, _ := body["planning"].(map[string]any)
		if code != 200 || body["status"] != "succeeded" || planning == nil || hdr.Get("X-Request-ID") != "shared-1" ||
			body["request_id"] != "shared-1" || planning["request_id"] != "shared-1" {
			t.Fatalf("%s: run: %d %v (X-Request-ID %q)", key, code, body, hdr.Get("X-Request-ID"))
		}
		return body["id"].(string), body
	}
	_, aRun := run("ka", "echo the build is green")
	bRun, bBody := run("kb", "echo the invoice is late")
	_, a2Run := run("ka", "echo the minutes")
	if code, body, _ := do(t, "POST", ts.URL+"/api/v1/runs/"+bRun+"/feedback", `{"rating":-1}`, as("kb")...); code != 200 {
		t.Fatalf("tenant b's feedback: %d %v", code, body)
	}
	// Each tenant's history holds its own requests, as they were.
	for _, c := range []struct {
		key  string
		want []string
	}{{"ka", []string{"echo the minutes", "echo the build is green"}}, {"kb", []string{"echo the invoice is late"}}} {
		code, body, _ := do(t, "GET", ts.URL+"/api/v1/history", "", as(c.key)...)
		recs, _ := body["records"].([]any)
		var got []string
		for _, r := range recs {
			r := r.(map[string]any)
			got = append(got, r["request"].(string))
			if c.key == "ka" && r["feedback"] != nil {
				t.Errorf("tenant a's record %v carries tenant b's feedback", r)
			}
		}
		if code != 200 || !slices.Equal(got, c.want) {
			t.Errorf("%s's history: %d, requests %q, want %q", c.key, code, got, c.want)
		}
	}
	historyID := func(key string, body map[string]any) string {
		t.Helper()
		hid, _ := body["history_id"].(string)
		if hid == "" || hid == "shared-1" || body["planning"].(map[string]any)["history_id"] != hid {
			t.Fatalf("%s: history_id %q: a record needs an id of its own, not the client's request id", key, hid)
		}
		return hid
	}
	aID, bID, a2ID := historyID("ka", aRun), historyID("kb", bBody), historyID("ka", a2Run)
	if aID == bID || aID == a2ID {
		t.Fatalf("history ids %s, %s, %s: requests share a record", aID, bID, a2ID)
	}

	code, a, _ := do(t, "GET", ts.URL+"/api/v1/history/"+aID, "", as("ka")...)
	exec, _ := a["execution"].(map[string]any)
	if code != 200 || a["tenant"] != "a" || a["request"] != "echo the build is green" || a["request_id"] != "shared-1" ||
		a["feedback"] != nil || exec == nil || exec["status"] != "succeeded" {
		t.Fatalf("tenant a's record after tenant b's request and feedback: %d %v", code, a)
	}
	code, b, _ := do(t, "GET", ts.URL+"/api/v1/history/"+bID, "", as("kb")...)
	if code != 200 || b["tenant"] != "b" || b["request"] != "echo the invoice is late" || b["feedback"] != float64(-1) || b["execution"] == nil {
		t.Fatalf("tenant b's record: %d %v", code, b)
	}
	// Neither tenant reads the other's record, and the client's id names no record.
	for _, c := range []struct{ key, id string }{{"kb", aID}, {"ka", bID}, {"ka", "shared-1"}, {"kb", "shared-1"}} {
		if code, body, _ := do(t, "GET", ts.URL+"/api/v1/history/"+c.id, "", as(c.key)...); code != 404 {
			t.Errorf("%s reading %s: %d %v, want 404", c.key, c.id, code, body)
		}
	}
	// Without an X-Request-ID the request id is the server's, and names the record.
	code, body, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request":"echo hi"}`, "Authorization", "Bearer ka")
	if id, _ := body["request_id"].(string); code != 200 || id == "" || body["history_id"] != id {
		t.Fatalf("plan without X-Request-ID: %d %v; want history_id = request_id", code, body)
	}
	if code, rec, _ := do(t, "GET", ts.URL+"/api/v1/history/"+body["request_id"].(string), "", "Authorization", "Bearer ka"); code != 200 || rec["request"] != "echo hi" {
		t.Errorf("the record of a request without X-Request-ID, by its request id: %d %v", code, rec)
	}
}
