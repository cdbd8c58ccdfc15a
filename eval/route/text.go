package routeeval

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/planwise/planwise/internal/textfmt"
	"github.com/planwise/planwise/route"
)

// WriteText prints the report for people: the scores per domain (and combined) and
// the confusion matrices.
func (rep *report) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "split %s (fnv1a(id) %% %d == 0 held out), filter %s\n", rep.Split, heldOutMod, rep.Filter)
	fmt.Fprintln(tw, "domain\tsamples\taccuracy\tbinary\tmodel only\tseed accuracy\tseed binary\tus/request")
	rows := rep.Domains
	if len(rows) == 0 {
		rows = []domainReport{rep.domainReport}
	}
	for _, d := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\n", d.Domain, d.Samples, d.Accuracy, d.BinaryAccuracy, d.ModelOnlyAccuracy, d.SeedAccuracy, d.SeedBinaryAccuracy, d.AnalyzeMicros)
	}
	if len(rep.Domains) > 1 {
		fmt.Fprintf(tw, "combined\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\n", rep.Samples, rep.Accuracy, rep.BinaryAccuracy, rep.ModelOnlyAccuracy, rep.SeedAccuracy, rep.SeedBinaryAccuracy, rep.AnalyzeMicros)
	}
	tw.Flush()
	for _, d := range rows {
		fmt.Fprintf(w, "\n%s: confusion (rows gold, columns predicted: simple moderate complex)\n", d.Domain)
		writeConfusion(w, "analyzer", d.Confusion)
		writeConfusion(w, "seed", d.SeedConfusion)
	}
}

func writeConfusion(w io.Writer, name string, c [3][3]int) {
	names := route.Tiers()
	for g := range 3 {
		label := ""
		if g == 0 {
			label = name
		}
		fmt.Fprintf(w, "  %-9s %-9s %6d %6d %6d\n", label, names[g], c[g][0], c[g][1], c[g][2])
	}
}

// WriteText prints the replay for people: each run's validity, cost and latency, and
// the saving of routing.
func (rep *ReplayReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%s: %d requests (shapes %s), routed tiers %s\n", rep.Domain, rep.Requests, textfmt.Counts(rep.Shapes), textfmt.Counts(rep.RouteMix))
	fmt.Fprintf(w, "assumption: %s\n", rep.Assumption)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\tLLM-valid\tvalidity\tfallbacks\terrors\tcost USD\tcost/valid USD\tescalated\tmean ms\tp95 ms\tdag mean ms\tcalls")
	for _, r := range []ReplayRun{rep.Routed, rep.CheapFirst, rep.Strong} {
		fmt.Fprintf(tw, "%s\t%d/%d\t%.3f\t%d\t%d\t%.4f\t%.6f\t%d\t%.1f\t%.1f\t%.1f\t%s\n", r.Name, r.LLMValid, r.Requests, r.Validity, r.Fallbacks, r.Errors, r.CostUSD, r.CostPerValid, r.Escalated, r.MeanLatencyMS, r.P95LatencyMS, r.DAGMeanLatencyMS, textfmt.Counts(r.Calls))
	}
	tw.Flush()
	fmt.Fprintf(w, "saving of routed against strong-only: %.1f%% of total cost, %.1f%% per valid plan\n\n", 100*rep.Saving, 100*rep.SavingPerValid)
}
