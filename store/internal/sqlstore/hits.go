package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/klauspost/compress/s2"
	segjson "github.com/segmentio/encoding/json"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/jsonenc"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// Cache hits are most of what a planner serves, and each one's record used to be a
// 35-column row of history_records with three indexes: about 18 µs of CPU a hit on
// SQLite, a quarter of the server's CPU under load and most of its tail (BENCHMARKS.md,
// issue 13). A hit that nothing is attached to (no run, no feedback, no embedding, no
// experiment) is kept instead with the other hits of its batch and tenant in one row of
// history_hits: their records as a JSON array, their ids, their time span; about 5 µs a
// hit. Nothing else changes for readers: GetRecord, Records and DeleteRecordsBefore see
// both tables, and a hit written again one at a time (feedback, a run, re-embedding)
// goes to history_records, whose copy is the one read.

// sourceCache is the Source of a cache hit's record (planner.SourceCache).
const sourceCache = "cache"

// hitPage reports whether PutRecords keeps r in history_hits.
func hitPage(r *history.Record) bool {
	return r.Source == sourceCache && r.Execution == nil && r.Feedback == nil && len(r.Embedding) == 0 && r.Experiment == ""
}

const putHitsSQL = `INSERT INTO history_hits (tenant, first_ns, last_ns, n, ids, records) VALUES ($1, $2, $3, $4, $5, $6)`

// hitStmts encodes hits as one history_hits row per tenant, in order of first appearance.
func hitStmts(hits []*history.Record) ([]Stmt, error) {
	var tenants []string
	byTenant := map[string][]*history.Record{}
	for _, r := range hits {
		if _, ok := byTenant[r.Tenant]; !ok {
			tenants = append(tenants, r.Tenant)
		}
		byTenant[r.Tenant] = append(byTenant[r.Tenant], r)
	}
	stmts := make([]Stmt, 0, len(tenants))
	for _, t := range tenants {
		rs := byTenant[t]
		first, last, ids := hitSpan(rs)
		doc, err := encodeHits(rs)
		if err != nil {
			return nil, fmt.Errorf("encode %d cache hits: %w", len(rs), err)
		}
		stmts = append(stmts, Stmt{putHitsSQL, []any{t, first, last, len(rs), ids, doc}})
	}
	return stmts, nil
}

// hitSpan returns the times of the oldest and newest of rs (Unix nanoseconds) and their
// ids as ",id1,id2,...,".
func hitSpan(rs []*history.Record) (first, last int64, ids string) {
	var b strings.Builder
	n := 1
	for _, r := range rs {
		n += len(r.ID) + 1
	}
	b.Grow(n) // a batch's ids in one allocation, not the six or more of growing into them
	b.WriteByte(',')
	for i, r := range rs {
		ns := UnixNanos(r.Time)
		if i == 0 || ns < first {
			first = ns
		}
		if i == 0 || ns > last {
			last = ns
		}
		b.WriteString(r.ID)
		b.WriteByte(',')
	}
	return first, last, b.String()
}

// encodeHits encodes rs as a history_hits row's records: a JSON array compressed with S2
// (klauspost/compress/s2's block format). A batch's hits repeat their plans, templates
// and keys: S2 shrinks them about 9x for about 50 ns a hit, and the database writes (a
// WAL frame a page) shrink with them. The JSON is encoding/json's, byte for byte
// (TestEncodeHitsMatchesStdlib), appended into a reused buffer by appendRecord without
// reflection: a hit's record cost about 3.5 µs of CPU and 2 KB of garbage with
// encoding/json, about 1 µs with segmentio/encoding; compressed, about 17,900
// instructions a hit with segmentio/encoding and 10,700 here (BenchmarkEncodeHits),
// less where a record repeats the previous one's request and plan (hitMemo).
func encodeHits(rs []*history.Record) ([]byte, error) {
	buf := hitsBuffers.Get().(*[]byte)
	defer hitsBuffers.Put(buf)
	doc, err := appendRecords((*buf)[:0], rs)
	if err != nil {
		// A value appendRecord does not write (a NaN) fails as encoding/json fails.
		if doc, err = segjson.Append((*buf)[:0], rs, segjson.EscapeHTML|segjson.SortMapKeys); err != nil {
			return nil, err
		}
	}
	*buf = doc
	// s2.Encode needs room for its worst case (a little more than the input); the row
	// gets a copy of what it wrote, about a ninth of that.
	scratch := hitsBuffers.Get().(*[]byte)
	defer hitsBuffers.Put(scratch)
	if n := s2.MaxEncodedLen(len(doc)); cap(*scratch) < n {
		*scratch = make([]byte, n)
	}
	return bytes.Clone(s2.Encode((*scratch)[:cap(*scratch)], doc)), nil
}

