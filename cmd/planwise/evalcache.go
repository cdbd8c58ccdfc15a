package main

import (
	"errors"

	"github.com/spf13/cobra"

	cacheeval "github.com/planwise/planwise/eval/cache"
	"github.com/planwise/planwise/llm"
)

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
			rep, err := cacheeval.Measure(cmd.Context(), f)
			if _, ok := errors.AsType[*cacheeval.InputError](err); ok {
				return &exitError{code: 2, err: err}
			}
			return a.reportIndented(rep, err)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Set.PairsFile, "pairs", "", "JSON-lines pair file (with --tools)")
	fl.StringVar(&f.Set.From, "from", "", "build pairs from a data set: clinc150, banking77, gptcache, qqp or traps")
	fl.StringVar(&f.Set.Dir, "data", cacheeval.DefaultSetDir, "semcache data directory for --from")
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
