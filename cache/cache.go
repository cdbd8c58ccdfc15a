package cache

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/internal/jsonenc"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/reuse"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
	"github.com/planwise/planwise/vector"
)

// Namespace partitions the cache: an entry is only ever served within its namespace.
type Namespace struct {
	// Registry is the tool registry version (tool.Registry.Version). Empty means "the
	// version of the registry passed to Lookup or Store".
	Registry string
	// Prompt is the prompt (template and few-shot) version.
	Prompt string
	// Tier is the model tier that produced the plans.
	Tier string
	// Tenant isolates customers from each other.
	Tenant string
}

// key is the namespace as one string, for entry ids (EntryID). The cache's map of
// namespaces is keyed by the Namespace itself: a key made on every lookup was an
// allocation of every cache hit.
func (n Namespace) key() string {
	return n.Registry + "\x00" + n.Prompt + "\x00" + n.Tier + "\x00" + n.Tenant
}

// Reason says why a lookup hit or missed. The values are stable metric label values.
type Reason string

// Lookup reasons.
const (
	HitExact           Reason = "exact"
	HitSemantic        Reason = "semantic"
	MissNoCandidate    Reason = "miss_no_candidate"
	MissBelowThreshold Reason = "miss_below_threshold"
	// The guards, re-binding and validation of the reuse kernel (package reuse).
	MissGuardNegation = Reason(reuse.Negation)
	MissGuardSlots    = Reason(reuse.Slots)
	MissGuardRoles    = Reason(reuse.Roles)
	MissGuardArgs     = Reason(reuse.Args)
	MissGuardWords    = Reason(reuse.Words)
	// MissGuardCues: the requests differ in a word the registry uses to tell tools apart
	// (slot.Cues), in a slot value or elsewhere: "voice call" vs "video call", "a room
	// at the Paradise Hotel" vs "a room at the Hilton".
	MissGuardCues = Reason(reuse.Cues)
	MissRebind    = Reason(reuse.Rebind)
	MissInvalid   = Reason(reuse.Invalid)
	// MissAmbiguous: another candidate almost as similar would serve a different plan.
	MissAmbiguous Reason = "miss_ambiguous"
)

// Reasons lists every Reason, for metrics that pre-declare their label values.
var Reasons = []Reason{HitExact, HitSemantic, MissNoCandidate, MissBelowThreshold, MissGuardNegation,
	MissGuardSlots, MissGuardRoles, MissGuardArgs, MissGuardWords, MissGuardCues, MissRebind, MissInvalid, MissAmbiguous}

// Hit is a plan served from the cache.
type Hit struct {
	// Plan is re-bound to the request's slots and passes plan.Validate (checked on the
	// hit, or, when the re-binding changed nothing, on the entry's plan). It is the
	// caller's to modify, except a hit of LookupVerbatim's: that plan is the entry's
	// own, shared with every other such hit and read concurrently, so it must not be
	// modified (Clone it first).
	Plan *plan.Plan
	// PlanJSON is Plan as encoding/json writes it, on a hit of LookupVerbatim's (made
	// once for the entry; read-only), else nil.
	PlanJSON []byte
	// Similarity is the cosine similarity of the templates (1 on the exact path).
	Similarity float64
	Exact      bool
	// Age is the time since the entry was stored.
	Age time.Duration
	// EntryID names the entry, for Evict on negative feedback.
	EntryID string
	// CachedRequest is the request the plan was made for: for the operator (replays,
	// evaluations), never for the caller, who may be another user than the one who asked
	// it.
	CachedRequest string
}

// The reasoning of a plan the cache serves. The plan's own reasoning is the model's
// words about the request it was made for, which it quotes ("the user asks to email
// bob@example.com the Q3 report..."), and re-binding does not rewrite it: served as it
// was, a hit showed its caller another caller's request. A hit's plan says where it came
// from instead, and its goal is the caller's own request (the model's goal restates the
// first request in its own words, and re-binding rewrites only the slots of it); the
// cache entry keeps the model's reasoning and goal.
const (
	// ReasoningExact is the reasoning of a plan served for the same request (as
	// normalised) it was made for.
	ReasoningExact = "Served from the plan cache: the plan made earlier for the same request."
	// ReasoningSemantic is the reasoning of a plan made for another request of the same
	// template, re-bound to this request's values.
	ReasoningSemantic = "Served from the plan cache: the plan made earlier for a request of the same template, re-bound to this request's values."
)

