package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
)

// recorded is one request as the fake server saw it.
type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                map[string]any
}

// fakeAPI is an httptest server speaking the OpenAI wire format. Each test scripts its
// answers with handle; every request is recorded.
type fakeAPI struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
	handle   func(w http.ResponseWriter, r *http.Request, n int)
}

func newFakeAPI(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{handle: handle}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		f.mu.Lock()
		f.requests = append(f.requests, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
		n := len(f.requests)
		f.mu.Unlock()
		f.handle(w, r, n)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) Requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

func (f *fakeAPI) provider(t *testing.T) *Provider {
	t.Helper()
	p, err := New(Config{BaseURL: f.URL + "/v1", APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func completion(content, finish string) map[string]any {
	return map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1764000000,
		"model": "gpt-4o-mini-2024-07-18",
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": finish, "logprobs": nil,
			"message": map[string]any{"role": "assistant", "content": content, "refusal": nil},
		}},
		"usage": map[string]any{"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
	}
}

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}})
}

func okHandler(w http.ResponseWriter, r *http.Request, n int) {
	writeJSON(w, 200, completion(`{"steps":[]}`, "stop"))
}

var schema = json.RawMessage(`{"type":"object","properties":{"steps":{"type":"array","items":{"type":"string"}}},"required":["steps"],"additionalProperties":false}`)

func planRequest() llm.Request {
	temp, seed := 0.2, int64(7)
	return llm.Request{
		Model: "gpt-4o-mini",
		Messages: []llm.Message{
			{Role: llm.RoleSystem, Content: "You plan tool calls."},
			{Role: llm.RoleUser, Content: "weather in Paris"},
		},
		Format:      &llm.ResponseFormat{Name: "plan", Schema: schema, Strict: true},
		MaxTokens:   512,
		Temperature: &temp,
		Seed:        &seed,
		Headers:     map[string]string{"X-Sim-Fault": "none"},
	}
}

// fastRetries is a Resilient config whose waits are recorded instead of slept.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) All() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func TestCompleteSendsStrictJSONSchemaAndReadsUsage(t *testing.T) {
	f := newFakeAPI(t, okHandler)
	resp, err := f.provider(t).Complete(context.Background(), planRequest())
	if err != nil {
		t.Fatal(err)
	}
	if resp.Content != `{"steps":[]}` || resp.FinishReason != "stop" || resp.Model != "gpt-4o-mini-2024-07-18" {
		t.Errorf("response %+v", resp)
	}
	// The provider reports its one HTTP exchange; attempts are the llm.Client's to record.
	if resp.Usage != (llm.Usage{PromptTokens: 120, CompletionTokens: 30}) || resp.Attempts != nil || resp.Latency <= 0 {
		t.Errorf("usage %+v attempts %v latency %s", resp.Usage, resp.Attempts, resp.Latency)
	}

	reqs := f.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v1/chat/completions" {
		t.Errorf("%s %s", r.Method, r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization %q", got)
	}
	if got := r.Header.Get("X-Sim-Fault"); got != "none" {
		t.Errorf("extra header not sent: %q", got)
	}
	b := r.Body
	if b["model"] != "gpt-4o-mini" || b["max_tokens"] != float64(512) || b["temperature"] != 0.2 || b["seed"] != float64(7) {
		t.Errorf("body %v", b)
	}
	msgs, _ := b["messages"].([]any)
	if len(msgs) != 2 || msgs[0].(map[string]any)["role"] != "system" || msgs[1].(map[string]any)["content"] != "weather in Paris" {
		t.Errorf("messages %v", msgs)
	}
	rf, _ := b["response_format"].(map[string]any)
	js, _ := rf["json_schema"].(map[string]any)
	if rf["type"] != "json_schema" || js["name"] != "plan" || js["strict"] != true {
		t.Fatalf("response_format %v", rf)
	}
	gotSchema, _ := json.Marshal(js["schema"])
	var want, got any
	_ = json.Unmarshal(schema, &want)
	_ = json.Unmarshal(gotSchema, &got)
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("schema sent %s, want %s", gotSchema, schema)
	}
}

