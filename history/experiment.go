package history

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Experiment statuses.
const (
	StatusRunning  = "running"
	StatusPromoted = "promoted"
	StatusStopped  = "stopped"
)

// Defaults of Experiment.
const (
	DefaultMinSamples = 100
	DefaultAlpha      = 0.05
)

// ErrInvalidExperiment is wrapped by errors about an experiment's definition or a
// promotion that is not allowed.
var ErrInvalidExperiment = errors.New("invalid experiment")

// Variant is one arm of an experiment: a prompt variant and its share of the traffic.
type Variant struct {
	Name  string  `json:"name"`
	Share float64 `json:"share"`
}

// Experiment is a prompt A/B test.
type Experiment struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Tenant restricts the experiment to one tenant; "" applies it to every tenant.
	Tenant   string    `json:"tenant,omitempty"`
	Variants []Variant `json:"variants"`
	// Status is running, promoted or stopped.
	Status string `json:"status"`
	// Winner is the promoted variant.
	Winner string `json:"winner,omitempty"`
	// AutoPromote promotes the better variant as soon as it is significantly better
	// (p < Alpha) with at least MinSamples plans of the model's in every arm, unless it
	// refuses significantly more (Test.RefusesMore).
	AutoPromote bool      `json:"auto_promote"`
	MinSamples  int       `json:"min_samples"`
	Alpha       float64   `json:"alpha"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
}

func (e *Experiment) clone() *Experiment {
	c := *e
	c.Variants = append([]Variant(nil), e.Variants...)
	return &c
}

func (e *Experiment) hasVariant(name string) bool {
	for _, v := range e.Variants {
		if v.Name == name {
			return true
		}
	}
	return false
}

// VariantStats are one arm's outcomes.
type VariantStats struct {
	Variant  string `json:"variant"`
	Requests int    `json:"requests"`
	// Plans counts the requests whose first plan the model made with the arm's prompt
	// (modelPlanned): not a refusal, a cache hit or an offline planner's plan. Valid
	// counts those whose first plan passed validation, before any repair round;
	// ValidityRate is Valid over Plans.
	Plans        int     `json:"plans"`
	Valid        int     `json:"valid"`
	ValidityRate float64 `json:"validity_rate"`
	// Refusals counts the requests the model declined as no tool fitting them
	// (Record.Refused "llm"): answers, not invalid plans, reported beside validity.
	// RefusalRate is their share of the requests.
	Refusals    int     `json:"refusals"`
	RefusalRate float64 `json:"refusal_rate"`
	// LLMSuccess counts requests answered by the LLM (no fallback).
	LLMSuccess     int     `json:"llm_success"`
	LLMSuccessRate float64 `json:"llm_success_rate"`
	// Executions and ExecutionSucceeded count runs of the arm's plans.
	Executions           int     `json:"executions"`
	ExecutionSucceeded   int     `json:"execution_succeeded"`
	ExecutionSuccessRate float64 `json:"execution_success_rate"`
	Fallbacks            int     `json:"fallbacks"`
	FallbackRate         float64 `json:"fallback_rate"`
	MeanLatencyMS        float64 `json:"mean_latency_ms"`
	MeanCostUSD          float64 `json:"mean_cost_usd"`
}

// Test is a two-proportion z-test of plan validity, over the plans the model made
// (VariantStats.Plans), between the best arm and the runner-up, with the arms' refusal
// rates tested beside it.
type Test struct {
	Metric string `json:"metric"`
	// Best and RunnerUp are the arms compared (Best has the higher validity rate).
	Best     string  `json:"best"`
	RunnerUp string  `json:"runner_up"`
	Z        float64 `json:"z"`
	PValue   float64 `json:"p_value"`
	// Significant is PValue < Alpha with at least MinSamples plans in both arms.
	Significant bool `json:"significant"`
	// RefusalZ and RefusalPValue test the two arms' refusal rates (refusals over
	// requests) the same way, Best's against RunnerUp's. RefusesMore is Best refusing
	// more with RefusalPValue < Alpha: its better validity may come from declining
	// requests it could have planned, so it is not promoted unless a person names it.
	RefusalZ      float64 `json:"refusal_z"`
	RefusalPValue float64 `json:"refusal_p_value"`
	RefusesMore   bool    `json:"refuses_more"`
}

// Promotable reports whether the test lets Best be promoted without a person naming
// it: significantly better validity, not bought with significantly more refusals.
func (t *Test) Promotable() bool { return t != nil && t.Significant && !t.RefusesMore }

// ExperimentReport is an experiment with its per-arm statistics and its test.
type ExperimentReport struct {
	Experiment *Experiment    `json:"experiment"`
	Stats      []VariantStats `json:"stats"`
	Test       *Test          `json:"test,omitempty"`
}

// Tally is one arm's counts for its experiment's test: the requests it served, the
// plans the model made with its prompt (modelPlanned), the valid ones among them, and
// the model's refusals. ExperimentReport counts the stored records with it, and so does
// a TallyStore as it writes and deletes them (automatic promotion reads its counts, so
// that a restart does not start an experiment over): both test the same numbers.
type Tally struct {
	Requests int `json:"requests"`
	Plans    int `json:"plans"`
	Valid    int `json:"valid"`
	Refused  int `json:"refused"`
}

// Add counts r.
func (t *Tally) Add(r *Record) {
	t.Requests++
	if modelPlanned(r) {
		t.Plans++
		if r.Valid {
			t.Valid++
		}
	}
	if r.Refused == refusedByLLM {
		t.Refused++
	}
}

// Plus returns t with u's counts added.
func (t Tally) Plus(u Tally) Tally {
	return Tally{t.Requests + u.Requests, t.Plans + u.Plans, t.Valid + u.Valid, t.Refused + u.Refused}
}

// refusedByLLM is Record.Refused for the model's cannot_plan answer (planner.SourceLLM).
const refusedByLLM = "llm"

// modelPlanned reports whether the record's first plan is one the model made with the
// arm's prompt, so that its validity says something about the prompt. Left out: no plan
// at all (a refusal, a failure before any plan: Record.NoPlan); a cache hit (no model
// call: the cache serves a plan validated earlier, and repeats of one request, which
// always land in the same arm, would count its success again); an offline planner's
// plan: a valid first plan served as a fallback was the offline planner's (a valid
// plan of the model's is served as the LLM's), and an offline-only request (fallback
// reason offline) never asked the model.
func modelPlanned(r *Record) bool {
	switch {
	case r.NoPlan, r.Source == "cache":
		return false
	case r.Fallback && (r.Valid || r.FallbackReason == offlineReason):
		return false
	}
	return true
}

// CreateExperiment validates e, fills its defaults (id, equal shares, MinSamples,
// Alpha, status running, times) and stores it. Variant names must be unique and, when
// Options.Variants is set, known.
func (h *History) CreateExperiment(ctx context.Context, e Experiment) (*Experiment, error) {
	if len(e.Variants) < 2 {
		return nil, fmt.Errorf("%w: needs at least two variants", ErrInvalidExperiment)
	}
	seen := map[string]bool{}
	total := 0.0
	for i, v := range e.Variants {
		v.Name = strings.TrimSpace(v.Name)
		if v.Name == "" {
			return nil, fmt.Errorf("%w: variants[%d] has no name", ErrInvalidExperiment, i)
		}
		if seen[v.Name] {
			return nil, fmt.Errorf("%w: variant %q given twice", ErrInvalidExperiment, v.Name)
		}
		if len(h.opts.Variants) > 0 && !slices.Contains(h.opts.Variants, v.Name) {
			return nil, fmt.Errorf("%w: unknown prompt variant %q (known: %s)", ErrInvalidExperiment, v.Name, strings.Join(h.opts.Variants, ", "))
		}
		if v.Share < 0 || math.IsNaN(v.Share) || math.IsInf(v.Share, 0) {
			return nil, fmt.Errorf("%w: variant %q has share %v; use a positive number", ErrInvalidExperiment, v.Name, v.Share)
		}
		seen[v.Name] = true
		total += v.Share
		e.Variants[i] = v
	}
	for i := range e.Variants {
		if total == 0 {
			e.Variants[i].Share = 1 / float64(len(e.Variants))
		} else {
			e.Variants[i].Share /= total
		}
	}
	if e.MinSamples <= 0 {
		e.MinSamples = DefaultMinSamples
	}
	if e.Alpha <= 0 || e.Alpha >= 1 {
		e.Alpha = DefaultAlpha
	}
	if e.ID == "" {
		e.ID = newID()[:12]
	}
	if e.Name == "" {
		e.Name = e.ID
	}
	e.Status, e.Winner = StatusRunning, ""
	now := h.opts.Now()
	e.Created, e.Updated = now, now
	h.mu.Lock()
	if _, dup := h.experiments[e.ID]; dup {
		h.mu.Unlock()
		return nil, fmt.Errorf("%w: id %q exists", ErrInvalidExperiment, e.ID)
	}
	h.mu.Unlock()
	if err := h.saveExperiment(ctx, &e); err != nil {
		return nil, err
	}
	return e.clone(), nil
}

func (h *History) saveExperiment(ctx context.Context, e *Experiment) error {
	if h.exps != nil {
		if err := h.exps.PutExperiment(ctx, e); err != nil {
			return fmt.Errorf("history: store experiment %s: %w", e.ID, err)
		}
	}
	h.mu.Lock()
	h.experiments[e.ID] = e.clone()
	h.mu.Unlock()
	return nil
}

// Experiments returns every experiment, oldest first.
func (h *History) Experiments() []*Experiment {
	h.mu.Lock()
	out := make([]*Experiment, 0, len(h.experiments))
	for _, e := range h.experiments {
		out = append(out, e.clone())
	}
	h.mu.Unlock()
	slices.SortFunc(out, func(a, b *Experiment) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
	return out
}

// Experiment returns one experiment, or an error wrapping ErrNotFound.
func (h *History) Experiment(id string) (*Experiment, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.experiments[id]
	if !ok {
		return nil, fmt.Errorf("history: experiment %q: %w", id, ErrNotFound)
	}
	return e.clone(), nil
}

// Assign returns the experiment and prompt variant for a request: for the oldest
// experiment that applies to the tenant and is running, the arm picked by a hash of the
// experiment id and the request text over the traffic shares (the same request always
// gets the same arm); for a promoted one, its winner. It returns "", "" when no
// experiment applies (use the default variant).
func (h *History) Assign(tenant, request string) (experimentID, variant string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var pick *Experiment
	for _, e := range h.experiments {
		if e.Status == StatusStopped || (e.Tenant != "" && e.Tenant != tenant) {
			continue
		}
		if pick == nil || e.Created.Before(pick.Created) || (e.Created.Equal(pick.Created) && e.ID < pick.ID) {
			pick = e
		}
	}
	if pick == nil {
		return "", ""
	}
	if pick.Status == StatusPromoted {
		return pick.ID, pick.Winner
	}
	return pick.ID, pick.arm(request)
}

// arm maps a request to a variant by its hash over the cumulative shares.
func (e *Experiment) arm(request string) string {
	f := fnv.New64a()
	f.Write([]byte(e.ID))
	f.Write([]byte{0})
	f.Write([]byte(request))
	// FNV-1a alone leaves the high bits of similar short texts correlated; the
	// splitmix64 finaliser spreads them so that shares hold.
	x := f.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	u := float64(x>>11) / float64(uint64(1)<<53)
	acc := 0.0
	for _, v := range e.Variants {
		acc += v.Share
		if u < acc {
			return v.Name
		}
	}
	return e.Variants[len(e.Variants)-1].Name
}

// Promote makes winner the variant every request gets. An empty winner promotes the arm
// with the highest validity rate (it must be significantly better and not refuse
// significantly more: Test.Promotable). Promoting a stopped
// or already promoted experiment is an error.
func (h *History) Promote(ctx context.Context, id, winner string) (*Experiment, error) {
	e, err := h.Experiment(id)
	if err != nil {
		return nil, err
	}
	if e.Status != StatusRunning {
		return nil, fmt.Errorf("%w: experiment %s is %s", ErrInvalidExperiment, id, e.Status)
	}
	if winner == "" {
		rep, err := h.ExperimentReport(ctx, id)
		if err != nil {
			return nil, err
		}
		if rep.Test == nil || !rep.Test.Significant {
			return nil, fmt.Errorf("%w: no arm of %s is significantly better yet; name the winner to promote anyway", ErrInvalidExperiment, id)
		}
		if rep.Test.RefusesMore {
			return nil, fmt.Errorf("%w: %s plans validly more often than %s in %s but refuses significantly more requests (p=%.3g); "+
				"check its refusals are right, then name the winner to promote it", ErrInvalidExperiment, rep.Test.Best, rep.Test.RunnerUp, id, rep.Test.RefusalPValue)
		}
		winner = rep.Test.Best
	}
	if !e.hasVariant(winner) {
		return nil, fmt.Errorf("%w: %s has no variant %q", ErrInvalidExperiment, id, winner)
	}
	e.Status, e.Winner, e.Updated = StatusPromoted, winner, h.opts.Now()
	if err := h.saveExperiment(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// Stop ends an experiment without a winner: Assign ignores it from now on.
func (h *History) Stop(ctx context.Context, id string) (*Experiment, error) {
	e, err := h.Experiment(id)
	if err != nil {
		return nil, err
	}
	e.Status, e.Updated = StatusStopped, h.opts.Now()
	if err := h.saveExperiment(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// ExperimentReport computes an experiment's per-arm statistics from its records and
// tests plan validity, over the plans the model made, between the best arm and the
// runner-up, with their refusal rates beside it.
func (h *History) ExperimentReport(ctx context.Context, id string) (*ExperimentReport, error) {
	e, err := h.Experiment(id)
	if err != nil {
		return nil, err
	}
	rs, err := h.store.Records(ctx, Query{Experiment: id})
	if err != nil {
		return nil, fmt.Errorf("history: records of experiment %s: %w", id, err)
	}
	byName := map[string]*VariantStats{}
	rep := &ExperimentReport{Experiment: e}
	for _, v := range e.Variants {
		rep.Stats = append(rep.Stats, VariantStats{Variant: v.Name})
	}
	for i := range rep.Stats {
		byName[rep.Stats[i].Variant] = &rep.Stats[i]
	}
	tallies := make(map[string]Tally, len(rep.Stats))
	for _, r := range rs {
		s := byName[r.Variant]
		if s == nil {
			continue
		}
		t := tallies[r.Variant]
		t.Add(r)
		tallies[r.Variant] = t
		if r.Source == "llm" && r.ErrorType == "" {
			s.LLMSuccess++
		}
		if r.Fallback {
			s.Fallbacks++
		}
		if r.Execution != nil && r.Execution.Status != "canceled" {
			s.Executions++
			if r.Execution.Status == "succeeded" {
				s.ExecutionSucceeded++
			}
		}
		s.MeanLatencyMS += r.LatencyMS
		s.MeanCostUSD += r.CostUSD
	}
	for i := range rep.Stats {
		s := &rep.Stats[i]
		t := tallies[s.Variant]
		s.Requests, s.Plans, s.Valid, s.Refusals = t.Requests, t.Plans, t.Valid, t.Refused
		if s.Plans > 0 {
			s.ValidityRate = float64(s.Valid) / float64(s.Plans)
		}
		if s.Requests > 0 {
			n := float64(s.Requests)
			s.RefusalRate = float64(s.Refusals) / n
			s.LLMSuccessRate = float64(s.LLMSuccess) / n
			s.FallbackRate = float64(s.Fallbacks) / n
			s.MeanLatencyMS /= n
			s.MeanCostUSD /= n
		}
		if s.Executions > 0 {
			s.ExecutionSuccessRate = float64(s.ExecutionSucceeded) / float64(s.Executions)
		}
	}
	rep.Test = testArms(e, tallies)
	return rep, nil
}

// testArms runs the z-test of validity over the model's plans between the arm with the
// highest validity rate and the best of the others, and the z-test of their refusal
// rates beside it; nil when fewer than two arms have plans.
func testArms(e *Experiment, ts map[string]Tally) *Test {
	type arm struct {
		name string
		t    Tally
		rate float64
	}
	var arms []arm
	for _, v := range e.Variants {
		t := ts[v.Name]
		if t.Plans > 0 {
			arms = append(arms, arm{v.Name, t, float64(t.Valid) / float64(t.Plans)})
		}
	}
	if len(arms) < 2 {
		return nil
	}
	slices.SortStableFunc(arms, func(a, b arm) int {
		switch {
		case a.rate > b.rate:
			return -1
		case a.rate < b.rate:
			return 1
		}
		return 0
	})
	a, b := arms[0], arms[1]
	z, p := twoProportionZ(a.t.Valid, a.t.Plans, b.t.Valid, b.t.Plans)
	rz, rp := twoProportionZ(a.t.Refused, a.t.Requests, b.t.Refused, b.t.Requests)
	return &Test{Metric: "validity", Best: a.name, RunnerUp: b.name, Z: z, PValue: p,
		Significant:   p < e.Alpha && a.t.Plans >= e.MinSamples && b.t.Plans >= e.MinSamples,
		RefusalZ:      rz,
		RefusalPValue: rp,
		RefusesMore:   rz > 0 && rp < e.Alpha,
	}
}

// twoProportionZ tests whether the success proportions x1/n1 and x2/n2 differ: the
// pooled two-proportion z statistic and its two-sided p-value. With no variance (both
// arms all successes or all failures) z is 0 and p 1.
func twoProportionZ(x1, n1, x2, n2 int) (z, p float64) {
	if n1 <= 0 || n2 <= 0 {
		return 0, 1
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	pool := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 0, 1
	}
	z = (p1 - p2) / se
	return z, math.Erfc(math.Abs(z) / math.Sqrt2)
}

// observeExperiment counts a record for its experiment's automatic promotion and
// promotes when the test is significant.
func (h *History) observeExperiment(ctx context.Context, r *Record) error {
	return h.observeExperiments(ctx, []*Record{r})
}

// observeExperiments counts records just stored for their experiments' automatic
// promotion and promotes each experiment whose test is significant. A TallyStore
// counted them in the transaction that wrote them, and its counts are read back once an
// experiment (when it promotes automatically); without one they are added to the counts
// in memory. Records of an experiment that is not running (stopped, promoted, unknown)
// are not looked at: its test no longer decides anything.
func (h *History) observeExperiments(ctx context.Context, rs []*Record) error {
	type add struct {
		e  *Experiment
		ds map[string]Tally
	}
	var adds []add // in the order the experiments first appear
	h.mu.Lock()
	for _, r := range rs {
		if r.Experiment == "" || r.Variant == "" {
			continue
		}
		e, ok := h.experiments[r.Experiment]
		if !ok || e.Status != StatusRunning {
			continue
		}
		i := slices.IndexFunc(adds, func(a add) bool { return a.e.ID == e.ID })
		if i < 0 {
			adds = append(adds, add{e: e.clone(), ds: map[string]Tally{}})
			i = len(adds) - 1
		}
		t := adds[i].ds[r.Variant]
		t.Add(r)
		adds[i].ds[r.Variant] = t
	}
	h.mu.Unlock()
	var errs []error
	for _, a := range adds {
		if h.tallyStore != nil && !a.e.AutoPromote {
			continue // counted by the store; nothing to test
		}
		ts, err := h.addTallies(ctx, a.e.ID, a.ds)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !a.e.AutoPromote {
			continue
		}
		test := testArms(a.e, ts)
		if !test.Promotable() {
			continue
		}
		if _, err := h.Promote(ctx, a.e.ID, test.Best); err != nil && !errors.Is(err, ErrInvalidExperiment) {
			errs = append(errs, err) // ErrInvalidExperiment: promoted or stopped concurrently
		}
	}
	return errors.Join(errs...)
}

// addTallies returns an experiment's counts of every arm once ds, the counts of records
// just stored, are in them: the TallyStore's (which counted those records as it wrote
// them; its counts outlive the process and, on a shared store, add up over replicas),
// else the counts in memory after adding ds.
func (h *History) addTallies(ctx context.Context, experiment string, ds map[string]Tally) (map[string]Tally, error) {
	if h.tallyStore != nil {
		ts, err := h.tallyStore.Tallies(ctx, experiment)
		if err != nil {
			return nil, fmt.Errorf("history: count records of experiment %s: %w", experiment, err)
		}
		return ts, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.tallies == nil {
		h.tallies = tallyBook{}
	}
	return h.tallies.add(experiment, ds), nil
}

// ParseVariants reads an experiment's variants from "default=0.5,concise=0.5", or
// "default,concise" for equal shares; at least two are needed.
func ParseVariants(s string) ([]Variant, error) {
	var out []Variant
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, share, hasShare := strings.Cut(part, "=")
		v := Variant{Name: strings.TrimSpace(name)}
		if hasShare {
			f, err := strconv.ParseFloat(strings.TrimSpace(share), 64)
			if err != nil || f <= 0 {
				return nil, fmt.Errorf("share of %q must be a positive number", v.Name)
			}
			v.Share = f
		}
		out = append(out, v)
	}
	if len(out) < 2 {
		return nil, errors.New("give at least two variants, e.g. default,concise or default=0.8,concise=0.2")
	}
	return out, nil
}