// LookupResult is the outcome of a lookup: a Hit, or nil and the reason for the miss.
type LookupResult struct {
	Hit    *Hit
	Reason Reason
	// BestSimilarity is the similarity of the best candidate examined (0 if none).
	BestSimilarity float64
}

// Config configures a Cache. The zero value is usable.
type Config struct {
	// Threshold is the minimum template similarity of a semantic hit. Zero takes the
	// calibrated value for the embedder (ThresholdFor).
	Threshold float64
	// TTL bounds an entry's age (default 7 days; negative disables expiry).
	TTL time.Duration
	// Capacity bounds the number of entries over all namespaces; the least recently used
	// are evicted (default 100,000).
	Capacity int
	// Candidates is how many nearest neighbours a lookup examines (default 4).
	Candidates int
	// Margin: when another candidate within Margin of the similarity of the one that
	// would serve would serve a different plan, the lookup is ambiguous and misses
	// (default 0.05; negative disables). Near-identical cached requests with different
	// plans are where a lexical match picks the wrong one.
	Margin float64
	// MaxWordEdits bounds, for a semantic hit, the content words (not function words,
	// not slots, crudely stemmed) that one request has and the other lacks. Zero takes
	// DefaultMaxWordEdits (off); negative disables the guard.
	MaxWordEdits int
	// IndexThreshold is the namespace size above which the index switches from exact to
	// approximate search (default vector.DefaultAutoThreshold).
	IndexThreshold int
	// Now is the clock (default time.Now); relative dates in requests resolve against it.
	Now func() time.Time
}

// Stats are counters since New.
type Stats struct {
	Entries    int
	Namespaces int
	Lookups    int64
	Hits       int64
	ByReason   map[Reason]int64
	Stored     int64
	// Evicted counts entries removed by capacity, TTL, feedback and invalidation.
	EvictedCapacity, EvictedTTL, EvictedFeedback, Invalidated int64
}

// ErrInvalidPlan is wrapped by Store when the plan does not pass plan.Validate.
var ErrInvalidPlan = errors.New("cache: only validated plans are stored")

// ErrRegistryMismatch is returned when a Namespace names a registry version other than
// that of the registry passed in.
var ErrRegistryMismatch = errors.New("cache: namespace registry version differs from the registry")

// Cache is the semantic plan cache. See the package documentation.
type Cache struct {
	cfg       Config
	threshold float64
	emb       embed.Embedder
	store     Store

	mu         sync.Mutex
	seq        uint64
	namespaces map[Namespace]*namespace
	byID       map[string]*entry
	lru        *list.List        // of *entry, most recent first
	vocabs     map[string]*vocab // by registry version
	stats      Stats
	touched    map[string]*entry
}

type namespace struct {
	ns    Namespace
	index *vector.Auto
	exact map[string]*entry // normalised request -> entry
	bySeq map[uint64]*entry
}

// entry is an Entry with its in-memory links. Fields other than LastUsed, Hits and elem
// are immutable after insertion; those three are guarded by Cache.mu.
type entry struct {
	Entry
	seq   uint64
	shape reuse.Shape
	elem  *list.Element
	// validated is set once the entry's plan passed plan.Validate in this process: at
	// Store, or on its first serve for an entry loaded from the store or another replica.
	validated atomic.Bool
	// timeless is set once the entry's slots are known to be those its request has at
	// any time (extracted here without reading the clock): the same text then re-binds
	// to the same plan, and an exact hit on it serves that plan without analysing the
	// request (see verbatim).
	timeless atomic.Bool
	// served is the plan a hit served verbatim gets: Plan with the entry's request for
	// its goal and ReasoningExact for its reasoning, sharing Plan's steps (read-only, as
	// Plan is).
	served *plan.Plan
	// planJSON is served as encoding/json writes it, made on the entry's first hit
	// served verbatim (the plan never changes: a new plan makes a new entry).
	planJSON atomic.Pointer[[]byte]
}

