package cacheeval

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/tool"
)

var evalNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func localEmbedder(t testing.TB) embed.Embedder {
	t.Helper()
	e, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func registry(t testing.TB, tools []*tool.Tool) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func logReport(t *testing.T, r *report) {
	t.Helper()
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var b strings.Builder
	for _, k := range kinds {
		kr := r.ByKind[k]
		b.WriteString("\n  " + k + ": ")
		js, _ := json.Marshal(kr)
		b.Write(js)
	}
	reasons, _ := json.Marshal(r.ByReason)
	t.Logf("pairs %d reachable %d hits %d correct %d wrong %d hit_rate %.4f wrong_rate %.4f threshold %.2f p50 %.1fus p99 %.1fus\n  reasons %s%s",
		r.Pairs, r.Reachable, r.Hits, r.CorrectHits, r.WrongPlans, r.HitRate, r.WrongPlanRate, r.Threshold,
		r.LookupP50US, r.LookupP99US, reasons, b.String())
	for _, m := range r.Wrong {
		t.Logf("  WRONG %s: %q -> %q served %s (sim %.3f)", m.Kind, m.A, m.B, m.Served, m.Similarity)
	}
}

// TestTrapsNeverServeWrongPlans: on the generated one-slot-edit traps the cache serves a
// wrong plan for at most 0.5% of pairs (the mission's target), re-binds slot edits and
// serves paraphrases.
func TestTrapsNeverServeWrongPlans(t *testing.T) {
	set := traps(100, 1)
	reg := registry(t, set.Catalog)
	r, err := run(context.Background(), set.Pairs, reg, Options{Embedder: localEmbedder(t), Now: evalNow})
	if err != nil {
		t.Fatal(err)
	}
	logReport(t, r)
	if r.StoreRejected != 0 {
		t.Fatalf("%d trap plans failed validation: the generator is broken", r.StoreRejected)
	}
	if r.WrongPlanRate > 0.005 {
		t.Errorf("wrong plan rate %.4f > 0.005", r.WrongPlanRate)
	}
	for _, k := range []string{"trap:name", "trap:number", "trap:date", "trap:city"} {
		if kr := r.ByKind[k]; kr.CorrectHits < kr.Pairs*9/10 {
			t.Errorf("%s: only %d/%d re-bound and served", k, kr.CorrectHits, kr.Pairs)
		}
	}
	if kr := r.ByKind["paraphrase"]; kr.CorrectHits < kr.Pairs/2 {
		t.Errorf("paraphrases: only %d/%d served", kr.CorrectHits, kr.Pairs)
	}
}

// dataDir returns ../shared/data/semcache, or skips the test.
func dataDir(t testing.TB) string { return shareddata.Shared(t, "semcache") }

// TestDatasets measures the cache on the public pair sets and holds it to the targets:
// at most 0.5% wrong plans on CLINC150 and Banking77 pairs, and fewer wrong answers on
// GPTCache's mock data than GPTCache's own 9.2% (92 of 999 at its default 0.8).
func TestDatasets(t *testing.T) {
	dir := dataDir(t)
	for _, name := range []string{"clinc150", "banking77", "gptcache"} {
		t.Run(name, func(t *testing.T) {
			set, err := build(name, buildOptions{Dir: dir, N: 1000, Seed: 1})
			if errors.Is(err, errNoData) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			reg := registry(t, set.Catalog)
			r, err := run(context.Background(), set.Pairs, reg, Options{Embedder: localEmbedder(t), Shared: set.Shared, Now: evalNow})
			if err != nil {
				t.Fatal(err)
			}
			logReport(t, r)
			limit := 0.005
			if name == "gptcache" {
				limit = 0.092
			}
			if r.WrongPlanRate > limit {
				t.Errorf("wrong plan rate %.4f > %.3f", r.WrongPlanRate, limit)
			}
		})
	}
}
