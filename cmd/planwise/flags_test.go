package main

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/planwise/planwise/internal/buildinfo"
	"github.com/planwise/planwise/internal/cliflag"
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
	walk(newRoot(&cli{Out: io.Discard, Err: io.Discard}))
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
	walk(newRoot(&cli{Out: io.Discard, Err: io.Discard}), nil)
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
		a := &cli{Out: io.Discard, Err: io.Discard}
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
