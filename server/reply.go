package server

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/planwise/planwise/internal/jsonenc"
	"github.com/planwise/planwise/planner"
)

// writePlan answers a plan as writeJSON(w, http.StatusOK, resp) does, byte for byte,
// with the reply appended by appendResponse into a reused buffer: segmentio/encoding
// walked the response's twenty fields through reflection, about 12,400 instructions a
// reply against 6,800 here (BenchmarkReply; issue 13). A response appendResponse cannot
// write (a NaN) goes through writeJSON, which writes what it always did.
func writePlan(w http.ResponseWriter, resp *planner.Response) {
	buf := replyBuffers.Get().(*[]byte)
	b, err := appendResponse((*buf)[:0], resp)
	if err != nil {
		replyBuffers.Put(buf)
		writeJSON(w, http.StatusOK, resp)
		return
	}
	b = append(b, '\n') // json.Encoder ends a value with a newline
	headerSet(w.Header(), contentTypeHeader, "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	if cap(b) <= maxReplyBuffer {
		*buf = b
		replyBuffers.Put(buf)
	}
}

// replyBuffers hold writePlan's replies (about 700 bytes for a one-step plan); one
// larger than maxReplyBuffer is left to the collector rather than kept.
var replyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxReplyBuffer = 64 << 10

// appendResponse appends r as encoding/json writes a *planner.Response (what writeJSON
// wrote): TestAppendResponseMatchesStdlib holds the two to the same bytes, with every
// field of Response set and with the hit path's response, and fails when Response gains
// a field written here.
func appendResponse(b []byte, r *planner.Response) ([]byte, error) {
	if r == nil {
		return append(b, "null"...), nil
	}
	var err error
	b = append(b, `{"plan":`...)
	if js := r.PlanJSON(); js != nil {
		b = append(b, js...)
	} else if b, err = jsonenc.Plan(b, r.Plan); err != nil {
		return b, err
	}
	b = append(b, `,"source":`...)
	b = jsonenc.String(b, r.Source)
	if r.Model != "" {
		b = append(b, `,"model":`...)
		b = jsonenc.String(b, r.Model)
	}
	if r.Tier != "" {
		b = append(b, `,"tier":`...)
		b = jsonenc.String(b, r.Tier)
	}
	b = append(b, `,"fallback":`...)
	b = jsonenc.Bool(b, r.Fallback)
	if r.FallbackReason != "" {
		b = append(b, `,"fallback_reason":`...)
		b = jsonenc.String(b, r.FallbackReason)
	}
	b = append(b, `,"attempts":`...)
	b = strconv.AppendInt(b, int64(r.Attempts), 10)
	b = append(b, `,"tokens":{"prompt":`...)
	b = strconv.AppendInt(b, int64(r.Tokens.Prompt), 10)
	b = append(b, `,"completion":`...)
	b = strconv.AppendInt(b, int64(r.Tokens.Completion), 10)
	if r.Tokens.Estimated != 0 {
		b = append(b, `,"estimated_prompt":`...)
		b = strconv.AppendInt(b, int64(r.Tokens.Estimated), 10)
	}
	b = append(b, `},"cost_usd":`...)
	if b, err = jsonenc.Float(b, r.CostUSD); err != nil {
		return b, err
	}
	if c := r.Cache; c != nil {
		b = append(b, `,"cache":{"similarity":`...)
		if b, err = jsonenc.Float(b, c.Similarity); err != nil {
			return b, err
		}
		b = append(b, `,"exact":`...)
		b = jsonenc.Bool(b, c.Exact)
		b = append(b, `,"age_seconds":`...)
		if b, err = jsonenc.Float(b, c.AgeSeconds); err != nil {
			return b, err
		}
		if c.EntryID != "" {
			b = append(b, `,"entry_id":`...)
			b = jsonenc.String(b, c.EntryID)
		}
		b = append(b, '}')
	}
	b = append(b, `,"offline":`...)
	b = jsonenc.Bool(b, r.Offline)
	if r.PromptVersion != "" {
		b = append(b, `,"prompt_version":`...)
		b = jsonenc.String(b, r.PromptVersion)
	}
	if r.PromptVariant != "" {
		b = append(b, `,"prompt_variant":`...)
		b = jsonenc.String(b, r.PromptVariant)
	}
	b = append(b, `,"registry_version":`...)
	b = jsonenc.String(b, r.RegistryVersion)
	b = append(b, `,"request_id":`...)
	b = jsonenc.String(b, r.RequestID)
	if r.HistoryID != "" {
		b = append(b, `,"history_id":`...)
		b = jsonenc.String(b, r.HistoryID)
	}
	b = append(b, `,"latency_ms":`...)
	if b, err = jsonenc.Float(b, r.LatencyMS); err != nil {
		return b, err
	}
	if len(r.Errors) > 0 {
		b = append(b, `,"errors":`...)
		b = jsonenc.Strings(b, r.Errors)
	}
	if r.Partial {
		b = append(b, `,"partial":true`...)
	}
	if len(r.Unplanned) > 0 {
		b = append(b, `,"unplanned":`...)
		b = jsonenc.Strings(b, r.Unplanned)
	}
	return append(b, '}'), nil
}
