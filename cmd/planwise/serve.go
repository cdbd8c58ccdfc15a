package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/app"
)

func init() { register(newServeCmd) }

func newServeCmd(a *cli) *cobra.Command {
	var addr string
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
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			if addr != "" {
				cfg.Server.Addr = addr
			}
			log := slog.New(slog.NewJSONHandler(a.Err, nil))
			pw, err := a.App(ctx, app.Options{Serve: true, Logger: log})
			if err != nil {
				return err
			}
			if _, err := pw.Server(ctx); err != nil {
				return err
			}
			ln, err := net.Listen("tcp", cfg.Server.Addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w (fix: choose a free address with --addr)", cfg.Server.Addr, err)
			}
			p, err := pw.Planner(ctx)
			if err != nil {
				ln.Close()
				return err
			}
			reg, err := pw.Registry()
			if err != nil {
				ln.Close()
				return err
			}
			mode := "online"
			if p.Offline() {
				mode = "offline (no LLM configured: set OPENAI_API_KEY or OPENAI_BASE_URL; planning with the offline planners)"
			}
			store := pw.StoreSummary()
			log.Info("planwise serving", "addr", ln.Addr().String(), "mode", mode, "tools", reg.Len(),
				"registry_version", reg.Version(), "auth", len(cfg.Server.APIKeys) > 0, "store", store, "pid", os.Getpid())
			fmt.Fprintf(a.Out, "planwise listening on http://%s (%s)\nplanwise data: %s\n", ln.Addr(), mode, store)
			return pw.Serve(ctx, ln)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (default from config, 127.0.0.1:8080)")
	a.offlineFlag(cmd, false)
	return cmd
}
