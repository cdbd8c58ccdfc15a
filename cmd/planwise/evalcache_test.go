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

// TestEvalCacheTraps runs `planwise eval cache --from traps` end to end, writes the pairs
// and catalog it used, and evaluates them again from the files: the two reports agree and
// no wrong plan is served.
func TestEvalCacheTraps(t *testing.T) {
	dir := t.TempDir()
	pairs, tools := filepath.Join(dir, "traps.jsonl"), filepath.Join(dir, "tools.yaml")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"eval", "cache", "--from", "traps", "--n", "5", "--json",
		"--write-pairs", pairs, "--write-tools", tools}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	type report struct {
		Set           string
		Pairs         int     `json:"pairs"`
		Hits          int     `json:"hits"`
		CorrectHits   int     `json:"correct_hits"`
		WrongPlans    int     `json:"wrong_plans"`
		HitRate       float64 `json:"hit_rate"`
		WrongPlanRate float64 `json:"wrong_plan_rate"`
		Threshold     float64 `json:"threshold"`
	}
	var r1 report
	if err := json.Unmarshal(out.Bytes(), &r1); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, out.String())
	}
	if r1.Pairs != 85 || r1.WrongPlans != 0 || r1.Hits == 0 || r1.Threshold == 0 {
		t.Fatalf("report %+v", r1)
	}
	out.Reset()
	code = run(context.Background(), []string{"eval", "cache", "--pairs", pairs, "--tools", tools, "--json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var r2 report
	if err := json.Unmarshal(out.Bytes(), &r2); err != nil {
		t.Fatal(err)
	}
	if r2.Pairs != r1.Pairs || r2.Hits != r1.Hits || r2.CorrectHits != r1.CorrectHits || r2.WrongPlans != r1.WrongPlans {
		t.Errorf("from files %+v, generated %+v", r2, r1)
	}
}

func TestEvalCacheHumanOutputAndErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"eval", "cache", "--from", "traps", "--n", "2", "--sweep"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"wrong plan rate", "trap:negation", "threshold  hits"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"eval", "cache"}, &out, &errOut); code != 1 {
		t.Errorf("no input: exit %d, want 1 (a usage error)", code)
	}
	bad := filepath.Join(t.TempDir(), "p.jsonl")
	os.WriteFile(bad, []byte(`{"a":"x","b":"y","plan_a":[{"tool":"t"}]}`+"\n"), 0o644)
	if code := run(context.Background(), []string{"eval", "cache", "--pairs", bad}, &out, &errOut); code == 0 {
		t.Error("a pair with plan_a but neither plan_b nor same_plan must be rejected")
	}
}

// eval cache's --data help says what --replay reads from it too, and the default there
// (not --from's semcache directory, which the flag's own default names).
func TestEvalCacheDataFlagSaysWhatReplayReads(t *testing.T) {
	_, help, _ := runCLI(t, "eval", "cache", "--help")
	for _, line := range strings.Split(help, "\n") {
		if strings.Contains(line, "      --data ") && !strings.Contains(line, "--replay's TaskBench domain (by default ../shared/data/taskbench/dailylifeapis), else --from's semcache data") {
			t.Errorf("eval cache --help: %q", line)
		}
	}
}
