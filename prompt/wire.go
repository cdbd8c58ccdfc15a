package prompt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/planwise/planwise/plan"
)

// Errors DecodePlan wraps, for callers that branch (repair, retry, metrics).
var (
	// ErrMalformed: the content is not a JSON plan of the requested shape.
	ErrMalformed = errors.New("malformed plan output")
	// ErrTruncated: the content stops in the middle of the JSON (a length cut-off).
	ErrTruncated = errors.New("truncated plan output")
	// ErrCannotPlan: the model declined: no listed tool can do the request. It is an
	// answer, not a failure: the caller must not repair it into a plan.
	ErrCannotPlan = errors.New("the model found no tool that can do the request")
)

// CannotPlanError is the model's refusal: it set cannot_plan to a reason, or returned no
// steps (the older form, where the reason is its reasoning).
type CannotPlanError struct {
	// Reason is the model's own words on why no listed tool fits.
	Reason string
	// Goal is the request as the model restated it.
	Goal string
}

func (e *CannotPlanError) Error() string {
	if e.Reason == "" {
		return ErrCannotPlan.Error()
	}
	return ErrCannotPlan.Error() + ": " + e.Reason
}

// Is makes errors.Is(err, ErrCannotPlan) true.
func (e *CannotPlanError) Is(target error) bool { return target == ErrCannotPlan }

