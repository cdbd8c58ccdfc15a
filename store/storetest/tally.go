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

// testTallies: a TallyStore counts the records of an experiment's arms as they are
// written (one at a time, in batches, from concurrent writers), a record replaced as it
// is now, and no more once deleted. At every step its tallies are the stored records
// counted with history.Tally.Add, the numbers an experiment's report tests; they come
// back after a restart (or from another replica) and stay apart from another
// experiment's. Written in a transaction of their own, after the records', and never
// shrunk by a prune, they drifted from the records.
func testTallies(t *testing.T, s history.Store, reopen func() history.Store) {
	ctx := context.Background()
	if _, ok := s.(history.TallyStore); !ok {
		t.Skip("the store does not implement history.TallyStore")
	}
	experiments := []string{"x1", "other", "nope"}
	check := func(step string, s history.Store) {
		t.Helper()
		for _, x := range experiments {
			got, err := s.(history.TallyStore).Tallies(ctx, x)
			if err != nil {
				t.Fatalf("%s: tallies of %s: %v", step, x, err)
			}
			if want := countRecords(t, s, x); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: tallies of %s %+v; the stored records count %+v", step, x, got, want)
			}
		}
	}
	check("nothing stored", s)
	if got, _ := s.(history.TallyStore).Tallies(ctx, "x1"); len(got) != 0 {
		t.Fatalf("tallies of an experiment with no record: %+v", got)
	}
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "bob@example.com"}}}}
	rec := func(i int, k history.Record) *history.Record {
		r := k
		r.ID, r.RequestID, r.Tenant, r.Request, r.Template = fmt.Sprint("t", i), fmt.Sprint("t", i), "t", fmt.Sprint("request ", i), "request"
		r.Time = fillTime.Add(time.Duration(i) * time.Second)
		if r.Experiment == "" {
			r.Experiment = "x1"
		}
		if r.Variant == "" && r.Experiment != "nope" {
			r.Variant = "default"
		}
		return &r
	}
	// One at a time, every kind Tally.Add tells apart.
	kinds := tallyKinds(p)
	for i, k := range kinds {
		if err := s.PutRecord(ctx, rec(i, k)); err != nil {
			t.Fatal(err)
		}
	}
	check("records put one at a time", s)
	if got, _ := s.(history.TallyStore).Tallies(ctx, "x1"); got["default"].Requests == 0 || got["concise"].Requests == 0 {
		t.Fatalf("tallies of x1 %+v: want both arms counted", got)
	}
	// A batch, its arms interleaved, with a hit and records outside any experiment.
	var batch []*history.Record
	for i := range 40 {
		k := kinds[i%len(kinds)]
		if i%5 == 0 {
			k = history.Record{Source: "cache", Valid: true, Plan: p, Experiment: "x1", Variant: []string{"default", "concise"}[i%2]}
		}
		r := rec(100+i, k)
		if i%7 == 0 {
			r.Experiment, r.Variant = "", ""
		}
		batch = append(batch, r)
	}
	putRecords(ctx, t, s, batch)
	check("a batch", s)
	// Replaced: the same record again (counted once), another outcome, another arm.
	same := rec(0, kinds[0])
	same.Feedback = new(int)
	worse := rec(1, history.Record{Source: "pattern", Fallback: true, FallbackReason: "invalid_plan"})
	moved := rec(2, kinds[2])
	moved.Variant = "concise"
	for _, r := range []*history.Record{same, same, worse, moved} {
		if err := s.PutRecord(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	check("records replaced", s)
	// Concurrent writers, each to both arms.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for j := range 6 {
				k := kinds[(w+j)%len(kinds)]
				k.Variant = []string{"default", "concise"}[j%2]
				if err := s.PutRecord(ctx, rec(1000+10*w+j, k)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	check("concurrent writers", s)
	if reopen != nil {
		s = reopen()
		check("after a restart", s)
	}
	// Pruned: the records deleted are counted no more; an arm left with none is gone.
	if pr, ok := s.(history.Pruner); ok {
		if _, err := pr.DeleteRecordsBefore(ctx, fillTime.Add(120*time.Second)); err != nil {
			t.Fatal(err)
		}
		check("records pruned", s)
		if _, err := pr.DeleteRecordsBefore(ctx, fillTime.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		check("every record pruned", s)
		for _, x := range experiments {
			if got, err := s.(history.TallyStore).Tallies(ctx, x); err != nil || len(got) != 0 {
				t.Fatalf("every record pruned: tallies of %s %+v, %v", x, got, err)
			}
		}
	}
}

// countRecords counts the stored records of experiment x per arm with Tally.Add.
func countRecords(t *testing.T, s history.Store, x string) map[string]history.Tally {
	t.Helper()
	rs, err := s.Records(context.Background(), history.Query{Experiment: x})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]history.Tally{}
	for _, r := range rs {
		if r.Variant == "" {
			continue
		}
		tl := out[r.Variant]
		tl.Add(r)
		out[r.Variant] = tl
	}
	return out
}

// tallyKinds are records of every kind history.Tally.Add tells apart (of experiment x1,
// arm default, unless they say otherwise).
func tallyKinds(p *plan.Plan) []history.Record {
	return []history.Record{
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

// CheckTalliesSeeded checks a migration that counts the experiments' tallies from the
// records a database already held (the one that brought history.TallyStore, the one that
// keeps the tallies with the records): it writes records of every kind history.Tally.Add
// tells apart through s, calls remigrate, which must drop the tallies (or make them
// wrong), forget that the migration ran and open the database again (running it), and
// checks that the counts it seeded from the records are Tally.Add's.
func CheckTalliesSeeded(t *testing.T, s history.Store, remigrate func() history.Store) {
	t.Helper()
	ctx := context.Background()
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "bob@example.com"}}}}
	kinds := tallyKinds(p)
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
