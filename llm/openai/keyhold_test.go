package openai

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/planwise/planwise/llm"
)

// testClock is a settable clock for the Client.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// A provider that refuses the API key is asked once, not once a request: for the
// default hold after the refusal (30 s) every call, to any model and for embeddings
// too, fails at once with the refusal's AuthError and makes no attempt. When the hold
// ends one call asks again: refused again, the hold starts over; answered, calls go
// through again. Measured in the calls the provider received, over the SDK and HTTP.
func TestRefusedKeyIsAskedOncePerHold(t *testing.T) {
	var refuse atomic.Bool
	refuse.Store(true)
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if refuse.Load() {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]any{
				"message": "Incorrect API key provided: sk-te**st.", "type": "invalid_request_error", "param": nil, "code": "invalid_api_key"}})
			return
		}
		okHandler(w, r, n)
	})
	clk := &testClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	c := resilient(f.provider(t), llm.ResilienceConfig{Now: clk.Now})
	ask := func(model string) error {
		req := planRequest()
		req.Model = model
		_, err := c.Complete(context.Background(), req)
		return err
	}
	const requests = 10
	for i := range requests {
		err := ask([]string{"gpt-4o-mini", "gpt-4o"}[i%2])
		e, _ := err.(*llm.Error)
		if llm.Classify(err) != llm.AuthError || e == nil || e.Status != http.StatusUnauthorized {
			t.Fatalf("request %d: %v, want the refusal's AuthError (HTTP 401)", i+1, err)
		}
		if i > 0 && len(e.Attempts) != 0 {
			t.Fatalf("request %d made %d attempts during the hold, want none", i+1, len(e.Attempts))
		}
		clk.Add(time.Second)
	}
	if n := len(f.Requests()); n != 1 {
		t.Fatalf("%d requests made %d provider calls, want 1", requests, n)
	}
	if _, err := c.Embed(context.Background(), "text-embedding-3-small", []string{"hello"}); llm.Classify(err) != llm.AuthError || len(f.Requests()) != 1 {
		t.Fatalf("an embedding during the hold: %v after %d calls, want a held AuthError", err, len(f.Requests()))
	}

	// The hold ends (30 s after the refusal): one call asks again, is refused, and the
	// hold starts over.
	clk.Add(21 * time.Second)
	if err := ask("gpt-4o-mini"); llm.Classify(err) != llm.AuthError || len(f.Requests()) != 2 {
		t.Fatalf("after the hold: %v after %d calls, want a second refusal from the provider", err, len(f.Requests()))
	}
	for range 5 {
		ask("gpt-4o")
	}
	if n := len(f.Requests()); n != 2 {
		t.Fatalf("the renewed hold let %d calls through, want none", n-2)
	}

	// The key is fixed at the provider: the next probe is answered and the hold is over.
	refuse.Store(false)
	clk.Add(30 * time.Second)
	for i := range 3 {
		if err := ask("gpt-4o-mini"); err != nil {
			t.Fatalf("call %d after the key was fixed: %v", i+1, err)
		}
	}
	if n := len(f.Requests()); n != 5 {
		t.Fatalf("%d calls in all, want 5 (2 refused, 3 answered)", n)
	}
}
