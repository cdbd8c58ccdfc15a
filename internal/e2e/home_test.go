package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var dataLine = regexp.MustCompile(`^planwise data: sqlite (\S+) `)

// A server the suite starts without store.path keeps its store in the data directory
// of the suite's own HOME (TestMain, package testhome), never in the user's: the
// configuration refusals of TestAttackOperatorConfig opened, migrated and wrote to
// ~/.local/share/planwise/planwise.db on every run.
func TestServeDefaultStoreIsTheSuites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the planwise binary; skipped with -short")
	}
	bin := planwiseBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "planwise.yaml")
	if err := os.WriteFile(cfg, []byte("llm: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	cmd.Env, cmd.Dir = childEnv(), dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := dataLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				return
			}
		}
		close(found)
	}()
	var path string
	select {
	case p, ok := <-found:
		if !ok {
			t.Fatal("planwise serve exited without saying where its data is")
		}
		path = p
	case <-time.After(60 * time.Second):
		t.Fatal("planwise serve did not say where its data is within 60 s")
	}
	tmp, err := filepath.EvalSymlinks(os.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(path, tmp+string(filepath.Separator)) && !strings.HasPrefix(path, os.TempDir()+string(filepath.Separator)) {
		t.Fatalf("a server started by the suite without store.path keeps its data in %s: outside the suite's temporary HOME (%s)", path, os.TempDir())
	}
	if want := filepath.Join(os.Getenv("XDG_DATA_HOME"), "planwise", "planwise.db"); path != want {
		t.Errorf("store %s, want the suite's data directory's %s", path, want)
	}
}
