package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalData returns ../shared/data (from the module root) or skips.
func evalData(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("evaluation data not found at %s (see ../shared/data/README.md): %v", dir, err)
	}
	return dir
}

// evalJSON is the part of `eval plans --json` the tests read.
type evalJSON struct {
	Dataset   string         `json:"dataset"`
	Planner   string         `json:"planner"`
	Samples   int            `json:"samples"`
	Valid     int            `json:"valid"`
	ValidRate float64        `json:"valid_rate"`
	NodeF1    *float64       `json:"node_f1"`
	EdgeF1    *float64       `json:"edge_f1"`
	ArgName   *float64       `json:"arg_name_f1"`
	ArgValue  *float64       `json:"arg_value_f1"`
	Edit      *float64       `json:"edit_distance"`
	Errors    map[string]int `json:"errors"`
	Duration  *int64         `json:"duration_ms"`
	Sets      []evalJSON     `json:"sets"`
	Results   []struct {
		ID        string   `json:"id"`
		GoldTools []string `json:"gold_tools"`
	} `json:"results"`
}

// decodeOne decodes exactly one JSON object from out.
func decodeOne(t *testing.T, out string) evalJSON {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var r evalJSON
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output is not a JSON object: %v\n%s", err, out)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("more than one JSON value in the output:\n%s", out)
	}
	return r
}

func checkReport(t *testing.T, r evalJSON, dataset string, samples int) {
	t.Helper()
	if r.Dataset != dataset || r.Samples != samples || r.Planner == "" {
		t.Errorf("dataset %q samples %d planner %q; want %q, %d", r.Dataset, r.Samples, r.Planner, dataset, samples)
	}
	if r.NodeF1 == nil || r.EdgeF1 == nil || r.ArgName == nil || r.ArgValue == nil || r.Edit == nil || r.Duration == nil || r.Errors == nil {
		t.Fatalf("report lacks a field: %+v", r)
	}
	for _, v := range []float64{r.ValidRate, *r.NodeF1, *r.EdgeF1, *r.ArgName, *r.ArgValue, *r.Edit} {
		if v < 0 || v > 1 {
			t.Errorf("score %v out of [0, 1] in %+v", v, r)
		}
	}
	misses := 0
	for _, n := range r.Errors {
		misses += n
	}
	if r.Valid+misses != r.Samples {
		t.Errorf("valid %d + misses %v != samples %d", r.Valid, r.Errors, r.Samples)
	}
}

func TestEvalPlansNESTFULDirectory(t *testing.T) {
	dir := filepath.Join(evalData(t), "nestful")
	code, out, stderr := runCLI(t, "eval", "plans", "--offline", "--json", "--dataset", "nestful", "--data", dir, "--limit", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r := decodeOne(t, out)
	checkReport(t, r, "nestful", 6)
	if len(r.Sets) != 2 || r.Sets[0].Dataset != "nestful/executable" || r.Sets[1].Dataset != "nestful/sgd" {
		t.Fatalf("sets = %+v", r.Sets)
	}
	for _, s := range r.Sets {
		checkReport(t, s, s.Dataset, 3)
	}
	if len(r.Results) != 0 {
		t.Errorf("per-sample results printed without --verbose")
	}

	code, out, stderr = runCLI(t, "eval", "plans", "--offline", "--json", "--dataset", "nestful", "--data", dir, "--set", "sgd", "--limit", "2", "--verbose")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r = decodeOne(t, out)
	checkReport(t, r, "nestful/sgd", 2)
	if len(r.Results) != 2 || r.Results[0].ID != "sgd/0" || len(r.Results[0].GoldTools) == 0 {
		t.Errorf("--verbose results = %+v", r.Results)
	}
}

func TestEvalPlansHumanOutput(t *testing.T) {
	file := filepath.Join(evalData(t), "nestful", "non-executable-sgd-data.json")
	code, out, stderr := runCLI(t, "eval", "plans", "--offline", "--dataset", "nestful", "--data", file, "--limit", "2", "--verbose")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"node-F1", "edge-F1", "arg-value-F1", "nestful/sgd", "TaskBench pooled", "sgd/0", "gold:    RentalCars.GetCarsAvailable -> RentalCars.ReserveCar"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "offline") {
		t.Errorf("stderr does not say the run is offline: %q", stderr)
	}
}

