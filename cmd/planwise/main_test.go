package main

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/internal/testhome"
)

// mcpServerArg makes the test binary act as a stdio MCP server, so that the CLI's MCP
// tool listing is tested against a real server process over a real pipe.
const mcpServerArg = "planwise-cli-test-mcp-server"

// planwiseArg makes the test binary run the CLI with the arguments after it, so that a
// test can start `planwise mcp` as a real subprocess.
const planwiseArg = "planwise-cli-test-planwise"

// TestMain keeps the CLI's tests from creating planwise.db in the source tree or in the
// user's data directory (commands that plan open the configured store: memory here
// unless a test asks for SQLite) and serves MCP when asked to.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == mcpServerArg {
		s := mcp.NewServer(&mcp.Implementation{Name: "planwise-cli-test", Version: "1"}, nil)
		mcp.AddTool(s, &mcp.Tool{Name: "multiply", Description: "Multiply two numbers."},
			func(_ context.Context, _ *mcp.CallToolRequest, in struct {
				A float64 `json:"a"`
				B float64 `json:"b"`
			}) (*mcp.CallToolResult, struct {
				Product float64 `json:"product"`
			}, error) {
				return nil, struct {
					Product float64 `json:"product"`
				}{in.A * in.B}, nil
			})
		if err := s.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == planwiseArg {
		// The test binary as the planwise CLI: `planwise-cli-test-planwise mcp ...`.
		os.Exit(run(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
	}
	// A key in the developer's environment must not reach the tests' servers.
	os.Unsetenv("PLANWISE_API_KEY")
	if os.Getenv("PLANWISE_STORE__DRIVER") == "" {
		os.Setenv("PLANWISE_STORE__DRIVER", "memory")
	}
	// A test that asks for SQLite without a path uses the data directory of a HOME of
	// the tests' own, never the user's (package testhome).
	code := testhome.Run(m)
	for _, dir := range binDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}
