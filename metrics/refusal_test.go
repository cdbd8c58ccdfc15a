package metrics

import (
	"testing"
	"time"
)

// A refusal ("no tool fits", the model's cannot_plan or the offline planners') is an
// answer, not an invalid plan: it produced no plan, so validity_rate (and
// planwise_plan_validity_total) counts only the requests that produced one, and the
// refusals have their own rate, in the summary, in every breakdown slice and in a
// tenant's view.
func TestRefusalIsNotAnInvalidPlan(t *testing.T) {
	clk := newFakeClock()
	r := NewRecorder(Options{Now: clk.Now})
	for _, e := range []Event{
		{Source: "llm", Model: "gpt-4o-mini", Tenant: "t1", Latency: time.Millisecond, Success: true, Valid: true},
		// The first plan was invalid; the repair round fixed it.
		{Source: "llm", Model: "gpt-4o-mini", Tenant: "t1", Latency: time.Millisecond, Success: true, Valid: false},
		{Source: "none", Model: "gpt-4o-mini", Tenant: "t1", Latency: time.Millisecond, NoPlan: true, Refusal: "llm"},
		{Source: "none", Tenant: "t1", Latency: time.Millisecond, NoPlan: true, Refusal: "offline", ErrorType: "cannot_plan"},
	} {
		r.Record(e)
	}
	s := r.Summary(0)
	if s.Plans != 2 || !approx(s.ValidityRate, 0.5) {
		t.Errorf("plans %d, validity_rate %v; want 2 and 0.5 (the refusals produced no plan)", s.Plans, s.ValidityRate)
	}
	if s.Refusals != 2 || s.LLMRefusals != 1 || !approx(s.RefusalRate, 0.5) {
		t.Errorf("refusals %d (llm %d), refusal_rate %v; want 2, 1 and 0.5", s.Refusals, s.LLMRefusals, s.RefusalRate)
	}
	m := s.Breakdown.Model["gpt-4o-mini"]
	if m.Plans != 2 || !approx(m.ValidityRate, 0.5) || m.Refusals != 1 || !approx(m.RefusalRate, 1.0/3) {
		t.Errorf("gpt-4o-mini slice %+v; want 2 plans, validity 0.5, 1 refusal of 3 requests", m)
	}
	ts := s.ForTenant("t1", nil)
	if ts.Plans != 2 || !approx(ts.ValidityRate, 0.5) || ts.Refusals != 2 || !approx(ts.RefusalRate, 0.5) {
		t.Errorf("tenant view: plans %d validity %v refusals %d rate %v; want 2, 0.5, 2, 0.5", ts.Plans, ts.ValidityRate, ts.Refusals, ts.RefusalRate)
	}
	fams := scrape(t, r.Handler())
	for valid, want := range map[string]float64{"true": 1, "false": 1} {
		if got := find(t, fams, "planwise_plan_validity_total", map[string]string{"valid": valid}).GetCounter().GetValue(); got != want {
			t.Errorf("planwise_plan_validity_total{valid=%q} = %v, want %v", valid, got, want)
		}
	}
}
