package postgres_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/store/postgres"
	"github.com/planwise/planwise/tool"
)

func registry(t *testing.T) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "send_email", Description: "send an email",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"},"subject":{"type":"string"}},"required":["to"],"additionalProperties":false}`)})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// replica is one process's view: its own DB pool, cache and follower.
type replica struct {
	db     *postgres.DB
	cache  *cache.Cache
	follow *postgres.Follower
}

func startReplica(t *testing.T, dsn, origin string, opts postgres.FollowOptions) *replica {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	store := db.CacheStore(origin)
	c, err := cache.NewContext(ctx, cache.Config{}, emb, store)
	if err != nil {
		t.Fatal(err)
	}
	f := store.Follower(c, opts)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		db.Close()
	})
	waitFor(t, 10*time.Second, "follower connected", func() bool { return f.Stats().Connected })
	return &replica{db: db, cache: c, follow: f}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

func hit(t *testing.T, c *cache.Cache, ns cache.Namespace, text string, reg *tool.Registry) *cache.Hit {
	t.Helper()
	res, err := c.Lookup(context.Background(), ns, text, reg)
	if err != nil {
		t.Fatal(err)
	}
	return res.Hit
}

// TestFollowerReplicatesCache: what replica A stores, evicts or invalidates reaches
// replica B within a second, also after B's listening connection is killed, and an
// update made while B is disconnected is caught up.
func TestFollowerReplicatesCache(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	reg := registry(t)
	// Poll long: convergence must come from notifications and the reconnect catch-up.
	opts := postgres.FollowOptions{Poll: time.Minute, MinBackoff: 20 * time.Millisecond}
	a := startReplica(t, dsn, "A", opts)
	b := startReplica(t, dsn, "B", opts)
	ns := cache.Namespace{Prompt: "v1", Tier: "simple", Tenant: "acme"}
	p := func(to string) *plan.Plan {
		return &plan.Plan{Goal: "email", Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": to, "subject": "report"}}}}
	}

	// Store on A: a hit on B (exact and re-bound to a new slot value).
	if err := a.cache.Store(ctx, ns, "Email bob@example.com the report", p("bob@example.com"), reg); err != nil {
		t.Fatal(err)
	}
	took := waitFor(t, time.Second, "entry stored on A served by B", func() bool {
		return hit(t, b.cache, ns, "Email bob@example.com the report", reg) != nil
	})
	t.Logf("store propagated in %v", took)
	h := hit(t, b.cache, ns, "Email alice@example.com the report", reg)
	if h == nil || h.Plan.Steps[0].Args["to"] != "alice@example.com" {
		t.Fatalf("B did not re-bind the replicated entry: %+v", h)
	}
	// Another tenant never sees it.
	if h := hit(t, b.cache, cache.Namespace{Prompt: "v1", Tier: "simple", Tenant: "other"}, "Email bob@example.com the report", reg); h != nil {
		t.Fatal("tenant other was served tenant acme's plan")
	}

	// Evict on B (negative feedback there): gone from A.
	if err := b.cache.Evict(ctx, h.EntryID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "eviction on B reaching A", func() bool {
		return hit(t, a.cache, ns, "Email bob@example.com the report", reg) == nil
	})

	// Kill B's listening connection, and store on A while B is down: B catches up.
	if err := a.cache.Store(ctx, ns, "Email carol@example.com the slides", p("carol@example.com"), reg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "second store reaching B", func() bool {
		return hit(t, b.cache, ns, "Email carol@example.com the slides", reg) != nil
	})
	before := b.follow.Stats()
	pgtest.Exec(t, `SELECT pg_terminate_backend($1)`, int32(before.PID))
	if err := a.cache.Store(ctx, ns, "Email dave@example.com the minutes", p("dave@example.com"), reg); err != nil {
		t.Fatal(err)
	}
	if _, err := a.cache.InvalidateNamespace(ctx, cache.Namespace{Registry: reg.Version(), Prompt: "v1", Tier: "simple", Tenant: "acme"}); err != nil {
		t.Fatal(err)
	}
	if err := a.cache.Store(ctx, ns, "Email erin@example.com the agenda", p("erin@example.com"), reg); err != nil {
		t.Fatal(err)
	}
	full := ns
	full.Registry = reg.Version()
	erin := cache.EntryID(full, "Email erin@example.com the agenda")
	waitFor(t, 2*time.Second, "B converging after its connection was killed", func() bool {
		ids := b.cache.EntryIDs()
		return len(ids) == 1 && ids[0] == erin
	})
	after := b.follow.Stats()
	if after.Reconnects <= before.Reconnects || after.PID == before.PID {
		t.Fatalf("B did not reconnect: before %+v after %+v", before, after)
	}
	if h := hit(t, b.cache, ns, "Email erin@example.com the agenda", reg); h == nil || h.EntryID != erin {
		t.Fatalf("B does not serve the entry stored while it was disconnected: %+v", h)
	}
}

// TestFollowerReconcilesAfterPrune: a follower that starts without a load position, or
// whose position was pruned from the change log while it was stopped, reconciles against
// the whole table: it gains what was stored and drops what was deleted meanwhile.
func TestFollowerReconcilesAfterPrune(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	reg := registry(t)
	a := startReplica(t, dsn, "A", postgres.FollowOptions{Poll: time.Minute})
	ns := cache.Namespace{Prompt: "v1", Tier: "simple", Tenant: "acme"}
	full := ns
	full.Registry = reg.Version()
	p := func(to string) *plan.Plan {
		return &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": to}}}}
	}
	if err := a.cache.Store(ctx, ns, "Email x@example.com the report", p("x@example.com"), reg); err != nil {
		t.Fatal(err)
	}
	// B's cache never loaded from the store: its follower reconciles first.
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	cb, err := cache.New(cache.Config{}, emb, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := a.db.CacheStore("B").Follower(cb, postgres.FollowOptions{Poll: time.Minute})
	run := func() (stop func()) {
		fctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); f.Run(fctx) }()
		return func() { cancel(); <-done }
	}
	stop := run()
	x := cache.EntryID(full, "Email x@example.com the report")
	waitFor(t, 2*time.Second, "reconciled start", func() bool {
		ids := cb.EntryIDs()
		return len(ids) == 1 && ids[0] == x
	})
	stop()

	// While B is stopped: A stores y, evicts x, and the log is pruned entirely.
	if err := a.cache.Store(ctx, ns, "Email y@example.com the slides", p("y@example.com"), reg); err != nil {
		t.Fatal(err)
	}
	if err := a.cache.Evict(ctx, x); err != nil {
		t.Fatal(err)
	}
	if err := a.db.PruneCacheChanges(ctx, -time.Hour); err != nil { // older than an hour from now: all
		t.Fatal(err)
	}
	var left int
	if err := a.db.Pool.QueryRow(ctx, `SELECT count(*) FROM cache_changes`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("change log after prune: %d rows, %v", left, err)
	}
	stop = run()
	defer stop()
	y := cache.EntryID(full, "Email y@example.com the slides")
	waitFor(t, 2*time.Second, "reconciled after prune", func() bool {
		ids := cb.EntryIDs()
		return len(ids) == 1 && ids[0] == y
	})
}

