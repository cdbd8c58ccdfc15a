// Package mcpserver exposes planwise as a Model Context Protocol server, through the
// official Go SDK (github.com/modelcontextprotocol/go-sdk). It only translates MCP to
// library calls, as package server translates HTTP: planning is the planner's, running
// is planner.Runs'.
//
// Tools:
//
//	plan   {"request": "...", "options": {...}} -> the plan response the HTTP API returns
//	       (POST /api/v1/plan), as structured content with an output schema, plus a
//	       readable text rendering of the plan
//	run    {"request": "..."} (plan and execute) or {"plan": {...}} (execute as given),
//	       "dry_run" simulates every tool -> the run result (POST /api/v1/runs?wait=true)
//	tools  {} -> the tool registry and its version (GET /api/v1/tools)
//
// Resource: planwise://registry, the registry as JSON (the tools tool's result).
//
// Errors a caller can act on (cannot_plan: no tool fits; invalid_request: bad arguments;
// invalid_plan: a given plan failed validation; rate_limited, deadline, unavailable) are
// tool results with isError set, never protocol errors: the first text content is a
// readable "code: message", the second the same JSON object the HTTP API sends as its
// error body ({"error": {"code", "message", ...}}). Protocol errors are left to the SDK
// (unknown tool, malformed JSON-RPC).
//
// Transports: Run serves one session over a transport (planwise mcp uses stdio); when
// the client's input ends (stdin closed after the last request), the calls already read
// are answered before Run returns, for at most Config.Drain, where the SDK alone
// cancels them. Handler serves streamable HTTP, stateless (every POST stands alone, so
// replicas behind a load balancer need no sticky sessions). Handler is meant to be
// mounted behind the HTTP API's bearer authentication: the principal function reads the
// tenant and key the authentication established, and every call is planned, cached,
// recorded and metered under them, as an API call would be. Calls that carry no
// principal (stdio) use Config.Tenant.
package mcpserver
