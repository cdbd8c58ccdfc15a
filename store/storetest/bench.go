package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
)

// Bench runs the store benchmarks, each on a new database from open (released when b
// ends): the writes and reads serve makes on its hot paths (a history record per
// request, written in batches; a run saved and read back; cache entries stored, loaded
// at start-up and touched; spending added) and the reads of the learning loop (a page
// of 1,000 records). Stores a backend lacks, and optional interfaces it does not
// implement, are skipped. Run it from a backend's benchmark:
//
//	func BenchmarkStore(b *testing.B) { storetest.Bench(b, openEmpty) }
func Bench(b *testing.B, open func(b *testing.B) Stores) {
	ctx := context.Background()
	p, err := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"calculate","args":{"expression":"(12.5 + 7) * 3"}}]}`))
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	record := func(id string, i int, emb []float32) *history.Record {
		return &history.Record{ID: id, RequestID: id, Tenant: "t", Request: "calculate (12.5 + 7) * 3",
			Template: "calculate ( <number> + <number> ) * <number>", Embedding: emb, Plan: p, Source: "llm",
			Valid: true, Time: t0.Add(time.Duration(i) * time.Second)}
	}
	histories := func(b *testing.B) history.Store {
		s := open(b).History
		if s == nil {
			b.Skip("the backend has no history store")
		}
		return s
	}
	batches := func(b *testing.B) history.BatchStore {
		s, ok := histories(b).(history.BatchStore)
		if !ok {
			b.Skip("the history store writes no batches")
		}
		return s
	}
	put := func(b *testing.B, s history.Store, n int) {
		rs := make([]*history.Record, n)
		for i := range rs {
			rs[i] = record(fmt.Sprint("r", i), i, make([]float32, 256))
		}
		putRecords(ctx, b, s, rs)
	}

	// One record with a 256-dimension embedding, one transaction (durable).
	b.Run("History/PutRecord", func(b *testing.B) {
		s := histories(b)
		emb := make([]float32, 256)
		for i := 0; b.Loop(); i++ {
			if err := s.PutRecord(ctx, record(fmt.Sprint("r", i), i, emb)); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Cache-hit records (no embedding) in batches of 1,024, serve's history batches;
	// ns/record is per record.
	b.Run("History/PutRecords1024", func(b *testing.B) {
		s := batches(b)
		rs := make([]*history.Record, 1024)
		n := 0
		for b.Loop() {
			for i := range rs {
				n++
				rs[i] = record(fmt.Sprint("b", n), n, nil)
			}
			if err := s.PutRecords(ctx, rs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rs)), "ns/record")
	})
	// A page of 1,000 records with embeddings: the learning loop's reads.
	b.Run("History/Records1000", func(b *testing.B) {
		s := histories(b)
		put(b, s, 1000)
		for b.Loop() {
			rs, err := s.Records(ctx, history.Query{Tenant: "t", Limit: 1000})
			if err != nil || len(rs) != 1000 {
				b.Fatal(len(rs), err)
			}
		}
	})
	b.Run("History/GetRecord", func(b *testing.B) {
		s := histories(b)
		put(b, s, 10)
		for b.Loop() {
			if _, err := s.GetRecord(ctx, "r5"); err != nil {
				b.Fatal(err)
			}
		}
	})

	// A two-step run saved, then read back (POST /api/v1/runs, GET /api/v1/runs/{id}).
	b.Run("Runs/SaveGet", func(b *testing.B) {
		runs := open(b).Runs
		if runs == nil {
			b.Skip("the backend has no run store")
		}
		for i := 0; b.Loop(); i++ {
			r := &execute.Result{ID: fmt.Sprint("run", i), Status: execute.RunSucceeded, Started: t0, Finished: t0.Add(time.Second),
				Steps: []execute.StepResult{{ID: "s1", Tool: "calculate", Status: execute.StepSucceeded, Output: map[string]any{"result": 42}},
					{ID: "s2", Tool: "render_template", Status: execute.StepSucceeded, Output: map[string]any{"text": "answer 42"}}}}
			if err := runs.SaveRun(ctx, r, execute.RunMeta{Tenant: "t", Request: "calculate"}); err != nil {
				b.Fatal(err)
			}
			if _, _, err := runs.GetRun(ctx, r.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The lease renewal of 100 running runs.
	b.Run("Runs/Renew100", func(b *testing.B) {
		runs := open(b).Runs
		rec, ok := runs.(execute.RunRecovery)
		if !ok {
			b.Skip("the backend's run store does not renew runs")
		}
		ids := make([]string, 100)
		for i := range ids {
			ids[i] = fmt.Sprint("run", i)
			if err := runs.SaveRun(ctx, &execute.Result{ID: ids[i], Status: execute.RunRunning, Started: t0}, execute.RunMeta{}); err != nil {
				b.Fatal(err)
			}
		}
		for i := 0; b.Loop(); i++ {
			if err := rec.RenewRuns(ctx, ids, t0.Add(time.Duration(i)*time.Second)); err != nil {
				b.Fatal(err)
			}
		}
	})

	entry := func(i int) cache.Entry {
		return cache.Entry{ID: fmt.Sprint("e", i), Namespace: cache.Namespace{Registry: "reg", Prompt: "p", Tier: "simple", Tenant: "t"},
			Request: "calculate (12.5 + 7) * 3", Normalized: "calculate (12.5 + 7) * 3", Template: "calculate ( <number> + <number> ) * <number>",
			Plan: p, Embedder: "hash-256", Vector: make([]float32, 256), Created: t0, LastUsed: t0}
	}
	caches := func(b *testing.B) cache.Store {
		s := open(b).Cache
		if s == nil {
			b.Skip("the backend has no cache store")
		}
		return s
	}
	b.Run("Cache/Put", func(b *testing.B) {
		s := caches(b)
		for i := 0; b.Loop(); i++ {
			if err := s.Put(ctx, entry(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The cache's start-up load of 1,000 entries.
	b.Run("Cache/LoadAll1000", func(b *testing.B) {
		s := caches(b)
		for i := range 1000 {
			if err := s.Put(ctx, entry(i)); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			es, err := s.LoadAll(ctx)
			if err != nil || len(es) != 1000 {
				b.Fatal(len(es), err)
			}
		}
	})
	// One flush of the hits of 128 entries.
	b.Run("Cache/Touch128", func(b *testing.B) {
		s := caches(b)
		t, ok := s.(cache.Toucher)
		if !ok {
			b.Skip("the cache store records no use")
		}
		uses := make([]cache.Use, 128)
		for i := range uses {
			if err := s.Put(ctx, entry(i)); err != nil {
				b.Fatal(err)
			}
			uses[i].ID = entry(i).ID
		}
		for n := 0; b.Loop(); n++ {
			for i := range uses {
				uses[i].LastUsed, uses[i].Hits = t0.Add(time.Duration(n)*time.Second), int64(n)
			}
			if err := t.Touch(ctx, uses); err != nil {
				b.Fatal(err)
			}
		}
	})

	// One flush of the spending of 8 API keys.
	b.Run("Spend/Add8", func(b *testing.B) {
		s := open(b).Spend
		if s == nil {
			b.Skip("the backend has no spending store")
		}
		rows := make([]metrics.Spend, 8)
		for i := range rows {
			rows[i] = metrics.Spend{Day: t0, APIKey: fmt.Sprint("key", i), USD: 0.001}
		}
		for b.Loop() {
			if err := s.AddSpend(ctx, rows); err != nil {
				b.Fatal(err)
			}
		}
	})
}
