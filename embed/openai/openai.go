// Package openai is an embed.Embedder over any OpenAI-compatible /v1/embeddings endpoint
// (OpenAI, Azure OpenAI, Ollama, llama.cpp server, vLLM, planwise sim), on the official
// openai-go SDK with the SDK's own retries turned off: the caller owns retries and
// deadlines through the context.
//
// Texts are sent in batches of Config.BatchSize per request; each request is reported to
// Config.OnCall with its latency, the tokens the server counted and the error, so the
// caller can account cost (text-embedding-3-small is priced per input token). Returned
// vectors are L2-normalised here, because not every compatible server normalises.
package openai

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/planwise/planwise/embed"
)

// DefaultModel is the embedding model used when Config.Model is empty.
const DefaultModel = "text-embedding-3-small"

// knownDims are the native dimensions of OpenAI's embedding models.
var knownDims = map[string]int{
	"text-embedding-3-small": 1536,
	"text-embedding-3-large": 3072,
	"text-embedding-ada-002": 1536,
}

// Config configures the embedder.
type Config struct {
	// BaseURL is the API root, e.g. "https://api.openai.com/v1" or
	// "http://localhost:11434/v1"; POST {BaseURL}/embeddings is called. Required.
	BaseURL string
	// APIKey is sent as a bearer token; may be empty for local servers.
	APIKey string
	// Model defaults to DefaultModel.
	Model string
	// Dimensions, when set, asks the server to shorten vectors (text-embedding-3 models)
	// and is the embedder's Dim.
	Dimensions int
	// Dim is the expected vector length for models not in the built-in table (e.g. an
	// Ollama model). Ignored when Dimensions is set.
	Dim int
	// BatchSize is the number of texts per request (default 256, at most 2048).
	BatchSize int
	// HTTPClient overrides the transport (default http.DefaultClient).
	HTTPClient *http.Client
	// OnCall, when set, is called after every request with the model, the request's
	// latency, the prompt tokens the server reported and the error (nil on success).
	OnCall func(model string, d time.Duration, tokens int, err error)
}

// Embedder calls an OpenAI-compatible embeddings endpoint.
type Embedder struct {
	client sdk.Client
	cfg    Config
	dim    int
}

// DimensionError reports a server vector whose length is not the configured Dim.
type DimensionError struct {
	Model     string
	Got, Want int
}

func (e *DimensionError) Error() string {
	return fmt.Sprintf("embed/openai: model %s returned %d-d vectors, configured for %d (set Config.Dim or Dimensions)", e.Model, e.Got, e.Want)
}

// ErrBadResponse is wrapped by errors about a malformed response (wrong count or index).
var ErrBadResponse = errors.New("embed/openai: malformed embeddings response")

// New returns an embedder. It makes no request.
func New(cfg Config) (*Embedder, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("embed/openai: Config.BaseURL is required (e.g. https://api.openai.com/v1)")
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 256
	}
	if cfg.BatchSize > 2048 {
		return nil, fmt.Errorf("embed/openai: BatchSize %d exceeds the API limit of 2048 inputs", cfg.BatchSize)
	}
	dim := cfg.Dimensions
	if dim == 0 {
		dim = cfg.Dim
	}
	if dim == 0 {
		dim = knownDims[cfg.Model]
	}
	if dim <= 0 {
		return nil, fmt.Errorf("embed/openai: unknown vector size of model %q: set Config.Dim", cfg.Model)
	}
	opts := []option.RequestOption{
		option.WithBaseURL(cfg.BaseURL),
		option.WithAPIKey(cfg.APIKey),
		option.WithMaxRetries(0),
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	return &Embedder{client: sdk.NewClient(opts...), cfg: cfg, dim: dim}, nil
}

// Dim returns the vector length.
func (e *Embedder) Dim() int { return e.dim }

// Name identifies the embedding space: model and dimension.
func (e *Embedder) Name() string { return fmt.Sprintf("openai:%s:%d", e.cfg.Model, e.dim) }

// Embed embeds texts in batches. Empty texts are rejected before any request (the API
// refuses them) with an error wrapping embed.ErrEmptyInput.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	for i, t := range texts {
		if t == "" {
			return nil, fmt.Errorf("embed/openai: text %d: %w", i, embed.ErrEmptyInput)
		}
	}
	out := make([][]float32, len(texts))
	for start := 0; start < len(texts); start += e.cfg.BatchSize {
		end := min(start+e.cfg.BatchSize, len(texts))
		if err := e.batch(ctx, texts[start:end], out[start:end]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (e *Embedder) batch(ctx context.Context, texts []string, out [][]float32) (err error) {
	params := sdk.EmbeddingNewParams{
		Model:          sdk.EmbeddingModel(e.cfg.Model),
		Input:          sdk.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
		EncodingFormat: sdk.EmbeddingNewParamsEncodingFormatFloat,
	}
	if e.cfg.Dimensions > 0 {
		params.Dimensions = sdk.Int(int64(e.cfg.Dimensions))
	}
	began := time.Now()
	tokens := 0
	if e.cfg.OnCall != nil {
		defer func() { e.cfg.OnCall(e.cfg.Model, time.Since(began), tokens, err) }()
	}
	resp, err := e.client.Embeddings.New(ctx, params)
	if err != nil {
		return fmt.Errorf("embed/openai: model %s: %w", e.cfg.Model, err)
	}
	tokens = int(resp.Usage.PromptTokens)
	if len(resp.Data) != len(texts) {
		return fmt.Errorf("%w: %d embeddings for %d inputs", ErrBadResponse, len(resp.Data), len(texts))
	}
	for _, d := range resp.Data {
		if d.Index < 0 || int(d.Index) >= len(texts) || out[d.Index] != nil {
			return fmt.Errorf("%w: bad or repeated index %d", ErrBadResponse, d.Index)
		}
		if len(d.Embedding) != e.dim {
			return &DimensionError{Model: e.cfg.Model, Got: len(d.Embedding), Want: e.dim}
		}
		out[d.Index] = normalise(d.Embedding)
	}
	return nil
}

func normalise(v []float64) []float32 {
	var ss float64
	for _, x := range v {
		ss += x * x
	}
	out := make([]float32, len(v))
	if ss == 0 {
		return out
	}
	inv := 1 / math.Sqrt(ss)
	for i, x := range v {
		out[i] = float32(x * inv)
	}
	return out
}

var _ embed.Embedder = (*Embedder)(nil)
