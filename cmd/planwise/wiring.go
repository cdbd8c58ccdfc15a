package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	embedopenai "github.com/planwise/planwise/embed/openai"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/datadir"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/store/sqlite"
	"github.com/planwise/planwise/tool"
)

// Executor builds the executor for reg from the configuration.
func (a *app) Executor(reg *tool.Registry) (*execute.Executor, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	opts := []execute.Option{
		execute.WithConcurrency(cfg.Execute.Concurrency),
		execute.WithStepTimeout(cfg.Execute.StepTimeout),
		execute.WithNetPolicy(execute.NetPolicy{AllowHosts: cfg.Execute.AllowHosts, OnlyAllowHosts: cfg.Execute.OnlyAllowHosts}),
		execute.WithLimits(execute.Limits{RunTimeout: cfg.Execute.RunTimeout, MaxLoopItems: cfg.Execute.MaxLoopItems, MaxCalls: cfg.Execute.MaxCalls,
			MaxArgBytes: cfg.Execute.MaxArgBytes, MaxOutputBytes: cfg.Execute.MaxOutputBytes, MaxRunBytes: cfg.Execute.MaxRunBytes}),
	}
	if a.mcp != nil {
		// Calls share the sessions the tools were listed over (closed by closeMCP).
		opts = append(opts, execute.WithRunner(tool.RunMCP, a.mcp.runner))
	}
	return execute.New(reg, opts...), nil
}

// stores are the persistent stores of one process, whatever the driver: nil fields mean
// "keep it in memory" (driver memory, or an evaluation).
type stores struct {
	Cache   cache.Store
	Runs    execute.RunStore
	History history.Store
	Spend   metrics.SpendStore
	sqlite  *sqlite.DB
	pg      *postgresStores
}

// Stores opens the configured store once: SQLite (the embedded default), PostgreSQL
// (shared by replicas) or memory. closeStore closes it.
func (a *app) Stores(ctx context.Context) (*stores, error) {
	a.dbOnce.Do(func() {
		cfg, err := a.Config()
		if err != nil {
			a.dbErr = err
			return
		}
		st := &stores{}
		switch {
		case a.Ephemeral || cfg.Store.Driver == "memory":
		case cfg.Store.Driver == "sqlite":
			loc, err := a.StoreLocation()
			if err != nil {
				a.dbErr = fmt.Errorf("store: %w", err)
				return
			}
			created, err := datadir.Prepare(loc)
			if err != nil {
				a.dbErr = fmt.Errorf("store: %w (fix: set store.path to a writable file, or store.driver: memory)", err)
				return
			}
			if created && loc.Reason == datadir.DataDir {
				fmt.Fprintf(a.Err, "planwise: created %s: the history, cache and runs of every planwise command run as this user\n", loc.Path)
			}
			db, err := sqlite.Open(ctx, loc.Path)
			if err != nil {
				a.dbErr = fmt.Errorf("store: %w (fix: set store.path to a writable file, or store.driver: memory)", err)
				return
			}
			st.sqlite, st.Cache, st.Runs, st.History, st.Spend = db, db.CacheStore(), db.Runs(), db.HistoryStore(), db.SpendStore()
		case cfg.Store.Driver == "postgres":
			pg, err := a.postgresStores(ctx)
			if err != nil {
				a.dbErr = err
				return
			}
			st.pg, st.Cache, st.Runs, st.History, st.Spend = pg, pg.Cache, pg.Runs, pg.History, pg.DB.SpendStore()
		default:
			a.dbErr = fmt.Errorf("store.driver %q is not supported (fix: use sqlite, postgres or memory)", cfg.Store.Driver)
			return
		}
		a.db = st
	})
	return a.db, a.dbErr
}

// StoreLocation resolves where the SQLite store is (store.path, else the default of
// package datadir) once; the configuration's store.path is set to it.
func (a *app) StoreLocation() (datadir.Store, error) {
	a.locOnce.Do(func() {
		cfg, err := a.Config()
		if err != nil {
			a.locErr = err
			return
		}
		a.loc, a.locErr = datadir.ResolveStore(cfg.Store.Path, ".", os.Getenv)
		if a.locErr == nil {
			cfg.Store.Path = a.loc.Path
		}
	})
	return a.loc, a.locErr
}

// storeSummary says where this process keeps its data, for start-up messages.
func (a *app) storeSummary() string {
	cfg, err := a.Config()
	switch {
	case err != nil:
		return "unknown"
	case a.Ephemeral || cfg.Store.Driver == "memory":
		return "memory (nothing is kept after exit)"
	case cfg.Store.Driver == "postgres":
		return "postgres (store.dsn)"
	}
	loc, err := a.StoreLocation()
	if err != nil {
		return "unknown"
	}
	return loc.Describe()
}

// closeStore closes the store if it was opened.
func (a *app) closeStore() {
	if a.db == nil {
		return
	}
	if a.db.sqlite != nil {
		a.db.sqlite.Close()
	}
	if a.db.pg != nil {
		a.db.pg.Close()
	}
}

// Cache builds the semantic plan cache: the configured embedder, persisted in the store
// when there is one. It returns nil when the cache is disabled or there is no LLM (only
// LLM plans are cached).
func (a *app) Cache(ctx context.Context, online bool, reg *tool.Registry) (*cache.Cache, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	if !cfg.Cache.Enabled || !online {
		return nil, nil
	}
	var emb embed.Embedder
	switch cfg.Cache.Embedder {
	case "openai":
		rec := a.Recorder()
		emb, err = embedopenai.New(embedopenai.Config{BaseURL: cfg.LLM.BaseURL, APIKey: cfg.LLM.APIKey,
			OnCall: func(model string, d time.Duration, tokens int, err error) { rec.RecordEmbedding(model, d, tokens) }})
	default:
		emb, err = embed.NewLocal(embed.LocalConfig{})
	}
	if err != nil {
		return nil, fmt.Errorf("cache embedder: %w", err)
	}
	st, err := a.Stores(ctx)
	if err != nil {
		return nil, err
	}
	c, err := cache.NewContext(ctx, cache.Config{Threshold: cfg.Cache.Threshold, TTL: cfg.Cache.TTL, Capacity: cfg.Cache.Capacity}, emb, st.Cache)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	// Plans cached against another tool registry can never be served again (the registry
	// version is part of every namespace): drop them so they do not take capacity.
	if _, err := c.Retain(ctx, func(ns cache.Namespace) bool { return ns.Registry == reg.Version() }); err != nil {
		return nil, fmt.Errorf("cache: drop entries of older registries: %w", err)
	}
	a.cache = c
	return c, nil
}

// History opens the learning loop over the store (memory when there is none), with the
// local embedder. It is built once per process.
func (a *app) History(ctx context.Context, reg *tool.Registry) (*history.History, error) {
	a.histOnce.Do(func() {
		st, err := a.Stores(ctx)
		if err != nil {
			a.histErr = err
			return
		}
		emb, err := embed.NewLocal(embed.LocalConfig{})
		if err != nil {
			a.histErr = err
			return
		}
		var store history.Store = history.NewMemoryStore()
		if st.History != nil {
			store = st.History
		}
		a.hist, a.histErr = history.New(ctx, store, emb, history.Options{Variants: prompt.BuiltinVariants(),
			MaxPool: a.cfg.History.MaxPool, Retention: a.cfg.History.Retention})
		if a.histErr != nil {
			a.histErr = fmt.Errorf("history: %w", a.histErr)
		}
	})
	return a.hist, a.histErr
}
