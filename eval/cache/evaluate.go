package cacheeval

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/llm/openai"
	"github.com/planwise/planwise/tool"
)

// errUnknownEmbedder is returned by newEmbedder for a name it does not know.
var errUnknownEmbedder = errors.New("cacheeval: unknown embedder")

// newEmbedder returns the embedder an evaluation names: "local" (the built-in
// embedder) or "openai" (OPENAI_BASE_URL, OPENAI_API_KEY), the model through the LLM-call
// pipeline as the cache gets it in production.
func newEmbedder(name, model string) (embed.Embedder, error) {
	switch name {
	case "local":
		return embed.NewLocal(embed.LocalConfig{})
	case "openai":
		prov, err := openai.New(openai.Config{}) // OPENAI_BASE_URL, OPENAI_API_KEY
		if err != nil {
			return nil, err
		}
		return llm.NewEmbedder(llm.NewClient(prov, llm.ClientConfig{}), llm.EmbedderConfig{Model: model})
	}
	return nil, errUnknownEmbedder
}

// SetConfig configures evaluate: where the pairs come from, what is written beside
// the report, and the cache's options.
type SetConfig struct {
	// From builds the pairs from a data set (build, with Dir, N, Seed and Hard); else
	// PairsFile is read with the catalogue ToolPaths (pairsFromFile).
	From      string
	Dir       string
	N         int
	Seed      uint64
	Hard      bool
	PairsFile string
	ToolPaths []string
	// WritePairs and WriteTools, when set, receive the pairs and catalogue used
	// (writeSet).
	WritePairs, WriteTools string
	// Options are the cache's; Shared is also set for a set that is evaluated shared
	// (Set.Shared).
	Options Options
	// Sweep repeats the run over the thresholds 0.30, 0.35, ... 0.95.
	Sweep bool
}

// setReport is a pair set's report, with the threshold sweep when there is one.
type setReport struct {
	Set string `json:"set"`
	*report
	Sweep []SweepPoint `json:"sweep,omitempty"`
}

// WriteText prints the report for people (writeReport).
func (r *setReport) WriteText(w io.Writer) { writeReport(w, r.Set, r.report, r.Sweep) }

// evaluate builds or reads a pair set, writes it when asked and measures the cache on it
// (run, and Sweep with c.Sweep). A data set that is not there wraps errNoData; pairs with
// plans and no catalogue are errNeedCatalog.
func evaluate(ctx context.Context, c SetConfig) (*setReport, error) {
	var set *Set
	var err error
	if c.From != "" {
		set, err = build(c.From, buildOptions{Dir: c.Dir, N: c.N, Seed: c.Seed, Hard: c.Hard,
			Similar: Similarity(ctx, c.Options.Embedder)})
	} else {
		set, err = pairsFromFile(c.PairsFile, c.ToolPaths)
	}
	if err != nil {
		return nil, err
	}
	reg, err := tool.NewRegistry(set.Catalog...)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if err := writeSet(set, c.WritePairs, c.WriteTools); err != nil {
		return nil, err
	}
	opts := c.Options
	opts.Shared = opts.Shared || set.Shared
	rep, err := run(ctx, set.Pairs, reg, opts)
	if err != nil {
		return nil, err
	}
	out := &setReport{Set: set.Name, report: rep}
	if c.Sweep {
		var ts []float64
		for t := 30; t <= 95; t += 5 {
			ts = append(ts, float64(t)/100)
		}
		if out.Sweep, err = Sweep(ctx, set.Pairs, reg, opts, ts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// taskBenchReplayReport is a TaskBench replay's report with the stream it replayed.
type taskBenchReplayReport struct {
	Set    string         `json:"set"`
	Mix    string         `json:"mix"`
	Base   int            `json:"base"`
	Stream map[string]int `json:"stream"`
	*replayReport

	dir      string
	mix      Mix
	workload *Workload
}

// WriteText prints the report for people (writeReplay).
func (r *taskBenchReplayReport) WriteText(w io.Writer) {
	writeReplay(w, r.dir, r.mix, r.workload, r.replayReport)
}

// replayTaskBenchReport is replayTaskBench with its stream in the report.
func replayTaskBenchReport(ctx context.Context, dir string, c TaskBenchReplay) (*taskBenchReplayReport, error) {
	w, rep, err := replayTaskBench(ctx, dir, c)
	if err != nil {
		return nil, err
	}
	return &taskBenchReplayReport{Set: "replay:taskbench:" + dir, Mix: c.Mix.String(), Base: w.Base, Stream: w.Counts(),
		replayReport: rep, dir: dir, mix: c.Mix, workload: w}, nil
}
