package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/planwise/planwise/metrics"
)

// WithMetrics mounts the observability routes:
//
//	GET /metrics                     Prometheus exposition (OpenTelemetry GenAI names)
//	GET /api/v1/metrics/planner      JSON summary; ?window=5m|1h|lifetime (default: the
//	                                 recorder's window)
//	GET /api/v1/alerts               firing alerts, recent transitions and the rules
//
// alerts may be nil (no rules engine).
func WithMetrics(rec *metrics.Recorder, alerts *metrics.Alerts) Option {
	return func(s *Server) {
		s.public("GET /metrics", rec.Handler())
		s.handle("GET /api/v1/metrics/planner", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			window := rec.Options().Window
			if v := strings.TrimSpace(r.URL.Query().Get("window")); v != "" {
				if v == "lifetime" || v == "0" {
					window = 0
				} else {
					d, err := time.ParseDuration(v)
					if err != nil || d <= 0 {
						writeError(w, http.StatusBadRequest, "invalid_request",
							"window must be a positive duration such as 5m or 1h, or \"lifetime\"", nil)
						return
					}
					window = d
				}
			}
			writeJSON(w, http.StatusOK, rec.Summary(window))
		}))
		s.handle("GET /api/v1/alerts", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var st metrics.Status
			if alerts != nil {
				st = alerts.Status()
			}
			st.Rules, st.Active, st.History = orEmpty(st.Rules), orEmpty(st.Active), orEmpty(st.History)
			writeJSON(w, http.StatusOK, st)
		}))
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
