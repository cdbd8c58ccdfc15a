package route

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"

	"github.com/planwise/planwise/query"
)

//go:generate go run ../cmd/planwise eval route --train --taskbench ../../shared/data/taskbench --out models.json

// models.json holds the fitted weights: "clauses" for an Analyzer with a ClauseMatcher,
// "text" for one without. Produced by `planwise eval route --train` (see go:generate
// above): multinomial logistic regression on the train part (request-id FNV-1a hash
// mod 5 != 0) of TaskBench's three domains, node_alignment_id shape labels.
//
//go:embed models.json
var modelsJSON []byte

// Models is the content of models.json.
type Models struct {
	Clauses *Model `json:"clauses"`
	Text    *Model `json:"text"`
}

// EmbeddedModels returns the models built into this package (a fresh copy).
func EmbeddedModels() (Models, error) {
	var ms Models
	if err := json.Unmarshal(modelsJSON, &ms); err != nil {
		return Models{}, fmt.Errorf("route: embedded models.json: %w", err)
	}
	if ms.Clauses == nil || ms.Text == nil {
		return Models{}, fmt.Errorf("route: embedded models.json lacks the clauses or text model")
	}
	return ms, nil
}

// Clause is one part of a request that asks for one thing, with the tool it matches
// (Tool empty when none matches with confidence).
type Clause struct {
	Text  string
	Tool  string
	Score float64
}

// ClauseMatcher splits a request into clauses and matches each to a tool of the
// catalog. The pattern planner does this (pattern.Pattern.Clauses); adapt it with
// MatchClauses at wiring time.
type ClauseMatcher interface {
	Clauses(request string) []Clause
}

// MatcherFunc adapts a function to ClauseMatcher.
type MatcherFunc func(request string) []Clause

// Clauses implements ClauseMatcher.
func (f MatcherFunc) Clauses(request string) []Clause { return f(request) }

// MatchClauses adapts a clause function whose clauses have Clause's fields (the pattern
// planner's pattern.Pattern.Clauses) to ClauseMatcher. The conversion is route's own code,
// so a request's path goes from route to the matcher and back, never through the
// package that wired them.
func MatchClauses[C ~struct {
	Text  string
	Tool  string
	Score float64
}](f func(request string) []C) ClauseMatcher {
	return MatcherFunc(func(request string) []Clause {
		cs := f(request)
		out := make([]Clause, len(cs))
		for i, c := range cs {
			out[i] = Clause(c)
		}
		return out
	})
}

// QueryClauseMatcher is a ClauseMatcher that reads the slots of a request from its
// query.Query (query.Query.SlotsOf: the analysis the planner made of the request, or of
// the rewriting the analyzer reads, once per request) instead of extracting them again.
// request is q's text or a rewriting of it (quoted spans masked). The pattern planner's
// pattern.Pattern.ClausesOf, adapted with MatchQueryClauses, is one.
type QueryClauseMatcher interface {
	ClauseMatcher
	ClausesOf(q query.Query, request string) []Clause
}

// MatchQueryClauses is MatchClauses for a clause function that reads the request's
// query (pattern.Pattern.ClausesOf). Its Clauses gives the function a query of no
// analysis, which extracts the request's slots itself.
func MatchQueryClauses[C ~struct {
	Text  string
	Tool  string
	Score float64
}](f func(q query.Query, request string) []C) QueryClauseMatcher {
	return queryMatcher(func(q query.Query, request string) []Clause {
		cs := f(q, request)
		out := make([]Clause, len(cs))
		for i, c := range cs {
			out[i] = Clause(c)
		}
		return out
	})
}

type queryMatcher func(q query.Query, request string) []Clause

func (f queryMatcher) Clauses(request string) []Clause { return f(query.Query{}, request) }

func (f queryMatcher) ClausesOf(q query.Query, request string) []Clause { return f(q, request) }

// Meter measures the Features of requests, with the clause features when it has a
// matcher. It is immutable and safe for concurrent use.
type Meter struct {
	lx      *lexicon
	matcher ClauseMatcher
}

// NewMeter returns a Meter; matcher may be nil.
func NewMeter(matcher ClauseMatcher) *Meter { return &Meter{lx: newLexicon(), matcher: matcher} }

// Analyzer classifies requests with a fitted model over Features. It is immutable and
// safe for concurrent use.
type Analyzer struct {
	Meter
	model   *Model
	noRules bool
}

// AnalyzerOption configures an Analyzer.
type AnalyzerOption func(*Analyzer)

// WithModel replaces the embedded model (for instance by one just fitted). A model
// fitted with Clauses needs a matcher.
func WithModel(m *Model) AnalyzerOption { return func(a *Analyzer) { a.model = m } }

// WithoutStructuralRules leaves the tier to the model alone (see Analyze); for
// measuring what the rules cost or gain.
func WithoutStructuralRules() AnalyzerOption { return func(a *Analyzer) { a.noRules = true } }

