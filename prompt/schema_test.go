package prompt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/tool"
)

func TestSchemaGoldenSmall(t *testing.T) {
	reg := smallRegistry(t)
	s, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode != prompt.ModePinned || s.Name != prompt.PinnedSchemaName || s.Reason != "" {
		t.Fatalf("small registry: got mode %s name %s reason %q, want pinned", s.Mode, s.Name, s.Reason)
	}
	golden(t, "schema_pinned_small.golden", indentJSON(t, s.JSON))
	g, err := prompt.CompileGeneric(reg)
	if err != nil {
		t.Fatal(err)
	}
	if g.Mode != prompt.ModeGeneric || g.Name != prompt.GenericSchemaName {
		t.Fatalf("generic: got %s %s", g.Mode, g.Name)
	}
	golden(t, "schema_generic_small.golden", indentJSON(t, g.JSON))
}

func TestSchemaGoldenDailyLife(t *testing.T) {
	reg := dailyLifeRegistry(t)
	s, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode != prompt.ModePinned {
		t.Fatalf("daily-life catalog (40 tools) should fit strict mode: %s", s.Reason)
	}
	golden(t, "schema_pinned_dailylife.golden", indentJSON(t, s.JSON))
	g, err := prompt.CompileGeneric(reg)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "schema_generic_dailylife.golden", indentJSON(t, g.JSON))
	for _, sc := range []*prompt.Schema{s, g} {
		if problems := strictProblems(sc.JSON); len(problems) > 0 {
			t.Errorf("%s schema breaks strict mode:\n%s", sc.Mode, strings.Join(problems, "\n"))
		}
	}
}

// TestSchemasObeyStrictMode walks every compiled schema with an implementation of the
// rules independent of the compiler.
func TestSchemasObeyStrictMode(t *testing.T) {
	reg := smallRegistry(t)
	for _, compile := range []func(*tool.Registry) (*prompt.Schema, error){prompt.CompilePinned, prompt.CompileGeneric} {
		s, err := compile(reg)
		if err != nil {
			t.Fatal(err)
		}
		if problems := strictProblems(s.JSON); len(problems) > 0 {
			t.Errorf("%s schema breaks strict mode:\n%s", s.Mode, strings.Join(problems, "\n"))
		}
	}
	// The walker itself must catch violations.
	bad := `{"type":"object","properties":{"a":{"type":"object","properties":{"x":{"type":"string","minLength":2}},"required":[]}},"required":["a"],"additionalProperties":false}`
	if got := strictProblems(json.RawMessage(bad)); len(got) < 3 {
		t.Errorf("walker missed violations in a bad schema: %v", got)
	}
}

var strictKeywords = map[string]bool{
	"type": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "enum": true, "const": true, "anyOf": true, "description": true,
	"$defs": true, "$ref": true, "pattern": true, "format": true, "minimum": true,
	"maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true, "multipleOf": true,
	"minItems": true, "maxItems": true,
}

