package history

import (
	"context"
	"fmt"
	"testing"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/histplan"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
)

var benchTopics = []string{"weather", "invoice", "meeting", "flight", "hotel", "report", "order", "ticket", "lights", "music"}
var benchVerbs = []string{"check", "send", "book", "cancel", "find", "show", "update", "email", "play", "schedule"}

// benchHistory fills a namespace with n successful records of varied wording.
func benchHistory(b *testing.B, n int) (*History, string) {
	b.Helper()
	reg := testRegistry(b)
	h, err := New(context.Background(), NewMemoryStore(), testEmbedder(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "search_web", Args: map[string]any{"query": "x"}}}}
	for i := range n {
		req := fmt.Sprintf("%s the %s number %d for team %s", benchVerbs[i%10], benchTopics[(i/10)%10], i, benchTopics[(i/100)%10])
		if err := h.Record(context.Background(), &Record{Tenant: "t", Request: req, Source: "llm", Valid: true, Plan: p,
			RegistryVersion: reg.Version()}); err != nil {
			b.Fatal(err)
		}
	}
	return h, reg.Version()
}

// BenchmarkExamples measures dynamic few-shot selection (k=4), which runs before every
// LLM call: embedding the request, searching the namespace's pool, MMR.
func BenchmarkExamples(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h, version := benchHistory(b, n)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, err := h.Examples(ctx, query.For("t", fmt.Sprintf("please book the hotel number %d for team music", i)), version, 4); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHistoryPlanner measures the history planner at 10,000 past requests.
func BenchmarkHistoryPlanner(b *testing.B) {
	h, _ := benchHistory(b, 10000)
	hp := h.Planner(testRegistry(b), histplan.WithHistoryFloor(0.3))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, _ = hp.Plan(ctx, query.For("t", fmt.Sprintf("find the meeting number %d for team order", i)))
	}
}

// BenchmarkRecord measures Record on the in-memory store (analysis, retry check, pool).
func BenchmarkRecord(b *testing.B) {
	h, version := benchHistory(b, 0)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "search_web", Args: map[string]any{"query": "x"}}}}
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if err := h.Record(ctx, &Record{Tenant: "t", APIKey: "k", Request: fmt.Sprintf("search the web for item %d", i), Source: "llm",
			Valid: true, Plan: p, RegistryVersion: version}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepareRepeatedHit measures what the history queue does to each record of the
// bench hits workload before writing it: a cache hit of the same request by the same API
// key, again and again (its analysis handed over by the planner, as FromQuery does; the
// key's earlier vector reused; the retry check against the key's recent asks).
func BenchmarkPrepareRepeatedHit(b *testing.B) {
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(context.Background(), NewMemoryStore(), emb, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	first := &Record{Tenant: "t", APIKey: "k", Request: "calculate (12.5 + 7) * 3", Source: "cache"}
	if err := h.prepare(ctx, first); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := &Record{Tenant: "t", APIKey: "k", Request: first.Request, Template: first.Template, Slots: first.Slots, Source: "cache"}
		if err := h.prepare(ctx, r); err != nil || !r.Retry {
			b.Fatal(err, r.Retry)
		}
	}
}
