package cacheeval

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/tool"
)

// errNeedCatalog is returned (wrapped) by pairsFromFile for pairs whose plans call a tool
// the catalogue lacks, or that have no catalogue at all.
var errNeedCatalog = errors.New("pairs with plans need --tools CATALOG")

// pairsFromFile reads a JSON-lines pair file (readPairs) with the catalogue its plans
// call (tool files or directories). Pairs without plans are answered by the answer tool
// (answerCatalog), added when the catalogue lacks it.
func pairsFromFile(path string, toolPaths []string) (*Set, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	pairs, err := readPairs(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var tools []*tool.Tool
	if len(toolPaths) > 0 {
		if tools, err = tool.LoadPaths(toolPaths...); err != nil {
			return nil, err
		}
	}
	// Every tool a plan calls must be in the catalogue: a plan that cannot be stored
	// would only be counted as "store rejected", and the report would measure nothing.
	defined := map[string]bool{}
	for _, t := range tools {
		defined[t.Name] = true
	}
	for i, p := range pairs {
		for _, st := range slices.Concat(p.PlanA, p.PlanB) {
			if !defined[st.Tool] {
				return nil, fmt.Errorf("%w: pair %d calls %q, which no --tools file defines", errNeedCatalog, i+1, st.Tool)
			}
		}
	}
	needAnswer := slices.ContainsFunc(pairs, func(p Pair) bool { return len(p.PlanA) == 0 })
	if needAnswer && !defined[answerTool] {
		tools = append(tools, answerCatalog()...)
	}
	if len(tools) == 0 {
		return nil, errNeedCatalog
	}
	return &Set{Name: path, Pairs: pairs, Catalog: tools}, nil
}

// writeSet writes a set's pairs to pairsPath (JSON lines) and its catalogue to toolsPath
// (a YAML tool file); an empty path is skipped.
func writeSet(set *Set, pairsPath, toolsPath string) error {
	if pairsPath != "" {
		fh, err := os.Create(pairsPath)
		if err != nil {
			return err
		}
		if err := WritePairs(fh, set.Pairs); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	if toolsPath != "" {
		fh, err := os.Create(toolsPath)
		if err != nil {
			return err
		}
		if err := tool.WriteYAML(fh, set.Catalog, "catalog of planwise eval cache --from "+set.Name); err != nil {
			fh.Close()
			return err
		}
		return fh.Close()
	}
	return nil
}

// Similarity embeds texts once and returns their cosine similarity, for hard negatives
// (buildOptions.Similar).
func Similarity(ctx context.Context, emb embed.Embedder) func([]string) (func(i, j int) float64, error) {
	return func(texts []string) (func(i, j int) float64, error) {
		vs, err := emb.Embed(ctx, texts)
		if err != nil {
			return nil, err
		}
		return func(i, j int) float64 {
			var s float32
			for k, x := range vs[i] {
				s += x * vs[j][k]
			}
			return float64(s)
		}, nil
	}
}

// replayNow is the clock of a TaskBench replay: relative dates in requests resolve
// against it, the same for the model and the cache, so that a run is reproducible.
var replayNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// TaskBenchReplay configures replayTaskBench.
type TaskBenchReplay struct {
	Requests, Base int
	Mix            Mix
	Seed           uint64
	Embedder       embed.Embedder
	Threshold      float64
	MaxWordEdits   int
	Examples       int
}

// replayTaskBench replays a stream built from a TaskBench domain directory: the model
// (and ground truth) is the pattern planner over the domain's catalogue at replayNow,
// and the seed's cache design is replayed too. A missing file wraps errNoData.
func replayTaskBench(ctx context.Context, dir string, c TaskBenchReplay) (*Workload, *replayReport, error) {
	tb, err := loadTaskBench(dir)
	if err != nil {
		return nil, nil, err
	}
	reg, err := tool.NewRegistry(tb.Tools...)
	if err != nil {
		return nil, nil, fmt.Errorf("catalog: %w", err)
	}
	model := pattern.NewPattern(reg, pattern.WithClock(func() time.Time { return replayNow }))
	w, err := buildReplay(ctx, tb.Requests, reg, model, replayOptions{
		Requests: c.Requests, Base: c.Base, Mix: c.Mix, Seed: c.Seed, Now: replayNow})
	if err != nil {
		return nil, nil, err
	}
	rep, err := runReplay(ctx, w, reg, model, replayRunOptions{
		Embedder: c.Embedder, Threshold: c.Threshold, MaxWordEdits: c.MaxWordEdits, Now: replayNow, Seed: true, Examples: c.Examples})
	if err != nil {
		return nil, nil, err
	}
	return w, rep, nil
}
