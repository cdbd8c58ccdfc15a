package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/planwise/planwise/execute"
)

// Runs is the run store (execute.RunStore, execute.RunBatchSaver; RenewRuns of
// execute.RunRecovery, whose InterruptRuns each backend writes): runs, their steps and
// the feedback given on them.
type Runs struct{ DB *DB }

var (
	_ execute.RunStore      = Runs{}
	_ execute.RunBatchSaver = Runs{}
)

// Statements of SaveRuns.
const (
	saveRunSQL = `INSERT INTO runs
		(id, status, error, started_ns, finished_ns, duration_ms, request, plan_json, tenant, api_key_hash, source, created_ns, request_id, cache_entry, alive_ns, history_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (id) DO UPDATE SET status=excluded.status, error=excluded.error,
			started_ns=excluded.started_ns, finished_ns=excluded.finished_ns, duration_ms=excluded.duration_ms,
			request=excluded.request, plan_json=excluded.plan_json, tenant=excluded.tenant,
			api_key_hash=excluded.api_key_hash, source=excluded.source, created_ns=excluded.created_ns,
			request_id=excluded.request_id, cache_entry=excluded.cache_entry, alive_ns=excluded.alive_ns,
			history_id=excluded.history_id`
	deleteStepsSQL = `DELETE FROM run_steps WHERE run_id = $1`
	saveStepSQL    = `INSERT INTO run_steps
		(run_id, idx, step_id, tool, status, output_json, error, simulated, attempts, started_ns, finished_ns, duration_ms, items)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
)

// SaveRun writes the run and its steps in one transaction. Saving a run id again
// replaces the run and its steps and keeps its feedback.
func (s Runs) SaveRun(ctx context.Context, r *execute.Result, meta execute.RunMeta) error {
	return s.SaveRuns(ctx, []execute.RunRecord{{Result: r, Meta: meta}})
}

// SaveRuns writes several runs in one transaction (one commit), as SaveRun would each.
// Every run is marked alive now.
func (s Runs) SaveRuns(ctx context.Context, recs []execute.RunRecord) error {
	for _, rec := range recs {
		if rec.Result == nil || rec.Result.ID == "" {
			return errors.New("save run: the result has no id")
		}
	}
	now := time.Now()
	var stmts []Stmt
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
		stmts = append(stmts,
			Stmt{saveRunSQL, []any{r.ID, r.Status, r.Error, UnixNanos(r.Started), UnixNanos(r.Finished), r.DurationMS,
				meta.Request, planJSON, meta.Tenant, meta.APIKeyHash, meta.Source, UnixNanos(created), meta.RequestID, meta.CacheEntry,
				now.UnixNano(), meta.HistoryID}},
			Stmt{deleteStepsSQL, []any{r.ID}})
		for i, st := range r.Steps {
			var out *string
			if st.Output != nil {
				b, err := json.Marshal(st.Output)
				if err != nil {
					return fmt.Errorf("save run %s: step %s: output: %w", r.ID, st.ID, err)
				}
				s := string(b)
				out = &s
			}
			stmts = append(stmts, Stmt{saveStepSQL, []any{r.ID, i, st.ID, st.Tool, st.Status, out, st.Error, st.Simulated,
				st.Attempts, UnixNanos(st.Started), UnixNanos(st.Finished), st.DurationMS, st.Items}})
		}
	}
	if err := s.DB.batch(ctx, stmts); err != nil {
		if len(recs) == 1 {
			return fmt.Errorf("save run %s: %w", recs[0].Result.ID, err)
		}
		return fmt.Errorf("save %d runs: %w", len(recs), err)
	}
	return nil
}

// RenewRuns marks the runs alive at t.
func (s Runs) RenewRuns(ctx context.Context, ids []string, t time.Time) error {
	stmts := make([]Stmt, len(ids))
	for i, id := range ids {
		stmts[i] = Stmt{`UPDATE runs SET alive_ns = $1 WHERE id = $2`, []any{t.UnixNano(), id}}
	}
	if err := s.DB.batch(ctx, stmts); err != nil {
		return fmt.Errorf("renew runs: %w", err)
	}
	return nil
}

// GetRun reads a run back; an error wrapping execute.ErrRunNotFound when there is none.
func (s Runs) GetRun(ctx context.Context, id string) (*execute.Result, execute.RunMeta, error) {
	var (
		r     execute.Result
		meta  execute.RunMeta
		found bool
	)
	err := s.DB.Query(ctx, `SELECT id, status, error, started_ns, finished_ns, duration_ms,
		request, plan_json, tenant, api_key_hash, source, created_ns, request_id, cache_entry, history_id FROM runs WHERE id = $1`, []any{id},
		func(row Scanner) error {
			var started, finished, createdNS int64
			var planJSON *string
			if err := row.Scan(&r.ID, &r.Status, &r.Error, &started, &finished, &r.DurationMS,
				&meta.Request, &planJSON, &meta.Tenant, &meta.APIKeyHash, &meta.Source, &createdNS, &meta.RequestID, &meta.CacheEntry, &meta.HistoryID); err != nil {
				return err
			}
			r.Started, r.Finished, meta.Created = FromUnixNanos(started), FromUnixNanos(finished), FromUnixNanos(createdNS)
			if planJSON != nil {
				meta.Plan = json.RawMessage(*planJSON)
			}
			found = true
			return nil
		})
	if err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: %w", id, err)
	}
	if !found {
		return nil, execute.RunMeta{}, fmt.Errorf("run %q: %w", id, execute.ErrRunNotFound)
	}
	r.Steps = []execute.StepResult{}
	err = s.DB.Query(ctx, `SELECT step_id, tool, status, output_json, error, simulated, attempts,
		started_ns, finished_ns, duration_ms, items FROM run_steps WHERE run_id = $1 ORDER BY idx`, []any{id},
		func(row Scanner) error {
			var st execute.StepResult
			var out *string
			var sNS, fNS int64
			if err := row.Scan(&st.ID, &st.Tool, &st.Status, &out, &st.Error, &st.Simulated, &st.Attempts,
				&sNS, &fNS, &st.DurationMS, &st.Items); err != nil {
				return err
			}
			st.Started, st.Finished = FromUnixNanos(sNS), FromUnixNanos(fNS)
			if out != nil {
				v, err := execute.DecodeOutput([]byte(*out))
				if err != nil {
					return fmt.Errorf("step %s: output: %w", st.ID, err)
				}
				st.Output = v
			}
			r.Steps = append(r.Steps, st)
			return nil
		})
	if err != nil {
		return nil, execute.RunMeta{}, fmt.Errorf("get run %s: steps: %w", id, err)
	}
	return &r, meta, nil
}

// SaveFeedback records feedback on a run.
func (s Runs) SaveFeedback(ctx context.Context, runID string, fb execute.Feedback) error {
	if err := fb.Validate(); err != nil {
		return err
	}
	at := fb.Time
	if at.IsZero() {
		at = time.Now()
	}
	n, err := s.DB.Exec(ctx, `INSERT INTO feedback (run_id, rating, comment, created_ns)
		SELECT id, $1, $2, $3 FROM runs WHERE id = $4`, fb.Rating, fb.Comment, UnixNanos(at), runID)
	if err != nil {
		return fmt.Errorf("save feedback on run %s: %w", runID, err)
	}
	if n == 0 {
		return fmt.Errorf("feedback on run %q: %w", runID, execute.ErrRunNotFound)
	}
	return nil
}

// Feedback returns the feedback given on a run, oldest first.
func (s Runs) Feedback(ctx context.Context, runID string) ([]execute.Feedback, error) {
	var out []execute.Feedback
	err := s.DB.Query(ctx, `SELECT rating, comment, created_ns FROM feedback WHERE run_id = $1 ORDER BY id`, []any{runID},
		func(row Scanner) error {
			var fb execute.Feedback
			var ns int64
			err := row.Scan(&fb.Rating, &fb.Comment, &ns)
			fb.Time = FromUnixNanos(ns)
			out = append(out, fb)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("feedback of run %s: %w", runID, err)
	}
	return out, nil
}
