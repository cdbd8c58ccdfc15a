package cacheeval

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// dailyLife loads TaskBench's daily-life domain from ../shared/data, skipping the test
// when the data is absent.
func dailyLife(t testing.TB) *taskBench {
	t.Helper()
	d := shareddata.Shared(t, "taskbench", "dailylifeapis")
	tb, err := loadTaskBench(d)
	if err != nil {
		t.Skipf("TaskBench daily-life data absent (%s): skipping: %v", d, err)
	}
	return tb
}

func replaySetup(t testing.TB, tb *taskBench) (*tool.Registry, *pattern.Pattern) {
	t.Helper()
	reg := registry(t, tb.Tools)
	return reg, pattern.NewPattern(reg, pattern.WithClock(func() time.Time { return evalNow }))
}

// TestReplayTaskBench replays 300 requests built from TaskBench daily-life requests with
// the default mix through the planner and the real cache: at least 60% of the requests
// are served correctly from the cache, and the wrong plans stay within the measured
// bound (see the comment at the assertion: the target of none is not met).
func TestReplayTaskBench(t *testing.T) {
	tb := dailyLife(t)
	reg, model := replaySetup(t, tb)
	ctx := context.Background()
	w, err := buildReplay(ctx, tb.Requests, reg, model, replayOptions{Requests: 300, Base: 60, Seed: 1, Now: evalNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Items) != 300 {
		t.Fatalf("%d items, want 300", len(w.Items))
	}
	rep, err := runReplay(ctx, w, reg, model, replayRunOptions{Embedder: localEmbedder(t), Now: evalNow, Seed: true})
	if err != nil {
		t.Fatal(err)
	}
	logReplay(t, w, rep)
	if rep.Requests != 300 || rep.Errors != 0 {
		t.Fatalf("requests %d, errors %d", rep.Requests, rep.Errors)
	}
	if rep.HitRate < 0.6 {
		t.Errorf("hit rate %.3f < 0.60", rep.HitRate)
	}
	if rep.Hits != rep.ExactHits+rep.SemanticHits || rep.LLMCalls != rep.Requests-rep.Hits ||
		rep.Hits != rep.CorrectHits+rep.WrongPlans {
		t.Errorf("inconsistent counts: %+v", rep)
	}
	// A new request of this stream misses, or hits the plan the model makes for it (a
	// request the precision-first model now refuses leaves the base, and another takes
	// its place that a stored template serves correctly); every repeat is served, except
	// where an entry stored since the request was first served makes the lookup
	// ambiguous (a semantic hit is not stored, so its repeat is looked up afresh).
	if k := rep.ByKind[kindNew]; k == nil || k.Hits != k.CorrectHits || k.Hits > k.Requests/20 {
		t.Errorf("new requests hit: %+v", k)
	}
	if k := rep.ByKind[kindRepeat]; k == nil || k.Hits+k.Misses[string(cache.MissAmbiguous)] != k.Requests {
		t.Errorf("repeats missed: %+v", k)
	}
	// Every served plan is the plan the model makes for the request, although the model
	// (the pattern planner) chooses tools and argument extents by the words of slot
	// values and of their context: the guards (cues, address-like names, recurring
	// values, copied phrases and their context) refuse those hits.
	if rep.WrongPlans != 0 {
		t.Errorf("%d wrong plans served (%d where the model changed tools): %+v", rep.WrongPlans, rep.WrongModelChangedTools, rep.Wrong)
	}
	if rep.Seed == nil || rep.Seed.WrongPlans < 5*max(rep.WrongPlans, 1) {
		t.Errorf("seed design: %+v; ours %d wrong", rep.Seed, rep.WrongPlans)
	}
}

func logReplay(t *testing.T, w *Workload, r *replayReport) {
	t.Helper()
	t.Logf("stream: %v (base %d of %d examined, fallbacks %d)", w.Counts(), w.Base, w.Examined, w.Fallbacks)
	t.Logf("requests %d hits %d (exact %d, semantic %d) correct %d wrong %d hit rate %.3f (repeated %.3f) p50/p99 hit %.0f/%.0f us",
		r.Requests, r.Hits, r.ExactHits, r.SemanticHits, r.CorrectHits, r.WrongPlans, r.HitRate, r.HitRateRepeated, r.HitP50US, r.HitP99US)
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		kr := r.ByKind[k]
		t.Logf("  %-10s %4d hits %4d correct %4d wrong %d misses %v", k, kr.Requests, kr.Hits, kr.CorrectHits, kr.WrongPlans, kr.Misses)
	}
	for _, m := range r.MissSamples {
		t.Logf("  miss %-10s %-22s %s", m.Kind, m.Reason, m.Request)
	}
	for _, m := range r.Wrong {
		t.Logf("  WRONG %s %q\n    served   %s\n    expected %s", m.Kind, m.Request, stepsOf(m.Served), stepsOf(m.Expected))
	}
	if r.Seed != nil {
		t.Logf("seed: hits %d correct %d wrong %d hit rate %.3f wrong rate %.3f", r.Seed.Hits, r.Seed.CorrectHits, r.Seed.WrongPlans, r.Seed.HitRate, r.Seed.WrongPlanRate)
	}
}

