package main

import (
	"github.com/spf13/cobra"

	routeeval "github.com/planwise/planwise/eval/route"
)

// evalRouteFlags are the flags of `planwise eval route`.
type evalRouteFlags struct {
	taskbench string
	eval      routeeval.TaskBenchOptions
	replay    routeeval.ReplayConfig
	doReplay  bool
}

func newEvalRouteCmd(a *cli) *cobra.Command {
	var f evalRouteFlags
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
			if f.doReplay {
				return a.report(routeeval.ReplayTaskBench(cmd.Context(), f.taskbench, f.eval.Filter, f.replay, a.notes()))
			}
			f.eval.Notes = a.notes()
			return a.report(routeeval.EvaluateTaskBench(f.taskbench, f.eval))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.taskbench, "taskbench", "", "TaskBench domain directory or root (required)")
	fl.StringVar(&f.eval.Filter, "filter", routeeval.DefaultFilter, "alignment_ids.json filter giving the shape labels")
	fl.StringVar(&f.eval.Split, "split", "heldout", "requests scored: heldout, train or all")
	fl.IntVar(&f.eval.Limit, "limit", 0, "score at most N requests per domain (0: all)")
	fl.BoolVar(&f.eval.Train, "train", false, "re-fit the analyzer's models on the train part first")
	fl.StringVar(&f.eval.Out, "out", "", "with --train: write the fitted models to this file (route/models.json)")
	fl.BoolVar(&f.doReplay, "replay", false, "replay requests through the planner and the simulator and compare cost")
	fl.IntVar(&f.replay.Requests, "requests", 200, "with --replay: requests replayed (spread over the domain's shapes)")
	fl.Float64Var(&f.replay.MiniFail.Simple, "mini-fail-simple", routeeval.DefaultMiniFail().Simple, "with --replay: probability that the cheap model's plan for a single-step request is invalid")
	fl.Float64Var(&f.replay.MiniFail.Moderate, "mini-fail-moderate", routeeval.DefaultMiniFail().Moderate, "with --replay: the same for chain requests")
	fl.Float64Var(&f.replay.MiniFail.Complex, "mini-fail-complex", routeeval.DefaultMiniFail().Complex, "with --replay: the same for DAG requests")
	fl.Float64Var(&f.replay.StrongFail, "strong-fail", routeeval.DefaultStrongFail, "with --replay: probability that gpt-4o's plan for a DAG request is invalid")
	fl.Float64Var(&f.replay.LatencyScale, "latency-scale", 0.02, "with --replay: simulator latency multiplier")
	fl.IntVar(&f.replay.Concurrency, "concurrency", 8, "with --replay: requests in flight")
	fl.Uint64Var(&f.replay.Seed, "seed", 1, "with --replay: seed of the simulator and of the quality model")
	fl.BoolVar(&f.replay.PerCall, "per-call", false, "with --replay: draw model failures per call (repair often fixes them) instead of per request")
	return cmd
}
