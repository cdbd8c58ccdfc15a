package prompt_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
)

func TestDecodePlan(t *testing.T) {
	cases := []struct {
		name    string
		mode    prompt.Mode
		content string
		want    string // plan JSON (plan.Parse form); empty when an error is expected
		err     error
	}{
		{
			name:    "pinned nulls and empties are absent",
			mode:    prompt.ModePinned,
			content: `{"goal":"g","reasoning":"r","steps":[{"tool":"get_weather","id":"s1","args":{"location":"Paris","date":null,"unit":null},"after":[],"if":"","for_each":""}]}`,
			want:    `{"goal":"g","reasoning":"r","steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}}]}`,
		},
		{
			name:    "pinned nested nulls dropped, numbers exact",
			mode:    prompt.ModePinned,
			content: `{"goal":"","reasoning":"","steps":[{"tool":"schedule_meeting","id":"s1","args":{"title":"x","when":{"date":"2026-01-02","time":null},"n":12345678901234567890},"after":["s0"],"if":" s0.ok ","for_each":""}]}`,
			want:    `{"steps":[{"id":"s1","tool":"schedule_meeting","args":{"title":"x","when":{"date":"2026-01-02"},"n":12345678901234567890},"after":["s0"],"if":"s0.ok"}]}`,
		},
		{
			name:    "generic values are JSON-decoded",
			mode:    prompt.ModeGeneric,
			content: `{"goal":"g","reasoning":"","steps":[{"tool":"send_email","id":"s1","args":[{"name":"to","value":"\"a@b.co\""},{"name":"priority","value":"3"},{"name":"cc","value":"[\"x@y.z\"]"},{"name":"body","value":"\"${s0.summary}\""},{"name":"subject","value":"null"}],"after":[],"if":"","for_each":""}]}`,
			want:    `{"goal":"g","steps":[{"id":"s1","tool":"send_email","args":{"to":"a@b.co","priority":3,"cc":["x@y.z"],"body":"${s0.summary}"}}]}`,
		},
		{
			name:    "generic unquoted text and raw values are tolerated",
			mode:    prompt.ModeGeneric,
			content: `{"goal":"","reasoning":"","steps":[{"tool":"notify","id":"s1","args":[{"name":"text","value":"hello there"},{"name":"n","value":7}],"after":[],"if":"","for_each":""}]}`,
			want:    `{"steps":[{"id":"s1","tool":"notify","args":{"text":"hello there","n":7}}]}`,
		},
		{
			name:    "pinned JSON-text wrappers become values",
			mode:    prompt.ModePinned,
			content: `{"goal":"","reasoning":"","steps":[{"tool":"http_request","id":"s1","args":{"url":"https://x.example","headers":{"__json":"{\"A\":\"b\"}"},"body":{"__json":"not json"},"list":[{"__json":"[1,2]"}],"ref":{"__json":"${s0.x}"},"nul":{"__json":"null"}},"after":[],"if":"","for_each":""}]}`,
			want:    `{"steps":[{"id":"s1","tool":"http_request","args":{"url":"https://x.example","headers":{"A":"b"},"body":"not json","list":[[1,2]],"ref":"${s0.x}"}}]}`,
		},
		{
			name:    "code fence tolerated",
			mode:    prompt.ModePinned,
			content: "```json\n{\"goal\":\"\",\"reasoning\":\"\",\"steps\":[{\"tool\":\"ping\",\"id\":\"s1\",\"args\":{}}]}\n```",
			want:    `{"steps":[{"id":"s1","tool":"ping","args":{}}]}`,
		},
		{name: "empty", mode: prompt.ModePinned, content: "  ", err: prompt.ErrMalformed},
		{name: "not JSON", mode: prompt.ModePinned, content: `I cannot help with that.`, err: prompt.ErrMalformed},
		{name: "truncated", mode: prompt.ModePinned, content: `{"goal":"g","reasoning":"first get the wea`, err: prompt.ErrTruncated},
		{name: "truncated generic", mode: prompt.ModeGeneric, content: `{"goal":"g","reasoning":"","steps":[{"tool":"notify","id":"s1","args":[{"name":"text",`, err: prompt.ErrTruncated},
		{name: "trailing data", mode: prompt.ModePinned, content: `{"steps":[]} {"steps":[]}`, err: prompt.ErrMalformed},
		{name: "unknown step field", mode: prompt.ModePinned, content: `{"steps":[{"tool":"notify","id":"s1","args":{},"foreach":"${s0}"}]}`, err: prompt.ErrMalformed},
		{name: "generic args given as object", mode: prompt.ModeGeneric, content: `{"steps":[{"tool":"notify","id":"s1","args":{"text":"x"}}]}`, err: prompt.ErrMalformed},
		{name: "pinned args given as list", mode: prompt.ModePinned, content: `{"steps":[{"tool":"notify","id":"s1","args":[{"name":"text","value":"\"x\""}]}]}`, err: prompt.ErrMalformed},
		{name: "generic duplicate arg", mode: prompt.ModeGeneric, content: `{"steps":[{"tool":"notify","id":"s1","args":[{"name":"text","value":"1"},{"name":"text","value":"2"}]}]}`, err: prompt.ErrMalformed},
		{name: "steps not a list", mode: prompt.ModePinned, content: `{"steps":{"id":"s1"}}`, err: prompt.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := prompt.DecodePlan([]byte(c.content), c.mode)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("want %v, got %v (plan %v)", c.err, err, got)
				}
				var de *prompt.DecodeError
				if !errors.As(err, &de) || de.Mode != c.mode || de.Error() == "" {
					t.Fatalf("want a *DecodeError in mode %s, got %#v", c.mode, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := plan.Parse([]byte(c.want))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %s\nwant %s", got.JSON(), want.JSON())
			}
		})
	}
	if _, err := prompt.DecodePlan([]byte(`{}`), "other"); err == nil {
		t.Error("an unknown mode was accepted")
	}
}

