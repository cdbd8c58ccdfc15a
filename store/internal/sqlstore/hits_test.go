package sqlstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"
	segjson "github.com/segmentio/encoding/json"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/jsonenc/jsonenctest"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

func hitRecords() []*history.Record {
	feedback := -1
	full := &history.Record{
		ID: "01a2486d-97a5-734e-b70a-d7cf41a98a10", RequestID: "01a2486d-97a5-734e-b70a-d7cf41a98a10",
		Tenant: "acme <&>", APIKey: "k1", Request: "text \"mom\" at 5pm é 😀 \u2028",
		Template: "text <name> at <time>", Embedder: "hash-256",
		Slots: []slot.Slot{{Kind: "name", Text: `"mom"`, Value: "mom", Start: 5, End: 10}, {Kind: "time", Text: "5pm", Value: "17:00", Start: 14, End: 17}},
		Tier:  "simple", Model: "gpt-4o-mini", Variant: "b", Experiment: "exp1",
		Source: "cache", Fallback: true, FallbackReason: "timeout",
		Plan: &plan.Plan{Goal: "g", Reasoning: "r", Steps: []plan.Step{
			{ID: "s1", Tool: "send_sms", Args: map[string]any{"to": "mom", "at": "17:00", "n": json.Number("12.50"), "f": 0.1 + 0.2, "big": 1e21, "small": 1e-7, "l": []any{nil, true, "x"}, "m": map[string]any{"z": 1.0, "a": ""}}},
			{ID: "s2", Tool: "t", Args: map[string]any{}, After: []string{"s1"}, If: "s1.ok", ForEach: "${s1.items}"},
		}},
		Valid: true, IssueCodes: []string{"a"}, IssueFields: []string{"t.x"}, ErrorType: "provider_error",
		Attempts: 2, Errors: []string{"timeout"}, LatencyMS: 0.061, PromptTokens: 12, CompletionTokens: 3,
		CostUSD: 0.0000123, RegistryVersion: "63b94b70abeb719f", PromptVersion: "8116fc65a932",
		Time:  time.Date(2026, 12, 5, 22, 57, 51, 525358862, time.UTC),
		Retry: true, Execution: &history.Execution{RunID: "r1", Status: "failed", Steps: []history.StepOutcome{{ID: "s1", Tool: "send_sms", Status: "failed", Error: "<no route>"}}, DurationMS: 12.5},
		Feedback: &feedback,
	}
	return []*history.Record{full, {ID: "2", Source: "cache", Time: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)}, full}
}

// appendRecord writes every field of history.Record as encoding/json does: a field added
// to Record (or to what it holds) and not to appendRecord fails here.
func TestAppendRecordMatchesStdlib(t *testing.T) {
	full := &history.Record{}
	jsonenctest.Fill(full)
	rs := append(hitRecords(), full, &history.Record{}, nil, &history.Record{CostUSD: math.Copysign(0, -1), Slots: []slot.Slot{}, Errors: []string{}})
	for _, r := range rs {
		got, err := appendRecord([]byte("x"), r, new(hitMemo))
		want, _ := json.Marshal(r)
		if err != nil || !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Fatalf("appendRecord(%+v):\n got %s, %v\nwant x%s (encoding/json)", r, got, err, want)
		}
	}
	got, err := appendRecords(nil, rs)
	if want, _ := json.Marshal(rs); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("appendRecords:\n got %s, %v\nwant %s (encoding/json)", got, err, want)
	}
	// What encoding/json refuses, appendRecord refuses, and encodeHits does with it what
	// it did before, with segmentio/encoding alone (which writes a year past 9999).
	for _, r := range []*history.Record{{LatencyMS: math.NaN()}, {CostUSD: math.Inf(1)}, {Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Plan: &plan.Plan{Steps: []plan.Step{{Args: map[string]any{"n": math.NaN()}}}}}} {
		if _, err := json.Marshal(r); err == nil {
			t.Fatalf("encoding/json encodes %+v", r)
		}
		if _, err := appendRecord(nil, r, new(hitMemo)); err == nil {
			t.Errorf("appendRecord(%+v) did not fail", r)
		}
		doc, err := encodeHits([]*history.Record{r})
		before, errBefore := segjson.Append(nil, []*history.Record{r}, segjson.EscapeHTML|segjson.SortMapKeys)
		if (err == nil) != (errBefore == nil) {
			t.Fatalf("encodeHits(%+v): error %v, before %v", r, err, errBefore)
		}
		if err == nil {
			if got, _ := s2.Decode(nil, doc); !bytes.Equal(got, before) {
				t.Fatalf("encodeHits(%+v):\n got %s\nwant %s (before)", r, got, before)
			}
		}
	}
}

