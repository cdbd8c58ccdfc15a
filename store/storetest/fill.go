package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// Fill writes a fixed set of data through every store of s: cache entries, history
// records, experiments, runs with their feedback (one still queued) and spending.
// CheckFilled reads it back. Together they prove that a new version of a store reads
// what an earlier version wrote: fill a database with the earlier version, keep it as
// a test fixture, and check it with the new one (store/sqlite and store/postgres keep
// such fixtures). What Fill writes never changes, so old fixtures stay valid; it uses
// nothing but the store interfaces, so it builds against older versions of planwise.
func Fill(ctx context.Context, s Stores) error {
	for _, e := range filledEntries() {
		if err := s.Cache.Put(ctx, e); err != nil {
			return err
		}
	}
	if tc, ok := s.Cache.(cache.Toucher); ok {
		if err := tc.Touch(ctx, []cache.Use{filledUse()}); err != nil {
			return err
		}
	}
	for _, r := range filledRecords() {
		if err := s.History.PutRecord(ctx, r); err != nil {
			return err
		}
	}
	if es, ok := s.History.(history.ExperimentStore); ok {
		for _, e := range filledExperiments() {
			if err := es.PutExperiment(ctx, e); err != nil {
				return err
			}
		}
	}
	for _, r := range filledRuns() {
		if err := s.Runs.SaveRun(ctx, r.Result, r.Meta); err != nil {
			return err
		}
	}
	for _, fb := range filledFeedback() {
		if err := s.Runs.SaveFeedback(ctx, "fill-run", fb); err != nil {
			return err
		}
	}
	return s.Spend.AddSpend(ctx, filledSpend())
}

var fillTime = time.Date(2026, 12, 1, 9, 30, 0, 123456789, time.UTC)

func filledEntries() []cache.Entry {
	p := &plan.Plan{Goal: "email Bob the report", Steps: []plan.Step{
		{ID: "s1", Tool: "get_report", Args: map[string]any{"name": "q3"}},
		{ID: "s2", Tool: "send_email", Args: map[string]any{"to": "Bob", "body": "${s1.text}"}}}}
	a := cache.Entry{ID: "fill-e1", Namespace: cache.Namespace{Registry: "reg1", Prompt: "p1", Tier: "simple", Tenant: "acme"},
		Request: "Email Bob the report", Normalized: "email bob the report", Template: "email {name} the report",
		Slots: []slot.Slot{{Kind: slot.Name, Text: "Bob", Value: "Bob", Start: 6, End: 9}}, Plan: p,
		Embedder: "local-512", Vector: []float32{0.25, -1.5, 3.0e-8, 1, float32(math.Inf(1))}, Created: fillTime, LastUsed: fillTime, Hits: 1}
	b := cache.Entry{ID: "fill-e2", Namespace: cache.Namespace{Registry: "reg1", Prompt: "p1", Tier: "complex", Tenant: "default"},
		Request: "what is 6 * 7", Normalized: "what is 6 * 7", Template: "what is {number} * {number}",
		Plan:     &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "6 * 7"}}}},
		Embedder: "local-512", Vector: []float32{}, Created: fillTime.Add(time.Second), LastUsed: fillTime.Add(time.Second)}
	return []cache.Entry{a, b}
}

func filledUse() cache.Use {
	return cache.Use{ID: "fill-e1", LastUsed: fillTime.Add(time.Hour), Hits: 5}
}

func filledRecords() []*history.Record {
	p, err := plan.Parse([]byte(`{"goal":"g","steps":[{"id":"s1","tool":"send_email","args":{"to":"bob@example.com","n":2.5}}]}`))
	if err != nil {
		panic(err)
	}
	fb := 1
	full := &history.Record{
		ID: "fill-r1", RequestID: "fill-r1", Tenant: "acme", APIKey: "k1", Request: "email bob@example.com",
		Template: "email <email>", Slots: []slot.Slot{{Kind: slot.Email, Text: "bob@example.com", Value: "bob@example.com", Start: 6, End: 21}},
		Embedding: []float32{0.6, 0.8}, Embedder: "e1", Tier: "simple", Model: "gpt-4o-mini", Variant: "concise", Experiment: "fill-x",
		Source: "llm", Fallback: true, FallbackReason: "invalid_plan", Plan: p, Valid: true,
		IssueCodes: []string{"schema"}, IssueFields: []string{"send_email.to"}, ErrorType: "ValidationError",
		Attempts: 2, Errors: []string{"RateLimitError"},
		LatencyMS: 12.5, PromptTokens: 100, CompletionTokens: 20, CostUSD: 0.0001, RegistryVersion: "reg1", PromptVersion: "p1",
		Time: fillTime, Retry: true,
		Execution: &history.Execution{RunID: "fill-run", Status: "succeeded", DurationMS: 3,
			Steps: []history.StepOutcome{{ID: "s1", Tool: "send_email", Status: "succeeded"}}},
		Feedback: &fb,
	}
	minimal := &history.Record{ID: "fill-r2", RequestID: "fill-r2", Tenant: "default", Request: "hi", Template: "hi", Source: "none",
		Time: fillTime.Add(time.Minute)}
	return []*history.Record{full, minimal}
}

