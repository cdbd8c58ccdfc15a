package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// evalRouteJSON is the part of `eval route --json` the tests read.
type evalRouteJSON struct {
	Domain        string          `json:"domain"`
	Split         string          `json:"split"`
	Filter        string          `json:"filter"`
	Samples       *int            `json:"samples"`
	Accuracy      *float64        `json:"accuracy"`
	Binary        *float64        `json:"binary_accuracy"`
	Seed          *float64        `json:"seed_heuristic_accuracy"`
	SeedBinary    *float64        `json:"seed_heuristic_binary_accuracy"`
	Confusion     [][]int         `json:"confusion"`
	SeedConfusion [][]int         `json:"seed_heuristic_confusion"`
	ModelOnly     *float64        `json:"model_only_accuracy"`
	Tiers         []string        `json:"tiers"`
	Domains       []evalRouteJSON `json:"domains"`
}

func runEvalRouteCmd(t *testing.T, args ...string) evalRouteJSON {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), append([]string{"eval", "route", "--json"}, args...), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	dec := json.NewDecoder(&out)
	var r evalRouteJSON
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if dec.More() {
		t.Fatal("more than one JSON value in the output")
	}
	return r
}

func checkRouteScores(t *testing.T, r evalRouteJSON, samples int) {
	t.Helper()
	if r.Samples == nil || r.Accuracy == nil || r.Binary == nil || r.Seed == nil || r.SeedBinary == nil || r.ModelOnly == nil {
		t.Fatalf("missing fields in %+v", r)
	}
	if *r.Samples != samples {
		t.Errorf("samples %d, want %d", *r.Samples, samples)
	}
	for _, c := range [][][]int{r.Confusion, r.SeedConfusion} {
		if len(c) != 3 {
			t.Fatalf("confusion %v is not 3x3", c)
		}
		n := 0
		for _, row := range c {
			if len(row) != 3 {
				t.Fatalf("confusion %v is not 3x3", c)
			}
			for _, v := range row {
				n += v
			}
		}
		if n != samples {
			t.Errorf("confusion %v sums to %d, want %d", c, n, samples)
		}
	}
	right := r.Confusion[0][0] + r.Confusion[1][1] + r.Confusion[2][2]
	if want := float64(right) / float64(samples); *r.Accuracy != want {
		t.Errorf("accuracy %v, the confusion says %v", *r.Accuracy, want)
	}
	multi := 0
	for g := 1; g < 3; g++ {
		multi += r.Confusion[g][1] + r.Confusion[g][2]
	}
	if want := float64(r.Confusion[0][0]+multi) / float64(samples); *r.Binary != want {
		t.Errorf("binary accuracy %v, the confusion says %v", *r.Binary, want)
	}
	seedRight := r.SeedConfusion[0][0] + r.SeedConfusion[1][1] + r.SeedConfusion[2][2]
	if want := float64(seedRight) / float64(samples); *r.Seed != want {
		t.Errorf("seed accuracy %v, its confusion says %v", *r.Seed, want)
	}
}

func TestEvalRouteDomainJSON(t *testing.T) {
	dir := filepath.Join(evalData(t), "taskbench", "dailylifeapis")
	r := runEvalRouteCmd(t, "--taskbench", dir, "--limit", "60")
	checkRouteScores(t, r, 60)
	if r.Domain != "dailylifeapis" || r.Split != "heldout" || r.Filter != "node_alignment_id" || strings.Join(r.Tiers, ",") != "simple,moderate,complex" {
		t.Errorf("header fields %+v", r)
	}
	if len(r.Domains) != 0 {
		t.Errorf("one domain printed %d per-domain reports", len(r.Domains))
	}
}

func TestEvalRouteRootJSON(t *testing.T) {
	dir := filepath.Join(evalData(t), "taskbench")
	r := runEvalRouteCmd(t, "--taskbench", dir, "--limit", "20", "--split", "all")
	if len(r.Domains) != 3 {
		t.Fatalf("%d domains, want 3", len(r.Domains))
	}
	checkRouteScores(t, r, 60)
	for _, d := range r.Domains {
		checkRouteScores(t, d, 20)
	}
}

func TestEvalRouteErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"no data":        {},
		"bad split":      {"--taskbench", t.TempDir(), "--split", "some"},
		"out sans train": {"--taskbench", t.TempDir(), "--out", "x.json"},
		"not taskbench":  {"--taskbench", t.TempDir()},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), append([]string{"eval", "route"}, args...), &out, &errOut); code == 0 {
			t.Errorf("%s: exit 0", name)
		} else if errOut.Len() == 0 {
			t.Errorf("%s: no error message", name)
		}
	}
}

func TestEvalRouteReplayJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("replays requests through the planner and the simulator")
	}
	dir := filepath.Join(evalData(t), "taskbench", "dailylifeapis")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"eval", "route", "--json", "--replay", "--taskbench", dir, "--requests", "12", "--latency-scale", "0"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep struct {
		Domain     string  `json:"domain"`
		Requests   int     `json:"requests"`
		Assumption string  `json:"assumption"`
		Saving     float64 `json:"saving"`
		Routed     struct {
			Requests int            `json:"requests"`
			CostUSD  float64        `json:"cost_usd"`
			Validity float64        `json:"validity"`
			Calls    map[string]int `json:"calls"`
		} `json:"routed"`
		Strong struct {
			CostUSD float64        `json:"cost_usd"`
			Calls   map[string]int `json:"calls"`
		} `json:"strong_only"`
		CheapFirst struct {
			CostUSD float64 `json:"cost_usd"`
		} `json:"cheap_first"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out.String())
	}
	if rep.Domain != "dailylifeapis" || rep.Requests != 12 || rep.Routed.Requests != 12 {
		t.Errorf("replayed %d requests of %q", rep.Requests, rep.Domain)
	}
	if !strings.Contains(rep.Assumption, "simulated") {
		t.Errorf("the report does not state its simulation assumption: %q", rep.Assumption)
	}
	if rep.Routed.CostUSD <= 0 || rep.Strong.CostUSD <= rep.Routed.CostUSD || rep.CheapFirst.CostUSD <= 0 {
		t.Errorf("costs routed %v, strong-only %v, cheap-first %v", rep.Routed.CostUSD, rep.Strong.CostUSD, rep.CheapFirst.CostUSD)
	}
	if want := 1 - rep.Routed.CostUSD/rep.Strong.CostUSD; rep.Saving != want {
		t.Errorf("saving %v, the costs say %v", rep.Saving, want)
	}
	if rep.Strong.Calls["gpt-4o-mini"] != 0 {
		t.Errorf("the strong-only run called gpt-4o-mini: %v", rep.Strong.Calls)
	}
}
