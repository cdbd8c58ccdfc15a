package plans

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// Error kinds counted in Report.Errors. A custom RunOptions.Classify may add its own.
const (
	errorKindPlanner  = "planner_error" // the planner returned an error Classify did not name
	ErrorKindInvalid  = "invalid_plan"  // the plan failed plan.Validate (or the planner said so)
	errorKindNoPlan   = "no_plan"       // the planner returned neither a plan nor an error
	errorKindTimeout  = "timeout"       // the per-sample deadline passed
	errorKindCanceled = "canceled"      // the planner reported cancellation
	ErrorKindPanic    = "panic"         // the planner panicked; recovered and counted
	errorKindCatalog  = "catalog_error" // the sample's own tools could not be loaded
)

// RunOptions configure Run. The zero value works.
type RunOptions struct {
	// Dataset and Planner label the report ("nestful/executable", "offline-pattern").
	Dataset, Planner string
	// Concurrency bounds the samples planned at once; <= 0 means GOMAXPROCS.
	Concurrency int
	// Timeout bounds each sample's Plan call; 0 means only ctx bounds it.
	Timeout time.Duration
	// Progress, when set, is called after each sample with the number done and the total.
	// Calls come from Run's own goroutine, one at a time, in completion order.
	Progress func(done, total int)
	// Classify names the kind of a planner error for Report.Errors; returning "" (or a
	// nil Classify) falls back to the built-in kinds.
	Classify func(error) string
	// ForRegistry makes the planner and registry for a sample that brings its own tools
	// (Sample.Tools, e.g. BFCL's per-question function lists): it is given those tools
	// and returns the registry to validate against (usually the run's registry merged
	// with them) and a planner over it. Without it such samples use the run's planner
	// and registry.
	ForRegistry func(tools []*tool.Tool) (*tool.Registry, query.Planner, error)
}

// SampleResult is one sample's outcome.
type SampleResult struct {
	ID      string `json:"id"`
	Request string `json:"request"`
	// Valid is true when the planner returned a plan that passed plan.Validate.
	Valid bool `json:"valid"`
	// ErrorKind and Error say why a sample is a miss.
	ErrorKind string `json:"error_kind,omitempty"`
	Error     string `json:"error,omitempty"`
	// Plan is the planner's plan, valid or not (nil when there was none).
	Plan *plan.Plan `json:"plan,omitempty"`
	// GoldTools and PredTools are the tool sequences compared.
	GoldTools []string `json:"gold_tools"`
	PredTools []string `json:"pred_tools,omitempty"`
	// Irrelevant is the sample's: its right answer is a refusal.
	Irrelevant bool `json:"irrelevant,omitempty"`
	// Served is true when a valid plan was returned (the same as Valid).
	Served bool `json:"served"`
	// ExactTools is true when the plan served calls exactly the gold tools (ExactTools).
	ExactTools bool `json:"exact_tools"`
	// Wrong is true when a plan was served that is not the gold's tools: another tool
	// sequence, or any plan for an Irrelevant request. A refusal is never wrong.
	Wrong bool `json:"wrong"`
	// BuiltinOnly is true for a Wrong plan made only of planwise's built-in tools
	// ("What's 1+1?" -> calculate): a data set's gold cannot name them, so such a plan
	// may be right although it is counted wrong.
	BuiltinOnly bool `json:"builtin_only,omitempty"`
	// ExactCall, for data sets that list acceptable argument values (BFCL), is true when
	// every call of the plan is accepted (ExactCalls); nil elsewhere.
	ExactCall *bool `json:"exact_call,omitempty"`
	Scores
	// LatencyMS is the wall time of the Plan call.
	LatencyMS float64 `json:"latency_ms"`
}

// Pooled are TaskBench-style pooled scores; see the package doc.
type Pooled struct {
	NodeF1       float64 `json:"node_f1"`
	EdgeF1       float64 `json:"edge_f1"`
	ArgNameF1    float64 `json:"arg_name_f1"`
	ArgValueF1   float64 `json:"arg_value_f1"`
	EditDistance float64 `json:"edit_distance"`
}