func TestCompleteWithoutFormatOrKey(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	f := newFakeAPI(t, okHandler)
	p, err := New(Config{BaseURL: f.URL + "/v1"})
	if err != nil {
		t.Fatalf("a local server needs no key: %v", err)
	}
	_, err = p.Complete(context.Background(), llm.Request{Model: "llama3.1:8b", Messages: []llm.Message{{Role: "user", Content: "hi"}}, MaxTokens: 64})
	if err != nil {
		t.Fatal(err)
	}
	r := f.Requests()[0]
	if h := r.Header.Get("Authorization"); h != "" {
		t.Errorf("Authorization sent without a key: %q", h)
	}
	for _, k := range []string{"response_format", "temperature", "seed", "max_completion_tokens"} {
		if _, ok := r.Body[k]; ok {
			t.Errorf("unset %s sent: %v", k, r.Body[k])
		}
	}
}

func TestMissingUsageIsEstimatedOnRequest(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		c := completion("tiktoken is great!", "stop")
		delete(c, "usage")
		writeJSON(w, 200, c)
	})
	req := planRequest()
	plain := f.provider(t)
	resp, err := plain.Complete(context.Background(), req)
	if err != nil || resp.Usage != (llm.Usage{}) {
		t.Fatalf("without estimation: %+v %v", resp, err)
	}
	estimating, err := New(Config{BaseURL: f.URL + "/v1", EstimateMissingUsage: true})
	if err != nil {
		t.Fatal(err)
	}
	resp, err = estimating.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want := llm.Usage{PromptTokens: llm.CountMessages(req.Model, req.Messages), CompletionTokens: 6}
	if resp.Usage != want || want.PromptTokens == 0 {
		t.Errorf("estimated usage %+v, want %+v", resp.Usage, want)
	}
}

func TestReasoningModelsGetMaxCompletionTokens(t *testing.T) {
	f := newFakeAPI(t, okHandler)
	req := planRequest()
	req.Model = "o1-mini"
	if _, err := f.provider(t).Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	b := f.Requests()[0].Body
	if b["max_completion_tokens"] != float64(512) || b["max_tokens"] != nil {
		t.Errorf("o1-mini body max tokens: %v / %v", b["max_completion_tokens"], b["max_tokens"])
	}
}

func TestRateLimitRetryAfterIsHonoured(t *testing.T) {
	for _, tc := range []struct {
		name, header, value string
		want                time.Duration
	}{
		{"seconds", "Retry-After", "2", 2 * time.Second},
		{"milliseconds", "Retry-After-Ms", "350", 350 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					w.Header().Set(tc.header, tc.value)
					apiError(w, 429, "rate_limit_exceeded", "Rate limit reached")
					return
				}
				okHandler(w, r, n)
			})
			p := f.provider(t)

			// The provider alone makes one request (SDK retries are off) and reports the wait.
			_, err := p.Complete(context.Background(), planRequest())
			var e *llm.Error
			if !errors.As(err, &e) || e.Type != llm.RateLimitError || e.Status != 429 || e.RetryAfter != tc.want {
				t.Fatalf("err %#v", err)
			}
			if n := len(f.Requests()); n != 1 {
				t.Fatalf("provider made %d requests: SDK retries are not off", n)
			}

			// Through Resilient the next attempt waits exactly what the server asked.
			f.mu.Lock()
			f.requests = nil
			f.mu.Unlock()
			var s sleeps
			r := resilient(p, llm.ResilienceConfig{Sleep: s.Sleep})
			resp, err := r.Complete(context.Background(), planRequest())
			if err != nil {
				t.Fatal(err)
			}
			if got := s.All(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("waited %v, want [%s]", got, tc.want)
			}
			if len(resp.Attempts) != 2 || len(f.Requests()) != 2 {
				t.Errorf("attempts %d, requests %d", len(resp.Attempts), len(f.Requests()))
			}
		})
	}
}

func TestServerErrorsAreRetriedThenSucceed(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 1:
			apiError(w, 500, "server_error", "The server had an error")
		case 2:
			// A proxy's HTML page: the status must survive the non-JSON body.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(503)
			io.WriteString(w, "<html><body>503 Service Unavailable</body></html>")
		default:
			okHandler(w, r, n)
		}
	})
	var s sleeps
	r := resilient(f.provider(t), llm.ResilienceConfig{Sleep: s.Sleep, Jitter: func() float64 { return 0.5 }})
	resp, err := r.Complete(context.Background(), planRequest())
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Attempts) != 3 || len(f.Requests()) != 3 {
		t.Errorf("attempts %d requests %d, want 3", len(resp.Attempts), len(f.Requests()))
	}
	if got := s.All(); len(got) != 2 || got[0] != 100*time.Millisecond || got[1] != 200*time.Millisecond {
		t.Errorf("backoff waits %v, want [100ms 200ms]", got)
	}
}

