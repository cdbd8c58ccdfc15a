package textfmt

import "testing"

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		in   map[string]int
		want string
	}{
		{nil, "none"},
		{map[string]int{"single": 7, "chain": 173, "dag": 20}, "chain: 173, dag: 20, single: 7"},
		{map[string]int{"b": 2, "a": 2, "c": 5}, "c: 5, a: 2, b: 2"},
	} {
		if got := Counts(tc.in); got != tc.want {
			t.Errorf("Counts(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := List([]string{"429=0.1", "hang=0.01"}); got != "429=0.1, hang=0.01" {
		t.Errorf("List = %q", got)
	}
}
