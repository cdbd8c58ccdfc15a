package openai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
)

// The usual wiring: the SDK-backed provider in the one LLM-call pipeline, called with
// a strict JSON schema under the request deadline, errors branched on by type.
func Example() {
	p, err := openai.New(openai.Config{BaseURL: "http://localhost:11434/v1"}) // a local Ollama; no key needed
	if err != nil {
		fmt.Println(err)
		return
	}
	r := llm.NewClient(p, llm.ClientConfig{Resilience: llm.ResilienceConfig{AttemptTimeout: 5 * time.Second}})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := r.Complete(ctx, llm.Request{
		Model:    "llama3.1:8b",
		Messages: []llm.Message{{Role: llm.RoleSystem, Content: "Plan tool calls."}, {Role: llm.RoleUser, Content: "weather in Paris"}},
		Format:   &llm.ResponseFormat{Name: "plan", Schema: json.RawMessage(`{"type":"object"}`), Strict: true},
	})
	switch llm.Classify(err) {
	case "":
		fmt.Println(resp.Content, len(resp.Attempts), resp.CostUSD)
	case llm.CircuitOpen, llm.TimeoutError, llm.RateLimitError:
		fmt.Println("fall back to the offline planners:", err)
	default:
		fmt.Println(err)
	}
}
