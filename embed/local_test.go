package embed

import (
	"context"
	"math"
	"sync"
	"testing"
)

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func mustLocal(t testing.TB, cfg LocalConfig) *Local {
	t.Helper()
	l, err := NewLocal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLocalNormalisedAndDeterministic(t *testing.T) {
	l := mustLocal(t, LocalConfig{})
	if l.Dim() != 256 {
		t.Fatalf("default dim = %d, want 256", l.Dim())
	}
	texts := []string{"Email Bob the quarterly report", "turn OFF the kitchen lights", "Ünïcödé café naïve", "x"}
	a, err := l.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	l2 := mustLocal(t, LocalConfig{})
	b, _ := l2.Embed(context.Background(), texts)
	for i := range texts {
		if len(a[i]) != 256 {
			t.Fatalf("len = %d", len(a[i]))
		}
		if n := dot(a[i], a[i]); math.Abs(n-1) > 1e-5 {
			t.Errorf("%q: squared norm %v, want 1", texts[i], n)
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatalf("%q: embedding differs between two embedders of the same config", texts[i])
			}
		}
	}
	if l.Name() != l2.Name() {
		t.Errorf("same config, different names %q %q", l.Name(), l2.Name())
	}
}

func TestLocalEmptyTextIsZero(t *testing.T) {
	l := mustLocal(t, LocalConfig{})
	v := l.EmbedOne("  ,,, !! ")
	if dot(v, v) != 0 {
		t.Fatalf("punctuation-only text should embed to the zero vector")
	}
}

func TestLocalNameTracksConfig(t *testing.T) {
	base := mustLocal(t, LocalConfig{}).Name()
	for _, cfg := range []LocalConfig{{Dim: 512}, {Seed: 7}, {CharWeight: -1}, {IDF: map[string]float32{"x": 2}}} {
		if n := mustLocal(t, cfg).Name(); n == base {
			t.Errorf("config %+v has the default's name %q", cfg, n)
		}
	}
}

func TestLocalSimilarityOrdering(t *testing.T) {
	l := mustLocal(t, LocalConfig{})
	sim := func(a, b string) float64 { return dot(l.EmbedOne(a), l.EmbedOne(b)) }
	cases := []struct{ a, near, far string }{
		{"what is the weather in paris tomorrow", "what's the weather tomorrow in paris", "transfer money to my savings account"},
		{"cancel my order", "please cancel the order I placed", "what time does the store open"},
		{"reset my password", "I need to reset the password", "book a table for two"},
		{"cancel my reservation", "cancelled reservations", "play some jazz music"},
	}
	for _, c := range cases {
		n, f := sim(c.a, c.near), sim(c.a, c.far)
		if n <= f {
			t.Errorf("%q: paraphrase %.3f, unrelated %.3f", c.a, n, f)
		}
		if f > 0.3 {
			t.Errorf("%q vs %q: unrelated texts score %.3f", c.a, c.far, f)
		}
	}
	if s := sim("Email Bob", "email bob"); s < 0.9999 {
		t.Errorf("case must not matter, got %.5f", s)
	}
}

func TestLocalFitIDF(t *testing.T) {
	idf := FitIDF([]string{"the cat", "the dog", "the bird", "a cat"})
	if !(idf["the"] < idf["cat"] && idf["cat"] < idf["dog"]) {
		t.Fatalf("idf order wrong: the=%v cat=%v dog=%v", idf["the"], idf["cat"], idf["dog"])
	}
	if idf[""] != idf["dog"] {
		t.Errorf("unknown-word idf %v, want that of a word seen once %v", idf[""], idf["dog"])
	}
	l := mustLocal(t, LocalConfig{IDF: idf})
	// With the fitted table, "the" barely matters: sentences sharing only "the" are far.
	if s := dot(l.EmbedOne("the cat"), l.EmbedOne("the dog")); s > 0.35 {
		t.Errorf("sentences sharing only a frequent word score %.3f", s)
	}
}

func TestLocalConcurrent(t *testing.T) {
	l := mustLocal(t, LocalConfig{})
	want := l.EmbedOne("book a flight from paris to rome")
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				v, _ := l.Embed(context.Background(), []string{"book a flight from paris to rome"})
				if v[0][3] != want[3] || v[0][100] != want[100] {
					t.Error("concurrent embedding differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestLocalCancelled(t *testing.T) {
	l := mustLocal(t, LocalConfig{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Embed(ctx, []string{"a"}); err == nil {
		t.Fatal("want context error")
	}
}

func TestNewLocalRejectsBadConfig(t *testing.T) {
	for _, cfg := range []LocalConfig{{Dim: 4}, {CharMin: 5, CharMax: 3}} {
		if _, err := NewLocal(cfg); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
}

var sink []float32

func BenchmarkLocalEmbed(b *testing.B) {
	for _, dim := range []int{256, 512} {
		l := mustLocal(b, LocalConfig{Dim: dim})
		texts := []string{
			"send the quarterly sales report to bob@example.com tomorrow at 9am",
			"what is the weather in paris",
			"turn off the lights in the kitchen and lock the front door",
		}
		b.Run(map[int]string{256: "dim256", 512: "dim512"}[dim], func(b *testing.B) {
			var sc scratch
			v := make([]float32, dim)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				l.embedInto(v, texts[i%len(texts)], &sc)
			}
			sink = v
		})
	}
}