// Latency summarises the per-sample Plan call times in milliseconds.
type Latency struct {
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Report is the outcome of an evaluation. Scores are means over the samples evaluated,
// misses included (see the package doc).
type Report struct {
	Dataset      string         `json:"dataset"`
	Planner      string         `json:"planner"`
	Samples      int            `json:"samples"`
	Valid        int            `json:"valid"`
	ValidRate    float64        `json:"valid_rate"`
	NodeF1       float64        `json:"node_f1"`
	EdgeF1       float64        `json:"edge_f1"`
	ArgNameF1    float64        `json:"arg_name_f1"`
	ArgValueF1   float64        `json:"arg_value_f1"`
	EditDistance float64        `json:"edit_distance"`
	TaskBench    Pooled         `json:"taskbench"`
	Errors       map[string]int `json:"errors"`
	Outcomes
	Latency    Latency `json:"latency_ms"`
	DurationMS int64   `json:"duration_ms"`
	// Sets are the per-set reports a combined report was made from (see Combine).
	Sets []*Report `json:"sets,omitempty"`
	// Results are the per-sample outcomes in sample order.
	Results []SampleResult `json:"results,omitempty"`
}

// Outcomes count what was served, next to the F1 scores: precision (wrong plans served)
// and coverage, which an F1 alone hides.
type Outcomes struct {
	// Served samples got a valid plan; Refused got none (a refusal or any other error).
	Served  int `json:"served"`
	Refused int `json:"refused"`
	// ExactTools plans called exactly the gold tools; Wrong plans did not (or were
	// served for an irrelevant request).
	ExactTools int `json:"exact_tools"`
	Wrong      int `json:"wrong"`
	// WrongBuiltin counts the Wrong plans made only of built-in tools (BuiltinOnly).
	WrongBuiltin int `json:"wrong_builtin,omitempty"`
	// Relevant samples have gold calls; Irrelevant ones should be refused, and
	// IrrelevantRefused were.
	Relevant          int `json:"relevant"`
	Irrelevant        int `json:"irrelevant,omitempty"`
	IrrelevantRefused int `json:"irrelevant_refused,omitempty"`
	// CallsChecked samples list acceptable argument values (BFCL); ExactCalls of them got
	// plans whose every call is accepted.
	CallsChecked int `json:"calls_checked,omitempty"`
	ExactCalls   int `json:"exact_calls,omitempty"`
	// Rates: WrongRate is Wrong over all samples, Coverage Served over all samples,
	// ExactRate ExactTools over relevant samples, RefusalRate IrrelevantRefused over
	// irrelevant samples, ExactCallRate ExactCalls over CallsChecked.
	WrongRate     float64 `json:"wrong_rate"`
	Coverage      float64 `json:"coverage"`
	ExactRate     float64 `json:"exact_rate"`
	RefusalRate   float64 `json:"refusal_rate,omitempty"`
	ExactCallRate float64 `json:"exact_call_rate,omitempty"`
}

// Run plans every sample with p, validates each plan against reg and scores it.
//
// At most opts.Concurrency samples are planned at once. Run returns when every sample is
// done or ctx ends; in the latter case it returns the report over the samples completed
// so far together with an error wrapping ctx.Err(). A panic in the planner is recovered
// and counted as a miss of kind "panic".
func Run(ctx context.Context, p query.Planner, reg *tool.Registry, samples []dataset.Sample, opts RunOptions) (*Report, error) {
	if p == nil {
		return nil, errors.New("eval: nil planner")
	}
	if reg == nil {
		return nil, errors.New("eval: nil tool registry: plans are validated against it")
	}
	start := time.Now()
	workers := opts.Concurrency
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(samples)))

	results := make([]SampleResult, len(samples))
	completed := make([]bool, len(samples))
	jobs := make(chan int)
	finished := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil {
					// The feeder may hand out one more job after a cancel (select picks
					// among ready cases at random): drain without planning it.
					continue
				}
				r := runOne(ctx, p, reg, samples[i], opts)
				if r.Error != "" && ctx.Err() != nil {
					// Stopped by the caller, not the planner's fault: leave it out.
					continue
				}
				results[i] = r
				finished <- i
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range samples {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(finished)
	}()
	done := 0
	for i := range finished {
		completed[i] = true
		done++
		if opts.Progress != nil {
			opts.Progress(done, len(samples))
		}
	}

	kept := make([]SampleResult, 0, done)
	for i, ok := range completed {
		if ok {
			kept = append(kept, results[i])
		}
	}
	rep := aggregate(opts.Dataset, opts.Planner, kept)
	rep.DurationMS = time.Since(start).Milliseconds()
	if err := ctx.Err(); err != nil && done < len(samples) {
		return rep, fmt.Errorf("eval: stopped after %d of %d samples: %w", done, len(samples), err)
	}
	return rep, nil
}

