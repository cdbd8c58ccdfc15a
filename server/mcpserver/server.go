package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// RegistryURI names the registry resource.
const RegistryURI = "planwise://registry"

// Config configures the MCP server.
type Config struct {
	// Planner plans requests (required). Its registry is read on every call, so a
	// planner whose registry is replaced serves the new one at once.
	Planner *planner.Planner
	// Runs plans and executes for the run tool; nil leaves the run tool out.
	Runs *planner.Runs
	// Version is reported as the server implementation's version.
	Version string
	// Tenant scopes calls that carry no authenticated principal (stdio).
	Tenant string
	// Logger receives internal errors (never request contents); nil discards them.
	Logger *slog.Logger
	// MaxBodyBytes bounds an HTTP request body (Handler), as the API's server.max_body_bytes
	// does; zero leaves the SDK's default (4 MiB).
	MaxBodyBytes int64
	// Drain bounds how long Run, once the client's input ends (stdin closed), keeps
	// answering the calls it already read before it returns; zero means DefaultDrain.
	Drain time.Duration
}

// Server is planwise's MCP server: the tools plan, run and tools, and the registry
// resource.
type Server struct {
	cfg Config
	mcp *mcp.Server
}

// New builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.Planner == nil {
		return nil, errors.New("mcpserver: a planner is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	s := &Server{cfg: cfg}
	s.mcp = mcp.NewServer(&mcp.Implementation{Name: "planwise", Title: "planwise", Version: cfg.Version}, &mcp.ServerOptions{
		Instructions: "planwise turns a natural-language request into a validated plan of tool calls over its tool registry. " +
			"Call plan to get a plan, run to plan and execute (dry_run simulates every tool), tools to see which tools plans may use.",
		Logger: cfg.Logger,
		// No logging capability: planwise does not send log messages to clients.
		Capabilities: &mcp.ServerCapabilities{},
	})
	if err := s.addTools(); err != nil {
		return nil, err
	}
	s.mcp.AddResource(&mcp.Resource{
		URI: RegistryURI, Name: "registry", Title: "planwise tool registry", MIMEType: "application/json",
		Description: "Every tool a plan may call (name, description, input and output schemas, how it runs) and the registry version.",
	}, s.readRegistry)
	return s, nil
}

// MCP returns the underlying SDK server (to connect other transports).
func (s *Server) MCP() *mcp.Server { return s.mcp }

// Run serves one session over t until the client disconnects or ctx ends. When the
// client's input ends, the calls already read are answered first (for at most
// Config.Drain); when ctx ends, they are not waited for.
func (s *Server) Run(ctx context.Context, t mcp.Transport) error {
	wait := s.cfg.Drain
	if wait <= 0 {
		wait = DefaultDrain
	}
	return s.mcp.Run(ctx, drainTransport{t: t, wait: wait})
}

// PlanInput is the plan tool's arguments.
type PlanInput struct {
	Request string          `json:"request" jsonschema:"the natural-language request to plan"`
	Options planner.Options `json:"options,omitzero" jsonschema:"per-request settings: deadline_ms, offline, no_cache, model"`
}

// RunInput is the run tool's arguments: exactly one of request and plan.
type RunInput struct {
	Request string          `json:"request,omitempty" jsonschema:"a natural-language request to plan and then execute"`
	Plan    json.RawMessage `json:"plan,omitempty" jsonschema:"a plan to execute as given (after validation) instead of planning"`
	DryRun  bool            `json:"dry_run,omitempty" jsonschema:"simulate every tool: nothing real is called"`
	Options planner.Options `json:"options,omitzero" jsonschema:"planning settings when a request is given: deadline_ms, offline, no_cache, model"`
}

// runInputSchema is RunInput as JSON Schema sees it: plan is a plan object.
type runInputSchema struct {
	Request string          `json:"request,omitempty" jsonschema:"a natural-language request to plan and then execute"`
	Plan    *plan.Plan      `json:"plan,omitempty" jsonschema:"a plan to execute as given (after validation) instead of planning"`
	DryRun  bool            `json:"dry_run,omitempty" jsonschema:"simulate every tool: nothing real is called"`
	Options planner.Options `json:"options,omitzero" jsonschema:"planning settings when a request is given: deadline_ms, offline, no_cache, model"`
}

// ToolInfo is one tool of the registry, as GET /api/v1/tools reports it.
type ToolInfo struct {
	Name         string `json:"name"`
	Description  string `json:"description"`
	InputSchema  any    `json:"input_schema" jsonschema:"JSON Schema of the arguments"`
	OutputSchema any    `json:"output_schema,omitempty" jsonschema:"JSON Schema of the output, when declared"`
	Run          string `json:"run" jsonschema:"how the tool runs: builtin, http, mcp or simulated"`
	Source       string `json:"source,omitempty" jsonschema:"where the tool came from"`
}

