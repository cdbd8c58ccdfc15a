package layout

import (
	"bytes"
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
	path, name string // path relative to the module
	imports    []string
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
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{.Name}}|{{join .Imports " "}}`, "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(line, "|", 3)
		if len(f) != 3 || !strings.HasPrefix(f[0], module) {
			t.Fatalf("go list line %q", line)
		}
		p := pkg{path: strings.TrimPrefix(f[0], module), name: f[1]}
		for _, imp := range strings.Fields(f[2]) {
			if strings.HasPrefix(imp, module) {
				p.imports = append(p.imports, strings.TrimPrefix(imp, module))
			}
		}
		pkgs = append(pkgs, p)
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
// translation layers (server, mcpserver), the evaluations, and the top-level assembly
// and client packages (app, client) and internal/loadgen. No stage does.
func TestOnlyTheLayersAboveImportPlannerOrEval(t *testing.T) {
	above := []string{"cmd", "server", "mcpserver", "eval", "app", "client", "internal/loadgen", "planner"}
	for _, p := range list(t) {
		for _, imp := range p.imports {
			if under(imp, "planner", "eval") && !under(p.path, above...) {
				t.Errorf("%s imports %s: only %v may", p.path, imp, above)
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

// The CLI stays thin: cmd/planwise holds at most maxCLILines lines of Go outside its
// tests (every line counted, comments and blank lines too, as wc -l counts them).
func TestTheCLIStaysThin(t *testing.T) {
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "cmd", "planwise", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	lines, counted := 0, 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines += bytes.Count(b, []byte("\n"))
		counted++
	}
	if counted < 5 {
		t.Fatalf("found %d files in cmd/planwise: not the CLI", counted)
	}
	if lines > maxCLILines {
		t.Errorf("cmd/planwise has %d non-test lines, more than %d: move what is not wiring, flags or printing into the package that owns it", lines, maxCLILines)
	}
}
