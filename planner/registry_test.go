package planner_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// SetRegistry swaps the registry for the requests that start afterwards: a request no
// tool fitted plans once a tool that fits arrives, against the new registry version,
// while concurrent requests each see one registry (run with -race).
func TestSetRegistrySwapsForNewRequests(t *testing.T) {
	base, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(base)
	if err != nil {
		t.Fatal(err)
	}
	const req = "get the weather forecast for Oslo"
	if _, err := p.Plan(context.Background(), planner.Request{Text: req}); err == nil {
		t.Fatal("planned a weather request with no weather tool")
	}
	weather := &tool.Tool{Name: "get_weather", Description: "Get the weather forecast for a city",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string","description":"the city"}},"required":["city"]}`),
		Examples:    []tool.Example{{Request: "weather forecast for Paris", Args: map[string]any{"city": "Paris"}}}}
	grown, err := base.Merge(weather)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				resp, err := p.Plan(context.Background(), planner.Request{Text: "what time is it in Europe/Paris"})
				if err != nil {
					t.Error(err)
					return
				}
				if v := resp.RegistryVersion; v != base.Version() && v != grown.Version() {
					t.Errorf("planned against registry %s, neither the old nor the new", v)
				}
			}
		})
	}
	if err := p.SetRegistry(grown); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if p.Registry().Version() != grown.Version() {
		t.Fatalf("Registry() = %s, want %s", p.Registry().Version(), grown.Version())
	}
	resp, err := p.Plan(context.Background(), planner.Request{Text: req})
	if err != nil {
		t.Fatalf("after the swap: %v", err)
	}
	if resp.RegistryVersion != grown.Version() || resp.Plan.Steps[0].Tool != "get_weather" {
		t.Fatalf("after the swap: registry %s, plan %+v", resp.RegistryVersion, resp.Plan)
	}
	// A second swap builds from the original options too.
	if err := p.SetRegistry(base); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Plan(context.Background(), planner.Request{Text: req}); err == nil {
		t.Fatal("the weather tool is gone, yet the request planned")
	}
}
