package route

import (
	"fmt"
	"strings"

	"github.com/planwise/planwise/query"
)

// Tier is a complexity class of a request.
type Tier string

// The tiers, from the cheapest to plan to the hardest.
const (
	// Simple requests need one tool call.
	Simple Tier = "simple"
	// Moderate requests need a sequence of calls.
	Moderate Tier = "moderate"
	// Complex requests need a graph: parallel branches joined again, conditions, loops.
	Complex Tier = "complex"
)

// Tiers lists the tiers from the cheapest to the hardest.
func Tiers() []Tier { return []Tier{Simple, Moderate, Complex} }

// ParseTier reads a tier name (case-insensitive).
func ParseTier(s string) (Tier, error) {
	t := Tier(strings.ToLower(strings.TrimSpace(s)))
	switch t {
	case Simple, Moderate, Complex:
		return t, nil
	}
	return "", fmt.Errorf("unknown tier %q: use simple, moderate or complex", s)
}

// index is the tier's position in Tiers (-1 for an unknown tier).
func (t Tier) index() int {
	switch t {
	case Simple:
		return 0
	case Moderate:
		return 1
	case Complex:
		return 2
	}
	return -1
}

// Analysis is the complexity of one request.
type Analysis struct {
	Tier Tier `json:"tier"`
	// Score grows with complexity. For SeedAnalyzer it is the seed's integer score (0-6);
	// for Analyzer it is the expected tier index under the model, from 0 (surely Simple)
	// to 2 (surely Complex).
	Score float64 `json:"score"`
	// Reasons are short human-readable cues behind the tier ("3 clauses", "marker
	// \"then\"").
	Reasons []string `json:"reasons,omitempty"`
	// Features are the measurements the tier was computed from.
	Features Features `json:"features"`
}

// Classifier is what a Router needs from an analyzer; SeedAnalyzer and *Analyzer
// implement it.
type Classifier interface {
	Analyze(request string) Analysis
}

// QueryClassifier is a Classifier that analyses a request from its query.Query, reading
// the slots the query holds instead of extracting them again (Analyzer);
// Router.RouteQuery prefers it.
type QueryClassifier interface {
	Classifier
	AnalyzeQuery(q query.Query) Analysis
}
