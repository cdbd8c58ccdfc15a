package storetest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
)

// testTallies: an experiment's counts add up per arm, also from concurrent writers,
// come back from every add and after a restart (or from another replica), and stay
// apart from another experiment's.
func testTallies(t *testing.T, s history.Store, reopen func() history.Store) {
	ctx := context.Background()
	ts, ok := s.(history.TallyStore)
	if !ok {
		t.Skip("the store does not implement history.TallyStore")
	}
	if got, err := ts.Tallies(ctx, "x1"); err != nil || len(got) != 0 {
		t.Fatalf("tallies of an experiment nothing was added to: %v, %v", got, err)
	}
	got, err := ts.AddTallies(ctx, "x1", map[string]history.Tally{
		"default": {Requests: 3, Plans: 2, Valid: 1, Refused: 1}, "concise": {Requests: 1, Plans: 1, Valid: 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]history.Tally{"default": {Requests: 3, Plans: 2, Valid: 1, Refused: 1}, "concise": {Requests: 1, Plans: 1, Valid: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after the first add: %+v, want %+v", got, want)
	}
	// Adds sum, also from several writers at once, each adding to both arms.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := ts.AddTallies(ctx, "x1", map[string]history.Tally{"default": {Requests: 1, Plans: 1, Valid: 1}, "concise": {Requests: 1, Plans: 1}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ts.AddTallies(ctx, "x2", map[string]history.Tally{"default": {Requests: 100}}); err != nil {
		t.Fatal(err)
	}
	if got, err := ts.AddTallies(ctx, "x1", nil); err != nil || got["default"].Requests != 11 {
		t.Fatalf("adding nothing: %+v, %v", got, err)
	}
	if _, err := ts.AddTallies(ctx, "", map[string]history.Tally{"default": {Requests: 1}}); err == nil {
		t.Error("tallies without an experiment were added")
	}
	if reopen != nil {
		ts = reopen().(history.TallyStore)
	}
	want = map[string]history.Tally{"default": {Requests: 11, Plans: 10, Valid: 9, Refused: 1}, "concise": {Requests: 9, Plans: 9, Valid: 1}}
	if got, err := ts.Tallies(ctx, "x1"); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("tallies %+v, %v; want %+v", got, err, want)
	}
	if got, err := ts.Tallies(ctx, "x2"); err != nil || !reflect.DeepEqual(got, map[string]history.Tally{"default": {Requests: 100}}) {
		t.Fatalf("another experiment's tallies %+v, %v", got, err)
	}
}

// testPromotionSurvivesRestart runs History on the store: an experiment's progress
// toward automatic promotion outlives a restart. 20 plans an arm before it and 10 after
// are the 30 MinSamples asks for (good 30/30 valid, poor 15/30), and the experiment is
// promoted then: counted from zero again it would wait for 30 more.
func testPromotionSurvivesRestart(t *testing.T, s history.Store, reopen func() history.Store) {
	persistent(t, reopen)
	ctx := context.Background()
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(ctx, s, emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateExperiment(ctx, history.Experiment{ID: "wording", Variants: []history.Variant{{Name: "good"}, {Name: "poor"}},
		AutoPromote: true, MinSamples: 30, Alpha: 0.05}); err != nil {
		t.Fatal(err)
	}
	feed := func(h *history.History, from, n int) {
		t.Helper()
		p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "bob@example.com"}}}}
		var rs []*history.Record
		for i := from; i < from+n; i++ {
			for _, v := range []string{"good", "poor"} {
				r := &history.Record{Tenant: "t", Request: fmt.Sprintf("email bob@example.com report %s %d", v, i), Experiment: "wording",
					Variant: v, Source: "llm", Valid: true, Plan: p, RegistryVersion: "v"}
				if v == "poor" && i%2 == 0 {
					r.Source, r.Valid, r.Fallback, r.FallbackReason = "pattern", false, true, "invalid_plan"
				}
				rs = append(rs, r)
			}
		}
		if err := h.RecordBatch(ctx, rs); err != nil {
			t.Fatal(err)
		}
	}
	feed(h, 0, 20)
	if e, _ := h.Experiment("wording"); e.Status != history.StatusRunning {
		t.Fatalf("promoted with 20 plans an arm: %+v", e)
	}
	h, err = history.New(ctx, reopen(), emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	feed(h, 20, 10)
	if e, _ := h.Experiment("wording"); e.Status != history.StatusPromoted || e.Winner != "good" {
		t.Fatalf("after 20 plans an arm, a restart and 10 more: %s %q; want good promoted", e.Status, e.Winner)
	}
}

