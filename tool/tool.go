// Package tool defines the tools a plan may call and the Registry that holds them.
//
// A Tool is a name, a description, a JSON Schema (draft 2020-12) for its input, an
// optional output schema, worked examples and a RunSpec saying how the executor runs it.
// Tools come from YAML or JSON tool files, from importers (TaskBench tool_desc.json,
// NESTFUL *-spec.json, OpenAI function tools), from MCP servers and from the built-in
// catalog (see Builtins).
//
// A Registry is immutable once built and safe for concurrent use. Its Version is a
// content hash over every tool's canonical JSON: it keys the plan cache and the history,
// so a changed tool description or schema invalidates what was learnt against the old one.
package tool

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// Tool is one callable capability.
type Tool struct {
	// Name is unique within a registry: letters, digits, '_', '-', '.' (e.g. "send_email",
	// "RentalCars.ReserveCar").
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description" yaml:"description"`
	// InputSchema is a JSON Schema object describing the tool's arguments. An empty schema
	// means "no arguments".
	InputSchema json.RawMessage `json:"input_schema,omitempty" yaml:"input_schema,omitempty"`
	// OutputSchema, when present, lets the validator type-check references to this tool's
	// output and lets simulated runs generate plausible outputs.
	OutputSchema json.RawMessage `json:"output_schema,omitempty" yaml:"output_schema,omitempty"`
	// Examples are request fragments that this tool serves, with the arguments they imply.
	// They feed the pattern planner's lexical matching and the prompt's tool documentation.
	Examples []Example `json:"examples,omitempty" yaml:"examples,omitempty"`
	// Run says how the executor runs the tool. Nil means simulated.
	Run *RunSpec `json:"run,omitempty" yaml:"run,omitempty"`
	// Idempotent tools may be retried by the executor after a failure.
	Idempotent bool `json:"idempotent,omitempty" yaml:"idempotent,omitempty"`
	// Source names where the tool came from ("builtin", a file path, "taskbench:FILE", ...).
	// It is not part of the registry version.
	Source string `json:"-" yaml:"-"`
}

// Example is a request fragment and the arguments it maps to.
type Example struct {
	Request string         `json:"request" yaml:"request"`
	Args    map[string]any `json:"args,omitempty" yaml:"args,omitempty"`
}

// Run kinds.
const (
	RunBuiltin   = "builtin"
	RunHTTP      = "http"
	RunMCP       = "mcp"
	RunSimulated = "simulated"
	// RunGo is a tool implemented by a Go function in the same process (Func,
	// FuncSchema). Tool files cannot declare it: a file names no Go code.
	RunGo = "go"
)

// RunSpec says how a tool runs.
type RunSpec struct {
	// Kind is one of builtin, http, mcp, simulated, go.
	Kind string `json:"kind" yaml:"kind"`
	// Builtin names the built-in implementation (Kind builtin).
	Builtin string `json:"builtin,omitempty" yaml:"builtin,omitempty"`
	// HTTP describes a webhook (Kind http).
	HTTP *HTTPSpec `json:"http,omitempty" yaml:"http,omitempty"`
	// MCP names the server and the remote tool (Kind mcp).
	MCP *MCPSpec `json:"mcp,omitempty" yaml:"mcp,omitempty"`
	// Output is the declared output of a simulated tool; when empty, one is generated from
	// the output schema.
	Output any `json:"output,omitempty" yaml:"output,omitempty"`
	// Go implements the tool (Kind go); see Func. It is not serialised.
	Go Handler `json:"-" yaml:"-"`
}

// HTTPSpec is a webhook tool: the arguments are sent as a JSON body (or query for GET).
type HTTPSpec struct {
	Method  string            `json:"method,omitempty" yaml:"method,omitempty"`
	URL     string            `json:"url" yaml:"url"`
	Headers map[string]string `json:"headers,omitempty" yaml:"headers,omitempty"`
	// TimeoutMS bounds one call; zero means the executor's default.
	TimeoutMS int `json:"timeout_ms,omitempty" yaml:"timeout_ms,omitempty"`
}

// MCPSpec points at a tool on an MCP server.
type MCPSpec struct {
	// Command (stdio transport) or URL (streamable HTTP transport); exactly one is set.
	Command []string `json:"command,omitempty" yaml:"command,omitempty"`
	URL     string   `json:"url,omitempty" yaml:"url,omitempty"`
	// Tool is the tool's name on the server; defaults to the registry name.
	Tool string `json:"tool,omitempty" yaml:"tool,omitempty"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]{0,127}$`)

// ValidName reports whether s may name a tool.
func ValidName(s string) bool { return nameRE.MatchString(s) }

// RunKind returns the tool's run kind, simulated when none is declared.
func (t *Tool) RunKind() string {
	if t.Run == nil || t.Run.Kind == "" {
		return RunSimulated
	}
	return t.Run.Kind
}

// Param is one top-level argument of a tool, read from its input schema.
type Param struct {
	Name        string
	Type        string // JSON Schema type ("string", "integer", ...); "" when unconstrained
	Format      string // JSON Schema format ("date", "email", ...) or a TaskBench-style hint
	Description string
	Enum        []string // enum values rendered as strings
	Required    bool
	Default     any
}

// Params returns the tool's top-level arguments in schema order (required first when the
// schema does not preserve order). It never fails: a schema the registry accepted is an
// object schema.
func (t *Tool) Params() []Param {
	s, err := ParseSchema(t.InputSchema)
	if err != nil || s == nil {
		return nil
	}
	req := map[string]bool{}
	for _, r := range s.Required {
		req[r] = true
	}
	out := make([]Param, 0, len(s.PropOrder))
	for _, name := range s.PropOrder {
		p := s.Properties[name]
		pr := Param{Name: name, Required: req[name]}
		if p != nil {
			pr.Type = p.PrimaryType()
			pr.Format = p.Format
			pr.Description = p.Description
			pr.Default = p.Default
			for _, e := range p.Enum {
				pr.Enum = append(pr.Enum, fmt.Sprint(e))
			}
		}
		out = append(out, pr)
	}
	return out
}
