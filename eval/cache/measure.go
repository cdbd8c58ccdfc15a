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
	// Mix is the replay's mix of request kinds (ParseMix).
	Mix string
	// Embedder and EmbedModel name the embedder (NewEmbedder).
	Embedder, EmbedModel string
}

// Result is what Measure returns: a pair set's report (*SetReport) or a replay's
// (*TaskBenchReplayReport).
type Result interface{ WriteText(io.Writer) }

// InputError is an error in what Measure was given (a value it does not know, a data
// set that is not there) rather than in the measurement. Its message is the error's.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// The data directories `planwise eval cache` defaults to: the pair sets' (SetConfig.Dir's
// default); a replay given it reads its own instead.
const (
	DefaultSetDir    = "../shared/data/semcache"
	DefaultReplayDir = "../shared/data/taskbench/dailylifeapis"
)

// Measure measures the cache as c says: on a pair set (Evaluate) or on a replayed
// TaskBench workload (ReplayTaskBenchReport, from c.Set.Dir unless that is the pair
// sets' default directory). Errors in c are *InputError, worded with the flags of
// `planwise eval cache`.
func Measure(ctx context.Context, c Config) (Result, error) {
	emb, err := NewEmbedder(c.Embedder, c.EmbedModel)
	if errors.Is(err, ErrUnknownEmbedder) {
		err = fmt.Errorf("--embedder %q: want local or openai", c.Embedder)
	}
	if err != nil {
		return nil, &InputError{err}
	}
	if c.Workload != "" {
		return replay(ctx, c, emb)
	}
	if c.Set.From == "" && c.Set.PairsFile == "" {
		return nil, &InputError{errors.New("give --pairs FILE (with --tools CATALOG) or --from DATASET")}
	}
	c.Set.Options.Embedder = emb
	rep, err := Evaluate(ctx, c.Set)
	switch {
	case c.Set.From != "" && errors.Is(err, ErrNoData):
		return nil, &InputError{fmt.Errorf("%w (set --data to the semcache directory)", err)}
	case c.Set.From == "" && errors.Is(err, ErrNeedCatalog):
		return nil, &InputError{err}
	case err != nil:
		return nil, err
	}
	return rep, nil
}

func replay(ctx context.Context, c Config, emb embed.Embedder) (Result, error) {
	if c.Workload != "taskbench" {
		return nil, &InputError{fmt.Errorf("--replay %q: want taskbench", c.Workload)}
	}
	var err error
	if c.Replay.Mix, err = ParseMix(c.Mix); err != nil {
		return nil, &InputError{fmt.Errorf("--mix: %w", err)}
	}
	dir := c.Set.Dir
	if dir == DefaultSetDir {
		dir = DefaultReplayDir
	}
	c.Replay.Seed, c.Replay.Embedder = c.Set.Seed, emb
	c.Replay.Threshold, c.Replay.MaxWordEdits = c.Set.Options.Threshold, c.Set.Options.MaxWordEdits
	rep, err := ReplayTaskBenchReport(ctx, dir, c.Replay)
	if errors.Is(err, ErrNoData) {
		return nil, &InputError{fmt.Errorf("%w (set --data to a TaskBench domain directory)", err)}
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}
