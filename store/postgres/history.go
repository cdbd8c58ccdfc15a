package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/planwise/planwise/store/internal/rowcodec"

	"github.com/jackc/pgx/v5"

	"github.com/planwise/planwise/history"
)

// historyV2 keeps what a request cost on the way: provider calls and the error types met.
const historyV2 = `
ALTER TABLE history_records ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE history_records ADD COLUMN errors_json TEXT NOT NULL DEFAULT '[]';
`

// History records and prompt experiments, like store/sqlite: one row per planning
// request (embeddings little-endian float32 bytea; slots, plans, issue lists and
// executions JSON text; times Unix nanoseconds) and one per experiment.
const historyDDL = `
CREATE TABLE history_records (
	id                TEXT PRIMARY KEY,
	request_id        TEXT NOT NULL,
	tenant            TEXT NOT NULL,
	api_key           TEXT NOT NULL DEFAULT '',
	request           TEXT NOT NULL,
	template          TEXT NOT NULL,
	slots_json        TEXT NOT NULL DEFAULT '[]',
	embedding         BYTEA,
	embedder          TEXT NOT NULL DEFAULT '',
	tier              TEXT NOT NULL DEFAULT '',
	model             TEXT NOT NULL DEFAULT '',
	variant           TEXT NOT NULL DEFAULT '',
	experiment        TEXT NOT NULL DEFAULT '',
	source            TEXT NOT NULL DEFAULT '',
	fallback          BOOLEAN NOT NULL DEFAULT false,
	fallback_reason   TEXT NOT NULL DEFAULT '',
	plan_json         TEXT,
	valid             BOOLEAN NOT NULL DEFAULT false,
	issue_codes_json  TEXT NOT NULL DEFAULT '[]',
	issue_fields_json TEXT NOT NULL DEFAULT '[]',
	error_type        TEXT NOT NULL DEFAULT '',
	latency_ms        DOUBLE PRECISION NOT NULL DEFAULT 0,
	prompt_tokens     INTEGER NOT NULL DEFAULT 0,
	completion_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
	registry_version  TEXT NOT NULL DEFAULT '',
	prompt_version    TEXT NOT NULL DEFAULT '',
	time_ns           BIGINT NOT NULL,
	retry             BOOLEAN NOT NULL DEFAULT false,
	execution_json    TEXT,
	feedback          INTEGER
);
CREATE INDEX history_records_time ON history_records (time_ns);
CREATE INDEX history_records_tenant_time ON history_records (tenant, time_ns);
CREATE INDEX history_records_experiment ON history_records (experiment) WHERE experiment <> '';
CREATE TABLE experiments (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	tenant        TEXT NOT NULL DEFAULT '',
	variants_json TEXT NOT NULL,
	status        TEXT NOT NULL,
	winner        TEXT NOT NULL DEFAULT '',
	auto_promote  BOOLEAN NOT NULL DEFAULT false,
	min_samples   INTEGER NOT NULL,
	alpha         DOUBLE PRECISION NOT NULL,
	created_ns    BIGINT NOT NULL,
	updated_ns    BIGINT NOT NULL
);
`

// HistoryStore persists the execution history (history.Store, history.BatchStore) and
// prompt experiments (history.ExperimentStore) in a DB.
type HistoryStore struct{ db *DB }

// HistoryStore returns the history store of d.
func (d *DB) HistoryStore() *HistoryStore { return &HistoryStore{db: d} }

var (
	_ history.Store           = (*HistoryStore)(nil)
	_ history.ExperimentStore = (*HistoryStore)(nil)
	_ history.BatchStore      = (*HistoryStore)(nil)
)

const historyColumns = rowcodec.HistoryColumns

