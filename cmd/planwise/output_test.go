package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/planwise/planwise/eval/execution"
	routeeval "github.com/planwise/planwise/eval/route"
	"github.com/planwise/planwise/internal/cliout"
	"github.com/planwise/planwise/internal/loadgen"
)

// The human reports that carry counts per name print them as lists, never as Go maps.
func TestReportsPrintNoGoMaps(t *testing.T) {
	var out bytes.Buffer
	a := &cli{Printer: cliout.Printer{Out: &out}}
	(&execution.Report{Dataset: "dailylifeapis", Requests: 10, Planned: 9,
		Sources: map[string]int{"pattern": 6, "history": 3}, PlanErrors: map[string]int{"cannot_plan": 1},
		RunStatuses: map[string]int{"succeeded": 9}, Steps: 18, StepStatuses: map[string]int{"succeeded": 17, "skipped": 1}}).WriteText(&out)
	(&routeeval.ReplayReport{Domain: "dailylifeapis", Requests: 200,
		Shapes: map[string]int{"chain": 173, "dag": 20, "single": 7}, RouteMix: map[string]int{"simple": 120, "complex": 80},
		Routed: routeeval.ReplayRun{Name: "routed", Calls: map[string]int{"gpt-4o-mini": 150, "gpt-4o": 60}}}).WriteText(&out)
	a.ReportIndented(&loadgen.Report{URL: "http://127.0.0.1:8080", Status: map[string]int{"200": 990, "429": 10},
		Sources: map[string]int{"cache": 600, "llm": 390}, Errors: map[string]int{"timeout": 2}, ErrorTotal: 2}, nil)
	got := out.String()
	if strings.Contains(got, "map[") {
		t.Errorf("a Go map in the output:\n%s", got)
	}
	for _, want := range []string{"9 (pattern: 6, history: 3)", "18 (0 simulated; succeeded: 17, skipped: 1)",
		"shapes chain: 173, dag: 20, single: 7", "routed tiers simple: 120, complex: 80", "gpt-4o-mini: 150, gpt-4o: 60",
		"status     200: 990, 429: 10", "2 transport, 0 untyped error answers (timeout: 2)"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
