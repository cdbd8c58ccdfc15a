package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

func runCache(t *testing.T, open Opener) {
	runEach(t, open, func(s Stores) cache.Store { return s.Cache }, []test[cache.Store]{
		{"RoundTrip", testCacheRoundTrip},
		{"DeleteManyAndTouch", testCacheDeleteManyAndTouch},
		{"SurvivesRestart", testCacheSurvivesRestart},
	})
}

// testCacheRoundTrip: entries come back exactly (vectors bit for bit, times to the
// nanosecond), Touch updates use, Delete removes and ignores absent ids, and an entry
// without a plan is refused.
func testCacheRoundTrip(t *testing.T, s cache.Store, reopen func() cache.Store) {
	ctx := context.Background()
	now := time.Unix(1_790_000_000, 123_456_789).UTC()
	e := cache.Entry{
		ID: "e1", Namespace: cache.Namespace{Registry: "r1", Prompt: "p1", Tier: "simple", Tenant: "acme"},
		Request: "Email Bob the report", Normalized: "email bob the report", Template: "email {name} the report",
		Slots:    []slot.Slot{{Kind: slot.Name, Text: "Bob", Value: "Bob", Start: 6, End: 9}},
		Plan:     &plan.Plan{Goal: "email", Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "Bob"}}}},
		Embedder: "local-512", Vector: []float32{0.25, -1.5, 3.0e-8, 1}, Created: now, LastUsed: now, Hits: 2,
	}
	if err := s.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	e2 := e
	e2.ID, e2.Request = "e2", "Email Bob the slides"
	if err := s.Put(ctx, e2); err != nil {
		t.Fatal(err)
	}
	if reopen != nil {
		s = reopen()
	}
	got, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "e1" {
		t.Fatalf("LoadAll = %d entries", len(got))
	}
	if !reflect.DeepEqual(got[0].Vector, e.Vector) || !got[0].Created.Equal(now) || got[0].Hits != 2 ||
		got[0].Namespace != e.Namespace || got[0].Template != e.Template || !reflect.DeepEqual(got[0].Slots, e.Slots) ||
		string(got[0].Plan.JSON()) != string(e.Plan.JSON()) || got[0].Request != e.Request ||
		got[0].Normalized != e.Normalized || got[0].Embedder != e.Embedder || !got[0].LastUsed.Equal(now) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got[0], e)
	}
	if got[1].Request != e2.Request {
		t.Fatalf("e2 read back as %+v", got[1])
	}
	later := now.Add(time.Hour)
	touch(t, s, []cache.Use{{ID: "e1", LastUsed: later, Hits: 9}, {ID: "absent", LastUsed: later, Hits: 1}})
	if err := s.Delete(ctx, "e2", "absent"); err != nil {
		t.Fatal(err)
	}
	got, err = s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Hits != 9 || !got[0].LastUsed.Equal(later) || !got[0].Created.Equal(now) {
		t.Fatalf("after touch and delete: %+v", got)
	}
	// Putting an id again replaces the entry.
	e.Template, e.Hits = "email {name} the new report", 3
	if err := s.Put(ctx, e); err != nil {
		t.Fatal(err)
	}
	if got, err = s.LoadAll(ctx); err != nil || len(got) != 1 || got[0].Template != e.Template || got[0].Hits != 3 {
		t.Fatalf("after a second put: %+v, %v", got, err)
	}
	if err := s.Put(ctx, cache.Entry{ID: "noplan"}); err == nil {
		t.Fatal("Put of an entry without a plan succeeded")
	}
	if err := s.Delete(ctx); err != nil {
		t.Fatalf("Delete of nothing: %v", err)
	}
}

// touch records uses when the store can, else skips t.
func touch(t *testing.T, s cache.Store, uses []cache.Use) {
	t.Helper()
	tc, ok := s.(cache.Toucher)
	if !ok {
		t.Skip("the store does not implement cache.Toucher")
	}
	if err := tc.Touch(context.Background(), uses); err != nil {
		t.Fatal(err)
	}
}

// testCacheDeleteManyAndTouch deletes more entries than one statement takes.
func testCacheDeleteManyAndTouch(t *testing.T, s cache.Store, _ func() cache.Store) {
	ctx := context.Background()
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "t", Args: map[string]any{}}}}
	var ids []string
	for i := 0; i < 1200; i++ {
		id := string(rune('a'+i%26)) + time.Duration(i).String()
		ids = append(ids, id)
		if err := s.Put(ctx, cache.Entry{ID: id, Plan: p, Vector: []float32{1, -0.5}}); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	touch(t, s, []cache.Use{{ID: ids[0], LastUsed: at, Hits: 7}})
	if err := s.Delete(ctx, ids[1:]...); err != nil {
		t.Fatal(err)
	}
	all, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Hits != 7 || !all[0].LastUsed.Equal(at) || all[0].Vector[1] != -0.5 {
		t.Fatalf("got %+v", all)
	}
}

func cacheRegistry(t *testing.T) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "send_email", Description: "send an email",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"}},"required":["to"],"additionalProperties":false}`)})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// testCacheSurvivesRestart stores through a real cache, reopens the database and serves
// the entry from a fresh cache.
func testCacheSurvivesRestart(t *testing.T, s cache.Store, reopen func() cache.Store) {
	persistent(t, reopen)
	ctx := context.Background()
	reg := cacheRegistry(t)
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ns := cache.Namespace{Prompt: "v1", Tier: "simple", Tenant: "acme"}
	c, err := cache.NewContext(ctx, cache.Config{}, emb, s)
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{Goal: "email Bob", Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "Bob"}}}}
	if err := c.Store(ctx, ns, "Email Bob the report", p, reg); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(ctx, ns, "Email Bob the slides", p, reg); err != nil {
		t.Fatal(err)
	}
	if res, _ := c.Lookup(ctx, ns, "Email Bob the report", reg); res.Hit == nil {
		t.Fatalf("before restart: %q", res.Reason)
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	slides, _ := c.Lookup(ctx, ns, "Email Bob the slides", reg)
	if slides.Hit == nil {
		t.Fatalf("slides: %q", slides.Reason)
	}
	if err := c.Evict(ctx, slides.Hit.EntryID); err != nil {
		t.Fatal(err)
	}

	s = reopen()
	entries, err := s.LoadAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("%d entries after restart, want 1 (one evicted)", len(entries))
	}
	e := entries[0]
	want, _ := emb.Embed(ctx, []string{e.Template})
	for i := range want[0] {
		if e.Vector[i] != want[0][i] {
			t.Fatalf("vector component %d: %v != %v", i, e.Vector[i], want[0][i])
		}
	}
	if e.Hits != 1 || e.Namespace != (cache.Namespace{Registry: reg.Version(), Prompt: "v1", Tier: "simple", Tenant: "acme"}) ||
		len(e.Slots) != 1 || e.Slots[0].Value != "Bob" || e.Created.IsZero() || e.Plan.Goal != "email Bob" {
		t.Fatalf("entry not round-tripped: %+v", e)
	}
	c2, err := cache.NewContext(ctx, cache.Config{}, emb, s)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c2.Lookup(ctx, ns, "Email Alice the report", reg)
	if err != nil || res.Hit == nil {
		t.Fatalf("after restart: %q %v", res.Reason, err)
	}
	if got := res.Hit.Plan.Steps[0].Args["to"]; got != "Alice" {
		t.Errorf("re-bound to %v, want Alice", got)
	}
}
