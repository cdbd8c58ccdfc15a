package cliout

import (
	"bytes"
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