// appendRecords appends rs as encoding/json writes a []*history.Record.
func appendRecords(b []byte, rs []*history.Record) ([]byte, error) {
	if rs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var m hitMemo
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendRecord(b, r, &m); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// hitMemo is where appendRecord wrote the previous record's request, template, slots
// and plan, the bulk of a hit's JSON: a batch's hits are mostly a few requests served
// again and again, and a value equal to the previous record's is copied from where it
// was written instead of being escaped again (an equal value is written the same way;
// TestEncodeHitsMatchesStdlib holds batches of equal and nearly equal records to
// encoding/json).
type hitMemo struct {
	prev                           *history.Record
	request, template, slots, plan span
}

// noRecord is the previous record of a row's first: nothing to copy.
var noRecord history.Record

// span is where a value was written in the row's JSON.
type span struct{ start, end int }

// copied appends again what was written at was when same, or write's JSON, and returns
// where it wrote it.
func copied(b []byte, same bool, was span, write func([]byte) ([]byte, error)) ([]byte, span, error) {
	start := len(b)
	if same {
		return append(b, b[was.start:was.end]...), span{start, start + was.end - was.start}, nil
	}
	b, err := write(b)
	return b, span{start, len(b)}, err
}

// samePlan reports whether a and b are written the same way: equal in every field,
// their arguments strings, json.Numbers, booleans, nulls or float64s of the same bits
// (0 and -0 are equal floats written differently). Other arguments are not compared
// (false).
func samePlan(a, b *plan.Plan) bool {
	if a == nil || b == nil || a.Goal != b.Goal || a.Reasoning != b.Reasoning || len(a.Steps) != len(b.Steps) || (a.Steps == nil) != (b.Steps == nil) {
		return false
	}
	for i := range a.Steps {
		sa, sb := &a.Steps[i], &b.Steps[i]
		if sa.ID != sb.ID || sa.Tool != sb.Tool || sa.If != sb.If || sa.ForEach != sb.ForEach || !slices.Equal(sa.After, sb.After) ||
			len(sa.Args) != len(sb.Args) || (sa.Args == nil) != (sb.Args == nil) {
			return false
		}
		for k, va := range sa.Args {
			vb, ok := sb.Args[k]
			if !ok || !sameScalar(va, vb) {
				return false
			}
		}
	}
	return true
}

func sameScalar(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	return false
}

// appendRecord appends r as encoding/json writes a *history.Record.
// TestAppendRecordMatchesStdlib holds the two to the same bytes, with every field of
// Record set, and fails when Record gains a field written here.
func appendRecord(b []byte, r *history.Record, m *hitMemo) ([]byte, error) {
	if r == nil {
		return append(b, "null"...), nil
	}
	prev := m.prev
	if prev == nil {
		prev = &noRecord
	}
	m.prev = r
	var err error
	b = append(b, `{"id":`...)
	b = jsonenc.String(b, r.ID)
	b = append(b, `,"request_id":`...)
	b = jsonenc.String(b, r.RequestID)
	b = append(b, `,"tenant":`...)
	b = jsonenc.String(b, r.Tenant)
	b = appendOmitString(b, `,"api_key":`, r.APIKey)
	b = append(b, `,"request":`...)
	b, m.request, _ = copied(b, m.request.end > 0 && r.Request == prev.Request, m.request, func(b []byte) ([]byte, error) {
		return jsonenc.String(b, r.Request), nil
	})
	b = append(b, `,"template":`...)
	b, m.template, _ = copied(b, m.template.end > 0 && r.Template == prev.Template, m.template, func(b []byte) ([]byte, error) {
		return jsonenc.String(b, r.Template), nil
	})
	if len(r.Slots) > 0 {
		b = append(b, `,"slots":`...)
		b, m.slots, _ = copied(b, m.slots.end > 0 && slices.Equal(r.Slots, prev.Slots), m.slots, func(b []byte) ([]byte, error) {
			return appendSlots(b, r.Slots), nil
		})
	} else {
		m.slots = span{}
	}
	b = appendOmitString(b, `,"embedder":`, r.Embedder)
	b = appendOmitString(b, `,"tier":`, r.Tier)
	b = appendOmitString(b, `,"model":`, r.Model)
	b = appendOmitString(b, `,"variant":`, r.Variant)
	b = appendOmitString(b, `,"experiment":`, r.Experiment)
	b = append(b, `,"source":`...)
	b = jsonenc.String(b, r.Source)
	if r.Fallback {
		b = append(b, `,"fallback":true`...)
	}
	b = appendOmitString(b, `,"fallback_reason":`, r.FallbackReason)
	if r.Plan != nil {
		b = append(b, `,"plan":`...)
		if b, m.plan, err = copied(b, m.plan.end > 0 && samePlan(r.Plan, prev.Plan), m.plan, func(b []byte) ([]byte, error) {
			return jsonenc.Plan(b, r.Plan)
		}); err != nil {
			return b, err
		}
	} else {
		m.plan = span{}
	}
	b = append(b, `,"valid":`...)
	b = jsonenc.Bool(b, r.Valid)
	b = appendOmitStrings(b, `,"issue_codes":`, r.IssueCodes)
	b = appendOmitStrings(b, `,"issue_fields":`, r.IssueFields)
	if r.NoPlan {
		b = append(b, `,"no_plan":true`...)
	}
	b = appendOmitString(b, `,"refused":`, r.Refused)
	b = appendOmitString(b, `,"error_type":`, r.ErrorType)
	b = appendOmitInt(b, `,"attempts":`, r.Attempts)
	b = appendOmitStrings(b, `,"errors":`, r.Errors)
	b = append(b, `,"latency_ms":`...)
	if b, err = jsonenc.Float(b, r.LatencyMS); err != nil {
		return b, err
	}
	b = appendOmitInt(b, `,"prompt_tokens":`, r.PromptTokens)
	b = appendOmitInt(b, `,"completion_tokens":`, r.CompletionTokens)
	if r.CostUSD != 0 {
		b = append(b, `,"cost_usd":`...)
		if b, err = jsonenc.Float(b, r.CostUSD); err != nil {
			return b, err
		}
	}
	b = append(b, `,"registry_version":`...)
	b = jsonenc.String(b, r.RegistryVersion)
	b = appendOmitString(b, `,"prompt_version":`, r.PromptVersion)
	b = append(b, `,"time":`...)
	if b, err = jsonenc.Time(b, r.Time); err != nil {
		return b, err
	}
	if r.Retry {
		b = append(b, `,"retry":true`...)
	}
	if r.Execution != nil { // never on a hit kept here (hitPage)
		b = append(b, `,"execution":`...)
		if b, err = jsonenc.Value(b, r.Execution); err != nil {
			return b, err
		}
	}
	if r.Feedback != nil {
		b = append(b, `,"feedback":`...)
		b = strconv.AppendInt(b, int64(*r.Feedback), 10)
	}
	return append(b, '}'), nil
}

// appendSlots appends a record's slots (slot.Slot has no JSON tags).
func appendSlots(b []byte, slots []slot.Slot) []byte {
	b = append(b, '[')
	for i, sl := range slots {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Kind":`...)
		b = jsonenc.String(b, string(sl.Kind))
		b = append(b, `,"Text":`...)
		b = jsonenc.String(b, sl.Text)
		b = append(b, `,"Value":`...)
		b = jsonenc.String(b, sl.Value)
		b = append(b, `,"Start":`...)
		b = strconv.AppendInt(b, int64(sl.Start), 10)
		b = append(b, `,"End":`...)
		b = strconv.AppendInt(b, int64(sl.End), 10)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendOmitString appends a field of a string with omitempty: nothing when s is empty.
func appendOmitString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return jsonenc.String(append(b, key...), s)
}

func appendOmitStrings(b []byte, key string, l []string) []byte {
	if len(l) == 0 {
		return b
	}
	return jsonenc.Strings(append(b, key...), l)
}

func appendOmitInt(b []byte, key string, n int) []byte {
	if n == 0 {
		return b
	}
	return strconv.AppendInt(append(b, key...), int64(n), 10)
}

// hitsBuffers holds encodeHits' buffers (about 1 KB a hit).
var hitsBuffers = sync.Pool{New: func() any { return new([]byte) }}

// decodeHits reads a history_hits row's records as scanRecord reads a history_records
// row: plan numbers as json.Number, times in UTC, empty lists nil.
func decodeHits(doc []byte) ([]*history.Record, error) {
	doc, err := s2.Decode(nil, doc)
	if err != nil {
		return nil, fmt.Errorf("decompress cache hits: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var rs []*history.Record
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("decode cache hits: %w", err)
	}
	for _, r := range rs {
		r.Time = FromUnixNanos(UnixNanos(r.Time))
		nilEmptyLists(r)
	}
	return rs, nil
}

// dropHit removes the cache hit with the given id and time from history_hits, once a
// newer copy of its record is in history_records (PutRecord): the rows whose span holds
// at are rewritten without it, or deleted when it was their last.
func (s HistoryStore) dropHit(ctx context.Context, id string, at time.Time) error {
	ns := UnixNanos(at)
	type change struct {
		seq  int64
		keep []*history.Record
	}
	var changes []change
	err := s.eachHitRow(ctx, `SELECT seq, records FROM history_hits WHERE last_ns >= $1 AND first_ns <= $1 AND ids LIKE $2 ESCAPE '\'`,
		[]any{ns, "%," + likeEscaper.Replace(id) + ",%"}, func(seq int64, rs []*history.Record) error {
			n := len(rs)
			if rs = slices.DeleteFunc(rs, func(r *history.Record) bool { return r.ID == id }); len(rs) < n {
				changes = append(changes, change{seq, rs})
			}
			return nil
		})
	if err != nil {
		return err
	}
	for _, c := range changes {
		if err := s.rewriteHits(ctx, c.seq, c.keep); err != nil {
			return err
		}
	}
	return nil
}

// rewriteHits replaces the records of the history_hits row seq by rs, or deletes the row
// when rs is empty.
func (s HistoryStore) rewriteHits(ctx context.Context, seq int64, rs []*history.Record) error {
	if len(rs) == 0 {
		_, err := s.DB.Exec(ctx, `DELETE FROM history_hits WHERE seq = $1`, seq)
		return err
	}
	first, last, ids := hitSpan(rs)
	doc, err := encodeHits(rs)
	if err != nil {
		return err
	}
	_, err = s.DB.Exec(ctx, `UPDATE history_hits SET first_ns = $1, last_ns = $2, n = $3, ids = $4, records = $5 WHERE seq = $6`,
		first, last, len(rs), ids, doc, seq)
	return err
}

// likeEscaper escapes LIKE's wildcards (with ESCAPE '\').
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// getHit returns the newest cache hit with the given id, or nil. An id planwise made
// (ids.New: a UUIDv7) carries the time its request began, and the request's record was
// written after it: the rows whose span holds that time or the next hitWindow are read
// first, through the last_ns index. Any other id (a caller's X-Request-ID), or one not
// found there, is looked for in every row.
func (s HistoryStore) getHit(ctx context.Context, id string) (*history.Record, error) {
	pattern := "%," + likeEscaper.Replace(id) + ",%"
	if u, err := uuid.Parse(id); err == nil && u.Version() == 7 && u.String() == id {
		sec, nsec := u.Time().UnixTime()
		began := time.Unix(sec, nsec)
		r, err := s.findHit(ctx, id, `SELECT seq, records FROM history_hits WHERE last_ns >= $1 AND first_ns <= $2 AND ids LIKE $3 ESCAPE '\' ORDER BY last_ns DESC`,
			UnixNanos(began.Add(-time.Millisecond)), UnixNanos(began.Add(hitWindow)), pattern)
		if r != nil || err != nil {
			return r, err
		}
	}
	return s.findHit(ctx, id, `SELECT seq, records FROM history_hits WHERE ids LIKE $1 ESCAPE '\' ORDER BY last_ns DESC`, pattern)
}

// hitWindow bounds, for getHit's first look, the time from a request's id to its record:
// far longer than any request's deadline.
const hitWindow = 15 * time.Minute

// findHit returns the newest hit with the given id among the rows query (selecting seq
// and records) selects.
func (s HistoryStore) findHit(ctx context.Context, id, query string, args ...any) (*history.Record, error) {
	var found *history.Record
	err := s.eachHitRow(ctx, query, args, func(_ int64, rs []*history.Record) error {
		for _, r := range rs {
			if r.ID == id && (found == nil || r.Time.After(found.Time)) {
				found = r
			}
		}
		if found != nil {
			return errStop
		}
		return nil
	})
	return found, err
}

// eachHitRow runs query, which selects history_hits rows' seq and records, and calls f
// with each row's records until f returns an error; errStop ends it without one. A row
// that cannot be decoded is passed over (Records reports such rows).
func (s HistoryStore) eachHitRow(ctx context.Context, query string, args []any, f func(seq int64, rs []*history.Record) error) error {
	err := s.DB.Query(ctx, query, args, func(row Scanner) error {
		var seq int64
		var doc []byte
		if err := row.Scan(&seq, &doc); err != nil {
			return err
		}
		rs, err := decodeHits(doc)
		if err != nil {
			return nil
		}
		return f(seq, rs)
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// errStop ends a Query's row loop early.
var errStop = errors.New("stop")

// hitMatches reports whether r passes q's filters.
func hitMatches(r *history.Record, q history.Query) bool {
	return (q.Tenant == "" || r.Tenant == q.Tenant) && (q.Since.IsZero() || !r.Time.Before(q.Since)) &&
		(q.Until.IsZero() || r.Time.Before(q.Until)) && (q.Experiment == "" || r.Experiment == q.Experiment)
}

// newestFirst orders records as Records returns them: newest first, ties by id.
func newestFirst(a, b *history.Record) int {
	if c := b.Time.Compare(a.Time); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// hits returns the cache hits matching q (its Limit and Offset aside), newest first; with
// need > 0, only the newest need of them. Rows are read newest last_ns first and the scan
// stops at the first row whose newest record is older than the need-th kept. Rows that
// cannot be decoded are left out and counted.
func (s HistoryStore) hits(ctx context.Context, q history.Query, need int) ([]*history.Record, unreadable, error) {
	var bad unreadable
	if q.Experiment != "" { // hits with an experiment are history_records rows
		return nil, bad, nil
	}
	f := historyFilter(q, "last_ns >= ", "first_ns < ")
	query := `SELECT last_ns, records FROM history_hits` + f.where() + " ORDER BY last_ns DESC"
	var out []*history.Record
	full := false // out holds need records, the oldest of them out[need-1]
	err := s.DB.Query(ctx, query, f.args, func(row Scanner) error {
		var last int64
		var doc []byte
		if err := row.Scan(&last, &doc); err != nil {
			return err
		}
		if full && last < UnixNanos(out[need-1].Time) {
			return errStop
		}
		rs, err := decodeHits(doc)
		if err != nil {
			bad.add(err)
			return nil
		}
		for _, r := range rs {
			if hitMatches(r, q) {
				out = append(out, r)
			}
		}
		if need > 0 && len(out) >= need {
			slices.SortFunc(out, newestFirst)
			out, full = out[:need], true
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, bad, err
	}
	slices.SortFunc(out, newestFirst)
	return out, bad, nil
}

// mergeRecords merges rows (history_records, newest first) and hits (newest first), drops
// a hit whose id a row or a newer hit has, and applies offset and limit (0: no limit).
func mergeRecords(rows, hits []*history.Record, offset, limit int) []*history.Record {
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		seen[r.ID] = true
	}
	all := rows
	for _, r := range hits {
		if !seen[r.ID] {
			seen[r.ID] = true
			all = append(all, r)
		}
	}
	slices.SortStableFunc(all, newestFirst)
	offset = max(offset, 0)
	if offset >= len(all) {
		return nil
	}
	all = all[offset:]
	if limit > 0 && limit < len(all) {
		all = all[:limit]
	}
	return all
}

// deleteHitsBefore deletes the cache hits whose time is before t and returns how many:
// rows wholly older in chunks, and the few rows that straddle t rewritten without their
// older hits.
func (s HistoryStore) deleteHitsBefore(ctx context.Context, t time.Time) (int, error) {
	ns := UnixNanos(t)
	total := 0
	for {
		var n, rows int
		err := s.DB.Query(ctx, `SELECT COALESCE(SUM(n), 0), COUNT(*) FROM (SELECT n FROM history_hits WHERE last_ns < $1 ORDER BY seq LIMIT `+strconv.Itoa(pruneChunk)+`) AS old`,
			[]any{ns}, func(row Scanner) error { return row.Scan(&n, &rows) })
		if err != nil {
			return total, err
		}
		if rows == 0 {
			break
		}
		if _, err := s.DB.Exec(ctx, `DELETE FROM history_hits WHERE seq IN (SELECT seq FROM history_hits WHERE last_ns < $1 ORDER BY seq LIMIT `+strconv.Itoa(pruneChunk)+`)`, ns); err != nil {
			return total, err
		}
		total += n
	}
	type straddler struct {
		seq     int64
		keep    []*history.Record
		deleted int
	}
	var st []straddler
	err := s.eachHitRow(ctx, `SELECT seq, records FROM history_hits WHERE first_ns < $1 AND last_ns >= $1`, []any{ns}, func(seq int64, rs []*history.Record) error {
		n := len(rs)
		keep := slices.DeleteFunc(rs, func(r *history.Record) bool { return r.Time.Before(t) })
		st = append(st, straddler{seq, keep, n - len(keep)})
		return nil
	})
	if err != nil {
		return total, err
	}
	for _, x := range st {
		if err := s.rewriteHits(ctx, x.seq, x.keep); err != nil {
			return total, err
		}
		total += x.deleted
	}
	return total, nil
}
