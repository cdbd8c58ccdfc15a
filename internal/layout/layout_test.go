package layout

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

const module = "github.com/planwise/planwise/"

// pkg is one package as go list describes it.
type pkg struct {
	path, name string   // path relative to the module
	imports    []string // the module's packages it imports
	deps       []string // the module's packages it depends on, directly or not
}

// list runs go list over the module (production imports only: a test may import what
// it measures).
func list(t *testing.T) []pkg {
	t.Helper()
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("the go command is not on PATH: %v", err)
	}
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{.Name}}|{{join .Imports " "}}|{{join .Deps " "}}`, "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	ours := func(list string) []string {
		var out []string
		for _, imp := range strings.Fields(list) {
			if strings.HasPrefix(imp, module) {
				out = append(out, strings.TrimPrefix(imp, module))
			}
		}
		return out
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(line, "|", 4)
		if len(f) != 4 || !strings.HasPrefix(f[0], module) {
			t.Fatalf("go list line %q", line)
		}
		pkgs = append(pkgs, pkg{path: strings.TrimPrefix(f[0], module), name: f[1], imports: ours(f[2]), deps: ours(f[3])})
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages: not the module", len(pkgs))
	}
	return pkgs
}

// under reports whether path is dir or inside it.
func under(path string, dirs ...string) bool {
	for _, d := range dirs {
		if path == d || strings.HasPrefix(path, d+"/") {
			return true
		}
	}
	return false
}

// Only the layers above the planner import planner or eval: the CLI, the API's
// translation layers (server, with server/mcpserver), the evaluations, and the
// top-level assembly and client packages (app, client), as issue 14 names them. No
// stage does, directly or through another package (go list's Deps): the one other
// package that depends on the planner is internal/loadgen, through app and server only
// (the soak's system under test is planwise as app assembles it), never by importing
// planner or eval itself. Nothing on the request path depends on eval: only the CLI and
// the evaluations do.
func TestOnlyTheLayersAboveImportPlannerOrEval(t *testing.T) {
	above := []string{"cmd", "server", "eval", "app", "client"}
	for _, r := range []struct {
		rule    string
		of      func(pkg) []string
		targets []string
		allowed []string
	}{
		{"imports", func(p pkg) []string { return p.imports }, []string{"planner", "eval"}, above},
		{"depends on", func(p pkg) []string { return p.deps }, []string{"planner"}, append(above, "internal/loadgen")},
		{"depends on", func(p pkg) []string { return p.deps }, []string{"eval"}, []string{"cmd", "eval"}},
	} {
		for _, p := range list(t) {
			if under(p.path, r.allowed...) {
				continue
			}
			for _, imp := range r.of(p) {
				if under(imp, r.targets...) {
					t.Errorf("%s %s %s: only %v may", p.path, r.rule, imp, r.allowed)
				}
			}
		}
	}
}

// Every evaluation package lives under eval/: none inside a stage (a cache/cacheeval).
func TestEvaluationsLiveUnderEval(t *testing.T) {
	for _, p := range list(t) {
		if under(p.path, "eval") {
			continue
		}
		last := p.path[strings.LastIndex(p.path, "/")+1:]
		if strings.HasSuffix(p.name, "eval") || strings.HasSuffix(last, "eval") {
			t.Errorf("%s (package %s) is an evaluation outside eval/", p.path, p.name)
		}
	}
}

// The assembly (app) is imported only by the commands and the load generator (the soak's
// system under test): library packages never assemble planwise.
func TestOnlyTheCommandsAndTheLoadGeneratorImportApp(t *testing.T) {
	for _, p := range list(t) {
		for _, imp := range p.imports {
			if imp == "app" && !under(p.path, "cmd", "internal/loadgen") {
				t.Errorf("%s imports app: only cmd/ and internal/loadgen may", p.path)
			}
		}
	}
}

// maxCLILines caps cmd/planwise's non-test lines (issue 14): the CLI is wiring, flags and
// printing; work it grows goes to the package that owns it (app, client, eval/...,
// internal/loadgen, internal/cliout, ...), not here.
const maxCLILines = 1500

// The CLI stays thin: cmd/planwise (with any package under it) holds at most
// maxCLILines lines of Go outside its tests (every line counted, comments and blank
// lines too, as wc -l counts them).
func TestTheCLIStaysThin(t *testing.T) {
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	lines, counted := 0, 0
	err = filepath.WalkDir(filepath.Join(root, "cmd", "planwise"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines += bytes.Count(b, []byte("\n"))
		counted++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if counted < 5 {
		t.Fatalf("found %d files in cmd/planwise: not the CLI", counted)
	}
	if lines > maxCLILines {
		t.Errorf("cmd/planwise has %d non-test lines, more than %d: move what is not wiring, flags or printing into the package that owns it", lines, maxCLILines)
	}
	t.Logf("cmd/planwise: %d non-test lines in %d files (cap %d)", lines, counted, maxCLILines)
}
