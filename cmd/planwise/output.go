package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// show prints what a command found: v as JSON with --json (indented for the outputs
// that have always been printed so), else what text writes for people.
func (a *cli) show(v any, indented bool, text func(io.Writer) error) error {
	switch {
	case !a.JSON:
		return text(a.Out)
	case indented:
		return writeJSON(a.Out, v)
	}
	return json.NewEncoder(a.Out).Encode(v)
}

// say is show for an output whose text is one line made from format.
func (a *cli) say(v any, format string, args ...any) error {
	return a.show(v, false, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, format, args...)
		return err
	})
}

// report prints what a call returned: err when it failed; else the report, as compact
// JSON with --json, or for people through its WriteText. Its two arguments are a library
// call's two results: a.report(routeeval.EvaluateTaskBench(...)).
func (a *cli) report(v any, err error) error { return a.print(v, err, false) }

// reportIndented is report with indented JSON, for the reports that have always been
// printed so.
func (a *cli) reportIndented(v any, err error) error { return a.print(v, err, true) }

func (a *cli) print(v any, err error, indented bool) error {
	if err != nil {
		return err
	}
	return a.show(v, indented, func(w io.Writer) error {
		switch r := v.(type) {
		case interface{ WriteText(io.Writer) error }:
			return r.WriteText(w)
		case interface{ WriteText(io.Writer) }:
			r.WriteText(w)
			return nil
		}
		return fmt.Errorf("internal error: a %T report has no text form", v)
	})
}

// orEmpty is s, or an empty slice for nil: a list prints as [] in JSON, never null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
