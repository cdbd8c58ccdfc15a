package history

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// armData is a fixed arm of an experiment: how many of its requests the model refused,
// planned valid, planned invalid, and how many it did not plan itself (a cache hit, an
// offline plan after a provider error).
type armData struct {
	refused, valid, invalid, cacheHits, providerFallbacks int
}

// records builds the arm's records, as the planner writes them, interleavable by index.
func (a armData) records(exp, variant string) []*Record {
	var out []*Record
	add := func(n int, r Record) {
		for range n {
			r := r
			r.Tenant, r.Experiment, r.Variant = "t", exp, variant
			r.Request = fmt.Sprintf("%s request %d", variant, len(out))
			out = append(out, &r)
		}
	}
	add(a.refused, Record{Source: "none", NoPlan: true, Refused: "llm", ErrorType: "cannot_plan"})
	add(a.valid, Record{Source: "llm", Valid: true})
	add(a.invalid, Record{Source: "pattern", Fallback: true, FallbackReason: "invalid_plan", Errors: []string{"ValidationError", "ValidationError"}})
	add(a.cacheHits, Record{Source: "cache", Valid: true})
	add(a.providerFallbacks, Record{Source: "pattern", Valid: true, Fallback: true, FallbackReason: "provider_error", Errors: []string{"ServerError"}})
	return out
}

// The A/B test compares validity over the plans the model made with each arm's prompt:
// a refusal ("no tool fits") is an answer, not an invalid plan, and a cache hit or an
// offline plan after a provider error is no plan of the model's. Refusals are reported
// beside validity and guard promotion: an arm that refuses significantly more is not
// promoted without a person naming it. Each data set is fixed, and the verdict the old
// test (valid first plans over all requests) reached on it is written beside.
func TestABTestComparesValidityOverModelPlans(t *testing.T) {
	tests := []struct {
		name                string
		def, con            armData
		wantBest            string
		wantSignificant     bool
		wantRefusesMore     bool
		wantPromoted        bool // automatically, records arriving interleaved
		wantRate            [2]float64
		wantPlans           [2]int
		wantRefusals        [2]int
		wantRefusalRate     [2]float64
		oldBest, oldVerdict string
	}{
		{
			// Both arms refuse 40 requests. Over the model's plans default is valid 57/60
			// (0.95), concise 48/60 (0.80): p = 0.013. The old test counted every
			// refusal, cache hit and offline plan: 77/120 vs 68/120, p = 0.24, not
			// significant, and nothing was promoted.
			name:     "equal refusals: significant over plans",
			def:      armData{refused: 40, valid: 57, invalid: 3, cacheHits: 10, providerFallbacks: 10},
			con:      armData{refused: 40, valid: 48, invalid: 12, cacheHits: 10, providerFallbacks: 10},
			wantBest: "default", wantSignificant: true, wantPromoted: true,
			wantRate: [2]float64{0.95, 0.80}, wantPlans: [2]int{60, 60}, wantRefusals: [2]int{40, 40}, wantRefusalRate: [2]float64{40.0 / 120, 40.0 / 120},
			oldBest: "default", oldVerdict: "not significant (p=0.24)",
		},
		{
			// Default refuses 30 of 100 and its plans are valid 66/70 (0.943); concise
			// refuses none and is valid 75/100. Over plans default is better (p = 0.001),
			// but it refuses significantly more: held, not promoted. The old test called
			// concise the better arm (75/100 vs 66/100, p = 0.16).
			name:     "more refusals: better over plans, held",
			def:      armData{refused: 30, valid: 66, invalid: 4},
			con:      armData{valid: 75, invalid: 25},
			wantBest: "default", wantSignificant: true, wantRefusesMore: true, wantPromoted: false,
			wantRate: [2]float64{66.0 / 70, 0.75}, wantPlans: [2]int{70, 100}, wantRefusals: [2]int{30, 0}, wantRefusalRate: [2]float64{0.30, 0},
			oldBest: "concise", oldVerdict: "not significant (p=0.16)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			h := newHistory(t, NewMemoryStore(), newClock())
			if _, err := h.CreateExperiment(ctx, Experiment{ID: "e", Variants: []Variant{{Name: "default"}, {Name: "concise"}},
				AutoPromote: true, MinSamples: 50, Alpha: 0.05}); err != nil {
				t.Fatal(err)
			}
			// Interleaved, as traffic arrives: automatic promotion sees both arms grow.
			d, c := tt.def.records("e", "default"), tt.con.records("e", "concise")
			for i := range max(len(d), len(c)) {
				for _, rs := range [][]*Record{d, c} {
					if i < len(rs) {
						if err := h.Record(ctx, rs[i]); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			rep, err := h.ExperimentReport(ctx, "e")
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range rep.Stats {
				if s.Plans != tt.wantPlans[i] || s.Refusals != tt.wantRefusals[i] ||
					!near(s.ValidityRate, tt.wantRate[i]) || !near(s.RefusalRate, tt.wantRefusalRate[i]) {
					t.Errorf("%s: plans %d, refusals %d (rate %.3f), validity %.3f; want %d, %d (%.3f), %.3f", s.Variant,
						s.Plans, s.Refusals, s.RefusalRate, s.ValidityRate, tt.wantPlans[i], tt.wantRefusals[i], tt.wantRefusalRate[i], tt.wantRate[i])
				}
			}
			test := rep.Test
			if test == nil || test.Best != tt.wantBest || test.Significant != tt.wantSignificant || test.RefusesMore != tt.wantRefusesMore {
				t.Fatalf("test %+v: want best %s, significant %v, refuses more %v (the old test: best %s, %s)",
					test, tt.wantBest, tt.wantSignificant, tt.wantRefusesMore, tt.oldBest, tt.oldVerdict)
			}
			e, _ := h.Experiment("e")
			if promoted := e.Status == StatusPromoted; promoted != tt.wantPromoted || (promoted && e.Winner != tt.wantBest) {
				t.Errorf("experiment %s, winner %q; want promoted %v (%s)", e.Status, e.Winner, tt.wantPromoted, tt.wantBest)
			}
			if tt.wantRefusesMore {
				// Promoting without naming the winner is refused, and says why; naming it works.
				if _, err := h.Promote(ctx, "e", ""); err == nil {
					t.Error("promoted an arm that refuses significantly more without a winner named")
				} else {
					t.Log(err)
				}
				if _, err := h.Promote(ctx, "e", tt.wantBest); err != nil {
					t.Errorf("promote by name: %v", err)
				}
			}
			var out strings.Builder
			if err := WriteExperiments(&out, []*ExperimentReport{rep}); err != nil {
				t.Fatal(err)
			}
			if txt := out.String(); !strings.Contains(txt, "refusals") || strings.Contains(txt, "refuses significantly more") != tt.wantRefusesMore {
				t.Errorf("the report does not say what the test says:\n%s", txt)
			}
			t.Logf("z=%.2f p=%.3g; refusals z=%.2f p=%.3g", test.Z, test.PValue, test.RefusalZ, test.RefusalPValue)
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
