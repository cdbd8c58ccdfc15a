package cacheeval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// replayRunOptions configure runReplay.
type replayRunOptions struct {
	Embedder embed.Embedder
	// Threshold overrides the embedder's calibrated threshold when non-zero.
	Threshold float64
	// MaxWordEdits is passed to cache.Config (0: the cache's default; negative: off).
	MaxWordEdits int
	// Now is the cache's clock; it must be the model's clock (relative dates).
	Now time.Time
	// Seed also replays the stream through the seed's design (cosine >= seedThreshold of
	// the raw request embeddings, the cached plan served as is) for comparison.
	Seed bool
	// Examples bounds the wrong plans and the miss samples per reason kept in the report
	// (default 20 and 5).
	Examples int
}

// seedThreshold is the similarity threshold of the seed's cache design.
const seedThreshold = 0.95

// replayKindReport is the breakdown of one request kind.
type replayKindReport struct {
	Requests    int     `json:"requests"`
	Hits        int     `json:"hits"`
	CorrectHits int     `json:"correct_hits"`
	WrongPlans  int     `json:"wrong_plans"`
	HitRate     float64 `json:"hit_rate"`
	// Misses counts the misses of this kind by cache reason.
	Misses map[string]int `json:"misses,omitempty"`
}

// seedReport is the same stream through the seed's cache design.
type seedReport struct {
	Threshold     float64 `json:"threshold"`
	Hits          int     `json:"hits"`
	CorrectHits   int     `json:"correct_hits"`
	WrongPlans    int     `json:"wrong_plans"`
	HitRate       float64 `json:"hit_rate"`
	WrongPlanRate float64 `json:"wrong_plan_rate"`
	// ByKind counts hits and wrong plans per request kind.
	ByKind map[string]*replayKindReport `json:"by_kind"`
}

// replayMistake is one wrong plan served.
type replayMistake struct {
	Kind     string          `json:"kind"`
	Request  string          `json:"request"`
	Cached   string          `json:"cached_request,omitempty"`
	Served   json.RawMessage `json:"served"`
	Expected json.RawMessage `json:"expected"`
}

// replayMiss is one sample of a miss, for finding out why requests that could have been
// served were not.
type replayMiss struct {
	Kind    string `json:"kind"`
	Reason  string `json:"reason"`
	Request string `json:"request"`
}

// replayReport is the result of runReplay. The first six fields have the names and
// meanings of the pair mode's report.
type replayReport struct {
	Requests    int `json:"requests"`
	Hits        int `json:"hits"`
	CorrectHits int `json:"correct_hits"`
	WrongPlans  int `json:"wrong_plans"`
	// HitRate is correct hits over all requests (new ones included: the first request
	// of anything can never hit).
	HitRate float64 `json:"hit_rate"`
	// WrongPlanRate is wrong plans over all requests.
	WrongPlanRate float64 `json:"wrong_plan_rate"`
	ExactHits     int     `json:"exact_hits"`
	SemanticHits  int     `json:"semantic_hits"`
	// WrongModelChangedTools counts the wrong plans served for requests whose expected
	// plan calls other tools than the model's plan for the corpus request they derive from
	// (only slot values or politeness words differ): the model's choice of tools depended
	// on a slot value, which a template cache cannot see without asking the model.
	WrongModelChangedTools int `json:"wrong_model_changed_tools"`
	// HitRateRepeated is correct hits over the requests that are not kindNew.
	HitRateRepeated float64 `json:"hit_rate_repeated"`
	// LLMCalls counts requests the planner sent to the model (the cache missed).
	LLMCalls int `json:"llm_calls"`
	// Errors counts requests the planner failed (none expected: every request of a
	// stream is plannable by the model).
	Errors    int     `json:"errors"`
	Threshold float64 `json:"threshold"`
	Embedder  string  `json:"embedder"`
	// Misses counts misses by cache reason (cache.Reason values).
	Misses map[string]int               `json:"misses"`
	ByKind map[string]*replayKindReport `json:"by_kind"`
	// HitP50US and HitP99US are the planner's latency (planner.Plan wall time, cache
	// lookup, re-binding and validation included) on requests served from the cache, in
	// microseconds; MissP50US is that of requests the model answered (in-process model).
	HitP50US  float64 `json:"hit_p50_us"`
	HitP99US  float64 `json:"hit_p99_us"`
	MissP50US float64 `json:"miss_p50_us"`
	// Seed is the same stream through the seed's design, when asked for.
	Seed *seedReport `json:"seed,omitempty"`
	// Wrong lists wrong plans served and MissSamples misses of requests that were not
	// kindNew, a few per reason (replayRunOptions.Examples).
	Wrong       []replayMistake `json:"wrong,omitempty"`
	MissSamples []replayMiss    `json:"miss_samples,omitempty"`
}

