package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// counts renders a count per name for people, largest first and then by name:
// "chain: 173, dag: 20, single: 7", or "none". Go's own rendering of a map
// (map[chain:173 dag:20]) never reaches the CLI's output.
func counts[V int | int64](m map[string]V) string {
	if len(m) == 0 {
		return "none"
	}
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b))
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// list renders values for people: "a, b, c", or "none".
func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