// servedPlan returns p as a hit for request serves it: a shallow copy whose goal is the
// request and whose reasoning is reasoning (ReasoningExact or ReasoningSemantic), not the
// model's words.
func servedPlan(p *plan.Plan, request, reasoning string) *plan.Plan {
	if p == nil {
		return nil
	}
	q := *p
	q.Goal, q.Reasoning = request, reasoning
	return &q
}

// encodedPlan returns the plan e serves verbatim as encoding/json writes it
// (jsonenc.Plan), nil for a plan jsonenc cannot write.
func (e *entry) encodedPlan() []byte {
	if b := e.planJSON.Load(); b != nil {
		return *b
	}
	b, err := jsonenc.Plan(nil, e.served)
	if err != nil {
		return nil
	}
	e.planJSON.Store(&b)
	return b
}

// New is NewContext with a background context.
func New(cfg Config, emb embed.Embedder, store Store) (*Cache, error) {
	return NewContext(context.Background(), cfg, emb, store)
}

// NewContext returns a cache that embeds templates with emb and persists entries in
// store (nil: an in-memory store). It loads every stored entry, re-embedding the
// templates of entries stored with another embedder and dropping expired ones; ctx
// bounds that loading.
func NewContext(ctx context.Context, cfg Config, emb embed.Embedder, store Store) (*Cache, error) {
	if emb == nil {
		return nil, errors.New("cache: an embedder is required")
	}
	if store == nil {
		store = NewMemoryStore()
	}
	if cfg.TTL == 0 {
		cfg.TTL = 7 * 24 * time.Hour
	}
	if cfg.Capacity <= 0 {
		cfg.Capacity = 100_000
	}
	if cfg.Candidates <= 0 {
		cfg.Candidates = 4
	}
	if cfg.Margin == 0 {
		cfg.Margin = 0.05
	}
	if cfg.MaxWordEdits == 0 {
		cfg.MaxWordEdits = DefaultMaxWordEdits
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Cache{
		cfg:        cfg,
		threshold:  cfg.Threshold,
		emb:        emb,
		store:      store,
		namespaces: map[Namespace]*namespace{},
		byID:       map[string]*entry{},
		lru:        list.New(),
		vocabs:     map[string]*vocab{},
		touched:    map[string]*entry{},
	}
	if c.threshold == 0 {
		c.threshold = ThresholdFor(emb.Name())
	}
	c.stats.ByReason = map[Reason]int64{}
	if err := c.load(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Threshold is the similarity threshold in use.
func (c *Cache) Threshold() float64 { return c.threshold }

func (c *Cache) load(ctx context.Context) error {
	es, err := c.store.LoadAll(ctx)
	if err != nil {
		return fmt.Errorf("cache: load entries: %w", err)
	}
	now := c.cfg.Now()
	var stale []string
	var reembed []int
	for i := range es {
		if c.expired(es[i].Created, now) || es[i].Plan == nil {
			stale = append(stale, es[i].ID)
			continue
		}
		if es[i].Embedder != c.emb.Name() || len(es[i].Vector) != c.emb.Dim() {
			reembed = append(reembed, i)
		}
	}
	for start := 0; start < len(reembed); start += 512 {
		batch := reembed[start:min(start+512, len(reembed))]
		texts := make([]string, len(batch))
		for j, i := range batch {
			texts[j] = es[i].Template
		}
		vs, err := c.emb.Embed(ctx, texts)
		if err != nil {
			return fmt.Errorf("cache: re-embed %d entries stored with another embedder: %w", len(reembed), err)
		}
		for j, i := range batch {
			es[i].Embedder, es[i].Vector = c.emb.Name(), vs[j]
			if err := c.store.Put(ctx, es[i]); err != nil {
				return fmt.Errorf("cache: re-embed: %w", err)
			}
		}
	}
	// Oldest use first, so that the LRU list ends most-recent-first.
	order := make([]int, 0, len(es))
	for i := range es {
		if !c.expired(es[i].Created, now) && es[i].Plan != nil {
			order = append(order, i)
		}
	}
	sortByLastUsed(es, order)
	c.mu.Lock()
	var victims []string
	for _, i := range order {
		victims = append(victims, c.insertLocked(es[i], false, false)...)
	}
	c.mu.Unlock()
	stale = append(stale, victims...)
	if len(stale) > 0 {
		if err := c.store.Delete(ctx, stale...); err != nil {
			return fmt.Errorf("cache: drop stale entries: %w", err)
		}
	}
	return nil
}

func sortByLastUsed(es []Entry, order []int) {
	slices.SortStableFunc(order, func(a, b int) int { return es[a].LastUsed.Compare(es[b].LastUsed) })
}

func (c *Cache) expired(created, now time.Time) bool {
	return c.cfg.TTL > 0 && now.Sub(created) > c.cfg.TTL
}

// EntryID is the id of the entry for a normalised request in a namespace; ns.Registry
// must be set (Lookup and Store fill an empty one from the registry they are given).
func EntryID(ns Namespace, request string) string {
	h := sha256.Sum256([]byte(ns.key() + "\x00" + reuse.Normalize(request)))
	return hex.EncodeToString(h[:16])
}

// vocab is what the cache derives from one registry version: the slot extractor (enum
// values differ between registries) and the registry's cue words.
type vocab struct {
	x    *slot.Extractor
	cues *slot.Cues
}

// vocab returns the vocab of a registry, built once per version.
func (c *Cache) vocab(reg *tool.Registry) *vocab {
	v := reg.Version()
	c.mu.Lock()
	vb, ok := c.vocabs[v]
	c.mu.Unlock()
	if ok {
		return vb
	}
	vb = &vocab{x: slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: c.cfg.Now}), cues: slot.CuesOf(reg)}
	c.mu.Lock()
	if old, ok := c.vocabs[v]; ok {
		vb = old
	} else {
		c.vocabs[v] = vb
	}
	c.mu.Unlock()
	return vb
}

func (c *Cache) resolveNS(ns Namespace, reg *tool.Registry) (Namespace, error) {
	if reg == nil {
		return ns, errors.New("cache: a tool registry is required")
	}
	switch ns.Registry {
	case "":
		ns.Registry = reg.Version()
	case reg.Version():
	default:
		return ns, fmt.Errorf("%w: %s vs %s", ErrRegistryMismatch, ns.Registry, reg.Version())
	}
	return ns, nil
}

// request is a request analysed for lookup or store, with the vocab of its registry.
type request struct {
	*reuse.Request
	vocab *vocab
}

// analyse returns q's analysis for reg: the query's own when it was analysed for reg
// (the planner's queries are, once per request, for every stage), else one made with
// the cache's extractor for reg.
func (c *Cache) analyse(q query.Query, reg *tool.Registry) *request {
	vb := c.vocab(reg)
	return &request{Request: reuse.For(q, reg, vb.x), vocab: vb}
}

// Lookup finds a plan for request in namespace ns: LookupQuery of query.New(request).
func (c *Cache) Lookup(ctx context.Context, ns Namespace, request string, reg *tool.Registry) (LookupResult, error) {
	return c.LookupQuery(ctx, ns, query.New(request), reg)
}

// LookupVerbatim is LookupQuery's first path alone: it serves q's text when it is an
// entry's own request, timeless and validated (the same result LookupQuery gives it),
// and reports false when the full lookup must decide. It needs no context: nothing is
// extracted, embedded or read from the store, so a caller can spare a request served
// this way the deadline its other paths run within. The hit's plan is the entry's own,
// not a copy: read-only (see Hit.Plan). Copying it was a tenth of the CPU of a hit
// served by planwise serve (BENCHMARKS.md, issue 13), and nothing the planner, the
// server, the runs or the history do with a served plan modifies it.
func (c *Cache) LookupVerbatim(ns Namespace, q query.Query, reg *tool.Registry) (LookupResult, bool) {
	ns, err := c.resolveNS(ns, reg)
	if err != nil {
		return LookupResult{}, false
	}
	res, e := c.verbatim(ns, q.Text, c.cfg.Now(), true)
	if e == nil {
		return LookupResult{}, false
	}
	q.Known(reg, e.Slots, e.Template)
	return res, true
}

// LookupQuery finds a plan for q's text in namespace ns (q's tenant is not read: ns says
// it), with q's analysis when q has one for reg (the planner's queries do; see
// query.Query). See the package documentation for the pipeline. A miss is a
// LookupResult with a nil Hit and no error.
func (c *Cache) LookupQuery(ctx context.Context, ns Namespace, q query.Query, reg *tool.Registry) (LookupResult, error) {
	ns, err := c.resolveNS(ns, reg)
	if err != nil {
		return LookupResult{}, err
	}
	now := c.cfg.Now()
	if res, e := c.verbatim(ns, q.Text, now, false); e != nil {
		q.Known(reg, e.Slots, e.Template)
		return res, nil
	}
	req := c.analyse(q, reg)

	c.mu.Lock()
	n := c.namespaces[ns]
	var exact *entry
	if n != nil {
		exact = n.exact[req.Normalized]
	}
	empty := n == nil || len(n.bySeq) == 0
	c.mu.Unlock()

	// miss is the reason reported if nothing serves: that of the exact entry, else
	// that of the best semantic candidate.
	var miss *LookupResult
	if exact != nil && !c.expired(exact.Created, now) {
		// Same text, but the slots may resolve differently now ("tomorrow"): re-bind and
		// re-validate; if that fails, other entries may still serve.
		res := c.serve(exact, req, reg, 1, true)
		if res.Hit != nil {
			return c.finish(res, exact, now), nil
		}
		res.BestSimilarity = 1
		miss = &res
	}
	if empty || (n.index.Len() == 1 && exact != nil) {
		if miss != nil {
			return c.finish(*miss, nil, now), nil
		}
		return c.finish(LookupResult{Reason: MissNoCandidate}, nil, now), nil
	}
	vec, err := q.Embedding(ctx, c.emb, req.Template)
	if err != nil {
		return LookupResult{}, fmt.Errorf("cache: embed request: %w", err)
	}
	hits := n.index.Search(vec, c.cfg.Candidates)
	c.mu.Lock()
	cands := make([]*entry, 0, len(hits))
	sims := make([]float64, 0, len(hits))
	for _, h := range hits {
		if e := n.bySeq[h.ID]; e != nil && e != exact && !c.expired(e.Created, now) {
			cands = append(cands, e)
			sims = append(sims, float64(h.Score))
		}
	}
	c.mu.Unlock()
	if len(cands) == 0 {
		if miss != nil {
			return c.finish(*miss, nil, now), nil
		}
		return c.finish(LookupResult{Reason: MissNoCandidate}, nil, now), nil
	}
	first := LookupResult{Reason: MissBelowThreshold, BestSimilarity: sims[0]}
	if miss != nil {
		first = *miss
	}
	for i, e := range cands {
		if sims[i] < c.threshold {
			break
		}
		res := c.serve(e, req, reg, sims[i], false)
		res.BestSimilarity = sims[0]
		if res.Hit != nil {
			if c.ambiguous(res.Hit.Plan, cands[i+1:], sims[i+1:], sims[i], req, reg) {
				return c.finish(LookupResult{Reason: MissAmbiguous, BestSimilarity: sims[0]}, nil, now), nil
			}
			return c.finish(res, e, now), nil
		}
		if i == 0 && miss == nil {
			first = res
		}
	}
	return c.finish(first, nil, now), nil
}

// verbatim serves the exact entry of namespace ns when its request is text itself and
// is timeless and validated: the same text then has the same slots as when the entry
// was analysed, so re-binding would give back its plan, which passed plan.Validate
// against the registry its namespace pins. Nothing is extracted or embedded. It returns
// the entry served, or nil when another path must decide. The hit's plan is e's own
// when shared is true (read-only), else a copy.
func (c *Cache) verbatim(ns Namespace, text string, now time.Time, shared bool) (LookupResult, *entry) {
	norm := reuse.Normalize(text)
	c.mu.Lock()
	var e *entry
	if n := c.namespaces[ns]; n != nil {
		e = n.exact[norm]
	}
	c.mu.Unlock()
	if e == nil || e.Request != text || !e.timeless.Load() || !e.validated.Load() || c.expired(e.Created, now) {
		return LookupResult{}, nil
	}
	hit := &Hit{Plan: e.served, Similarity: 1, Exact: true, EntryID: e.ID, CachedRequest: e.Request}
	if shared {
		hit.PlanJSON = e.encodedPlan()
	} else {
		hit.Plan = hit.Plan.Clone()
	}
	return c.finish(LookupResult{Reason: HitExact, Hit: hit}, e, now), e
}

// ambiguous reports whether a runner-up candidate within the margin would serve a plan
// other than p: other steps (tools, arguments, references, conditions, loops). The
// goal and the reasoning are left out: they are the model's words about the request it
// was asked, and an LLM plan's reasoning quotes that request ("pattern planner: "what
// is 1000 * 7" -> calculate"), which re-binding does not rewrite. Compared whole, two
// entries of one template always differed, so once a namespace held two of them every
// lookup of that template missed as ambiguous (serve against planwise sim: 0 of 35
// lookups hit in a namespace holding 1,500 entries of "what is <number> <number>").
func (c *Cache) ambiguous(p *plan.Plan, cands []*entry, sims []float64, best float64, req *request, reg *tool.Registry) bool {
	if c.cfg.Margin < 0 {
		return false
	}
	var pj []byte
	for j, e := range cands {
		if sims[j] < c.threshold || best-sims[j] > c.cfg.Margin {
			return false
		}
		res := c.serve(e, req, reg, sims[j], false)
		if res.Hit == nil {
			continue
		}
		if pj == nil {
			pj = stepsJSON(p)
		}
		if !bytes.Equal(pj, stepsJSON(res.Hit.Plan)) {
			return true
		}
	}
	return false
}

// stepsJSON is what a plan does, encoded: its steps without its goal and reasoning.
func stepsJSON(p *plan.Plan) []byte {
	b, _ := json.Marshal(p.Steps)
	return b
}

// serve runs the reuse kernel (guards, re-binding, validation; package reuse) on e's
// plan for req. A semantic match (not exact) also passes the guards that look inside the
// values and phrases.
func (c *Cache) serve(e *entry, req *request, reg *tool.Registry, sim float64, exact bool) LookupResult {
	past := reuse.Request{Text: e.Request, Normalized: e.Normalized, Template: e.Template, Slots: e.Slots, Shape: e.shape, Plan: e.Plan}
	// The entry's plan is validated once against the namespace's registry (pinned by
	// its version): a re-binding that changes nothing then needs no second check.
	if !e.validated.Load() {
		if err := plan.Validate(e.Plan, reg); err != nil {
			return LookupResult{Reason: Reason(reuse.Invalid)}
		}
		e.validated.Store(true)
	}
	o := reuse.Options{Values: true, MaxWordEdits: c.cfg.MaxWordEdits, Cues: req.vocab.cues, Validated: true}
	if exact {
		// The same text: the guards that look inside values and phrases have nothing to
		// compare.
		o = reuse.Options{MaxWordEdits: -1, Validated: true}
	}
	p, why, _ := reuse.Reuse(&past, req.Request, reg, o)
	if p == nil {
		return LookupResult{Reason: Reason(why)}
	}
	if exact && req.Timeless && req.Text == e.Request && reuse.SameSlots(e.Slots, req.Slots) {
		// An entry loaded from the store, or stored from a dated request that no longer
		// is: its slots are now known to be its request's at any time.
		e.timeless.Store(true)
	}
	// p is the re-binding's copy: its goal and reasoning are the hit's to set.
	reason := HitSemantic
	p.Goal, p.Reasoning = req.Text, ReasoningSemantic
	if exact {
		reason = HitExact
		p.Reasoning = ReasoningExact
	}
	return LookupResult{Reason: reason, Hit: &Hit{
		Plan: p, Similarity: sim, Exact: exact, EntryID: e.ID, CachedRequest: e.Request,
	}}
}

// finish records the outcome and, on a hit, the entry's use.
func (c *Cache) finish(res LookupResult, e *entry, now time.Time) LookupResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats.Lookups++
	c.stats.ByReason[res.Reason]++
	if res.Hit != nil && e != nil {
		c.stats.Hits++
		res.Hit.Age = now.Sub(e.Created)
		if e.elem != nil { // still cached
			e.LastUsed = now
			e.Hits++
			c.lru.MoveToFront(e.elem)
			c.touched[e.ID] = e
		}
	}
	return res
}

