package metrics

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Recorder aggregates planner events. It is safe for concurrent use; make one per process
// with NewRecorder and share it.
type Recorder struct {
	opts   Options
	res    int64 // Resolution in nanoseconds
	labels [numDims]*labelSet
	errs   *labelSet // error types
	rsns   *labelSet // fallback reasons
	prov   *labelSet // gen_ai provider names

	shards []shard

	// extra are other packages' collectors exposed with the Recorder's (Register).
	extraMu sync.Mutex
	extra   []prometheus.Collector

	// ring holds flushed slots and the lifetime aggregate. Lock order: shard, then ring.
	ring struct {
		mu       sync.Mutex
		slots    []ringSlot
		lifetime *agg
	}

	genAI    genAIMetrics
	breakers breakerStats
	alerts   alertsRef
	started  time.Time
}

type ringSlot struct {
	slot int64
	agg  *agg
}

// shard is one lock stripe: the events of its current slot, and the cost of its current
// day for the budget alerts. Padded so that neighbouring shards do not share a cache line.
type shard struct {
	mu      sync.Mutex
	slot    int64
	cur     *agg
	day     int64
	dayCost float64
	keyCost []float64             // by API key id
	kids    map[labelKey]children // the label sets seen, resolved in cur (children)
	_       [64]byte
}

// NewRecorder returns a Recorder with opts' defaults filled in.
func NewRecorder(opts Options) *Recorder {
	opts = opts.withDefaults()
	r := &Recorder{opts: opts, res: int64(opts.Resolution)}
	for d := range r.labels {
		r.labels[d] = newLabelSet(opts.MaxLabelValues)
	}
	r.errs = newLabelSet(opts.MaxLabelValues)
	r.rsns = newLabelSet(opts.MaxLabelValues)
	r.prov = newLabelSet(opts.MaxLabelValues)
	n := 4 * runtime.GOMAXPROCS(0)
	r.shards = make([]shard, n)
	for i := range r.shards {
		r.shards[i].cur = newAgg()
		r.shards[i].slot = math.MinInt64
	}
	nslots := int((opts.Retention + opts.Resolution - 1) / opts.Resolution)
	r.ring.slots = make([]ringSlot, nslots+1) // +1: the current slot is partial
	for i := range r.ring.slots {
		r.ring.slots[i].slot = math.MinInt64
	}
	r.ring.lifetime = newAgg()
	r.genAI = newGenAIMetrics()
	r.started = opts.Now()
	return r
}

// Options returns the Recorder's options with defaults filled in.
func (r *Recorder) Options() Options { return r.opts }

func (r *Recorder) slotOf(t time.Time) int64 {
	ns := t.UnixNano()
	s := ns / r.res
	if ns < 0 && ns%r.res != 0 {
		s--
	}
	return s
}

func dayOf(t time.Time) int64 { return t.UTC().Unix() / 86400 }

// lockShard locks a shard chosen at random, preferring one that is free, and returns it.
func (r *Recorder) lockShard() *shard {
	n := uint32(len(r.shards))
	i := rand.Uint32N(n)
	for range 2 {
		for j := uint32(0); j < n; j++ {
			s := &r.shards[(i+j)%n]
			if s.mu.TryLock() {
				return s
			}
		}
	}
	s := &r.shards[i]
	s.mu.Lock()
	return s
}

// acquire returns the aggregate that takes events of slot, locked: the current slot of a
// shard, or, for a slot the shard has already left (a late event), a fresh aggregate
// merged into the ring by release under the ring lock. Every acquire needs its release.
func (r *Recorder) acquire(slot int64) (*shard, *agg) {
	s := r.lockShard()
	if slot != s.slot {
		if slot < s.slot {
			s.mu.Unlock()
			r.ring.mu.Lock()
			return nil, newAgg()
		}
		if !s.cur.empty {
			r.ring.mu.Lock()
			r.mergeLocked(s.slot, s.cur)
			r.ring.mu.Unlock()
			s.cur.reset()
		}
		s.slot = slot
	}
	return s, s.cur
}

