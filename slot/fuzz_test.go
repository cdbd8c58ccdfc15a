package slot

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/planwise/planwise/plan"
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

// FuzzRebind: re-binding a plan built from one request's slots to another request's slots
// never panics; when it succeeds, every changed slot's new value is in the plan.
func FuzzRebind(f *testing.F) {
	f.Add("Book a table for 2 at Luigi's on 2026-12-24 at 19:00", "Book a table for 4 at Nino's on 2026-12-31 at 20:30")
	f.Add("fly from Paris to London", "fly from London to Paris")
	f.Add("email Bob bob@example.com $5", "email Alice alice@example.com $7.50")
	e := testExtractor()
	f.Fuzz(func(t *testing.T, a, b string) {
		from, to := e.Extract(a), e.Extract(b)
		args := map[string]any{}
		for i, s := range from {
			args[string(rune('a'+i%26))+strconv.Itoa(i)] = s.Value
		}
		p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "t", Args: args}}}
		q, err := Rebind(p, from, to)
		if err != nil {
			if !errors.Is(err, ErrUnbound) {
				t.Fatalf("error %v does not wrap ErrUnbound", err)
			}
			return
		}
		if len(q.Steps) != 1 {
			t.Fatalf("steps changed: %d", len(q.Steps))
		}
		got := strings.ToLower(string(q.JSON()))
		// Slots pair by kind, in order.
		next := map[Kind]int{}
		for _, f := range from {
			var t2 *Slot
			for k, n := 0, 0; k < len(to); k++ {
				if to[k].Kind == f.Kind {
					if n == next[f.Kind] {
						t2 = &to[k]
						break
					}
					n++
				}
			}
			next[f.Kind]++
			if t2 == nil {
				t.Fatalf("Rebind accepted unpaired slot %+v", f)
			}
			if f.Value != t2.Value && !strings.Contains(got, strings.ToLower(jsonEscape(t2.Value))) {
				t.Fatalf("re-bound plan %s lacks %q", got, t2.Value)
			}
		}
	})
}

func jsonEscape(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
