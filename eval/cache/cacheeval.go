// Package cacheeval measures the semantic plan cache on labelled request pairs: how often
// it serves a plan (hit rate) and how often the plan it serves is wrong.
//
// A Pair is two requests a and b with either their plans (PlanA, PlanB, in the neutral
// form [{"tool": "name", "args": {...}}]) or only whether they share a plan (SamePlan).
// run stores PlanA under a, as a validated LLM plan would be, looks up b, and scores:
//
//   - a wrong plan is served when the (re-bound) plan differs from PlanB (same tools in
//     the same order, same argument names, values equal after trimming and case-folding),
//     or, for a pair without PlanB, when anything is served for a SamePlan=false pair;
//   - HitRate is correct hits over the pairs whose correct answer is reachable from the
//     cache (same plan, or same template: b differs from a only in slot values);
//   - WrongPlanRate is wrong plans over all pairs.
//
// By default each pair is looked up in its own namespace, so only a can answer b. With
// Options.Shared every a is stored first in one namespace and every b looked up against
// all of them, as GPTCache's own benchmark does on its mock data.
//
// The data-set builders (CLINC150, Banking77, GPTCache mock data, QQP) and the generator
// of adversarial one-slot-edit traps live in this package too, so the evaluation command
// and the tests share them.
package cacheeval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// Step is one call of a plan in neutral form. References use ${sN.path}, steps being
// numbered s1, s2, ... in order.
type Step struct {
	Tool string         `json:"tool"`
	Args map[string]any `json:"args,omitempty"`
}

// Pair is one evaluation pair. Unknown JSON fields are ignored.
type Pair struct {
	A     string `json:"a"`
	B     string `json:"b"`
	PlanA []Step `json:"plan_a,omitempty"`
	PlanB []Step `json:"plan_b,omitempty"`
	// SamePlan says whether a and b share a plan, for pairs without PlanB.
	SamePlan *bool `json:"same_plan,omitempty"`
	// Kind labels the pair for the per-kind breakdown ("trap:number", "paraphrase").
	Kind string `json:"kind,omitempty"`
}

// readPairs reads JSON lines of pairs. Blank lines are skipped; numbers stay exact.
func readPairs(r io.Reader) ([]Pair, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var out []Pair
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var p Pair
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("pairs line %d: %w", line, err)
		}
		if p.A == "" || p.B == "" {
			return nil, fmt.Errorf("pairs line %d: \"a\" and \"b\" are required", line)
		}
		if len(p.PlanA) == 0 && p.SamePlan == nil {
			return nil, fmt.Errorf("pairs line %d: give plan_a and plan_b, or same_plan", line)
		}
		if len(p.PlanA) > 0 && len(p.PlanB) == 0 && p.SamePlan == nil {
			return nil, fmt.Errorf("pairs line %d: plan_a without plan_b needs same_plan", line)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read pairs: %w", err)
	}
	return out, nil
}

// WritePairs writes pairs as JSON lines.
func WritePairs(w io.Writer, pairs []Pair) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, p := range pairs {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
}

// toPlan converts neutral steps to a plan with ids s1, s2, ...
func toPlan(steps []Step) *plan.Plan {
	p := &plan.Plan{Steps: make([]plan.Step, len(steps))}
	for i, s := range steps {
		args := s.Args
		if args == nil {
			args = map[string]any{}
		}
		p.Steps[i] = plan.Step{ID: "s" + strconv.Itoa(i+1), Tool: s.Tool, Args: args}
	}
	return p
}

// answerTool is the tool of the synthetic plan used for pairs given without plans.
const answerTool = "cached_answer"

