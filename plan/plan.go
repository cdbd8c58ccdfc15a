// Package plan defines a plan of tool calls and validates it against a tool registry.
//
// A Plan is an ordered list of Steps. A step calls one tool with arguments; an argument
// value may reference an earlier step's output as ${sN} or ${sN.path.to.field} (array
// elements as ${sN.items.0} or ${sN.items[0]}), which implies a dependency edge. After
// adds ordering-only edges, If is a CEL condition over earlier steps' outputs (the step is
// skipped when it is false), and ForEach runs the step once per element of an array
// reference, with ${item} bound to the element. Steps with no path between them may run
// in parallel.
//
// Validate is the authority on every plan, wherever it came from: an LLM, the cache, the
// history or the pattern planner. It reports every problem as an Issue with the step,
// the field, a stable code and a message that says what to fix, so that the errors can be
// sent back to a model for repair and shown to a person.
package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Plan is a validated or to-be-validated sequence of tool calls.
type Plan struct {
	// Goal restates the request.
	Goal string `json:"goal,omitempty"`
	// Reasoning is the model's short step-by-step thinking; informational only.
	Reasoning string `json:"reasoning,omitempty"`
	Steps     []Step `json:"steps"`
}

// Step is one tool call.
type Step struct {
	ID   string `json:"id"`
	Tool string `json:"tool"`
	// Args maps argument names to JSON values (string, json.Number, bool, nil, []any,
	// map[string]any). Strings may hold references.
	Args map[string]any `json:"args"`
	// After lists steps that must finish first, without using their output.
	After []string `json:"after,omitempty"`
	// If is a CEL expression over earlier steps (by id) that must be true for the step to run.
	If string `json:"if,omitempty"`
	// ForEach is a reference to an array; the step runs once per element as ${item}.
	ForEach string `json:"for_each,omitempty"`
}

// Decode reads one plan from JSON. Numbers are kept exact (json.Number). Unknown fields
// are rejected so that a misspelt "for_each" is not silently ignored.
func Decode(r io.Reader) (*Plan, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("decode plan: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("decode plan: trailing data after the plan object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("decode plan: trailing data after the plan object")
	}
	return &p, nil
}

// Parse decodes a plan from bytes; see Decode.
func Parse(b []byte) (*Plan, error) { return Decode(bytes.NewReader(b)) }

// JSON encodes the plan compactly.
func (p *Plan) JSON() []byte {
	b, _ := json.Marshal(p)
	return b
}

// Clone returns a deep copy of p.
func (p *Plan) Clone() *Plan {
	if p == nil {
		return nil
	}
	q := *p
	q.Steps = make([]Step, len(p.Steps))
	for i, s := range p.Steps {
		s.Args = cloneValue(s.Args).(map[string]any)
		if s.After != nil {
			s.After = append([]string(nil), s.After...)
		}
		q.Steps[i] = s
	}
	return &q
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if t == nil {
			return map[string]any(nil)
		}
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = cloneValue(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = cloneValue(x)
		}
		return a
	default:
		return v
	}
}

// Step returns the step with the given id.
func (p *Plan) Step(id string) (*Step, bool) {
	for i := range p.Steps {
		if p.Steps[i].ID == id {
			return &p.Steps[i], true
		}
	}
	return nil, false
}

// Deps returns the ids of the steps s depends on: references in its arguments and its
// for_each, identifiers of steps in its condition (as given by condRefs), and After. The
// result is deduplicated and in first-seen order. Identifiers in the condition are found
// syntactically; Validate checks them properly.
func (s *Step) Deps(known func(id string) bool) []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if id == "" || id == ItemVar || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, id)
	}
	WalkStrings(s.Args, func(str string) {
		for _, r := range FindRefs(str) {
			add(r.Step)
		}
	})
	for _, r := range FindRefs(s.ForEach) {
		add(r.Step)
	}
	for _, id := range identifiers(s.If) {
		if known == nil || known(id) {
			add(id)
		}
	}
	for _, id := range s.After {
		add(id)
	}
	return out
}

// Edges returns the plan's dependency edges as (from, to) pairs of step ids.
func (p *Plan) Edges() [][2]string {
	ids := map[string]bool{}
	for _, s := range p.Steps {
		ids[s.ID] = true
	}
	known := func(id string) bool { return ids[id] }
	var out [][2]string
	for i := range p.Steps {
		for _, d := range p.Steps[i].Deps(known) {
			out = append(out, [2]string{d, p.Steps[i].ID})
		}
	}
	return out
}

// WalkStrings calls f for every string inside v (recursively through maps and slices),
// in a deterministic order for maps: every string an argument value holds.
func WalkStrings(v any, f func(string)) {
	switch t := v.(type) {
	case string:
		f(t)
	case map[string]any:
		for _, k := range sortedKeys(t) {
			WalkStrings(t[k], f)
		}
	case []any:
		for _, x := range t {
			WalkStrings(x, f)
		}
	}
}

// jsonNumber matches JSON's number grammar; json.Number values outside it cannot be
// marshalled ("098", "+5", ".5", "Inf").
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// Number returns s as a json.Number that marshals: a numeric string already in JSON's
// grammar is kept as written (so long ids keep every digit), any other finite number
// that strconv.ParseFloat reads ("098", "+5", ".5", "5.") is rewritten in JSON form, and
// anything else (words, "Inf", "NaN", "0x1F") is refused.
func Number(s string) (json.Number, bool) {
	if jsonNumber.MatchString(s) {
		return json.Number(s), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || strings.ContainsAny(s, "xXpP_") || strings.EqualFold(strings.TrimLeft(s, "+-"), "inf") {
		return "", false
	}
	// Integers keep every digit: "098" -> "98".
	t := strings.TrimPrefix(s, "+")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	if t != "" && strings.Trim(t, "0123456789") == "" {
		t = strings.TrimLeft(t, "0")
		if t == "" {
			return "0", true
		}
		if neg {
			t = "-" + t
		}
		return json.Number(t), true
	}
	return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), true
}

// ValidNumber reports whether n is in JSON's number grammar.
func ValidNumber(n json.Number) bool { return jsonNumber.MatchString(string(n)) }
