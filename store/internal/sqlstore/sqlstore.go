// Package sqlstore is the SQL the SQLite and PostgreSQL stores share: every store
// interface (cache entries, history records and experiments, runs and their feedback,
// spending) implemented once, the schema migration runner and the column encodings.
//
// The statements are written once and are the same text for both databases: $n
// placeholders (SQL sends them to SQLite as ?), INSERT ... ON CONFLICT ... DO UPDATE,
// no arrays. What differs is in a small Dialect (the LIMIT that means "no limit", the
// cheapest row key for chunked deletes) and in how statements reach the database: a
// Querier (Exec, Query) and a batch function running statements in one transaction.
// store/sqlite runs them over database/sql (SQL: statements prepared once and kept, each
// distinct statement of a batch prepared once); store/postgres over pgx natively (a
// batch is one round trip) and overrides what it does with pgx alone: the cache's change
// log and notifications, and array statements.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Scanner is a row being read: *sql.Rows, *sql.Row, pgx.Rows and pgx.Row all are.
type Scanner interface {
	Scan(dest ...any) error
}

// Querier runs statements.
type Querier interface {
	// Exec runs a statement and returns how many rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Query runs a query and calls row for each row, in order, until row returns an
	// error; it returns that error or the query's.
	Query(ctx context.Context, query string, args []any, row func(Scanner) error) error
}

// Dialect is what differs in the SQL of the databases.
type Dialect struct {
	// Name prefixes error messages: "sqlite", "postgres".
	Name string
	// NoLimit is the LIMIT of a query that skips rows (OFFSET) but keeps all the rest:
	// SQLite -1, PostgreSQL ALL.
	NoLimit string
	// RowKey is the cheapest key naming one row of a table, for chunked deletes
	// (SQLite rowid; PostgreSQL the primary key).
	RowKey string
}

// DB is a database the stores run on. The stores over it are safe for concurrent use.
type DB struct {
	Querier
	Dialect
	// Batch runs stmts in order in one transaction (all or none).
	Batch func(ctx context.Context, stmts []Stmt) error
}

// Stmt is one statement of a batch.
type Stmt struct {
	SQL  string
	Args []any
}

// batch runs stmts in one transaction; nothing is sent for none.
func (d *DB) batch(ctx context.Context, stmts []Stmt) error {
	if len(stmts) == 0 {
		return nil
	}
	return d.Batch(ctx, stmts)
}

// errorf formats an error of the store named what ("history", "cache"...), prefixed by
// the dialect's name.
func (d *DB) errorf(what, format string, args ...any) error {
	return fmt.Errorf(d.Name+" "+what+": "+format, args...)
}

// SQL is a Querier over database/sql. It sends the shared statements with ? for $n
// (modernc.org/sqlite binds $n by name, which costs an allocation per parameter and
// value: a 33-column history insert took 74 allocations a row instead of 41), and
// prepares each statement once and keeps it: SQLite compiles a statement on every
// unprepared call, and the shared upserts (ON CONFLICT ... DO UPDATE SET every column)
// cost more to compile than the INSERT OR REPLACE store/sqlite used before.
type SQL struct {
	DB *sql.DB

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// maxStmts bounds the statements an SQL keeps prepared. The statements are this
// package's constants and the few shapes it builds (filters of Records, chunks of
// Delete); past the bound, a statement is sent unprepared.
const maxStmts = 128

// NewSQL returns a Querier over db. Close releases its prepared statements.
func NewSQL(db *sql.DB) *SQL { return &SQL{DB: db, stmts: map[string]*sql.Stmt{}} }

// Close closes the prepared statements (not the database).
func (q *SQL) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for k, st := range q.stmts {
		st.Close()
		delete(q.stmts, k)
	}
	return nil
}

// kept returns query's kept statement, nil if there is none.
func (q *SQL) kept(query string) *sql.Stmt {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.stmts[query]
}

// stmt returns query prepared on the database, preparing it on first use; nil when
// maxStmts statements are already kept. It is not called inside a transaction: the
// preparation takes a connection of its own (one in-memory database has only one).
func (q *SQL) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := q.kept(query); st != nil {
		return st, nil
	}
	q.mu.RLock()
	full := len(q.stmts) >= maxStmts
	q.mu.RUnlock()
	if full {
		return nil, nil
	}
	st, err := q.DB.PrepareContext(ctx, positional(query))
	if err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if other, ok := q.stmts[query]; ok { // prepared meanwhile by another caller
		st.Close()
		return other, nil
	}
	if len(q.stmts) >= maxStmts {
		st.Close()
		return nil, nil
	}
	q.stmts[query] = st
	return st, nil
}

// Exec implements Querier.
func (q *SQL) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return 0, err
	}
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = q.DB.ExecContext(ctx, positional(query), args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Query implements Querier.
func (q *SQL) Query(ctx context.Context, query string, args []any, row func(Scanner) error) error {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return err
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = q.DB.QueryContext(ctx, positional(query), args...)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Batch runs stmts in order in one database/sql transaction, each distinct statement
// prepared once: a batch of a thousand rows parses its insert once, not a thousand
// times. A statement is kept prepared across batches (prepared before the transaction
// takes its connection): the history queue's batches are mostly one insert of cache
// hits, which compiling again every batch cost about half a microsecond a hit.
func (q *SQL) Batch(ctx context.Context, stmts []Stmt) error {
	kept := map[string]*sql.Stmt{} // nil for a statement past maxStmts
	for _, st := range stmts {
		if _, ok := kept[st.SQL]; !ok {
			ks, err := q.stmt(ctx, st.SQL)
			if err != nil {
				return err
			}
			kept[st.SQL] = ks
		}
	}
	tx, err := q.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	prepared := map[string]*sql.Stmt{} // closed with the transaction
	for _, st := range stmts {
		ps := prepared[st.SQL]
		if ps == nil {
			if ks := kept[st.SQL]; ks != nil {
				ps = tx.StmtContext(ctx, ks)
			} else if ps, err = tx.PrepareContext(ctx, positional(st.SQL)); err != nil {
				return err
			}
			prepared[st.SQL] = ps
		}
		if _, err := ps.ExecContext(ctx, st.Args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// rewritten caches positional's results: the statements are this package's constants
// and the few shapes it builds (filters of Records, chunks of Delete), so the cache is
// bounded by the code, and a statement is rewritten once rather than on every call.
var rewritten sync.Map // string -> string

// positional rewrites the parameters $1, $2, ... $n of q to ? when they appear in that
// order, each once, as the shared statements number them; any other q is returned as
// it is ($n binds by name).
func positional(q string) string {
	if strings.IndexByte(q, '$') < 0 {
		return q
	}
	if r, ok := rewritten.Load(q); ok {
		return r.(string)
	}
	r := rewrite(q)
	rewritten.Store(q, r)
	return r
}

func rewrite(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	next := 1
	for i := 0; i < len(q); i++ {
		if q[i] != '$' {
			b.WriteByte(q[i])
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(q[i+1 : j]); err != nil || n != next {
			return q
		}
		next++
		b.WriteByte('?')
		i = j - 1
	}
	return b.String()
}
