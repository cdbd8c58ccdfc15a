package execute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// scope is what references in one tool call can see: the outputs of the step's
// dependencies (by step id), which of them were simulated, and the loop element.
type scope struct {
	outputs   map[string]any
	simulated map[string]bool
	// untyped are simulated producers whose output shape nothing declares (no output
	// schema, no declared output): their invented {"ok", "tool", "args"} says nothing
	// about the real tool's type.
	untyped  map[string]bool
	item     any
	hasItem  bool
	maxBytes int // bound on one interpolated string (0: none)
}

// refError is a reference that cannot be resolved. It is permanent: retrying the call
// does not change the producer's output.
type refError struct {
	Ref string
	Msg string
}

func (e *refError) Error() string { return e.Ref + ": " + e.Msg }

// resolveArgs returns a copy of args with every reference replaced. want is the input
// schema of the consuming tool (nil when unknown); it gives the type of placeholders for
// paths missing from simulated outputs.
func resolveArgs(args map[string]any, sc *scope, want *tool.Schema, maxBytes int) (map[string]any, error) {
	sc.maxBytes = maxBytes
	out, err := resolveValue(args, sc, want, nil)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return map[string]any{}, nil
	}
	return out.(map[string]any), nil
}

func resolveValue(v any, sc *scope, want *tool.Schema, path []string) (any, error) {
	switch t := v.(type) {
	case string:
		return resolveString(t, sc, want.At(path))
	case map[string]any:
		if t == nil {
			return nil, nil
		}
		m := make(map[string]any, len(t))
		for k, x := range t {
			r, err := resolveValue(x, sc, want, append(path, k))
			if err != nil {
				return nil, err
			}
			m[k] = r
		}
		return m, nil
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			r, err := resolveValue(x, sc, want, append(path, strconv.Itoa(i)))
			if err != nil {
				return nil, err
			}
			a[i] = r
		}
		return a, nil
	default:
		return v, nil
	}
}

