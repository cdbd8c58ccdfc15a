package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/store/storetest"
)

// fixtureSchema is the schema testdata/planwise-8463787.sql was dumped from.
const fixtureSchema = "fixture_8463787"

// TestOpenEarlierDatabase opens a database written by an earlier planwise and reads
// everything it holds. testdata/planwise-8463787.sql is the dump (pg_dump 15 --schema
// --inserts --no-owner --no-privileges --no-comments) of a schema storetest.Fill wrote
// through store/postgres at commit 8463787 (before the stores shared their SQL). It is
// restored into the test's schema: psql's meta-commands and the CREATE SCHEMA are left
// out, and the schema's name replaced. Open applies the six migrations added since.
func TestOpenEarlierDatabase(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	before := restoreEarlier(t, ctx, dsn)
	db := open(t, dsn)
	storetest.CheckFilled(t, storetest.Stores{Cache: db.CacheStore("after"), History: db.HistoryStore(), Runs: db.Runs(), Spend: db.SpendStore()})
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("ready: %v", err)
	}
	if before != 7 {
		t.Errorf("%d migrations recorded, want the 7 the database was made with", before)
	}
	var after int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&after); err != nil || after != before+6 {
		t.Errorf("%d migrations after Open (%v), want %d: history 3 (the cache hits' table), history 4 (a record's no_plan and refused), "+
			"history 5 (the experiments' tallies), history 6 (the tallies kept with the records), history 7 (a move's tally rows locked in order), runs 4 (a run's history id) and none else", after, err, before+6)
	}
	// The record of experiment fill-x is counted (a request; its valid plan was a
	// fallback's, not the model's).
	if got, err := db.HistoryStore().Tallies(ctx, "fill-x"); err != nil || len(got) != 1 || got["concise"] != (history.Tally{Requests: 1}) {
		t.Errorf("tallies of fill-x %+v, %v; want concise: 1 request", got, err)
	}
}

// TestTalliesSeededByMigration: the migrations that added the experiments' tallies
// (history 5) and keep them with the records (history 6) count the records a database
// already held, as history.Tally.Add does: history 6 counts them again over tallies that
// had drifted.
func TestTalliesSeededByMigration(t *testing.T) {
	for _, tc := range []struct{ name, undo string }{
		{"history 5", `DROP TABLE experiment_tallies; DELETE FROM schema_migrations WHERE concern = 'history' AND version = 5`},
		{"history 6", `UPDATE experiment_tallies SET requests = requests + 7, valid = 0;
			INSERT INTO experiment_tallies VALUES ('x1', 'gone', 3, 3, 3, 0);
			DROP FUNCTION history_records_tally() CASCADE;
			DELETE FROM schema_migrations WHERE concern = 'history' AND version >= 6`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := pgtest.DSN(t)
			db := open(t, dsn)
			storetest.CheckTalliesSeeded(t, db.HistoryStore(), func() history.Store {
				if _, err := db.Pool.Exec(context.Background(), tc.undo); err != nil {
					t.Fatal(err)
				}
				return open(t, dsn).HistoryStore()
			})
		})
	}
}

// restoreEarlier restores testdata/planwise-8463787.sql into dsn's schema (see
// TestOpenEarlierDatabase) and returns how many migrations it records.
func restoreEarlier(t *testing.T, ctx context.Context, dsn string) int {
	t.Helper()
	dump, err := os.ReadFile("testdata/planwise-8463787.sql")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	for line := range strings.Lines(string(dump)) {
		if strings.HasPrefix(line, `\`) || strings.HasPrefix(line, "CREATE SCHEMA ") {
			continue
		}
		script.WriteString(strings.ReplaceAll(line, fixtureSchema+".", schema+"."))
	}
	if _, err := conn.Exec(ctx, script.String()); err != nil {
		t.Fatalf("restore the dump: %v", err)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{schema, "schema_migrations"}.Sanitize()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
