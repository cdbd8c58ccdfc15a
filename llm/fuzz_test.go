package llm

import (
	"net/http"
	"testing"
	"time"
)

// Retry-After comes from whatever server is on the other end: whatever it says, the wait
// must be a sane, non-negative duration.
func FuzzParseRetryAfter(f *testing.F) {
	for _, seed := range []struct{ ms, after string }{
		{"", "2"}, {"150", ""}, {"", "0.5"}, {"", "Wed, 26 Nov 2026 12:00:03 GMT"},
		{"-5", "-1"}, {"NaN", "Inf"}, {"1e309", "1e309"}, {"", "99999999999999999999"},
	} {
		f.Add(seed.ms, seed.after)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, ms, after string) {
		h := http.Header{}
		if ms != "" {
			h.Set("Retry-After-Ms", ms)
		}
		if after != "" {
			h.Set("Retry-After", after)
		}
		d := ParseRetryAfter(h, now)
		if d < 0 || d >= maxRetryAfterHeader {
			t.Fatalf("ParseRetryAfter(ms=%q, after=%q) = %s", ms, after, d)
		}
	})
}
