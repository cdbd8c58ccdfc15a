package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Migration is one schema change of one concern. A backend's migrations are history:
// appended, never edited, since databases record by (concern, version) which they ran.
type Migration struct {
	Concern string
	Version int
	DDL     string
}

// RecordMigrationSQL records a migration as applied (arguments: concern, version).
const RecordMigrationSQL = `INSERT INTO schema_migrations (concern, version) VALUES ($1, $2)`

// Migrate runs createTable (which creates schema_migrations if it does not exist), reads
// the migrations recorded there and applies every other one of ms in (concern, version)
// order with apply, which runs m.DDL and RecordMigrationSQL in one transaction. label
// names the database in errors ("sqlite /path/planwise.db", "postgres").
func Migrate(ctx context.Context, q Querier, label, createTable string, ms []Migration, apply func(context.Context, Migration) error) error {
	if _, err := q.Exec(ctx, createTable); err != nil {
		return fmt.Errorf("%s: create schema_migrations: %w", label, err)
	}
	pending, err := Pending(ctx, q, ms)
	if err != nil {
		return fmt.Errorf("%s: %w", label, err)
	}
	for _, m := range pending {
		if err := apply(ctx, m); err != nil {
			return fmt.Errorf("%s: migration %s/%d: %w", label, m.Concern, m.Version, err)
		}
	}
	return nil
}

// Pending returns the migrations of ms that schema_migrations does not record as
// applied, in (concern, version) order: what Migrate would apply. The table must exist.
func Pending(ctx context.Context, q Querier, ms []Migration) ([]Migration, error) {
	type key struct {
		concern string
		version int
	}
	applied := map[key]bool{}
	err := q.Query(ctx, `SELECT concern, version FROM schema_migrations`, nil, func(row Scanner) error {
		var k key
		if err := row.Scan(&k.concern, &k.version); err != nil {
			return err
		}
		applied[k] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b Migration) int {
		if c := strings.Compare(a.Concern, b.Concern); c != 0 {
			return c
		}
		return a.Version - b.Version
	})
	return slices.DeleteFunc(ms, func(m Migration) bool { return applied[key{m.Concern, m.Version}] }), nil
}
