package prompt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// Mode is the shape of the structured output a schema asks for.
type Mode string

const (
	// ModePinned pins tool names and per-tool argument names: steps are anyOf one branch
	// per tool, args an object of that tool's arguments.
	ModePinned Mode = "pinned"
	// ModeGeneric has one step shape for every tool: args is a list of {name, value}
	// where value is a JSON-encoded string.
	ModeGeneric Mode = "generic"
)

// Schema names, as sent in response_format.json_schema.name.
const (
	PinnedSchemaName  = "planwise_plan"
	GenericSchemaName = "planwise_plan_generic"
)

// OpenAI strict-mode limits (Structured Outputs, "Supported schemas").
const (
	MaxStrictProperties  = 5000    // object properties in the whole schema
	MaxStrictDepth       = 10      // nested object levels
	MaxStrictEnumValues  = 1000    // enum values in the whole schema
	MaxStrictStringChars = 120_000 // property names, $defs names, enum and const values
	largeEnumValues      = 250     // an enum with more values than this...
	largeEnumChars       = 15_000  // ...may hold at most this many characters in total
)

// CannotPlanKey is the root property through which the model declines: null when its
// steps do the request, otherwise the reason no listed tool can (with no steps). It sits
// between reasoning and steps, so the model decides after thinking and before planning.
// Strict mode forbids an anyOf at the root, so the refusal is a nullable field rather
// than a second branch of the answer.
const CannotPlanKey = "cannot_plan"

// RefPattern matches exactly one reference "${sN}" or "${sN.path}" (also "${item...}").
const RefPattern = `^\$\{[A-Za-z][A-Za-z0-9_]*([.\[][^{}]*)?\}$`

// strictFormats are the string formats OpenAI strict mode accepts; others are dropped
// from the compiled schema (the validator still checks them).
var strictFormats = map[string]bool{
	"date-time": true, "time": true, "date": true, "duration": true, "email": true,
	"hostname": true, "ipv4": true, "ipv6": true, "uuid": true,
}

// Schema is a compiled response schema.
type Schema struct {
	// Name goes into response_format.json_schema.name.
	Name string
	// JSON is the schema itself, compact.
	JSON json.RawMessage
	// Mode says how DecodePlan must read the answer.
	Mode Mode
	// Reason says why the generic mode was chosen; empty for pinned schemas.
	Reason string

	shape *Shape // set by the compilers; derived from JSON on demand otherwise
}

// Shape returns what the schema asks for (see InspectSchema).
func (s *Schema) Shape() (*Shape, error) {
	if s.shape != nil {
		return s.shape, nil
	}
	return InspectSchema(s.JSON)
}

// Decode reads a model's answer under this schema; it is DecodePlan in the schema's
// mode.
func (s *Schema) Decode(content []byte) (*plan.Plan, error) {
	sh, err := s.Shape()
	if err != nil {
		return nil, err
	}
	return sh.Decode(content)
}

// Encode renders p as a model would answer under this schema (see Shape.Encode).
func (s *Schema) Encode(p *plan.Plan) ([]byte, error) {
	sh, err := s.Shape()
	if err != nil {
		return nil, err
	}
	return sh.Encode(p)
}

// LimitError says why a registry cannot be compiled into a pinned schema.
type LimitError struct {
	Problems []string
}

func (e *LimitError) Error() string {
	return "registry does not fit OpenAI strict mode: " + strings.Join(e.Problems, "; ")
}

// CompileSchema compiles reg into a pinned schema when it fits OpenAI's strict-mode
// limits and a generic one otherwise (Schema.Reason says why).
func CompileSchema(reg *tool.Registry) (*Schema, error) {
	s, err := CompilePinned(reg)
	if err == nil {
		return s, nil
	}
	var le *LimitError
	if !errors.As(err, &le) {
		return nil, err
	}
	g, gerr := CompileGeneric(reg)
	if gerr != nil {
		return nil, gerr
	}
	g.Reason = le.Error()
	return g, nil
}

