// Package cliout holds how the planwise CLI prints what a command found (Show, for
// people through a report's WriteText or as JSON) and what it needs to keep its machine
// output one JSON document: a writer that knows whether the command printed anything
// (Writer), and whether the command line asked for JSON (JSONAsked).
//
// The rule it serves (README, docs/decisions.md): under --json, stdout holds exactly one
// JSON document, the command's answer or, when the command failed before printing one,
// {"error": client.ErrorObject(err)}, with the exit code the failure has without --json.
package cliout

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"
)

// Writer passes what is written on to W and remembers that something was.
type Writer struct {
	W       io.Writer
	written bool
}

func (w *Writer) Write(p []byte) (int, error) {
	w.written = w.written || len(p) > 0
	return w.W.Write(p)
}

// Written reports whether anything was written.
func (w *Writer) Written() bool { return w.written }

// JSONAsked reports whether the command line args of root ask for JSON: parsed is the
// --json flag's value, which stays false when parsing stopped before it (an unknown
// flag written first, a bad value); then --json among the arguments before "--" counts
// when the command they name has the flag. A --json written before the command is not
// the command's flag (cliflag.Misplaced refuses it) and is not seen here as asked.
func JSONAsked(root *cobra.Command, args []string, parsed bool) bool {
	if parsed {
		return true
	}
	cmd, rest, err := root.Find(args)
	if err != nil || cmd.Flag("json") == nil {
		return false
	}
	if i := slices.Index(rest, "--"); i >= 0 {
		rest = rest[:i]
	}
	return slices.Contains(rest, "--json") || slices.Contains(rest, "--json=true")
}

// JSON prints v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Show prints what a command found on w: v as JSON when asJSON (indented for the
// outputs that have always been printed so, else one line), otherwise what text writes
// for people.
func Show(w io.Writer, asJSON, indented bool, v any, text func(io.Writer) error) error {
	switch {
	case !asJSON:
		return text(w)
	case indented:
		return JSON(w, v)
	}
	return json.NewEncoder(w).Encode(v)
}

// Text is the text form of a report: what its WriteText method writes.
func Text(v any) func(io.Writer) error {
	return func(w io.Writer) error {
		switch r := v.(type) {
		case interface{ WriteText(io.Writer) error }:
			return r.WriteText(w)
		case interface{ WriteText(io.Writer) }:
			r.WriteText(w)
			return nil
		}
		return fmt.Errorf("internal error: a %T report has no text form", v)
	}
}

// OrEmpty is s, or an empty slice for nil: a list prints as [] in JSON, never null.
func OrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
