package planner_test

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/planner"
)

// countingEmbedder counts the texts it embeds.
type countingEmbedder struct {
	embed.Embedder
	texts atomic.Int64
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.texts.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

// extractCounter is a clock that counts the calls slot.Extractor.ExtractDated (which
// Extract calls) makes to it: one per extraction, whichever stage's extractor it is.
type extractCounter struct{ n atomic.Int64 }

func (c *extractCounter) now() time.Time {
	if pc, _, _, ok := runtime.Caller(1); ok {
		if f := runtime.FuncForPC(pc); f != nil && strings.HasSuffix(f.Name(), "slot.(*Extractor).ExtractDated") {
			c.n.Add(1)
		}
	}
	return time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
}

// TestRequestAnalysedOnce: a request that misses the cache, gets few-shot examples, is
// planned by the LLM, stored in the cache and recorded in the history has its slots
// extracted once and its template embedded once, for the cache lookup, the few-shot
// query, the cache store and the history record together (they were extracted and
// embedded by each: three times before the record, four with it).
func TestRequestAnalysedOnce(t *testing.T) {
	t.Run("record queued", func(t *testing.T) { testRequestAnalysedOnce(t, true) })
	t.Run("record written in the request", func(t *testing.T) { testRequestAnalysedOnce(t, false) })
}

func testRequestAnalysedOnce(t *testing.T, queued bool) {
	reg := compiledRegistry(t)
	local := localEmbedder(t)
	emb := &countingEmbedder{Embedder: local}
	clock := &extractCounter{}
	c, err := cache.New(cache.Config{Now: clock.now}, emb, cache.NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	// Queued, the records wait in a queue nobody runs; otherwise Plan records them.
	var q *history.Queue
	if queued {
		q = h.NewQueue(16)
	}
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}, {plan: weatherPlan}}}
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}), planner.WithCache(c), planner.WithLearning(h, q),
		planner.WithClock(clock.now),
		planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A first request fills the namespace, so that the second one's lookup searches it.
	if resp, err := p.Plan(ctx, planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", Tenant: "a"}); err != nil || resp.Source != planner.SourceLLM {
		t.Fatalf("first: %v %+v", err, resp)
	}
	if n := c.Stats().Entries; n != 1 {
		t.Fatalf("%d cache entries after the first request, want 1", n)
	}
	before := c.Stats().ByReason
	clock.n.Store(0)
	emb.texts.Store(0)
	resp, err := p.Plan(ctx, planner.Request{Text: "what is the forecast for the coming days in Lisbon", Tenant: "a"})
	if err != nil || resp.Source != planner.SourceLLM {
		t.Fatalf("second: %v %+v", err, resp)
	}
	st := c.Stats()
	if st.Entries != 2 || st.ByReason[cache.MissNoCandidate] != before[cache.MissNoCandidate] || st.Hits != 0 {
		t.Fatalf("the second request was not a miss after a search, then stored: %+v", st)
	}
	if !queued {
		recs, err := h.Recent(ctx, history.Query{Tenant: "a"})
		if err != nil || len(recs) != 2 {
			t.Fatalf("records: %v %d, want 2", err, len(recs))
		}
		i := slices.IndexFunc(recs, func(r *history.Record) bool { return r.Request == "what is the forecast for the coming days in Lisbon" })
		if i < 0 || recs[i].Template == "" || len(recs[i].Embedding) == 0 {
			t.Fatalf("the request's record is missing or lacks its analysis: %+v", recs)
		}
	}
	if n := clock.n.Load(); n != 1 {
		t.Errorf("the request's slots were extracted %d times, want 1", n)
	}
	if n := emb.texts.Load(); n != 1 {
		t.Errorf("%d texts were embedded for the request, want 1 (its template)", n)
	}
}

// TestRepeatedRequestNotAnalysed: a request served again from the cache entry made for
// the same text (slots that do not depend on the clock) has its slots extracted by no
// stage, and its history record still gets its template and slots, the entry's.
func TestRepeatedRequestNotAnalysed(t *testing.T) {
	reg := compiledRegistry(t)
	emb := localEmbedder(t)
	clock := &extractCounter{}
	c, err := cache.New(cache.Config{Now: clock.now}, emb, cache.NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
	p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}), planner.WithCache(c), planner.WithLearning(h, nil),
		planner.WithClock(clock.now),
		planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const text = "weather in Paris on 2026-12-24, then text it to +1 555 123 4567"
	if resp, err := p.Plan(ctx, planner.Request{Text: text, Tenant: "a", RequestID: "r1"}); err != nil || resp.Source != planner.SourceLLM {
		t.Fatalf("first: %v %+v", err, resp)
	}
	clock.n.Store(0)
	resp, err := p.Plan(ctx, planner.Request{Text: text, Tenant: "a", RequestID: "r2"})
	if err != nil || resp.Source != planner.SourceCache || resp.Cache == nil || !resp.Cache.Exact {
		t.Fatalf("second: %v %+v", err, resp)
	}
	if n := clock.n.Load(); n != 0 {
		t.Errorf("the repeated request's slots were extracted %d times, want 0", n)
	}
	recs, err := h.Recent(ctx, history.Query{Tenant: "a"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("records: %v %d, want 2", err, len(recs))
	}
	first, second := recs[0], recs[1]
	if first.RequestID == "r2" {
		first, second = second, first
	}
	if second.Template == "" || second.Template != first.Template || len(second.Slots) == 0 || len(second.Slots) != len(first.Slots) {
		t.Errorf("the repeated request's record lacks its analysis: %q %v (first %q %v)", second.Template, second.Slots, first.Template, first.Slots)
	}
}
