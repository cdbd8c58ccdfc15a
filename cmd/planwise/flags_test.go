package main

import (
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/planwise/planwise/internal/buildinfo"
	"github.com/planwise/planwise/internal/cliflag"
	"github.com/planwise/planwise/internal/cliout"
)

// --offline and --json exist only on the commands where they mean something; elsewhere
// they are refused as unknown flags instead of being silently ignored.
func TestOfflineAndJSONOnlyWhereTheyMeanSomething(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--json"},
		{"tools", "list", "--offline"},
		{"history", "--offline"},
		{"insights", "--offline"},
		{"stats", "--offline"},
		{"sim", "--offline"},
		{"eval", "cache", "--offline"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, "unknown flag") {
			t.Errorf("planwise %s: exit %d, stderr %q; want an unknown-flag error", strings.Join(args, " "), code, stderr)
		}
	}
	// Written before the command (where they were global flags once), the error says
	// where they go.
	for _, args := range [][]string{{"--json", "tools", "list"}, {"--tools", "x.yaml", "--offline", "plan", "add 2 and 3"}} {
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, "goes after the command") {
			t.Errorf("planwise %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
	}
	// Where they mean something they work.
	code, out, stderr := runCLI(t, "plan", "--offline", "--json", "Calculate 2 + 3")
	if code != 0 {
		t.Fatalf("plan --offline --json: exit %d: %s", code, stderr)
	}
	var resp struct {
		Source  string `json:"source"`
		Offline bool   `json:"offline"`
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil || resp.Source == "" {
		t.Fatalf("plan --json output %q: %v", out, err)
	}
}

func TestVersion(t *testing.T) {
	want := buildinfo.Read().String()
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, stderr := runCLI(t, args...)
		if code != 0 || strings.TrimSpace(out) != want {
			t.Errorf("planwise %s: exit %d, %q (stderr %q), want %q", args[0], code, out, stderr, want)
		}
	}
	code, out, _ := runCLI(t, "version", "--json")
	var in buildinfo.Info
	if err := json.Unmarshal([]byte(out), &in); code != 0 || err != nil || in.Revision == "" || in.Version == "" {
		t.Errorf("version --json: exit %d, %q (%v)", code, out, err)
	}
}

// Every duration flag prints its default as the help's prose writes durations (24h,
// 10m), not Go's 24h0m0s: each is a cliflag.Duration, which accepts what pflag's does.
func TestDurationDefaultsPrintAsWritten(t *testing.T) {
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if _, ours := f.Value.(*cliflag.Duration); f.Value.Type() == "duration" && !ours {
				t.Errorf("%s --%s: a pflag duration (default %s), not a cliflag.Duration", cmd.CommandPath(), f.Name, f.DefValue)
			}
		})
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(&cli{Printer: cliout.Printer{Out: io.Discard, Err: io.Discard}}))
	for _, tt := range []struct{ cmd, want string }{
		{"insights", "window to analyse (0: all records) (default 24h)\n"},
		{"bench soak", "how long to send requests (default 10m)\n"},
	} {
		_, out, _ := runCLI(t, append(strings.Fields(tt.cmd), "--help")...)
		if !strings.Contains(out, tt.want) {
			t.Errorf("%s --help lacks %q:\n%s", tt.cmd, tt.want, out)
		}
	}
	if code, _, stderr := runCLI(t, "insights", "--since", "soon"); code != 1 || !strings.Contains(stderr, `invalid argument "soon" for "--since" flag`) {
		t.Errorf("--since soon: exit %d, %q", code, stderr)
	}
}

// A command's help lists --json with the command's own flags, never under "Global
// Flags" (the experiments, eval and tools commands inherited it from their group); and
// written after the group, where it used to be declared, it still works.
func TestJSONIsListedWithTheCommandsOwnFlags(t *testing.T) {
	var paths [][]string
	var walk func(cmd *cobra.Command, path []string)
	walk = func(cmd *cobra.Command, path []string) {
		if cmd.Hidden {
			return
		}
		paths = append(paths, path)
		for _, sub := range cmd.Commands() {
			walk(sub, append(path[:len(path):len(path)], sub.Name()))
		}
	}
	walk(newRoot(&cli{Printer: cliout.Printer{Out: io.Discard, Err: io.Discard}}), nil)
	withJSON := 0
	for _, path := range paths {
		_, out, _ := runCLI(t, append(path, "--help")...)
		own, global, _ := strings.Cut(out, "Global Flags:")
		if strings.Contains(global, "--json") {
			t.Errorf("planwise %s --help lists --json under Global Flags:\n%s", strings.Join(path, " "), out)
		}
		if strings.Contains(own, "      --json ") {
			withJSON++
		}
	}
	if withJSON < 20 {
		t.Errorf("only %d commands list --json", withJSON)
	}
	code, out, stderr := runCLI(t, "tools", "--json", "list")
	if code != 0 || !json.Valid([]byte(out)) {
		t.Errorf("tools --json list: exit %d, %q, %s", code, out, stderr)
	}
}

