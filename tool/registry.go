package tool

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Error is a problem with one tool definition. It names the file, the tool and the field,
// and says how to fix it.
type Error struct {
	File    string // file the tool came from, if any
	Tool    string // tool name, if known
	Field   string // dotted path of the offending field ("input_schema.properties.to")
	Message string
	Fix     string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Tool != "" {
		fmt.Fprintf(&b, "tool %q: ", e.Tool)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Fix != "" {
		b.WriteString(" (fix: ")
		b.WriteString(e.Fix)
		b.WriteString(")")
	}
	return b.String()
}

// Registry is an immutable set of tools with compiled input schemas.
type Registry struct {
	tools    []*Tool // sorted by name
	byName   map[string]int
	inputs   []*jsonschema.Schema
	inViews  []*Schema
	outViews []*Schema
	version  string
}

// NewRegistry checks and compiles tools. Every problem found is reported (joined), each
// naming the tool's source file and field.
func NewRegistry(tools ...*Tool) (*Registry, error) {
	r := &Registry{byName: make(map[string]int, len(tools))}
	var errs []error
	sorted := make([]*Tool, 0, len(tools))
	for _, t := range tools {
		if t == nil {
			continue
		}
		// The registry keeps its own copy: callers' values are never modified (a default
		// input schema is filled in below), so one set of tools can feed several registries.
		cp := *t
		sorted = append(sorted, &cp)
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	seen := map[string]*Tool{}
	for _, t := range sorted {
		if !ValidName(t.Name) {
			errs = append(errs, &Error{File: t.Source, Tool: t.Name, Field: "name",
				Message: fmt.Sprintf("invalid tool name %q", t.Name),
				Fix:     "use 1-128 letters, digits, '_', '-' or '.', starting with a letter or '_'"})
			continue
		}
		if prev, dup := seen[t.Name]; dup {
			errs = append(errs, &Error{File: t.Source, Tool: t.Name, Field: "name",
				Message: fmt.Sprintf("duplicate tool name (also defined in %s)", orUnknown(prev.Source)),
				Fix:     "rename one of them or drop one file"})
			continue
		}
		seen[t.Name] = t
		in, inView, err := compileObjectSchema(t, "input_schema", t.InputSchema)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var outView *Schema
		if len(bytes.TrimSpace(t.OutputSchema)) > 0 {
			if _, v, err := compileSchema(t, "output_schema", t.OutputSchema); err != nil {
				errs = append(errs, err)
				continue
			} else {
				outView = v
			}
		}
		if t.Run != nil {
			if err := checkRun(t); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		r.byName[t.Name] = len(r.tools)
		r.tools = append(r.tools, t)
		r.inputs = append(r.inputs, in)
		r.inViews = append(r.inViews, inView)
		r.outViews = append(r.outViews, outView)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	r.version = computeVersion(r.tools)
	return r, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "an unnamed source"
	}
	return s
}

func checkRun(t *Tool) error {
	e := func(field, msg, fix string) error {
		return &Error{File: t.Source, Tool: t.Name, Field: "run." + field, Message: msg, Fix: fix}
	}
	switch t.Run.Kind {
	case "", RunSimulated:
	case RunBuiltin:
		if t.Run.Builtin == "" {
			return e("builtin", "builtin tool without an implementation name", "set run.builtin to one of the built-in names (see `planwise tools list`)")
		}
	case RunHTTP:
		if t.Run.HTTP == nil || t.Run.HTTP.URL == "" {
			return e("http.url", "http tool without a URL", "set run.http.url to the webhook address")
		}
	case RunMCP:
		if t.Run.MCP == nil || (len(t.Run.MCP.Command) == 0 && t.Run.MCP.URL == "") {
			return e("mcp", "mcp tool without a server", "set run.mcp.command (stdio) or run.mcp.url (streamable HTTP)")
		}
	case RunGo:
		if t.Run.Go == nil {
			return e("kind", "go tool without a Go function", "build it in Go with tool.Func or tool.FuncSchema; a tool file cannot name Go code (use builtin, http, mcp or simulated)")
		}
	default:
		return e("kind", fmt.Sprintf("unknown run kind %q", t.Run.Kind), "use builtin, http, mcp or simulated (or tool.Func in Go)")
	}
	return nil
}

func compileObjectSchema(t *Tool, field string, raw json.RawMessage) (*jsonschema.Schema, *Schema, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage(`{"type":"object","properties":{},"additionalProperties":false}`)
		t.InputSchema = raw
	}
	s, view, err := compileSchema(t, field, raw)
	if err != nil {
		return nil, nil, err
	}
	if pt := view.PrimaryType(); pt != "object" {
		return nil, nil, &Error{File: t.Source, Tool: t.Name, Field: field + ".type",
			Message: fmt.Sprintf("input schema must describe an object, got type %q", pt),
			Fix:     `set "type": "object" and list the arguments under "properties"`}
	}
	return s, view, nil
}

func compileSchema(t *Tool, field string, raw json.RawMessage) (*jsonschema.Schema, *Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, &Error{File: t.Source, Tool: t.Name, Field: field,
			Message: "not valid JSON: " + err.Error(), Fix: "write the schema as a JSON (or YAML) object"}
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, nil, &Error{File: t.Source, Tool: t.Name, Field: field,
			Message: "schema must be an object", Fix: `write e.g. {"type": "object", "properties": {...}}`}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	// Schemas are self-contained: no network or file loads.
	c.UseLoader(noLoader{})
	url := "mem://" + t.Name + "/" + field + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, nil, &Error{File: t.Source, Tool: t.Name, Field: field, Message: err.Error(), Fix: "fix the schema"}
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, nil, &Error{File: t.Source, Tool: t.Name, Field: field,
			Message: "invalid JSON Schema: " + schemaErrorText(err, url),
			Fix:     "make it a valid draft 2020-12 schema"}
	}
	view, err := ParseSchema(raw)
	if err != nil {
		return nil, nil, &Error{File: t.Source, Tool: t.Name, Field: field, Message: err.Error(), Fix: "fix the schema"}
	}
	return s, view, nil
}

type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external schema %q not allowed: tool schemas must be self-contained", url)
}