const putRecordSQL = `INSERT INTO history_records (` + historyColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		$21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)
	ON CONFLICT (id) DO UPDATE SET request_id=excluded.request_id, tenant=excluded.tenant,
		api_key=excluded.api_key, request=excluded.request, template=excluded.template,
		slots_json=excluded.slots_json, embedding=excluded.embedding, embedder=excluded.embedder,
		tier=excluded.tier, model=excluded.model, variant=excluded.variant, experiment=excluded.experiment,
		source=excluded.source, fallback=excluded.fallback, fallback_reason=excluded.fallback_reason,
		plan_json=excluded.plan_json, valid=excluded.valid, issue_codes_json=excluded.issue_codes_json,
		issue_fields_json=excluded.issue_fields_json, error_type=excluded.error_type,
		latency_ms=excluded.latency_ms, prompt_tokens=excluded.prompt_tokens,
		completion_tokens=excluded.completion_tokens, cost_usd=excluded.cost_usd,
		registry_version=excluded.registry_version, prompt_version=excluded.prompt_version,
		time_ns=excluded.time_ns, retry=excluded.retry, execution_json=excluded.execution_json,
		feedback=excluded.feedback, attempts=excluded.attempts, errors_json=excluded.errors_json`

// recordArgs encodes r as the arguments of putRecordSQL.
func recordArgs(r *history.Record) ([]any, error) {
	args, err := rowcodec.RecordArgs(r)
	if err != nil {
		return nil, fmt.Errorf("postgres history: %w", err)
	}
	return args, nil
}

// PutRecord implements history.Store.
func (s *HistoryStore) PutRecord(ctx context.Context, r *history.Record) error {
	args, err := recordArgs(r)
	if err != nil {
		return err
	}
	if _, err := s.db.Pool.Exec(ctx, putRecordSQL, args...); err != nil {
		return fmt.Errorf("postgres history: put %s: %w", r.ID, err)
	}
	return nil
}

// PutRecords implements history.BatchStore: every record in one transaction, sent as
// one batch.
func (s *HistoryStore) PutRecords(ctx context.Context, rs []*history.Record) error {
	if len(rs) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for _, r := range rs {
		args, err := recordArgs(r)
		if err != nil {
			return err
		}
		b.Queue(putRecordSQL, args...)
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() })
	if err != nil {
		return fmt.Errorf("postgres history: put %d records: %w", len(rs), err)
	}
	return nil
}

// DeleteRecordsBefore implements history.Pruner, in chunks of 5,000 rows.
func (s *HistoryStore) DeleteRecordsBefore(ctx context.Context, t time.Time) (int, error) {
	total := 0
	for {
		tag, err := s.db.Pool.Exec(ctx, `DELETE FROM history_records WHERE id IN
			(SELECT id FROM history_records WHERE time_ns < $1 LIMIT 5000)`, rowcodec.UnixNanos(t))
		if err != nil {
			return total, fmt.Errorf("postgres history: delete records before %s: %w", t.Format(time.RFC3339), err)
		}
		n := int(tag.RowsAffected())
		total += n
		if n < 5000 {
			return total, nil
		}
	}
}

// GetRecord implements history.Store.
func (s *HistoryStore) GetRecord(ctx context.Context, id string) (*history.Record, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+historyColumns+` FROM history_records WHERE id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres history: get %s: %w", id, err)
	}
	rs, err := pgx.CollectRows(rows, scanRecord)
	if err != nil {
		return nil, fmt.Errorf("postgres history: get %s: %w", id, err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("postgres history: record %s: %w", id, history.ErrNotFound)
	}
	return rs[0], nil
}

// Records implements history.Store.
func (s *HistoryStore) Records(ctx context.Context, q history.Query) ([]*history.Record, error) {
	var where []string
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if q.Tenant != "" {
		arg("tenant = ?", q.Tenant)
	}
	if !q.Since.IsZero() {
		arg("time_ns >= ?", rowcodec.UnixNanos(q.Since))
	}
	if !q.Until.IsZero() {
		arg("time_ns < ?", rowcodec.UnixNanos(q.Until))
	}
	if q.Experiment != "" {
		arg("experiment = ?", q.Experiment)
	}
	query := `SELECT ` + historyColumns + ` FROM history_records`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY time_ns DESC, id ASC"
	if q.Limit > 0 {
		args = append(args, q.Limit)
		query += " LIMIT $" + strconv.Itoa(len(args))
	}
	if q.Offset > 0 {
		args = append(args, q.Offset)
		query += " OFFSET $" + strconv.Itoa(len(args))
	}
	rows, err := s.db.Pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres history: query records: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanRecord)
	if err != nil {
		return nil, fmt.Errorf("postgres history: query records: %w", err)
	}
	return out, nil
}

