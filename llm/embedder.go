package llm

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/planwise/planwise/embed"
)

// DefaultEmbeddingModel is the model of an Embedder whose config names none.
const DefaultEmbeddingModel = "text-embedding-3-small"

// embeddingDims are the native vector sizes of OpenAI's embedding models.
var embeddingDims = map[string]int{
	"text-embedding-3-small": 1536,
	"text-embedding-3-large": 3072,
	"text-embedding-ada-002": 1536,
}

// EmbedderConfig configures an Embedder.
type EmbedderConfig struct {
	// Model defaults to DefaultEmbeddingModel.
	Model string
	// Dim is the vector size the model returns. Default: the native size of OpenAI's
	// models; required for others (an Ollama model, say), and when the provider asks for
	// shortened vectors (llm/openai Config.EmbedDimensions), that size.
	Dim int
}

// Embedder is an embed.Embedder on a Client: the semantic cache's embeddings from an
// OpenAI-compatible endpoint go through the same pipeline as chat completions (retry
// loop, breaker, observation, cost). It L2-normalises the vectors, as embed.Embedder
// requires and not every compatible server does.
type Embedder struct {
	c     *Client
	model string
	dim   int
}

// DimensionError reports a vector whose length is not the Embedder's Dim.
type DimensionError struct {
	Model     string
	Got, Want int
}

func (e *DimensionError) Error() string {
	return fmt.Sprintf("llm: embedding model %s returned %d-d vectors, configured for %d (set EmbedderConfig.Dim)", e.Model, e.Got, e.Want)
}

// NewEmbedder returns an Embedder over c. It makes no request.
func NewEmbedder(c *Client, cfg EmbedderConfig) (*Embedder, error) {
	if c == nil {
		return nil, errors.New("llm: NewEmbedder needs a Client")
	}
	if cfg.Model == "" {
		cfg.Model = DefaultEmbeddingModel
	}
	if cfg.Dim == 0 {
		cfg.Dim = embeddingDims[cfg.Model]
	}
	if cfg.Dim <= 0 {
		return nil, fmt.Errorf("llm: unknown vector size of embedding model %q: set EmbedderConfig.Dim", cfg.Model)
	}
	return &Embedder{c: c, model: cfg.Model, dim: cfg.Dim}, nil
}

// Dim returns the vector length.
func (e *Embedder) Dim() int { return e.dim }

// Name identifies the embedding space: provider, model and dimension.
func (e *Embedder) Name() string { return fmt.Sprintf("%s:%s:%d", e.c.name, e.model, e.dim) }

// Embed embeds texts. Empty texts are rejected before any request (the API refuses
// them) with an error wrapping embed.ErrEmptyInput.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	for i, t := range texts {
		if t == "" {
			return nil, fmt.Errorf("llm: embedding text %d: %w", i, embed.ErrEmptyInput)
		}
	}
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	res, err := e.c.Embed(ctx, e.model, texts)
	if err != nil {
		return nil, err
	}
	if len(res.Vectors) != len(texts) {
		return nil, &Error{Type: ParseError, Provider: e.c.name, Model: e.model,
			Err: fmt.Errorf("%w: %d embeddings for %d inputs", ErrMalformedResponse, len(res.Vectors), len(texts))}
	}
	for i, v := range res.Vectors {
		if len(v) != e.dim {
			return nil, &DimensionError{Model: e.model, Got: len(v), Want: e.dim}
		}
		normalise(v)
		res.Vectors[i] = v
	}
	return res.Vectors, nil
}

// normalise scales v to unit length in place (a zero vector stays zero).
func normalise(v []float32) {
	var ss float64
	for _, x := range v {
		ss += float64(x) * float64(x)
	}
	if ss == 0 {
		return
	}
	inv := 1 / math.Sqrt(ss)
	for i, x := range v {
		v[i] = float32(float64(x) * inv)
	}
}

var _ embed.Embedder = (*Embedder)(nil)
