package main

import (
	"fmt"

	"github.com/spf13/cobra"

	historyeval "github.com/planwise/planwise/eval/history"
)

func newEvalHistoryCmd(a *cli) *cobra.Command {
	var f historyeval.Config // the flags of eval history
	cmd := &cobra.Command{
		Use:   "history --dataset clinc150|nestful --data PATH",
		Short: "Measure the history planner as execution history grows",
		Long: `Measure the history planner (reuse the plan of the most similar successful past request,
slots re-bound, guarded and validated; the pattern planner when it cannot plan) against
the pattern planner alone, with the built-in local embedder.

  --dataset clinc150  --data data_full.json: each of the 150 intents is a tool with no
                      arguments; training utterances become the history (successful
                      records calling their intent's tool), sampled deterministically at
                      each --sizes; test utterances are the queries. Prints tool-selection
                      accuracy (the plan calls exactly the gold tool) per history size,
                      the history planner's coverage and precision, and the pattern
                      planner alone. --sweep adds coverage/precision/accuracy per
                      similarity floor at the largest size; --validation evaluates on the
                      validation split (calibrate the floor there, report on test).
  --dataset nestful   --data is the nestful directory (or one *-data.json): leave-one-out
                      over each set, the other samples' gold plans as history; node-F1 and
                      the other TaskBench scores of history+pattern vs pattern alone.`,
		Example: `  planwise eval history --dataset clinc150 --data ../shared/data/semcache/clinc150/data_full.json
  planwise eval history --dataset clinc150 --data ../shared/data/semcache/clinc150/data_full.json --validation --sweep --sizes 10000
  planwise eval history --dataset nestful --data ../shared/data/nestful --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.CLINC.Progress = func(done, total int) { fmt.Fprintf(a.notes(), "history sizes done: %d/%d\n", done, total) }
			return a.report(historyeval.Evaluate(cmd.Context(), f))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Dataset, "dataset", "", "clinc150 or nestful (required)")
	fl.StringVar(&f.Data, "data", "", "data file or directory (required)")
	fl.StringVar(&f.Sizes, "sizes", "0,100,1000,10000", "clinc150: history sizes, comma-separated")
	fl.Uint64Var(&f.CLINC.Seed, "seed", 1, "clinc150: seed of the deterministic samples")
	fl.Float64Var(&f.CLINC.Floor, "floor", 0, "history planner similarity floor (0: the calibrated default)")
	fl.IntVar(&f.CLINC.Limit, "limit", 0, "clinc150: evaluate at most N queries, sampled deterministically (0: all)")
	fl.BoolVar(&f.Sweep, "sweep", false, "clinc150: report coverage and precision per similarity floor")
	fl.BoolVar(&f.CLINC.Validation, "validation", false, "clinc150: query the validation split instead of the test split")
	fl.Float64Var(&f.CLINC.VoteMargin, "vote", 0, "clinc150: history planner vote margin (0: the default; negative: no vote)")
	fl.IntVar(&f.CLINC.Concurrency, "concurrency", 0, "queries planned at once (0: one per CPU)")
	_ = cmd.MarkFlagRequired("dataset")
	_ = cmd.MarkFlagRequired("data")
	return cmd
}
