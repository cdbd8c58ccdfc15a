package tool

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// parser converts one decoded document into tools, collecting every problem it finds.
type parser struct {
	file   string
	format Format
	errs   []error
}

func (p *parser) fail(tool, field, msg, fix string) {
	p.errs = append(p.errs, &Error{File: p.file, Tool: tool, Field: field, Message: msg, Fix: fix})
}

// source is the Tool.Source recorded for a tool parsed in format f.
func (p *parser) source(f Format) string {
	if f == FormatPlanwise || p.file == "" {
		if p.file == "" {
			return string(f)
		}
		return p.file
	}
	return string(f) + ":" + p.file
}

func (p *parser) document(doc json.RawMessage) []*Tool {
	switch jsonKind(doc) {
	case "array":
		return p.list(doc, "")
	case "object":
		members, _ := rawMembers(doc)
		keys := memberKeys(members)
		if result, ok := lookup(members, "result"); ok && keys["jsonrpc"] && !keys["name"] {
			// An MCP tools/list response saved whole: {"jsonrpc": "2.0", "id": 1,
			// "result": {"tools": [...]}}.
			return p.document(result)
		}
		if nodes, ok := lookup(members, "nodes"); ok && (p.format == FormatAuto || p.format == FormatTaskBench) && !keys["name"] {
			if jsonKind(nodes) != "array" {
				p.fail("", "nodes", "must be a list of tool nodes", `write "nodes": [{"id": ..., "desc": ..., "parameters": [...]}, ...]`)
				return nil
			}
			return p.list(nodes, "nodes")
		}
		if list, ok := lookup(members, "tools"); ok && !keys["name"] {
			if jsonKind(list) != "array" {
				p.fail("", "tools", "must be a list of tools", `write "tools": [{"name": ..., ...}, ...]`)
				return nil
			}
			return p.list(list, "tools")
		}
		if p.format == FormatTaskBench {
			p.fail("", "nodes", "a TaskBench catalog needs a \"nodes\" list", `use TaskBench's tool_desc.json, or --format auto`)
			return nil
		}
		if t := p.entry(doc, ""); t != nil {
			return []*Tool{t}
		}
		return nil
	default:
		p.fail("", "", fmt.Sprintf("expected a tool object or a list of tools, got a %s", orKind(jsonKind(doc))),
			`write one tool ("name: ..."), a list of tools, or "tools: [...]"`)
		return nil
	}
}

func orKind(k string) string {
	if k == "" {
		return "nothing"
	}
	return k
}

func (p *parser) list(raw json.RawMessage, field string) []*Tool {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		p.fail("", field, "not a list: "+err.Error(), "write a list of tool objects")
		return nil
	}
	var out []*Tool
	for i, it := range items {
		if t := p.entry(it, fmt.Sprintf("%s[%d]", field, i)); t != nil {
			out = append(out, t)
		}
	}
	return out
}

// entry converts one tool entry; at names its position ("tools[3]") for errors raised
// before its name is known.
func (p *parser) entry(raw json.RawMessage, at string) *Tool {
	if jsonKind(raw) != "object" {
		p.fail("", at, fmt.Sprintf("a tool must be an object, got a %s", orKind(jsonKind(raw))),
			`write e.g. {"name": "send_email", "description": "...", "input_schema": {...}}`)
		return nil
	}
	members, _ := rawMembers(raw)
	if dup := duplicateKey(members); dup != "" {
		name, _ := p.stringField(members, "name", "", at)
		if name == "" {
			name, _ = p.stringField(members, "id", "", at)
		}
		field := dup
		if name == "" {
			field = join(at, dup)
		}
		p.fail(name, field, "key given twice", "keep one of them")
		return nil
	}
	f := p.format
	if f == FormatAuto {
		f = classify(members)
	}
	switch f {
	case FormatTaskBench:
		return p.taskBenchNode(members, at)
	case FormatNESTFUL:
		return p.nestfulTool(members, at)
	case FormatOpenAI:
		return p.openAITool(members, at)
	case FormatBFCL:
		return p.bfclTool(members, at)
	default:
		return p.planwiseTool(raw, members, at)
	}
}

