package route

import (
	"errors"
	"fmt"
	"math"
)

// FeatureNames returns the names of the model's inputs, in order (see
// Features.vector).
func FeatureNames() []string {
	return []string{
		"log_words", "sentences", "commas", "ands", "steps", "conditionals", "loops",
		"references", "parallel", "fan_in", "clauses", "tools", "unmatched",
		"referring_clauses", "one_tool", "three_plus_tools", "one_clause", "no_sequencing",
		"second_tool_score", "confident_tools", "words_per_clause", "matched_share", "tools_when_sequenced",
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// vector is the model's input for f. withClauses false zeroes what needs a matcher.
func (f Features) vector(withClauses bool) []float64 {
	v := []float64{
		math.Log1p(float64(f.Words)), float64(f.Sentences), float64(f.Commas), float64(f.Ands),
		float64(f.Steps), float64(f.Conditionals), float64(f.Loops), float64(f.References),
		float64(f.Parallel), float64(f.FanIn), 0, 0, 0, 0, 0, 0, 0,
		b2f(f.Steps == 0 && f.Ands == 0 && f.Commas == 0 && f.Sentences <= 1), 0, 0, 0, 0, 0,
	}
	if withClauses {
		v[10], v[11], v[12], v[13] = float64(f.Clauses), float64(f.Tools), float64(f.Unmatched), float64(f.ReferringClauses)
		v[14], v[15], v[16] = b2f(f.Tools <= 1), b2f(f.Tools >= 3), b2f(f.Clauses <= 1)
		v[18], v[19] = math.Log1p(f.SecondToolScore), float64(f.ConfidentTools)
		if f.Clauses > 0 {
			v[20] = math.Log1p(float64(f.Words) / float64(f.Clauses))
			v[21] = float64(f.Clauses-f.Unmatched) / float64(f.Clauses)
		}
		v[22] = float64(f.Tools) * b2f(f.Steps > 0)
	}
	return v
}

// Model is a multinomial logistic regression over standardised Features, one weight row
// per tier (Simple, Moderate, Complex) with the bias last. It is plain data so that it
// can be written to and read from JSON.
type Model struct {
	// Clauses says whether the model was fitted with the ClauseMatcher features.
	Clauses  bool        `json:"clauses"`
	Features []string    `json:"features"`
	Mean     []float64   `json:"mean"`
	Std      []float64   `json:"std"`
	Weights  [][]float64 `json:"weights"`
	// Provenance says how the weights were produced.
	Provenance string `json:"provenance,omitempty"`
}

// check verifies the model's dimensions against the feature list of this build.
func (m *Model) check() error {
	names := FeatureNames()
	n := len(names)
	if len(m.Features) != n || len(m.Mean) != n || len(m.Std) != n || len(m.Weights) != 3 {
		return fmt.Errorf("route: model has %d features, %d means, %d stds, %d classes; this build has %d features and 3 tiers (re-fit it with planwise eval route --train)",
			len(m.Features), len(m.Mean), len(m.Std), len(m.Weights), n)
	}
	for i, name := range names {
		if m.Features[i] != name {
			return fmt.Errorf("route: model feature %d is %q, this build expects %q (re-fit it)", i, m.Features[i], name)
		}
	}
	for _, w := range m.Weights {
		if len(w) != n+1 {
			return fmt.Errorf("route: model weight row has %d values, want %d", len(w), n+1)
		}
	}
	return nil
}

// probs returns the tier probabilities of f into p.
func (m *Model) probs(f Features, p *[3]float64) {
	x := f.vector(m.Clauses)
	maxZ := math.Inf(-1)
	for k, w := range m.Weights {
		z := w[len(x)]
		for i, xi := range x {
			z += w[i] * (xi - m.Mean[i]) / m.Std[i]
		}
		p[k] = z
		maxZ = math.Max(maxZ, z)
	}
	sum := 0.0
	for k := range p {
		p[k] = math.Exp(p[k] - maxZ)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
}

// Sample is one labelled request's features for Fit.
type Sample struct {
	Features Features
	Tier     Tier
}

// FitOptions tune Fit; the zero value uses the defaults.
type FitOptions struct {
	// Clauses fits on the ClauseMatcher features too.
	Clauses bool
	// Iterations of full-batch gradient descent (default 2000).
	Iterations int
	// Rate is the learning rate (default 0.5).
	Rate float64
	// L2 is the weight decay (default 1e-3).
	L2 float64
}

// Fit fits a Model to samples by full-batch gradient descent on the cross-entropy with
// L2 decay. It is deterministic: the same samples in the same order give the same model.
func Fit(samples []Sample, o FitOptions) (*Model, error) {
	if len(samples) == 0 {
		return nil, errors.New("route: Fit needs samples")
	}
	if o.Iterations <= 0 {
		o.Iterations = 2000
	}
	if o.Rate <= 0 {
		o.Rate = 0.5
	}
	if o.L2 < 0 {
		return nil, errors.New("route: FitOptions.L2 must be >= 0")
	}
	if o.L2 == 0 {
		o.L2 = 1e-3
	}
	n := len(FeatureNames())
	xs := make([][]float64, len(samples))
	ys := make([]int, len(samples))
	m := &Model{Clauses: o.Clauses, Features: FeatureNames(), Mean: make([]float64, n), Std: make([]float64, n)}
	for i, s := range samples {
		ys[i] = s.Tier.index()
		if ys[i] < 0 {
			return nil, fmt.Errorf("route: sample %d has unknown tier %q", i, s.Tier)
		}
		xs[i] = s.Features.vector(o.Clauses)
		for j, v := range xs[i] {
			m.Mean[j] += v
		}
	}
	for j := range m.Mean {
		m.Mean[j] /= float64(len(xs))
	}
	for _, x := range xs {
		for j, v := range x {
			d := v - m.Mean[j]
			m.Std[j] += d * d
		}
	}
	for j := range m.Std {
		m.Std[j] = math.Sqrt(m.Std[j] / float64(len(xs)))
		if m.Std[j] < 1e-9 {
			m.Std[j] = 1 // a constant feature: its weight stays at zero
		}
	}
	for _, x := range xs {
		for j := range x {
			x[j] = (x[j] - m.Mean[j]) / m.Std[j]
		}
	}
	w := make([][]float64, 3)
	grad := make([][]float64, 3)
	for k := range w {
		w[k] = make([]float64, n+1)
		grad[k] = make([]float64, n+1)
	}
	var z [3]float64
	inv := 1 / float64(len(xs))
	for it := 0; it < o.Iterations; it++ {
		for k := range grad {
			clear(grad[k])
		}
		for i, x := range xs {
			maxZ := math.Inf(-1)
			for k := range w {
				s := w[k][n]
				for j, v := range x {
					s += w[k][j] * v
				}
				z[k] = s
				maxZ = math.Max(maxZ, s)
			}
			sum := 0.0
			for k := range z {
				z[k] = math.Exp(z[k] - maxZ)
				sum += z[k]
			}
			for k := range w {
				d := z[k] / sum
				if k == ys[i] {
					d--
				}
				for j, v := range x {
					grad[k][j] += d * v
				}
				grad[k][n] += d
			}
		}
		for k := range w {
			for j := range w[k] {
				g := grad[k][j] * inv
				if j < n {
					g += o.L2 * w[k][j]
				}
				w[k][j] -= o.Rate * g
			}
		}
	}
	m.Weights = w
	return m, nil
}
