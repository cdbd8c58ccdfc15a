package history

import (
	"context"
	"fmt"
	"time"
)

// View is the learning loop as one tenant sees it: its records, its insights, and its
// experiments and those of no tenant. The tenant "" sees every tenant. The HTTP API
// gives an API key its tenant's view; `planwise history|insights|experiments` give the
// local store's (--tenant, or --all-tenants for "").
type View struct {
	h      *History
	tenant string
}

// Learning is the learning loop as a tenant reads and changes it: a View of a store, or
// a running server's (package client's Client), so that a program (the CLI's history,
// insights and experiments commands) works on either.
type Learning interface {
	History(ctx context.Context, limit, offset int) ([]*Record, error)
	Insights(ctx context.Context, since time.Duration) (*Insights, error)
	Experiments(ctx context.Context) ([]*ExperimentReport, error)
	CreateExperiment(ctx context.Context, e Experiment) (*Experiment, error)
	Promote(ctx context.Context, id, winner string) (*Experiment, error)
}

var _ Learning = (*View)(nil)

// View returns the learning loop as tenant sees it ("" for every tenant).
func (h *History) View(tenant string) *View { return &View{h: h, tenant: tenant} }

// owns reports whether the view may see an experiment of tenant t.
func (v *View) owns(t string) bool { return v.tenant == "" || t == "" || t == v.tenant }

// History returns recent records, newest first.
func (v *View) History(ctx context.Context, limit, offset int) ([]*Record, error) {
	return v.h.Recent(ctx, Query{Tenant: v.tenant, Limit: limit, Offset: offset})
}

// Insights analyses the failures of the last since (0: all records).
func (v *View) Insights(ctx context.Context, since time.Duration) (*Insights, error) {
	return v.h.Insights(ctx, v.tenant, since)
}

// Experiments lists the experiments the view sees, with their statistics.
func (v *View) Experiments(ctx context.Context) ([]*ExperimentReport, error) {
	var reps []*ExperimentReport
	for _, e := range v.h.Experiments() {
		if !v.owns(e.Tenant) {
			continue
		}
		rep, err := v.h.ExperimentReport(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		reps = append(reps, rep)
	}
	return reps, nil
}

// CreateExperiment creates an experiment of the view's tenant.
func (v *View) CreateExperiment(ctx context.Context, e Experiment) (*Experiment, error) {
	e.Tenant = v.tenant
	return v.h.CreateExperiment(ctx, e)
}

// Promote promotes a variant of an experiment the view sees (winner "": the
// significantly better one); another tenant's experiment is not found.
func (v *View) Promote(ctx context.Context, id, winner string) (*Experiment, error) {
	if e, err := v.h.Experiment(id); err != nil || !v.owns(e.Tenant) {
		if v.tenant == "" {
			return nil, fmt.Errorf("no experiment %q: %w", id, ErrNotFound) // (every tenant's)
		}
		return nil, fmt.Errorf("no experiment %q for tenant %s: %w", id, v.tenant, ErrNotFound)
	}
	return v.h.Promote(ctx, id, winner)
}
