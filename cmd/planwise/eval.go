package main

import (
	"fmt"

	"github.com/spf13/cobra"

	cacheeval "github.com/planwise/planwise/eval/cache"
	"github.com/planwise/planwise/eval/execution"
	historyeval "github.com/planwise/planwise/eval/history"
	"github.com/planwise/planwise/eval/plans"
	routeeval "github.com/planwise/planwise/eval/route"
	"github.com/planwise/planwise/internal/cliflag"
	"github.com/planwise/planwise/internal/progress"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
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
	a.JSONFlag(cmd)
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
--verbose adds every sample's plan, scores and error, to the JSON as to the text.`,
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
			rep, err := f.EvaluatePlanwise(cmd.Context(), sets, pw, a.Notes(), progress.PerSet(a.Err))
			if rep != nil { // also when interrupted: the sets done so far
				if perr := a.ReportIndented(rep, nil); err == nil {
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
	fl.Var(cliflag.NewDuration(&f.Timeout, 0), "timeout", "deadline for each request (0: the planner's own, 10s by default)")
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

func newEvalCacheCmd(a *cli) *cobra.Command {
	var f cacheeval.Config // the flags of eval cache
	cmd := &cobra.Command{
		Use:   "cache (--pairs FILE --tools CATALOG | --from clinc150|banking77|gptcache|qqp|traps | --replay taskbench)",
		Short: "Measure the semantic plan cache: hit rate and wrong plans served",
		Long: `Store plan_a under request a (as a validated LLM plan would be), look up request b,
and count what the cache serves.

--pairs FILE is JSON lines {"a": "...", "b": "...", "plan_a": [...], "plan_b": [...]}
with plans in neutral form [{"tool": "name", "args": {"arg": "value"}}] (steps s1, s2,
... in order; references ${sN.path}), or {"a": "...", "b": "...", "same_plan": true}.
The tools the plans call come from --tools. A wrong plan is served when the re-bound
plan differs from plan_b (tools in order, argument values compared after trimming and
case-folding), or, for pairs without plans, on any hit for a same_plan:false pair.

--from builds pairs from the public data (--data, default ../shared/data/semcache):
same intent / duplicate versus different intent / not duplicate, with a synthetic
one-tool-per-intent catalog; gptcache is evaluated shared (every origin stored first,
as GPTCache's benchmark does); traps generates adversarial one-slot edits (names,
numbers 48213/48231, dates, cities, negations, on/off, lock/unlock, increase/decrease,
buy/sell, from/to swaps) and paraphrases over its own catalog.

Reported: pairs, hits, correct_hits, wrong_plans, hit_rate (over pairs whose answer
is reachable from the cache: same plan or same template), wrong_plan_rate (over all
pairs) and the threshold. --sweep repeats the run over thresholds 0.30-0.95.

--replay taskbench replays a workload instead of pairs: a stream of --requests
requests built from --base TaskBench requests (--data, default
../shared/data/taskbench/dailylifeapis) that the pattern planner can plan, mixed by
--mix: exact repeats (case, white space, punctuation varied), re-slotted requests
(slot values that fill a tool argument replaced by values that fill the same argument
elsewhere in the corpus), politeness paraphrases and new requests. The stream goes
through a planner with the cache, whose "LLM" answers with the pattern planner's plan;
that plan is also the ground truth of every request. Reported: requests, hits (exact,
semantic), correct_hits, wrong_plans, hit_rate (correct hits over all requests),
wrong_plan_rate, per kind and per miss reason, planner latency on hits, and the same
stream through the seed's design (cosine >= 0.95 on the raw request, no templates,
no guards).`,
		Example: `  planwise eval cache --from traps
  planwise eval cache --from clinc150 --hard --sweep
  planwise eval cache --from gptcache --json
  planwise eval cache --from traps --write-pairs traps.jsonl --write-tools traps-tools.yaml
  planwise eval cache --pairs traps.jsonl --tools traps-tools.yaml
  planwise eval cache --replay taskbench --data ../shared/data/taskbench/dailylifeapis --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.Set.ToolPaths = a.opts.Tools
			return a.ReportIndented(cacheeval.Measure(cmd.Context(), f))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Set.PairsFile, "pairs", "", "JSON-lines pair file (with --tools)")
	fl.StringVar(&f.Set.From, "from", "", "build pairs from a data set: clinc150, banking77, gptcache, qqp or traps")
	fl.StringVar(&f.Set.Dir, "data", cacheeval.DefaultSetDir, "data directory: --replay's TaskBench domain (by default "+cacheeval.DefaultReplayDir+"), else --from's semcache data")
	fl.IntVar(&f.Set.N, "n", 0, "pairs of each class to sample (default 2000; traps: 100 of each kind)")
	fl.Uint64Var(&f.Set.Seed, "seed", 1, "sampling seed")
	fl.BoolVar(&f.Set.Hard, "hard", false, "clinc150/banking77: pair each request with its most similar different-intent request")
	fl.BoolVar(&f.Set.Options.Shared, "shared", false, "store every a in one namespace before looking up the bs")
	fl.Float64Var(&f.Set.Options.Threshold, "threshold", 0, "similarity threshold (default: the embedder's calibrated one)")
	fl.IntVar(&f.Set.Options.MaxWordEdits, "max-word-edits", 0, "content words one request may have that the other lacks on a semantic hit (0: the cache's default; -1: no limit)")
	fl.BoolVar(&f.Set.Sweep, "sweep", false, "sweep the threshold from 0.30 to 0.95")
	fl.StringVar(&f.Embedder, "embedder", "local", "local, or openai (OPENAI_BASE_URL, OPENAI_API_KEY)")
	fl.StringVar(&f.EmbedModel, "embed-model", llm.DefaultEmbeddingModel, "embedding model for --embedder openai")
	fl.StringVar(&f.Set.WritePairs, "write-pairs", "", "also write the pairs used to this JSON-lines file")
	fl.StringVar(&f.Set.WriteTools, "write-tools", "", "also write the catalog used to this YAML tool file")
	fl.StringVar(&f.Workload, "replay", "", "replay a workload instead of pairs: taskbench")
	fl.IntVar(&f.Replay.Requests, "requests", 2000, "--replay: requests in the stream")
	fl.IntVar(&f.Replay.Base, "base", 300, "--replay: distinct corpus requests the stream draws on")
	fl.StringVar(&f.Mix, "mix", cacheeval.DefaultMix.String(), "--replay: share of each request kind")
	fl.IntVar(&f.Replay.Examples, "examples", 0, "--replay: wrong plans and misses per reason listed in --json output (default 20 and 5)")
	cmd.MarkFlagsMutuallyExclusive("pairs", "from", "replay")
	return cmd
}

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
			f.CLINC.Progress = func(done, total int) { fmt.Fprintf(a.Notes(), "history sizes done: %d/%d\n", done, total) }
			return a.Report(historyeval.Evaluate(cmd.Context(), f))
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
			return a.Report(routeeval.Measure(cmd.Context(), f, a.Notes()))
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

func newEvalRunCmd(a *cli) *cobra.Command {
	var (
		dir      string
		requests int
	)
	cmd := &cobra.Command{
		Use:   "run --taskbench DIR",
		Short: "Plan and dry-run TaskBench requests end to end; report the execution success rate",
		Long: `Plan each request of a TaskBench domain (user_requests.json, in id order) with the
configured planner over the domain's tool catalog (tool_desc.json), execute the plan as a
dry run (every tool simulated, nothing real is called) and report how many runs succeed.`,
		Example: `  planwise eval run --offline --taskbench ../shared/data/taskbench/dailylifeapis --requests 200`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.Report(execution.RunTaskBench(ctx, dir, requests, func(reg *tool.Registry) (*planner.Planner, error) {
				pw, err := a.App(ctx)
				if err != nil {
					return nil, err
				}
				return pw.NewPlanner(ctx, reg, nil)
			}, progress.PerSet(a.Err)))
		},
	}
	cmd.Flags().StringVar(&dir, "taskbench", "", "TaskBench domain directory (tool_desc.json, user_requests.json)")
	cmd.Flags().IntVar(&requests, "requests", 200, "number of requests (the first N by id order)")
	a.offlineFlag(cmd)
	return cmd
}
