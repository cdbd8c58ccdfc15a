package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/shareddata"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// planwiseBinary builds the real binary once per test process, with -buildvcs=false as
// .ci/run builds, in a directory removed when the tests end (TestMain).
func planwiseBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the planwise binary; skipped with -short")
	}
	binOnce.Do(func() {
		root, err := shareddata.Root()
		if err != nil {
			binErr = err
			return
		}
		dir, err := os.MkdirTemp("", "planwise-bin-")
		if err != nil {
			binErr = err
			return
		}
		binDirs = append(binDirs, dir)
		binPath = filepath.Join(dir, "planwise")
		cmd := exec.Command("go", "build", "-buildvcs=false", "-o", binPath, "./cmd/planwise")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = &buildError{err: err, out: string(out)}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// binDirs are removed by TestMain after the tests.
var binDirs []string

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string {
	return "go build ./cmd/planwise: " + e.err.Error() + "\n" + e.out
}

// cleanEnv is the environment without what planwise reads as configuration, with HOME and
// XDG_DATA_HOME as given ("" leaves the variable out).
func cleanEnv(home, xdg string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PLANWISE_") || strings.HasPrefix(kv, "OPENAI_") ||
			strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "XDG_DATA_HOME=") {
			continue
		}
		env = append(env, kv)
	}
	if home != "" {
		env = append(env, "HOME="+home)
	}
	if xdg != "" {
		env = append(env, "XDG_DATA_HOME="+xdg)
	}
	return env
}

// runBinary runs the binary in dir with env and returns its exit code and output.
func runBinary(t *testing.T, dir string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, planwiseBinary(t), args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("planwise %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errOut.String()
}

// A binary built with -buildvcs=false (as .ci/run builds) knows neither its version nor
// its revision, and says "unknown" instead of failing or printing nothing.
func TestBinaryVersionUnstamped(t *testing.T) {
	env := cleanEnv(t.TempDir(), "")
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, stderr := runBinary(t, t.TempDir(), env, args...)
		if code != 0 || !strings.HasPrefix(out, "planwise unknown (revision unknown; go1.") {
			t.Errorf("planwise %s: exit %d, %q %q", args[0], code, out, stderr)
		}
	}
	code, out, _ := runBinary(t, t.TempDir(), env, "version", "--json")
	if code != 0 || !strings.Contains(out, `"module":"github.com/planwise/planwise"`) || !strings.Contains(out, `"revision":"unknown"`) {
		t.Errorf("version --json: exit %d, %q", code, out)
	}
}

