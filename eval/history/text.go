package historyeval

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/planwise/planwise/eval/plans"
)

// WriteText prints the CLINC150 report for people: the pattern planner alone, then
// accuracy, coverage and precision per history size, and the floor sweep.
func (rep *clincReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "CLINC150 %s split: %d queries, %d tools (one per intent), %d training utterances; embedder %s, floor %.2f\n",
		rep.Split, rep.Queries, rep.Tools, rep.Train, rep.Embedder, rep.Floor)
	fmt.Fprintf(w, "pattern planner alone: tool-selection accuracy %.3f (no plan %.3f)\n", rep.PatternAccuracy, rep.PatternNoPlan)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "history\taccuracy\thistory coverage\thistory precision\tno plan\tmean ms")
	for _, s := range rep.Sizes {
		fmt.Fprintf(tw, "%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", s.History, s.Accuracy, s.Coverage, s.HistoryPrecision, s.NoPlan, s.MeanMS)
	}
	tw.Flush()
	if len(rep.Sweep) > 0 {
		fmt.Fprintln(w, "floor sweep at the largest history size:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "floor\tcoverage\thistory precision\taccuracy (with pattern)")
		for _, p := range rep.Sweep {
			fmt.Fprintf(tw, "%.2f\t%.3f\t%.3f\t%.3f\n", p.Floor, p.Coverage, p.HistoryPrecision, p.Accuracy)
		}
		tw.Flush()
	}
	_, err := fmt.Fprintf(w, "took %d ms\n", rep.DurationMS)
	return err
}

// WriteText prints the NESTFUL comparison for people: history+pattern against pattern
// alone, per set and combined.
func (combined *nestfulSummary) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "set\tplanner\tsamples\tvalid\tnode-F1\tedge-F1\targ-name F1\targ-value F1\thistory coverage")
	row := func(set, name string, r *plans.Report, cov string) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\n", set, name, r.Samples, r.ValidRate, r.NodeF1, r.EdgeF1, r.ArgNameF1, r.ArgValueF1, cov)
	}
	for _, r := range combined.Sets {
		row(r.Set, "history+pattern", r.History, fmt.Sprintf("%.3f", r.Coverage))
		row(r.Set, "pattern", r.Pattern, "")
	}
	row("all", "history+pattern", combined.History, "")
	row("all", "pattern", combined.Pattern, "")
	return tw.Flush()
}