// strictProblems lists every way raw breaks OpenAI's strict-mode rules.
func strictProblems(raw json.RawMessage) []string {
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		return []string{err.Error()}
	}
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if root["type"] != "object" {
		add("root is not an object")
	}
	if _, ok := root["anyOf"]; ok {
		add("root is anyOf")
	}
	defs, _ := root["$defs"].(map[string]any)
	props, enums, chars, maxDepth := 0, 0, 0, 0
	for name := range defs {
		chars += len(name)
	}
	var walk func(path string, s map[string]any, depth int)
	walk = func(path string, s map[string]any, depth int) {
		for k := range s {
			if !strictKeywords[k] {
				add("%s: unsupported keyword %q", path, k)
			}
		}
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/$defs/")
			d, ok := defs[name].(map[string]any)
			if !ok {
				add("%s: dangling $ref %s", path, ref)
				return
			}
			walk(path+"->"+name, d, depth)
			return
		}
		if e, ok := s["enum"].([]any); ok {
			enums += len(e)
			for _, v := range e {
				chars += len(fmt.Sprint(v))
			}
		}
		isObject := s["type"] == "object"
		if isObject {
			depth++
			if depth > maxDepth {
				maxDepth = depth
			}
			if s["additionalProperties"] != false {
				add("%s: additionalProperties is not false", path)
			}
			ps, _ := s["properties"].(map[string]any)
			req := map[string]bool{}
			for _, r := range asSlice(s["required"]) {
				req[fmt.Sprint(r)] = true
			}
			for name, sub := range ps {
				props++
				chars += len(name)
				if !req[name] {
					add("%s: property %s is not required", path, name)
				}
				m, _ := sub.(map[string]any)
				walk(path+"."+name, m, depth)
			}
			if len(req) != len(ps) {
				add("%s: required lists names that are not properties", path)
			}
		}
		if it, ok := s["items"].(map[string]any); ok {
			walk(path+"[]", it, depth)
		}
		branches := asSlice(s["anyOf"])
		firstKeys := map[string]bool{}
		for i, b := range branches {
			m, _ := b.(map[string]any)
			walk(fmt.Sprintf("%s.anyOf[%d]", path, i), m, depth)
			if m["type"] == "object" {
				// Object branches must be told apart by their first property: a one-value enum.
				tl, _ := m["properties"].(map[string]any)["tool"].(map[string]any)
				key := fmt.Sprint(tl["enum"])
				if firstKeys[key] {
					add("%s: two object branches share the discriminator %s", path, key)
				}
				firstKeys[key] = true
			}
		}
	}
	walk("$", root, 0)
	if props > 5000 {
		add("%d properties", props)
	}
	if maxDepth > 10 {
		add("%d levels of nesting", maxDepth)
	}
	if enums > 1000 {
		add("%d enum values", enums)
	}
	if chars > 120000 {
		add("%d characters of names and enum values", chars)
	}
	return problems
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// compileJSONSchema compiles a response schema so that answers can be checked against it.
func compileJSONSchema(t *testing.T, raw json.RawMessage) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("mem://schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem://schema.json")
	if err != nil {
		t.Fatalf("compiled response schema is not a valid JSON Schema: %v", err)
	}
	return s
}

func instance(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// samplePlan uses references in string, integer and array-of-object positions, a
// condition, a loop and an ordering edge.
const samplePlan = `{"goal":"g","reasoning":"r","steps":[
 {"id":"s1","tool":"get_weather","args":{"location":"Paris","unit":"c"}},
 {"id":"s2","tool":"search_web","args":{"query":"${s1.summary}","limit":3}},
 {"id":"s3","tool":"send_email","args":{"to":"bob@example.com","body":"Forecast: ${s1.summary}","priority":"${s2.count}","cc":["${s2.results.0.url}"]},"if":"s1.temperature_c < 5.0"},
 {"id":"s4","tool":"notify","args":{"text":"${item.title}"},"for_each":"${s1.alerts}","after":["s3"]},
 {"id":"s5","tool":"schedule_meeting","args":{"title":"Sync","when":{"date":"2026-12-01"},"attendees":[{"email":"a@example.com"},{"name":"B","email":"${s3.message_id}"}]}},
 {"id":"s6","tool":"ping","args":{}}]}`

// TestEncodeMatchesSchemaAndRoundTrips checks that what the simulator sends (Shape.Encode)
// is valid under the compiled schema and decodes back to the same plan, in both modes.
func TestEncodeMatchesSchemaAndRoundTrips(t *testing.T) {
	reg := smallRegistry(t)
	want, err := plan.Parse([]byte(samplePlan))
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(want, reg); err != nil {
		t.Fatalf("sample plan is invalid: %v", err)
	}
	for _, compile := range []func(*tool.Registry) (*prompt.Schema, error){prompt.CompilePinned, prompt.CompileGeneric} {
		s, err := compile(reg)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(string(s.Mode), func(t *testing.T) {
			sh, err := prompt.InspectSchema(s.JSON)
			if err != nil {
				t.Fatal(err)
			}
			if sh.Mode != s.Mode {
				t.Fatalf("InspectSchema mode %s, want %s", sh.Mode, s.Mode)
			}
			if !reflect.DeepEqual(sh.Tools, reg.Names()) {
				t.Errorf("InspectSchema tools %v, want %v", sh.Tools, reg.Names())
			}
			out, err := sh.Encode(want)
			if err != nil {
				t.Fatal(err)
			}
			if err := compileJSONSchema(t, s.JSON).Validate(instance(t, out)); err != nil {
				t.Fatalf("encoded plan does not satisfy its schema: %v\n%s", err, out)
			}
			got, err := prompt.DecodePlan(out, s.Mode)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the plan:\n got %s\nwant %s", got.JSON(), want.JSON())
			}
		})
	}
}