// With no store.path the store is planwise.db in the user's data directory, created
// private; every working directory shares it; a planwise.db already in the working
// directory stays in use; serve says which at start-up.
func TestBinaryStoreInDataDirectory(t *testing.T) {
	home := t.TempDir()
	env := cleanEnv(home, "")
	work1, work2 := t.TempDir(), t.TempDir()
	code, _, stderr := runBinary(t, work1, env, "plan", "Calculate 2 + 3")
	if code != 0 {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	db := filepath.Join(home, ".local", "share", "planwise", "planwise.db")
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatalf("no store in the data directory: %v (stderr %q)", err, stderr)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("store mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(db)); di == nil || di.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v, want 0700", di.Mode().Perm())
	}
	if !strings.Contains(stderr, "created "+db) {
		t.Errorf("the first command does not say it created the store: %q", stderr)
	}
	if _, err := os.Stat(filepath.Join(work1, "planwise.db")); err == nil {
		t.Error("plan created planwise.db in the working directory")
	}
	// Another working directory reads the same history.
	code, out, stderr := runBinary(t, work2, env, "history")
	if code != 0 || !strings.Contains(out, "Calculate 2 + 3") {
		t.Errorf("history from another directory: exit %d %s\n%s", code, stderr, out)
	}
	// XDG_DATA_HOME, when set, is the data directory.
	xdg := t.TempDir()
	if code, _, stderr = runBinary(t, work2, cleanEnv(home, xdg), "plan", "Calculate 4 + 5"); code != 0 {
		t.Fatalf("plan with XDG_DATA_HOME: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(xdg, "planwise", "planwise.db")); err != nil {
		t.Errorf("XDG_DATA_HOME not used: %v", err)
	}

	// serve names its store on the start-up lines, for the default and for a legacy file.
	line := serveStartup(t, work2, env)
	if !strings.Contains(line, "planwise data: sqlite "+db+" (the data directory") {
		t.Errorf("serve start-up does not say where the data is:\n%s", line)
	}
	legacy := t.TempDir()
	if code, _, stderr = runBinary(t, legacy, append(env, "PLANWISE_STORE__PATH=planwise.db"), "plan", "Calculate 6 + 7"); code != 0 {
		t.Fatalf("plan into ./planwise.db: exit %d: %s", code, stderr)
	}
	line = serveStartup(t, legacy, env)
	if !strings.Contains(line, filepath.Join(legacy, "planwise.db")+" (a planwise.db found in the working directory is kept in use; the default is now "+db) {
		t.Errorf("serve start-up with ./planwise.db:\n%s", line)
	}
	code, out, _ = runBinary(t, legacy, env, "history")
	if code != 0 || !strings.Contains(out, "Calculate 6 + 7") || strings.Contains(out, "Calculate 2 + 3") {
		t.Errorf("history with ./planwise.db reads another store:\n%s", out)
	}
}

// serveStartup starts planwise serve in dir, returns its first two stdout lines and stops it.
func serveStartup(t *testing.T, dir string, env []string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, planwiseBinary(t), "serve", "--addr", "127.0.0.1:0")
	cmd.Dir, cmd.Env = dir, env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	var got strings.Builder
	buf := make([]byte, 4096)
	for strings.Count(got.String(), "\n") < 2 {
		n, err := stdout.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return got.String()
}

// A command that only reads creates no file: on a machine with no store, the learning
// commands say there is no history yet (stderr; nothing beside --json) and answer
// empty, and the others (help, version, tools, stats, ...) never touch the store. Only a
// command that writes (plan, run, serve, experiments create) creates it.
func TestBinaryReadOnlyCommandsCreateNoStore(t *testing.T) {
	home, work := t.TempDir(), t.TempDir()
	env := cleanEnv(home, "")
	tools := filepath.Join(t.TempDir(), "tools.yaml")
	if err := os.WriteFile(tools, []byte("- name: ping\n  description: Ping a host\n  input_schema: {type: object, properties: {host: {type: string}}, required: [host]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(home, ".local", "share", "planwise", "planwise.db")
	for _, tc := range []struct {
		args []string
		code int
		out  string // in stdout
	}{
		{[]string{"history"}, 0, ""},
		{[]string{"history", "--json"}, 0, `{"records":[]}`},
		{[]string{"insights"}, 0, "no requests recorded since"},
		{[]string{"insights", "--json", "--since", "0"}, 0, `"requests":0`},
		{[]string{"experiments", "list"}, 0, "no experiments"},
		{[]string{"experiments", "list", "--json"}, 0, `{"experiments":[]}`},
		{[]string{"experiments", "promote", "x"}, 1, ""},
		{[]string{"history", "--all-tenants"}, 0, ""},
		{[]string{"stats", "--server", "http://127.0.0.1:1"}, 1, ""},
		{[]string{"tools", "list"}, 0, "current_time"},
		{[]string{"tools", "validate", tools}, 0, "OK"},
		{[]string{"tools", "validate"}, 1, ""},
		{[]string{"tools", "import", tools}, 0, "name: ping"},
		{[]string{"version"}, 0, "planwise"},
		{[]string{"--help"}, 0, "Usage:"},
		{[]string{"history", "--help"}, 0, "Usage:"},
		{[]string{"insights", "--help"}, 0, "Usage:"},
		{[]string{"eval", "--help"}, 0, "Usage:"},
		{[]string{"bench", "--help"}, 0, "Usage:"},
		{[]string{"plan", "--help"}, 0, "Usage:"},
		{[]string{"serve", "--help"}, 0, "Usage:"},
		{[]string{"bogus"}, 1, ""},
	} {
		code, out, stderr := runBinary(t, work, env, tc.args...)
		name := strings.Join(tc.args, " ")
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("planwise %s: exit %d, stdout %q, stderr %q; want exit %d and %q", name, code, out, stderr, tc.code, tc.out)
		}
		learning := tc.args[0] == "history" || tc.args[0] == "insights" || tc.args[0] == "experiments"
		json := strings.Contains(name, "--json")
		if said := strings.Contains(stderr, "no history yet: "+db+" does not exist"); learning && !strings.Contains(name, "--help") && said == json {
			t.Errorf("planwise %s: stderr %q; want the no-history note %v", name, stderr, !json)
		}
		for _, dir := range []string{home, work} {
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Fatalf("planwise %s created %s/%s", name, dir, entries[0].Name())
			}
		}
	}
	// A configured store.path is not created by a reader either; a writer creates it.
	path := filepath.Join(work, "pw.db")
	if code, _, stderr := runBinary(t, work, append(env, "PLANWISE_STORE__PATH="+path), "insights"); code != 0 || !strings.Contains(stderr, path+" does not exist") {
		t.Errorf("insights with store.path: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("insights created the configured store: %v", err)
	}
	if code, _, stderr := runBinary(t, work, env, "experiments", "create", "--variants", "default,concise"); code != 0 {
		t.Fatalf("experiments create: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("experiments create did not create the store: %v", err)
	}
}