func (r *Recorder) release(s *shard, a *agg, slot int64) {
	a.empty = false
	if s == nil {
		r.mergeLocked(slot, a)
		r.ring.mu.Unlock()
		return
	}
	s.mu.Unlock()
}

// mergeLocked adds a, the events of slot, to the ring and the lifetime. r.ring.mu is held.
func (r *Recorder) mergeLocked(slot int64, a *agg) {
	r.ring.lifetime.merge(a)
	rs := &r.ring.slots[int(((slot%int64(len(r.ring.slots)))+int64(len(r.ring.slots)))%int64(len(r.ring.slots)))]
	switch {
	case rs.slot == slot:
	case rs.slot < slot:
		if rs.agg == nil {
			rs.agg = newAgg()
		} else {
			rs.agg.reset()
		}
		rs.slot = slot
	default:
		return // older than the retention: lifetime only
	}
	rs.agg.merge(a)
}

// Record records one planning request.
func (r *Recorder) Record(e Event) {
	// A timestamp from the future (a skewed clock) is taken as now: left as is, it would
	// move a shard's slot ahead and send every later event on that shard down the slow
	// late-event path.
	t := r.opts.Now()
	if !e.Time.IsZero() && e.Time.Before(t) {
		t = e.Time
	}
	latMs := float64(e.Latency) / 1e6
	if latMs < 0 {
		latMs = 0
	}
	nerr := int64(len(e.Errors))
	if nerr == 0 && e.ErrorType != "" {
		nerr = 1
	}
	d := newDelta(&e, nerr, latMs)
	var reason int32
	if e.Fallback {
		reason = r.rsns.id(e.FallbackReason)
	}
	slot := r.slotOf(t)
	s, a := r.acquire(slot)
	var ch children
	if s != nil {
		ch = s.children(r, &e)
	} else {
		ch = r.resolve(a, &e) // a late event's fresh aggregate
	}
	a.total.add(&d)
	for _, c := range ch.cells {
		c.add(&d)
	}
	if len(e.Errors) > 0 {
		for _, et := range e.Errors {
			addAt(&a.errorsByType, r.errs.id(et), 1)
		}
	} else if e.ErrorType != "" {
		addAt(&a.errorsByType, r.errs.id(e.ErrorType), 1)
	}
	if e.Fallback {
		addAt(&a.fallbackReasons, reason, 1)
	}
	a.cacheResults[cacheIndex(e.CacheResult)]++
	*ch.requests++
	if s != nil && e.CostUSD != 0 {
		s.addDayCost(dayOf(t), ch.ids[dimAPIKey], e.CostUSD)
	}
	r.release(s, a, slot)
}

// labelKey is an event's label values, the key of a shard's resolved label sets.
type labelKey struct{ source, model, tier, variant, apiKey, tenant string }

// children are what an event's label values resolve to in an aggregate: each label's id,
// the cell of each label value, and the planwise_requests_total counter of its source,
// tier and model.
type children struct {
	ids      [numDims]int32
	cells    [numDims]*cell
	requests *int64
}

// maxShardLabelSets bounds a shard's resolved label sets (shard.kids); a shard that holds
// as many starts again from none.
const maxShardLabelSets = 256

// resolve finds e's label ids (hashing each value) and their cells and counter in a.
func (r *Recorder) resolve(a *agg, e *Event) children {
	var ch children
	ch.ids[dimSource] = r.labels[dimSource].id(e.Source)
	ch.ids[dimModel] = r.labels[dimModel].id(e.Model)
	ch.ids[dimTier] = r.labels[dimTier].id(e.Tier)
	ch.ids[dimVariant] = r.labels[dimVariant].id(e.Variant)
	ch.ids[dimAPIKey] = r.labels[dimAPIKey].id(e.APIKey)
	ch.ids[dimTenant] = r.labels[dimTenant].id(e.Tenant)
	for d, id := range ch.ids {
		ch.cells[d] = a.dim(d, id)
	}
	ch.requests = a.counter(combo{ch.ids[dimSource], ch.ids[dimTier], ch.ids[dimModel]})
	return ch
}