// Catalog is the registry: its version (a content hash that changes with any tool) and
// its tools.
type Catalog struct {
	Version string     `json:"version"`
	Tools   []ToolInfo `json:"tools"`
}

func (s *Server) addTools() error {
	type spec struct {
		tool    *mcp.Tool
		in, out func() (*jsonschema.Schema, error)
		handler mcp.ToolHandler
	}
	specs := []spec{{
		tool: &mcp.Tool{Name: "plan", Title: "Plan a request",
			Description: "Turn a natural-language request into a validated plan of tool calls over planwise's tool registry. " +
				"Returns the plan (steps with tool, args, references ${sN.field} to earlier outputs) and where it came from " +
				"(source llm, cache, history or pattern; fallback and its reason; model, tokens, cost). Nothing is executed.",
			Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(false)}},
		in:      func() (*jsonschema.Schema, error) { return jsonschema.For[PlanInput](nil) },
		out:     func() (*jsonschema.Schema, error) { return jsonschema.For[planner.Response](nil) },
		handler: s.plan,
	}, {
		tool: &mcp.Tool{Name: "tools", Title: "List the tool registry",
			Description: "The tools plans may call: name, description, input and output JSON Schemas, how each runs, and the registry version.",
			Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(false)}},
		in:      func() (*jsonschema.Schema, error) { return &jsonschema.Schema{Type: "object"}, nil },
		out:     func() (*jsonschema.Schema, error) { return jsonschema.For[Catalog](nil) },
		handler: s.tools,
	}}
	if s.cfg.Runs != nil {
		specs = append(specs, spec{
			tool: &mcp.Tool{Name: "run", Title: "Plan and execute",
				Description: "Plan a natural-language request and execute the plan (independent steps in parallel), or execute a plan given as is. " +
					"Send exactly one of request and plan. dry_run simulates every tool. Returns the run: status (succeeded, failed, partial, canceled), " +
					"each step's output or error, the plan and where it came from.",
				Annotations: &mcp.ToolAnnotations{DestructiveHint: new(true), OpenWorldHint: new(true)}},
			in:      func() (*jsonschema.Schema, error) { return jsonschema.For[runInputSchema](nil) },
			out:     func() (*jsonschema.Schema, error) { return jsonschema.For[planner.RunState](nil) },
			handler: s.run,
		})
	}
	for _, sp := range specs {
		in, err := sp.in()
		if err != nil {
			return fmt.Errorf("mcpserver: %s input schema: %w", sp.tool.Name, err)
		}
		out, err := sp.out()
		if err != nil {
			return fmt.Errorf("mcpserver: %s output schema: %w", sp.tool.Name, err)
		}
		sp.tool.InputSchema, sp.tool.OutputSchema = in, out
		s.mcp.AddTool(sp.tool, sp.handler)
	}
	return nil
}

func (s *Server) plan(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in PlanInput
	if res := decodeArgs(req, &in); res != nil {
		return res, nil
	}
	if strings.TrimSpace(in.Request) == "" {
		return errorResult("invalid_request", `"request" is required: the natural-language request to plan`, nil), nil
	}
	p := s.principal(req)
	resp, err := s.cfg.Planner.Plan(ctx, planner.Request{Text: in.Request, Tenant: p.Tenant, APIKey: p.KeyID, Options: in.Options})
	if err != nil {
		return s.failure(err), nil
	}
	return &mcp.CallToolResult{
		Content:           []mcp.Content{&mcp.TextContent{Text: resp.String()}},
		StructuredContent: resp,
	}, nil
}

func (s *Server) run(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var in RunInput
	if res := decodeArgs(req, &in); res != nil {
		return res, nil
	}
	hasPlan := len(in.Plan) > 0 && string(in.Plan) != "null"
	if (strings.TrimSpace(in.Request) == "") == !hasPlan {
		return errorResult("invalid_request", `send exactly one of "request" (to plan and run) or "plan" (to run as given)`, nil), nil
	}
	p := s.principal(req)
	rr := planner.RunRequest{DryRun: in.DryRun, Request: planner.Request{
		Text: in.Request, Tenant: p.Tenant, APIKey: p.KeyID, Options: in.Options}}
	if hasPlan {
		pl, err := plan.Parse(in.Plan)
		if err != nil {
			return errorResult("invalid_request", "plan: "+err.Error(), nil), nil
		}
		rr.Plan = pl
	}
	st, err := s.cfg.Runs.Start(ctx, rr, true)
	if err != nil {
		return s.failure(err), nil
	}
	return &mcp.CallToolResult{
		Content:           []mcp.Content{&mcp.TextContent{Text: runText(st)}},
		StructuredContent: st,
	}, nil
}

