package plans

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// Sets refuses negative bounds and an unknown catalogue before it looks for data, with
// the flags' names.
func TestConfigSets(t *testing.T) {
	ok := Config{Dataset: "nestful", Data: t.TempDir(), Catalog: "union"}
	for _, tt := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"negative limit", func(c *Config) { c.Limit = -1 }, "--limit, --concurrency and --timeout must not be negative"},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "must not be negative"},
		{"unknown catalog", func(c *Config) { c.Catalog = "all"; c.Data = "/nonexistent" }, `--catalog "all": use union or question`},
		{"no data", func(c *Config) { c.Data = filepath.Join(c.Data, "nope") }, "--data"},
	} {
		c := ok
		tt.edit(&c)
		if _, err := c.Sets(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// assembly is an Assembly over a fixed tool list with offline planners.
type assembly struct{ tools []*tool.Tool }

func (a assembly) Tools(bool) ([]*tool.Tool, error) { return a.tools, nil }
func (assembly) WarnTool(*tool.Error)               {}
func (assembly) NewPlanner(_ context.Context, reg *tool.Registry, _ func() time.Time) (*planner.Planner, error) {
	return planner.New(reg)
}

// EvaluatePlanwise evaluates the assembled planner, writes the predictions file and
// prints every sample's result only when verbose, in JSON as in text.
func TestEvaluatePlanwise(t *testing.T) {
	reg := testRegistry(t)
	set := Set{Name: "cases/mini", Load: func() ([]dataset.Sample, error) {
		return []dataset.Sample{{ID: "1", Request: "what's the weather in Paris", Gold: []dataset.GoldStep{{Tool: "get_weather", Args: map[string]any{"location": "Paris"}}}}}, nil
	}}
	pred := filepath.Join(t.TempDir(), "pred.jsonl")
	var notes bytes.Buffer
	for _, verbose := range []bool{false, true} {
		c := Config{Dataset: "cases", Catalog: "union", Predictions: pred, Verbose: verbose}
		rep, err := c.EvaluatePlanwise(context.Background(), []Set{set}, assembly{reg.Tools()}, &notes, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		var text bytes.Buffer
		if err := rep.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), `"results"`); got != verbose {
			t.Errorf("verbose %v: results in JSON %v: %s", verbose, got, b)
		}
		if want, _ := json.Marshal(rep.WithoutResults()); !verbose && string(b) != string(want) {
			t.Errorf("JSON %s, want the report without results %s", b, want)
		}
		var full bytes.Buffer
		if err := rep.Report.WriteText(&full, verbose); err != nil || text.String() != full.String() {
			t.Errorf("verbose %v: text %q, want %q", verbose, text.String(), full.String())
		}
	}
	if b, err := os.ReadFile(pred); err != nil || !strings.Contains(string(b), "weather in Paris") {
		t.Errorf("predictions %q, %v", b, err)
	}
	if !strings.Contains(notes.String(), "evaluating the offline planners") {
		t.Errorf("notes %q", notes.String())
	}
	c := Config{Dataset: "cases", Catalog: "union", Predictions: filepath.Join(t.TempDir(), "no", "such", "dir", "p.jsonl")}
	if _, err := c.EvaluatePlanwise(context.Background(), []Set{set}, assembly{reg.Tools()}, nil, nil); err == nil || !strings.HasPrefix(err.Error(), "--predictions: ") {
		t.Errorf("unwritable predictions: %v", err)
	}
}
