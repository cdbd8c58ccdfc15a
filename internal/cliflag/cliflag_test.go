package cliflag_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/planwise/planwise/internal/cliflag"
)

// A Duration flag takes what pflag's duration flag takes, sets the same value, refuses
// the same strings, and prints its default compactly (24h, not 24h0m0s; no zero default).
func TestDurationAcceptsWhatPflagAcceptsAndPrintsCompactly(t *testing.T) {
	ours := pflag.NewFlagSet("ours", pflag.ContinueOnError)
	theirs := pflag.NewFlagSet("theirs", pflag.ContinueOnError)
	var got, want time.Duration
	ours.Var(cliflag.NewDuration(&got, 24*time.Hour), "since", "window")
	theirs.DurationVar(&want, "since", 24*time.Hour, "window")
	if got != want {
		t.Fatalf("default %v, pflag's %v", got, want)
	}
	for _, arg := range []string{"90s", "1h30m", "0", "1.5h", "-5m", "250ms", "soon", "5", ""} {
		errOurs, errTheirs := ours.Set("since", arg), theirs.Set("since", arg)
		if (errOurs == nil) != (errTheirs == nil) || (errOurs == nil && got != want) {
			t.Errorf("%q: %v (%v), pflag's %v (%v)", arg, got, errOurs, want, errTheirs)
		}
	}

	var out strings.Builder
	fs := pflag.NewFlagSet("help", pflag.ContinueOnError)
	var a, b, c, d time.Duration
	fs.Var(cliflag.NewDuration(&a, 24*time.Hour), "since", "window")
	fs.Var(cliflag.NewDuration(&b, 10*time.Minute), "duration", "how long")
	fs.Var(cliflag.NewDuration(&c, 90*time.Second), "timeout", "timeout")
	fs.Var(cliflag.NewDuration(&d, 0), "warmup", "warm-up")
	fs.SetOutput(&out)
	fs.PrintDefaults()
	for _, want := range []string{"--since duration      window (default 24h)\n", "--duration duration   how long (default 10m)\n",
		"--timeout duration    timeout (default 1m30s)\n", "--warmup duration     warm-up\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

// Misplaced explains a command's flag written before the command, skipping the global
// flags (and their values) before it, and leaves what follows the command alone.
func TestMisplaced(t *testing.T) {
	valued, local := []string{"--config", "--tools"}, []string{"--json", "--offline"}
	for _, tt := range []struct {
		args []string
		flag string // the flag refused, "" for none
	}{
		{[]string{"--json", "tools", "list"}, "--json"},
		{[]string{"--json=true", "tools", "list"}, "--json"},
		{[]string{"--tools", "x.yaml", "--offline", "plan", "add 2 and 3"}, "--offline"},
		{[]string{"--config=c.yaml", "--json", "plan", "x"}, "--json"},
		{[]string{"plan", "--json", "x"}, ""},
		{[]string{"--tools", "--json", "plan", "x"}, ""}, // --json is --tools' value
		{[]string{"--config", "c.yaml", "plan", "--offline", "x"}, ""},
		{[]string{"--", "--json"}, ""},
		{[]string{"--help"}, ""},
		{nil, ""},
	} {
		err := cliflag.Misplaced(tt.args, valued, local)
		switch {
		case tt.flag == "" && err != nil:
			t.Errorf("%q: %v", tt.args, err)
		case tt.flag != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.flag+" goes after the command, e.g. planwise plan "+tt.flag+` "..."`)):
			t.Errorf("%q: %v, want %s refused", tt.args, err, tt.flag)
		}
	}
}

// Refuse names the first of the flags given on the command line, and nothing for flags
// not given or unknown to the set.
func TestRefuse(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.String("tenant", "default", "")
	fs.Bool("all-tenants", false, "")
	fs.String("api-key", "", "")
	if err := fs.Parse([]string{"--all-tenants", "--api-key", "k"}); err != nil {
		t.Fatal(err)
	}
	if err := cliflag.Refuse(fs, "reads the local store", "tenant", "nope"); err != nil {
		t.Errorf("nothing given: %v", err)
	}
	if err := cliflag.Refuse(fs, "reads the local store", "tenant", "all-tenants", "api-key"); err == nil || err.Error() != "--all-tenants reads the local store" {
		t.Errorf("--all-tenants given: %v", err)
	}
}

