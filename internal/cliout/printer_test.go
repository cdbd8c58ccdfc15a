package cliout

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/spf13/cobra"
)

// A Printer prints a report as its text, or as JSON under --json (compact or
// indented), returns a call's error without printing, and sends notes to Err except
// under --json.
func TestPrinter(t *testing.T) {
	var out, errOut bytes.Buffer
	p := &Printer{Out: &out, Err: &errOut}
	if err := p.Report(textReport{N: 1}, nil); err != nil || out.String() != "n = 1\n" {
		t.Errorf("text: %q, %v", out.String(), err)
	}
	out.Reset()
	boom := errors.New("boom")
	if err := p.ReportIndented(textReport{N: 2}, boom); err != boom || out.Len() != 0 {
		t.Errorf("a failed call: %q, %v", out.String(), err)
	}
	if err := p.Say(map[string]int{"n": 3}, "n is %d\n", 3); err != nil || out.String() != "n is 3\n" {
		t.Errorf("say: %q, %v", out.String(), err)
	}
	if p.Notes() != io.Writer(&errOut) {
		t.Error("notes do not go to Err")
	}
	p.JSON = true
	out.Reset()
	p.Report(textReport{N: 4}, nil)
	p.ReportIndented(textReport{N: 5}, nil)
	if want := "{\"N\":4}\n{\n  \"N\": 5\n}\n"; out.String() != want {
		t.Errorf("JSON: %q, want %q", out.String(), want)
	}
	if p.Notes() != io.Discard {
		t.Error("notes printed beside --json")
	}
}

// JSONFlag declares --json on each command of a group, visible, and hidden on the
// group itself; every one binds the Printer's JSON.
func TestJSONFlag(t *testing.T) {
	var p Printer
	group := &cobra.Command{Use: "tools"}
	list := &cobra.Command{Use: "list", Run: func(*cobra.Command, []string) {}}
	group.AddCommand(list)
	p.JSONFlag(group)
	if f := list.Flags().Lookup("json"); f == nil || f.Hidden {
		t.Fatalf("the command's --json: %+v", f)
	}
	if f := group.PersistentFlags().Lookup("json"); f == nil || !f.Hidden {
		t.Fatalf("the group's --json: %+v", f)
	}
	group.SetArgs([]string{"list", "--json"})
	if err := group.Execute(); err != nil || !p.JSON {
		t.Errorf("--json parsed: %v, JSON %v", err, p.JSON)
	}
}
