package pattern

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/planwise/planwise/internal/shareddata"

	"github.com/planwise/planwise/tool"
)

// sharedData returns ../shared/data, or skips the test when it is absent.
func sharedData(t testing.TB) string { return shareddata.Shared(t) }

// loadRegistry loads a tool catalog with the project's importer.
func loadRegistry(t testing.TB, path string) *tool.Registry {
	t.Helper()
	tools, err := tool.LoadPath(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	reg, err := tool.NewRegistry(tools...)
	if err != nil {
		t.Fatalf("registry %s: %v", path, err)
	}
	return reg
}

func dailyLife(t testing.TB) *tool.Registry {
	return loadRegistry(t, filepath.Join(sharedData(t), "taskbench", "dailylifeapis", "tool_desc.json"))
}

// testNow is the clock of the planner tests: Thursday 26 November 2026.
func testNow() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }

// nestfulSample is one NESTFUL record: a request and its gold calls.
type nestfulSample struct {
	Input  string `json:"input"`
	Output []struct {
		Name string `json:"name"`
	} `json:"output"`
}

func loadNESTFUL(t testing.TB, dataFile string) []nestfulSample {
	t.Helper()
	b, err := os.ReadFile(dataFile)
	if err != nil {
		t.Fatal(err)
	}
	var out []nestfulSample
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", dataFile, err)
	}
	return out
}

// goldNames are the tool names of a NESTFUL sample, without the var_result pseudo-call
// (it names what is returned; it is not a tool).
func (s nestfulSample) goldNames() []string {
	var out []string
	for _, o := range s.Output {
		if o.Name != "var_result" {
			out = append(out, o.Name)
		}
	}
	return out
}

// nodeF1 is the F1 of predicted against gold tool names, as multisets.
func nodeF1(pred, gold []string) float64 {
	if len(pred) == 0 || len(gold) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, g := range gold {
		count[g]++
	}
	tp := 0
	for _, p := range pred {
		if count[p] > 0 {
			count[p]--
			tp++
		}
	}
	if tp == 0 {
		return 0
	}
	prec, rec := float64(tp)/float64(len(pred)), float64(tp)/float64(len(gold))
	return 2 * prec * rec / (prec + rec)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
