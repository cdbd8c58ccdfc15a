package slot

import (
	"testing"
	"unicode/utf8"
)

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation",
		"email Bob.Smith@Example.COM the report.pdf by tomorrow, $1,250.50 or 100 EUR, 15% off",
		"'unterminated “quote ‘x’ «y» 10/05/2023 10:00 AM (555) 123-4567 in 3 days next Friday",
		"J.K. Rowling Dr. Smith 1.2.3 -4 +44 20 7946 0958 https://x.io/a?b www.foo.org Economy extra",
		"\xff\xfe'\"“", "2026-02-30", "$", "+", "in ", "next ", "12:", "3 p.", "Dr.", "J.",
	} {
		f.Add(s)
	}
	e := testExtractor()
	f.Fuzz(func(t *testing.T, text string) {
		ss := e.Extract(text)
		checkSlots(t, text, ss)
		for _, s := range ss {
			if s.Kind != Enum && s.Kind != Quoted && s.Kind != Name && utf8.ValidString(s.Text) && !utf8.ValidString(s.Value) {
				t.Fatalf("invalid UTF-8 value %q from %q", s.Value, s.Text)
			}
		}
		tmpl := Template(text, ss)
		if len(tmpl) > 2*len(text)+16*len(ss)+1 {
			t.Fatalf("template %q too long for %q", tmpl, text)
		}
	})
}