// Store caches p, a plan made for request, in namespace ns: StoreQuery of
// query.New(request).
func (c *Cache) Store(ctx context.Context, ns Namespace, request string, p *plan.Plan, reg *tool.Registry) error {
	return c.StoreQuery(ctx, ns, query.New(request), p, reg)
}

// StoreQuery caches p, a plan made for q's text, in namespace ns. p must pass
// plan.Validate(p, reg) (else the error wraps ErrInvalidPlan). Storing the same
// normalised request again replaces the entry's plan. A query already looked up
// (LookupQuery) is not analysed or embedded again.
func (c *Cache) StoreQuery(ctx context.Context, ns Namespace, q query.Query, p *plan.Plan, reg *tool.Registry) error {
	ns, err := c.resolveNS(ns, reg)
	if err != nil {
		return err
	}
	if p == nil {
		return fmt.Errorf("%w: nil plan", ErrInvalidPlan)
	}
	if err := plan.Validate(p, reg); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidPlan, err)
	}
	req := c.analyse(q, reg)
	vec, err := q.Embedding(ctx, c.emb, req.Template)
	if err != nil {
		return fmt.Errorf("cache: embed request: %w", err)
	}
	now := c.cfg.Now()
	e := Entry{
		ID: EntryID(ns, q.Text), Namespace: ns, Request: q.Text, Normalized: req.Normalized,
		Template: req.Template, Slots: req.Slots, Plan: p.Clone(),
		Embedder: c.emb.Name(), Vector: vec, Created: now, LastUsed: now,
	}
	if err := c.store.Put(ctx, e); err != nil {
		return fmt.Errorf("cache: persist entry: %w", err)
	}
	c.mu.Lock()
	victims := c.insertLocked(e, true, req.Timeless)
	c.stats.Stored++
	c.stats.EvictedCapacity += int64(len(victims))
	c.mu.Unlock()
	if len(victims) > 0 {
		if err := c.store.Delete(ctx, victims...); err != nil {
			return fmt.Errorf("cache: delete evicted entries: %w", err)
		}
	}
	return nil
}

