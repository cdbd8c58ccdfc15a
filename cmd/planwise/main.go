// Command planwise turns natural-language requests into validated plans of tool calls.
//
// This package only wires flags and configuration to the library packages. Each
// subcommand lives in its own file and registers itself with register from init.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/cache"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/internal/buildinfo"
	"github.com/planwise/planwise/internal/config"
	"github.com/planwise/planwise/internal/datadir"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// app carries the global flags and lazily loaded shared state to every subcommand.
type app struct {
	// mcp is the MCP tool servers, once listed; mcpDegrade (serve, mcp) starts without
	// servers that are down and retries them; mcpLog, when set, is their logger.
	mcp        *mcpState
	mcpDegrade bool
	mcpLog     *slog.Logger
	llmStage   *llmShared // the provider every LLM stage of the process shares (llmOption)

	ConfigPath string
	ToolPaths  []string // --tools, repeatable: files or directories in any supported format
	Offline    bool     // --offline (commands that plan, see offlineFlag): never call an LLM
	JSON       bool     // --json (commands with machine output, see jsonFlag)
	// Ephemeral keeps everything in memory: nothing is read from or written to the
	// configured store (evaluations set it).
	Ephemeral bool
	// partial makes the offline planner answer with the planned part of a request
	// (evaluations' --partial).
	partial bool

	Out, Err io.Writer

	cfgOnce sync.Once
	cfg     *config.Config
	cfgErr  error

	recOnce sync.Once
	rec     *metrics.Recorder
	tracer  trace.TracerProvider // set by serve when tracing is configured

	locOnce sync.Once
	loc     datadir.Store
	locErr  error

	dbOnce sync.Once
	db     *stores
	dbErr  error
	cache  *cache.Cache // set by Cache when one is built

	histOnce sync.Once
	hist     *history.History
	histErr  error
	// histQueue, set by serve, writes history records in the background; without it
	// records are written synchronously.
	histQueue *history.Queue
	// ledger is the budgets' view of the day's LLM spending, kept in the store; serve
	// runs its sync loop.
	ledger *metrics.Ledger
}

// Recorder returns the process's metrics recorder, shared by the planner and the server.
func (a *app) Recorder() *metrics.Recorder {
	a.recOnce.Do(func() {
		window := 5 * time.Minute
		if cfg, err := a.Config(); err == nil && cfg.Metrics.Window > 0 {
			window = cfg.Metrics.Window
		}
		a.rec = metrics.NewRecorder(metrics.Options{Window: window})
	})
	return a.rec
}

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

var commands []func(*app) *cobra.Command