func TestEvalPlansTaskBench(t *testing.T) {
	root := filepath.Join(evalData(t), "taskbench")
	code, out, stderr := runCLI(t, "eval", "plans", "--offline", "--json", "--dataset", "taskbench", "--data", filepath.Join(root, "dailylifeapis"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r := decodeOne(t, out)
	checkReport(t, r, "taskbench/dailylifeapis", 3)
	if len(r.Sets) != 0 {
		t.Errorf("one domain reported as sets: %+v", r.Sets)
	}

	code, out, stderr = runCLI(t, "eval", "plans", "--offline", "--json", "--dataset", "taskbench", "--data", root)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r = decodeOne(t, out)
	checkReport(t, r, "taskbench", 8)
	if len(r.Sets) != 3 {
		t.Errorf("sets = %+v, want the three domains", r.Sets)
	}
}

func TestEvalPlansUsageErrors(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "mini-data.json")
	if err := os.WriteFile(data, []byte(`[{"input":"x","output":[{"name":"A","arguments":{}}]}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown dataset", []string{"--dataset", "squad", "--data", tmp}, "use nestful, taskbench, bfcl or cases"},
		{"unknown catalog", []string{"--dataset", "bfcl", "--data", tmp, "--catalog", "all"}, "use union or question"},
		{"bfcl file", []string{"--dataset", "bfcl", "--data", data}, "directory"},
		{"missing data", []string{"--dataset", "nestful"}, "data"},
		{"no such path", []string{"--dataset", "nestful", "--data", filepath.Join(tmp, "nope")}, "--data"},
		{"data file without spec", []string{"--dataset", "nestful", "--data", tmp}, "tool catalogue"},
		{"set with a file", []string{"--dataset", "nestful", "--data", data, "--set", "mini"}, "--set only applies"},
		{"taskbench file", []string{"--dataset", "taskbench", "--data", data}, "domain directory"},
		{"negative limit", []string{"--dataset", "nestful", "--data", data, "--limit", "-1"}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(t.Context(), append([]string{"eval", "plans", "--offline"}, tt.args...), &out, &errOut)
			if code == 0 || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want failure mentioning %q", code, errOut.String(), tt.want)
			}
		})
	}
}

func TestEvalPlansUnknownSet(t *testing.T) {
	dir := filepath.Join(evalData(t), "nestful")
	code, _, stderr := runCLI(t, "eval", "plans", "--offline", "--dataset", "nestful", "--data", dir, "--set", "nope")
	if code == 0 || !strings.Contains(stderr, "executable, sgd") {
		t.Errorf("exit %d, stderr %q; want the sets listed", code, stderr)
	}
}

// writeBFCLDir writes a small BFCL v4 directory: a simple category with answers and an
// irrelevance category.
func writeBFCLDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "possible_answer"), 0o755); err != nil {
		t.Fatal(err)
	}
	weather := `{"name": "get_weather", "description": "Get the weather forecast for a city.", "parameters": {"type": "dict", "required": ["city"], "properties": {"city": {"type": "string", "description": "The city, e.g. Paris"}}}}`
	song := `{"name": "play_song", "description": "Play a song by its title.", "parameters": {"type": "dict", "required": ["title"], "properties": {"title": {"type": "string", "description": "The song title"}}}}`
	q := func(id, text, fns string) string {
		return `{"id": "` + id + `", "question": [[{"role": "user", "content": "` + text + `"}]], "function": [` + fns + `]}`
	}
	files := map[string]string{
		"BFCL_v4_live_simple.json": q("live_simple_0", "What is the weather forecast in Oslo?", weather) + "\n" +
			q("live_simple_1", "Play the song 'Yesterday'", song) + "\n",
		"possible_answer/BFCL_v4_live_simple.json": `{"id": "live_simple_0", "ground_truth": [{"get_weather": {"city": ["Oslo"]}}]}` + "\n" +
			`{"id": "live_simple_1", "ground_truth": [{"play_song": {"title": ["Yesterday"]}}]}` + "\n",
		"BFCL_v4_live_irrelevance.json": q("live_irrelevance_0", "Make me a sandwich with pickles", weather) + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestEvalPlansBFCL(t *testing.T) {
	dir := writeBFCLDir(t)
	preds := filepath.Join(t.TempDir(), "preds.jsonl")
	for _, catalog := range []string{"union", "question"} {
		code, out, stderr := runCLI(t, "eval", "plans", "--offline", "--json", "--dataset", "bfcl", "--data", dir, "--catalog", catalog, "--predictions", preds)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", catalog, code, stderr)
		}
		var r struct {
			evalJSON
			Served, Refused, Wrong, Relevant, Irrelevant int
			ExactTools                                   int `json:"exact_tools"`
			IrrelevantRefused                            int `json:"irrelevant_refused"`
			CallsChecked                                 int `json:"calls_checked"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v\n%s", catalog, err, out)
		}
		if r.Samples != 3 || len(r.Sets) != 2 || r.Relevant != 2 || r.Irrelevant != 1 || r.Served+r.Refused != 3 || r.CallsChecked != 2 {
			t.Fatalf("%s: report %+v", catalog, r)
		}
		// Every plan served for an irrelevant request is wrong; every other plan served is
		// exact or wrong.
		irrServed := r.Irrelevant - r.IrrelevantRefused
		if r.Wrong < irrServed || r.ExactTools+r.Wrong-irrServed != r.Served-irrServed {
			t.Errorf("%s: outcome counts do not add up: %+v", catalog, r)
		}
		b, err := os.ReadFile(preds)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: %d prediction lines, want 3:\n%s", catalog, len(lines), b)
		}
		ids := map[string]bool{}
		for _, l := range lines {
			var p struct {
				ID        string          `json:"id"`
				Request   string          `json:"request"`
				GoldTools []string        `json:"gold_tools"`
				Plan      json.RawMessage `json:"plan"`
				Error     string          `json:"error"`
			}
			if err := json.Unmarshal([]byte(l), &p); err != nil {
				t.Fatalf("%s: bad prediction line %q: %v", catalog, l, err)
			}
			if p.Request == "" || p.GoldTools == nil || (len(p.Plan) == 0) == (p.Error == "") {
				t.Errorf("%s: prediction needs a request, gold tools and a plan or an error: %s", catalog, l)
			}
			ids[p.ID] = true
		}
		if !ids["live_simple_0"] || !ids["live_irrelevance_0"] {
			t.Errorf("%s: ids = %v", catalog, ids)
		}
	}
}