// children returns e's children in the shard's current aggregate, resolved once per
// distinct label set: a request's six label values were six lookups in the label sets,
// six in the aggregate's cells and one in its counters, about 40% of Record's
// instructions (BENCHMARKS.md, issue 13). The shard's aggregate is never replaced, only
// reset, and a reset keeps its cells and counters, so what was resolved stays valid. A
// label set with a value past Options.MaxLabelValues (counted as "other") is not kept:
// there is no bound on how many such values arrive. s is locked; a label set's lock,
// taken for a value seen the first time, is taken under it and takes no other.
func (s *shard) children(r *Recorder, e *Event) children {
	k := labelKey{e.Source, e.Model, e.Tier, e.Variant, e.APIKey, e.Tenant}
	if ch, ok := s.kids[k]; ok {
		return ch
	}
	ch := r.resolve(s.cur, e)
	for _, id := range ch.ids {
		if id == idOther {
			return ch
		}
	}
	// The key holds the label sets' own copies of the values, not the caller's strings.
	for d, p := range [numDims]*string{&k.source, &k.model, &k.tier, &k.variant, &k.apiKey, &k.tenant} {
		if ch.ids[d] != idNone {
			*p = r.labels[d].name(ch.ids[d])
		}
	}
	switch {
	case s.kids == nil:
		s.kids = make(map[labelKey]children)
	case len(s.kids) >= maxShardLabelSets:
		clear(s.kids)
	}
	s.kids[k] = ch
	return ch
}

func (s *shard) addDayCost(day int64, key int32, usd float64) {
	if day < s.day {
		return // a previous day's late event: that budget day is over
	}
	if day > s.day {
		s.day = day
		s.dayCost = 0
		clear(s.keyCost)
	}
	s.dayCost += usd
	s.keyCost = grow(s.keyCost, int(key))
	s.keyCost[key] += usd
}

// RecordExecution records the outcome of executing a plan.
func (r *Recorder) RecordExecution(tenant string, succeeded bool) {
	k := r.labels[dimTenant].id(tenant)
	slot := r.slotOf(r.opts.Now())
	s, a := r.acquire(slot)
	for _, c := range [2]*cell{&a.total, a.dim(dimTenant, k)} {
		c.executions++
		if succeeded {
			c.executionsOK++
		}
	}
	r.release(s, a, slot)
}

// RecordFeedback records a user's verdict on a plan.
func (r *Recorder) RecordFeedback(tenant, apiKey string, positive bool) {
	kt := r.labels[dimTenant].id(tenant)
	kk := r.labels[dimAPIKey].id(apiKey)
	slot := r.slotOf(r.opts.Now())
	s, a := r.acquire(slot)
	for _, c := range [3]*cell{&a.total, a.dim(dimTenant, kt), a.dim(dimAPIKey, kk)} {
		c.feedback++
		if positive {
			c.feedbackPositive++
		}
	}
	r.release(s, a, slot)
}

// RecordRetry records a user re-asking (the same caller sending a similar request again
// within a short time), a sign that the previous plan did not satisfy.
func (r *Recorder) RecordRetry(apiKey string) {
	kk := r.labels[dimAPIKey].id(apiKey)
	slot := r.slotOf(r.opts.Now())
	s, a := r.acquire(slot)
	a.total.userRetries++
	a.dim(dimAPIKey, kk).userRetries++
	r.release(s, a, slot)
}

// RecordHistoryDropped records one history write (a request's record, a run's outcome,
// feedback) dropped because the history queue was full (history.Queue.OnDropped): lost
// learning data, counted in planwise_history_records_dropped_total, the service-wide
// summary and the history_dropped alert. It is cheap and safe to call from the request
// path.
func (r *Recorder) RecordHistoryDropped() {
	slot := r.slotOf(r.opts.Now())
	s, a := r.acquire(slot)
	a.total.historyDropped++
	r.release(s, a, slot)
}

// RecordLLMCall records one provider attempt (chat completion) for the GenAI metrics.
// errType is "" on success, else the llm error type.
func (r *Recorder) RecordLLMCall(model, provider string, d time.Duration, u Usage, errType string) {
	m := r.labels[dimModel].name(r.labels[dimModel].id(model))
	p := r.prov.name(r.prov.id(provider))
	et := ""
	if errType != "" {
		et = r.errs.name(r.errs.id(errType))
	}
	r.genAI.observe(opChat, m, p, d, u, et)
}

