package historyeval

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/eval/plans"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/histplan"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// nestfulReport compares, on one NESTFUL set, the history planner with pattern fallback
// (leave-one-out: every other sample's gold plan is the history) with the pattern
// planner alone.
type nestfulReport struct {
	Set     string        `json:"set"`
	Samples int           `json:"samples"`
	History *plans.Report `json:"history"`
	Pattern *plans.Report `json:"pattern"`
	// Coverage is the share of samples the history planner answered.
	Coverage float64 `json:"coverage"`
}

// looPlanner plans each sample's request with a history holding every other sample's
// gold plan (samples with the same request text are all left out).
type looPlanner struct {
	byRequest map[string]Chain
	served    map[string]bool
}

func (l *looPlanner) Plan(ctx context.Context, q query.Query) (*plan.Plan, error) {
	c, ok := l.byRequest[q.Text]
	if !ok {
		return nil, fmt.Errorf("historyeval: unknown request %q", q.Text)
	}
	p, _, err := c.PlanSource(ctx, query.For(tenant, q.Text))
	return p, err
}

// evalNESTFUL runs the leave-one-out evaluation of one NESTFUL set against reg (the
// set's catalogue), planning with the given floor (0: histplan.DefaultHistoryFloor).
func evalNESTFUL(ctx context.Context, set string, samples []dataset.Sample, reg *tool.Registry, emb embed.Embedder, floor float64) (*nestfulReport, error) {
	if floor <= 0 {
		floor = histplan.DefaultHistoryFloor
	}
	pat := pattern.NewPattern(reg)
	loo := &looPlanner{byRequest: map[string]Chain{}}
	covered := 0
	for _, s := range samples {
		if _, done := loo.byRequest[s.Request]; done {
			continue
		}
		h, err := history.New(ctx, history.NewMemoryStore(), emb, history.Options{})
		if err != nil {
			return nil, err
		}
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i, o := range samples {
			if o.Request == s.Request {
				continue
			}
			if err := h.Record(ctx, &history.Record{ID: fmt.Sprintf("n%d", i), Tenant: tenant, Request: o.Request, Source: "import",
				Valid: true, Plan: o.Plan().Clone(), RegistryVersion: reg.Version(), Time: t0.Add(time.Duration(i) * time.Second)}); err != nil {
				return nil, err
			}
		}
		hp := h.Planner(reg, histplan.WithHistoryFloor(floor))
		loo.byRequest[s.Request] = Chain{History: hp, Pattern: pat}
		if _, err := hp.Plan(ctx, query.For(tenant, s.Request)); err == nil {
			covered++
		}
	}
	hrep, err := plans.Run(ctx, loo, reg, samples, plans.RunOptions{Dataset: "nestful/" + set, Planner: "history+pattern (leave-one-out)"})
	if err != nil {
		return nil, err
	}
	prep, err := plans.Run(ctx, pat, reg, samples, plans.RunOptions{Dataset: "nestful/" + set, Planner: "pattern"})
	if err != nil {
		return nil, err
	}
	return &nestfulReport{Set: set, Samples: len(samples), History: hrep, Pattern: prep,
		Coverage: float64(covered) / float64(len(loo.byRequest))}, nil
}

// nestfulSummary is evalNESTFULSets' outcome: each set's report and the history and
// pattern reports combined over the sets (without per-sample results).
type nestfulSummary struct {
	Sets    []*nestfulReport `json:"sets"`
	History *plans.Report    `json:"history"`
	Pattern *plans.Report    `json:"pattern"`
}

// evalNESTFULSets runs evalNESTFUL on every NESTFUL set at data: the nestful directory,
// or one *-data.json file (its *-spec.json is the catalogue).
func evalNESTFULSets(ctx context.Context, data string, emb embed.Embedder, floor float64) (*nestfulSummary, error) {
	sets, err := nestfulSets(data)
	if err != nil {
		return nil, err
	}
	var reps []*nestfulReport
	var hs, ps []*plans.Report
	for _, s := range sets {
		samples, err := dataset.LoadNESTFUL(s.Data)
		if err != nil {
			return nil, err
		}
		tools, err := tool.LoadPaths(s.Spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Spec, err)
		}
		reg, err := tool.NewRegistry(tools...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Spec, err)
		}
		rep, err := evalNESTFUL(ctx, s.Name, samples, reg, emb, floor)
		if err != nil {
			return nil, err
		}
		reps = append(reps, rep)
		hs, ps = append(hs, rep.History), append(ps, rep.Pattern)
	}
	sum := &nestfulSummary{Sets: reps, History: plans.Combine("nestful", hs...), Pattern: plans.Combine("nestful", ps...)}
	for _, r := range append([]*plans.Report{sum.History, sum.Pattern}, append(hs, ps...)...) {
		r.Results, r.Sets = nil, nil
	}
	return sum, nil
}

// nestfulSets resolves the data path: a directory of sets or one *-data.json.
func nestfulSets(data string) ([]dataset.NESTFULSet, error) {
	if strings.HasSuffix(data, ".json") {
		return []dataset.NESTFULSet{{Name: dataset.NESTFULSetName(data), Data: data, Spec: dataset.NESTFULSpecPath(data)}}, nil
	}
	return dataset.FindNESTFULSets(filepath.Clean(data))
}
