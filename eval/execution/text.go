package execution

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/planwise/planwise/internal/textfmt"
)

// WriteText prints the report for people.
func (r *Report) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "data set\t%s\n", r.Dataset)
	fmt.Fprintf(tw, "requests\t%d\n", r.Requests)
	fmt.Fprintf(tw, "planned\t%d (%s)\n", r.Planned, textfmt.Counts(r.Sources))
	fmt.Fprintf(tw, "runs succeeded\t%d\n", r.Succeeded)
	fmt.Fprintf(tw, "execution success rate\t%.1f%% of planned requests\n", 100*r.ExecutionSuccessRate)
	fmt.Fprintf(tw, "end-to-end success rate\t%.1f%% of all requests\n", 100*r.EndToEndRate)
	fmt.Fprintf(tw, "plan errors\t%s\n", textfmt.Counts(r.PlanErrors))
	fmt.Fprintf(tw, "run statuses\t%s\n", textfmt.Counts(r.RunStatuses))
	fmt.Fprintf(tw, "steps\t%d (%d simulated; %s)\n", r.Steps, r.SimulatedSteps, textfmt.Counts(r.StepStatuses))
	fmt.Fprintf(tw, "time\t%d ms\n", r.DurationMS)
	tw.Flush()
	for _, f := range r.Failures {
		fmt.Fprintf(w, "  %s: %s\n      %q\n", f.Status, f.Error, f.Request)
	}
}