// TestLeaderExactlyOne: of several replicas exactly one leads, and another takes over
// when it stops.
func TestLeaderExactlyOne(t *testing.T) {
	dsn := pgtest.DSN(t)
	db := open(t, dsn)
	type member struct {
		l      *postgres.Leader
		cancel context.CancelFunc
		done   chan struct{}
	}
	var ms []member
	for range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		m := member{l: db.Leader("alerts", 20*time.Millisecond, nil), cancel: cancel, done: make(chan struct{})}
		go func() { defer close(m.done); m.l.Run(ctx) }()
		ms = append(ms, m)
	}
	defer func() {
		for _, m := range ms {
			m.cancel()
			<-m.done
		}
	}()
	leaders := func() (n, who int) {
		for i, m := range ms {
			if m.l.IsLeader() {
				n, who = n+1, i
			}
		}
		return
	}
	waitFor(t, 5*time.Second, "a leader", func() bool { n, _ := leaders(); return n == 1 })
	// Stable: still exactly one a few checks later.
	for range 10 {
		if n, _ := leaders(); n != 1 {
			t.Fatalf("%d leaders", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, who := leaders()
	ms[who].cancel()
	<-ms[who].done
	if ms[who].l.IsLeader() {
		t.Fatal("a stopped member still says it leads")
	}
	waitFor(t, 5*time.Second, "another leader", func() bool {
		n, w := leaders()
		return n == 1 && w != who
	})
}
