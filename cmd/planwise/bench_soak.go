package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/loadgen"
	"github.com/planwise/planwise/pattern"
)

func runSoak(ctx context.Context, a *cli, f soakFlags) error {
	tools, err := a.App(ctx, app.Options{})
	if err != nil {
		return err
	}
	reg, err := tools.Registry()
	if err != nil {
		return err
	}
	rep, err := loadgen.Soak(ctx, loadgen.SoakConfig{Load: f.load.Config, Faults: f.faults, LatencyScale: f.latencyScale,
		Answerer: pattern.NewPattern(reg), MaxGoroutineGrowth: f.maxGoroutineInc, MaxHeapGrowthMiB: f.maxHeapIncMiB,
		Start: loadgen.AppTarget{Config: tools.Config(), Registry: reg, CacheCapacity: f.capacity, HistoryPool: f.historyPool, Stderr: a.Err}.Start,
		Log:   a.Err})
	if err != nil {
		return err
	}
	if a.JSON {
		if err := writeJSON(a.Out, rep); err != nil {
			return err
		}
	} else {
		rep.WriteText(a.Out)
	}
	if len(rep.Failures) > 0 {
		for _, fl := range rep.Failures {
			fmt.Fprintln(a.Err, "soak FAILED:", fl)
		}
		return &exitError{code: 1, err: errors.New("")}
	}
	if !a.JSON {
		fmt.Fprintln(a.Out, "soak passed: every request answered, no growth beyond the bounds")
	}
	return nil
}
