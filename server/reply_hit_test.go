package server

import (
	"context"
	"net/http"
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// CachingPlanner is a planner over the built-in tools with a plan cache (local
// embeddings, a memory store) whose LLM, a sim provider, answers every request with
// answer: its second request of a text is a cache hit. (Exported for the server_test
// package's hit tests.)
func CachingPlanner(tb testing.TB, answer *plan.Plan) *planner.Planner {
	tb.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		tb.Fatal(err)
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := cache.New(cache.Config{}, emb, cache.NewMemoryStore())
	if err != nil {
		tb.Fatal(err)
	}
	llm := &sim.Provider{Answerer: query.PlannerFunc(func(context.Context, query.Query) (*plan.Plan, error) { return answer, nil })}
	pl, err := planner.New(reg, planner.WithCache(c),
		planner.WithLLM(planner.LLMConfig{Provider: llm, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		tb.Fatal(err)
	}
	return pl
}

// verbatimHit returns the response of a cache hit served verbatim (its plan encoded by
// the cache, Response.PlanJSON) for the bench hits request.
func verbatimHit(t testing.TB) *planner.Response {
	t.Helper()
	pl := CachingPlanner(t, &plan.Plan{Goal: "calculate (12.5 + 7) * 3", Reasoning: `pattern planner: "calculate (12.5 + 7) * 3" -> calculate (18.4)`,
		Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "(12.5 + 7) * 3"}}}})
	var (
		resp *planner.Response
		err  error
	)
	for range 2 {
		if resp, err = pl.Plan(context.Background(), planner.Request{Text: "calculate (12.5 + 7) * 3"}); err != nil {
			t.Fatal(err)
		}
	}
	if resp.Source != planner.SourceCache || resp.PlanJSON() == nil {
		t.Fatalf("not a verbatim hit: %+v", resp)
	}
	return resp
}

// A verbatim hit's reply, its plan copied from the cache's encoding, is what
// encoding/json writes for the response, again and again.
func TestVerbatimHitReplyMatchesStdlib(t *testing.T) {
	resp := verbatimHit(t)
	for range 3 {
		checkWritePlan(t, resp)
	}
}

// BenchmarkReplyHit writes a verbatim hit's reply as writePlan does, its plan copied
// from the cache's encoding.
func BenchmarkReplyHit(b *testing.B) {
	resp := verbatimHit(b)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		writePlan(w, resp)
	}
}
