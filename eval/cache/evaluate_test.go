package cacheeval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

func TestNewEmbedder(t *testing.T) {
	emb, err := newEmbedder("local", "")
	if err != nil || emb == nil {
		t.Fatalf("local: %v", err)
	}
	if _, err := newEmbedder("bogus", ""); !errors.Is(err, errUnknownEmbedder) {
		t.Errorf("bogus: %v, want ErrUnknownEmbedder", err)
	}
}

// evaluate on generated traps: the report names the set, sweeps 14 thresholds, writes
// the pairs and catalogue it used, and those files read back give the same report.
func TestEvaluateTrapsWrittenAndReadBack(t *testing.T) {
	ctx := context.Background()
	emb := localEmbedder(t)
	dir := t.TempDir()
	pairs, tools := filepath.Join(dir, "traps.jsonl"), filepath.Join(dir, "traps.yaml")
	rep, err := evaluate(ctx, SetConfig{From: "traps", N: 5, Seed: 1, WritePairs: pairs, WriteTools: tools, Sweep: true,
		Options: Options{Embedder: emb}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Set != "traps" || rep.Pairs == 0 || rep.Hits == 0 || len(rep.Sweep) != 14 ||
		rep.Sweep[0].Threshold != 0.30 || rep.Sweep[13].Threshold != 0.95 {
		t.Fatalf("set %q, pairs %d, hits %d, sweep %+v", rep.Set, rep.Pairs, rep.Hits, rep.Sweep)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(b, &doc)
	if doc["set"] != "traps" || doc["sweep"] == nil || doc["pairs"] == nil {
		t.Errorf("JSON: %s", b)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	if !strings.HasPrefix(text.String(), "set") || !strings.Contains(text.String(), "traps") {
		t.Errorf("text: %q", text.String())
	}
	again, err := evaluate(ctx, SetConfig{PairsFile: pairs, ToolPaths: []string{tools}, Options: Options{Embedder: emb}})
	if err != nil {
		t.Fatal(err)
	}
	if again.Set != pairs || again.Pairs != rep.Pairs || again.Hits != rep.Hits || again.WrongPlans != rep.WrongPlans {
		t.Errorf("read back: %+v, want the counts of %+v", again.report, rep.report)
	}
	if _, err := evaluate(ctx, SetConfig{PairsFile: pairs, Options: Options{Embedder: emb}}); !errors.Is(err, errNeedCatalog) {
		t.Errorf("pairs with plans, no catalogue: %v, want ErrNeedCatalog", err)
	}
	if _, err := evaluate(ctx, SetConfig{From: "clinc150", Dir: dir, Options: Options{Embedder: emb}}); !errors.Is(err, errNoData) {
		t.Errorf("clinc150 without its data: %v, want ErrNoData", err)
	}
}

func TestReplayTaskBenchReport(t *testing.T) {
	if _, err := replayTaskBenchReport(context.Background(), t.TempDir(), TaskBenchReplay{Requests: 10, Base: 5, Mix: DefaultMix, Embedder: localEmbedder(t)}); !errors.Is(err, errNoData) {
		t.Errorf("an empty directory: %v, want ErrNoData", err)
	}
	d := shareddata.Shared(t, "taskbench", "dailylifeapis")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("TaskBench daily-life data absent (%s): skipping: %v", d, err)
	}
	rep, err := replayTaskBenchReport(context.Background(), d, TaskBenchReplay{Requests: 60, Base: 20, Mix: DefaultMix, Seed: 1, Embedder: localEmbedder(t)})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, n := range rep.Stream {
		sum += n
	}
	if rep.Set != "replay:taskbench:"+d || rep.Mix != DefaultMix.String() || rep.Base != 20 || sum != 60 || rep.Requests != 60 {
		t.Errorf("set %q mix %q base %d stream %v requests %d", rep.Set, rep.Mix, rep.Base, rep.Stream, rep.Requests)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	if !strings.HasPrefix(text.String(), "replay") || !strings.Contains(text.String(), d) {
		t.Errorf("text: %q", text.String())
	}
	b, _ := json.Marshal(rep)
	var doc map[string]any
	json.Unmarshal(b, &doc)
	keys := []string{"set", "mix", "base", "stream", "requests", "hits"}
	for _, k := range keys {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
}