// CompilePinned compiles reg into a pinned schema, or returns a *LimitError naming every
// tool argument or limit that does not fit strict mode.
func CompilePinned(reg *tool.Registry) (*Schema, error) {
	if reg == nil || reg.Len() == 0 {
		return nil, &LimitError{Problems: []string{"the registry has no tools"}}
	}
	c := &compiler{}
	c.count("ref") // the $defs name
	branches := make([]any, 0, reg.Len())
	for _, t := range reg.Tools() {
		branches = append(branches, c.toolBranch(t))
	}
	root := c.root(obj{{"anyOf", branches}}, true)
	if c.usedJSON {
		defs := root[len(root)-1].v.(obj)
		root[len(root)-1].v = append(defs, kv{"json", c.object(0, []string{JSONWrapperKey}, []any{obj{
			{"type", "string"},
			{"description", `a free-form value written as JSON text, e.g. "{\"key\": \"value\"}"`},
		}})})
		c.count("json")
	}
	c.count("id")
	c.count("after")
	c.count("if")
	c.count("for_each")
	c.checkLimits()
	if len(c.problems) > 0 {
		return nil, &LimitError{Problems: c.problems}
	}
	raw := mustMarshal(root)
	sh, err := InspectSchema(raw)
	if err != nil {
		return nil, fmt.Errorf("prompt: compiled pinned schema does not inspect: %w", err)
	}
	return &Schema{Name: PinnedSchemaName, JSON: raw, Mode: ModePinned, shape: sh}, nil
}

// CompileGeneric compiles reg into the generic schema: the tool is an enum of every name
// when that fits the strict-mode limits, a free string otherwise.
func CompileGeneric(reg *tool.Registry) (*Schema, error) {
	c := &compiler{}
	toolSchema := obj{{"type", "string"}}
	if reg != nil && reg.Len() > 0 {
		names := reg.Names()
		chars := 0
		for _, n := range names {
			chars += len(n)
		}
		fits := len(names) <= MaxStrictEnumValues && chars <= MaxStrictStringChars &&
			(len(names) <= largeEnumValues || chars <= largeEnumChars)
		if fits {
			toolSchema = obj{{"type", "string"}, {"enum", names}}
			c.enums += len(names)
			c.chars += chars
		}
	}
	args := obj{
		{"type", "array"},
		{"description", "the arguments: value is the JSON encoding of the argument's value, e.g. \"\\\"Paris\\\"\", \"42\", \"[1,2]\", or a quoted reference \"\\\"${s1.field}\\\"\""},
		{"items", c.object(2+1, []string{"name", "value"}, []any{
			obj{{"type", "string"}},
			obj{{"type", "string"}},
		})},
	}
	step := c.object(2, []string{"tool", "id", "args", "after", "if", "for_each"}, []any{
		toolSchema, idSchema(), args, afterSchema(), ifSchema(), forEachSchema(),
	})
	root := c.root(step, false)
	raw := mustMarshal(root)
	sh, err := InspectSchema(raw)
	if err != nil {
		return nil, fmt.Errorf("prompt: compiled generic schema does not inspect: %w", err)
	}
	return &Schema{Name: GenericSchemaName, JSON: raw, Mode: ModeGeneric, shape: sh}, nil
}

func defRef(name string) obj { return obj{{"$ref", "#/$defs/" + name}} }

func idSchema() obj {
	return obj{{"type", "string"}, {"description", "unique step id: s1, s2, ..."}}
}

func afterSchema() obj {
	return obj{{"type", "array"}, {"description", "ids of earlier steps that must finish first without using their output; [] when none"}, {"items", obj{{"type", "string"}}}}
}

func ifSchema() obj {
	return obj{{"type", "string"}, {"description", "CEL condition over earlier steps' outputs, e.g. s1.temperature_c < 5; \"\" when none"}}
}

func forEachSchema() obj {
	return obj{{"type", "string"}, {"description", "reference to an array, e.g. ${s1.items}; the step runs once per element as ${item}; \"\" when none"}}
}

// compiler accumulates the counts strict mode limits while schemas are translated.
type compiler struct {
	props    int
	enums    int
	chars    int
	maxDepth int
	problems []string
	bigEnums []int // sizes in characters of enums with more than largeEnumValues values
	usedJSON bool  // some value is free-form and is sent as JSON text ($defs.json)
}

func (c *compiler) count(name string) { c.chars += len(name) }

