package plans

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// planwise names the planner in reports by whether it uses an LLM, and tells the notes
// once that the offline planners are evaluated.
func TestPlanwise(t *testing.T) {
	reg := testRegistry(t)
	var notes bytes.Buffer
	offline := planwise(func(reg *tool.Registry, _ func() time.Time) (*planner.Planner, error) { return planner.New(reg) }, &notes)
	for range 2 {
		p, label, err := offline(reg, nil)
		if err != nil || label != "planwise (offline)" {
			t.Fatalf("offline: label %q, err %v", label, err)
		}
		if _, ok := p.(planOnly); !ok {
			t.Errorf("offline: planner %T, want PlanOnly", p)
		}
	}
	if got := strings.Count(notes.String(), "evaluating the offline planners"); got != 1 {
		t.Errorf("offline note written %d times, want once:\n%s", got, notes.String())
	}

	notes.Reset()
	online := planwise(func(reg *tool.Registry, _ func() time.Time) (*planner.Planner, error) {
		return planner.New(reg, planner.WithLLM(planner.LLMConfig{Provider: &sim.Provider{}}))
	}, &notes)
	if _, label, err := online(reg, nil); err != nil || label != "planwise" {
		t.Fatalf("online: label %q, err %v", label, err)
	}
	if notes.Len() != 0 {
		t.Errorf("online: notes %q", notes.String())
	}

	boom := errors.New("boom")
	failing := planwise(func(*tool.Registry, func() time.Time) (*planner.Planner, error) { return nil, boom }, nil)
	if _, _, err := failing(reg, nil); !errors.Is(err, boom) {
		t.Errorf("build error: got %v", err)
	}
}

// With a union catalogue, the notes say how many functions it offers and how many were
// defined differently.
func TestEvaluateUnionNote(t *testing.T) {
	reg := testRegistry(t)
	weather, _ := reg.Get("get_weather")
	email, _ := reg.Get("send_email")
	set := Set{Name: "bfcl/simple", Load: func() ([]dataset.Sample, error) {
		return []dataset.Sample{
			{ID: "1", Request: "weather in Paris", Tools: []*tool.Tool{weather}},
			{ID: "2", Request: "mail bob", Tools: []*tool.Tool{email, weather}},
		}, nil
	}}
	var notes bytes.Buffer
	_, err := evaluate(context.Background(), []Set{set}, evaluateOptions{
		Kind: "bfcl", Union: true, Notes: &notes,
		Planner: planwise(func(reg *tool.Registry, _ func() time.Time) (*planner.Planner, error) { return planner.New(reg) }, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "planwise: union catalogue: 2 functions (0 defined differently"; !strings.Contains(notes.String(), want) {
		t.Errorf("notes %q lack %q", notes.String(), want)
	}
}
