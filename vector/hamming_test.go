package vector

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestHammingAllMatchesGo checks the assembly kernel against the Go loop on random codes
// of every small length and some long ones.
func TestHammingAllMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 7, 64, 1000, 4097} {
		codes := make([]uint64, 4*n+4) // longer than needed: only 4n words are read
		for i := range codes {
			codes[i] = rng.Uint64()
		}
		codes[0], codes[1] = 0, ^uint64(0)
		q := [4]uint64{rng.Uint64(), 0, ^uint64(0), rng.Uint64()}
		got, want := make([]uint16, n), make([]uint16, n)
		hammingAll(codes, &q, got)
		hammingAllGo(codes, &q, want)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: kernel and Go loop disagree", n)
		}
	}
	// Identical and complementary codes: 0 and 256.
	c := []uint64{1, 2, 3, 4, ^uint64(1), ^uint64(2), ^uint64(3), ^uint64(4)}
	d := make([]uint16, 2)
	hammingAll(c, &[4]uint64{1, 2, 3, 4}, d)
	if d[0] != 0 || d[1] != 256 {
		t.Fatalf("distances %v, want [0 256]", d)
	}
}

func BenchmarkHammingAll100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	codes := make([]uint64, 4*100_000)
	for i := range codes {
		codes[i] = rng.Uint64()
	}
	q := [4]uint64{rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64()}
	dist := make([]uint16, 100_000)
	b.Run("kernel", func(b *testing.B) {
		for b.Loop() {
			hammingAll(codes, &q, dist)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			hammingAllGo(codes, &q, dist)
		}
	})
}
