package server

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// WithRateLimit limits each API key (each client address when auth is off) to rps
// requests per second with bursts of burst, on the routes that plan or run. Excess
// requests get 429 with Retry-After.
func WithRateLimit(rps float64, burst int) Option {
	return func(s *Server) {
		if rps <= 0 {
			return
		}
		s.limiter = &keyLimiter{rps: rate.Limit(rps), burst: max(burst, 1), m: map[string]*rate.Limiter{}}
	}
}

// keyLimiter holds one token bucket per key. The map is bounded: past maxKeys it is reset,
// which at worst grants a burst again to keys that were limited.
type keyLimiter struct {
	rps   rate.Limit
	burst int
	mu    sync.Mutex
	m     map[string]*rate.Limiter
}

const maxLimiterKeys = 100_000

func (k *keyLimiter) reserve(key string) time.Duration {
	k.mu.Lock()
	l, ok := k.m[key]
	if !ok {
		if len(k.m) >= maxLimiterKeys {
			k.m = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(k.rps, k.burst)
		k.m[key] = l
	}
	k.mu.Unlock()
	r := l.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return d
	}
	return 0
}

// limited wraps h with the rate limit, if one is configured.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.limiter != nil {
			key := PrincipalFrom(r.Context()).KeyID
			if key == "" || key == "anonymous" {
				key = clientIP(r)
			}
			if d := s.limiter.reserve(key); d > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
				writeError(w, http.StatusTooManyRequests, "rate_limited", "too many requests for this API key; slow down", nil)
				return
			}
		}
		h(w, r)
	}
}

func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			return host[:i]
		}
	}
	return host
}
