package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// toolChoice is the request's tool_choice: mode "auto" (the default), "none",
// "required", or "function" with the name of the one function to call.
type toolChoice struct {
	mode, name string
}

func parseToolChoice(raw json.RawMessage, tools []toolDef) (toolChoice, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return toolChoice{mode: "auto"}, nil
	}
	var mode string
	if json.Unmarshal(raw, &mode) == nil {
		switch mode {
		case "auto", "none", "required":
			if mode == "required" && len(tools) == 0 {
				return toolChoice{}, errors.New(`tool_choice "required" needs tools`)
			}
			return toolChoice{mode: mode}, nil
		}
		return toolChoice{}, fmt.Errorf("tool_choice %q: use none, auto, required or {\"type\": \"function\", \"function\": {\"name\": ...}}", mode)
	}
	var named struct {
		Type     string `json:"type"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if err := json.Unmarshal(raw, &named); err != nil || named.Type != "function" {
		return toolChoice{}, errors.New(`tool_choice must be a string or {"type": "function", "function": {"name": ...}}`)
	}
	for _, t := range tools {
		if t.Function.Name == named.Function.Name {
			return toolChoice{mode: "function", name: named.Function.Name}, nil
		}
	}
	return toolChoice{}, fmt.Errorf("tool_choice names function %q, which is not in tools", named.Function.Name)
}

// requestTools is the planner over the tools one request declares, and their registry.
type requestTools struct {
	reg     *tool.Registry
	planner query.Planner
}

// Plan implements query.Planner.
func (rt *requestTools) Plan(ctx context.Context, q query.Query) (*plan.Plan, error) {
	return rt.planner.Plan(ctx, q)
}

// requestPlanner returns the planner over the tools the request declares, as a model
// reads them: the function tools when it calls tools, else the response schema and the
// system prompt's tool documentation (prompt.ReadTools). Nil when Config.PlannerFor is
// unset or the request declares no tools the sim can read; the sim's own Answerer then
// answers. Planners are built once per distinct tool set.
func (s *Server) requestPlanner(req chatRequest, choice toolChoice, system string, schema json.RawMessage, calling bool) *requestTools {
	if s.cfg.PlannerFor == nil {
		return nil
	}
	var key uint64
	var build func() (*tool.Registry, error)
	if calling {
		b, _ := json.Marshal(req.Tools)
		key = fnv1a("tools\x00" + choice.name + "\x00" + string(b))
		build = func() (*tool.Registry, error) {
			var tools []*tool.Tool
			for _, t := range req.Tools {
				if choice.mode == "function" && t.Function.Name != choice.name {
					continue
				}
				tools = append(tools, &tool.Tool{Name: t.Function.Name, Description: t.Function.Description,
					InputSchema: unstrictParams(t.Function.Parameters)})
			}
			return tool.NewRegistry(tools...)
		}
	} else {
		if len(schema) == 0 && !strings.Contains(system, "\n## ") {
			return nil
		}
		key = fnv1a("schema\x00" + string(schema) + "\x00" + system)
		build = func() (*tool.Registry, error) { return prompt.ReadTools(schema, system) }
	}
	s.shapeMu.Lock()
	rt, ok := s.planners[key]
	s.shapeMu.Unlock()
	if ok {
		return rt
	}
	reg, err := build()
	if err != nil {
		return nil
	}
	rt = &requestTools{reg: reg, planner: s.cfg.PlannerFor(reg)}
	s.shapeMu.Lock()
	if len(s.planners) >= maxShapes {
		clear(s.planners)
	}
	s.planners[key] = rt
	s.shapeMu.Unlock()
	return rt
}

// unstrictParams turns strict function parameters (every property required, optional
// ones nullable) back into the schema a planner fills: nullable properties are optional.
func unstrictParams(raw json.RawMessage) json.RawMessage {
	var m map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	props, _ := m["properties"].(map[string]any)
	req, _ := m["required"].([]any)
	var kept []any
	for _, r := range req {
		name, _ := r.(string)
		if sub, ok := props[name].(map[string]any); ok && nullable(sub) {
			continue
		}
		kept = append(kept, r)
	}
	if kept == nil {
		delete(m, "required")
	} else {
		m["required"] = kept
	}
	b, _ := json.Marshal(m)
	return b
}

func nullable(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		return t == "null"
	case []any:
		for _, x := range t {
			if x == "null" {
				return true
			}
		}
	}
	return false
}

// nextToolCalls answers a tool-calling request as a model that works through its plan
// would: the steps whose inputs are ready (none of them called yet, every step they
// depend on called, the earlier results substituted for references), all at once unless
// parallel_tool_calls is false. When every step has been called it returns no calls and
// a closing text. A plan with no steps yields no calls (the caller answers with text),
// except under tool_choice "required" or a named function, which force one call.
func nextToolCalls(p *plan.Plan, req chatRequest, lastUser int, choice toolChoice, seq int) ([]toolCall, string) {
	called := map[string]bool{}
	results := map[string]any{}
	ids := map[string]string{} // tool_call_id -> step id
	if lastUser >= 0 {
		for _, m := range req.Messages[lastUser+1:] {
			for _, c := range m.ToolCalls {
				if step := stepOfCallID(c.ID); step != "" {
					called[step] = true
					ids[c.ID] = step
				}
			}
			if m.Role == "tool" {
				if step, ok := ids[m.ToolCallID]; ok {
					text, _ := m.text()
					var v any
					if json.Unmarshal([]byte(text), &v) != nil {
						v = text
					}
					results[step] = v
				}
			}
		}
	}
	known := map[string]bool{}
	for _, st := range p.Steps {
		known[st.ID] = true
	}
	isStep := func(id string) bool { return known[id] }
	var calls []toolCall
	for i := range p.Steps {
		st := &p.Steps[i]
		if called[st.ID] {
			continue
		}
		ready := true
		for _, dep := range st.Deps(isStep) {
			if !called[dep] {
				ready = false
			}
		}
		if !ready {
			continue
		}
		args := substitute(st.Args, results).(map[string]any)
		fillStrictNulls(args, st.Tool, req.Tools)
		b, _ := json.Marshal(args)
		c := toolCall{ID: fmt.Sprintf("call_%s_%06d", st.ID, seq), Type: "function"}
		c.Function.Name, c.Function.Arguments = st.Tool, string(b)
		calls = append(calls, c)
		if req.ParallelToolCalls != nil && !*req.ParallelToolCalls {
			break
		}
	}
	if len(calls) == 0 && len(p.Steps) > 0 {
		names := make([]string, 0, len(p.Steps))
		for _, st := range p.Steps {
			names = append(names, st.Tool)
		}
		return nil, "Done: " + strings.Join(names, ", ") + "."
	}
	if len(calls) == 0 && (choice.mode == "required" || choice.mode == "function") && len(req.Tools) > 0 {
		name := choice.name
		if name == "" {
			name = req.Tools[0].Function.Name
		}
		c := toolCall{ID: fmt.Sprintf("call_s1_%06d", seq), Type: "function"}
		c.Function.Name, c.Function.Arguments = name, "{}"
		calls = append(calls, c)
	}
	return calls, ""
}

// fillStrictNulls sets every parameter a strict function declares and the call leaves
// out to null, as strict decoding makes a model do.
func fillStrictNulls(args map[string]any, name string, tools []toolDef) {
	for _, t := range tools {
		if t.Function.Name != name || t.Function.Strict == nil || !*t.Function.Strict {
			continue
		}
		var params struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if json.Unmarshal(t.Function.Parameters, &params) != nil {
			return
		}
		for p := range params.Properties {
			if _, ok := args[p]; !ok {
				args[p] = nil
			}
		}
	}
}

// stepOfCallID reads the step id back from a call id "call_<step>_<seq>".
func stepOfCallID(id string) string {
	rest, ok := strings.CutPrefix(id, "call_")
	if !ok {
		return ""
	}
	step, _, ok := strings.Cut(rest, "_")
	if !ok {
		return ""
	}
	return step
}

// substitute replaces references to earlier steps with their results, as far as the
// client reported them: a whole reference takes the value, an embedded one its text.
func substitute(v any, results map[string]any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = substitute(x, results)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = substitute(x, results)
		}
		return out
	case string:
		if ref, whole := plan.WholeRef(t); whole {
			val, ok := lookup(results, ref)
			if !ok {
				return t
			}
			switch val.(type) {
			case map[string]any, []any:
				// A model passes an object result on as text.
				b, _ := json.Marshal(val)
				return string(b)
			}
			return val
		}
		return t
	}
	return v
}

// lookup resolves a reference's step and dotted path in the reported results.
func lookup(results map[string]any, ref plan.Ref) (any, bool) {
	v, ok := results[ref.Step]
	if !ok {
		return nil, false
	}
	for _, part := range ref.Path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[part]; !ok {
			return nil, false
		}
	}
	return v, true
}

// stream writes a completion as OpenAI streams it: server-sent events of
// chat.completion.chunk objects (the role first, then the content or the tool calls in
// pieces, then the finish reason), a last chunk with no choices and the usage when
// stream_options.include_usage is set, then "data: [DONE]". A malformed fault cuts a
// chunk in half.
func (s *Server) stream(w http.ResponseWriter, resp chatResponse, includeUsage, malformed bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(c chunk) {
		c.ID, c.Object, c.Created, c.Model, c.SystemFingerprint = resp.ID, "chat.completion.chunk", resp.Created, resp.Model, resp.SystemFingerprint
		b, _ := json.Marshal(c)
		if malformed {
			b, malformed = b[:len(b)/2], false
		}
		_, _ = fmt.Fprintf(w, "data: %s\n\n", b)
		if flusher != nil {
			flusher.Flush()
		}
	}
	delta := func(d chunkDelta, finish *string) chunk {
		return chunk{Choices: []chunkChoice{{Delta: d, FinishReason: finish}}}
	}
	msg := resp.Choices[0].Message
	empty := ""
	send(delta(chunkDelta{Role: "assistant", Content: &empty}, nil))
	if msg.Content != nil {
		for _, piece := range pieces(*msg.Content, 24) {
			send(delta(chunkDelta{Content: &piece}, nil))
		}
	}
	for i, c := range msg.ToolCalls {
		idx := i
		head := toolCall{Index: &idx, ID: c.ID, Type: "function"}
		head.Function.Name = c.Function.Name
		send(delta(chunkDelta{ToolCalls: []toolCall{head}}, nil))
		for _, piece := range pieces(c.Function.Arguments, 24) {
			part := toolCall{Index: &idx}
			part.Function.Arguments = piece
			send(delta(chunkDelta{ToolCalls: []toolCall{part}}, nil))
		}
	}
	finish := resp.Choices[0].FinishReason
	send(delta(chunkDelta{}, &finish))
	if includeUsage {
		u := resp.Usage
		send(chunk{Choices: []chunkChoice{}, Usage: &u})
	}
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

// pieces splits s into chunks of at most n bytes, never inside a UTF-8 sequence.
func pieces(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 {
			cut = n
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// ModelError names a mistake the model tier knob makes a cheaper model commit.
type ModelError string

// The mistakes of Config.ModelErrors.
const (
	// ErrorWrongTool: a step uses another tool of the registry (keeping the arguments
	// that tool also has): the kind of mistake that can still validate.
	ErrorWrongTool ModelError = "wrong_tool"
	// ErrorMissingArgument: a required argument is left out.
	ErrorMissingArgument ModelError = "missing_argument"
	// ErrorHallucinatedTool: a step names a tool that does not exist. Under a strict
	// schema that pins tool names the model cannot, so it picks a wrong tool instead.
	ErrorHallucinatedTool ModelError = "hallucinated_tool"
)

// DefaultModelErrors is the model tier knob's table when enabled with no rates of its
// own: the share of answers a model gets wrong, by model family (longest prefix). The
// cheap models err more, so that routing and cascade trade-offs can be measured.
func DefaultModelErrors() map[string]float64 {
	return map[string]float64{
		"gpt-4.1-nano": 0.30,
		"gpt-4o-mini":  0.15,
		"gpt-4.1-mini": 0.10,
		"o1-mini":      0.05,
		"gpt-4.1":      0.04,
		"gpt-4o":       0.03,
		"":             0.10,
	}
}

// modelErrors makes the answer for model wrong with the model's error rate, drawn from a
// hash of the seed, the model, the request and the conversation length: the same
// request to the same model errs the same way in every run, and a repair round (a longer
// conversation) draws anew.
//
// pinned says the answer is held to tool names by strict decoding (a schema's tool enum,
// or strict function tools): a hallucinated name is then impossible and becomes a wrong
// tool.
func (s *Server) modelErrors(p *plan.Plan, model, request string, messages int, rt *requestTools, pinned bool) *plan.Plan {
	if len(s.cfg.ModelErrors) == 0 || len(p.Steps) == 0 {
		return p
	}
	rate := rateFor(s.cfg.ModelErrors, model)
	h := fnv1a(fmt.Sprintf("%d\x00%s\x00%s\x00%d", s.cfg.Seed, model, request, messages))
	if float64(h>>11)/float64(1<<53) >= rate {
		return p
	}
	kinds := []ModelError{ErrorWrongTool, ErrorMissingArgument, ErrorHallucinatedTool}
	kind := kinds[(h>>3)%uint64(len(kinds))]
	st := &p.Steps[int((h>>7)%uint64(len(p.Steps)))]
	var reg *tool.Registry
	if rt != nil {
		reg = rt.reg
	}
	if kind == ErrorMissingArgument {
		var req []string
		if reg != nil {
			if t, ok := reg.Get(st.Tool); ok {
				for _, prm := range t.Params() {
					if prm.Required {
						req = append(req, prm.Name)
					}
				}
			}
		}
		if len(req) == 0 {
			kind = ErrorWrongTool
		} else {
			delete(st.Args, req[int((h>>13)%uint64(len(req)))])
		}
	}
	if kind == ErrorHallucinatedTool && pinned {
		kind = ErrorWrongTool
	}
	switch kind {
	case ErrorHallucinatedTool:
		st.Tool = strings.TrimSuffix(st.Tool, "s") + "_v2"
	case ErrorWrongTool:
		if reg == nil || reg.Len() < 2 {
			st.Tool += "_v2"
			break
		}
		names := reg.Names()
		sort.Strings(names)
		other := names[int((h>>17)%uint64(len(names)))]
		if other == st.Tool {
			other = names[(int((h>>17)%uint64(len(names)))+1)%len(names)]
		}
		if t, ok := reg.Get(other); ok {
			kept := map[string]any{}
			for _, prm := range t.Params() {
				if v, ok := st.Args[prm.Name]; ok {
					kept[prm.Name] = v
				}
			}
			st.Tool, st.Args = other, kept
		}
	}
	s.mu.Lock()
	s.stats.ModelErrors[kind]++
	s.mu.Unlock()
	return p
}

func rateFor(table map[string]float64, model string) float64 {
	best, rate := -1, 0.0
	for prefix, r := range table {
		if strings.HasPrefix(model, prefix) && len(prefix) > best {
			best, rate = len(prefix), r
		}
	}
	return rate
}
