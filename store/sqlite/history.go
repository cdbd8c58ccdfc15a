package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/planwise/planwise/store/internal/rowcodec"

	"github.com/planwise/planwise/history"
)

// History records: one row per planning request. Embeddings are little-endian float32
// blobs, slots, plans, issue lists and executions JSON text, times Unix nanoseconds.
const historyDDL = `
CREATE TABLE history_records (
	id                TEXT PRIMARY KEY,
	request_id        TEXT NOT NULL,
	tenant            TEXT NOT NULL,
	api_key           TEXT NOT NULL DEFAULT '',
	request           TEXT NOT NULL,
	template          TEXT NOT NULL,
	slots_json        TEXT NOT NULL DEFAULT '[]',
	embedding         BLOB,
	embedder          TEXT NOT NULL DEFAULT '',
	tier              TEXT NOT NULL DEFAULT '',
	model             TEXT NOT NULL DEFAULT '',
	variant           TEXT NOT NULL DEFAULT '',
	experiment        TEXT NOT NULL DEFAULT '',
	source            TEXT NOT NULL DEFAULT '',
	fallback          INTEGER NOT NULL DEFAULT 0,
	fallback_reason   TEXT NOT NULL DEFAULT '',
	plan_json         TEXT,
	valid             INTEGER NOT NULL DEFAULT 0,
	issue_codes_json  TEXT NOT NULL DEFAULT '[]',
	issue_fields_json TEXT NOT NULL DEFAULT '[]',
	error_type        TEXT NOT NULL DEFAULT '',
	latency_ms        REAL NOT NULL DEFAULT 0,
	prompt_tokens     INTEGER NOT NULL DEFAULT 0,
	completion_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd          REAL NOT NULL DEFAULT 0,
	registry_version  TEXT NOT NULL DEFAULT '',
	prompt_version    TEXT NOT NULL DEFAULT '',
	time_ns           INTEGER NOT NULL,
	retry             INTEGER NOT NULL DEFAULT 0,
	execution_json    TEXT,
	feedback          INTEGER
);
CREATE INDEX history_records_time ON history_records (time_ns);
CREATE INDEX history_records_tenant_time ON history_records (tenant, time_ns);
CREATE INDEX history_records_experiment ON history_records (experiment) WHERE experiment <> '';
`

// historyV2 keeps what a request cost on the way: provider calls and the error types met.
const historyV2 = `
ALTER TABLE history_records ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE history_records ADD COLUMN errors_json TEXT NOT NULL DEFAULT '[]';
`

func init() {
	register("history", 1, historyDDL)
	register("history", 2, historyV2)
}

// HistoryStore persists the execution history (history.Store) and prompt experiments
// (history.ExperimentStore) in a DB.
type HistoryStore struct{ db *DB }

// HistoryStore returns the history store of d.
func (d *DB) HistoryStore() *HistoryStore { return &HistoryStore{db: d} }

var (
	_ history.Store           = (*HistoryStore)(nil)
	_ history.ExperimentStore = (*HistoryStore)(nil)
	_ history.BatchStore      = (*HistoryStore)(nil)
)

const historyColumns = rowcodec.HistoryColumns

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// PutRecord implements history.Store.
func (s *HistoryStore) PutRecord(ctx context.Context, r *history.Record) error {
	args, err := recordArgs(r)
	if err != nil {
		return err
	}
	if _, err := s.db.SQL.ExecContext(ctx, insertRecordSQL, args...); err != nil {
		return fmt.Errorf("sqlite history: put %s: %w", r.ID, err)
	}
	return nil
}

// PutRecords implements history.BatchStore: every record in one transaction.
func (s *HistoryStore) PutRecords(ctx context.Context, rs []*history.Record) error {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite history: begin: %w", err)
	}
	// One statement for the batch: SQLite parses the 33-column insert once, not per row.
	stmt, err := tx.PrepareContext(ctx, insertRecordSQL)
	if err != nil {
		tx.Rollback()
		return fmt.Errorf("sqlite history: prepare: %w", err)
	}
	defer stmt.Close()
	for _, r := range rs {
		args, err := recordArgs(r)
		if err == nil {
			if _, err = stmt.ExecContext(ctx, args...); err != nil {
				err = fmt.Errorf("sqlite history: put %s: %w", r.ID, err)
			}
		}
		if err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite history: commit %d records: %w", len(rs), err)
	}
	return nil
}

