// Package rowcodec holds the column encodings the SQLite and PostgreSQL stores share, so
// that the two backends store the same bytes for the same values: vectors as little-endian
// float32 blobs, times as Unix nanoseconds (0 for the zero time), and the encoded columns
// of a history record.
package rowcodec

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// EncodeVector stores v as little-endian float32s.
func EncodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// DecodeVector reads what EncodeVector wrote.
func DecodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("vector of %d bytes is not float32s", len(b))
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// UnixNanos is t in Unix nanoseconds, 0 for the zero time (an exact round trip).
func UnixNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// FromUnixNanos reads what UnixNanos wrote, in UTC.
func FromUnixNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// HistoryColumns are the columns of the history_records table in the order RecordArgs
// encodes them and the stores scan them.
const HistoryColumns = `id, request_id, tenant, api_key, request, template, slots_json, embedding, embedder,
	tier, model, variant, experiment, source, fallback, fallback_reason, plan_json, valid,
	issue_codes_json, issue_fields_json, error_type, latency_ms, prompt_tokens, completion_tokens,
	cost_usd, registry_version, prompt_version, time_ns, retry, execution_json, feedback, attempts, errors_json`

// RecordArgs encodes r as the values of HistoryColumns, in order.
func RecordArgs(r *history.Record) ([]any, error) {
	if r == nil || r.ID == "" {
		return nil, errors.New("record without an id")
	}
	c, err := EncodeRecord(r)
	if err != nil {
		return nil, err
	}
	return []any{r.ID, r.RequestID, r.Tenant, r.APIKey, r.Request, r.Template, c.Slots, c.Embedding, r.Embedder,
		r.Tier, r.Model, r.Variant, r.Experiment, r.Source, r.Fallback, r.FallbackReason, c.Plan, r.Valid,
		c.IssueCodes, c.IssueFields, r.ErrorType, r.LatencyMS, r.PromptTokens, r.CompletionTokens,
		r.CostUSD, r.RegistryVersion, r.PromptVersion, UnixNanos(r.Time), r.Retry, c.Execution, r.Feedback,
		r.Attempts, c.Errors}, nil
}

// RecordColumns are the columns of a history record that are stored encoded; the others
// are stored as they are.
type RecordColumns struct {
	Slots, IssueCodes, IssueFields string  // JSON arrays, never null
	Errors                         string  // JSON array, never null
	Embedding                      []byte  // nil when the record has none
	Plan, Execution                *string // JSON, nil when the record has none
}

// EncodeRecord encodes r's structured fields.
func EncodeRecord(r *history.Record) (RecordColumns, error) {
	var c RecordColumns
	slots := r.Slots
	if slots == nil {
		slots = []slot.Slot{}
	}
	for _, f := range []struct {
		dst *string
		v   any
	}{{&c.Slots, slots}, {&c.IssueCodes, orEmpty(r.IssueCodes)}, {&c.IssueFields, orEmpty(r.IssueFields)}, {&c.Errors, orEmpty(r.Errors)}} {
		b, err := json.Marshal(f.v)
		if err != nil {
			return c, fmt.Errorf("encode record %s: %w", r.ID, err)
		}
		*f.dst = string(b)
	}
	if r.Plan != nil {
		s := string(r.Plan.JSON())
		c.Plan = &s
	}
	if r.Execution != nil {
		b, err := json.Marshal(r.Execution)
		if err != nil {
			return c, fmt.Errorf("encode execution of %s: %w", r.ID, err)
		}
		s := string(b)
		c.Execution = &s
	}
	if len(r.Embedding) > 0 {
		c.Embedding = EncodeVector(r.Embedding)
	}
	return c, nil
}

// DecodeRecord sets r's structured fields from c (r.ID names the record in errors).
func DecodeRecord(r *history.Record, c RecordColumns) error {
	for _, f := range []struct {
		name string
		src  string
		dst  any
	}{{"slots", c.Slots, &r.Slots}, {"issue codes", c.IssueCodes, &r.IssueCodes}, {"issue fields", c.IssueFields, &r.IssueFields}, {"errors", c.Errors, &r.Errors}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return fmt.Errorf("record %s: %s: %w", r.ID, f.name, err)
		}
	}
	if len(r.Slots) == 0 {
		r.Slots = nil
	}
	if len(r.IssueCodes) == 0 {
		r.IssueCodes = nil
	}
	if len(r.Errors) == 0 {
		r.Errors = nil
	}
	if len(r.IssueFields) == 0 {
		r.IssueFields = nil
	}
	if len(c.Embedding) > 0 {
		v, err := DecodeVector(c.Embedding)
		if err != nil {
			return fmt.Errorf("record %s: embedding: %w", r.ID, err)
		}
		r.Embedding = v
	}
	if c.Plan != nil {
		p, err := plan.Parse([]byte(*c.Plan))
		if err != nil {
			return fmt.Errorf("record %s: %w", r.ID, err)
		}
		r.Plan = p
	}
	if c.Execution != nil {
		var ex history.Execution
		if err := json.Unmarshal([]byte(*c.Execution), &ex); err != nil {
			return fmt.Errorf("record %s: execution: %w", r.ID, err)
		}
		r.Execution = &ex
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