// RecordEmbedding records one embeddings call for the GenAI metrics.
func (r *Recorder) RecordEmbedding(model string, d time.Duration, tokens int) {
	m := r.labels[dimModel].name(r.labels[dimModel].id(model))
	p := r.prov.name(r.prov.id(r.opts.EmbeddingProvider))
	r.genAI.observe(opEmbeddings, m, p, d, Usage{InputTokens: tokens}, "")
}

// DayCost returns the cost recorded so far on now's UTC day, in total and per API key.
func (r *Recorder) DayCost(now time.Time) (total float64, byKey map[string]float64) {
	day := dayOf(now)
	byKey = make(map[string]float64)
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		if s.day == day {
			total += s.dayCost
			for id, v := range s.keyCost {
				if v != 0 {
					byKey[r.labels[dimAPIKey].name(int32(id))] += v
				}
			}
		}
		s.mu.Unlock()
	}
	return total, byKey
}

// snapshot is a consistent copy of the recorded state for [lo, hi] slots.
type snapshot struct {
	lifetime *agg           // when asked for
	slots    map[int64]*agg // slot -> events in it (clones)
}

// snapshot copies the lifetime (when lifetime) and the slots in [lo, hi]; with totalOnly,
// slot copies hold only their total cell. All shards are locked while their current slots
// are copied and until the ring is locked, so no event is counted twice or missed.
func (r *Recorder) snapshot(lo, hi int64, lifetime, totalOnly bool) snapshot {
	type pending struct {
		slot int64
		agg  *agg
	}
	var curs []pending
	for i := range r.shards {
		r.shards[i].mu.Lock()
	}
	for i := range r.shards {
		s := &r.shards[i]
		if s.cur.empty {
			continue
		}
		inRange := s.slot >= lo && s.slot <= hi
		if !lifetime && !inRange {
			continue
		}
		curs = append(curs, pending{s.slot, s.cur.clone(false)})
	}
	r.ring.mu.Lock()
	for i := range r.shards {
		r.shards[i].mu.Unlock()
	}
	snap := snapshot{slots: make(map[int64]*agg)}
	if lifetime {
		snap.lifetime = r.ring.lifetime.clone(false)
	}
	for i := range r.ring.slots {
		rs := &r.ring.slots[i]
		if rs.agg != nil && rs.slot >= lo && rs.slot <= hi && !rs.agg.empty {
			snap.slots[rs.slot] = rs.agg.clone(totalOnly)
		}
	}
	r.ring.mu.Unlock()
	for _, p := range curs {
		if lifetime {
			snap.lifetime.merge(p.agg)
		}
		if p.slot >= lo && p.slot <= hi {
			if a := snap.slots[p.slot]; a != nil {
				a.merge(p.agg)
			} else if totalOnly {
				snap.slots[p.slot] = p.agg.clone(true)
			} else {
				snap.slots[p.slot] = p.agg
			}
		}
	}
	return snap
}

// windowSlots returns the slot range of a window ending at now: the last ceil(w/res)
// slots, the current one included, clamped to the retention.
func (r *Recorder) windowSlots(now time.Time, w time.Duration) (lo, hi int64) {
	if w > r.opts.Retention {
		w = r.opts.Retention
	}
	n := (int64(w) + r.res - 1) / r.res
	if n < 1 {
		n = 1
	}
	hi = r.slotOf(now)
	return hi - n + 1, hi
}

// window merges the totals of the window ending at now (no breakdowns).
func (r *Recorder) window(now time.Time, w time.Duration) *agg {
	lo, hi := r.windowSlots(now, w)
	snap := r.snapshot(lo, hi, false, true)
	a := newAgg()
	for _, s := range snap.slots {
		a.merge(s)
	}
	return a
}

// Collector returns the Prometheus collector of everything the Recorder knows.
func (r *Recorder) Collector() prometheus.Collector { return (*collector)(r) }
