package server

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
)

// WithRuns mounts the runs API:
//
//	POST /api/v1/runs[?wait=true]      plan and execute {"request": ...}, or execute {"plan": ...}
//	GET  /api/v1/runs/{id}             status, per-step results and timings
//	POST /api/v1/runs/{id}/feedback    {"rating": -1|0|1, "comment": "..."}
//
// A run is visible only to its tenant.
func WithRuns(runs *planner.Runs) Option {
	return func(s *Server) {
		h := &runsAPI{s: s, runs: runs}
		s.handle("POST /api/v1/runs", s.limited(h.create))
		s.handle("GET /api/v1/runs/{id}", http.HandlerFunc(h.get))
		s.handle("POST /api/v1/runs/{id}/feedback", http.HandlerFunc(h.feedback))
	}
}

type runsAPI struct {
	s    *Server
	runs *planner.Runs
}

// RunRequest is the body of POST /api/v1/runs.
type RunRequest struct {
	Request string          `json:"request"`
	Options planner.Options `json:"options"`
	Plan    json.RawMessage `json:"plan,omitempty"`
	DryRun  bool            `json:"dry_run,omitempty"`
}

func (h *runsAPI) create(w http.ResponseWriter, r *http.Request) {
	var body RunRequest
	if !h.s.decode(w, r, &body) {
		return
	}
	hasPlan := len(body.Plan) > 0 && string(body.Plan) != "null"
	if (body.Request == "") == !hasPlan {
		writeError(w, http.StatusBadRequest, "invalid_request", `send exactly one of "request" (to plan and run) or "plan" (to run as given)`, nil)
		return
	}
	p := PrincipalFrom(r.Context())
	rr := planner.RunRequest{DryRun: body.DryRun, Request: planner.Request{
		Text: body.Request, Tenant: p.Tenant, APIKey: p.KeyID, RequestID: RequestIDFrom(r.Context()),
		HistoryID: historyIDFrom(r.Context()), Options: body.Options}}
	if hasPlan {
		pl, err := plan.Parse(body.Plan)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", "plan: "+err.Error(), nil)
			return
		}
		rr.Plan = pl
	}
	wait := r.URL.Query().Get("wait") == "true" || r.URL.Query().Get("wait") == "1"
	if wait {
		h.s.extendWrite(w, h.s.planner.Deadline(body.Options)+h.runs.RunTimeout())
	} else {
		h.s.extendWrite(w, h.s.planner.Deadline(body.Options))
	}
	st, err := h.runs.Start(r.Context(), rr, wait)
	if err != nil {
		if ve, ok := plan.AsValidationError(err); ok {
			writeError(w, http.StatusUnprocessableEntity, "invalid_plan", ve.Error(), map[string]any{"issues": ve.Issues})
			return
		}
		h.s.writePlanError(w, err)
		return
	}
	w.Header().Set("Location", "/api/v1/runs/"+st.ID)
	status := http.StatusOK
	if !wait {
		status = http.StatusAccepted
	}
	writeJSON(w, status, st)
}

func (h *runsAPI) get(w http.ResponseWriter, r *http.Request) {
	st, ok := h.lookup(w, r)
	if ok {
		writeJSON(w, http.StatusOK, st)
	}
}

// lookup finds the run and hides other tenants' runs behind a 404.
func (h *runsAPI) lookup(w http.ResponseWriter, r *http.Request) (*planner.RunState, bool) {
	id := r.PathValue("id")
	st, err := h.runs.Get(r.Context(), id)
	if err == nil && st.Tenant != PrincipalFrom(r.Context()).Tenant {
		err = execute.ErrRunNotFound
	}
	if err != nil {
		if errors.Is(err, execute.ErrRunNotFound) {
			writeError(w, http.StatusNotFound, "not_found", "no run with id "+id, nil)
		} else {
			h.s.log.Error("get run", "id", id, "err", err)
			writeError(w, http.StatusInternalServerError, "internal", "could not read the run", nil)
		}
		return nil, false
	}
	return st, true
}

func (h *runsAPI) feedback(w http.ResponseWriter, r *http.Request) {
	var fb execute.Feedback
	if !h.s.decode(w, r, &fb) {
		return
	}
	if _, ok := h.lookup(w, r); !ok {
		return
	}
	err := h.runs.Feedback(r.Context(), r.PathValue("id"), fb, PrincipalFrom(r.Context()).KeyID)
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "rating": fb.Rating})
	case errors.Is(err, execute.ErrInvalidFeedback):
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error(), nil)
	case errors.Is(err, planner.ErrRunBusy):
		writeError(w, http.StatusConflict, "conflict", err.Error(), nil)
	case errors.Is(err, execute.ErrRunNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error(), nil)
	default:
		h.s.log.Error("feedback", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not record the feedback", nil)
	}
}
