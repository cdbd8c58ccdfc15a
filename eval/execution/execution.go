// Package execution measures requests end to end: each is planned and its plan executed
// as a dry run (every tool simulated, nothing real is called), and the report counts how
// many runs succeed. `planwise eval run` prints its report.
package execution

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"time"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// Report is the result of Run: requests planned and executed as a dry run.
type Report struct {
	Dataset   string `json:"dataset"`
	Requests  int    `json:"requests"`
	Planned   int    `json:"planned"`
	Succeeded int    `json:"succeeded"`
	// ExecutionSuccessRate is succeeded runs / planned requests; EndToEndRate is succeeded
	// runs / requests (a request that could not be planned counts as a failure).
	ExecutionSuccessRate float64        `json:"execution_success_rate"`
	EndToEndRate         float64        `json:"end_to_end_rate"`
	PlanErrors           map[string]int `json:"plan_errors"`
	RunStatuses          map[string]int `json:"run_statuses"`
	StepStatuses         map[string]int `json:"step_statuses"`
	Steps                int            `json:"steps"`
	SimulatedSteps       int            `json:"simulated_steps"`
	Sources              map[string]int `json:"sources"`
	Failures             []Failure      `json:"failures,omitempty"`
	DurationMS           int64          `json:"duration_ms"`
}

// Failure is one request whose run did not succeed.
type Failure struct {
	Request string `json:"request"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

// maxFailures bounds the failures a report lists.
const maxFailures = 20

// run plans each request with p (without its cache), executes the plan on ex as a dry run
// and reports the outcomes. progress, when not nil, is called before each request with
// the number done so far.
func run(ctx context.Context, p *planner.Planner, ex *execute.Executor, name string, requests []string, progress func(done, total int)) *Report {
	rep := &Report{Dataset: name, Requests: len(requests),
		PlanErrors: map[string]int{}, RunStatuses: map[string]int{}, StepStatuses: map[string]int{}, Sources: map[string]int{}}
	start := time.Now()
	for i, text := range requests {
		if progress != nil {
			progress(i, len(requests))
		}
		resp, err := p.Plan(ctx, planner.Request{Text: text, Options: planner.Options{NoCache: true}})
		if err != nil {
			code := "error"
			if pe, ok := planner.AsError(err); ok {
				code = pe.Code
			}
			rep.PlanErrors[code]++
			continue
		}
		rep.Planned++
		rep.Sources[resp.Source]++
		res := ex.Run(ctx, resp.Plan, execute.RunOptions{DryRun: true})
		rep.RunStatuses[res.Status]++
		for _, s := range res.Steps {
			rep.Steps++
			rep.StepStatuses[s.Status]++
			if s.Simulated {
				rep.SimulatedSteps++
			}
		}
		if res.Status == "succeeded" {
			rep.Succeeded++
		} else if len(rep.Failures) < maxFailures {
			rep.Failures = append(rep.Failures, Failure{Request: text, Status: res.Status, Error: firstStepError(res)})
		}
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	if rep.Planned > 0 {
		rep.ExecutionSuccessRate = float64(rep.Succeeded) / float64(rep.Planned)
	}
	if rep.Requests > 0 {
		rep.EndToEndRate = float64(rep.Succeeded) / float64(rep.Requests)
	}
	return rep
}

func firstStepError(res *execute.Result) string {
	if res.Error != "" {
		return res.Error
	}
	for _, s := range res.Steps {
		if s.Status == "failed" {
			return s.ID + ": " + s.Error
		}
	}
	return ""
}

// TaskBench reads what a dry run of a TaskBench domain directory needs: its catalogue
// (tool_desc.json) as a registry and its first n requests (TaskBenchRequests). Errors
// name the flags of `planwise eval run`.
func TaskBench(dir string, n int) (*tool.Registry, []string, error) {
	if dir == "" {
		return nil, nil, errors.New("--taskbench DIR is required (a TaskBench domain directory with tool_desc.json and user_requests.json)")
	}
	tools, err := dataset.LoadTaskBenchTools(dir)
	if err != nil {
		return nil, nil, err
	}
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		return nil, nil, err
	}
	reqs, err := TaskBenchRequests(dir, n)
	if err != nil {
		return nil, nil, err
	}
	return reg, reqs, nil
}

// RunTaskBench is `planwise eval run`: it plans the first n requests of a TaskBench
// domain directory (TaskBench) with the planner newPlanner builds over the domain's
// registry, executes each plan as a dry run (Run) and reports. progress, when set, is
// called with the domain's name and the number of requests: Run's progress callback and
// a function called when the run is done.
func RunTaskBench(ctx context.Context, dir string, n int, newPlanner func(*tool.Registry) (*planner.Planner, error),
	progress func(name string, total int) (func(done, total int), func())) (*Report, error) {
	reg, reqs, err := TaskBench(dir, n)
	if err != nil {
		return nil, err
	}
	p, err := newPlanner(reg)
	if err != nil {
		return nil, err
	}
	ex := execute.New(reg)
	defer ex.Close()
	name := filepath.Base(filepath.Clean(dir))
	set, done := func(int, int) {}, func() {}
	if progress != nil {
		set, done = progress(name, len(reqs))
	}
	defer done()
	return run(ctx, p, ex, name, reqs, set), nil
}

// TaskBenchRequests returns the first n requests of a TaskBench domain directory
// (user_requests.json) in id order, so that runs are reproducible.
func TaskBenchRequests(dir string, n int) ([]string, error) {
	rows, err := dataset.LoadTaskBenchRequests(dir)
	if err != nil {
		return nil, err
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	out := make([]string, 0, min(n, len(rows)))
	for _, r := range rows {
		if len(out) == n {
			break
		}
		out = append(out, r.Text)
	}
	return out, nil
}
