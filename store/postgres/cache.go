package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/store/internal/sqlstore"
)

// Change operations in cache_changes and notification payloads.
const (
	opPut    = "put"
	opDelete = "delete"
)

// CacheStore persists the semantic plan cache (cache.Store and cache.Toucher) in a DB
// and logs every Put and Delete for the replicas that follow it.
type CacheStore struct {
	db *DB
	// origin names the replica writing, so that its own follower skips its changes.
	origin string
	// loaded is the last change sequence number included in the last LoadAll, and
	// hasLoaded whether there was one: a Follower starts from there.
	loaded    atomic.Int64
	hasLoaded atomic.Bool
}

// CacheStore returns the cache store of d for the replica named origin: any string
// unique among the replicas (e.g. host and process id), white space replaced by '-'.
// Followers made from this store skip the changes it made. An empty origin gets a
// random one.
func (d *DB) CacheStore(origin string) *CacheStore {
	origin = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return '-'
		}
		return r
	}, origin)
	if origin == "" {
		var b [8]byte
		rand.Read(b[:])
		origin = hex.EncodeToString(b[:])
	}
	return &CacheStore{db: d, origin: origin}
}

// Origin is the replica name this store writes into the change log.
func (s *CacheStore) Origin() string { return s.origin }

var (
	_ cache.Store   = (*CacheStore)(nil)
	_ cache.Toucher = (*CacheStore)(nil)
)

// logChanges appends one change per id in tx, in commit order, and notifies the cache
// channel once. The transaction advisory lock serialises writers of the log from here to
// commit, so sequence numbers become visible in increasing order.
func (s *CacheStore) logChanges(ctx context.Context, tx pgx.Tx, op string, ids []string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, s.db.lockKey("cache_changes")); err != nil {
		return err
	}
	var last int64
	if err := tx.QueryRow(ctx, `WITH ins AS (INSERT INTO cache_changes (entry_id, op, origin)
		SELECT unnest($1::text[]), $2, $3 RETURNING seq) SELECT max(seq) FROM ins`, ids, op, s.origin).Scan(&last); err != nil {
		return err
	}
	id := ""
	if len(ids) == 1 {
		id = ids[0]
	}
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, s.db.channel, formatPayload(payload{Seq: last, Op: op, Origin: s.origin, ID: id, Count: len(ids)}))
	return err
}

// Put inserts or replaces an entry and logs the change, in one transaction.
func (s *CacheStore) Put(ctx context.Context, e cache.Entry) error {
	args, err := sqlstore.EntryArgs(e)
	if err != nil {
		return fmt.Errorf("postgres cache: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sqlstore.PutEntrySQL, args...); err != nil {
			return err
		}
		return s.logChanges(ctx, tx, opPut, []string{e.ID})
	})
	if err != nil {
		return fmt.Errorf("postgres cache: put %s: %w", e.ID, err)
	}
	return nil
}

// Delete removes entries by id, in one transaction.
func (s *CacheStore) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM cache_entries WHERE id = ANY($1)`, ids); err != nil {
			return err
		}
		return s.logChanges(ctx, tx, opDelete, ids)
	})
	if err != nil {
		return fmt.Errorf("postgres cache: delete: %w", err)
	}
	return nil
}

// Touch records last use and hit counts in one statement. Use is per replica and is
// not sent to the other replicas.
func (s *CacheStore) Touch(ctx context.Context, uses []cache.Use) error {
	if len(uses) == 0 {
		return nil
	}
	ids := make([]string, len(uses))
	used := make([]int64, len(uses))
	hits := make([]int64, len(uses))
	for i, u := range uses {
		ids[i], used[i], hits[i] = u.ID, sqlstore.UnixNanos(u.LastUsed), u.Hits
	}
	_, err := s.db.Pool.Exec(ctx, `UPDATE cache_entries AS e SET last_used_ns = u.used, hits = u.hits
		FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(id, used, hits) WHERE e.id = u.id`, ids, used, hits)
	if err != nil {
		return fmt.Errorf("postgres cache: touch: %w", err)
	}
	return nil
}

// LoadAll reads every entry. A row that cannot be decoded is an error naming its id.
func (s *CacheStore) LoadAll(ctx context.Context) ([]cache.Entry, error) {
	es, seq, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	s.loaded.Store(seq)
	s.hasLoaded.Store(true)
	return es, nil
}

// snapshot reads every entry and the last change sequence number in one repeatable-read
// transaction: the entries are exactly the state after that change.
func (s *CacheStore) snapshot(ctx context.Context) ([]cache.Entry, int64, error) {
	var out []cache.Entry
	var seq int64
	err := pgx.BeginTxFunc(ctx, s.db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(max(seq), 0) FROM cache_changes`).Scan(&seq); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, sqlstore.LoadEntriesSQL)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanEntry)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres cache: load: %w", err)
	}
	return out, seq, nil
}

// entries reads the entries with the given ids that exist.
func (s *CacheStore) entries(ctx context.Context, ids []string) ([]cache.Entry, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+sqlstore.EntryColumns+` FROM cache_entries WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres cache: read entries: %w", err)
	}
	es, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("postgres cache: read entries: %w", err)
	}
	return es, nil
}

func scanEntry(row pgx.CollectableRow) (cache.Entry, error) { return sqlstore.ScanEntry(row) }

// payload is a cache notification: the last change of one transaction. ID is set when
// the transaction changed one entry; Count is how many it changed.
type payload struct {
	Seq    int64
	Op     string
	Origin string
	ID     string
	Count  int
}

func formatPayload(p payload) string {
	return strconv.FormatInt(p.Seq, 10) + " " + p.Op + " " + strconv.Itoa(p.Count) + " " + p.Origin + " " + p.ID
}

var errBadPayload = errors.New("postgres: malformed cache notification")

func parsePayload(s string) (payload, error) {
	f := strings.SplitN(s, " ", 5)
	if len(f) != 5 {
		return payload{}, fmt.Errorf("%w: %q", errBadPayload, s)
	}
	seq, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || seq <= 0 {
		return payload{}, fmt.Errorf("%w: sequence in %q", errBadPayload, s)
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n < 1 || (f[1] != opPut && f[1] != opDelete) {
		return payload{}, fmt.Errorf("%w: %q", errBadPayload, s)
	}
	return payload{Seq: seq, Op: f[1], Count: n, Origin: f[3], ID: f[4]}, nil
}
