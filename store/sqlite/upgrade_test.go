package sqlite_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/store/storetest"
)

// TestOpenEarlierDatabase opens a database file written by an earlier planwise and
// reads everything it holds. testdata/planwise-8463787.db.gz is the file
// storetest.Fill wrote through store/sqlite at commit 8463787 (before the stores
// shared their SQL), gzipped; Open must apply the five migrations added since (history
// 3, the cache hits' table; history 4, a record's no_plan and refused; history 5, the
// experiments' tallies, seeded from the records; history 6, the tallies kept with the
// records; runs 4, a run's history id) and lose nothing.
func TestOpenEarlierDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "planwise.db")
	gunzip(t, "testdata/planwise-8463787.db.gz", path)
	before := migrations(t, path)
	db := open(t, path)
	defer db.Close()
	storetest.CheckFilled(t, stores(db))
	if err := db.Ready(context.Background()); err != nil {
		t.Fatalf("ready: %v", err)
	}
	if after := migrations(t, path); before != 8 || after != before+5 {
		t.Errorf("%d migrations recorded before Open, %d after; want the 8 the file was made with, and history 3, 4, 5 and 6 and runs 4", before, after)
	}
	// The record of experiment fill-x is counted (a request; its valid plan was a
	// fallback's, not the model's).
	if got, err := db.HistoryStore().Tallies(context.Background(), "fill-x"); err != nil ||
		len(got) != 1 || got["concise"] != (history.Tally{Requests: 1}) {
		t.Errorf("tallies of fill-x %+v, %v; want concise: 1 request", got, err)
	}
}

// migrations counts the migrations recorded in the file at path.
func migrations(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func gunzip(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
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
			DROP TRIGGER history_records_tally_insert; DROP TRIGGER history_records_tally_update; DROP TRIGGER history_records_tally_delete;
			DELETE FROM schema_migrations WHERE concern = 'history' AND version = 6`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "planwise.db")
			db := open(t, path)
			storetest.CheckTalliesSeeded(t, db.HistoryStore(), func() history.Store {
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				raw, err := sql.Open("sqlite", "file:"+path)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := raw.Exec(tc.undo); err != nil {
					t.Fatal(err)
				}
				if err := raw.Close(); err != nil {
					t.Fatal(err)
				}
				db = open(t, path)
				t.Cleanup(func() { db.Close() })
				return db.HistoryStore()
			})
		})
	}
}
