package main

import (
	"fmt"

	"github.com/planwise/planwise/internal/config"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/planner"
)

// llmOption builds the LLM stage from the configuration: the OpenAI-compatible provider
// (SDK retries off) behind one resilient retry loop and circuit breaker.
func (a *app) llmOption(cfg *config.Config) (planner.Option, error) {
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
	res := llm.NewResilient(planner.ObserveProvider(prov, a.Recorder(), cfg.LLM.Provider), llm.ResilienceConfig{MaxAttempts: cfg.LLM.MaxAttempts, AttemptTimeout: cfg.LLM.AttemptTimeout})
	return planner.WithLLM(planner.LLMConfig{
		Provider:     res,
		ProviderName: cfg.LLM.Provider,
		Router:       planner.TwoModelRouter{Primary: cfg.LLM.PrimaryModel, Strong: cfg.LLM.StrongModel},
		Prices:       prices,
	}), nil
}