func TestNonJSONErrorBodyKeepsStatus(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		io.WriteString(w, "<html>Bad Gateway</html>")
	})
	_, err := f.provider(t).Complete(context.Background(), planRequest())
	var e *llm.Error
	if !errors.As(err, &e) || e.Type != llm.ServerError || e.Status != 502 {
		t.Fatalf("err %#v, want ServerError 502", err)
	}
}

func TestOllamaStyleErrorStringKeepsStatus(t *testing.T) {
	// Ollama and llama.cpp answer {"error": "..."} with a string, which the SDK cannot
	// decode into its error type; the status must still decide the class.
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 404, map[string]any{"error": "model 'llama9' not found, try pulling it first"})
	})
	_, err := f.provider(t).Complete(context.Background(), planRequest())
	var e *llm.Error
	if !errors.As(err, &e) || e.Type != llm.BadRequestError || e.Status != 404 {
		t.Fatalf("err %#v, want BadRequestError 404", err)
	}
	if !strings.Contains(err.Error(), "model 'llama9' not found") {
		t.Errorf("server message lost: %v", err)
	}
}

func TestHangingServerTimesOutWithinDeadline(t *testing.T) {
	release := make(chan struct{})
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	r := resilient(f.provider(t), llm.ResilienceConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err := r.Complete(ctx, planRequest())
	var e *llm.Error
	if !errors.As(err, &e) || e.Type != llm.TimeoutError || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %#v, want TimeoutError", err)
	}
	if len(e.Attempts) != 1 {
		t.Errorf("attempts %d: nothing should start after the deadline", len(e.Attempts))
	}
}

func TestAttemptTimeoutRetriesAHang(t *testing.T) {
	release := make(chan struct{})
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		okHandler(w, r, n)
	})
	defer close(release)
	var s sleeps
	r := resilient(f.provider(t), llm.ResilienceConfig{AttemptTimeout: 100 * time.Millisecond, Sleep: s.Sleep})
	resp, err := r.Complete(context.Background(), planRequest())
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Attempts) != 2 {
		t.Errorf("attempts %d", len(resp.Attempts))
	}
}

func TestMalformedBodiesAreParseErrors(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
	}{
		{"truncated json", "application/json", `{"id":"x","choices":[{"index":0,"message":{"content":"{\"st`},
		{"not json", "application/json", `<html>oops</html>`},
		{"wrong content type", "text/plain", `hello`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
				w.Header().Set("Content-Type", tt.contentType)
				io.WriteString(w, tt.body)
			})
			_, err := f.provider(t).Complete(context.Background(), planRequest())
			var e *llm.Error
			if !errors.As(err, &e) || e.Type != llm.ParseError || !errors.Is(err, llm.ErrMalformedResponse) {
				t.Fatalf("err %#v, want ParseError(ErrMalformedResponse)", err)
			}
			if !llm.Retryable(err) {
				t.Error("a malformed body should be retryable")
			}
		})
	}
}

func TestFinishReasonLengthIsTruncatedAndNotRetried(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, completion(`{"steps":["a`, "length"))
	})
	r := resilient(f.provider(t), llm.ResilienceConfig{})
	_, err := r.Complete(context.Background(), planRequest())
	var e *llm.Error
	if !errors.As(err, &e) || e.Type != llm.ParseError || !errors.Is(err, llm.ErrTruncated) {
		t.Fatalf("err %#v", err)
	}
	if e.Usage != (llm.Usage{PromptTokens: 120, CompletionTokens: 30}) {
		t.Errorf("truncated call's billed usage lost: %+v", e.Usage)
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("%d requests: truncation must not be retried", n)
	}
}

