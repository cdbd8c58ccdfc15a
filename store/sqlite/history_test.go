package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

func historyTestRecord(t *testing.T) *history.Record {
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
		Attempts: 3, Errors: []string{"RateLimitError", "ValidationError"},
		LatencyMS: 12.5, PromptTokens: 100, CompletionTokens: 20, CostUSD: 0.0001, RegistryVersion: "v1", PromptVersion: "p1",
		Time: time.Date(2026, 11, 26, 21, 0, 0, 123456789, time.UTC), Retry: true,
		Execution: &history.Execution{RunID: "run1", Status: "failed", DurationMS: 3,
			Steps: []history.StepOutcome{{ID: "s1", Tool: "send_email", Status: "failed", Error: "smtp"}}},
		Feedback: &fb,
	}
}

func TestHistoryStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s := db.HistoryStore()
	want := historyTestRecord(t)
	if err := s.PutRecord(ctx, want); err != nil {
		t.Fatal(err)
	}
	minimal := &history.Record{ID: "r2", RequestID: "r2", Tenant: "other", Request: "hi", Template: "hi", Source: "none",
		Time: want.Time.Add(time.Hour)}
	if err := s.PutRecord(ctx, minimal); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s = db.HistoryStore()
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
		{history.Query{Limit: 1, Offset: 1}, []string{"r1"}},
		{history.Query{Offset: 1}, []string{"r1"}},
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
}

func TestExperimentStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.HistoryStore()
	t0 := time.Date(2026, 11, 26, 21, 0, 0, 5, time.UTC)
	a := &history.Experiment{ID: "a", Name: "wording", Variants: []history.Variant{{Name: "default", Share: 0.5}, {Name: "concise", Share: 0.5}},
		Status: history.StatusRunning, AutoPromote: true, MinSamples: 50, Alpha: 0.01, Created: t0, Updated: t0}
	b := &history.Experiment{ID: "b", Name: "b", Tenant: "acme", Variants: []history.Variant{{Name: "x", Share: 1}},
		Status: history.StatusPromoted, Winner: "x", MinSamples: 1, Alpha: 0.05, Created: t0.Add(time.Second), Updated: t0.Add(time.Minute)}
	for _, e := range []*history.Experiment{b, a} {
		if err := s.PutExperiment(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Experiments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []*history.Experiment{a, b}) {
		t.Errorf("got %+v %+v", got[0], got[1])
	}
}

// TestHistoryOverSQLiteSurvivesRestart runs History on the SQLite store: the pool and
// the experiments come back after a restart.
func TestHistoryOverSQLiteSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(ctx, db.HistoryStore(), emb, history.Options{})
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
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, err = history.New(ctx, db.HistoryStore(), emb, history.Options{})
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

// BenchmarkHistoryPutRecord measures one durable record insert (WAL, synchronous=FULL).
func BenchmarkHistoryPutRecord(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "h.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s := db.HistoryStore()
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"send_email","args":{"to":"bob@example.com"}}]}`))
	vec := make([]float32, 256)
	for i := 0; b.Loop(); i++ {
		r := &history.Record{ID: fmt.Sprint("r", i), Tenant: "t", Request: "email bob@example.com", Template: "email <email>",
			Embedding: vec, Plan: p, Source: "llm", Valid: true, Time: time.Now()}
		if err := s.PutRecord(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHistoryQueueBatchesIntoSQLite runs the history queue on the SQLite store (the
// batch path: one transaction per batch).
func TestHistoryQueueBatchesIntoSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, err := history.New(ctx, db.HistoryStore(), emb, history.Options{})
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
	rs, err := db.HistoryStore().Records(ctx, history.Query{})
	if err != nil || len(rs) != 300 || q.Failed() != 0 {
		t.Fatalf("stored %d (%v), failed %d", len(rs), err, q.Failed())
	}
	if h.PoolSize("t", "v") != 300 {
		t.Errorf("pool %d", h.PoolSize("t", "v"))
	}
}

// TestDeleteRecordsBefore: retention deletes exactly the records older than the cut, in
// chunks, and History.Prune applies Options.Retention through it.
func TestDeleteRecordsBefore(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.HistoryStore()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var rs []*history.Record
	for i := 0; i < 12_000; i++ { // more than two chunks
		rs = append(rs, &history.Record{ID: fmt.Sprintf("r%05d", i), RequestID: fmt.Sprintf("r%05d", i), Request: "hi",
			Template: "hi", Source: "none", Time: t0.Add(time.Duration(i) * time.Minute)})
	}
	if err := s.PutRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	cut := t0.Add(11_000 * time.Minute)
	n, err := s.DeleteRecordsBefore(ctx, cut)
	if err != nil || n != 11_000 {
		t.Fatalf("deleted %d (%v), want 11000", n, err)
	}
	left, err := s.Records(ctx, history.Query{})
	if err != nil || len(left) != 1000 || left[len(left)-1].Time.Before(cut) {
		t.Fatalf("%d records left (%v), oldest %v", len(left), err, left[len(left)-1].Time)
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

// BenchmarkHistoryPutRecordsBatch measures a cache-hit record (no embedding) written in
// batches of 128 and 1,024: CPU per record (ns/op is per record) and fsyncs amortised.
func BenchmarkHistoryPutRecordsBatch(b *testing.B) {
	for _, size := range []int{128, 1024} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(b.TempDir(), "h.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			s := db.HistoryStore()
			p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"calculate","args":{"expression":"(12.5 + 7) * 3"}}]}`))
			batch := make([]*history.Record, 0, size)
			i := 0
			for b.Loop() {
				i++
				batch = append(batch, &history.Record{ID: fmt.Sprint("r", i), Tenant: "t", Request: "calculate (12.5 + 7) * 3",
					Plan: p, Source: "cache", Valid: true, Time: time.Now()})
				if len(batch) == size {
					if err := s.PutRecords(ctx, batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
		})
	}
}
