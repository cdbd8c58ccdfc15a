package route

import (
	"encoding/json"
	"strings"
	"testing"
)

// splitMatcher is a stand-in for the pattern planner: clauses split at commas, "and"
// and sentence ends, each matched to a tool named after its first verb.
var splitMatcher = newSplitMatcher()

func newSplitMatcher() MatcherFunc {
	r := strings.NewReplacer(". ", "|", ", and ", "|", ", ", "|", " and ", "|")
	return func(request string) []Clause { return splitClauses(r, request) }
}

func splitClauses(r *strings.Replacer, request string) []Clause {
	var out []Clause
	for _, part := range strings.Split(r.Replace(request), "|") {
		ws := strings.Fields(strings.TrimSpace(part))
		if len(ws) == 0 {
			continue
		}
		for len(ws) > 1 && (ws[0] == "then" || ws[0] == "finally" || ws[0] == "if" || ws[0] == "it") {
			ws = ws[1:]
		}
		out = append(out, Clause{Text: part, Tool: strings.ToLower(ws[0]), Score: 5})
	}
	return out
}

func TestAnalyzer(t *testing.T) {
	withClauses, err := NewAnalyzer(splitMatcher)
	if err != nil {
		t.Fatal(err)
	}
	textOnly, err := NewAnalyzer(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		request string
		tier    Tier
		reason  string // a reason that must be given
	}{
		{"one call", "Play the song 'Yesterday' by The Beatles", Simple, "p(simple)"},
		{"one call with details", "Send an email to bob@example.com with the subject 'Lunch' saying see you at noon", Simple, "p(simple)"},
		{"a sequence", "Book a flight from New York to London on June 1, then reserve a room at the Hilton in London, and finally send me an SMS at +123456789 with the confirmation", Moderate, "sequence \"then\", \"finally\""},
		{"two steps", "Check the weather in Paris for tomorrow, then email the forecast to bob@example.com", Moderate, "p(moderate)"},
		{"a condition over another step", "Check the weather in Paris, and if it rains, email Bob to cancel the picnic", Complex, "structure: a condition"},
		{"a loop over another step", "List my meetings for today and for each meeting send the attendees a reminder", Complex, "structure: a loop"},
		{"parallel branches joined", "Get the news about Paris, meanwhile check the weather there, and book a hotel, then combine both into one email to Ann", Complex, "structure: parallel branches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, an := range map[string]*Analyzer{"clauses": withClauses, "text": textOnly} {
				a := an.Analyze(tt.request)
				if a.Tier != tt.tier {
					t.Errorf("%s model: Analyze(%q) = %s (score %.2f, reasons %v), want %s", name, tt.request, a.Tier, a.Score, a.Reasons, tt.tier)
				}
				if !strings.Contains(strings.Join(a.Reasons, "; "), tt.reason) {
					t.Errorf("%s model: reasons %v lack %q", name, a.Reasons, tt.reason)
				}
				if a.Score < 0 || a.Score > 2 {
					t.Errorf("%s model: score %v outside [0, 2]", name, a.Score)
				}
			}
		})
	}
}

func TestAnalyzerScoreOrdersTiers(t *testing.T) {
	an, err := NewAnalyzer(splitMatcher, WithoutStructuralRules())
	if err != nil {
		t.Fatal(err)
	}
	simple := an.Analyze("Play the song 'Yesterday'").Score
	moderate := an.Analyze("Book a flight to London, then reserve a room at the Hilton, and finally send me an SMS with the confirmation").Score
	if !(simple < 0.5 && moderate > 0.5 && moderate > simple) {
		t.Errorf("scores simple %.2f, moderate %.2f: want simple < 0.5 < moderate", simple, moderate)
	}
	// Without the rules, a condition is left to the model, which never saw one.
	if a := an.Analyze("Check the weather in Paris, and if it rains, email Bob"); strings.Contains(strings.Join(a.Reasons, ";"), "structure") {
		t.Errorf("WithoutStructuralRules still applied a rule: %v", a.Reasons)
	}
}

