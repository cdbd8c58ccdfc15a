package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/planwise/planwise/store/internal/rowcodec"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/execute"
)

// Runs: one row per run, one per step, and the feedback given on runs, like
// store/sqlite. Times are Unix nanoseconds (exact round trip); outputs are JSON text.
const runsDDL = `
CREATE TABLE runs (
	id           TEXT PRIMARY KEY,
	status       TEXT NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	started_ns   BIGINT NOT NULL,
	finished_ns  BIGINT NOT NULL,
	duration_ms  DOUBLE PRECISION NOT NULL,
	request      TEXT NOT NULL DEFAULT '',
	plan_json    TEXT,
	tenant       TEXT NOT NULL DEFAULT '',
	api_key_hash TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	created_ns   BIGINT NOT NULL
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
	simulated   BOOLEAN NOT NULL DEFAULT false,
	attempts    INTEGER NOT NULL DEFAULT 0,
	started_ns  BIGINT NOT NULL DEFAULT 0,
	finished_ns BIGINT NOT NULL DEFAULT 0,
	duration_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
	items       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (run_id, idx)
);
CREATE INDEX run_steps_tool_status ON run_steps (tool, status);
CREATE TABLE feedback (
	id         BIGSERIAL PRIMARY KEY,
	run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	rating     INTEGER NOT NULL CHECK (rating BETWEEN -1 AND 1),
	comment    TEXT NOT NULL DEFAULT '',
	created_ns BIGINT NOT NULL
);
CREATE INDEX feedback_run ON feedback (run_id);
`

// runsV2 keeps what feedback needs after a restart: the planning request (its history
// record) and the cache entry the plan was served from.
const runsV2 = `
ALTER TABLE runs ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN cache_entry TEXT NOT NULL DEFAULT '';
`

// Runs is the run store (execute.RunStore) over a DB.
type Runs struct{ db *DB }

// Runs returns the run store of d.
func (d *DB) Runs() *Runs { return &Runs{db: d} }

var _ execute.RunStore = (*Runs)(nil)

// runsV3 marks when each run was last known alive (saved or renewed), so that runs left
// in flight by a replica that stopped can be told and marked interrupted.
const runsV3 = `
ALTER TABLE runs ADD COLUMN alive_ns BIGINT NOT NULL DEFAULT 0;
CREATE INDEX runs_inflight ON runs (alive_ns) WHERE status IN ('queued', 'running');
`

var (
	_ execute.RunBatchSaver = (*Runs)(nil)
	_ execute.RunRecovery   = (*Runs)(nil)
)

// SaveRun writes the run and its steps in one transaction. Saving a run id again
// replaces the run and its steps and keeps its feedback.
func (s *Runs) SaveRun(ctx context.Context, r *execute.Result, meta execute.RunMeta) error {
	return s.SaveRuns(ctx, []execute.RunRecord{{Result: r, Meta: meta}})
}

