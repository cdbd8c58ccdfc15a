package cliout

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Printer is how one command prints: its answer on Out, as JSON when JSON (the --json
// flag, bound by JSONFlag) or for people; its notes and warnings on Err. The CLI's
// commands share one, which the command line configures.
type Printer struct {
	Out, Err io.Writer
	JSON     bool
}

// Show prints what a command found on Out (Show): v as JSON under --json (indented
// for the outputs that have always been printed so), else what text writes.
func (p *Printer) Show(v any, indented bool, text func(io.Writer) error) error {
	return Show(p.Out, p.JSON, indented, v, text)
}

// Say is Show for an output whose text is one line made from format.
func (p *Printer) Say(v any, format string, args ...any) error {
	return p.Show(v, false, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, format, args...)
		return err
	})
}

// Report prints what a call returned: err when it failed; else the report, as compact
// JSON under --json, or for people through its WriteText (Text). Its two arguments are
// a library call's two results: p.Report(routeeval.EvaluateTaskBench(...)).
func (p *Printer) Report(v any, err error) error { return p.report(v, err, false) }

// ReportIndented is Report with indented JSON, for the reports that have always been
// printed so.
func (p *Printer) ReportIndented(v any, err error) error { return p.report(v, err, true) }

func (p *Printer) report(v any, err error, indented bool) error {
	if err != nil {
		return err
	}
	return p.Show(v, indented, Text(v))
}

// Notes is where notes for people go: Err, or nowhere under --json.
func (p *Printer) Notes() io.Writer {
	if p.JSON {
		return io.Discard
	}
	return p.Err
}

// JSONFlag gives cmd, or each command of the group cmd, the --json flag bound to
// p.JSON, listed with the command's own flags. Only commands with a machine-readable
// output have it. A group keeps it hidden too, so that `planwise tools --json list`
// still parses.
func (p *Printer) JSONFlag(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		p.JSONFlag(sub)
	}
	if !cmd.HasSubCommands() {
		cmd.Flags().BoolVar(&p.JSON, "json", false, "print machine-readable JSON")
		return
	}
	cmd.PersistentFlags().BoolVar(&p.JSON, "json", false, "")
	_ = cmd.PersistentFlags().MarkHidden("json")
}