func runOne(ctx context.Context, p query.Planner, reg *tool.Registry, s dataset.Sample, opts RunOptions) SampleResult {
	r := SampleResult{ID: s.ID, Request: s.Request, GoldTools: make([]string, len(s.Gold)), Irrelevant: s.Irrelevant}
	for i, g := range s.Gold {
		r.GoldTools[i] = g.Tool
	}
	if len(s.Tools) > 0 && opts.ForRegistry != nil {
		sreg, sp, err := opts.ForRegistry(s.Tools)
		if err != nil {
			r.ErrorKind, r.Error = errorKindCatalog, err.Error()
			r.Scores = Score(s, nil)
			return r
		}
		reg, p = sreg, sp
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	t0 := time.Now()
	pl, err := safePlan(ctx, p, s.Request)
	r.LatencyMS = float64(time.Since(t0).Microseconds()) / 1000
	r.Plan = pl
	if pl != nil {
		r.PredTools = make([]string, len(pl.Steps))
		for i, st := range pl.Steps {
			r.PredTools[i] = st.Tool
		}
	}
	switch {
	case err != nil:
		r.ErrorKind, r.Error = classify(err, opts.Classify), err.Error()
	case pl == nil:
		r.ErrorKind, r.Error = errorKindNoPlan, "the planner returned no plan and no error"
	default:
		if verr := plan.Validate(pl, reg); verr != nil {
			r.ErrorKind, r.Error = ErrorKindInvalid, verr.Error()
		}
	}
	served := pl
	if r.ErrorKind == "" {
		r.Valid, r.Served = true, true
	} else {
		served = nil
	}
	r.Scores = Score(s, served)
	r.ExactTools = ExactTools(s, served)
	r.Wrong = r.Served && !r.ExactTools
	if r.Wrong {
		r.BuiltinOnly = builtinOnly(served, reg)
	}
	if exact, ok := ExactCalls(s, served); ok {
		r.ExactCall = &exact
	}
	return r
}

// builtinOnly reports whether every step of pl calls one of planwise's built-in tools.
func builtinOnly(pl *plan.Plan, reg *tool.Registry) bool {
	if pl == nil || len(pl.Steps) == 0 {
		return false
	}
	for _, st := range pl.Steps {
		t, ok := reg.Get(st.Tool)
		if !ok || t.Source != tool.BuiltinSource {
			return false
		}
	}
	return true
}

// errPanic marks a recovered planner panic.
var errPanic = errors.New("planner panicked")

func safePlan(ctx context.Context, p query.Planner, request string) (pl *plan.Plan, err error) {
	defer func() {
		if v := recover(); v != nil {
			pl, err = nil, fmt.Errorf("%w: %v", errPanic, v)
		}
	}()
	return p.Plan(ctx, query.New(request))
}

func classify(err error, custom func(error) string) string {
	if custom != nil {
		if k := custom(err); k != "" {
			return k
		}
	}
	switch {
	case errors.Is(err, errPanic):
		return ErrorKindPanic
	case errors.Is(err, context.DeadlineExceeded):
		return errorKindTimeout
	case errors.Is(err, context.Canceled):
		return errorKindCanceled
	}
	if _, ok := plan.AsValidationError(err); ok {
		return ErrorKindInvalid
	}
	return errorKindPlanner
}

// Combine merges reports (for example one per NESTFUL set) into one labelled dataset,
// with every score recomputed over all their samples; the inputs become its Sets. The
// inputs must still hold their Results.
func Combine(dataset string, reports ...*Report) *Report {
	var all []SampleResult
	var planner string
	var duration int64
	for _, r := range reports {
		all = append(all, r.Results...)
		duration += r.DurationMS
		if planner == "" {
			planner = r.Planner
		}
	}
	out := aggregate(dataset, planner, all)
	out.DurationMS = duration
	out.Sets = reports
	return out
}

func aggregate(dataset, planner string, results []SampleResult) *Report {
	rep := &Report{Dataset: dataset, Planner: planner, Samples: len(results), Errors: map[string]int{}, Results: results}
	if len(results) == 0 {
		return rep
	}
	var pc pooledCounts
	lat := make([]float64, 0, len(results))
	for _, r := range results {
		if r.Valid {
			rep.Valid++
		} else {
			rep.Errors[r.ErrorKind]++
		}
		rep.Outcomes.add(r)
		rep.NodeF1 += r.NodeF1
		rep.EdgeF1 += r.EdgeF1
		rep.ArgNameF1 += r.ArgNameF1
		rep.ArgValueF1 += r.ArgValueF1
		rep.EditDistance += r.EditDistance
		pc.nodes.add(r.pooled.nodes)
		pc.edges.add(r.pooled.edges)
		pc.argNames.add(r.pooled.argNames)
		pc.argValues.add(r.pooled.argValues)
		pc.indelED += r.pooled.indelED
		lat = append(lat, r.LatencyMS)
	}
	n := float64(len(results))
	rep.ValidRate = float64(rep.Valid) / n
	rep.NodeF1 /= n
	rep.EdgeF1 /= n
	rep.ArgNameF1 /= n
	rep.ArgValueF1 /= n
	rep.EditDistance /= n
	rep.Outcomes.rates()
	rep.TaskBench = Pooled{
		NodeF1:       pooledF1(pc.nodes),
		EdgeF1:       pooledF1(pc.edges),
		ArgNameF1:    pooledF1(pc.argNames),
		ArgValueF1:   pooledF1(pc.argValues),
		EditDistance: pc.indelED / n,
	}
	slices.Sort(lat)
	var sum float64
	for _, l := range lat {
		sum += l
	}
	rep.Latency = Latency{P50: rank(lat, 0.50), P95: rank(lat, 0.95), Max: lat[len(lat)-1], Mean: sum / n}
	return rep
}

func (o *Outcomes) add(r SampleResult) {
	if r.Served {
		o.Served++
	} else {
		o.Refused++
	}
	if r.ExactTools {
		o.ExactTools++
	}
	if r.Wrong {
		o.Wrong++
		if r.BuiltinOnly {
			o.WrongBuiltin++
		}
	}
	if r.Irrelevant {
		o.Irrelevant++
		if !r.Served {
			o.IrrelevantRefused++
		}
	} else {
		o.Relevant++
	}
	if r.ExactCall != nil {
		o.CallsChecked++
		if *r.ExactCall {
			o.ExactCalls++
		}
	}
}

func (o *Outcomes) rates() {
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	n := o.Served + o.Refused
	o.WrongRate = ratio(o.Wrong, n)
	o.Coverage = ratio(o.Served, n)
	o.ExactRate = ratio(o.ExactTools, o.Relevant)
	o.RefusalRate = ratio(o.IrrelevantRefused, o.Irrelevant)
	o.ExactCallRate = ratio(o.ExactCalls, o.CallsChecked)
}

// pooledF1 is Count.F1 except that nothing on either side scores 0, as scikit-learn's
// binary F1 (which TaskBench calls) does.
func pooledF1(c count) float64 {
	if c.Pred+c.Gold == 0 {
		return 0
	}
	return c.F1()
}

// rank is the nearest-rank q-quantile of sorted xs.
func rank(xs []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(xs)))) - 1
	return xs[max(0, min(i, len(xs)-1))]
}

