package dataset_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/planwise/planwise/eval/dataset"
	"github.com/planwise/planwise/eval/plans"
	"github.com/planwise/planwise/internal/shareddata"
)

// TestLoadNESTFULData loads both public sets and checks their documented sizes, that
// every "$varK...$" reference was rewritten, and that a gold plan scores perfectly
// against itself.
func TestLoadNESTFULData(t *testing.T) {
	dir := filepath.Join(shareddata.Shared(t), "nestful")
	sets, err := dataset.FindNESTFULSets(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantSizes := map[string]int{"executable": 85, "sgd": 46}
	if len(sets) != len(wantSizes) {
		t.Fatalf("sets = %+v, want %v", sets, wantSizes)
	}
	for _, set := range sets {
		samples, err := dataset.LoadNESTFUL(set.Data)
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) != wantSizes[set.Name] {
			t.Errorf("%s: %d samples, want %d", set.Name, len(samples), wantSizes[set.Name])
		}
		var edges int
		for _, s := range samples {
			edges += len(s.Edges)
			for i, g := range s.Gold {
				if g.Tool == dataset.NESTFULResult {
					t.Errorf("%s step %d: var_result kept", s.ID, i)
				}
				dataset.EachString(g.Args, func(v string) {
					if strings.Contains(v, "$var") || dataset.NESTFULBareRef.MatchString(v) {
						t.Errorf("%s step %d: unrewritten reference %q", s.ID, i, v)
					}
				})
			}
			for _, e := range s.Edges {
				if e[0] >= e[1] {
					t.Errorf("%s: edge %v does not point forward", s.ID, e)
				}
			}
			sc := plans.Score(s, s.Plan())
			if sc.NodeF1 != 1 || sc.EdgeF1 != 1 || sc.ArgNameF1 != 1 || sc.ArgValueF1 != 1 || sc.EditDistance != 0 {
				t.Errorf("%s: gold against itself scores %+v", s.ID, sc)
			}
		}
		if edges == 0 {
			t.Errorf("%s: no dependency edges at all", set.Name)
		}
	}
	// Sample 0 of executable, spelt out.
	samples, err := dataset.LoadNESTFUL(filepath.Join(dir, "executable-data.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := samples[0]
	if len(s.Gold) != 5 || s.Gold[2].Tool != "SkyScrapperFlightSearch" || s.Gold[2].Args["originSkyId"] != "${s1.skyId}" ||
		s.Gold[4].Args["geoId"] != "${s4.geoId}" || !reflect.DeepEqual(s.Edges, [][2]int{{0, 2}, {1, 2}, {3, 4}}) {
		gb, _ := json.Marshal(s)
		t.Errorf("executable/0 = %s", gb)
	}
}

// TestLoadTaskBenchData loads the three public domains' labelled records.
func TestLoadTaskBenchData(t *testing.T) {
	root := filepath.Join(shareddata.Shared(t), "taskbench")
	wantSizes := map[string]int{"dailylifeapis": 3, "multimedia": 2, "huggingface": 3}
	for domain, n := range wantSizes {
		samples, err := dataset.LoadTaskBench(filepath.Join(root, domain))
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) != n {
			t.Errorf("%s: %d samples, want %d", domain, len(samples), n)
		}
		for _, s := range samples {
			if s.Shape == "" || s.ID == "" {
				t.Errorf("%s: sample without id or shape: %+v", domain, s)
			}
			for i, g := range s.Gold {
				dataset.EachString(g.Args, func(v string) {
					if strings.Contains(v, "<node-") {
						t.Errorf("%s/%s step %d: unresolved node reference %q", domain, s.ID, i, v)
					}
				})
			}
			if sc := plans.Score(s, s.Plan()); sc.NodeF1 != 1 || sc.EdgeF1 != 1 || sc.ArgValueF1 != 1 || sc.EditDistance != 0 {
				t.Errorf("%s/%s: gold against itself scores %+v", domain, s.ID, sc)
			}
			if s.Shape == "single" && len(s.Gold) != 1 || s.Shape == "chain" && len(s.Edges) != len(s.Gold)-1 {
				t.Errorf("%s/%s: shape %s with %d steps and edges %v", domain, s.ID, s.Shape, len(s.Gold), s.Edges)
			}
		}
	}
}

func FuzzParseNESTFUL(f *testing.F) {
	f.Add([]byte(`[{"input":"a","output":[{"name":"A","arguments":{"x":"$var1$"},"label":"var1"},{"name":"B","arguments":{"y":"5 * $var1.a b$"},"label":"var2"}]}]`))
	f.Add([]byte(`[{"input":"a","output":[{"name":"A","arguments":{"x":["var1.x$", {"k": 1.5}]}}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		samples, err := dataset.ParseNESTFUL(b, "fuzz")
		if err != nil {
			return
		}
		for _, s := range samples {
			if len(s.Gold) == 0 {
				t.Fatalf("%s: sample without gold steps", s.ID)
			}
			for _, e := range s.Edges {
				if e[0] < 0 || e[1] >= len(s.Gold) || e[0] >= e[1] {
					t.Fatalf("%s: bad edge %v", s.ID, e)
				}
			}
			plans.Score(s, s.Plan())
		}
	})
}

func FuzzParseTaskBench(f *testing.F) {
	f.Add([]byte(`{"id": "1", "type": "chain", "instruction": "x", "task_nodes": [{"task": "Question Answering", "arguments": ["<node-1>", "q"]}, {"task": "Summarization", "arguments": ["a"]}], "task_links": [{"source": "Summarization", "target": "Question Answering"}]}`))
	f.Add([]byte(`{"id": 2, "instruction": "y", "task_nodes": [{"task": "a", "arguments": [{"name": "k", "value": "<node-0> <node-7>"}]}, {"task": "a", "arguments": ["<node-0>"]}], "task_links": [{"source": "a", "target": "a"}]}`))
	sigs := map[string]dataset.TaskBenchSig{
		"Question Answering": dataset.NewTaskBenchSig([]string{"text", "text_2"}, "text"),
		"Summarization":      dataset.NewTaskBenchSig([]string{"text"}, "text"),
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		samples, err := dataset.ParseTaskBench("fuzz", bufio.NewReader(bytes.NewReader(b)), sigs)
		if err != nil {
			return
		}
		for _, s := range samples {
			for _, e := range s.Edges {
				if e[0] < 0 || e[1] < 0 || e[0] >= len(s.Gold) || e[1] >= len(s.Gold) || e[0] == e[1] {
					t.Fatalf("%s: bad edge %v", s.ID, e)
				}
			}
			plans.Score(s, s.Plan())
		}
	})
}
