package openai

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
)

// The response comes from whatever server BaseURL points at. Whatever it sends, Complete
// must not panic and must return either usable content or a classified *llm.Error.
func FuzzCompleteResponse(f *testing.F) {
	f.Add(200, "application/json", `{"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"{}"}}],"usage":{"prompt_tokens":1,"completion_tokens":1}}`)
	f.Add(200, "application/json", `{"choices":[{"finish_reason":"length","message":{"content":"{\"a"}}]}`)
	f.Add(200, "application/json", `{"choices":"nope"}`)
	f.Add(200, "application/json", `{"choices":[{"message":{"refusal":"no"}}]}`)
	f.Add(200, "text/html", `<html>`)
	f.Add(429, "application/json", `{"error":{"message":"slow","type":"rate_limit"}}`)
	f.Add(404, "application/json", `{"error":"model not found"}`)
	f.Add(500, "text/plain", `boom`)
	f.Add(302, "", ``)

	var mu sync.Mutex
	var status int
	var contentType, body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		s, ct, b := status, contentType, body
		mu.Unlock()
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(s)
		w.Write([]byte(b))
	}))
	defer srv.Close()
	p, err := New(Config{BaseURL: srv.URL + "/v1"})
	if err != nil {
		f.Fatal(err)
	}
	req := llm.Request{Model: "m", Messages: []llm.Message{{Role: "user", Content: "x"}}}

	f.Fuzz(func(t *testing.T, st int, ct, b string) {
		if st < 200 || st > 599 || st == 204 || st == 304 || (st >= 300 && st < 400) {
			return // redirects and bodiless statuses are the HTTP client's business
		}
		if strings.ContainsFunc(ct, func(r rune) bool { return r < 0x20 || r >= 0x7f }) {
			return // not a valid header value: the server could not send it
		}
		mu.Lock()
		status, contentType, body = st, ct, b
		mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		resp, err := p.Complete(ctx, req)
		if ctx.Err() != nil {
			t.Fatalf("Complete hung on HTTP %d %q %q: %v", st, ct, b, err)
		}
		switch {
		case err == nil:
			if resp == nil || strings.TrimSpace(resp.Content) == "" {
				t.Fatalf("success without content: %+v", resp)
			}
		default:
			var e *llm.Error
			if !errors.As(err, &e) || e.Type == "" || e.Provider != "openai" {
				t.Fatalf("unclassified error %#v", err)
			}
			if st >= 400 && e.Status != st {
				t.Fatalf("HTTP %d reported as status %d (%v)", st, e.Status, err)
			}
		}
	})
}