func TestRefusalsAndEmptyAnswers(t *testing.T) {
	tests := []struct {
		name string
		body map[string]any
		want error
	}{
		{"refusal", func() map[string]any {
			c := completion("", "stop")
			c["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)["refusal"] = "I can't help with that."
			return c
		}(), llm.ErrRefused},
		{"content filter", completion("", "content_filter"), llm.ErrRefused},
		{"no choices", func() map[string]any { c := completion("", "stop"); c["choices"] = []any{}; return c }(), llm.ErrEmptyResponse},
		{"empty content", completion("  ", "stop"), llm.ErrEmptyResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, tt.body) })
			_, err := f.provider(t).Complete(context.Background(), planRequest())
			if llm.Classify(err) != llm.ParseError || !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want ParseError wrapping %v", err, tt.want)
			}
		})
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	tests := []struct {
		status int
		code   string // the error body's code, null when empty
		want   llm.ErrorType
		msg    string
	}{
		{401, "invalid_api_key", llm.AuthError, "Incorrect API key provided: sk-te**st"},
		{403, "unsupported_country_region_territory", llm.AuthError, "Country, region, or territory not supported"},
		// OpenAI's answer when the key's project may not use the model: the model is
		// refused, not the key, and another model may be allowed.
		{403, "model_not_found", llm.BadRequestError, "Project `proj_x` does not have access to model `gpt-4o-mini`"},
		{400, "", llm.BadRequestError, "Invalid schema for response_format 'plan'"},
		{404, "model_not_found", llm.BadRequestError, "The model `gpt-9` does not exist"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.code), func(t *testing.T) {
			f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
				var code any
				if tt.code != "" {
					code = tt.code
				}
				writeJSON(w, tt.status, map[string]any{"error": map[string]any{"message": tt.msg, "type": "invalid_request_error", "param": nil, "code": code}})
			})
			r := resilient(f.provider(t), llm.ResilienceConfig{})
			_, err := r.Complete(context.Background(), planRequest())
			var e *llm.Error
			if !errors.As(err, &e) || e.Type != tt.want || e.Status != tt.status || e.Provider != "openai" || e.Model != "gpt-4o-mini" {
				t.Fatalf("err %#v", err)
			}
			if n := len(f.Requests()); n != 1 {
				t.Errorf("%d requests for HTTP %d", n, tt.status)
			}
			if tt.want == llm.AuthError && strings.Contains(err.Error(), "sk-") {
				t.Errorf("auth error echoes the key: %v", err)
			}
			if tt.want == llm.BadRequestError && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("server message missing from %q", err)
			}
		})
	}
}

func TestBreakerOpensOnBurstAndClosesAfterRecovery(t *testing.T) {
	var healthy atomic.Bool
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if healthy.Load() {
			okHandler(w, r, n)
			return
		}
		apiError(w, 503, "server_error", "overloaded")
	})
	r := resilient(f.provider(t), llm.ResilienceConfig{
		MaxAttempts: 1,
		Breaker:     llm.BreakerConfig{ConsecutiveFailures: 5, CoolDown: 50 * time.Millisecond},
	})
	for i := range 5 {
		if _, err := r.Complete(context.Background(), planRequest()); llm.Classify(err) != llm.ServerError {
			t.Fatalf("burst call %d: %v", i, err)
		}
	}
	if st := r.BreakerStates()["openai/gpt-4o-mini"]; st != "open" {
		t.Fatalf("breaker %q after 5 consecutive 503s", st)
	}
	sent := len(f.Requests())
	if _, err := r.Complete(context.Background(), planRequest()); llm.Classify(err) != llm.CircuitOpen {
		t.Fatalf("open breaker: %v", err)
	}
	if len(f.Requests()) != sent {
		t.Fatal("an open breaker let a request through")
	}

	healthy.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := r.Complete(context.Background(), planRequest())
		if err == nil {
			break
		}
		if llm.Classify(err) != llm.CircuitOpen || time.Now().After(deadline) {
			t.Fatalf("no recovery: %v", err)
		}
		time.Sleep(5 * time.Millisecond) // poll while the cool-down runs
	}
	if st := r.BreakerStates()["openai/gpt-4o-mini"]; st != "closed" {
		t.Errorf("breaker %q after recovery", st)
	}
}

