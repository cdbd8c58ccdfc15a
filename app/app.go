// Package app assembles planwise from a configuration: the tool registry (tool files,
// the built-in catalog, MCP servers), the stores, the learning loop, the planner with
// its LLM stage and cache, the executor and the run service, and for a server the HTTP
// API with its metrics, alerts and MCP endpoint. `planwise serve` is New, then Run; a Go
// program assembles the same with the same two calls, and the CLI's other commands take
// the parts they need.
//
// Everything New is told is fixed at New: the parts are built on first use, and the
// order in which they are asked for does not change what they are. A part is built once
// and shared (one registry, one store, one history, one LLM provider and its breakers,
// one planner, one executor, one run service). The app's own background work (the
// history write queue and retention, alerts, the spending ledger's sync, the PostgreSQL
// cache follower and leader election, Go's profiles on server.pprof_addr) runs only
// inside Run and Serve, which stop it before returning; Close releases what the parts
// hold (the store, the MCP sessions and their retries, the run service, the executor,
// tracing, a profiles' listener Serve never took).
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/config"
	"github.com/planwise/planwise/internal/datadir"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// Config is planwise's configuration (see LoadConfig).
type Config = config.Config

// LoadConfig reads the configuration: the YAML file at path (or $PLANWISE_CONFIG when
// path is empty), then the environment (PLANWISE_<SECTION>__<KEY>, OPENAI_API_KEY,
// OPENAI_BASE_URL), validated; an error names the key and the fix.
func LoadConfig(path string) (*Config, error) { return config.Load(path) }

// DefaultConfig is the configuration with nothing set.
func DefaultConfig() Config { return config.Default() }

// Options are what New is told besides the configuration.
type Options struct {
	// Tools are tool files or directories loaded after the configured tools.paths
	// (--tools). Later sources override earlier ones by name.
	Tools []string
	// Registry, when set, is the tool registry: the configured tools are not loaded.
	Registry *tool.Registry
	// Offline never calls an LLM, whatever the configuration says.
	Offline bool
	// Memory keeps everything in memory: nothing is read from or written to the
	// configured store (evaluations).
	Memory bool
	// ReadOnly is for a command that only reads the store (planwise history, insights,
	// experiments list): a SQLite store whose file does not exist yet is not created
	// (nor its directory), and a PostgreSQL store is neither created nor migrated
	// (postgres.OpenExisting: a store older than this build is an error that says how
	// to migrate it). Where there is no store yet the app keeps everything in memory
	// instead, so the command reads an empty history, and StoreMissing names what it
	// did not find.
	ReadOnly bool
	// Partial makes the offline planner answer with the planned part of a request it
	// can plan only in part (as planner.partial does).
	Partial bool
	// LongRunning is for a process that serves (serve, mcp): MCP tool servers that are
	// down do not stop the start (it waits up to 10 s, then goes on without them, retries
	// them and follows their tool lists, swapping new registries into the planner and the
	// executor). Otherwise every configured MCP server must answer.
	LongRunning bool
	// Serve assembles what a server runs (Server, Serve, Run): history records are
	// written by a background queue, traces are exported when metrics.otlp_endpoint is
	// set, and the run service takes its workers, queue and leases from the
	// configuration. Serve implies LongRunning.
	Serve bool
	// Addr, when set, is the address the server listens on instead of server.addr
	// (`planwise serve --addr`).
	Addr string
	// Stderr receives warnings (a duplicate tool definition dropped, the store file
	// created, circuit breaker transitions); default os.Stderr.
	Stderr io.Writer
	// Logger logs the MCP tool servers, registry changes and, with Serve, the server and
	// its background work; default warnings and errors as text on Stderr.
	Logger *slog.Logger
}

