package plans

import (
	"encoding/json"
	"math"
	"strings"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/plan"
)

// acceptsCall reports whether a predicted step is one of the calls g accepts, the way
// BFCL's AST checker decides: the same function; no argument that g does not list;
// every listed argument either given with one of its acceptable values or left out when
// the empty string is among them. With open, arguments g does not list are allowed.
func acceptsCall(st plan.Step, g dataset.GoldStep, open bool) bool {
	if st.Tool != g.Tool {
		return false
	}
	for name := range st.Args {
		if _, ok := g.Accept[name]; !ok && !open {
			return false
		}
	}
	for name, vals := range g.Accept {
		v, given := st.Args[name]
		if !given {
			if !mayOmit(vals) {
				return false
			}
			continue
		}
		if !acceptsAny(v, vals) {
			return false
		}
	}
	return true
}

// mayOmit reports whether an acceptable-values list allows leaving the argument out:
// BFCL writes that as an empty string (or a null) among the values.
func mayOmit(vals []any) bool {
	for _, v := range vals {
		if v == nil {
			return true
		}
		if s, ok := v.(string); ok && s == "" {
			return true
		}
	}
	return false
}

func acceptsAny(v any, vals []any) bool {
	for _, a := range vals {
		if a == nil && v == nil {
			return true
		}
		if s, ok := a.(string); ok && s == "" {
			continue // the "may be omitted" marker, not a value
		}
		if valueMatches(v, a) {
			return true
		}
	}
	return false
}

// valueMatches compares a predicted value with one acceptable value: strings after
// BFCL's normalisation (case, spaces and the punctuation , . / - _ * ^ ignored), numbers
// by value, lists element by element, objects key by key (an object's value may itself
// be a list of acceptable values, as BFCL nests them).
func valueMatches(v, a any) bool {
	switch at := a.(type) {
	case string:
		vs, ok := v.(string)
		return ok && bfclNorm(vs) == bfclNorm(at)
	case bool:
		vb, ok := v.(bool)
		return ok && vb == at
	case json.Number, float64, int, int64:
		an, ok1 := number(a)
		vn, ok2 := number(v)
		return ok1 && ok2 && math.Abs(an-vn) <= 1e-9*math.Max(1, math.Abs(an))
	case []any:
		vl, ok := v.([]any)
		if !ok || len(vl) != len(at) {
			return false
		}
		for i := range at {
			if !valueMatches(vl[i], at[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		vm, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for k := range vm {
			if _, ok := at[k]; !ok {
				return false
			}
		}
		for k, av := range at {
			x, given := vm[k]
			if vals, isList := av.([]any); isList {
				// Inside an object BFCL lists the acceptable values of each field.
				if !given {
					if !mayOmit(vals) {
						return false
					}
					continue
				}
				if !acceptsAny(x, vals) {
					return false
				}
				continue
			}
			if !given || !valueMatches(x, av) {
				return false
			}
		}
		return true
	case nil:
		return v == nil
	}
	return false
}

func number(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		return f, err == nil
	case float64:
		return t, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	}
	return 0, false
}

// bfclNorm is BFCL's string normalisation: lower case, without spaces and , . / - _ * ^,
// single quotes read as double quotes.
func bfclNorm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', ',', '.', '/', '-', '_', '*', '^':
			continue
		case '\'':
			r = '"'
		}
		b.WriteRune(r)
	}
	return b.String()
}
