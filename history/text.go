package history

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// The learning loop's reports for people, as `planwise history|insights|experiments`
// print them.

// WriteRecords prints records as a table: when, where the plan came from, whether the
// first answer was valid, the latency, the tools and the request.
func WriteRecords(w io.Writer, rs []*Record) error {
	if len(rs) == 0 {
		fmt.Fprintln(w, "no records")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "time\tsource\tvalid\tms\ttools\trequest")
	for _, r := range rs {
		src := r.Source
		if r.Fallback {
			src += " (fallback)"
		}
		req := r.Request
		if len(req) > 80 {
			req = req[:77] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%.1f\t%s\t%s\n", r.Time.Local().Format(time.DateTime), src, r.Valid, r.LatencyMS,
			strings.Join(r.Tools(), ","), req)
	}
	return tw.Flush()
}

// WriteText prints the insights: the counts, the suggestions, then the failures grouped
// by argument, tool, error type, request pattern and prompt variant.
func (in *Insights) WriteText(w io.Writer) {
	if in.Requests == 0 { // no rate to give: 0% would read as "every request failed"
		if in.Since.IsZero() {
			fmt.Fprintln(w, "no requests recorded")
		} else {
			fmt.Fprintf(w, "no requests recorded since %s\n", in.Since.Local().Format(time.DateTime))
		}
		return
	}
	fmt.Fprintf(w, "%d requests, %d failing; validity %.1f%% of %d plans, %d refused (no tool fits), fallback from the LLM %.1f%%",
		in.Requests, in.Failures, 100*in.ValidityRate, in.Plans, in.Refusals, 100*in.FallbackRate)
	if in.Offline > 0 {
		fmt.Fprintf(w, "; %d planned offline (no LLM in use)", in.Offline)
	}
	fmt.Fprintln(w)
	if len(in.Suggestions) == 0 {
		fmt.Fprintln(w, "no suggestions: no failure pattern has enough evidence")
	} else {
		fmt.Fprintln(w, "\nsuggestions:")
		for _, s := range in.Suggestions {
			fmt.Fprintf(w, "  - [%s] %s\n", s.Kind, s.Text)
		}
	}
	section := func(title string, gs []Group) {
		if len(gs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, g := range gs {
			fmt.Fprintf(tw, "  %s\t%d/%d\t%.0f%%\n", g.Key, g.Failures, g.Total, 100*g.Rate)
		}
		tw.Flush()
	}
	section("failing arguments", in.ByArgument)
	section("failing tools", in.ByTool)
	section("error types", in.ByErrorType)
	section("request patterns", in.ByPattern)
	section("prompt variants (fallbacks)", in.ByVariant)
}

// WriteExperiments prints each experiment: its status, per-variant statistics and the
// significance test.
func WriteExperiments(w io.Writer, reps []*ExperimentReport) error {
	if len(reps) == 0 {
		_, err := fmt.Fprintln(w, "no experiments")
		return err
	}
	for _, rep := range reps {
		e := rep.Experiment
		fmt.Fprintf(w, "%s (%s): %s", e.ID, e.Name, e.Status)
		if e.Winner != "" {
			fmt.Fprintf(w, ", winner %s", e.Winner)
		}
		fmt.Fprintf(w, "; auto-promote %v, min samples %d, alpha %g\n", e.AutoPromote, e.MinSamples, e.Alpha)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  variant\tshare\trequests\tplans\tvalidity\trefusals\tllm success\texec success\tfallback\tmean ms\tmean $")
		shares := map[string]float64{}
		for _, v := range e.Variants {
			shares[v.Name] = v.Share
		}
		for _, s := range rep.Stats {
			fmt.Fprintf(tw, "  %s\t%.2f\t%d\t%d\t%.3f\t%d (%.3f)\t%.3f\t%.3f\t%.3f\t%.1f\t%.6f\n", s.Variant, shares[s.Variant], s.Requests,
				s.Plans, s.ValidityRate, s.Refusals, s.RefusalRate, s.LLMSuccessRate, s.ExecutionSuccessRate, s.FallbackRate, s.MeanLatencyMS, s.MeanCostUSD)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if t := rep.Test; t != nil {
			fmt.Fprintf(w, "  %s (over the model's plans): %s vs %s z=%.2f p=%.3g significant=%v; refusals z=%.2f p=%.3g",
				t.Metric, t.Best, t.RunnerUp, t.Z, t.PValue, t.Significant, t.RefusalZ, t.RefusalPValue)
			if t.RefusesMore {
				fmt.Fprintf(w, " (%s refuses significantly more: not promoted unless named)", t.Best)
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}