// insertLocked adds or replaces an entry and returns the ids evicted for capacity;
// validated says that its plan passed plan.Validate here, timeless that its slots are
// its request's at any time.
func (c *Cache) insertLocked(e Entry, validated, timeless bool) []string {
	if old := c.byID[e.ID]; old != nil {
		c.removeLocked(old)
	}
	n := c.namespaces[e.Namespace]
	if n == nil {
		n = &namespace{ns: e.Namespace, index: vector.NewAuto(c.emb.Dim(), c.cfg.IndexThreshold),
			exact: map[string]*entry{}, bySeq: map[uint64]*entry{}}
		c.namespaces[e.Namespace] = n
	}
	c.seq++
	ent := &entry{Entry: e, seq: c.seq, shape: reuse.ShapeOf(e.Request, e.Normalized, e.Template, e.Slots),
		served: servedPlan(e.Plan, e.Request, ReasoningExact)}
	ent.validated.Store(validated)
	ent.timeless.Store(timeless)
	ent.elem = c.lru.PushFront(ent)
	c.byID[e.ID] = ent
	n.exact[e.Normalized] = ent
	n.bySeq[ent.seq] = ent
	n.index.Add(ent.seq, e.Vector)
	ent.Vector = nil // the index keeps its own copy; the store has the persisted one
	var victims []string
	for c.lru.Len() > c.cfg.Capacity {
		v := c.lru.Back().Value.(*entry)
		c.removeLocked(v)
		victims = append(victims, v.ID)
	}
	return victims
}

