package reuse

import (
	"strings"
	"testing"
)

// normalizeReference is Normalize as it was written first, for any text: the
// exact-match key of every cache entry stored since, which Normalize must keep giving.
func normalizeReference(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, " .?!")
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"calculate (12.5 + 7) * 3", "calculate (12.5 + 7) * 3"},
		{"  Email   Bob\tthe\r\nreport.  ", "email bob the report"},
		{"what time is it?!", "what time is it"},
		{"hi . ? !", "hi"},
		{" . ", ""},
		{"a\vb\fc", "a b c"},
		{"ÉTÉ  à Paris", "été à paris"},
		{"x\u00a0y\u0085z", "x y z"}, // Unicode white space
		{"İstanbul", strings.ToLower("İstanbul")},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got, ref := Normalize(tc.in), normalizeReference(tc.in); got != ref {
			t.Errorf("Normalize(%q) = %q, the reference %q", tc.in, got, ref)
		}
	}
}

// An already normalised ASCII request, as every verbatim cache hit's is, is its own key.
func TestNormalizeKeepsNormalText(t *testing.T) {
	in := "calculate (12.5 + 7) * 3"
	if n := testing.AllocsPerRun(100, func() { _ = Normalize(in) }); n != 0 {
		t.Errorf("Normalize of normal text allocates %.0f times", n)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", " ", "Email Bob the report.", "a  b", "a\tb", "x?", "?", "é É", "a\u00a0b", "\xff", "A.\n.B ! "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s), normalizeReference(s); got != want {
			t.Fatalf("Normalize(%q) = %q, the reference %q", s, got, want)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, s := range []string{"calculate (12.5 + 7) * 3", "Email Bob the quarterly report, then book a table for 2 at 7pm."} {
		b.Run(s[:5], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Normalize(s)
			}
		})
	}
}
