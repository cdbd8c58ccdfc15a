package sqlite_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/ids"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/store/storetest"
)

func open(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func stores(db *sqlite.DB) storetest.Stores {
	return storetest.Stores{Cache: db.CacheStore(), History: db.HistoryStore(), Runs: db.Runs(), Spend: db.SpendStore()}
}

// TestConformance runs the store suite on a database file; reopening closes the file
// and opens it again, as a restarted process does.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Stores, func() storetest.Stores) {
		path := filepath.Join(t.TempDir(), "planwise.db")
		db := open(t, path)
		t.Cleanup(func() { db.Close() })
		return stores(db), func() storetest.Stores {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			db = open(t, path)
			return stores(db)
		}
	})
}

// TestConformanceInMemory runs the suite on a private in-memory database (one
// connection), as tests use it.
func TestConformanceInMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Stores, func() storetest.Stores) {
		db := open(t, ":memory:")
		t.Cleanup(func() { db.Close() })
		return stores(db), nil
	})
}

// TestRunsFailedSaveLeavesNoRows: a save that fails while encoding writes no row at all.
func TestRunsFailedSaveLeavesNoRows(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "planwise.db"))
	defer db.Close()
	ok := &execute.Result{ID: "ok", Status: execute.RunSucceeded, Steps: []execute.StepResult{{ID: "s1", Tool: "t", Status: execute.StepSucceeded}}}
	bad := &execute.Result{ID: "bad", Status: execute.RunSucceeded, Steps: []execute.StepResult{{ID: "s1", Tool: "t", Status: execute.StepSucceeded,
		Output: map[string]any{"f": func() {}}}}}
	if err := db.Runs().SaveRuns(ctx, []execute.RunRecord{{Result: ok}, {Result: bad}}); err == nil {
		t.Fatal("unencodable output saved")
	}
	var runs, steps int
	if err := db.SQL.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM run_steps)`).Scan(&runs, &steps); err != nil {
		t.Fatal(err)
	}
	if runs != 0 || steps != 0 {
		t.Errorf("a failed save left %d runs and %d steps", runs, steps)
	}
}

// BenchmarkHistoryPutRecord measures one durable record insert (WAL, synchronous=FULL).
func BenchmarkHistoryPutRecord(b *testing.B) {
	ctx := context.Background()
	db := open(b, filepath.Join(b.TempDir(), "h.db"))
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

// BenchmarkHistoryPutRecordsBatch measures a cache-hit record (no embedding) written in
// batches of 128 and 1,024: CPU per record (ns/op is per record) and fsyncs amortised.
// BenchmarkHistoryPutRecordsIDs writes cache-hit records in batches of 1,024 into a table
// that already holds 100,000, keyed by random ids (what server and planner gave requests
// before) or by time-ordered ones (ids.New): a random key lands on a random page of the
// primary-key index, so a batch dirties about a page a record, written to the WAL and
// checkpointed again.
func BenchmarkHistoryPutRecordsIDs(b *testing.B) {
	random := func() string {
		var id [8]byte
		_, _ = rand.Read(id[:])
		return hex.EncodeToString(id[:])
	}
	for _, kind := range []struct {
		name string
		id   func() string
	}{{"random", random}, {"time-ordered", ids.New}} {
		b.Run(kind.name, func(b *testing.B) {
			ctx := context.Background()
			db := open(b, filepath.Join(b.TempDir(), "h.db"))
			defer db.Close()
			s := db.HistoryStore()
			p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"calculate","args":{"expression":"(12.5 + 7) * 3"}}]}`))
			batch := make([]*history.Record, 0, 1024)
			put := func() {
				batch = append(batch, &history.Record{ID: kind.id(), Tenant: "t", Request: "calculate (12.5 + 7) * 3",
					Plan: p, Source: "cache", Valid: true, Time: time.Now()})
				if len(batch) == cap(batch) {
					if err := s.PutRecords(ctx, batch); err != nil {
						b.Fatal(err)
					}
					batch = batch[:0]
				}
			}
			for range 100 * 1024 {
				put()
			}
			b.ResetTimer()
			for b.Loop() {
				put()
			}
		})
	}
}

