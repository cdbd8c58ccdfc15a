package llm

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// When a hold ends, one call asks the provider again and the calls that come while it
// is in flight are still held: a burst of requests at the hold's end costs one call,
// not one each.
func TestKeyHoldLetsOneProbeThrough(t *testing.T) {
	var (
		calls   atomic.Int32
		started = make(chan struct{}, 1)
		release = make(chan struct{})
	)
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		if calls.Add(1) > 1 {
			started <- struct{}{}
			<-release // the probe is in flight until the test lets it answer
		}
		return nil, &Error{Type: AuthError, Status: 401}
	})
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := newResilient(p, ResilienceConfig{AuthHold: time.Minute, Now: clock})
	if _, err := c.Complete(context.Background(), req); Classify(err) != AuthError {
		t.Fatalf("first call: %v", err)
	}
	if holds := c.AuthHolds(); len(holds) != 1 || !holds[""].Equal(now.Add(time.Minute)) {
		t.Fatalf("holds %v, want one until %v", holds, now.Add(time.Minute))
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()

	probed := make(chan error, 1)
	go func() {
		_, err := c.Complete(context.Background(), req)
		probed <- err
	}()
	<-started
	for i := range 5 {
		_, err := c.Complete(context.Background(), req)
		if !errors.Is(err, ErrAuthHeld) || Classify(err) != AuthError {
			t.Fatalf("call %d while the probe is in flight: %v, want held", i+1, err)
		}
	}
	close(release)
	if err := <-probed; Classify(err) != AuthError || errors.Is(err, ErrAuthHeld) {
		t.Fatalf("the probe: %v, want the provider's refusal", err)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("%d provider calls, want 2 (the refusal and one probe)", n)
	}
}

// A negative AuthHold turns the hold off: every call asks the provider.
func TestKeyHoldOff(t *testing.T) {
	var calls atomic.Int32
	p := providerFunc(func(ctx context.Context, r Request) (*Response, error) {
		calls.Add(1)
		return nil, &Error{Type: AuthError, Status: 403}
	})
	c := newResilient(p, ResilienceConfig{AuthHold: -1})
	for range 3 {
		c.Complete(context.Background(), req)
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("%d calls for 3 requests with the hold off, want 3", n)
	}
}

// An answer to a call that began before the key was refused says nothing of the key as
// it is now and does not end the hold; the hold is per endpoint (Endpointer).
func TestKeyHoldRules(t *testing.T) {
	h := newKeyHold(time.Minute)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h.leave("a", t0, t0.Add(time.Second), &Error{Type: AuthError, Status: 401})
	h.leave("a", t0, t0.Add(2*time.Second), nil) // began before the refusal
	if held, _ := h.enter("a", t0.Add(3*time.Second)); held == nil {
		t.Fatal("an older call's answer ended the hold")
	}
	if held, probe := h.enter("b", t0.Add(3*time.Second)); held != nil || probe {
		t.Fatal("another endpoint is held")
	}
	held, probe := h.enter("a", t0.Add(time.Minute+time.Second))
	if held != nil || !probe {
		t.Fatal("the hold did not end after a minute")
	}
	h.abandon("a") // the probe was not made (a breaker refused it): the next call probes
	if held, probe := h.enter("a", t0.Add(time.Minute+2*time.Second)); held != nil || !probe {
		t.Fatal("an abandoned probe blocked the next")
	}
	h.leave("a", t0.Add(time.Minute+2*time.Second), t0.Add(time.Minute+3*time.Second), &Error{Type: ServerError, Status: 503})
	if len(h.holds()) != 0 {
		t.Fatal("a probe the provider answered (with a 503) did not end the hold")
	}
}