func TestRetryLoopStopsBeforeTheDeadline(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		apiError(w, 503, "server_error", "overloaded")
	})
	r := resilient(f.provider(t), llm.ResilienceConfig{
		MaxAttempts: 100, BaseDelay: 20 * time.Millisecond, MaxDelay: 80 * time.Millisecond,
		MinAttemptBudget: 300 * time.Millisecond, // slack for a loaded test machine
		Breaker:          llm.BreakerConfig{Disabled: true},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	_, err := r.Complete(ctx, planRequest())
	returned := time.Now()
	var e *llm.Error
	if !errors.As(err, &e) || e.Type != llm.ServerError || e.Status != 503 {
		t.Fatalf("err %#v, want the last 503 (the loop gives up, the deadline does not cut it)", err)
	}
	if !returned.Before(deadline) {
		t.Errorf("returned %s past the deadline", returned.Sub(deadline))
	}
	if len(e.Attempts) < 2 || len(e.Attempts) != len(f.Requests()) {
		t.Errorf("attempts %d, requests %d", len(e.Attempts), len(f.Requests()))
	}
}

func TestConnectionRefusedIsNetworkError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p, err := New(Config{BaseURL: "http://" + addr + "/v1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Complete(context.Background(), planRequest())
	if llm.Classify(err) != llm.NetworkError || !llm.Retryable(err) {
		t.Fatalf("err %v, want retryable NetworkError", err)
	}
}

func TestBadRequestsFailBeforeSending(t *testing.T) {
	f := newFakeAPI(t, okHandler)
	p := f.provider(t)
	for name, req := range map[string]llm.Request{
		"no model":     {Messages: []llm.Message{{Role: "user", Content: "x"}}},
		"no messages":  {Model: "m"},
		"unknown role": {Model: "m", Messages: []llm.Message{{Role: "tool", Content: "x"}}},
		"bad schema":   {Model: "m", Messages: []llm.Message{{Role: "user", Content: "x"}}, Format: &llm.ResponseFormat{Name: "p", Schema: json.RawMessage(`{`)}},
	} {
		if _, err := p.Complete(context.Background(), req); llm.Classify(err) != llm.BadRequestError {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d invalid requests were sent", n)
	}
}

func TestAzureDeployments(t *testing.T) {
	f := newFakeAPI(t, okHandler)
	p, err := New(Config{BaseURL: f.URL, APIKey: "az-key", AzureAPIVersion: "2024-10-21"})
	if err != nil {
		t.Fatal(err)
	}
	if p.ProviderName() != "azure" {
		t.Errorf("name %q", p.ProviderName())
	}
	if _, err := p.Complete(context.Background(), planRequest()); err != nil {
		t.Fatal(err)
	}
	r := f.Requests()[0]
	if r.Path != "/openai/deployments/gpt-4o-mini/chat/completions" || r.Query != "api-version=2024-10-21" {
		t.Errorf("azure request %s?%s", r.Path, r.Query)
	}
	if r.Header.Get("Api-Key") != "az-key" || r.Header.Get("Authorization") != "" {
		t.Errorf("azure auth headers: api-key %q authorization %q", r.Header.Get("Api-Key"), r.Header.Get("Authorization"))
	}
}

func TestNewValidatesConfig(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	tests := map[string]struct {
		cfg   Config
		field string
	}{
		"openai needs a key": {Config{}, "APIKey"},
		"azure needs a key":  {Config{BaseURL: "https://x.openai.azure.com", AzureAPIVersion: "2024-10-21"}, "APIKey"},
		"not a url":          {Config{BaseURL: "localhost:11434"}, "BaseURL"},
		"ftp":                {Config{BaseURL: "ftp://host/v1"}, "BaseURL"},
		"credentials in url": {Config{BaseURL: "http://user:pw@host/v1"}, "BaseURL"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := New(tt.cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Errorf("err %v, want ConfigError on %s", err, tt.field)
			}
		})
	}
}

func TestEnvironmentDefaults(t *testing.T) {
	f := newFakeAPI(t, okHandler)
	t.Setenv("OPENAI_BASE_URL", f.URL+"/v1")
	t.Setenv("OPENAI_API_KEY", "sk-env")
	p, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Complete(context.Background(), planRequest()); err != nil {
		t.Fatal(err)
	}
	if got := f.Requests()[0].Header.Get("Authorization"); got != "Bearer sk-env" {
		t.Errorf("Authorization %q", got)
	}
}

// BenchmarkCompleteLoopback measures one chat completion through the SDK over loopback
// HTTP against a server that answers a canned completion at once: the client-side cost
// (request encoding, HTTP, response decoding) that the planner pays on every LLM call.
func BenchmarkCompleteLoopback(b *testing.B) {
	body, _ := json.Marshal(completion(`{"goal":"g","reasoning":"r","steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}}]}`, "stop"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	p, err := New(Config{BaseURL: srv.URL + "/v1", APIKey: "k"})
	if err != nil {
		b.Fatal(err)
	}
	req := planRequest()
	b.Run("provider", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Complete(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("resilient", func(b *testing.B) {
		r := resilient(p, llm.ResilienceConfig{})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Complete(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// resilient is a Client with cfg as its resilience and nothing else configured.
func resilient(p llm.Provider, cfg llm.ResilienceConfig) *llm.Client {
	return llm.NewClient(p, llm.ClientConfig{Resilience: cfg})
}
