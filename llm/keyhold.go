package llm

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrAuthHeld is wrapped by the AuthError of a call the Client refused itself because
// the provider refused the API key a moment ago (ResilienceConfig.AuthHold): no attempt
// was made.
var ErrAuthHeld = errors.New("the provider refused the API key; calls to it are held")

// keyHold remembers the endpoints whose provider refused the API key (AuthError) and
// refuses calls to them until the hold ends: a key does not mend between two requests,
// and asking again only costs a call and its latency to be refused again. When the
// hold ends one call goes through, the probe, while the others are still held: refused
// again, the hold starts over; any other outcome (an answer, a 5xx, a timeout) ends it.
// A nil *keyHold holds nothing.
type keyHold struct {
	d  time.Duration
	mu sync.Mutex
	m  map[string]*heldKey // by endpoint (Endpoint)
}

// heldKey is the hold of one endpoint.
type heldKey struct {
	since, until time.Time // the refusal that started it, and its end
	status       int       // the refusal's HTTP status
	probing      bool      // a call is in flight after the hold ended
}

// newKeyHold returns a hold of d, or nil (no hold) when d is not positive.
func newKeyHold(d time.Duration) *keyHold {
	if d <= 0 {
		return nil
	}
	return &keyHold{d: d, m: make(map[string]*heldKey)}
}

// enter asks whether a call to endpoint may be made at now. It returns the hold that
// refuses it, or nil; probe is true when the call is the one let through as the hold
// ended, whose outcome leave must then be told (or abandon, if it is not made).
func (h *keyHold) enter(endpoint string, now time.Time) (held *heldKey, probe bool) {
	if h == nil {
		return nil, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.m[endpoint]
	switch {
	case k == nil:
		return nil, false
	case now.Before(k.until) || k.probing:
		c := *k
		return &c, false
	}
	k.probing = true
	return nil, true
}

// abandon gives back the probe enter let through when the call was not made.
func (h *keyHold) abandon(endpoint string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	if k := h.m[endpoint]; k != nil {
		k.probing = false
	}
	h.mu.Unlock()
}

// leave reports the outcome of a call to endpoint that began at began and ended at now:
// a refused key starts (or restarts) the hold; any other outcome of a call made since
// the hold started (the probe) ends it. A call that began before the refusal says
// nothing of the key as it is now.
func (h *keyHold) leave(endpoint string, began, now time.Time, err error) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if Classify(err) == AuthError && !errors.Is(err, ErrAuthHeld) {
		status := 0
		if e, ok := errors.AsType[*Error](err); ok {
			status = e.Status
		}
		h.m[endpoint] = &heldKey{since: now, until: now.Add(h.d), status: status}
		return
	}
	if k := h.m[endpoint]; k != nil && !began.Before(k.since) {
		delete(h.m, endpoint)
	}
}

// holds returns when each held endpoint's hold ends.
func (h *keyHold) holds() map[string]time.Time {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]time.Time, len(h.m))
	for ep, k := range h.m {
		out[ep] = k.until
	}
	return out
}

// refusal is the error of a call the hold refused: an AuthError with the refusal's
// status, wrapping ErrAuthHeld, saying until when.
func (k *heldKey) refusal(provider, model string) *Error {
	return &Error{Type: AuthError, Status: k.status, Provider: provider, Model: model,
		Err: fmt.Errorf("%w until %s (check the API key: llm.api_key or OPENAI_API_KEY)", ErrAuthHeld, k.until.UTC().Format(time.RFC3339))}
}
