package testhome

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/datadir"
)

// Isolate moves the data directory planwise would use into a temporary HOME, keeps Go's
// caches where they were, and restore puts the environment back and removes the HOME.
func TestIsolate(t *testing.T) {
	t.Setenv("HOME", "/nonexistent/user")
	t.Setenv("XDG_DATA_HOME", "")
	os.Unsetenv("XDG_DATA_HOME")
	dir, restore, err := Isolate()
	if err != nil {
		t.Fatal(err)
	}
	data, err := datadir.Dir(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("HOME") != dir || !strings.HasPrefix(data, dir+string(filepath.Separator)) {
		t.Errorf("HOME %q, data directory %q; want both in %s", os.Getenv("HOME"), data, dir)
	}
	if c := os.Getenv("GOCACHE"); c == "" || strings.HasPrefix(c, dir) {
		t.Errorf("GOCACHE %q: want Go's cache pinned outside the temporary HOME", c)
	}
	restore()
	if _, ok := os.LookupEnv("XDG_DATA_HOME"); ok || os.Getenv("HOME") != "/nonexistent/user" {
		t.Errorf("after restore: HOME %q, XDG_DATA_HOME set %v", os.Getenv("HOME"), ok)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the temporary HOME %s is still there: %v", dir, err)
	}
}
