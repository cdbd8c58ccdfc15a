package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"

	"github.com/planwise/planwise/server"
)

const testKey = "edge-test-key-0123456789"

// What no route takes, and bad headers, get the API's JSON errors; every answer carries
// the request id; the bearer scheme is case-insensitive.
func TestEdgeErrorsAreJSON(t *testing.T) {
	ts := newServer(t, nil, server.APIKey{Key: testKey, Tenant: "tenant-a"})
	auth := []string{"Authorization", "Bearer " + testKey}
	for _, tc := range []struct {
		method, path string
		header       []string
		status       int
		code         string
	}{
		{"GET", "/nope", nil, 404, "not_found"},
		{"DELETE", "/api/v1/plan", auth, 405, "method_not_allowed"},
		{"GET", "/healthz", []string{"X-Request-ID", strings.Repeat("a", 20000)}, 400, "invalid_request"},
		{"GET", "/healthz", []string{"X-Request-ID", "bad id with spaces"}, 400, "invalid_request"},
		{"GET", "/healthz", []string{"X-Big", strings.Repeat("b", 70<<10)}, 431, "invalid_request"},
	} {
		code, body, h := do(t, tc.method, ts.URL+tc.path, "", tc.header...)
		errObj, _ := body["error"].(map[string]any)
		if code != tc.status || errObj == nil || errObj["code"] != tc.code || h.Get("Content-Type") != "application/json" || h.Get("X-Request-ID") == "" {
			t.Errorf("%s %s: %d %v (content type %q, request id %q); want %d %s as JSON with a request id",
				tc.method, tc.path, code, body, h.Get("Content-Type"), h.Get("X-Request-ID"), tc.status, tc.code)
		}
	}
	// Ids the server gives are time-ordered (they key the history records of the
	// requests: a random key would land at a random place of the store's index).
	var prev string
	for range 50 {
		_, _, h := do(t, "GET", ts.URL+"/healthz", "")
		id := h.Get("X-Request-ID")
		if id <= prev {
			t.Fatalf("request id %q does not sort after the previous one, %q", id, prev)
		}
		prev = id
	}
	// A valid client id is echoed, on errors too.
	_, _, h := do(t, "POST", ts.URL+"/api/v1/plan", `{"request": ""}`, "Authorization", "Bearer "+testKey, "X-Request-ID", "req-42.a_b:c")
	if h.Get("X-Request-ID") != "req-42.a_b:c" {
		t.Fatalf("X-Request-ID on an error: %q", h.Get("X-Request-ID"))
	}
	for _, scheme := range []string{"bearer", "BEARER", "Bearer"} {
		if code, body, _ := do(t, "POST", ts.URL+"/api/v1/plan", `{"request": "echo hi"}`, "Authorization", scheme+" "+testKey); code == http.StatusUnauthorized {
			t.Errorf("scheme %q refused: %v", scheme, body)
		}
	}
}

// A request net/http cannot parse (a malformed request line or header, a
// Transfer-Encoding it does not support, headers past its own 1 MiB limit) is answered
// by net/http itself, before any handler runs: in the API's JSON error shape too, as the
// README promises, not its plain text.
func TestUnparsableRequestsAnswerJSON(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.New(server.Config{}, pl).Serve(ctx, ln, time.Second) }()
	defer func() { cancel(); <-done }()
	for _, tc := range []struct {
		name, raw string
		status    int
	}{
		{"malformed header", "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n", 400},
		{"garbage request line", "GARBAGE\r\n\r\n", 400},
		{"unsupported transfer encoding", "POST /api/v1/plan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"headers past 1 MiB", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("b", 1<<20+8192) + "\r\n\r\n", 431},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			go io.WriteString(conn, tc.raw) // the server may answer before it has read it all
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			raw, _ := io.ReadAll(res.Body)
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if res.StatusCode != tc.status || res.Header.Get("Content-Type") != "application/json" ||
				json.Unmarshal(raw, &body) != nil || body.Error.Code != "invalid_request" || body.Error.Message == "" {
				t.Fatalf("%d %q %s; want %d with a JSON error", res.StatusCode, res.Header.Get("Content-Type"), raw, tc.status)
			}
		})
	}
}

