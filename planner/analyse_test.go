package planner_test

import (
	"context"
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/histplan"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/tool"
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

// TestServePathAnalysesOnce: on the whole path of a request that misses the cache (the
// complexity router, the LLM stage with its grounding check, the offline planners, the
// history record), its slots are extracted once, by the query every stage reads: the
// router's clause matcher, the few-shot query, the grounding check, the history planner,
// the pattern planner and the record take them from it (issue 14). A request holding an
// enum value of the registry is extracted twice: once with the registry's enum values,
// once without, for the history (its records span registries) and the grounding check.
func TestServePathAnalysesOnce(t *testing.T) {
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "get_weather", Description: "Get the weather for a city",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"},"units":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"],"additionalProperties":false}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"}}}`)},
		&tool.Tool{Name: "send_sms", Description: "Send an SMS to a phone number",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"phone_number":{"type":"string"},"content":{"type":"string"}},"required":["phone_number","content"],"additionalProperties":false}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	sch, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	compiledMode = sch.Mode
	emb := localEmbedder(t)
	clock := &extractCounter{} // every extractor on the path but the history planner's
	past := &extractCounter{}  // the history planner's, which reads the past requests
	h, err := history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	an, err := route.NewAnalyzer(route.MatchQueryClauses(pattern.NewPattern(reg, pattern.WithClock(clock.now)).ClausesOf))
	if err != nil {
		t.Fatal(err)
	}
	rt, err := route.NewRouter(route.Config{}, an)
	if err != nil {
		t.Fatal(err)
	}
	newPlanner := func(prov llm.Provider) *planner.Planner {
		c, err := cache.New(cache.Config{Now: clock.now}, emb, cache.NewMemoryStore())
		if err != nil {
			t.Fatal(err)
		}
		p, err := planner.New(reg, planner.WithCache(c), planner.WithLearning(h, nil), planner.WithClock(clock.now),
			planner.WithHistoryPlanner(h.Planner(reg, histplan.WithHistoryClock(past.now))),
			planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.ComplexityRouter{R: rt}}))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	online := newPlanner(&scriptedProvider{replies: []reply{{plan: goodPlan}}})
	failing := newPlanner(&scriptedProvider{replies: []reply{{err: &llm.Error{Type: llm.CircuitOpen, Err: llm.ErrCircuitOpen}}}})
	ctx := context.Background()
	for _, tc := range []struct {
		name, text, tenant string
		p                  *planner.Planner
		source             string
		extractions        int64
		past               int64 // past requests the history planner analysed
	}{
		// The LLM's plan, grounded: its phone number is the request's.
		{"llm", "weather in Paris, then text it to +1 555 123 4567", "a", online, planner.SourceLLM, 1, 0},
		// The LLM fails; the history planner re-binds the plan above, the one past
		// request it analyses (the request's slots are the query's).
		{"history", "weather in Rome, then text it to +1 555 987 6543", "a", failing, planner.SourceHistory, 1, 1},
		// The LLM fails, no past request of the tenant: the pattern planner.
		{"pattern", "send an SMS to +1 555 987 6543 saying I am late", "b", failing, planner.SourcePattern, 1, 0},
		// An enum value: the registry's analysis and the plain one.
		{"llm, an enum value", "weather in Oslo in fahrenheit, then text it to +1 555 123 4567", "c", online, planner.SourceLLM, 2, 0},
	} {
		clock.n.Store(0)
		past.n.Store(0)
		resp, err := tc.p.Plan(ctx, planner.Request{Text: tc.text, Tenant: tc.tenant})
		if err != nil || resp.Source != tc.source || resp.Tier == "" {
			t.Fatalf("%s: %v %+v, want a routed answer from %s", tc.name, err, resp, tc.source)
		}
		if n := clock.n.Load(); n != tc.extractions {
			t.Errorf("%s: the request's slots were extracted %d times, want %d", tc.name, n, tc.extractions)
		}
		if n := past.n.Load(); n != tc.past {
			t.Errorf("%s: the history planner extracted %d texts, want %d (the past requests it re-binds)", tc.name, n, tc.past)
		}
		recs, err := h.Recent(ctx, history.Query{Tenant: tc.tenant})
		i := slices.IndexFunc(recs, func(r *history.Record) bool { return r.Request == tc.text })
		if err != nil || i < 0 || recs[i].Template == "" || len(recs[i].Embedding) == 0 {
			t.Fatalf("%s: the request's record is missing or lacks its analysis: %v %+v", tc.name, err, recs)
		}
	}
}
