package prompt

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/planwise/planwise/tool"
)

// ReadTools recovers the tools a model is offered from what it is sent, as a model reads
// them: the tool documentation of a system prompt (renderTools' format: "## name", the
// description, "args:" lines and "returns:") and, when given, the response schema. A
// pinned schema is the authority on tool names, argument names and types (reference and
// null alternatives removed; a nullable argument is optional); the documentation adds the
// descriptions and the output shapes. With a generic schema, or none, everything comes
// from the documentation, and a generic schema's tool enum limits the tools. The
// simulator uses it to plan over the tools of each request instead of its own.
//
// It returns an error when neither source names a tool.
func ReadTools(schema json.RawMessage, system string) (*tool.Registry, error) {
	docs := parseToolDocs(system)
	var tools []*tool.Tool
	var sh *Shape
	if len(schema) > 0 {
		var err error
		if sh, err = InspectSchema(schema); err != nil {
			return nil, err
		}
	}
	switch {
	case sh != nil && sh.Mode == ModePinned:
		branches, err := pinnedBranches(schema)
		if err != nil {
			return nil, err
		}
		for _, name := range sh.Tools {
			d := docs[name]
			in := inputFromBranch(branches[name], sh.Required[name], d)
			tools = append(tools, &tool.Tool{Name: name, Description: d.description, InputSchema: in, OutputSchema: d.output})
		}
	default:
		allowed := map[string]bool{}
		if sh != nil {
			for _, n := range sh.Tools {
				allowed[n] = true
			}
		}
		for _, name := range docOrder(system) {
			if len(allowed) > 0 && !allowed[name] {
				continue
			}
			d := docs[name]
			tools = append(tools, &tool.Tool{Name: name, Description: d.description, InputSchema: d.input(), OutputSchema: d.output})
		}
		// Tools the enum names that the documentation does not describe.
		for _, n := range func() []string {
			if sh == nil {
				return nil
			}
			return sh.Tools
		}() {
			if _, described := docs[n]; !described {
				tools = append(tools, &tool.Tool{Name: n, InputSchema: json.RawMessage(`{"type":"object","properties":{}}`)})
			}
		}
	}
	if len(tools) == 0 {
		return nil, errors.New("prompt: the request names no tools (no tool documentation and no pinned schema)")
	}
	return tool.NewRegistry(tools...)
}

// toolDoc is what the documentation says about one tool.
type toolDoc struct {
	description string
	params      []docParam
	output      json.RawMessage
}

type docParam struct {
	name, description string
	schema            obj
	required          bool
}

func (d toolDoc) input() json.RawMessage {
	props := obj{}
	var req []string
	for _, p := range d.params {
		s := append(obj{}, p.schema...)
		if p.description != "" {
			s = append(s, kv{"description", p.description})
		}
		props = append(props, kv{p.name, s})
		if p.required {
			req = append(req, p.name)
		}
	}
	root := obj{{"type", "object"}, {"properties", props}}
	if len(req) > 0 {
		root = append(root, kv{"required", req})
	}
	return mustMarshal(root)
}

// docOrder lists the documented tools in prompt order.
func docOrder(system string) []string {
	var out []string
	for _, line := range strings.Split(system, "\n") {
		if name, ok := strings.CutPrefix(line, "## "); ok && tool.ValidName(strings.TrimSpace(name)) {
			out = append(out, strings.TrimSpace(name))
		}
	}
	return out
}

// parseToolDocs reads every "## name" block of renderTools' format.
func parseToolDocs(system string) map[string]toolDoc {
	docs := map[string]toolDoc{}
	var cur string
	var d toolDoc
	inArgs := false
	flush := func() {
		if cur != "" {
			docs[cur] = d
		}
	}
	for _, line := range strings.Split(system, "\n") {
		if name, ok := strings.CutPrefix(line, "## "); ok && tool.ValidName(strings.TrimSpace(name)) {
			flush()
			cur, d, inArgs = strings.TrimSpace(name), toolDoc{}, false
			continue
		}
		if cur == "" {
			continue
		}
		switch {
		case strings.HasPrefix(line, "# "):
			flush()
			cur = ""
		case line == "args:" || line == "args: none":
			inArgs = line == "args:"
		case inArgs && strings.HasPrefix(line, "- "):
			if p, ok := parseParamLine(line[2:]); ok {
				d.params = append(d.params, p)
			}
		case strings.HasPrefix(line, "returns: "):
			inArgs = false
			if s, ok := parseShape(strings.TrimPrefix(line, "returns: ")); ok {
				d.output = mustMarshal(s)
			}
		case strings.HasPrefix(line, "e.g. "):
			inArgs = false
		case strings.TrimSpace(line) != "" && d.description == "" && !inArgs:
			d.description = strings.TrimSpace(line)
		}
	}
	flush()
	return docs
}

