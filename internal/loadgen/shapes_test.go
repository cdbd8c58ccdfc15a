package loadgen

import (
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/planner"
)

// Every request of the built-in mix plans offline with the built-in catalog, as the
// server bench load is pointed at by default plans it (and as planwise sim, whose model
// is the same pattern planner, does): a built-in request refused would make a share of
// the load report 422s that measure nothing. Each shape is filled many times, as
// paraphrases, and with the project name of the never-sent kind, and must call the tool
// that does it.
func TestBuiltinShapesPlan(t *testing.T) {
	tools := map[requestShape]string{
		"Calculate {n} * {n}":                                  "calculate",
		"Calculate {n} + {n}":                                  "calculate",
		"Calculate {n} / {n}":                                  "calculate",
		"Fetch the page {url}":                                 "http_request",
		"Fetch the JSON from {url}":                            "http_request",
		"Send a GET request to {url}":                          "http_request",
		"Add {n} days to {date}":                               "add_duration",
		"Get the current time in {tz}":                         "current_time",
		"Render the template 'Dear {{name}}' with name {name}": "render_template",
	}
	cfg := app.DefaultConfig()
	cfg.Store.Driver = "memory"
	a, err := app.New(context.Background(), &cfg, app.Options{Offline: true, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	p, err := a.Planner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(13, 13))
	for _, shape := range benchShapes {
		want, ok := tools[shape]
		if !ok {
			t.Errorf("shape %q: which tool does it call? (add it here)", shape)
		}
		refused := 0
		const fills = 40
		for i := range fills {
			req := shape.fill(rng)
			if i%2 == 1 {
				req += " for project " + benchProject(int64(i))
			}
			resp, err := p.Plan(context.Background(), planner.Request{Text: req, Options: planner.Options{NoCache: true}})
			if err != nil || resp.Plan == nil || len(resp.Plan.Steps) == 0 {
				if refused++; refused <= 2 {
					t.Errorf("shape %q: %q was not planned: %v", shape, req, err)
				}
				continue
			}
			if got := resp.Plan.Steps[0].Tool; ok && (got != want || len(resp.Plan.Steps) != 1) {
				t.Errorf("shape %q: %q planned %d steps, the first %s; want one %s", shape, req, len(resp.Plan.Steps), got, want)
			}
		}
		if refused > 0 {
			t.Errorf("shape %q: %d of %d requests refused", shape, refused, fills)
		}
	}
}
