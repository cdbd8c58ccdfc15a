package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/eval/plans"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

func init() { register(newEvalCmd) }

// evalCommands are the subcommands of `planwise eval`; a file adding an evaluation
// registers it from init with registerEval.
var evalCommands []func(*app) *cobra.Command

// registerEval adds a `planwise eval` subcommand constructor.
func registerEval(f func(*app) *cobra.Command) { evalCommands = append(evalCommands, f) }

func init() { registerEval(newEvalPlansCmd) }

func newEvalCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Evaluate planwise on labelled data sets",
		// Evaluations never write to the configured store: their requests must not
		// become history or cached plans.
		PersistentPreRun: func(*cobra.Command, []string) { a.Ephemeral = true },
		Long: `Evaluate planwise on public labelled data sets (see ../shared/data/README.md) and
print the scores. Each subcommand evaluates one stage.`,
	}
	for _, f := range evalCommands {
		cmd.AddCommand(f(a))
	}
	a.jsonFlag(cmd, true)
	return cmd
}

// evalPlansFlags are the flags of `planwise eval plans`.
type evalPlansFlags struct {
	dataset     string
	data        string
	set         string
	limit       int
	concurrency int
	timeout     time.Duration
	builtins    bool
	verbose     bool
	catalog     string
	predictions string
	partial     bool
}

func newEvalPlansCmd(a *app) *cobra.Command {
	var f evalPlansFlags
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
		RunE: func(cmd *cobra.Command, _ []string) error { return runEvalPlans(cmd, a, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.dataset, "dataset", "", "data set format: nestful, taskbench, bfcl or cases (required)")
	fl.StringVar(&f.data, "data", "", "data file or directory (required; see above)")
	fl.StringVar(&f.set, "set", "", "with a directory --data: evaluate only this set (nestful: executable, sgd; taskbench: a domain)")
	fl.IntVar(&f.limit, "limit", 0, "evaluate at most N samples of each set (0: all)")
	fl.IntVar(&f.concurrency, "concurrency", 0, "requests planned at once (0: one per CPU)")
	fl.DurationVar(&f.timeout, "timeout", 0, "deadline for each request (0: the planner's own, 10s by default)")
	fl.BoolVar(&f.builtins, "builtins", true, "offer the built-in tools too, as planwise plan does (--builtins=false: the data set's catalogue only)")
	fl.BoolVar(&f.verbose, "verbose", false, "show every sample: its plan, scores and error")
	fl.StringVar(&f.catalog, "catalog", "union", "bfcl: the functions offered, union (every question's) or question (its own)")
	fl.StringVar(&f.predictions, "predictions", "", "write one JSON line per sample (id, request, gold tools, plan or error) to FILE")
	fl.BoolVar(&f.partial, "partial", false, "serve the planned part of requests the offline planner can plan only in part (planner.partial), instead of refusing them")
	_ = cmd.MarkFlagRequired("dataset")
	_ = cmd.MarkFlagRequired("data")
	a.offlineFlag(cmd, false)
	return cmd
}

// evalSet is one data set to evaluate: its samples and the catalogue they are planned
// against.
type evalSet struct {
	name    string // "nestful/executable"
	catalog string // the catalogue file; "" when the samples bring their own tools (bfcl)
	// catalogs are several catalogue files (hand-written cases).
	catalogs []string
	// now is the date (YYYY-MM-DD) relative dates are read against, or "" for today.
	now  string
	load func() ([]dataset.Sample, error)
}

// resolveEvalSets turns --dataset, --data and --set into the sets to evaluate.
func resolveEvalSets(kind, data, only string) ([]evalSet, error) {
	st, err := os.Stat(data)
	if err != nil {
		return nil, fmt.Errorf("--data: %w", err)
	}
	var sets []evalSet
	switch kind {
	case "nestful":
		if !st.IsDir() {
			if only != "" {
				return nil, errors.New("--set only applies when --data is a directory")
			}
			name := dataset.NESTFULSetName(data)
			return []evalSet{{name: "nestful/" + name, catalog: dataset.NESTFULSpecPath(data),
				load: func() ([]dataset.Sample, error) { return dataset.LoadNESTFUL(data) }}}, nil
		}
		found, err := dataset.FindNESTFULSets(data)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			s := s
			sets = append(sets, evalSet{name: "nestful/" + s.Name, catalog: s.Spec,
				load: func() ([]dataset.Sample, error) { return dataset.LoadNESTFUL(s.Data) }})
		}
	case "taskbench":
		if !st.IsDir() {
			return nil, fmt.Errorf("--data %s: taskbench needs a domain directory (holding %s and %s)", data, dataset.TaskBenchSamples, dataset.TaskBenchTools)
		}
		domains := []string{data}
		if _, err := os.Stat(filepath.Join(data, dataset.TaskBenchSamples)); err != nil {
			domains, _ = filepath.Glob(filepath.Join(data, "*", dataset.TaskBenchSamples))
			for i := range domains {
				domains[i] = filepath.Dir(domains[i])
			}
			if len(domains) == 0 {
				return nil, fmt.Errorf("--data %s: no %s here or in its subdirectories", data, dataset.TaskBenchSamples)
			}
		} else if only != "" {
			return nil, errors.New("--set only applies when --data holds several domains")
		}
		for _, dir := range domains {
			dir := dir
			sets = append(sets, evalSet{name: "taskbench/" + filepath.Base(dir), catalog: filepath.Join(dir, dataset.TaskBenchTools),
				load: func() ([]dataset.Sample, error) { return dataset.LoadTaskBench(dir) }})
		}
	case "cases":
		files := []string{data}
		if st.IsDir() {
			files, _ = filepath.Glob(filepath.Join(data, "*.yaml"))
			if len(files) == 0 {
				return nil, fmt.Errorf("--data %s: no *.yaml case files here", data)
			}
		} else if only != "" {
			return nil, errors.New("--set only applies when --data is a directory")
		}
		for _, file := range files {
			file := file
			set, _, err := dataset.LoadCases(file)
			if err != nil {
				return nil, err
			}
			sets = append(sets, evalSet{name: "cases/" + set.Name, catalogs: set.Tools, now: set.Now,
				load: func() ([]dataset.Sample, error) { _, s, err := dataset.LoadCases(file); return s, err }})
		}
	case "bfcl":
		if !st.IsDir() {
			return nil, fmt.Errorf("--data %s: bfcl needs the directory holding BFCL_v4_*.json and possible_answer/", data)
		}
		found, err := dataset.FindBFCLSets(data)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			s := s
			sets = append(sets, evalSet{name: "bfcl/" + s.Name, load: func() ([]dataset.Sample, error) { return dataset.LoadBFCL(s) }})
		}
	default:
		return nil, fmt.Errorf("--dataset %q: use nestful, taskbench, bfcl or cases", kind)
	}
	if only == "" {
		return sets, nil
	}
	var names []string
	for _, s := range sets {
		short := s.name[strings.IndexByte(s.name, '/')+1:]
		if short == only {
			return []evalSet{s}, nil
		}
		names = append(names, short)
	}
	return nil, fmt.Errorf("--set %q: not found in %s; sets there: %s", only, data, strings.Join(names, ", "))
}