func TestEvalPlansUsesTheBuiltinsAndToleratesIdenticalDuplicates(t *testing.T) {
	tmp := t.TempDir()
	spec := `[{"name": "Conv", "description": "Convert an amount of money between currencies", "arguments": {"amount": {"type": "number"}}},
	          {"name": "Conv", "description": "Convert an amount of money between currencies", "arguments": {"amount": {"type": "number"}}}]`
	data := `[{"input": "what time is it in Asia/Tokyo", "output": [{"name": "current_time", "arguments": {"timezone": "Asia/Tokyo"}, "label": "var1"}]}]`
	if err := os.WriteFile(filepath.Join(tmp, "mini-spec.json"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "mini-data.json")
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "eval", "plans", "--offline", "--json", "--dataset", "nestful", "--data", file, "--verbose")
	if code != 0 {
		t.Fatalf("a spec listing one tool twice, identically, must load: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "identically") {
		t.Errorf("no warning about the duplicate: %q", stderr)
	}
	r := decodeOne(t, out)
	if r.Valid != 1 || len(r.Results) != 1 {
		t.Fatalf("the built-in current_time was not offered: %s", out)
	}
	code, _, _ = runCLI(t, "eval", "plans", "--offline", "--json", "--dataset", "nestful", "--data", file, "--builtins=false")
	if code != 0 {
		t.Fatal("--builtins=false failed")
	}
}
