package sim

import (
	"context"
	"fmt"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
)

// Provider is the simulator in process: an llm.Provider that answers like a model with
// structured outputs, without HTTP, latency or faults. It reads the request from the
// user message (prompt.ExtractRequest), plans it with the Answerer and encodes the plan
// under the response schema of the call (a plan's JSON without one). The cache replay
// (eval/cache) uses it as its model, so that a miss takes the path a real model's plans
// take (prompt -> provider -> decode -> validate) in microseconds.
type Provider struct {
	// Name is the provider's name ("sim" when empty).
	Name     string
	Answerer query.Planner
	// Calls counts the calls answered. It is not synchronised: drive a Provider from
	// one goroutine, or read Calls after the calls ended.
	Calls int
}

// ProviderName implements llm.Provider.
func (p *Provider) ProviderName() string {
	if p.Name == "" {
		return "sim"
	}
	return p.Name
}

// Complete implements llm.Provider.
func (p *Provider) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	p.Calls++
	var user string
	for _, msg := range req.Messages {
		if msg.Role == "user" {
			user = msg.Content
		}
	}
	name := p.ProviderName()
	pl, err := p.Answerer.Plan(ctx, query.New(prompt.ExtractRequest(user)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var content []byte
	if req.Format != nil {
		sh, err := prompt.InspectSchema(req.Format.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		content, err = sh.Encode(pl)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	} else {
		content = pl.JSON()
	}
	return &llm.Response{Content: string(content), Model: req.Model, FinishReason: "stop"}, nil
}
