package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/planwise/planwise/store/internal/rowcodec"

	"github.com/planwise/planwise/execute"
)

// Runs: one row per run, one per step, and the feedback given on runs. Times are Unix
// nanoseconds (exact round trip); outputs are JSON text.
const runsDDL = `
CREATE TABLE runs (
	id           TEXT PRIMARY KEY,
	status       TEXT NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	started_ns   INTEGER NOT NULL,
	finished_ns  INTEGER NOT NULL,
	duration_ms  REAL NOT NULL,
	request      TEXT NOT NULL DEFAULT '',
	plan_json    TEXT,
	tenant       TEXT NOT NULL DEFAULT '',
	api_key_hash TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	created_ns   INTEGER NOT NULL
);
CREATE INDEX runs_tenant_created ON runs (tenant, created_ns);
CREATE INDEX runs_status ON runs (status);
CREATE TABLE run_steps (
	run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	idx         INTEGER NOT NULL,
	step_id     TEXT NOT NULL,
	tool        TEXT NOT NULL,
	status      TEXT NOT NULL,
	output_json TEXT,
	error       TEXT NOT NULL DEFAULT '',
	simulated   INTEGER NOT NULL DEFAULT 0,
	attempts    INTEGER NOT NULL DEFAULT 0,
	started_ns  INTEGER NOT NULL DEFAULT 0,
	finished_ns INTEGER NOT NULL DEFAULT 0,
	duration_ms REAL NOT NULL DEFAULT 0,
	items       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (run_id, idx)
);
CREATE INDEX run_steps_tool_status ON run_steps (tool, status);
CREATE TABLE feedback (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	rating     INTEGER NOT NULL CHECK (rating BETWEEN -1 AND 1),
	comment    TEXT NOT NULL DEFAULT '',
	created_ns INTEGER NOT NULL
);
CREATE INDEX feedback_run ON feedback (run_id);
`

// runsV2 keeps what feedback needs after a restart: the planning request (its history
// record) and the cache entry the plan was served from.
const runsV2 = `
ALTER TABLE runs ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN cache_entry TEXT NOT NULL DEFAULT '';
`

func init() {
	register("runs", 1, runsDDL)
	register("runs", 2, runsV2)
	register("runs", 3, runsV3)
}

// Runs is the run store (execute.RunStore) over a DB.
type Runs struct{ db *DB }

// Runs returns the run store of d.
func (d *DB) Runs() *Runs { return &Runs{db: d} }

var _ execute.RunStore = (*Runs)(nil)

// runsV3 marks when each run was last known alive (saved or renewed), so that runs left
// in flight by a process that stopped can be told and marked interrupted.
const runsV3 = `
ALTER TABLE runs ADD COLUMN alive_ns INTEGER NOT NULL DEFAULT 0;
`

// SaveRun writes the run and its steps in one transaction. Saving a run id again
// replaces the run and its steps and keeps its feedback.
func (s *Runs) SaveRun(ctx context.Context, r *execute.Result, meta execute.RunMeta) error {
	return s.SaveRuns(ctx, []execute.RunRecord{{Result: r, Meta: meta}})
}

var (
	_ execute.RunBatchSaver = (*Runs)(nil)
	_ execute.RunRecovery   = (*Runs)(nil)
)

