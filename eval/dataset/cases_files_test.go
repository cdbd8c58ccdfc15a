package dataset

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestEveryCaseSetMatchesItsCatalogues loads every hand-written case set under
// eval/cases and checks its gold against its catalogues and planwise's built-ins: each
// gold tool exists, and each gold argument is one of that tool's parameters. A set
// whose catalogue lives in ../shared is checked only when ../shared is there, and a
// catalogue loads without a warning (a YAML value a comma cut short). Without
// this, a mistyped tool or argument name in a new set shows only as a planner's
// "wrong" plan.
func TestEveryCaseSetMatchesItsCatalogues(t *testing.T) {
	var files []string
	for _, dir := range []string{"dev", "heldout"} {
		fs, err := filepath.Glob(filepath.Join("..", "cases", dir, "*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	if len(files) == 0 {
		t.Fatal("no case sets found under eval/cases/dev and eval/cases/heldout")
	}
	for _, f := range files {
		set, samples, err := LoadCases(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		missing := false
		for _, p := range set.Tools {
			if _, err := os.Stat(p); err != nil {
				missing = true
			}
		}
		if missing && strings.Contains(strings.Join(set.Tools, " "), "shared") {
			continue // the daily-life sets read ../shared's TaskBench catalogue
		}
		tools, err := tool.LoadPathsWarn(func(e *tool.Error) { t.Errorf("%s: catalogue: %v", f, e) }, set.Tools...)
		if err != nil {
			t.Errorf("%s: catalogue: %v", f, err)
			continue
		}
		params := map[string]map[string]bool{}
		for _, tl := range append(tool.Builtins(), tools...) {
			var schema struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if len(tl.InputSchema) > 0 {
				if err := json.Unmarshal(tl.InputSchema, &schema); err != nil {
					t.Errorf("%s: %s: input schema: %v", f, tl.Name, err)
				}
			}
			params[tl.Name] = map[string]bool{}
			for name := range schema.Properties {
				params[tl.Name][name] = true
			}
		}
		for _, s := range samples {
			for _, g := range s.Gold {
				ps, ok := params[g.Tool]
				if !ok {
					t.Errorf("%s: %s: gold tool %q is in no catalogue of the set", f, s.ID, g.Tool)
					continue
				}
				for name := range g.Accept {
					if !ps[name] {
						t.Errorf("%s: %s: %s has no parameter %q", f, s.ID, g.Tool, name)
					}
				}
			}
		}
	}
}