// DecodeError describes why a model's content could not be read as a plan.
type DecodeError struct {
	Kind   error  // ErrMalformed or ErrTruncated
	Mode   Mode   // the mode the content was read in
	Offset int64  // byte offset of the problem, when known
	Detail string // what was wrong, for logs and the repair prompt
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Mode != "" {
		fmt.Fprintf(&b, " (%s schema)", e.Mode)
	}
	if e.Offset > 0 {
		fmt.Fprintf(&b, " at byte %d", e.Offset)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Kind }

// wireStep is one step as either schema mode spells it; Args is read per mode.
type wireStep struct {
	Tool    string   `json:"tool"`
	ID      string   `json:"id"`
	Args    any      `json:"args"`
	After   []string `json:"after"`
	If      *string  `json:"if"`
	ForEach *string  `json:"for_each"`
}

type wirePlan struct {
	Goal       string     `json:"goal"`
	Reasoning  string     `json:"reasoning"`
	CannotPlan *string    `json:"cannot_plan"`
	Steps      []wireStep `json:"steps"`
}

// DecodePlan reads a model's structured output in mode and returns the plan. Nulls are
// absent arguments; empty after, if and for_each are none; in ModePinned an object
// {"__json": "<JSON text>"} (how a pinned schema carries a free-form value) becomes the
// value the text encodes; in ModeGeneric each value is
// JSON-decoded (a value that is not valid JSON is kept as the string it is, since models
// often forget to quote plain text). A surrounding Markdown code fence is tolerated.
// Errors are *DecodeError wrapping ErrMalformed or ErrTruncated, or *CannotPlanError
// (wrapping ErrCannotPlan) when the model declined: a non-empty cannot_plan wins over
// any steps it wrote anyway (a plan its own author says does not do the request is not
// served), and an answer with no steps at all is a refusal whose reason is its
// reasoning.
func DecodePlan(content []byte, mode Mode) (*plan.Plan, error) {
	if mode != ModePinned && mode != ModeGeneric {
		return nil, fmt.Errorf("prompt: unknown mode %q", mode)
	}
	body := stripFence(bytes.TrimSpace(content))
	if len(body) == 0 {
		return nil, &DecodeError{Kind: ErrMalformed, Mode: mode, Detail: "empty content"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var w wirePlan
	if err := dec.Decode(&w); err != nil {
		return nil, classify(err, mode, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &DecodeError{Kind: ErrMalformed, Mode: mode, Offset: dec.InputOffset(), Detail: "trailing data after the plan object"}
	}
	if w.CannotPlan != nil && strings.TrimSpace(*w.CannotPlan) != "" {
		return nil, &CannotPlanError{Reason: strings.TrimSpace(*w.CannotPlan), Goal: w.Goal}
	}
	if len(w.Steps) == 0 {
		return nil, &CannotPlanError{Reason: strings.TrimSpace(w.Reasoning), Goal: w.Goal}
	}
	p := &plan.Plan{Goal: w.Goal, Reasoning: w.Reasoning, Steps: make([]plan.Step, 0, len(w.Steps))}
	for i, ws := range w.Steps {
		args, err := decodeArgs(ws.Args, mode)
		if err != nil {
			return nil, &DecodeError{Kind: ErrMalformed, Mode: mode, Detail: fmt.Sprintf("steps[%d].args: %v", i, err)}
		}
		s := plan.Step{ID: ws.ID, Tool: ws.Tool, Args: args}
		if len(ws.After) > 0 {
			s.After = ws.After
		}
		if ws.If != nil {
			s.If = strings.TrimSpace(*ws.If)
		}
		if ws.ForEach != nil {
			s.ForEach = strings.TrimSpace(*ws.ForEach)
		}
		p.Steps = append(p.Steps, s)
	}
	return p, nil
}

func classify(err error, mode Mode, off int64) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &DecodeError{Kind: ErrTruncated, Mode: mode, Offset: off, Detail: "the JSON ends before the plan is complete"}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &DecodeError{Kind: ErrMalformed, Mode: mode, Offset: se.Offset, Detail: se.Error()}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &DecodeError{Kind: ErrMalformed, Mode: mode, Offset: te.Offset,
			Detail: fmt.Sprintf("field %q holds a JSON %s where a %s belongs", te.Field, te.Value, te.Type)}
	}
	return &DecodeError{Kind: ErrMalformed, Mode: mode, Offset: off, Detail: err.Error()}
}

// stripFence removes a ```json ... ``` fence around the content.
func stripFence(b []byte) []byte {
	if !bytes.HasPrefix(b, []byte("```")) {
		return b
	}
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		return b
	}
	b = bytes.TrimSpace(b[nl+1:])
	return bytes.TrimSpace(bytes.TrimSuffix(b, []byte("```")))
}

func decodeArgs(raw any, mode Mode) (map[string]any, error) {
	args := map[string]any{}
	if raw == nil {
		return args, nil
	}
	if mode == ModePinned {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("want an object of arguments, got %s", jsonKind(raw))
		}
		for k, v := range m {
			if v = dropNulls(unwrapJSON(v)); v != nil {
				args[k] = v
			}
		}
		return args, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of {name, value}, got %s", jsonKind(raw))
	}
	for i, item := range list {
		a, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("item %d: want {name, value}, got %s", i, jsonKind(item))
		}
		name, _ := a["name"].(string)
		if name == "" {
			return nil, fmt.Errorf("item %d has no name", i)
		}
		if _, dup := args[name]; dup {
			return nil, fmt.Errorf("argument %q is given twice", name)
		}
		v := a["value"]
		if text, isText := v.(string); isText {
			v = decodeJSONText(text)
		} // a value given as itself rather than as JSON text is accepted as it is
		if v = dropNulls(v); v != nil {
			args[name] = v
		}
	}
	return args, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// unwrapJSON replaces every {"__json": "<JSON text>"} object inside v with the value the
// text encodes (text that is not JSON stays the string it is).
func unwrapJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 1 {
			if text, ok := t[JSONWrapperKey].(string); ok {
				return unwrapJSON(decodeJSONText(text))
			}
		}
		for k, x := range t {
			t[k] = unwrapJSON(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = unwrapJSON(x)
		}
		return t
	}
	return v
}

// decodeJSONText decodes a value written as JSON text; text that is not JSON (plain text
// a model forgot to quote, or a reference) is the string it is.
func decodeJSONText(text string) any {
	var v any
	if err := unmarshalNumber([]byte(text), &v); err != nil {
		return text
	}
	return v
}