func runEvalPlans(cmd *cobra.Command, a *app, f evalPlansFlags) error {
	if f.limit < 0 || f.concurrency < 0 || f.timeout < 0 {
		return errors.New("--limit, --concurrency and --timeout must not be negative")
	}
	if f.catalog != "union" && f.catalog != "question" {
		return fmt.Errorf("--catalog %q: use union or question", f.catalog)
	}
	sets, err := resolveEvalSets(f.dataset, f.data, f.set)
	if err != nil {
		return err
	}
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	a.partial = f.partial
	// The registry planwise plan would use: the built-ins, the configured tool paths and
	// --tools, to which each data set adds its catalogue.
	var base []*tool.Tool
	if f.builtins && !cfg.Tools.NoBuiltins {
		base = append(base, tool.Builtins()...)
	}
	if paths := append(append([]string(nil), cfg.Tools.Paths...), a.ToolPaths...); len(paths) > 0 {
		loaded, err := tool.LoadPathsWarn(a.warnTool, paths...)
		if err != nil {
			return err
		}
		base = append(base, loaded...)
	}
	registry := func(extra []*tool.Tool) (*tool.Registry, error) {
		return (*tool.Registry)(nil).Merge(append(append([]*tool.Tool(nil), base...), extra...)...)
	}
	loaded := make([][]dataset.Sample, len(sets))
	for i, s := range sets {
		if loaded[i], err = s.load(); err != nil {
			return err
		}
		if f.limit > 0 && len(loaded[i]) > f.limit {
			loaded[i] = loaded[i][:f.limit]
		}
	}
	var union []*tool.Tool
	if f.dataset == "bfcl" && f.catalog == "union" {
		var lists [][]*tool.Tool
		for _, samples := range loaded {
			for _, x := range samples {
				lists = append(lists, x.Tools)
			}
		}
		var merged int
		union, merged = tool.UnionTools(lists...)
		if !a.JSON {
			fmt.Fprintf(a.Err, "planwise: union catalogue: %d functions (%d defined differently by different questions: the most common definition of each is offered)\n", len(union), merged)
		}
	}
	ctx := cmd.Context()
	var reports []*plans.Report
	offlineNoted := false
	for i, s := range sets {
		samples := loaded[i]
		var extra []*tool.Tool
		switch {
		case s.catalog != "" || len(s.catalogs) > 0:
			files := s.catalogs
			if s.catalog != "" {
				files = []string{s.catalog}
			}
			if extra, err = tool.LoadPathsWarn(a.warnTool, files...); err != nil {
				return fmt.Errorf("%s: tool catalogue: %w", s.name, err)
			}
		case union != nil:
			extra = union
			// Every question sees the union: the samples' own lists are not used.
			samples = withoutTools(samples)
		}
		reg, err := registry(extra)
		if err != nil {
			return fmt.Errorf("%s: tool catalogue: %w", s.name, err)
		}
		a.clock = nil
		if s.now != "" {
			day, err := time.Parse("2006-01-02", s.now)
			if err != nil {
				return fmt.Errorf("%s: now %q: want YYYY-MM-DD", s.name, s.now)
			}
			// The set's date, advancing with the wall clock so latencies stay real.
			start := time.Now()
			a.clock = func() time.Time { return day.Add(12*time.Hour + time.Since(start)) }
		}
		p, err := a.Planner(reg)
		if err != nil {
			return err
		}
		label := "planwise"
		if p.Offline() {
			label = "planwise (offline)"
			if !offlineNoted && !a.JSON {
				fmt.Fprintln(a.Err, "planwise: no LLM in use (--offline, or no OPENAI_API_KEY / OPENAI_BASE_URL): evaluating the offline planners")
				offlineNoted = true
			}
		}
		bar := newEvalBar(a.Err, len(samples), s.name)
		rep, runErr := plans.Run(ctx, PlanOnly{P: p}, reg, samples, plans.RunOptions{
			Dataset:     s.name,
			Planner:     label,
			Concurrency: f.concurrency,
			Timeout:     f.timeout,
			Progress:    bar.progress,
			Classify:    plannerErrorKind,
			ForRegistry: func(tools []*tool.Tool) (*tool.Registry, plans.Planner, error) {
				reg, err := registry(tools)
				if err != nil {
					return nil, nil, err
				}
				p, err := a.Planner(reg)
				if err != nil {
					return nil, nil, err
				}
				return reg, PlanOnly{P: p}, nil
			},
		})
		bar.finish()
		if rep != nil {
			reports = append(reports, rep)
		}
		if runErr != nil {
			if len(reports) > 0 {
				// Interrupted: show what was measured, then fail.
				_ = writeEvalOutputs(a, combineReports(f.dataset, reports), f)
			}
			return runErr
		}
	}
	return writeEvalOutputs(a, combineReports(f.dataset, reports), f)
}

