package main

import (
	"encoding/json"
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