func unmarshalNumber(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data")
	}
	return nil
}

// dropNulls removes null members of objects, recursively (strict mode makes optional
// fields nullable; null means absent). Nulls inside arrays are kept.
func dropNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if x = dropNulls(x); x == nil {
				delete(t, k)
			} else {
				t[k] = x
			}
		}
		return t
	case []any:
		for i, x := range t {
			if m, ok := x.(map[string]any); ok {
				t[i] = dropNulls(m)
			}
		}
		return t
	}
	return v
}

// EncodePlan renders p as a model would answer under a schema of the given mode: every
// step field present (after [], if "", for_each ""), args an object (pinned) or a list of
// {name, value} with JSON-encoded values sorted by name (generic). Absent optional
// arguments are left out; Shape.Encode also fills them with the nulls a strict schema
// requires.
func EncodePlan(p *plan.Plan, mode Mode) ([]byte, error) {
	return encodePlan(p, mode, nil)
}

func encodePlan(p *plan.Plan, mode Mode, sh *Shape) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("prompt: encode: nil plan")
	}
	if mode != ModePinned && mode != ModeGeneric {
		return nil, fmt.Errorf("prompt: encode: unknown mode %q", mode)
	}
	steps := make([]any, 0, len(p.Steps))
	for _, s := range p.Steps {
		var args any
		if mode == ModePinned {
			m := obj{}
			names := sortedArgNames(s.Args)
			if sh != nil {
				if declared, ok := sh.Args[s.Tool]; ok {
					names = mergeNames(declared, s.Args)
				}
			}
			var props map[string]any
			if sh != nil {
				props = sh.argProps[s.Tool]
			}
			for _, n := range names {
				v := s.Args[n]
				if sub, ok := props[n].(map[string]any); ok {
					v = fillNulls(v, sub)
				}
				m = append(m, kv{n, v})
			}
			args = m
		} else {
			list := make([]any, 0, len(s.Args))
			for _, n := range sortedArgNames(s.Args) {
				v, err := marshalNoEscape(s.Args[n])
				if err != nil {
					return nil, fmt.Errorf("prompt: encode: step %s arg %s: %w", s.ID, n, err)
				}
				list = append(list, obj{{"name", n}, {"value", string(v)}})
			}
			args = list
		}
		after := s.After
		if after == nil {
			after = []string{}
		}
		steps = append(steps, obj{
			{"tool", s.Tool}, {"id", s.ID}, {"args", args},
			{"after", after}, {"if", s.If}, {"for_each", s.ForEach},
		})
	}
	root := obj{{"goal", p.Goal}, {"reasoning", p.Reasoning}}
	if sh == nil || sh.CannotPlan {
		root = append(root, kv{CannotPlanKey, nil})
	}
	b, err := marshalNoEscape(append(root, kv{"steps", steps}))
	if err != nil {
		return nil, fmt.Errorf("prompt: encode: %w", err)
	}
	return b, nil
}

func sortedArgNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// mergeNames is declared in schema order, then any extra argument the plan holds.
func mergeNames(declared []string, args map[string]any) []string {
	out := append([]string{}, declared...)
	seen := map[string]bool{}
	for _, d := range declared {
		seen[d] = true
	}
	for _, n := range sortedArgNames(args) {
		if !seen[n] {
			out = append(out, n)
		}
	}
	return out
}

// Shape is what a compiled response schema asks for, read back from its JSON: the
// simulator uses it to answer in exactly the requested shape.
type Shape struct {
	Mode Mode
	// CannotPlan is true when the schema has the cannot_plan field (every schema this
	// package compiles does) through which the model declines.
	CannotPlan bool
	// Tools are the tool names the schema allows, in schema order (empty when the
	// generic schema leaves the tool a free string).
	Tools []string
	// Args maps each tool (pinned mode) to its argument names in schema order.
	Args map[string][]string
	// Required maps each tool (pinned mode) to the arguments that are not nullable.
	Required map[string][]string

	argProps map[string]map[string]any // tool -> args.properties, for nested nulls
}