// resolveString resolves the references in s: a whole-string reference keeps the
// value's type, embedded ones are interpolated.
func resolveString(s string, sc *scope, want *tool.Schema) (any, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	if r, ok := plan.WholeRef(s); ok {
		v, err := sc.lookup(r, want)
		if err != nil {
			return nil, err
		}
		if sc.untyped[r.Step] && typeMismatch(want, v) != "" {
			// The invented value's type is not the real tool's: stand in with a value
			// of the type the consumer expects, as for a path the invention lacks.
			return placeholder(r, want), nil
		}
		if wantsOnlyString(want) && isScalar(v) {
			// As the validator allows: a number or boolean fills a string argument
			// rendered as text.
			return render(v), nil
		}
		return cloneJSON(v), nil
	}
	refs := plan.FindRefs(s)
	if len(refs) == 0 {
		return s, nil
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(s[last:r.Start])
		v, err := sc.lookup(r, &tool.Schema{Type: "string"})
		if err != nil {
			return nil, err
		}
		part := render(v)
		if sc.maxBytes > 0 && b.Len()+len(part)+len(s)-r.End > sc.maxBytes {
			return nil, &LimitError{Limit: "execute.max_arg_bytes",
				Msg: fmt.Sprintf("interpolating %s would make an argument larger than %s", r.String(), bytesText(sc.maxBytes))}
		}
		b.WriteString(part)
		last = r.End
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func wantsOnlyString(s *tool.Schema) bool {
	ts := s.Types()
	for _, t := range ts {
		if t != "string" && t != "null" {
			return false
		}
	}
	return len(ts) > 0
}

func isScalar(v any) bool {
	switch v.(type) {
	case json.Number, float64, float32, int64, int, int32, bool:
		return true
	}
	return false
}

// render formats a value for interpolation into a string.
func render(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return "null"
	case json.Number:
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(t, 10)
	case int:
		return strconv.Itoa(t)
	case bool:
		return strconv.FormatBool(t)
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return fmt.Sprint(v)
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
}

// lookup returns the value r points at.
func (sc *scope) lookup(r plan.Ref, want *tool.Schema) (any, error) {
	var root any
	var owner string
	switch {
	case r.Step == plan.ItemVar:
		if !sc.hasItem {
			return nil, &refError{r.String(), "${item} is only defined in a step with for_each"}
		}
		root, owner = sc.item, "the loop item"
	default:
		v, ok := sc.outputs[r.Step]
		if !ok {
			return nil, &refError{r.String(), fmt.Sprintf("%s is not a dependency of this step or has no output", r.Step)}
		}
		root, owner = v, r.Step+"'s output"
	}
	cur := root
	for k, seg := range r.Path {
		next, msg := child(cur, seg)
		if msg == "" {
			cur = next
			continue
		}
		if r.Step != plan.ItemVar && sc.simulated[r.Step] {
			return placeholder(r, want), nil
		}
		where := owner
		if k > 0 {
			where = owner + " at " + strings.Join(r.Path[:k], ".")
		}
		return nil, &refError{r.String(), fmt.Sprintf("%s %s", where, msg)}
	}
	return cur, nil
}

// child steps into v by one path segment; msg says why it cannot.
func child(v any, seg string) (any, string) {
	switch t := v.(type) {
	case map[string]any:
		if x, ok := t[seg]; ok {
			return x, ""
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		has := strings.Join(keys, ", ")
		if has == "" {
			has = "(no fields)"
		}
		return nil, fmt.Sprintf("has no field %s; it has: %s", seg, has)
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil {
			return nil, fmt.Sprintf("is an array of %d elements; %q is not an index", len(t), seg)
		}
		if i < 0 || i >= len(t) {
			return nil, fmt.Sprintf("has no element %d; it has %d elements", i, len(t))
		}
		return t[i], ""
	case nil:
		return nil, fmt.Sprintf("is null; it has no field %s", seg)
	default:
		return nil, fmt.Sprintf("is a %s, not an object; it has no field %s", jsonType(v), seg)
	}
}

// placeholder stands in for a path missing from a simulated output, typed as the
// consumer expects.
func placeholder(r plan.Ref, want *tool.Schema) any {
	label := "<simulated " + strings.TrimSuffix(strings.TrimPrefix(r.String(), "${"), "}") + ">"
	switch want.PrimaryType() {
	case "integer":
		return int64(1)
	case "number":
		return 1.0
	case "boolean":
		return true
	case "array":
		var item any = label
		if want.Items != nil {
			item = placeholder(r, want.Items)
		}
		return []any{item}
	case "object":
		return map[string]any{}
	}
	if want != nil && len(want.Enum) > 0 {
		return want.Enum[0]
	}
	return label
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64, float32, int, int64, int32, uint, uint64, uint32:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return reflect.TypeOf(v).String()
}

// cloneJSON deep-copies maps and slices so that a consumer cannot change a producer's
// output.
func cloneJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = cloneJSON(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = cloneJSON(x)
		}
		return a
	}
	return v
}

// normalize turns a tool's output into plain JSON values (map[string]any, []any,
// string, bool, nil, int64 for integral numbers up to 2^53, float64 otherwise). Values of other Go types
// (structs, typed maps) go through encoding/json.
func normalize(v any) (any, error) {
	switch t := v.(type) {
	case nil, string, bool, int64:
		return t, nil
	case float64:
		return canonicalNumber(t), nil
	case int:
		return int64(t), nil
	case int32:
		return int64(t), nil
	case float32:
		return canonicalNumber(float64(t)), nil
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i, nil
		}
		f, err := t.Float64()
		if err != nil {
			return nil, fmt.Errorf("invalid number %q", t)
		}
		return canonicalNumber(f), nil
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			n, err := normalize(x)
			if err != nil {
				return nil, err
			}
			m[k] = n
		}
		return m, nil
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			n, err := normalize(x)
			if err != nil {
				return nil, err
			}
			a[i] = n
		}
		return a, nil
	case json.RawMessage:
		return decodeJSON(t)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("output is not JSON-encodable: %w", err)
	}
	return decodeJSON(b)
}

// canonicalNumber represents integral values exactly representable in a float64 as
// int64, so that a number has one Go type whatever produced it (a JSON decoder, a Go
// runner, the run store).
func canonicalNumber(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
		return int64(f)
	}
	return f
}

// decodeJSON decodes b into normalized JSON values.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalize(v)
}

// toFloat converts a JSON number of any representation.
func toFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int64:
		return float64(t), true
	case int:
		return float64(t), true
	case float32:
		return float64(t), true
	case int32:
		return float64(t), true
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	}
	return 0, false
}

// toInt converts an integral JSON number.
func toInt(v any) (int64, bool) {
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// DecodeOutput decodes a stored step output into the same JSON values Run produces
// (int64 for integers, float64 for other numbers).
func DecodeOutput(b []byte) (any, error) { return decodeJSON(b) }
