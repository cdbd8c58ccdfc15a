package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migration is one schema change of one concern.
type migration struct {
	concern string
	version int
	ddl     string
}

// migrations are applied in (concern, version) order; append, never edit.
var migrations = []migration{
	{"cache", 1, cacheDDL},
	{"runs", 1, runsDDL},
	{"history", 1, historyDDL},
	{"runs", 2, runsV2},
	{"runs", 3, runsV3},
	{"spend", 1, spendDDL},
	{"history", 2, historyV2},
}

// DB is an open PostgreSQL store. It is safe for concurrent use.
type DB struct {
	// Pool is the connection pool; other packages of planwise do not use it directly.
	Pool *pgxpool.Pool
	// Schema is the connection's current schema, which scopes lock keys and channels.
	Schema string

	dsn     string
	channel string
}

// ErrNoDSN is returned by Open when the DSN is empty.
var ErrNoDSN = errors.New("postgres: empty DSN (fix: set store.dsn, e.g. postgres://user@127.0.0.1:5432/planwise)")

// Open connects to the database named by dsn (a postgres:// URL or key=value string,
// as accepted by pgx) and applies pending migrations. See the package documentation.
func Open(ctx context.Context, dsn string) (*DB, error) {
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
	d := &DB{Pool: pool, dsn: dsn}
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&d.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect %s: %w", redact(cfg.ConnConfig), err)
	}
	d.channel = "planwise_cache." + d.Schema
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the pool. Followers and leaders started from d must be stopped first.
func (d *DB) Close() { d.Pool.Close() }

// lockKey derives a 64-bit advisory lock key for a purpose within d's schema.
func (d *DB) lockKey(purpose string) int64 {
	h := fnv.New64a()
	h.Write([]byte("planwise\x00" + d.Schema + "\x00" + purpose))
	return int64(h.Sum64())
}

func (d *DB) migrate(ctx context.Context) error {
	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	key := d.lockKey("migrations")
	// A session lock, held across the per-migration transactions: replicas starting
	// together wait here and then find the migrations applied.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key)

	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		concern TEXT NOT NULL, version INTEGER NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (concern, version))`); err != nil {
		return fmt.Errorf("postgres: create schema_migrations: %w", err)
	}
	applied := map[[2]any]bool{}
	rows, err := conn.Query(ctx, `SELECT concern, version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("postgres: read migrations: %w", err)
	}
	for rows.Next() {
		var c string
		var v int
		if err := rows.Scan(&c, &v); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: read migrations: %w", err)
		}
		applied[[2]any{c, v}] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: read migrations: %w", err)
	}
	ms := append([]migration(nil), migrations...)
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].concern != ms[j].concern {
			return ms[i].concern < ms[j].concern
		}
		return ms[i].version < ms[j].version
	})
	for _, m := range ms {
		if applied[[2]any{m.concern, m.version}] {
			continue
		}
		err := pgx.BeginFunc(ctx, conn.Conn(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.ddl); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (concern, version) VALUES ($1, $2)`, m.concern, m.version)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s/%d: %w", m.concern, m.version, err)
		}
	}
	return nil
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
