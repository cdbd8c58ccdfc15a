package textfmt

import (
	"testing"
	"time"
)

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

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{30 * time.Second, "30s"},
		{10 * time.Second, "10s"},
		{90 * time.Second, "1m30s"},
		{5 * time.Minute, "5m"},
		{10 * time.Minute, "10m"},
		{24 * time.Hour, "24h"},
		{time.Hour + 30*time.Minute, "1h30m"},
		{time.Hour + 10*time.Second, "1h0m10s"},
		{1500 * time.Millisecond, "1.5s"},
		{250 * time.Millisecond, "250ms"},
		{-5 * time.Minute, "-5m"},
	} {
		if got := Duration(tc.in); got != tc.want {
			t.Errorf("Duration(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