// classify detects the format of one tool entry from its keys.
func classify(members []rawMember) Format {
	keys := memberKeys(members)
	switch {
	case keys["function"], keys["type"] && !keys["input_schema"]:
		// planwise tools have no "type"; OpenAI tools always do (or a "function").
		return FormatOpenAI
	case keys["query_parameters"], keys["arguments"], keys["path_parameters"], keys["output_parameters"]:
		return FormatNESTFUL
	case keys["id"] && keys["desc"]:
		return FormatTaskBench
	}
	if keys["name"] && keys["parameters"] {
		bfcl := true
		for k := range keys {
			bfcl = bfcl && (k == "name" || k == "description" || k == "parameters")
		}
		if params, _ := lookup(members, "parameters"); bfcl && isBFCLDialect(params) {
			return FormatBFCL
		}
	}
	if keys["name"] {
		openAIOnly := true
		for k := range keys {
			switch k {
			case "name", "description", "parameters", "strict", "type":
			default:
				openAIOnly = false
			}
		}
		if openAIOnly && (keys["strict"] || keys["type"]) {
			return FormatOpenAI
		}
	}
	return FormatPlanwise
}

// duplicateKey returns a key that occurs twice in members, or "".
func duplicateKey(members []rawMember) string {
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		if seen[m.Key] {
			return m.Key
		}
		seen[m.Key] = true
	}
	return ""
}

func memberKeys(members []rawMember) map[string]bool {
	keys := make(map[string]bool, len(members))
	for _, m := range members {
		keys[m.Key] = true
	}
	return keys
}