// A row's records that repeat the previous one's request, template, slots or plan have
// them copied from where they were written: only an equal value is, and an equal value
// written the same way (encoding/json's bytes whatever repeats and whatever differs).
func TestEncodeHitsCopiesOnlyEqualValues(t *testing.T) {
	mk := func(n any, mod func(*history.Record)) *history.Record {
		r := &history.Record{ID: "x", Source: "cache", Request: string([]byte("calculate <2> + 3")), Template: "calculate <number> + <number>",
			Slots: []slot.Slot{{Kind: "number", Text: "2", Value: "2", Start: 11, End: 12}},
			Plan:  &plan.Plan{Goal: "g", Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"n": n, "e": "2 + 3"}, After: []string{}}}},
			Time:  time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
		if mod != nil {
			mod(r)
		}
		return r
	}
	shared := mk(1.0, nil)
	rs := []*history.Record{
		mk(0.0, nil), mk(0.0, nil), mk(math.Copysign(0, -1), nil), mk(json.Number("0"), nil), mk(json.Number("0"), nil), mk(false, nil), mk(nil, nil), mk(nil, nil),
		mk([]any{1.0}, nil), mk([]any{1.0}, nil), mk(map[string]any{"a": 1.0}, nil), mk("s", nil), mk("s", nil),
		shared, shared, nil, shared, mk(1.0, func(r *history.Record) { r.Plan.Steps[0].After = nil }),
		mk(1.0, func(r *history.Record) { r.Plan.Steps[0].If = "x" }), mk(1.0, func(r *history.Record) { r.Plan.Steps[0].Args["k"] = "v" }),
		mk(1.0, func(r *history.Record) { r.Plan.Steps = append(r.Plan.Steps, plan.Step{ID: "s2"}) }),
		mk(1.0, func(r *history.Record) { r.Plan = nil }), mk(1.0, nil), mk(1.0, func(r *history.Record) { r.Plan.Steps = nil }),
		mk(1.0, func(r *history.Record) { r.Plan.Goal = "h" }), mk(1.0, func(r *history.Record) { r.Request += " " }),
		mk(1.0, func(r *history.Record) { r.Template = "" }), mk(1.0, nil), mk(1.0, func(r *history.Record) { r.Slots[0].End = 13 }),
		mk(1.0, func(r *history.Record) { r.Slots = nil }), mk(1.0, nil), mk(1.0, func(r *history.Record) { r.Slots = append(r.Slots, r.Slots[0]) }),
	}
	doc, err := encodeHits(rs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s2.Decode(nil, doc)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := json.Marshal(rs); !bytes.Equal(got, want) {
		t.Fatalf("history_hits JSON:\n got %s\nwant %s (encoding/json)", got, want)
	}
}

// TestEncodeHitsMatchesStdlib: a history_hits row holds encoding/json's bytes, whatever
// encoded them, and reads back as the records written.
func TestEncodeHitsMatchesStdlib(t *testing.T) {
	rs := hitRecords()
	for range 2 { // the second time with a buffer from the pool
		doc, err := encodeHits(rs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s2.Decode(nil, doc)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(rs)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("history_hits JSON:\n got %s\nwant %s (encoding/json)", got, want)
		}
		back, err := decodeHits(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i := range back {
			// decodeHits reads plan numbers as json.Number, as a history_records row is read.
			var p plan.Plan
			b, _ := json.Marshal(rs[i].Plan)
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			_ = dec.Decode(&p)
			if rs[i].Plan == nil {
				continue
			}
			if !reflect.DeepEqual(back[i].Plan, &p) || back[i].Request != rs[i].Request || !back[i].Time.Equal(rs[i].Time) || !reflect.DeepEqual(back[i].Slots, rs[i].Slots) {
				t.Fatalf("record %d read back as %+v", i, back[i])
			}
		}
	}
}

// hitSpan gives the batch's time span and its ids between commas, in one allocation.
func TestHitSpan(t *testing.T) {
	t0 := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	rs := []*history.Record{{ID: "b", Time: t0.Add(time.Second)}, {ID: "a-1", Time: t0}, {ID: "c", Time: t0.Add(2 * time.Second)}}
	first, last, ids := hitSpan(rs)
	if first != UnixNanos(t0) || last != UnixNanos(t0.Add(2*time.Second)) || ids != ",b,a-1,c," {
		t.Fatalf("hitSpan: %d %d %q", first, last, ids)
	}
	if n := testing.AllocsPerRun(100, func() { hitSpan(rs) }); n != 1 {
		t.Fatalf("hitSpan allocates %.0f times", n)
	}
}

// BenchmarkEncodeHits encodes a batch of 256 cache hits' records (the bench hits
// request's) as a history_hits row: ns/op is a batch's, so divide by 256 for a hit's.
// "segmentio" is the JSON as it was written before appendRecord, for comparison.
func BenchmarkEncodeHits(b *testing.B) {
	rs := make([]*history.Record, 256)
	for i := range rs {
		id := fmt.Sprintf("01a249d5-c5ad-7d0e-a053-%012x", i)
		rs[i] = &history.Record{ID: id, RequestID: id, Tenant: "default", APIKey: "anonymous", Request: "calculate (12.5 + 7) * 3",
			Template: "calculate (<number> + <number>) * <number>", Slots: []slot.Slot{{Kind: "number", Text: "12.5", Value: "12.5", Start: 11, End: 15},
				{Kind: "number", Text: "7", Value: "7", Start: 18, End: 19}, {Kind: "number", Text: "3", Value: "3", Start: 23, End: 24}},
			Embedder: "hash-512", Tier: "simple", Source: "cache",
			Plan: &plan.Plan{Goal: "calculate (12.5 + 7) * 3", Reasoning: `pattern planner: "calculate (12.5 + 7) * 3" -> calculate (18.4)`,
				Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "(12.5 + 7) * 3"}}}},
			Valid: true, LatencyMS: 0.119, RegistryVersion: "63b94b70abeb719f", PromptVersion: "8116fc65a932",
			Time: time.Date(2026, 12, 6, 5, 31, 20, int(i)*1000, time.UTC), Retry: true}
	}
	b.Run("appendRecord", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := encodeHits(rs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("segmentio", func(b *testing.B) {
		var buf, scratch []byte
		b.ReportAllocs()
		for b.Loop() {
			doc, err := segjson.Append(buf[:0], rs, segjson.EscapeHTML|segjson.SortMapKeys)
			if err != nil {
				b.Fatal(err)
			}
			buf = doc
			if n := s2.MaxEncodedLen(len(doc)); cap(scratch) < n {
				scratch = make([]byte, n)
			}
			_ = bytes.Clone(s2.Encode(scratch[:cap(scratch)], doc))
		}
	})
}
