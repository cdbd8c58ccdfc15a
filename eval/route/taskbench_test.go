package routeeval

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/planwise/planwise/route"
)

// evaluateTaskBench refuses what eval route cannot score, naming the flag to fix.
func TestEvaluateTaskBenchErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		path string
		opts TaskBenchOptions
		want string
	}{
		{"no data", "", TaskBenchOptions{}, "--taskbench is required"},
		{"negative limit", dir, TaskBenchOptions{EvaluateOptions: EvaluateOptions{Split: "heldout", Limit: -1}}, "--limit must not be negative"},
		{"out sans train", dir, TaskBenchOptions{EvaluateOptions: EvaluateOptions{Split: "heldout"}, Out: "x.json"}, "--out needs --train"},
		{"bad split", dir, TaskBenchOptions{EvaluateOptions: EvaluateOptions{Split: "some"}}, `--split "some"`},
		{"not taskbench", dir, TaskBenchOptions{EvaluateOptions: EvaluateOptions{Split: "heldout"}}, ""},
	} {
		_, err := evaluateTaskBench(tc.path, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := replayTaskBench(context.Background(), "", DefaultFilter, ReplayConfig{}, nil); err == nil || !strings.Contains(err.Error(), "--replay needs --taskbench") {
		t.Errorf("replay without data: %v", err)
	}
	// Measure scores, or with Replay replays; either way an error is no report.
	for _, c := range []Config{{}, {Replay: true}} {
		if m, err := Measure(context.Background(), c, nil); m != nil || err == nil {
			t.Errorf("Measure(%+v) = %v, %v; want an error and no report", c, m, err)
		}
	}
}

// With Train and Out the fitted models are written, the notes say where, and the report
// scores the fitted models.
func TestEvaluateTaskBenchTrain(t *testing.T) {
	dir := taskbenchDir(t, "dailylifeapis")
	out := filepath.Join(t.TempDir(), "models.json")
	var notes bytes.Buffer
	rep, err := evaluateTaskBench(dir, TaskBenchOptions{
		EvaluateOptions: EvaluateOptions{Filter: DefaultFilter, Split: "heldout", Limit: 20},
		Train:           true, Out: out, Notes: &notes,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Trained || rep.Samples != 20 || rep.Domain != "dailylifeapis" {
		t.Errorf("report trained %v, %d samples of %q", rep.Trained, rep.Samples, rep.Domain)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var ms route.Models
	if err := json.Unmarshal(b, &ms); err != nil {
		t.Errorf("the models file is not route.Models: %v", err)
	}
	if want := "planwise: wrote the fitted models to " + out; !strings.Contains(notes.String(), want) {
		t.Errorf("notes %q lack %q", notes.String(), want)
	}
}

// Measure scores the analyzers as evaluateTaskBench does, its notes going where Measure
// is told.
func TestMeasureScores(t *testing.T) {
	dir := taskbenchDir(t, "dailylifeapis")
	out := filepath.Join(t.TempDir(), "models.json")
	var notes bytes.Buffer
	m, err := Measure(context.Background(), Config{TaskBench: dir, Eval: TaskBenchOptions{
		EvaluateOptions: EvaluateOptions{Filter: DefaultFilter, Split: "heldout", Limit: 10}, Train: true, Out: out}}, &notes)
	if err != nil {
		t.Fatal(err)
	}
	if rep, ok := m.(*report); !ok || rep.Samples != 10 || !rep.Trained {
		t.Errorf("Measure = %#v, want the trained scores of 10 samples", m)
	}
	if !strings.Contains(notes.String(), "wrote the fitted models to "+out) {
		t.Errorf("notes %q", notes.String())
	}
}
