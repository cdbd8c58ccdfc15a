package plans

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText prints the report as tables for people: the scores of each set (and the
// combined line), TaskBench's pooled scores, the outcomes, the misses by kind, and with
// verbose every sample.
func (rep *Report) WriteText(w io.Writer, verbose bool) error {
	rows := append([]*Report(nil), rep.Sets...)
	if len(rows) == 0 {
		rows = []*Report{rep}
	} else {
		rows = append(rows, rep)
	}
	fmt.Fprintf(w, "planner: %s\n\n", rep.Planner)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "data set\tsamples\tvalid\tnode-F1\tedge-F1\targ-name-F1\targ-value-F1\tedit-dist\tp50 ms\tp95 ms\ttime\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%.2f\t%s\t\n",
			r.Dataset, r.Samples, 100*r.ValidRate, r.NodeF1, r.EdgeF1, r.ArgNameF1, r.ArgValueF1, r.EditDistance,
			r.Latency.P50, r.Latency.P95, (time.Duration(r.DurationMS) * time.Millisecond).String())
	}
	for _, r := range rows {
		tb := r.TaskBench
		fmt.Fprintf(tw, "%s (TaskBench pooled)\t\t\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\t\t\t\n",
			r.Dataset, tb.NodeF1, tb.EdgeF1, tb.ArgNameF1, tb.ArgValueF1, tb.EditDistance)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "data set\tserved\trefused\texact tools\twrong served\twrong rate\texact rate\tirrelevant refused\texact calls\t")
	for _, r := range rows {
		o := r.Outcomes
		irr, calls := "-", "-"
		if o.Irrelevant > 0 {
			irr = fmt.Sprintf("%d/%d (%.1f%%)", o.IrrelevantRefused, o.Irrelevant, 100*o.RefusalRate)
		}
		if o.CallsChecked > 0 {
			calls = fmt.Sprintf("%d/%d (%.1f%%)", o.ExactCalls, o.CallsChecked, 100*o.ExactCallRate)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.2f%%\t%.1f%%\t%s\t%s\t\n", r.Dataset, o.Served, o.Refused, o.ExactTools, o.Wrong,
			100*o.WrongRate, 100*o.ExactRate, irr, calls)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rows {
		if o := r.Outcomes; o.WrongBuiltin > 0 {
			fmt.Fprintf(w, "%s: %d of the %d wrong plans call only built-in tools, which the data set's gold cannot name\n", r.Dataset, o.WrongBuiltin, o.Wrong)
		}
	}
	if len(rep.Errors) > 0 {
		fmt.Fprintf(w, "\nmisses by kind:")
		for _, k := range slices.Sorted(maps.Keys(rep.Errors)) {
			fmt.Fprintf(w, " %s %d", k, rep.Errors[k])
		}
		fmt.Fprintln(w)
	}
	if verbose {
		rep.writeSamples(w)
	}
	return nil
}

// writeSamples lists every sample: scores, tools predicted against gold, and why a
// miss missed.
func (rep *Report) writeSamples(w io.Writer) {
	fmt.Fprintln(w)
	for _, r := range rep.Results {
		status := "ok"
		switch {
		case !r.Valid:
			status = r.ErrorKind
		case r.Wrong:
			status = "WRONG"
		}
		fmt.Fprintf(w, "%s  %s  node %.2f edge %.2f name %.2f value %.2f ed %.2f  %.1f ms\n",
			r.ID, status, r.NodeF1, r.EdgeF1, r.ArgNameF1, r.ArgValueF1, r.EditDistance, r.LatencyMS)
		fmt.Fprintf(w, "    request: %s\n    gold:    %s\n    planned: %s\n",
			r.Request, strings.Join(r.GoldTools, " -> "), strings.Join(r.PredTools, " -> "))
		if r.Error != "" {
			fmt.Fprintf(w, "    error:   %s\n", strings.ReplaceAll(r.Error, "\n", "\n             "))
		}
	}
}