func filledExperiments() []*history.Experiment {
	return []*history.Experiment{{ID: "fill-x", Name: "wording", Tenant: "acme",
		Variants: []history.Variant{{Name: "default", Share: 0.5}, {Name: "concise", Share: 0.5}},
		Status:   history.StatusRunning, AutoPromote: true, MinSamples: 50, Alpha: 0.01, Created: fillTime, Updated: fillTime.Add(time.Minute)}}
}

func filledRuns() []execute.RunRecord {
	done := runsTestResult("fill-run")
	queued := result("fill-queued", execute.RunQueued, execute.StepPending)
	return []execute.RunRecord{
		{Result: done, Meta: execute.RunMeta{Request: "email Bob the weather", Plan: json.RawMessage(`{"steps":[{"id":"s1","tool":"get_weather","args":{}}]}`),
			Tenant: "acme", APIKeyHash: "k1", Source: "cache", RequestID: "fill-r1", CacheEntry: "fill-e1", Created: fillTime}},
		{Result: queued, Meta: execute.RunMeta{Tenant: "default", Source: "user", Created: fillTime.Add(time.Second)}},
	}
}

func filledFeedback() []execute.Feedback {
	return []execute.Feedback{{Rating: -1, Comment: "wrong person", Time: fillTime.Add(2 * time.Minute)},
		{Rating: 1, Time: fillTime.Add(3 * time.Minute)}}
}

func filledSpend() []metrics.Spend {
	return []metrics.Spend{{Day: fillTime, APIKey: "k1", USD: 0.25}, {Day: fillTime, APIKey: "k2", USD: 1.5},
		{Day: fillTime.Add(time.Hour), APIKey: "k1", USD: 0.125}, {Day: fillTime.AddDate(0, 0, 1), APIKey: "k1", USD: 9}}
}

