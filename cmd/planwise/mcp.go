package main

import (
	"errors"
	"log/slog"
	"runtime/debug"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/planwise/planwise/mcpserver"
	"github.com/planwise/planwise/planner"
)

func init() { register(newMCPCmd) }

// mcpTenant scopes what MCP clients without an API key plan and run (stdio, or serve
// without api_keys): the CLI's tenant, which the HTTP API also gives unauthenticated callers.
const mcpTenant = planner.DefaultTenant

func newMCPCmd(a *app) *cobra.Command {
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
			a.mcpDegrade, a.mcpLog = true, log // as serve: MCP tool servers that are down are retried
			reg, err := a.Registry()
			if err != nil {
				return err
			}
			p, err := a.Planner(reg)
			if err != nil {
				return err
			}
			ex, err := a.Executor(reg)
			if err != nil {
				return err
			}
			defer ex.Close()
			a.followRegistry(p, ex, log)
			stores, err := a.Stores(ctx)
			if err != nil {
				return err
			}
			runs := planner.NewRuns(p, ex, stores.Runs, a.Recorder())
			defer runs.Close()
			srv, err := mcpserver.New(mcpserver.Config{Planner: p, Runs: runs, Tenant: mcpTenant, Version: mcpImplVersion(), Logger: log})
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

// mcpImplVersion is the version MCP clients are told: the module version of the build, or
// its VCS revision.
func mcpImplVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return s.Value[:12]
		}
	}
	return "dev"
}
