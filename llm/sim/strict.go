package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Strict mode's limits and rules, as OpenAI documents them for Structured Outputs and
// strict function calling; a schema that breaks one is refused with a 400 in OpenAI's
// words ("Invalid schema for response_format 'NAME': In context=('properties', 'x'),
// ...") before any answer is drawn, as OpenAI does.
const (
	strictMaxProperties = 5000
	strictMaxDepth      = 10
	strictMaxEnum       = 1000
	strictMaxChars      = 120_000
)

// notPermitted are JSON Schema keywords strict mode refuses.
var notPermitted = map[string]bool{
	"default": true, "allOf": true, "oneOf": true, "not": true, "if": true, "then": true, "else": true,
	"dependentRequired": true, "dependentSchemas": true, "patternProperties": true,
	"unevaluatedProperties": true, "unevaluatedItems": true, "propertyNames": true,
	"minProperties": true, "maxProperties": true, "contains": true, "prefixItems": true,
}

// strictError is why a schema is refused in strict mode.
type strictError struct{ msg string }

func (e *strictError) Error() string { return e.msg }

// checkStrict returns nil when raw is a schema OpenAI's strict mode accepts.
func checkStrict(raw json.RawMessage) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return &strictError{"the schema is not valid JSON: " + err.Error()}
	}
	m, ok := root.(map[string]any)
	if !ok {
		return &strictError{"schema must be a JSON Schema of 'type: \"object\"'"}
	}
	if t, _ := m["type"].(string); t != "object" || m["anyOf"] != nil {
		got := fmt.Sprint(m["type"])
		if m["anyOf"] != nil {
			got = "anyOf"
		}
		return &strictError{fmt.Sprintf("schema must be a JSON Schema of 'type: \"object\"', got 'type: \"%s\"'.", got)}
	}
	c := &strictChecker{}
	if err := c.walk(m, nil, 0); err != nil {
		return err
	}
	switch {
	case c.props > strictMaxProperties:
		return &strictError{fmt.Sprintf("The schema has %d object properties in total; at most %d are permitted.", c.props, strictMaxProperties)}
	case c.maxDepth > strictMaxDepth:
		return &strictError{fmt.Sprintf("The schema nests objects %d levels deep; at most %d are permitted.", c.maxDepth, strictMaxDepth)}
	case c.enums > strictMaxEnum:
		return &strictError{fmt.Sprintf("The schema has %d enum values in total; at most %d are permitted.", c.enums, strictMaxEnum)}
	case c.chars > strictMaxChars:
		return &strictError{fmt.Sprintf("The schema's property names and enum values have %d characters in total; at most %d are permitted.", c.chars, strictMaxChars)}
	}
	return nil
}

type strictChecker struct {
	props, enums, chars, maxDepth int
}

func errContext(path []string) string {
	if len(path) == 0 {
		return "In context=(), "
	}
	q := make([]string, len(path))
	for i, p := range path {
		q[i] = "'" + p + "'"
	}
	return "In context=(" + strings.Join(q, ", ") + "), "
}

func (c *strictChecker) walk(s map[string]any, path []string, depth int) error {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if notPermitted[k] {
			return &strictError{errContext(path) + "'" + k + "' is not permitted."}
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		c.enums += len(enum)
		for _, v := range enum {
			c.chars += len(fmt.Sprint(v))
		}
	}
	isObject := s["type"] == "object"
	if ts, ok := s["type"].([]any); ok {
		for _, t := range ts {
			isObject = isObject || t == "object"
		}
	}
	if props, ok := s["properties"].(map[string]any); ok || isObject {
		depth++
		c.maxDepth = max(c.maxDepth, depth)
		if ap, ok := s["additionalProperties"].(bool); !ok || ap {
			return &strictError{errContext(path) + "'additionalProperties' is required to be supplied and to be false."}
		}
		req := map[string]bool{}
		reqList, _ := s["required"].([]any)
		for _, r := range reqList {
			name, _ := r.(string)
			req[name] = true
		}
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if !req[n] {
				return &strictError{errContext(path) + "'required' is required to be supplied and to be an array including every key in properties. Missing '" + n + "'."}
			}
		}
		for _, r := range reqList {
			name, _ := r.(string)
			if _, ok := props[name]; !ok {
				return &strictError{errContext(path) + "'required' is required to be supplied and to be an array including every key in properties. Extra required key '" + name + "' supplied."}
			}
		}
		c.props += len(props)
		for _, n := range names {
			c.chars += len(n)
			sub, ok := props[n].(map[string]any)
			if !ok {
				return &strictError{errContext(append(path, "properties", n)) + "schema must be an object."}
			}
			if err := c.walk(sub, append(path, "properties", n), depth); err != nil {
				return err
			}
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		if err := c.walk(items, append(path, "items"), depth); err != nil {
			return err
		}
	}
	if alts, ok := s["anyOf"].([]any); ok {
		for i, a := range alts {
			sub, ok := a.(map[string]any)
			if !ok {
				continue
			}
			if err := c.walk(sub, append(path, "anyOf", fmt.Sprint(i)), depth); err != nil {
				return err
			}
		}
	}
	for _, key := range []string{"$defs", "definitions"} {
		defs, ok := s[key].(map[string]any)
		if !ok {
			continue
		}
		names := make([]string, 0, len(defs))
		for n := range defs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			c.chars += len(n)
			if sub, ok := defs[n].(map[string]any); ok {
				if err := c.walk(sub, append(path, key, n), depth); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
