package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/planwise/planwise/internal/textfmt"
)

// counts renders a count per name for people (textfmt.Counts).
func counts[V int | int64](m map[string]V) string { return textfmt.Counts(m) }

// list renders values for people (textfmt.List).
func list(xs []string) string { return textfmt.List(xs) }

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Ways a JSON report is written (see report).
const (
	compactJSON  = false
	indentedJSON = true
)

// report prints a report: as JSON with --json (indented or compact, as the command has
// always printed it), else for people through the report's WriteText.
func (a *cli) report(v any, indent bool) error {
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
