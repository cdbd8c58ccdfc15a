package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// hitRecord is a cache hit's record as the server writes it: nothing attached.
func hitRecord(t *testing.T, id, tenant string, at time.Time) *history.Record {
	t.Helper()
	p, err := plan.Parse([]byte(`{"goal":"g","steps":[{"id":"s1","tool":"send_sms","args":{"to":"+15550102233","n":3}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return &history.Record{ID: id, RequestID: id, Tenant: tenant, APIKey: "k-" + tenant, Request: "text +1 555 010 2233 hi",
		Template: "text <phone> hi", Slots: []slot.Slot{{Kind: slot.Phone, Text: "+1 555 010 2233", Value: "+15550102233", Start: 5, End: 20}},
		Source: "cache", Plan: p, Valid: true, LatencyMS: 0.25, RegistryVersion: "v1", PromptVersion: "p1", Time: at, Retry: id == "h-3"}
}

// testHistoryCacheHits: cache hits written in a batch (which the SQL stores keep apart,
// many to a row) read back exactly, by id and in queries merged with the other records,
// page as one list, are replaced by a later write of the same id, and are deleted by
// retention one by one.
func testHistoryCacheHits(t *testing.T, s history.Store, reopen func() history.Store) {
	ctx := context.Background()
	bs := batch(t, s)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var all []*history.Record
	for b := range 3 { // three batches, the tenants' hits interleaved with other records
		var rs []*history.Record
		for i := range 10 {
			n := b*10 + i
			at := t0.Add(time.Duration(n) * time.Second)
			switch {
			case n%7 == 3:
				r := minimalRecord(at)
				r.ID, r.RequestID, r.Time = fmt.Sprint("m-", n), fmt.Sprint("m-", n), at
				rs = append(rs, r)
			case n%2 == 0:
				rs = append(rs, hitRecord(t, fmt.Sprint("h-", n), "acme", at))
			default:
				rs = append(rs, hitRecord(t, fmt.Sprint("h-", n), "beta", at))
			}
		}
		// Ids that LIKE would confuse, and a hit carrying feedback (a record of its own).
		if b == 0 {
			fb := 1
			rated := hitRecord(t, "h_%", "acme", t0.Add(-time.Second))
			rated.Feedback = &fb
			rs = append(rs, hitRecord(t, "h\\1", "acme", t0.Add(-2*time.Second)), rated)
		}
		if err := bs.PutRecords(ctx, rs); err != nil {
			t.Fatal(err)
		}
		all = append(all, rs...)
	}
	if reopen != nil {
		s = reopen()
	}
	for _, want := range all {
		got, err := s.GetRecord(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v (%v)", want.ID, got, want, err)
		}
	}
	// Ids planwise makes (UUIDv7) carry their request's start, which narrows the search:
	// found whether the record came seconds after it or (past any deadline) an hour.
	soon, late := uuidV7At(t0.Add(-time.Minute), 1), uuidV7At(t0.Add(-2*time.Hour), 2)
	v7 := []*history.Record{hitRecord(t, soon, "acme", t0.Add(-time.Minute+time.Second)), hitRecord(t, late, "acme", t0.Add(-time.Hour))}
	if err := batch(t, s).PutRecords(ctx, v7); err != nil { // s may have been reopened
		t.Fatal(err)
	}
	for _, want := range v7 {
		if got, err := s.GetRecord(ctx, want.ID); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v (%v)", want.ID, got, want, err)
		}
	}
	if _, err := s.GetRecord(ctx, uuidV7At(t0.Add(-time.Minute), 3)); !errors.Is(err, history.ErrNotFound) {
		t.Errorf("an unknown UUIDv7: %v, want not found", err)
	}
	all = append(all, v7...)
	for _, id := range []string{"h-", "h", "h-2x", "h%", "h_1", "-1"} {
		if _, err := s.GetRecord(ctx, id); !errors.Is(err, history.ErrNotFound) {
			t.Errorf("GetRecord(%q): %v, want not found", id, err)
		}
	}
	// Every query and page agrees with the records sorted and filtered here.
	expect := func(rs []*history.Record, q history.Query) []string {
		var ids []string
		sorted := slices.Clone(rs)
		slices.SortStableFunc(sorted, func(a, b *history.Record) int {
			if c := b.Time.Compare(a.Time); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		for _, r := range sorted {
			if (q.Tenant == "" || r.Tenant == q.Tenant) && (q.Since.IsZero() || !r.Time.Before(q.Since)) &&
				(q.Until.IsZero() || r.Time.Before(q.Until)) && (q.Experiment == "" || r.Experiment == q.Experiment) {
				ids = append(ids, r.ID)
			}
		}
		ids = ids[min(max(q.Offset, 0), len(ids)):]
		if q.Limit > 0 && q.Limit < len(ids) {
			ids = ids[:q.Limit]
		}
		return ids
	}
	check := func(rs []*history.Record, q history.Query) {
		t.Helper()
		got, err := s.Records(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if want := expect(rs, q); !slices.Equal(ids, want) {
			t.Errorf("%+v:\n got %v\nwant %v", q, ids, want)
		}
	}
	queries := []history.Query{{}, {Tenant: "acme"}, {Tenant: "beta"}, {Tenant: "other"}, {Experiment: "x"},
		{Since: t0.Add(12 * time.Second)}, {Until: t0.Add(5 * time.Second)},
		{Tenant: "acme", Since: t0.Add(4 * time.Second), Until: t0.Add(21 * time.Second)}}
	for _, lim := range []int{1, 3, 7} {
		for off := 0; off < 35; off += 4 {
			queries = append(queries, history.Query{Limit: lim, Offset: off}, history.Query{Tenant: "beta", Limit: lim, Offset: off})
		}
	}
	queries = append(queries, history.Query{Offset: 9}, history.Query{Offset: 40})
	for _, q := range queries {
		check(all, q)
	}
	// Feedback on a hit writes it again one at a time: one record, the new one.
	fb := -1
	rated := *all[2]
	rated.Feedback = &fb
	if err := s.PutRecord(ctx, &rated); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetRecord(ctx, rated.ID); err != nil || got.Feedback == nil || *got.Feedback != -1 {
		t.Fatalf("a rated hit reads %+v (%v)", got, err)
	}
	got, err := s.Records(ctx, history.Query{})
	if err != nil || len(got) != len(all) {
		t.Fatalf("after rating a hit: %d records (%v), want %d", len(got), err, len(all))
	}
	for _, r := range got {
		if r.ID == rated.ID && (r.Feedback == nil || *r.Feedback != -1) {
			t.Errorf("Records returns the hit as it was before its rating: %+v", r)
		}
	}
	for _, q := range []history.Query{{Limit: 5}, {Limit: 4, Offset: 26}, {Tenant: "acme", Limit: 3, Offset: 3}} {
		check(all, q)
	}
	// Retention: a cut in the middle of the second batch deletes exactly what is older.
	pr, ok := s.(history.Pruner)
	if !ok {
		return
	}
	cut := t0.Add(14*time.Second + time.Millisecond)
	var left []*history.Record
	for _, r := range all {
		if !r.Time.Before(cut) {
			left = append(left, r)
		}
	}
	n, err := pr.DeleteRecordsBefore(ctx, cut)
	if err != nil || n != len(all)-len(left) {
		t.Fatalf("deleted %d (%v), want %d", n, err, len(all)-len(left))
	}
	for _, q := range queries {
		check(left, q)
	}
	for _, r := range all {
		if _, err := s.GetRecord(ctx, r.ID); r.Time.Before(cut) != errors.Is(err, history.ErrNotFound) {
			t.Errorf("%s at %v after the cut: %v", r.ID, r.Time, err)
		}
	}
}

// uuidV7At is a UUIDv7 made at t (its 48-bit millisecond timestamp), seq in its random bits.
func uuidV7At(t time.Time, seq byte) string {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (40 - 8*i))
	}
	u[6], u[8], u[15] = 0x70, 0x80, seq
	return u.String()
}