// TestPinnedSchemaRejects checks that the pinned schema really pins: unknown tools,
// unknown arguments, a missing required argument and a non-reference string in an
// integer argument are all refused.
func TestPinnedSchemaRejects(t *testing.T) {
	reg := smallRegistry(t)
	s, err := prompt.CompilePinned(reg)
	if err != nil {
		t.Fatal(err)
	}
	sch := compileJSONSchema(t, s.JSON)
	step := func(body string) []byte {
		return []byte(`{"goal":"","reasoning":"","cannot_plan":null,"steps":[` + body + `]}`)
	}
	cases := map[string]string{
		"unknown tool":       `{"tool":"get_wether","id":"s1","args":{"location":"x","date":null,"unit":null},"after":[],"if":"","for_each":""}`,
		"unknown argument":   `{"tool":"notify","id":"s1","args":{"text":"x","color":"red"},"after":[],"if":"","for_each":""}`,
		"missing argument":   `{"tool":"notify","id":"s1","args":{},"after":[],"if":"","for_each":""}`,
		"required is null":   `{"tool":"notify","id":"s1","args":{"text":null},"after":[],"if":"","for_each":""}`,
		"text in integer":    `{"tool":"search_web","id":"s1","args":{"query":"q","limit":"three"},"after":[],"if":"","for_each":""}`,
		"enum violated":      `{"tool":"get_weather","id":"s1","args":{"location":"x","date":null,"unit":"kelvin"},"after":[],"if":"","for_each":""}`,
		"missing step field": `{"tool":"notify","id":"s1","args":{"text":"x"},"after":[],"if":""}`,
	}
	for name, body := range cases {
		if err := sch.Validate(instance(t, step(body))); err == nil {
			t.Errorf("%s: accepted by the pinned schema", name)
		}
	}
	ok := `{"tool":"search_web","id":"s1","args":{"query":"q","limit":"${s0.n}"},"after":[],"if":"","for_each":""}`
	if err := sch.Validate(instance(t, step(ok))); err != nil {
		t.Errorf("a reference in an integer argument was refused: %v", err)
	}
}

