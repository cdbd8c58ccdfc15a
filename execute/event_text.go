package execute

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteText prints a step event for people, as `planwise run` shows a run's progress:
// a line when the step starts, and when it finishes its status, duration and whether it
// was simulated, then its error or its output (JSON cut at 200 bytes). Other events
// print nothing.
func (ev Event) WriteText(w io.Writer) {
	s := ev.Step
	if s == nil {
		return
	}
	switch ev.Type {
	case EventStepStarted:
		fmt.Fprintf(w, "  ... %s %s\n", s.ID, s.Tool)
	case EventStepFinished:
		mark := map[string]string{"succeeded": "ok ", "failed": "ERR", "skipped": "-- ", "canceled": "XX "}[s.Status]
		line := fmt.Sprintf("  %s %s %s (%.1f ms)", mark, s.ID, s.Tool, s.DurationMS)
		if s.Simulated {
			line += " [simulated]"
		}
		fmt.Fprintln(w, line)
		if s.Error != "" {
			fmt.Fprintf(w, "      %s\n", s.Error)
		} else if s.Output != nil {
			b, _ := json.Marshal(s.Output)
			out := string(b)
			if len(out) > 200 {
				out = out[:200] + "..."
			}
			fmt.Fprintf(w, "      -> %s\n", out)
		}
	}
}