// InspectSchema reads a schema produced by CompilePinned or CompileGeneric (or one of the
// same structure) and reports its shape.
func InspectSchema(raw json.RawMessage) (*Shape, error) {
	var root struct {
		Properties struct {
			Steps struct {
				Items json.RawMessage `json:"items"`
			} `json:"steps"`
			CannotPlan json.RawMessage `json:"cannot_plan"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, fmt.Errorf("prompt: inspect schema: %w", err)
	}
	if len(root.Properties.Steps.Items) == 0 {
		return nil, fmt.Errorf("prompt: inspect schema: no properties.steps.items: not a plan schema")
	}
	type branch struct {
		AnyOf      []json.RawMessage `json:"anyOf"`
		Properties map[string]struct {
			Type       any                        `json:"type"`
			Enum       []string                   `json:"enum"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"properties"`
	}
	var items branch
	if err := json.Unmarshal(root.Properties.Steps.Items, &items); err != nil {
		return nil, fmt.Errorf("prompt: inspect schema: steps.items: %w", err)
	}
	sh := &Shape{Args: map[string][]string{}, Required: map[string][]string{}, argProps: map[string]map[string]any{},
		CannotPlan: len(root.Properties.CannotPlan) > 0}
	if len(items.AnyOf) == 0 {
		if t, _ := items.Properties["args"].Type.(string); t != "array" {
			return nil, fmt.Errorf("prompt: inspect schema: steps.items is neither anyOf over tools nor a generic step")
		}
		sh.Mode = ModeGeneric
		sh.Tools = items.Properties["tool"].Enum
		return sh, nil
	}
	sh.Mode = ModePinned
	for i, rb := range items.AnyOf {
		var b branch
		if err := json.Unmarshal(rb, &b); err != nil {
			return nil, fmt.Errorf("prompt: inspect schema: steps.items.anyOf[%d]: %w", i, err)
		}
		names := b.Properties["tool"].Enum
		if len(names) != 1 {
			return nil, fmt.Errorf("prompt: inspect schema: steps.items.anyOf[%d]: tool is not pinned to one name", i)
		}
		name := names[0]
		sh.Tools = append(sh.Tools, name)
		argNames, required, err := orderedArgs(rb)
		if err != nil {
			return nil, fmt.Errorf("prompt: inspect schema: tool %s: %w", name, err)
		}
		sh.Args[name] = argNames
		sh.Required[name] = required
		var full struct {
			Properties struct {
				Args struct {
					Properties map[string]any `json:"properties"`
				} `json:"args"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(rb, &full); err != nil {
			return nil, fmt.Errorf("prompt: inspect schema: tool %s: %w", name, err)
		}
		sh.argProps[name] = full.Properties.Args.Properties
	}
	return sh, nil
}

// orderedArgs returns the argument names of a pinned branch in declaration order, and
// those that do not admit null.
func orderedArgs(branch json.RawMessage) ([]string, []string, error) {
	var b struct {
		Properties struct {
			Args json.RawMessage `json:"args"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(branch, &b); err != nil {
		return nil, nil, err
	}
	var args struct {
		Properties json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(b.Properties.Args, &args); err != nil {
		return nil, nil, err
	}
	if len(args.Properties) == 0 {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(args.Properties))
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	var names, required []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		name, _ := t.(string)
		var sub map[string]any
		if err := dec.Decode(&sub); err != nil {
			return nil, nil, err
		}
		names = append(names, name)
		if !admitsNull(sub) {
			required = append(required, name)
		}
	}
	return names, required, nil
}

func admitsNull(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		if t == "null" {
			return true
		}
	case []any:
		for _, x := range t {
			if x == "null" {
				return true
			}
		}
	}
	if alts, ok := s["anyOf"].([]any); ok {
		for _, a := range alts {
			if m, ok := a.(map[string]any); ok && admitsNull(m) {
				return true
			}
		}
	}
	return false
}

// fillNulls returns v with every property that an object schema of s declares and v
// lacks set to null, recursively: strict mode requires every property to be present.
// It copies what it changes.
func fillNulls(v any, s map[string]any) any {
	if isJSONPosition(s) {
		return toJSONText(v)
	}
	switch t := v.(type) {
	case map[string]any:
		props := objectProps(s)
		if props == nil {
			return v
		}
		out := make(map[string]any, len(props))
		for k, x := range t {
			if sub, ok := props[k].(map[string]any); ok {
				x = fillNulls(x, sub)
			}
			out[k] = x
		}
		for k := range props {
			if _, ok := out[k]; !ok {
				out[k] = nil
			}
		}
		return out
	case []any:
		items := arrayItems(s)
		if items == nil {
			return v
		}
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = fillNulls(x, items)
		}
		return out
	}
	return v
}

// isJSONPosition reports whether a value under s travels as JSON text: s is the json
// definition or an anyOf holding it.
func isJSONPosition(s map[string]any) bool {
	if s["$ref"] == "#/$defs/json" {
		return true
	}
	for _, a := range asAnySlice(s["anyOf"]) {
		if m, ok := a.(map[string]any); ok && m["$ref"] == "#/$defs/json" {
			return true
		}
	}
	return false
}

// toJSONText wraps a free-form value as {"__json": "<JSON text>"}; a whole reference
// and null stay as they are (the schema admits them directly).
func toJSONText(v any) any {
	if v == nil {
		return nil
	}
	if str, ok := v.(string); ok {
		if _, whole := plan.WholeRef(str); whole {
			return str
		}
	}
	b, err := marshalNoEscape(v)
	if err != nil {
		return v
	}
	return map[string]any{JSONWrapperKey: string(b)}
}

// objectProps finds the properties of the object alternative of s.
func objectProps(s map[string]any) map[string]any {
	if p, ok := s["properties"].(map[string]any); ok {
		return p
	}
	for _, a := range asAnySlice(s["anyOf"]) {
		if m, ok := a.(map[string]any); ok {
			if p := objectProps(m); p != nil {
				return p
			}
		}
	}
	return nil
}

// arrayItems finds the items schema of the array alternative of s.
func arrayItems(s map[string]any) map[string]any {
	if it, ok := s["items"].(map[string]any); ok {
		return it
	}
	for _, a := range asAnySlice(s["anyOf"]) {
		if m, ok := a.(map[string]any); ok {
			if it := arrayItems(m); it != nil {
				return it
			}
		}
	}
	return nil
}

func asAnySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// Decode reads a model's answer in the shape's mode; it is DecodePlan.
func (sh *Shape) Decode(content []byte) (*plan.Plan, error) {
	return DecodePlan(content, sh.Mode)
}

// Encode renders p in the schema's shape; in pinned mode every argument the schema
// declares for a step's tool is present, null when the plan leaves it out.
func (sh *Shape) Encode(p *plan.Plan) ([]byte, error) {
	return encodePlan(p, sh.Mode, sh)
}

// EncodeCannotPlan renders a refusal in the schema's shape: no steps and, when the
// schema has the field, cannot_plan set to reason (otherwise the reason is the
// reasoning, the older form DecodePlan also reads as a refusal).
func (sh *Shape) EncodeCannotPlan(goal, reason string) ([]byte, error) {
	if strings.TrimSpace(reason) == "" {
		reason = "no listed tool can do the request"
	}
	root := obj{{"goal", goal}}
	if sh.CannotPlan {
		root = append(root, kv{"reasoning", "No listed tool can do this."}, kv{CannotPlanKey, reason})
	} else {
		root = append(root, kv{"reasoning", reason})
	}
	return marshalNoEscape(append(root, kv{"steps", []any{}}))
}
