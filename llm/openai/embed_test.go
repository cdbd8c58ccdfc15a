package openai

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/planwise/planwise/llm"
)

// The fake answers each input with [len(input), index in batch, 0.5], listing the
// vectors in reverse order so that Embed must order them by index.
func TestEmbedBatchesAndOrders(t *testing.T) {
	var f *fakeAPI
	f = newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		body := f.Requests()[n-1].Body
		inputs, _ := body["input"].([]any)
		data := make([]any, 0, len(inputs))
		for i := len(inputs) - 1; i >= 0; i-- {
			s, _ := inputs[i].(string)
			data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": []float64{float64(len(s)), float64(i), 0.5}})
		}
		writeJSON(w, 200, map[string]any{"object": "list", "model": body["model"], "data": data,
			"usage": map[string]any{"prompt_tokens": 3 * len(inputs), "total_tokens": 3 * len(inputs)}})
	})
	p, err := New(Config{BaseURL: f.URL + "/v1", APIKey: "k", EmbedBatchSize: 2, EmbedDimensions: 3})
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{"a", "bb", "ccc", "dddd", "eeeee"}
	vecs, usage, err := p.Embed(context.Background(), "text-embedding-3-small", inputs)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Requests()) != 3 {
		t.Errorf("%d requests for 5 inputs in batches of 2", len(f.Requests()))
	}
	if usage.PromptTokens != 15 || usage.CompletionTokens != 0 {
		t.Errorf("usage %+v", usage)
	}
	for i, v := range vecs {
		// Length of the input proves the order; position within its batch proves the index mapping.
		if len(v) != 3 || v[0] != float32(len(inputs[i])) || v[1] != float32(i%2) || v[2] != 0.5 {
			t.Errorf("vector %d = %v", i, v)
		}
	}
	for _, r := range f.Requests() {
		if r.Path != "/v1/embeddings" || r.Body["model"] != "text-embedding-3-small" || r.Body["dimensions"] != float64(3) {
			t.Errorf("request %s %v", r.Path, r.Body)
		}
	}
}

func TestEmbedRejectsMismatchedResponses(t *testing.T) {
	tests := map[string][]any{
		"too few": {map[string]any{"index": 0, "embedding": []float64{1, 2}}},
		"repeated index": {
			map[string]any{"index": 0, "embedding": []float64{1, 2}},
			map[string]any{"index": 0, "embedding": []float64{1, 2}},
		},
		"ragged": {
			map[string]any{"index": 0, "embedding": []float64{1, 2}},
			map[string]any{"index": 1, "embedding": []float64{1, 2, 3}},
		},
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
				writeJSON(w, 200, map[string]any{"object": "list", "model": "m", "data": data, "usage": map[string]any{"prompt_tokens": 2, "total_tokens": 2}})
			})
			_, _, err := f.provider(t).Embed(context.Background(), "m", []string{"x", "y"})
			if llm.Classify(err) != llm.ParseError || !errors.Is(err, llm.ErrMalformedResponse) {
				t.Errorf("err %v", err)
			}
		})
	}
}

func TestEmbedErrorsAreTyped(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "1")
		apiError(w, 429, "rate_limit_exceeded", "slow down")
	})
	_, _, err := f.provider(t).Embed(context.Background(), "text-embedding-3-small", []string{"x"})
	var e *llm.Error
	if !errors.As(err, &e) || e.Type != llm.RateLimitError || e.RetryAfter.Seconds() != 1 {
		t.Fatalf("err %#v", err)
	}
	vecs, usage, err := f.provider(t).Embed(context.Background(), "m", nil)
	if err != nil || vecs != nil || usage != (llm.Usage{}) {
		t.Errorf("empty input: %v %v %v", vecs, usage, err)
	}
}

func TestEmbedThroughTheResilientLoop(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After-Ms", "250")
			apiError(w, 429, "rate_limit_exceeded", "slow down")
			return
		}
		writeJSON(w, 200, map[string]any{"object": "list", "model": "m",
			"data":  []any{map[string]any{"index": 0, "embedding": []float64{0.6, 0.8}}},
			"usage": map[string]any{"prompt_tokens": 1, "total_tokens": 1}})
	})
	p := f.provider(t)
	var s sleeps
	r := resilient(p, llm.ResilienceConfig{Sleep: s.Sleep})
	res, err := r.Embed(context.Background(), "text-embedding-3-small", []string{"hello"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Vectors) != 1 || res.Vectors[0][1] != 0.8 || len(res.Attempts) != 2 {
		t.Errorf("vecs %v attempts %+v", res.Vectors, res.Attempts)
	}
	if got := s.All(); len(got) != 1 || got[0].Milliseconds() != 250 {
		t.Errorf("waits %v, want [250ms]", got)
	}
	if _, sent := f.Requests()[0].Body["dimensions"]; sent {
		t.Error("dimensions sent although not configured")
	}
}
