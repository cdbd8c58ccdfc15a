// Package embed turns texts into dense vectors for similarity search.
//
// An Embedder maps a batch of texts to one vector each, all of length Dim. Callers (the
// semantic plan cache, the history store) compare vectors by cosine similarity, so every
// Embedder in planwise returns L2-normalised vectors: the cosine is then a dot product.
//
// Name identifies the embedding space. Two embedders with the same Name must produce the
// same vector for the same text; vectors from different names must never be compared.
// Callers persist the Name next to stored vectors and re-embed when it changes, and they
// calibrate similarity thresholds per Name (see the cache package).
//
// Two implementations ship: Local (this package), a feature-hashing embedder that needs
// no model download and runs in microseconds, the offline default; and llm.Embedder, which
// calls any OpenAI-compatible /v1/embeddings endpoint (OpenAI, Ollama, llama.cpp, vLLM)
// through the same llm.Client as the chat calls (retries, breakers, metrics, cost).
package embed

import (
	"context"
	"errors"
)

// Embedder maps texts to L2-normalised vectors of length Dim.
//
// Embed returns exactly one vector per input text, in input order, or an error; it never
// returns a partial result. Implementations are safe for concurrent use.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	Dim() int
	Name() string
}

// ErrEmptyInput is returned (wrapped) when an embedder is asked to embed an empty batch
// element that the backend cannot represent.
var ErrEmptyInput = errors.New("embed: empty input text")

// One embeds a single text with e.
func One(ctx context.Context, e Embedder, text string) ([]float32, error) {
	vs, err := e.Embed(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}