// TestRefusalFitsBothSchemas: the model can say "no tool fits" under either schema mode
// (strict decoding would otherwise force it to pick a tool), and the schema stays within
// strict mode: cannot_plan is required and nullable, and the root is an object.
func TestRefusalFitsBothSchemas(t *testing.T) {
	reg := smallRegistry(t)
	pinned, err := prompt.CompilePinned(reg)
	if err != nil {
		t.Fatal(err)
	}
	generic, err := prompt.CompileGeneric(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*prompt.Schema{pinned, generic} {
		var root struct {
			Type       string                     `json:"type"`
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
			AnyOf      any                        `json:"anyOf"`
		}
		if err := json.Unmarshal(s.JSON, &root); err != nil {
			t.Fatal(err)
		}
		if root.Type != "object" || root.AnyOf != nil || !slices.Contains(root.Required, prompt.CannotPlanKey) {
			t.Fatalf("%s: root type %q anyOf %v required %v", s.Mode, root.Type, root.AnyOf, root.Required)
		}
		if got := string(root.Properties[prompt.CannotPlanKey]); !strings.Contains(got, `"type":["string","null"]`) {
			t.Errorf("%s: cannot_plan is %s", s.Mode, got)
		}
		sh, err := s.Shape()
		if err != nil || !sh.CannotPlan {
			t.Fatalf("%s: shape %+v err %v", s.Mode, sh, err)
		}
		out, err := sh.EncodeCannotPlan("make a sandwich", "No listed tool prepares food.")
		if err != nil {
			t.Fatal(err)
		}
		if err := compileJSONSchema(t, s.JSON).Validate(instance(t, out)); err != nil {
			t.Fatalf("%s: a refusal breaks the schema: %v\n%s", s.Mode, err, out)
		}
		_, err = s.Decode(out)
		var ce *prompt.CannotPlanError
		if !errors.As(err, &ce) || ce.Reason != "No listed tool prepares food." {
			t.Fatalf("%s: refusal decoded as %v", s.Mode, err)
		}
	}
}

func TestCompileFallsBackToGeneric(t *testing.T) {
	freeForm := mustTool("post_json", "Post any JSON.",
		`{"type":"object","properties":{"payload":{"allOf":[{"type":"string"},{"minLength":2}]}},"required":["payload"]}`, "")
	reg, err := tool.NewRegistry(freeForm, mustTool("notify", "n", `{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`, ""))
	if err != nil {
		t.Fatal(err)
	}
	_, err = prompt.CompilePinned(reg)
	var le *prompt.LimitError
	if !errors.As(err, &le) || !strings.Contains(le.Error(), "post_json") {
		t.Fatalf("want a LimitError naming post_json, got %v", err)
	}
	s, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode != prompt.ModeGeneric || !strings.Contains(s.Reason, "payload") || !strings.Contains(s.Reason, "allOf") {
		t.Errorf("want generic with a reason naming the argument, got %s %q", s.Mode, s.Reason)
	}

	// Too many tools for strict mode: 1100 tools exceed the 1000 enum values.
	var many []*tool.Tool
	for i := range 1100 {
		many = append(many, mustTool(fmt.Sprintf("tool_%04d", i), "t", `{"type":"object","properties":{"x":{"type":"string"}}}`, ""))
	}
	big, err := tool.NewRegistry(many...)
	if err != nil {
		t.Fatal(err)
	}
	s, err = prompt.CompileSchema(big)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode != prompt.ModeGeneric || !strings.Contains(s.Reason, "enum values") {
		t.Errorf("1100 tools: want generic because of enum values, got %s %q", s.Mode, s.Reason)
	}
	var g map[string]any
	if err := json.Unmarshal(s.JSON, &g); err != nil {
		t.Fatal(err)
	}
	toolProp := g["properties"].(map[string]any)["steps"].(map[string]any)["items"].(map[string]any)["properties"].(map[string]any)["tool"].(map[string]any)
	if _, has := toolProp["enum"]; has {
		t.Errorf("generic schema for 1100 tools still enumerates them")
	}
	if problems := strictProblems(s.JSON); len(problems) > 0 {
		t.Errorf("generic schema breaks strict mode: %v", problems)
	}
}

func TestInspectSchemaRequired(t *testing.T) {
	s, err := prompt.CompilePinned(smallRegistry(t))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := prompt.InspectSchema(s.JSON)
	if err != nil {
		t.Fatal(err)
	}
	got := append([]string{}, sh.Required["send_email"]...)
	sort.Strings(got)
	if !reflect.DeepEqual(got, []string{"body", "to"}) {
		t.Errorf("required of send_email = %v, want [body to]", got)
	}
	if !reflect.DeepEqual(sh.Args["get_weather"], []string{"location", "date", "unit"}) {
		t.Errorf("args of get_weather = %v, want declaration order", sh.Args["get_weather"])
	}
	if _, err := prompt.InspectSchema(json.RawMessage(`{"type":"object"}`)); err == nil {
		t.Error("a schema without steps was accepted")
	}
}

// TestBuiltinCatalogPinned: the built-in catalog has free-form maps (http headers,
// template values); they travel as JSON text in a {"__json": ...} wrapper in a pinned
// schema and DecodePlan (schema-agnostic) turns them back into values.
func TestBuiltinCatalogPinned(t *testing.T) {
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := prompt.CompileSchema(reg)
	if err != nil {
		t.Fatal(err)
	}
	if s.Mode != prompt.ModePinned {
		t.Fatalf("built-in catalog compiled to %s: %s", s.Mode, s.Reason)
	}
	golden(t, "schema_pinned_builtin.golden", indentJSON(t, s.JSON))
	if problems := strictProblems(s.JSON); len(problems) > 0 {
		t.Fatalf("built-in schema breaks strict mode:\n%s", strings.Join(problems, "\n"))
	}
	want, err := plan.Parse([]byte(`{"goal":"g","steps":[
	 {"id":"s1","tool":"http_request","args":{"method":"POST","url":"https://hooks.example.com/x","headers":{"Authorization":"Bearer t"},"body":"{\"status\":\"done\"}"}},
	 {"id":"s2","tool":"current_time","args":{"timezone":"Asia/Tokyo"}},
	 {"id":"s3","tool":"render_template","args":{"template":"{{.a}} at {{.t}}","values":{"a":[1,2],"t":"${s2.iso}"}}},
	 {"id":"s4","tool":"render_template","args":{"template":"{{.status}}","values":"${s1.json}"}},
	 {"id":"s5","tool":"json_extract","args":{"json":"${s1.json}","path":"items.0"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(want, reg); err != nil {
		t.Fatalf("sample plan invalid: %v", err)
	}
	out, err := s.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	if err := compileJSONSchema(t, s.JSON).Validate(instance(t, out)); err != nil {
		t.Fatalf("encoded plan breaks its schema: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"values":{"__json":"{\"a\":[1,2],\"t\":\"${s2.iso}\"}"}`) {
		t.Errorf("free-form values not carried as JSON text:\n%s", out)
	}
	got, err := prompt.DecodePlan(out, s.Mode)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %s\nwant %s", got.JSON(), want.JSON())
	}
	// A model that writes the wrapper itself, nested values included.
	answer := `{"goal":"","reasoning":"","cannot_plan":null,"steps":[{"tool":"render_template","id":"s1","args":{"template":"Hi {{.name}}","values":{"__json":"{\"name\": \"Bob\"}"}},"after":[],"if":"","for_each":""}]}`
	if err := compileJSONSchema(t, s.JSON).Validate(instance(t, []byte(answer))); err != nil {
		t.Fatalf("a hand-written wrapper breaks the schema: %v", err)
	}
	p, err := prompt.DecodePlan([]byte(answer), s.Mode)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Steps[0].Args["values"].(map[string]any); v["name"] != "Bob" {
		t.Errorf("values decoded to %#v", p.Steps[0].Args["values"])
	}
	if err := plan.Validate(p, reg); err != nil {
		t.Errorf("decoded plan invalid: %v", err)
	}
}

func TestNullableTypesAreNotDuplicated(t *testing.T) {
	reg, err := tool.NewRegistry(mustTool("t", "d",
		`{"type":"object","properties":{"a":{"type":["integer","null"]},"b":{"type":["string","null"]},"c":{"const":"x"}},"required":["c"]}`, ""))
	if err != nil {
		t.Fatal(err)
	}
	s, err := prompt.CompilePinned(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"a":{"anyOf":[{"type":"integer"},{"type":"null"},{"$ref":"#/$defs/ref"}]}`,
		`"b":{"type":["string","null"]}`,
	} {
		if !strings.Contains(string(s.JSON), want) {
			t.Errorf("schema lacks %s: %s", want, s.JSON)
		}
	}
	if !strings.Contains(string(s.JSON), `"c":{"anyOf":[{"enum":["x"]},{"$ref":"#/$defs/ref"}]}`) {
		t.Errorf("const not translated to a one-value enum: %s", s.JSON)
	}
	if problems := strictProblems(s.JSON); len(problems) > 0 {
		t.Error(problems)
	}
}
