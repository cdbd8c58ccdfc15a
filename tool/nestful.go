package tool

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// nestfulTool converts one NESTFUL spec entry: {name, description, query_parameters |
// arguments | path_parameters, output_parameters}. Parameters are objects keyed by name
// (or lists of objects with a "name") with type, description, required/optional,
// enum/allowed_values/possible_values, default/default_value and example. NESTFUL's type
// names vary in case ("String", "Number", "Enum", "Date (yyyy-mm-dd)"); parameters
// without a type (the SGD specs) are strings, which is what their values are. The tool
// runs simulated.
func (p *parser) nestfulTool(members []rawMember, at string) *Tool {
	name, ok := p.entryName(members, "name", at)
	if !ok {
		return nil
	}
	desc, ok := p.stringField(members, "description", name, "")
	if !ok {
		return nil
	}
	props := orderedObject{}
	var required []string
	// A tool that marks its optional parameters ("optional": true) and never says
	// "required" leaves the others required (Instagram_Posts_Reels's user).
	var unmarked []string
	marksOptional, marksRequired := false, false
	seen := map[string]bool{}
	for _, key := range []string{"path_parameters", "query_parameters", "arguments", "parameters"} {
		raw, ok := lookup(members, key)
		if !ok || isNull(raw) {
			continue
		}
		params, ok := p.nestfulParams(raw, name, key)
		if !ok {
			return nil
		}
		for _, prm := range params {
			if seen[prm.name] {
				p.fail(name, key+"."+prm.name, fmt.Sprintf("parameter %q is defined twice", prm.name), "keep one definition")
				return nil
			}
			seen[prm.name] = true
			schema, isReq, ok := p.nestfulParamSchema(prm, name, key)
			if !ok {
				return nil
			}
			props = append(props, member{Key: prm.name, Value: schema})
			if isReq {
				required = append(required, prm.name)
			}
			var marks struct{ Required, Optional any }
			_ = json.Unmarshal(prm.raw, &marks)
			marksRequired = marksRequired || marks.Required != nil
			marksOptional = marksOptional || marks.Optional != nil
			if marks.Required == nil && marks.Optional == nil {
				unmarked = append(unmarked, prm.name)
			}
		}
	}
	if marksOptional && !marksRequired {
		required = append(required, unmarked...)
	}
	if required == nil {
		required = []string{}
	}
	in, err := json.Marshal(orderedObject{
		{"type", "object"},
		{"properties", props},
		{"required", required},
		{"additionalProperties", false},
	})
	if err != nil {
		p.fail(name, "query_parameters", err.Error(), "")
		return nil
	}
	t := &Tool{
		Name:        name,
		Description: strings.TrimSpace(desc),
		InputSchema: in,
		Run:         &RunSpec{Kind: RunSimulated},
		Source:      p.source(FormatNESTFUL),
	}
	if raw, ok := lookup(members, "output_parameters"); ok && !isNull(raw) {
		params, ok := p.nestfulParams(raw, name, "output_parameters")
		if !ok {
			return nil
		}
		outProps := orderedObject{}
		for _, prm := range params {
			s, ok := p.nestfulOutputSchema(prm.raw, name, "output_parameters."+prm.name, 0)
			if !ok {
				return nil
			}
			outProps = append(outProps, member{Key: prm.name, Value: s})
		}
		out, err := json.Marshal(orderedObject{{"type", "object"}, {"properties", outProps}})
		if err != nil {
			p.fail(name, "output_parameters", err.Error(), "")
			return nil
		}
		t.OutputSchema = out
	}
	return t
}

type namedRaw struct {
	name string
	raw  json.RawMessage
}

// nestfulParams reads parameters given as an object keyed by name or as a list of
// objects carrying a "name".
func (p *parser) nestfulParams(raw json.RawMessage, tool, key string) ([]namedRaw, bool) {
	switch jsonKind(raw) {
	case "object":
		members, _ := rawMembers(raw)
		out := make([]namedRaw, 0, len(members))
		for _, m := range members {
			if strings.TrimSpace(m.Key) == "" {
				p.fail(tool, key, "parameter with an empty name", "name every parameter")
				return nil, false
			}
			out = append(out, namedRaw{m.Key, m.Value})
		}
		return out, true
	case "array":
		var items []json.RawMessage
		_ = json.Unmarshal(raw, &items)
		out := make([]namedRaw, 0, len(items))
		for i, it := range items {
			field := fmt.Sprintf("%s[%d]", key, i)
			if jsonKind(it) != "object" {
				p.fail(tool, field, "a parameter must be an object", `write {"name": ..., "type": ..., "description": ...}`)
				return nil, false
			}
			ms, _ := rawMembers(it)
			n, ok := p.stringField(ms, "name", tool, field)
			if !ok {
				return nil, false
			}
			if strings.TrimSpace(n) == "" {
				p.fail(tool, field+".name", "parameter without a name", `give every parameter a "name"`)
				return nil, false
			}
			out = append(out, namedRaw{n, it})
		}
		return out, true
	}
	p.fail(tool, key, fmt.Sprintf("must be an object keyed by parameter name, got a %s", orKind(jsonKind(raw))),
		`write e.g. "`+key+`": {"city": {"type": "string", "description": "...", "required": true}}`)
	return nil, false
}

