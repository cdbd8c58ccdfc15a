package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/eval/dataset"
	historyeval "github.com/planwise/planwise/eval/history"
)

func init() { registerEval(newEvalHistoryCmd) }

// evalHistoryFlags are the flags of `planwise eval history`; the CLINC150 options are
// bound to historyeval.CLINCOptions.
type evalHistoryFlags struct {
	dataset string
	data    string
	sizes   string
	sweep   bool
	clinc   historyeval.CLINCOptions
}

func newEvalHistoryCmd(a *cli) *cobra.Command {
	var f evalHistoryFlags
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
		RunE: func(cmd *cobra.Command, _ []string) error { return runEvalHistory(cmd, a, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.dataset, "dataset", "", "clinc150 or nestful (required)")
	fl.StringVar(&f.data, "data", "", "data file or directory (required)")
	fl.StringVar(&f.sizes, "sizes", "0,100,1000,10000", "clinc150: history sizes, comma-separated")
	fl.Uint64Var(&f.clinc.Seed, "seed", 1, "clinc150: seed of the deterministic samples")
	fl.Float64Var(&f.clinc.Floor, "floor", 0, "history planner similarity floor (0: the calibrated default)")
	fl.IntVar(&f.clinc.Limit, "limit", 0, "clinc150: evaluate at most N queries, sampled deterministically (0: all)")
	fl.BoolVar(&f.sweep, "sweep", false, "clinc150: report coverage and precision per similarity floor")
	fl.BoolVar(&f.clinc.Validation, "validation", false, "clinc150: query the validation split instead of the test split")
	fl.Float64Var(&f.clinc.VoteMargin, "vote", 0, "clinc150: history planner vote margin (0: the default; negative: no vote)")
	fl.IntVar(&f.clinc.Concurrency, "concurrency", 0, "queries planned at once (0: one per CPU)")
	_ = cmd.MarkFlagRequired("dataset")
	_ = cmd.MarkFlagRequired("data")
	return cmd
}

func runEvalHistory(cmd *cobra.Command, a *cli, f evalHistoryFlags) error {
	if f.clinc.Limit < 0 || f.clinc.Concurrency < 0 || f.clinc.Floor < 0 {
		return errors.New("--limit, --concurrency and --floor must not be negative")
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	switch f.dataset {
	case "clinc150":
		opts := f.clinc
		if opts.Sizes, err = historyeval.ParseSizes(f.sizes); err != nil {
			return fmt.Errorf("--sizes: %w", err)
		}
		data, err := dataset.LoadCLINC150(f.data)
		if err != nil {
			return err
		}
		if f.sweep {
			opts.Sweep = historyeval.SweepFloors()
		}
		opts.Progress = func(done, total int) { fmt.Fprintf(a.notes(), "history sizes done: %d/%d\n", done, total) }
		rep, err := historyeval.EvalCLINC(ctx, data, emb, opts)
		if err != nil {
			return err
		}
		return a.report(rep, compactJSON)
	case "nestful":
		combined, err := historyeval.EvalNESTFULSets(ctx, f.data, emb, f.clinc.Floor)
		if err != nil {
			return err
		}
		return a.report(combined, compactJSON)
	}
	return fmt.Errorf("--dataset %q: use clinc150 or nestful", f.dataset)
}
