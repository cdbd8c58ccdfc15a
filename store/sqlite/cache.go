package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/planwise/planwise/store/internal/rowcodec"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/plan"
)

// Cache entries: one row per entry. Vectors are little-endian float32 blobs, slots and
// plans JSON text, times Unix nanoseconds.
const cacheDDL = `
CREATE TABLE cache_entries (
	id          TEXT PRIMARY KEY,
	ns_registry TEXT NOT NULL,
	ns_prompt   TEXT NOT NULL,
	ns_tier     TEXT NOT NULL,
	ns_tenant   TEXT NOT NULL,
	request     TEXT NOT NULL,
	normalized  TEXT NOT NULL,
	template    TEXT NOT NULL,
	slots_json  TEXT NOT NULL,
	plan_json   TEXT NOT NULL,
	embedder    TEXT NOT NULL,
	vector      BLOB NOT NULL,
	created_ns  INTEGER NOT NULL,
	last_used_ns INTEGER NOT NULL,
	hits        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cache_entries_ns ON cache_entries (ns_registry, ns_prompt, ns_tier, ns_tenant);
`

func init() { register("cache", 1, cacheDDL) }

// CacheStore persists the semantic plan cache (cache.Store and cache.Toucher) in a DB.
type CacheStore struct{ db *DB }

// CacheStore returns the cache store of d.
func (d *DB) CacheStore() *CacheStore { return &CacheStore{db: d} }

var (
	_ cache.Store   = (*CacheStore)(nil)
	_ cache.Toucher = (*CacheStore)(nil)
)

// Put inserts or replaces an entry.
func (s *CacheStore) Put(ctx context.Context, e cache.Entry) error {
	slots, err := json.Marshal(e.Slots)
	if err != nil {
		return fmt.Errorf("sqlite cache: encode slots of %s: %w", e.ID, err)
	}
	if e.Plan == nil {
		return fmt.Errorf("sqlite cache: entry %s has no plan", e.ID)
	}
	_, err = s.db.SQL.ExecContext(ctx, `INSERT OR REPLACE INTO cache_entries
		(id, ns_registry, ns_prompt, ns_tier, ns_tenant, request, normalized, template,
		 slots_json, plan_json, embedder, vector, created_ns, last_used_ns, hits)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.Namespace.Registry, e.Namespace.Prompt, e.Namespace.Tier, e.Namespace.Tenant,
		e.Request, e.Normalized, e.Template, string(slots), string(e.Plan.JSON()), e.Embedder,
		rowcodec.EncodeVector(e.Vector), rowcodec.UnixNanos(e.Created), rowcodec.UnixNanos(e.LastUsed), e.Hits)
	if err != nil {
		return fmt.Errorf("sqlite cache: put %s: %w", e.ID, err)
	}
	return nil
}

// Delete removes entries by id, in one transaction.
func (s *CacheStore) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite cache: delete: %w", err)
	}
	defer tx.Rollback()
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		q := `DELETE FROM cache_entries WHERE id IN (?` + strings.Repeat(",?", len(part)-1) + `)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("sqlite cache: delete: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite cache: delete: %w", err)
	}
	return nil
}

// Touch records last use and hit counts, in one transaction.
func (s *CacheStore) Touch(ctx context.Context, uses []cache.Use) error {
	if len(uses) == 0 {
		return nil
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite cache: touch: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `UPDATE cache_entries SET last_used_ns = ?, hits = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("sqlite cache: touch: %w", err)
	}
	defer stmt.Close()
	for _, u := range uses {
		if _, err := stmt.ExecContext(ctx, rowcodec.UnixNanos(u.LastUsed), u.Hits, u.ID); err != nil {
			return fmt.Errorf("sqlite cache: touch %s: %w", u.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite cache: touch: %w", err)
	}
	return nil
}

// LoadAll reads every entry. A row that cannot be decoded is an error naming its id:
// a corrupt cache should be noticed, not half-loaded.
func (s *CacheStore) LoadAll(ctx context.Context) ([]cache.Entry, error) {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT id, ns_registry, ns_prompt, ns_tier, ns_tenant,
		request, normalized, template, slots_json, plan_json, embedder, vector, created_ns,
		last_used_ns, hits FROM cache_entries ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite cache: load: %w", err)
	}
	defer rows.Close()
	var out []cache.Entry
	for rows.Next() {
		var e cache.Entry
		var slots, planJSON string
		var vec []byte
		var created, used int64
		if err := rows.Scan(&e.ID, &e.Namespace.Registry, &e.Namespace.Prompt, &e.Namespace.Tier,
			&e.Namespace.Tenant, &e.Request, &e.Normalized, &e.Template, &slots, &planJSON,
			&e.Embedder, &vec, &created, &used, &e.Hits); err != nil {
			return nil, fmt.Errorf("sqlite cache: load: %w", err)
		}
		if err := json.Unmarshal([]byte(slots), &e.Slots); err != nil {
			return nil, fmt.Errorf("sqlite cache: entry %s: slots: %w", e.ID, err)
		}
		var perr error
		if e.Plan, perr = plan.Parse([]byte(planJSON)); perr != nil {
			return nil, fmt.Errorf("sqlite cache: entry %s: %w", e.ID, perr)
		}
		if e.Vector, err = rowcodec.DecodeVector(vec); err != nil {
			return nil, fmt.Errorf("sqlite cache: entry %s: %w", e.ID, err)
		}
		e.Created, e.LastUsed = rowcodec.FromUnixNanos(created), rowcodec.FromUnixNanos(used)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite cache: load: %w", err)
	}
	return out, nil
}