type nestfulParam struct {
	Type           any             `json:"type"`
	Description    string          `json:"description"`
	Required       any             `json:"required"`
	Optional       any             `json:"optional"`
	Enum           json.RawMessage `json:"enum"`
	AllowedValues  json.RawMessage `json:"allowed_values"`
	PossibleValues json.RawMessage `json:"possible_values"`
	Default        json.RawMessage `json:"default"`
	DefaultValue   json.RawMessage `json:"default_value"`
	Example        json.RawMessage `json:"example"`
}

var rangeRE = regexp.MustCompile(`^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$`)

func (p *parser) nestfulParamSchema(prm namedRaw, tool, key string) (orderedObject, bool, bool) {
	field := key + "." + prm.name
	if jsonKind(prm.raw) == "string" {
		// Shorthand: "city": "string".
		var ty string
		_ = json.Unmarshal(prm.raw, &ty)
		typ, format, _ := nestfulType(ty)
		s := orderedObject{{"type", typ}}
		if format != "" {
			s = append(s, member{"format", format})
		}
		return s, false, true
	}
	if jsonKind(prm.raw) != "object" {
		p.fail(tool, field, "a parameter must be an object", `write {"type": "string", "description": "...", "required": true}`)
		return nil, false, false
	}
	var np nestfulParam
	if err := json.Unmarshal(prm.raw, &np); err != nil {
		p.fail(tool, field, err.Error(), "fix the parameter's fields")
		return nil, false, false
	}
	tyName, _ := np.Type.(string)
	if np.Type != nil && tyName == "" {
		p.fail(tool, field+".type", "must be a type name such as \"string\"", "write the type as a string")
		return nil, false, false
	}
	typ, format, known := nestfulType(tyName)
	desc := strings.TrimSpace(np.Description)
	if !known {
		desc = strings.TrimSpace(desc + fmt.Sprintf(" (type: %s)", tyName))
	}
	var enum []any
	var rangeNote string
	for _, raw := range []json.RawMessage{np.Enum, np.AllowedValues, np.PossibleValues} {
		switch jsonKind(raw) {
		case "array":
			var vals []any
			if json.Unmarshal(raw, &vals) == nil && len(vals) > 0 && enum == nil {
				enum = vals
			}
		case "string":
			var s string
			_ = json.Unmarshal(raw, &s)
			if s != "" {
				rangeNote = s
			}
		}
	}
	if et := enumType(enum, ""); et != "" && et != typ && !(et == "number" && typ == "integer") {
		// Untyped, "Enum", or a type its own values contradict ("String" listing numbers):
		// the values say what the type is, or nothing could ever be valid.
		typ = et
	}
	var minMax []member
	if rangeNote != "" {
		if m := rangeRE.FindStringSubmatch(rangeNote); m != nil && (typ == "number" || typ == "integer") {
			lo, _ := strconv.ParseFloat(m[1], 64)
			hi, _ := strconv.ParseFloat(m[2], 64)
			minMax = []member{{"minimum", lo}, {"maximum", hi}}
		} else {
			desc = strings.TrimSpace(desc + " (allowed: " + rangeNote + ")")
		}
	}
	s := orderedObject{{"type", typ}}
	if format != "" {
		s = append(s, member{"format", format})
	}
	if desc != "" {
		s = append(s, member{"description", desc})
	}
	if enum != nil {
		s = append(s, member{"enum", enum})
	}
	s = append(s, minMax...)
	for _, raw := range []json.RawMessage{np.Default, np.DefaultValue} {
		if !isNull(raw) {
			var v any
			if json.Unmarshal(raw, &v) == nil {
				s = append(s, member{"default", v})
				break
			}
		}
	}
	if !isNull(np.Example) {
		var v any
		if json.Unmarshal(np.Example, &v) == nil {
			s = append(s, member{"examples", []any{v}})
		}
	}
	return s, truthy(np.Required) && !truthy(np.Optional), true
}

