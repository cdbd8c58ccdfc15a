package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/tool"
)

// errClosed is returned by the builders after Close.
var errClosed = errors.New("app: closed")

// History is the learning loop over the store (memory when there is none), with the
// local embedder. With Serve its records are written by a background queue that Serve
// runs; otherwise they are written as they come.
func (a *App) History(ctx context.Context) (*history.History, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.historyLocked(ctx)
}

// Learning is the learning loop over the store as tenant sees it ("" for every tenant):
// what the planwise CLI's history, insights and experiments read without --server.
func (a *App) Learning(ctx context.Context, tenant string) (*history.View, error) {
	h, err := a.History(ctx)
	if err != nil {
		return nil, err
	}
	return h.View(tenant), nil
}

func (a *App) historyLocked(ctx context.Context) (*history.History, error) {
	if a.hist != nil {
		return a.hist, nil
	}
	st, err := a.storesLocked(ctx)
	if err != nil {
		return nil, err
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		return nil, err
	}
	var store history.Store = history.NewMemoryStore()
	if st.History != nil {
		store = st.History
	}
	h, err := history.New(ctx, store, emb, history.Options{Variants: prompt.BuiltinVariants(),
		MaxPool: a.cfg.History.MaxPool, Retention: a.cfg.History.Retention})
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if err := h.Unreadable(); err != nil {
		a.log.Warn("history: some stored records could not be read; the planner learns from the rest", "err", err)
	}
	if a.opts.Serve {
		// What a crash loses of the history is what the queue holds unwritten: at most
		// history.max_unflushed records (the queue and the batch being written), and,
		// while the writer keeps up, those answered in the last history.flush_interval
		// and one batch's write. Batches hold at most 256 records, so that writing one
		// (encoding its cache hits, the commit) holds one of the two cores for about half
		// a millisecond, not the several that made the p99 of cache hits 1.6-1.8x a
		// trivial server's with batches of 1,024 (BENCHMARKS.md, issue 13). A batch
		// lingered 100 ms, and a SIGKILL right after 1,500 hits lost a median of 221
		// records, 48.5 at 20 ms; at busy rates 256 records fill a batch before the
		// interval ends, so a shorter one costs commits only when the rate is low.
		maxUnflushed := cmp.Or(a.cfg.History.MaxUnflushed, history.DefaultQueueSize)
		batch := max(min(256, maxUnflushed/2), 1)
		queue := h.NewQueue(max(maxUnflushed-batch, 1))
		queue.Linger = a.cfg.History.FlushInterval
		queue.MaxBatch = batch
		queue.OnRecorded = func(r *history.Record) {
			if r.Retry {
				a.rec.RecordRetry(r.APIKey)
			}
		}
		// A record dropped is counted (planwise_history_records_dropped_total, the
		// history_records_dropped alert) at once, and logged once a batch; a record that
		// could not be written is logged.
		queue.OnDropped = a.rec.RecordHistoryDropped
		queue.OnError = func(err error) {
			if errors.Is(err, history.ErrQueueFull) {
				a.log.Error("history records dropped: the queue was full", "err", err,
					"fix", "check that the store keeps up (disk, database); history.max_unflushed bounds the queue")
				return
			}
			a.log.Error("history write failed", "err", err)
		}
		a.queue = queue
	}
	a.hist = h
	return h, nil
}

// ledgerLocked returns the budgets' spending ledger over the store's spending table
// (memory only with the memory driver), read once now so that a restarted process
// starts from the day's spending so far.
func (a *App) ledgerLocked(ctx context.Context) (*metrics.Ledger, error) {
	if a.ledger != nil {
		return a.ledger, nil
	}
	st, err := a.storesLocked(ctx)
	if err != nil {
		return nil, err
	}
	l := metrics.NewLedger(st.Spend, nil, nil)
	if err := l.Sync(ctx); err != nil {
		return nil, fmt.Errorf("budgets: read the day's spending: %w", err)
	}
	a.ledger = l
	return l, nil
}

// newCache builds a semantic plan cache over reg: the configured embedder, persisted in
// the store when there is one. It is nil when the cache is disabled.
func (a *App) newCache(ctx context.Context, reg *tool.Registry) (*cache.Cache, error) {
	cfg := a.cfg
	if !cfg.Cache.Enabled {
		return nil, nil
	}
	var emb embed.Embedder
	var err error
	switch cfg.Cache.Embedder {
	case "openai":
		// The chat calls' pipeline: the same retries, breakers, metrics and spans.
		if err = a.llmLocked(); err == nil {
			emb, err = llm.NewEmbedder(a.llm.res, llm.EmbedderConfig{})
		}
	default:
		emb, err = embed.NewLocal(embed.LocalConfig{})
	}
	if err != nil {
		return nil, fmt.Errorf("cache embedder: %w", err)
	}
	st, err := a.storesLocked(ctx)
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
	return c, nil
}

// Planner is the app's planner over Registry, built once: the learning loop, budgets,
// and when online the LLM stage (routing, retries, breakers, prices) and the semantic
// cache. With LongRunning it follows the registry's changes.
func (a *App) Planner(ctx context.Context) (*planner.Planner, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.planner != nil {
		return a.planner, nil
	}
	if a.closed {
		return nil, errClosed
	}
	reg, err := a.registryLocked()
	if err != nil {
		return nil, err
	}
	p, c, err := a.buildPlanner(ctx, reg, nil)
	if err != nil {
		return nil, err
	}
	a.planner, a.cache = p, c
	return p, nil
}

