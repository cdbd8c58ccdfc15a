package llm

import (
	"context"
	"fmt"
	"time"
)

// ClientConfig configures a Client. The zero value is usable.
type ClientConfig struct {
	// Name labels the breakers ("name/model"), the metrics and the spans
	// (gen_ai.provider.name). Default: ProviderName of the provider.
	Name string
	// Resilience configures the retry loop and the circuit breakers.
	Resilience ResilienceConfig
	// Prices turns every call's usage into its cost (Response.CostUSD, Error.CostUSD).
	// Default DefaultPrices().
	Prices *PriceTable
	// Observer is told of every call and every attempt, as data (metrics.NewLLMObserver
	// records the GenAI metrics and spans). Nil: nothing is observed.
	Observer Observer
}

// Client is planwise's one LLM-call pipeline: a Provider, the small plug-in that speaks
// one API, behind the policies every call gets, composed once and in this order:
//
//	observation (one span per call) -> cost metering -> retry loop and circuit breaker
//	-> observation (metrics per attempt) -> the Provider
//
// Every attempt comes back as data (Response.Attempts, Error.Attempts): the model, the
// class of its failure, its usage and duration. Chat completions (Complete) and
// embeddings (Embed) go through the same chain and share the breakers. A Client is
// itself a Provider, safe for concurrent use; build one per provider and share it (the
// breakers' state lives in it).
type Client struct {
	p        Provider
	name     string
	cfg      ResilienceConfig
	breakers *breakers
	holds    *keyHold // endpoints whose provider refused the key (AuthHold)
	prices   *PriceTable
	obs      Observer
}

// NewClient wraps p. The provider's own retries, if it has any, should be off: the
// Client's loop is the only one.
func NewClient(p Provider, cfg ClientConfig) *Client {
	name := cfg.Name
	if name == "" {
		name = ProviderName(p)
	}
	prices := cfg.Prices
	if prices == nil {
		prices = DefaultPrices()
	}
	rc := cfg.Resilience.withDefaults()
	return &Client{p: p, name: name, cfg: rc, breakers: newBreakers(name, rc.Breaker), holds: newKeyHold(rc.AuthHold),
		prices: prices, obs: cfg.Observer}
}

// ProviderName returns the Client's name (ClientConfig.Name).
func (c *Client) ProviderName() string { return c.name }

// AuthHolds returns, for each endpoint (Endpoint) whose provider refused the API key
// within ResilienceConfig.AuthHold, when its hold ends: until then calls to it fail at
// once without calling the provider. For /readyz and logs; empty when nothing is held.
func (c *Client) AuthHolds() map[string]time.Time { return c.holds.holds() }

// Endpoint returns the endpoint the Client's provider serves model from (see
// Endpointer): "" for every model of a provider served from one endpoint.
func (c *Client) Endpoint(model string) string { return Endpoint(c.p, model) }

// Prices returns the price table the Client meters calls with.
func (c *Client) Prices() *PriceTable { return c.prices }

// BreakerStates returns the state ("closed", "half-open" or "open") of every circuit
// breaker created so far, keyed "provider/model". For metrics and /readyz.
func (c *Client) BreakerStates() map[string]string { return c.breakers.states() }

// Complete sends req through the pipeline. On success the Response carries every
// attempt, the usage of all of them (failed attempts are billed too), their cost, and
// the latency of the whole call, waits included. Errors are always *Error, with the
// same accounting (Attempts, Usage, CostUSD).
func (c *Client) Complete(ctx context.Context, req Request) (*Response, error) {
	call := &Call{Op: OpChat, Provider: c.name, Model: req.Model}
	if c.obs != nil {
		ctx = c.obs.Start(ctx, call)
	}
	resp, err := run(ctx, c, call, func(ctx context.Context) (*Response, Usage, []Attempt, error) {
		r, err := c.p.Complete(ctx, req)
		if err != nil {
			return nil, Usage{}, nil, err
		}
		return r, r.Usage, r.Attempts, nil
	})
	c.meter(call, err)
	if err == nil {
		resp.Attempts, resp.Usage, resp.CostUSD, resp.Latency = call.Attempts, call.Usage, call.CostUSD, call.Elapsed
		call.Response = resp
	}
	if c.obs != nil {
		c.obs.End(ctx, call)
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// EmbeddingProvider is a Provider that also serves embeddings (llm/openai does). Embed
// returns one vector per input, in input order, and the usage the server reported; it
// should return *Error for every failure it can classify.
type EmbeddingProvider interface {
	Embed(ctx context.Context, model string, inputs []string) ([][]float32, Usage, error)
}

// Embeddings is a successful Client.Embed: the vectors as the provider returned them,
// and the call's accounting.
type Embeddings struct {
	Vectors  [][]float32
	Usage    Usage
	CostUSD  float64
	Attempts []Attempt
	// Latency spans the whole call, waits between attempts included.
	Latency time.Duration
}

// Embed embeds inputs with model through the same pipeline as Complete: the same
// retry loop, the breaker of the same provider and model, the observer and the price
// table. The provider must implement EmbeddingProvider; otherwise every call fails with
// a BadRequestError. Errors are always *Error.
func (c *Client) Embed(ctx context.Context, model string, inputs []string) (*Embeddings, error) {
	ep, ok := c.p.(EmbeddingProvider)
	if !ok {
		return nil, &Error{Type: BadRequestError, Provider: c.name, Model: model,
			Err: fmt.Errorf("provider %s serves no embeddings", c.name)}
	}
	call := &Call{Op: OpEmbeddings, Provider: c.name, Model: model}
	if c.obs != nil {
		ctx = c.obs.Start(ctx, call)
	}
	vecs, err := run(ctx, c, call, func(ctx context.Context) ([][]float32, Usage, []Attempt, error) {
		v, u, err := ep.Embed(ctx, model, inputs)
		return v, u, nil, err
	})
	c.meter(call, err)
	if c.obs != nil {
		c.obs.End(ctx, call)
	}
	if err != nil {
		return nil, err
	}
	return &Embeddings{Vectors: vecs, Usage: call.Usage, CostUSD: call.CostUSD, Attempts: call.Attempts, Latency: call.Elapsed}, nil
}

// meter prices the call's usage at the requested model's price and sets the result on
// the call and its error.
func (c *Client) meter(call *Call, err *Error) {
	call.CostUSD, _ = c.prices.Cost(call.Model, call.Usage)
	if err != nil {
		err.CostUSD = call.CostUSD
		call.Err = err
	}
}
