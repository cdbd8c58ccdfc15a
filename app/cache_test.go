package app

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// A restart keeps the cache (SQLite), and a registry change invalidates it.
func TestCacheSurvivesRestartRegistryChangeInvalidates(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "sqlite")
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "pw.db"))
	ctx := context.Background()
	mkReg := func(desc string) *tool.Registry {
		reg, err := tool.NewRegistry(&tool.Tool{Name: "lookup_order", Description: desc,
			InputSchema: json.RawMessage(`{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}`)})
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	open := func(reg *tool.Registry) (*App, *cache.Cache) {
		cfg, err := LoadConfig("")
		if err != nil {
			t.Fatal(err)
		}
		a, err := New(ctx, cfg, Options{Stderr: &bytes.Buffer{}})
		if err != nil {
			t.Fatal(err)
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		c, err := a.newCache(ctx, reg)
		if err != nil {
			t.Fatal(err)
		}
		return a, c
	}
	reg := mkReg("Find an order by its number")
	a, c := open(reg)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "lookup_order", Args: map[string]any{"order_id": "48213"}}}}
	ns := cache.Namespace{Tenant: "t"}
	if err := c.Store(ctx, ns, "find order 48213", p, reg); err != nil {
		t.Fatal(err)
	}
	a.Close()

	a, c = open(reg) // restart, same registry
	res, err := c.Lookup(ctx, ns, "find order 48231", reg)
	if err != nil || res.Hit == nil || res.Hit.Plan.Steps[0].Args["order_id"] != "48231" {
		t.Fatalf("after a restart: %+v %v", res, err)
	}
	a.Close()

	changed := mkReg("Find an order by its number (new description)")
	a, c = open(changed) // restart with a changed registry
	defer a.Close()
	if n := c.Stats().Entries; n != 0 {
		t.Fatalf("%d entries of the old registry kept", n)
	}
	if res, _ := c.Lookup(ctx, ns, "find order 48213", changed); res.Hit != nil {
		t.Fatal("a plan cached against the old registry was served")
	}
}