func computeVersion(tools []*Tool) string {
	h := sha256.New()
	for _, t := range tools {
		b, _ := json.Marshal(canonicalTool(t))
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// canonicalTool re-encodes raw schemas so that whitespace and key order do not change the
// registry version.
func canonicalTool(t *Tool) any {
	canon := func(raw json.RawMessage) any {
		if len(bytes.TrimSpace(raw)) == 0 {
			return nil
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return string(raw)
		}
		return v
	}
	return struct {
		Name, Description string
		In, Out           any
		Examples          []Example
		Run               *RunSpec
		Idempotent        bool
	}{t.Name, t.Description, canon(t.InputSchema), canon(t.OutputSchema), t.Examples, t.Run, t.Idempotent}
}

// Version is the registry's content hash (16 hex digits).
func (r *Registry) Version() string { return r.version }

// Len is the number of tools.
func (r *Registry) Len() int { return len(r.tools) }

// Tools returns the tools sorted by name. The slice is shared: do not modify it.
func (r *Registry) Tools() []*Tool { return r.tools }

// Get returns the named tool.
func (r *Registry) Get(name string) (*Tool, bool) {
	i, ok := r.byName[name]
	if !ok {
		return nil, false
	}
	return r.tools[i], true
}

// InputValidator returns the compiled input schema of the named tool.
func (r *Registry) InputValidator(name string) *jsonschema.Schema {
	if i, ok := r.byName[name]; ok {
		return r.inputs[i]
	}
	return nil
}

// InputSchema returns the parsed view of the named tool's input schema.
func (r *Registry) InputSchema(name string) *Schema {
	if i, ok := r.byName[name]; ok {
		return r.inViews[i]
	}
	return nil
}

// OutputSchema returns the parsed view of the named tool's output schema, or nil.
func (r *Registry) OutputSchema(name string) *Schema {
	if i, ok := r.byName[name]; ok {
		return r.outViews[i]
	}
	return nil
}

// Names returns all tool names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, len(r.tools))
	for i, t := range r.tools {
		out[i] = t.Name
	}
	return out
}

// Merge returns a registry holding r's tools plus extra; a tool in extra replaces one of
// the same name in r (later sources override earlier ones, as with configuration).
func (r *Registry) Merge(extra ...*Tool) (*Registry, error) {
	byName := map[string]*Tool{}
	var order []string
	add := func(t *Tool) {
		if _, ok := byName[t.Name]; !ok {
			order = append(order, t.Name)
		}
		byName[t.Name] = t
	}
	if r != nil {
		for _, t := range r.tools {
			add(t)
		}
	}
	for _, t := range extra {
		add(t)
	}
	all := make([]*Tool, 0, len(order))
	for _, n := range order {
		all = append(all, byName[n])
	}
	return NewRegistry(all...)
}
