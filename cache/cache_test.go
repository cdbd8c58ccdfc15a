package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/reuse"
	"github.com/planwise/planwise/tool"
)

func testRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	obj := func(s string) json.RawMessage { return json.RawMessage(s) }
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "send_email", Description: "send an email", InputSchema: obj(`{"type":"object",
			"properties":{"to":{"type":"string"},"subject":{"type":"string"}},"required":["to"],"additionalProperties":false}`)},
		&tool.Tool{Name: "set_light", Description: "switch lights", InputSchema: obj(`{"type":"object",
			"properties":{"room":{"type":"string"},"state":{"type":"string","enum":["on","off"]}},"required":["room","state"],"additionalProperties":false}`)},
		&tool.Tool{Name: "transfer", Description: "move money", InputSchema: obj(`{"type":"object",
			"properties":{"amount":{"type":"number"},"from_account":{"type":"string","enum":["checking","savings"]},
			"to_account":{"type":"string","enum":["checking","savings"]}},"required":["amount","from_account","to_account"],"additionalProperties":false}`)},
		&tool.Tool{Name: "get_weather", Description: "weather forecast", InputSchema: obj(`{"type":"object",
			"properties":{"location":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["location"],"additionalProperties":false}`)},
		&tool.Tool{Name: "lookup_order", Description: "find an order", InputSchema: obj(`{"type":"object",
			"properties":{"order_id":{"type":"string"}},"required":["order_id"],"additionalProperties":false}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func step(tool string, args map[string]any) plan.Step {
	return plan.Step{ID: "s1", Tool: tool, Args: args}
}

func onePlan(tool string, args map[string]any) *plan.Plan {
	return &plan.Plan{Steps: []plan.Step{step(tool, args)}}
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestCache(t testing.TB, cfg Config, st Store) (*Cache, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
	if cfg.Now == nil {
		cfg.Now = clk.Now
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg, emb, st)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

func mustStore(t testing.TB, c *Cache, ns Namespace, req string, p *plan.Plan, reg *tool.Registry) {
	t.Helper()
	if err := c.Store(context.Background(), ns, req, p, reg); err != nil {
		t.Fatal(err)
	}
}

func lookup(t testing.TB, c *Cache, ns Namespace, req string, reg *tool.Registry) LookupResult {
	t.Helper()
	res, err := c.Lookup(context.Background(), ns, req, reg)
	if err != nil {
		t.Fatal(err)
	}
	if (res.Hit != nil) != (res.Reason == HitExact || res.Reason == HitSemantic) {
		t.Fatalf("reason %q inconsistent with hit %v", res.Reason, res.Hit != nil)
	}
	return res
}

func arg(p *plan.Plan, name string) any { return p.Steps[0].Args[name] }

func TestLookupPipeline(t *testing.T) {
	reg := testRegistry(t)
	c, _ := newTestCache(t, Config{}, nil)
	ns := Namespace{Prompt: "p1", Tier: "simple", Tenant: "acme"}
	mustStore(t, c, ns, "Email Bob the report", onePlan("send_email", map[string]any{"to": "Bob", "subject": "report"}), reg)
	mustStore(t, c, ns, "turn on the kitchen lights", onePlan("set_light", map[string]any{"room": "kitchen", "state": "on"}), reg)
	mustStore(t, c, ns, "transfer $50 from checking to savings", onePlan("transfer",
		map[string]any{"amount": json.Number("50"), "from_account": "checking", "to_account": "savings"}), reg)
	mustStore(t, c, ns, "show me order 48213", onePlan("lookup_order", map[string]any{"order_id": "48213"}), reg)

	cases := []struct {
		req    string
		reason Reason
		check  func(p *plan.Plan) error
	}{
		{"email bob the report!", MissGuardSlots, nil}, // lower-case bob is not a name: cannot re-bind
		{"Email Bob the report.", HitExact, func(p *plan.Plan) error { return want(arg(p, "to"), "Bob") }},
		{"Email Alice the report", HitSemantic, func(p *plan.Plan) error { return want(arg(p, "to"), "Alice") }},
		{"turn off the kitchen lights", MissGuardNegation, nil},
		{"don't turn on the kitchen lights", MissGuardNegation, nil},
		{"turn on the bedroom lights", MissGuardArgs, nil},
		{"show me order 48231", HitSemantic, func(p *plan.Plan) error { return want(arg(p, "order_id"), "48231") }},
		{"transfer $75 from savings to checking", HitSemantic, func(p *plan.Plan) error {
			if err := want(arg(p, "from_account"), "savings"); err != nil {
				return err
			}
			if err := want(arg(p, "to_account"), "checking"); err != nil {
				return err
			}
			return want(fmt.Sprint(arg(p, "amount")), "75")
		}},
		{"transfer $50 to savings from checking", MissGuardRoles, nil},
		{"what is the capital of France", MissBelowThreshold, nil},
	}
	for _, tc := range cases {
		res := lookup(t, c, ns, tc.req, reg)
		if res.Reason != tc.reason {
			t.Errorf("%q: reason %q (best similarity %.3f), want %q", tc.req, res.Reason, res.BestSimilarity, tc.reason)
			continue
		}
		if tc.check != nil {
			if err := tc.check(res.Hit.Plan); err != nil {
				t.Errorf("%q: %v (plan %s)", tc.req, err, res.Hit.Plan.JSON())
			}
			if err := plan.Validate(res.Hit.Plan, reg); err != nil {
				t.Errorf("%q: served plan invalid: %v", tc.req, err)
			}
			if res.Hit.EntryID == "" || res.Hit.Similarity < c.Threshold() {
				t.Errorf("%q: hit %+v", tc.req, res.Hit)
			}
		}
	}
	st := c.Stats()
	if st.Entries != 4 || st.Lookups != int64(len(cases)) || st.Hits != 4 || st.ByReason[MissGuardNegation] != 2 {
		t.Errorf("stats %+v", st)
	}
}

func want(got any, w string) error {
	if fmt.Sprint(got) != w {
		return fmt.Errorf("got %v, want %s", got, w)
	}
	return nil
}

func TestNamespacesIsolate(t *testing.T) {
	reg := testRegistry(t)
	c, _ := newTestCache(t, Config{}, nil)
	a := Namespace{Prompt: "p1", Tenant: "a"}
	mustStore(t, c, a, "show me order 123", onePlan("lookup_order", map[string]any{"order_id": "123"}), reg)
	for _, ns := range []Namespace{{Prompt: "p1", Tenant: "b"}, {Prompt: "p2", Tenant: "a"}, {Prompt: "p1", Tenant: "a", Tier: "strong"}} {
		if res := lookup(t, c, ns, "show me order 123", reg); res.Hit != nil {
			t.Errorf("namespace %+v served an entry of %+v", ns, a)
		}
	}
	if res := lookup(t, c, a, "show me order 123", reg); res.Reason != HitExact {
		t.Fatalf("own namespace: %q", res.Reason)
	}
	if _, err := c.Lookup(context.Background(), Namespace{Registry: "other"}, "x", reg); !errors.Is(err, ErrRegistryMismatch) {
		t.Errorf("err = %v, want ErrRegistryMismatch", err)
	}
	// A changed registry is a new namespace: its version differs, nothing is served.
	reg2, err := reg.Merge(&tool.Tool{Name: "noop", Description: "does nothing"})
	if err != nil {
		t.Fatal(err)
	}
	if res := lookup(t, c, a, "show me order 123", reg2); res.Hit != nil {
		t.Error("entry served across registry versions")
	}
	n, err := c.Retain(context.Background(), func(ns Namespace) bool { return ns.Registry == reg2.Version() })
	if err != nil || n != 1 || c.Stats().Entries != 0 {
		t.Errorf("Retain removed %d (%v), %d left", n, err, c.Stats().Entries)
	}
}

func TestStoreRejectsInvalidAndIsIdempotent(t *testing.T) {
	reg := testRegistry(t)
	st := NewMemoryStore()
	c, _ := newTestCache(t, Config{}, st)
	ns := Namespace{}
	err := c.Store(context.Background(), ns, "order 5", onePlan("lookup_order", map[string]any{"id": "5"}), reg)
	if !errors.Is(err, ErrInvalidPlan) {
		t.Fatalf("err = %v, want ErrInvalidPlan", err)
	}
	if _, ok := plan.AsValidationError(err); !ok {
		t.Errorf("the validation error should be in the chain: %v", err)
	}
	mustStore(t, c, ns, "show me order 5", onePlan("lookup_order", map[string]any{"order_id": "5"}), reg)
	mustStore(t, c, ns, "Show me order 5.", onePlan("lookup_order", map[string]any{"order_id": "5"}), reg)
	if c.Stats().Entries != 1 || st.Len() != 1 {
		t.Fatalf("entries %d, stored %d; want 1 and 1", c.Stats().Entries, st.Len())
	}
}

func TestTTLAndPurge(t *testing.T) {
	reg := testRegistry(t)
	st := NewMemoryStore()
	c, clk := newTestCache(t, Config{TTL: time.Hour}, st)
	mustStore(t, c, Namespace{}, "show me order 5", onePlan("lookup_order", map[string]any{"order_id": "5"}), reg)
	clk.Add(59 * time.Minute)
	res := lookup(t, c, Namespace{}, "show me order 5", reg)
	if res.Hit == nil || res.Hit.Age != 59*time.Minute {
		t.Fatalf("before expiry: %+v", res)
	}
	clk.Add(2 * time.Minute)
	if res := lookup(t, c, Namespace{}, "show me order 5", reg); res.Hit != nil {
		t.Fatal("expired entry served")
	}
	if n, err := c.Purge(context.Background()); err != nil || n != 1 || st.Len() != 0 {
		t.Fatalf("Purge = %d, %v; store holds %d", n, err, st.Len())
	}
}

func TestCapacityEvictsLeastRecentlyUsed(t *testing.T) {
	reg := testRegistry(t)
	st := NewMemoryStore()
	c, clk := newTestCache(t, Config{Capacity: 2}, st)
	ns := Namespace{}
	mustStore(t, c, ns, "show me order 1", onePlan("lookup_order", map[string]any{"order_id": "1"}), reg)
	clk.Add(time.Second)
	mustStore(t, c, ns, "Email Bob the report", onePlan("send_email", map[string]any{"to": "Bob"}), reg)
	clk.Add(time.Second)
	if res := lookup(t, c, ns, "show me order 1", reg); res.Reason != HitExact { // order 1 is now most recent
		t.Fatalf("%q", res.Reason)
	}
	mustStore(t, c, ns, "turn on the kitchen lights", onePlan("set_light", map[string]any{"room": "kitchen", "state": "on"}), reg)
	if res := lookup(t, c, ns, "Email Bob the report", reg); res.Hit != nil {
		t.Error("least recently used entry survived")
	}
	if res := lookup(t, c, ns, "show me order 1", reg); res.Hit == nil {
		t.Error("recently used entry evicted")
	}
	if st.Len() != 2 || c.Stats().EvictedCapacity != 1 {
		t.Errorf("store %d entries, evicted %d", st.Len(), c.Stats().EvictedCapacity)
	}
}

func TestEvictOnFeedback(t *testing.T) {
	reg := testRegistry(t)
	st := NewMemoryStore()
	c, _ := newTestCache(t, Config{}, st)
	mustStore(t, c, Namespace{}, "show me order 1", onePlan("lookup_order", map[string]any{"order_id": "1"}), reg)
	res := lookup(t, c, Namespace{}, "show me order 2", reg)
	if res.Hit == nil {
		t.Fatalf("%q", res.Reason)
	}
	if err := c.Evict(context.Background(), res.Hit.EntryID); err != nil {
		t.Fatal(err)
	}
	if res := lookup(t, c, Namespace{}, "show me order 2", reg); res.Hit != nil || st.Len() != 0 {
		t.Fatal("evicted entry still served or stored")
	}
}

func TestExactPathRebindsRelativeDates(t *testing.T) {
	reg := testRegistry(t)
	c, clk := newTestCache(t, Config{}, nil)
	mustStore(t, c, Namespace{}, "weather in Paris tomorrow", onePlan("get_weather",
		map[string]any{"location": "Paris", "date": "2026-11-27"}), reg)
	clk.Add(24 * time.Hour)
	res := lookup(t, c, Namespace{}, "weather in Paris tomorrow", reg)
	if res.Reason != HitExact {
		t.Fatalf("%q", res.Reason)
	}
	if err := want(arg(res.Hit.Plan, "date"), "2026-11-28"); err != nil {
		t.Fatal(err)
	}
}

type renamed struct{ embed.Embedder }

func (renamed) Name() string { return "another-space" }

func TestPersistenceAcrossRestart(t *testing.T) {
	reg := testRegistry(t)
	st := NewMemoryStore()
	c, _ := newTestCache(t, Config{}, st)
	mustStore(t, c, Namespace{Tenant: "t"}, "Email Bob the report", onePlan("send_email", map[string]any{"to": "Bob"}), reg)
	lookup(t, c, Namespace{Tenant: "t"}, "Email Bob the report", reg)
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, _ := st.LoadAll(context.Background())
	if len(all) != 1 || all[0].Hits != 1 {
		t.Fatalf("flushed use not stored: %+v", all)
	}
	c2, clk := newTestCache(t, Config{}, st)
	res := lookup(t, c2, Namespace{Tenant: "t"}, "Email Carol the report", reg)
	if res.Reason != HitSemantic || fmt.Sprint(arg(res.Hit.Plan, "to")) != "Carol" {
		t.Fatalf("after restart: %q %+v", res.Reason, res.Hit)
	}
	// A different embedder re-embeds stored templates at start-up.
	local, _ := embed.NewLocal(embed.LocalConfig{})
	// Same clock as the stores above: entries carry its time, and the TTL is measured on it.
	c3, err := New(Config{Threshold: 0.6, Now: clk.Now}, renamed{local}, st)
	if err != nil {
		t.Fatal(err)
	}
	if res := lookup(t, c3, Namespace{Tenant: "t"}, "Email Dave the report", reg); res.Hit == nil {
		t.Fatalf("after re-embedding: %q", res.Reason)
	}
	all, _ = st.LoadAll(context.Background())
	if all[0].Embedder != "another-space" {
		t.Errorf("re-embedded entry not persisted: %q", all[0].Embedder)
	}
}

func TestConcurrentLookupsAndStores(t *testing.T) {
	reg := testRegistry(t)
	c, _ := newTestCache(t, Config{Capacity: 50}, nil)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				id := fmt.Sprint(w*1000 + i)
				ns := Namespace{Tenant: fmt.Sprint(i % 3)}
				if err := c.Store(context.Background(), ns, "show me order "+id,
					onePlan("lookup_order", map[string]any{"order_id": id}), reg); err != nil {
					t.Error(err)
					return
				}
				res, err := c.Lookup(context.Background(), ns, "show me order 7"+id, reg)
				if err != nil {
					t.Error(err)
					return
				}
				if res.Hit != nil && fmt.Sprint(arg(res.Hit.Plan, "order_id")) != "7"+id {
					t.Errorf("wrong plan served concurrently: %s", res.Hit.Plan.JSON())
				}
				if i%10 == 0 {
					ns.Registry = reg.Version()
					c.Evict(context.Background(), EntryID(ns, "show me order "+id))
				}
			}
		}(w)
	}
	wg.Wait()
	if n := c.Stats().Entries; n > 50 {
		t.Errorf("%d entries exceed capacity 50", n)
	}
}

func TestAmbiguousNeighboursMiss(t *testing.T) {
	reg := testRegistry(t)
	c, _ := newTestCache(t, Config{Margin: 0.5, Threshold: 0.3}, nil)
	mustStore(t, c, Namespace{}, "show me order 123", onePlan("lookup_order", map[string]any{"order_id": "123"}), reg)
	mustStore(t, c, Namespace{}, "show me the order 123 status", onePlan("send_email", map[string]any{"to": "123"}), reg)
	if res := lookup(t, c, Namespace{}, "show me order 456", reg); res.Reason != MissAmbiguous {
		t.Fatalf("reason %q, want %q", res.Reason, MissAmbiguous)
	}
	c2, _ := newTestCache(t, Config{Margin: -1, Threshold: 0.3}, nil)
	mustStore(t, c2, Namespace{}, "show me order 123", onePlan("lookup_order", map[string]any{"order_id": "123"}), reg)
	mustStore(t, c2, Namespace{}, "show me the order 123 status", onePlan("send_email", map[string]any{"to": "123"}), reg)
	if res := lookup(t, c2, Namespace{}, "show me order 456", reg); res.Reason != HitSemantic || arg(res.Hit.Plan, "order_id") != "456" {
		t.Fatalf("margin off: %q", res.Reason)
	}
}

// Entries of one template whose plans do the same thing are not ambiguous because the
// model's reasoning quotes each one's own request: an LLM plan always carries it, and
// compared whole every second entry of a template turned every lookup of it into a miss.
// Plans whose steps differ still are (TestAmbiguousNeighboursMiss).
func TestAmbiguityComparesStepsNotReasoning(t *testing.T) {
	reg := testRegistry(t)
	for _, n := range []int{1, 2, 50} {
		c, _ := newTestCache(t, Config{}, nil)
		for i := range n {
			p := onePlan("lookup_order", map[string]any{"order_id": fmt.Sprint(1000 + i)})
			p.Goal = fmt.Sprintf("show me order %d", 1000+i)
			p.Reasoning = fmt.Sprintf("the user asks for order %d: lookup_order (score %d)", 1000+i, i)
			mustStore(t, c, Namespace{}, p.Goal, p, reg)
		}
		for i := range 10 {
			res := lookup(t, c, Namespace{}, fmt.Sprintf("show me order %d", 500+i), reg)
			if res.Reason != HitSemantic || arg(res.Hit.Plan, "order_id") != fmt.Sprint(500+i) {
				t.Fatalf("%d entries, order %d: %s (%v); want a hit for it", n, 500+i, res.Reason, res.Hit)
			}
		}
	}
}

func TestWordEditGuard(t *testing.T) {
	reg := testRegistry(t)
	c, _ := newTestCache(t, Config{MaxWordEdits: 1, Threshold: 0.3}, nil)
	mustStore(t, c, Namespace{}, "show me order 123 quickly", onePlan("lookup_order", map[string]any{"order_id": "123"}), reg)
	if res := lookup(t, c, Namespace{}, "show me order 456 urgently", reg); res.Reason != MissGuardWords {
		t.Fatalf("two content words differ: reason %q, want %q", res.Reason, MissGuardWords)
	}
	if res := lookup(t, c, Namespace{}, "please show me order 456 quickly", reg); res.Reason != HitSemantic {
		t.Fatalf("filler word only: reason %q", res.Reason)
	}
}

// TestLoadKeepsRecencyOrder: after a restart the least recently used entry is the first
// evicted, and loading 20k entries is quick (no quadratic sort).
func TestLoadKeepsRecencyOrder(t *testing.T) {
	reg := testRegistry(t)
	st := NewMemoryStore()
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p := onePlan("lookup_order", map[string]any{"order_id": "1"})
	for i := 0; i < 20000; i++ {
		// Use order is the reverse of id order.
		e := Entry{ID: fmt.Sprintf("%08d", i), Namespace: Namespace{Registry: reg.Version()}, Request: fmt.Sprint("r", i),
			Normalized: fmt.Sprint("r", i), Template: "show me order <number>", Plan: p,
			Created: base, LastUsed: base.Add(-time.Duration(i) * time.Second)}
		st.Put(context.Background(), e)
	}
	start := time.Now()
	c, _ := newTestCache(t, Config{Capacity: 20000, TTL: -1}, st)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("loading 20k entries took %v", d)
	}
	mustStore(t, c, Namespace{}, "show me order 5", p, reg)
	all, _ := st.LoadAll(context.Background())
	for _, e := range all {
		if e.ID == fmt.Sprintf("%08d", 19999) {
			t.Fatal("the least recently used entry (id 19999) was not the one evicted")
		}
	}
	if len(all) != 20000 {
		t.Fatalf("%d stored, want 20000", len(all))
	}
}

// An entry's plan is validated once per process: at Store, or on its first serve when it
// was loaded from the store (a row edited or written by another build), so that an exact
// hit, whose re-binding changes nothing, need not validate it again. A loaded entry whose
// plan does not pass the registry is never served.
func TestLoadedEntriesAreValidatedBeforeServing(t *testing.T) {
	reg := testRegistry(t)
	st := NewMemoryStore()
	c, _ := newTestCache(t, Config{}, st)
	ns := Namespace{Tenant: "t"}
	mustStore(t, c, ns, "Email Bob the report", onePlan("send_email", map[string]any{"to": "Bob"}), reg)
	if res := lookup(t, c, ns, "Email Bob the report", reg); res.Reason != HitExact {
		t.Fatalf("stored entry: %q", res.Reason)
	}
	all, _ := st.LoadAll(context.Background())
	bad := all[0]
	bad.Plan = onePlan("send_email", map[string]any{"to": "Bob", "cc": "Eve"}) // no such argument
	if err := st.Put(context.Background(), bad); err != nil {
		t.Fatal(err)
	}
	c2, _ := newTestCache(t, Config{}, st)
	for range 2 {
		if res := lookup(t, c2, ns, "Email Bob the report", reg); res.Hit != nil || res.Reason != Reason(reuse.Invalid) {
			t.Fatalf("an invalid loaded plan: reason %q, hit %v", res.Reason, res.Hit != nil)
		}
	}
}
