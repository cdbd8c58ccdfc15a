package cacheeval

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/planwise/planwise/embed"
)

// Config is what `planwise eval cache` is given, as its command line has it: a pair set
// (Set), or with Workload a replayed workload (Replay, which shares the set's Seed,
// Threshold and MaxWordEdits).
type Config struct {
	Set    SetConfig
	Replay TaskBenchReplay
	// Workload is the workload replayed instead of pairs: "taskbench", or "" for pairs.
	Workload string
	// Mix is the replay's mix of request kinds (parseMix).
	Mix string
	// Embedder and EmbedModel name the embedder (newEmbedder).
	Embedder, EmbedModel string
}

// Result is what Measure returns: a pair set's report (*setReport) or a replay's
// (*taskBenchReplayReport).
type Result interface{ WriteText(io.Writer) }

// inputError is an error in what Measure was given (a value it does not know, a data
// set that is not there) rather than in the measurement. Its message is the error's.
type inputError struct{ Err error }

func (e *inputError) Error() string { return e.Err.Error() }
func (e *inputError) Unwrap() error { return e.Err }

// The data directories `planwise eval cache` defaults to: the pair sets' (SetConfig.Dir's
// default); a replay given it reads its own instead.
const (
	DefaultSetDir    = "../shared/data/semcache"
	DefaultReplayDir = "../shared/data/taskbench/dailylifeapis"
)

// Measure measures the cache as c says: on a pair set (evaluate) or on a replayed
// TaskBench workload (replayTaskBenchReport, from c.Set.Dir unless that is the pair
// sets' default directory). Errors in c are *inputError, worded with the flags of
// `planwise eval cache`.
func Measure(ctx context.Context, c Config) (Result, error) {
	emb, err := newEmbedder(c.Embedder, c.EmbedModel)
	if errors.Is(err, errUnknownEmbedder) {
		err = fmt.Errorf("--embedder %q: want local or openai", c.Embedder)
	}
	if err != nil {
		return nil, &inputError{err}
	}
	if c.Workload != "" {
		return replay(ctx, c, emb)
	}
	if c.Set.From == "" && c.Set.PairsFile == "" {
		return nil, &inputError{errors.New("give --pairs FILE (with --tools CATALOG) or --from DATASET")}
	}
	c.Set.Options.Embedder = emb
	rep, err := evaluate(ctx, c.Set)
	switch {
	case c.Set.From != "" && errors.Is(err, errNoData):
		return nil, &inputError{fmt.Errorf("%w (set --data to the semcache directory)", err)}
	case c.Set.From == "" && errors.Is(err, errNeedCatalog):
		return nil, &inputError{err}
	case err != nil:
		return nil, err
	}
	return rep, nil
}

func replay(ctx context.Context, c Config, emb embed.Embedder) (Result, error) {
	if c.Workload != "taskbench" {
		return nil, &inputError{fmt.Errorf("--replay %q: want taskbench", c.Workload)}
	}
	var err error
	if c.Replay.Mix, err = parseMix(c.Mix); err != nil {
		return nil, &inputError{fmt.Errorf("--mix: %w", err)}
	}
	dir := c.Set.Dir
	if dir == DefaultSetDir {
		dir = DefaultReplayDir
	}
	c.Replay.Seed, c.Replay.Embedder = c.Set.Seed, emb
	c.Replay.Threshold, c.Replay.MaxWordEdits = c.Set.Options.Threshold, c.Set.Options.MaxWordEdits
	rep, err := replayTaskBenchReport(ctx, dir, c.Replay)
	if errors.Is(err, errNoData) {
		return nil, &inputError{fmt.Errorf("%w (set --data to a TaskBench domain directory)", err)}
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}