// runReplay replays w through a planner built as a production one is (planner.New with
// WithCache and WithLLM), whose "LLM" is the simulator in process (sim.Provider): it
// answers every request with model's plan (see buildReplay), encoded under the response schema the
// planner asked for:
// each miss goes cache -> prompt -> provider -> decode -> validate -> cache.Store, the
// path a real model's plans take. A request is a hit when the planner's response says
// source "cache"; a hit is correct when its plan equals the item's expected plan (tools
// in order, argument values compared after trimming and case-folding, as the pair mode
// compares them).
func runReplay(ctx context.Context, w *Workload, reg *tool.Registry, model query.Planner, opts replayRunOptions) (*replayReport, error) {
	if opts.Embedder == nil {
		return nil, errors.New("cacheeval: an embedder is required")
	}
	if opts.Now.IsZero() {
		return nil, errors.New("cacheeval: ReplayRunOptions.Now is required (the model's clock)")
	}
	now := opts.Now
	c, err := cache.New(cache.Config{
		Threshold: opts.Threshold, TTL: -1, MaxWordEdits: opts.MaxWordEdits,
		Capacity: max(2*len(w.Items), 1000), Now: func() time.Time { return now },
	}, opts.Embedder, cache.NewMemoryStore())
	if err != nil {
		return nil, err
	}
	prov := &sim.Provider{Name: "replay-model", Answerer: model}
	// The planner reads the request's relative dates once, for every stage, against its
	// clock: the model's, as the cache's.
	pl, err := planner.New(reg, planner.WithCache(c), planner.WithPatternPlanner(model), planner.WithClock(func() time.Time { return now }),
		planner.WithLLM(planner.LLMConfig{Provider: prov, ProviderName: "replay-model"}))
	if err != nil {
		return nil, err
	}
	rep := &replayReport{Requests: len(w.Items), Threshold: c.Threshold(), Embedder: opts.Embedder.Name(),
		Misses: map[string]int{}, ByKind: map[string]*replayKindReport{}}
	perReason := map[string]int{}
	maxWrong, maxMiss := 20, 5
	if opts.Examples > 0 {
		maxWrong, maxMiss = opts.Examples, opts.Examples
	}
	var hitLat, missLat []time.Duration
	basePlans := map[string]*plan.Plan{}
	for _, it := range w.Items {
		if it.Kind == kindNew {
			basePlans[it.BaseID] = it.Expected
		}
	}
	before := c.Stats().ByReason
	for _, it := range w.Items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := rep.ByKind[it.Kind]
		if k == nil {
			k = &replayKindReport{Misses: map[string]int{}}
			rep.ByKind[it.Kind] = k
		}
		k.Requests++
		calls := prov.Calls
		t0 := time.Now()
		resp, err := pl.Plan(ctx, planner.Request{Text: it.Text})
		d := time.Since(t0)
		after := c.Stats().ByReason
		reason := changedReason(before, after)
		before = after
		if prov.Calls > calls {
			rep.LLMCalls++
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rep.Errors++
			continue
		}
		if resp.Source != planner.SourceCache {
			missLat = append(missLat, d)
			rep.Misses[reason]++
			k.Misses[reason]++
			if it.Kind != kindNew && perReason[reason] < maxMiss {
				perReason[reason]++
				rep.MissSamples = append(rep.MissSamples, replayMiss{Kind: it.Kind, Reason: reason, Request: it.Text})
			}
			continue
		}
		hitLat = append(hitLat, d)
		rep.Hits++
		k.Hits++
		if resp.Cache != nil && resp.Cache.Exact {
			rep.ExactHits++
		} else {
			rep.SemanticHits++
		}
		if samePlan(resp.Plan, it.Expected) {
			rep.CorrectHits++
			k.CorrectHits++
			continue
		}
		rep.WrongPlans++
		k.WrongPlans++
		if b := basePlans[it.BaseID]; b != nil && !slices.Equal(toolsOf(b), toolsOf(it.Expected)) {
			rep.WrongModelChangedTools++
		}
		if len(rep.Wrong) < maxWrong {
			m := replayMistake{Kind: it.Kind, Request: it.Text, Served: resp.Plan.JSON(), Expected: it.Expected.JSON()}
			if resp.Cache != nil {
				m.Cached, _ = c.CachedRequest(resp.Cache.EntryID)
			}
			rep.Wrong = append(rep.Wrong, m)
		}
	}
	rep.HitRate = ratio(rep.CorrectHits, rep.Requests)
	rep.WrongPlanRate = ratio(rep.WrongPlans, rep.Requests)
	repeated := 0
	for kind, k := range rep.ByKind {
		k.HitRate = ratio(k.CorrectHits, k.Requests)
		if kind != kindNew {
			repeated += k.Requests
		}
	}
	newHits := 0
	if k := rep.ByKind[kindNew]; k != nil {
		newHits = k.CorrectHits
	}
	rep.HitRateRepeated = ratio(rep.CorrectHits-newHits, repeated)
	rep.HitP50US, rep.HitP99US = quantileUS(hitLat, 0.50), quantileUS(hitLat, 0.99)
	rep.MissP50US = quantileUS(missLat, 0.50)
	if opts.Seed {
		if rep.Seed, err = replaySeed(ctx, w, opts.Embedder); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func toolsOf(p *plan.Plan) []string {
	out := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = s.Tool
	}
	return out
}