func (c *Cache) removeLocked(e *entry) {
	if e.elem == nil {
		return
	}
	c.lru.Remove(e.elem)
	e.elem = nil
	delete(c.byID, e.ID)
	delete(c.touched, e.ID)
	if n := c.namespaces[e.Namespace]; n != nil {
		if n.exact[e.Normalized] == e {
			delete(n.exact, e.Normalized)
		}
		delete(n.bySeq, e.seq)
		n.index.Remove(e.seq)
		if len(n.bySeq) == 0 {
			delete(c.namespaces, e.Namespace)
		}
	}
}

// Evict removes an entry (negative feedback on a plan it served). Evicting an absent
// entry is not an error.
func (c *Cache) Evict(ctx context.Context, entryID string) error {
	c.mu.Lock()
	if e := c.byID[entryID]; e != nil {
		c.removeLocked(e)
		c.stats.EvictedFeedback++
	}
	c.mu.Unlock()
	if err := c.store.Delete(ctx, entryID); err != nil {
		return fmt.Errorf("cache: evict %s: %w", entryID, err)
	}
	return nil
}

// InvalidateNamespace removes every entry of ns and returns how many there were.
func (c *Cache) InvalidateNamespace(ctx context.Context, ns Namespace) (int, error) {
	return c.Retain(ctx, func(n Namespace) bool { return n != ns })
}

