package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/planwise/planwise/store/internal/rowcodec"

	"github.com/planwise/planwise/history"
)

// Prompt experiments: one row per experiment, its variants as JSON text.
const experimentsDDL = `
CREATE TABLE experiments (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	tenant        TEXT NOT NULL DEFAULT '',
	variants_json TEXT NOT NULL,
	status        TEXT NOT NULL,
	winner        TEXT NOT NULL DEFAULT '',
	auto_promote  INTEGER NOT NULL DEFAULT 0,
	min_samples   INTEGER NOT NULL,
	alpha         REAL NOT NULL,
	created_ns    INTEGER NOT NULL,
	updated_ns    INTEGER NOT NULL
);
`

func init() { register("experiments", 1, experimentsDDL) }

// PutExperiment implements history.ExperimentStore.
func (s *HistoryStore) PutExperiment(ctx context.Context, e *history.Experiment) error {
	if e == nil || e.ID == "" {
		return errors.New("sqlite experiments: experiment without an id")
	}
	vs, err := json.Marshal(e.Variants)
	if err != nil {
		return fmt.Errorf("sqlite experiments: encode variants of %s: %w", e.ID, err)
	}
	_, err = s.db.SQL.ExecContext(ctx, `INSERT OR REPLACE INTO experiments
		(id, name, tenant, variants_json, status, winner, auto_promote, min_samples, alpha, created_ns, updated_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.Name, e.Tenant, string(vs), e.Status, e.Winner, e.AutoPromote, e.MinSamples, e.Alpha,
		rowcodec.UnixNanos(e.Created), rowcodec.UnixNanos(e.Updated))
	if err != nil {
		return fmt.Errorf("sqlite experiments: put %s: %w", e.ID, err)
	}
	return nil
}

// Experiments implements history.ExperimentStore.
func (s *HistoryStore) Experiments(ctx context.Context) ([]*history.Experiment, error) {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT id, name, tenant, variants_json, status, winner, auto_promote,
		min_samples, alpha, created_ns, updated_ns FROM experiments ORDER BY created_ns, id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite experiments: query: %w", err)
	}
	defer rows.Close()
	var out []*history.Experiment
	for rows.Next() {
		var (
			e                history.Experiment
			vs               string
			created, updated int64
		)
		if err := rows.Scan(&e.ID, &e.Name, &e.Tenant, &vs, &e.Status, &e.Winner, &e.AutoPromote,
			&e.MinSamples, &e.Alpha, &created, &updated); err != nil {
			return nil, fmt.Errorf("sqlite experiments: scan: %w", err)
		}
		if err := json.Unmarshal([]byte(vs), &e.Variants); err != nil {
			return nil, fmt.Errorf("sqlite experiments: %s: variants: %w", e.ID, err)
		}
		e.Created, e.Updated = rowcodec.FromUnixNanos(created), rowcodec.FromUnixNanos(updated)
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite experiments: read: %w", err)
	}
	return out, nil
}
