package execute_test

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
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/tool"
)

func builtinTool(t *testing.T, name string) *tool.Tool {
	t.Helper()
	for _, b := range tool.Builtins() {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no built-in %s", name)
	return nil
}

// hitServer counts the requests it receives.
func hitServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func get(ctx context.Context, r execute.Runner, t *tool.Tool, url string) (any, error) {
	return r.Run(ctx, t, map[string]any{"url": url})
}

// TestHTTPRequestRefusesPrivateAddresses: every class of internal address is refused at
// connect time, each as its own case, with a BlockedError, and nothing reaches a server.
func TestHTTPRequestRefusesPrivateAddresses(t *testing.T) {
	srv, hits := hitServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret") })
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	redirector, _ := hitServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	httpTool := builtinTool(t, tool.BuiltinHTTPRequest)
	// The redirector is allow-listed by its IP; the redirect targets are not.
	allowRedirector := execute.NewBuiltinRunner(execute.NetPolicy{AllowHosts: []string{"127.0.0.1"}}, 0)
	strict := execute.NewBuiltinRunner(execute.NetPolicy{}, 0)
	cases := []struct {
		name   string
		runner execute.Runner
		url    string
		reason string
	}{
		{"loopback v4", strict, srv.URL, "loopback"},
		{"private 10/8", strict, "http://10.0.0.1/", "private"},
		{"private 192.168/16", strict, "http://192.168.1.1/", "private"},
		{"private 172.16/12", strict, "http://172.16.0.1/", "private"},
		{"metadata link-local", strict, "http://169.254.169.254/latest/meta-data/", "link-local"},
		{"loopback v6", strict, "http://[::1]:" + port + "/", "loopback"},
		{"unique local v6 fd00::/8", strict, "http://[fd00::1]/", "private"},
		{"v4-mapped v6 loopback", strict, "http://[::ffff:127.0.0.1]:" + port + "/", "loopback"},
		{"CGNAT", strict, "http://100.64.0.1/", "carrier-grade NAT"},
		{"unspecified", strict, "http://0.0.0.0:" + port + "/", "unspecified"},
		{"name resolving to loopback", strict, "http://localhost:" + port + "/", "loopback"},
		{"redirect to metadata", allowRedirector, redirector.URL + "/?to=http://169.254.169.254/latest/meta-data/", "link-local"},
		{"redirect to private v4", allowRedirector, redirector.URL + "/?to=http://10.1.2.3/", "private"},
		{"redirect to v6 loopback", allowRedirector, redirector.URL + "/?to=http://[::1]:" + port + "/", "loopback"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			out, err := get(ctx, c.runner, httpTool, c.url)
			var be *execute.BlockedError
			if !errors.As(err, &be) {
				t.Fatalf("want a BlockedError, got output %v err %v", out, err)
			}
			if !strings.Contains(be.Reason, c.reason) {
				t.Errorf("reason %q, want %q", be.Reason, c.reason)
			}
			if !strings.Contains(err.Error(), "refused") {
				t.Errorf("error %v does not say it was refused", err)
			}
			// The fix names the configuration key that lists a host.
			if !strings.Contains(err.Error(), "allow-list (execute.allow_hosts)") {
				t.Errorf("error %v does not name execute.allow_hosts", err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the protected server received %d requests", n)
	}
}

// TestHTTPRequestAllowList: explicitly allow-listed hosts are reachable; OnlyAllowHosts
// refuses everything else.
func TestHTTPRequestAllowList(t *testing.T) {
	srv, hits := hitServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		fmt.Fprintf(w, `{"method":%q,"ct":%q}`, r.Method, r.Header.Get("Content-Type"))
	})
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	httpTool := builtinTool(t, tool.BuiltinHTTPRequest)
	ctx := context.Background()
	for _, allow := range [][]string{{"127.0.0.1"}, {"127.0.0.0/8"}, {"localhost"}} {
		r := execute.NewBuiltinRunner(execute.NetPolicy{AllowHosts: allow}, 0)
		url := srv.URL
		if allow[0] == "localhost" {
			url = "http://localhost:" + port + "/"
		}
		out, err := r.Run(ctx, httpTool, map[string]any{"url": url, "method": "POST", "body": map[string]any{"a": 1}})
		if err != nil {
			t.Fatalf("allow %v: %v", allow, err)
		}
		m := out.(map[string]any)
		if m["status"] != int64(200) || m["headers"].(map[string]any)["X-Multi"] != "a, b" {
			t.Errorf("allow %v: %v", allow, m)
		}
		j := m["json"].(map[string]any)
		if j["method"] != "POST" || j["ct"] != "application/json" {
			t.Errorf("allow %v: json %v", allow, j)
		}
	}
	if hits.Load() != 3 {
		t.Errorf("hits %d, want 3", hits.Load())
	}
	only := execute.NewBuiltinRunner(execute.NetPolicy{AllowHosts: []string{"api.example.com"}, OnlyAllowHosts: true}, 0)
	_, err := get(ctx, only, httpTool, "http://example.org/")
	var be *execute.BlockedError
	if !errors.As(err, &be) || !strings.Contains(be.Reason, "allow-list") {
		t.Errorf("OnlyAllowHosts: %v", err)
	}
	// A listed host name does not trust other names resolving to the same address.
	named := execute.NewBuiltinRunner(execute.NetPolicy{AllowHosts: []string{"localhost"}}, 0)
	if _, err := get(ctx, named, httpTool, srv.URL); !errors.As(err, &be) {
		t.Errorf("127.0.0.1 reached through a host-name allow entry: %v", err)
	}
}

func TestHTTPRequestLimits(t *testing.T) {
	big := strings.Repeat("x", 5000)
	redirects := 0
	srv, _ := hitServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			io.WriteString(w, big)
		case "/loop":
			redirects++
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/text":
			io.WriteString(w, "plain text")
		case "/status":
			w.WriteHeader(503)
			io.WriteString(w, "down")
		}
	})
	r := execute.NewBuiltinRunner(execute.NetPolicy{AllowHosts: []string{"127.0.0.1"}}, 1000)
	httpTool := builtinTool(t, tool.BuiltinHTTPRequest)
	ctx := context.Background()
	out, err := get(ctx, r, httpTool, srv.URL+"/big")
	if err != nil {
		t.Fatal(err)
	}
	m := out.(map[string]any)
	if m["truncated"] != true || len(m["body"].(string)) != 1000 {
		t.Errorf("truncation: truncated=%v len=%d", m["truncated"], len(m["body"].(string)))
	}
	if _, err := get(ctx, r, httpTool, srv.URL+"/loop"); err == nil || !strings.Contains(err.Error(), "5 redirects") || redirects != 5 {
		t.Errorf("redirect loop: %v after %d redirects", err, redirects)
	}
	out, err = get(ctx, r, httpTool, srv.URL+"/text")
	if err != nil || out.(map[string]any)["body"] != "plain text" || out.(map[string]any)["json"] != nil {
		t.Errorf("text: %v %v", out, err)
	}
	out, err = get(ctx, r, httpTool, srv.URL+"/status")
	if err != nil || out.(map[string]any)["status"] != int64(503) {
		t.Errorf("status is an output, not an error: %v %v", out, err)
	}
	var ae *execute.ArgError
	if _, err := get(ctx, r, httpTool, "ftp://example.com/"); !errors.As(err, &ae) || ae.Arg != "url" {
		t.Errorf("ftp: %v", err)
	}
}

