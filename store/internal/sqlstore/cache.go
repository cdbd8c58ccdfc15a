package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/plan"
)

// EntryColumns are the columns of cache_entries in the order EntryArgs encodes them and
// ScanEntry reads them.
const EntryColumns = `id, ns_registry, ns_prompt, ns_tier, ns_tenant, request, normalized, template,
	slots_json, plan_json, embedder, vector, created_ns, last_used_ns, hits`

// PutEntrySQL inserts or replaces one cache entry (arguments: EntryArgs).
const PutEntrySQL = `INSERT INTO cache_entries (` + EntryColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
	ON CONFLICT (id) DO UPDATE SET ns_registry=excluded.ns_registry, ns_prompt=excluded.ns_prompt,
		ns_tier=excluded.ns_tier, ns_tenant=excluded.ns_tenant, request=excluded.request,
		normalized=excluded.normalized, template=excluded.template, slots_json=excluded.slots_json,
		plan_json=excluded.plan_json, embedder=excluded.embedder, vector=excluded.vector,
		created_ns=excluded.created_ns, last_used_ns=excluded.last_used_ns, hits=excluded.hits`

// LoadEntriesSQL reads every entry, ordered by id.
const LoadEntriesSQL = `SELECT ` + EntryColumns + ` FROM cache_entries ORDER BY id`

// EntryArgs encodes e as the values of EntryColumns. An entry without a plan is an
// error.
func EntryArgs(e cache.Entry) ([]any, error) {
	if e.Plan == nil {
		return nil, fmt.Errorf("entry %s has no plan", e.ID)
	}
	slots, err := json.Marshal(e.Slots)
	if err != nil {
		return nil, fmt.Errorf("encode slots of %s: %w", e.ID, err)
	}
	return []any{e.ID, e.Namespace.Registry, e.Namespace.Prompt, e.Namespace.Tier, e.Namespace.Tenant,
		e.Request, e.Normalized, e.Template, string(slots), string(e.Plan.JSON()), e.Embedder,
		EncodeVector(e.Vector), UnixNanos(e.Created), UnixNanos(e.LastUsed), e.Hits}, nil
}

// ScanEntry reads one row of EntryColumns. A row that cannot be decoded is an error
// naming its id: a corrupt cache should be noticed, not half-loaded.
func ScanEntry(row Scanner) (cache.Entry, error) {
	var e cache.Entry
	var slots, planJSON string
	var vec []byte
	var created, used int64
	if err := row.Scan(&e.ID, &e.Namespace.Registry, &e.Namespace.Prompt, &e.Namespace.Tier,
		&e.Namespace.Tenant, &e.Request, &e.Normalized, &e.Template, &slots, &planJSON,
		&e.Embedder, &vec, &created, &used, &e.Hits); err != nil {
		return e, err
	}
	if err := json.Unmarshal([]byte(slots), &e.Slots); err != nil {
		return e, fmt.Errorf("entry %s: slots: %w", e.ID, err)
	}
	var err error
	if e.Plan, err = plan.Parse([]byte(planJSON)); err != nil {
		return e, fmt.Errorf("entry %s: %w", e.ID, err)
	}
	if e.Vector, err = DecodeVector(vec); err != nil {
		return e, fmt.Errorf("entry %s: %w", e.ID, err)
	}
	e.Created, e.LastUsed = FromUnixNanos(created), FromUnixNanos(used)
	return e, nil
}

// CacheStore persists the semantic plan cache (cache.Store and cache.Toucher).
type CacheStore struct{ DB *DB }

var (
	_ cache.Store   = CacheStore{}
	_ cache.Toucher = CacheStore{}
)

// Put inserts or replaces an entry.
func (s CacheStore) Put(ctx context.Context, e cache.Entry) error {
	args, err := EntryArgs(e)
	if err != nil {
		return s.DB.errorf("cache", "%w", err)
	}
	if _, err := s.DB.Exec(ctx, PutEntrySQL, args...); err != nil {
		return s.DB.errorf("cache", "put %s: %w", e.ID, err)
	}
	return nil
}

// deleteChunk bounds the ids of one DELETE (SQLite allows 32,766 parameters).
const deleteChunk = 500

// Delete removes entries by id, in one transaction.
func (s CacheStore) Delete(ctx context.Context, ids ...string) error {
	var stmts []Stmt
	for start := 0; start < len(ids); start += deleteChunk {
		part := ids[start:min(start+deleteChunk, len(ids))]
		args := make([]any, len(part))
		marks := make([]string, len(part))
		for i, id := range part {
			args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
		}
		stmts = append(stmts, Stmt{`DELETE FROM cache_entries WHERE id IN (` + strings.Join(marks, ",") + `)`, args})
	}
	if err := s.DB.batch(ctx, stmts); err != nil {
		return s.DB.errorf("cache", "delete: %w", err)
	}
	return nil
}

// TouchSQL records one entry's use (arguments: last use in Unix nanoseconds, hits, id).
const TouchSQL = `UPDATE cache_entries SET last_used_ns = $1, hits = $2 WHERE id = $3`

// Touch records last use and hit counts, in one transaction.
func (s CacheStore) Touch(ctx context.Context, uses []cache.Use) error {
	stmts := make([]Stmt, len(uses))
	for i, u := range uses {
		stmts[i] = Stmt{TouchSQL, []any{UnixNanos(u.LastUsed), u.Hits, u.ID}}
	}
	if err := s.DB.batch(ctx, stmts); err != nil {
		return s.DB.errorf("cache", "touch: %w", err)
	}
	return nil
}

// LoadAll reads every entry.
func (s CacheStore) LoadAll(ctx context.Context) ([]cache.Entry, error) {
	var out []cache.Entry
	err := s.DB.Query(ctx, LoadEntriesSQL, nil, func(row Scanner) error {
		e, err := ScanEntry(row)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, s.DB.errorf("cache", "load: %w", err)
	}
	return out, nil
}