func (s *Server) tools(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	if res := decodeArgs(req, &struct{}{}); res != nil {
		return res, nil
	}
	c := catalog(s.cfg.Planner.Registry())
	var b strings.Builder
	fmt.Fprintf(&b, "%d tools (registry %s)\n", len(c.Tools), c.Version)
	for _, t := range c.Tools {
		fmt.Fprintf(&b, "  %s: %s\n", t.Name, firstLine(t.Description))
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: b.String()}}, StructuredContent: c}, nil
}

func (s *Server) readRegistry(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	b, err := json.Marshal(catalog(s.cfg.Planner.Registry()))
	if err != nil {
		return nil, err
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: RegistryURI, MIMEType: "application/json", Text: string(b)}}}, nil
}

func catalog(reg *tool.Registry) Catalog {
	c := Catalog{Version: reg.Version(), Tools: make([]ToolInfo, 0, reg.Len())}
	for _, t := range reg.Tools() {
		ti := ToolInfo{Name: t.Name, Description: t.Description, InputSchema: json.RawMessage(t.InputSchema),
			Run: t.RunKind(), Source: t.Source}
		if len(bytes.TrimSpace(t.OutputSchema)) > 0 {
			ti.OutputSchema = json.RawMessage(t.OutputSchema)
		}
		c.Tools = append(c.Tools, ti)
	}
	return c
}

// decodeArgs reads the call's arguments into v strictly (unknown fields are refused, so
// a misspelt option is not silently ignored). It returns an invalid_request tool error,
// or nil on success.
func decodeArgs(req *mcp.CallToolRequest, v any) *mcp.CallToolResult {
	raw := req.Params.Arguments
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errorResult("invalid_request", "invalid arguments: "+err.Error(), nil)
	}
	if dec.More() {
		return errorResult("invalid_request", "invalid arguments: trailing data after the object", nil)
	}
	return nil
}

// failure turns a planning or run error into a tool error with its typed code.
func (s *Server) failure(err error) *mcp.CallToolResult {
	if ve, ok := plan.AsValidationError(err); ok {
		return errorResult("invalid_plan", ve.Error(), map[string]any{"issues": ve.Issues})
	}
	code := planner.ErrorCode(err) // as the HTTP API, the metrics and the history name it
	pe, ok := planner.AsError(err)
	if !ok {
		s.cfg.Logger.Error("mcp call failed", "err", err)
		return errorResult(code, "internal error", nil)
	}
	extra := map[string]any{}
	if len(pe.Causes) > 0 {
		extra["causes"] = pe.Causes
	}
	if pe.RetryAfter > 0 {
		extra["retry_after_seconds"] = pe.RetryAfter.Seconds()
	}
	if r := pe.Response; r != nil {
		extra["request_id"] = r.RequestID
		extra["attempts"] = r.Attempts
		extra["tokens"] = r.Tokens
		extra["cost_usd"] = r.CostUSD
		if len(r.Errors) > 0 {
			extra["errors"] = r.Errors
		}
	}
	return errorResult(code, pe.Message, extra)
}

// errorResult is a tool error: a readable line, then the HTTP API's error body as JSON.
func errorResult(code, msg string, extra map[string]any) *mcp.CallToolResult {
	body := map[string]any{"code": code, "message": msg}
	for k, v := range extra {
		body[k] = v
	}
	readable := code + ": " + msg
	if causes, ok := extra["causes"].([]string); ok && len(causes) > 0 {
		readable += " (" + strings.Join(causes, "; ") + ")"
	}
	b, _ := json.Marshal(map[string]any{"error": body})
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{
		&mcp.TextContent{Text: readable},
		&mcp.TextContent{Text: string(b)},
	}}
}

func runText(st *planner.RunState) string {
	var b strings.Builder
	_ = st.WriteText(&b)
	for _, sr := range st.Steps {
		fmt.Fprintf(&b, "  %s %s: %s", sr.ID, sr.Tool, sr.Status)
		if sr.Simulated {
			b.WriteString(" [simulated]")
		}
		switch {
		case sr.Error != "":
			fmt.Fprintf(&b, ": %s", sr.Error)
		case sr.Output != nil:
			out, _ := json.Marshal(sr.Output)
			if len(out) > 300 {
				out = append(out[:300:300], "..."...)
			}
			fmt.Fprintf(&b, " -> %s", out)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}
