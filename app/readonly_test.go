package app_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/store/postgres"
)

// A read-only app (planwise history, insights, experiments list) creates no SQLite store
// where none exists: it reads an empty history and names the file it did not find (the
// CLI's test checks the data directory is not created either). Once a command that writes has created the store, the same options read it.
func TestReadOnlyCreatesNoStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(dir, "planwise.db")

	read := func() (string, int) {
		t.Helper()
		a, err := app.New(ctx, &cfg, app.Options{ReadOnly: true, Stderr: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		l, err := a.Learning(ctx, planner.DefaultTenant)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := l.History(ctx, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		missing, err := a.StoreMissing(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return missing, len(rs)
	}
	missing, n := read()
	if missing != cfg.Store.Path || n != 0 {
		t.Errorf("StoreMissing %q with %d records; want %q and none", missing, n, cfg.Store.Path)
	}
	if files, err := os.ReadDir(dir); err != nil || len(files) > 0 {
		t.Fatalf("a read-only app created %v in the store's directory (%v)", files, err)
	}

	// A writing app creates the store and records a request; a read-only one reads it.
	w, err := app.New(ctx, &cfg, app.Options{Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Planner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Plan(ctx, planner.Request{Text: "calculate 2 + 3"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if missing, n = read(); missing != "" || n != 1 {
		t.Errorf("after a write: StoreMissing %q with %d records; want none missing and 1 record", missing, n)
	}
}

// A store.path in a directory that does not exist yet is created by a command that
// writes, and said on stderr; a read-only one still creates nothing there (issue 14).
func TestStorePathDirectoryCreatedForWriting(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(root, "new", "dir", "planwise.db")

	r, err := app.New(ctx, &cfg, app.Options{ReadOnly: true, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Learning(ctx, planner.DefaultTenant); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := os.Stat(filepath.Join(root, "new")); !os.IsNotExist(err) {
		t.Fatalf("a read-only app created the store's directory (%v)", err)
	}

	var stderr strings.Builder
	w, err := app.New(ctx, &cfg, app.Options{Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p, err := w.Planner(ctx)
	if err != nil {
		t.Fatalf("a writing app with store.path in a missing directory: %v", err)
	}
	if _, err := p.Plan(ctx, planner.Request{Text: "calculate 2 + 3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cfg.Store.Path); err != nil {
		t.Errorf("store not created: %v", err)
	}
	if want := "created the directory " + filepath.Dir(cfg.Store.Path) + " for store.path"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q; want %q", stderr.String(), want)
	}
}

// StoreMissing answers the same whenever it is called: first, before anything opened
// the store, as after a read (it returned "" until the store was opened); and an app
// that writes has no store missing, before or after it creates the file.
func TestStoreMissingWhateverTheOrder(t *testing.T) {
	ctx := context.Background()
	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(t.TempDir(), "planwise.db")
	for _, first := range []bool{true, false} {
		a, err := app.New(ctx, &cfg, app.Options{ReadOnly: true, Stderr: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		if !first {
			if _, err := a.Learning(ctx, planner.DefaultTenant); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if missing, err := a.StoreMissing(ctx); err != nil || missing != cfg.Store.Path {
				t.Errorf("read-only, StoreMissing first %v: %q, %v; want %q", first, missing, err, cfg.Store.Path)
			}
		}
		a.Close()
		if _, err := os.Stat(cfg.Store.Path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a read-only app's StoreMissing created the store: %v", err)
		}
	}
	w, err := app.New(ctx, &cfg, app.Options{Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if missing, err := w.StoreMissing(ctx); err != nil || missing != "" {
		t.Errorf("an app that writes: StoreMissing %q, %v; want \"\"", missing, err)
	}
	if _, err := os.Stat(cfg.Store.Path); err != nil {
		t.Errorf("the writing app did not create its store: %v", err)
	}
}

// With PostgreSQL, a read-only app (planwise history, insights, experiments list)
// applies no migration: with no planwise store in the database it creates none and
// reads an empty history (StoreMissing says where it looked); with a store older than
// this build it fails saying how to migrate, and leaves it as it was (issue 14).
func TestReadOnlyPostgresMigratesNothing(t *testing.T) {
	dsn := pgtest.DSN(t)
	// planwise reads every PLANWISE_* variable as configuration: hide the test's own.
	t.Setenv(pgtest.EnvDSN, "")
	os.Unsetenv(pgtest.EnvDSN)
	ctx := context.Background()
	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Store.DSN = "postgres", dsn
	db, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const tables = `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`

	read := func() (string, int, error) {
		t.Helper()
		a, err := app.New(ctx, &cfg, app.Options{ReadOnly: true, Stderr: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		l, err := a.Learning(ctx, planner.DefaultTenant)
		if err != nil {
			return "", 0, err
		}
		rs, err := l.History(ctx, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		missing, err := a.StoreMissing(ctx)
		return missing, len(rs), err
	}
	missing, n, err := read()
	if err != nil || !strings.HasPrefix(missing, "the planwise store in PostgreSQL postgres@") || n != 0 {
		t.Errorf("no store: StoreMissing %q with %d records (%v); want the database named and none", missing, n, err)
	}
	if got := count(tables); got != 0 {
		t.Fatalf("a read-only app created %d tables", got)
	}

	// A writing app creates the store and records a request; a read-only one reads it.
	w, err := app.New(ctx, &cfg, app.Options{Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Planner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Plan(ctx, planner.Request{Text: "calculate 2 + 3"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if missing, n, err = read(); err != nil || missing != "" || n != 1 {
		t.Errorf("after a write: StoreMissing %q with %d records (%v); want none missing and 1 record", missing, n, err)
	}

	// A store from before the experiments' tallies (history 5): said, and not migrated.
	if _, err := db.Exec(ctx, `DROP TABLE experiment_tallies; DELETE FROM schema_migrations WHERE concern = 'history' AND version = 5`); err != nil {
		t.Fatal(err)
	}
	migrations := count(`SELECT count(*) FROM schema_migrations`)
	if _, _, err = read(); !errors.Is(err, postgres.ErrSchemaOutdated) || !strings.Contains(err.Error(), "migration history/5 is not applied") ||
		!strings.Contains(err.Error(), "fix: run planwise serve, plan or run") {
		t.Errorf("an older store read: %v; want ErrSchemaOutdated naming history/5 and the fix", err)
	}
	if got := count(`SELECT count(*) FROM schema_migrations`); got != migrations {
		t.Errorf("%d migrations after the read-only app, want %d", got, migrations)
	}
}