func (c *compiler) problem(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *compiler) checkLimits() {
	if c.props > MaxStrictProperties {
		c.problem("%d object properties (limit %d)", c.props, MaxStrictProperties)
	}
	if c.maxDepth > MaxStrictDepth {
		c.problem("%d levels of object nesting (limit %d)", c.maxDepth, MaxStrictDepth)
	}
	if c.enums > MaxStrictEnumValues {
		c.problem("%d enum values (limit %d)", c.enums, MaxStrictEnumValues)
	}
	if c.chars > MaxStrictStringChars {
		c.problem("%d characters of property names and enum values (limit %d)", c.chars, MaxStrictStringChars)
	}
	for _, n := range c.bigEnums {
		if n > largeEnumChars {
			c.problem("an enum of more than %d values holds %d characters (limit %d)", largeEnumValues, n, largeEnumChars)
		}
	}
}

// root wraps the step schema in the plan object.
func (c *compiler) root(step any, withRef bool) obj {
	steps := obj{{"type", "array"}, {"items", step}}
	root := c.object(1, []string{"goal", "reasoning", CannotPlanKey, "steps"}, []any{
		obj{{"type", "string"}, {"description", "the request restated in one sentence"}},
		obj{{"type", "string"}, {"description", "short step-by-step thinking: which tools, in which order, where each argument value comes from"}},
		obj{{"type", []string{"string", "null"}}, {"description", "null when the steps do the request; otherwise why no listed tool can do it (then steps is [])"}},
		steps,
	})
	if withRef {
		// Shared by every tool branch: written once, referenced from each.
		root = append(root, kv{"$defs", obj{
			{"ref", obj{
				{"type", "string"},
				{"description", "a reference to an earlier step's output: ${s1} or ${s1.field}"},
				{"pattern", RefPattern},
			}},
			{"id", idSchema()},
			{"after", afterSchema()},
			{"if", ifSchema()},
			{"for_each", forEachSchema()},
		}})
	}
	return root
}

// object builds a strict object at nesting level depth: every property required, no
// additional properties.
func (c *compiler) object(depth int, names []string, schemas []any) obj {
	props := make(obj, len(names))
	for i, n := range names {
		props[i] = kv{n, schemas[i]}
		c.count(n)
	}
	c.props += len(names)
	if depth > c.maxDepth {
		c.maxDepth = depth
	}
	return obj{
		{"type", "object"},
		{"properties", props},
		{"required", append([]string{}, names...)},
		{"additionalProperties", false},
	}
}

// toolBranch is one anyOf branch of the pinned step schema.
func (c *compiler) toolBranch(t *tool.Tool) any {
	raw, err := decodeRawSchema(t.InputSchema)
	if err != nil {
		c.problem("tool %s: input schema: %v", t.Name, err)
		return obj{}
	}
	view, _ := tool.ParseSchema(t.InputSchema)
	c.enums++
	c.count(t.Name)
	at := argTranslator{c: c, tool: t.Name}
	args := at.objectArgs("args", view, raw, 3)
	return c.object(2, []string{"tool", "id", "args", "after", "if", "for_each"}, []any{
		obj{{"type", "string"}, {"enum", []string{t.Name}}},
		defRef("id"), args, defRef("after"), defRef("if"), defRef("for_each"),
	})
}

// argTranslator turns one tool's input schema into its strict-mode form.
type argTranslator struct {
	c    *compiler
	tool string
}

func (a *argTranslator) fail(path, format string, args ...any) {
	a.c.problem("tool %s: %s: %s", a.tool, path, fmt.Sprintf(format, args...))
}

// ignoredKeywords carry no constraint strict mode needs (annotations), or constraints that
// strict mode does not support and the validator enforces anyway.
var ignoredKeywords = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "title": true, "description": true,
	"default": true, "examples": true, "deprecated": true, "readOnly": true, "writeOnly": true,
	"minLength": true, "maxLength": true, "pattern": true, "uniqueItems": true,
	"contentEncoding": true, "contentMediaType": true, "x-order": true,
}

// keywordsHandled are translated by the code below.
var keywordsHandled = map[string]bool{
	"type": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "enum": true, "const": true, "format": true, "anyOf": true, "oneOf": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"multipleOf": true, "minItems": true, "maxItems": true,
}

