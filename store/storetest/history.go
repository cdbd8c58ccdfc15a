package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

func runHistory(t *testing.T, open Opener) {
	runEach(t, open, func(s Stores) history.Store { return s.History }, []test[history.Store]{
		{"RoundTrip", testHistoryRoundTrip},
		{"Batch", testHistoryBatch},
		{"Experiments", testExperiments},
		{"Tallies", testTallies},
		{"SurvivesRestart", testHistorySurvivesRestart},
		{"PromotionSurvivesRestart", testPromotionSurvivesRestart},
		{"Queue", testHistoryQueue},
		{"DeleteRecordsBefore", testDeleteRecordsBefore},
		{"CacheHits", testHistoryCacheHits},
		{"SharedRequestID", testHistorySharedRequestID},
	})
}

// fullRecord has every field of a record set.
func fullRecord(t *testing.T) *history.Record {
	t.Helper()
	p, err := plan.Parse([]byte(`{"goal":"g","steps":[{"id":"s1","tool":"send_email","args":{"to":"bob@example.com","n":2.5}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	fb := -1
	return &history.Record{
		ID: "r1", RequestID: "r1", Tenant: "acme", APIKey: "k1", Request: "email bob@example.com",
		Template: "email <email>", Slots: []slot.Slot{{Kind: slot.Email, Text: "bob@example.com", Value: "bob@example.com", Start: 6, End: 21}},
		Embedding: []float32{0.6, 0.8}, Embedder: "e1", Tier: "simple", Model: "gpt-4o-mini", Variant: "concise", Experiment: "x1",
		Source: "llm", Fallback: true, FallbackReason: "invalid_plan", Plan: p, Valid: false,
		IssueCodes: []string{"schema"}, IssueFields: []string{"send_email.to"}, ErrorType: "ValidationError",
		NoPlan: true, Refused: "llm", // every field set: these two do not go with the others
		Attempts: 3, Errors: []string{"RateLimitError", "ValidationError"},
		LatencyMS: 12.5, PromptTokens: 100, CompletionTokens: 20, CostUSD: 0.0001, RegistryVersion: "v1", PromptVersion: "p1",
		Time: time.Date(2026, 11, 26, 21, 0, 0, 123456789, time.UTC), Retry: true,
		Execution: &history.Execution{RunID: "run1", Status: "failed", DurationMS: 3,
			Steps: []history.StepOutcome{{ID: "s1", Tool: "send_email", Status: "failed", Error: "smtp"}}},
		Feedback: &fb,
	}
}

// minimalRecord has only what a record needs.
func minimalRecord(after time.Time) *history.Record {
	return &history.Record{ID: "r2", RequestID: "r2", Tenant: "other", Request: "hi", Template: "hi", Source: "none",
		Time: after.Add(time.Hour)}
}

// testHistoryRoundTrip: records come back exactly (reopened when the backend keeps
// data), queries filter, order and page, and putting an id again replaces the record.
func testHistoryRoundTrip(t *testing.T, s history.Store, reopen func() history.Store) {
	ctx := context.Background()
	want := fullRecord(t)
	if err := s.PutRecord(ctx, want); err != nil {
		t.Fatal(err)
	}
	minimal := minimalRecord(want.Time)
	if err := s.PutRecord(ctx, minimal); err != nil {
		t.Fatal(err)
	}
	if reopen != nil {
		s = reopen()
	}
	got, err := s.GetRecord(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	got2, err := s.GetRecord(ctx, "r2")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got2, minimal) {
		t.Errorf("minimal round trip:\n got %+v\nwant %+v", got2, minimal)
	}
	if _, err := s.GetRecord(ctx, "nope"); !errors.Is(err, history.ErrNotFound) {
		t.Errorf("missing record: %v", err)
	}
	for _, c := range []struct {
		q    history.Query
		want []string
	}{
		{history.Query{}, []string{"r2", "r1"}},
		{history.Query{Tenant: "acme"}, []string{"r1"}},
		{history.Query{Experiment: "x1"}, []string{"r1"}},
		{history.Query{Since: want.Time.Add(time.Minute)}, []string{"r2"}},
		{history.Query{Until: want.Time.Add(time.Minute)}, []string{"r1"}},
		{history.Query{Limit: 1}, []string{"r2"}},
		{history.Query{Limit: 1, Offset: 1}, []string{"r1"}},
		{history.Query{Offset: 1}, []string{"r1"}},
		{history.Query{Offset: 2}, nil},
		{history.Query{Tenant: "acme", Since: want.Time, Until: want.Time.Add(time.Second), Limit: 5}, []string{"r1"}},
	} {
		rs, err := s.Records(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		if !reflect.DeepEqual(ids, c.want) {
			t.Errorf("%+v: %v, want %v", c.q, ids, c.want)
		}
	}
	// Replacing keeps one row.
	want.Feedback = nil
	if err := s.PutRecord(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetRecord(ctx, "r1"); got.Feedback != nil {
		t.Error("replace did not clear the feedback")
	}
	if rs, err := s.Records(ctx, history.Query{}); err != nil || len(rs) != 2 {
		t.Errorf("after a replace: %d records, %v", len(rs), err)
	}
	if err := s.PutRecord(ctx, &history.Record{}); err == nil {
		t.Error("a record without an id was stored")
	}
}

// putRecords writes rs to s in one batch when s writes batches, else one at a time.
func putRecords(ctx context.Context, tb testing.TB, s history.Store, rs []*history.Record) {
	tb.Helper()
	if bs, ok := s.(history.BatchStore); ok {
		if err := bs.PutRecords(ctx, rs); err != nil {
			tb.Fatal(err)
		}
		return
	}
	for _, r := range rs {
		if err := s.PutRecord(ctx, r); err != nil {
			tb.Fatal(err)
		}
	}
}

// batch returns s as a history.BatchStore, or skips t.
func batch(t *testing.T, s history.Store) history.BatchStore {
	t.Helper()
	bs, ok := s.(history.BatchStore)
	if !ok {
		t.Skip("the store writes one record at a time (no history.BatchStore)")
	}
	return bs
}

// testHistoryBatch writes records in one batch; a batch with a bad record writes none.
func testHistoryBatch(t *testing.T, s history.Store, reopen func() history.Store) {
	ctx := context.Background()
	bs := batch(t, s)
	want := fullRecord(t)
	minimal := minimalRecord(want.Time)
	if err := bs.PutRecords(ctx, []*history.Record{want, minimal}); err != nil {
		t.Fatal(err)
	}
	if err := bs.PutRecords(ctx, nil); err != nil {
		t.Fatalf("an empty batch: %v", err)
	}
	bad := minimalRecord(want.Time)
	bad.ID, bad.RequestID = "r3", "r3"
	if err := bs.PutRecords(ctx, []*history.Record{bad, {}}); err == nil {
		t.Fatal("a batch with a record without an id was stored")
	}
	if reopen != nil {
		s = reopen()
	}
	for _, r := range []*history.Record{want, minimal} {
		got, err := s.GetRecord(ctx, r.ID)
		if err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("batch round trip of %s:\n got %+v\nwant %+v (%v)", r.ID, got, r, err)
		}
	}
	if _, err := s.GetRecord(ctx, "r3"); !errors.Is(err, history.ErrNotFound) {
		t.Errorf("a failed batch left a record behind: %v", err)
	}
}

// testExperiments: experiments come back oldest first, exactly, and an update replaces.
func testExperiments(t *testing.T, s history.Store, reopen func() history.Store) {
	ctx := context.Background()
	es, ok := s.(history.ExperimentStore)
	if !ok {
		t.Skip("the store does not implement history.ExperimentStore")
	}
	t0 := time.Date(2026, 11, 26, 21, 0, 0, 5, time.UTC)
	a := &history.Experiment{ID: "a", Name: "wording", Variants: []history.Variant{{Name: "default", Share: 0.5}, {Name: "concise", Share: 0.5}},
		Status: history.StatusRunning, AutoPromote: true, MinSamples: 50, Alpha: 0.01, Created: t0, Updated: t0}
	b := &history.Experiment{ID: "b", Name: "b", Tenant: "acme", Variants: []history.Variant{{Name: "x", Share: 1}},
		Status: history.StatusPromoted, Winner: "x", MinSamples: 1, Alpha: 0.05, Created: t0.Add(time.Second), Updated: t0.Add(time.Minute)}
	for _, e := range []*history.Experiment{b, a} {
		if err := es.PutExperiment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if reopen != nil {
		es = reopen().(history.ExperimentStore)
	}
	got, err := es.Experiments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []*history.Experiment{a, b}) {
		t.Errorf("got %+v", got)
	}
	a.Status, a.Winner = history.StatusPromoted, "concise"
	if err := es.PutExperiment(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, _ := es.Experiments(ctx); len(got) != 2 || got[0].Winner != "concise" {
		t.Errorf("after update: %+v", got)
	}
	if err := es.PutExperiment(ctx, &history.Experiment{Name: "no id"}); err == nil {
		t.Error("an experiment without an id was stored")
	}
}

// testHistorySurvivesRestart runs History on the store: the pool and the experiments
// come back after a restart.
func testHistorySurvivesRestart(t *testing.T, s history.Store, reopen func() history.Store) {
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
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"send_email","args":{"to":"bob@example.com"}}]}`))
	if err := h.Record(ctx, &history.Record{Tenant: "t", Request: "email bob@example.com", Source: "llm", Valid: true, Plan: p, RegistryVersion: "v"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateExperiment(ctx, history.Experiment{ID: "e1", Variants: []history.Variant{{Name: "default"}, {Name: "concise"}}}); err != nil {
		t.Fatal(err)
	}
	h, err = history.New(ctx, reopen(), emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := h.PoolSize("t", "v"); n != 1 {
		t.Errorf("pool after restart %d, want 1", n)
	}
	if e, err := h.Experiment("e1"); err != nil || e.Variants[0].Share != 0.5 {
		t.Errorf("experiment after restart: %+v %v", e, err)
	}
}

// testHistoryQueue runs the history queue on the store (with a history.BatchStore, the
// batch path: one transaction per batch).
func testHistoryQueue(t *testing.T, s history.Store, _ func() history.Store) {
	ctx := context.Background()
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, err := history.New(ctx, s, emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := h.NewQueue(0)
	q.OnError = func(err error) { t.Error(err) }
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"send_email","args":{"to":"bob@example.com"}}]}`))
	for i := range 300 {
		q.Enqueue(&history.Record{RequestID: fmt.Sprint("q", i), Tenant: "t", Request: fmt.Sprintf("email report %d", i), Source: "llm",
			Valid: true, Plan: p, RegistryVersion: "v"})
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- q.Run(runCtx) }()
	cancel()
	<-done
	rs, err := s.Records(ctx, history.Query{})
	if err != nil || len(rs) != 300 || q.Failed() != 0 {
		t.Fatalf("stored %d (%v), failed %d", len(rs), err, q.Failed())
	}
	if h.PoolSize("t", "v") != 300 {
		t.Errorf("pool %d", h.PoolSize("t", "v"))
	}
}

// testDeleteRecordsBefore: retention deletes exactly the records older than the cut,
// more than one chunk of them, and History.Prune applies Options.Retention through it.
func testDeleteRecordsBefore(t *testing.T, s history.Store, _ func() history.Store) {
	ctx := context.Background()
	pr, ok := s.(history.Pruner)
	if !ok {
		t.Skip("the store does not implement history.Pruner")
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var rs []*history.Record
	for i := 0; i < 12_000; i++ { // more than two chunks of the SQL stores
		r := &history.Record{ID: fmt.Sprintf("r%05d", i), RequestID: fmt.Sprintf("r%05d", i), Request: "hi",
			Template: "hi", Source: "none", Time: t0.Add(time.Duration(i) * time.Minute)}
		if i%6 != 5 { // and more than a chunk of an experiment's arm (its tallies follow)
			r.Experiment, r.Variant, r.Source, r.Valid = "prune-x", "a", "llm", i%3 == 0
			if i%12 == 0 {
				r.Variant = "b"
			}
		}
		rs = append(rs, r)
	}
	putRecords(ctx, t, s, rs)
	cut := t0.Add(11_000 * time.Minute)
	n, err := pr.DeleteRecordsBefore(ctx, cut)
	if err != nil || n != 11_000 {
		t.Fatalf("deleted %d (%v), want 11000", n, err)
	}
	left, err := s.Records(ctx, history.Query{})
	if err != nil || len(left) != 1000 || left[len(left)-1].Time.Before(cut) {
		t.Fatalf("%d records left (%v), oldest %v", len(left), err, left[len(left)-1].Time)
	}
	if _, err := s.GetRecord(ctx, rs[10_999].ID); !errors.Is(err, history.ErrNotFound) {
		t.Fatalf("a record before the cut is still there: %v", err)
	}
	if _, err := s.GetRecord(ctx, rs[11_000].ID); err != nil {
		t.Fatalf("a record at the cut was deleted: %v", err)
	}
	if ts, ok := s.(history.TallyStore); ok {
		got, err := ts.Tallies(ctx, "prune-x")
		if want := countRecords(t, s, "prune-x"); err != nil || !reflect.DeepEqual(got, want) || got["a"].Requests != 750 {
			t.Fatalf("after the prune, tallies of prune-x %+v (%v); the records left count %+v", got, err, want)
		}
	}
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	now := cut.Add(1000 * time.Minute)
	h, err := history.New(ctx, s, emb, history.Options{Retention: 500 * time.Minute, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := h.Prune(ctx); err != nil || n != 500 {
		t.Fatalf("Prune deleted %d (%v), want 500", n, err)
	}
}

// testHistorySharedRequestID: requests that carry the same X-Request-ID (two tenants', or
// one client reusing an id) each keep a record of their own, whether written one at a
// time or in a batch (a batch's cache hits too), and a rating of one does not touch the
// others. The request id became the record's key once: tenant b's request then replaced
// tenant a's record, and b's feedback landed on it.
func testHistorySharedRequestID(t *testing.T, s history.Store, _ func() history.Store) {
	ctx := context.Background()
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, err := history.New(ctx, s, emb, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"send_email","args":{"to":"bob@example.com"}}]}`))
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	rec := func(tenant, request, source string, i int) *history.Record {
		return &history.Record{RequestID: "shared-1", Tenant: tenant, APIKey: "k-" + tenant, Request: request, Source: source,
			Valid: true, Plan: p.Clone(), RegistryVersion: "v", Time: at.Add(time.Duration(i) * time.Second)}
	}
	a := rec("a", "email bob@example.com that the build is green", "llm", 0)
	if err := h.Record(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := rec("b", "email carol@example.com the invoice", "llm", 1)
	a2 := rec("a", "email dave@example.com the minutes", "llm", 2)
	for _, r := range []*history.Record{b, a2} {
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// A batch: two cache hits of tenant a with the same request id again, and a record.
	hits := []*history.Record{rec("a", "email bob@example.com that the build is green", "cache", 3),
		rec("a", "email bob@example.com that the build is green", "cache", 4), rec("b", "email erin@example.com hi", "llm", 5)}
	if err := h.RecordBatch(ctx, hits); err != nil {
		t.Fatal(err)
	}
	all := append([]*history.Record{a, b, a2}, hits...)
	seen := map[string]bool{}
	for _, r := range all {
		if r.ID == "" || r.ID == r.RequestID || seen[r.ID] {
			t.Fatalf("record ids %v: each record needs an id of its own, never the client's request id", ids(all))
		}
		seen[r.ID] = true
	}
	rs, err := s.Records(ctx, history.Query{})
	if err != nil || len(rs) != len(all) {
		t.Fatalf("stored %d records (%v), want %d: a request id shared replaced a record", len(rs), err, len(all))
	}
	for _, tc := range []struct {
		tenant string
		want   int
	}{{"a", 4}, {"b", 2}} {
		if rs, err := s.Records(ctx, history.Query{Tenant: tc.tenant}); err != nil || len(rs) != tc.want {
			t.Errorf("tenant %s: %d records (%v), want %d", tc.tenant, len(rs), err, tc.want)
		}
	}
	// Tenant b rates its own request bad: tenant a's records keep what they were.
	if err := h.RecordFeedback(ctx, b.ID, -1); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetRecord(ctx, a.ID)
	if err != nil || got.Tenant != "a" || got.Request != a.Request || got.Feedback != nil {
		t.Fatalf("tenant a's record after tenant b's request and feedback: %+v, %v", got, err)
	}
	if got, err := s.GetRecord(ctx, b.ID); err != nil || got.Tenant != "b" || got.Feedback == nil || *got.Feedback != -1 {
		t.Errorf("tenant b's record: %+v, %v; want its own rating", got, err)
	}
	if h.PoolSize("a", "v") != 2 {
		t.Errorf("tenant a's pool holds %d records, want its 2 requests planned by the model", h.PoolSize("a", "v"))
	}
}

func ids(rs []*history.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}
