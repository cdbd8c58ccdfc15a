package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A provider failing every call opens the circuit breakers, and serve says so: each
// transition is logged (warning) and counted (planwise_circuit_breaker_transitions_total,
// planwise_circuit_breaker_open), and /readyz stays 200 but reports the service degraded,
// naming the breaker (the offline planners still answer). Breaker transitions were
// neither logged nor counted before issue 13.
func TestServeReportsOpenBreakers(t *testing.T) {
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"error":{"message":"upstream failure","type":"server_error","param":null,"code":null}}`)
	}))
	defer provider.Close()
	cfg := DefaultConfig()
	cfg.Store.Driver = "memory"
	cfg.LLM.BaseURL, cfg.LLM.APIKey = provider.URL+"/v1", "sk-test"
	cfg.LLM.MaxAttempts = 1 // one call a model and request: 5 requests open the breakers
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := New(ctx, &cfg, Options{Serve: true, Stderr: io.Discard, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-served
		a.Close()
	}()
	get := func(path string) (int, string) {
		res, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		if code, _ := get("/readyz"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz never answered 200")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, ready := get("/readyz"); strings.Contains(ready, "degraded") {
		t.Fatalf("/readyz degraded before any failure: %s", ready)
	}

	const breaker = "openai/gpt-4o-mini"
	for i := range 5 {
		res, err := http.Post(url+"/api/v1/plan", "application/json",
			strings.NewReader(fmt.Sprintf(`{"request": "calculate %d + 3", "options": {"no_cache": true}}`, i+2)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("plan %d: %d; want the offline plan", i, res.StatusCode)
		}
	}
	code, ready := get("/readyz")
	var rz struct {
		Status   string   `json:"status"`
		Degraded []string `json:"degraded"`
	}
	if err := json.Unmarshal([]byte(ready), &rz); err != nil || code != 200 || rz.Status != "degraded" ||
		!strings.Contains(strings.Join(rz.Degraded, "\n"), "llm circuit breaker "+breaker+" is open") {
		t.Errorf("/readyz with the breaker open: %d %s; want 200, degraded, naming %s", code, ready, breaker)
	}
	_, m := get("/metrics")
	for _, want := range []string{
		`planwise_circuit_breaker_transitions_total{breaker="` + breaker + `",state="open"} 1`,
		`planwise_circuit_breaker_open{breaker="` + breaker + `"} 1`,
	} {
		if !strings.Contains(m, want+"\n") {
			t.Errorf("/metrics lacks %s:\n%s", want, grepLines(m, "circuit_breaker"))
		}
	}
	var opened bool
	for l := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(l), &e) == nil && e["msg"] == "circuit breaker open" && e["breaker"] == breaker && e["level"] == "WARN" {
			opened = true
		}
	}
	if !opened {
		t.Errorf("no warning logged when %s opened:\n%s", breaker, logs.String())
	}
}
