package tool

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/google/jsonschema-go/jsonschema"
)

// Handler is the Go implementation of a tool (run kind go). args are the step's
// arguments with every reference resolved, already valid against the tool's input
// schema; the output must be JSON-encodable. The executor retries a failed call only for
// an Idempotent tool.
type Handler func(ctx context.Context, args map[string]any) (any, error)

// Func returns a tool implemented by the Go function fn, for library users who plan over
// their own code. Its input schema is derived from In, a struct (or a map with string
// keys), by github.com/google/jsonschema-go: exported fields by their JSON names, fields
// without omitempty or omitzero required, no other properties, and a field's
// `jsonschema:"..."` tag as its description. When Out is a struct its schema becomes the
// output schema, so that the validator type-checks references to the tool's output.
//
// The executor decodes the arguments into In (as encoding/json does), calls fn and
// records its Out as the step's output; the step is not simulated. Set Examples,
// Idempotent or a hand-written schema on the returned tool before building the
// registry. A Go function has no place in a tool file: the registry refuses run kind go
// without one, and the registry version covers the tool's name, description and
// schemas, not the function's code.
func Func[In, Out any](name, description string, fn func(context.Context, In) (Out, error)) (*Tool, error) {
	if fn == nil {
		return nil, fmt.Errorf("tool.Func(%q): nil function", name)
	}
	in, err := schemaFor(reflect.TypeFor[In](), true)
	if err != nil {
		return nil, fmt.Errorf("tool.Func(%q): input: %w", name, err)
	}
	var out json.RawMessage
	if t := reflect.TypeFor[Out](); t.Kind() == reflect.Struct || (t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct) {
		if out, err = schemaFor(t, false); err != nil {
			return nil, fmt.Errorf("tool.Func(%q): output: %w", name, err)
		}
	}
	h := func(ctx context.Context, args map[string]any) (any, error) {
		b, err := json.Marshal(args)
		if err != nil {
			return nil, fmt.Errorf("encode the arguments: %w", err)
		}
		var v In
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("decode the arguments into %T: %w", v, err)
		}
		return fn(ctx, v)
	}
	t := FuncSchema(name, description, in, h)
	t.OutputSchema = out
	return t, nil
}

// FuncSchema returns a tool implemented by h with the given input schema (a JSON Schema
// object, validated when the registry is built), for functions that take their arguments
// as a map or whose schema is written by hand.
func FuncSchema(name, description string, inputSchema json.RawMessage, h Handler) *Tool {
	return &Tool{Name: name, Description: description, InputSchema: inputSchema,
		Run: &RunSpec{Kind: RunGo, Go: h}, Source: "go"}
}

// schemaFor derives the JSON Schema of t; object requires an object schema (a struct or a
// map with string keys).
func schemaFor(t reflect.Type, object bool) (json.RawMessage, error) {
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if object && base.Kind() != reflect.Struct && !(base.Kind() == reflect.Map && base.Key().Kind() == reflect.String) {
		return nil, fmt.Errorf("%s is not a struct: a tool's arguments are a JSON object", t)
	}
	s, err := jsonschema.ForType(base, nil)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.Clone(b)), nil
}
