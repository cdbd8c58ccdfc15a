package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// A restart keeps the cache (SQLite), and a registry change invalidates it.
func TestCacheSurvivesRestartRegistryChangeInvalidates(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "sqlite")
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "pw.db"))
	ctx := context.Background()
	mkReg := func(desc string) *tool.Registry {
		reg, err := tool.NewRegistry(&tool.Tool{Name: "lookup_order", Description: desc,
			InputSchema: json.RawMessage(`{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}`)})
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	open := func(reg *tool.Registry) (*App, *cache.Cache) {
		cfg, err := LoadConfig("")
		if err != nil {
			t.Fatal(err)
		}
		a, err := New(ctx, cfg, Options{Stderr: &bytes.Buffer{}})
		if err != nil {
			t.Fatal(err)
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		c, err := a.newCache(ctx, reg)
		if err != nil {
			t.Fatal(err)
		}
		return a, c
	}
	reg := mkReg("Find an order by its number")
	a, c := open(reg)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "lookup_order", Args: map[string]any{"order_id": "48213"}}}}
	ns := cache.Namespace{Tenant: "t"}
	if err := c.Store(ctx, ns, "find order 48213", p, reg); err != nil {
		t.Fatal(err)
	}
	a.Close()

	a, c = open(reg) // restart, same registry
	res, err := c.Lookup(ctx, ns, "find order 48231", reg)
	if err != nil || res.Hit == nil || res.Hit.Plan.Steps[0].Args["order_id"] != "48231" {
		t.Fatalf("after a restart: %+v %v", res, err)
	}
	a.Close()

	changed := mkReg("Find an order by its number (new description)")
	a, c = open(changed) // restart with a changed registry
	defer a.Close()
	if n := c.Stats().Entries; n != 0 {
		t.Fatalf("%d entries of the old registry kept", n)
	}
	if res, _ := c.Lookup(ctx, ns, "find order 48213", changed); res.Hit != nil {
		t.Fatal("a plan cached against the old registry was served")
	}
}

// With cache.embedder openai the cache's embeddings go through the chat calls' pipeline:
// the same client, its breakers (keyed by the embedding model) and the GenAI metrics.
func TestOpenAICacheEmbedderSharesTheLLMPipeline(t *testing.T) {
	s, err := sim.New(sim.Config{EmbeddingDims: 1536})
	if err != nil {
		t.Fatal(err)
	}
	var embeddings atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/embeddings" {
			embeddings.Add(1)
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); s.Close() })
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.LLM.BaseURL, cfg.LLM.APIKey = srv.URL+"/v1", "sk-test"
	cfg.Cache.Enabled, cfg.Cache.Embedder = true, "openai"
	ctx := context.Background()
	a, err := New(ctx, cfg, Options{Stderr: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "lookup_order", Description: "Find an order by its number",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	a.mu.Lock()
	c, err := a.newCache(ctx, reg)
	a.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "lookup_order", Args: map[string]any{"order_id": "48213"}}}}
	ns := cache.Namespace{Tenant: "t"}
	if err := c.Store(ctx, ns, "find order 48213", p, reg); err != nil {
		t.Fatal(err)
	}
	if res, err := c.Lookup(ctx, ns, "find order 48231", reg); err != nil || res.Hit == nil {
		t.Fatalf("lookup: %+v %v", res, err)
	}
	n := embeddings.Load()
	if n == 0 {
		t.Fatal("the cache never called the embeddings endpoint")
	}
	if st := a.llm.res.BreakerStates()["openai/"+llm.DefaultEmbeddingModel]; st != "closed" {
		t.Errorf("breakers %v: the embeddings did not go through the LLM client", a.llm.res.BreakerStates())
	}
	rec := httptest.NewRecorder()
	a.Recorder().Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	want := regexp.MustCompile(`gen_ai_client_operation_duration_seconds_count\{[^}]*gen_ai_operation_name="embeddings"[^}]*gen_ai_request_model="` +
		llm.DefaultEmbeddingModel + `"[^}]*\} ` + strconv.Itoa(int(n)) + `\n`)
	if !want.MatchString(rec.Body.String()) {
		t.Errorf("%d embeddings calls, metrics:\n%s", n, grepLines(rec.Body.String(), "embeddings"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
