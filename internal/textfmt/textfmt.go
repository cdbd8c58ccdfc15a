// Package textfmt renders values for people in the reports planwise prints: no Go map
// ever reaches an output.
package textfmt

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Counts renders a count per name, largest first and then by name: "chain: 173, dag:
// 20, single: 7", or "none". Go's own rendering of a map (map[chain:173 dag:20]) never
// reaches an output.
func Counts[V int | int64](m map[string]V) string {
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

// List renders values: "a, b, c", or "none".
func List(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// Duration renders d as people write it: 24h, 10m, 1h30m, 90s as 1m30s; Go's own
// rendering (24h0m0s, 10m0s) ends in zero units. 0 is "0s".
func Duration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
