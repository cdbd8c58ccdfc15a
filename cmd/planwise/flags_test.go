package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/buildinfo"
)

// --offline and --json exist only on the commands where they mean something; elsewhere
// they are refused as unknown flags instead of being silently ignored.
func TestOfflineAndJSONOnlyWhereTheyMeanSomething(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--json"},
		{"tools", "list", "--offline"},
		{"history", "--offline"},
		{"insights", "--offline"},
		{"stats", "--offline"},
		{"sim", "--offline"},
		{"eval", "cache", "--offline"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, "unknown flag") {
			t.Errorf("planwise %s: exit %d, stderr %q; want an unknown-flag error", strings.Join(args, " "), code, stderr)
		}
	}
	// Written before the command (where they were global flags once), the error says
	// where they go.
	for _, args := range [][]string{{"--json", "tools", "list"}, {"--tools", "x.yaml", "--offline", "plan", "add 2 and 3"}} {
		code, _, stderr := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, "goes after the command") {
			t.Errorf("planwise %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
	}
	// Where they mean something they work.
	code, out, stderr := runCLI(t, "plan", "--offline", "--json", "Calculate 2 + 3")
	if code != 0 {
		t.Fatalf("plan --offline --json: exit %d: %s", code, stderr)
	}
	var resp struct {
		Source  string `json:"source"`
		Offline bool   `json:"offline"`
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil || resp.Source == "" {
		t.Fatalf("plan --json output %q: %v", out, err)
	}
}

func TestVersion(t *testing.T) {
	want := buildinfo.Read().String()
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, stderr := runCLI(t, args...)
		if code != 0 || strings.TrimSpace(out) != want {
			t.Errorf("planwise %s: exit %d, %q (stderr %q), want %q", args[0], code, out, stderr, want)
		}
	}
	code, out, _ := runCLI(t, "version", "--json")
	var in buildinfo.Info
	if err := json.Unmarshal([]byte(out), &in); code != 0 || err != nil || in.Revision == "" || in.Version == "" {
		t.Errorf("version --json: exit %d, %q (%v)", code, out, err)
	}
}