// CheckFilled checks that s holds exactly what Fill wrote, and that the stores still
// take new data on top of it.
func CheckFilled(t *testing.T, s Stores) {
	t.Helper()
	ctx := context.Background()

	entries, err := s.Cache.LoadAll(ctx)
	if err != nil {
		t.Fatalf("cache: %v", err)
	}
	want := filledEntries()
	if _, ok := s.Cache.(cache.Toucher); ok {
		want[0].LastUsed, want[0].Hits = filledUse().LastUsed, filledUse().Hits
	}
	if len(entries) != len(want) {
		t.Fatalf("cache: %d entries, want %d", len(entries), len(want))
	}
	for i, e := range entries {
		w := want[i]
		if e.ID != w.ID || e.Namespace != w.Namespace || e.Request != w.Request || e.Normalized != w.Normalized ||
			e.Template != w.Template || !reflect.DeepEqual(e.Slots, w.Slots) || string(e.Plan.JSON()) != string(w.Plan.JSON()) ||
			e.Embedder != w.Embedder || len(e.Vector) != len(w.Vector) || !e.Created.Equal(w.Created) ||
			!e.LastUsed.Equal(w.LastUsed) || e.Hits != w.Hits {
			t.Errorf("cache entry %d:\n got %+v\nwant %+v", i, e, w)
		}
		for j := range w.Vector {
			if math.Float32bits(e.Vector[j]) != math.Float32bits(w.Vector[j]) {
				t.Errorf("cache entry %s: vector[%d] = %v, want %v", w.ID, j, e.Vector[j], w.Vector[j])
			}
		}
	}

	for _, w := range filledRecords() {
		r, err := s.History.GetRecord(ctx, w.ID)
		if err != nil || !reflect.DeepEqual(r, w) {
			t.Errorf("history record %s:\n got %+v\nwant %+v (%v)", w.ID, r, w, err)
		}
	}
	if rs, err := s.History.Records(ctx, history.Query{Tenant: "acme", Experiment: "fill-x"}); err != nil || len(rs) != 1 || rs[0].ID != "fill-r1" {
		t.Errorf("history query: %d records, %v", len(rs), err)
	}
	if es, ok := s.History.(history.ExperimentStore); ok {
		got, err := es.Experiments(ctx)
		if err != nil || !reflect.DeepEqual(got, filledExperiments()) {
			t.Errorf("experiments: %+v, %v", got, err)
		}
	}

	for _, w := range filledRuns() {
		r, meta, err := s.Runs.GetRun(ctx, w.Result.ID)
		if err != nil || !reflect.DeepEqual(r, w.Result) || !reflect.DeepEqual(meta, w.Meta) {
			t.Errorf("run %s:\n got %+v %+v\nwant %+v %+v (%v)", w.Result.ID, r, meta, w.Result, w.Meta, err)
		}
	}
	if f, ok := s.Runs.(feedbacker); ok {
		fbs, err := f.Feedback(ctx, "fill-run")
		if err != nil || !reflect.DeepEqual(fbs, filledFeedback()) {
			t.Errorf("feedback: %+v, %v", fbs, err)
		}
	}

	day, err := s.Spend.DaySpend(ctx, fillTime)
	if err != nil || len(day) != 2 || math.Abs(day["k1"]-0.375) > 1e-9 || math.Abs(day["k2"]-1.5) > 1e-9 {
		t.Errorf("day spend: %v, %v; want k1 0.375, k2 1.5", day, err)
	}

	// New data goes on top.
	e := filledEntries()[1]
	e.ID = "new-e"
	if err := s.Cache.Put(ctx, e); err != nil {
		t.Errorf("cache put: %v", err)
	}
	if err := s.Cache.Delete(ctx, "fill-e2"); err != nil {
		t.Errorf("cache delete: %v", err)
	}
	if entries, err := s.Cache.LoadAll(ctx); err != nil || len(entries) != 2 || entries[1].ID != "new-e" {
		t.Errorf("cache after a put and a delete: %d entries, %v", len(entries), err)
	}
	r := filledRecords()[1]
	r.ID, r.Time = "new-r", fillTime.Add(time.Hour)
	if err := s.History.PutRecord(ctx, r); err != nil {
		t.Errorf("history put: %v", err)
	}
	if rs, err := s.History.Records(ctx, history.Query{Limit: 1}); err != nil || len(rs) != 1 || rs[0].ID != "new-r" {
		t.Errorf("newest record after a put: %+v, %v", rs, err)
	}
	if err := s.Runs.SaveFeedback(ctx, "fill-run", execute.Feedback{Rating: 0}); err != nil {
		t.Errorf("feedback on a filled run: %v", err)
	}
	if err := s.Runs.SaveRun(ctx, result("new-run", execute.RunSucceeded, execute.StepSucceeded), execute.RunMeta{}); err != nil {
		t.Errorf("save run: %v", err)
	}
	if rr, ok := s.Runs.(execute.RunRecovery); ok {
		n, err := rr.InterruptRuns(ctx, time.Now().Add(time.Minute), "interrupted: restart")
		if err != nil || n != 1 {
			t.Errorf("interrupting the filled queued run: %d, %v", n, err)
		}
		if r, _, err := s.Runs.GetRun(ctx, "fill-queued"); err != nil || r.Status != execute.RunInterrupted {
			t.Errorf("the queued run after InterruptRuns: %+v, %v", r, err)
		}
	}
	if err := s.Spend.AddSpend(ctx, []metrics.Spend{{Day: fillTime, APIKey: "k2", USD: 0.5}}); err != nil {
		t.Errorf("add spend: %v", err)
	}
	if day, err := s.Spend.DaySpend(ctx, fillTime); err != nil || math.Abs(day["k2"]-2) > 1e-9 {
		t.Errorf("day spend after an add: %v, %v", day, err)
	}
	if _, _, err := s.Runs.GetRun(ctx, "absent"); !errors.Is(err, execute.ErrRunNotFound) {
		t.Errorf("an absent run: %v", err)
	}
}

// testFill fills a new database and checks it, after a restart when the backend keeps
// data: Fill and CheckFilled agree on every backend.
func testFill(t *testing.T, open Opener) {
	s, reopen := open(t)
	if s.Cache == nil || s.History == nil || s.Runs == nil || s.Spend == nil {
		t.Skip("the backend lacks a store")
	}
	if err := Fill(context.Background(), s); err != nil {
		t.Fatal(fmt.Errorf("fill: %w", err))
	}
	if reopen != nil {
		s = reopen()
	}
	CheckFilled(t, s)
}
