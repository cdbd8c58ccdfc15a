package metrics

import (
	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// Breakdown dimensions.
const (
	dimSource = iota
	dimModel
	dimTier
	dimVariant
	dimAPIKey
	dimTenant
	numDims
)

// Cache results, in the order of cacheResultNames.
const (
	cacheHit = iota
	cacheExact
	cacheMiss
	cacheSkip
	numCacheResults
)

var cacheResultNames = [numCacheResults]string{"hit", "exact", "miss", "skip"}

func cacheIndex(s string) int {
	switch s {
	case "hit":
		return cacheHit
	case "exact":
		return cacheExact
	case "miss":
		return cacheMiss
	default:
		return cacheSkip
	}
}

// requestBuckets are the upper bounds, in seconds, of planwise_request_duration_seconds.
// A planning request spans cache hits (well under a millisecond) to LLM calls with a
// repair round and a cascade (tens of seconds).
var requestBuckets = [...]float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// sketchAccuracy is DDSketch's relative accuracy on every quantile.
const sketchAccuracy = 0.01

// sketchMapping is immutable and shared by every sketch so that they merge.
var sketchMapping = mustMapping()

func mustMapping() mapping.IndexMapping {
	m, err := mapping.NewCubicallyInterpolatedMapping(sketchAccuracy)
	if err != nil {
		panic(err) // constant argument: cannot fail
	}
	return m
}

// cell holds the counters of one slice of requests (all of them, or one label value).
type cell struct {
	requests, successes, llmSuccesses, fallbacks int64
	refusals, llmRefusals                        int64
	cacheHits, cacheLookups                      int64
	plans, valid                                 int64
	errors                                       int64
	promptTokens, completionTokens               int64
	costUSD                                      float64
	providerRetries                              int64
	userRetries                                  int64
	feedback, feedbackPositive                   int64
	executions, executionsOK                     int64
	historyDropped                               int64 // the total cell only: RecordHistoryDropped
	latencySumMs                                 float64
	latency                                      *ddsketch.DDSketch            // nil until the first request
	pos                                          *store.BufferedPaginatedStore // latency's positive store
	durBuckets                                   [len(requestBuckets) + 1]uint64
}

// obs is one latency observation, with what is derived from it computed once per event
// rather than once per cell it lands in.
type obs struct {
	ms        float64
	index     int  // sketch bin
	indexable bool // false for 0 (the sketch's zero bucket)
	bucket    int  // requestBuckets index
}

func newObs(ms float64) obs {
	o := obs{ms: ms, bucket: len(requestBuckets)}
	if ms > sketchMapping.MinIndexableValue() && ms < sketchMapping.MaxIndexableValue() {
		o.index, o.indexable = sketchMapping.Index(ms), true
	}
	s := ms / 1e3
	for i, ub := range requestBuckets {
		if s <= ub {
			o.bucket = i
			break
		}
	}
	return o
}

// ensureSketch gives c its latency sketch. The buffered paginated store keeps the few
// values of a sparse cell (one API key in one minute) in a small buffer and allocates
// 32-bin pages only where values are dense: an hour of traffic over 100 API keys took
// 10.6 MB here against 37 MB with dense stores, at the same recording cost.
func (c *cell) ensureSketch() {
	if c.latency == nil {
		c.pos = store.NewBufferedPaginatedStore()
		c.latency = ddsketch.NewDDSketch(sketchMapping, c.pos, store.NewBufferedPaginatedStore())
	}
}

// delta is what one request adds to each cell it lands in (the total and one cell per
// label): its strings tested and its latency placed once per event, then added to seven
// cells.
type delta struct {
	successes, llmSuccesses, fallbacks      int64
	refusals, llmRefusals                   int64
	cacheHits, cacheLookups                 int64
	plans, valid, errors                    int64
	promptTokens, completionTokens, retries int64
	costUSD                                 float64
	obs                                     obs
}

func newDelta(e *Event, nerr int64, latMs float64) delta {
	d := delta{
		errors: nerr, promptTokens: int64(e.PromptTokens), completionTokens: int64(e.CompletionTokens),
		retries: int64(e.Retries), costUSD: e.CostUSD, obs: newObs(latMs),
	}
	if e.Success {
		d.successes = 1
		if e.Source == "llm" {
			d.llmSuccesses = 1
		}
	}
	if e.Fallback {
		d.fallbacks = 1
	}
	if e.Refusal != "" {
		d.refusals = 1
		if e.Refusal == "llm" {
			d.llmRefusals = 1
		}
	}
	switch cacheIndex(e.CacheResult) {
	case cacheHit, cacheExact:
		d.cacheHits, d.cacheLookups = 1, 1
	case cacheMiss:
		d.cacheLookups = 1
	}
	if !e.NoPlan {
		d.plans = 1
	}
	if e.Valid {
		d.valid = 1
	}
	return d
}

// add counts one request whose delta is d.
func (c *cell) add(d *delta) {
	c.requests++
	c.successes += d.successes
	c.llmSuccesses += d.llmSuccesses
	c.fallbacks += d.fallbacks
	c.refusals += d.refusals
	c.llmRefusals += d.llmRefusals
	c.cacheHits += d.cacheHits
	c.cacheLookups += d.cacheLookups
	c.plans += d.plans
	c.valid += d.valid
	c.errors += d.errors
	c.promptTokens += d.promptTokens
	c.completionTokens += d.completionTokens
	c.costUSD += d.costUSD
	c.providerRetries += d.retries
	c.latencySumMs += d.obs.ms
	if c.latency == nil { // (ensureSketch is not inlined)
		c.ensureSketch()
	}
	if d.obs.indexable {
		c.pos.Add(d.obs.index)
	} else {
		_ = c.latency.Add(d.obs.ms) // zero: the zero bucket
	}
	c.durBuckets[d.obs.bucket]++
}

func (c *cell) merge(o *cell) {
	c.requests += o.requests
	c.successes += o.successes
	c.llmSuccesses += o.llmSuccesses
	c.fallbacks += o.fallbacks
	c.refusals += o.refusals
	c.llmRefusals += o.llmRefusals
	c.cacheHits += o.cacheHits
	c.cacheLookups += o.cacheLookups
	c.plans += o.plans
	c.valid += o.valid
	c.errors += o.errors
	c.promptTokens += o.promptTokens
	c.completionTokens += o.completionTokens
	c.costUSD += o.costUSD
	c.providerRetries += o.providerRetries
	c.userRetries += o.userRetries
	c.feedback += o.feedback
	c.feedbackPositive += o.feedbackPositive
	c.executions += o.executions
	c.executionsOK += o.executionsOK
	c.historyDropped += o.historyDropped
	c.latencySumMs += o.latencySumMs
	if o.latency != nil && !o.latency.IsEmpty() {
		c.ensureSketch()
		_ = c.latency.MergeWith(o.latency) // same mapping everywhere: cannot fail
	}
	for i, n := range o.durBuckets {
		c.durBuckets[i] += n
	}
}

// reset zeroes the counters and keeps the sketch's memory for reuse.
func (c *cell) reset() {
	sk, pos := c.latency, c.pos
	*c = cell{}
	if sk != nil {
		sk.Clear()
		c.latency, c.pos = sk, pos
	}
}

// quantileMs is the q-quantile of latency in milliseconds, 0 when empty.
func (c *cell) quantileMs(q float64) float64 {
	if c.latency == nil || c.latency.IsEmpty() {
		return 0
	}
	v, err := c.latency.GetValueAtQuantile(q)
	if err != nil {
		return 0
	}
	return v
}

// combo is the label set of planwise_requests_total: source, tier, model ids.
type combo [3]int32

// agg is everything recorded in one time slot (or over the lifetime). Label values are
// ids of the Recorder's labelSets.
type agg struct {
	total           cell
	dims            [numDims][]*cell // by label id; nil where a value was not seen
	errorsByType    []int64          // by error-type id
	fallbackReasons []int64          // by reason id
	cacheResults    [numCacheResults]int64
	combos          map[combo]*int64 // kept, zeroed, across resets: see counter
	empty           bool
}

func newAgg() *agg { return &agg{empty: true} }

func (a *agg) dim(d int, id int32) *cell {
	if int(id) >= len(a.dims[d]) {
		a.dims[d] = grow(a.dims[d], int(id))
	}
	c := a.dims[d][id]
	if c == nil {
		c = &cell{}
		a.dims[d][id] = c
	}
	return c
}

// counter returns the planwise_requests_total counter of k. Like a cell, a counter once
// made stays in a through resets (zeroed), so that a shard's resolved label sets may hold
// it (shard.children); a zero counter is as if absent.
func (a *agg) counter(k combo) *int64 {
	n := a.combos[k]
	if n == nil {
		if a.combos == nil {
			a.combos = make(map[combo]*int64)
		}
		n = new(int64)
		a.combos[k] = n
	}
	return n
}

func grow[T any](s []T, i int) []T {
	if i < len(s) {
		return s
	}
	n := max(2*len(s), i+1, 4)
	out := make([]T, n)
	copy(out, s)
	return out
}

func addAt(s *[]int64, id int32, n int64) {
	*s = grow(*s, int(id))
	(*s)[id] += n
}

func (a *agg) merge(o *agg) {
	if o.empty {
		return
	}
	a.empty = false
	a.total.merge(&o.total)
	for d := range o.dims {
		for id, c := range o.dims[d] {
			if c != nil {
				a.dim(d, int32(id)).merge(c)
			}
		}
	}
	for id, n := range o.errorsByType {
		if n != 0 {
			addAt(&a.errorsByType, int32(id), n)
		}
	}
	for id, n := range o.fallbackReasons {
		if n != 0 {
			addAt(&a.fallbackReasons, int32(id), n)
		}
	}
	for i, n := range o.cacheResults {
		a.cacheResults[i] += n
	}
	for k, n := range o.combos {
		if *n != 0 {
			*a.counter(k) += *n
		}
	}
}

// clone copies a; with totalOnly, only the total cell (enough for a series point).
func (a *agg) clone(totalOnly bool) *agg {
	c := newAgg()
	if totalOnly {
		c.empty = a.empty
		c.total.merge(&a.total)
		c.cacheResults = a.cacheResults
		c.errorsByType = append(c.errorsByType, a.errorsByType...) // the provider_auth alert reads them
		return c
	}
	c.merge(a)
	return c
}

// reset empties a, keeping slices, maps, cells, counters and sketches for reuse: a
// shard's slot rolls over every Resolution and the same label values come back.
func (a *agg) reset() {
	a.total.reset()
	for d := range a.dims {
		for _, c := range a.dims[d] {
			if c != nil {
				c.reset()
			}
		}
	}
	clear(a.errorsByType)
	clear(a.fallbackReasons)
	for _, n := range a.combos {
		*n = 0
	}
	a.cacheResults = [numCacheResults]int64{}
	a.empty = true
}
