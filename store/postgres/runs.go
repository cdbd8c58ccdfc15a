package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/store/internal/sqlstore"
)

// Runs is the run store (execute.RunStore, execute.RunBatchSaver, execute.RunRecovery)
// over a DB: runs, their steps and the feedback given on them. Saves are sent as one
// batch (one round trip, one commit).
type Runs struct {
	sqlstore.Runs
	db *DB
}

// Runs returns the run store of d.
func (d *DB) Runs() *Runs { return &Runs{sqlstore.Runs{DB: d.sq}, d} }

var (
	_ execute.RunStore      = (*Runs)(nil)
	_ execute.RunBatchSaver = (*Runs)(nil)
	_ execute.RunRecovery   = (*Runs)(nil)
)

// RenewRuns marks the runs alive at t, in one statement.
func (s *Runs) RenewRuns(ctx context.Context, ids []string, t time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.db.Pool.Exec(ctx, `UPDATE runs SET alive_ns = $1 WHERE id = ANY($2)`, t.UnixNano(), ids); err != nil {
		return fmt.Errorf("renew runs: %w", err)
	}
	return nil
}

// InterruptRuns marks the queued and running runs last alive before t as interrupted.
// Replicas save runs concurrently, so it takes the runs' row locks first (UPDATE ...
// RETURNING) and then marks the steps of exactly those runs.
func (s *Runs) InterruptRuns(ctx context.Context, before time.Time, reason string) (int, error) {
	now := time.Now().UnixNano()
	var n int64
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE runs SET status = $1, error = $2,
			finished_ns = CASE WHEN finished_ns = 0 THEN $3 ELSE finished_ns END,
			duration_ms = CASE WHEN finished_ns = 0 AND started_ns > 0 THEN ($3 - started_ns) / 1e6 ELSE duration_ms END
			WHERE status IN ($4, $5) AND alive_ns < $6 RETURNING id`,
			execute.RunInterrupted, reason, now, execute.RunQueued, execute.RunRunning, before.UnixNano())
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		n = int64(len(ids))
		if n == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE run_steps SET status = $1 WHERE status IN ($2, $3, '') AND run_id = ANY($4)`,
			execute.StepInterrupted, execute.StepPending, execute.StepRunning, ids)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	return int(n), nil
}
