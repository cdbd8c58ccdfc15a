package openai

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdk "github.com/openai/openai-go/v3"

	"github.com/planwise/planwise/embed"
)

// fakeServer speaks the /v1/embeddings wire format: the vector of a text is derived from
// its length so the test can check order; data is returned in reverse index order.
type fakeServer struct {
	t        *testing.T
	requests atomic.Int32
	status   int
	dim      int
	mu       sync.Mutex
	bodies   []map[string]any
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
		f.t.Errorf("Authorization = %q", got)
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.t.Errorf("decode body: %v", err)
	}
	f.mu.Lock()
	f.bodies = append(f.bodies, body)
	f.mu.Unlock()
	if f.status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(f.status)
		w.Write([]byte(`{"error":{"message":"slow down","type":"rate_limit_error","code":"rate_limit_exceeded","param":null}}`))
		return
	}
	inputs, _ := body["input"].([]any)
	type item struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float64 `json:"embedding"`
	}
	var data []item
	tokens := 0
	for i := len(inputs) - 1; i >= 0; i-- {
		s := inputs[i].(string)
		v := make([]float64, f.dim)
		v[0] = float64(len(s))
		v[1] = 3
		data = append(data, item{"embedding", i, v})
		tokens += len(strings.Fields(s))
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"object": "list", "data": data, "model": body["model"],
		"usage": map[string]int{"prompt_tokens": tokens, "total_tokens": tokens},
	})
}

type call struct {
	model  string
	tokens int
	err    error
}

func setup(t *testing.T, f *fakeServer, cfg Config) (*Embedder, *[]call) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	calls := &[]call{}
	cfg.BaseURL = srv.URL + "/v1"
	cfg.APIKey = "sk-test"
	cfg.OnCall = func(model string, d time.Duration, tokens int, err error) {
		if d <= 0 {
			t.Errorf("non-positive latency %v", d)
		}
		mu.Lock()
		*calls = append(*calls, call{model, tokens, err})
		mu.Unlock()
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, calls
}

func TestEmbedBatchesOrderAndAccounting(t *testing.T) {
	f := &fakeServer{t: t, dim: 8}
	e, calls := setup(t, f, Config{Dimensions: 8, BatchSize: 2})
	texts := []string{"a", "bb bb", "ccc", "dddd dd d", "eeeee"}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.requests.Load(); got != 3 {
		t.Fatalf("requests = %d, want 3 batches of at most 2", got)
	}
	for i, v := range vs {
		if len(v) != 8 {
			t.Fatalf("dim %d", len(v))
		}
		// v = normalise([len, 3, 0...])
		n := math.Hypot(float64(len(texts[i])), 3)
		if math.Abs(float64(v[0])-float64(len(texts[i]))/n) > 1e-6 {
			t.Errorf("text %d: vector out of order or not normalised: %v", i, v[:2])
		}
	}
	if f.bodies[0]["model"] != DefaultModel || f.bodies[0]["dimensions"] != float64(8) {
		t.Errorf("request body %v", f.bodies[0])
	}
	total := 0
	for _, c := range *calls {
		if c.err != nil || c.model != DefaultModel {
			t.Errorf("call %+v", c)
		}
		total += c.tokens
	}
	if len(*calls) != 3 || total != 8 {
		t.Errorf("OnCall saw %d calls, %d tokens; want 3 calls, 8 tokens", len(*calls), total)
	}
	if e.Name() != "openai:text-embedding-3-small:8" || e.Dim() != 8 {
		t.Errorf("Name %q Dim %d", e.Name(), e.Dim())
	}
}

func TestEmbedErrorNoSDKRetry(t *testing.T) {
	f := &fakeServer{t: t, dim: 4, status: http.StatusTooManyRequests}
	e, calls := setup(t, f, Config{Dim: 4, Model: "nomic-embed-text"})
	_, err := e.Embed(context.Background(), []string{"x"})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
		t.Fatalf("err = %v, want the SDK's 429 error in the chain", err)
	}
	if got := f.requests.Load(); got != 1 {
		t.Errorf("requests = %d: the SDK retried; retries must be off", got)
	}
	if len(*calls) != 1 || (*calls)[0].err == nil {
		t.Errorf("OnCall must report the failed call: %+v", *calls)
	}
}

func TestEmbedDimensionMismatch(t *testing.T) {
	f := &fakeServer{t: t, dim: 6}
	e, _ := setup(t, f, Config{})
	_, err := e.Embed(context.Background(), []string{"x"})
	var de *DimensionError
	if !errors.As(err, &de) || de.Got != 6 || de.Want != 1536 {
		t.Fatalf("err = %v, want DimensionError 6 vs 1536", err)
	}
}

func TestEmbedRejectsEmptyText(t *testing.T) {
	f := &fakeServer{t: t, dim: 4}
	e, _ := setup(t, f, Config{Dim: 4})
	if _, err := e.Embed(context.Background(), []string{"ok", ""}); !errors.Is(err, embed.ErrEmptyInput) {
		t.Fatalf("err = %v", err)
	}
	if f.requests.Load() != 0 {
		t.Error("request sent for an invalid batch")
	}
}

func TestNewValidates(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("missing BaseURL accepted")
	}
	if _, err := New(Config{BaseURL: "http://x", Model: "mystery"}); err == nil {
		t.Error("unknown model without Dim accepted")
	}
	if _, err := New(Config{BaseURL: "http://x", BatchSize: 5000}); err == nil {
		t.Error("oversized batch accepted")
	}
}
