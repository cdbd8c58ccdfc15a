package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// extractions wraps a clock and counts the extractions that read it: one per
// slot.Extractor.ExtractDated call.
type extractions struct {
	now func() time.Time
	n   atomic.Int64
}

func (x *extractions) Now() time.Time {
	if pc, _, _, ok := runtime.Caller(1); ok {
		if f := runtime.FuncForPC(pc); f != nil && strings.HasSuffix(f.Name(), "slot.(*Extractor).ExtractDated") {
			x.n.Add(1)
		}
	}
	return x.now()
}

// verbatimText is the request stored by verbatimCache.
const verbatimText = "Email bob@example.com the report"

// verbatimCache is a cache on a settable clock whose extractions x counts, over store
// st, with verbatimText stored in namespace ns.
func verbatimCache(t *testing.T) (*tool.Registry, *clock, *extractions, *MemoryStore, *Cache, Namespace) {
	t.Helper()
	reg := testRegistry(t)
	clk := &clock{t: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	x := &extractions{now: clk.Now}
	st := NewMemoryStore()
	c, _ := newTestCache(t, Config{Now: x.Now}, st)
	ns := Namespace{Tenant: "t"}
	mustStore(t, c, ns, verbatimText, onePlan("send_email", map[string]any{"to": "bob@example.com"}), reg)
	return reg, clk, x, st, c, ns
}

// TestVerbatimHitSkipsAnalysis: a request whose text is an entry's own, and whose slots
// do not depend on the clock, is served the entry's plan without its slots being
// extracted again; a copy, which the caller may change. A request written otherwise, or
// one with a relative date, is analysed and re-bound as before.
func TestVerbatimHitSkipsAnalysis(t *testing.T) {
	reg, clk, x, st, c, ns := verbatimCache(t)
	mustStore(t, c, ns, "weather in Paris tomorrow", onePlan("get_weather",
		map[string]any{"location": "Paris", "date": "2026-11-27"}), reg)

	x.n.Store(0)
	for i := range 3 {
		res := lookup(t, c, ns, verbatimText, reg)
		if res.Reason != HitExact || arg(res.Hit.Plan, "to") != "bob@example.com" || res.Hit.Similarity != 1 {
			t.Fatalf("lookup %d: %q %+v", i, res.Reason, res.Hit)
		}
		res.Hit.Plan.Steps[0].Args["to"] = "eve@example.com" // the caller's copy
	}
	if n := x.n.Load(); n != 0 {
		t.Errorf("the entry's own text was analysed %d times, want 0", n)
	}
	if s := c.Stats(); s.Hits < 3 || s.ByReason[HitExact] < 3 {
		t.Errorf("verbatim hits not counted: %+v", s)
	}

	// Written otherwise (the same after Normalize): analysed, then served.
	if res := lookup(t, c, ns, "email bob@example.com  the report", reg); res.Reason != HitExact || arg(res.Hit.Plan, "to") != "bob@example.com" {
		t.Fatalf("other writing: %q", res.Reason)
	}
	if n := x.n.Load(); n != 1 {
		t.Errorf("the request written otherwise was analysed %d times, want 1", n)
	}

	// A relative date is read against the clock on every lookup.
	x.n.Store(0)
	clk.Add(24 * time.Hour)
	for range 2 {
		res := lookup(t, c, ns, "weather in Paris tomorrow", reg)
		if res.Reason != HitExact || arg(res.Hit.Plan, "date") != "2026-11-28" {
			t.Fatalf("dated: %q %+v", res.Reason, res.Hit)
		}
	}
	if n := x.n.Load(); n != 2 {
		t.Errorf("a dated request was analysed %d times in 2 lookups, want 2", n)
	}

	// Loaded from the store: analysed on its first hit, which shows its stored slots are
	// its text's; not after.
	c2, _ := newTestCache(t, Config{Now: x.Now}, st)
	x.n.Store(0)
	for range 3 {
		if res := lookup(t, c2, ns, verbatimText, reg); res.Reason != HitExact || arg(res.Hit.Plan, "to") != "bob@example.com" {
			t.Fatalf("loaded: %q", res.Reason)
		}
	}
	if n := x.n.Load(); n != 1 {
		t.Errorf("a loaded entry was analysed %d times in 3 lookups, want 1", n)
	}
}

// TestVerbatimNeedsTheSameSlots: an entry loaded with slots its text does not have now
// (stored by another version of the extractor) is never served without analysis: every
// hit re-binds it.
func TestVerbatimNeedsTheSameSlots(t *testing.T) {
	reg, _, x, st, _, ns := verbatimCache(t)
	all, _ := st.LoadAll(context.Background())
	e := all[0]
	e.Slots = []slot.Slot{{Kind: slot.Email, Text: "bob@example.org", Value: "bob@example.org", Start: 6, End: 21}}
	e.Plan = onePlan("send_email", map[string]any{"to": "bob@example.org"})
	if err := st.Put(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	c2, _ := newTestCache(t, Config{Now: x.Now}, st)
	x.n.Store(0)
	for range 3 {
		res := lookup(t, c2, ns, verbatimText, reg)
		if res.Reason != HitExact || arg(res.Hit.Plan, "to") != "bob@example.com" {
			t.Fatalf("%q %+v", res.Reason, res.Hit)
		}
	}
	if n := x.n.Load(); n != 3 {
		t.Errorf("analysed %d times in 3 lookups, want 3", n)
	}
}

// LookupVerbatim serves the entry's own plan, the same for every hit (read-only), with
// its encoding as encoding/json writes it; LookupQuery serves a copy the caller may
// change, without an encoding.
func TestLookupVerbatimSharesThePlan(t *testing.T) {
	reg, _, _, _, c, ns := verbatimCache(t)
	first, ok := c.LookupVerbatim(ns, query.New(verbatimText), reg)
	if !ok || first.Reason != HitExact {
		t.Fatalf("not served verbatim: %+v", first)
	}
	again, _ := c.LookupVerbatim(ns, query.New(verbatimText), reg)
	if again.Hit.Plan != first.Hit.Plan {
		t.Error("two verbatim hits served two plans; the entry's own was to be shared")
	}
	want, err := json.Marshal(first.Hit.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Hit.PlanJSON, want) || !bytes.Equal(again.Hit.PlanJSON, want) {
		t.Errorf("PlanJSON %s, %s; encoding/json writes %s", first.Hit.PlanJSON, again.Hit.PlanJSON, want)
	}
	res := lookup(t, c, ns, verbatimText, reg)
	if res.Hit.Plan == first.Hit.Plan || res.Hit.PlanJSON != nil {
		t.Errorf("LookupQuery served the shared plan (%v) or an encoding (%s)", res.Hit.Plan == first.Hit.Plan, res.Hit.PlanJSON)
	}
}
