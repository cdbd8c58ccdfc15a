package reuse

import (
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
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
