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

// ErrUnknownEmbedder is returned by NewEmbedder for a name it does not know.
var ErrUnknownEmbedder = errors.New("cacheeval: unknown embedder")

// NewEmbedder returns the embedder an evaluation names: "local" (the built-in
// embedder) or "openai" (OPENAI_BASE_URL, OPENAI_API_KEY), the model through the LLM-call
// pipeline as the cache gets it in production.
func NewEmbedder(name, model string) (embed.Embedder, error) {
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
	return nil, ErrUnknownEmbedder
}

// SetConfig configures Evaluate: where the pairs come from, what is written beside
// the report, and the cache's options.
type SetConfig struct {
	// From builds the pairs from a data set (Build, with Dir, N, Seed and Hard); else
	// PairsFile is read with the catalogue ToolPaths (PairsFromFile).
	From      string
	Dir       string
	N         int
	Seed      uint64
	Hard      bool
	PairsFile string
	ToolPaths []string
	// WritePairs and WriteTools, when set, receive the pairs and catalogue used
	// (WriteSet).
	WritePairs, WriteTools string
	// Options are the cache's; Shared is also set for a set that is evaluated shared
	// (Set.Shared).
	Options Options
	// Sweep repeats the run over the thresholds 0.30, 0.35, ... 0.95.
	Sweep bool
}

// SetReport is a pair set's report, with the threshold sweep when there is one.
type SetReport struct {
	Set string `json:"set"`
	*Report
	Sweep []SweepPoint `json:"sweep,omitempty"`
}

// WriteText prints the report for people (WriteReport).
func (r *SetReport) WriteText(w io.Writer) { WriteReport(w, r.Set, r.Report, r.Sweep) }

// Evaluate builds or reads a pair set, writes it when asked and measures the cache on it
// (Run, and Sweep with c.Sweep). A data set that is not there wraps ErrNoData; pairs with
// plans and no catalogue are ErrNeedCatalog.
func Evaluate(ctx context.Context, c SetConfig) (*SetReport, error) {
	var set *Set
	var err error
	if c.From != "" {
		set, err = Build(c.From, BuildOptions{Dir: c.Dir, N: c.N, Seed: c.Seed, Hard: c.Hard,
			Similar: Similarity(ctx, c.Options.Embedder)})
	} else {
		set, err = PairsFromFile(c.PairsFile, c.ToolPaths)
	}
	if err != nil {
		return nil, err
	}
	reg, err := tool.NewRegistry(set.Catalog...)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if err := WriteSet(set, c.WritePairs, c.WriteTools); err != nil {
		return nil, err
	}
	opts := c.Options
	opts.Shared = opts.Shared || set.Shared
	rep, err := Run(ctx, set.Pairs, reg, opts)
	if err != nil {
		return nil, err
	}
	out := &SetReport{Set: set.Name, Report: rep}
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

// TaskBenchReplayReport is a TaskBench replay's report with the stream it replayed.
type TaskBenchReplayReport struct {
	Set    string         `json:"set"`
	Mix    string         `json:"mix"`
	Base   int            `json:"base"`
	Stream map[string]int `json:"stream"`
	*ReplayReport

	dir      string
	mix      Mix
	workload *Workload
}

// WriteText prints the report for people (WriteReplay).
func (r *TaskBenchReplayReport) WriteText(w io.Writer) {
	WriteReplay(w, r.dir, r.mix, r.workload, r.ReplayReport)
}

// ReplayTaskBenchReport is ReplayTaskBench with its stream in the report.
func ReplayTaskBenchReport(ctx context.Context, dir string, c TaskBenchReplay) (*TaskBenchReplayReport, error) {
	w, rep, err := ReplayTaskBench(ctx, dir, c)
	if err != nil {
		return nil, err
	}
	return &TaskBenchReplayReport{Set: "replay:taskbench:" + dir, Mix: c.Mix.String(), Base: w.Base, Stream: w.Counts(),
		ReplayReport: rep, dir: dir, mix: c.Mix, workload: w}, nil
}
