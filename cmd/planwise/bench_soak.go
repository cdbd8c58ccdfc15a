package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/loadgen"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
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
	// The system under test: the planner wired from the configuration, with the
	// simulator as its LLM, the production default store (SQLite, in a private
	// directory: with the memory driver the history keeps every record in memory, which
	// is growth by design) and the bounded cache and history pool, behind the HTTP API.
	start := func(ctx context.Context, llmBaseURL string, ln net.Listener) (func(), error) {
		conf := *tools.Config()
		cfg := &conf
		cfg.LLM.BaseURL, cfg.LLM.APIKey = llmBaseURL, "sim"
		dir, err := os.MkdirTemp("", "planwise-soak-")
		if err != nil {
			return nil, err
		}
		cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(dir, "soak.db")
		cfg.Cache.Enabled, cfg.Cache.Capacity = true, f.capacity
		cfg.History.MaxPool = f.historyPool
		pw, err := app.New(ctx, cfg, app.Options{Registry: reg, Stderr: a.Err})
		if err == nil {
			var p *planner.Planner
			if p, err = pw.Planner(ctx); err == nil {
				srvCtx, stopSrv := context.WithCancel(ctx)
				srvDone := make(chan error, 1)
				srv := server.New(server.Config{ReadTimeout: cfg.Server.ReadTimeout, WriteTimeout: cfg.Server.WriteTimeout,
					IdleTimeout: cfg.Server.IdleTimeout, MaxBodyBytes: cfg.Server.MaxBodyBytes}, p)
				go func() { srvDone <- srv.Serve(srvCtx, ln, 10*time.Second) }()
				return func() { stopSrv(); <-srvDone; pw.Close(); os.RemoveAll(dir) }, nil
			}
			pw.Close()
		}
		os.RemoveAll(dir)
		return nil, err
	}
	rep, err := loadgen.Soak(ctx, loadgen.SoakConfig{Load: f.load.Config, Faults: f.faults, LatencyScale: f.latencyScale,
		Answerer: pattern.NewPattern(reg), MaxGoroutineGrowth: f.maxGoroutineInc, MaxHeapGrowthMiB: f.maxHeapIncMiB,
		Start: start, Log: a.Err})
	if err != nil {
		return err
	}
	if a.JSON {
		enc := json.NewEncoder(a.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
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
