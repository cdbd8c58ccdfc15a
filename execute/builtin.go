package execute

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
	_ "time/tzdata" // IANA zones even where the system has none (containers)

	"github.com/planwise/planwise/tool"
)

// DefaultMaxResponseBytes bounds the response body read by http_request and webhooks.
const DefaultMaxResponseBytes = 1 << 20

// BuiltinRunner runs the built-in tools of tool.Builtins, chosen by RunSpec.Builtin
// (the tool's name when unset). It is safe for concurrent use.
type BuiltinRunner struct {
	// HTTP is the client http_request uses; it must enforce the network policy (New
	// gives it one that does). Nil refuses http_request.
	HTTP *http.Client
	// MaxResponseBytes bounds the body http_request reads (default 1 MiB).
	MaxResponseBytes int64
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// NewBuiltinRunner returns the built-in tools with http_request enforcing p and
// reading at most maxResponseBytes of a body (0: DefaultMaxResponseBytes).
func NewBuiltinRunner(p NetPolicy, maxResponseBytes int64) *BuiltinRunner {
	return &BuiltinRunner{HTTP: newGuardedClient(newNetGuard(p)), MaxResponseBytes: maxResponseBytes}
}

// Run dispatches to the named built-in.
func (b *BuiltinRunner) Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error) {
	name := t.Name
	if t.Run != nil && t.Run.Builtin != "" {
		name = t.Run.Builtin
	}
	switch name {
	case tool.BuiltinHTTPRequest:
		return b.httpRequest(ctx, args)
	case tool.BuiltinJSONExtract:
		return jsonExtract(args)
	case tool.BuiltinCalculate:
		expr, err := stringArg(args, "expression", true)
		if err != nil {
			return nil, err
		}
		v, err := Calculate(expr)
		if err != nil {
			return nil, &ArgError{Arg: "expression", Msg: err.Error()}
		}
		return map[string]any{"result": v}, nil
	case tool.BuiltinRenderTemplate:
		return renderTemplate(args)
	case tool.BuiltinCurrentTime:
		return b.currentTime(args)
	case tool.BuiltinConvertTime:
		return convertTime(args)
	case tool.BuiltinAddDuration:
		return addDuration(args)
	}
	return nil, Permanent(fmt.Errorf("%w: no built-in named %q", ErrNoRunner, name))
}

func stringArg(args map[string]any, name string, required bool) (string, error) {
	v, ok := args[name]
	if !ok || v == nil {
		if required {
			return "", &ArgError{Arg: name, Msg: "is required"}
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", &ArgError{Arg: name, Msg: fmt.Sprintf("must be a string, got %s", jsonType(v))}
	}
	return s, nil
}

// jsonExtract implements json_extract: {json, path} -> {value, found}.
func jsonExtract(args map[string]any) (any, error) {
	doc, ok := args["json"]
	if !ok {
		return nil, &ArgError{Arg: "json", Msg: "is required"}
	}
	if s, isStr := doc.(string); isStr {
		v, err := decodeJSON([]byte(s))
		if err != nil {
			return nil, &ArgError{Arg: "json", Msg: "is a string but not a JSON document: " + err.Error()}
		}
		doc = v
	}
	path, err := stringArg(args, "path", true)
	if err != nil {
		return nil, err
	}
	segs, err := parseJSONPath(path)
	if err != nil {
		return nil, &ArgError{Arg: "path", Msg: err.Error()}
	}
	cur := doc
	for _, seg := range segs {
		next, msg := child(cur, seg)
		if msg != "" {
			return map[string]any{"value": nil, "found": false}, nil
		}
		cur = next
	}
	return map[string]any{"value": cur, "found": true}, nil
}

// parseJSONPath splits a json_extract path into keys and indexes: dot-separated, with
// an optional leading "$" or "$.", and brackets for indexes or quoted keys
// ("items[0]", `a["b.c"]`). "" and "$" are the whole document.
func parseJSONPath(path string) ([]string, error) {
	p := strings.TrimSpace(path)
	p = strings.TrimPrefix(p, "$")
	var segs []string
	i := 0
	for i < len(p) {
		switch p[i] {
		case '.':
			i++
			if i == len(p) || p[i] == '.' {
				return nil, fmt.Errorf("empty key in path %q", path)
			}
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed '[' in path %q", path)
			}
			inner := strings.TrimSpace(p[i+1 : i+end])
			if len(inner) >= 2 && (inner[0] == '"' || inner[0] == '\'') && inner[len(inner)-1] == inner[0] {
				inner = inner[1 : len(inner)-1]
			} else if _, err := strconv.Atoi(inner); err != nil {
				return nil, fmt.Errorf("%q in path %q is neither an index nor a quoted key", inner, path)
			}
			segs = append(segs, inner)
			i += end + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			segs = append(segs, p[i:j])
			i = j
		}
	}
	return segs, nil
}

// Template limits.
const (
	maxTemplateBytes = 64 << 10
	maxTemplateOut   = 1 << 20
	maxTemplateRange = 10_000
)

