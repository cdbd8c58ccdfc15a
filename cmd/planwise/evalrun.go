package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

func init() { registerEval(newEvalRunCmd) }

// RunReport is the result of `planwise eval run`: requests planned and executed as a dry
// run (every tool simulated).
type RunReport struct {
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
	Failures             []RunFailure   `json:"failures,omitempty"`
	DurationMS           int64          `json:"duration_ms"`
}

// RunFailure is one request whose run did not succeed.
type RunFailure struct {
	Request string `json:"request"`
	Status  string `json:"status"`
	Error   string `json:"error"`
}

func newEvalRunCmd(a *app) *cobra.Command {
	var (
		dir      string
		requests int
	)
	cmd := &cobra.Command{
		Use:   "run --taskbench DIR",
		Short: "Plan and dry-run TaskBench requests end to end; report the execution success rate",
		Long: `Plan each request of a TaskBench domain (user_requests.json, in id order) with the
configured planner over the domain's tool catalog (tool_desc.json), execute the plan as a
dry run (every tool simulated, nothing real is called) and report how many runs succeed.`,
		Example: `  planwise eval run --offline --taskbench ../shared/data/taskbench/dailylifeapis --requests 200`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return fmt.Errorf("--taskbench DIR is required (a TaskBench domain directory with tool_desc.json and user_requests.json)")
			}
			tools, err := tool.LoadPath(filepath.Join(dir, "tool_desc.json"))
			if err != nil {
				return err
			}
			reg, err := tool.NewRegistry(tools...)
			if err != nil {
				return err
			}
			reqs, err := readTaskBenchRequests(filepath.Join(dir, "user_requests.json"), requests)
			if err != nil {
				return err
			}
			p, err := a.Planner(reg)
			if err != nil {
				return err
			}
			ex := execute.New(reg)
			defer ex.Close()
			rep := &RunReport{Dataset: filepath.Base(filepath.Clean(dir)), Requests: len(reqs),
				PlanErrors: map[string]int{}, RunStatuses: map[string]int{}, StepStatuses: map[string]int{}, Sources: map[string]int{}}
			bar := newEvalBar(a.Err, len(reqs), "eval run")
			start := time.Now()
			for i, text := range reqs {
				bar.progress(i, len(reqs))
				resp, err := p.Plan(cmd.Context(), planner.Request{Text: text, Options: planner.Options{NoCache: true}})
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
				res := ex.Run(cmd.Context(), resp.Plan, execute.RunOptions{DryRun: true})
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
				} else if len(rep.Failures) < 20 {
					rep.Failures = append(rep.Failures, RunFailure{Request: text, Status: res.Status, Error: firstStepError(res)})
				}
			}
			bar.finish()
			rep.DurationMS = time.Since(start).Milliseconds()
			if rep.Planned > 0 {
				rep.ExecutionSuccessRate = float64(rep.Succeeded) / float64(rep.Planned)
			}
			if rep.Requests > 0 {
				rep.EndToEndRate = float64(rep.Succeeded) / float64(rep.Requests)
			}
			if a.JSON {
				return json.NewEncoder(a.Out).Encode(rep)
			}
			printRunReport(a, rep)
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "taskbench", "", "TaskBench domain directory (tool_desc.json, user_requests.json)")
	cmd.Flags().IntVar(&requests, "requests", 200, "number of requests (the first N by id order)")
	a.offlineFlag(cmd, false)
	return cmd
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

// readTaskBenchRequests reads user_requests.json (JSON lines {id, user_request}) and
// returns the first n requests in id order, so runs are reproducible.
func readTaskBenchRequests(path string, n int) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	type row struct {
		ID      string `json:"id"`
		Request string `json:"user_request"`
	}
	var rows []row
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	out := make([]string, 0, min(n, len(rows)))
	for _, r := range rows {
		if len(out) == n {
			break
		}
		out = append(out, r.Request)
	}
	return out, nil
}

func printRunReport(a *app, r *RunReport) {
	tw := tabwriter.NewWriter(a.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "data set\t%s\n", r.Dataset)
	fmt.Fprintf(tw, "requests\t%d\n", r.Requests)
	fmt.Fprintf(tw, "planned\t%d (%s)\n", r.Planned, counts(r.Sources))
	fmt.Fprintf(tw, "runs succeeded\t%d\n", r.Succeeded)
	fmt.Fprintf(tw, "execution success rate\t%.1f%% of planned requests\n", 100*r.ExecutionSuccessRate)
	fmt.Fprintf(tw, "end-to-end success rate\t%.1f%% of all requests\n", 100*r.EndToEndRate)
	fmt.Fprintf(tw, "plan errors\t%s\n", counts(r.PlanErrors))
	fmt.Fprintf(tw, "run statuses\t%s\n", counts(r.RunStatuses))
	fmt.Fprintf(tw, "steps\t%d (%d simulated; %s)\n", r.Steps, r.SimulatedSteps, counts(r.StepStatuses))
	fmt.Fprintf(tw, "time\t%d ms\n", r.DurationMS)
	tw.Flush()
	for _, f := range r.Failures {
		fmt.Fprintf(a.Out, "  %s: %s\n      %q\n", f.Status, f.Error, f.Request)
	}
}
