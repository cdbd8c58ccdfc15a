package main

import (
	"errors"
	"log/slog"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/mcpserver"
)

func init() { register(newMCPCmd) }

func newMCPCmd(a *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "mcp",
		Short: "Serve planwise over MCP on stdio (tools plan, run, tools)",
		Long: `Serve planwise as a Model Context Protocol server on standard input and output, for
agents and IDEs that start MCP servers as subprocesses. Tools: plan (request -> the
validated plan, as the HTTP API returns it), run (plan and execute, or execute a given
plan; dry_run simulates every tool) and tools (the registry); the registry is also the
resource planwise://registry. planwise serve offers the same over streamable HTTP at
/api/v1/mcp. Logs go to standard error.`,
		Example: `  planwise mcp --tools ../shared/data/taskbench/dailylifeapis/tool_desc.json
  # in an MCP client's configuration:
  {"command": "planwise", "args": ["mcp", "--tools", "/path/to/tools.yaml"]}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			log := slog.New(slog.NewTextHandler(a.Err, &slog.HandlerOptions{Level: slog.LevelWarn}))
			// As serve: MCP tool servers that are down are retried.
			pw, err := a.App(ctx, app.Options{LongRunning: true, Logger: log})
			if err != nil {
				return err
			}
			p, err := pw.Planner(ctx)
			if err != nil {
				return err
			}
			runs, err := pw.Runs(ctx)
			if err != nil {
				return err
			}
			srv, err := mcpserver.New(mcpserver.Config{Planner: p, Runs: runs, Tenant: app.MCPTenant, Version: app.MCPVersion(), Logger: log})
			if err != nil {
				return err
			}
			if p.Offline() {
				log.Warn("no LLM configured (set OPENAI_API_KEY or OPENAI_BASE_URL): planning offline")
			}
			err = srv.Run(ctx, &mcp.StdioTransport{})
			if ctx.Err() != nil || errors.Is(err, mcp.ErrConnectionClosed) {
				return nil // the client went away or we were asked to stop
			}
			return err
		},
	}
}
