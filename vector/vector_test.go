package vector

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"
)

func randVec(rng *rand.Rand, dim int) []float32 {
	v := make([]float32, dim)
	var ss float64
	for i := range v {
		x := rng.NormFloat64()
		v[i] = float32(x)
		ss += x * x
	}
	inv := float32(1 / math.Sqrt(ss))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// near returns a unit vector at cosine ~cos from v.
func near(rng *rand.Rand, v []float32, cos float64) []float32 {
	noise := randVec(rng, len(v))
	// Remove noise's component along v, then mix.
	var d float64
	for i := range v {
		d += float64(v[i]) * float64(noise[i])
	}
	var ss float64
	for i := range noise {
		noise[i] -= float32(d) * v[i]
		ss += float64(noise[i]) * float64(noise[i])
	}
	s := math.Sqrt(1-cos*cos) / math.Sqrt(ss)
	out := make([]float32, len(v))
	for i := range v {
		out[i] = float32(cos)*v[i] + float32(s)*noise[i]
	}
	return out
}

func cosine(a, b []float32) float32 {
	var d, na, nb float32
	for i := range a {
		d += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	return d / (float32(math.Sqrt(float64(na))) * float32(math.Sqrt(float64(nb))))
}

func bruteForce(vs map[uint64][]float32, q []float32, k int) []Hit {
	var hs []Hit
	for id, v := range vs {
		hs = append(hs, Hit{id, cosine(q, v)})
	}
	sort.Slice(hs, func(i, j int) bool { return worse(hs[j], hs[i]) })
	if len(hs) > k {
		hs = hs[:k]
	}
	return hs
}

func indexes(dim int) map[string]Index {
	return map[string]Index{
		"exact":  NewExact(dim),
		"binary": NewBinary(dim, 64),
		"auto":   NewAuto(dim, 100),
	}
}

func TestSearchMatchesBruteForceSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const dim = 48 // not a multiple of 64: exercises the generic code path
	vs := map[uint64][]float32{}
	for id := uint64(1); id <= 60; id++ {
		v := randVec(rng, dim)
		for i := range v {
			v[i] *= 3 // unnormalised input must be normalised on Add
		}
		vs[id] = v
	}
	for name, ix := range indexes(dim) {
		for id, v := range vs {
			ix.Add(id, v)
		}
		for q := 0; q < 20; q++ {
			qv := randVec(rng, dim)
			got, want := ix.Search(qv, 5), bruteForce(vs, qv, 5)
			if len(got) != 5 {
				t.Fatalf("%s: %d hits", name, len(got))
			}
			for i := range got {
				if got[i].ID != want[i].ID || math.Abs(float64(got[i].Score-want[i].Score)) > 1e-5 {
					t.Fatalf("%s: hit %d = %+v, want %+v (fewer vectors than candidates: must be exact)", name, i, got[i], want[i])
				}
			}
		}
		if ix.Search(randVec(rng, dim), 0) != nil {
			t.Errorf("%s: k=0 returned hits", name)
		}
	}
}

func TestAddReplaceRemove(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, ix := range indexes(32) {
		a, b, c := randVec(rng, 32), randVec(rng, 32), randVec(rng, 32)
		ix.Add(1, a)
		ix.Add(2, b)
		ix.Add(3, c)
		ix.Add(2, a) // replace
		if ix.Len() != 3 {
			t.Fatalf("%s: Len %d after replace", name, ix.Len())
		}
		hs := ix.Search(a, 3)
		if hs[0].Score < 0.9999 || hs[1].Score < 0.9999 || hs[0].ID != 1 || hs[1].ID != 2 {
			t.Fatalf("%s: replaced vector not found: %+v", name, hs)
		}
		ix.Remove(1)
		ix.Remove(1)
		ix.Remove(99)
		if ix.Len() != 2 {
			t.Fatalf("%s: Len %d after remove", name, ix.Len())
		}
		hs = ix.Search(c, 2)
		if hs[0].ID != 3 || hs[1].ID != 2 || hs[0].Score < 0.9999 {
			t.Fatalf("%s: after swap-delete: %+v", name, hs)
		}
		ix.Remove(3)
		ix.Remove(2)
		if ix.Len() != 0 || len(ix.Search(a, 3)) != 0 {
			t.Fatalf("%s: not empty", name)
		}
	}
}

func TestWrongDimensionPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("adding a 3-d vector to a 4-d index must panic")
		}
	}()
	NewExact(4).Add(1, []float32{1, 2, 3})
}

// build100k fills ix with n random unit vectors and returns them.
func buildSet(rng *rand.Rand, n, dim int) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		out[i] = randVec(rng, dim)
	}
	return out
}

