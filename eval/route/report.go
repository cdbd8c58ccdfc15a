package routeeval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/planwise/planwise/route"
)

// domainReport is one domain's scores in `eval route --json`.
type domainReport struct {
	Domain  string `json:"domain,omitempty"`
	Filter  string `json:"filter"`
	Split   string `json:"split"`
	Matcher string `json:"matcher"`
	Result
	SeedAccuracy       float64   `json:"seed_heuristic_accuracy"`
	SeedBinaryAccuracy float64   `json:"seed_heuristic_binary_accuracy"`
	SeedConfusion      [3][3]int `json:"seed_heuristic_confusion"`
	// ModelOnlyAccuracy is the analyzer's accuracy without its structural rules.
	ModelOnlyAccuracy float64 `json:"model_only_accuracy"`
	// AnalyzeMicros is the analyzer's mean time per request, clause matching included.
	AnalyzeMicros float64 `json:"analyze_us_per_request"`
}

// report is the whole output of evaluate: the combined scores, and each domain's.
type report struct {
	domainReport
	Tiers   []route.Tier   `json:"tiers"`
	Trained bool           `json:"trained,omitempty"`
	Domains []domainReport `json:"domains,omitempty"`
}

// EvaluateOptions configure evaluate.
type EvaluateOptions struct {
	// Filter is the alignment filter the domains were loaded with (for the report).
	Filter string
	// Split is the part of each domain scored: heldout, train or all.
	Split string
	// Limit scores at most this many requests per domain (0: all).
	Limit int
	// Models, when not nil, are fitted models used instead of the embedded ones.
	Models *route.Models
}

// TaskBenchOptions configure evaluateTaskBench: evaluate's options, and whether the
// analyzer's models are re-fitted first.
type TaskBenchOptions struct {
	EvaluateOptions
	// Train re-fits the analyzer's models on the train part of the domains and scores
	// the fitted models (EvaluateOptions.Models is then ignored).
	Train bool
	// Out, with Train, is the file the fitted models are written to (route/models.json
	// is the one the route package embeds).
	Out string
	// Notes, when not nil, is told where the models were written.
	Notes io.Writer
}

// Config is what `planwise eval route` is given, as its command line has it: the
// TaskBench domain directory or root, the scoring options and, with Replay, the cost
// replay's options instead.
type Config struct {
	TaskBench string
	Eval      TaskBenchOptions
	// Replay replays the routing cost as ReplayOptions say instead of scoring.
	Replay        bool
	ReplayOptions ReplayConfig
}

// Measured is what Measure returns: the scores (*report) or the replays
// (replayReports).
type Measured interface{ WriteText(io.Writer) }