// A body shorter than its Content-Length is a 400 once the body timeout is up.
func TestShortBodyIs400(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(server.Config{BodyTimeout: 300 * time.Millisecond}, pl).Handler())
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"request": "echo hi"}`
	fmt.Fprintf(conn, "POST /api/v1/plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body)+50, body)
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "Content-Length") || time.Since(start) > 3*time.Second {
		t.Fatalf("%d %s after %s", res.StatusCode, b, time.Since(start))
	}
}

// The routes answer as net/http's mux routes them: what no route takes is a JSON 404 or
// 405 (with the methods allowed), a path to clean or a /tree without its slash is
// redirected, and a route of its own for "/" takes what no other route does.
func TestEdgeRouting(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "echo", Description: "echo text",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	type answer struct {
		status                int
		code, allow, location string
	}
	ask := func(t *testing.T, h http.Handler, method, path string) answer {
		t.Helper()
		ts := httptest.NewServer(h)
		defer ts.Close()
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		req.URL.Opaque = path // sent as written, not cleaned by the client
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		json.NewDecoder(res.Body).Decode(&body)
		return answer{res.StatusCode, body.Error.Code, res.Header.Get("Allow"), res.Header.Get("Location")}
	}
	dashboard := server.New(server.Config{}, pl, server.WithDashboard()).Handler()
	for _, tc := range []struct {
		method, path string
		want         answer
	}{
		{"GET", "/nope", answer{status: 404, code: "not_found"}},
		{"GET", "/api/v1/nope", answer{status: 404, code: "not_found"}},
		{"DELETE", "/api/v1/plan", answer{status: 405, code: "method_not_allowed", allow: "POST"}},
		{"POST", "/", answer{status: 405, code: "method_not_allowed", allow: "GET, HEAD"}},
		{"POST", "/healthz", answer{status: 405, code: "method_not_allowed", allow: "GET, HEAD"}},
		{"GET", "/assets", answer{status: http.StatusTemporaryRedirect, location: "/assets/"}},
		{"GET", "/api//v1/../v1/tools", answer{status: http.StatusTemporaryRedirect, location: "/api/v1/tools"}},
		{"GET", "/nope/../healthz", answer{status: http.StatusTemporaryRedirect, location: "/healthz"}},
		{"GET", "/healthz", answer{status: 200}},
	} {
		if got := ask(t, dashboard, tc.method, tc.path); got != tc.want {
			t.Errorf("%s %s: %+v, want %+v", tc.method, tc.path, got, tc.want)
		}
	}
	for _, pattern := range []string{"/", "/{rest...}"} {
		own := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
		h := server.New(server.Config{}, pl, server.WithRoute(pattern, own)).Handler()
		if got := ask(t, h, "DELETE", "/nope"); got.status != http.StatusTeapot {
			t.Errorf("with a route %q, DELETE /nope: %+v", pattern, got)
		}
		if got := ask(t, h, "GET", "/healthz"); got.status != 200 {
			t.Errorf("with a route %q, GET /healthz: %+v", pattern, got)
		}
	}
}

// With tracing, a request a route takes has its server span; what no route takes (the
// JSON 404 and 405) has none, as before the catch-all answered it.
func TestUnroutedIsNotTraced(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	defer tp.Shutdown(context.Background())
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(server.Config{}, pl, server.WithTracing(tp)).Handler())
	defer ts.Close()
	for _, r := range []struct{ method, path string }{{"GET", "/nope"}, {"DELETE", "/api/v1/plan"}, {"GET", "/api/v1/tools"}} {
		req, _ := http.NewRequest(r.method, ts.URL+r.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	// A server span ends after the handler returns, which can be after the client has
	// read the answer: wait for the last request's span (the requests ran one after the
	// other, so the earlier ones' would have ended before it).
	for deadline := time.Now().Add(5 * time.Second); len(rec.Ended()) == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	var names []string
	for _, s := range rec.Ended() {
		names = append(names, s.Name())
	}
	if len(names) != 1 {
		t.Fatalf("spans %q, want only GET /api/v1/tools's", names)
	}
}
