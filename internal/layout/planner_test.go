package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

// The planner contract (query) and the reuse kernel (reuse) sit below every stage: they
// import only the packages the stages all build on, so every stage can import them and
// the request path never returns through them to a stage it has left.
func TestTheContractAndTheKernelSitBelowTheStages(t *testing.T) {
	below := map[string][]string{
		"query": {"plan", "slot", "tool", "embed"},
		"reuse": {"plan", "slot", "tool", "query"},
	}
	seen := 0
	for _, p := range list(t) {
		allowed, ok := below[p.path]
		if !ok {
			continue
		}
		seen++
		for _, imp := range p.imports {
			if !slices.Contains(allowed, imp) && !under(imp, "internal") {
				t.Errorf("%s imports %s: only %v", p.path, imp, allowed)
			}
		}
	}
	if seen != len(below) {
		t.Fatalf("found %d of the packages %v", seen, below)
	}
}

// One planner contract: query.Planner is the only interface whose Plan method takes a
// context and a request and returns a plan (planner.OfflinePlanner, eval's Planner,
// historyeval.Planner, cacheeval.Model and sim.Answerer were five names of it).
func TestOnePlannerContract(t *testing.T) {
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			it, ok := ts.Type.(*ast.InterfaceType)
			if !ok {
				return true
			}
			for _, m := range it.Methods.List {
				ft, ok := m.Type.(*ast.FuncType)
				if !ok || len(m.Names) != 1 || m.Names[0].Name != "Plan" || ft.Results == nil {
					continue
				}
				if params := ft.Params.List; len(params) > 0 && isContext(params[0].Type) && returnsPlan(ft.Results) {
					rel, _ := filepath.Rel(root, path)
					found = append(found, filepath.ToSlash(rel)+": "+ts.Name.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(found, []string{"query/query.go: Planner"}) {
		t.Errorf("interfaces with Plan(ctx, ...) (*plan.Plan, error): %q; want only query.Planner", found)
	}
}

func isContext(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == "Context"
}

// returnsPlan reports whether the results are (*plan.Plan, error) or, inside package
// plan, (*Plan, error).
func returnsPlan(r *ast.FieldList) bool {
	if len(r.List) != 2 {
		return false
	}
	star, ok := r.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	switch x := star.X.(type) {
	case *ast.SelectorExpr:
		return x.Sel.Name == "Plan"
	case *ast.Ident:
		return x.Name == "Plan"
	}
	return false
}