// truthy reads NESTFUL's booleans, which are sometimes strings ("true", "True").
func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		b, _ := strconv.ParseBool(strings.TrimSpace(t))
		return b
	}
	return false
}

func enumType(enum []any, fallback string) string {
	if len(enum) == 0 {
		return fallback
	}
	kind := ""
	for _, v := range enum {
		k := "string"
		switch v.(type) {
		case float64:
			k = "number"
		case bool:
			k = "boolean"
		case string:
		default:
			return fallback
		}
		if kind != "" && kind != k {
			return fallback
		}
		kind = k
	}
	return kind
}

// nestfulType maps a NESTFUL type name to a JSON Schema type (and format); known is false
// for names it does not recognise, which are treated as strings.
func nestfulType(name string) (typ, format string, known bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case n == "" || n == "string" || n == "str" || n == "enum":
		return "string", "", true
	case n == "number" || n == "float" || n == "double":
		return "number", "", true
	case n == "integer" || n == "int":
		return "integer", "", true
	case n == "boolean" || n == "bool":
		return "boolean", "", true
	case n == "array" || n == "list":
		return "array", "", true
	case n == "object" || n == "dict":
		return "object", "", true
	case strings.HasPrefix(n, "date"):
		if strings.Contains(n, "yyyy-mm-dd") {
			return "string", "date", true
		}
		return "string", "", true
	}
	return "string", "", false
}

// nestfulOutputSchema maps an output parameter, which may nest JSON Schema-like
// "properties" and "items" (sometimes as bare type names: {"count": "string"}).
func (p *parser) nestfulOutputSchema(raw json.RawMessage, tool, field string, depth int) (orderedObject, bool) {
	if depth > maxDepth {
		p.fail(tool, field, fmt.Sprintf("nested deeper than %d levels", maxDepth), "flatten the output description")
		return nil, false
	}
	switch jsonKind(raw) {
	case "string":
		var ty string
		_ = json.Unmarshal(raw, &ty)
		typ, format, _ := nestfulType(ty)
		s := orderedObject{{"type", typ}}
		if format != "" {
			s = append(s, member{"format", format})
		}
		return s, true
	case "object":
	default:
		p.fail(tool, field, fmt.Sprintf("must be an object describing the output value, got a %s", orKind(jsonKind(raw))),
			`write e.g. {"type": "string", "description": "..."}`)
		return nil, false
	}
	members, _ := rawMembers(raw)
	var tyName, desc string
	if v, ok := lookup(members, "type"); ok {
		_ = json.Unmarshal(v, &tyName)
	}
	if v, ok := lookup(members, "description"); ok {
		_ = json.Unmarshal(v, &desc)
	}
	typ, format, known := nestfulType(tyName)
	if !known {
		desc = strings.TrimSpace(desc + fmt.Sprintf(" (type: %s)", tyName))
	}
	propsRaw, hasProps := lookup(members, "properties")
	itemsRaw, hasItems := lookup(members, "items")
	if tyName == "" && hasProps {
		typ = "object"
	}
	if tyName == "" && hasItems {
		typ = "array"
	}
	s := orderedObject{{"type", typ}}
	if format != "" {
		s = append(s, member{"format", format})
	}
	if desc = strings.TrimSpace(desc); desc != "" {
		s = append(s, member{"description", desc})
	}
	if hasProps && typ == "object" && jsonKind(propsRaw) == "object" {
		sub, _ := rawMembers(propsRaw)
		props := orderedObject{}
		for _, m := range sub {
			ps, ok := p.nestfulOutputSchema(m.Value, tool, field+".properties."+m.Key, depth+1)
			if !ok {
				return nil, false
			}
			props = append(props, member{m.Key, ps})
		}
		s = append(s, member{"properties", props})
	}
	if hasItems && typ == "array" && !isNull(itemsRaw) {
		is, ok := p.nestfulOutputSchema(itemsRaw, tool, field+".items", depth+1)
		if !ok {
			return nil, false
		}
		s = append(s, member{"items", is})
	}
	for _, key := range []string{"possible_values", "allowed_values", "enum"} {
		if v, ok := lookup(members, key); ok && jsonKind(v) == "array" {
			var vals []any
			if json.Unmarshal(v, &vals) == nil && len(vals) > 0 && enumType(vals, "") == typ {
				s = append(s, member{"enum", vals})
				break
			}
		}
	}
	return s, true
}
