package e2e

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/pgtest"
	"github.com/planwise/planwise/planner"
)

// tenantRequests are the gold requests and paraphrases with other slot values, so that
// both exact and semantic hits are exercised.
var tenantRequests = append(slices.Clone(requests),
	"Get the weather in Madrid on 2026-12-02",
	"Book a table at Zuma on 2027-02-14",
)

// checkTenantIsolation drives a random sequence of requests by two tenants over the
// replicas and fails if any cache hit is served from an entry another tenant's request
// created. Every new entry's owner is learnt from the LLM answer that created it.
func checkTenantIsolation(t *testing.T, reps []*replica, n int) (hits int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(8, 8))
	owner := map[string]string{} // entry id -> tenant whose request stored it
	keys := map[string]string{"acme": keyAcme, "globex": keyGlobx}
	tenants := []string{"acme", "globex"}
	for i := 0; i < n; i++ {
		tenant := tenants[rng.IntN(2)]
		r := reps[rng.IntN(len(reps))]
		text := tenantRequests[rng.IntN(len(tenantRequests))]
		before := r.cache.EntryIDs()
		src, entry := r.plan(t, keys[tenant], text)
		switch src {
		case planner.SourceCache:
			hits++
			if owner[entry] != tenant {
				t.Fatalf("request %d: tenant %s was served entry %s stored by %q", i, tenant, entry, owner[entry])
			}
		case planner.SourceLLM:
			for _, id := range r.cache.EntryIDs() {
				if !slices.Contains(before, id) {
					if prev, ok := owner[id]; ok && prev != tenant {
						t.Fatalf("entry %s stored by %s and by %s", id, prev, tenant)
					}
					owner[id] = tenant
				}
			}
		case planner.SourcePattern, planner.SourceHistory:
			// No gold plan for this paraphrase and no entry to serve it: the offline
			// fallback answers and nothing is cached.
			if !slices.Equal(sorted(before), sorted(r.cache.EntryIDs())) {
				t.Fatalf("request %d: a %s answer changed the cache", i, src)
			}
		default:
			t.Fatalf("request %d: unexpected source %q", i, src)
		}
		// Let every replica see the change before the next request, so that the next
		// request may be served by any of them.
		want := r.cache.EntryIDs()
		for _, o := range reps {
			if o != r {
				waitUntil(t, time.Second, "replication", func() bool { return o.holds(want...) })
			}
		}
	}
	return hits
}

// TestTenantIsolationOneReplica: on one replica, tenant A is never served a plan cached
// by tenant B, and cannot read B's runs.
func TestTenantIsolationOneReplica(t *testing.T) {
	reg := catalog(t)
	simURL := simulator(t)
	r := newReplica(t, reg, simURL, "", "")
	if src, _ := r.plan(t, keyAcme, requests[3]); src != planner.SourceLLM {
		t.Fatalf("acme first: %q", src)
	}
	if src, _ := r.plan(t, keyGlobx, requests[3]); src != planner.SourceLLM {
		t.Fatalf("globex asking acme's cached request: source %q, want llm", src)
	}
	if src, _ := r.plan(t, keyAcme, requests[3]); src != planner.SourceCache {
		t.Fatalf("acme again: %q, want cache", src)
	}
	code, run := r.call(t, "POST", "/api/v1/runs?wait=true", keyAcme, map[string]any{"request": requests[2]})
	if code != http.StatusOK {
		t.Fatalf("run: %d %v", code, run)
	}
	if code, _ := r.call(t, "GET", "/api/v1/runs/"+run["id"].(string), keyGlobx, nil); code != http.StatusNotFound {
		t.Fatalf("globex reading acme's run: %d, want 404", code)
	}
	if code, _ := r.call(t, "POST", "/api/v1/runs/"+run["id"].(string)+"/feedback", keyGlobx, map[string]any{"rating": -1}); code != http.StatusNotFound {
		t.Fatalf("globex rating acme's run: %d, want 404", code)
	}
	// A fresh replica, so that every entry's owner is known to the check.
	hits := checkTenantIsolation(t, []*replica{newReplica(t, reg, simURL, "", "")}, 60)
	if hits == 0 {
		t.Fatal("no cache hits: the isolation check checked nothing")
	}
	t.Logf("60 requests, %d cache hits, none across tenants", hits)
}

// TestTenantIsolationAcrossReplicas: the same on two replicas sharing one PostgreSQL, where
// every entry reaches both.
func TestTenantIsolationAcrossReplicas(t *testing.T) {
	dsn := pgtest.DSN(t)
	reg := catalog(t)
	simURL := simulator(t)
	reps := []*replica{newReplica(t, reg, simURL, dsn, "A"), newReplica(t, reg, simURL, dsn, "B")}
	hits := checkTenantIsolation(t, reps, 80)
	if hits == 0 {
		t.Fatal("no cache hits: the isolation check checked nothing")
	}
	t.Logf("80 requests over 2 replicas, %d cache hits, none across tenants", hits)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