// Measure scores the analyzers on c's TaskBench data (evaluateTaskBench) or, with
// c.Replay, replays the routing cost (replayTaskBench, filtered by c.Eval.Filter). notes,
// when not nil, receives notes for people (c.Eval.Notes is set to it).
func Measure(ctx context.Context, c Config, notes io.Writer) (Measured, error) {
	if c.Replay {
		reps, err := replayTaskBench(ctx, c.TaskBench, c.Eval.Filter, c.ReplayOptions, notes)
		if err != nil {
			return nil, err
		}
		return reps, nil
	}
	c.Eval.Notes = notes
	rep, err := evaluateTaskBench(c.TaskBench, c.Eval)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// evaluateTaskBench loads the TaskBench domains at path (a domain directory or the
// TaskBench root) with the shape labels of opts.Filter, re-fits the models with
// opts.Train, and scores the domains (evaluate). Errors name the flags of `planwise
// eval route`.
func evaluateTaskBench(path string, opts TaskBenchOptions) (*report, error) {
	switch {
	case path == "":
		return nil, errors.New("--taskbench is required: a TaskBench domain directory or the taskbench root (../shared/data/taskbench)")
	case opts.Limit < 0:
		return nil, errors.New("--limit must not be negative")
	case opts.Out != "" && !opts.Train:
		return nil, errors.New("--out needs --train")
	}
	if _, err := Pick(opts.Split); err != nil {
		return nil, err
	}
	domains, err := loadTaskBench(path, opts.Filter)
	if err != nil {
		return nil, err
	}
	if opts.Train {
		ms, err := Train(domains, route.FitOptions{})
		if err != nil {
			return nil, err
		}
		opts.Models = &ms
		if opts.Out != "" {
			if err := writeModels(opts.Out, ms); err != nil {
				return nil, fmt.Errorf("--out: %w", err)
			}
			if opts.Notes != nil {
				fmt.Fprintf(opts.Notes, "planwise: wrote the fitted models to %s\n", opts.Out)
			}
		}
	}
	return evaluate(domains, opts.EvaluateOptions)
}

// Pick returns the selector of the requests of a split: heldout, train or all.
func Pick(split string) (func([]Request) []Request, error) {
	switch split {
	case "heldout":
		return func(r []Request) []Request { _, h := Split(r); return h }, nil
	case "train":
		return func(r []Request) []Request { t, _ := Split(r); return t }, nil
	case "all":
		return func(r []Request) []Request { return r }, nil
	}
	return nil, fmt.Errorf("--split %q: use heldout, train or all", split)
}

// evaluate scores, on each domain, the analyzer (with the pattern planner's clause
// matcher over the domain's catalogue), the analyzer without its structural rules and
// the seed heuristics, and combines the domains.
func evaluate(domains []*Domain, opts EvaluateOptions) (*report, error) {
	pick, err := Pick(opts.Split)
	if err != nil {
		return nil, err
	}
	seed := route.NewSeedAnalyzer()
	rep := &report{Tiers: route.Tiers(), Trained: opts.Models != nil}
	rep.Filter, rep.Split, rep.Matcher = opts.Filter, opts.Split, "pattern planner clauses over the domain's tool_desc.json"
	var total time.Duration
	var bareAll, seedAll Result
	for _, d := range domains {
		var aopts []route.AnalyzerOption
		if opts.Models != nil {
			aopts = append(aopts, route.WithModel(opts.Models.Clauses))
		}
		matcher := Matcher(d.Registry)
		an, err := route.NewAnalyzer(matcher, aopts...)
		if err != nil {
			return nil, err
		}
		reqs := pick(d.Requests)
		if opts.Limit > 0 && len(reqs) > opts.Limit {
			reqs = reqs[:opts.Limit]
		}
		dr := domainReport{Domain: d.Name, Filter: opts.Filter, Split: opts.Split, Matcher: rep.Matcher}
		start := time.Now()
		dr.Result = score(an, reqs)
		elapsed := time.Since(start)
		total += elapsed
		if dr.Samples > 0 {
			dr.AnalyzeMicros = float64(elapsed.Microseconds()) / float64(dr.Samples)
		}
		bare, err := route.NewAnalyzer(matcher, append(aopts, route.WithoutStructuralRules())...)
		if err != nil {
			return nil, err
		}
		br := score(bare, reqs)
		dr.ModelOnlyAccuracy = br.Accuracy
		bareAll.Merge(br)
		rep.ModelOnlyAccuracy = bareAll.Accuracy
		sr := score(seed, reqs)
		dr.SeedAccuracy, dr.SeedBinaryAccuracy, dr.SeedConfusion = sr.Accuracy, sr.BinaryAccuracy, sr.Confusion
		rep.Domains = append(rep.Domains, dr)

		rep.Result.Merge(dr.Result)
		seedAll.Merge(sr)
		rep.SeedAccuracy, rep.SeedBinaryAccuracy, rep.SeedConfusion = seedAll.Accuracy, seedAll.BinaryAccuracy, seedAll.Confusion
	}
	if rep.Samples > 0 {
		rep.AnalyzeMicros = float64(total.Microseconds()) / float64(rep.Samples)
	}
	if len(domains) == 1 {
		rep.Domain = domains[0].Name
		rep.Domains = nil
	}
	return rep, nil
}

// writeModels writes fitted models as JSON (the format of route/models.json).
func writeModels(path string, ms route.Models) error {
	b, err := json.MarshalIndent(ms, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