// renderTemplate implements render_template with text/template: the template sees only
// its values (no functions beyond text/template's own, none of which touch files,
// processes or the network), missing keys are errors, and the output is bounded.
func renderTemplate(args map[string]any) (any, error) {
	src, err := stringArg(args, "template", true)
	if err != nil {
		return nil, err
	}
	if len(src) > maxTemplateBytes {
		return nil, &ArgError{Arg: "template", Msg: fmt.Sprintf("is %d bytes; at most %d", len(src), maxTemplateBytes)}
	}
	values := args["values"]
	if values == nil {
		values = map[string]any{}
	}
	tmpl, err := template.New("t").Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, &ArgError{Arg: "template", Msg: strings.TrimPrefix(err.Error(), "template: ")}
	}
	for _, t := range tmpl.Templates() {
		if t.Tree == nil {
			continue
		}
		if err := checkRanges(t.Tree.Root); err != nil {
			return nil, &ArgError{Arg: "template", Msg: err.Error()}
		}
	}
	w := &limitedBuilder{max: maxTemplateOut}
	if err := tmpl.Execute(w, values); err != nil {
		if w.over {
			return nil, Permanent(fmt.Errorf("render_template: output exceeds %d bytes", maxTemplateOut))
		}
		return nil, &ArgError{Msg: "render_template: " + strings.TrimPrefix(err.Error(), "template: ")}
	}
	return map[string]any{"text": w.b.String()}, nil
}

// checkRanges refuses "range N" over a large integer literal, which would spin without
// producing output (and so without tripping the output bound).
func checkRanges(n parse.Node) error {
	switch t := n.(type) {
	case *parse.ListNode:
		if t == nil {
			return nil
		}
		for _, c := range t.Nodes {
			if err := checkRanges(c); err != nil {
				return err
			}
		}
	case *parse.RangeNode:
		if t.Pipe != nil {
			for _, cmd := range t.Pipe.Cmds {
				for _, a := range cmd.Args {
					if num, ok := a.(*parse.NumberNode); ok && (!num.IsInt || num.Int64 > maxTemplateRange) {
						return fmt.Errorf("range over %s: at most %d iterations", num.Text, maxTemplateRange)
					}
				}
			}
		}
		if err := checkRanges(t.List); err != nil {
			return err
		}
		return checkRanges(t.ElseList)
	case *parse.IfNode:
		if err := checkRanges(t.List); err != nil {
			return err
		}
		return checkRanges(t.ElseList)
	case *parse.WithNode:
		if err := checkRanges(t.List); err != nil {
			return err
		}
		return checkRanges(t.ElseList)
	}
	return nil
}

// limitedBuilder collects output up to max bytes, then fails the execution.
type limitedBuilder struct {
	b    strings.Builder
	max  int
	over bool
}

func (w *limitedBuilder) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.max {
		w.over = true
		return 0, fmt.Errorf("output exceeds %d bytes", w.max)
	}
	return w.b.Write(p)
}

func loadZone(args map[string]any, required bool) (*time.Location, error) {
	tz, err := stringArg(args, "timezone", required)
	if err != nil {
		return nil, err
	}
	if tz == "" {
		tz = "UTC"
	}
	if strings.EqualFold(tz, "local") {
		return nil, &ArgError{Arg: "timezone", Msg: `"Local" is the server's zone, not a time zone; use an IANA name such as "Europe/Paris"`}
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, &ArgError{Arg: "timezone", Msg: fmt.Sprintf("unknown time zone %q; use an IANA name such as \"Europe/Paris\"", tz)}
	}
	return loc, nil
}

func (b *BuiltinRunner) currentTime(args map[string]any) (any, error) {
	loc, err := loadZone(args, false)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	t := now().In(loc)
	return map[string]any{
		"iso":      t.Format(time.RFC3339),
		"unix":     t.Unix(),
		"timezone": loc.String(),
		"date":     t.Format(time.DateOnly),
		"weekday":  t.Weekday().String(),
	}, nil
}

// parseTimeArg reads RFC 3339 or a date (midnight UTC).
func parseTimeArg(args map[string]any) (time.Time, error) {
	s, err := stringArg(args, "time", true)
	if err != nil {
		return time.Time{}, err
	}
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, &ArgError{Arg: "time", Msg: fmt.Sprintf("%q is neither RFC 3339 (2026-03-01T15:00:00Z) nor a date (2026-03-01)", s)}
}

func convertTime(args map[string]any) (any, error) {
	t, err := parseTimeArg(args)
	if err != nil {
		return nil, err
	}
	loc, err := loadZone(args, true)
	if err != nil {
		return nil, err
	}
	t = t.In(loc)
	return map[string]any{"iso": t.Format(time.RFC3339), "unix": t.Unix(), "timezone": loc.String()}, nil
}

func addDuration(args map[string]any) (any, error) {
	t, err := parseTimeArg(args)
	if err != nil {
		return nil, err
	}
	d, err := stringArg(args, "duration", true)
	if err != nil {
		return nil, err
	}
	d = strings.TrimSpace(d)
	if days, ok := strings.CutSuffix(d, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > 1_000_000 || n < -1_000_000 {
			return nil, &ArgError{Arg: "duration", Msg: fmt.Sprintf("%q is not a whole number of days such as \"3d\"", d)}
		}
		t = t.AddDate(0, 0, n)
	} else {
		dur, err := time.ParseDuration(d)
		if err != nil {
			return nil, &ArgError{Arg: "duration", Msg: fmt.Sprintf("%q is not a duration such as \"90m\", \"1h30m\" or \"3d\"", d)}
		}
		t = t.Add(dur)
	}
	return map[string]any{"iso": t.Format(time.RFC3339), "unix": t.Unix()}, nil
}

// bodyJSON parses a response body when it is JSON.
func bodyJSON(contentType string, body []byte) (any, bool) {
	trimmed := strings.TrimSpace(string(body))
	if trimmed == "" {
		return nil, false
	}
	if !strings.Contains(strings.ToLower(contentType), "json") && trimmed[0] != '{' && trimmed[0] != '[' {
		return nil, false
	}
	if !json.Valid([]byte(trimmed)) {
		return nil, false
	}
	v, err := decodeJSON([]byte(trimmed))
	return v, err == nil
}
