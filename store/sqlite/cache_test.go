package sqlite

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

func cacheRegistry(t *testing.T) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "send_email", Description: "send an email",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"}},"required":["to"],"additionalProperties":false}`)})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestCacheSurvivesRestart stores through a real cache, closes the database, reopens it
// and serves the entry from a fresh cache.
func TestCacheSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "planwise.db")
	reg := cacheRegistry(t)
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ns := cache.Namespace{Prompt: "v1", Tier: "simple", Tenant: "acme"}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cache.NewContext(ctx, cache.Config{}, emb, db.CacheStore())
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
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.CacheStore().LoadAll(ctx)
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
	c2, err := cache.NewContext(ctx, cache.Config{}, emb, db.CacheStore())
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

func TestCacheStoreDeleteManyAndTouch(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := db.CacheStore()
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
	if err := s.Touch(ctx, []cache.Use{{ID: ids[0], LastUsed: at, Hits: 7}}); err != nil {
		t.Fatal(err)
	}
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