// parseParamLine reads "name (type, required, one of: a, b, default x): description".
func parseParamLine(line string) (docParam, bool) {
	open := strings.IndexByte(line, '(')
	if open <= 0 {
		return docParam{}, false
	}
	p := docParam{name: strings.TrimSpace(line[:open])}
	depth, end := 0, -1
	for i := open; i < len(line) && end < 0; i++ {
		switch line[i] {
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
			if depth == 0 && line[i] == ')' {
				end = i
			}
		}
	}
	if end < 0 {
		return docParam{}, false
	}
	p.description = strings.TrimSpace(strings.TrimPrefix(line[end+1:], ":"))
	parts := splitTop(line[open+1:end], ',')
	if len(parts) == 0 {
		return docParam{}, false
	}
	p.schema = typeSchema(strings.TrimSpace(parts[0]))
	var enum []any
	inEnum := false
	for _, part := range parts[1:] {
		part = strings.TrimSpace(part)
		switch {
		case part == "required":
			p.required, inEnum = true, false
		case strings.HasPrefix(part, "one of: "):
			enum, inEnum = append(enum, strings.TrimPrefix(part, "one of: ")), true
		case strings.HasPrefix(part, "default "):
			inEnum = false
		case inEnum:
			enum = append(enum, part)
		}
	}
	if len(enum) > 0 {
		p.schema = obj{{"type", "string"}, {"enum", enum}}
	}
	return p, true
}

// splitTop splits s at sep outside braces and brackets.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{', '[', '(':
			depth++
		case '}', ']', ')':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// typeSchema turns an argument type as paramType renders it ("string email", "array of
// integer", "object {date*: string date, time: string}", "c|f", "any") into a schema.
func typeSchema(t string) obj {
	t = strings.TrimSpace(t)
	switch {
	case t == "" || t == "any":
		return obj{}
	case strings.HasPrefix(t, "array of "):
		return obj{{"type", "array"}, {"items", typeSchema(strings.TrimPrefix(t, "array of "))}}
	case t == "array":
		return obj{{"type", "array"}}
	case strings.HasPrefix(t, "object {") && strings.HasSuffix(t, "}"):
		props := obj{}
		var req []string
		for _, f := range splitTop(t[len("object {"):len(t)-1], ',') {
			name, ft, ok := strings.Cut(strings.TrimSpace(f), ": ")
			if !ok {
				continue
			}
			if n, star := strings.CutSuffix(name, "*"); star {
				name = n
				req = append(req, name)
			}
			props = append(props, kv{name, typeSchema(ft)})
		}
		s := obj{{"type", "object"}, {"properties", props}}
		if len(req) > 0 {
			s = append(s, kv{"required", req})
		}
		return s
	case t == "object":
		return obj{{"type", "object"}}
	case strings.Contains(t, "|"):
		var vals []any
		for _, v := range strings.Split(t, "|") {
			vals = append(vals, v)
		}
		return obj{{"enum", vals}}
	}
	typ, format, _ := strings.Cut(t, " ")
	switch typ {
	case "string", "integer", "number", "boolean", "null":
	default:
		return obj{}
	}
	s := obj{{"type", typ}}
	if format != "" && typ == "string" {
		s = append(s, kv{"format", format})
	}
	return s
}

// parseShape reads renderShape's compact type: {a: string, b: [{c: number}]}, "x"|"y",
// string|null, object, array, any.
func parseShape(s string) (obj, bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, false
	case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
		props := obj{}
		for _, f := range splitTop(s[1:len(s)-1], ',') {
			name, ft, ok := strings.Cut(strings.TrimSpace(f), ": ")
			if !ok {
				return nil, false
			}
			sub, ok := parseShape(ft)
			if !ok {
				return nil, false
			}
			props = append(props, kv{name, sub})
		}
		return obj{{"type", "object"}, {"properties", props}}, true
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		items, ok := parseShape(s[1 : len(s)-1])
		if !ok {
			return nil, false
		}
		return obj{{"type", "array"}, {"items", items}}, true
	case s == "any":
		return obj{}, true
	}
	alts := splitTop(s, '|')
	var types []string
	var enum []any
	for _, a := range alts {
		a = strings.TrimSpace(a)
		switch a {
		case "string", "integer", "number", "boolean", "null", "object", "array":
			types = append(types, a)
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(a), &v); err == nil {
			enum = append(enum, v)
			continue
		}
		return nil, false
	}
	switch {
	case len(enum) > 0 && len(types) == 0:
		return obj{{"enum", enum}}, true
	case len(types) == 1 && len(enum) == 0:
		return obj{{"type", types[0]}}, true
	case len(enum) == 0:
		return obj{{"type", types}}, true
	}
	return nil, false
}

