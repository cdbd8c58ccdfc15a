package main

import (
	"context"
	"fmt"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/tool"
)

// Executor builds the executor for reg from the configuration.
func (a *app) Executor(reg *tool.Registry) (*execute.Executor, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	return execute.New(reg,
		execute.WithConcurrency(cfg.Execute.Concurrency),
		execute.WithStepTimeout(cfg.Execute.StepTimeout),
		execute.WithNetPolicy(execute.NetPolicy{AllowHosts: cfg.Execute.AllowHosts, OnlyAllowHosts: cfg.Execute.OnlyAllowHosts}),
	), nil
}

// Store opens the configured embedded store; nil (and no error) with driver memory.
func (a *app) Store(ctx context.Context) (*sqlite.DB, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	switch cfg.Store.Driver {
	case "memory":
		return nil, nil
	case "sqlite":
		db, err := sqlite.Open(ctx, cfg.Store.Path)
		if err != nil {
			return nil, fmt.Errorf("store: %w (fix: set store.path to a writable file, or store.driver: memory)", err)
		}
		return db, nil
	default:
		return nil, fmt.Errorf("store.driver %q is not supported by this command yet (fix: use sqlite or memory)", cfg.Store.Driver)
	}
}