// SaveRuns writes several runs in one transaction (one commit), as SaveRun would each.
func (s *Runs) SaveRuns(ctx context.Context, recs []execute.RunRecord) error {
	for _, rec := range recs {
		if rec.Result == nil || rec.Result.ID == "" {
			return errors.New("save run: the result has no id")
		}
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save runs: %w", err)
	}
	defer tx.Rollback()
	runStmt, err := tx.PrepareContext(ctx, `INSERT INTO runs
		(id, status, error, started_ns, finished_ns, duration_ms, request, plan_json, tenant, api_key_hash, source, created_ns, request_id, cache_entry, alive_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET status=excluded.status, error=excluded.error,
			started_ns=excluded.started_ns, finished_ns=excluded.finished_ns, duration_ms=excluded.duration_ms,
			request=excluded.request, plan_json=excluded.plan_json, tenant=excluded.tenant,
			api_key_hash=excluded.api_key_hash, source=excluded.source, created_ns=excluded.created_ns,
			request_id=excluded.request_id, cache_entry=excluded.cache_entry, alive_ns=excluded.alive_ns`)
	if err != nil {
		return fmt.Errorf("save runs: %w", err)
	}
	defer runStmt.Close()
	delStmt, err := tx.PrepareContext(ctx, `DELETE FROM run_steps WHERE run_id = ?`)
	if err != nil {
		return fmt.Errorf("save runs: %w", err)
	}
	defer delStmt.Close()
	stepStmt, err := tx.PrepareContext(ctx, `INSERT INTO run_steps
		(run_id, idx, step_id, tool, status, output_json, error, simulated, attempts, started_ns, finished_ns, duration_ms, items)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("save runs: %w", err)
	}
	defer stepStmt.Close()
	now := time.Now()
	for _, rec := range recs {
		r, meta := rec.Result, rec.Meta
		created := meta.Created
		if created.IsZero() {
			created = now
		}
		var planJSON any
		if len(meta.Plan) > 0 {
			planJSON = string(meta.Plan)
		}
		if _, err := runStmt.ExecContext(ctx, r.ID, r.Status, r.Error, rowcodec.UnixNanos(r.Started), rowcodec.UnixNanos(r.Finished), r.DurationMS,
			meta.Request, planJSON, meta.Tenant, meta.APIKeyHash, meta.Source, rowcodec.UnixNanos(created), meta.RequestID, meta.CacheEntry,
			now.UnixNano()); err != nil {
			return fmt.Errorf("save run %s: %w", r.ID, err)
		}
		if _, err := delStmt.ExecContext(ctx, r.ID); err != nil {
			return fmt.Errorf("save run %s: %w", r.ID, err)
		}
		for i, st := range r.Steps {
			var out any
			if st.Output != nil {
				b, err := json.Marshal(st.Output)
				if err != nil {
					return fmt.Errorf("save run %s: step %s: output: %w", r.ID, st.ID, err)
				}
				out = string(b)
			}
			if _, err := stepStmt.ExecContext(ctx, r.ID, i, st.ID, st.Tool, st.Status, out, st.Error, st.Simulated,
				st.Attempts, rowcodec.UnixNanos(st.Started), rowcodec.UnixNanos(st.Finished), st.DurationMS, st.Items); err != nil {
				return fmt.Errorf("save run %s: step %s: %w", r.ID, st.ID, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save runs: %w", err)
	}
	return nil
}

// RenewRuns marks the runs alive at t.
func (s *Runs) RenewRuns(ctx context.Context, ids []string, t time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("renew runs: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `UPDATE runs SET alive_ns = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("renew runs: %w", err)
	}
	defer stmt.Close()
	for _, id := range ids {
		if _, err := stmt.ExecContext(ctx, t.UnixNano(), id); err != nil {
			return fmt.Errorf("renew run %s: %w", id, err)
		}
	}
	return tx.Commit()
}

