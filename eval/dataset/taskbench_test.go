package dataset

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

const tbTools = `{"nodes": [
  {"id": "Summarization", "desc": "d", "input-type": ["text"], "output-type": ["text"]},
  {"id": "Question Answering", "desc": "d", "input-type": ["text", "text"], "output-type": ["text"]},
  {"id": "Text-to-Image", "desc": "d", "input-type": ["text"], "output-type": ["image"]},
  {"id": "Image Colorizer", "desc": "d", "input-type": ["image"], "output-type": ["image"]},
  {"id": "set_alarm", "desc": "d", "parameters": [{"name": "time", "type": "string", "desc": "d"}]},
  {"id": "software_management", "desc": "d", "parameters": [{"name": "software", "type": "string", "desc": "d"}]}
]}`

func writeTaskBench(t *testing.T, records ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, TaskBenchTools), []byte(tbTools), 0o644); err != nil {
		t.Fatal(err)
	}
	var lines bytes.Buffer
	for _, r := range records {
		// One record per line, as in data.sample.jsonl; invalid JSON is kept as written.
		if err := json.Compact(&lines, []byte(r)); err != nil {
			lines.WriteString(r)
		}
		lines.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, TaskBenchSamples), lines.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadTaskBench(t *testing.T) {
	dir := writeTaskBench(t,
		// Consumer listed before its producer: reordered, and the reference follows.
		`{"id": "1", "type": "chain", "instruction": "Summarise then answer", "task_nodes": [
		  {"task": "Question Answering", "arguments": ["<node-1>", "Why?"]},
		  {"task": "Summarization", "arguments": ["example.txt"]}],
		 "task_links": [{"source": "Summarization", "target": "Question Answering"}]}`,
		// A node citing itself: resolved through the link into it.
		`{"id": "2", "type": "chain", "instruction": "Draw then colour", "task_nodes": [
		  {"task": "Text-to-Image", "arguments": ["example.text"]},
		  {"task": "Image Colorizer", "arguments": ["<node-1>"]}],
		 "task_links": [{"source": "Text-to-Image", "target": "Image Colorizer"}]}`,
		// Daily life: named arguments, dependency only in task_links.
		`{"id": "3", "type": "chain", "instruction": "Install then wake me", "task_nodes": [
		  {"task": "software_management", "arguments": [{"name": "software", "value": "vim"}]},
		  {"task": "set_alarm", "arguments": [{"name": "time", "value": "08:00"}]}],
		 "task_links": [{"source": "software_management", "target": "set_alarm"}]}`,
		"",
		`{"id": 4, "type": "single", "instruction": "Alarm", "task_nodes": [{"task": "set_alarm", "arguments": {"time": "7"}}], "task_links": []}`,
	)
	got, err := LoadTaskBench(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{
		{ID: "1", Request: "Summarise then answer", Shape: "chain",
			Gold: []GoldStep{
				{Tool: "Summarization", Args: map[string]any{"text": "example.txt"}},
				{Tool: "Question_Answering", Args: map[string]any{"text": "${s1.text}", "text_2": "Why?"}}},
			Edges: [][2]int{{0, 1}}},
		{ID: "2", Request: "Draw then colour", Shape: "chain",
			Gold: []GoldStep{
				{Tool: "Text-to-Image", Args: map[string]any{"text": "example.text"}},
				{Tool: "Image_Colorizer", Args: map[string]any{"image": "${s1.image}"}}},
			Edges: [][2]int{{0, 1}}},
		{ID: "3", Request: "Install then wake me", Shape: "chain",
			Gold: []GoldStep{
				{Tool: "software_management", Args: map[string]any{"software": "vim"}},
				{Tool: "set_alarm", Args: map[string]any{"time": "08:00"}}},
			Edges: [][2]int{{0, 1}}},
		{ID: "4", Request: "Alarm", Shape: "single",
			Gold: []GoldStep{{Tool: "set_alarm", Args: map[string]any{"time": "7"}}}},
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("got %s", gb)
	}
}

func TestLoadTaskBenchErrors(t *testing.T) {
	for name, rec := range map[string]string{
		"not json":       `{`,
		"no nodes":       `{"id": "1", "instruction": "x", "task_nodes": [], "task_links": []}`,
		"no instruction": `{"id": "1", "instruction": "", "task_nodes": [{"task": "set_alarm", "arguments": []}]}`,
		"bad arguments":  `{"id": "1", "instruction": "x", "task_nodes": [{"task": "set_alarm", "arguments": "7"}]}`,
	} {
		if _, err := LoadTaskBench(writeTaskBench(t, rec)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := LoadTaskBench(t.TempDir()); err == nil {
		t.Error("empty directory: no error")
	}
}

func TestTopoOrder(t *testing.T) {
	tests := []struct {
		n     int
		edges [][2]int
		want  []int
	}{
		{3, nil, []int{0, 1, 2}},
		{3, [][2]int{{2, 0}}, []int{1, 2, 0}},
		{3, [][2]int{{1, 0}, {2, 1}}, []int{2, 1, 0}},
		{2, [][2]int{{0, 1}, {1, 0}}, []int{0, 1}}, // cycle: original order
	}
	for _, tt := range tests {
		set := map[[2]int]bool{}
		for _, e := range tt.edges {
			set[e] = true
		}
		if got := topoOrder(tt.n, set); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("topoOrder(%d, %v) = %v, want %v", tt.n, tt.edges, got, tt.want)
		}
	}
}
