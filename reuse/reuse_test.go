package reuse

import (
	"testing"

	"encoding/json"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

func TestStemAndWordEdits(t *testing.T) {
	for in, want := range map[string]string{"cancelled": "cancel", "cancelling": "cancel", "cards": "card", "bus": "bus", "quickly": "quick"} {
		if got := slot.Stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
	a := newWordList([]string{"card", "lost", "card"})
	b := newWordList([]string{"card", "stolen"})
	if n := wordEdits(a, b); n != 2 {
		t.Errorf("wordEdits = %d, want 2 (lost, stolen)", n)
	}
	if !a.has("lost") || a.has("stolen") || len(a) != 2 {
		t.Errorf("wordList %v", a)
	}
}

func TestGrounded(t *testing.T) {
	p := &plan.Plan{Steps: []plan.Step{
		{ID: "s1", Tool: "x", Args: map[string]any{"room": "Kitchen", "note": "${s0.text} for the kitchen"}},
	}}
	cached := newWordList(slot.Words("turn on the kitchen lights"))
	if !grounded(p, cached, newWordList(slot.Words("please turn on the kitchen lights"))) {
		t.Error("paraphrase keeping 'kitchen' must stay grounded")
	}
	if grounded(p, cached, newWordList(slot.Words("turn on the bedroom lights"))) {
		t.Error("'kitchen' copied from the cached request is missing from the new one")
	}
	// Words the cached request never contained (defaults chosen by the planner) and
	// references do not count.
	q := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "x", Args: map[string]any{"mode": "auto", "v": "${s1.text}"}}}}
	if !grounded(q, cached, newWordList(slot.Words("switch on lights"))) {
		t.Error("planner defaults are not copied words")
	}
}

func kernelRegistry(t *testing.T) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(&tool.Tool{Name: "set_lights", Description: "Switch the lights of a room.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"room":{"type":"string"},"state":{"type":"string","enum":["on","off"]}},"required":["room","state"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func analysed(reg *tool.Registry, text string, p *plan.Plan) *Request {
	r := Analyse(text, slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg)}).Extract(text))
	r.Plan = p
	return r
}

// The kernel runs the guards in order and names the first that refuses; Values adds the
// guards inside values and phrases.
func TestReuse(t *testing.T) {
	reg := kernelRegistry(t)
	on := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "set_lights", Args: map[string]any{"room": "kitchen", "state": "on"}}}}
	past := analysed(reg, "switch on the kitchen lights", on)
	cues := slot.CuesOf(reg)
	for _, c := range []struct {
		cur    string
		values bool
		want   Reason
	}{
		{"switch on the kitchen lights please", true, ""},
		{"switch off the kitchen lights", true, Negation},
		{"switch on the bedroom lights", false, Args},
		// "turn" is "switch", a cue of the registry ("Switch the lights"), and
		// "kitchen" comes from another context: refused only with the guards inside
		// values and phrases. "put on" says no cue the cached request said.
		{"turn on the lights in the kitchen", false, ""},
		{"turn on the lights in the kitchen", true, Args},
		{"put on the kitchen lights", true, Cues},
	} {
		p, why, _ := Reuse(past, analysed(reg, c.cur, nil), reg, Options{Values: c.values, MaxWordEdits: -1, Cues: cues})
		if why != c.want || (why == "") != (p != nil) {
			t.Errorf("%q (values %v): reason %q, plan %v; want %q", c.cur, c.values, why, p != nil, c.want)
		}
	}
	// Polarity words count with their repeats: "not ... not" is not "not".
	off := analysed(reg, "do not switch the kitchen lights on, not now", on)
	if _, why, _ := Reuse(off, analysed(reg, "do not switch the kitchen lights on now", nil), reg, Options{MaxWordEdits: -1}); why != Negation {
		t.Errorf("repeated negation: reason %q, want %q", why, Negation)
	}
	// The plan served is a re-bound copy: the past plan is untouched.
	p, _, _ := Reuse(past, analysed(reg, "switch on the kitchen lights please", nil), reg, Options{MaxWordEdits: -1})
	p.Steps[0].Args["room"] = "hall"
	if on.Steps[0].Args["room"] != "kitchen" {
		t.Error("Reuse returned the past plan itself")
	}
}

// A changed name that the past request also gives in another form (a nationality) may
// have reached the plan through that form: "an Australian passport ... visit Australia"
// re-bound to "... visit Canada" applied for a Canadian passport.
func TestNamedTwice(t *testing.T) {
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "apply_for_passport", Description: "Apply for a passport of a country.",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"country":{"type":"string"}},"required":["country"]}`)},
		&tool.Tool{Name: "plan_trip", Description: "Plan a trip to a country.",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"country":{"type":"string"}},"required":["country"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{Steps: []plan.Step{
		{ID: "s1", Tool: "apply_for_passport", Args: map[string]any{"country": "Australia"}},
		{ID: "s2", Tool: "plan_trip", Args: map[string]any{"country": "Australia"}},
	}}
	past := analysed(reg, "apply for an Australian passport and plan a trip to Australia", p)
	if got, why, _ := Reuse(past, analysed(reg, "apply for an Australian passport and plan a trip to Canada", nil), reg, Options{MaxWordEdits: -1}); why != Rebind {
		t.Errorf("reason %q, plan %v; want %q", why, got, Rebind)
	}
	// The same request again is no re-binding.
	if _, why, _ := Reuse(past, analysed(reg, "apply for an Australian passport and plan a trip to Australia", nil), reg, Options{MaxWordEdits: -1}); why != "" {
		t.Errorf("repeat: reason %q", why)
	}
}

// Validated: a plan the re-binding leaves as it was is not validated again; one it
// changes is.
func TestValidatedSkipsOnlyUnchangedPlans(t *testing.T) {
	reg := kernelRegistry(t)
	// Invalid on purpose (no such state), so that a validation would refuse it.
	dim := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "set_lights", Args: map[string]any{"room": "Kitchen", "state": "dim"}}}}
	past := analysed(reg, "switch on the Kitchen lights", dim)
	if p, why, _ := Reuse(past, analysed(reg, "switch on the Kitchen lights", nil), reg, Options{MaxWordEdits: -1, Validated: true}); p == nil {
		t.Errorf("unchanged, validated: refused (%q)", why)
	}
	if _, why, _ := Reuse(past, analysed(reg, "switch on the Kitchen lights", nil), reg, Options{MaxWordEdits: -1}); why != Invalid {
		t.Errorf("unchanged, not validated: reason %q, want %q", why, Invalid)
	}
	if _, why, _ := Reuse(past, analysed(reg, "switch on the Hall lights", nil), reg, Options{MaxWordEdits: -1, Validated: true}); why != Invalid {
		t.Errorf("re-bound: reason %q, want %q", why, Invalid)
	}
}