// NewPlanner builds another planner over reg, sharing the app's history, store, metrics
// and LLM provider (evaluations plan each data set over its own catalogue). clock, when
// not nil, is its clock (relative dates are read against it). It has its own cache.
func (a *App) NewPlanner(ctx context.Context, reg *tool.Registry, clock func() time.Time) (*planner.Planner, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil, errClosed
	}
	p, _, err := a.buildPlanner(ctx, reg, clock)
	return p, err
}

// buildPlanner builds a planner for reg from the configuration and options. a.mu is held.
func (a *App) buildPlanner(ctx context.Context, reg *tool.Registry, clock func() time.Time) (*planner.Planner, *cache.Cache, error) {
	cfg := a.cfg
	opts := []planner.Option{planner.WithConfig(planner.Config{
		Deadline:        cfg.Planner.Deadline,
		MaxDeadline:     cfg.Planner.MaxDeadline,
		MaxRequestBytes: cfg.Planner.MaxRequestBytes,
		Partial:         cfg.Planner.Partial || a.opts.Partial,
		Margin:          cfg.Planner.Margin,
	}), planner.WithRecorder(a.rec)}
	if cfg.Metrics.DailyBudgetUSD > 0 || cfg.Metrics.PerKeyDailyBudgetUSD > 0 {
		ledger, err := a.ledgerLocked(ctx)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, planner.WithBudget(planner.Budget{
			DailyUSD: cfg.Metrics.DailyBudgetUSD, PerKeyDailyUSD: cfg.Metrics.PerKeyDailyBudgetUSD, Ledger: ledger,
		}))
	}
	if a.tracer != nil {
		opts = append(opts, planner.WithTracerProvider(a.tracer))
	}
	if clock != nil {
		opts = append(opts, planner.WithClock(clock))
	}
	h, err := a.historyLocked(ctx)
	if err != nil {
		return nil, nil, err
	}
	opts = append(opts, planner.WithLearning(h, a.queue))
	var c *cache.Cache
	if a.Online() {
		llmOpt, err := a.llmOption()
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, llmOpt)
		if c, err = a.newCache(ctx, reg); err != nil {
			return nil, nil, err
		}
		if c != nil {
			opts = append(opts, planner.WithCache(c))
		}
	}
	p, err := planner.New(reg, opts...)
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// Executor is the executor over Registry, built once from the execute section; calls of
// MCP tools share the sessions their tools were listed over. With LongRunning it
// follows the registry's changes.
func (a *App) Executor() (*execute.Executor, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.executorLocked()
}

func (a *App) executorLocked() (*execute.Executor, error) {
	if a.exec != nil {
		return a.exec, nil
	}
	if a.closed || a.execClosed {
		return nil, errClosed
	}
	reg, err := a.registryLocked()
	if err != nil {
		return nil, err
	}
	cfg := a.cfg
	opts := []execute.Option{
		execute.WithConcurrency(cfg.Execute.Concurrency),
		execute.WithStepTimeout(cfg.Execute.StepTimeout),
		execute.WithNetPolicy(execute.NetPolicy{AllowHosts: cfg.Execute.AllowHosts, OnlyAllowHosts: cfg.Execute.OnlyAllowHosts}),
		execute.WithLimits(execute.Limits{RunTimeout: cfg.Execute.RunTimeout, MaxLoopItems: cfg.Execute.MaxLoopItems, MaxCalls: cfg.Execute.MaxCalls,
			MaxArgBytes: cfg.Execute.MaxArgBytes, MaxOutputBytes: cfg.Execute.MaxOutputBytes, MaxRunBytes: cfg.Execute.MaxRunBytes}),
	}
	if a.mcp != nil {
		// Calls share the sessions the tools were listed over (closed by Close).
		opts = append(opts, execute.WithRunner(tool.RunMCP, a.mcp.runner))
	}
	a.exec = execute.New(reg, opts...)
	return a.exec, nil
}

// Runs is the run service over Planner and Executor, recording runs in the store, built
// once. With Serve it takes its workers, queue and (PostgreSQL) leases from the
// configuration; otherwise the run service's defaults. Runs left queued or running by
// this store's previous process are not recovered here: see Recover.
func (a *App) Runs(ctx context.Context) (*planner.Runs, error) {
	p, err := a.Planner(ctx)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.runs != nil {
		return a.runs, nil
	}
	if a.closed || a.runsClosed {
		return nil, errClosed
	}
	ex, err := a.executorLocked()
	if err != nil {
		return nil, err
	}
	st, err := a.storesLocked(ctx)
	if err != nil {
		return nil, err
	}
	var opts []planner.RunsOption
	if a.opts.Serve {
		cfg := a.cfg
		runsCfg := planner.RunsConfig{Workers: cfg.Execute.Workers, QueueSize: cfg.Execute.Queue, Logger: a.log}
		if cfg.Execute.Queue == 0 {
			runsCfg.QueueSize = -1 // 0 in the configuration means no queue
		}
		if st.pg != nil {
			// Replicas share the runs: each marks its own alive, and interrupts
			// those of a replica that stopped marking them.
			runsCfg.LeaseTTL = cfg.Store.RunLease
		}
		opts = append(opts, planner.WithRunsConfig(runsCfg))
	}
	a.runs = planner.NewRuns(p, ex, st.Runs, a.rec, opts...)
	return a.runs, nil
}
