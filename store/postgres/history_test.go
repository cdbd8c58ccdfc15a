package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

func historyRecord(t *testing.T) *history.Record {
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

// TestHistoryStoreRoundTrip mirrors the SQLite history store's contract.
func TestHistoryStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	s := open(t, dsn).HistoryStore()
	want := historyRecord(t)
	minimal := &history.Record{ID: "r2", RequestID: "r2", Tenant: "other", Request: "hi", Template: "hi", Source: "none",
		Time: want.Time.Add(time.Hour)}
	if err := s.PutRecords(ctx, []*history.Record{want, minimal}); err != nil {
		t.Fatal(err)
	}
	s = open(t, dsn).HistoryStore() // another replica reads them
	got, err := s.GetRecord(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if got2, err := s.GetRecord(ctx, "r2"); err != nil || !reflect.DeepEqual(got2, minimal) {
		t.Errorf("minimal round trip:\n got %+v\nwant %+v (%v)", got2, minimal, err)
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
	want.Feedback = nil
	if err := s.PutRecord(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetRecord(ctx, "r1"); got.Feedback != nil {
		t.Error("replace did not clear the feedback")
	}
	if err := s.PutRecord(ctx, &history.Record{}); err == nil {
		t.Error("a record without an id was stored")
	}
}

func TestExperimentStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := open(t, pgtest.DSN(t)).HistoryStore()
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
		t.Errorf("got %+v", got)
	}
	a.Status, a.Winner = history.StatusPromoted, "concise"
	if err := s.PutExperiment(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Experiments(ctx); len(got) != 2 || got[0].Winner != "concise" {
		t.Errorf("after update: %+v", got)
	}
}

// TestDeleteRecordsBefore mirrors the SQLite store's retention.
func TestDeleteRecordsBefore(t *testing.T) {
	ctx := context.Background()
	s := open(t, pgtest.DSN(t)).HistoryStore()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var rs []*history.Record
	for i := 0; i < 6_000; i++ { // more than one chunk
		id := "del" + time.Duration(i).String()
		rs = append(rs, &history.Record{ID: id, RequestID: id, Request: "hi", Template: "hi", Source: "none",
			Time: t0.Add(time.Duration(i) * time.Minute)})
	}
	if err := s.PutRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteRecordsBefore(ctx, t0.Add(5_500*time.Minute))
	if err != nil || n != 5_500 {
		t.Fatalf("deleted %d (%v), want 5500", n, err)
	}
	if _, err := s.GetRecord(ctx, rs[5_499].ID); !errors.Is(err, history.ErrNotFound) {
		t.Fatalf("a record before the cut is still there: %v", err)
	}
	if _, err := s.GetRecord(ctx, rs[5_500].ID); err != nil {
		t.Fatalf("a record at the cut was deleted: %v", err)
	}
}
