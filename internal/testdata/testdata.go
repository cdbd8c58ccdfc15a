// Package testdata locates the public evaluation data for tests: ../shared/data beside
// the module root (read in place, never copied into the repository). Only tests import it.
package testdata

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Root returns the directory holding go.mod at or above the working directory.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory")
		}
		dir = parent
	}
}

// Dir returns ../shared/data (joined with rel) relative to the module root, or an error
// when it is not there.
func Dir(rel ...string) (string, error) {
	root, err := Root()
	if err != nil {
		return "", err
	}
	p := filepath.Join(append([]string{root, "..", "shared", "data"}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}

// Shared is Dir for tests that need the data: it skips t with a clear message when the
// evaluation data is not there.
func Shared(t testing.TB, rel ...string) string {
	t.Helper()
	p, err := Dir(rel...)
	if err != nil {
		t.Skipf("evaluation data not available (../shared/data, see its README.md): %v", err)
	}
	return p
}