// A hook on the root runs for every command, and the commands' own persistent hooks
// still run after it: the client commands' (key and --server read before the command)
// and eval's (its store in memory). Without cobra.EnableTraverseRunHooks the command's
// own hook would run instead of the root's.
func TestPersistentHooksRunFromTheRootDown(t *testing.T) {
	for _, tt := range []struct {
		args  []string
		check func(a *cli, err error) bool
	}{
		{[]string{"stats", "--server", "nope"}, func(_ *cli, err error) bool {
			return err != nil && strings.Contains(err.Error(), `--server "nope"`)
		}},
		{[]string{"history", "--server", "http://127.0.0.1:1", "--api-key", "x", "--api-key-file", "k"}, func(_ *cli, err error) bool {
			return err != nil && strings.Contains(err.Error(), "not both")
		}},
		{[]string{"eval", "cache"}, func(a *cli, err error) bool { return err != nil && a.opts.Memory }},
	} {
		a := &cli{Printer: cliout.Printer{Out: io.Discard, Err: io.Discard}}
		root := newRoot(a)
		var ran []string
		root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
			ran = append(ran, cmd.Name())
			return nil
		}
		root.SetArgs(tt.args)
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		err := root.Execute()
		if len(ran) != 1 || !tt.check(a, err) {
			t.Errorf("planwise %s: root hook ran for %v, error %v; want the root's hook and the command's", strings.Join(tt.args, " "), ran, err)
		}
	}
}

// readsBothGlobals are the commands that read --config and --tools: every other command
// is in globalsRead, so that a new command says which it reads.
var readsBothGlobals = []string{"plan", "run", "serve", "mcp", "sim", "tools list", "tools validate", "eval plans", "bench soak"}

// The global flags --config and --tools are refused by a command that never reads them
// (a usage error, exit 1, naming the flag and the command) instead of being ignored, and
// left alone where the command reads them; its help lists only those it reads. Every
// command is in globalsRead or readsBothGlobals.
func TestGlobalFlagsOnlyWhereRead(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	var walk func(*cobra.Command)
	seen := map[string]bool{}
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		path := strings.TrimPrefix(c.CommandPath(), "planwise ")
		if !c.Runnable() || c.Hidden || c.HasSubCommands() || c == c.Root() || path == "help" || strings.HasPrefix(path, "completion") {
			return
		}
		seen[path] = true
		if _, listed := globalsRead[path]; listed == slices.Contains(readsBothGlobals, path) {
			t.Errorf("planwise %s: in globalsRead %v, in readsBothGlobals %v; want exactly one", path, listed, !listed)
		}
	}
	walk(newRoot(&cli{Printer: cliout.Printer{Out: io.Discard, Err: io.Discard}}))
	for path := range globalsRead {
		if !seen[path] {
			t.Errorf("globalsRead names %q, no command", path)
		}
	}

	// What else each command needs to fail fast (or end at once) were the flag ignored.
	extra := map[string][]string{
		"stats":               {"--server", "http://127.0.0.1:1"},
		"bench load":          {"--server", "http://127.0.0.1:1", "--duration", "1ms", "--max-requests", "1"},
		"bench hits":          {"--store", "bogus"},
		"tools import":        {"missing.json"},
		"experiments promote": {"x"},
	}
	for _, path := range readsBothGlobals {
		if _, help, _ := runCLI(t, append(strings.Fields(path), "--help")...); !strings.Contains(help, "      --config ") || !strings.Contains(help, "      --tools ") {
			t.Errorf("planwise %s --help lacks a global:\n%s", path, help)
		}
	}
	for path, read := range globalsRead {
		_, help, _ := runCLI(t, append(strings.Fields(path), "--help")...)
		_, globals, _ := strings.Cut(help, "Global Flags:")
		for _, global := range []string{"config", "tools"} {
			if strings.Contains(globals, "--"+global+" ") != slices.Contains(read, global) {
				t.Errorf("planwise %s --help: lists --%s %v, reads it %v:\n%s", path, global, !slices.Contains(read, global), slices.Contains(read, global), help)
			}
			args := append(strings.Fields(path), extra[path]...)
			args = append(args, "--"+global, "missing.yaml")
			code, _, stderr := runCLI(t, args...)
			refused := strings.Contains(stderr, "--"+global+" is not read by planwise "+path+": leave it out")
			if slices.Contains(read, global) {
				if refused {
					t.Errorf("planwise %s: refused, but it reads --%s: %s", strings.Join(args, " "), global, stderr)
				}
			} else if code != 1 || !refused {
				t.Errorf("planwise %s: exit %d, stderr %q; want --%s refused", strings.Join(args, " "), code, stderr, global)
			}
		}
	}
}