func BenchmarkHistoryPutRecordsBatch(b *testing.B) {
	for _, size := range []int{128, 1024} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			ctx := context.Background()
			db := open(b, filepath.Join(b.TempDir(), "h.db"))
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

// TestCacheHitsShareRows: a batch of cache hits that nothing is attached to is one
// history_hits row per tenant, not a history_records row each (what makes a hit cheap to
// record); a hit with feedback is a record of its own.
func TestCacheHitsShareRows(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "planwise.db"))
	defer db.Close()
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"calculate","args":{"expression":"1 + 2"}}]}`))
	fb := 1
	var rs []*history.Record
	for i := range 100 {
		r := &history.Record{ID: ids.New(), Tenant: fmt.Sprint("t", i%2), Request: "calculate 1 + 2", Plan: p, Source: "cache", Valid: true, Time: time.Now()}
		if i == 7 {
			r.Feedback = &fb
		}
		rs = append(rs, r)
	}
	if err := db.HistoryStore().PutRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	var records, hitRows, hits int
	if err := db.SQL.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM history_records), (SELECT COUNT(*) FROM history_hits), (SELECT SUM(n) FROM history_hits)`).Scan(&records, &hitRows, &hits); err != nil {
		t.Fatal(err)
	}
	if records != 1 || hitRows != 2 || hits != 99 {
		t.Errorf("%d records, %d history_hits rows holding %d hits; want 1, 2 and 99", records, hitRows, hits)
	}
}

// TestUnreadableRecordsLeftOut: a stored record that cannot be decoded (a damaged row,
// a damaged row of cache hits) is left out of Records with an error wrapping
// history.ErrUnreadable, and the history still loads from the rest: one bad row used to
// stop `planwise serve` from starting.
func TestUnreadableRecordsLeftOut(t *testing.T) {
	ctx := context.Background()
	db := open(t, filepath.Join(t.TempDir(), "planwise.db"))
	defer db.Close()
	s := db.HistoryStore()
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"calculate","args":{"expression":"1 + 2"}}]}`))
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var rs []*history.Record
	for i := range 4 {
		rs = append(rs, &history.Record{ID: fmt.Sprint("llm-", i), Tenant: "t", Request: "calculate 1 + 2", Plan: p, Source: "llm", Valid: true, Time: at.Add(time.Duration(i) * time.Second)})
	}
	if err := s.PutRecords(ctx, rs); err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // two rows of cache hits
		hits := []*history.Record{{ID: fmt.Sprint("hit-", i), Tenant: "t", Request: "calculate 1 + 2", Plan: p, Source: "cache", Valid: true, Time: at.Add(time.Minute + time.Duration(i)*time.Second)}}
		if err := s.PutRecords(ctx, hits); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`UPDATE history_records SET plan_json = '{"steps": [' WHERE id = 'llm-1'`,
		`UPDATE history_hits SET records = X'00010203' WHERE ids = ',hit-0,'`,
	} {
		if _, err := db.SQL.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Records(ctx, history.Query{})
	if !errors.Is(err, history.ErrUnreadable) || !strings.Contains(err.Error(), ": 2 (") {
		t.Errorf("Records error %v, want one wrapping history.ErrUnreadable that counts 2", err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if want := []string{"hit-1", "llm-3", "llm-2", "llm-0"}; !slices.Equal(ids, want) {
		t.Errorf("Records returned %v, want the readable %v", ids, want)
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(ctx, s, emb, history.Options{Now: func() time.Time { return at.Add(time.Hour) }})
	if err != nil {
		t.Fatalf("the history did not load: %v", err)
	}
	if !errors.Is(h.Unreadable(), history.ErrUnreadable) {
		t.Errorf("Unreadable() = %v, want what was left out", h.Unreadable())
	}
	if _, err := s.GetRecord(ctx, "llm-1"); err == nil || errors.Is(err, history.ErrNotFound) {
		t.Errorf("the damaged record reads as %v, want its decoding error", err)
	}
}
