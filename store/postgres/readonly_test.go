package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/store/postgres"
	"github.com/planwise/planwise/store/storetest"
)

// TestOpenExistingChangesNothing: OpenExisting (the commands that only read) neither
// creates a store where there is none nor migrates an older one: it says which, with the
// fix; once Open has migrated the database, it reads it as it is.
func TestOpenExistingChangesNothing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tables := func(dsn string) []string {
		t.Helper()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var names []string
		rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		return names
	}

	// An empty schema: no planwise store, and none made (not even schema_migrations).
	dsn := pgtest.DSN(t)
	_, err := postgres.OpenExisting(ctx, dsn)
	se, ok := errors.AsType[*postgres.SchemaError](err)
	if !ok || !se.Absent || !errors.Is(err, postgres.ErrNoSchema) || errors.Is(err, postgres.ErrSchemaOutdated) ||
		!strings.Contains(err.Error(), "no planwise store in PostgreSQL postgres@") || !strings.Contains(err.Error(), "schema "+se.Schema+" (fix: ") ||
		!strings.HasPrefix(se.Schema, "t_") {
		t.Fatalf("empty schema: %v (%+v)", err, se)
	}
	if got := tables(dsn); len(got) != 0 {
		t.Fatalf("OpenExisting created %v", got)
	}

	// A store an earlier planwise wrote: older, reported, and left as it was.
	dsn = pgtest.DSN(t)
	before := restoreEarlier(t, ctx, dsn)
	_, err = postgres.OpenExisting(ctx, dsn)
	se, ok = errors.AsType[*postgres.SchemaError](err)
	want := []string{"history/3", "history/4", "history/5", "history/6", "history/7", "runs/4"}
	if !ok || se.Absent || !slices.Equal(se.Pending, want) || !errors.Is(err, postgres.ErrSchemaOutdated) ||
		!strings.Contains(err.Error(), "migrations history/3, history/4, history/5, history/6, history/7, runs/4 are not applied") {
		t.Fatalf("earlier store: %v (%+v), want pending %v", err, se, want)
	}
	if got := tables(dsn); slices.Contains(got, "experiment_tallies") {
		t.Errorf("OpenExisting migrated: the tables are %v", got)
	}
	db := open(t, dsn)
	var after int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before+len(want) {
		t.Errorf("%d migrations after OpenExisting then Open, want %d: OpenExisting applied some", after, before+len(want))
	}

	// Migrated: read as it is.
	ro, err := postgres.OpenExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	storetest.CheckFilled(t, storetest.Stores{Cache: ro.CacheStore("reader"), History: ro.HistoryStore(), Runs: ro.Runs(), Spend: ro.SpendStore()})
}
