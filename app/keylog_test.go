package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines and the test's.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A server whose provider refuses the API key says so loudly and stops asking: the
// first request calls the provider once (no retry, no cascade to the stronger tier: the
// same key would be refused again), and the requests after it, within llm.auth_hold,
// make no call at all (5 requests cost 5 calls before the hold, 1 now); each is answered
// by the offline planner, an error is logged, the refusals are counted in
// planwise_errors_total, /readyz says degraded, and the provider_auth_failed alert fires.
func TestServeSaysLoudlyWhenTheProviderRefusesTheKey(t *testing.T) {
	var calls atomic.Int64
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"message":"Incorrect API key provided: sk-te**st.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`)
	}))
	defer provider.Close()
	cfg := DefaultConfig()
	cfg.Store.Driver = "memory"
	cfg.LLM.BaseURL, cfg.LLM.APIKey = provider.URL+"/v1", "sk-test"
	cfg.Metrics.AlertEvery = 20 * time.Millisecond
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

	const requests = 5
	for i := range requests {
		res, err := http.Post(url+"/api/v1/plan", "application/json",
			strings.NewReader(fmt.Sprintf(`{"request": "calculate %d + 3", "options": {"no_cache": true}}`, i+2)))
		if err != nil {
			t.Fatal(err)
		}
		var resp planner.Response
		err = json.NewDecoder(res.Body).Decode(&resp)
		res.Body.Close()
		wantAttempts := 0 // held: the provider refused the key a moment ago
		if i == 0 {
			wantAttempts = 1
		}
		if err != nil || res.StatusCode != 200 || resp.Source != planner.SourcePattern || resp.Attempts != wantAttempts ||
			!slices.Equal(resp.Errors, []string{string(llm.AuthError)}) {
			t.Fatalf("plan %d: %d %+v %v; want the offline plan after an AuthError, %d attempts", i, res.StatusCode, resp, err, wantAttempts)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d provider calls for %d requests, want 1", n, requests)
	}

	// Logged at error level, once for the burst (the counters carry the count).
	var lines []map[string]any
	for l := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && strings.Contains(fmt.Sprint(m["msg"]), "refused the API key") {
			lines = append(lines, m)
		}
	}
	if len(lines) != 1 || lines[0]["level"] != "ERROR" || lines[0]["status"] != float64(401) {
		t.Errorf("key refusal log lines %v, want one at ERROR with the status\n%s", lines, logs.String())
	}
	if strings.Contains(logs.String(), "sk-te") {
		t.Error("the log echoes the key")
	}

	get := func(path string) string {
		res, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	if want := fmt.Sprintf("planwise_errors_total{error_type=%q} %d\n", llm.AuthError, requests); !strings.Contains(get("/metrics"), want) {
		t.Errorf("/metrics does not count the refusals: want %q", want)
	}
	if ready := get("/readyz"); !strings.Contains(ready, "degraded") || !strings.Contains(ready, "refused the API key") {
		t.Errorf("/readyz does not say the key is refused: %s", ready)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var st struct {
			Active []struct{ Rule string } `json:"active"`
		}
		if json.Unmarshal([]byte(get("/api/v1/alerts")), &st) == nil && len(st.Active) > 0 && st.Active[0].Rule == "provider_auth_failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the provider_auth_failed alert did not fire: %s", get("/api/v1/alerts"))
		}
		time.Sleep(20 * time.Millisecond) // poll: the alerts are evaluated every 20 ms
	}
}

// keyRefusedLog logs the first refusal at once and then at most one line an interval,
// counting the refusals in between; other failures are not its business.
func TestKeyRefusedLogIsRateLimited(t *testing.T) {
	var logs syncBuffer
	now := time.Unix(1_700_000_000, 0)
	o := &keyRefusedLog{Observer: metrics.NewLLMObserver(nil, nil), log: slog.New(slog.NewJSONHandler(&logs, nil)),
		every: time.Minute, now: func() time.Time { return now }}
	end := func(typ llm.ErrorType) {
		o.End(context.Background(), &llm.Call{Op: llm.OpChat, Provider: "openai", Model: "gpt-4o-mini", Err: &llm.Error{Type: typ, Status: 401}})
	}
	count := func() int { return strings.Count(logs.String(), "refused the API key") }
	end(llm.AuthError)
	if count() != 1 {
		t.Fatalf("first refusal: %d lines", count())
	}
	for range 4 {
		now = now.Add(10 * time.Second)
		end(llm.AuthError)
		end(llm.ServerError)
	}
	if count() != 1 {
		t.Fatalf("within the interval: %d lines\n%s", count(), logs.String())
	}
	// Calls held without asking the provider (llm.auth_hold) are counted apart.
	for range 3 {
		o.End(context.Background(), &llm.Call{Op: llm.OpChat, Provider: "openai", Model: "gpt-4o-mini",
			Err: &llm.Error{Type: llm.AuthError, Status: 401, Err: llm.ErrAuthHeld}})
	}
	now = now.Add(30 * time.Second)
	end(llm.AuthError)
	if count() != 2 || !strings.Contains(logs.String(), `"refused_calls":5,"held_calls":3`) {
		t.Fatalf("after the interval: want a second line counting 5 refusals and 3 held calls\n%s", logs.String())
	}
}
