package cache

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// syntheticRequests returns n distinct requests of 6-9 pseudo-words from a 5,000-word
// vocabulary, each ending in an order number that its plan uses.
func syntheticRequests(n int, rng *rand.Rand) (reqs []string, numbers []int) {
	vocab := make([]string, 5000)
	for i := range vocab {
		var b strings.Builder
		for j := 0; j < 4+rng.IntN(5); j++ {
			b.WriteByte(byte('a' + rng.IntN(26)))
		}
		vocab[i] = b.String()
	}
	seen := map[string]bool{}
	for len(reqs) < n {
		var b strings.Builder
		for j := 0; j < 6+rng.IntN(4); j++ {
			b.WriteString(vocab[rng.IntN(len(vocab))])
			b.WriteByte(' ')
		}
		s := b.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		num := 10000 + rng.IntN(89999)
		reqs = append(reqs, fmt.Sprintf("%sorder %d", s, num))
		numbers = append(numbers, num)
	}
	return reqs, numbers
}

// seedEntry and seedLookup reproduce the seed's cache: embed the raw prompt, compute the
// cosine with every cached prompt in a plain loop, serve the best plan at >= 0.95.
type seedEntry struct {
	vec  []float32
	plan *plan.Plan
}

func seedLookup(emb *embed.Local, entries []seedEntry, req string) *plan.Plan {
	q := emb.EmbedOne(req)
	best, bi := float32(-2), -1
	for i, e := range entries {
		var d, na, nb float32
		for k := range q {
			d += q[k] * e.vec[k]
			na += q[k] * q[k]
			nb += e.vec[k] * e.vec[k]
		}
		if s := d / float32(math.Sqrt(float64(na))*math.Sqrt(float64(nb))); s > best {
			best, bi = s, i
		}
	}
	if bi < 0 || best < 0.95 {
		return nil
	}
	return entries[bi].plan.Clone()
}

// BenchmarkHit100k measures a semantic cache hit at 100k entries with the local embedder
// (normalise, slots and template, exact-path miss, embed, binary index search, guards,
// re-binding, validation) against the seed's linear scan over the same entries, in one
// run. Each query is a stored request with another order number, so the correct answer
// is the stored plan re-bound to the new number; misses count lookups that did not hit.
func BenchmarkHit100k(b *testing.B) {
	const n = 100_000
	rng := rand.New(rand.NewPCG(21, 22))
	c, reg, emb, reqs, nums := orderCache(b, n, rng)
	ctx := context.Background()
	seed := make([]seedEntry, n)
	for i, r := range reqs {
		seed[i] = seedEntry{emb.EmbedOne(r), orderPlan(nums[i])}
	}
	queries := make([]string, 512)
	for i := range queries {
		j := rng.IntN(n)
		queries[i] = strings.TrimSuffix(reqs[j], fmt.Sprint(nums[j])) + fmt.Sprint(nums[j]+1)
	}
	run := func(b *testing.B, lookup func(q string) bool) {
		lat := make([]time.Duration, 0, 4096)
		misses := 0
		for i := 0; b.Loop(); i++ {
			t0 := time.Now()
			if !lookup(queries[i%len(queries)]) {
				misses++
			}
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-us")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-us")
		b.ReportMetric(float64(misses), "misses")
	}
	b.Run("planwise", func(b *testing.B) {
		run(b, func(q string) bool {
			res, err := c.Lookup(ctx, Namespace{}, q, reg)
			return err == nil && res.Hit != nil
		})
	})
	b.Run("seed-linear-scan", func(b *testing.B) {
		run(b, func(q string) bool { return seedLookup(emb, seed, q) != nil })
	})
}

// BenchmarkHitExact measures an exact cache hit (the same request again, as a repeated
// request is) at 10k entries: normalise, slots, the exact path's guards, re-binding and
// whatever checks the served plan passes.
func BenchmarkHitExact(b *testing.B) {
	const n = 10_000
	rng := rand.New(rand.NewPCG(23, 24))
	c, reg, _, reqs, _ := orderCache(b, n, rng)
	ctx := context.Background()
	queries := make([]string, 512)
	for i := range queries {
		queries[i] = reqs[rng.IntN(n)]
	}
	for i := 0; b.Loop(); i++ {
		res, err := c.Lookup(ctx, Namespace{}, queries[i%len(queries)], reg)
		if err != nil || res.Hit == nil || !res.Hit.Exact {
			b.Fatalf("%q: no exact hit (%v, %v)", queries[i%len(queries)], res.Reason, err)
		}
	}
}

// orderCache is a cache of n synthetic order lookups (syntheticRequests), each stored
// with its plan, over a one-tool registry and the local embedder.
func orderCache(b *testing.B, n int, rng *rand.Rand) (*Cache, *tool.Registry, *embed.Local, []string, []int) {
	b.Helper()
	reqs, nums := syntheticRequests(n, rng)
	reg, err := tool.NewRegistry(&tool.Tool{Name: "lookup_order", Description: "find an order",
		InputSchema: []byte(`{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"],"additionalProperties":false}`)})
	if err != nil {
		b.Fatal(err)
	}
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	c, err := New(Config{Capacity: n}, emb, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i, r := range reqs {
		if err := c.Store(context.Background(), Namespace{}, r, orderPlan(nums[i]), reg); err != nil {
			b.Fatal(err)
		}
	}
	return c, reg, emb, reqs, nums
}

// orderPlan is the plan that looks order num up.
func orderPlan(num int) *plan.Plan {
	return &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "lookup_order", Args: map[string]any{"order_id": fmt.Sprint(num)}}}}
}
