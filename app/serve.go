package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/server/mcpserver"
)

// MCPTenant scopes what MCP clients without an API key plan and run (stdio, or a server
// without api_keys): the CLI's tenant, which the HTTP API also gives unauthenticated
// callers.
const MCPTenant = planner.DefaultTenant

// serving is what Server built for Serve.
type serving struct {
	srv    *server.Server
	alerts *metrics.Alerts
}

// Server builds, once, the HTTP API of a server (Options.Serve): the planner, the run
// service (after marking as interrupted the runs this store's previous process left
// queued or running), metrics and alerts, the dashboard, the learning routes, rate
// limits, tracing, MCP over streamable HTTP at /api/v1/mcp, and readiness (the store
// answers and runs can be recorded; an open LLM breaker or an MCP server that is down is
// reported as degraded).
func (a *App) Server(ctx context.Context) (*server.Server, error) {
	if !a.opts.Serve {
		return nil, errors.New("app: Server needs Options.Serve")
	}
	a.mu.Lock()
	if a.srv != nil {
		defer a.mu.Unlock()
		return a.srv.srv, nil
	}
	a.mu.Unlock()
	cfg := a.cfg
	rules := metrics.DefaultRules(cfg.Metrics.DailyBudgetUSD, cfg.Metrics.PerKeyDailyBudgetUSD)
	if cfg.Metrics.AlertsFile != "" {
		var err error
		if rules, err = metrics.LoadRules(cfg.Metrics.AlertsFile); err != nil {
			return nil, err
		}
	}
	st, err := a.Stores(ctx)
	if err != nil {
		return nil, err
	}
	alertOpts := metrics.AlertOptions{Logger: a.log, WebhookURL: cfg.Metrics.AlertWebhook}
	if st.pg != nil {
		// Replicas share one PostgreSQL: only the leader sends alert webhooks.
		alertOpts.Leader = st.pg.Leader
	}
	alerts, err := metrics.NewAlerts(a.rec, rules, alertOpts)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	if _, err := a.Registry(); err != nil {
		return nil, err
	}
	h, err := a.History(ctx)
	if err != nil {
		return nil, err
	}
	p, err := a.Planner(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := a.Executor(); err != nil {
		return nil, err
	}
	runs, err := a.Runs(ctx)
	if err != nil {
		return nil, err
	}
	// Runs this store's previous process left queued or running are marked
	// interrupted (never lost, never 404).
	if _, err := runs.Recover(ctx); err != nil {
		return nil, err
	}
	keys := make([]server.APIKey, len(cfg.Server.APIKeys))
	for i, k := range cfg.Server.APIKeys {
		keys[i] = server.APIKey{Key: k.Key, Tenant: k.Tenant, Name: k.Name, Admin: k.Admin}
	}
	mcpSrv, err := mcpserver.New(mcpserver.Config{Planner: p, Runs: runs, Tenant: MCPTenant, Version: MCPVersion(), Logger: a.log,
		MaxBodyBytes: cfg.Server.MaxBodyBytes})
	if err != nil {
		return nil, err
	}
	// Ready means the store answers and runs can be recorded; an open LLM breaker is
	// reported as degraded (the offline planners still answer, and every replica shares
	// the provider, so failing readiness would only take the whole service down).
	extra := []server.Option{server.WithReadiness(runs.Ready)}
	if st.sqlite != nil || st.pg != nil {
		extra = append(extra, server.WithReadiness(st.Ready))
	}
	if a.Online() {
		extra = append(extra, server.WithDegraded(a.breakersDown))
	}
	a.mu.Lock()
	mcp := a.mcp
	a.mu.Unlock()
	if mcp != nil {
		a.rec.Register(mcp.sources.Collector())
		extra = append(extra, server.WithDegraded(mcp.sources.Down))
	}
	srv := server.New(server.Config{
		Addr: cfg.Server.Addr, ReadTimeout: cfg.Server.ReadTimeout, WriteTimeout: cfg.Server.WriteTimeout,
		IdleTimeout: cfg.Server.IdleTimeout, MaxBodyBytes: cfg.Server.MaxBodyBytes, APIKeys: keys, Logger: a.log,
		DrainDelay: cfg.Server.DrainDelay,
	}, p, append([]server.Option{server.WithMetrics(a.rec, alerts), server.WithDashboard(), server.WithRuns(runs), server.WithLearning(h),
		server.WithRateLimit(cfg.Server.RateLimitRPS, cfg.Server.RateLimitBurst), server.WithTracing(a.tracer),
		// MCP over streamable HTTP, behind the API's bearer authentication and rate limit.
		server.WithLimitedRoute("/api/v1/mcp", mcpSrv.Handler(mcpPrincipal))}, extra...)...)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.srv = &serving{srv: srv, alerts: alerts}
	return srv, nil
}

// mcpPrincipal hands the MCP endpoint the caller the API's authentication established.
func mcpPrincipal(r *http.Request) mcpserver.Principal {
	p := server.PrincipalFrom(r.Context())
	return mcpserver.Principal{Tenant: p.Tenant, KeyID: p.KeyID}
}

// MCPVersion is the version MCP clients are told: the module version of the build, or
// its VCS revision.
func MCPVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return s.Value[:12]
		}
	}
	return "dev"
}