// TestBinaryRecallNearDuplicates100k: at 100k x 256-d, the binary index finds the true
// neighbour of every near-duplicate query as the top hit, down to cosine 0.6.
func TestBinaryRecallNearDuplicates100k(t *testing.T) {
	n := 100_000
	if testing.Short() || raceEnabled {
		n = 20_000
	}
	const dim = 256
	rng := rand.New(rand.NewPCG(5, 6))
	set := buildSet(rng, n, dim)
	bin := NewBinary(dim, 0)
	auto := NewAuto(dim, 0)
	for i, v := range set {
		bin.Add(uint64(i), v)
		auto.Add(uint64(i), v)
	}
	for _, cos := range []float64{0.95, 0.8, 0.6} {
		missed := 0
		for q := 0; q < 100; q++ {
			target := rng.IntN(n)
			qv := near(rng, set[target], cos)
			for name, ix := range map[string]Index{"binary": bin, "auto": auto} {
				hs := ix.Search(qv, 1)
				if len(hs) != 1 || hs[0].ID != uint64(target) {
					missed++
					t.Errorf("%s cos %.2f: query %d: got %+v, want id %d", name, cos, q, hs, target)
				}
			}
		}
		t.Logf("cos %.2f: %d/200 near-duplicates missed", cos, missed)
	}
}

// TestBinaryRecallAt10Clustered compares binary with exact search on clustered data
// (like real sentence embeddings, which crowd into topics).
func TestBinaryRecallAt10Clustered(t *testing.T) {
	const dim = 256
	n := 30_000
	if raceEnabled {
		n = 5_000
	}
	rng := rand.New(rand.NewPCG(7, 8))
	centres := buildSet(rng, 100, dim)
	ex, bin := NewExact(dim), NewBinary(dim, 0)
	for i := 0; i < n; i++ {
		v := near(rng, centres[rng.IntN(len(centres))], 0.7)
		ex.Add(uint64(i), v)
		bin.Add(uint64(i), v)
	}
	found, total := 0, 0
	for q := 0; q < 100; q++ {
		qv := near(rng, centres[rng.IntN(len(centres))], 0.7)
		want := ex.Search(qv, 10)
		got := bin.Search(qv, 10)
		for _, w := range want {
			total++
			if slices.ContainsFunc(got, func(h Hit) bool { return h.ID == w.ID }) {
				found++
			}
		}
	}
	recall := float64(found) / float64(total)
	t.Logf("recall@10 on clustered data: %.3f", recall)
	if recall < 0.9 {
		t.Errorf("recall@10 = %.3f, want >= 0.9", recall)
	}
}

func TestConcurrentUse(t *testing.T) {
	const dim = 64
	for name, ix := range indexes(dim) {
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 9))
				for i := 0; i < 300; i++ {
					id := uint64(w*1000 + i)
					ix.Add(id, randVec(rng, dim))
					ix.Search(randVec(rng, dim), 3)
					if i%3 == 0 {
						ix.Remove(id)
					}
				}
			}(w)
		}
		wg.Wait()
		if got := ix.Len(); got != 4*200 {
			t.Errorf("%s: Len %d, want 800", name, got)
		}
	}
}

// naiveEntry and naiveScan reproduce the seed's cache lookup: a slice of entries, the
// cosine (dot product and both norms) computed with a plain loop for every entry.
type naiveEntry struct {
	id  uint64
	vec []float32
}

func naiveScan(entries []naiveEntry, q []float32) (uint64, float32) {
	var best float32 = -2
	var bestID uint64
	for _, e := range entries {
		if s := cosine(q, e.vec); s > best {
			best, bestID = s, e.id
		}
	}
	return bestID, best
}

// BenchmarkSearch100k compares, in one run, the seed's naive scan, exact SIMD search and
// binary codes with re-rank at 100k x 256-d. Each query is a near-duplicate (cosine 0.9)
// of a stored vector. p99-ns is the 99th percentile of per-query latency.
func BenchmarkSearch100k(b *testing.B) {
	const n, dim = 100_000, 256
	rng := rand.New(rand.NewPCG(11, 12))
	set := buildSet(rng, n, dim)
	ex, bin := NewExact(dim), NewBinary(dim, 0)
	entries := make([]naiveEntry, n)
	for i, v := range set {
		ex.Add(uint64(i), v)
		bin.Add(uint64(i), v)
		entries[i] = naiveEntry{uint64(i), v}
	}
	queries := make([][]float32, 256)
	targets := make([]uint64, len(queries))
	for i := range queries {
		targets[i] = uint64(rng.IntN(n))
		queries[i] = near(rng, set[targets[i]], 0.9)
	}
	run := func(b *testing.B, search func(q []float32) uint64) {
		lat := make([]time.Duration, 0, 1024)
		misses := 0
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			j := i % len(queries)
			t0 := time.Now()
			id := search(queries[j])
			lat = append(lat, time.Since(t0))
			if id != targets[j] {
				misses++
			}
		}
		b.StopTimer()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
		b.ReportMetric(float64(misses), "misses")
	}
	b.Run("naive-seed", func(b *testing.B) {
		run(b, func(q []float32) uint64 { id, _ := naiveScan(entries, q); return id })
	})
	b.Run("exact", func(b *testing.B) {
		run(b, func(q []float32) uint64 { return ex.Search(q, 1)[0].ID })
	})
	b.Run("binary", func(b *testing.B) {
		run(b, func(q []float32) uint64 { return bin.Search(q, 1)[0].ID })
	})
}
