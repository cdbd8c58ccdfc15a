// Package query is a planning request as every stage sees it, and the one contract every
// planner implements.
//
// A Query is the request's text and the tenant it plans for. The tenant travels in the
// Query, not in the context: a planner that reads per-tenant state (the history planner)
// takes it from there, and a planner that does not ignores it.
//
// A Query is also where what is computed from its text is kept, once per request: the
// slots and template its Analyzer extracts for the planner's registry (Slots,
// Template), whether they were read against the clock (Timeless), the same analysis
// without the registry's enum values for the stages whose data spans registries or
// reads no enum (Plain: the history's records and few-shot query, the grounding check),
// the slots of a rewriting of the text a stage reads instead (SlotsOf: the router's text
// with quoted spans masked, the pattern planner's normalised text; the text's own Slots
// when the rewriting changed nothing), the embeddings of its text or template
// (Embedding), and what a stage derives from those (Value). The planner builds one Query
// per request and hands the same value to every stage (router, cache lookup, few-shot
// query, LLM stage's grounding check, offline planners, cache store, history record), so
// none of them extracts or embeds the request again. Copies of a Query share what has
// been computed; a Query built as a literal computes everything anew.
//
// Planner is the contract of the offline planners (pattern.Pattern, histplan.History),
// of the evaluations' planners and of the simulator's answerer: Plan(ctx, Query) returns
// a plan or an error wrapping plan.ErrCannotPlan when it has no answer. The package sits
// below every stage (it imports only plan, slot, tool and embed), so any of them can
// name the contract without an import cycle.
package query

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// Query is one planning request.
type Query struct {
	// Text is the request as the user wrote it (the planner has trimmed it).
	Text string
	// Tenant is the customer the request plans for; "" is no tenant in particular.
	Tenant string

	m *memo // shared by copies; nil: nothing is kept
}

// New returns the Query for text, with no tenant and no Analyzer.
func New(text string) Query { return For("", text) }

// For returns the Query for text planned for tenant, with no Analyzer.
func For(tenant, text string) Query { return Query{Text: text, Tenant: tenant, m: &memo{}} }

// Planner plans a query without asking anyone else. It returns an error wrapping
// plan.ErrCannotPlan when it has no plan for the query, and ctx's error when ctx ends
// first.
type Planner interface {
	Plan(ctx context.Context, q Query) (*plan.Plan, error)
}

// PlannerFunc adapts a function to Planner.
type PlannerFunc func(ctx context.Context, q Query) (*plan.Plan, error)

// Plan calls f.
func (f PlannerFunc) Plan(ctx context.Context, q Query) (*plan.Plan, error) { return f(ctx, q) }

// Analyzer extracts the slots of requests planned against one registry: slot.Extractor
// with the registry's enum values, relative dates read against the clock. It is
// immutable and safe for concurrent use.
type Analyzer struct {
	version string
	ex      *slot.Extractor
	plain   *slot.Extractor // the same clock, no enum values (Plain)
}

// NewAnalyzer returns the Analyzer for reg with the clock now (time.Now when nil).
func NewAnalyzer(reg *tool.Registry, now func() time.Time) *Analyzer {
	return &Analyzer{version: reg.Version(), ex: slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: now}),
		plain: slot.NewExtractor(slot.Options{Now: now})}
}

// Query returns the Query for text planned for tenant, analysed by a on first use.
func (a *Analyzer) Query(tenant, text string) Query {
	return Query{Text: text, Tenant: tenant, m: &memo{an: a}}
}

// memo is what has been computed for one query.
type memo struct {
	an       *Analyzer
	once     sync.Once
	slots    []slot.Slot
	template string
	dated    bool // the slots were read against the clock

	mu     sync.Mutex
	values []keyValue // a few per query: a slice, not a map, on the hit path
	vecs   map[vecKey][]float32
}

// plainKey and rewriteKey key the analyses Plain and SlotsOf keep among the values.
type (
	plainKey   struct{}
	rewriteKey struct{ text string }
	analysis   struct {
		slots    []slot.Slot
		template string
	}
)

type keyValue struct{ key, value any }

// value returns the value under key. m.mu is held.
func (m *memo) value(key any) (any, bool) {
	for _, kv := range m.values {
		if kv.key == key {
			return kv.value, true
		}
	}
	return nil, false
}

type vecKey struct{ embedder, text string }

func (m *memo) analyse(text string) {
	m.once.Do(func() {
		m.slots, m.dated = m.an.ex.ExtractDated(text)
		m.template = slot.Template(text, m.slots)
	})
}

// Slots returns the slots of the text as the query's Analyzer extracts them (computed
// once per query; the caller must not modify them), and false when the query has no
// Analyzer.
func (q Query) Slots() ([]slot.Slot, bool) {
	if q.m == nil || q.m.an == nil {
		return nil, false
	}
	q.m.analyse(q.Text)
	return q.m.slots, true
}

// SlotsFor is Slots when the query was analysed for reg's version, else nil and false:
// a stage planning against another registry extracts its own.
func (q Query) SlotsFor(reg *tool.Registry) ([]slot.Slot, bool) {
	if q.m == nil || q.m.an == nil || reg == nil || q.m.an.version != reg.Version() {
		return nil, false
	}
	return q.Slots()
}

