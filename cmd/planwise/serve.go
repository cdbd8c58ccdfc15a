package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/llm"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/mcpserver"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
)

func init() { register(newServeCmd) }

func newServeCmd(a *app) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP API (and dashboard)",
		Long: `Run the planwise HTTP API. The LLM provider comes from the configuration or
OPENAI_BASE_URL / OPENAI_API_KEY; with neither set the server plans offline and says so.`,
		Example: `  planwise serve --addr 127.0.0.1:8080
  OPENAI_BASE_URL=http://127.0.0.1:8089/v1 planwise serve --addr 127.0.0.1:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			if addr != "" {
				cfg.Server.Addr = addr
			}
			log := slog.New(slog.NewJSONHandler(a.Err, nil))
			tp, shutdownTracing, err := metrics.SetupTracing(cmd.Context(), metrics.TracingConfig{Endpoint: cfg.Metrics.OTLPEndpoint, ServiceName: "planwise"})
			if err != nil {
				return fmt.Errorf("tracing: %w", err)
			}
			defer shutdownTracing(context.Background())
			if metrics.TracingOn(tp) {
				a.tracer = tp
			}
			rules := metrics.DefaultRules(cfg.Metrics.DailyBudgetUSD, cfg.Metrics.PerKeyDailyBudgetUSD)
			if cfg.Metrics.AlertsFile != "" {
				if rules, err = metrics.LoadRules(cfg.Metrics.AlertsFile); err != nil {
					return err
				}
			}
			st, err := a.Stores(cmd.Context())
			if err != nil {
				return err
			}
			alertOpts := metrics.AlertOptions{Logger: log, WebhookURL: cfg.Metrics.AlertWebhook}
			if st.pg != nil {
				// Replicas share one PostgreSQL: only the leader sends alert webhooks.
				alertOpts.Leader = st.pg.Leader
			}
			alerts, err := metrics.NewAlerts(a.Recorder(), rules, alertOpts)
			if err != nil {
				return fmt.Errorf("alerts: %w", err)
			}
			go alerts.Run(cmd.Context(), cfg.Metrics.AlertEvery)
			// MCP tool servers that are down do not stop the service: it starts without
			// their tools, retries them and reports them in /readyz and /metrics.
			a.mcpDegrade, a.mcpLog = true, log
			reg, err := a.Registry()
			if err != nil {
				return err
			}
			h, err := a.History(cmd.Context(), reg)
			if err != nil {
				return err
			}
			queue := h.NewQueue(16384)
			// Few large transactions: at thousands of cache hits a second the history
			// write was a quarter of the server's CPU and its commits the tail; a batch
			// lingers up to 100 ms (or 1,024 records).
			queue.Linger = 100 * time.Millisecond
			queue.OnRecorded = func(r *history.Record) {
				if r.Retry {
					a.Recorder().RecordRetry(r.APIKey)
				}
			}
			// A record that could not be written is logged, not only counted.
			queue.OnError = func(err error) { log.Error("history write failed", "err", err) }
			queueCtx, stopQueue := context.WithCancel(context.Background())
			queueDone := make(chan struct{})
			go func() { defer close(queueDone); _ = queue.Run(queueCtx) }()
			// Stop the queue last: it writes what is still queued before returning.
			defer func() { stopQueue(); <-queueDone }()
			a.histQueue = queue
			// Delete records past the retention now and hourly (history.retention).
			go func() {
				tick := time.NewTicker(time.Hour)
				defer tick.Stop()
				for {
					if n, err := h.Prune(cmd.Context()); err != nil {
						log.Warn("history retention", "err", err)
					} else if n > 0 {
						log.Info("history retention: deleted old records", "records", n, "retention", cfg.History.Retention.String())
					}
					select {
					case <-cmd.Context().Done():
						return
					case <-tick.C:
					}
				}
			}()
			p, err := a.Planner(reg)
			if err != nil {
				return err
			}
			ex, err := a.Executor(reg)
			if err != nil {
				return err
			}
			defer ex.Close()
			a.followRegistry(p, ex, log)
			if st.pg != nil {
				// Keep this replica's cache in step with the others (LISTEN/NOTIFY with a
				// catch-up read after every reconnect) and run the leader election.
				stopSync := st.pg.Start(cmd.Context(), a.cache, log)
				defer stopSync()
			}
			if a.ledger != nil {
				// Spending reaches the store (and the other replicas) within a second.
				ledgerCtx, stopLedger := context.WithCancel(context.Background())
				ledgerDone := make(chan struct{})
				go func() { defer close(ledgerDone); a.ledger.Run(ledgerCtx, time.Second) }()
				defer func() { stopLedger(); <-ledgerDone }()
			}
			runsCfg := planner.RunsConfig{Workers: cfg.Execute.Workers, QueueSize: cfg.Execute.Queue, Logger: log}
			if cfg.Execute.Queue == 0 {
				runsCfg.QueueSize = -1 // 0 in the configuration means no queue
			}
			if st.pg != nil {
				// Replicas share the runs: each marks its own alive, and interrupts
				// those of a replica that stopped marking them.
				runsCfg.LeaseTTL = cfg.Store.RunLease
			}
			runs := planner.NewRuns(p, ex, st.Runs, a.Recorder(), planner.WithRunsConfig(runsCfg))
			defer runs.Close()
			// Runs this store's previous process left queued or running are marked
			// interrupted (never lost, never 404).
			if _, err := runs.Recover(cmd.Context()); err != nil {
				return err
			}
			keys := make([]server.APIKey, len(cfg.Server.APIKeys))
			for i, k := range cfg.Server.APIKeys {
				keys[i] = server.APIKey{Key: k.Key, Tenant: k.Tenant, Name: k.Name, Admin: k.Admin}
			}
			mcpSrv, err := mcpserver.New(mcpserver.Config{Planner: p, Runs: runs, Tenant: mcpTenant, Version: mcpImplVersion(), Logger: log,
				MaxBodyBytes: cfg.Server.MaxBodyBytes})
			if err != nil {
				return err
			}
			// Ready means the store answers and runs can be recorded; an open LLM
			// breaker is reported as degraded (the offline planners still answer, and
			// every replica shares the provider, so failing readiness would only take
			// the whole service down).
			extra := []server.Option{server.WithReadiness(runs.Ready)}
			switch {
			case st.sqlite != nil:
				extra = append(extra, server.WithReadiness(st.sqlite.Ready))
			case st.pg != nil:
				extra = append(extra, server.WithReadiness(st.pg.DB.Ready))
			}
			if a.llmStage != nil {
				if res, ok := a.llmStage.res.(*llm.Resilient); ok {
					extra = append(extra, server.WithDegraded(func() []string {
						var out []string
						for key, state := range res.BreakerStates() {
							if state != "closed" {
								out = append(out, "llm circuit breaker "+key+" is "+state+": requests fall back to the offline planners")
							}
						}
						slices.Sort(out)
						return out
					}))
				}
			}
			if a.mcp != nil {
				a.Recorder().Register(a.mcp.sources.Collector())
				extra = append(extra, server.WithDegraded(a.mcp.sources.Down))
			}
			srv := server.New(server.Config{
				Addr: cfg.Server.Addr, ReadTimeout: cfg.Server.ReadTimeout, WriteTimeout: cfg.Server.WriteTimeout,
				IdleTimeout: cfg.Server.IdleTimeout, MaxBodyBytes: cfg.Server.MaxBodyBytes, APIKeys: keys, Logger: log,
				DrainDelay: cfg.Server.DrainDelay,
			}, p, append([]server.Option{server.WithMetrics(a.Recorder(), alerts), server.WithDashboard(), server.WithRuns(runs), server.WithLearning(h),
				server.WithRateLimit(cfg.Server.RateLimitRPS, cfg.Server.RateLimitBurst), server.WithTracing(a.tracer),
				// MCP over streamable HTTP, behind the API's bearer authentication and rate limit.
				server.WithLimitedRoute("/api/v1/mcp", mcpSrv.Handler(mcpPrincipal))}, extra...)...)
			ln, err := net.Listen("tcp", cfg.Server.Addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w (fix: choose a free address with --addr)", cfg.Server.Addr, err)
			}
			mode := "online"
			if p.Offline() {
				mode = "offline (no LLM configured: set OPENAI_API_KEY or OPENAI_BASE_URL; planning with the offline planners)"
			}
			store := a.storeSummary()
			log.Info("planwise serving", "addr", ln.Addr().String(), "mode", mode, "tools", reg.Len(),
				"registry_version", reg.Version(), "auth", len(keys) > 0, "store", store, "pid", os.Getpid())
			fmt.Fprintf(a.Out, "planwise listening on http://%s (%s)\nplanwise data: %s\n", ln.Addr(), mode, store)
			err = srv.Serve(cmd.Context(), ln, 10*time.Second)
			log.Info("planwise stopped")
			return err
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (default from config, 127.0.0.1:8080)")
	a.offlineFlag(cmd, false)
	return cmd
}

// mcpPrincipal hands the MCP endpoint the caller the API's authentication established.
func mcpPrincipal(r *http.Request) mcpserver.Principal {
	p := server.PrincipalFrom(r.Context())
	return mcpserver.Principal{Tenant: p.Tenant, KeyID: p.KeyID}
}
