package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// HistoryStore persists the execution history (history.Store, history.BatchStore,
// history.Pruner), the prompt experiments (history.ExperimentStore) and their
// automatic promotion's counts (history.TallyStore).
type HistoryStore struct{ DB *DB }

var (
	_ history.Store           = HistoryStore{}
	_ history.BatchStore      = HistoryStore{}
	_ history.Pruner          = HistoryStore{}
	_ history.ExperimentStore = HistoryStore{}
	_ history.TallyStore      = HistoryStore{}
)

// historyColumns are the columns of history_records in the order recordArgs encodes
// them and scanRecord reads them.
const historyColumns = `id, request_id, tenant, api_key, request, template, slots_json, embedding, embedder,
	tier, model, variant, experiment, source, fallback, fallback_reason, plan_json, valid,
	issue_codes_json, issue_fields_json, error_type, latency_ms, prompt_tokens, completion_tokens,
	cost_usd, registry_version, prompt_version, time_ns, retry, execution_json, feedback, attempts, errors_json,
	no_plan, refused`

// putRecordSQL inserts or replaces one record (arguments: recordArgs).
const putRecordSQL = `INSERT INTO history_records (` + historyColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		$21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35)
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
		feedback=excluded.feedback, attempts=excluded.attempts, errors_json=excluded.errors_json,
		no_plan=excluded.no_plan, refused=excluded.refused`

// PutRecord implements history.Store.
func (s HistoryStore) PutRecord(ctx context.Context, r *history.Record) error {
	args, err := recordArgs(r)
	if err != nil {
		return s.DB.errorf("history", "%w", err)
	}
	if _, err := s.DB.Exec(ctx, putRecordSQL, args...); err != nil {
		return s.DB.errorf("history", "put %s: %w", r.ID, err)
	}
	if r.Source == sourceCache { // a hit written again (feedback, a run): its batched copy goes
		if err := s.dropHit(ctx, r.ID, r.Time); err != nil {
			return s.DB.errorf("history", "put %s: drop its cache-hit copy: %w", r.ID, err)
		}
	}
	return nil
}

// PutRecords implements history.BatchStore: every record in one transaction, the cache
// hits that nothing is attached to one history_hits row per tenant (hits.go).
func (s HistoryStore) PutRecords(ctx context.Context, rs []*history.Record) error {
	// A batch of cache hits is a statement a tenant: stmts grows as it needs, where
	// room for a statement a record was 40 bytes of garbage a hit.
	var stmts []Stmt
	var hits, rows []*history.Record
	for _, r := range rs {
		if r != nil && r.ID != "" && hitPage(r) {
			hits = append(hits, r)
			continue
		}
		rows = append(rows, r)
	}
	// The records of experiments are written in the order of their arms: each one's
	// insert updates its arm's row of experiment_tallies (a trigger), and transactions
	// that lock those rows in one order cannot deadlock (PostgreSQL: replicas write
	// batches at once). The order is the bytes' (strings.Compare), as PostgreSQL's
	// trigger locks the two rows of a record moving between arms (COLLATE "C"). The
	// others keep their order, first.
	slices.SortStableFunc(rows, func(a, b *history.Record) int {
		return cmp.Or(cmp.Compare(tallied(a), tallied(b)), strings.Compare(armOf(a), armOf(b)))
	})
	for _, r := range rows {
		args, err := recordArgs(r)
		if err != nil {
			return s.DB.errorf("history", "%w", err)
		}
		stmts = append(stmts, Stmt{putRecordSQL, args})
	}
	hs, err := hitStmts(hits)
	if err != nil {
		return s.DB.errorf("history", "%w", err)
	}
	stmts = append(stmts, hs...)
	if err := s.DB.batch(ctx, stmts); err != nil {
		return s.DB.errorf("history", "put %d records: %w", len(rs), err)
	}
	return nil
}

// tallied reports whether r is counted in experiment_tallies (it carries an experiment
// and a variant): 0 for no, 1 for yes.
func tallied(r *history.Record) int {
	if r != nil && r.Experiment != "" && r.Variant != "" {
		return 1
	}
	return 0
}

// armOf is r's experiment and variant as one key, "" when r is not tallied.
func armOf(r *history.Record) string {
	if tallied(r) == 0 {
		return ""
	}
	return r.Experiment + "\x00" + r.Variant
}

// pruneChunk bounds the rows one DELETE of DeleteRecordsBefore removes.
const pruneChunk = 5000

// DeleteRecordsBefore implements history.Pruner. It deletes in chunks of 5,000 rows, one
// transaction each, so that a large backlog never holds the write lock for long. The
// records pruned are counted no more in their experiments' tallies (history.TallyStore:
// the delete's trigger takes them out in its transaction): first the records outside
// experiments, which touch no tally, then each arm's, so that a chunk's transaction
// locks one row of experiment_tallies and cannot deadlock with a batch of records.
func (s HistoryStore) DeleteRecordsBefore(ctx context.Context, t time.Time) (int, error) {
	k := s.DB.RowKey
	chunk := func(cond string) string {
		return `DELETE FROM history_records WHERE ` + k + ` IN (SELECT ` + k + ` FROM history_records WHERE time_ns < $1 AND ` +
			cond + ` LIMIT ` + strconv.Itoa(pruneChunk) + `)`
	}
	cut := UnixNanos(t)
	total := 0
	deleteAll := func(q string, args ...any) error {
		for {
			n, err := s.DB.Exec(ctx, q, args...)
			if err != nil {
				return s.DB.errorf("history", "delete records before %s: %w", t.Format(time.RFC3339), err)
			}
			total += int(n)
			if n < pruneChunk {
				return nil
			}
		}
	}
	if err := deleteAll(chunk(`(experiment = '' OR variant = '')`), cut); err != nil {
		return total, err
	}
	type arm struct{ experiment, variant string }
	var arms []arm
	err := s.DB.Query(ctx, `SELECT DISTINCT experiment, variant FROM history_records
		WHERE time_ns < $1 AND experiment <> '' AND variant <> '' ORDER BY experiment, variant`, []any{cut}, func(row Scanner) error {
		var a arm
		err := row.Scan(&a.experiment, &a.variant)
		arms = append(arms, a)
		return err
	})
	if err != nil {
		return total, s.DB.errorf("history", "delete records before %s: %w", t.Format(time.RFC3339), err)
	}
	for _, a := range arms {
		if err := deleteAll(chunk(`experiment = $2 AND variant = $3`), cut, a.experiment, a.variant); err != nil {
			return total, err
		}
	}
	n, err := s.deleteHitsBefore(ctx, t)
	if err != nil {
		return total + n, s.DB.errorf("history", "delete cache hits before %s: %w", t.Format(time.RFC3339), err)
	}
	return total + n, nil
}

// GetRecord implements history.Store.
func (s HistoryStore) GetRecord(ctx context.Context, id string) (*history.Record, error) {
	rs, bad, err := s.records(ctx, `SELECT `+historyColumns+` FROM history_records WHERE id = $1`, id)
	if err == nil && bad.n > 0 {
		err = bad.first
	}
	if err != nil {
		return nil, s.DB.errorf("history", "get %s: %w", id, err)
	}
	if len(rs) > 0 {
		return rs[0], nil
	}
	hit, err := s.getHit(ctx, id)
	if err != nil {
		return nil, s.DB.errorf("history", "get %s: %w", id, err)
	}
	if hit == nil {
		return nil, s.DB.errorf("history", "record %s: %w", id, history.ErrNotFound)
	}
	return hit, nil
}

// Records implements history.Store.
func (s HistoryStore) Records(ctx context.Context, q history.Query) ([]*history.Record, error) {
	f := historyFilter(q, "time_ns >= ", "time_ns < ")
	if q.Experiment != "" {
		f.add("experiment = ", q.Experiment)
	}
	query := `SELECT ` + historyColumns + ` FROM history_records` + f.where() + " ORDER BY time_ns DESC, id ASC"
	// The cache hits first: without any, the rows are paged by the database.
	need := 0
	if q.Limit > 0 {
		need = max(q.Offset, 0) + q.Limit
	}
	hits, bad, err := s.hits(ctx, q, need)
	if err != nil {
		return nil, s.DB.errorf("history", "query cache hits: %w", err)
	}
	offset := max(q.Offset, 0)
	if len(hits) > 0 {
		offset = 0
	}
	if q.Limit > 0 || offset > 0 {
		limit := s.DB.NoLimit
		if q.Limit > 0 {
			limit = f.arg(q.Limit + max(q.Offset, 0) - offset)
		}
		query += " LIMIT " + limit + " OFFSET " + f.arg(offset)
	}
	rs, badRows, err := s.records(ctx, query, f.args...)
	if err != nil {
		return nil, s.DB.errorf("history", "query records: %w", err)
	}
	if badRows.n > 0 {
		bad.n += badRows.n
		bad.first = cmp.Or(bad.first, badRows.first)
	}
	if len(hits) > 0 {
		rs = mergeRecords(rs, hits, q.Offset, q.Limit)
	}
	if err := bad.err(); err != nil {
		return rs, s.DB.errorf("history", "query records: %w", err)
	}
	return rs, nil
}

// filter is a WHERE clause being built: its conditions and their arguments ($n).
type filter struct {
	conds []string
	args  []any
}

// arg appends v to the arguments and returns its placeholder.
func (f *filter) arg(v any) string {
	f.args = append(f.args, v)
	return "$" + strconv.Itoa(len(f.args))
}

// add appends the condition cond followed by v's placeholder ("tenant = ", v).
func (f *filter) add(cond string, v any) { f.conds = append(f.conds, cond+f.arg(v)) }

// where returns " WHERE " and the conditions, or "" when there are none.
func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}

// historyFilter is q's tenant and time conditions; since and until compare a time column
// with q.Since and q.Until ("time_ns >= ", "time_ns < ").
func historyFilter(q history.Query, since, until string) *filter {
	f := &filter{}
	if q.Tenant != "" {
		f.add("tenant = ", q.Tenant)
	}
	if !q.Since.IsZero() {
		f.add(since, UnixNanos(q.Since))
	}
	if !q.Until.IsZero() {
		f.add(until, UnixNanos(q.Until))
	}
	return f
}

// records returns the rows query selects (historyColumns), and how many it left out
// because they could not be decoded, with the first such error.
func (s HistoryStore) records(ctx context.Context, query string, args ...any) ([]*history.Record, unreadable, error) {
	var out []*history.Record
	var bad unreadable
	err := s.DB.Query(ctx, query, args, func(row Scanner) error {
		r, err := scanRecord(row)
		if de, ok := errors.AsType[decodeError](err); ok {
			bad.add(de)
			return nil
		}
		out = append(out, r)
		return err
	})
	return out, bad, err
}

// decodeError is a stored record that was read but cannot be decoded.
type decodeError struct{ error }

// unreadable counts the records or cache-hit rows a read left out, and keeps the first
// reason.
type unreadable struct {
	n     int
	first error
}

func (u *unreadable) add(err error) {
	if u.n++; u.first == nil {
		u.first = err
	}
}

// err is nil when nothing was left out, else an error wrapping history.ErrUnreadable.
func (u unreadable) err() error {
	if u.n == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d (the first: %v)", history.ErrUnreadable, u.n, u.first)
}

// recordArgs encodes r as the values of historyColumns, in order.
func recordArgs(r *history.Record) ([]any, error) {
	if r == nil || r.ID == "" {
		return nil, errors.New("record without an id")
	}
	slots := r.Slots
	if slots == nil {
		slots = []slot.Slot{}
	}
	var enc [4]string // slots, issue codes, issue fields, errors: JSON arrays, never null
	for i, v := range []any{slots, orEmpty(r.IssueCodes), orEmpty(r.IssueFields), orEmpty(r.Errors)} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encode record %s: %w", r.ID, err)
		}
		enc[i] = string(b)
	}
	var planJSON, execJSON *string // nil when the record has none
	if r.Plan != nil {
		s := string(r.Plan.JSON())
		planJSON = &s
	}
	if r.Execution != nil {
		b, err := json.Marshal(r.Execution)
		if err != nil {
			return nil, fmt.Errorf("encode execution of %s: %w", r.ID, err)
		}
		s := string(b)
		execJSON = &s
	}
	var emb []byte // nil when the record has none
	if len(r.Embedding) > 0 {
		emb = EncodeVector(r.Embedding)
	}
	return []any{r.ID, r.RequestID, r.Tenant, r.APIKey, r.Request, r.Template, enc[0], emb, r.Embedder,
		r.Tier, r.Model, r.Variant, r.Experiment, r.Source, r.Fallback, r.FallbackReason, planJSON, r.Valid,
		enc[1], enc[2], r.ErrorType, r.LatencyMS, r.PromptTokens, r.CompletionTokens,
		r.CostUSD, r.RegistryVersion, r.PromptVersion, UnixNanos(r.Time), r.Retry, execJSON, r.Feedback,
		r.Attempts, enc[3], r.NoPlan, r.Refused}, nil
}

// scanRecord reads one row of historyColumns; a row read but not decodable is a
// decodeError.
func scanRecord(row Scanner) (*history.Record, error) {
	var (
		r   history.Record
		enc encodedColumns
	)
	if err := row.Scan(&r.ID, &r.RequestID, &r.Tenant, &r.APIKey, &r.Request, &r.Template, &enc.slots, &enc.emb, &r.Embedder,
		&r.Tier, &r.Model, &r.Variant, &r.Experiment, &r.Source, &r.Fallback, &r.FallbackReason, &enc.plan, &r.Valid,
		&enc.codes, &enc.fields, &r.ErrorType, &r.LatencyMS, &r.PromptTokens, &r.CompletionTokens,
		&r.CostUSD, &r.RegistryVersion, &r.PromptVersion, &enc.timeNS, &r.Retry, &enc.exec, &r.Feedback,
		&r.Attempts, &enc.errs, &r.NoPlan, &r.Refused); err != nil {
		return nil, fmt.Errorf("scan record: %w", err)
	}
	if err := enc.decodeInto(&r); err != nil {
		return nil, decodeError{err}
	}
	return &r, nil
}

// encodedColumns are the columns of a history_records row that need decoding.
type encodedColumns struct {
	slots, codes, fields, errs string // JSON arrays
	emb                        []byte
	plan, exec                 *string // JSON, nil when the record has none
	timeNS                     int64
}

// decodeInto sets r's fields from the encoded columns.
func (c encodedColumns) decodeInto(r *history.Record) error {
	r.Time = FromUnixNanos(c.timeNS)
	for _, f := range []struct {
		name string
		src  string
		dst  any
	}{{"slots", c.slots, &r.Slots}, {"issue codes", c.codes, &r.IssueCodes}, {"issue fields", c.fields, &r.IssueFields}, {"errors", c.errs, &r.Errors}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return fmt.Errorf("record %s: %s: %w", r.ID, f.name, err)
		}
	}
	nilEmptyLists(r)
	if len(c.emb) > 0 {
		v, err := DecodeVector(c.emb)
		if err != nil {
			return fmt.Errorf("record %s: embedding: %w", r.ID, err)
		}
		r.Embedding = v
	}
	if c.plan != nil {
		p, err := plan.Parse([]byte(*c.plan))
		if err != nil {
			return fmt.Errorf("record %s: %w", r.ID, err)
		}
		r.Plan = p
	}
	if c.exec != nil {
		var ex history.Execution
		if err := json.Unmarshal([]byte(*c.exec), &ex); err != nil {
			return fmt.Errorf("record %s: execution: %w", r.ID, err)
		}
		r.Execution = &ex
	}
	return nil
}

// nilEmptyLists sets r's empty lists to nil, as records are written.
func nilEmptyLists(r *history.Record) {
	if len(r.Slots) == 0 {
		r.Slots = nil
	}
	if len(r.IssueCodes) == 0 {
		r.IssueCodes = nil
	}
	if len(r.IssueFields) == 0 {
		r.IssueFields = nil
	}
	if len(r.Errors) == 0 {
		r.Errors = nil
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// PutExperiment implements history.ExperimentStore.
func (s HistoryStore) PutExperiment(ctx context.Context, e *history.Experiment) error {
	if e == nil || e.ID == "" {
		return s.DB.errorf("experiments", "experiment without an id")
	}
	vs, err := json.Marshal(e.Variants)
	if err != nil {
		return s.DB.errorf("experiments", "encode variants of %s: %w", e.ID, err)
	}
	_, err = s.DB.Exec(ctx, `INSERT INTO experiments
		(id, name, tenant, variants_json, status, winner, auto_promote, min_samples, alpha, created_ns, updated_ns)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET name=excluded.name, tenant=excluded.tenant,
			variants_json=excluded.variants_json, status=excluded.status, winner=excluded.winner,
			auto_promote=excluded.auto_promote, min_samples=excluded.min_samples, alpha=excluded.alpha,
			created_ns=excluded.created_ns, updated_ns=excluded.updated_ns`,
		e.ID, e.Name, e.Tenant, string(vs), e.Status, e.Winner, e.AutoPromote, e.MinSamples, e.Alpha,
		UnixNanos(e.Created), UnixNanos(e.Updated))
	if err != nil {
		return s.DB.errorf("experiments", "put %s: %w", e.ID, err)
	}
	return nil
}

// Experiments implements history.ExperimentStore.
func (s HistoryStore) Experiments(ctx context.Context) ([]*history.Experiment, error) {
	var out []*history.Experiment
	err := s.DB.Query(ctx, `SELECT id, name, tenant, variants_json, status, winner, auto_promote,
		min_samples, alpha, created_ns, updated_ns FROM experiments ORDER BY created_ns, id`, nil, func(row Scanner) error {
		var (
			e                history.Experiment
			vs               string
			created, updated int64
		)
		if err := row.Scan(&e.ID, &e.Name, &e.Tenant, &vs, &e.Status, &e.Winner, &e.AutoPromote,
			&e.MinSamples, &e.Alpha, &created, &updated); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(vs), &e.Variants); err != nil {
			return fmt.Errorf("%s: variants: %w", e.ID, err)
		}
		e.Created, e.Updated = FromUnixNanos(created), FromUnixNanos(updated)
		out = append(out, &e)
		return nil
	})
	if err != nil {
		return nil, s.DB.errorf("experiments", "%w", err)
	}
	return out, nil
}

// Tallies implements history.TallyStore. The counts are kept by the database, with the
// records: triggers on history_records (each backend's schema, history migration 6) add
// a record to its arm's row of experiment_tallies as it is inserted, move it on an
// update and take it out on a delete, in the statement's transaction. An arm whose
// records were all deleted keeps a row of zeros, which is not returned.
func (s HistoryStore) Tallies(ctx context.Context, experiment string) (map[string]history.Tally, error) {
	out := map[string]history.Tally{}
	err := s.DB.Query(ctx, `SELECT variant, requests, plans, valid, refused FROM experiment_tallies WHERE experiment = $1 AND requests > 0`,
		[]any{experiment}, func(row Scanner) error {
			var (
				v string
				t history.Tally
			)
			err := row.Scan(&v, &t.Requests, &t.Plans, &t.Valid, &t.Refused)
			out[v] = t
			return err
		})
	if err != nil {
		return nil, s.DB.errorf("experiment tallies", "read %s: %w", experiment, err)
	}
	return out, nil
}
