package embed

import (
	"math"
	"testing"
)

// FuzzLocalEmbed: any text embeds to a finite vector of norm 1, or 0 when it has no words.
func FuzzLocalEmbed(f *testing.F) {
	for _, s := range []string{"hello world", "", "don't", "Ünïcödé ’quote’", "a\x00b\xffc", "'''"} {
		f.Add(s)
	}
	l := mustLocal(f, LocalConfig{})
	f.Fuzz(func(t *testing.T, s string) {
		v := l.EmbedOne(s)
		n := dot(v, v)
		if math.IsNaN(n) || (n != 0 && math.Abs(n-1) > 1e-4) {
			t.Fatalf("%q: squared norm %v", s, n)
		}
	})
}
