package server_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// enumsOf returns the enum of every property named name in the OpenAPI document.
func enumsOf(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out [][]string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if p, ok := v[name].(map[string]any); ok {
				if e, ok := p["enum"].([]any); ok {
					var vals []string
					for _, x := range e {
						vals = append(vals, x.(string))
					}
					out = append(out, vals)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	return out
}

// constants returns the values of the string constants of a Go file whose names start
// with prefix.
func constants(t *testing.T, file, prefix string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, prefix) || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					out = append(out, v)
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s* constants in %s", prefix, file)
	}
	slices.Sort(out)
	return out
}

// The fallback_reason the document promises is exactly the set the planner declares
// (planner.Reason*): a reason documented but never declared ("budget" was) misleads a
// client that branches on it.
func TestOpenAPIFallbackReasonsAreThePlanners(t *testing.T) {
	want := constants(t, "../planner/types.go", "Reason")
	enums := enumsOf(t, "fallback_reason")
	if len(enums) == 0 {
		t.Fatal("no fallback_reason enum in openapi.json")
	}
	for _, e := range enums {
		got := slices.Sorted(slices.Values(e))
		if !slices.Equal(got, want) {
			t.Errorf("openapi.json fallback_reason enum %v, planner.Reason* %v", got, want)
		}
	}
}

// The error codes the document promises include every code an answer can carry: the
// planner's (planner.Code*, what planner.ErrorCode names) and every code this package
// writes itself.
func TestOpenAPIErrorCodesAreEveryCodeAnswered(t *testing.T) {
	want := constants(t, "../planner/types.go", "Code")
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 3 {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "writeError" {
				return true
			}
			if lit, ok := call.Args[2].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				want = append(want, v)
			}
			return true
		})
	}
	var enum []string
	for _, e := range enumsOf(t, "code") {
		enum = append(enum, e...)
	}
	slices.Sort(want)
	for _, c := range slices.Compact(want) {
		if !slices.Contains(enum, c) {
			t.Errorf("the error code %q is answered but not in openapi.json's error code enum %v", c, enum)
		}
	}
}
