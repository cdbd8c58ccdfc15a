package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/execute/runstoretest"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/metrics/spendtest"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/store/postgres"
)

func open(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// TestOpenConcurrentReplicas starts several replicas on an empty schema at once: the
// advisory lock must let exactly one apply each migration, and every Open succeed.
func TestOpenConcurrentReplicas(t *testing.T) {
	dsn := pgtest.DSN(t)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	dbs := make([]*postgres.DB, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = postgres.Open(context.Background(), dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	var rows, distinct int
	if err := dbs[0].Pool.QueryRow(context.Background(),
		`SELECT count(*), count(DISTINCT (concern, version)) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != distinct || rows < 2 {
		t.Fatalf("schema_migrations has %d rows, %d distinct: want each migration once", rows, distinct)
	}
	// Reopening applies nothing and fails on nothing.
	open(t, dsn)
}

func TestOpenRejectsEmptyDSN(t *testing.T) {
	if _, err := postgres.Open(context.Background(), " "); !errors.Is(err, postgres.ErrNoDSN) {
		t.Fatalf("err = %v, want ErrNoDSN", err)
	}
}

// TestCacheStoreRoundTrip: entries come back exactly (vectors bit for bit, times to the
// nanosecond), Touch updates use, Delete removes.
func TestCacheStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.DSN(t))
	s := db.CacheStore("replica-a")
	now := time.Unix(1_790_000_000, 123_456_789).UTC()
	e := cache.Entry{
		ID: "e1", Namespace: cache.Namespace{Registry: "r1", Prompt: "p1", Tier: "simple", Tenant: "acme"},
		Request: "Email Bob the report", Normalized: "email bob the report", Template: "email {name} the report",
		Slots:    []slot.Slot{{Kind: slot.Name, Text: "Bob", Value: "Bob", Start: 6, End: 9}},
		Plan:     &plan.Plan{Goal: "email", Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "Bob"}}}},
		Embedder: "local-512", Vector: []float32{0.25, -1.5, 3.0e-8, 1}, Created: now, LastUsed: now, Hits: 2,
	}
	if err := s.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	e2 := e
	e2.ID, e2.Request = "e2", "Email Bob the slides"
	if err := s.Put(ctx, e2); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "e1" {
		t.Fatalf("LoadAll = %d entries", len(got))
	}
	if !reflect.DeepEqual(got[0].Vector, e.Vector) || !got[0].Created.Equal(now) || got[0].Hits != 2 ||
		got[0].Namespace != e.Namespace || got[0].Template != e.Template || !reflect.DeepEqual(got[0].Slots, e.Slots) ||
		string(got[0].Plan.JSON()) != string(e.Plan.JSON()) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got[0], e)
	}
	later := now.Add(time.Hour)
	if err := s.Touch(ctx, []cache.Use{{ID: "e1", LastUsed: later, Hits: 9}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "e2", "absent"); err != nil {
		t.Fatal(err)
	}
	got, err = s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Hits != 9 || !got[0].LastUsed.Equal(later) {
		t.Fatalf("after touch and delete: %+v", got)
	}
	if err := s.Put(ctx, cache.Entry{ID: "noplan"}); err == nil {
		t.Fatal("Put of an entry without a plan succeeded")
	}
}

// TestRunsRoundTrip mirrors the SQLite run store's contract.
func TestRunsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.DSN(t))
	runs := db.Runs()
	start := time.Unix(1_790_000_000, 5).UTC()
	r := &execute.Result{ID: "run1", Status: "succeeded", Started: start, Finished: start.Add(time.Second), DurationMS: 1000,
		Steps: []execute.StepResult{
			{ID: "s1", Tool: "get_weather", Status: "succeeded", Output: map[string]any{"summary": "sunny", "temperature_c": 21.5},
				Attempts: 1, Started: start, Finished: start.Add(time.Millisecond), DurationMS: 1},
			{ID: "s2", Tool: "send_sms", Status: "failed", Error: "boom", Simulated: true, Attempts: 3, Items: 2},
		}}
	meta := execute.RunMeta{Request: "weather then sms", Plan: []byte(`{"steps":[]}`), Tenant: "acme", APIKeyHash: "h", Source: "cache", Created: start}
	if err := runs.SaveRun(ctx, r, meta); err != nil {
		t.Fatal(err)
	}
	got, gotMeta, err := runs.GetRun(ctx, "run1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("run differs:\n got %+v\nwant %+v", got, r)
	}
	if !reflect.DeepEqual(gotMeta, meta) {
		t.Fatalf("meta differs:\n got %+v\nwant %+v", gotMeta, meta)
	}
	if err := runs.SaveFeedback(ctx, "run1", execute.Feedback{Rating: -1, Comment: "wrong city", Time: start}); err != nil {
		t.Fatal(err)
	}
	// Saving again replaces steps and keeps feedback.
	r.Steps = r.Steps[:1]
	if err := runs.SaveRun(ctx, r, meta); err != nil {
		t.Fatal(err)
	}
	got, _, err = runs.GetRun(ctx, "run1")
	if err != nil || len(got.Steps) != 1 {
		t.Fatalf("after re-save: %v, %d steps", err, len(got.Steps))
	}
	fb, err := runs.Feedback(ctx, "run1")
	if err != nil || len(fb) != 1 || fb[0].Rating != -1 || fb[0].Comment != "wrong city" || !fb[0].Time.Equal(start) {
		t.Fatalf("feedback = %+v, %v", fb, err)
	}
	if _, _, err := runs.GetRun(ctx, "nope"); !errors.Is(err, execute.ErrRunNotFound) {
		t.Fatalf("GetRun(absent) = %v", err)
	}
	if err := runs.SaveFeedback(ctx, "nope", execute.Feedback{Rating: 1}); !errors.Is(err, execute.ErrRunNotFound) {
		t.Fatalf("SaveFeedback(absent) = %v", err)
	}
	if err := runs.SaveFeedback(ctx, "run1", execute.Feedback{Rating: 5}); !errors.Is(err, execute.ErrInvalidFeedback) {
		t.Fatalf("SaveFeedback(rating 5) = %v", err)
	}
}

func TestRunStoreConformance(t *testing.T) {
	runstoretest.Run(t, func(t *testing.T) execute.RunStore { return open(t, pgtest.DSN(t)).Runs() })
}

func TestSpendStoreConformance(t *testing.T) {
	spendtest.Run(t, open(t, pgtest.DSN(t)).SpendStore())
}
