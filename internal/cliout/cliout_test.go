package cliout

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestWriterWritten(t *testing.T) {
	var buf bytes.Buffer
	w := &Writer{W: &buf}
	w.Write(nil)
	if w.Written() {
		t.Error("nothing written, Written true")
	}
	w.Write([]byte("{}"))
	if !w.Written() || buf.String() != "{}" {
		t.Errorf("Written %v, passed on %q", w.Written(), buf.String())
	}
}

func TestJSONAsked(t *testing.T) {
	root := &cobra.Command{Use: "planwise"}
	plan := &cobra.Command{Use: "plan", Run: func(*cobra.Command, []string) {}}
	plan.Flags().Bool("json", false, "")
	group := &cobra.Command{Use: "tools"}
	group.PersistentFlags().Bool("json", false, "")
	group.AddCommand(&cobra.Command{Use: "list", Run: func(*cobra.Command, []string) {}})
	serve := &cobra.Command{Use: "serve", Run: func(*cobra.Command, []string) {}}
	root.AddCommand(plan, group, serve)
	for _, c := range []struct {
		args   []string
		parsed bool
		want   bool
	}{
		{[]string{"plan", "x"}, true, true},
		{[]string{"plan", "--bogus", "--json", "x"}, false, true},
		{[]string{"plan", "--json=true", "x"}, false, true},
		{[]string{"tools", "list", "--bogus", "--json"}, false, true},
		{[]string{"plan", "--", "--json"}, false, false},
		{[]string{"plan", "x"}, false, false},
		{[]string{"serve", "--json"}, false, false},
		{[]string{"bogus", "--json"}, false, false},
	} {
		if got := JSONAsked(root, c.args, c.parsed); got != c.want {
			t.Errorf("JSONAsked(%q, parsed %v) = %v; want %v", c.args, c.parsed, got, c.want)
		}
	}
}

type textReport struct{ N int }

func (r textReport) WriteText(w io.Writer) { fmt.Fprintf(w, "n = %d\n", r.N) }

// Show prints a report for people through its WriteText, or as JSON (indented or one
// line); a report without a text form is an error, never a Go value printed as is; a nil
// list prints as [].
func TestShow(t *testing.T) {
	for _, tt := range []struct {
		asJSON, indented bool
		v                any
		want             string
	}{
		{false, false, textReport{3}, "n = 3\n"},
		{true, false, textReport{3}, "{\"N\":3}\n"},
		{true, true, textReport{3}, "{\n  \"N\": 3\n}\n"},
		{true, false, OrEmpty([]int(nil)), "[]\n"},
	} {
		var b bytes.Buffer
		if err := Show(&b, tt.asJSON, tt.indented, tt.v, Text(tt.v)); err != nil || b.String() != tt.want {
			t.Errorf("Show(json %v, indented %v, %#v) = %q, %v; want %q", tt.asJSON, tt.indented, tt.v, b.String(), err, tt.want)
		}
	}
	if err := Show(io.Discard, false, false, 42, Text(42)); err == nil || !strings.Contains(err.Error(), "no text form") {
		t.Errorf("a report without WriteText: %v", err)
	}
}
