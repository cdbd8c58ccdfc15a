// Package sqlite is the embedded default store: one SQLite file in WAL mode (pure Go
// driver modernc.org/sqlite, no cgo).
//
// Each concern (cache entries, runs, history, experiments, alerts) lives in its own file
// of this package, registers its schema migrations with register at init, and implements
// the small store interface its caller declares (cache.Store, execute.RunStore, ...).
// Open applies every pending migration in one transaction per migration, recording them
// in schema_migrations, so a database created by an older binary is upgraded in place.
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
	"sort"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// migration is one schema change of one concern.
type migration struct {
	concern string
	version int
	ddl     string
}

var (
	regMu      sync.Mutex
	migrations []migration
)

// register adds a migration; called from init functions of this package's files.
func register(concern string, version int, ddl string) {
	regMu.Lock()
	defer regMu.Unlock()
	migrations = append(migrations, migration{concern, version, ddl})
}

// MaxOpenConns bounds the connections (file descriptors) one DB opens.
const MaxOpenConns = 16

// DB is an open SQLite store. It is safe for concurrent use.
type DB struct {
	SQL  *sql.DB
	Path string

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
	d := &DB{SQL: db, Path: path, dsn: dsn}
	if err := d.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error {
	if d.probe != nil {
		d.probe.Close()
	}
	return d.SQL.Close()
}

func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.SQL.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		concern TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (concern, version))`); err != nil {
		return fmt.Errorf("sqlite %s: create schema_migrations: %w", d.Path, err)
	}
	regMu.Lock()
	ms := append([]migration(nil), migrations...)
	regMu.Unlock()
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].concern != ms[j].concern {
			return ms[i].concern < ms[j].concern
		}
		return ms[i].version < ms[j].version
	})
	for _, m := range ms {
		var n int
		if err := d.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE concern=? AND version=?`, m.concern, m.version).Scan(&n); err != nil {
			return fmt.Errorf("sqlite %s: read migrations: %w", d.Path, err)
		}
		if n > 0 {
			continue
		}
		tx, err := d.SQL.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.ddl); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite %s: migration %s/%d: %w", d.Path, m.concern, m.version, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(concern, version) VALUES (?, ?)`, m.concern, m.version); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite %s: migration %s/%d: %w", d.Path, m.concern, m.version, err)
		}
	}
	return nil
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
