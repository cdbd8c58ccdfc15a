package planner

import (
	"strings"
	"testing"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
)

func TestRunStateWriteText(t *testing.T) {
	for _, tt := range []struct {
		st   RunState
		want string
	}{
		{RunState{Result: execute.Result{ID: "r1", Status: "succeeded", DurationMS: 1.25}, Source: "pattern"},
			"run r1: succeeded in 1.2 ms (plan from pattern)\n"},
		{RunState{Result: execute.Result{ID: "r2", Status: "failed", Error: "plan invalid: s1: unknown tool", DurationMS: 0.04}, Source: "user"},
			"run r2: failed in 0.0 ms (plan from user)\n  plan invalid: s1: unknown tool\n"},
	} {
		var b strings.Builder
		if err := tt.st.WriteText(&b); err != nil || b.String() != tt.want {
			t.Errorf("WriteText = %q, %v; want %q", b.String(), err, tt.want)
		}
	}
}

func TestResponseWriteTextIsString(t *testing.T) {
	r := &Response{Source: "pattern", Fallback: true, FallbackReason: "offline",
		Plan: &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "current_time", Args: map[string]any{"timezone": "Asia/Tokyo"}}}}}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil || b.String() != r.String() || !strings.Contains(b.String(), `current_time(timezone="Asia/Tokyo")`) {
		t.Errorf("WriteText = %q, %v; String = %q", b.String(), err, r.String())
	}
}

// The first line says where the plan came from; on a fallback the model named is the one
// that failed, after the reason, not beside the offline planner that made the plan.
func TestResponseStringNamesTheModelThatPlannedOrFailed(t *testing.T) {
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "current_time", Args: map[string]any{"timezone": "Asia/Tokyo"}}}}
	for _, tt := range []struct {
		r    Response
		want string
	}{
		{Response{Plan: p, Source: SourceLLM, Model: "gpt-4o-mini"}, "source: llm (model gpt-4o-mini)\n"},
		{Response{Plan: p, Source: "pattern", Model: "gpt-4o", Fallback: true, FallbackReason: ReasonProviderError},
			"source: pattern, fallback: provider_error (after model gpt-4o)\n"},
		{Response{Plan: p, Source: "pattern", Fallback: true, FallbackReason: ReasonOffline}, "source: pattern, fallback: offline\n"},
	} {
		if got, _, _ := strings.Cut(tt.r.String(), "  s1"); got != tt.want {
			t.Errorf("String() starts %q; want %q", got, tt.want)
		}
	}
}
