package cache

import (
	"context"
	"strings"
	"testing"

	"github.com/planwise/planwise/query"
)

// A hit's plan never carries the model's reasoning about the request the entry was
// made for, which quotes it: the caller of a re-slotted request (another user of the
// tenant) read the first caller's request in it. Every path says where the plan came
// from instead (semantic, exact, verbatim and its pre-encoded JSON), and the entry keeps
// the model's words.
func TestHitReasoningDoesNotQuoteTheCachedRequest(t *testing.T) {
	reg := testRegistry(t)
	c, _ := newTestCache(t, Config{}, nil)
	const first = "show me order 4711"
	p := onePlan("lookup_order", map[string]any{"order_id": "4711"})
	p.Goal = "show order 4711"
	p.Reasoning = `The user asks "` + first + `": lookup_order with order_id 4711.`
	mustStore(t, c, Namespace{}, first, p, reg)

	leaks := func(where, reasoning string) {
		t.Helper()
		for _, w := range []string{"4711", "The user asks"} {
			if strings.Contains(reasoning, w) {
				t.Errorf("%s: reasoning %q quotes the cached request (%q)", where, reasoning, w)
			}
		}
	}
	res := lookup(t, c, Namespace{}, "show me order 815", reg)
	if res.Reason != HitSemantic || arg(res.Hit.Plan, "order_id") != "815" {
		t.Fatalf("re-slotted request: %s %v; want a semantic hit for order 815", res.Reason, res.Hit)
	}
	leaks("semantic hit", res.Hit.Plan.Reasoning)
	if res.Hit.Plan.Reasoning != ReasoningSemantic {
		t.Errorf("semantic hit: reasoning %q, want %q", res.Hit.Plan.Reasoning, ReasoningSemantic)
	}

	// The same request again: the exact path, then served verbatim.
	res = lookup(t, c, Namespace{}, first, reg)
	if res.Reason != HitExact || res.Hit.Plan.Reasoning != ReasoningExact {
		t.Fatalf("exact hit: %s, reasoning %q; want %q", res.Reason, res.Hit.Plan.Reasoning, ReasoningExact)
	}
	for _, shared := range []bool{false, true} {
		res, e := c.verbatim(Namespace{Registry: reg.Version()}, first, c.cfg.Now(), shared)
		if e == nil || res.Hit == nil {
			t.Fatalf("verbatim (shared %v): no hit", shared)
		}
		if res.Hit.Plan.Reasoning != ReasoningExact {
			t.Errorf("verbatim (shared %v): reasoning %q, want %q", shared, res.Hit.Plan.Reasoning, ReasoningExact)
		}
		if shared && !strings.Contains(string(res.Hit.PlanJSON), `"reasoning":"`+ReasoningExact+`"`) {
			t.Errorf("verbatim plan JSON %s: want the hit's reasoning", res.Hit.PlanJSON)
		}
	}
	if res, ok := c.LookupVerbatim(Namespace{}, query.New(first), reg); !ok || res.Hit.Plan.Reasoning != ReasoningExact {
		t.Errorf("LookupVerbatim: %v %v", ok, res.Hit)
	}

	// The entry keeps the model's reasoning (the store's copy is what it was given).
	es, err := c.store.LoadAll(context.Background())
	if err != nil || len(es) != 1 || es[0].Plan.Reasoning != p.Reasoning {
		t.Fatalf("stored entries %v, %v; want the model's reasoning kept", es, err)
	}
}

// A hit's goal is its caller's own request. The entry's goal is the model's restatement
// of the request the plan was made for, in its own words ("show order 4711 for the
// Harris divorce file"), and re-binding rewrites only the slots: served as it was, a
// re-slotted request's caller, another user of the tenant, read the first caller's other
// words. Every path (semantic, exact, verbatim and its pre-encoded JSON) answers with the
// caller's text; the entry keeps the model's goal.
func TestHitGoalIsTheCallersRequest(t *testing.T) {
	reg := testRegistry(t)
	c, _ := newTestCache(t, Config{}, nil)
	const first, private = "show me order 4711", "Harris divorce"
	p := onePlan("lookup_order", map[string]any{"order_id": "4711"})
	p.Goal = "show order 4711 for the " + private + " file"
	mustStore(t, c, Namespace{}, first, p, reg)

	check := func(where string, res LookupResult, want Reason) {
		t.Helper()
		if res.Hit == nil || res.Reason != want {
			t.Fatalf("%s: %s %v; want %s", where, res.Reason, res.Hit, want)
		}
	}
	for _, tc := range []struct {
		text string
		want Reason
	}{
		{"show me order 815", HitSemantic},
		{"Show me order 4711!", HitExact}, // the same request as normalised, not as written
		{first, HitExact},
	} {
		res := lookup(t, c, Namespace{}, tc.text, reg)
		check(tc.text, res, tc.want)
		if g := res.Hit.Plan.Goal; g != tc.text {
			t.Errorf("%q: goal %q, want the caller's request", tc.text, g)
		}
	}
	for _, shared := range []bool{false, true} {
		res, e := c.verbatim(Namespace{Registry: reg.Version()}, first, c.cfg.Now(), shared)
		if e == nil {
			t.Fatalf("verbatim (shared %v): no hit", shared)
		}
		check("verbatim", res, HitExact)
		if res.Hit.Plan.Goal != first {
			t.Errorf("verbatim (shared %v): goal %q, want %q", shared, res.Hit.Plan.Goal, first)
		}
		if shared && (strings.Contains(string(res.Hit.PlanJSON), private) || !strings.Contains(string(res.Hit.PlanJSON), `"goal":"`+first+`"`)) {
			t.Errorf("verbatim plan JSON %s: want the caller's request as its goal", res.Hit.PlanJSON)
		}
	}
	es, err := c.store.LoadAll(context.Background())
	if err != nil || len(es) != 1 || es[0].Plan.Goal != p.Goal {
		t.Fatalf("stored entries %v, %v; want the model's goal kept", es, err)
	}
}
