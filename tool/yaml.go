package tool

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	yamlparser "github.com/goccy/go-yaml/parser"
)

// MaxYAMLSize bounds a YAML tool file. YAML parsing is far slower than JSON parsing, and
// tool files written by hand are small; large catalogs belong in JSON.
const MaxYAMLSize = 8 << 20

// Limits that keep hostile YAML from exhausting the process: nesting of flow collections
// ([[[[...) makes the parser super-linear, and aliases can expand exponentially ("billion
// laughs").
const (
	maxFlowDepth = maxDepth
	// An alias may repeat what its anchor holds, but the document may not grow past
	// aliasGrowth times its literal size plus aliasSlack nodes.
	aliasGrowth = 4
	aliasSlack  = 10000
)

// limitError is a YAML document refused for its size or shape rather than its syntax.
type limitError struct{ msg, fix string }

func (e *limitError) Error() string { return e.msg }

// maxCount saturates node counts so that nested aliases cannot overflow them.
const maxCount = int64(1) << 50

func satAdd(a, b int64) int64 {
	if a > maxCount-b {
		return maxCount
	}
	return a + b
}

func countText(n int64) string {
	if n >= maxCount {
		return "more than 10^15"
	}
	return fmt.Sprint(n)
}

var yamlPosRE = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*`)

// yamlToJSON decodes one YAML document into JSON whose objects keep their key order.
func yamlToJSON(data []byte) (out json.RawMessage, err error) {
	// The YAML library is robust, but this parses untrusted input: never let a bug there
	// take the process down.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("cannot parse: %v", r)
		}
	}()
	if len(data) > MaxYAMLSize {
		return nil, &limitError{msg: fmt.Sprintf("YAML file larger than %d MiB", MaxYAMLSize>>20),
			fix: "write large catalogs as JSON, or split the file"}
	}
	if line, ok := flowDepthOK(data); !ok {
		return nil, &limitError{msg: fmt.Sprintf("YAML: line %d: [ ] or { } nested deeper than %d levels", line, maxFlowDepth),
			fix: "flatten the document"}
	}
	file, err := yamlparser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(err)
	}
	var body ast.Node
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			return nil, errors.New("more than one YAML document (---): put all tools in one list")
		}
		body = doc.Body
	}
	if body == nil {
		return nil, errors.New("no content")
	}
	literal, expanded := yamlSize(body)
	if limit := aliasGrowth*literal + aliasSlack; expanded > limit {
		return nil, &limitError{
			msg: fmt.Sprintf("YAML aliases expand the document from %d to %s nodes (at most %d allowed)", literal, countText(expanded), limit),
			fix: "write repeated values out, or use fewer nested aliases"}
	}
	var v any
	if err := yaml.NodeToValue(body, &v, yaml.UseOrderedMap()); err != nil {
		return nil, yamlError(err)
	}
	jv, err := jsonCompatible(v, 0)
	if err != nil {
		return nil, err
	}
	return json.Marshal(jv)
}

// yamlError rewrites the YAML library's "[line:col] message" as "line L, column C: message"
// on one line.
func yamlError(err error) error {
	msg := oneLine(yaml.FormatError(err, false, false))
	if m := yamlPosRE.FindStringSubmatch(msg); m != nil {
		msg = "line " + m[1] + ", column " + m[2] + ": " + msg[len(m[0]):]
	}
	return errors.New(msg)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flowDepthOK scans for '[' and '{' nesting outside quoted scalars and comments, and
// reports the line where it first exceeds maxFlowDepth. It is deliberately simple: brackets
// inside plain scalars count too, which only matters for absurd documents.
func flowDepthOK(data []byte) (int, bool) {
	depth, line := 0, 1
	var quote byte
	comment := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line++
			comment = false
			continue
		}
		switch {
		case comment:
		case quote == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = 0
			}
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t'):
			comment = true
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
			if depth > maxFlowDepth {
				return line, false
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return line, true
}

// yamlSize counts the nodes of a YAML tree as written (literal) and with every alias
// replaced by what its anchor holds (expanded), without expanding anything.
func yamlSize(root ast.Node) (literal, expanded int64) {
	anchors := map[string]int64{}
	var walk func(n ast.Node) int64
	walk = func(n ast.Node) int64 {
		if n == nil {
			return 0
		}
		literal++
		switch t := n.(type) {
		case *ast.DocumentNode:
			return satAdd(1, walk(t.Body))
		case *ast.MappingNode:
			var s int64 = 1
			for _, mv := range t.Values {
				s = satAdd(s, walk(mv))
			}
			return s
		case *ast.MappingValueNode:
			return satAdd(satAdd(1, walk(t.Key)), walk(t.Value))
		case *ast.MappingKeyNode:
			return satAdd(1, walk(t.Value))
		case *ast.SequenceNode:
			var s int64 = 1
			for _, v := range t.Values {
				s = satAdd(s, walk(v))
			}
			return s
		case *ast.SequenceEntryNode:
			return satAdd(1, walk(t.Value))
		case *ast.TagNode:
			return satAdd(1, walk(t.Value))
		case *ast.AnchorNode:
			s := satAdd(1, walk(t.Value))
			if t.Name != nil {
				anchors[t.Name.String()] = s
			}
			return s
		case *ast.AliasNode:
			if t.Value != nil {
				if s, ok := anchors[t.Value.String()]; ok {
					return s
				}
			}
			return 1
		default:
			return 1
		}
	}
	expanded = walk(root)
	return literal, expanded
}