// SaveRuns writes several runs in one transaction (one round trip batch, one commit).
func (s *Runs) SaveRuns(ctx context.Context, recs []execute.RunRecord) error {
	for _, rec := range recs {
		if rec.Result == nil || rec.Result.ID == "" {
			return errors.New("save run: the result has no id")
		}
	}
	now := time.Now()
	b := &pgx.Batch{}
	for _, rec := range recs {
		r, meta := rec.Result, rec.Meta
		created := meta.Created
		if created.IsZero() {
			created = now
		}
		var planJSON *string
		if len(meta.Plan) > 0 {
			s := string(meta.Plan)
			planJSON = &s
		}
		b.Queue(`INSERT INTO runs
			(id, status, error, started_ns, finished_ns, duration_ms, request, plan_json, tenant, api_key_hash, source, created_ns, request_id, cache_entry, alive_ns)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (id) DO UPDATE SET status=excluded.status, error=excluded.error,
				started_ns=excluded.started_ns, finished_ns=excluded.finished_ns, duration_ms=excluded.duration_ms,
				request=excluded.request, plan_json=excluded.plan_json, tenant=excluded.tenant,
				api_key_hash=excluded.api_key_hash, source=excluded.source, created_ns=excluded.created_ns,
				request_id=excluded.request_id, cache_entry=excluded.cache_entry, alive_ns=excluded.alive_ns`,
			r.ID, r.Status, r.Error, rowcodec.UnixNanos(r.Started), rowcodec.UnixNanos(r.Finished), r.DurationMS,
			meta.Request, planJSON, meta.Tenant, meta.APIKeyHash, meta.Source, rowcodec.UnixNanos(created), meta.RequestID, meta.CacheEntry,
			now.UnixNano())
		b.Queue(`DELETE FROM run_steps WHERE run_id = $1`, r.ID)
		for i, st := range r.Steps {
			var out *string
			if st.Output != nil {
				j, err := json.Marshal(st.Output)
				if err != nil {
					return fmt.Errorf("save run %s: step %s: output: %w", r.ID, st.ID, err)
				}
				s := string(j)
				out = &s
			}
			b.Queue(`INSERT INTO run_steps
				(run_id, idx, step_id, tool, status, output_json, error, simulated, attempts, started_ns, finished_ns, duration_ms, items)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				r.ID, i, st.ID, st.Tool, st.Status, out, st.Error, st.Simulated,
				st.Attempts, rowcodec.UnixNanos(st.Started), rowcodec.UnixNanos(st.Finished), st.DurationMS, st.Items)
		}
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		if len(recs) == 1 {
			return fmt.Errorf("save run %s: %w", recs[0].Result.ID, err)
		}
		return fmt.Errorf("save %d runs: %w", len(recs), err)
	}
	return nil
}

// RenewRuns marks the runs alive at t.
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

// GetRun reads a run back; an error wrapping execute.ErrRunNotFound when there is none.
func (s *Runs) GetRun(ctx context.Context, id string) (*execute.Result, execute.RunMeta, error) {
	var (
		r                            execute.Result
		meta                         execute.RunMeta
		status                       string
		started, finished, createdNS int64
		planJSON                     *string
	)
	err := s.db.Pool.QueryRow(ctx, `SELECT id, status, error, started_ns, finished_ns, duration_ms,
		request, plan_json, tenant, api_key_hash, source, created_ns, request_id, cache_entry FROM runs WHERE id = $1`, id).
		Scan(&r.ID, &status, &r.Error, &started, &finished, &r.DurationMS,
			&meta.Request, &planJSON, &meta.Tenant, &meta.APIKeyHash, &meta.Source, &createdNS, &meta.RequestID, &meta.CacheEntry)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, execute.RunMeta{}, fmt.Errorf("run %q: %w", id, execute.ErrRunNotFound)
	}
	if err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: %w", id, err)
	}
	r.Status = status
	r.Started, r.Finished, meta.Created = rowcodec.FromUnixNanos(started), rowcodec.FromUnixNanos(finished), rowcodec.FromUnixNanos(createdNS)
	if planJSON != nil {
		meta.Plan = json.RawMessage(*planJSON)
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT step_id, tool, status, output_json, error, simulated, attempts,
		started_ns, finished_ns, duration_ms, items FROM run_steps WHERE run_id = $1 ORDER BY idx`, id)
	if err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: steps: %w", id, err)
	}
	steps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (execute.StepResult, error) {
		var st execute.StepResult
		var status string
		var out *string
		var sNS, fNS int64
		if err := row.Scan(&st.ID, &st.Tool, &status, &out, &st.Error, &st.Simulated, &st.Attempts,
			&sNS, &fNS, &st.DurationMS, &st.Items); err != nil {
			return st, err
		}
		st.Status = status
		st.Started, st.Finished = rowcodec.FromUnixNanos(sNS), rowcodec.FromUnixNanos(fNS)
		if out != nil {
			v, err := execute.DecodeOutput([]byte(*out))
			if err != nil {
				return st, fmt.Errorf("step %s: output: %w", st.ID, err)
			}
			st.Output = v
		}
		return st, nil
	})
	if err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: steps: %w", id, err)
	}
	r.Steps = append([]execute.StepResult{}, steps...)
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
	tag, err := s.db.Pool.Exec(ctx, `INSERT INTO feedback (run_id, rating, comment, created_ns)
		SELECT id, $1, $2, $3 FROM runs WHERE id = $4`, fb.Rating, fb.Comment, rowcodec.UnixNanos(at), runID)
	if err != nil {
		return fmt.Errorf("save feedback on run %s: %w", runID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("feedback on run %q: %w", runID, execute.ErrRunNotFound)
	}
	return nil
}

// Feedback returns the feedback given on a run, oldest first.
func (s *Runs) Feedback(ctx context.Context, runID string) ([]execute.Feedback, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT rating, comment, created_ns FROM feedback WHERE run_id = $1 ORDER BY id`, runID)
	if err != nil {
		return nil, fmt.Errorf("feedback of run %s: %w", runID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (execute.Feedback, error) {
		var fb execute.Feedback
		var ns int64
		err := row.Scan(&fb.Rating, &fb.Comment, &ns)
		fb.Time = rowcodec.FromUnixNanos(ns)
		return fb, err
	})
	if err != nil {
		return nil, fmt.Errorf("feedback of run %s: %w", runID, err)
	}
	return out, nil
}
