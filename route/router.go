package route

import (
	"fmt"
	"math"

	"github.com/planwise/planwise/query"
)

// Default models per tier.
const (
	DefaultCheapModel  = "gpt-4o-mini"
	DefaultStrongModel = "gpt-4o"
)

// Config maps tiers to models. The zero value routes Simple and Moderate to
// gpt-4o-mini and Complex to gpt-4o.
type Config struct {
	// Tiers is the model per tier; missing tiers take the defaults.
	Tiers map[Tier]string `json:"tiers,omitempty" yaml:"tiers"`
	// PerKey overrides Tiers for one API key, by the key's non-secret id: the id the
	// caller passes to Route (planwise's server.KeyID), never the key itself; tiers it
	// does not name fall back to Tiers.
	PerKey map[string]map[Tier]string `json:"-" yaml:"per_key"`
	// Order is the cascade order from the cheapest tier to the strongest (default
	// Simple, Moderate, Complex).
	Order []Tier `json:"order,omitempty" yaml:"order"`
	// Thresholds, when set, pick the tier from the analysis score instead of the
	// analyzer's own tier; tune them from the recorded decisions and their outcomes.
	Thresholds *Thresholds `json:"thresholds,omitempty" yaml:"thresholds"`
}

// Thresholds map an analysis score to a tier: Complex from Complex up, Moderate from
// Moderate up, Simple below. For Analyzer the score is the expected tier index (0-2);
// for SeedAnalyzer the seed's integer score (0-6).
type Thresholds struct {
	Moderate float64 `json:"moderate" yaml:"moderate"`
	Complex  float64 `json:"complex" yaml:"complex"`
}

// Decision is the routing of one request. It is plain JSON so the history store can
// keep it with the request's cost and outcome.
type Decision struct {
	Tier    Tier     `json:"tier"`
	Model   string   `json:"model"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons,omitempty"`
	// KeyID is the id of the API key whose overrides applied (the id given to Route,
	// empty when none did); Escalate uses it to stay within that key's models.
	KeyID string `json:"key_id,omitempty"`
	// Escalated is true for a decision made by Escalate.
	Escalated bool `json:"escalated,omitempty"`
}

// Router routes requests to models by complexity. It is safe for concurrent use; its
// configuration is immutable after NewRouter, and it remembers the analyses of recent
// requests (the classifier must be a pure function of the request text, as Analyzer and
// SeedAnalyzer are).
type Router struct {
	classifier Classifier
	order      []Tier
	tiers      map[Tier]string
	perKey     map[string]map[Tier]string // by key id, each complete over order
	thresholds *Thresholds
	memo       *memo
}

// NewRouter checks cfg and returns a router that classifies requests with c.
func NewRouter(cfg Config, c Classifier) (*Router, error) {
	if c == nil {
		return nil, fmt.Errorf("route: NewRouter needs a Classifier (route.NewAnalyzer or route.NewSeedAnalyzer)")
	}
	order := cfg.Order
	if len(order) == 0 {
		order = Tiers()
	}
	seen := map[Tier]bool{}
	for _, t := range order {
		if t.index() < 0 {
			return nil, fmt.Errorf("route: order: unknown tier %q (use simple, moderate, complex)", t)
		}
		if seen[t] {
			return nil, fmt.Errorf("route: order: tier %q listed twice", t)
		}
		seen[t] = true
	}
	for _, t := range Tiers() {
		if !seen[t] {
			return nil, fmt.Errorf("route: order: tier %q is missing; every tier must appear once", t)
		}
	}
	tiers := map[Tier]string{Simple: DefaultCheapModel, Moderate: DefaultCheapModel, Complex: DefaultStrongModel}
	for t, m := range cfg.Tiers {
		if t.index() < 0 {
			return nil, fmt.Errorf("route: tiers: unknown tier %q (use simple, moderate, complex)", t)
		}
		if m == "" {
			return nil, fmt.Errorf("route: tiers.%s: empty model name", t)
		}
		tiers[t] = m
	}
	r := &Router{classifier: c, order: append([]Tier(nil), order...), tiers: tiers, perKey: map[string]map[Tier]string{},
		memo: newMemo(DefaultMemoSize)}
	if t := cfg.Thresholds; t != nil {
		if math.IsNaN(t.Moderate) || math.IsNaN(t.Complex) || t.Moderate > t.Complex {
			return nil, fmt.Errorf("route: thresholds: moderate %v must not exceed complex %v", t.Moderate, t.Complex)
		}
		th := *t
		r.thresholds = &th
	}
	for id, over := range cfg.PerKey {
		if id == "" {
			return nil, fmt.Errorf("route: per_key: empty API key id")
		}
		m := make(map[Tier]string, len(tiers))
		for t, model := range tiers {
			m[t] = model
		}
		for t, model := range over {
			if t.index() < 0 {
				return nil, fmt.Errorf("route: per_key[%s]: unknown tier %q", id, t)
			}
			if model == "" {
				return nil, fmt.Errorf("route: per_key[%s].%s: empty model name", id, t)
			}
			m[t] = model
		}
		r.perKey[id] = m
	}
	return r, nil
}

