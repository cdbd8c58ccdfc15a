package server

import "github.com/planwise/planwise/internal/dashboard"

// WithDashboard mounts the live web dashboard (package internal/dashboard):
//
//	GET /           the page
//	GET /assets/    its stylesheet, script and icon, embedded in the binary
//
// The page itself is public, like /healthz; the numbers it shows come from
// /api/v1/metrics/planner and /api/v1/alerts (mounted by WithMetrics), which keep their
// authentication: with API keys configured the page asks for one.
func WithDashboard() Option {
	return func(s *Server) {
		h := dashboard.Handler()
		s.public("GET /{$}", h)
		s.public("GET /assets/", h)
	}
}
