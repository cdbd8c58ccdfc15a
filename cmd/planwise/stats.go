package main

import (
	"github.com/spf13/cobra"

	"github.com/planwise/planwise/client"
)

func newStatsCmd(a *cli) *cobra.Command {
	var (
		srv    client.Flags
		window string
	)
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Show a running server's planner metrics and alerts",
		Long: `Fetch /api/v1/metrics/planner and /api/v1/alerts from a running planwise server and
print them as tables: request counts and rates, latency percentiles, tokens and cost,
errors by type, the source/model/tier mix and the alerts. --json prints one object,
{"planner": ..., "alerts": ...}, holding the two documents as the server sent them.

With API keys configured on the server, pass one with --api-key, or keep it out of the
process list with --api-key-file or $PLANWISE_API_KEY (read when neither flag is given).`,
		Example: `  planwise stats
  planwise stats --server http://127.0.0.1:8080 --window 1h
  planwise stats --window lifetime --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := client.CheckWindow(window); err != nil {
				return err
			}
			st, err := srv.Client.Stats(cmd.Context(), window)
			return a.ReportIndented(st, srv.Client.ExplainStats(err))
		},
	}
	cmd.Flags().StringVar(&window, "window", "", "time window: a duration such as 5m or 1h, or \"lifetime\" (default: the server's window)")
	srv.Register(cmd, "http://127.0.0.1:8080", "base URL of the planwise server", a.Err)
	a.JSONFlag(cmd)
	return cmd
}
