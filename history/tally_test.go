package history

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/planwise/planwise/plan"
)

// recordsOnly is a Store and ExperimentStore that keeps no counts (no TallyStore), as
// a store written outside planwise may be.
type recordsOnly struct{ m *MemoryStore }

func (s recordsOnly) PutRecord(ctx context.Context, r *Record) error { return s.m.PutRecord(ctx, r) }
func (s recordsOnly) GetRecord(ctx context.Context, id string) (*Record, error) {
	return s.m.GetRecord(ctx, id)
}
func (s recordsOnly) Records(ctx context.Context, q Query) ([]*Record, error) {
	return s.m.Records(ctx, q)
}
func (s recordsOnly) PutExperiment(ctx context.Context, e *Experiment) error {
	return s.m.PutExperiment(ctx, e)
}
func (s recordsOnly) Experiments(ctx context.Context) ([]*Experiment, error) {
	return s.m.Experiments(ctx)
}
func (s recordsOnly) DeleteRecordsBefore(ctx context.Context, t time.Time) (int, error) {
	return s.m.DeleteRecordsBefore(ctx, t)
}

// feedArms records n requests to each arm of experiment "wording": every plan of
// "good"'s is valid, every other plan of "poor"'s is not (and falls back).
func feedArms(t *testing.T, h *History, from, n int) {
	t.Helper()
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"city": "Oslo", "date": "2026-12-10"}}}}
	for i := from; i < from+n; i++ {
		for _, v := range []string{"good", "poor"} {
			r := &Record{Tenant: "t", Request: fmt.Sprintf("weather in Oslo %s %d", v, i), Experiment: "wording", Variant: v,
				Source: "llm", Valid: true, Plan: p}
			if v == "poor" && i%2 == 0 {
				r.Source, r.Plan, r.Valid, r.Fallback, r.FallbackReason = "pattern", p, false, true, "invalid_plan"
			}
			if err := h.Record(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// An experiment's progress toward automatic promotion outlives the process: 20 plans an
// arm before a restart and 10 after are the 30 MinSamples asks for (good 30/30 valid,
// poor 15/30: p < 0.001), and the experiment is promoted then, not only after 30 more.
// With a TallyStore the counts are the store's; without one, the records loaded again
// are counted the way they were as they arrived (plans, not only requests).
func TestAutoPromotionSurvivesRestart(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(*MemoryStore) Store
	}{
		{"tally store", func(m *MemoryStore) Store { return m }},
		{"records only", func(m *MemoryStore) Store { return recordsOnly{m} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			mem, clk := NewMemoryStore(), newClock()
			h := newHistory(t, tc.store(mem), clk)
			if _, err := h.CreateExperiment(ctx, Experiment{ID: "wording", Variants: []Variant{{Name: "good"}, {Name: "poor"}},
				AutoPromote: true, MinSamples: 30, Alpha: 0.05}); err != nil {
				t.Fatal(err)
			}
			feedArms(t, h, 0, 20)
			if e, _ := h.Experiment("wording"); e.Status != StatusRunning {
				t.Fatalf("promoted with 20 plans an arm: %+v", e)
			}
			h = newHistory(t, tc.store(mem), clk) // the restart
			feedArms(t, h, 20, 10)
			e, _ := h.Experiment("wording")
			if e.Status != StatusPromoted || e.Winner != "good" {
				t.Fatalf("after 20 plans an arm, a restart and 10 more: %s %q; want good promoted", e.Status, e.Winner)
			}
		})
	}
}

// Replicas sharing a TallyStore count together: two Histories over one store, each
// seeing half the traffic, promote when the whole traffic is significant.
func TestAutoPromotionCountsOverReplicas(t *testing.T) {
	ctx := context.Background()
	mem, clk := NewMemoryStore(), newClock()
	a := newHistory(t, mem, clk)
	if _, err := a.CreateExperiment(ctx, Experiment{ID: "wording", Variants: []Variant{{Name: "good"}, {Name: "poor"}},
		AutoPromote: true, MinSamples: 30, Alpha: 0.05}); err != nil {
		t.Fatal(err)
	}
	b := newHistory(t, mem, clk) // starts after the experiment exists, as a replica reloading would
	feedArms(t, a, 0, 16)
	feedArms(t, b, 16, 14)
	e, _ := b.Experiment("wording")
	if e.Status != StatusPromoted || e.Winner != "good" {
		t.Fatalf("replicas with 16 and 14 plans an arm: %s %q; want good promoted", e.Status, e.Winner)
	}
	ts, err := mem.Tallies(ctx, "wording")
	if err != nil || ts["good"] != (Tally{Requests: 30, Plans: 30, Valid: 30}) || ts["poor"] != (Tally{Requests: 30, Plans: 30, Valid: 15}) {
		t.Fatalf("stored tallies %+v, %v", ts, err)
	}
}

// Records pruned by retention are counted no more: automatic promotion tests the records
// an experiment's report counts. 20 plans an arm, pruned, then 15 more are 15 of the 30
// MinSamples asks for (counted 35 while the tallies never shrank, and promoted); 15 more
// make 30, and the experiment is promoted. With a TallyStore the store uncounts what it
// deletes; without one, History counts the records left again.
func TestPrunedRecordsLeaveThePromotionTest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(*MemoryStore) Store
	}{
		{"tally store", func(m *MemoryStore) Store { return m }},
		{"records only", func(m *MemoryStore) Store { return recordsOnly{m} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			mem, clk := NewMemoryStore(), newClock()
			h, err := New(ctx, tc.store(mem), testEmbedder(t), Options{Now: clk.Now, Retention: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.CreateExperiment(ctx, Experiment{ID: "wording", Variants: []Variant{{Name: "good"}, {Name: "poor"}},
				AutoPromote: true, MinSamples: 30, Alpha: 0.05}); err != nil {
				t.Fatal(err)
			}
			feedArms(t, h, 0, 20)
			clk.Add(2 * time.Hour)
			if n, err := h.Prune(ctx); err != nil || n != 40 {
				t.Fatalf("pruned %d (%v), want the 40 records", n, err)
			}
			feedArms(t, h, 20, 15)
			if e, _ := h.Experiment("wording"); e.Status != StatusRunning {
				t.Fatalf("promoted with 15 plans an arm stored (20 more pruned): %s %q", e.Status, e.Winner)
			}
			rep, err := h.ExperimentReport(ctx, "wording")
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range rep.Stats {
				if st.Requests != 15 || st.Plans != 15 {
					t.Errorf("report: %s %d requests, %d plans; want 15 and 15", st.Variant, st.Requests, st.Plans)
				}
			}
			if tc.name == "tally store" {
				if ts, _ := mem.Tallies(ctx, "wording"); ts["good"] != (Tally{Requests: 15, Plans: 15, Valid: 15}) {
					t.Errorf("stored tallies %+v; want good: 15 requests, plans and valid", ts)
				}
			}
			feedArms(t, h, 35, 15)
			if e, _ := h.Experiment("wording"); e.Status != StatusPromoted || e.Winner != "good" {
				t.Fatalf("30 plans an arm stored: %s %q; want good promoted", e.Status, e.Winner)
			}
		})
	}
}
