package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalCacheReplay runs `planwise eval cache --replay taskbench --json` on a short
// stream and checks the report a user (or a script) reads: the pair mode's field names,
// counts that add up, and the stream's mix.
func TestEvalCacheReplay(t *testing.T) {
	data := filepath.Join("..", "..", "..", "shared", "data", "taskbench", "dailylifeapis")
	if _, err := os.Stat(filepath.Join(data, "user_requests.json")); err != nil {
		t.Skipf("TaskBench daily-life data absent (%s): skipping", data)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"eval", "cache", "--replay", "taskbench", "--data", data,
		"--requests", "200", "--base", "40", "--mix", "repeat=0.4,reslot=0.3,new=0.3", "--json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var r struct {
		Requests      int            `json:"requests"`
		Hits          int            `json:"hits"`
		CorrectHits   int            `json:"correct_hits"`
		WrongPlans    int            `json:"wrong_plans"`
		HitRate       float64        `json:"hit_rate"`
		WrongPlanRate float64        `json:"wrong_plan_rate"`
		ExactHits     int            `json:"exact_hits"`
		SemanticHits  int            `json:"semantic_hits"`
		Stream        map[string]int `json:"stream"`
		Seed          *struct {
			Hits int `json:"hits"`
		} `json:"seed"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, out.String())
	}
	if r.Requests != 200 || r.Hits != r.CorrectHits+r.WrongPlans || r.Hits != r.ExactHits+r.SemanticHits || r.Hits == 0 {
		t.Fatalf("report %+v", r)
	}
	if want := float64(r.CorrectHits) / 200; r.HitRate != want {
		t.Errorf("hit_rate %v, want correct_hits/requests = %v", r.HitRate, want)
	}
	if r.Stream["paraphrase"] != 0 || r.Stream["new"] == 0 || r.Stream["repeat"] == 0 || r.Seed == nil {
		t.Errorf("stream %v (mix without paraphrases), seed %+v", r.Stream, r.Seed)
	}

	out.Reset()
	code = run(context.Background(), []string{"eval", "cache", "--replay", "taskbench", "--data", data,
		"--requests", "50", "--base", "10"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("human output: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"hit rate", "wrong plans", "misses by reason", "seed design"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("human output lacks %q:\n%s", want, out.String())
		}
	}
	if code := run(context.Background(), []string{"eval", "cache", "--replay", "taskbench", "--data", data, "--mix", "often=1"}, &out, &errOut); code != 1 {
		t.Errorf("a bad --mix exits %d, want 1 (a usage error)", code)
	}
}
