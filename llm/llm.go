package llm

import (
	"context"
	"encoding/json"
	"time"
)

// Message roles understood by every provider.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one chat message. Role is one of RoleSystem, RoleUser or RoleAssistant.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ResponseFormat asks the model for JSON that matches Schema (structured outputs). Name
// identifies the schema to the provider (OpenAI requires [a-zA-Z0-9_-], at most 64
// characters). Strict asks the provider to enforce the schema while decoding; the
// caller must still validate the result.
type ResponseFormat struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema"`
	Strict bool            `json:"strict"`
}

// Request is one chat completion call.
type Request struct {
	// Model is the provider's model (or Azure deployment) name.
	Model    string
	Messages []Message
	// Format, when set, requests structured JSON output.
	Format *ResponseFormat
	// MaxTokens bounds the completion; 0 leaves the provider's default.
	MaxTokens int
	// Temperature and Seed are sent only when set.
	Temperature *float64
	Seed        *int64
	// Headers are extra HTTP headers for this request only, e.g. the simulator's
	// fault-injection headers. Providers without HTTP ignore them.
	Headers map[string]string
}

// Usage counts the tokens a call consumed, as reported by the provider.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Total is PromptTokens + CompletionTokens.
func (u Usage) Total() int { return u.PromptTokens + u.CompletionTokens }

// Add returns the sum of two usages, e.g. over the attempts or rounds of one request.
func (u Usage) Add(v Usage) Usage {
	return Usage{PromptTokens: u.PromptTokens + v.PromptTokens, CompletionTokens: u.CompletionTokens + v.CompletionTokens}
}

// Response is a successful completion.
type Response struct {
	// Content is the text of the first choice (the JSON document when Format was set).
	Content string
	// Model is the model that answered, as the provider reports it (often dated, e.g.
	// gpt-4o-mini-2024-07-18); PriceTable.Cost understands both forms.
	Model string
	// ID is the provider's id of the completion (chatcmpl-...), for tracing and support.
	ID           string
	Usage        Usage
	FinishReason string
	// Latency is the wall time of the call. A provider reports its one HTTP exchange;
	// the Client replaces it with the whole call, waits between attempts included.
	Latency time.Duration
	// Attempts lists every call the Client made to the provider for this answer, first
	// to last (the retried ones included). A Provider leaves it empty; see [Attempt].
	Attempts []Attempt
	// CostUSD is what Usage costs at the Client's price table for the requested model
	// (0 for a model the table does not price). Set by the Client.
	CostUSD float64
}

// Attempt is one call to the provider, as the Client saw it: the model asked, the class
// of its failure ("" when it answered), what it consumed (failed calls are billed too)
// and how long it took. The Client returns every attempt of a call as data, on the
// *Response and on the *Error, and hands each to its Observer as it ends.
type Attempt struct {
	Model     string        `json:"model"`
	ErrorType ErrorType     `json:"error_type,omitempty"`
	Usage     Usage         `json:"usage"`
	Duration  time.Duration `json:"duration"`
}

// Provider completes chat requests. Implementations must be safe for concurrent use,
// must return promptly when ctx is done, and should return *Error for every failure
// they can classify (anything else is classified by Classify).
type Provider interface {
	Complete(ctx context.Context, req Request) (*Response, error)
}

// Named is implemented by providers that know their name ("openai", "azure", "sim"),
// used to key circuit breakers and label metrics (gen_ai.provider.name).
type Named interface {
	ProviderName() string
}

// Endpointer is implemented by providers that serve models from more than one
// endpoint, to say which one serves model (its base URL, or any name that is the same
// for the models served together). Failures of an endpoint (ProviderWide: the key
// refused, no connection, no answer in time) are shared by every model it serves, and
// the planner's cascade climbs over them only to a model served elsewhere. A provider
// that does not implement it serves every model from one endpoint.
type Endpointer interface {
	Endpoint(model string) string
}

// Endpoint returns the endpoint p serves model from: p.Endpoint(model) when p
// implements Endpointer, else "" (every model of p is served from one endpoint).
func Endpoint(p Provider, model string) string {
	if e, ok := p.(Endpointer); ok {
		return e.Endpoint(model)
	}
	return ""
}

// ProviderName returns p's name, or "unknown" when p does not implement Named.
func ProviderName(p Provider) string {
	if n, ok := p.(Named); ok {
		if name := n.ProviderName(); name != "" {
			return name
		}
	}
	return "unknown"
}
