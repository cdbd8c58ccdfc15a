package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/store/postgres"
	"github.com/planwise/planwise/tool"
)

// Two tenants' API keys, shared by the replica and tenant tests.
const (
	keyAcme  = "acme-key-0123456789abcdef"
	keyGlobx = "globex-key-0123456789abcdef"
)

var tenantKeys = []server.APIKey{{Key: keyAcme, Tenant: "acme"}, {Key: keyGlobx, Tenant: "globex"}}

// simulator starts one planwise sim answering with the gold plans, shared by replicas.
func simulator(t testing.TB) string {
	t.Helper()
	// Requests without a gold plan are planned by the pattern planner over the same
	// catalog, as `planwise sim` does (a sim with no plan refuses: cannot_plan).
	s, err := sim.New(sim.Config{Gold: gold(), Answerer: pattern.NewPattern(catalog(t))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return srv.URL + "/v1"
}

// replica is one planwise process's worth of stack: planner with cache, run service and
// HTTP API, on a cache store that is either private (memory) or shared (PostgreSQL).
type replica struct {
	api    *httptest.Server
	cache  *cache.Cache
	follow *postgres.Follower // nil without PostgreSQL
}

// newReplica builds a replica; with dsn empty it keeps everything in memory.
func newReplica(t testing.TB, reg *tool.Registry, simURL, dsn, origin string) *replica {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{}
	var store cache.Store
	var pgStore *postgres.CacheStore
	if dsn != "" {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close) // runs after cancel and wg.Wait: cleanups run last-in first-out
		pgStore = db.CacheStore(origin)
		store = pgStore
	}
	r.cache, err = cache.NewContext(ctx, cache.Config{}, emb, store)
	if err != nil {
		t.Fatal(err)
	}
	if pgStore != nil {
		r.follow = pgStore.Follower(r.cache, postgres.FollowOptions{MinBackoff: 20 * time.Millisecond})
		wg.Add(1)
		go func() { defer wg.Done(); r.follow.Run(ctx) }()
	}
	prov, err := openai.New(openai.Config{BaseURL: simURL, APIKey: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(reg,
		planner.WithLLM(planner.LLMConfig{Provider: llm.NewClient(prov, llm.ClientConfig{}), Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}),
		planner.WithCache(r.cache))
	if err != nil {
		t.Fatal(err)
	}
	// No run store: planner.Runs evicts on negative feedback only while it still holds the
	// run's planning response in memory, which it drops once a store recorded the run
	// (execute.RunMeta has no cache entry id). Runs on PostgreSQL are covered by
	// store/postgres and the durability test.
	runs := planner.NewRuns(p, execute.New(reg), nil, nil)
	r.api = httptest.NewServer(server.New(server.Config{APIKeys: tenantKeys}, p, server.WithRuns(runs)).Handler())
	t.Cleanup(func() { r.api.Close(); runs.Close() })
	if r.follow != nil {
		waitUntil(t, 10*time.Second, "follower connected", func() bool { return r.follow.Stats().Connected })
	}
	return r
}

// call sends a JSON request with the tenant's key and decodes the JSON answer.
func (r *replica) call(t testing.TB, method, path, key string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, r.api.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	return res.StatusCode, out
}

// plan asks for a plan and returns its source ("llm", "cache", ...) and cache entry id.
func (r *replica) plan(t testing.TB, key, request string) (source, entryID string) {
	t.Helper()
	code, out := r.call(t, "POST", "/api/v1/plan", key, map[string]any{"request": request})
	if code != http.StatusOK {
		t.Fatalf("plan %q: %d %v", request, code, out)
	}
	source, _ = out["source"].(string)
	if c, ok := out["cache"].(map[string]any); ok {
		entryID, _ = c["entry_id"].(string)
	}
	return source, entryID
}

func waitUntil(t testing.TB, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// holds reports whether the replica's cache holds exactly the given entries.
func (r *replica) holds(ids ...string) bool {
	got := r.cache.EntryIDs()
	slices.Sort(got)
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Equal(got, ids)
}

// TestReplicasShareCache: two replicas (planner, cache, runs and HTTP API each) on one
// PostgreSQL. A plan cached through A is a cache hit through B within 1 s; negative
// feedback on B evicts it from A within 1 s; invalidation on A empties B within 1 s;
// after B's listening connection is killed, B still converges.
func TestReplicasShareCache(t *testing.T) {
	dsn := pgtest.DSN(t)
	reg := catalog(t)
	simURL := simulator(t)
	a := newReplica(t, reg, simURL, dsn, "A")
	b := newReplica(t, reg, simURL, dsn, "B")
	rome := requests[3]

	if src, _ := a.plan(t, keyAcme, rome); src != planner.SourceLLM {
		t.Fatalf("first request on A: source %q, want llm", src)
	}
	ids := a.cache.EntryIDs()
	if len(ids) != 1 {
		t.Fatalf("A caches %d entries after one LLM plan", len(ids))
	}
	took := waitUntil(t, time.Second, "A's entry reaching B", func() bool { return b.holds(ids[0]) })
	t.Logf("store on A visible on B after %v", took)
	src, entry := b.plan(t, keyAcme, rome)
	if src != planner.SourceCache || entry != ids[0] {
		t.Fatalf("same request on B: source %q entry %q, want a hit on %s", src, entry, ids[0])
	}

	// Negative feedback on a run B served from the cache evicts the entry everywhere.
	code, run := b.call(t, "POST", "/api/v1/runs?wait=true", keyAcme, map[string]any{"request": rome})
	if code != http.StatusOK || run["source"] != planner.SourceCache {
		t.Fatalf("run on B: %d %v", code, run)
	}
	code, out := b.call(t, "POST", "/api/v1/runs/"+run["id"].(string)+"/feedback", keyAcme, map[string]any{"rating": -1})
	if code != http.StatusOK {
		t.Fatalf("feedback: %d %v", code, out)
	}
	took = waitUntil(t, time.Second, "eviction on B reaching A", func() bool { return a.holds() })
	t.Logf("eviction on B visible on A after %v", took)
	if src, _ := a.plan(t, keyAcme, rome); src != planner.SourceLLM {
		t.Fatalf("after eviction, A answered from %q, want llm", src)
	}
	waitUntil(t, time.Second, "A's new entry reaching B", func() bool { return b.holds(ids[0]) })

	// Invalidation on A (a prompt or registry change) empties B.
	if n, err := a.cache.Retain(context.Background(), func(cache.Namespace) bool { return false }); err != nil || n != 1 {
		t.Fatalf("Retain: %d, %v", n, err)
	}
	took = waitUntil(t, time.Second, "invalidation on A reaching B", func() bool { return b.holds() })
	t.Logf("invalidation on A visible on B after %v", took)

	// Kill B's listening connection; what A stores meanwhile still reaches B.
	before := b.follow.Stats()
	pgtest.Exec(t, `SELECT pg_terminate_backend($1)`, int32(before.PID))
	if src, _ := a.plan(t, keyAcme, requests[2]); src != planner.SourceLLM {
		t.Fatalf("A: source %q, want llm", src)
	}
	nobu := a.cache.EntryIDs()
	waitUntil(t, 2*time.Second, "B converging after its connection was killed", func() bool { return b.holds(nobu...) })
	if after := b.follow.Stats(); after.Reconnects == before.Reconnects {
		t.Fatalf("B's follower did not reconnect: %+v", after)
	}
	if src, _ := b.plan(t, keyAcme, requests[2]); src != planner.SourceCache {
		t.Fatalf("B after reconnect: source %q, want cache", src)
	}
}
