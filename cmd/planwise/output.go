package main

import (
	"fmt"
	"io"

	"github.com/planwise/planwise/internal/cliout"
)

// show prints what a command found on stdout (cliout.Show): v as JSON with --json
// (indented for the outputs that have always been printed so), else what text writes.
func (a *cli) show(v any, indented bool, text func(io.Writer) error) error {
	return cliout.Show(a.Out, a.JSON, indented, v, text)
}

// say is show for an output whose text is one line made from format.
func (a *cli) say(v any, format string, args ...any) error {
	return a.show(v, false, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, format, args...)
		return err
	})
}

// report prints what a call returned: err when it failed; else the report, as compact
// JSON with --json, or for people through its WriteText (cliout.Text). Its two arguments
// are a library call's two results: a.report(routeeval.EvaluateTaskBench(...)).
func (a *cli) report(v any, err error) error { return a.print(v, err, false) }

// reportIndented is report with indented JSON, for the reports that have always been
// printed so.
func (a *cli) reportIndented(v any, err error) error { return a.print(v, err, true) }

func (a *cli) print(v any, err error, indented bool) error {
	if err != nil {
		return err
	}
	return a.show(v, indented, cliout.Text(v))
}
