package main

import (
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"
)

func newServeCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP API (and dashboard)",
		Long: `Run the planwise HTTP API. The LLM provider comes from the configuration or
OPENAI_BASE_URL / OPENAI_API_KEY; with neither set the server plans offline and says so.`,
		Example: `  planwise serve --addr 127.0.0.1:8080
  OPENAI_BASE_URL=http://127.0.0.1:8089/v1 planwise serve --addr 127.0.0.1:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a.opts.Serve, a.opts.Logger = true, slog.New(slog.NewJSONHandler(a.Err, nil))
			pw, err := a.App(ctx)
			if err != nil {
				return err
			}
			ln, mode, err := pw.Listen(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.Out, "planwise listening on http://%s (%s)\nplanwise data: %s\n", ln.Addr(), mode, pw.StoreSummary())
			return pw.Serve(ctx, ln)
		},
	}
	cmd.Flags().StringVar(&a.opts.Addr, "addr", "", "listen address (default from config, 127.0.0.1:8080)")
	a.offlineFlag(cmd)
	return cmd
}
