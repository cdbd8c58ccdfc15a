package layout

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

// exportedNames counts, per package directory of the module, the exported names of its
// non-test files: top-level constants, variables, functions and types, and the exported
// methods of exported types. Packages under internal/ are counted apart (internal is
// true): they are no library API.
func exportedNames(t *testing.T) (counts map[string]int, internal map[string]bool) {
	t.Helper()
	root, err := shareddata.Root()
	if err != nil {
		t.Fatal(err)
	}
	counts, internal = map[string]int{}, map[string]bool{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
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
		if f.Name.Name == "main" {
			return nil
		}
		dir, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		dir = filepath.ToSlash(dir)
		internal[dir] = dir == "internal" || strings.HasPrefix(dir, "internal/") || strings.Contains(dir, "/internal/") || strings.HasSuffix(dir, "/internal")
		counts[dir] += exportedIn(f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts, internal
}

// exportedIn counts the exported names f declares (see exportedNames).
func exportedIn(f *ast.File) int {
	n := 0
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			if d.Recv == nil || len(d.Recv.List) == 0 {
				n++
				continue
			}
			if recv := receiverType(d.Recv.List[0].Type); recv != nil && recv.IsExported() {
				n++
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						n++
					}
				case *ast.ValueSpec:
					for _, name := range s.Names {
						if name.IsExported() {
							n++
						}
					}
				}
			}
		}
	}
	return n
}

// receiverType is the type name of a method's receiver (T, *T, T[P], *T[P]).
func receiverType(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
}

// TestExportedNames prints the exported names of every package, the library's public
// surface apart from internal/ (docs/architecture.md "The public line"):
//
//	go test ./internal/layout -run TestExportedNames -v
//
// It fails only if it counts nothing, which means it no longer reads the module.
func TestExportedNames(t *testing.T) {
	counts, internal := exportedNames(t)
	dirs := make([]string, 0, len(counts))
	for d := range counts {
		dirs = append(dirs, d)
	}
	slices.SortFunc(dirs, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	public, hidden := 0, 0
	var b strings.Builder
	for _, d := range dirs {
		where := "public"
		if internal[d] {
			where = "internal"
			hidden += counts[d]
		} else {
			public += counts[d]
		}
		fmt.Fprintf(&b, "%5d  %-8s %s\n", counts[d], where, d)
	}
	fmt.Fprintf(&b, "%5d  public (outside internal/), %d under internal/\n", public, hidden)
	if testing.Verbose() {
		os.Stdout.WriteString(b.String())
	}
	if public == 0 {
		t.Fatal("no exported name counted: the walk found no package")
	}
}
