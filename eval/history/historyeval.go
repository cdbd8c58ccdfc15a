// Package historyeval measures how the history planner improves as execution history
// grows: on CLINC150 (each intent a tool; tool-selection accuracy at growing history
// sizes) and on NESTFUL (leave-one-out node-F1), each against the pattern planner alone
// over the same catalogue. `planwise eval history` prints its reports.
package historyeval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/histplan"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// tenant is the namespace tenant the evaluations record under.
const tenant = "eval"

// Chain tries History, then Pattern when History cannot plan: the offline part of the
// request path.
type Chain struct {
	History, Pattern query.Planner
}

// Plan implements query.Planner.
func (c Chain) Plan(ctx context.Context, q query.Query) (*plan.Plan, error) {
	p, _, err := c.PlanSource(ctx, q)
	return p, err
}

// PlanSource is Plan that also says which planner answered ("history" or "pattern").
func (c Chain) PlanSource(ctx context.Context, q query.Query) (*plan.Plan, string, error) {
	if c.History != nil {
		p, err := c.History.Plan(ctx, q)
		if err == nil {
			return p, "history", nil
		}
		if !errors.Is(err, plan.ErrCannotPlan) {
			return nil, "history", err
		}
	}
	p, err := c.Pattern.Plan(ctx, q)
	return p, "pattern", err
}

// intentRegistry is the synthetic catalogue: one tool per intent, no arguments, its
// description the intent's words ("oil_change_how" -> "oil change how").
func intentRegistry(us ...[]dataset.Utterance) (*tool.Registry, error) {
	seen := map[string]bool{}
	var tools []*tool.Tool
	for _, part := range us {
		for _, u := range part {
			if seen[u.Intent] {
				continue
			}
			seen[u.Intent] = true
			tools = append(tools, &tool.Tool{Name: u.Intent, Description: strings.ReplaceAll(u.Intent, "_", " "),
				InputSchema: json.RawMessage(`{"type":"object","properties":{}}`)})
		}
	}
	sort.Slice(tools, func(i, j int) bool { return tools[i].Name < tools[j].Name })
	return tool.NewRegistry(tools...)
}

// CLINCOptions configure evalCLINC.
type CLINCOptions struct {
	// Sizes are the history sizes (default 0, 100, 1000, 10000), each a deterministic
	// sample (seeded shuffle, nested prefixes) of the training utterances.
	Sizes []int
	Seed  uint64
	// Floor is the history planner's similarity floor (default histplan.DefaultHistoryFloor).
	Floor float64
	// VoteMargin is the history planner's vote margin (default
	// histplan.DefaultHistoryVoteMargin; negative disables the vote).
	VoteMargin float64
	// Limit bounds the queries (0: every test utterance); Validation evaluates on the
	// validation split instead of the test split (for calibrating Floor).
	Limit      int
	Validation bool
	// Sweep lists floors to report at the largest size (history coverage and precision).
	Sweep []float64
	// Concurrency bounds the queries planned at once (default GOMAXPROCS).
	Concurrency int
	// Progress is called after each size.
	Progress func(done, total int)
}

// sizeReport is one history size's outcome.
type sizeReport struct {
	History int `json:"history"`
	// Accuracy is the share of queries whose plan calls exactly the gold intent's tool
	// (history planner, pattern planner when history cannot plan).
	Accuracy float64 `json:"accuracy"`
	// Coverage is the share answered by the history planner; HistoryPrecision the
	// accuracy of those answers.
	Coverage         float64 `json:"coverage"`
	HistoryPrecision float64 `json:"history_precision"`
	// NoPlan is the share with no plan at all.
	NoPlan float64 `json:"no_plan"`
	// MeanMS is the mean planning time per query, history and pattern included.
	MeanMS float64 `json:"mean_ms"`
}

// sweepPoint is the history planner at one floor (largest history size).
type sweepPoint struct {
	Floor            float64 `json:"floor"`
	Coverage         float64 `json:"coverage"`
	HistoryPrecision float64 `json:"history_precision"`
	Accuracy         float64 `json:"accuracy"`
}

