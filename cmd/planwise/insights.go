package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/history"
)

func init() { register(newInsightsCmd) }

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
			var in *history.Insights
			if t.server != "" {
				c, err := t.client()
				if err != nil {
					return err
				}
				if in, err = c.Insights(cmd.Context(), since); err != nil {
					return err
				}
			} else {
				tenant, err := t.localTenant(cmd)
				if err != nil {
					return err
				}
				h, err := openHistory(cmd.Context(), a)
				if err != nil {
					return err
				}
				if in, err = h.Insights(cmd.Context(), tenant, since); err != nil {
					return err
				}
			}
			if a.JSON {
				return json.NewEncoder(a.Out).Encode(in)
			}
			fmt.Fprintf(a.Out, "%d requests, %d failing; validity %.1f%%, fallback from the LLM %.1f%%",
				in.Requests, in.Failures, 100*in.ValidityRate, 100*in.FallbackRate)
			if in.Offline > 0 {
				fmt.Fprintf(a.Out, "; %d planned offline (no LLM in use)", in.Offline)
			}
			fmt.Fprintln(a.Out)
			if len(in.Suggestions) == 0 {
				fmt.Fprintln(a.Out, "no suggestions: no failure pattern has enough evidence")
			} else {
				fmt.Fprintln(a.Out, "\nsuggestions:")
				for _, s := range in.Suggestions {
					fmt.Fprintf(a.Out, "  - [%s] %s\n", s.Kind, s.Text)
				}
			}
			section := func(title string, gs []history.Group) {
				if len(gs) == 0 {
					return
				}
				fmt.Fprintf(a.Out, "\n%s:\n", title)
				tw := tabwriter.NewWriter(a.Out, 0, 0, 2, ' ', 0)
				for _, g := range gs {
					fmt.Fprintf(tw, "  %s\t%d/%d\t%.0f%%\n", g.Key, g.Failures, g.Total, 100*g.Rate)
				}
				tw.Flush()
			}
			section("failing arguments", in.ByArgument)
			section("failing tools", in.ByTool)
			section("error types", in.ByErrorType)
			section("request patterns", in.ByPattern)
			section("prompt variants (fallbacks)", in.ByVariant)
			return nil
		},
	}
	t.flags(cmd)
	cmd.Flags().DurationVar(&since, "since", 24*time.Hour, "window to analyse (0: all records)")
	a.jsonFlag(cmd, false)
	return cmd
}