// Known records slots and template as the query's analysis for reg, when the query
// has an Analyzer for reg's version and was not analysed yet: a stage that holds them
// for the same text (the cache serving an entry made for it, whose slots do not depend
// on the clock) saves the later stages the extraction. The caller vouches that they are
// what the Analyzer extracts from the text now, without reading the clock; they are
// shared, not copied.
func (q Query) Known(reg *tool.Registry, slots []slot.Slot, template string) {
	if q.m == nil || q.m.an == nil || reg == nil || q.m.an.version != reg.Version() {
		return
	}
	q.m.once.Do(func() { q.m.slots, q.m.template = slots, template })
}

// Timeless reports whether the query's Slots were extracted without reading the clock
// (no relative date, no date without its year; slot.Extractor.ExtractDated): the same
// text then has the same slots at any time. False when the query has no Analyzer.
func (q Query) Timeless() bool {
	if _, ok := q.Slots(); !ok {
		return false
	}
	return !q.m.dated
}

// Template returns slot.Template of the text and its Slots, and false when the query has
// no Analyzer.
func (q Query) Template() (string, bool) {
	if _, ok := q.Slots(); !ok {
		return "", false
	}
	return q.m.template, true
}

// Plain returns the slots and template of the text as an Extractor without enum values
// reads it (slot.Options with the Analyzer's clock alone): the analysis of the stages
// whose data spans registries (the history's records and its few-shot query) or that
// read only kinds no enum value can be (the grounding check's phone numbers, e-mail
// addresses and URLs). When the query's Slots hold no enum value they are those slots
// and template: the scan made the same choice at every position, since an enum match
// is the only choice the enum values change. Otherwise the text is extracted once more,
// once per query. False when the query has no Analyzer. The caller must not modify the
// slots.
func (q Query) Plain() ([]slot.Slot, string, bool) {
	slots, ok := q.Slots()
	if !ok {
		return nil, "", false
	}
	if !slices.ContainsFunc(slots, func(s slot.Slot) bool { return s.Kind == slot.Enum }) {
		return slots, q.m.template, true
	}
	a := q.Value(plainKey{}, func() any {
		slots := q.m.an.plain.Extract(q.Text)
		return analysis{slots, slot.Template(q.Text, slots)}
	}).(analysis)
	return a.slots, a.template, true
}

// SlotsOf returns the slots of text, a rewriting of the query's text that a stage reads
// instead (the router masks quoted spans, the pattern planner writes white space and a
// lower-case "i" as its words say them), as the query's Analyzer extracts them: Slots
// when text is the query's own, else extracted once per query and text. False when the
// query has no Analyzer or was analysed for another registry than reg (a stage planning
// against another registry extracts its own). The caller must not modify the slots.
func (q Query) SlotsOf(reg *tool.Registry, text string) ([]slot.Slot, bool) {
	if text == q.Text {
		return q.SlotsFor(reg)
	}
	if q.m == nil || q.m.an == nil || reg == nil || q.m.an.version != reg.Version() {
		return nil, false
	}
	return q.Value(rewriteKey{text}, func() any { return q.m.an.ex.Extract(text) }).([]slot.Slot), true
}

// Value returns what a stage derived from the query under key, calling compute the first
// time; copies of the query share it. key should be of a type the stage owns, as for
// context values. compute runs without a lock held; when two goroutines compute the same
// key at once, the first result stored is kept.
func (q Query) Value(key any, compute func() any) any {
	if q.m == nil {
		return compute()
	}
	q.m.mu.Lock()
	v, ok := q.m.value(key)
	q.m.mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	q.m.mu.Lock()
	defer q.m.mu.Unlock()
	if old, ok := q.m.value(key); ok {
		return old
	}
	q.m.values = append(q.m.values, keyValue{key, v})
	return v
}

// Embedded returns the vector of text by the embedder named embedder when the query
// already holds it (Embedding computed it), without computing it.
func (q Query) Embedded(embedder, text string) ([]float32, bool) {
	if q.m == nil {
		return nil, false
	}
	q.m.mu.Lock()
	defer q.m.mu.Unlock()
	v, ok := q.m.vecs[vecKey{embedder, text}]
	return v, ok
}

// Embedding returns emb's vector of text (the query's text, or a template of it),
// computed once per query, embedder (by name) and text. The vector is shared: the caller
// must not modify it. A failed embedding is not kept.
func (q Query) Embedding(ctx context.Context, emb embed.Embedder, text string) ([]float32, error) {
	if q.m == nil {
		return embed.One(ctx, emb, text)
	}
	k := vecKey{emb.Name(), text}
	q.m.mu.Lock()
	v, ok := q.m.vecs[k]
	q.m.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := embed.One(ctx, emb, text)
	if err != nil {
		return nil, err
	}
	q.m.mu.Lock()
	defer q.m.mu.Unlock()
	if q.m.vecs == nil {
		q.m.vecs = map[vecKey][]float32{}
	}
	q.m.vecs[k] = v
	return v, nil
}
