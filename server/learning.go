package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/planwise/planwise/history"
)

// DefaultInsightsWindow is the window of GET /api/v1/insights without ?since.
const DefaultInsightsWindow = 24 * time.Hour

// maxHistoryPage bounds ?limit of GET /api/v1/history.
const maxHistoryPage = 500

// WithLearning mounts the learning-loop routes over h, scoped to the caller's tenant:
//
//	GET  /api/v1/insights                      failure analysis and suggestions;
//	                                           ?since=24h (a duration; "0" for all time)
//	GET  /api/v1/experiments                   the tenant's prompt experiments with their
//	                                           per-variant statistics and significance test
//	POST /api/v1/experiments                   create one: {"name", "variants": [{"name",
//	                                           "share"}], "auto_promote", "min_samples",
//	                                           "alpha"}; 201 with the experiment
//	POST /api/v1/experiments/{id}/promote      {"winner": "variant"} or an empty body to
//	                                           promote the significantly better variant
//	GET  /api/v1/history                       recent records, newest first;
//	                                           ?limit=50&offset=0 (limit at most 500);
//	                                           an admin key reads every tenant's
//	GET  /api/v1/history/{id}                  one request's record (its id is the
//	                                           response's history_id, never a client's
//	                                           X-Request-ID): plan, source, attempts,
//	                                           tokens, cost, errors, execution; 404 for
//	                                           another tenant's (an admin sees all)
func WithLearning(h *history.History) Option {
	return func(s *Server) {
		s.handle("GET /api/v1/insights", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			since := DefaultInsightsWindow
			if v := strings.TrimSpace(r.URL.Query().Get("since")); v != "" {
				d, err := time.ParseDuration(v)
				if v == "0" {
					d, err = 0, nil
				}
				if err != nil || d < 0 {
					writeError(w, http.StatusBadRequest, "invalid_request", "since must be a duration such as 1h or 24h, or 0 for all time", nil)
					return
				}
				since = d
			}
			in, err := h.Insights(r.Context(), PrincipalFrom(r.Context()).Tenant, since)
			if err != nil {
				s.log.Error("insights failed", "err", err)
				writeError(w, http.StatusInternalServerError, "internal", "internal error", nil)
				return
			}
			writeJSON(w, http.StatusOK, in)
		}))
		s.handle("GET /api/v1/experiments", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tenant := PrincipalFrom(r.Context()).Tenant
			out := []*history.ExperimentReport{}
			for _, e := range h.Experiments() {
				if e.Tenant != "" && e.Tenant != tenant {
					continue
				}
				rep, err := h.ExperimentReport(r.Context(), e.ID)
				if err != nil {
					s.log.Error("experiment report failed", "experiment", e.ID, "err", err)
					writeError(w, http.StatusInternalServerError, "internal", "internal error", nil)
					return
				}
				out = append(out, rep)
			}
			writeJSON(w, http.StatusOK, map[string]any{"experiments": out})
		}))
		s.handle("POST /api/v1/experiments", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				ID          string            `json:"id"`
				Name        string            `json:"name"`
				Variants    []history.Variant `json:"variants"`
				AutoPromote bool              `json:"auto_promote"`
				MinSamples  int               `json:"min_samples"`
				Alpha       float64           `json:"alpha"`
			}
			if !s.decode(w, r, &body) {
				return
			}
			e, err := h.CreateExperiment(r.Context(), history.Experiment{
				ID: body.ID, Name: body.Name, Tenant: PrincipalFrom(r.Context()).Tenant, Variants: body.Variants,
				AutoPromote: body.AutoPromote, MinSamples: body.MinSamples, Alpha: body.Alpha,
			})
			if errors.Is(err, history.ErrInvalidExperiment) {
				writeError(w, http.StatusBadRequest, "invalid_experiment", err.Error(), nil)
				return
			}
			if err != nil {
				s.writeLearningError(w, err)
				return
			}
			writeJSON(w, http.StatusCreated, e)
		}))
		s.handle("POST /api/v1/experiments/{id}/promote", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.PathValue("id")
			if e, err := h.Experiment(id); err != nil || (e.Tenant != "" && e.Tenant != PrincipalFrom(r.Context()).Tenant) {
				writeError(w, http.StatusNotFound, "not_found", "no experiment "+strconv.Quote(id), nil)
				return
			}
			var body struct {
				Winner string `json:"winner"`
			}
			if r.ContentLength != 0 && !s.decode(w, r, &body) {
				return
			}
			e, err := h.Promote(r.Context(), id, body.Winner)
			if err != nil {
				s.writeLearningError(w, err)
				return
			}
			writeJSON(w, http.StatusOK, e)
		}))
		s.handle("GET /api/v1/history", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit, offset := 50, 0
			var bad bool
			q := r.URL.Query()
			if v := q.Get("limit"); v != "" {
				n, err := strconv.Atoi(v)
				bad = bad || err != nil || n <= 0
				limit = min(n, maxHistoryPage)
			}
			if v := q.Get("offset"); v != "" {
				n, err := strconv.Atoi(v)
				bad = bad || err != nil || n < 0
				offset = n
			}
			if bad {
				writeError(w, http.StatusBadRequest, "invalid_request", "limit must be 1-500 and offset a non-negative integer", nil)
				return
			}
			rs, err := h.Recent(r.Context(), history.Query{Tenant: historyTenant(r), Limit: limit, Offset: offset})
			var unreadable error
			if errors.Is(err, history.ErrUnreadable) { // serve what can be read, and say so
				s.log.Warn("history: unreadable records left out", "err", err)
				unreadable, err = err, nil
			}
			if err != nil {
				s.log.Error("history failed", "err", err)
				writeError(w, http.StatusInternalServerError, "internal", "internal error", nil)
				return
			}
			out := map[string]any{"records": orEmpty(rs), "limit": limit, "offset": offset}
			if unreadable != nil {
				out["unreadable"] = "some stored records could not be read and are left out; the server log has the details"
			}
			if len(rs) == limit {
				out["next_offset"] = offset + limit
			}
			writeJSON(w, http.StatusOK, out)
		}))
		s.handle("GET /api/v1/history/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.PathValue("id")
			rec, err := h.Get(r.Context(), id)
			// Another tenant's record is as absent as a missing one: its existence is not
			// the caller's business.
			if errors.Is(err, history.ErrNotFound) || (err == nil && !canSee(r, rec.Tenant)) {
				writeError(w, http.StatusNotFound, "not_found", "no request "+strconv.Quote(id)+" in the history", nil)
				return
			}
			if err != nil {
				s.log.Error("history record failed", "err", err)
				writeError(w, http.StatusInternalServerError, "internal", "internal error", nil)
				return
			}
			writeJSON(w, http.StatusOK, rec)
		}))
	}
}

// historyTenant is the tenant whose records the caller reads: its own, or every tenant
// ("") for an admin (as for metrics and alerts).
func historyTenant(r *http.Request) string {
	if p := PrincipalFrom(r.Context()); !p.Admin {
		return p.Tenant
	}
	return ""
}

// canSee reports whether the caller may read a record of tenant.
func canSee(r *http.Request, tenant string) bool {
	p := PrincipalFrom(r.Context())
	return p.Admin || p.Tenant == tenant
}

// writeLearningError maps history errors to statuses.
func (s *Server) writeLearningError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, history.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error(), nil)
	case errors.Is(err, history.ErrInvalidExperiment):
		writeError(w, http.StatusConflict, "invalid_experiment", err.Error(), nil)
	default:
		s.log.Error("learning request failed", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal error", nil)
	}
}
