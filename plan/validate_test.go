package plan_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

func testRegistry(t testing.TB) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "get_weather", Description: "Get the weather for a city and a day",
			InputSchema: json.RawMessage(`{"type":"object","properties":{
				"location":{"type":"string","description":"city"},
				"date":{"type":"string","format":"date"},
				"units":{"type":"string","enum":["metric","imperial"]}},
				"required":["location"],"additionalProperties":false}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{
				"summary":{"type":"string"},"temperature_c":{"type":"number"},
				"alerts":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"}}}}}}`)},
		&tool.Tool{Name: "send_email", Description: "Send an email",
			InputSchema: json.RawMessage(`{"type":"object","properties":{
				"to":{"type":"string","format":"email"},"body":{"type":"string"},"priority":{"type":"integer"},
				"attachments":{"type":"array","items":{"type":"string"}}},
				"required":["to","body"],"additionalProperties":false}`)},
		&tool.Tool{Name: "free_form", Description: "accepts anything",
			InputSchema: json.RawMessage(`{"type":"object"}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestValidate(t *testing.T) {
	reg := testRegistry(t)
	tests := []struct {
		name  string
		plan  string
		codes []string // expected issue codes (exact multiset order-insensitive); nil = valid
		field string   // a field that must be named by some issue
	}{
		{name: "single step", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}}]}`},
		{name: "reference with path and condition",
			plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris","date":"2026-12-01"}},
			{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1.summary}"},"if":"s1.temperature_c < 5.0"}]}`},
		{name: "embedded reference interpolates into a string",
			plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}},
			{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"Weather: ${s1.summary} (${s1.temperature_c} C)"}}]}`},
		{name: "for_each with item",
			plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}},
			{"id":"s2","tool":"send_email","for_each":"${s1.alerts}","args":{"to":"a@b.co","body":"${item.title}"}}]}`},
		{name: "bracket index path", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}},
			{"id":"s2","tool":"send_email","args":{"to":"a@b.co","body":"${s1.alerts[0].title}"}}]}`},
		{name: "after edge", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}},
			{"id":"s2","tool":"get_weather","args":{"location":"Rome"},"after":["s1"]}]}`},
		{name: "number fills integer-compatible number", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"x","priority":2}}]}`},
		{name: "reference to a tool without output schema is accepted", plan: `{"steps":[{"id":"s1","tool":"free_form","args":{}},
			{"id":"s2","tool":"send_email","args":{"to":"a@b.co","body":"${s1.anything.at.all}"}}]}`},

		{name: "empty plan", plan: `{"steps":[]}`, codes: []string{plan.CodeEmptyPlan}},
		{name: "unknown tool", plan: `{"steps":[{"id":"s1","tool":"get_wether","args":{}}]}`, codes: []string{plan.CodeUnknownTool}, field: "tool"},
		{name: "missing tool", plan: `{"steps":[{"id":"s1","tool":"","args":{}}]}`, codes: []string{plan.CodeMissingTool}},
		{name: "missing id", plan: `{"steps":[{"tool":"get_weather","args":{"location":"x"}}]}`, codes: []string{plan.CodeMissingID}},
		{name: "invalid id", plan: `{"steps":[{"id":"1-a","tool":"get_weather","args":{"location":"x"}}]}`, codes: []string{plan.CodeInvalidID}},
		{name: "reserved id", plan: `{"steps":[{"id":"item","tool":"get_weather","args":{"location":"x"}}]}`, codes: []string{plan.CodeInvalidID}},
		{name: "duplicate id", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s1","tool":"get_weather","args":{"location":"y"}}]}`,
			codes: []string{plan.CodeDuplicateID}},
		{name: "missing required arg", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co"}}]}`,
			codes: []string{plan.CodeMissingArg}, field: "args.body"},
		{name: "unknown arg", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x","city":"y"}}]}`,
			codes: []string{plan.CodeUnknownArg}, field: "args.city"},
		{name: "wrong type", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"x","priority":"high"}}]}`,
			codes: []string{plan.CodeInvalidType}, field: "args.priority"},
		{name: "enum", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x","units":"kelvin"}}]}`,
			codes: []string{plan.CodeInvalidEnum}, field: "args.units"},
		{name: "format", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"bob","body":"x"}}]}`,
			codes: []string{plan.CodeInvalidArg}, field: "args.to"},
		{name: "reference to unknown step", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"${s9.x}"}}]}`,
			codes: []string{plan.CodeUnknownStep}, field: "args.body"},
		{name: "forward reference", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"${s2}"}},{"id":"s2","tool":"get_weather","args":{"location":"x"}}]}`,
			codes: []string{plan.CodeForwardReference}},
		{name: "self reference (a cycle)", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"${s1}"}}]}`,
			codes: []string{plan.CodeForwardReference}},
		{name: "after later step (a cycle)", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"},"after":["s2"]},{"id":"s2","tool":"get_weather","args":{"location":"y"},"after":["s1"]}]}`,
			codes: []string{plan.CodeForwardReference}, field: "after[0]"},
		{name: "malformed reference", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","args":{"to":"a@b.co","body":"${s1..x}"}}]}`,
			codes: []string{plan.CodeBadReference}},
		{name: "unterminated reference", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"${s1"}}]}`,
			codes: []string{plan.CodeBadReference}},
		{name: "unknown output field", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","args":{"to":"a@b.co","body":"${s1.humidity}"}}]}`,
			codes: []string{plan.CodeUnknownField}},
		{name: "type mismatch: number into integer ok but string into integer not", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","args":{"to":"a@b.co","body":"x","priority":"${s1.summary}"}}]}`,
			codes: []string{plan.CodeTypeMismatch}, field: "args.priority"},
		{name: "array into string", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","args":{"to":"a@b.co","body":"${s1.alerts}"}}]}`,
			codes: []string{plan.CodeTypeMismatch}},
		{name: "embedded reference into integer", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","args":{"to":"a@b.co","body":"x","priority":"p${s1.temperature_c}"}}]}`,
			codes: []string{plan.CodeTypeMismatch}},
		{name: "item outside loop", plan: `{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","body":"${item}"}}]}`,
			codes: []string{plan.CodeBadReference}},
		{name: "loop over non-array", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","for_each":"${s1.summary}","args":{"to":"a@b.co","body":"x"}}]}`,
			codes: []string{plan.CodeBadLoop}},
		{name: "loop not a reference", plan: `{"steps":[{"id":"s1","tool":"send_email","for_each":"[1,2]","args":{"to":"a@b.co","body":"x"}}]}`,
			codes: []string{plan.CodeBadLoop}},
		{name: "loop item field unknown", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"send_email","for_each":"${s1.alerts}","args":{"to":"a@b.co","body":"${item.nope}"}}]}`,
			codes: []string{plan.CodeUnknownField}},
		{name: "condition syntax", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"get_weather","args":{"location":"y"},"if":"s1.temperature_c <"}]}`,
			codes: []string{plan.CodeBadCondition}, field: "if"},
		{name: "condition not boolean", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"}},{"id":"s2","tool":"get_weather","args":{"location":"y"},"if":"1 + 2"}]}`,
			codes: []string{plan.CodeBadCondition}},
		{name: "condition on later step", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"},"if":"s2.temperature_c > 1.0"},{"id":"s2","tool":"get_weather","args":{"location":"y"}}]}`,
			codes: []string{plan.CodeForwardReference}, field: "if"},
		{name: "condition on unknown variable", plan: `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"x"},"if":"weather == 'rain'"}]}`,
			codes: []string{plan.CodeBadCondition}},
		{name: "several problems reported together", plan: `{"steps":[{"id":"s1","tool":"nope","args":{}},{"id":"s2","tool":"send_email","args":{}}]}`,
			codes: []string{plan.CodeUnknownTool, plan.CodeMissingArg, plan.CodeMissingArg}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := plan.Parse([]byte(tc.plan))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			err = plan.Validate(p, reg)
			if tc.codes == nil {
				if err != nil {
					t.Fatalf("valid plan rejected:\n%v", err)
				}
				return
			}
			ve, ok := plan.AsValidationError(err)
			if !ok {
				t.Fatalf("want *ValidationError with %v, got %v", tc.codes, err)
			}
			var got []string
			fieldSeen := tc.field == ""
			for _, is := range ve.Issues {
				got = append(got, is.Code)
				if is.Field == tc.field {
					fieldSeen = true
				}
				if is.Message == "" {
					t.Errorf("issue without message: %+v", is)
				}
			}
			if strings.Join(sorted(got), ",") != strings.Join(sorted(tc.codes), ",") {
				t.Errorf("codes = %v, want %v\n%v", got, tc.codes, ve)
			}
			if !fieldSeen {
				t.Errorf("no issue names field %q:\n%v", tc.field, ve)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestValidateLimits(t *testing.T) {
	reg := testRegistry(t)
	p := &plan.Plan{}
	for i := 0; i < 5; i++ {
		p.Steps = append(p.Steps, plan.Step{ID: "s" + string(rune('1'+i)), Tool: "get_weather", Args: map[string]any{"location": "x"}})
	}
	if err := plan.ValidateWithLimits(p, reg, plan.Limits{MaxSteps: 4}); err == nil || !strings.Contains(err.Error(), plan.CodeTooManySteps) {
		t.Fatalf("want too_many_steps, got %v", err)
	}
	if err := plan.ValidateWithLimits(p, reg, plan.Limits{MaxBytes: 100}); err == nil || !strings.Contains(err.Error(), plan.CodeTooLarge) {
		t.Fatalf("want too_large, got %v", err)
	}
	if err := plan.ValidateWithLimits(p, reg, plan.Limits{MaxSteps: 5, MaxBytes: 10000}); err != nil {
		t.Fatalf("within limits: %v", err)
	}
}

func TestValidateGoValues(t *testing.T) {
	// Plans built in Go (not decoded from JSON) carry int and float64.
	reg := testRegistry(t)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": "a@b.co", "body": "x", "priority": 3, "attachments": []string{"a.pdf"}}}}}
	if err := plan.Validate(p, reg); err != nil {
		t.Fatal(err)
	}
}

func TestValidationErrorRendering(t *testing.T) {
	reg := testRegistry(t)
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co"}}]}`))
	err := plan.Validate(p, reg)
	want := `invalid plan: step s1 (send_email) args.body: required argument "body" is missing [missing_arg]`
	if err == nil || err.Error() != want {
		t.Fatalf("got %q\nwant %q", err, want)
	}
	b, _ := json.Marshal(err)
	if !strings.Contains(string(b), `"field":"args.body"`) || !strings.Contains(string(b), `"code":"missing_arg"`) {
		t.Fatalf("JSON rendering lacks structure: %s", b)
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, in := range []string{``, `{`, `{"steps":[{"id":"s1","tool":"x","args":{},"foreach":"${s0}"}]}`, `{"steps":[]} {}`, `[]`} {
		if _, err := plan.Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestEdges(t *testing.T) {
	p, err := plan.Parse([]byte(`{"steps":[{"id":"a","tool":"t","args":{}},{"id":"b","tool":"t","args":{"x":"${a.v}"}},
		{"id":"c","tool":"t","args":{},"if":"b.ok && a.n > 1","after":["a"]},{"id":"d","tool":"t","for_each":"${c.items}","args":{"y":"${item}"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range p.Edges() {
		got[e[0]+">"+e[1]] = true
	}
	for _, want := range []string{"a>b", "b>c", "a>c", "c>d"} {
		if !got[want] {
			t.Errorf("missing edge %s in %v", want, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("edges = %v", got)
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		in    string
		refs  []string
		whole bool
		bad   int
	}{
		{"${s1}", []string{"${s1}"}, true, 0},
		{"${s1.a.b}", []string{"${s1.a.b}"}, true, 0},
		{"${s1.items[2].name}", []string{"${s1.items.2.name}"}, true, 0},
		{"x ${s1.a} y ${s2}", []string{"${s1.a}", "${s2}"}, false, 0},
		{"${}", nil, false, 1},
		{"${s1.}", nil, false, 1},
		{"${1a}", nil, false, 1},
		{"${s1", nil, false, 1},
		{"$s1 {x}", nil, false, 0},
	}
	for _, tc := range tests {
		refs, errs := plan.ScanRefs(tc.in)
		var got []string
		for _, r := range refs {
			got = append(got, r.String())
		}
		if strings.Join(got, "|") != strings.Join(tc.refs, "|") || len(errs) != tc.bad {
			t.Errorf("ScanRefs(%q) = %v, %v; want %v, %d errors", tc.in, got, errs, tc.refs, tc.bad)
		}
		if _, whole := plan.WholeRef(tc.in); whole != tc.whole {
			t.Errorf("WholeRef(%q) = %v", tc.in, whole)
		}
	}
}

func TestClone(t *testing.T) {
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"t","args":{"a":{"b":["c"]}},"after":[]}]}`))
	q := p.Clone()
	q.Steps[0].Args["a"].(map[string]any)["b"].([]any)[0] = "changed"
	if p.Steps[0].Args["a"].(map[string]any)["b"].([]any)[0] != "c" {
		t.Fatal("Clone shares argument values")
	}
}

func BenchmarkValidate(b *testing.B) {
	reg := testRegistry(b)
	p, _ := plan.Parse([]byte(`{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris","date":"2026-12-01"}},
		{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1.summary}"},"if":"s1.temperature_c < 5.0"},
		{"id":"s3","tool":"send_email","for_each":"${s1.alerts}","args":{"to":"a@b.co","body":"${item.title}"}}]}`))
	b.ReportAllocs()
	for b.Loop() {
		if err := plan.Validate(p, reg); err != nil {
			b.Fatal(err)
		}
	}
}
