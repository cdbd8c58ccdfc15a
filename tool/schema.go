package tool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Schema is a read-only view of the parts of a JSON Schema that planwise reasons about
// (types, properties in declaration order, items, enums). Validation itself is done by a
// full draft 2020-12 validator (see Registry.InputValidator); this view serves
// introspection: reference type checks, argument extraction, prompt rendering.
type Schema struct {
	Type        any                `json:"type,omitempty"` // string or []any of strings
	Format      string             `json:"format,omitempty"`
	Description string             `json:"description,omitempty"`
	Properties  map[string]*Schema `json:"-"`
	PropOrder   []string           `json:"-"`
	Required    []string           `json:"required,omitempty"`
	Items       *Schema            `json:"items,omitempty"`
	Enum        []any              `json:"enum,omitempty"`
	Default     any                `json:"default,omitempty"`
	// Pattern, Minimum and Maximum are read as written (a schema the registry accepted
	// has a string and numbers there); see PatternString and Bounds.
	Pattern any       `json:"pattern,omitempty"`
	Minimum any       `json:"minimum,omitempty"`
	Maximum any       `json:"maximum,omitempty"`
	AnyOf   []*Schema `json:"anyOf,omitempty"`
	OneOf   []*Schema `json:"oneOf,omitempty"`
}

// UnmarshalJSON keeps the declaration order of "properties".
func (s *Schema) UnmarshalJSON(b []byte) error {
	type plain Schema
	var aux struct {
		plain
		Properties json.RawMessage `json:"properties,omitempty"`
	}
	if bytes.Equal(bytes.TrimSpace(b), []byte("true")) || bytes.Equal(bytes.TrimSpace(b), []byte("false")) {
		*s = Schema{}
		return nil
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*s = Schema(aux.plain)
	if len(aux.Properties) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(aux.Properties))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("properties must be an object")
	}
	s.Properties = map[string]*Schema{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := kt.(string)
		var sub Schema
		if err := dec.Decode(&sub); err != nil {
			return fmt.Errorf("properties.%s: %w", key, err)
		}
		if _, dup := s.Properties[key]; !dup {
			s.PropOrder = append(s.PropOrder, key)
		}
		s.Properties[key] = &sub
	}
	return nil
}

// ParseSchema parses raw into a Schema view. Empty input yields an empty object schema.
func ParseSchema(raw json.RawMessage) (*Schema, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return &Schema{Type: "object"}, nil
	}
	var s Schema
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Types returns the schema's declared types; nil when unconstrained. A schema whose anyOf
// or oneOf branches all declare types yields their union.
func (s *Schema) Types() []string {
	if s == nil {
		return nil
	}
	switch t := s.Type.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, v := range t {
			if str, ok := v.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	branches := s.AnyOf
	if len(branches) == 0 {
		branches = s.OneOf
	}
	var out []string
	for _, b := range branches {
		bt := b.Types()
		if len(bt) == 0 {
			return nil
		}
		out = append(out, bt...)
	}
	return out
}

// PatternString is the schema's "pattern", or "" when it has none (or not a string).
func (s *Schema) PatternString() string {
	p, _ := s.Pattern.(string)
	return p
}

// Bounds returns the schema's "minimum" and "maximum" (inclusive), each with whether the
// schema gives it as a number.
func (s *Schema) Bounds() (lo float64, hasLo bool, hi float64, hasHi bool) {
	lo, hasLo = s.Minimum.(float64)
	hi, hasHi = s.Maximum.(float64)
	return lo, hasLo, hi, hasHi
}

// PrimaryType is the first non-null declared type, or "".
func (s *Schema) PrimaryType() string {
	for _, t := range s.Types() {
		if t != "null" {
			return t
		}
	}
	return ""
}

// At follows a path of property names and array indexes ("items", "0", "name") into the
// schema. It returns nil when the path leaves what the schema describes.
func (s *Schema) At(path []string) *Schema {
	cur := s
	for _, p := range path {
		if cur == nil {
			return nil
		}
		if cur.Properties != nil {
			if sub, ok := cur.Properties[p]; ok {
				cur = sub
				continue
			}
		}
		if cur.Items != nil {
			if _, err := strconv.Atoi(p); err == nil {
				cur = cur.Items
				continue
			}
		}
		return nil
	}
	return cur
}
