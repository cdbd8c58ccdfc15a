package main

import (
	"fmt"

	"github.com/planwise/planwise/internal/config"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/route"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

// llmOption builds the LLM stage from the configuration: the OpenAI-compatible provider
// (SDK retries off) behind one resilient retry loop and circuit breaker, routed by
// request complexity.
func (a *app) llmOption(cfg *config.Config, reg *tool.Registry) (planner.Option, error) {
	prov, err := openai.New(openai.Config{BaseURL: cfg.LLM.BaseURL, APIKey: cfg.LLM.APIKey})
	if err != nil {
		return nil, fmt.Errorf("llm provider: %w", err)
	}
	// Load the BPE tables now rather than on the first request (prompt estimates use them).
	llm.LoadTokenizers()
	prices := llm.DefaultPrices()
	if cfg.LLM.PricesFile != "" {
		if prices, err = llm.LoadPrices(cfg.LLM.PricesFile); err != nil {
			return nil, err
		}
	}
	router, err := planner.NewComplexityRouter(reg, routeConfig(cfg))
	if err != nil {
		return nil, fmt.Errorf("routing: %w", err)
	}
	res := llm.NewResilient(planner.ObserveProvider(prov, a.Recorder(), cfg.LLM.Provider), llm.ResilienceConfig{MaxAttempts: cfg.LLM.MaxAttempts, AttemptTimeout: cfg.LLM.AttemptTimeout})
	return planner.WithLLM(planner.LLMConfig{
		Provider:     res,
		ProviderName: cfg.LLM.Provider,
		Router:       router,
		Prices:       prices,
		Refusal:      cfg.LLM.Refusal,
	}), nil
}

// routeConfig maps the routing section (and per-key tiers) to the router's config. Per-key
// overrides are keyed by the server's key id, which is what the planner sees.
func routeConfig(cfg *config.Config) route.Config {
	rc := route.Config{Tiers: map[route.Tier]string{}, PerKey: map[string]map[route.Tier]string{}}
	for t, m := range map[route.Tier]string{route.Simple: cfg.Routing.Simple, route.Moderate: cfg.Routing.Moderate, route.Complex: cfg.Routing.Complex} {
		if m != "" {
			rc.Tiers[t] = m
		}
	}
	for _, k := range cfg.Server.APIKeys {
		if len(k.Tiers) == 0 {
			continue
		}
		over := map[route.Tier]string{}
		for t, m := range k.Tiers {
			over[route.Tier(t)] = m
		}
		rc.PerKey[server.KeyID(k.Key)] = over
	}
	return rc
}