// withoutTools returns samples without their own tool lists (they see the run's
// registry).
func withoutTools(samples []dataset.Sample) []dataset.Sample {
	out := make([]dataset.Sample, len(samples))
	for i, x := range samples {
		x.Tools = nil
		out[i] = x
	}
	return out
}

// writeEvalOutputs writes the predictions file, when asked, and prints the report.
func writeEvalOutputs(a *app, rep *plans.Report, f evalPlansFlags) error {
	if f.predictions != "" {
		if err := writePredictionsFile(f.predictions, rep); err != nil {
			return err
		}
	}
	return writeEvalReport(a, rep, f.verbose)
}

// writePredictionsFile writes the predictions through a temporary file renamed into
// place, so that an interrupted run never leaves half a file behind.
func writePredictionsFile(path string, rep *plans.Report) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("--predictions: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := plans.WritePredictions(tmp, rep); err != nil {
		tmp.Close()
		return fmt.Errorf("--predictions: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--predictions: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("--predictions: %w", err)
	}
	return nil
}

// plannerErrorKind names a planner error by its planner.Error code ("cannot_plan",
// "deadline", ...) for the report's error counts.
func plannerErrorKind(err error) string {
	if pe, ok := planner.AsError(err); ok && pe.Code != "" {
		return pe.Code
	}
	return ""
}

func combineReports(kind string, reports []*plans.Report) *plans.Report {
	if len(reports) == 1 {
		return reports[0]
	}
	return plans.Combine(kind, reports...)
}

// evalBar draws a progress bar on a terminal and nothing elsewhere.
type evalBar struct{ bar *progressbar.ProgressBar }