// objectArgs translates an object schema with declared properties at nesting level depth.
func (a *argTranslator) objectArgs(path string, view *tool.Schema, raw map[string]any, depth int) any {
	if !a.checkKeywords(path, raw) {
		return obj{}
	}
	if view == nil {
		view = &tool.Schema{}
	}
	if ap, ok := raw["additionalProperties"]; ok && len(view.PropOrder) > 0 {
		if _, isBool := ap.(bool); !isBool {
			a.fail(path, "declared properties together with additionalProperties as a schema are not supported in strict mode")
			return obj{}
		}
	}
	if view == nil {
		view = &tool.Schema{}
	}
	rawProps, _ := raw["properties"].(map[string]any)
	req := map[string]bool{}
	for _, r := range view.Required {
		req[r] = true
	}
	schemas := make([]any, len(view.PropOrder))
	for i, name := range view.PropOrder {
		sub, _ := rawProps[name].(map[string]any)
		schemas[i] = a.value(path+"."+name, view.Properties[name], sub, depth, !req[name])
	}
	return a.c.object(depth, view.PropOrder, schemas)
}

func (a *argTranslator) checkKeywords(path string, raw map[string]any) bool {
	var bad []string
	for k := range raw {
		if !keywordsHandled[k] && !ignoredKeywords[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		a.fail(path, "keyword %s not supported by the pinned schema", strings.Join(bad, ", "))
		return false
	}
	return true
}

// value translates the schema of one argument value (depth is the nesting level of the
// object holding it). Every alternative except a plain string gets a reference
// alternative; optional values get a null alternative.
func (a *argTranslator) value(path string, view *tool.Schema, raw map[string]any, depth int, nullable bool) any {
	alts, admitsRef := a.alternatives(path, view, raw, depth)
	if alts == nil {
		return obj{}
	}
	if admitsRef {
		// A plain string already carries a free-form value as JSON text.
		kept := alts[:0]
		for _, x := range alts {
			if !isJSONAlt(x) {
				kept = append(kept, x)
			}
		}
		alts = kept
	}
	for _, x := range alts {
		if isJSONAlt(x) {
			a.c.usedJSON = true
			// The wrapper object sits one level below the object holding the value.
			a.c.maxDepth = max(a.c.maxDepth, depth+1)
		}
	}
	if !admitsRef {
		alts = append(alts, obj{{"$ref", "#/$defs/ref"}})
	}
	if nullable && !hasNullAlt(alts) {
		alts = append(alts, obj{{"type", "null"}})
	}
	if len(alts) == 1 {
		return alts[0]
	}
	// A plain type and null: the type list OpenAI documents for optional fields.
	if len(alts) != 2 || !hasNullAlt(alts) {
		return obj{{"anyOf", alts}}
	}
	types := make([]any, 0, len(alts))
	for _, x := range alts {
		if o, ok := x.(obj); ok && len(o) == 1 && o[0].k == "type" {
			if t, ok := o[0].v.(string); ok {
				types = append(types, t)
				continue
			}
		}
		types = nil
		break
	}
	if types != nil {
		return obj{{"type", types}}
	}
	return obj{{"anyOf", alts}}
}

// alternatives returns the strict-mode alternatives for one value schema and whether one
// of them is a plain string (which already admits a reference). A nil result means the
// schema cannot be expressed (a problem has been recorded).
func (a *argTranslator) alternatives(path string, view *tool.Schema, raw map[string]any, depth int) ([]any, bool) {
	if raw == nil {
		// Unconstrained ("{}" or true): any scalar.
		return []any{obj{{"type", "string"}}, obj{{"type", "number"}}, obj{{"type", "boolean"}}}, true
	}
	if !a.checkKeywords(path, raw) {
		return nil, false
	}
	if view == nil {
		view = &tool.Schema{}
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		branches, ok := raw[key].([]any)
		if !ok {
			continue
		}
		viewBranches := view.AnyOf
		if key == "oneOf" {
			viewBranches = view.OneOf
		}
		var out []any
		plain := false
		for i, b := range branches {
			rb, _ := b.(map[string]any)
			var vb *tool.Schema
			if i < len(viewBranches) {
				vb = viewBranches[i]
			}
			alts, p := a.alternatives(fmt.Sprintf("%s.%s[%d]", path, key, i), vb, rb, depth)
			if alts == nil {
				return nil, false
			}
			out = append(out, alts...)
			plain = plain || p
		}
		return out, plain
	}
	if cv, ok := raw["const"]; ok {
		a.c.enums++
		a.c.chars += len(fmt.Sprint(cv))
		return []any{obj{{"enum", []any{cv}}}}, false
	}
	types := view.Types()
	if len(types) == 0 {
		if len(view.Enum) > 0 {
			return []any{a.enum(view.Enum, nil)}, false
		}
		if view.Properties != nil {
			types = []string{"object"}
		} else if view.Items != nil {
			types = []string{"array"}
		} else {
			return []any{obj{{"type", "string"}}, obj{{"type", "number"}}, obj{{"type", "boolean"}}}, true
		}
	}
	var out []any
	plain := false
	for _, t := range types {
		switch t {
		case "null":
			out = append(out, obj{{"type", "null"}})
		case "string":
			s := obj{{"type", "string"}}
			if len(view.Enum) > 0 {
				out = append(out, a.enum(view.Enum, "string"))
				continue
			}
			if f, _ := raw["format"].(string); strictFormats[f] {
				s = append(s, kv{"format", f})
			} else {
				plain = true
			}
			out = append(out, s)
		case "integer", "number":
			if len(view.Enum) > 0 {
				out = append(out, a.enum(view.Enum, t))
				continue
			}
			s := obj{{"type", t}}
			for _, k := range []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"} {
				if v, ok := raw[k]; ok {
					s = append(s, kv{k, v})
				}
			}
			out = append(out, s)
		case "boolean":
			out = append(out, obj{{"type", "boolean"}})
		case "array":
			s := obj{{"type", "array"}}
			rawItems, _ := raw["items"].(map[string]any)
			if it, ok := raw["items"].(bool); ok && !it {
				a.fail(path, "items: false is not supported")
				return nil, false
			}
			items := a.value(path+"[]", view.Items, rawItems, depth, false)
			if o, ok := items.(obj); ok && len(o) == 0 {
				return nil, false
			}
			s = append(s, kv{"items", items})
			for _, k := range []string{"minItems", "maxItems"} {
				if v, ok := raw[k]; ok {
					s = append(s, kv{k, v})
				}
			}
			out = append(out, s)
		case "object":
			if len(view.PropOrder) == 0 {
				// A free-form object (a map): strict mode cannot express it, so it travels
				// as JSON text in a wrapper object {"__json": "..."} that DecodePlan
				// recognises and turns back into the value.
				out = append(out, jsonAlt())
				continue
			}
			o := a.objectArgs(path, view, raw, depth+1)
			if oo, ok := o.(obj); ok && len(oo) == 0 {
				return nil, false
			}
			out = append(out, o)
		default:
			a.fail(path, "unknown type %q", t)
			return nil, false
		}
	}
	return out, plain
}

