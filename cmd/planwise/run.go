package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
)

func newRunCmd(a *cli) *cobra.Command {
	var (
		opts   planner.Options
		dryRun bool
	)
	cmd := &cobra.Command{
		Use:   `run "request"`,
		Short: "Plan a request and execute the plan, showing steps as they complete",
		Long: `Plan a request and execute the plan as a DAG: independent steps run in parallel.
Tools imported from catalogs with no way to run them (TaskBench, NESTFUL) are simulated,
and the output says so. The run is recorded in the store (store.path; by default
planwise.db in the user's data directory, ~/.local/share/planwise).

Exit codes: 0 the run succeeded, 1 usage or configuration error, 2 no plan, 3 the run
failed or partly failed.`,
		Example: `  planwise run "what time is it in Asia/Tokyo"
  planwise run --dry-run --tools ../shared/data/taskbench/dailylifeapis/tool_desc.json "book a table at Luigi's on 2026-12-24"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			pw, _, err := a.planner(ctx)
			if err != nil {
				return err
			}
			runs, err := pw.Runs(ctx)
			if err != nil {
				return err
			}
			// The executor hands events over one at a time; those of no step print nothing.
			var onEvent func(execute.Event)
			if !a.JSON {
				onEvent = func(ev execute.Event) { ev.WriteText(a.Out) }
			}
			st, err := runs.Start(ctx, planner.RunRequest{Request: planner.Request{Text: strings.Join(args, " "), Options: opts},
				DryRun: dryRun, OnEvent: onEvent}, true)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if err := a.reportIndented(st, nil); err != nil {
				return err
			}
			if st.Status != "succeeded" {
				return &exitError{code: 3, err: fmt.Errorf("")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "simulate every tool: nothing real is called")
	cmd.Flags().IntVar(&opts.DeadlineMS, "deadline-ms", 0, "planning deadline in milliseconds")
	cmd.Flags().BoolVar(&opts.NoCache, "no-cache", false, "skip the semantic cache")
	a.jsonFlag(cmd, false)
	a.offlineFlag(cmd)
	return cmd
}
