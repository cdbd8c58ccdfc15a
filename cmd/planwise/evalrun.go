package main

import (
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/eval/execution"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/internal/progress"
)

func newEvalRunCmd(a *cli) *cobra.Command {
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
			reg, reqs, err := execution.TaskBench(dir, requests)
			if err != nil {
				return err
			}
			pw, err := a.App(cmd.Context(), app.Options{})
			if err != nil {
				return err
			}
			p, err := pw.NewPlanner(cmd.Context(), reg, nil)
			if err != nil {
				return err
			}
			ex := execute.New(reg)
			defer ex.Close()
			bar := progress.New(a.Err, len(reqs), "eval run")
			rep := execution.Run(cmd.Context(), p, ex, filepath.Base(filepath.Clean(dir)), reqs, bar.Set)
			bar.Finish()
			return a.report(rep, nil)
		},
	}
	cmd.Flags().StringVar(&dir, "taskbench", "", "TaskBench domain directory (tool_desc.json, user_requests.json)")
	cmd.Flags().IntVar(&requests, "requests", 200, "number of requests (the first N by id order)")
	a.offlineFlag(cmd, false)
	return cmd
}
