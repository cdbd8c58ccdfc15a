package cache

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/planwise/planwise/plan"
)

// FuzzLookup feeds arbitrary requests to a cache holding a few entries: a lookup never
// fails or panics, and whatever it serves passes validation.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"Email Alice the report", "turn off the kitchen lights", "show me order 4821",
		"transfer $75 from savings to checking", "", "\x00\xff", "don't email 'Bob' tomorrow at 5pm", "${s1.x}"} {
		f.Add(s)
	}
	reg := testRegistry(f)
	c, _ := newTestCache(f, Config{Threshold: 0.3}, nil)
	ns := Namespace{}
	mustStore(f, c, ns, "Email Bob the report", onePlan("send_email", map[string]any{"to": "Bob", "subject": "report"}), reg)
	mustStore(f, c, ns, "turn on the kitchen lights", onePlan("set_light", map[string]any{"room": "kitchen", "state": "on"}), reg)
	mustStore(f, c, ns, "show me order 48213", onePlan("lookup_order", map[string]any{"order_id": "48213"}), reg)
	mustStore(f, c, ns, "transfer $50 from checking to savings", onePlan("transfer",
		map[string]any{"amount": json.Number("50"), "from_account": "checking", "to_account": "savings"}), reg)
	f.Fuzz(func(t *testing.T, req string) {
		res, err := c.Lookup(context.Background(), ns, req, reg)
		if err != nil {
			t.Fatalf("%q: %v", req, err)
		}
		if res.Hit != nil {
			if err := plan.Validate(res.Hit.Plan, reg); err != nil {
				t.Fatalf("%q: served an invalid plan: %v", req, err)
			}
		}
	})
}
