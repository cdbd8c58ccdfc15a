package sim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// The in-process simulator answers a real prompt under its response schema, with the
// plan its Answerer makes for the request the prompt carries.
func TestProviderAnswersUnderTheSchema(t *testing.T) {
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := prompt.NewBuilder(reg).Build(prompt.Input{Request: "calculate 6 * 7"})
	if err != nil {
		t.Fatal(err)
	}
	want := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "calculate", Args: map[string]any{"expression": "6 * 7"}}}}
	var asked string
	p := &sim.Provider{Answerer: query.PlannerFunc(func(_ context.Context, q query.Query) (*plan.Plan, error) {
		request := q.Text
		asked = request
		return want, nil
	})}
	msgs := make([]llm.Message, len(pr.Messages))
	for i, m := range pr.Messages {
		msgs[i] = llm.Message{Role: m.Role, Content: m.Content}
	}
	res, err := p.Complete(context.Background(), llm.Request{Model: "gpt-4o-mini", Messages: msgs,
		Format: &llm.ResponseFormat{Name: pr.Schema.Name, Schema: pr.Schema.JSON, Strict: true}})
	if err != nil {
		t.Fatal(err)
	}
	if asked != "calculate 6 * 7" || p.Calls != 1 || p.ProviderName() != "sim" || res.Model != "gpt-4o-mini" {
		t.Fatalf("asked %q, calls %d, name %q, model %q", asked, p.Calls, p.ProviderName(), res.Model)
	}
	got, err := pr.Schema.Decode([]byte(res.Content))
	if err != nil {
		t.Fatalf("%v: %s", err, res.Content)
	}
	if len(got.Steps) != 1 || got.Steps[0].Tool != "calculate" || got.Steps[0].Args["expression"] != "6 * 7" {
		t.Fatalf("decoded %s", got.JSON())
	}

	// A request the Answerer cannot plan is the provider's error.
	p.Answerer = query.PlannerFunc(func(context.Context, query.Query) (*plan.Plan, error) { return nil, errors.New("no tool fits") })
	if _, err := p.Complete(context.Background(), llm.Request{Messages: msgs}); err == nil || !strings.Contains(err.Error(), "no tool fits") {
		t.Fatalf("unplannable: %v", err)
	}
}
