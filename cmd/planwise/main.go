// Command planwise turns natural-language requests into validated plans of tool calls.
//
// This package only wires flags and configuration to the library packages: a file a
// command or a group of commands (plan.go: plan and run; serve.go: serve and mcp;
// learning.go: history, insights and experiments), which newRoot lists.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/internal/buildinfo"
	"github.com/planwise/planwise/internal/cliflag"
	"github.com/planwise/planwise/internal/cliout"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// cli carries the global flags to every subcommand, and the planwise they assemble. It
// prints through its cliout.Printer: the answer on Out (JSON with --json, which
// JSONFlag declares on the commands with machine output), notes on Err.
type cli struct {
	cliout.Printer
	ConfigPath string
	// opts are what the command tells app.New: the flags bound to them (--tools,
	// --offline, eval plans' --partial) and what the command is (a server, long-running,
	// an evaluation, which keeps everything in memory).
	opts app.Options

	assembled *app.App // by App, closed when the command ends
}

// The exit codes, the same for every command (README, docs/decisions.md): 0 done; 1 a
// usage or configuration error, or any other failure (a plain error: cobra's own, an
// unknown flag among them, too); 2 no plan: the planner refused (plan and run, noPlan);
// 3 the run failed or partly failed (run). Only an exitError sets another code than 1.
const (
	exitFailed    = 1
	exitNoPlan    = 2
	exitRunFailed = 3
)

// globalsRead are the global flags read by each command that does not read both, by
// path; root refuses the others (cliflag.Unread) and leaves them out of the command's
// help (cliflag.HideUnread). learningTarget refuses --config too.
var globalsRead = map[string][]string{"stats": nil, "version": nil, "bench load": nil, "bench hits": nil, "tools import": nil,
	"eval history": nil, "eval route": nil, "eval cache": {"tools"}, "eval run": {"config"}, "history": {"config"},
	"insights": {"config"}, "experiments list": {"config"}, "experiments create": {"config"}, "experiments promote": {"config"}}

// exitError carries a process exit code through cobra; an empty message sets the code
// alone (what went wrong was printed already).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// Every command's persistent hooks run, from the root's down to its own: the client
// commands read their key and make their client in their own PersistentPreRunE and eval
// keeps its store in memory in its, which cobra would otherwise run instead of a root's.
func init() { cobra.EnableTraverseRunHooks = true }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command args name. A failure prints its message on stderr; under --json,
// unless an answer was printed, {"error": ...} on stdout instead (internal/cliout).
func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	w := &cliout.Writer{W: out}
	a := &cli{Printer: cliout.Printer{Out: w, Err: errOut}}
	defer a.close()
	root := newRoot(a)
	root.SetArgs(args)
	root.SetOut(w)
	root.SetErr(errOut)
	// --json and --offline were global flags once: written before the command, say where they go.
	err := cliflag.Misplaced(args, []string{"--config", "--tools"}, []string{"--json", "--offline"})
	if err == nil {
		if err = root.ExecuteContext(ctx); err != nil && !w.Written() && cliout.JSONAsked(root, args, a.JSON) {
			_ = cliout.JSON(w, map[string]any{"error": client.ErrorObject(err)})
			err = &exitError{code: exitCode(err), err: fmt.Errorf("")}
		}
	}
	if err != nil && err.Error() != "" { // an exitError without a message only sets the code
		fmt.Fprintln(errOut, "error:", err)
	}
	return exitCode(err)
}

func exitCode(err error) int {
	if ee, ok := errors.AsType[*exitError](err); ok {
		return ee.code
	} else if err != nil {
		return exitFailed
	}
	return 0
}

func newRoot(a *cli) *cobra.Command {
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
	pf.StringArrayVar(&a.opts.Tools, "tools", nil, "tool file or directory (planwise YAML/JSON, TaskBench tool_desc.json, NESTFUL spec, OpenAI tools); repeatable")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return cliflag.Unread(cmd, globalsRead, "config", "tools") }
	cliflag.HideUnread(root, globalsRead, "config", "tools")
	root.AddCommand(newPlanCmd(a), newRunCmd(a), newServeCmd(a), newSimCmd(a), newMCPCmd(a), newToolsCmd(a), newEvalCmd(a),
		newBenchCmd(a), newHistoryCmd(a), newInsightsCmd(a), newExperimentsCmd(a), newStatsCmd(a), newVersionCmd(a))
	return root
}

// newVersionCmd is `planwise version`, which prints what --version prints.
func newVersionCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the build's module version and VCS revision",
		Long: `Print what this binary was built from: the module version, the version-control
revision and commit time, whether the tree had uncommitted changes, and the Go toolchain.
A value the build did not record (go run, go test, -buildvcs=false) is "unknown".`,
		Example: `  planwise version
  planwise version --json
  planwise --version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := buildinfo.Read()
			return a.Say(in, "%s\n", in)
		},
	}
	a.JSONFlag(cmd)
	return cmd
}

// offlineFlag gives cmd the --offline flag. Only commands that plan have it.
func (a *cli) offlineFlag(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&a.opts.Offline, "offline", false, "never call an LLM: use the offline planners only")
}

// App assembles planwise from the configuration and a.opts, once per command.
func (a *cli) App(ctx context.Context) (*app.App, error) {
	if a.assembled != nil {
		return a.assembled, nil
	}
	cfg, err := app.LoadConfig(a.ConfigPath)
	if err == nil {
		a.opts.Stderr = a.Err
		a.assembled, err = app.New(ctx, cfg, a.opts) // nil on an error
	}
	return a.assembled, err
}

// planner is the command's planner for req, refused first when the planner would refuse
// it. Unless --json, it says on stderr when it plans offline for want of an LLM
// (app.NoLLM: not under --offline or planner.offline).
func (a *cli) planner(ctx context.Context, req planner.Request) (*app.App, *planner.Planner, error) {
	pw, err := a.App(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := pw.Planner(ctx)
	if err == nil {
		err = p.Check(req)
	}
	if err == nil && pw.NoLLM() && !a.JSON {
		fmt.Fprintln(a.Err, "planwise: no LLM configured (set OPENAI_API_KEY or OPENAI_BASE_URL): planning offline")
	}
	return pw, p, err
}

// registry is the tool registry of the command's App.
func (a *cli) registry(ctx context.Context) (*tool.Registry, error) {
	pw, err := a.App(ctx)
	if err != nil {
		return nil, err
	}
	return pw.Registry()
}

// close releases what the command assembled.
func (a *cli) close() {
	if a.assembled != nil {
		a.assembled.Close()
	}
}