// clincReport is evalCLINC's outcome.
type clincReport struct {
	Dataset string  `json:"dataset"`
	Split   string  `json:"split"`
	Queries int     `json:"queries"`
	Train   int     `json:"train"`
	Tools   int     `json:"tools"`
	Floor   float64 `json:"floor"`
	// VoteMargin is the history planner's vote margin.
	VoteMargin float64 `json:"vote_margin"`
	// PatternAccuracy is the pattern planner alone over the same catalogue and queries.
	PatternAccuracy float64      `json:"pattern_accuracy"`
	PatternNoPlan   float64      `json:"pattern_no_plan"`
	Sizes           []sizeReport `json:"sizes"`
	Sweep           []sweepPoint `json:"sweep,omitempty"`
	Embedder        string       `json:"embedder"`
	DurationMS      int64        `json:"duration_ms"`
}

// correct reports whether p calls exactly the gold tool (every step, at least one).
func correct(p *plan.Plan, gold string) bool {
	if p == nil || len(p.Steps) == 0 {
		return false
	}
	for _, s := range p.Steps {
		if s.Tool != gold {
			return false
		}
	}
	return true
}

// outcome is one query's result.
type outcome struct {
	ok, byHistory, noPlan bool
	ms                    float64
}

// forEach runs f over n items with c workers.
func forEach(ctx context.Context, n, c int, f func(i int)) error {
	if c <= 0 {
		c = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	var err error
loop:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break loop
		}
	}
	close(next)
	wg.Wait()
	return err
}

