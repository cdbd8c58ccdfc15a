package tool

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// FormatBFCL is the Berkeley Function-Calling Leaderboard's function list: a list of
// {"name", "description", "parameters"} whose parameters use BFCL's schema dialect
// ("dict" for object, "float" for number, "tuple" for array, "any" for no type); or a
// BFCL question file (JSON lines of {"id", "question", "function": [...]}) whose
// functions are imported as one catalog (see BFCLQuestions).
const FormatBFCL Format = "bfcl"

// bfclTool converts one BFCL function. It is an OpenAI bare function object except for
// the schema dialect, which is rewritten to JSON Schema (see BFCLSchema).
func (p *parser) bfclTool(members []rawMember, at string) *Tool {
	t := p.openAITool(members, at)
	if t == nil {
		return nil
	}
	t.Source = p.source(FormatBFCL)
	if len(t.InputSchema) == 0 {
		return t
	}
	var schema json.RawMessage
	var err error
	if lang := bfclCodeLanguage(p.file); lang != "" {
		schema, err = bfclCodeSchema(t.InputSchema, lang)
	} else {
		schema, err = BFCLSchema(t.InputSchema)
	}
	if err != nil {
		p.fail(t.Name, "parameters", err.Error(), "fix the schema")
		return nil
	}
	t.InputSchema = schema
	return t
}

// bfclTypes maps BFCL's type names, lower-cased, to JSON Schema's; "any" maps to no
// type at all. Besides the Python dialect ("dict", "float", "tuple") BFCL's Java and
// JavaScript categories name their languages' types ("long", "HashMap", "ArrayList",
// "Bigint"): they map as BFCL's own conversion maps them.
var bfclTypes = map[string]string{
	"dict": "object", "float": "number", "tuple": "array", "any": "",
	"object": "object", "number": "number", "array": "array",
	"string": "string", "integer": "integer", "boolean": "boolean", "null": "null",
	"bool": "boolean", "list": "array",
	// Java and JavaScript.
	"byte": "integer", "short": "integer", "long": "integer", "bigint": "integer",
	"double": "number", "char": "string",
	"arraylist": "array", "set": "array", "queue": "array", "stack": "array",
	"hashmap": "object", "hashtable": "object", "int": "integer",
}

// bfclCodeLanguage returns the language whose code a BFCL question file's arguments are
// written in, "Java" or "JavaScript", from its file name (BFCL_v4_simple_java.json,
// BFCL_v4_simple_javascript.json), or "" for Python's JSON values.
func bfclCodeLanguage(file string) string {
	base := strings.ToLower(file)
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	base = strings.TrimSuffix(base, ".json")
	switch {
	case strings.HasSuffix(base, "_javascript"):
		return "JavaScript"
	case strings.HasSuffix(base, "_java"):
		return "Java"
	}
	return ""
}

// bfclCodeSchema rewrites the parameters of a function from BFCL's Java or JavaScript
// categories. BFCL shows a model every parameter as a string of code ("new
// HashMap<>()", "true", "50"), then converts what the model writes back to a value of the
// declared type (an int to a number, a boolean to true or false, an ArrayList to a list)
// and compares that with its answers, which are written as those values. So the schema
// asks for the values the checker compares: each type maps as a plain function list's
// does (String -> string, long -> integer, HashMap -> object, any -> no constraint),
// and each description says which type of the language it is. A type name BFCL does not
// list ("int", "String[]", "Promise") constrains nothing rather than failing the file:
// in these categories any value may be written as code.
func bfclCodeSchema(raw json.RawMessage, lang string) (json.RawMessage, error) {
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	props, _ := v["properties"].(map[string]any)
	for name, ps := range props {
		m, ok := ps.(map[string]any)
		if !ok {
			continue
		}
		t, _ := m["type"].(string)
		desc, _ := m["description"].(string)
		note := fmt.Sprintf("This is a %s %s value.", lang, t)
		if t == "" || strings.EqualFold(t, "any") {
			note = fmt.Sprintf("This can be any %s value.", lang)
		}
		c, err := bfclNode(m, 1, true)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		cm := c.(map[string]any)
		cm["description"] = strings.TrimSpace(desc + " " + note)
		props[name] = cm
	}
	v["type"] = "object"
	return json.Marshal(v)
}

// BFCLSchema rewrites a schema in BFCL's dialect as JSON Schema: "dict" -> "object",
// "float" -> "number", "tuple" -> "array", "any" -> no type constraint. Type names are
// case-insensitive ("String"). Everything else (properties, required, items, enum,
// default, descriptions) is kept; a schema already in JSON Schema comes back unchanged.
func BFCLSchema(raw json.RawMessage) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	out, err := bfclNode(v, 0, false)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// bfclNode converts one schema node of BFCL's dialect. lenient (Java and JavaScript) lets
// a type name BFCL does not list constrain nothing, an array of it ("String[]") being an
// array.
func bfclNode(v any, depth int, lenient bool) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("schema nested deeper than %d levels", maxDepth)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v, nil
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[k] = x
	}
	if t, ok := m["type"].(string); ok {
		lt := strings.ToLower(strings.TrimSpace(t))
		js, known := bfclTypes[lt]
		if !known && lenient {
			js, known = "", true
			if strings.HasSuffix(lt, "[]") {
				js = "array"
			}
		}
		switch {
		case !known:
			return nil, fmt.Errorf("unknown BFCL type %q", t)
		case js == "":
			delete(out, "type")
		default:
			out["type"] = js
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		np := make(map[string]any, len(props))
		for name, ps := range props {
			c, err := bfclNode(ps, depth+1, lenient)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			np[name] = c
		}
		out["properties"] = np
	}
	if items, ok := m["items"]; ok {
		c, err := bfclNode(items, depth+1, lenient)
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		out["items"] = c
	}
	return out, nil
}

