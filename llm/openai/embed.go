package openai

import (
	"context"
	"fmt"
	"net/http"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/planwise/planwise/llm"
)

// Embed returns one vector per input, in input order, from the /embeddings endpoint,
// sending at most Config.EmbedBatchSize inputs per request (batches go one after the
// other, so a failure stops early and ctx bounds the whole call). Usage.PromptTokens
// sums the batches. Errors are *llm.Error, classified like Complete's; a response whose
// vectors do not match the inputs one to one is a ParseError wrapping
// llm.ErrMalformedResponse. Embed never retries (llm.Client.Embed does, and
// llm.NewEmbedder makes an embed.Embedder of it). OpenAI rejects empty strings, so the
// caller should not send them.
func (p *Provider) Embed(ctx context.Context, model string, inputs []string) ([][]float32, llm.Usage, error) {
	var usage llm.Usage
	if len(inputs) == 0 {
		return nil, usage, nil
	}
	if model == "" {
		return nil, usage, &llm.Error{Type: llm.BadRequestError, Provider: p.name, Err: fmt.Errorf("embeddings request has no model")}
	}
	out := make([][]float32, len(inputs))
	for lo := 0; lo < len(inputs); lo += p.batch {
		hi := min(lo+p.batch, len(inputs))
		vecs, u, err := p.embedBatch(ctx, model, inputs[lo:hi])
		usage = usage.Add(u)
		if err != nil {
			err.Usage = usage
			return nil, usage, err
		}
		copy(out[lo:hi], vecs)
	}
	return out, usage, nil
}

func (p *Provider) embedBatch(ctx context.Context, model string, batch []string) ([][]float32, llm.Usage, *llm.Error) {
	var httpResp *http.Response
	opts := append(p.callOptions(model, nil), option.WithResponseInto(&httpResp))
	params := sdk.EmbeddingNewParams{
		Model: sdk.EmbeddingModel(model),
		Input: sdk.EmbeddingNewParamsInputUnion{OfArrayOfStrings: batch},
	}
	if p.dims > 0 {
		params.Dimensions = sdk.Int(int64(p.dims))
	}
	res, err := p.embeddings.New(ctx, params, opts...)
	if err != nil {
		return nil, llm.Usage{}, p.mapError(ctx, model, httpResp, err)
	}
	usage := llm.Usage{PromptTokens: int(res.Usage.PromptTokens)}
	malformed := func(format string, args ...any) *llm.Error {
		e := &llm.Error{Type: llm.ParseError, Provider: p.name, Model: model, Usage: usage,
			Err: fmt.Errorf("%w: "+format, append([]any{llm.ErrMalformedResponse}, args...)...)}
		if httpResp != nil {
			e.Status = httpResp.StatusCode
		}
		return e
	}
	if len(res.Data) != len(batch) {
		return nil, usage, malformed("%d embeddings for %d inputs", len(res.Data), len(batch))
	}
	vecs := make([][]float32, len(batch))
	dim := -1
	for _, d := range res.Data {
		i := int(d.Index)
		if i < 0 || i >= len(batch) || vecs[i] != nil {
			return nil, usage, malformed("embedding index %d out of range or repeated", d.Index)
		}
		if len(d.Embedding) == 0 || (dim >= 0 && len(d.Embedding) != dim) {
			return nil, usage, malformed("embedding %d has %d dimensions", i, len(d.Embedding))
		}
		dim = len(d.Embedding)
		v := make([]float32, dim)
		for j, x := range d.Embedding {
			v[j] = float32(x)
		}
		vecs[i] = v
	}
	return vecs, usage, nil
}
