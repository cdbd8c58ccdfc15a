package cache

import (
	"context"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/plan"
)

// TestApplyRemote: an entry stored by one cache and applied to another is served there,
// re-embedded when it came from another embedder, without being written back to the
// receiving cache's store; ForgetRemote drops it from memory only.
func TestApplyRemote(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ns := Namespace{Prompt: "v1", Tier: "simple", Tenant: "acme"}
	shared := NewMemoryStore()
	a, err := New(Config{}, emb, shared)
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{Steps: []plan.Step{step("send_email", map[string]any{"to": "bob@example.com", "subject": "report"})}}
	if err := a.Store(ctx, ns, "Email bob@example.com the report", p, reg); err != nil {
		t.Fatal(err)
	}
	stored, err := shared.LoadAll(ctx)
	if err != nil || len(stored) != 1 {
		t.Fatalf("shared store: %d entries, %v", len(stored), err)
	}
	e := stored[0]

	local := NewMemoryStore()
	b, err := New(Config{}, emb, local)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := b.Lookup(ctx, ns, "Email alice@example.com the report", reg); res.Hit != nil {
		t.Fatal("hit before the entry was applied")
	}
	// From another embedder: re-embedded on arrival.
	foreign := e
	foreign.Embedder, foreign.Vector = "other-model", []float32{1, 0, 0}
	if err := b.ApplyRemote(ctx, foreign); err != nil {
		t.Fatal(err)
	}
	res, err := b.Lookup(ctx, ns, "Email alice@example.com the report", reg)
	if err != nil || res.Hit == nil || res.Hit.Plan.Steps[0].Args["to"] != "alice@example.com" {
		t.Fatalf("after ApplyRemote: %+v, %v", res, err)
	}
	if local.Len() != 0 {
		t.Fatalf("ApplyRemote wrote %d entries to the receiving store", local.Len())
	}
	// Applying the same entry again changes nothing.
	if err := b.ApplyRemote(ctx, e); err != nil || b.Stats().Entries != 1 {
		t.Fatalf("re-apply: %v, %d entries", err, b.Stats().Entries)
	}
	if ids := b.EntryIDs(); len(ids) != 1 || ids[0] != e.ID {
		t.Fatalf("EntryIDs = %v", ids)
	}
	if n := b.ForgetRemote(e.ID, "absent"); n != 1 {
		t.Fatalf("ForgetRemote = %d, want 1", n)
	}
	if res, _ := b.Lookup(ctx, ns, "Email bob@example.com the report", reg); res.Hit != nil {
		t.Fatal("hit after ForgetRemote")
	}
	// An expired entry is not applied.
	old := e
	old.Created = time.Now().Add(-30 * 24 * time.Hour)
	if err := b.ApplyRemote(ctx, old); err != nil || b.Stats().Entries != 0 {
		t.Fatalf("expired entry applied: %v, %d entries", err, b.Stats().Entries)
	}
}
