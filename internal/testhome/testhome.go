// Package testhome keeps tests away from the user's own planwise data. A planwise
// command given no store.path keeps its SQLite store in the user's data directory
// ($XDG_DATA_HOME/planwise, else ~/.local/share/planwise; package datadir), and a test
// that starts `planwise serve` or builds an app without a path would open that database,
// migrate it and write to it: the end-to-end suite's configuration refusals did, on every
// run, on the machine of whoever ran it.
//
// A test package that runs planwise calls Isolate from its TestMain: the process, and
// every command it starts with its environment, then has a HOME and an XDG_DATA_HOME of
// its own, in a temporary directory removed when the tests end. Go's build and module
// caches stay where they were (GOCACHE, GOMODCACHE and GOPATH are pinned to the values
// the user's environment gives them), so that tests which build the binary still build
// incrementally.
package testhome

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Isolate points HOME and XDG_DATA_HOME at a new temporary directory, pinning Go's
// caches first, and returns that directory and a function that removes it. Call it from
// TestMain before m.Run, and restore when the tests end.
func Isolate() (dir string, restore func(), err error) {
	if err := pinGo(); err != nil {
		return "", nil, err
	}
	dir, err = os.MkdirTemp("", "planwise-test-home-")
	if err != nil {
		return "", nil, err
	}
	data := filepath.Join(dir, ".local", "share")
	if err := os.MkdirAll(data, 0o700); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	old := map[string]*string{}
	for k, v := range map[string]string{"HOME": dir, "XDG_DATA_HOME": data} {
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		os.Setenv(k, v)
	}
	return dir, func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
		os.RemoveAll(dir)
	}, nil
}

// pinGo sets GOCACHE, GOMODCACHE and GOPATH to what `go env` says they are now (they
// default to directories under HOME), unless they are set already or go is not
// installed (then nothing here builds with it).
func pinGo() error {
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPATH"}
	if _, err := exec.LookPath("go"); err != nil {
		return nil
	}
	out, err := exec.Command("go", append([]string{"env"}, keys...)...).Output()
	if err != nil {
		return fmt.Errorf("testhome: go env: %w", err)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(vals) != len(keys) {
		return fmt.Errorf("testhome: go env printed %q", out)
	}
	for i, k := range keys {
		if os.Getenv(k) == "" && vals[i] != "" {
			os.Setenv(k, vals[i])
		}
	}
	return nil
}

// Run runs a test package's tests in an isolated HOME (Isolate) and returns their exit
// code, 1 when the HOME cannot be made: `func TestMain(m *testing.M) {
// os.Exit(testhome.Run(m)) }`.
func Run(m *testing.M) int {
	_, restore, err := Isolate()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer restore()
	return m.Run()
}
