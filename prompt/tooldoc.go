package prompt

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/planwise/planwise/tool"
)

// maxOutputDepth bounds how deep an output schema is rendered in the tool documentation.
const maxOutputDepth = 3

// renderTools renders the registry as compact documentation for the system prompt, one
// block per tool in registry order:
//
//	## get_weather
//	Get the weather for a city and a day.
//	args:
//	- location (string, required): the city
//	- unit (string, one of: c, f): temperature unit
//	returns: {summary: string, temperature_c: number}
//	e.g. "weather in Paris" -> {"location":"Paris"}
func renderTools(reg *tool.Registry) string {
	var b strings.Builder
	for i, t := range reg.Tools() {
		if i > 0 {
			b.WriteByte('\n')
		}
		renderTool(&b, t, reg.InputSchema(t.Name), reg.OutputSchema(t.Name))
	}
	return strings.TrimRight(b.String(), "\n")
}

func renderTool(b *strings.Builder, t *tool.Tool, in, out *tool.Schema) {
	b.WriteString("## ")
	b.WriteString(t.Name)
	b.WriteByte('\n')
	if d := oneLine(t.Description); d != "" {
		b.WriteString(d)
		b.WriteByte('\n')
	}
	params := t.Params()
	if len(params) == 0 {
		b.WriteString("args: none\n")
	} else {
		b.WriteString("args:\n")
		for _, p := range params {
			b.WriteString("- ")
			b.WriteString(p.Name)
			b.WriteString(" (")
			var ps *tool.Schema
			if in != nil {
				ps = in.Properties[p.Name]
			}
			b.WriteString(paramType(p, ps))
			if p.Required {
				b.WriteString(", required")
			}
			if len(p.Enum) > 0 {
				b.WriteString(", one of: ")
				b.WriteString(strings.Join(p.Enum, ", "))
			}
			if p.Default != nil {
				fmt.Fprintf(b, ", default %v", p.Default)
			}
			b.WriteByte(')')
			if d := oneLine(p.Description); d != "" {
				b.WriteString(": ")
				b.WriteString(d)
			}
			b.WriteByte('\n')
		}
	}
	if out != nil {
		if s := renderShape(out, 0); s != "" && s != "any" {
			b.WriteString("returns: ")
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	if len(t.Examples) > 0 {
		ex := t.Examples[0]
		args, err := marshalNoEscape(ex.Args)
		if err == nil && len(ex.Args) > 0 {
			fmt.Fprintf(b, "e.g. %q -> %s\n", ex.Request, args)
		}
	}
}

// paramType renders an argument's type: "string email", "array of integer",
// "object {date*: string date, time: string}" (* marks required fields).
func paramType(p tool.Param, s *tool.Schema) string {
	if s != nil && (p.Type == "array" || p.Type == "object") {
		return argShape(s, 0)
	}
	t := p.Type
	if t == "" {
		t = "any"
	}
	if p.Format != "" {
		t += " " + p.Format
	}
	return t
}

func argShape(s *tool.Schema, depth int) string {
	if s == nil {
		return "any"
	}
	t := s.PrimaryType()
	switch {
	case t == "array" || (t == "" && s.Items != nil):
		if s.Items == nil || depth >= maxOutputDepth {
			return "array"
		}
		return "array of " + argShape(s.Items, depth+1)
	case t == "object" || (t == "" && len(s.PropOrder) > 0):
		if len(s.PropOrder) == 0 || depth >= maxOutputDepth {
			return "object"
		}
		req := map[string]bool{}
		for _, r := range s.Required {
			req[r] = true
		}
		parts := make([]string, 0, len(s.PropOrder))
		for _, n := range s.PropOrder {
			mark := ""
			if req[n] {
				mark = "*"
			}
			parts = append(parts, n+mark+": "+argShape(s.Properties[n], depth+1))
		}
		return "object {" + strings.Join(parts, ", ") + "}"
	case len(s.Enum) > 0:
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			vals[i] = fmt.Sprint(v)
		}
		return strings.Join(vals, "|")
	case t == "":
		return "any"
	}
	if s.Format != "" {
		return t + " " + s.Format
	}
	return t
}

// renderShape renders a schema as a compact type: {a: string, b: [{c: number}]}.
func renderShape(s *tool.Schema, depth int) string {
	if s == nil {
		return "any"
	}
	if len(s.PropOrder) > 0 {
		if depth >= maxOutputDepth {
			return "object"
		}
		parts := make([]string, 0, len(s.PropOrder))
		for _, name := range s.PropOrder {
			parts = append(parts, name+": "+renderShape(s.Properties[name], depth+1))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	if s.Items != nil {
		if depth >= maxOutputDepth {
			return "array"
		}
		return "[" + renderShape(s.Items, depth+1) + "]"
	}
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			b, _ := json.Marshal(v)
			vals[i] = string(b)
		}
		return strings.Join(vals, "|")
	}
	if ts := s.Types(); len(ts) > 0 {
		return strings.Join(ts, "|")
	}
	return "any"
}

// oneLine collapses whitespace so that a description stays on its line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