// changedReason is the cache reason whose counter grew during one request ("none" when
// the planner did not consult the cache).
func changedReason(before, after map[cache.Reason]int64) string {
	for r, n := range after {
		if n > before[r] {
			return string(r)
		}
	}
	return "none"
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func quantileUS(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	i := min(int(q*float64(len(ds))), len(ds)-1)
	return float64(ds[i].Nanoseconds()) / 1e3
}

// replaySeed replays w through the seed's cache: the raw request embedded, the most
// similar cached request at cosine >= seedThreshold serves its plan unchanged, a miss
// stores the model's plan. An exhaustive scan, as the seed did.
func replaySeed(ctx context.Context, w *Workload, emb embed.Embedder) (*seedReport, error) {
	type entry struct {
		vec  []float32
		plan *plan.Plan
	}
	var entries []entry
	rep := &seedReport{Threshold: seedThreshold, ByKind: map[string]*replayKindReport{}}
	for _, it := range w.Items {
		vs, err := emb.Embed(ctx, []string{it.Text})
		if err != nil {
			return nil, fmt.Errorf("seed replay: %w", err)
		}
		v := vs[0]
		best, bestSim := -1, float32(-2)
		for i, e := range entries {
			var s float32
			for j, x := range e.vec {
				s += x * v[j]
			}
			if s > bestSim {
				best, bestSim = i, s
			}
		}
		k := rep.ByKind[it.Kind]
		if k == nil {
			k = &replayKindReport{}
			rep.ByKind[it.Kind] = k
		}
		k.Requests++
		if best < 0 || float64(bestSim) < seedThreshold {
			entries = append(entries, entry{vec: v, plan: it.Expected})
			continue
		}
		rep.Hits++
		k.Hits++
		if samePlan(entries[best].plan, it.Expected) {
			rep.CorrectHits++
			k.CorrectHits++
		} else {
			rep.WrongPlans++
			k.WrongPlans++
		}
	}
	for _, k := range rep.ByKind {
		k.HitRate = ratio(k.CorrectHits, k.Requests)
	}
	rep.HitRate = ratio(rep.CorrectHits, len(w.Items))
	rep.WrongPlanRate = ratio(rep.WrongPlans, len(w.Items))
	return rep, nil
}
