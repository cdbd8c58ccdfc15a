package main

import (
	"github.com/spf13/cobra"

	"github.com/planwise/planwise/eval/execution"
	"github.com/planwise/planwise/internal/progress"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
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
			ctx := cmd.Context()
			return a.report(execution.RunTaskBench(ctx, dir, requests, func(reg *tool.Registry) (*planner.Planner, error) {
				pw, err := a.App(ctx)
				if err != nil {
					return nil, err
				}
				return pw.NewPlanner(ctx, reg, nil)
			}, progress.PerSet(a.Err)))
		},
	}
	cmd.Flags().StringVar(&dir, "taskbench", "", "TaskBench domain directory (tool_desc.json, user_requests.json)")
	cmd.Flags().IntVar(&requests, "requests", 200, "number of requests (the first N by id order)")
	a.offlineFlag(cmd)
	return cmd
}
