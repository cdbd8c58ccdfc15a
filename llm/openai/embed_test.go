package openai

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/embed"
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
	if n := len(f.Requests()); n != 1 {
		t.Errorf("%d requests: the SDK retried; its retries must be off (the llm.Client's loop is the only one)", n)
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

// attemptLog is an llm.Observer that keeps the attempts it is told of.
type attemptLog struct {
	mu       sync.Mutex
	attempts []llm.Attempt
	ops      []llm.Op
}

func (l *attemptLog) Start(ctx context.Context, call *llm.Call) context.Context { return ctx }
func (l *attemptLog) End(ctx context.Context, call *llm.Call)                   {}
func (l *attemptLog) Attempt(ctx context.Context, call *llm.Call, a llm.Attempt) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attempts = append(l.attempts, a)
	l.ops = append(l.ops, call.Op)
}

// embeddingAPI answers each input with [len(input), 3, 0...] of dim, the vectors listed
// in reverse index order, and counts a token per input; its first rateLimited requests
// get a 429 with retry-after-ms 5.
func embeddingAPI(t *testing.T, dim, rateLimited int) *fakeAPI {
	var f *fakeAPI
	f = newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= rateLimited {
			w.Header().Set("Retry-After-Ms", "5")
			apiError(w, 429, "rate_limit_exceeded", "slow down")
			return
		}
		inputs, _ := f.Requests()[n-1].Body["input"].([]any)
		data := make([]any, 0, len(inputs))
		for i := len(inputs) - 1; i >= 0; i-- {
			s, _ := inputs[i].(string)
			v := make([]float64, dim)
			v[0], v[1] = float64(len(s)), 3
			data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": v})
		}
		writeJSON(w, 200, map[string]any{"object": "list", "model": "m", "data": data,
			"usage": map[string]any{"prompt_tokens": len(inputs), "total_tokens": len(inputs)}})
	})
	return f
}

// The semantic cache's embedder over the real provider: batches, order, unit vectors, and
// every request observed as an embeddings attempt with its latency and tokens.
func TestEmbedderBatchesOrderAndAccounting(t *testing.T) {
	f := embeddingAPI(t, 8, 0)
	p, err := New(Config{BaseURL: f.URL + "/v1", APIKey: "sk-test", EmbedBatchSize: 2, EmbedDimensions: 8})
	if err != nil {
		t.Fatal(err)
	}
	obs := &attemptLog{}
	e, err := llm.NewEmbedder(llm.NewClient(p, llm.ClientConfig{Observer: obs}), llm.EmbedderConfig{Dim: 8})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"a", "bb bb", "ccc", "dddd dd d", "eeeee"}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.Requests()); got != 3 {
		t.Fatalf("requests = %d, want 3 batches of at most 2", got)
	}
	for i, v := range vs {
		n := math.Hypot(float64(len(texts[i])), 3)
		if len(v) != 8 || math.Abs(float64(v[0])-float64(len(texts[i]))/n) > 1e-6 {
			t.Errorf("text %d: vector out of order or not normalised: %v", i, v)
		}
	}
	if b := f.Requests()[0].Body; b["model"] != llm.DefaultEmbeddingModel || b["dimensions"] != float64(8) {
		t.Errorf("request body %v", b)
	}
	if len(obs.attempts) != 1 || obs.ops[0] != llm.OpEmbeddings || obs.attempts[0].Usage.PromptTokens != 5 ||
		obs.attempts[0].Duration <= 0 || obs.attempts[0].Model != llm.DefaultEmbeddingModel {
		t.Errorf("observed %+v %v, want one embeddings attempt of 5 tokens", obs.attempts, obs.ops)
	}
	if e.Name() != "openai:text-embedding-3-small:8" || e.Dim() != 8 {
		t.Errorf("Name %q Dim %d", e.Name(), e.Dim())
	}
}

// The cache's embeddings get the chat calls' retries: a 429 is waited out and retried,
// and both attempts are observed.
func TestEmbedderRetriesThroughTheClient(t *testing.T) {
	f := embeddingAPI(t, 4, 1)
	obs := &attemptLog{}
	var s sleeps
	e, err := llm.NewEmbedder(llm.NewClient(f.provider(t), llm.ClientConfig{Observer: obs, Resilience: llm.ResilienceConfig{Sleep: s.Sleep}}),
		llm.EmbedderConfig{Model: "nomic-embed-text", Dim: 4})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := e.Embed(context.Background(), []string{"hello"})
	if err != nil || len(vs) != 1 || len(vs[0]) != 4 {
		t.Fatalf("Embed = %v, %v", vs, err)
	}
	if len(f.Requests()) != 2 || len(obs.attempts) != 2 || obs.attempts[0].ErrorType != llm.RateLimitError || obs.attempts[1].ErrorType != "" {
		t.Errorf("%d requests, attempts %+v", len(f.Requests()), obs.attempts)
	}
	if got := s.All(); len(got) != 1 || got[0] != 5*time.Millisecond {
		t.Errorf("waits %v, want the server's 5ms", got)
	}
}

func TestEmbedderDimensionMismatchAndEmptyText(t *testing.T) {
	f := embeddingAPI(t, 6, 0)
	e, err := llm.NewEmbedder(llm.NewClient(f.provider(t), llm.ClientConfig{}), llm.EmbedderConfig{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Embed(context.Background(), []string{"x"})
	var de *llm.DimensionError
	if !errors.As(err, &de) || de.Got != 6 || de.Want != 1536 {
		t.Fatalf("err = %v, want DimensionError 6 vs 1536", err)
	}
	if _, err := e.Embed(context.Background(), []string{"ok", ""}); !errors.Is(err, embed.ErrEmptyInput) {
		t.Fatalf("err = %v", err)
	}
	if len(f.Requests()) != 1 {
		t.Error("request sent for an invalid batch")
	}
	if _, err := New(Config{BaseURL: "http://x", EmbedBatchSize: 5000}); err == nil {
		t.Error("oversized batch accepted")
	}
}
