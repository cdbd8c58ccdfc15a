package planner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/store/sqlite"
)

// The day's spending lives in the store: a second replica and a restarted process refuse
// once the key's budget is spent, and the message shows sub-cent amounts.
func TestBudgetSharedAcrossReplicasAndRestarts(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/planwise.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	replica := func() (*planner.Planner, *metrics.Ledger) {
		l := metrics.NewLedger(db.SpendStore(), nil, nil)
		if err := l.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		reg := registry(t)
		sch, err := prompt.CompileSchema(reg)
		if err != nil {
			t.Fatal(err)
		}
		compiledMode = sch.Mode
		prov := &scriptedProvider{replies: []reply{{plan: goodPlan}}}
		p, err := planner.New(reg, planner.WithPatternPlanner(&fakeOffline{}),
			planner.WithBudget(planner.Budget{PerKeyDailyUSD: 0.0005, Ledger: l}),
			planner.WithLLM(planner.LLMConfig{Provider: prov, Router: planner.TwoModelRouter{Primary: "gpt-4o-mini", Strong: "gpt-4o"}}))
		if err != nil {
			t.Fatal(err)
		}
		return p, l
	}
	req := planner.Request{Text: "weather in Paris, then text it to +1 555 123 4567", APIKey: "k1", Options: planner.Options{NoCache: true}}
	a, la := replica()
	resp, err := a.Plan(ctx, req)
	if err != nil || resp.CostUSD <= 0 {
		t.Fatalf("first request: %v (cost %v)", err, resp)
	}
	// Keep spending on replica A until it refuses.
	for i := 0; i < 20 && err == nil; i++ {
		_, err = a.Plan(ctx, req)
	}
	if pe, ok := planner.AsError(err); !ok || pe.Code != planner.CodeRateLimited {
		t.Fatalf("replica A never refused: %v", err)
	}
	if err := la.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := replica() // a second replica, or the same service restarted
	_, err = b.Plan(ctx, req)
	pe, ok := planner.AsError(err)
	if !ok || pe.Code != planner.CodeRateLimited || !strings.Contains(pe.Message, "$0.0005") {
		t.Fatalf("replica B with the key's budget spent on A: %v", err)
	}
	// Another key still has its budget.
	other := req
	other.APIKey = "k2"
	if _, err := b.Plan(ctx, other); err != nil {
		t.Fatalf("another key: %v", err)
	}
}

func TestUSD(t *testing.T) {
	for v, want := range map[float64]string{0.003: "$0.003", 0: "$0.00", 12.5: "$12.50", 1: "$1.00", 0.0005: "$0.0005", 0.1234567: "$0.123457"} {
		if got := planner.USD(v); got != want {
			t.Errorf("USD(%v) = %s, want %s", v, got, want)
		}
	}
}
