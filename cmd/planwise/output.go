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

// report prints what a call returned: err when it failed; else the report, as compact
// JSON with --json, or for people through its WriteText. Its two arguments are a library
// call's two results: a.report(routeeval.EvaluateTaskBench(...)).
func (a *cli) report(v any, err error) error { return a.print(v, err, false) }

// reportIndented is report with indented JSON, for the reports that have always been
// printed so.
func (a *cli) reportIndented(v any, err error) error { return a.print(v, err, true) }

func (a *cli) print(v any, err error, indent bool) error {
	if err != nil {
		return err
	}
	if a.JSON {
		if indent {
			return writeJSON(a.Out, v)
		}
		return json.NewEncoder(a.Out).Encode(v)
	}
	switch r := v.(type) {
	case interface{ WriteText(io.Writer) error }:
		return r.WriteText(a.Out)
	case interface{ WriteText(io.Writer) }:
		r.WriteText(a.Out)
		return nil
	}
	return fmt.Errorf("internal error: a %T report has no text form", v)
}
