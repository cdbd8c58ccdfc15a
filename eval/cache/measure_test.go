package cacheeval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Measure says what in its input is wrong, as an *inputError worded with eval cache's
// flags; a failure of the measurement itself is not one.
func TestMeasureInputErrors(t *testing.T) {
	dir := t.TempDir()
	pairs := filepath.Join(dir, "pairs.jsonl")
	if _, err := Measure(context.Background(), Config{Embedder: "local", Set: SetConfig{From: "traps", N: 2, Seed: 1, WritePairs: pairs}}); err != nil {
		t.Fatal(err)
	}
	// Pairs with plans beside pairs without: the answer tool those need is no catalogue
	// for the plans, and a catalogue without a plan's tool is none either.
	mixed := filepath.Join(dir, "mixed.jsonl")
	other := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(mixed, []byte(`{"a": "water the back garden", "b": "water the front garden", "plan_a": [{"tool": "water_plants", "args": {"zone": "back"}}], "plan_b": [{"tool": "water_plants", "args": {"zone": "front"}}]}
{"a": "set the bedroom to 19 degrees", "b": "what is the bedroom temperature", "same_plan": false}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("name: feed_fish\ndescription: Feed the fish\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		c    Config
		want string
	}{
		{"plans beside answers, no catalogue", Config{Embedder: "local", Set: SetConfig{PairsFile: mixed}},
			errNeedCatalog.Error() + `: pair 1 calls "water_plants", which no --tools file defines`},
		{"a catalogue without the plans' tool", Config{Embedder: "local", Set: SetConfig{PairsFile: mixed, ToolPaths: []string{other}}},
			`pair 1 calls "water_plants", which no --tools file defines`},
		{"unknown embedder", Config{Embedder: "bogus"}, `--embedder "bogus": want local or openai`},
		{"no pairs", Config{Embedder: "local"}, "give --pairs FILE (with --tools CATALOG) or --from DATASET"},
		{"no data", Config{Embedder: "local", Set: SetConfig{From: "clinc150", Dir: dir}}, "(set --data to the semcache directory)"},
		{"no catalogue", Config{Embedder: "local", Set: SetConfig{PairsFile: pairs}}, errNeedCatalog.Error()},
		{"unknown workload", Config{Embedder: "local", Workload: "clinc"}, `--replay "clinc": want taskbench`},
		{"bad mix", Config{Embedder: "local", Workload: "taskbench", Mix: "repeats=x"}, "--mix: "},
		{"no replay data", Config{Embedder: "local", Workload: "taskbench", Mix: DefaultMix.String(), Set: SetConfig{Dir: dir}},
			"(set --data to a TaskBench domain directory)"},
	} {
		_, err := Measure(context.Background(), tc.c)
		if _, ok := errors.AsType[*inputError](err); !ok || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (%T), want an *InputError containing %q", tc.name, err, err, tc.want)
		}
	}
	// A pair file that cannot be read fails the measurement: no *inputError.
	_, err := Measure(context.Background(), Config{Embedder: "local", Set: SetConfig{PairsFile: filepath.Join(dir, "missing.jsonl"), ToolPaths: []string{"x"}}})
	if _, ok := errors.AsType[*inputError](err); err == nil || ok {
		t.Errorf("a missing pair file: %v, want an error that is no *InputError", err)
	}
}

// Measure runs the pair set it is given and returns its report.
func TestMeasureTraps(t *testing.T) {
	rep, err := Measure(context.Background(), Config{Embedder: "local", Set: SetConfig{From: "traps", N: 3, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if sr, ok := rep.(*setReport); !ok || sr.Set != "traps" || sr.Pairs == 0 {
		t.Errorf("report %T %+v", rep, rep)
	}
}
