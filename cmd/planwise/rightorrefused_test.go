package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

// TestRunsPlanAndRunTheDailyLifeRequest: the offline default plans the request a new
// user tried over the daily-life catalogue (merged with the built-ins) as get_weather then
// send_sms, and a run with wait=true executes both; a request no tool serves is refused
// with 422 cannot_plan, and the refusal shows in the planner metrics.
func TestRunsPlanAndRunTheDailyLifeRequest(t *testing.T) {
	dir, err := shareddata.Dir("taskbench", "dailylifeapis")
	if err != nil {
		t.Skipf("TaskBench data not found beside the repository: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	api := startCommand(t, ctx, listenLine, "serve", "--addr", "127.0.0.1:0", "--tools", filepath.Join(dir, "tool_desc.json"))

	post := func(path string, body any) (int, []byte) {
		b, _ := json.Marshal(body)
		res, err := http.Post(api+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, raw
	}
	code, raw := post("/api/v1/runs?wait=true", map[string]any{
		"request": "Check the weather in Oslo on 2026-12-10 and then text +1 555 010 2233 the forecast"})
	if code != http.StatusOK {
		t.Fatalf("runs: %d %s", code, raw)
	}
	var run struct {
		Status string `json:"status"`
		Steps  []struct {
			Tool   string `json:"tool"`
			Status string `json:"status"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(raw, &run); err != nil {
		t.Fatal(err)
	}
	if run.Status != "succeeded" || len(run.Steps) != 2 || run.Steps[0].Tool != "get_weather" || run.Steps[1].Tool != "send_sms" ||
		run.Steps[0].Status != "succeeded" || run.Steps[1].Status != "succeeded" {
		t.Fatalf("run = %s", raw)
	}

	code, raw = post("/api/v1/plan", map[string]any{"request": "make me a sandwich with extra pickles"})
	var refusal struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &refusal); err != nil || code != http.StatusUnprocessableEntity || refusal.Error.Code != "cannot_plan" {
		t.Fatalf("sandwich: %d %s", code, raw)
	}
	res, err := http.Get(api + "/api/v1/metrics/planner?window=lifetime")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m struct {
		Cost struct {
			TotalTokens *int `json:"total_tokens"`
		} `json:"cost"`
	}
	if err := json.NewDecoder(res.Body).Decode(&m); err != nil || m.Cost.TotalTokens == nil {
		t.Fatalf("metrics: %v %+v", err, m)
	}
}