// evalCLINC runs the CLINC150 evaluation with emb as the history's embedder.
func evalCLINC(ctx context.Context, data *dataset.CLINC150, emb embed.Embedder, opts CLINCOptions) (*clincReport, error) {
	start := time.Now()
	if len(opts.Sizes) == 0 {
		opts.Sizes = []int{0, 100, 1000, 10000}
	}
	if opts.Floor <= 0 {
		opts.Floor = histplan.DefaultHistoryFloor
	}
	if opts.VoteMargin == 0 {
		opts.VoteMargin = histplan.DefaultHistoryVoteMargin
	}
	reg, err := intentRegistry(data.Train, data.Val, data.Test)
	if err != nil {
		return nil, err
	}
	queries, split := data.Test, "test"
	if opts.Validation {
		queries, split = data.Val, "val"
	}
	if opts.Limit > 0 && opts.Limit < len(queries) {
		// A deterministic sample, not the first N (the splits are grouped by intent).
		queries = sample(queries, opts.Limit, opts.Seed+1)
	}
	order := sample(data.Train, len(data.Train), opts.Seed)
	rep := &clincReport{Dataset: "clinc150", Split: split, Queries: len(queries), Train: len(data.Train), Tools: reg.Len(),
		Floor: opts.Floor, VoteMargin: opts.VoteMargin, Embedder: emb.Name()}

	patternPlanner := pattern.NewPattern(reg)
	pat := make([]outcome, len(queries))
	if err := forEach(ctx, len(queries), opts.Concurrency, func(i int) {
		p, err := patternPlanner.Plan(ctx, query.For(tenant, queries[i].Text))
		pat[i] = outcome{ok: err == nil && correct(p, queries[i].Intent), noPlan: err != nil}
	}); err != nil {
		return nil, err
	}
	for _, o := range pat {
		if o.ok {
			rep.PatternAccuracy++
		}
		if o.noPlan {
			rep.PatternNoPlan++
		}
	}
	rep.PatternAccuracy /= float64(len(queries))
	rep.PatternNoPlan /= float64(len(queries))

	maxSize := 0
	for i, size := range opts.Sizes {
		size = min(size, len(order))
		maxSize = max(maxSize, size)
		h, err := buildHistory(ctx, emb, reg, order[:size])
		if err != nil {
			return nil, err
		}
		chain := Chain{History: h.Planner(reg, histplan.WithHistoryFloor(opts.Floor), histplan.WithHistoryVote(opts.VoteMargin)), Pattern: patternPlanner}
		outs := make([]outcome, len(queries))
		if err := forEach(ctx, len(queries), opts.Concurrency, func(j int) {
			t0 := time.Now()
			p, src, err := chain.PlanSource(ctx, query.For(tenant, queries[j].Text))
			outs[j] = outcome{ok: err == nil && correct(p, queries[j].Intent), byHistory: err == nil && src == "history",
				noPlan: err != nil, ms: float64(time.Since(t0).Microseconds()) / 1000}
		}); err != nil {
			return nil, err
		}
		sr := sizeReport{History: size}
		histOK := 0
		for _, o := range outs {
			if o.ok {
				sr.Accuracy++
			}
			if o.byHistory {
				sr.Coverage++
				if o.ok {
					histOK++
				}
			}
			if o.noPlan {
				sr.NoPlan++
			}
			sr.MeanMS += o.ms
		}
		if sr.Coverage > 0 {
			sr.HistoryPrecision = float64(histOK) / sr.Coverage
		}
		n := float64(len(queries))
		sr.Accuracy, sr.Coverage, sr.NoPlan, sr.MeanMS = sr.Accuracy/n, sr.Coverage/n, sr.NoPlan/n, sr.MeanMS/n
		rep.Sizes = append(rep.Sizes, sr)
		if opts.Progress != nil {
			opts.Progress(i+1, len(opts.Sizes))
		}
	}
	if len(opts.Sweep) > 0 && maxSize > 0 {
		h, err := buildHistory(ctx, emb, reg, order[:maxSize])
		if err != nil {
			return nil, err
		}
		for _, f := range opts.Sweep {
			hp := h.Planner(reg, histplan.WithHistoryFloor(f), histplan.WithHistoryVote(opts.VoteMargin))
			outs := make([]outcome, len(queries))
			if err := forEach(ctx, len(queries), opts.Concurrency, func(j int) {
				p, err := hp.Plan(ctx, query.For(tenant, queries[j].Text))
				outs[j] = outcome{ok: err == nil && correct(p, queries[j].Intent), byHistory: err == nil}
			}); err != nil {
				return nil, err
			}
			pt := sweepPoint{Floor: f}
			histOK, acc := 0, 0
			for j, o := range outs {
				switch {
				case o.byHistory:
					pt.Coverage++
					if o.ok {
						histOK++
						acc++
					}
				case pat[j].ok:
					acc++
				}
			}
			if pt.Coverage > 0 {
				pt.HistoryPrecision = float64(histOK) / pt.Coverage
			}
			pt.Coverage /= float64(len(queries))
			pt.Accuracy = float64(acc) / float64(len(queries))
			rep.Sweep = append(rep.Sweep, pt)
		}
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	return rep, nil
}

// sample returns n items of us in a deterministic shuffled order.
func sample[T any](us []T, n int, seed uint64) []T {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	idx := r.Perm(len(us))
	out := make([]T, 0, n)
	for _, i := range idx[:n] {
		out = append(out, us[i])
	}
	return out
}

// buildHistory records each utterance as a successful import whose plan calls its
// intent's tool.
func buildHistory(ctx context.Context, emb embed.Embedder, reg *tool.Registry, us []dataset.Utterance) (*history.History, error) {
	h, err := history.New(ctx, history.NewMemoryStore(), emb, history.Options{})
	if err != nil {
		return nil, err
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, u := range us {
		r := &history.Record{ID: fmt.Sprintf("h%d", i), Tenant: tenant, Request: u.Text, Source: "import", Valid: true,
			Plan:            &plan.Plan{Goal: u.Text, Steps: []plan.Step{{ID: "s1", Tool: u.Intent, Args: map[string]any{}}}},
			RegistryVersion: reg.Version(), Time: t0.Add(time.Duration(i) * time.Second)}
		if err := h.Record(ctx, r); err != nil {
			return nil, err
		}
	}
	return h, nil
}
