package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// TestPostgresStoresReplicas: two processes' worth of wiring on one database share the
// cache through the follower, and exactly one of them leads the alerts.
func TestPostgresStoresReplicas(t *testing.T) {
	dsn := pgtest.DSN(t)
	// planwise reads every PLANWISE_* variable as configuration: hide the test's own.
	t.Setenv(pgtest.EnvDSN, "")
	os.Unsetenv(pgtest.EnvDSN)
	cfg := filepath.Join(t.TempDir(), "planwise.yaml")
	if err := os.WriteFile(cfg, []byte("store:\n  driver: postgres\n  dsn: "+dsn+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	reg, err := tool.NewRegistry(&tool.Tool{Name: "send_email", Description: "send an email",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"}},"required":["to"],"additionalProperties":false}`)})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	type replica struct {
		s *postgresStores
		c *cache.Cache
	}
	var reps []replica
	for range 2 {
		conf, err := LoadConfig(cfg)
		if err != nil {
			t.Fatal(err)
		}
		s, err := openPostgres(ctx, conf.Store.DSN, false)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cache.NewContext(ctx, cache.Config{}, emb, s.Cache)
		if err != nil {
			t.Fatal(err)
		}
		stop := s.Start(ctx, c, nil)
		t.Cleanup(func() { stop(); s.Close() })
		reps = append(reps, replica{s, c})
	}
	if reps[0].s.Cache.Origin() == reps[1].s.Cache.Origin() {
		t.Fatalf("both replicas write as origin %q", reps[0].s.Cache.Origin())
	}
	ns := cache.Namespace{Prompt: "v1", Tier: "simple", Tenant: "acme"}
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "bob@example.com"}}}}
	if err := reps[0].c.Store(ctx, ns, "Email bob@example.com", p, reg); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := reps[1].c.Lookup(ctx, ns, "Email bob@example.com", reg)
		if err != nil {
			t.Fatal(err)
		}
		leaders := 0
		for _, r := range reps {
			if r.s.Leader.IsLeader() {
				leaders++
			}
		}
		if res.Hit != nil && leaders == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica 2 hit: %v, leaders: %d", res.Hit != nil, leaders)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
