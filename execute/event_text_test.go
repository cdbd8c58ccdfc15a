package execute

import (
	"bytes"
	"strings"
	"testing"
)

func TestEventWriteText(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, tc := range []struct {
		ev   Event
		want string
	}{
		{Event{Type: EventStepStarted, Step: &StepResult{ID: "s1", Tool: "get_time"}}, "  ... s1 get_time\n"},
		{Event{Type: EventStepFinished, Step: &StepResult{ID: "s1", Tool: "get_time", Status: "succeeded", DurationMS: 1.25, Output: map[string]any{"time": "12:00"}}},
			"  ok  s1 get_time (1.2 ms)\n      -> {\"time\":\"12:00\"}\n"},
		{Event{Type: EventStepFinished, Step: &StepResult{ID: "s2", Tool: "book", Status: "failed", DurationMS: 3, Simulated: true, Error: "no seats"}},
			"  ERR s2 book (3.0 ms) [simulated]\n      no seats\n"},
		{Event{Type: EventStepFinished, Step: &StepResult{ID: "s3", Tool: "echo", Status: "succeeded", Output: long}},
			"  ok  s3 echo (0.0 ms)\n      -> \"" + long[:199] + "...\n"},
		{Event{Type: EventStepFinished, Step: &StepResult{ID: "s4", Tool: "t", Status: "skipped"}}, "  --  s4 t (0.0 ms)\n"},
		{Event{Type: EventRunFinished}, ""},
	} {
		var b bytes.Buffer
		tc.ev.WriteText(&b)
		if b.String() != tc.want {
			t.Errorf("%s %+v:\n got %q\nwant %q", tc.ev.Type, tc.ev.Step, b.String(), tc.want)
		}
	}
}
