// Package sqlite is the embedded default store: one SQLite file in WAL mode (pure Go
// driver modernc.org/sqlite, no cgo).
//
// (*DB).CacheStore, HistoryStore, Runs and SpendStore implement the store interfaces
// their callers declare (cache.Store, history.Store, execute.RunStore,
// metrics.SpendStore and their optional companions); the SQL that reads and writes the
// tables is shared with store/postgres and both pass the same conformance suite
// (store/storetest). This package holds what is SQLite's own: the connection settings,
// the schema (schema.go) and the readiness probe. Open applies every pending migration
// in one transaction per migration, recording them in schema_migrations, so a database
// created by an older binary is upgraded in place.
//
// Durability: journal_mode=WAL with synchronous=FULL, so a committed transaction survives
// a process kill (SIGKILL) and a power loss; busy_timeout lets concurrent writers queue
// rather than fail.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/planwise/planwise/store/internal/sqlstore"
)

// MaxOpenConns bounds the connections (file descriptors) one DB opens.
const MaxOpenConns = 16

// DB is an open SQLite store. It is safe for concurrent use.
type DB struct {
	SQL  *sql.DB
	Path string

	sq        *sqlstore.DB
	stmts     *sqlstore.SQL // sq's statements, prepared once
	dsn       string
	probeOnce sync.Once
	probe     *sql.DB // Ready's own connection, never idle: it reads the file afresh
	probeErr  error
}

// Open opens (creating if needed) the database at path and applies pending migrations.
// Use ":memory:" for a private in-memory database (tests).
func Open(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	dsn := path
	if path == ":memory:" {
		dsn = "file::memory:?" + q.Encode()
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		dsn = "file:" + path + "?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if path == ":memory:" {
		// Every connection to :memory: is a different database: keep one.
		db.SetMaxOpenConns(1)
	} else {
		// SQLite has one writer at a time; more connections than a few readers and a
		// writer only add file descriptors (a burst once left 601 open) and lock
		// contention. Callers past the bound wait for a connection, within their context.
		db.SetMaxOpenConns(MaxOpenConns)
		db.SetMaxIdleConns(4)
		db.SetConnMaxIdleTime(time.Minute)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sq := sqlstore.NewSQL(db)
	d := &DB{SQL: db, Path: path, dsn: dsn, stmts: sq,
		sq: &sqlstore.DB{Querier: sq, Batch: sq.Batch, Dialect: sqlstore.Dialect{Name: "sqlite", NoLimit: "-1", RowKey: "rowid"}}}
	if err := sqlstore.Migrate(ctx, sq, "sqlite "+path, migrationsTable, migrations, d.applyMigration); err != nil {
		sq.Close()
		db.Close()
		return nil, err
	}
	return d, nil
}

// applyMigration runs m and records it, in one transaction.
func (d *DB) applyMigration(ctx context.Context, m sqlstore.Migration) error {
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.DDL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, sqlstore.RecordMigrationSQL, m.Concern, m.Version); err != nil {
		return err
	}
	return tx.Commit()
}

// Close closes the database.
func (d *DB) Close() error {
	d.stmts.Close()
	if d.probe != nil {
		d.probe.Close()
	}
	return d.SQL.Close()
}

// Ready checks that the database answers and that every table can be read (a read of
// each table's first page, so a corrupted file is seen): /readyz.
//
// It reads through a connection of its own that is closed after every check: the pool's
// connections keep pages cached, so a file damaged under them can look healthy to them
// until they read a page afresh.
func (d *DB) Ready(ctx context.Context) error {
	db := d.SQL
	if d.Path != ":memory:" {
		d.probeOnce.Do(func() {
			d.probe, d.probeErr = sql.Open("sqlite", d.dsn)
			if d.probe != nil {
				d.probe.SetMaxOpenConns(1)
				d.probe.SetMaxIdleConns(0)
			}
		})
		if d.probeErr != nil {
			return fmt.Errorf("sqlite %s: %w", d.Path, d.probeErr)
		}
		db = d.probe
	}
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return fmt.Errorf("sqlite %s: %w", d.Path, err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite %s: %w", d.Path, err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite %s: %w", d.Path, err)
	}
	for _, t := range tables {
		// SELECT * reads the table's own b-tree (a constant or count(*) would be
		// answered from an index).
		rows, err := db.QueryContext(ctx, `SELECT * FROM "`+t+`" LIMIT 1`)
		if err == nil {
			rows.Next()
			err = rows.Err()
			rows.Close()
		}
		if err != nil {
			return fmt.Errorf("sqlite %s: table %s: %w", d.Path, t, err)
		}
	}
	return nil
}
