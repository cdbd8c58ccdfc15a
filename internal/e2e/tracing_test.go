package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
)

// receiverBinary finds the OTLP receiver test tool .ci/run builds (the OpenTelemetry
// Collector's otlpreceiver in a small program: .ci/otlp-receiver).
func receiverBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("planwise-otlp-receiver"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "planwise-otlp-receiver")
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	t.Skip("planwise-otlp-receiver is not installed (.ci/run builds it: cd .ci/otlp-receiver && go build -o $(go env GOPATH)/bin/planwise-otlp-receiver .): the OTLP test is skipped")
	return ""
}

// otlpSpan is a span as the collector's OTLP/JSON marshaler writes it.
type otlpSpan struct {
	TraceID      string `json:"traceId"`
	SpanID       string `json:"spanId"`
	ParentSpanID string `json:"parentSpanId"`
	Name         string `json:"name"`
	Kind         int    `json:"kind"`
	Attributes   []struct {
		Key   string `json:"key"`
		Value struct {
			StringValue *string `json:"stringValue"`
			IntValue    *string `json:"intValue"`
			ArrayValue  *struct {
				Values []struct {
					StringValue string `json:"stringValue"`
				} `json:"values"`
			} `json:"arrayValue"`
		} `json:"value"`
	} `json:"attributes"`
}

func (s otlpSpan) attr(key string) string {
	for _, a := range s.Attributes {
		if a.Key != key {
			continue
		}
		switch {
		case a.Value.StringValue != nil:
			return *a.Value.StringValue
		case a.Value.IntValue != nil:
			return *a.Value.IntValue
		case a.Value.ArrayValue != nil:
			var vs []string
			for _, v := range a.Value.ArrayValue.Values {
				vs = append(vs, v.StringValue)
			}
			return strings.Join(vs, ",")
		}
	}
	return ""
}

var receiverReady = regexp.MustCompile(`listening on (http://\S+)`)

// TestTraceJoinsTheCallersTrace: a plan request that carries a W3C traceparent produces
// spans in the caller's trace at a real OTLP/HTTP receiver (the OpenTelemetry
// Collector's): the HTTP server span (child of the caller's span), the planner's stages,
// the GenAI chat span with the response attributes, and the HTTP client span to the
// provider, whose request carried the same trace on.
func TestTraceJoinsTheCallersTrace(t *testing.T) {
	bin := receiverBinary(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rcv := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0")
	stderr, _ := rcv.StderrPipe()
	stdout, _ := rcv.StdoutPipe()
	if err := rcv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = rcv.Wait() })
	var mu sync.Mutex
	var lines []string
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for sc.Scan() {
			mu.Lock()
			lines = append(lines, sc.Text())
			mu.Unlock()
		}
	}()
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := receiverReady.FindStringSubmatch(sc.Text()); m != nil {
				ready <- m[1]
			}
		}
	}()
	var endpoint string
	select {
	case endpoint = <-ready:
	case <-time.After(20 * time.Second):
		t.Fatal("the OTLP receiver did not start")
	}

	tp, shutdown, err := metrics.SetupTracing(ctx, metrics.TracingConfig{Endpoint: endpoint, ServiceName: "planwise-e2e"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sim.Config{Gold: gold()})
	if err != nil {
		t.Fatal(err)
	}
	var seenMu sync.Mutex
	var seen []string // traceparent headers the provider received
	simSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seenMu.Lock()
		seen = append(seen, r.Header.Get("traceparent"))
		seenMu.Unlock()
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { s.Close(); simSrv.Close() })
	prov, err := openai.New(openai.Config{BaseURL: simSrv.URL + "/v1", APIKey: "test", TracerProvider: tp})
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(catalog(t), planner.WithTracerProvider(tp),
		planner.WithLLM(planner.LLMConfig{Provider: llm.NewClient(prov, llm.ClientConfig{Observer: metrics.NewLLMObserver(nil, tp)}),
			Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(server.New(server.Config{}, p, server.WithTracing(tp)).Handler())
	t.Cleanup(api.Close)

	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	body, _ := json.Marshal(map[string]any{"request": requests[0]})
	req, _ := http.NewRequest("POST", api.URL+"/api/v1/plan", bytes.NewReader(body))
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(raw), `"source":"llm"`) {
		t.Fatalf("plan: %d %s", res.StatusCode, raw)
	}
	if err := shutdown(context.Background()); err != nil { // flushes every span
		t.Fatal(err)
	}

	var spans []otlpSpan
	deadline := time.Now().Add(10 * time.Second)
	for {
		spans = spans[:0]
		mu.Lock()
		for _, l := range lines {
			var td struct {
				ResourceSpans []struct {
					ScopeSpans []struct {
						Spans []otlpSpan `json:"spans"`
					} `json:"scopeSpans"`
				} `json:"resourceSpans"`
			}
			if err := json.Unmarshal([]byte(l), &td); err != nil {
				t.Fatalf("receiver wrote %q: %v", l, err)
			}
			for _, rs := range td.ResourceSpans {
				for _, ss := range rs.ScopeSpans {
					spans = append(spans, ss.Spans...)
				}
			}
		}
		mu.Unlock()
		if len(spans) >= 5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	byName := map[string]otlpSpan{}
	for _, sp := range spans {
		if !strings.EqualFold(sp.TraceID, traceID) {
			t.Errorf("span %q is in trace %s, not the caller's %s", sp.Name, sp.TraceID, traceID)
		}
		byName[sp.Name] = sp
	}
	srv, ok := byName["POST /api/v1/plan"]
	if !ok || !strings.EqualFold(srv.ParentSpanID, parentID) || srv.Kind != 2 {
		t.Fatalf("no HTTP server span under the caller's span %s; spans: %v", parentID, names(spans))
	}
	plan, ok := byName["planwise.plan"]
	if !ok || plan.ParentSpanID != srv.SpanID {
		t.Fatalf("planwise.plan is not the server span's child; spans: %v", names(spans))
	}
	chat, ok := byName["chat gpt-4o-mini"]
	if !ok {
		t.Fatalf("no chat span; spans: %v", names(spans))
	}
	for key, want := range map[string]string{
		"gen_ai.response.model":          "gpt-4o-mini",
		"gen_ai.response.finish_reasons": "stop",
		"gen_ai.provider.name":           "openai",
	} {
		if got := chat.attr(key); got != want {
			t.Errorf("chat span %s = %q, want %q", key, got, want)
		}
	}
	if !strings.HasPrefix(chat.attr("gen_ai.response.id"), "chatcmpl-") || chat.attr("gen_ai.usage.input_tokens") == "" {
		t.Errorf("chat span response id %q, input tokens %q", chat.attr("gen_ai.response.id"), chat.attr("gen_ai.usage.input_tokens"))
	}
	var client otlpSpan
	for _, sp := range spans {
		if sp.Kind == 3 && sp.ParentSpanID == chat.SpanID {
			client = sp
		}
	}
	if client.SpanID == "" {
		t.Fatalf("no HTTP client span under the chat span; spans: %v", names(spans))
	}
	seenMu.Lock()
	defer seenMu.Unlock()
	if len(seen) == 0 || !strings.Contains(seen[len(seen)-1], traceID+"-"+client.SpanID) {
		t.Errorf("the provider received traceparent %q, want the client span %s in trace %s", seen, client.SpanID, traceID)
	}
	t.Logf("%d spans in trace %s at the collector's OTLP receiver: %v", len(spans), traceID, names(spans))
}

func names(spans []otlpSpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name
	}
	return out
}
