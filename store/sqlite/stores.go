package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/store/internal/sqlstore"
)

// CacheStore persists the semantic plan cache (cache.Store and cache.Toucher) in a DB.
type CacheStore struct{ sqlstore.CacheStore }

// CacheStore returns the cache store of d.
func (d *DB) CacheStore() *CacheStore { return &CacheStore{sqlstore.CacheStore{DB: d.sq}} }

// HistoryStore persists the execution history (history.Store, history.BatchStore,
// history.Pruner), the prompt experiments (history.ExperimentStore) and their automatic
// promotion's counts (history.TallyStore) in a DB.
type HistoryStore struct{ sqlstore.HistoryStore }

// HistoryStore returns the history store of d.
func (d *DB) HistoryStore() *HistoryStore { return &HistoryStore{sqlstore.HistoryStore{DB: d.sq}} }

// Runs is the run store (execute.RunStore, execute.RunBatchSaver, execute.RunRecovery)
// over a DB: runs, their steps and the feedback given on them.
type Runs struct {
	sqlstore.Runs
	db *DB
}

// Runs returns the run store of d.
func (d *DB) Runs() *Runs { return &Runs{sqlstore.Runs{DB: d.sq}, d} }

// InterruptRuns marks the queued and running runs last alive before t as interrupted,
// with their unfinished steps, in one transaction.
func (s *Runs) InterruptRuns(ctx context.Context, before time.Time, reason string) (int, error) {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	defer tx.Rollback()
	now := time.Now().UnixNano()
	if _, err := tx.ExecContext(ctx, `UPDATE run_steps SET status = $1 WHERE status IN ($2, $3, '') AND run_id IN
		(SELECT id FROM runs WHERE status IN ($4, $5) AND alive_ns < $6)`,
		execute.StepInterrupted, execute.StepPending, execute.StepRunning, execute.RunQueued, execute.RunRunning, before.UnixNano()); err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE runs SET status = $1, error = $2,
		finished_ns = CASE WHEN finished_ns = 0 THEN $3 ELSE finished_ns END,
		duration_ms = CASE WHEN finished_ns = 0 AND started_ns > 0 THEN ($3 - started_ns) / 1e6 ELSE duration_ms END
		WHERE status IN ($4, $5) AND alive_ns < $6`,
		execute.RunInterrupted, reason, now, execute.RunQueued, execute.RunRunning, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	return int(n), nil
}

// Spend is the spending store (metrics.SpendStore) over a DB.
type Spend struct{ sqlstore.Spend }

// SpendStore returns the spending store of d.
func (d *DB) SpendStore() *Spend { return &Spend{sqlstore.Spend{DB: d.sq}} }

var (
	_ cache.Store             = (*CacheStore)(nil)
	_ cache.Toucher           = (*CacheStore)(nil)
	_ history.Store           = (*HistoryStore)(nil)
	_ history.BatchStore      = (*HistoryStore)(nil)
	_ history.Pruner          = (*HistoryStore)(nil)
	_ history.ExperimentStore = (*HistoryStore)(nil)
	_ history.TallyStore      = (*HistoryStore)(nil)
	_ execute.RunStore        = (*Runs)(nil)
	_ execute.RunBatchSaver   = (*Runs)(nil)
	_ execute.RunRecovery     = (*Runs)(nil)
	_ metrics.SpendStore      = (*Spend)(nil)
)