// register adds a subcommand constructor; called from init in each command's file.
func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	a := &app{Out: out, Err: errOut}
	defer a.closeStore()
	defer a.closeMCP()
	if err := misplacedFlag(args); err != nil {
		fmt.Fprintln(errOut, "error:", err)
		return 1
	}
	root := newRoot(a)
	root.SetArgs(args)
	root.SetOut(out)
	root.SetErr(errOut)
	if err := root.ExecuteContext(ctx); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil && ee.err.Error() != "" {
				fmt.Fprintln(errOut, "error:", ee.err)
			}
			return ee.code
		}
		fmt.Fprintln(errOut, "error:", err)
		return 1
	}
	return 0
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "planwise",
		Short: "Turn natural-language requests into validated, executable plans of tool calls",
		Long: `planwise turns a natural-language request into a validated plan of tool calls.

With no LLM configured (no OPENAI_API_KEY, no OPENAI_BASE_URL) it runs fully offline on
its history and pattern planners over the built-in tool catalog plus any --tools.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version prints what `planwise version` prints.
		Version: buildinfo.Read().String(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&a.ConfigPath, "config", "", "YAML configuration file (default $PLANWISE_CONFIG)")
	pf.StringArrayVar(&a.ToolPaths, "tools", nil, "tool file or directory (planwise YAML/JSON, TaskBench tool_desc.json, NESTFUL spec, OpenAI tools); repeatable")
	for _, f := range commands {
		root.AddCommand(f(a))
	}
	return root
}

// misplacedFlag explains --json or --offline written before the command: they were
// global flags once and are now flags of the commands where they mean something, and
// cobra's own error for them there ("unknown command") would point at the wrong word.
func misplacedFlag(args []string) error {
	for i := 0; i < len(args); i++ {
		name, _, _ := strings.Cut(args[i], "=")
		switch {
		case name == "--config" || name == "--tools":
			if !strings.Contains(args[i], "=") {
				i++ // the flag's value
			}
		case name == "--json" || name == "--offline":
			return fmt.Errorf("%s goes after the command, e.g. planwise plan %s \"...\" (it is a flag of the commands where it means something, not a global flag)", name, name)
		case !strings.HasPrefix(name, "-") || name == "--":
			return nil // the command: what follows is its business
		}
	}
	return nil
}

// jsonFlag gives cmd (and, for a command group, its subcommands) the --json flag. Only
// commands with a machine-readable output have it.
func (a *app) jsonFlag(cmd *cobra.Command, group bool) {
	fs := cmd.Flags()
	if group {
		fs = cmd.PersistentFlags()
	}
	fs.BoolVar(&a.JSON, "json", false, "print machine-readable JSON")
}

// offlineFlag gives cmd the --offline flag. Only commands that plan have it.
func (a *app) offlineFlag(cmd *cobra.Command, group bool) {
	fs := cmd.Flags()
	if group {
		fs = cmd.PersistentFlags()
	}
	fs.BoolVar(&a.Offline, "offline", false, "never call an LLM: use the offline planners only")
}

// Config loads the configuration once.
func (a *app) Config() (*config.Config, error) {
	a.cfgOnce.Do(func() { a.cfg, a.cfgErr = config.Load(a.ConfigPath) })
	return a.cfg, a.cfgErr
}

// Registry builds the tool registry: the built-in catalog (unless disabled), the
// configured tool paths, then --tools. Later sources override earlier ones by name.
func (a *app) Registry() (*tool.Registry, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	var tools []*tool.Tool
	if !cfg.Tools.NoBuiltins {
		tools = append(tools, tool.Builtins()...)
	}
	paths := append(append([]string(nil), cfg.Tools.Paths...), a.ToolPaths...)
	if len(paths) > 0 {
		loaded, err := tool.LoadPathsWarn(a.warnTool, paths...)
		if err != nil {
			return nil, err
		}
		tools = append(tools, loaded...)
	}
	reg, err := (*tool.Registry)(nil).Merge(tools...)
	if err != nil || len(cfg.Tools.MCP) == 0 {
		return reg, err
	}
	// MCP tools never replace another tool: a name taken is an error (see mcpTools).
	mcpTools, err := a.mcpTools(cfg, reg)
	if err != nil {
		return nil, err
	}
	return tool.NewRegistry(append(append([]*tool.Tool(nil), reg.Tools()...), mcpTools...)...)
}

// Planner builds the planner for reg from the configuration and flags.
func (a *app) Planner(reg *tool.Registry) (*planner.Planner, error) { return a.PlannerAt(reg, nil) }

// PlannerAt is Planner with clock (when not nil) as the planner's clock.
func (a *app) PlannerAt(reg *tool.Registry, clock func() time.Time) (*planner.Planner, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	opts := []planner.Option{planner.WithConfig(planner.Config{
		Deadline:        cfg.Planner.Deadline,
		MaxDeadline:     cfg.Planner.MaxDeadline,
		MaxRequestBytes: cfg.Planner.MaxRequestBytes,
		Partial:         cfg.Planner.Partial || a.partial,
		Margin:          cfg.Planner.Margin,
	}), planner.WithRecorder(a.Recorder())}
	if cfg.Metrics.DailyBudgetUSD > 0 || cfg.Metrics.PerKeyDailyBudgetUSD > 0 {
		ledger, err := a.Ledger(context.Background())
		if err != nil {
			return nil, err
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
	h, err := a.History(context.Background(), reg)
	if err != nil {
		return nil, err
	}
	opts = append(opts, planner.WithLearning(h, a.histQueue))
	if !a.Offline && !cfg.Planner.Offline && cfg.Online() {
		llmOpt, err := a.llmOption(cfg, reg)
		if err != nil {
			return nil, err
		}
		opts = append(opts, llmOpt)
		c, err := a.Cache(context.Background(), true, reg)
		if err != nil {
			return nil, err
		}
		if c != nil {
			opts = append(opts, planner.WithCache(c))
		}
	}
	return planner.New(reg, opts...)
}

// Ledger returns the budgets' spending ledger over the store's spending table (memory only
// with the memory driver), read once now so that a restarted process starts from the
// day's spending so far.
func (a *app) Ledger(ctx context.Context) (*metrics.Ledger, error) {
	if a.ledger != nil {
		return a.ledger, nil
	}
	st, err := a.Stores(ctx)
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

// PlanOnly adapts a planner to callers that need only the plan (evaluation).
type PlanOnly struct {
	P *planner.Planner
}

// Plan implements plans.Planner.
func (po PlanOnly) Plan(ctx context.Context, request string) (*plan.Plan, error) {
	resp, err := po.P.Plan(ctx, planner.Request{Text: request, Options: planner.Options{NoCache: true}})
	if err != nil {
		return nil, err
	}
	return resp.Plan, nil
}

// warnTool prints a tool-loading warning (an identical duplicate definition dropped).
func (a *app) warnTool(e *tool.Error) {
	fmt.Fprintln(a.Err, "planwise: warning:", e.Error())
}
