package history

import (
	"context"
	"strings"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/query"

	"github.com/planwise/planwise/histplan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/tool"
)

// mmrLambda weighs relevance against tool diversity when picking few-shot examples:
// 0.6 keeps the most similar request first and prefers, over a close paraphrase that
// shows the same tools again, a related request that shows other tools too.
const mmrLambda = 0.6

// Examples returns up to k dynamic few-shot examples for q: successful past requests of
// the namespace (q's tenant, registry version) at or above the similarity floor,
// at most one per request template, chosen greedily by maximal marginal relevance
// (similarity to the request against tool overlap with the examples already chosen), in
// the order chosen. Their plans passed validation against the registry of that version;
// prompt.Builder validates them again. The example ids are "history:<record id>".
func (h *History) Examples(ctx context.Context, q query.Query, registryVersion string, k int) ([]prompt.Example, error) {
	if k <= 0 {
		return nil, nil
	}
	v, err := h.queryVector(ctx, q)
	if err != nil {
		return nil, err
	}
	ms := h.search(q.Tenant, registryVersion, v, max(8*k, 32))
	// One per template, the most similar (ms is best first).
	seen := map[string]bool{}
	var cands []match
	for _, m := range ms {
		if m.sim < h.opts.ExampleFloor {
			break
		}
		if seen[m.e.template] {
			continue
		}
		seen[m.e.template] = true
		cands = append(cands, m)
	}
	var out []prompt.Example
	var chosen [][]string
	for len(out) < k && len(cands) > 0 {
		best, bestScore := -1, 0.0
		for i, c := range cands {
			overlap := 0.0
			for _, ts := range chosen {
				overlap = max(overlap, jaccard(c.e.tools, ts))
			}
			score := mmrLambda*c.sim - (1-mmrLambda)*overlap
			if best < 0 || score > bestScore {
				best, bestScore = i, score
			}
		}
		c := cands[best]
		cands = append(cands[:best], cands[best+1:]...)
		chosen = append(chosen, c.e.tools)
		out = append(out, prompt.Example{ID: "history:" + c.e.id, Request: c.e.request, Plan: c.e.plan.Clone()})
	}
	return out, nil
}

// jaccard is |a ∩ b| / |a ∪ b| of two tool lists without duplicates.
func jaccard(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for _, x := range a {
		if containsString(b, x) {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// SimilarPlans implements histplan.HistorySource: the k pooled records of the namespace
// (q's tenant, registry version) most similar to q, best first, with copies of their
// plans.
func (h *History) SimilarPlans(ctx context.Context, q query.Query, registryVersion string, k int) ([]histplan.PastPlan, error) {
	v, err := h.queryVector(ctx, q)
	if err != nil {
		return nil, err
	}
	ms := h.search(q.Tenant, registryVersion, v, k)
	out := make([]histplan.PastPlan, len(ms))
	for i, m := range ms {
		out[i] = histplan.PastPlan{ID: m.e.id, Request: m.e.request, Plan: m.e.plan.Clone(), Similarity: m.sim}
	}
	return out, nil
}

// Planner returns the history planner over this History for reg (see histplan.History),
// with the similarity floor for the History's embedder (PlannerFloor) unless opts set
// another. The tenant is each query's (query.Query.Tenant).
func (h *History) Planner(reg *tool.Registry, opts ...histplan.HistoryOption) *histplan.History {
	opts = append([]histplan.HistoryOption{histplan.WithHistoryFloor(PlannerFloor(h.emb.Name()))}, opts...)
	return histplan.NewHistory(h, reg, opts...)
}

// PlannerFloor is the history planner's similarity floor for an embedder:
// histplan.DefaultHistoryFloor, calibrated for the local embedder; for any other
// embedder the cache's threshold (cache.ThresholdFor), which is stricter and, except
// for the local embedder, not calibrated for the history planner: calibrate with
// `planwise eval history --sweep`.
func PlannerFloor(embedderName string) float64 {
	if strings.HasPrefix(embedderName, "local-hash-v1-") {
		return histplan.DefaultHistoryFloor
	}
	return cache.ThresholdFor(embedderName)
}
