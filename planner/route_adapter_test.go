package planner_test

import (
	"testing"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/route"
)

// The cascade keeps a key's own tier table: a key whose complex tier is o1-mini escalates
// there, not to the global gpt-4o.
func TestComplexityRouterPerKeyCascade(t *testing.T) {
	reg := registry(t)
	r, err := planner.NewComplexityRouter(reg, route.Config{
		Tiers:  map[route.Tier]string{route.Simple: "gpt-4o-mini", route.Moderate: "gpt-4o-mini", route.Complex: "gpt-4o"},
		PerKey: map[string]map[route.Tier]string{"key-a": {route.Simple: "gpt-4.1-nano", route.Moderate: "gpt-4.1-nano", route.Complex: "o1-mini"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	first := r.Route(planner.Request{Text: "weather in Paris", APIKey: "key-a"})
	if first.Model != "gpt-4.1-nano" || first.KeyID == "" {
		t.Fatalf("first choice for key-a: %+v", first)
	}
	next, ok := r.Escalate(first)
	if !ok || next.Model != "o1-mini" {
		t.Fatalf("cascade for key-a: %+v %v", next, ok)
	}
	other, _ := r.Escalate(r.Route(planner.Request{Text: "weather in Paris", APIKey: "key-b"}))
	if other.Model != "gpt-4o" {
		t.Fatalf("cascade for a key without overrides: %+v", other)
	}
}