// webhookTool declares a webhook tool on url.
func webhookTool(name, method, url string, idempotent bool) *tool.Tool {
	return &tool.Tool{Name: name, Description: name,
		InputSchema: json.RawMessage(`{"type":"object"}`),
		Run:         &tool.RunSpec{Kind: tool.RunHTTP, HTTP: &tool.HTTPSpec{Method: method, URL: url, Headers: map[string]string{"X-Token": "t0k"}}},
		Idempotent:  idempotent}
}

func TestWebhook(t *testing.T) {
	var got atomic.Value
	srv, hits := hitServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			b, _ := io.ReadAll(r.Body)
			got.Store(r.Method + " " + r.Header.Get("X-Token") + " " + r.Header.Get("Content-Type") + " " + string(b))
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"received":true,"n":3}`)
		case "/query":
			io.WriteString(w, "q="+r.URL.Query().Get("q")+" n="+r.URL.Query().Get("n"))
		case "/bad":
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"missing field"}`)
		case "/down":
			w.WriteHeader(502)
			io.WriteString(w, "upstream down")
		case "/redirect":
			http.Redirect(w, r, "http://169.254.169.254/", http.StatusTemporaryRedirect)
		}
	})
	ctx := context.Background()
	// The declared host is trusted with no allow-list at all (operator configuration).
	w := execute.NewWebhookRunner(execute.NetPolicy{}, 0)
	out, err := w.Run(ctx, webhookTool("hook", "POST", srv.URL+"/json", false), map[string]any{"a": "b"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(out) != "map[n:3 received:true]" || got.Load() != `POST t0k application/json {"a":"b"}` {
		t.Errorf("out %v, server saw %v", out, got.Load())
	}
	out, err = w.Run(ctx, webhookTool("q", "GET", srv.URL+"/query", false), map[string]any{"q": "x y", "n": int64(2)})
	if err != nil || out != "q=x y n=2" {
		t.Errorf("GET: %v %v", out, err)
	}
	_, err = w.Run(ctx, webhookTool("bad", "", srv.URL+"/bad", true), map[string]any{})
	var se *execute.HTTPStatusError
	if !errors.As(err, &se) || se.Status != 400 || !strings.Contains(err.Error(), "missing field") || !execute.IsPermanent(err) {
		t.Errorf("400: %v", err)
	}
	_, err = w.Run(ctx, webhookTool("down", "", srv.URL+"/down", true), map[string]any{})
	if !errors.As(err, &se) || se.Status != 502 || execute.IsPermanent(err) {
		t.Errorf("502: %v", err)
	}
	_, err = w.Run(ctx, webhookTool("redir", "", srv.URL+"/redirect", false), map[string]any{})
	var be *execute.BlockedError
	if !errors.As(err, &be) {
		t.Errorf("redirect from a trusted webhook to the metadata address: %v", err)
	}

	// Through the executor: 502 is retried for an idempotent webhook, 400 is not.
	before := hits.Load()
	reg := mustRegistry(t, webhookTool("bad", "", srv.URL+"/bad", true), webhookTool("down", "", srv.URL+"/down", true))
	ex := execute.New(reg, execute.WithRetry(3, time.Millisecond, time.Millisecond))
	res := ex.Run(ctx, mustPlan(t, `{"steps":[{"id":"s1","tool":"bad","args":{}},{"id":"s2","tool":"down","args":{}}]}`), execute.RunOptions{})
	if a, b := step(t, res, "s1").Attempts, step(t, res, "s2").Attempts; a != 1 || b != 3 {
		t.Errorf("attempts: 400 -> %d (want 1), 502 -> %d (want 3)", a, b)
	}
	if n := hits.Load() - before; n != 4 {
		t.Errorf("server saw %d calls, want 4", n)
	}
}

// TestWebhookTimeout: the tool's declared timeout bounds the call.
func TestWebhookTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	wt := webhookTool("slow", "", srv.URL, false)
	wt.Run.HTTP.TimeoutMS = 30
	ex := execute.New(mustRegistry(t, wt))
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[{"id":"s1","tool":"slow","args":{}}]}`), execute.RunOptions{})
	if s := step(t, res, "s1"); s.Status != execute.StepFailed || !strings.Contains(s.Error, "timed out after 30ms") {
		t.Errorf("%s %q", s.Status, s.Error)
	}
}

// TestLocalhostResolves makes sure the "name resolving to loopback" case really
// exercised resolution (the host name must resolve here for it to mean anything).
func TestLocalhostResolves(t *testing.T) {
	addrs, err := net.DefaultResolver.LookupNetIP(context.Background(), "ip", "localhost")
	if err != nil || len(addrs) == 0 {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	for _, a := range addrs {
		if !a.IsLoopback() {
			t.Errorf("localhost resolves to %v", a)
		}
	}
}
