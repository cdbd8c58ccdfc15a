package route

import "testing"

var benchRequests = []string{
	"Send an email to bob@example.com with the subject 'Lunch' saying see you at noon",
	"Book a flight from New York to London on June 1, then reserve a room at the Hilton in London, and finally send me an SMS at +123456789 with the confirmation",
	"Check the weather in Paris, and if it rains, email Bob to cancel the picnic",
}

// BenchmarkAnalyze measures the analyzer alone (lexical features and the model, with a
// trivial clause matcher); eval/route's BenchmarkAnalyzeTaskBench adds the pattern
// planner's clause matching over a real catalog.
func BenchmarkAnalyze(b *testing.B) {
	for _, c := range []struct {
		name    string
		matcher ClauseMatcher
	}{{"text", nil}, {"clauses", splitMatcher}} {
		an, err := NewAnalyzer(c.matcher)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				an.Analyze(benchRequests[i%len(benchRequests)])
			}
		})
	}
}

func BenchmarkSeedAnalyze(b *testing.B) {
	s := NewSeedAnalyzer()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		s.Analyze(benchRequests[i%len(benchRequests)])
	}
}

func BenchmarkRoute(b *testing.B) {
	an, err := NewAnalyzer(nil)
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewRouter(Config{}, an)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Route(benchRequests[i%len(benchRequests)], "key")
	}
}
