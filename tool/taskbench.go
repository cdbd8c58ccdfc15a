package tool

import (
	"encoding/json"
	"fmt"
	"strings"
)

// TaskBenchName maps a TaskBench tool id to a valid tool name: characters a tool name may
// not hold (TaskBench's multimedia and huggingface ids contain spaces, e.g. "Token
// Classification") become '_'. Evaluations map gold task names through it.
func TaskBenchName(id string) string {
	id = strings.TrimSpace(id)
	var b strings.Builder
	for i, r := range id {
		ok := r == '_' || r == '.' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if i == 0 && (r == '.' || r == '-' || (r >= '0' && r <= '9')) {
			b.WriteByte('_')
		}
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// TaskBenchArgName is the argument name given to the i-th (0-based) entry of a TaskBench
// node's "input-type" list: the type itself ("image"), with "_2", "_3", ... for a type
// that repeats ("image", "image_2"). TaskBench's gold arguments are positional in the
// same order.
func TaskBenchArgName(types []string, i int) string {
	t := normType(types[i])
	n := 0
	for _, u := range types[:i+1] {
		if normType(u) == t {
			n++
		}
	}
	if n == 1 {
		return t
	}
	return fmt.Sprintf("%s_%d", t, n)
}

func normType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "" {
		return "input"
	}
	return TaskBenchName(t)
}

// mediaDescription describes a TaskBench data type as a value a step passes along.
func mediaDescription(t string) string {
	switch t {
	case "text":
		return "text"
	case "image":
		return "an image, as a file name, path or URL (e.g. example.jpg)"
	case "audio":
		return "an audio file, as a file name, path or URL (e.g. example.wav)"
	case "video":
		return "a video file, as a file name, path or URL (e.g. example.mp4)"
	case "url":
		return "a URL"
	}
	return "a " + t + " value"
}

type taskBenchParam struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Desc string `json:"desc"`
}

// taskBenchNode converts one TaskBench node. Every parameter is required, as TaskBench
// treats them; the tool runs simulated.
func (p *parser) taskBenchNode(members []rawMember, at string) *Tool {
	id, ok := p.entryName(members, "id", at)
	if !ok {
		return nil
	}
	name := TaskBenchName(id)
	desc, ok := p.stringField(members, "desc", name, "")
	if !ok {
		return nil
	}
	t := &Tool{
		Name:        name,
		Description: strings.TrimSpace(desc),
		Run:         &RunSpec{Kind: RunSimulated},
		Source:      p.source(FormatTaskBench),
	}
	if name != id {
		t.Description = strings.TrimSpace(fmt.Sprintf("%s (TaskBench tool %q.)", t.Description, id))
	}
	props := orderedObject{}
	var required []string
	if raw, ok := lookup(members, "parameters"); ok && !isNull(raw) {
		var params []json.RawMessage
		if err := json.Unmarshal(raw, &params); err != nil {
			p.fail(name, "parameters", "must be a list of {name, type, desc}", `write "parameters": [{"name": "location", "type": "string", "desc": "..."}]`)
			return nil
		}
		seen := map[string]bool{}
		for i, pr := range params {
			field := fmt.Sprintf("parameters[%d]", i)
			var tp taskBenchParam
			if err := json.Unmarshal(pr, &tp); err != nil {
				p.fail(name, field, "must be an object {name, type, desc}: "+err.Error(), "fix the parameter entry")
				return nil
			}
			if strings.TrimSpace(tp.Name) == "" {
				p.fail(name, field+".name", "parameter without a name", `give every parameter a "name"`)
				return nil
			}
			if seen[tp.Name] {
				p.fail(name, field+".name", fmt.Sprintf("duplicate parameter %q", tp.Name), "rename or remove one of them")
				return nil
			}
			seen[tp.Name] = true
			props = append(props, member{Key: tp.Name, Value: taskBenchParamSchema(tp)})
			required = append(required, tp.Name)
		}
	} else {
		inTypes, okIn := p.typeList(members, "input-type", name)
		outTypes, okOut := p.typeList(members, "output-type", name)
		if !okIn || !okOut {
			return nil
		}
		for i, ty := range inTypes {
			arg := TaskBenchArgName(inTypes, i)
			props = append(props, member{Key: arg, Value: orderedObject{
				{"type", "string"},
				{"description", fmt.Sprintf("Input %d: %s.", i+1, mediaDescription(normType(ty)))},
			}})
			required = append(required, arg)
		}
		if len(outTypes) > 0 {
			outProps := orderedObject{}
			var outReq []string
			for i, ty := range outTypes {
				arg := TaskBenchArgName(outTypes, i)
				outProps = append(outProps, member{Key: arg, Value: orderedObject{
					{"type", "string"},
					{"description", "Output: " + mediaDescription(normType(ty)) + "."},
				}})
				outReq = append(outReq, arg)
			}
			out, err := json.Marshal(orderedObject{{"type", "object"}, {"properties", outProps}, {"required", outReq}})
			if err != nil {
				p.fail(name, "output-type", err.Error(), "")
				return nil
			}
			t.OutputSchema = out
		}
	}
	if required == nil {
		required = []string{}
	}
	in, err := json.Marshal(orderedObject{
		{"type", "object"},
		{"properties", props},
		{"required", required},
		{"additionalProperties", false},
	})
	if err != nil {
		p.fail(name, "parameters", err.Error(), "")
		return nil
	}
	t.InputSchema = in
	return t
}

// typeList reads a TaskBench "input-type"/"output-type" list; absent means none.
func (p *parser) typeList(members []rawMember, key, tool string) ([]string, bool) {
	raw, ok := lookup(members, key)
	if !ok || isNull(raw) {
		return nil, true
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		p.fail(tool, key, "must be a list of type names", `write e.g. "`+key+`": ["image", "text"]`)
		return nil, false
	}
	return list, true
}

// taskBenchParamSchema maps a TaskBench parameter type. TaskBench's dates are free text:
// of the 4,320 daily-life requests, 977 write month-name dates ("December 1st") and 302
// ISO dates, and its labelled sample holds no date value. So a date is a string whose
// description says so, without a "format" the validator would enforce.
func taskBenchParamSchema(tp taskBenchParam) orderedObject {
	desc := strings.TrimSpace(tp.Desc)
	typ := strings.ToLower(strings.TrimSpace(tp.Type))
	switch typ {
	case "integer", "number", "boolean", "array", "object":
		return orderedObject{{"type", typ}, {"description", desc}}
	case "int":
		return orderedObject{{"type", "integer"}, {"description", desc}}
	case "float":
		return orderedObject{{"type", "number"}, {"description", desc}}
	case "bool":
		return orderedObject{{"type", "boolean"}, {"description", desc}}
	case "date":
		return orderedObject{{"type", "string"}, {"description", strings.TrimSpace(desc + " (a date, preferably YYYY-MM-DD)")}}
	case "time":
		return orderedObject{{"type", "string"}, {"description", strings.TrimSpace(desc + " (a time of day, e.g. 08:00)")}}
	default:
		// "string" and anything TaskBench adds later: a string is what its gold values are.
		return orderedObject{{"type", "string"}, {"description", desc}}
	}
}