// App is planwise assembled from one configuration. Its methods are safe for
// concurrent use.
type App struct {
	cfg  *Config
	opts Options
	log  *slog.Logger
	rec  *metrics.Recorder

	// tracer is set (with Serve) when traces are exported; shutdownTracing flushes them.
	tracer          trace.TracerProvider
	shutdownTracing func(context.Context) error

	mu      sync.Mutex // guards what follows
	closed  bool
	reg     *tool.Registry
	regErr  error
	regDone bool
	mcp     *mcpState
	stores  *Stores
	loc     datadir.Store // where the SQLite store is, once resolved
	missing string        // with ReadOnly: the store that did not exist (StoreMissing)
	locErr  error
	locDone bool
	hist    *history.History
	queue   *history.Queue // with Serve: the history's write queue, run by Serve
	ledger  *metrics.Ledger
	llm     *llmShared
	cache   *cache.Cache // the app planner's cache, followed across replicas
	planner *planner.Planner
	exec    *execute.Executor
	runs    *planner.Runs
	srv     *serving
	pprof   net.Listener // server.pprof_addr's, from listenPprof until Serve ends
	// runsClosed and execClosed: the run service and the executor were built and closed
	// (they are not built again).
	runsClosed, execClosed bool
}

// New assembles planwise from cfg. It sets up tracing (with Options.Serve); the other
// parts are built on first use.
func New(ctx context.Context, cfg *Config, opts Options) (*App, error) {
	if cfg == nil {
		return nil, errors.New("app: nil configuration (use LoadConfig or DefaultConfig)")
	}
	if opts.Serve {
		opts.LongRunning = true
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.Addr != "" { // the caller's configuration stays as it was
		c := *cfg
		c.Server.Addr = opts.Addr
		cfg = &c
	}
	a := &App{cfg: cfg, opts: opts, log: opts.Logger}
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(opts.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	window := 5 * time.Minute
	if cfg.Metrics.Window > 0 {
		window = cfg.Metrics.Window
	}
	a.rec = metrics.NewRecorder(metrics.Options{Window: window})
	if opts.Serve {
		tp, shutdown, err := metrics.SetupTracing(ctx, metrics.TracingConfig{Endpoint: cfg.Metrics.OTLPEndpoint, ServiceName: "planwise"})
		if err != nil {
			return nil, fmt.Errorf("tracing: %w", err)
		}
		a.shutdownTracing = shutdown
		if metrics.TracingOn(tp) {
			a.tracer = tp
		}
	}
	return a, nil
}

// Config is the configuration the app was made with (with Options.Addr as server.addr).
func (a *App) Config() *Config { return a.cfg }

// Recorder is the process's metrics recorder, shared by the planner, the run service and
// the server.
func (a *App) Recorder() *metrics.Recorder { return a.rec }

// Online reports whether the app's planners call an LLM: one is configured and neither
// the options nor the configuration say offline.
func (a *App) Online() bool {
	return !a.offlineAsked() && a.cfg.Online()
}

// offlineAsked reports whether offline planning was asked for: Options.Offline
// (--offline) or planner.offline.
func (a *App) offlineAsked() bool { return a.opts.Offline || a.cfg.Planner.Offline }

// NoLLM reports whether the app plans offline only because no LLM is configured: it
// would call one, as neither Options.Offline (--offline) nor planner.offline chose
// offline planning. Only then do the commands that plan say how to plan online; an
// offline planning that was asked for is no news to whoever asked.
func (a *App) NoLLM() bool {
	return !a.offlineAsked() && !a.cfg.Online()
}

// Registry is the tool registry: Options.Registry, or the built-in catalog (unless
// tools.no_builtins), the configured tool paths, Options.Tools, then the tools of the
// MCP servers. With LongRunning it is the current one: an MCP server's list change
// swaps in a new registry.
func (a *App) Registry() (*tool.Registry, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.registryLocked()
}

func (a *App) registryLocked() (*tool.Registry, error) {
	if a.regDone {
		return a.reg, a.regErr
	}
	a.regDone = true
	if a.opts.Registry != nil {
		a.reg = a.opts.Registry
		return a.reg, nil
	}
	a.reg, a.regErr = a.loadRegistry()
	return a.reg, a.regErr
}

// Tools are the tools of the registry before the MCP servers': the built-in catalog
// (with builtins, unless tools.no_builtins), then the configured tool paths and
// Options.Tools, their warnings through WarnTool. An evaluation adds its data set's
// catalogue to them.
func (a *App) Tools(builtins bool) ([]*tool.Tool, error) {
	var tools []*tool.Tool
	if builtins && !a.cfg.Tools.NoBuiltins {
		tools = append(tools, tool.Builtins()...)
	}
	if paths := a.ToolPaths(); len(paths) > 0 {
		loaded, err := tool.LoadPathsWarn(a.WarnTool, paths...)
		if err != nil {
			return nil, err
		}
		tools = append(tools, loaded...)
	}
	return tools, nil
}

// ToolPaths are the tool files and directories the registry loads: the configured
// tools.paths, then Options.Tools.
func (a *App) ToolPaths() []string {
	return append(append([]string(nil), a.cfg.Tools.Paths...), a.opts.Tools...)
}

func (a *App) loadRegistry() (*tool.Registry, error) {
	tools, err := a.Tools(true)
	if err != nil {
		return nil, err
	}
	reg, err := (*tool.Registry)(nil).Merge(tools...)
	if err != nil || len(a.cfg.Tools.MCP) == 0 {
		return reg, err
	}
	// MCP tools never replace another tool: a name taken is an error (see mcpTools).
	mcpTools, err := a.mcpTools(reg)
	if err != nil {
		return nil, err
	}
	return tool.NewRegistry(append(append([]*tool.Tool(nil), reg.Tools()...), mcpTools...)...)
}

// WarnTool prints a tool-loading warning (an identical duplicate definition dropped) on
// Options.Stderr.
func (a *App) WarnTool(e *tool.Error) {
	fmt.Fprintln(a.opts.Stderr, "planwise: warning:", e.Error())
}

// WarnAuthRefused says loudly on Options.Stderr when the LLM provider refused the API
// key while a request was planned (resp and err as planner.Plan returns them, or err
// as planner.Runs.Start does): no retry or fallback fixes that, and the offline answer
// that follows looks like an ordinary one. The commands that plan (plan, run) call it.
func (a *App) WarnAuthRefused(resp *planner.Response, err error) {
	if planner.AuthRefused(resp, err) {
		fmt.Fprintln(a.opts.Stderr, "planwise: ERROR: the LLM provider refused the API key (401/403): check OPENAI_API_KEY / llm.api_key; this answer did not come from the LLM")
	}
}

// Close releases what the app holds: the run service (after recording what is pending),
// the executor, the MCP tool servers and their retries, the store, the trace exporter
// and the profiles' listener (when Listen listened and Serve never ran). Call it once,
// after Run or Serve returned.
func (a *App) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	mcp, st, shutdown, pprofLn := a.mcp, a.stores, a.shutdownTracing, a.pprof
	a.pprof = nil
	a.mu.Unlock()
	if pprofLn != nil { // Listen listened, Serve never ran
		pprofLn.Close()
	}
	a.closeRuns()
	a.closeExecutor()
	var err error
	if shutdown != nil {
		err = shutdown(context.Background())
	}
	if mcp != nil {
		mcp.sources.Close()
		mcp.runner.Close()
	}
	if st != nil {
		st.close()
	}
	return err
}

// closeRuns closes the run service if it was built and is not closed yet: runs in
// flight are interrupted and what is pending is recorded.
func (a *App) closeRuns() {
	a.mu.Lock()
	runs := a.runs
	a.runsClosed = a.runsClosed || runs != nil
	a.runs = nil
	a.mu.Unlock()
	if runs != nil {
		runs.Close()
	}
}

// closeExecutor closes the executor if it was built and is not closed yet.
func (a *App) closeExecutor() {
	a.mu.Lock()
	ex := a.exec
	a.execClosed = a.execClosed || ex != nil
	a.exec = nil
	a.mu.Unlock()
	if ex != nil {
		ex.Close()
	}
}
