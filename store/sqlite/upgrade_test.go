package sqlite_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/store/storetest"
)

// TestOpenEarlierDatabase opens a database file written by an earlier planwise and
// reads everything it holds. testdata/planwise-8463787.db.gz is the file
// storetest.Fill wrote through store/sqlite at commit 8463787 (before the stores
// shared their SQL), gzipped; Open must apply the two migrations added since (history 3,
// the cache hits' table; history 4, a record's no_plan and refused) and lose nothing.
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
	if after := migrations(t, path); before != 8 || after != before+2 {
		t.Errorf("%d migrations recorded before Open, %d after; want the 8 the file was made with, and history 3 and 4", before, after)
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
