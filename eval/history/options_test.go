package historyeval

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("0, 100,1000")
	if err != nil || !reflect.DeepEqual(got, []int{0, 100, 1000}) {
		t.Errorf("got %v %v", got, err)
	}
	for _, bad := range []string{"a", "10,-1", "10,", ""} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := parseSizes("10,x"); err == nil || err.Error() != `"x" is not a history size` {
		t.Errorf("error %v", err)
	}
}

func TestSweepFloors(t *testing.T) {
	fs := sweepFloors()
	if len(fs) != 14 || fs[0] != 0.30 || fs[13] != 0.95 || fs[1] != 0.35 {
		t.Errorf("got %v", fs)
	}
}

// Evaluate refuses what eval history cannot run, naming the flag to fix, before it
// reads any data.
func TestEvaluateErrors(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{Dataset: "clinc150", CLINC: CLINCOptions{Limit: -1}}, "--limit, --concurrency and --floor must not be negative"},
		{Config{Dataset: "clinc150", CLINC: CLINCOptions{Floor: -0.1}}, "must not be negative"},
		{Config{Dataset: "clinc150", Sizes: "0,ten"}, `--sizes: "ten" is not a history size`},
		{Config{Dataset: "banking77", Sizes: "0"}, `--dataset "banking77": use clinc150 or nestful`},
	} {
		if _, err := Evaluate(context.Background(), tc.c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want one containing %q", tc.c, err, tc.want)
		}
	}
}

// Evaluate runs the data set it names, with the sweep and the sizes parsed, and the
// report prints itself.
func TestEvaluateCLINC(t *testing.T) {
	path := filepath.Join(dataDir(t), "semcache", "clinc150", "data_full.json")
	var done []int
	rep, err := Evaluate(context.Background(), Config{Dataset: "clinc150", Data: path, Sizes: "0,200", Sweep: true,
		CLINC: CLINCOptions{Limit: 100, Seed: 1, Progress: func(d, _ int) { done = append(done, d) }}})
	if err != nil {
		t.Fatal(err)
	}
	c, ok := rep.(*clincReport)
	if !ok || len(c.Sizes) != 2 || c.Sizes[1].History != 200 || len(c.Sweep) != len(sweepFloors()) || len(done) != 2 {
		t.Fatalf("report %T %+v, progress %v", rep, rep, done)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil || !strings.Contains(text.String(), "floor sweep at the largest history size") {
		t.Errorf("text (%v):\n%s", err, text.String())
	}
}
