package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/planwise/planwise/store/internal/sqlstore"
)

// DB is an open PostgreSQL store. It is safe for concurrent use.
type DB struct {
	// Pool is the connection pool; other packages of planwise do not use it directly.
	Pool *pgxpool.Pool
	// Schema is the connection's current schema, which scopes lock keys and channels.
	Schema string

	sq      *sqlstore.DB // the statements shared with store/sqlite, run on Pool
	dsn     string
	where   string // user@host:port/database, for messages
	channel string
}

// ErrNoDSN is returned by Open when the DSN is empty.
var ErrNoDSN = errors.New("postgres: empty DSN (fix: set store.dsn, e.g. postgres://user@127.0.0.1:5432/planwise)")

// Open connects to the database named by dsn (a postgres:// URL or key=value string,
// as accepted by pgx) and applies pending migrations. See the package documentation.
func Open(ctx context.Context, dsn string) (*DB, error) {
	d, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := d.migrate(ctx); err != nil {
		d.Pool.Close()
		return nil, err
	}
	return d, nil
}

// OpenExisting connects like Open but changes nothing in the database: it applies no
// migration (nor creates schema_migrations). It is for a process that only reads (the
// planwise commands history, insights, experiments list), which must not change a
// shared database's schema behind its replicas. When the connection's schema holds no
// planwise store, or one that misses a migration this build applies, it returns a
// *SchemaError (errors.Is ErrNoSchema or ErrSchemaOutdated) saying which and how to
// fix it.
func OpenExisting(ctx context.Context, dsn string) (*DB, error) {
	d, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := d.checkSchema(ctx); err != nil {
		d.Pool.Close()
		return nil, err
	}
	return d, nil
}

// connect opens the pool and reads the connection's schema.
func connect(ctx context.Context, dsn string) (*DB, error) {
	if strings.TrimSpace(dsn) == "" {
		return nil, ErrNoDSN
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DSN: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	d := &DB{Pool: pool, dsn: dsn, where: redact(cfg.ConnConfig)}
	// current_schema() is NULL when no schema of the search path exists.
	if err := pool.QueryRow(ctx, `SELECT coalesce(current_schema(), '')`).Scan(&d.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect %s: %w", d.where, err)
	}
	d.channel = "planwise_cache." + d.Schema
	d.sq = &sqlstore.DB{Querier: querier{pool}, Batch: d.batch, Dialect: sqlstore.Dialect{Name: "postgres", NoLimit: "ALL", RowKey: "id"}}
	return d, nil
}

// ErrNoSchema and ErrSchemaOutdated are what a *SchemaError is (errors.Is).
var (
	ErrNoSchema       = errors.New("postgres: no planwise store in the database")
	ErrSchemaOutdated = errors.New("postgres: the planwise store is older than this build")
)

// SchemaError is OpenExisting's answer to a database whose planwise store it cannot
// read as it is: none at all (Absent), or one missing migrations this build applies
// (Pending, as "concern/version"). Open would create or migrate it.
type SchemaError struct {
	Database string // user@host:port/database, without the password
	Schema   string // the connection's current schema ("" when no schema of its search_path exists)
	Absent   bool
	Pending  []string
}

// Where names the store: the database and the schema.
func (e *SchemaError) Where() string {
	if e.Schema == "" {
		return "PostgreSQL " + e.Database + " (no schema of its search_path exists)"
	}
	return fmt.Sprintf("PostgreSQL %s, schema %s", e.Database, e.Schema)
}

func (e *SchemaError) Error() string {
	if e.Absent {
		return fmt.Sprintf("postgres: no planwise store in %s (fix: run planwise serve, plan or run once with this store.dsn to create it; or check the DSN's database and search_path)", e.Where())
	}
	missing := "migrations " + strings.Join(e.Pending, ", ") + " are"
	if len(e.Pending) == 1 {
		missing = "migration " + e.Pending[0] + " is"
	}
	return fmt.Sprintf("postgres: the planwise store in %s is older than this planwise: %s not applied, and a command that only reads does not change the schema (fix: run planwise serve, plan or run of this version once with this store.dsn to migrate it)",
		e.Where(), missing)
}

// Is makes errors.Is(err, ErrNoSchema) and errors.Is(err, ErrSchemaOutdated) true as fits.
func (e *SchemaError) Is(target error) bool {
	return (target == ErrNoSchema && e.Absent) || (target == ErrSchemaOutdated && !e.Absent)
}

// checkSchema returns a *SchemaError unless every migration of this build is applied.
func (d *DB) checkSchema(ctx context.Context) error {
	se := &SchemaError{Database: d.where, Schema: d.Schema}
	var exists bool
	if err := d.Pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: %s: read the schema: %w", d.where, err)
	}
	if !exists {
		se.Absent = true
		return se
	}
	pending, err := sqlstore.Pending(ctx, querier{d.Pool}, migrations)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", d.where, err)
	}
	if len(pending) == len(migrations) {
		se.Absent = true // the table alone (a migration that failed at once): nothing to read
		return se
	}
	for _, m := range pending {
		se.Pending = append(se.Pending, fmt.Sprintf("%s/%d", m.Concern, m.Version))
	}
	if len(se.Pending) > 0 {
		return se
	}
	return nil
}

