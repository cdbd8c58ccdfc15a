package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newInsightsCmd(a *cli) *cobra.Command {
	var t learningTarget
	var since time.Duration
	cmd := &cobra.Command{
		Use:   "insights",
		Short: "Analyse failures in the execution history and suggest improvements",
		Long: `Group the failures of the last --since (by tool, argument, error type, request pattern
and prompt variant) and print concrete suggestions with their evidence: a tool argument
to document better, a request pattern that needs a worked example or a stronger tier, a
prompt variant that falls back more. Reads the local store or, with --server, a running
server's GET /api/v1/insights.`,
		Example: `  planwise insights --since 24h
  planwise insights --server http://127.0.0.1:8080 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if since < 0 {
				return fmt.Errorf("--since must not be negative")
			}
			src, err := t.open(cmd, a)
			if err != nil {
				return err
			}
			return a.report(src.Insights(cmd.Context(), since))
		},
	}
	t.flags(cmd)
	cmd.Flags().DurationVar(&since, "since", 24*time.Hour, "window to analyse (0: all records)")
	a.jsonFlag(cmd, false)
	return cmd
}