// Run serves on the configured address (server.addr) until ctx is done: Listen, then
// Serve.
func (a *App) Run(ctx context.Context) error {
	ln, _, err := a.Listen(ctx)
	if err != nil {
		return err
	}
	return a.Serve(ctx, ln)
}

// Listen builds the server (Server), listens on the configured address (server.addr)
// and, when set, on server.pprof_addr (refused beyond loopback unless
// server.pprof_allow_remote; Serve serves the profiles there), and logs that planwise
// is serving: the address, the mode, the tools and the registry's version, whether API
// keys are required, the store and the process id. mode is "online", or says that
// planwise plans offline: how to plan online when no LLM is configured (NoLLM), else
// that offline planning was asked for. The caller serves on ln with Serve.
func (a *App) Listen(ctx context.Context) (ln net.Listener, mode string, err error) {
	if _, err := a.Server(ctx); err != nil {
		return nil, "", err
	}
	ln, err = net.Listen("tcp", a.cfg.Server.Addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen on %s: %w (fix: choose a free address with --addr)", a.cfg.Server.Addr, err)
	}
	if _, err := a.listenPprof(); err != nil {
		ln.Close()
		return nil, "", err
	}
	p, err := a.Planner(ctx)
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	reg, err := a.Registry()
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	switch {
	case !p.Offline():
		mode = "online"
	case a.NoLLM():
		mode = "offline (no LLM configured: set OPENAI_API_KEY or OPENAI_BASE_URL; planning with the offline planners)"
	default:
		mode = "offline (as asked: --offline or planner.offline; planning with the offline planners)"
	}
	a.log.Info("planwise serving", "addr", ln.Addr().String(), "mode", mode, "tools", reg.Len(),
		"registry_version", reg.Version(), "auth", len(a.cfg.Server.APIKeys) > 0, "store", a.StoreSummary(), "pid", os.Getpid())
	return ln, mode, nil
}

// Serve serves the HTTP API on ln until ctx is done, with the background work a server
// needs: the history write queue and retention (hourly), alerts, the spending ledger's
// sync with the store (every second), with PostgreSQL the cache follower and the alert
// leader election, and with server.pprof_addr Go's profiles on their own listener
// (Listen's, else one Serve opens). On return the server has drained and stopped, the run service
// is closed (runs in flight interrupted and recorded), and every goroutine Serve started
// has ended, the history queue last (it writes what is still queued).
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv, err := a.Server(ctx)
	var pprofLn net.Listener
	if err == nil {
		pprofLn, err = a.listenPprof()
	}
	if err != nil {
		ln.Close()
		return err
	}
	a.mu.Lock()
	queue, h, ledger, st, c, alerts := a.queue, a.hist, a.ledger, a.stores, a.cache, a.srv.alerts
	a.mu.Unlock()

	var bg sync.WaitGroup
	bgCtx, stopBG := context.WithCancel(ctx)
	defer func() { stopBG(); bg.Wait() }()
	bg.Add(1)
	go func() { defer bg.Done(); alerts.Run(bgCtx, a.cfg.Metrics.AlertEvery) }()

	queueCtx, stopQueue := context.WithCancel(context.Background())
	queueDone := make(chan struct{})
	go func() { defer close(queueDone); _ = queue.Run(queueCtx) }()
	// Stop the queue last: it writes what is still queued before returning.
	defer func() { stopQueue(); <-queueDone }()
	defer a.servePprof(pprofLn)()

	// Delete records past the retention now and hourly (history.retention).
	bg.Add(1)
	go func() {
		defer bg.Done()
		tick := time.NewTicker(time.Hour)
		defer tick.Stop()
		for {
			if n, err := h.Prune(bgCtx); err != nil {
				a.log.Warn("history retention", "err", err)
			} else if n > 0 {
				a.log.Info("history retention: deleted old records", "records", n, "retention", a.cfg.History.Retention.String())
			}
			select {
			case <-bgCtx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	defer a.closeExecutor()
	if st.pg != nil {
		// Keep this replica's cache in step with the others (LISTEN/NOTIFY with a
		// catch-up read after every reconnect) and run the leader election.
		stopSync := st.pg.Start(ctx, c, a.log)
		defer stopSync()
	}
	if ledger != nil {
		// Spending reaches the store (and the other replicas) within a second.
		ledgerCtx, stopLedger := context.WithCancel(context.Background())
		ledgerDone := make(chan struct{})
		go func() { defer close(ledgerDone); ledger.Run(ledgerCtx, time.Second) }()
		defer func() { stopLedger(); <-ledgerDone }()
	}
	defer a.closeRuns()
	err = srv.Serve(ctx, ln, 10*time.Second)
	a.log.Info("planwise stopped")
	return err
}
