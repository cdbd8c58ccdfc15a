// Package shareddata locates the public evaluation data for tests: ../shared/data beside
// the module root (read in place, never copied into the repository). Only tests import it.
package shareddata

import (
	"errors"
	"os"
	"os/exec"
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

// NodeDir is the folder of the npm packages the tests use (package.json and its lock,
// installed by .ci/run with npm ci; node_modules is never committed), relative to the
// module root.
const NodeDir = "internal/e2e/node"

// Node returns the node executable and the installed node_modules folder, or skips t
// with a clear message when either is missing.
func Node(t testing.TB) (node, modules string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (.ci/run installs it): skipping the test against clients and servers from npm")
	}
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	modules = filepath.Join(root, NodeDir, "node_modules")
	if _, err := os.Stat(filepath.Join(modules, ".package-lock.json")); err != nil {
		t.Skipf("npm packages not installed (run `npm ci --prefix %s`, as .ci/run does): %v", NodeDir, err)
	}
	return node, modules
}

// NodeBin returns the path of an executable an npm package installs (node_modules/.bin),
// or skips t as Node does.
func NodeBin(t testing.TB, name string) string {
	t.Helper()
	_, modules := Node(t)
	p := filepath.Join(modules, ".bin", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not installed (run `npm ci --prefix %s`, as .ci/run does): %v", name, NodeDir, err)
	}
	return p
}