// table returns the models for keyID (the global table when it has no overrides).
func (r *Router) table(keyID string) map[Tier]string {
	if m, ok := r.perKey[keyID]; ok && keyID != "" {
		return m
	}
	return r.tiers
}

// Route classifies request and picks the model of its tier for the API key whose id is
// keyID ("" for none: the global table).
func (r *Router) Route(request, keyID string) Decision {
	return r.RouteQuery(query.Query{Text: request}, keyID)
}

// RouteQuery is Route of q's text, which a QueryClassifier analyses from q (reading the
// slots q holds, not extracting them again). Analyses are remembered by text.
func (r *Router) RouteQuery(q query.Query, keyID string) Decision {
	a, ok := r.memo.get(q.Text)
	if !ok {
		if qc, isQuery := r.classifier.(QueryClassifier); isQuery {
			a = qc.AnalyzeQuery(q)
		} else {
			a = r.classifier.Analyze(q.Text)
		}
		r.memo.put(q.Text, a)
	}
	d := Decision{Tier: a.Tier, Score: a.Score, Reasons: a.Reasons}
	if t := r.thresholds; t != nil {
		switch {
		case a.Score >= t.Complex:
			d.Tier = Complex
		case a.Score >= t.Moderate:
			d.Tier = Moderate
		default:
			d.Tier = Simple
		}
		if d.Tier != a.Tier {
			d.Reasons = append(d.Reasons, fmt.Sprintf("score %.2f by thresholds %g/%g: %s instead of %s", a.Score, t.Moderate, t.Complex, d.Tier, a.Tier))
		}
	}
	// A key without overrides routes by the global table and names no key.
	if _, ok := r.perKey[keyID]; ok {
		d.KeyID = keyID
	}
	d.Model = r.table(d.KeyID)[d.Tier]
	return d
}

// Model returns the model of tier for the API key whose id is keyID.
func (r *Router) Model(t Tier, keyID string) string {
	return r.table(keyID)[t]
}

// Escalate returns the decision for the next tier in the cascade order after d.Tier
// whose model differs from d.Model, and false when there is none (d is at the top, or
// every stronger tier uses the same model).
func (r *Router) Escalate(d Decision) (Decision, bool) {
	models := r.table(d.KeyID)
	pos := -1
	for i, t := range r.order {
		if t == d.Tier {
			pos = i
			break
		}
	}
	if pos < 0 {
		return d, false
	}
	for _, t := range r.order[pos+1:] {
		if m := models[t]; m != d.Model {
			return Decision{
				Tier: t, Model: m, Score: d.Score, KeyID: d.KeyID, Escalated: true,
				Reasons: []string{fmt.Sprintf("cascade from %s (%s)", d.Tier, d.Model)},
			}, true
		}
	}
	return d, false
}