// JSONWrapperKey is the only property of the object that carries a free-form value as
// JSON text in a pinned schema: {"__json": "{\"Authorization\": \"Bearer x\"}"}.
// DecodePlan replaces such an object, wherever it appears in the arguments, with the
// decoded value.
const JSONWrapperKey = "__json"

func hasNullAlt(alts []any) bool {
	for _, x := range alts {
		if o, ok := x.(obj); ok && len(o) == 1 && o[0].k == "type" && o[0].v == "null" {
			return true
		}
	}
	return false
}

// jsonAlt is the alternative of a free-form value carried as JSON text.
func jsonAlt() obj { return defRef("json") }

func isJSONAlt(x any) bool {
	o, ok := x.(obj)
	return ok && len(o) == 1 && o[0].k == "$ref" && o[0].v == "#/$defs/json"
}

// enum renders an enum constraint, typed when the type is known.
func (a *argTranslator) enum(values []any, typ any) obj {
	chars := 0
	for _, v := range values {
		chars += len(fmt.Sprint(v))
	}
	a.c.enums += len(values)
	a.c.chars += chars
	if len(values) > largeEnumValues {
		a.c.bigEnums = append(a.c.bigEnums, chars)
	}
	if typ == nil {
		return obj{{"enum", values}}
	}
	return obj{{"type", typ}, {"enum", values}}
}

func decodeRawSchema(raw json.RawMessage) (map[string]any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{"type": "object", "properties": map[string]any{}}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// kv and obj are an ordered JSON object: property order matters to a model that
// generates fields in schema order (reasoning before steps, tool before args).
type kv struct {
	k string
	v any
}

type obj []kv

// MarshalJSON writes the members in order, without HTML escaping.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalNoEscape(m.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalNoEscape(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// mustMarshal encodes values built by this package from JSON-safe parts; a failure is a
// programming error.
func mustMarshal(v any) json.RawMessage {
	b, err := marshalNoEscape(v)
	if err != nil {
		panic(fmt.Sprintf("prompt: encoding a compiled schema: %v", err))
	}
	return b
}
