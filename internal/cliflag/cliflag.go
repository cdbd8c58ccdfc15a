// Package cliflag holds what the planwise CLI's flags need beyond pflag's own: a duration
// value that prints as people write durations (Duration), the check for a command's
// flag written before the command (Misplaced), the refusal of a flag a command lists
// but would ignore in the use at hand (Refuse) or never reads (Unread; HideUnread leaves
// it out of the help), and the old name of a renamed flag (Deprecated).
package cliflag

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/planwise/planwise/internal/textfmt"
)

// Duration is a duration flag (a pflag.Value) that accepts what pflag's own does (any
// time.ParseDuration string) and prints as people write durations: a default of 24h
// shows as "(default 24h)" where pflag's shows "(default 24h0m0s)". A zero default is
// not shown, as with pflag's.
type Duration struct{ p *time.Duration }

// NewDuration sets *p to def and returns the flag value bound to p:
//
//	flags.Var(cliflag.NewDuration(&since, 24*time.Hour), "since", "window to analyse")
func NewDuration(p *time.Duration, def time.Duration) *Duration {
	*p = def
	return &Duration{p}
}

// Set parses s as time.ParseDuration does.
func (d *Duration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d.p = v
	return nil
}

// Type is "duration", the placeholder the help shows, as for pflag's duration flags.
func (d *Duration) Type() string { return "duration" }

// String is the value as people write it (textfmt.Duration); zero is "0", which pflag
// takes for a default not worth showing.
func (d *Duration) String() string {
	if d.p == nil || *d.p == 0 {
		return "0"
	}
	return textfmt.Duration(*d.p)
}

// Misplaced reports a command's flag (one of local, such as --json) written before the
// command in args, where cobra's own error ("unknown command") would point at the wrong
// word: the error says where it goes. Global flags before the command are skipped, with
// their value when they are one of valued (--config FILE). What follows the first word
// that is not a flag is the command's business.
func Misplaced(args, valued, local []string) error {
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(args[i], "=")
		switch {
		case slices.Contains(local, name):
			return fmt.Errorf("%s goes after the command, e.g. planwise plan %s \"...\" (it is a flag of the commands where it means something, not a global flag)", name, name)
		case slices.Contains(valued, name) && !hasValue:
			i++ // the flag's value
		case !strings.HasPrefix(name, "-") || name == "--":
			return nil
		}
	}
	return nil
}

// Refuse returns an error for the first of names set on the command line of fs, worded
// "--name why": a flag a command lists but would ignore in the use at hand (a learning
// command's --api-key without --server, its --tenant with it) is a usage error, not a
// silent no-op. Names fs does not have are skipped.
func Refuse(fs *pflag.FlagSet, why string, names ...string) error {
	for _, name := range names {
		if f := fs.Lookup(name); f != nil && f.Changed {
			return fmt.Errorf("--%s %s", name, why)
		}
	}
	return nil
}

// Unread refuses (Refuse) a global flag, one of globals, set on the command line of cmd
// when cmd never reads it: reads lists, by command path without the root's name ("bench
// load"), the globals read by each command that does not read them all. A command not in
// reads reads every global.
func Unread(cmd *cobra.Command, reads map[string][]string, globals ...string) error {
	return Refuse(cmd.Flags(), "is not read by "+cmd.CommandPath()+": leave it out", unread(cmd, reads, globals)...)
}

// HideUnread makes root's help, and every command's, leave out of the Global Flags the
// globals a command never reads (reads, as for Unread): a help lists no flag its command
// refuses. The flags are hidden while the help is written, then shown again.
func HideUnread(root *cobra.Command, reads map[string][]string, globals ...string) {
	help := root.HelpFunc()
	root.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		var hidden []*pflag.Flag
		for _, name := range unread(cmd, reads, globals) {
			if f := cmd.InheritedFlags().Lookup(name); f != nil && !f.Hidden {
				f.Hidden = true
				hidden = append(hidden, f)
			}
		}
		help(cmd, args)
		for _, f := range hidden {
			f.Hidden = false
		}
	})
}

// unread are the globals cmd never reads: none for a command not in reads.
func unread(cmd *cobra.Command, reads map[string][]string, globals []string) []string {
	read, ok := reads[strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")]
	if !ok {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(globals), func(g string) bool { return slices.Contains(read, g) })
}

// Deprecated declares old on f, a hidden name of the string flag name (bound to p,
// whose value is its default): it still works, with pflag's one-line notice on w, the
// command's stderr (cobra would print it on stdout, where --json goes).
func Deprecated(f *pflag.FlagSet, p *string, old, name string, w io.Writer) {
	f.StringVar(p, old, *p, "")
	_ = f.MarkDeprecated(old, "use --"+name+" instead")
	f.SetOutput(w)
}