func scanRecord(row pgx.CollectableRow) (*history.Record, error) {
	var (
		r                    history.Record
		slots, codes, fields string
		errs                 string
		emb                  []byte
		planJSON, execJSON   *string
		timeNS               int64
	)
	if err := row.Scan(&r.ID, &r.RequestID, &r.Tenant, &r.APIKey, &r.Request, &r.Template, &slots, &emb, &r.Embedder,
		&r.Tier, &r.Model, &r.Variant, &r.Experiment, &r.Source, &r.Fallback, &r.FallbackReason, &planJSON, &r.Valid,
		&codes, &fields, &r.ErrorType, &r.LatencyMS, &r.PromptTokens, &r.CompletionTokens,
		&r.CostUSD, &r.RegistryVersion, &r.PromptVersion, &timeNS, &r.Retry, &execJSON, &r.Feedback,
		&r.Attempts, &errs); err != nil {
		return nil, err
	}
	r.Time = rowcodec.FromUnixNanos(timeNS)
	c := rowcodec.RecordColumns{Slots: slots, IssueCodes: codes, IssueFields: fields, Errors: errs, Embedding: emb,
		Plan: planJSON, Execution: execJSON}
	if err := rowcodec.DecodeRecord(&r, c); err != nil {
		return nil, err
	}
	return &r, nil
}

// PutExperiment implements history.ExperimentStore.
func (s *HistoryStore) PutExperiment(ctx context.Context, e *history.Experiment) error {
	if e == nil || e.ID == "" {
		return errors.New("postgres experiments: experiment without an id")
	}
	vs, err := json.Marshal(e.Variants)
	if err != nil {
		return fmt.Errorf("postgres experiments: encode variants of %s: %w", e.ID, err)
	}
	_, err = s.db.Pool.Exec(ctx, `INSERT INTO experiments
		(id, name, tenant, variants_json, status, winner, auto_promote, min_samples, alpha, created_ns, updated_ns)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET name=excluded.name, tenant=excluded.tenant,
			variants_json=excluded.variants_json, status=excluded.status, winner=excluded.winner,
			auto_promote=excluded.auto_promote, min_samples=excluded.min_samples, alpha=excluded.alpha,
			created_ns=excluded.created_ns, updated_ns=excluded.updated_ns`,
		e.ID, e.Name, e.Tenant, string(vs), e.Status, e.Winner, e.AutoPromote, e.MinSamples, e.Alpha,
		rowcodec.UnixNanos(e.Created), rowcodec.UnixNanos(e.Updated))
	if err != nil {
		return fmt.Errorf("postgres experiments: put %s: %w", e.ID, err)
	}
	return nil
}

// Experiments implements history.ExperimentStore.
func (s *HistoryStore) Experiments(ctx context.Context) ([]*history.Experiment, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT id, name, tenant, variants_json, status, winner, auto_promote,
		min_samples, alpha, created_ns, updated_ns FROM experiments ORDER BY created_ns, id`)
	if err != nil {
		return nil, fmt.Errorf("postgres experiments: query: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*history.Experiment, error) {
		var (
			e                history.Experiment
			vs               string
			created, updated int64
		)
		if err := row.Scan(&e.ID, &e.Name, &e.Tenant, &vs, &e.Status, &e.Winner, &e.AutoPromote,
			&e.MinSamples, &e.Alpha, &created, &updated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(vs), &e.Variants); err != nil {
			return nil, fmt.Errorf("%s: variants: %w", e.ID, err)
		}
		e.Created, e.Updated = rowcodec.FromUnixNanos(created), rowcodec.FromUnixNanos(updated)
		return &e, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres experiments: %w", err)
	}
	return out, nil
}
