package main

import (
	"github.com/spf13/cobra"

	routeeval "github.com/planwise/planwise/eval/route"
)

func newEvalRouteCmd(a *cli) *cobra.Command {
	var f routeeval.Config // the flags of eval route
	cmd := &cobra.Command{
		Use:   "route --taskbench DIR",
		Short: "Score the complexity analyzers against TaskBench plan shapes; replay the routing cost",
		Long: `Score the router's complexity analysis against TaskBench's labelled plan shapes
(single -> simple, chain -> moderate, dag -> complex; alignment_ids.json, filter
node_alignment_id unless --filter): 3-class accuracy, single-vs-multi-step (binary)
accuracy and the confusion matrix, for the seed heuristics and for the analyzer. The
analyzer matches clauses to the domain's own tool_desc.json.

--taskbench is a domain directory or the TaskBench root (every domain, then a combined
line). Requests are split by the FNV-1a hash of their id (1 in 5 held out); the
analyzer's model was fitted on the train part, so the default --split heldout is the
honest figure.

--train re-fits the analyzer's models on the train part of the given domains and
evaluates the fitted models; with --out it also writes them (route/models.json is the
file the route package embeds; go generate ./route runs this).

--replay measures cost instead: it replays --requests TaskBench requests through the
real planner against an in-process simulator (a TEST DOUBLE, see planwise sim) three
times: routed by complexity with the cascade, cheap-first (gpt-4o-mini for everything,
escalating to gpt-4o) and gpt-4o for everything, and prints plan validity, cost, cost
per valid plan and the saving of routing against gpt-4o for everything. The cheap model's quality is a
stated assumption (--mini-fail-*), not a measurement of gpt-4o-mini.`,
		Example: `  planwise eval route --taskbench ../shared/data/taskbench/dailylifeapis
  planwise eval route --taskbench ../shared/data/taskbench --json
  planwise eval route --taskbench ../shared/data/taskbench --train --out route/models.json
  planwise eval route --replay --taskbench ../shared/data/taskbench/dailylifeapis --requests 300`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.report(routeeval.Measure(cmd.Context(), f, a.notes()))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.TaskBench, "taskbench", "", "TaskBench domain directory or root (required)")
	fl.StringVar(&f.Eval.Filter, "filter", routeeval.DefaultFilter, "alignment_ids.json filter giving the shape labels")
	fl.StringVar(&f.Eval.Split, "split", "heldout", "requests scored: heldout, train or all")
	fl.IntVar(&f.Eval.Limit, "limit", 0, "score at most N requests per domain (0: all)")
	fl.BoolVar(&f.Eval.Train, "train", false, "re-fit the analyzer's models on the train part first")
	fl.StringVar(&f.Eval.Out, "out", "", "with --train: write the fitted models to this file (route/models.json)")
	fl.BoolVar(&f.Replay, "replay", false, "replay requests through the planner and the simulator and compare cost")
	fl.IntVar(&f.ReplayOptions.Requests, "requests", 200, "with --replay: requests replayed (spread over the domain's shapes)")
	fl.Float64Var(&f.ReplayOptions.MiniFail.Simple, "mini-fail-simple", routeeval.DefaultMiniFail().Simple, "with --replay: probability that the cheap model's plan for a single-step request is invalid")
	fl.Float64Var(&f.ReplayOptions.MiniFail.Moderate, "mini-fail-moderate", routeeval.DefaultMiniFail().Moderate, "with --replay: the same for chain requests")
	fl.Float64Var(&f.ReplayOptions.MiniFail.Complex, "mini-fail-complex", routeeval.DefaultMiniFail().Complex, "with --replay: the same for DAG requests")
	fl.Float64Var(&f.ReplayOptions.StrongFail, "strong-fail", routeeval.DefaultStrongFail, "with --replay: probability that gpt-4o's plan for a DAG request is invalid")
	fl.Float64Var(&f.ReplayOptions.LatencyScale, "latency-scale", 0.02, "with --replay: simulator latency multiplier")
	fl.IntVar(&f.ReplayOptions.Concurrency, "concurrency", 8, "with --replay: requests in flight")
	fl.Uint64Var(&f.ReplayOptions.Seed, "seed", 1, "with --replay: seed of the simulator and of the quality model")
	fl.BoolVar(&f.ReplayOptions.PerCall, "per-call", false, "with --replay: draw model failures per call (repair often fixes them) instead of per request")
	return cmd
}
