package history

import (
	"cmp"
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/planwise/planwise/internal/ids"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/vector"
)

// Defaults of Options.
const (
	DefaultRetryWindow = 2 * time.Minute
	DefaultMaxLoad     = 100_000
	DefaultMaxPool     = 50_000
	// DefaultExampleFloor is the similarity below which a past request is not offered as
	// a few-shot example. Examples only guide the model (the validator still decides),
	// so the floor asks for relatedness, not for the same meaning.
	DefaultExampleFloor = 0.35
	// maxRecentPerKey bounds the requests remembered per API key for retry detection.
	maxRecentPerKey = 64
)

// DefaultLearnFrom are the plan sources whose plans join the success pool without
// feedback: the LLM's validated plans, plans people wrote and imported ones. Offline
// planners' plans join only after a positive rating.
var defaultLearnFrom = []string{"llm", "user", "import"}

// Options configure a History. The zero value works.
type Options struct {
	// RetryWindow is how far back a similar request by the same API key makes a record
	// a retry (default 2 minutes).
	RetryWindow time.Duration
	// RetryThreshold is the template similarity at or above which two requests are the
	// same request asked again (default: the cache's calibrated paraphrase threshold for
	// the embedder, cache.ThresholdFor).
	RetryThreshold float64
	// ExampleFloor is the similarity floor of few-shot examples (default
	// DefaultExampleFloor).
	ExampleFloor float64
	// LearnFrom lists the plan sources trusted without feedback (default llm, user,
	// import).
	LearnFrom []string
	// MaxLoad bounds the records New reads to rebuild the success pool (default 100,000,
	// newest first).
	MaxLoad int
	// MaxPool bounds the success pool, over all namespaces (default 50,000, about 80 MB
	// with the 256-d local embedder); the records that joined it first leave it first.
	// The store keeps every record: this bounds memory, not history.
	MaxPool int
	// Retention is how long the store keeps records; Prune deletes older ones (0: keep
	// every record).
	Retention time.Duration
	// Variants, when set, are the prompt variants experiments may use (the prompt
	// builder's Variants()).
	Variants []string
	// Experiments persists experiments; default: the Store when it implements
	// ExperimentStore, else memory only.
	Experiments ExperimentStore
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// History is the feature store's logic over a Store. See the package documentation.
type History struct {
	store Store
	exps  ExperimentStore
	emb   embed.Embedder
	opts  Options
	ex    *slot.Extractor
	learn map[string]bool

	// updMu serialises read-modify-write updates of stored records (RecordRun,
	// RecordFeedback).
	updMu sync.Mutex

	mu          sync.Mutex
	pools       map[string]*pool   // by namespace key
	inPool      map[string]poolAt  // record id -> where it is pooled
	recent      map[string]*askLog // API key -> recent requests
	experiments map[string]*Experiment
	// tallies are the automatic promotion's counts (experiment id -> variant) when
	// the store keeps none (tallyStore nil): the records of running experiments, counted
	// as they are recorded and again from the store at start-up and after a prune.
	tallies    tallyBook
	tallyStore TallyStore
	seq        uint64
	// unreadable is what New left out of the records it loaded (an error wrapping
	// ErrUnreadable), nil when it read them all.
	unreadable error
	order      *list.List // of pool record ids, in the order they joined
}

type poolAt struct {
	ns   string
	seq  uint64
	elem *list.Element // in History.order
}

// pool is one namespace's successful records.
type pool struct {
	index   vector.Index
	entries map[uint64]*entry
}

// entry is a pooled record: what few-shot selection and the history planner need.
type entry struct {
	id       string
	request  string
	template string
	tools    []string
	plan     *plan.Plan
}

type ask struct {
	at       time.Time
	template string
	vec      []float32
	// self is dot(vec, vec) once selfKnown: a key asking the same request again shares
	// its earlier ask's vector (History.prepare), and retry detection compared that
	// vector with itself, a 512-dimension dot product, on every repeated cache hit.
	self      float32
	selfKnown bool
}

// askLog is an API key's recent asks, oldest first: buf[first:]. Asks leave from the
// front and join at the back of one buffer, moved back to its start when it is full
// rather than copied into a new one (a 64-ask window slid along a slice reallocated it
// every 64 asks, about 130 bytes of garbage a request).
type askLog struct {
	buf   []ask
	first int
}

func (l *askLog) live() []ask { return l.buf[l.first:] }

// drop removes the n oldest asks.
func (l *askLog) drop(n int) {
	clear(l.buf[l.first : l.first+n]) // their vectors are not kept alive
	l.first += n
}

// push adds a as the newest ask, keeping at most maxRecentPerKey.
func (l *askLog) push(a ask) {
	if len(l.buf) == cap(l.buf) && l.first > 0 && cap(l.buf) >= 2*maxRecentPerKey {
		n := copy(l.buf, l.buf[l.first:])
		clear(l.buf[n:])
		l.buf, l.first = l.buf[:n], 0
	}
	l.buf = append(l.buf, a)
	if n := len(l.buf) - l.first; n > maxRecentPerKey {
		l.drop(n - maxRecentPerKey)
	}
}

// New returns a History over store, embedding request templates with emb, and rebuilds
// the success pool from the newest Options.MaxLoad records (re-embedding those whose
// embedder changed).
func New(ctx context.Context, store Store, emb embed.Embedder, opts Options) (*History, error) {
	if store == nil {
		return nil, errors.New("history: nil store")
	}
	if emb == nil {
		return nil, errors.New("history: nil embedder")
	}
	if opts.RetryWindow <= 0 {
		opts.RetryWindow = DefaultRetryWindow
	}
	if opts.RetryThreshold <= 0 {
		opts.RetryThreshold = cache.ThresholdFor(emb.Name())
	}
	if opts.ExampleFloor <= 0 {
		opts.ExampleFloor = DefaultExampleFloor
	}
	if opts.LearnFrom == nil {
		opts.LearnFrom = defaultLearnFrom
	}
	if opts.MaxLoad <= 0 {
		opts.MaxLoad = DefaultMaxLoad
	}
	if opts.MaxPool <= 0 {
		opts.MaxPool = DefaultMaxPool
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &History{
		store: store, emb: emb, opts: opts,
		ex:          slot.NewExtractor(slot.Options{Now: opts.Now}),
		learn:       map[string]bool{},
		pools:       map[string]*pool{},
		inPool:      map[string]poolAt{},
		order:       list.New(),
		recent:      map[string]*askLog{},
		experiments: map[string]*Experiment{},
	}
	for _, s := range opts.LearnFrom {
		h.learn[s] = true
	}
	h.exps = opts.Experiments
	if h.exps == nil {
		if es, ok := store.(ExperimentStore); ok {
			h.exps = es
		}
	}
	// The counts are the records' (TallyStore): only the store that holds them keeps them.
	if ts, ok := store.(TallyStore); ok {
		h.tallyStore = ts
	}
	if err := h.load(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *History) load(ctx context.Context) error {
	rs, err := h.store.Records(ctx, Query{Limit: h.opts.MaxLoad})
	if errors.Is(err, ErrUnreadable) { // learn from the rest; Unreadable says what was left
		h.unreadable, err = err, nil
	}
	if err != nil {
		return fmt.Errorf("history: load records: %w", err)
	}
	// The newest MaxPool records that teach, added oldest first so that the pool's
	// eviction order is their age.
	var teach, stale []*Record
	for _, r := range rs {
		if len(teach) == h.opts.MaxPool {
			break
		}
		if !h.teaches(r) {
			continue
		}
		teach = append(teach, r)
		if r.Embedder != h.emb.Name() || len(r.Embedding) != h.emb.Dim() {
			stale = append(stale, r)
		}
	}
	slices.Reverse(teach)
	const batch = 256
	for i := 0; i < len(stale); i += batch {
		part := stale[i:min(i+batch, len(stale))]
		texts := make([]string, len(part))
		for j, r := range part {
			if r.Template == "" {
				r.Slots = h.ex.Extract(r.Request)
				r.Template = slot.Template(r.Request, r.Slots)
			}
			texts[j] = r.Template
		}
		vs, err := h.emb.Embed(ctx, texts)
		if err != nil {
			return fmt.Errorf("history: re-embed %d records: %w", len(part), err)
		}
		for j, r := range part {
			r.Embedding, r.Embedder = vs[j], h.emb.Name()
			if err := h.store.PutRecord(ctx, r); err != nil {
				return fmt.Errorf("history: update record %s: %w", r.ID, err)
			}
		}
	}
	for _, r := range teach {
		h.addToPool(r)
	}
	if h.exps != nil {
		es, err := h.exps.Experiments(ctx)
		if err != nil {
			return fmt.Errorf("history: load experiments: %w", err)
		}
		for _, e := range es {
			h.experiments[e.ID] = e
		}
		bad, err := h.recount(ctx)
		if err != nil {
			return err
		}
		h.unreadable = cmp.Or(h.unreadable, bad)
	}
	return nil
}

// recount counts the stored records of the running experiments again, the way they
// were counted as they arrived (Tally.Add), when the store keeps no counts (a
// TallyStore keeps them itself): at start-up, and after a prune deleted records. bad
// wraps ErrUnreadable when it left out records it could not read.
func (h *History) recount(ctx context.Context) (bad, err error) {
	if h.tallyStore != nil {
		return nil, nil
	}
	h.mu.Lock()
	var running []string
	for id, e := range h.experiments {
		if e.Status == StatusRunning {
			running = append(running, id)
		}
	}
	h.mu.Unlock()
	books := tallyBook{}
	for _, id := range running {
		rs, err := h.store.Records(ctx, Query{Experiment: id})
		if errors.Is(err, ErrUnreadable) {
			bad, err = cmp.Or(bad, err), nil
		}
		if err != nil {
			return nil, fmt.Errorf("history: load records of experiment %s: %w", id, err)
		}
		for _, r := range rs {
			books.count(r, 1)
		}
	}
	h.mu.Lock()
	h.tallies = books
	h.mu.Unlock()
	return bad, nil
}

// Unreadable returns nil when New read every stored record it loaded, else an error
// wrapping ErrUnreadable that says how many it left out and why: the History works
// without them, and the caller should say so (serve logs it).
func (h *History) Unreadable() error { return h.unreadable }

// Embedder returns the embedder of the History.
func (h *History) Embedder() embed.Embedder { return h.emb }

// teaches reports whether r belongs in the success pool.
func (h *History) teaches(r *Record) bool {
	if !r.Succeeded() || len(r.Plan.Steps) == 0 || r.ExecutionFailed() {
		return false
	}
	if r.Feedback != nil && *r.Feedback < 0 {
		return false
	}
	return h.learn[r.Source] || (r.Feedback != nil && *r.Feedback > 0)
}

func nsKey(tenant, registryVersion string) string { return tenant + "\x00" + registryVersion }

// addToPool indexes r (which must teach and have an embedding).
func (h *History) addToPool(r *Record) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.inPool[r.ID]; ok {
		return
	}
	key := nsKey(r.Tenant, r.RegistryVersion)
	p := h.pools[key]
	if p == nil {
		p = &pool{index: vector.NewAuto(h.emb.Dim(), vector.DefaultAutoThreshold), entries: map[uint64]*entry{}}
		h.pools[key] = p
	}
	h.seq++
	p.entries[h.seq] = &entry{id: r.ID, request: r.Request, template: r.Template, tools: r.Tools(),
		plan: r.Plan.Clone()}
	p.index.Add(h.seq, r.Embedding)
	h.inPool[r.ID] = poolAt{ns: key, seq: h.seq, elem: h.order.PushBack(r.ID)}
	// Past MaxPool, the record that joined first leaves first.
	for len(h.inPool) > h.opts.MaxPool {
		h.removeLocked(h.order.Front().Value.(string))
	}
}

func (h *History) removeFromPool(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(id)
}

func (h *History) removeLocked(id string) {
	at, ok := h.inPool[id]
	if !ok {
		return
	}
	delete(h.inPool, id)
	h.order.Remove(at.elem)
	if p := h.pools[at.ns]; p != nil {
		p.index.Remove(at.seq)
		delete(p.entries, at.seq)
	}
}

// PoolSize returns the number of successful records in a namespace's pool.
func (h *History) PoolSize(tenant, registryVersion string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if p := h.pools[nsKey(tenant, registryVersion)]; p != nil {
		return len(p.entries)
	}
	return 0
}

// analyse fills the template and slots of r when missing, and its embedding when
// missing and withVec.
func (h *History) analyse(ctx context.Context, r *Record, withVec bool) error {
	if r.Template == "" {
		r.Slots = h.ex.Extract(r.Request)
		r.Template = slot.Template(r.Request, r.Slots)
	}
	if withVec && (len(r.Embedding) == 0 || r.Embedder != h.emb.Name()) {
		v, err := embed.One(ctx, h.emb, r.Template)
		if err != nil {
			return fmt.Errorf("history: embed request: %w", err)
		}
		r.Embedding, r.Embedder = v, h.emb.Name()
	}
	return nil
}

// queryVector embeds a query the way records are embedded: the template of its slots as
// the History's extractor finds them, which knows no registry's enum values. That is the
// query's Plain analysis, whatever the clock (a template shows no value): when the
// query's own slots hold no enum value, the template and its embedding are the ones the
// cache computed, or will. A query with no analysis is extracted here, once.
func (h *History) queryVector(ctx context.Context, q query.Query) ([]float32, error) {
	_, tmpl, ok := q.Plain()
	if !ok {
		tmpl = q.Value(templateKey{h.ex}, func() any { return slot.Template(q.Text, h.ex.Extract(q.Text)) }).(string)
	}
	v, err := q.Embedding(ctx, h.emb, tmpl)
	if err != nil {
		return nil, fmt.Errorf("history: embed request: %w", err)
	}
	return v, nil
}

// FromQuery fills the slots, template and embedding of r, the record of q's request,
// from q's Plain analysis, the History's own (see queryVector; its values read against
// q's clock, the planner's), so that Record neither extracts nor embeds the request
// again. It leaves r as it is when q has no analysis or is another request's.
func (h *History) FromQuery(r *Record, q query.Query) {
	if r == nil || r.Request != q.Text || r.Template != "" {
		return
	}
	slots, tmpl, ok := q.Plain()
	if !ok {
		return
	}
	r.Slots, r.Template = slots, tmpl
	if v, ok := q.Embedded(h.emb.Name(), tmpl); ok && len(r.Embedding) == 0 {
		r.Embedding, r.Embedder = v, h.emb.Name()
	}
}

// templateKey keys a query's template by the History's extractor (query.Query.Value).
type templateKey struct{ ex *slot.Extractor }

// Record stores r (the caller must not modify it afterwards), computing its template,
// slots and embedding when missing and whether it is a retry, and adds it to the success
// pool when it teaches. r.Retry is set on return; when it is true the caller should
// count a retry (metrics.Recorder.RecordRetry).
func (h *History) Record(ctx context.Context, r *Record) error {
	if err := h.prepare(ctx, r); err != nil {
		return err
	}
	if err := h.store.PutRecord(ctx, r); err != nil {
		return fmt.Errorf("history: store record %s: %w", r.ID, err)
	}
	if h.teaches(r) {
		h.addToPool(r)
	}
	return h.observeExperiment(ctx, r)
}

// prepare checks r and fills its defaults, analysis and Retry.
func (h *History) prepare(ctx context.Context, r *Record) error {
	if r == nil {
		return errors.New("history: nil record")
	}
	if r.Request == "" {
		return errors.New("history: record without a request")
	}
	if r.Time.IsZero() {
		r.Time = h.opts.Now()
	}
	// A record's id is planwise's, never a client's X-Request-ID: the store keys and
	// replaces records by id, so an id a client chose would let one request overwrite
	// (and attach runs and feedback to) another's record, another tenant's included
	// (docs/decisions.md, "A history record's id is the server's").
	if r.ID == "" {
		r.ID = ids.New()
	}
	if r.RequestID == "" {
		r.RequestID = r.ID
	}
	if r.Source == "" {
		r.Source = "none"
	}
	// A cache hit repeats (or re-slots) a request the history already holds, and does
	// not teach: its embedding, three quarters of the bytes of a record, is not kept, and
	// is computed only when retry detection needs it. Were the hit rated good later,
	// update embeds it.
	keepVec := r.Source != "cache" || h.teaches(r)
	if !keepVec && r.APIKey != "" && len(r.Embedding) == 0 {
		// The same request asked again (a repeated cache hit): its vector, which only
		// retry detection needs, is the one embedded for the key's earlier ask.
		if err := h.analyse(ctx, r, false); err != nil {
			return err
		}
		if v := h.askedVec(r.APIKey, r.Template); v != nil {
			r.Embedding, r.Embedder = v, h.emb.Name()
		}
	}
	if err := h.analyse(ctx, r, keepVec || r.APIKey != ""); err != nil {
		return err
	}
	r.Retry = h.noteAsk(r.APIKey, r.Template, r.Time, r.Embedding)
	if !keepVec {
		r.Embedding, r.Embedder = nil, ""
	}
	return nil
}

// askedVec returns the vector of the API key's latest remembered ask of template, or nil.
func (h *History) askedVec(apiKey, template string) []float32 {
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.recent[apiKey]
	if l == nil {
		return nil
	}
	asks := l.live()
	for i := len(asks) - 1; i >= 0; i-- {
		if asks[i].template == template {
			return asks[i].vec
		}
	}
	return nil
}

// noteAsk remembers an API key's request and reports whether a similar one came within
// the retry window before it.
func (h *History) noteAsk(apiKey, template string, at time.Time, vec []float32) bool {
	if apiKey == "" {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.recent[apiKey]
	if l == nil {
		l = &askLog{}
		h.recent[apiKey] = l
	}
	// Drop what is out of the window (asks are in time order).
	asks := l.live()
	cut := 0
	for cut < len(asks) && at.Sub(asks[cut].at) > h.opts.RetryWindow {
		cut++
	}
	l.drop(cut)
	retry := false
	next := ask{at: at, template: template, vec: vec}
	for i := range l.live() {
		a := &l.live()[i]
		if a.at.After(at) {
			continue
		}
		var sim float32
		if sameVector(a.vec, vec) {
			// The same vector: its dot product with itself, computed once for it (the
			// same products summed in the same order, so the same float32).
			if !a.selfKnown {
				a.self, a.selfKnown = dot(vec, vec), true
			}
			sim = a.self
			next.self, next.selfKnown = sim, true
		} else {
			sim = dot(a.vec, vec)
		}
		if sim >= float32(h.opts.RetryThreshold) {
			retry = true
			break
		}
	}
	l.push(next)
	if len(h.recent) > 4*maxRecentPerKey*64 {
		for k, kl := range h.recent {
			if as := kl.live(); len(as) == 0 || at.Sub(as[len(as)-1].at) > h.opts.RetryWindow {
				delete(h.recent, k)
			}
		}
	}
	return retry
}

// sameVector reports whether a and b are one vector (the same elements in memory).
func sameVector(a, b []float32) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

func dot(a, b []float32) float32 {
	if len(a) != len(b) {
		return 0
	}
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// RecordRun attaches a run's outcome to the record with the given id (Record.ID, the
// plan response's history_id; not a client's request id). A failed (or partial) run
// takes the record out of the success pool. The error wraps ErrNotFound when there is
// no such record.
func (h *History) RecordRun(ctx context.Context, id string, res *execute.Result) error {
	if res == nil {
		return errors.New("history: nil run result")
	}
	ex := &Execution{RunID: res.ID, Status: res.Status, DurationMS: res.DurationMS}
	for _, s := range res.Steps {
		ex.Steps = append(ex.Steps, StepOutcome{ID: s.ID, Tool: s.Tool, Status: s.Status, Error: s.Error})
	}
	return h.update(ctx, id, func(r *Record) error { r.Execution = ex; return nil })
}

// RecordFeedback attaches a rating (-1 bad, 0 neutral, 1 good) to the record with the
// given id (Record.ID). A bad rating takes the record out of the success pool; a good
// one lets an offline planner's plan in.
func (h *History) RecordFeedback(ctx context.Context, id string, rating int) error {
	if rating < -1 || rating > 1 {
		return fmt.Errorf("%w: rating %d; use -1 (bad), 0 (neutral) or 1 (good)", execute.ErrInvalidFeedback, rating)
	}
	return h.update(ctx, id, func(r *Record) error { r.Feedback = &rating; return nil })
}

func (h *History) update(ctx context.Context, id string, f func(*Record) error) error {
	h.updMu.Lock()
	defer h.updMu.Unlock()
	r, err := h.store.GetRecord(ctx, id)
	if err != nil {
		return fmt.Errorf("history: record %s: %w", id, err)
	}
	if err := f(r); err != nil {
		return err
	}
	if err := h.store.PutRecord(ctx, r); err != nil {
		return fmt.Errorf("history: store record %s: %w", id, err)
	}
	if h.teaches(r) {
		if len(r.Embedding) == 0 || r.Embedder != h.emb.Name() {
			if err := h.analyse(ctx, r, true); err != nil {
				return err
			}
		}
		h.addToPool(r)
	} else {
		h.removeFromPool(r.ID)
	}
	return nil
}

// Prune deletes the records older than Options.Retention from the store, when it is a
// Pruner and a retention is set, and returns how many it deleted. Run it periodically
// (planwise serve does, hourly): a service records every request it answers.
func (h *History) Prune(ctx context.Context) (int, error) {
	pr, ok := h.store.(Pruner)
	if !ok || h.opts.Retention <= 0 {
		return 0, nil
	}
	n, err := pr.DeleteRecordsBefore(ctx, h.opts.Now().Add(-h.opts.Retention))
	if err != nil {
		return n, fmt.Errorf("history: prune records older than %s: %w", h.opts.Retention, err)
	}
	// Records deleted are counted no more (a TallyStore uncounts them as it deletes).
	if n > 0 {
		if _, err := h.recount(ctx); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Get returns the record with the given id (Record.ID).
func (h *History) Get(ctx context.Context, id string) (*Record, error) {
	r, err := h.store.GetRecord(ctx, id)
	return withErrorCode(r), err
}

// Recent returns records matching q, newest first. A record's ErrorType is an error
// code, also for a record written when it held a CamelCase error type (ErrorCode).
func (h *History) Recent(ctx context.Context, q Query) ([]*Record, error) {
	rs, err := h.store.Records(ctx, q)
	for i, r := range rs {
		rs[i] = withErrorCode(r)
	}
	return rs, err
}

// match is a pooled record and its similarity with a query.
type match struct {
	e   *entry
	sim float64
}

// search returns up to k pooled records of a namespace by similarity with v, best first.
func (h *History) search(tenant, registryVersion string, v []float32, k int) []match {
	h.mu.Lock()
	p := h.pools[nsKey(tenant, registryVersion)]
	h.mu.Unlock()
	if p == nil {
		return nil
	}
	hits := p.index.Search(v, k)
	out := make([]match, 0, len(hits))
	h.mu.Lock()
	for _, hit := range hits {
		if e := p.entries[hit.ID]; e != nil {
			out = append(out, match{e: e, sim: float64(hit.Score)})
		}
	}
	h.mu.Unlock()
	return out
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func containsString(xs []string, x string) bool { return slices.Contains(xs, x) }