// Close closes the pool. Followers and leaders started from d must be stopped first.
func (d *DB) Close() { d.Pool.Close() }

// migrate applies pending migrations (sqlstore.Migrate) on a connection holding a
// session advisory lock across the per-migration transactions: replicas starting
// together wait here and then find the migrations applied.
func (d *DB) migrate(ctx context.Context) error {
	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	key := d.lockKey("migrations")
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)
	return sqlstore.Migrate(ctx, querier{conn}, "postgres", migrationsTable, migrations, func(ctx context.Context, m sqlstore.Migration) error {
		return pgx.BeginFunc(ctx, conn.Conn(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.DDL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, sqlstore.RecordMigrationSQL, m.Concern, m.Version)
			return err
		})
	})
}

// batchTries bounds the runs of a batch that PostgreSQL keeps aborting to break deadlocks.
const batchTries = 3

// batch runs the statements in one transaction, sent as one pgx batch: one round trip.
// A transaction PostgreSQL aborted to break a deadlock (SQLSTATE 40P01) is run again, up
// to batchTries times: it was rolled back whole, and the other transaction, which went
// on, has its locks no longer. planwise's writers lock experiment_tallies' rows in one
// order (history 7, sqlstore's PutRecords), but a record moving between arms within a
// batch locks two at once, and other writers may lock in any order.
func (d *DB) batch(ctx context.Context, stmts []sqlstore.Stmt) error {
	var err error
	for range batchTries {
		b := &pgx.Batch{}
		for _, st := range stmts {
			b.Queue(st.SQL, st.Args...)
		}
		err = pgx.BeginFunc(ctx, d.Pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() })
		if pe, ok := errors.AsType[*pgconn.PgError](err); !ok || pe.Code != "40P01" {
			return err
		}
	}
	return err
}

// querier runs the shared statements (sqlstore.Querier) on pgx: a pool, a connection
// or a transaction.
type querier struct {
	q interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	}
}

// Exec implements sqlstore.Querier.
func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.q.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

// Query implements sqlstore.Querier.
func (q querier) Query(ctx context.Context, query string, args []any, row func(sqlstore.Scanner) error) error {
	rows, err := q.q.Query(ctx, query, args...)
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

// lockKey derives a 64-bit advisory lock key for a purpose within d's schema.
func (d *DB) lockKey(purpose string) int64 {
	h := fnv.New64a()
	h.Write([]byte("planwise\x00" + d.Schema + "\x00" + purpose))
	return int64(h.Sum64())
}

// redact names a connection without its password.
func redact(c *pgx.ConnConfig) string {
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Ready checks that the database answers and the runs table can be read: /readyz.
func (d *DB) Ready(ctx context.Context) error {
	var one int
	err := d.Pool.QueryRow(ctx, `SELECT 1 FROM runs LIMIT 1`).Scan(&one)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}
