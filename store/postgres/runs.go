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

// SaveRun writes the run and its steps in one transaction. Saving a run id again
// replaces the run and its steps and keeps its feedback.
func (s *Runs) SaveRun(ctx context.Context, r *execute.Result, meta execute.RunMeta) error {
	if r == nil || r.ID == "" {
		return errors.New("save run: the result has no id")
	}
	created := meta.Created
	if created.IsZero() {
		created = time.Now()
	}
	var planJSON *string
	if len(meta.Plan) > 0 {
		s := string(meta.Plan)
		planJSON = &s
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO runs
			(id, status, error, started_ns, finished_ns, duration_ms, request, plan_json, tenant, api_key_hash, source, created_ns, request_id, cache_entry)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (id) DO UPDATE SET status=excluded.status, error=excluded.error,
				started_ns=excluded.started_ns, finished_ns=excluded.finished_ns, duration_ms=excluded.duration_ms,
				request=excluded.request, plan_json=excluded.plan_json, tenant=excluded.tenant,
				api_key_hash=excluded.api_key_hash, source=excluded.source, created_ns=excluded.created_ns,
				request_id=excluded.request_id, cache_entry=excluded.cache_entry`,
			r.ID, r.Status, r.Error, rowcodec.UnixNanos(r.Started), rowcodec.UnixNanos(r.Finished), r.DurationMS,
			meta.Request, planJSON, meta.Tenant, meta.APIKeyHash, meta.Source, rowcodec.UnixNanos(created), meta.RequestID, meta.CacheEntry); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM run_steps WHERE run_id = $1`, r.ID); err != nil {
			return err
		}
		if len(r.Steps) == 0 {
			return nil
		}
		b := &pgx.Batch{}
		for i, st := range r.Steps {
			var out *string
			if st.Output != nil {
				j, err := json.Marshal(st.Output)
				if err != nil {
					return fmt.Errorf("step %s: output: %w", st.ID, err)
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
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("save run %s: %w", r.ID, err)
	}
	return nil
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