// DeleteRecordsBefore implements history.Pruner. It deletes in chunks of 5,000 rows, one
// transaction each, so that a large backlog never holds the write lock for long.
func (s *HistoryStore) DeleteRecordsBefore(ctx context.Context, t time.Time) (int, error) {
	total := 0
	for {
		res, err := s.db.SQL.ExecContext(ctx, `DELETE FROM history_records WHERE rowid IN
			(SELECT rowid FROM history_records WHERE time_ns < ? LIMIT 5000)`, rowcodec.UnixNanos(t))
		if err != nil {
			return total, fmt.Errorf("sqlite history: delete records before %s: %w", t.Format(time.RFC3339), err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		if n < 5000 {
			return total, nil
		}
	}
}

const insertRecordSQL = `INSERT OR REPLACE INTO history_records (` + historyColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// recordArgs encodes r as the arguments of insertRecordSQL.
func recordArgs(r *history.Record) ([]any, error) {
	args, err := rowcodec.RecordArgs(r)
	if err != nil {
		return nil, fmt.Errorf("sqlite history: %w", err)
	}
	return args, nil
}

// GetRecord implements history.Store.
func (s *HistoryStore) GetRecord(ctx context.Context, id string) (*history.Record, error) {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT `+historyColumns+` FROM history_records WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite history: get %s: %w", id, err)
	}
	rs, err := scanRecords(rows)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("sqlite history: record %s: %w", id, history.ErrNotFound)
	}
	return rs[0], nil
}

// Records implements history.Store.
func (s *HistoryStore) Records(ctx context.Context, q history.Query) ([]*history.Record, error) {
	var where []string
	var args []any
	if q.Tenant != "" {
		where, args = append(where, "tenant = ?"), append(args, q.Tenant)
	}
	if !q.Since.IsZero() {
		where, args = append(where, "time_ns >= ?"), append(args, rowcodec.UnixNanos(q.Since))
	}
	if !q.Until.IsZero() {
		where, args = append(where, "time_ns < ?"), append(args, rowcodec.UnixNanos(q.Until))
	}
	if q.Experiment != "" {
		where, args = append(where, "experiment = ?"), append(args, q.Experiment)
	}
	query := `SELECT ` + historyColumns + ` FROM history_records`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY time_ns DESC, id ASC"
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1
		}
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, max(q.Offset, 0))
	}
	rows, err := s.db.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite history: query records: %w", err)
	}
	return scanRecords(rows)
}

func scanRecords(rows *sql.Rows) ([]*history.Record, error) {
	defer rows.Close()
	var out []*history.Record
	for rows.Next() {
		var (
			r                      history.Record
			slots, codes, fields   string
			errs                   string
			emb                    []byte
			planJSON, execJSON     sql.NullString
			feedback               sql.NullInt64
			timeNS                 int64
			fallback, valid, retry bool
		)
		if err := rows.Scan(&r.ID, &r.RequestID, &r.Tenant, &r.APIKey, &r.Request, &r.Template, &slots, &emb, &r.Embedder,
			&r.Tier, &r.Model, &r.Variant, &r.Experiment, &r.Source, &fallback, &r.FallbackReason, &planJSON, &valid,
			&codes, &fields, &r.ErrorType, &r.LatencyMS, &r.PromptTokens, &r.CompletionTokens,
			&r.CostUSD, &r.RegistryVersion, &r.PromptVersion, &timeNS, &retry, &execJSON, &feedback,
			&r.Attempts, &errs); err != nil {
			return nil, fmt.Errorf("sqlite history: scan record: %w", err)
		}
		r.Fallback, r.Valid, r.Retry = fallback, valid, retry
		r.Time = rowcodec.FromUnixNanos(timeNS)
		c := rowcodec.RecordColumns{Slots: slots, IssueCodes: codes, IssueFields: fields, Errors: errs, Embedding: emb}
		if planJSON.Valid {
			c.Plan = &planJSON.String
		}
		if execJSON.Valid {
			c.Execution = &execJSON.String
		}
		if err := rowcodec.DecodeRecord(&r, c); err != nil {
			return nil, fmt.Errorf("sqlite history: %w", err)
		}
		if feedback.Valid {
			f := int(feedback.Int64)
			r.Feedback = &f
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite history: read records: %w", err)
	}
	return out, nil
}