// InterruptRuns marks the queued and running runs last alive before t as interrupted.
func (s *Runs) InterruptRuns(ctx context.Context, before time.Time, reason string) (int, error) {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	defer tx.Rollback()
	now := time.Now().UnixNano()
	if _, err := tx.ExecContext(ctx, `UPDATE run_steps SET status = ? WHERE status IN (?, ?, '') AND run_id IN
		(SELECT id FROM runs WHERE status IN (?, ?) AND alive_ns < ?)`,
		execute.StepInterrupted, execute.StepPending, execute.StepRunning, execute.RunQueued, execute.RunRunning, before.UnixNano()); err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE runs SET status = ?, error = ?,
		finished_ns = CASE WHEN finished_ns = 0 THEN ? ELSE finished_ns END,
		duration_ms = CASE WHEN finished_ns = 0 AND started_ns > 0 THEN (? - started_ns) / 1e6 ELSE duration_ms END
		WHERE status IN (?, ?) AND alive_ns < ?`,
		execute.RunInterrupted, reason, now, now, execute.RunQueued, execute.RunRunning, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("interrupt runs: %w", err)
	}
	return int(n), nil
}

// GetRun reads a run back; an error wrapping execute.ErrRunNotFound when there is none.
func (s *Runs) GetRun(ctx context.Context, id string) (*execute.Result, execute.RunMeta, error) {
	var (
		r                            execute.Result
		meta                         execute.RunMeta
		started, finished, createdNS int64
		planJSON                     sql.NullString
	)
	err := s.db.SQL.QueryRowContext(ctx, `SELECT id, status, error, started_ns, finished_ns, duration_ms,
		request, plan_json, tenant, api_key_hash, source, created_ns, request_id, cache_entry FROM runs WHERE id = ?`, id).
		Scan(&r.ID, &r.Status, &r.Error, &started, &finished, &r.DurationMS,
			&meta.Request, &planJSON, &meta.Tenant, &meta.APIKeyHash, &meta.Source, &createdNS, &meta.RequestID, &meta.CacheEntry)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, execute.RunMeta{}, fmt.Errorf("run %q: %w", id, execute.ErrRunNotFound)
	}
	if err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: %w", id, err)
	}
	r.Started, r.Finished, meta.Created = rowcodec.FromUnixNanos(started), rowcodec.FromUnixNanos(finished), rowcodec.FromUnixNanos(createdNS)
	if planJSON.Valid {
		meta.Plan = json.RawMessage(planJSON.String)
	}
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT step_id, tool, status, output_json, error, simulated, attempts,
		started_ns, finished_ns, duration_ms, items FROM run_steps WHERE run_id = ? ORDER BY idx`, id)
	if err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: steps: %w", id, err)
	}
	defer rows.Close()
	r.Steps = []execute.StepResult{}
	for rows.Next() {
		var st execute.StepResult
		var out sql.NullString
		var sNS, fNS int64
		if err := rows.Scan(&st.ID, &st.Tool, &st.Status, &out, &st.Error, &st.Simulated, &st.Attempts,
			&sNS, &fNS, &st.DurationMS, &st.Items); err != nil {
			return nil, execute.RunMeta{}, fmt.Errorf("get run %s: steps: %w", id, err)
		}
		st.Started, st.Finished = rowcodec.FromUnixNanos(sNS), rowcodec.FromUnixNanos(fNS)
		if out.Valid {
			v, err := execute.DecodeOutput([]byte(out.String))
			if err != nil {
				return nil, execute.RunMeta{}, fmt.Errorf("get run %s: step %s: output: %w", id, st.ID, err)
			}
			st.Output = v
		}
		r.Steps = append(r.Steps, st)
	}
	if err := rows.Err(); err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: steps: %w", id, err)
	}
	return &r, meta, nil
}

// SaveFeedback records feedback on a run.
func (s *Runs) SaveFeedback(ctx context.Context, runID string, fb execute.Feedback) error {
	if err := fb.Validate(); err != nil {
		return err
	}
	at := fb.Time
	if at.IsZero() {
		at = time.Now()
	}
	res, err := s.db.SQL.ExecContext(ctx, `INSERT INTO feedback (run_id, rating, comment, created_ns)
		SELECT id, ?, ?, ? FROM runs WHERE id = ?`, fb.Rating, fb.Comment, rowcodec.UnixNanos(at), runID)
	if err != nil {
		return fmt.Errorf("save feedback on run %s: %w", runID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("feedback on run %q: %w", runID, execute.ErrRunNotFound)
	}
	return nil
}

// Feedback returns the feedback given on a run, oldest first.
func (s *Runs) Feedback(ctx context.Context, runID string) ([]execute.Feedback, error) {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT rating, comment, created_ns FROM feedback WHERE run_id = ? ORDER BY id`, runID)
	if err != nil {
		return nil, fmt.Errorf("feedback of run %s: %w", runID, err)
	}
	defer rows.Close()
	var out []execute.Feedback
	for rows.Next() {
		var fb execute.Feedback
		var ns int64
		if err := rows.Scan(&fb.Rating, &fb.Comment, &ns); err != nil {
			return nil, fmt.Errorf("feedback of run %s: %w", runID, err)
		}
		fb.Time = rowcodec.FromUnixNanos(ns)
		out = append(out, fb)
	}
	return out, rows.Err()
}
