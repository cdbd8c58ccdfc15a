package slot

import (
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
)

var benchRequests = []string{
	"Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation",
	"I want to book the Hilton Hotel for December 10th, 2022",
	"Find flights from New York to London that depart on August 15, 2024, and return on August 18, 2024 and find hotels in London.",
	"Can you install the 'example_software' for me, and then wake me up at 08:00 so I can get an early start?",
}

// BenchmarkExtract measures one Extract over typical requests (mean of the four).
func BenchmarkExtract(b *testing.B) {
	e := NewExtractor(Options{Enums: []string{"Economy", "Economy extra", "Uber Eats", "Compact", "Regular", "Luxury"}, Now: fixedNow})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e.Extract(benchRequests[i%len(benchRequests)])
	}
}

func BenchmarkTemplate(b *testing.B) {
	e := NewExtractor(Options{Now: fixedNow})
	text := benchRequests[0]
	ss := e.Extract(text)
	b.ReportAllocs()
	for b.Loop() {
		Template(text, ss)
	}
}

func BenchmarkRebind(b *testing.B) {
	e := NewExtractor(Options{Now: fixedNow})
	from := e.Extract(benchRequests[0])
	to := e.Extract("Book a table for 2 at Nino's on 2026-12-31 at 20:30 and then text +1 555 765 4321 the confirmation")
	p, err := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"book_restaurant","args":{"name":"Luigi's","date":"2026-12-24","time":"19:00"}},{"id":"s2","tool":"send_sms","args":{"phone_number":"+15551234567","content":"${s1}"}}]}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rebind(p, from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractAdversarial extracts from 100 KB inputs built to make a careless
// scanner quadratic (one long token with a boundary every other byte).
func BenchmarkExtractAdversarial(b *testing.B) {
	e := NewExtractor(Options{Now: fixedNow})
	inputs := []string{strings.Repeat("a.", 50000), strings.Repeat("1-", 50000), strings.Repeat("x@", 50000), strings.Repeat("'a ", 33000)}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e.Extract(inputs[i%len(inputs)])
	}
}
