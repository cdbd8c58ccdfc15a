package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/llm"
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

Exit codes: 0 plan printed, 1 usage or configuration error, 2 no plan (typed error).`,
		Example: `  planwise plan "what time is it in Tokyo, then add 90 minutes to it"
  planwise plan --json --tools ../shared/data/taskbench/dailylifeapis/tool_desc.json \
    "Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, p, err := a.planner(cmd.Context())
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("partial") {
				opts.Partial = &partial
			}
			resp, err := p.Plan(cmd.Context(), planner.Request{Text: strings.Join(args, " "), Options: opts})
			warnAuth(a, resp, err)
			if err != nil {
				if pe, ok := planner.AsError(err); ok && a.JSON {
					_ = writeJSON(a.Out, map[string]any{"error": pe})
					return &exitError{code: 2, err: fmt.Errorf("")}
				}
				return &exitError{code: 2, err: err}
			}
			return a.reportIndented(resp, nil)
		},
	}
	cmd.Flags().IntVar(&opts.DeadlineMS, "deadline-ms", 0, "deadline for this request in milliseconds (default from config, 10000)")
	cmd.Flags().StringVar(&opts.Model, "model", "", "force a model instead of the routed one")
	cmd.Flags().BoolVar(&opts.NoCache, "no-cache", false, "skip the semantic cache")
	cmd.Flags().BoolVar(&partial, "partial", false, "when part of the request cannot be planned offline, print the plan of the rest (flagged partial) instead of refusing")
	a.jsonFlag(cmd, false)
	a.offlineFlag(cmd)
	return cmd
}

// warnAuth says loudly, on stderr, that the provider refused the credentials: an
// authentication error is a configuration problem no retry or fallback fixes, and the
// offline plan that follows would otherwise look like an ordinary answer.
func warnAuth(a *cli, resp *planner.Response, err error) {
	if pe, ok := planner.AsError(err); ok && pe.Response != nil {
		resp = pe.Response
	}
	if resp != nil && slices.Contains(resp.Errors, string(llm.AuthError)) {
		fmt.Fprintln(a.Err, "planwise: ERROR: the LLM provider refused the API key (401/403): check OPENAI_API_KEY / llm.api_key; this answer did not come from the LLM")
	}
}
