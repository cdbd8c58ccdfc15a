package history_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// Example shows the calls a planner makes: the variant and few-shot examples before the
// LLM call, a record (through the queue) after it, and the history planner as the first
// offline fallback.
func Example() {
	ctx := context.Background()
	reg, _ := tool.NewRegistry(&tool.Tool{Name: "send_email", Description: "Send an e-mail.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"},"body":{"type":"string"}},"required":["to","body"]}`)})
	emb, _ := embed.NewLocal(embed.LocalConfig{})
	h, _ := history.New(ctx, history.NewMemoryStore(), emb, history.Options{Variants: prompt.NewBuilder(reg).Variants()})
	q := h.NewQueue(0)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- q.Run(runCtx) }()

	// Before the LLM call.
	expID, variant := h.Assign("acme", "email bob@example.com that the build is green")
	examples, _ := h.Examples(ctx, query.For("acme", "email bob@example.com that the build is green"), reg.Version(), 4)
	_ = prompt.Input{Request: "email bob@example.com that the build is green", Variant: variant, Examples: examples}

	// After answering: record what happened.
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "bob@example.com", "body": "the build is green"}}}}
	q.Enqueue(&history.Record{ID: "req-1", RequestID: "req-1", Tenant: "acme", APIKey: "key-1", Request: "email bob@example.com that the build is green",
		Source: "llm", Plan: p, Valid: true, Experiment: expID, Variant: variant, RegistryVersion: reg.Version()})
	stop()
	<-done // Run writes what was queued before returning

	// Offline: the history planner re-binds the past plan to the new request's slots.
	got, err := h.Planner(reg).Plan(ctx, query.For("acme", "email carol@example.com that the build is green"))
	fmt.Println(got.Steps[0].Tool, got.Steps[0].Args["to"], err)
	// Output: send_email carol@example.com <nil>
}