// pinnedBranches returns each tool's args schema of a pinned schema.
func pinnedBranches(schema json.RawMessage) (map[string]map[string]any, error) {
	var root struct {
		Properties struct {
			Steps struct {
				Items struct {
					AnyOf []struct {
						Properties struct {
							Tool struct {
								Enum []string `json:"enum"`
							} `json:"tool"`
							Args json.RawMessage `json:"args"`
						} `json:"properties"`
					} `json:"anyOf"`
				} `json:"items"`
			} `json:"steps"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(schema, &root); err != nil {
		return nil, fmt.Errorf("prompt: read tools: %w", err)
	}
	out := map[string]map[string]any{}
	for _, b := range root.Properties.Steps.Items.AnyOf {
		if len(b.Properties.Tool.Enum) != 1 {
			continue
		}
		var args map[string]any
		if err := unmarshalNumber(b.Properties.Args, &args); err != nil {
			return nil, fmt.Errorf("prompt: read tools: %s: %w", b.Properties.Tool.Enum[0], err)
		}
		out[b.Properties.Tool.Enum[0]] = args
	}
	return out, nil
}

// inputFromBranch rebuilds a tool's input schema from its pinned args schema: the
// strict-mode additions (reference and null alternatives, the JSON-text wrapper) are
// removed, arguments that do not admit null are required, and the documentation's
// descriptions are added.
func inputFromBranch(args map[string]any, required []string, d toolDoc) json.RawMessage {
	desc := map[string]string{}
	for _, p := range d.params {
		desc[p.name] = p.description
	}
	names, _, _ := orderedArgs(mustMarshal(map[string]any{"properties": map[string]any{"args": args}}))
	rawProps, _ := args["properties"].(map[string]any)
	props := obj{}
	for _, n := range names {
		sub, _ := rawProps[n].(map[string]any)
		s := unstrict(sub)
		if desc[n] != "" {
			s["description"] = desc[n]
		}
		props = append(props, kv{n, s})
	}
	root := obj{{"type", "object"}, {"properties", props}}
	if len(required) > 0 {
		root = append(root, kv{"required", required})
	}
	return mustMarshal(root)
}

// unstrict removes what CompilePinned added to an argument's schema.
func unstrict(s map[string]any) map[string]any {
	if s == nil {
		return map[string]any{}
	}
	out := map[string]any{}
	for k, v := range s {
		out[k] = v
	}
	if ref, _ := out["$ref"].(string); ref == "#/$defs/json" {
		return map[string]any{"type": "object"}
	}
	if ts, ok := out["type"].([]any); ok {
		var kept []any
		for _, t := range ts {
			if t != "null" {
				kept = append(kept, t)
			}
		}
		if len(kept) == 1 {
			out["type"] = kept[0]
		} else {
			out["type"] = kept
		}
	}
	if alts, ok := out["anyOf"].([]any); ok {
		var kept []any
		for _, a := range alts {
			m, _ := a.(map[string]any)
			if ref, _ := m["$ref"].(string); ref == "#/$defs/ref" || m["type"] == "null" {
				continue
			}
			kept = append(kept, unstrict(m))
		}
		delete(out, "anyOf")
		if len(kept) == 1 {
			for k, v := range kept[0].(map[string]any) {
				out[k] = v
			}
		} else if len(kept) > 1 {
			out["anyOf"] = kept
		}
		return out // the alternatives are already translated
	}
	if items, ok := out["items"].(map[string]any); ok {
		out["items"] = unstrict(items)
	}
	if props, ok := out["properties"].(map[string]any); ok {
		np := map[string]any{}
		var req []any
		for k, v := range props {
			m, _ := v.(map[string]any)
			if !admitsNull(m) {
				req = append(req, k)
			}
			np[k] = unstrict(m)
		}
		out["properties"] = np
		delete(out, "additionalProperties")
		if len(req) > 0 {
			out["required"] = sortedAny(req)
		} else {
			delete(out, "required")
		}
	}
	return out
}

func sortedAny(v []any) []any {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	sort.Strings(s)
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
