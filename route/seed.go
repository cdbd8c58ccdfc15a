package route

import (
	"fmt"
	"strings"
)

// SeedAnalyzer is the seed project's complexity heuristic, kept as the baseline. Its
// rules, exactly:
//
//   - +1 when the request has more than 20 words, +1 more when it has more than 50;
//   - +1 when it has any multi-step marker (then, after that, next, finally,
//     afterwards, followed by, once, later, lastly, after, before, first, ...);
//   - +1 when it has any conditional (if, when, unless, in case, whether, otherwise, ...);
//   - +1 when it has any loop word (each, every, for all, all of, per, repeat, ...);
//   - +1 when it has any reference to an earlier result (it, that, the result, them,
//     this, those, ...).
//
// A score of 0 is Simple, 1-2 Moderate, 3 or more Complex. Each category counts once,
// however many cues it has. The zero value is not usable; call NewSeedAnalyzer.
type SeedAnalyzer struct {
	lx *lexicon
}

// NewSeedAnalyzer returns the seed heuristic.
func NewSeedAnalyzer() SeedAnalyzer { return SeedAnalyzer{lx: newLexicon()} }

// Analyze implements Classifier.
func (s SeedAnalyzer) Analyze(request string) Analysis {
	c, _ := s.lx.scan(request, true)
	score := 0
	var reasons []string
	if c.f.Words > 20 {
		score++
		reasons = append(reasons, fmt.Sprintf("%d words > 20", c.f.Words))
	}
	if c.f.Words > 50 {
		score++
		reasons = append(reasons, fmt.Sprintf("%d words > 50", c.f.Words))
	}
	for _, cat := range []struct {
		name  string
		found []string
	}{
		{"multi-step marker", c.steps},
		{"conditional", c.conditionals},
		{"loop", c.loops},
		{"reference", c.refs},
	} {
		if len(cat.found) > 0 {
			score++
			reasons = append(reasons, cat.name+" "+quoteAll(cat.found))
		}
	}
	tier := Simple
	switch {
	case score >= 3:
		tier = Complex
	case score >= 1:
		tier = Moderate
	}
	return Analysis{Tier: tier, Score: float64(score), Reasons: reasons, Features: c.f}
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