// Retain removes every entry whose namespace keep rejects, e.g. all namespaces of an
// older registry or prompt version, and returns how many were removed.
func (c *Cache) Retain(ctx context.Context, keep func(Namespace) bool) (int, error) {
	var ids []string
	c.mu.Lock()
	for _, n := range c.namespaces {
		if keep(n.ns) {
			continue
		}
		for _, e := range n.bySeq {
			ids = append(ids, e.ID)
			c.removeLocked(e)
		}
	}
	c.stats.Invalidated += int64(len(ids))
	// Drop the vocabs of registry versions no namespace uses any more.
	live := map[string]bool{}
	for _, n := range c.namespaces {
		live[n.ns.Registry] = true
	}
	for v := range c.vocabs {
		if !live[v] {
			delete(c.vocabs, v)
		}
	}
	c.mu.Unlock()
	if len(ids) == 0 {
		return 0, nil
	}
	if err := c.store.Delete(ctx, ids...); err != nil {
		return len(ids), fmt.Errorf("cache: invalidate: %w", err)
	}
	return len(ids), nil
}

// Purge removes expired entries and returns how many. Lookups never serve expired
// entries; Purge frees their memory and storage.
func (c *Cache) Purge(ctx context.Context) (int, error) {
	now := c.cfg.Now()
	var ids []string
	c.mu.Lock()
	for e := c.lru.Back(); e != nil; {
		prev := e.Prev()
		ent := e.Value.(*entry)
		if c.expired(ent.Created, now) {
			ids = append(ids, ent.ID)
			c.removeLocked(ent)
		}
		e = prev
	}
	c.stats.EvictedTTL += int64(len(ids))
	c.mu.Unlock()
	if len(ids) == 0 {
		return 0, nil
	}
	if err := c.store.Delete(ctx, ids...); err != nil {
		return len(ids), fmt.Errorf("cache: purge: %w", err)
	}
	return len(ids), nil
}

