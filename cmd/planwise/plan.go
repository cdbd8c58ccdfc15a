package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
)

func newPlanCmd(a *cli) *cobra.Command {
	var (
		opts    planner.Options
		partial bool
	)
	cmd := &cobra.Command{
		Use:   `plan "request"`,
		Short: "Plan a request and print the validated plan",
		Long: `Plan a request: semantic cache, then the LLM (when configured), then the offline
history and pattern planners. Prints the plan and where it came from; --json prints the
same object the HTTP API returns.

Exit codes: 0 plan printed, 2 no plan (the planner refused: cannot_plan), 1 any other
failure (usage, configuration, the LLM failing with nothing planned offline, deadline).`,
		Example: `  planwise plan "what time is it in Tokyo, then add 90 minutes to it"
  planwise plan --json --tools ../shared/data/taskbench/dailylifeapis/tool_desc.json \
    "Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := planner.Request{Text: strings.Join(args, " "), Options: opts}
			pw, p, err := a.planner(cmd.Context(), req)
			if err == nil && p.Offline() && opts.Model != "" {
				err = fmt.Errorf("--model %q: planning offline (no LLM configured, or --offline), no model is called", opts.Model)
			}
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("partial") {
				req.Options.Partial = &partial
			}
			resp, err := p.Plan(cmd.Context(), req)
			pw.WarnAuthRefused(resp, err)
			if err != nil {
				return a.noPlan(err)
			}
			return a.ReportIndented(resp, nil)
		},
	}
	cmd.Flags().IntVar(&opts.DeadlineMS, "deadline-ms", 0, "deadline for this request in milliseconds (default from config, 10000)")
	cmd.Flags().StringVar(&opts.Model, "model", "", "force the LLM's model instead of the routed one (refused when planning offline)")
	cmd.Flags().BoolVar(&opts.NoCache, "no-cache", false, "skip the semantic cache")
	cmd.Flags().BoolVar(&partial, "partial", false, "when part of the request cannot be planned offline, print the plan of the rest (flagged partial) instead of refusing")
	a.JSONFlag(cmd)
	a.offlineFlag(cmd)
	return cmd
}

func newRunCmd(a *cli) *cobra.Command {
	var rr planner.RunRequest // the flags of run
	cmd := &cobra.Command{
		Use:   `run "request"`,
		Short: "Plan a request and execute the plan, showing steps as they complete",
		Long: `Plan a request and execute the plan as a DAG: independent steps run in parallel.
Tools imported from catalogs with no way to run them (TaskBench, NESTFUL) are simulated,
and the output says so. The run is recorded in the configured store: SQLite (store.path,
by default ~/.local/share/planwise/planwise.db) or PostgreSQL (store.dsn).

--json prints the run, or plan's error object when no plan came out.

Exit codes: 0 the run succeeded, 2 no plan (the planner refused: cannot_plan), 3 the run
failed or partly failed, 1 any other failure (as plan's).`,
		Example: `  planwise run "what time is it in Asia/Tokyo"
  planwise run --dry-run --tools ../shared/data/taskbench/dailylifeapis/tool_desc.json "book a table at Luigi's on 2026-12-24"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			rr.Request.Text = strings.Join(args, " ")
			pw, _, err := a.planner(ctx, rr.Request)
			if err != nil {
				return err
			}
			runs, err := pw.Runs(ctx)
			if err != nil {
				return err
			}
			// The executor hands events over one at a time; those of no step print nothing.
			if !a.JSON {
				rr.OnEvent = func(ev execute.Event) { ev.WriteText(a.Out) }
			}
			st, err := runs.Start(ctx, rr, true)
			if err != nil {
				pw.WarnAuthRefused(nil, err)
				return a.noPlan(err)
			}
			pw.WarnAuthRefused(st.Planning, nil)
			if err := a.ReportIndented(st, nil); err != nil {
				return err
			}
			if st.Status != "succeeded" {
				return &exitError{code: exitRunFailed, err: fmt.Errorf("")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&rr.DryRun, "dry-run", false, "simulate every tool: nothing real is called")
	cmd.Flags().IntVar(&rr.Request.Options.DeadlineMS, "deadline-ms", 0, "planning deadline in milliseconds (default from config, 10000)")
	cmd.Flags().BoolVar(&rr.Request.Options.NoCache, "no-cache", false, "skip the semantic cache")
	a.JSONFlag(cmd)
	a.offlineFlag(cmd)
	return cmd
}

// noPlan is plan's and run's error when no plan came out: exit exitNoPlan for the
// planner's refusal only (client.IsCannotPlan: the error's type), else exitFailed.
func (a *cli) noPlan(err error) error {
	if client.IsCannotPlan(err) {
		return &exitError{code: exitNoPlan, err: err}
	}
	return err
}