// Unread refuses a global flag given to a command listed as not reading it, and leaves
// the globals it reads, and every command not listed, alone.
func TestUnread(t *testing.T) {
	reads := map[string][]string{"stats": nil, "history": {"config"}}
	for _, tt := range []struct {
		args []string
		want string // the error, "" for none
	}{
		{[]string{"stats"}, ""},
		{[]string{"stats", "--tools", "t.yaml"}, "--tools is not read by planwise stats: leave it out"},
		{[]string{"--config", "c.yaml", "stats"}, "--config is not read by planwise stats: leave it out"},
		{[]string{"history", "--config", "c.yaml"}, ""},
		{[]string{"history", "--tools", "t.yaml"}, "--tools is not read by planwise history: leave it out"},
		{[]string{"plan", "--config", "c.yaml", "--tools", "t.yaml"}, ""},
	} {
		root := &cobra.Command{Use: "planwise", SilenceErrors: true, SilenceUsage: true}
		root.PersistentFlags().String("config", "", "")
		root.PersistentFlags().StringArray("tools", nil, "")
		root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return cliflag.Unread(cmd, reads, "config", "tools") }
		ran := false
		for _, name := range []string{"stats", "history", "plan"} {
			root.AddCommand(&cobra.Command{Use: name, Run: func(*cobra.Command, []string) { ran = true }})
		}
		root.SetArgs(tt.args)
		err := root.Execute()
		switch {
		case tt.want == "" && (err != nil || !ran):
			t.Errorf("%q: %v, ran %v", tt.args, err, ran)
		case tt.want != "" && (err == nil || err.Error() != tt.want || ran):
			t.Errorf("%q: %v, ran %v; want %q", tt.args, err, ran, tt.want)
		}
	}
}

// A deprecated name sets the new flag's value, says so once on the writer given (not
// on stdout, where --json goes) and is left out of the help.
func TestDeprecated(t *testing.T) {
	var url string
	var notice strings.Builder
	fs := pflag.NewFlagSet("load", pflag.ContinueOnError)
	fs.StringVar(&url, "server", "http://127.0.0.1:8080", "base URL")
	cliflag.Deprecated(fs, &url, "url", "server", &notice)
	if err := fs.Parse([]string{"--url", "http://127.0.0.1:9"}); err != nil || url != "http://127.0.0.1:9" {
		t.Fatalf("--url: %v, --server %q", err, url)
	}
	if want := "Flag --url has been deprecated, use --server instead\n"; notice.String() != want {
		t.Errorf("notice %q, want %q", notice.String(), want)
	}
	if usage := fs.FlagUsages(); strings.Contains(usage, "--url") || !strings.Contains(usage, "--server") {
		t.Errorf("help:\n%s", usage)
	}
}

// HideUnread leaves out of a command's help the globals it never reads, lists those it
// reads (and every global for a command not listed), and leaves the flags working.
func TestHideUnread(t *testing.T) {
	reads := map[string][]string{"stats": nil, "history": {"config"}}
	for _, tt := range []struct {
		cmd    string
		listed []string
	}{{"stats", nil}, {"history", []string{"config"}}, {"plan", []string{"config", "tools"}}} {
		root := &cobra.Command{Use: "planwise"}
		root.PersistentFlags().String("config", "", "YAML configuration file")
		root.PersistentFlags().StringArray("tools", nil, "tool file")
		cliflag.HideUnread(root, reads, "config", "tools")
		for _, name := range []string{"stats", "history", "plan"} {
			root.AddCommand(&cobra.Command{Use: name, Run: func(*cobra.Command, []string) {}})
		}
		var out strings.Builder
		root.SetOut(&out)
		root.SetArgs([]string{tt.cmd, "--help"})
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		for _, g := range []string{"config", "tools"} {
			if strings.Contains(out.String(), "--"+g+" ") != slices.Contains(tt.listed, g) {
				t.Errorf("%s --help, want globals %v:\n%s", tt.cmd, tt.listed, out.String())
			}
		}
		if root.PersistentFlags().Lookup("tools").Hidden || root.PersistentFlags().Lookup("config").Hidden {
			t.Errorf("%s --help left a global hidden", tt.cmd)
		}
	}
}
