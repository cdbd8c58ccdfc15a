package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The exit codes are one scheme for every command, as the README and plan's and run's
// help say: 1 for a usage or configuration error (the command's own checks, the client
// commands' key and --server, cobra's unknown flag and command alike), 2 for no plan
// (plan and run only), 3 for a run that failed.
func TestExitCodesAreOneScheme(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("k\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(config, []byte("nonsense: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const server = "http://127.0.0.1:1" // nothing is called: every check comes first
	usage := [][]string{
		{"stats", "--window", "soon", "--server", server},
		{"stats", "--server", "127.0.0.1:8080"},
		{"stats", "--server", server, "--api-key", "x", "--api-key-file", keyFile},
		{"history", "--limit", "0"},
		{"history", "--server", "nope"},
		{"history", "--server", server, "--api-key", "x", "--api-key-file", keyFile},
		{"insights", "--since", "-1h"},
		{"insights", "--server", "nope"},
		{"experiments", "list", "--server", "nope"},
		{"experiments", "create", "--server", server},
		{"experiments", "create", "--variants", "default", "--server", server},
		{"experiments", "promote"},
		{"history", "--tenant", "a", "--all-tenants"},
		{"bench", "load", "--server", "nope"},
		{"bench", "load", "--server", server, "--api-key", "x", "--api-key-file", keyFile},
		{"eval", "cache"},
		{"eval", "plans", "--data", "x"},
		{"plan"},
		{"plan", "--bogus", "x"},
		{"stats", "--bogus"},
		{"experiments", "list", "--bogus"},
		{"bogus"},
		{"--json", "plan", "x"},
		{"plan", "--config", config, "x"},
	}
	for _, args := range usage {
		if code, _, stderr := runCLI(t, args...); code != exitFailed || !strings.HasPrefix(stderr, "error: ") {
			t.Errorf("planwise %s: exit %d, stderr %q; want %d, a usage or configuration error", strings.Join(args, " "), code, stderr, exitFailed)
		}
	}
	for _, args := range [][]string{
		{"plan", "--offline", "zxqv blorft wuzzle"},
		{"plan", "--offline", "--json", "zxqv blorft wuzzle"},
		{"run", "--offline", "zxqv blorft wuzzle"},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitNoPlan {
			t.Errorf("planwise %s: exit %d, stderr %q; want %d, no plan", strings.Join(args, " "), code, stderr, exitNoPlan)
		}
	}
}
