package execute

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/planwise/planwise/tool"
)

// checkTypes checks the JSON types of resolved arguments against the tool's input schema,
// for every call, simulated ones too: a value of the wrong type (the whole object output
// of a step in a string parameter) fails the step with a message naming the argument,
// instead of being called with it or reported as a success. Constraints a type check
// cannot see (formats, patterns, required fields) are left to checkArgs, which real
// calls also pass.
func checkTypes(s *tool.Schema, name string, args map[string]any) error {
	if s == nil {
		return nil
	}
	for k, v := range args {
		if msg := typeMismatch(s.Properties[k], v); msg != "" {
			return &ArgError{Arg: k, Msg: msg + " (input schema of " + name + ")"}
		}
	}
	return nil
}

// typeMismatch says how v does not fit s's types ("" when it does), looking into objects
// and arrays.
func typeMismatch(s *tool.Schema, v any) string {
	if s == nil {
		return ""
	}
	if branches := append(slices.Clone(s.AnyOf), s.OneOf...); len(branches) > 0 && s.Type == nil {
		first := ""
		for _, b := range branches {
			msg := typeMismatch(b, v)
			if msg == "" {
				return ""
			}
			if first == "" {
				first = msg
			}
		}
		return first
	}
	types := s.Types()
	got := jsonType(v)
	if len(types) > 0 && !slices.ContainsFunc(types, func(t string) bool { return typeAccepts(t, v) }) {
		return fmt.Sprintf("is %s %s; it must be %s", article(got), got, strings.Join(types, " or "))
	}
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if msg := typeMismatch(s.Properties[k], x); msg != "" {
				return "field " + k + " " + msg
			}
		}
	case []any:
		for i, x := range t {
			if msg := typeMismatch(s.Items, x); msg != "" {
				return "element " + strconv.Itoa(i) + " " + msg
			}
		}
	}
	return ""
}

func typeAccepts(t string, v any) bool {
	switch t {
	case "integer":
		_, ok := toInt(v)
		return ok
	case "number":
		_, ok := toFloat(v)
		return ok
	default:
		return jsonType(v) == t
	}
}

func article(t string) string {
	if strings.IndexByte("aeiou", t[0]) >= 0 {
		return "an"
	}
	return "a"
}

// ToolReportedError is a call that returned normally but whose result reports a failure
// in band: {"error": ...}, {"ok": false}, {"success": false}, {"isError": true},
// {"status": "error"}, or a text such as "Error: ..." or "ENOENT: no such file or
// directory". It is permanent.
type ToolReportedError struct {
	Tool    string
	Message string
}

func (e *ToolReportedError) Error() string {
	return fmt.Sprintf("%s reported an error in its result: %s", e.Tool, e.Message)
}

// errorText matches texts that are error reports: a leading "Error:"/"Exception:"/
// "Traceback", or an errno name such as ENOENT at the start of a line or after
// "Error - " (MCP servers report failures in text content without isError).
var errorText = regexp.MustCompile(`(?i)^\s*(?:error|exception)\s*[:-]\s|^\s*traceback \(most recent call last\)|(?m)(?:^|error - |: )E(?:NOENT|ACCES|PERM|ISDIR|NOTDIR|EXIST|CONNREFUSED|TIMEDOUT|NOTFOUND)\b`)

// reportedError returns what a tool's output reports as a failure ("" when nothing).
// Keys the tool's output schema declares are its contract, not an error report.
func reportedError(out any, outSchema *tool.Schema) string {
	declared := func(k string) bool {
		if outSchema == nil {
			return false
		}
		_, ok := outSchema.Properties[k]
		return ok
	}
	switch t := out.(type) {
	case string:
		if errorText.MatchString(t) {
			return snippet([]byte(t), 512)
		}
	case map[string]any:
		if e, ok := t["error"]; ok && !declared("error") {
			switch ev := e.(type) {
			case nil:
			case bool:
				if ev {
					return "error: true"
				}
			case string:
				if strings.TrimSpace(ev) != "" {
					return snippet([]byte(ev), 512)
				}
			default:
				return snippet([]byte(render(ev)), 512)
			}
		}
		for _, k := range []string{"ok", "success"} {
			if b, ok := t[k].(bool); ok && !b && !declared(k) {
				msg := k + ": false"
				if m, ok := t["message"].(string); ok && m != "" {
					msg += ": " + m
				}
				return snippet([]byte(msg), 512)
			}
		}
		if b, ok := t["isError"].(bool); ok && b && !declared("isError") {
			return "isError: true"
		}
		if s, ok := t["status"].(string); ok && !declared("status") {
			switch strings.ToLower(s) {
			case "error", "failed", "failure":
				msg := "status: " + s
				if m, ok := t["message"].(string); ok && m != "" {
					msg += ": " + m
				}
				return snippet([]byte(msg), 512)
			}
		}
	}
	return ""
}