func lookup(members []rawMember, key string) (json.RawMessage, bool) {
	for _, m := range members {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// stringField reads an optional string member; a non-string value is reported.
func (p *parser) stringField(members []rawMember, key, tool, at string) (string, bool) {
	raw, ok := lookup(members, key)
	if !ok || jsonKind(raw) == "null" {
		return "", true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.fail(tool, join(at, key), fmt.Sprintf("must be a string, got a %s", jsonKind(raw)), "quote the value")
		return "", false
	}
	return s, true
}

// entryName reads the tool's name for error messages and checks it is present.
func (p *parser) entryName(members []rawMember, key, at string) (string, bool) {
	name, ok := p.stringField(members, key, "", at)
	if !ok {
		return "", false
	}
	if strings.TrimSpace(name) == "" {
		p.fail("", join(at, key), "tool without a name", fmt.Sprintf("add %q with a unique tool name", key))
		return "", false
	}
	return name, true
}

func join(at, field string) string {
	switch {
	case at == "":
		return field
	case field == "":
		return at
	case strings.HasPrefix(field, "["):
		return at + field
	}
	return at + "." + field
}

// fileTool is a planwise tool entry as written in a file.
type fileTool struct {
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	InputSchema  json.RawMessage `json:"input_schema"`
	Parameters   json.RawMessage `json:"parameters"`
	OutputSchema json.RawMessage `json:"output_schema"`
	Examples     []Example       `json:"examples"`
	Run          *RunSpec        `json:"run"`
	Idempotent   bool            `json:"idempotent"`
	// An MCP server's tools/list result spells the schemas inputSchema and
	// outputSchema, and adds a display title, annotations (hints for clients) and
	// _meta; a planwise tool file takes it as it is, the title and hints unused.
	MCPInput    json.RawMessage `json:"inputSchema"`
	MCPOutput   json.RawMessage `json:"outputSchema"`
	Title       string          `json:"title"`
	Annotations json.RawMessage `json:"annotations"`
	Meta        json.RawMessage `json:"_meta"`
}

const planwiseFields = "name, description, input_schema (or parameters, or MCP's inputSchema), output_schema (or outputSchema), examples, run, idempotent"

func (p *parser) planwiseTool(raw json.RawMessage, members []rawMember, at string) *Tool {
	name, ok := p.entryName(members, "name", at)
	if !ok {
		return nil
	}
	var ft fileTool
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ft); err != nil {
		p.decodeError(name, err)
		return nil
	}
	in := ft.InputSchema
	if isNull(in) {
		in = nil
	}
	for _, alias := range []struct {
		field string
		raw   json.RawMessage
	}{{"parameters", ft.Parameters}, {"inputSchema", ft.MCPInput}} {
		if isNull(alias.raw) {
			continue
		}
		if in != nil {
			p.fail(name, alias.field, fmt.Sprintf(`the input schema is set twice (%q is an alias of "input_schema")`, alias.field), "keep only one of them")
			return nil
		}
		in = alias.raw
	}
	if len(in) > 0 && jsonKind(in) != "object" {
		p.fail(name, "input_schema", fmt.Sprintf("must be a JSON Schema object, got a %s", jsonKind(in)),
			`write e.g. {"type": "object", "properties": {"to": {"type": "string"}}, "required": ["to"]}`)
		return nil
	}
	out := ft.OutputSchema
	if isNull(out) {
		out = nil
	}
	if !isNull(ft.MCPOutput) {
		if out != nil {
			p.fail(name, "outputSchema", `the output schema is set twice ("outputSchema" is an alias of "output_schema")`, "keep only one of them")
			return nil
		}
		out = ft.MCPOutput
	}
	if len(out) > 0 && jsonKind(out) != "object" {
		p.fail(name, "output_schema", fmt.Sprintf("must be a JSON Schema object, got a %s", jsonKind(out)),
			`write e.g. {"type": "object", "properties": {"id": {"type": "string"}}}`)
		return nil
	}
	for i, ex := range ft.Examples {
		if strings.TrimSpace(ex.Request) == "" {
			p.fail(name, fmt.Sprintf("examples[%d].request", i), "example without a request",
				"write the request fragment this tool serves, e.g. \"email Bob the report\"")
			return nil
		}
	}
	return &Tool{
		Name:         name,
		Description:  strings.TrimSpace(ft.Description),
		InputSchema:  compactJSON(in),
		OutputSchema: compactJSON(out),
		Examples:     ft.Examples,
		Run:          ft.Run,
		Idempotent:   ft.Idempotent,
		Source:       p.source(FormatPlanwise),
	}
}

// decodeError turns an encoding/json error into an Error naming the field.
func (p *parser) decodeError(name string, err error) {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(value)"
		}
		p.fail(name, field, fmt.Sprintf("expected %s, got a JSON %s", goTypeName(te.Type.String()), te.Value),
			"correct the value's type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		fix := "remove it or correct its spelling; a tool's fields are " + planwiseFields +
			"; run's are kind, builtin, http, mcp, output"
		if s := suggestField(field); s != "" {
			fix = fmt.Sprintf("did you mean %q? ", s) + fix
		}
		p.fail(name, field, "unknown field", fix)
	default:
		p.fail(name, "", err.Error(), "fix the tool definition")
	}
}

func goTypeName(t string) string {
	switch {
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "tool."), strings.HasPrefix(t, "*tool."):
		return "an object"
	}
	return t
}

func isNull(raw json.RawMessage) bool {
	k := jsonKind(raw)
	return k == "" || k == "null"
}

// compactJSON strips insignificant whitespace, keeping key order; nil stays nil.
func compactJSON(raw json.RawMessage) json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}

// knownFields lists the field names a planwise tool file may use, at any level.
func knownFields() []string {
	return []string{"name", "description", "input_schema", "parameters", "inputSchema", "output_schema", "outputSchema", "examples",
		"run", "idempotent", "request", "args", "kind", "builtin", "http", "mcp", "output", "method", "url",
		"headers", "timeout_ms", "command", "tool"}
}

// suggestField returns the known field closest to a misspelt one, or "".
func suggestField(f string) string {
	best, bestD := "", 3
	for _, k := range knownFields() {
		if d := editDistance(strings.ToLower(f), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between short ASCII field names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