func TestEncodePlanShapes(t *testing.T) {
	p, err := plan.Parse([]byte(`{"goal":"g","steps":[{"id":"s1","tool":"notify","args":{"text":"<b>hi</b> & bye","n":2}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := prompt.EncodePlan(p, prompt.ModePinned)
	if err != nil {
		t.Fatal(err)
	}
	wantPinned := `{"goal":"g","reasoning":"","cannot_plan":null,"steps":[{"tool":"notify","id":"s1","args":{"n":2,"text":"<b>hi</b> & bye"},"after":[],"if":"","for_each":""}]}`
	if string(pinned) != wantPinned {
		t.Errorf("pinned:\n got %s\nwant %s", pinned, wantPinned)
	}
	generic, err := prompt.EncodePlan(p, prompt.ModeGeneric)
	if err != nil {
		t.Fatal(err)
	}
	wantGeneric := `{"goal":"g","reasoning":"","cannot_plan":null,"steps":[{"tool":"notify","id":"s1","args":[{"name":"n","value":"2"},{"name":"text","value":"\"<b>hi</b> & bye\""}],"after":[],"if":"","for_each":""}]}`
	if string(generic) != wantGeneric {
		t.Errorf("generic:\n got %s\nwant %s", generic, wantGeneric)
	}
	for mode, b := range map[prompt.Mode][]byte{prompt.ModePinned: pinned, prompt.ModeGeneric: generic} {
		back, err := prompt.DecodePlan(b, mode)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, p) {
			t.Errorf("%s round trip: got %s want %s", mode, back.JSON(), p.JSON())
		}
	}
	if _, err := prompt.EncodePlan(nil, prompt.ModePinned); err == nil {
		t.Error("nil plan encoded")
	}
	if _, err := prompt.EncodePlan(p, "x"); err == nil {
		t.Error("unknown mode encoded")
	}
}

func TestExtractRequest(t *testing.T) {
	cases := map[string]string{
		"Plan this request:\n<request>\nbook a table\n</request>": "book a table",
		"no delimiters here  ": "no delimiters here",
		"<request>old</request> then <request>\n new one \n</request> trailing": "new one",
		"Plan this request:\n<request>\nunterminated":                           "unterminated",
	}
	for in, want := range cases {
		if got := prompt.ExtractRequest(in); got != want {
			t.Errorf("ExtractRequest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDecodeCannotPlan: the model's refusal is an answer (a *CannotPlanError with its
// reason), never a malformed plan that a repair round would try to fix.
func TestDecodeCannotPlan(t *testing.T) {
	cases := []struct{ name, content, reason string }{
		{"explicit", `{"goal":"make a sandwich","reasoning":"no food tools","cannot_plan":"No listed tool prepares food.","steps":[]}`, "No listed tool prepares food."},
		{"explicit wins over steps", `{"goal":"g","reasoning":"","cannot_plan":"only half of it can be done","steps":[{"tool":"ping","id":"s1","args":{},"after":[],"if":"","for_each":""}]}`, "only half of it can be done"},
		{"no steps: the reasoning is the reason", `{"goal":"g","reasoning":"Nothing here cooks.","cannot_plan":null,"steps":[]}`, "Nothing here cooks."},
		{"older answer without the field", "```json\n{\"goal\":\"\",\"reasoning\":\"none fits\",\"steps\":[]}\n```", "none fits"},
	}
	for _, mode := range []prompt.Mode{prompt.ModePinned, prompt.ModeGeneric} {
		for _, c := range cases {
			p, err := prompt.DecodePlan([]byte(c.content), mode)
			var ce *prompt.CannotPlanError
			if !errors.As(err, &ce) || !errors.Is(err, prompt.ErrCannotPlan) {
				t.Fatalf("%s/%s: want a *CannotPlanError, got plan %v err %v", mode, c.name, p, err)
			}
			if ce.Reason != c.reason {
				t.Errorf("%s/%s: reason %q, want %q", mode, c.name, ce.Reason, c.reason)
			}
			var de *prompt.DecodeError
			if errors.As(err, &de) {
				t.Errorf("%s/%s: a refusal is reported as a decoding failure", mode, c.name)
			}
		}
	}
	// A blank cannot_plan with steps is a plan.
	p, err := prompt.DecodePlan([]byte(`{"goal":"g","reasoning":"","cannot_plan":" ","steps":[{"tool":"ping","id":"s1","args":{},"after":[],"if":"","for_each":""}]}`), prompt.ModePinned)
	if err != nil || len(p.Steps) != 1 {
		t.Fatalf("blank cannot_plan: plan %v err %v", p, err)
	}
}

// FuzzDecodePlan: DecodePlan must never panic and must either return a plan, a
// *DecodeError or the model's refusal, whatever a model sends.
func FuzzDecodePlan(f *testing.F) {
	f.Add([]byte(`{"goal":"g","reasoning":"","steps":[{"tool":"notify","id":"s1","args":{"text":null},"after":[],"if":"","for_each":""}]}`), true)
	f.Add([]byte(`{"steps":[{"tool":"n","id":"s1","args":[{"name":"a","value":"[1,{\"b\":null}]"}]}]}`), false)
	f.Add([]byte("```json\n{\"steps\":[]}\n```"), true)
	f.Add([]byte(`{"steps":[{"args":{"a":[null,{"b":null}]}}]`), true)
	f.Fuzz(func(t *testing.T, b []byte, pinned bool) {
		mode := prompt.ModeGeneric
		if pinned {
			mode = prompt.ModePinned
		}
		p, err := prompt.DecodePlan(b, mode)
		if err != nil {
			var de *prompt.DecodeError
			var ce *prompt.CannotPlanError
			if !errors.As(err, &de) && !errors.As(err, &ce) {
				t.Fatalf("error is neither a *DecodeError nor a *CannotPlanError: %v", err)
			}
			return
		}
		// A decoded plan must re-encode and decode to itself.
		out, err := prompt.EncodePlan(p, mode)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		q, err := prompt.DecodePlan(out, mode)
		if err != nil {
			t.Fatalf("decode of re-encoded plan: %v\n%s", err, out)
		}
		a, _ := json.Marshal(p)
		c, _ := json.Marshal(q)
		if string(a) != string(c) {
			t.Fatalf("round trip changed the plan:\n%s\n%s", a, c)
		}
	})
}