func newEvalBar(w io.Writer, total int, name string) evalBar {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total == 0 {
		return evalBar{}
	}
	return evalBar{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

func (b evalBar) progress(done, _ int) {
	if b.bar != nil {
		_ = b.bar.Set(done)
	}
}

func (b evalBar) finish() {
	if b.bar != nil {
		_ = b.bar.Finish()
	}
}

// writeEvalReport prints the report: one JSON object with --json, a table otherwise.
func writeEvalReport(a *app, rep *plans.Report, verbose bool) error {
	if a.JSON {
		if !verbose {
			rep = withoutResults(rep)
		}
		enc := json.NewEncoder(a.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rows := append([]*plans.Report(nil), rep.Sets...)
	if len(rows) == 0 {
		rows = []*plans.Report{rep}
	} else {
		rows = append(rows, rep)
	}
	fmt.Fprintf(a.Out, "planner: %s\n\n", rep.Planner)
	tw := tabwriter.NewWriter(a.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "data set\tsamples\tvalid\tnode-F1\tedge-F1\targ-name-F1\targ-value-F1\tedit-dist\tp50 ms\tp95 ms\ttime\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\t%.2f\t%s\t\n",
			r.Dataset, r.Samples, 100*r.ValidRate, r.NodeF1, r.EdgeF1, r.ArgNameF1, r.ArgValueF1, r.EditDistance,
			r.Latency.P50, r.Latency.P95, (time.Duration(r.DurationMS) * time.Millisecond).String())
	}
	for _, r := range rows {
		tb := r.TaskBench
		fmt.Fprintf(tw, "%s (TaskBench pooled)\t\t\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\t\t\t\n",
			r.Dataset, tb.NodeF1, tb.EdgeF1, tb.ArgNameF1, tb.ArgValueF1, tb.EditDistance)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.Out)
	tw = tabwriter.NewWriter(a.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "data set\tserved\trefused\texact tools\twrong served\twrong rate\texact rate\tirrelevant refused\texact calls\t")
	for _, r := range rows {
		o := r.Outcomes
		irr, calls := "-", "-"
		if o.Irrelevant > 0 {
			irr = fmt.Sprintf("%d/%d (%.1f%%)", o.IrrelevantRefused, o.Irrelevant, 100*o.RefusalRate)
		}
		if o.CallsChecked > 0 {
			calls = fmt.Sprintf("%d/%d (%.1f%%)", o.ExactCalls, o.CallsChecked, 100*o.ExactCallRate)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.2f%%\t%.1f%%\t%s\t%s\t\n", r.Dataset, o.Served, o.Refused, o.ExactTools, o.Wrong,
			100*o.WrongRate, 100*o.ExactRate, irr, calls)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		fmt.Fprintf(a.Out, "\nmisses by kind:")
		for _, k := range slices.Sorted(maps.Keys(rep.Errors)) {
			fmt.Fprintf(a.Out, " %s %d", k, rep.Errors[k])
		}
		fmt.Fprintln(a.Out)
	}
	if verbose {
		writeEvalSamples(a.Out, rep)
	}
	return nil
}

// writeEvalSamples lists every sample: scores, tools predicted against gold, and why a
// miss missed.
func writeEvalSamples(w io.Writer, rep *plans.Report) {
	fmt.Fprintln(w)
	for _, r := range rep.Results {
		status := "ok"
		switch {
		case !r.Valid:
			status = r.ErrorKind
		case r.Wrong:
			status = "WRONG"
		}
		fmt.Fprintf(w, "%s  %s  node %.2f edge %.2f name %.2f value %.2f ed %.2f  %.1f ms\n",
			r.ID, status, r.NodeF1, r.EdgeF1, r.ArgNameF1, r.ArgValueF1, r.EditDistance, r.LatencyMS)
		fmt.Fprintf(w, "    request: %s\n    gold:    %s\n    planned: %s\n",
			r.Request, strings.Join(r.GoldTools, " -> "), strings.Join(r.PredTools, " -> "))
		if r.Error != "" {
			fmt.Fprintf(w, "    error:   %s\n", strings.ReplaceAll(r.Error, "\n", "\n             "))
		}
	}
}

// withoutResults returns a copy of rep (and its sets) without per-sample results.
func withoutResults(rep *plans.Report) *plans.Report {
	c := *rep
	c.Results = nil
	c.Sets = make([]*plans.Report, len(rep.Sets))
	for i, s := range rep.Sets {
		c.Sets[i] = withoutResults(s)
	}
	if len(c.Sets) == 0 {
		c.Sets = nil
	}
	return &c
}
