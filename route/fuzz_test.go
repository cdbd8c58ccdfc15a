package route

import (
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzAnalyze feeds arbitrary requests (untrusted input) to both analyzers: no panic,
// a known tier, a finite score in range, and quote masking that keeps valid UTF-8 valid.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "Play 'x", "a 'b' c \"d\" ‘e’ “f”", "If it rains, then for each x do y.", "'''\"\"\"", "é'ü'", "\xff'\xfe'"} {
		f.Add(s)
	}
	an, err := NewAnalyzer(splitMatcher)
	if err != nil {
		f.Fatal(err)
	}
	seed := NewSeedAnalyzer()
	f.Fuzz(func(t *testing.T, req string) {
		a := an.Analyze(req)
		if a.Tier.index() < 0 || math.IsNaN(a.Score) || a.Score < 0 || a.Score > 2 {
			t.Fatalf("Analyze(%q) = tier %q score %v", req, a.Tier, a.Score)
		}
		if s := seed.Analyze(req); s.Tier.index() < 0 || s.Score < 0 || s.Score > 6 {
			t.Fatalf("seed Analyze(%q) = tier %q score %v", req, s.Tier, s.Score)
		}
		m := maskQuotes(req)
		if utf8.ValidString(req) && !utf8.ValidString(m) {
			t.Fatalf("maskQuotes(%q) = %q is not valid UTF-8", req, m)
		}
		if len(m) > len(req)+len("quoted")*(len(req)/2+1) {
			t.Fatalf("maskQuotes(%q) grew to %d bytes", req, len(m))
		}
	})
}
