package cacheeval

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"text/tabwriter"
	"time"
)

// writeReport prints a pair-set report (and the threshold sweep, when there is one) for
// people.
func writeReport(out io.Writer, name string, r *report, sweep []SweepPoint) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "set\t%s\n", name)
	fmt.Fprintf(w, "embedder\t%s\n", r.Embedder)
	fmt.Fprintf(w, "threshold\t%.2f\n", r.Threshold)
	fmt.Fprintf(w, "pairs\t%d\t(reachable %d, store rejected %d)\n", r.Pairs, r.Reachable, r.StoreRejected)
	fmt.Fprintf(w, "hits\t%d\t(correct %d)\n", r.Hits, r.CorrectHits)
	fmt.Fprintf(w, "wrong plans\t%d\n", r.WrongPlans)
	fmt.Fprintf(w, "hit rate\t%.2f%%\n", 100*r.HitRate)
	fmt.Fprintf(w, "wrong plan rate\t%.2f%%\n", 100*r.WrongPlanRate)
	fmt.Fprintf(w, "lookup p50 / p99\t%s / %s\n", time.Duration(r.LookupP50US*1e3), time.Duration(r.LookupP99US*1e3))
	w.Flush()
	if len(r.ByKind) > 0 {
		fmt.Fprintln(out)
		w = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "kind\tpairs\treachable\thits\tcorrect\twrong")
		kinds := make([]string, 0, len(r.ByKind))
		for k := range r.ByKind {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			kr := r.ByKind[k]
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\n", k, kr.Pairs, kr.Reachable, kr.Hits, kr.CorrectHits, kr.WrongPlans)
		}
		w.Flush()
	}
	fmt.Fprintln(out)
	reasons := make([]string, 0, len(r.ByReason))
	for k := range r.ByReason {
		reasons = append(reasons, k)
	}
	sort.Strings(reasons)
	for _, k := range reasons {
		fmt.Fprintf(out, "  %-22s %d\n", k, r.ByReason[k])
	}
	if len(sweep) > 0 {
		fmt.Fprintln(out)
		w = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "threshold\thits\tcorrect\twrong\thit rate\twrong rate")
		for _, p := range sweep {
			fmt.Fprintf(w, "%.2f\t%d\t%d\t%d\t%.2f%%\t%.2f%%\n", p.Threshold, p.Hits, p.CorrectHits, p.WrongPlans, 100*p.HitRate, 100*p.WrongPlanRate)
		}
		w.Flush()
	}
}

// writeReplay prints a replay's report for people: the stream, hits, wrong plans, the
// breakdown per request kind next to the seed design's, and the misses by reason.
func writeReplay(out io.Writer, dir string, mix Mix, wl *Workload, r *replayReport) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "replay\ttaskbench %s\n", dir)
	fmt.Fprintf(w, "stream\t%d requests from %d base requests (%s)\n", r.Requests, wl.Base, mix)
	fmt.Fprintf(w, "embedder\t%s\n", r.Embedder)
	fmt.Fprintf(w, "threshold\t%.2f\n", r.Threshold)
	fmt.Fprintf(w, "hits\t%d\t(exact %d, semantic %d; correct %d)\n", r.Hits, r.ExactHits, r.SemanticHits, r.CorrectHits)
	fmt.Fprintf(w, "wrong plans\t%d\n", r.WrongPlans)
	fmt.Fprintf(w, "hit rate\t%.2f%%\t(%.2f%% of requests that are not new)\n", 100*r.HitRate, 100*r.HitRateRepeated)
	fmt.Fprintf(w, "wrong plan rate\t%.2f%%\n", 100*r.WrongPlanRate)
	fmt.Fprintf(w, "planner on hits p50 / p99\t%s / %s\n", time.Duration(r.HitP50US*1e3), time.Duration(r.HitP99US*1e3))
	fmt.Fprintf(w, "model calls\t%d\t(errors %d)\n", r.LLMCalls, r.Errors)
	w.Flush()
	fmt.Fprintln(out)
	w = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "kind\trequests\thits\tcorrect\twrong\thit rate\tseed hits\tseed wrong")
	for _, k := range replayKinds {
		kr := r.ByKind[k]
		if kr == nil {
			continue
		}
		var sh, sw int
		if r.Seed != nil && r.Seed.ByKind[k] != nil {
			sh, sw = r.Seed.ByKind[k].Hits, r.Seed.ByKind[k].WrongPlans
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%.2f%%\t%d\t%d\n", k, kr.Requests, kr.Hits, kr.CorrectHits, kr.WrongPlans, 100*kr.HitRate, sh, sw)
	}
	w.Flush()
	fmt.Fprintln(out, "\nmisses by reason:")
	reasons := slices.Sorted(maps.Keys(r.Misses))
	for _, k := range reasons {
		fmt.Fprintf(out, "  %-22s %d\n", k, r.Misses[k])
	}
	if s := r.Seed; s != nil {
		fmt.Fprintf(out, "\nseed design (cosine >= %.2f on the raw request, no templates, no guards): hits %d, correct %d, wrong plans %d, hit rate %.2f%%, wrong plan rate %.2f%%\n",
			s.Threshold, s.Hits, s.CorrectHits, s.WrongPlans, 100*s.HitRate, 100*s.WrongPlanRate)
	}
}
