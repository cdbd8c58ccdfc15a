package server

import (
	"net/http"
	"slices"
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
			sum := rec.Summary(window)
			if p := PrincipalFrom(r.Context()); !p.Admin {
				// A tenant's key sees its tenant's traffic and cost, not the others'.
				sum = sum.ForTenant(p.Tenant, s.tenantKeys[p.Tenant])
			}
			writeJSON(w, http.StatusOK, sum)
		}))
		s.handle("GET /api/v1/alerts", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var st metrics.Status
			if alerts != nil {
				st = alerts.Status()
			}
			if p := PrincipalFrom(r.Context()); !p.Admin {
				// Service-wide alerts describe every tenant's traffic; a tenant sees only
				// the alerts about its own keys.
				st.Active = ownAlerts(st.Active, s.tenantKeys[p.Tenant])
				st.History = ownAlerts(st.History, s.tenantKeys[p.Tenant])
			}
			st.Rules, st.Active, st.History = orEmpty(st.Rules), orEmpty(st.Active), orEmpty(st.History)
			writeJSON(w, http.StatusOK, st)
		}))
	}
}

func ownAlerts(as []metrics.Alert, keyIDs []string) []metrics.Alert {
	var out []metrics.Alert
	for _, a := range as {
		if a.Key != "" && slices.Contains(keyIDs, a.Key) {
			out = append(out, a)
		}
	}
	return out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