// isBFCLDialect reports whether a parameters schema uses a BFCL-only type name at its
// top level ("dict"), which tells a BFCL function from an OpenAI one.
func isBFCLDialect(params json.RawMessage) bool {
	members, ok := rawMembers(params)
	if !ok {
		return false
	}
	raw, ok := lookup(members, "type")
	if !ok {
		return false
	}
	var t string
	if json.Unmarshal(raw, &t) != nil {
		return false
	}
	switch strings.ToLower(t) {
	case "dict", "float", "tuple", "any":
		return true
	}
	return false
}

// BFCLQuestion is one question of a BFCL question file: its id, the user's request and
// the functions offered with it (converted to tools).
type BFCLQuestion struct {
	ID string
	// Request is the text a planner is given: the user messages of the first turn,
	// joined by a blank line (a system message is an instruction to the model, not part
	// of what the user asked).
	Request string
	// Tools are the functions offered with the question, in order.
	Tools []*Tool
}

// maxBFCLLine bounds one line of a BFCL question file.
const maxBFCLLine = 16 << 20

// ParseBFCLQuestions reads a BFCL question file (JSON lines). file names the source in
// errors and tool Sources. Every problem found is reported, joined.
func ParseBFCLQuestions(data []byte, file string) ([]BFCLQuestion, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxBFCLLine)
	var (
		out  []BFCLQuestion
		errs []error
		line int
	)
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec struct {
			ID       string              `json:"id"`
			Question [][]json.RawMessage `json:"question"`
			Function []json.RawMessage   `json:"function"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			errs = append(errs, &Error{File: file, Message: fmt.Sprintf("line %d: %v", line, err), Fix: "each line must be a BFCL question object"})
			continue
		}
		q := BFCLQuestion{ID: rec.ID, Request: bfclRequest(rec.Question)}
		p := &parser{file: file, format: FormatBFCL}
		for i, fn := range rec.Function {
			members, ok := rawMembers(fn)
			if !ok {
				p.fail("", fmt.Sprintf("line %d: function[%d]", line, i), "must be an object", "fix the function definition")
				continue
			}
			if t := p.bfclTool(members, fmt.Sprintf("%s function[%d]", rec.ID, i)); t != nil {
				q.Tools = append(q.Tools, t)
			}
		}
		errs = append(errs, p.errs...)
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, &Error{File: file, Message: err.Error()})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// bfclRequest is the user's text of a BFCL question's first turn.
func bfclRequest(turns [][]json.RawMessage) string {
	if len(turns) == 0 {
		return ""
	}
	var parts []string
	for _, raw := range turns[0] {
		var m struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		}
		if json.Unmarshal(raw, &m) == nil && m.Role == "user" && strings.TrimSpace(m.Content) != "" {
			parts = append(parts, strings.TrimSpace(m.Content))
		}
	}
	return strings.Join(parts, "\n\n")
}

// looksLikeBFCLQuestions reports whether data is a JSON-lines file whose first line is a
// BFCL question ({"id", "question", "function"}).
func looksLikeBFCLQuestions(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
	members, ok := rawMembers(bytes.TrimSpace(first))
	if !ok {
		return false
	}
	keys := memberKeys(members)
	return keys["question"] && keys["function"]
}

// UnionTools merges the tool lists of several catalogs (BFCL's per-question function
// lists) into one: a name defined identically several times is kept once; a name
// defined differently (BFCL offers 31 versions of get_current_weather) keeps its most
// common definition (the first on a tie), whole: mixing the definitions' properties and
// required lists would make a tool no catalog defined, and a looser one (a question
// built to be unanswerable because a required argument is missing would become
// answerable). The result is sorted by name; merged counts the names that had
// differing definitions.
func UnionTools(lists ...[]*Tool) (tools []*Tool, merged int) {
	byName := map[string][]*Tool{}
	var names []string
	for _, l := range lists {
		for _, t := range l {
			if _, ok := byName[t.Name]; !ok {
				names = append(names, t.Name)
			}
			byName[t.Name] = append(byName[t.Name], t)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		defs := byName[n]
		count := map[string]int{}
		best, bestKey := defs[0], canonicalKey(defs[0])
		for _, d := range defs {
			k := canonicalKey(d)
			count[k]++
			if count[k] > count[bestKey] {
				best, bestKey = d, k
			}
		}
		if len(count) > 1 {
			merged++
		}
		tools = append(tools, best)
	}
	return tools, merged
}

// canonicalKey is a tool's canonical JSON (what its registry version hashes).
func canonicalKey(t *Tool) string {
	b, _ := json.Marshal(canonicalTool(t))
	return string(b)
}

// parseBFCLQuestionFile imports the functions of a BFCL question file as one catalog
// (UnionTools over the questions' function lists).
func parseBFCLQuestionFile(data []byte, file string) ([]*Tool, error) {
	qs, err := ParseBFCLQuestions(data, file)
	if err != nil {
		return nil, err
	}
	lists := make([][]*Tool, len(qs))
	for i, q := range qs {
		lists[i] = q.Tools
	}
	tools, _ := UnionTools(lists...)
	if len(tools) == 0 {
		return nil, &Error{File: file, Message: "no functions in the question file", Fix: "check that it is a BFCL question file"}
	}
	return tools, nil
}
