package tool

import (
	"encoding/json"
	"fmt"
	"strings"
)

// openAITool converts an OpenAI function tool: the Chat Completions form {"type":
// "function", "function": {"name", "description", "parameters", "strict"}}, the Responses
// form {"type": "function", "name", "description", "parameters", "strict"}, or a bare
// function object. "strict" is a property of the request, not of the tool, and is
// dropped. A parameters schema without a "type" (OpenAI accepts {}) is an object.
func (p *parser) openAITool(members []rawMember, at string) *Tool {
	if ty, ok := lookup(members, "type"); ok {
		var s string
		if json.Unmarshal(ty, &s) != nil || s != "function" {
			p.fail("", join(at, "type"), fmt.Sprintf("only function tools can be imported, got type %s", strings.TrimSpace(string(ty))),
				`drop built-in OpenAI tools (web_search, file_search, ...) or give them a "function" definition`)
			return nil
		}
	}
	fnAt := at
	if fn, ok := lookup(members, "function"); ok {
		if jsonKind(fn) != "object" {
			p.fail("", join(at, "function"), "must be an object {name, description, parameters}", "fix the function definition")
			return nil
		}
		members, _ = rawMembers(fn)
		fnAt = join(at, "function")
	}
	name, ok := p.entryName(members, "name", fnAt)
	if !ok {
		return nil
	}
	desc, ok := p.stringField(members, "description", name, "")
	if !ok {
		return nil
	}
	t := &Tool{
		Name:        name,
		Description: strings.TrimSpace(desc),
		Run:         &RunSpec{Kind: RunSimulated},
		Source:      p.source(FormatOpenAI),
	}
	params, ok := lookup(members, "parameters")
	if !ok || isNull(params) {
		return t
	}
	if jsonKind(params) != "object" {
		p.fail(name, "parameters", fmt.Sprintf("must be a JSON Schema object, got a %s", jsonKind(params)),
			`write e.g. {"type": "object", "properties": {...}, "required": [...]}`)
		return nil
	}
	pm, _ := rawMembers(params)
	if _, typed := lookup(pm, "type"); !typed {
		obj := orderedObject{{"type", "object"}}
		for _, m := range pm {
			obj = append(obj, member{m.Key, m.Value})
		}
		b, err := json.Marshal(obj)
		if err != nil {
			p.fail(name, "parameters", err.Error(), "fix the schema")
			return nil
		}
		params = b
	}
	t.InputSchema = compactJSON(params)
	return t
}