// TestBuildReplayKinds checks the stream's construction on a small corpus: it is
// deterministic, starts with a new request, repeats are equal to an earlier request after
// normalisation, re-slotted requests keep their slot kinds but change at least one value,
// and every item carries the model's plan for its own text.
func TestBuildReplayKinds(t *testing.T) {
	tb := dailyLife(t)
	reg, model := replaySetup(t, tb)
	ctx := context.Background()
	opts := replayOptions{Requests: 200, Base: 40, Seed: 7, Now: evalNow,
		Mix: Mix{Repeat: 0.25, Reslot: 0.25, Paraphrase: 0.25, New: 0.25}}
	w1, err := buildReplay(ctx, tb.Requests, reg, model, opts)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := buildReplay(ctx, tb.Requests, reg, model, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(w1.Items) != 200 || len(w2.Items) != 200 {
		t.Fatalf("lengths %d %d", len(w1.Items), len(w2.Items))
	}
	for i := range w1.Items {
		if w1.Items[i].Text != w2.Items[i].Text || w1.Items[i].Kind != w2.Items[i].Kind {
			t.Fatalf("item %d differs between two builds: %+v vs %+v", i, w1.Items[i], w2.Items[i])
		}
	}
	if w1.Items[0].Kind != kindNew {
		t.Fatalf("first item is %s", w1.Items[0].Kind)
	}
	counts := w1.Counts()
	for _, k := range replayKinds {
		if counts[k] < 20 {
			t.Errorf("only %d %s requests of 200 with a 25%% share: %v", counts[k], k, counts)
		}
	}
	x := slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: func() time.Time { return evalNow }})
	norm := func(s string) string {
		return strings.TrimRight(strings.ToLower(strings.Join(strings.Fields(s), " ")), " .?!")
	}
	texts := map[string]string{} // base id -> text of its new request
	seen := map[string]bool{}    // normalised texts so far
	for i, it := range w1.Items {
		exp, err := model.Plan(ctx, query.New(it.Text))
		if err != nil || !samePlan(exp, it.Expected) {
			t.Fatalf("item %d %q: expected plan is not the model's plan (%v)", i, it.Text, err)
		}
		switch it.Kind {
		case kindNew:
			if texts[it.BaseID] != "" {
				t.Errorf("item %d: base %s is new twice", i, it.BaseID)
			}
			texts[it.BaseID] = it.Text
		case kindRepeat:
			if !seen[norm(it.Text)] {
				t.Errorf("item %d: repeat %q equals no earlier request after normalisation", i, it.Text)
			}
		case kindReslot:
			orig := texts[it.BaseID]
			if orig == "" || norm(orig) == norm(it.Text) {
				t.Errorf("item %d: reslot %q of %q", i, it.Text, orig)
				continue
			}
			a, b := x.Extract(orig), x.Extract(it.Text)
			if slot.Template(orig, a) != slot.Template(it.Text, b) {
				t.Errorf("item %d: reslot changed more than slot values:\n  %q\n  %q", i, orig, it.Text)
			}
		case kindParaphrase:
			if texts[it.BaseID] == "" {
				t.Errorf("item %d: paraphrase of an unseen base", i)
			}
		}
		seen[norm(it.Text)] = true
	}
}

func TestParseMix(t *testing.T) {
	m, err := parseMix("repeat=0.5, new=0.5")
	if err != nil || m != (Mix{Repeat: 0.5, New: 0.5}) {
		t.Fatalf("%+v %v", m, err)
	}
	back, err := parseMix(DefaultMix.String())
	if err != nil || back != DefaultMix {
		t.Fatalf("round trip %q: %+v %v", DefaultMix.String(), back, err)
	}
	for _, bad := range []string{"", "repeat", "repeat=x", "repeat=-1", "again=0.3", "new=0"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
}

// stepsOf renders the tools and arguments of a plan in JSON, for logs.
func stepsOf(raw []byte) string {
	var p struct {
		Steps []struct {
			Tool string         `json:"tool"`
			Args map[string]any `json:"args"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return string(raw)
	}
	b, _ := json.Marshal(p.Steps)
	return string(b)
}
