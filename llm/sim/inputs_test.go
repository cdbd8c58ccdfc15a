package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/llm/sim"
)

// Apply reads every input into the configuration, and an input it cannot read is named
// by its flag.
func TestInputsApply(t *testing.T) {
	gold := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(gold, []byte(`{"request": "Ping the service.", "plan": {"steps": [{"id": "s1", "tool": "ping", "args": {}}]}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var cfg sim.Config
	in := sim.Inputs{Gold: []string{gold}, Faults: []string{"429=0.5"}, Scripts: []string{"gpt-4o:invalid_plan,none"}, ModelErrors: []string{"gpt-4o=0.1"}}
	if err := in.Apply(&cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Gold) != 1 || len(cfg.Faults) != 1 || len(cfg.Script["gpt-4o"]) != 2 || cfg.ModelErrors["gpt-4o"] != 0.1 {
		t.Errorf("config %+v", cfg)
	}
	missing := filepath.Join(t.TempDir(), "missing.json")
	for _, tc := range []struct {
		in   sim.Inputs
		want string
	}{
		{sim.Inputs{Gold: []string{missing}}, "--gold: "},
		{sim.Inputs{Nestful: []string{missing}}, "--nestful: "},
		{sim.Inputs{Faults: []string{"teapot=1"}}, "--fault: "},
		{sim.Inputs{Scripts: []string{"gpt-4o:teapot"}}, "--fault-script: "},
		{sim.Inputs{ModelErrors: []string{"gpt-4o=2"}}, `--model-errors "gpt-4o=2"`},
	} {
		if err := tc.in.Apply(&sim.Config{}); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want one starting %q", tc.in, err, tc.want)
		}
	}
}

// The banner says it is a test double and how to use it, for people and for programs.
func TestBanner(t *testing.T) {
	b := sim.Banner{Addr: "127.0.0.1:8089", Inputs: sim.Inputs{Faults: []string{"429=0.1", "hang=0.01"}},
		Config: sim.Config{LatencyScale: 0.5, Seed: 7}, Tools: 12}
	var text bytes.Buffer
	if err := b.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	want := "planwise sim: an OpenAI-compatible TEST DOUBLE (not a real model) on http://127.0.0.1:8089\n" +
		"  0 labelled requests, plans over each request's tools (else 12 tools of its own), faults 429=0.1, hang=0.01, model errors none, latency x0.5, seed 7\n" +
		"use it with:\n  OPENAI_BASE_URL=http://127.0.0.1:8089/v1\n"
	if text.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", text.String(), want)
	}
	j, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"addr":"127.0.0.1:8089","base_url":"http://127.0.0.1:8089/v1","faults":["429=0.1","hang=0.01"],"gold_requests":0,"simulator":true,"tools":12}`; string(j) != want {
		t.Errorf("JSON %s, want %s", j, want)
	}
}

// ListenAndServe tells the banner the address it listens on, serves there until the
// context ends, then returns nil; an address taken is an error naming --addr.
func TestListenAndServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	banners := make(chan sim.Banner, 1)
	done := make(chan error, 1)
	go func() {
		done <- sim.ListenAndServe(ctx, "127.0.0.1:0", sim.Config{LatencyScale: 0}, sim.Inputs{Faults: []string{"429=0.5"}}, 7, func(b sim.Banner) { banners <- b })
	}()
	var b sim.Banner
	select {
	case b = <-banners:
	case err := <-done:
		t.Fatalf("ListenAndServe returned before listening: %v", err)
	}
	if b.Tools != 7 || len(b.Inputs.Faults) != 1 {
		t.Errorf("banner %+v", b)
	}
	res, err := http.Get(b.BaseURL() + "/models")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get(sim.HeaderSim) != "true" {
		t.Errorf("GET /v1/models: %s", res.Status)
	}
	if err := sim.ListenAndServe(ctx, b.Addr, sim.Config{}, sim.Inputs{}, 0, func(sim.Banner) { t.Error("banner on an address taken") }); err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("address taken: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("after the context ended: %v", err)
	}
}