// prediction is one line of a predictions file: a sample's request, its gold tools, and
// the plan served or the error.
type prediction struct {
	ID         string     `json:"id"`
	Dataset    string     `json:"dataset,omitempty"`
	Request    string     `json:"request"`
	GoldTools  []string   `json:"gold_tools"`
	Irrelevant bool       `json:"irrelevant,omitempty"`
	Plan       *plan.Plan `json:"plan,omitempty"`
	ErrorKind  string     `json:"error_kind,omitempty"`
	Error      string     `json:"error,omitempty"`
	Served     bool       `json:"served"`
	ExactTools bool       `json:"exact_tools"`
	Wrong      bool       `json:"wrong"`
	ExactCall  *bool      `json:"exact_call,omitempty"`
}

// writePredictions writes one JSON line per sample of rep (and of its sets, each line
// naming its set), in sample order. rep must still hold its Results.
func writePredictions(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	reps := rep.Sets
	if len(reps) == 0 {
		reps = []*Report{rep}
	}
	for _, r := range reps {
		for _, x := range r.Results {
			p := prediction{ID: x.ID, Dataset: r.Dataset, Request: x.Request, GoldTools: x.GoldTools, Irrelevant: x.Irrelevant,
				Plan: x.Plan, ErrorKind: x.ErrorKind, Error: x.Error, Served: x.Served, ExactTools: x.ExactTools,
				Wrong: x.Wrong, ExactCall: x.ExactCall}
			if p.GoldTools == nil {
				p.GoldTools = []string{}
			}
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
	}
	return nil
}