// Flush records the use (last use, hit count) of entries served since the last Flush in
// the store, when it implements Toucher. Hits do not write to the store themselves, to
// keep the hit path free of I/O; call Flush periodically and at shutdown.
func (c *Cache) Flush(ctx context.Context) error {
	t, ok := c.store.(Toucher)
	c.mu.Lock()
	uses := make([]Use, 0, len(c.touched))
	for id, e := range c.touched {
		uses = append(uses, Use{ID: id, LastUsed: e.LastUsed, Hits: e.Hits})
	}
	clear(c.touched)
	c.mu.Unlock()
	if !ok || len(uses) == 0 {
		return nil
	}
	if err := t.Touch(ctx, uses); err != nil {
		return fmt.Errorf("cache: flush use: %w", err)
	}
	return nil
}

// CachedRequest returns the request an entry was stored for, if it is still cached:
// what a served plan was made for, for evaluations and debugging.
func (c *Cache) CachedRequest(entryID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.byID[entryID]; e != nil {
		return e.Request, true
	}
	return "", false
}

// Stats returns a snapshot of the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.ByReason = make(map[Reason]int64, len(c.stats.ByReason))
	for k, v := range c.stats.ByReason {
		s.ByReason[k] = v
	}
	s.Entries = c.lru.Len()
	s.Namespaces = len(c.namespaces)
	return s
}