// NewAnalyzer returns an analyzer. matcher may be nil: the analyzer then uses the text
// model, which sees only lexical features and is less accurate.
func NewAnalyzer(matcher ClauseMatcher, opts ...AnalyzerOption) (*Analyzer, error) {
	a := &Analyzer{Meter: *NewMeter(matcher)}
	for _, o := range opts {
		o(a)
	}
	if a.model == nil {
		ms, err := EmbeddedModels()
		if err != nil {
			return nil, err
		}
		a.model = ms.Text
		if matcher != nil {
			a.model = ms.Clauses
		}
	}
	if err := a.model.check(); err != nil {
		return nil, err
	}
	if a.model.Clauses && matcher == nil {
		return nil, fmt.Errorf("route: the model was fitted with clause features and needs a ClauseMatcher")
	}
	return a, nil
}

// Features measures request: the lexical cues and, with a matcher, its clauses and
// tools. The content of quoted spans is masked first (see maskQuotes).
func (a *Meter) Features(request string) Features {
	request = maskQuotes(request)
	c, _ := a.lx.scan(request, false)
	if a.matcher != nil {
		a.clauseFeatures(query.Query{}, request, &c.f)
	}
	return c.f
}

// clauseFeatures measures the clauses of request, q's text with quoted spans masked.
func (a *Meter) clauseFeatures(q query.Query, request string, f *Features) {
	var cs []Clause
	if m, ok := a.matcher.(QueryClauseMatcher); ok {
		cs = m.ClausesOf(q, request)
	} else {
		cs = a.matcher.Clauses(request)
	}
	f.Clauses = len(cs)
	// The best score of each distinct tool; requests have a handful of clauses.
	type toolScore struct {
		tool  string
		score float64
	}
	var buf [8]toolScore
	best := buf[:0]
	for i, c := range cs {
		if c.Tool == "" {
			f.Unmatched++
		} else {
			seen := false
			for k := range best {
				if best[k].tool == c.Tool {
					best[k].score = max(best[k].score, c.Score)
					seen = true
					break
				}
			}
			if !seen {
				best = append(best, toolScore{c.Tool, c.Score})
			}
		}
		if i > 0 {
			ws, _, _ := tokenize(c.Text)
			if a.lx.references.count(ws, nil) > 0 {
				f.ReferringClauses++
			}
		}
	}
	f.Tools = len(best)
	first, second := 0.0, 0.0
	for _, t := range best {
		if t.score >= 6 {
			f.ConfidentTools++
		}
		switch {
		case t.score > first:
			first, second = t.score, first
		case t.score > second:
			second = t.score
		}
	}
	f.SecondToolScore = second
}

// Analyze implements Classifier. The model's most probable tier is raised to Complex
// when the request states a condition or a loop over another step, or parallel
// branches joined by a later step: plan constructs the model's training data lacks.
func (a *Analyzer) Analyze(request string) Analysis {
	return a.AnalyzeQuery(query.Query{Text: request})
}

// AnalyzeQuery implements QueryClassifier: Analyze of q's text, whose clause matcher
// reads the slots q holds when it is a QueryClauseMatcher.
func (a *Analyzer) AnalyzeQuery(q query.Query) Analysis {
	request := maskQuotes(q.Text)
	c, _ := a.lx.scan(request, true)
	if a.matcher != nil {
		a.clauseFeatures(q, request, &c.f)
	}
	f := c.f
	var p [3]float64
	a.model.probs(f, &p)
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	tier := Tiers()[best]
	an := Analysis{Tier: tier, Score: p[1] + 2*p[2], Features: f}
	an.Reasons = append(an.Reasons, fmt.Sprintf("p(%s)=%.2f", tier, p[best]))
	if a.matcher != nil {
		an.Reasons = append(an.Reasons, fmt.Sprintf("%d clauses, %d tools", f.Clauses, f.Tools))
	}
	for _, cat := range []struct {
		name  string
		found []string
	}{
		{"sequence", c.steps}, {"parallel", c.parallel}, {"fan-in", c.fanIn},
		{"conditional", c.conditionals}, {"loop", c.loops}, {"reference", c.refs},
	} {
		if len(cat.found) > 0 {
			an.Reasons = append(an.Reasons, cat.name+" "+quoteAll(cat.found))
		}
	}
	if math.IsNaN(an.Score) {
		an.Score = 0
	}
	if !a.noRules {
		if why := structural(c); why != "" {
			an.Tier, an.Score = Complex, 2
			an.Reasons = append(an.Reasons, why)
		}
	}
	return an
}

// structural returns why a request needs a graph whatever the model says: plan
// constructs TaskBench (the model's training data) has no examples of. A condition or
// a loop over the result of another step needs an "if" or a "for_each" step; parallel
// branches ("meanwhile") that a later step joins ("both", "these") need a fan-in.
// Empty when none applies.
func structural(c cues) string {
	f := c.f
	multi := f.Clauses >= 2 || (f.Clauses == 0 && (f.Sentences >= 2 || f.Steps+f.Ands+f.Commas >= 1))
	switch {
	case !multi:
		return ""
	case f.Branches > 0:
		return "structure: a condition over another step"
	case f.Iterations > 0:
		return "structure: a loop over another step's result"
	case f.Concurrent > 0 && f.FanIn > 0 && (f.Tools >= 3 || (f.Clauses == 0 && f.Ands+f.Commas >= 2)):
		return "structure: parallel branches joined by a later step"
	}
	return ""
}