// answerCatalog is the catalog for pairs without plans: one tool whose optional "id"
// argument names the answer.
func answerCatalog() []*tool.Tool {
	return []*tool.Tool{{Name: answerTool, Description: "the answer cached for a request",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"id":{"type":"string"}},"additionalProperties":false}`)}}
}

// Options configure run.
type Options struct {
	Embedder embed.Embedder
	// Threshold overrides the embedder's calibrated threshold when non-zero.
	Threshold float64
	// Shared stores every a in one namespace before looking up the bs.
	Shared bool
	// MaxWordEdits is passed to cache.Config (0: the cache's default; negative: off).
	MaxWordEdits int
	// Now fixes the clock (relative dates); default time.Now at the start of run.
	Now time.Time
}

// kindReport is the breakdown of one pair kind.
type kindReport struct {
	Pairs       int `json:"pairs"`
	Reachable   int `json:"reachable"`
	Hits        int `json:"hits"`
	CorrectHits int `json:"correct_hits"`
	WrongPlans  int `json:"wrong_plans"`
}

// report is the result of run.
type report struct {
	Pairs         int     `json:"pairs"`
	Reachable     int     `json:"reachable"`
	Hits          int     `json:"hits"`
	CorrectHits   int     `json:"correct_hits"`
	WrongPlans    int     `json:"wrong_plans"`
	HitRate       float64 `json:"hit_rate"`
	WrongPlanRate float64 `json:"wrong_plan_rate"`
	// StoreRejected counts pairs whose plan_a failed validation (not evaluated further).
	StoreRejected int                    `json:"store_rejected"`
	Threshold     float64                `json:"threshold"`
	Embedder      string                 `json:"embedder"`
	Shared        bool                   `json:"shared"`
	ByReason      map[string]int         `json:"by_reason"`
	ByKind        map[string]*kindReport `json:"by_kind,omitempty"`
	// LookupP50US and LookupP99US are lookup latencies in microseconds.
	LookupP50US float64 `json:"lookup_p50_us"`
	LookupP99US float64 `json:"lookup_p99_us"`
	// Wrong lists up to 20 wrong plans served, for inspection.
	Wrong []mistake `json:"wrong,omitempty"`
}

// mistake is one wrong plan served.
type mistake struct {
	A, B       string
	Kind       string
	Served     json.RawMessage
	Similarity float64
}

type outcome struct {
	hit, correct, reachable bool
}

// run evaluates pairs against a cache built with opts. reg must hold every tool the
// plans use (answerCatalog for pairs without plans).
func run(ctx context.Context, pairs []Pair, reg *tool.Registry, opts Options) (*report, error) {
	if opts.Embedder == nil {
		return nil, fmt.Errorf("cacheeval: an embedder is required")
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	c, err := cache.New(cache.Config{
		Threshold: opts.Threshold, Capacity: max(2*len(pairs), 1000), TTL: -1, MaxWordEdits: opts.MaxWordEdits,
		Now: func() time.Time { return now },
	}, opts.Embedder, cache.NewMemoryStore())
	if err != nil {
		return nil, err
	}
	rep := &report{Pairs: len(pairs), Threshold: c.Threshold(), Embedder: opts.Embedder.Name(),
		Shared: opts.Shared, ByReason: map[string]int{}, ByKind: map[string]*kindReport{}}
	x := slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: func() time.Time { return now }})
	nsOf := func(i int) cache.Namespace {
		if opts.Shared {
			return cache.Namespace{Tenant: "eval"}
		}
		return cache.Namespace{Tenant: strconv.Itoa(i)}
	}
	planA := func(p Pair) *plan.Plan {
		if len(p.PlanA) > 0 {
			return toPlan(p.PlanA)
		}
		return toPlan([]Step{{Tool: answerTool}})
	}
	rejected := make([]bool, len(pairs))
	store := func(i int) error {
		err := c.Store(ctx, nsOf(i), pairs[i].A, planA(pairs[i]), reg)
		if err != nil {
			if _, ok := plan.AsValidationError(err); ok {
				rejected[i] = true
				return nil
			}
			return err
		}
		return nil
	}
	if opts.Shared {
		for i := range pairs {
			if err := store(i); err != nil {
				return nil, err
			}
		}
	}
	lat := make([]time.Duration, 0, len(pairs))
	for i, p := range pairs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !opts.Shared {
			if err := store(i); err != nil {
				return nil, err
			}
		}
		if rejected[i] {
			rep.StoreRejected++
			continue
		}
		t0 := time.Now()
		res, err := c.Lookup(ctx, nsOf(i), p.B, reg)
		lat = append(lat, time.Since(t0))
		if err != nil {
			return nil, err
		}
		rep.ByReason[string(res.Reason)]++
		o := score(p, res, x)
		k := rep.ByKind[p.Kind]
		if k == nil {
			k = &kindReport{}
			rep.ByKind[p.Kind] = k
		}
		k.Pairs++
		if o.reachable {
			rep.Reachable++
			k.Reachable++
		}
		if o.hit {
			rep.Hits++
			k.Hits++
			if o.correct {
				rep.CorrectHits++
				k.CorrectHits++
			} else {
				rep.WrongPlans++
				k.WrongPlans++
				if len(rep.Wrong) < 20 {
					rep.Wrong = append(rep.Wrong, mistake{A: p.A, B: p.B, Kind: p.Kind,
						Served: res.Hit.Plan.JSON(), Similarity: res.Hit.Similarity})
				}
			}
		}
	}
	if rep.Reachable > 0 {
		rep.HitRate = float64(correctReachable(rep)) / float64(rep.Reachable)
	}
	if n := rep.Pairs - rep.StoreRejected; n > 0 {
		rep.WrongPlanRate = float64(rep.WrongPlans) / float64(n)
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		rep.LookupP50US = float64(lat[len(lat)/2].Nanoseconds()) / 1e3
		rep.LookupP99US = float64(lat[len(lat)*99/100].Nanoseconds()) / 1e3
	}
	if len(rep.ByKind) == 1 {
		if _, ok := rep.ByKind[""]; ok {
			rep.ByKind = nil
		}
	}
	return rep, nil
}

// correctReachable counts correct hits; a correct hit is always on a reachable pair
// except in shared mode, where another a with the same plan may answer.
func correctReachable(r *report) int { return min(r.CorrectHits, r.Reachable) }

// score decides whether a lookup result is a hit and whether it is correct.
func score(p Pair, res cache.LookupResult, x *slot.Extractor) outcome {
	var o outcome
	switch {
	case len(p.PlanB) > 0:
		o.reachable = samePlan(toPlan(p.PlanA), toPlan(p.PlanB)) || sameTemplate(p.A, p.B, x)
	case p.SamePlan != nil:
		o.reachable = *p.SamePlan
	}
	if res.Hit == nil {
		return o
	}
	o.hit = true
	switch {
	case len(p.PlanB) > 0:
		o.correct = samePlan(res.Hit.Plan, toPlan(p.PlanB))
	case len(p.PlanA) > 0 && p.SamePlan != nil && *p.SamePlan:
		o.correct = samePlan(res.Hit.Plan, toPlan(p.PlanA))
	default:
		o.correct = p.SamePlan != nil && *p.SamePlan
	}
	return o
}

func sameTemplate(a, b string, x *slot.Extractor) bool {
	return slot.Template(a, x.Extract(a)) == slot.Template(b, x.Extract(b))
}

// samePlan compares tools in order and arguments after trimming and case-folding.
func samePlan(a, b *plan.Plan) bool {
	if len(a.Steps) != len(b.Steps) {
		return false
	}
	for i := range a.Steps {
		sa, sb := a.Steps[i], b.Steps[i]
		if sa.Tool != sb.Tool || len(sa.Args) != len(sb.Args) {
			return false
		}
		for k, va := range sa.Args {
			vb, ok := sb.Args[k]
			if !ok || canon(va) != canon(vb) {
				return false
			}
		}
	}
	return true
}

var spaces = regexp.MustCompile(`\s+`)

// canon renders a JSON value for comparison: strings trimmed, case-folded and with
// runs of white space as one space; numbers in their shortest decimal form.
func canon(v any) string {
	switch t := v.(type) {
	case string:
		return strings.ToLower(spaces.ReplaceAllString(strings.TrimSpace(t), " "))
	case json.Number:
		if f, err := t.Float64(); err == nil {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case int:
		return strconv.Itoa(t)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteByte('{')
		for _, k := range keys {
			b.WriteString(strconv.Quote(k) + ":" + canon(t[k]) + ",")
		}
		b.WriteByte('}')
		return b.String()
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = canon(x)
		}
		return "[" + strings.Join(parts, ",") + "]"
	default:
		return fmt.Sprint(t)
	}
}

// SweepPoint is one threshold of a sweep.
type SweepPoint struct {
	Threshold     float64 `json:"threshold"`
	Hits          int     `json:"hits"`
	CorrectHits   int     `json:"correct_hits"`
	WrongPlans    int     `json:"wrong_plans"`
	HitRate       float64 `json:"hit_rate"`
	WrongPlanRate float64 `json:"wrong_plan_rate"`
}

// Sweep runs the evaluation at each threshold.
func Sweep(ctx context.Context, pairs []Pair, reg *tool.Registry, opts Options, thresholds []float64) ([]SweepPoint, error) {
	out := make([]SweepPoint, 0, len(thresholds))
	for _, t := range thresholds {
		o := opts
		o.Threshold = t
		r, err := run(ctx, pairs, reg, o)
		if err != nil {
			return nil, err
		}
		out = append(out, SweepPoint{Threshold: t, Hits: r.Hits, CorrectHits: r.CorrectHits,
			WrongPlans: r.WrongPlans, HitRate: r.HitRate, WrongPlanRate: r.WrongPlanRate})
	}
	return out, nil
}
