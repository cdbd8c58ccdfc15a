package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/store/postgres"
	"github.com/planwise/planwise/store/storetest"
)

func open(t testing.TB, dsn string) *postgres.DB {
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

// TestConformance runs the store suite on a schema of its own; reopening opens the
// schema again as another replica (the first stays open).
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Stores, func() storetest.Stores) {
		dsn := pgtest.DSN(t)
		stores := func(db *postgres.DB) storetest.Stores {
			return storetest.Stores{Cache: db.CacheStore(""), History: db.HistoryStore(), Runs: db.Runs(), Spend: db.SpendStore()}
		}
		return stores(open(t, dsn)), func() storetest.Stores { return stores(open(t, dsn)) }
	})
}