// A command's own flag that would do nothing in the use at hand is refused, saying why:
// tools import's --json without -o (the output is the YAML), plan's --model when planning
// offline (no model is called). Where they do something they work.
func TestFlagsRefusedWhereTheyWouldDoNothing(t *testing.T) {
	t.Setenv("PLANWISE_STORE__DRIVER", "memory")
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	src := filepath.Join("..", "..", "tool", "testdata", "taskbench_small.json")
	for _, tt := range []struct {
		args []string
		want string // on stderr; under --json in the error object on stdout, stderr empty
	}{
		{[]string{"tools", "import", "--json", src}, "error: --json prints the report of a file written with -o FILE"},
		{[]string{"tools", "import", "--json", src, "-o", "-"}, "error: --json prints the report of a file written with -o FILE"},
		{[]string{"plan", "--model", "gpt-4o", "calculate 2 + 3"}, `error: --model "gpt-4o": planning offline`},
		{[]string{"plan", "--offline", "--json", "--model", "gpt-4o", "calculate 2 + 3"}, `error: --model "gpt-4o": planning offline`},
	} {
		code, out, stderr := runCLI(t, tt.args...)
		quiet := out == "" // the other channel says nothing
		if slices.Contains(tt.args, "--json") {
			quiet = stderr == ""
		}
		if code != 1 || !strings.Contains(said(t, out, stderr), tt.want) || !quiet {
			t.Errorf("planwise %s: exit %d, stdout %q, stderr %q; want 1 and %q", strings.Join(tt.args, " "), code, out, stderr, tt.want)
		}
	}
	code, out, stderr := runCLI(t, "tools", "import", "--json", src, "-o", filepath.Join(t.TempDir(), "t.yaml"))
	if code != 0 || !json.Valid([]byte(out)) {
		t.Errorf("tools import --json -o FILE: exit %d, %q, %s", code, out, stderr)
	}
}

// The help of the commands that read or write the store names where the data is for
// both drivers: store.path is SQLite's file, and a PostgreSQL store is store.dsn's.
func TestStoreHelpNamesBothDrivers(t *testing.T) {
	for _, args := range [][]string{{"run", "--help"}, {"history", "--help"}} {
		code, out, _ := runCLI(t, args...)
		flat := strings.Join(strings.Fields(out), " ")
		if code != 0 || !strings.Contains(flat, "SQLite (store.path,") || !strings.Contains(flat, "PostgreSQL (store.dsn)") {
			t.Errorf("planwise %s: exit %d; want the SQLite file and the PostgreSQL DSN named:\n%s", strings.Join(args, " "), code, out)
		}
	}
	t.Setenv("PLANWISE_STORE__DRIVER", "postgres")
	t.Setenv("PLANWISE_STORE__DSN", "postgres://u@127.0.0.1:1/pw")
	t.Setenv("PLANWISE_STORE__PATH", filepath.Join(t.TempDir(), "pw.db"))
	if code, _, stderr := runCLI(t, "history"); code != exitFailed || !strings.Contains(stderr, "store.path:") || !strings.Contains(stderr, "store.driver is postgres") {
		t.Errorf("history with store.path and driver postgres: exit %d, %q; want the configuration refused", code, stderr)
	}
}
