package main

import (
	"github.com/spf13/cobra"

	"github.com/planwise/planwise/eval/plans"
	"github.com/planwise/planwise/internal/progress"
)

func newEvalCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate planwise on labelled data sets",
		// Evaluations never write to the configured store: their requests must not
		// become history or cached plans.
		PersistentPreRun: func(*cobra.Command, []string) { a.opts.Memory = true },
		Long: `Evaluate planwise on public labelled data sets (see ../shared/data/README.md) and
print the scores. Each subcommand evaluates one stage.`,
	}
	cmd.AddCommand(newEvalPlansCmd(a), newEvalCacheCmd(a), newEvalHistoryCmd(a), newEvalRouteCmd(a), newEvalRunCmd(a))
	a.jsonFlag(cmd, true)
	return cmd
}

func newEvalPlansCmd(a *cli) *cobra.Command {
	var f plans.Config
	cmd := &cobra.Command{
		Use:   "plans --dataset nestful|taskbench|bfcl|cases --data PATH",
		Short: "Score the planner's plans against gold plans (TaskBench metrics)",
		Long: `Plan every request of a labelled data set and score the plans against the gold plans
as TaskBench does: node F1 (tool names), edge F1 (dependencies between tools),
argument-name F1, argument-value F1 and normalised edit distance of the tool sequence,
plus the validity rate. Scores are per-sample means over every sample; a planner error
or a plan that fails validation is a miss (F1 0, edit distance 1), never dropped, and a
wrong plan never scores above a refusal. The "TaskBench pooled" line repeats the F1
scores pooled over samples as TaskBench's evaluate.py does, for comparison with its
leaderboard.

Next to the F1s every report counts what was served: plans served and refused, plans
with exactly the gold tools, and wrong plans served (another tool sequence, or any plan
for a request no tool serves). Right or refused: a wrong plan is worse than a refusal.

The tool catalogue is the data set's own, plus the configured tool paths and any
--tools, plus the built-in tools, as "planwise plan" has them (--builtins=false leaves
the built-ins out):

  --dataset nestful    --data is a NESTFUL *-data.json file, whose *-spec.json is the
                       catalogue, or the nestful directory: then every set found there
                       (executable, sgd) is evaluated in turn and a combined line is
                       added, unless --set picks one.
  --dataset taskbench  --data is a domain directory (dailylifeapis, multimedia,
                       huggingface): data.sample.jsonl with tool_desc.json as the
                       catalogue; or the taskbench directory: every domain, unless --set
                       picks one.
  --dataset bfcl       --data is a BFCL v4 directory (BFCL_v4_<category>.json with
                       possible_answer/BFCL_v4_<category>.json): every category with
                       answers, and the irrelevance categories (scored as the share of
                       requests refused), unless --set picks one. --catalog union (the
                       default) offers every function of the categories evaluated to
                       every question (a name that questions define differently keeps its
                       most common definition); --catalog question offers each question
                       its own functions only. Calls are also checked as BFCL's
                       AST checker does (every argument one of its acceptable values).
  --dataset cases      --data is a hand-written case file (YAML: the catalogue files,
                       and requests with their gold tools and key argument values, or
                       refuse: true; see eval/dataset.CaseSet) or a directory of them.

The planner is the full planwise planner without its cache: the LLM when one is
configured (unless --offline), then the offline history and pattern planners.
A progress bar is drawn on stderr when it is a terminal. --json prints exactly one JSON
object: the report (with "sets" holding the per-set reports when several were run);
--verbose adds every sample's plan, scores and error. --predictions FILE writes one
JSON line per sample: id, request, gold tools, and the plan or the error.`,
		Example: `  planwise eval plans --dataset nestful --data ../shared/data/nestful --offline
  planwise eval plans --dataset nestful --data ../shared/data/nestful --set sgd --json
  planwise eval plans --dataset taskbench --data ../shared/data/taskbench/dailylifeapis --verbose
  planwise eval plans --dataset bfcl --data ../shared/data/bfcl-live --offline --predictions bfcl.jsonl
  planwise eval plans --dataset bfcl --data ../shared/data/bfcl-live --catalog question --set live_simple`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sets, err := f.Sets()
			if err != nil {
				return err
			}
			pw, err := a.App(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := f.EvaluatePlanwise(cmd.Context(), sets, pw, a.notes(), progress.PerSet(a.Err))
			if rep != nil { // also when interrupted: the sets done so far
				if perr := a.reportIndented(rep, nil); err == nil {
					err = perr
				}
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Dataset, "dataset", "", "data set format: nestful, taskbench, bfcl or cases (required)")
	fl.StringVar(&f.Data, "data", "", "data file or directory (required; see above)")
	fl.StringVar(&f.Set, "set", "", "with a directory --data: evaluate only this set (nestful: executable, sgd; taskbench: a domain)")
	fl.IntVar(&f.Limit, "limit", 0, "evaluate at most N samples of each set (0: all)")
	fl.IntVar(&f.Concurrency, "concurrency", 0, "requests planned at once (0: one per CPU)")
	fl.DurationVar(&f.Timeout, "timeout", 0, "deadline for each request (0: the planner's own, 10s by default)")
	fl.BoolVar(&f.Builtins, "builtins", true, "offer the built-in tools too, as planwise plan does (--builtins=false: the data set's catalogue only)")
	fl.BoolVar(&f.Verbose, "verbose", false, "show every sample: its plan, scores and error")
	fl.StringVar(&f.Catalog, "catalog", "union", "bfcl: the functions offered, union (every question's) or question (its own)")
	fl.StringVar(&f.Predictions, "predictions", "", "write one JSON line per sample (id, request, gold tools, plan or error) to FILE")
	fl.BoolVar(&a.opts.Partial, "partial", false, "serve the planned part of requests the offline planner can plan only in part (planner.partial), instead of refusing them")
	_ = cmd.MarkFlagRequired("dataset")
	_ = cmd.MarkFlagRequired("data")
	a.offlineFlag(cmd)
	return cmd
}