func TestClauseFeatures(t *testing.T) {
	m := NewMeter(MatcherFunc(func(string) []Clause {
		return []Clause{{Text: "get the weather", Tool: "weather"}, {Text: "email it to Bob", Tool: "email"},
			{Text: "email the result to Ann", Tool: "email"}, {Text: "dance", Tool: ""}}
	}))
	f := m.Features("whatever")
	if f.Clauses != 4 || f.Tools != 2 || f.Unmatched != 1 || f.ReferringClauses != 2 {
		t.Errorf("features %+v: want 4 clauses, 2 distinct tools, 1 unmatched, 2 referring back", f)
	}
}

func TestEmbeddedModels(t *testing.T) {
	ms, err := EmbeddedModels()
	if err != nil {
		t.Fatal(err)
	}
	if !ms.Clauses.Clauses || ms.Text.Clauses {
		t.Error("the clauses model must use clause features and the text model must not")
	}
	for _, m := range []*Model{ms.Clauses, ms.Text} {
		if err := m.check(); err != nil {
			t.Error(err)
		}
		if !strings.Contains(m.Provenance, "--train") {
			t.Errorf("provenance %q does not say how the weights were made", m.Provenance)
		}
	}
	if _, err := NewAnalyzer(nil, WithModel(ms.Clauses)); err == nil {
		t.Error("a clauses model without a matcher was accepted")
	}
	bad := *ms.Text
	bad.Features = bad.Features[1:]
	if _, err := NewAnalyzer(nil, WithModel(&bad)); err == nil || !strings.Contains(err.Error(), "re-fit") {
		t.Errorf("a model of another feature set: err %v, want a re-fit hint", err)
	}
}

func TestFit(t *testing.T) {
	// Tiers decided by clause count, with noise words: a separable problem the fit must
	// learn and generalise (scored on samples it did not see).
	mk := func(i int) Sample {
		clauses := 1 + i%3
		f := Features{Words: 8 + 7*clauses + i%5, Clauses: clauses, Tools: clauses, Sentences: 1 + i%2}
		return Sample{Features: f, Tier: Tiers()[clauses-1]}
	}
	var train []Sample
	for i := range 300 {
		train = append(train, mk(i))
	}
	m, err := Fit(train, FitOptions{Clauses: true, Iterations: 500})
	if err != nil {
		t.Fatal(err)
	}
	an, err := NewAnalyzer(splitMatcher, WithModel(m))
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for i := 1000; i < 1100; i++ {
		s := mk(i)
		var p [3]float64
		an.model.probs(s.Features, &p)
		best := 0
		for k := range p {
			if p[k] > p[best] {
				best = k
			}
		}
		if Tiers()[best] == s.Tier {
			right++
		}
	}
	if right < 95 {
		t.Errorf("held-out accuracy %d/100 on a separable problem", right)
	}
	b, _ := json.Marshal(m)
	var back Model
	if err := json.Unmarshal(b, &back); err != nil || back.check() != nil {
		t.Errorf("model does not survive JSON: %v %v", err, back.check())
	}
	if _, err := Fit(nil, FitOptions{}); err == nil {
		t.Error("Fit without samples succeeded")
	}
	if _, err := Fit([]Sample{{Tier: "hard"}}, FitOptions{}); err == nil {
		t.Error("Fit accepted an unknown tier")
	}
}

// MatchClauses converts another package's clauses with Clause's fields, in order.
func TestMatchClauses(t *testing.T) {
	type other struct {
		Text  string
		Tool  string
		Score float64
	}
	m := MatchClauses(func(request string) []other {
		return []other{{Text: request, Tool: "a", Score: 0.5}, {Text: "then b", Tool: "b", Score: 1}}
	})
	got := m.Clauses("do a")
	if len(got) != 2 || got[0] != (Clause{Text: "do a", Tool: "a", Score: 0.5}) || got[1] != (Clause{Text: "then b", Tool: "b", Score: 1}) {
		t.Fatalf("clauses = %+v", got)
	}
}