// CheckTalliesSeeded checks the migration that brought history.TallyStore to a
// database that already held experiments' records: it writes records of every kind
// history.Tally.Add tells apart through s, calls remigrate, which must drop the
// tallies, forget that their migration ran and open the database again (running it),
// and checks that the counts it seeded from the records are Tally.Add's.
func CheckTalliesSeeded(t *testing.T, s history.Store, remigrate func() history.Store) {
	t.Helper()
	ctx := context.Background()
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "bob@example.com"}}}}
	kinds := []history.Record{
		{Source: "llm", Valid: true, Plan: p},                                                             // the model's valid plan
		{Source: "llm", Valid: false, Plan: p},                                                            // the model's invalid first plan, repaired
		{Source: "pattern", Fallback: true, FallbackReason: "invalid_plan", Valid: false},                 // the model's invalid plan, then a fallback
		{Source: "pattern", Fallback: true, FallbackReason: "provider_error", Valid: true, Plan: p},       // the offline planner's plan
		{Source: "pattern", Fallback: true, FallbackReason: "offline", Valid: false},                      // never asked the model
		{Source: "cache", Valid: true, Plan: p},                                                           // a hit
		{Source: "none", NoPlan: true, Refused: "llm", ErrorType: "cannot_plan"},                          // the model's refusal
		{Source: "none", NoPlan: true, Refused: "offline", ErrorType: "cannot_plan"},                      // an offline refusal
		{Source: "llm", Valid: true, Plan: p, Feedback: new(int)},                                         // with feedback
		{Source: "pattern", Fallback: true, FallbackReason: "circuit_open", Valid: false, Plan: p},        // a fallback's invalid first plan
		{Source: "llm", Valid: true, Plan: p, Variant: "", Experiment: "nope"},                            // no arm: not counted
		{Source: "llm", Valid: true, Plan: p, Variant: "concise", Experiment: "other"},                    // another experiment
		{Source: "none", NoPlan: true, ErrorType: "unavailable", Errors: []string{"ServerError"}},         // failed with no plan
		{Source: "llm", Valid: true, Plan: p, Variant: "concise"},                                         // the other arm
		{Source: "pattern", Fallback: true, FallbackReason: "deadline", Valid: false, Variant: "concise"}, // its invalid one
	}
	want := map[string]map[string]history.Tally{}
	for i, k := range kinds {
		r := k
		r.ID, r.RequestID, r.Tenant, r.Request, r.Template = fmt.Sprint("seed", i), fmt.Sprint("seed", i), "t", fmt.Sprint("request ", i), "request"
		r.Time = fillTime.Add(time.Duration(i) * time.Second)
		if r.Experiment == "" {
			r.Experiment = "x1"
		}
		if r.Variant == "" && r.Experiment != "nope" {
			r.Variant = "default"
		}
		if err := s.PutRecord(ctx, &r); err != nil {
			t.Fatal(err)
		}
		if r.Variant == "" {
			continue
		}
		if want[r.Experiment] == nil {
			want[r.Experiment] = map[string]history.Tally{}
		}
		tl := want[r.Experiment][r.Variant]
		tl.Add(&r)
		want[r.Experiment][r.Variant] = tl
	}
	ts, ok := remigrate().(history.TallyStore)
	if !ok {
		t.Fatal("the store does not implement history.TallyStore")
	}
	for x, w := range want {
		if got, err := ts.Tallies(ctx, x); err != nil || !reflect.DeepEqual(got, w) {
			t.Errorf("seeded tallies of %s %+v, %v; want %+v", x, got, err, w)
		}
	}
	if got, err := ts.Tallies(ctx, "nope"); err != nil || len(got) != 0 {
		t.Errorf("records with no arm seeded %+v, %v", got, err)
	}
}
