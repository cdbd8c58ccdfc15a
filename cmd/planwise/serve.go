package main

import (
	"fmt"
	"log/slog"

	"github.com/modelcontextprotocol/go-sdk/mcp"
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

func newMCPCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
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
			// As serve: MCP tool servers that are down are retried.
			a.opts.LongRunning = true // logs: the App's default, warnings and errors as text on stderr
			pw, err := a.App(ctx)
			if err != nil {
				return err
			}
			return pw.ServeMCP(ctx, &mcp.StdioTransport{})
		},
	}
	a.offlineFlag(cmd)
	return cmd
}
