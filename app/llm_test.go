package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/config"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

// A configured model without a price is refused at start-up (its calls would cost $0
// and never trip a budget), unless a prices file gives its price.
func TestUnpricedModelRefused(t *testing.T) {
	cfg := config.Default()
	cfg.Routing.Complex = "o1-pro"
	cfg.Server.APIKeys = []config.APIKey{{Key: "a-long-random-token-1", Tenant: "a", Tiers: map[string]string{"simple": "gpt-5"}}}
	err := checkPriced(&cfg, llm.DefaultPrices())
	if err == nil || !strings.Contains(err.Error(), "routing.complex") || !strings.Contains(err.Error(), `server.api_keys[0].tiers.simple: model "gpt-5"`) ||
		!strings.Contains(err.Error(), "llm.prices_file") {
		t.Fatalf("unpriced models: %v", err)
	}
	path := filepath.Join(t.TempDir(), "prices.yaml")
	os.WriteFile(path, []byte("models:\n  o1-pro: {input: 150, output: 600}\n  gpt-5: {input: 1.25, output: 10}\n"), 0o600)
	prices, err := llm.LoadPrices(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkPriced(&cfg, prices); err != nil {
		t.Fatalf("with the prices given: %v", err)
	}
	if err := checkPriced(new(config.Default()), llm.DefaultPrices()); err != nil {
		t.Fatalf("the default routing: %v", err)
	}
}

// A key's per-key tiers apply to the requests the server labels with the key's id, and
// the route names that same id (server.KeyID: the key hashed once, where it is checked),
// not a second hash of it (issue 14).
func TestRouteNamesTheServersKeyID(t *testing.T) {
	cfg := config.Default()
	const key = "a-long-random-token-1"
	cfg.Server.APIKeys = []config.APIKey{{Key: key, Tenant: "a", Tiers: map[string]string{"simple": "gpt-4.1-nano", "moderate": "gpt-4.1-nano", "complex": "gpt-4.1-nano"}}}
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	r, err := planner.NewComplexityRouter(reg, routeConfig(&cfg))
	if err != nil {
		t.Fatal(err)
	}
	id := server.KeyID(key)
	got := r.Route(planner.Request{Text: "what time is it in Tokyo", APIKey: id})
	if got.KeyID != id || got.Model != "gpt-4.1-nano" {
		t.Errorf("route of key %s: %+v; want its tiers and key id %s", id, got, id)
	}
	if other := r.Route(planner.Request{Text: "what time is it in Tokyo", APIKey: server.KeyID("another-key-2")}); other.KeyID != "" || other.Model == "gpt-4.1-nano" {
		t.Errorf("route of a key without tiers: %+v", other)
	}
}
