package tool

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/planwise/planwise/internal/shareddata"
)

// sharedData returns ../shared/data, or skips the test when it is absent.
func sharedData(t testing.TB) string { return shareddata.Shared(t) }

func paramsByName(tl *Tool) map[string]Param {
	out := map[string]Param{}
	for _, p := range tl.Params() {
		out[p.Name] = p
	}
	return out
}

func mustGet(t *testing.T, r *Registry, name string) *Tool {
	t.Helper()
	tl, ok := r.Get(name)
	if !ok {
		t.Fatalf("tool %q not loaded; have %v", name, r.Names())
	}
	return tl
}

func TestLoadRealCatalogs(t *testing.T) {
	data := sharedData(t)
	tests := []struct {
		path      string
		source    string
		count     int
		tool      string
		params    []string // in order
		required  []string
		types     map[string]string
		enum      map[string][]string
		outFields []string
	}{
		{
			path: "taskbench/dailylifeapis/tool_desc.json", source: "taskbench:", count: 40,
			tool: "get_weather", params: []string{"location", "date"}, required: []string{"location", "date"},
			types: map[string]string{"location": "string", "date": "string"},
		},
		{
			path: "taskbench/multimedia/tool_desc.json", source: "taskbench:", count: 40,
			tool: "Image_Stitcher", params: []string{"image", "image_2"}, required: []string{"image", "image_2"},
			types: map[string]string{"image": "string"}, outFields: []string{"image"},
		},
		{
			path: "taskbench/huggingface/tool_desc.json", source: "taskbench:", count: 23,
			tool: "Automatic_Speech_Recognition", params: []string{"audio"}, required: []string{"audio"},
			outFields: []string{"text"},
		},
		{
			path: "nestful/executable-spec.json", source: "nestful:", count: 39,
			tool: "SkyScrapperFlightSearch", params: []string{"originSkyId", "destinationSkyId", "originEntityId", "destinationEntityId", "date", "returnDate", "cabinClass"},
			required:  []string{"originSkyId", "destinationSkyId", "originEntityId", "destinationEntityId", "date"},
			types:     map[string]string{"adults": "number", "date": "string"},
			enum:      map[string][]string{"cabinClass": {"economy", "premium_economy", "business", "first"}},
			outFields: []string{"flightId", "minPrice"},
		},
		{
			path: "nestful/non-executable-sgd-spec.json", source: "nestful:", count: 30,
			tool: "Buses.FindBus", params: []string{"origin", "destination", "departure_date", "fare_type", "group_size"},
			required:  []string{"origin", "destination", "departure_date"},
			types:     map[string]string{"group_size": "string"},
			enum:      map[string][]string{"fare_type": {"Economy", "Economy extra", "Flexible"}},
			outFields: []string{"origin_station_name", "price"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			path := filepath.Join(data, tc.path)
			tools, err := LoadPath(path)
			if err != nil {
				t.Fatalf("LoadPath: %v", err)
			}
			if len(tools) != tc.count {
				t.Fatalf("loaded %d tools, want %d", len(tools), tc.count)
			}
			r, err := NewRegistry(tools...)
			if err != nil {
				t.Fatalf("NewRegistry: %v", err)
			}
			for _, tl := range tools {
				if tl.RunKind() != RunSimulated {
					t.Errorf("%s: run kind %q, want simulated", tl.Name, tl.RunKind())
				}
				if !strings.HasPrefix(tl.Source, tc.source) || !strings.HasSuffix(tl.Source, path) {
					t.Errorf("%s: source %q, want %s%s", tl.Name, tl.Source, tc.source, path)
				}
				if tl.Description == "" {
					t.Errorf("%s: empty description", tl.Name)
				}
			}
			tl := mustGet(t, r, tc.tool)
			var got []string
			for _, p := range tl.Params() {
				got = append(got, p.Name)
			}
			if len(got) < len(tc.params) || !reflect.DeepEqual(got[:len(tc.params)], tc.params) {
				t.Errorf("params %v, want prefix %v", got, tc.params)
			}
			ps := paramsByName(tl)
			var req []string
			for _, p := range tl.Params() {
				if p.Required {
					req = append(req, p.Name)
				}
			}
			if !reflect.DeepEqual(req, tc.required) {
				t.Errorf("required %v, want %v", req, tc.required)
			}
			for name, typ := range tc.types {
				if ps[name].Type != typ {
					t.Errorf("param %s type %q, want %q", name, ps[name].Type, typ)
				}
			}
			for name, enum := range tc.enum {
				if !reflect.DeepEqual(ps[name].Enum, enum) {
					t.Errorf("param %s enum %v, want %v", name, ps[name].Enum, enum)
				}
			}
			out := r.OutputSchema(tc.tool)
			for _, f := range tc.outFields {
				if out == nil || out.At([]string{f}) == nil {
					t.Errorf("output schema lacks %q: %s", f, tl.OutputSchema)
				}
			}
		})
	}
}

// TestTaskBenchGoldArgsValidate checks that the gold arguments in TaskBench's labelled
// samples satisfy the imported input schemas (names, types, required-ness).
func TestTaskBenchGoldArgsValidate(t *testing.T) {
	data := sharedData(t)
	for _, domain := range []string{"dailylifeapis", "multimedia", "huggingface"} {
		t.Run(domain, func(t *testing.T) {
			tools, err := LoadPath(filepath.Join(data, "taskbench", domain, "tool_desc.json"))
			if err != nil {
				t.Fatal(err)
			}
			r, err := NewRegistry(tools...)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(data, "taskbench", domain, "data.sample.jsonl"))
			if err != nil {
				t.Skipf("no labelled sample: %v", err)
			}
			checked := 0
			for _, line := range bytes.Split(raw, []byte("\n")) {
				if len(bytes.TrimSpace(line)) == 0 {
					continue
				}
				var rec struct {
					TaskNodes []struct {
						Task      string            `json:"task"`
						Arguments []json.RawMessage `json:"arguments"`
					} `json:"task_nodes"`
				}
				if err := json.Unmarshal(line, &rec); err != nil {
					t.Fatal(err)
				}
				for _, n := range rec.TaskNodes {
					name := TaskBenchName(n.Task)
					tl := mustGet(t, r, name)
					args := map[string]any{}
					params := tl.Params()
					for i, a := range n.Arguments {
						var named struct {
							Name  string `json:"name"`
							Value any    `json:"value"`
						}
						if json.Unmarshal(a, &named) == nil && named.Name != "" {
							args[named.Name] = named.Value
							continue
						}
						// Positional (multimedia, huggingface): map by declared order.
						var v any
						if err := json.Unmarshal(a, &v); err != nil {
							t.Fatal(err)
						}
						if i >= len(params) {
							t.Fatalf("%s: gold has %d arguments, schema %d", name, len(n.Arguments), len(params))
						}
						args[params[i].Name] = v
					}
					if err := r.InputValidator(name).Validate(args); err != nil {
						t.Errorf("%s: gold args %v rejected: %v", name, args, err)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no gold nodes checked")
			}
		})
	}
}

func TestLoadTestdata(t *testing.T) {
	tests := []struct {
		file   string
		names  []string
		source string // prefix
		check  func(t *testing.T, r *Registry)
	}{
		{
			file: "weather.yaml", names: []string{"get_weather"}, source: "testdata",
			check: func(t *testing.T, r *Registry) {
				tl := mustGet(t, r, "get_weather")
				var got []string
				for _, p := range tl.Params() {
					got = append(got, p.Name)
				}
				if want := []string{"location", "date", "units"}; !reflect.DeepEqual(got, want) {
					t.Errorf("YAML property order lost: %v, want %v", got, want)
				}
				if p := paramsByName(tl)["units"]; p.Default != "metric" || !reflect.DeepEqual(p.Enum, []string{"metric", "imperial"}) {
					t.Errorf("units param = %+v", p)
				}
				if tl.RunKind() != RunHTTP || tl.Run.HTTP.URL != "https://weather.example.com/forecast" || !tl.Idempotent {
					t.Errorf("run/idempotent not decoded: %+v %v", tl.Run, tl.Idempotent)
				}
				if len(tl.Examples) != 1 || tl.Examples[0].Args["location"] != "Paris" {
					t.Errorf("examples = %+v", tl.Examples)
				}
				if r.OutputSchema("get_weather").At([]string{"temperature_c"}).PrimaryType() != "number" {
					t.Errorf("output schema not decoded: %s", tl.OutputSchema)
				}
			},
		},
		{
			file: "messaging.json", names: []string{"notify", "send_email"}, source: "testdata",
			check: func(t *testing.T, r *Registry) {
				if p := paramsByName(mustGet(t, r, "send_email"))["to"]; p.Format != "email" || !p.Required {
					t.Errorf("parameters alias not honoured: %+v", p)
				}
				if tl := mustGet(t, r, "notify"); tl.RunKind() != RunMCP || tl.Run.MCP.Tool != "push" {
					t.Errorf("run = %+v", tl.Run)
				}
			},
		},
		{
			file: "openai_tools.json", names: []string{"convert_currency", "get_stock_price", "list_holidays"}, source: "openai:",
			check: func(t *testing.T, r *Registry) {
				if p := paramsByName(mustGet(t, r, "get_stock_price"))["symbol"]; !p.Required || p.Description != "Ticker, e.g. AAPL" {
					t.Errorf("symbol = %+v", p)
				}
				if got := r.InputSchema("list_holidays").PrimaryType(); got != "object" {
					t.Errorf("empty parameters should become an object schema, got %q", got)
				}
				if len(mustGet(t, r, "convert_currency").Params()) != 3 {
					t.Error("bare function form not imported")
				}
			},
		},
		{
			file: "taskbench_small.json", names: []string{"Image_Stitcher", "Sentence_Similarity", "get_weather"}, source: "taskbench:",
			check: func(t *testing.T, r *Registry) {
				ps := paramsByName(mustGet(t, r, "get_weather"))
				if d := ps["date"]; d.Type != "string" || d.Format != "" || !strings.Contains(d.Description, "date") {
					t.Errorf("date param = %+v", d)
				}
				if got := len(mustGet(t, r, "Image_Stitcher").Params()); got != 2 {
					t.Errorf("Image_Stitcher has %d params, want 2", got)
				}
				if r.OutputSchema("Sentence_Similarity") != nil {
					t.Error("a node without output types should have no output schema")
				}
				if !strings.Contains(mustGet(t, r, "Image_Stitcher").Description, `"Image Stitcher"`) {
					t.Error("renamed tool should name its TaskBench id in the description")
				}
				if err := r.InputValidator("get_weather").Validate(map[string]any{"location": "Paris"}); err == nil {
					t.Error("TaskBench parameters must all be required")
				}
			},
		},
		{
			file: "nestful_small.json", names: []string{"ProductSearch", "RentalCars.GetCarsAvailable", "UserPosts"}, source: "nestful:",
			check: func(t *testing.T, r *Registry) {
				ps := paramsByName(mustGet(t, r, "ProductSearch"))
				want := map[string]Param{
					"q":       {Name: "q", Type: "string", Description: "Query", Required: true},
					"page":    {Name: "page", Type: "number", Description: "Page", Default: float64(1)},
					"sort_by": {Name: "sort_by", Type: "string", Description: "Sort order", Enum: []string{"BEST_MATCH", "LOWEST_PRICE"}},
					"since":   {Name: "since", Type: "string", Format: "date", Description: "Listed since"},
					"used":    {Name: "used", Type: "boolean", Description: "Used items"},
					"stars":   {Name: "stars", Type: "number", Description: "Minimum stars", Enum: []string{"3", "4", "5"}},
				}
				for n, w := range want {
					if !reflect.DeepEqual(ps[n], w) {
						t.Errorf("param %s = %+v, want %+v", n, ps[n], w)
					}
				}
				v := r.InputValidator("ProductSearch")
				if err := v.Validate(map[string]any{"q": "lamp", "page": 101.0}); err == nil {
					t.Error(`allowed_values "1-100" should bound page`)
				}
				out := r.OutputSchema("ProductSearch")
				if out.At([]string{"products", "0", "price"}).PrimaryType() != "number" || out.At([]string{"products", "0", "id"}).PrimaryType() != "string" {
					t.Errorf("nested output schema not mapped: %s", mustGet(t, r, "ProductSearch").OutputSchema)
				}
				cars := paramsByName(mustGet(t, r, "RentalCars.GetCarsAvailable"))
				if c := cars["car_type"]; c.Default != "Standard" || len(c.Enum) != 3 || c.Required {
					t.Errorf("car_type = %+v", c)
				}
				if c := cars["city"]; c.Enum != nil || !c.Required || c.Type != "string" {
					t.Errorf("city = %+v (an empty allowed_values list is no constraint)", c)
				}
				// A tool that marks only its optional parameters leaves the others required.
				posts := paramsByName(mustGet(t, r, "UserPosts"))
				if !posts["username_or_id"].Required || posts["cursor"].Required {
					t.Errorf("UserPosts params = %+v, want username_or_id required, cursor optional", posts)
				}
			},
		},
		{
			file: "dir", names: []string{"tool_a", "tool_b"}, source: "testdata",
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			tools, err := LoadPath(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatalf("LoadPath: %v", err)
			}
			r, err := NewRegistry(tools...)
			if err != nil {
				t.Fatalf("NewRegistry: %v", err)
			}
			if !reflect.DeepEqual(r.Names(), tc.names) {
				t.Fatalf("names %v, want %v", r.Names(), tc.names)
			}
			for _, tl := range tools {
				if !strings.HasPrefix(tl.Source, tc.source) {
					t.Errorf("%s: source %q, want prefix %q", tl.Name, tl.Source, tc.source)
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestLoadPathsDuplicateAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	b := filepath.Join(dir, "b.json")
	writeFile(t, a, "name: send_email\ndescription: one\n")
	writeFile(t, b, `{"name": "send_email", "description": "two"}`)
	_, err := LoadPaths(a, b)
	var te *Error
	if !errors.As(err, &te) {
		t.Fatalf("want *Error, got %v", err)
	}
	if te.File != b || te.Tool != "send_email" || te.Field != "name" || !strings.Contains(te.Message, a) || te.Fix == "" {
		t.Errorf("duplicate error = %+v", te)
	}
	// The same file twice in one directory listing is caught too.
	writeFile(t, filepath.Join(dir, "c.yml"), "name: send_email\ndescription: three\n")
	if _, err := LoadPath(dir); err == nil || !strings.Contains(err.Error(), "duplicate tool name") {
		t.Errorf("LoadPath(dir) = %v, want a duplicate error", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadErrors checks that malformed files give errors naming the file, the tool (or
// its index) and the field, with a fix.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		tool    string
		field   string
		want    []string // substrings of the full message
	}{
		{
			name:    "yaml syntax",
			content: "name: a\ndescription: x\ninput_schema:\n  type: object\n   properties: {}\n",
			want:    []string{"YAML: line 4, column 9: mapping value is not allowed", "fix:"},
		},
		{
			name:    "json syntax",
			content: "{\n  \"name\": \"a\",\n  \"description\": \"x\"\n  \"input_schema\": {}\n}\n",
			want:    []string{"JSON: line 4, column 3: invalid character", "fix:"},
		},
		{
			name:    "json truncated",
			content: `[{"name": "a", "description": "x"`,
			want:    []string{"JSON: line 1", "unexpected end", "fix:"},
		},
		{
			name:    "missing name",
			content: "tools:\n  - description: nameless\n",
			field:   "tools[0].name", want: []string{"tool without a name", `add "name"`},
		},
		{
			name:    "unknown field",
			content: "name: a\ndescription: x\ninput_shema: {type: object}\n",
			tool:    "a", field: "input_shema", want: []string{"unknown field", `did you mean "input_schema"?`},
		},
		{
			name:    "wrong field type",
			content: "name: a\ndescription: x\nidempotent: sometimes\n",
			tool:    "a", field: "idempotent", want: []string{"expected true or false, got a JSON string"},
		},
		{
			name:    "schema does not compile",
			content: "name: a\ndescription: x\ninput_schema: {type: object, properties: {n: {type: integr}}}\n",
			tool:    "a", field: "input_schema", want: []string{"invalid JSON Schema: at /properties/n/type: value must be one of", "fix:"},
		},
		{
			name:    "schema not an object type",
			content: "name: a\ndescription: x\ninput_schema: {type: string}\n",
			tool:    "a", field: "input_schema.type", want: []string{"must describe an object"},
		},
		{
			name:    "schema not an object",
			content: "name: a\ndescription: x\ninput_schema: [1, 2]\n",
			tool:    "a", field: "input_schema", want: []string{"must be a JSON Schema object, got a array"},
		},
		{
			name:    "invalid name",
			content: "name: send email\ndescription: x\n",
			tool:    "send email", field: "name", want: []string{"invalid tool name", "fix:"},
		},
		{
			name:    "both input_schema and parameters",
			content: "name: a\ndescription: x\ninput_schema: {type: object}\nparameters: {type: object}\n",
			tool:    "a", field: "parameters", want: []string{"keep only one"},
		},
		{
			name:    "unknown run kind",
			content: "name: a\ndescription: x\nrun: {kind: shell}\n",
			tool:    "a", field: "run.kind", want: []string{`unknown run kind "shell"`},
		},
		{
			name:    "taskbench parameter without a name",
			content: `{"nodes": [{"id": "get_weather", "desc": "d", "parameters": [{"type": "string", "desc": "x"}]}]}`,
			tool:    "get_weather", field: "parameters[0].name", want: []string{"parameter without a name"},
		},
		{
			name:    "nestful parameters not an object",
			content: `[{"name": "Svc.Do", "description": "d", "arguments": "city"}]`,
			tool:    "Svc.Do", field: "arguments", want: []string{"must be an object keyed by parameter name"},
		},
		{
			name:    "openai non-function tool",
			content: `[{"type": "web_search"}]`,
			field:   "[0].type", want: []string{"only function tools"},
		},
		{
			name:    "scalar document",
			content: "42\n",
			want:    []string{"expected a tool object or a list of tools, got a number"},
		},
		{
			name:    "empty file",
			content: "  \n",
			want:    []string{"file is empty"},
		},
		{
			name:    "duplicate in one file",
			content: "- {name: a, description: x}\n- {name: a, description: y}\n",
			tool:    "a", field: "name", want: []string{"duplicate tool name"},
		},
		{
			name:    "trailing JSON",
			content: "{\"name\": \"a\", \"description\": \"x\"}\n}\n",
			want:    []string{"JSON: line 2, column", "unexpected content after the top-level value"},
		},
		{
			name:    "duplicate JSON key",
			content: `[{"name": "a", "description": "x", "description": "y"}]`,
			tool:    "a", field: "description", want: []string{"key given twice"},
		},
		{
			name:    "duplicate yaml key",
			content: "name: a\nname: b\ndescription: x\n",
			want:    []string{"duplicate", `"name"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tools.yaml")
			writeFile(t, path, tc.content)
			tools, err := LoadPath(path)
			if err == nil {
				t.Fatalf("no error; loaded %d tools", len(tools))
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, path+": ") {
				t.Errorf("error does not start with the file name: %s", msg)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error is not a *tool.Error: %T %v", err, err)
			}
			if te.File != path {
				t.Errorf("File = %q, want %q", te.File, path)
			}
			if te.Tool != tc.tool {
				t.Errorf("Tool = %q, want %q (%s)", te.Tool, tc.tool, msg)
			}
			if te.Field != tc.field {
				t.Errorf("Field = %q, want %q (%s)", te.Field, tc.field, msg)
			}
			if te.Fix == "" {
				t.Errorf("no fix in %s", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
}

// TestLoadReportsAllProblems checks that one load reports every problem in a file: those
// found while parsing and those found compiling the tools that did parse.
func TestLoadReportsAllProblems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tools.yaml")
	writeFile(t, path, `
- name: a
  description: bad schema
  input_schema: {type: object, properties: {n: {type: integr}}}
- description: nameless
- name: b
  descripton: typo
- name: c
  description: fine
`)
	_, err := LoadPath(path)
	if err == nil {
		t.Fatal("no error")
	}
	multi, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("want joined errors, got %T", err)
	}
	var flat []*Error
	var walk func(error)
	walk = func(e error) {
		if m, ok := e.(interface{ Unwrap() []error }); ok {
			for _, s := range m.Unwrap() {
				walk(s)
			}
			return
		}
		var te *Error
		if !errors.As(e, &te) {
			t.Fatalf("not a *tool.Error: %v", e)
		}
		flat = append(flat, te)
	}
	walk(multi.(error))
	got := map[string]bool{}
	for _, te := range flat {
		got[te.Tool+"|"+te.Field] = true
	}
	for _, want := range []string{"|[1].name", "b|descripton", "a|input_schema"} {
		if !got[want] {
			t.Errorf("missing problem %s in %v", want, err)
		}
	}
	if len(flat) != 3 {
		t.Errorf("%d problems reported, want 3: %v", len(flat), err)
	}
}

// TestLoadDirFollowsLinks checks a directory laid out as Kubernetes mounts a ConfigMap:
// visible names are links into a hidden directory.
func TestLoadDirFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "..data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(data, "tools.yaml"), "name: linked\ndescription: Reached through a link.\n")
	if err := os.Symlink(filepath.Join("..data", "tools.yaml"), filepath.Join(dir, "tools.yaml")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	tools, err := LoadPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(tools) != 1 || tools[0].Name != "linked" {
		t.Fatalf("tools = %v", tools)
	}
}

func TestLoadPathErrors(t *testing.T) {
	if _, err := LoadPath(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "notes.txt"), "hello")
	if _, err := LoadPath(empty); err == nil || !strings.Contains(err.Error(), "no tool files") {
		t.Errorf("empty dir: %v", err)
	}
}

func TestParseForcedFormat(t *testing.T) {
	doc := []byte(`[{"name": "a", "description": "x", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}]`)
	for _, f := range []Format{FormatAuto, FormatPlanwise, FormatOpenAI} {
		tools, err := Parse(doc, "f.json", f)
		if err != nil || len(tools) != 1 || len(tools[0].Params()) != 1 {
			t.Errorf("format %s: %v %v", f, tools, err)
		}
	}
	if _, err := Parse(doc, "f.json", FormatTaskBench); err == nil {
		t.Error("a list without ids is not a TaskBench catalog")
	}
	tb := []byte(`{"nodes": [{"id": "a", "desc": "b", "parameters": []}]}`)
	if _, err := Parse(tb, "tb.json", FormatNESTFUL); err == nil || !strings.Contains(err.Error(), "looks like a taskbench file") ||
		!strings.Contains(err.Error(), "--format taskbench") {
		t.Errorf("forced wrong format should name the detected one: %v", err)
	}
	if _, err := Parse(doc, "f.json", Format("csv")); err == nil || !strings.Contains(err.Error(), "unknown tool file format") {
		t.Errorf("unknown format: %v", err)
	}
	if f, err := ParseFormat("NESTFUL"); err != nil || f != FormatNESTFUL {
		t.Errorf("ParseFormat: %v %v", f, err)
	}
}

func TestTaskBenchNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"get_weather", "get_weather"},
		{"Token Classification", "Token_Classification"},
		{"Text-to-Speech", "Text-to-Speech"},
		{"3D Render", "_3D_Render"},
		{"Visual Question Answering", "Visual_Question_Answering"},
	}
	for _, tc := range tests {
		if got := TaskBenchName(tc.in); got != tc.want || !ValidName(got) {
			t.Errorf("TaskBenchName(%q) = %q, want %q (valid)", tc.in, got, tc.want)
		}
	}
	types := []string{"image", "text", "Image", "image"}
	var got []string
	for i := range types {
		got = append(got, TaskBenchArgName(types, i))
	}
	if want := []string{"image", "text", "image_2", "image_3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("TaskBenchArgName = %v, want %v", got, want)
	}
}

// tools validate judges files as loading them does (LoadPaths, what plan and serve use):
// a tool defined identically twice, in one file or in two, is noted and the file stays
// OK, since it loads with the copy dropped; defined differently, it is a problem.
func TestValidateFilesDuplicatesAsLoadingJudgesThem(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	same := filepath.Join(dir, "same.yaml")
	twice := filepath.Join(dir, "twice.yaml")
	other := filepath.Join(dir, "other.yaml")
	writeFile(t, a, "name: feed_fish\ndescription: Feed the fish\n")
	writeFile(t, same, "name: feed_fish\ndescription: Feed the fish\n")
	writeFile(t, twice, "- {name: lock_door, description: Lock a door}\n- {name: lock_door, description: Lock a door}\n")
	writeFile(t, other, "name: feed_fish\ndescription: Feed the cat\n")
	if _, err := LoadPaths(a, same, twice); err != nil {
		t.Fatalf("LoadPaths of identical copies: %v", err)
	}
	reports, failed := ValidateFiles([]string{a, same, twice, other})
	if failed != 1 || len(reports) != 4 {
		t.Fatalf("failed %d of %d; want only %s to fail: %+v", failed, len(reports), other, reports)
	}
	for i, want := range []string{"", "defined identically in " + a, "defined twice, identically", ""} {
		notes := strings.Join(reports[i].Notes, "\n")
		if !reports[i].OK && i != 3 || want != "" && !strings.Contains(notes, want) {
			t.Errorf("%s: OK %v, notes %q; want OK and a note with %q", reports[i].File, reports[i].OK, notes, want)
		}
	}
	if r := reports[3]; r.OK || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "different definition (also defined in "+a+")") {
		t.Errorf("%s: %+v; want the different definition refused", other, r)
	}
}

// TestCommaCutYAMLValueIsNoted: {type: string, description: the room, e.g. living room
// or bedroom} is the description "the room" and a key "e.g. living room or bedroom"
// with no value, which JSON Schema ignores: the file loads with a description cut
// short, silently. Loading notes it, naming the field and the fix; a quoted value is
// no note.
func TestCommaCutYAMLValueIsNoted(t *testing.T) {
	dir := t.TempDir()
	write := func(name, desc string) string {
		p := filepath.Join(dir, name)
		body := "tools:\n  - name: set_thermostat\n    description: Set a room's thermostat\n    input_schema:\n      type: object\n      properties:\n        room: {type: string, description: " + desc + "}\n      required: [room]\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var notes []*Error
	if _, err := LoadPathsWarn(func(e *Error) { notes = append(notes, e) }, write("cut.yaml", "the room, e.g. living room or bedroom")); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0].Field != "input_schema.properties.room" || !strings.Contains(notes[0].Message, `"e.g. living room or bedroom"`) || !strings.Contains(notes[0].Fix, "quote") {
		t.Fatalf("notes = %+v, want one naming the room's cut description and the fix", notes)
	}
	notes = nil
	if _, err := LoadPathsWarn(func(e *Error) { notes = append(notes, e) }, write("quoted.yaml", `"the room, e.g. living room or bedroom"`)); err != nil || len(notes) != 0 {
		t.Fatalf("quoted description: err %v, notes %+v, want none", err, notes)
	}
}

// A tool without a description loads, with a warning naming the field and the fix, but
// tools validate calls its file invalid: no request is planned with it (issue 14:
// {"tools":[{"name":"x"}]} was "OK"). A tool with no input schema needs none.
func TestUndescribedToolIsAProblem(t *testing.T) {
	dir := t.TempDir()
	bare := filepath.Join(dir, "bare.json")
	writeFile(t, bare, `{"tools":[{"name":"x"}]}`)
	blank := filepath.Join(dir, "blank.yaml")
	writeFile(t, blank, "- {name: y, description: \"  \"}\n- {name: now, description: Tell the current time}\n")
	var warned []*Error
	tools, err := LoadPathsWarn(func(e *Error) { warned = append(warned, e) }, bare, blank)
	if err != nil || len(tools) != 3 {
		t.Fatalf("LoadPathsWarn: %d tools, %v; want all 3 loaded", len(tools), err)
	}
	if len(warned) != 2 || warned[0].Tool != "x" || warned[1].Tool != "y" || warned[0].Field != "description" || warned[0].Fix == "" {
		t.Fatalf("warnings %+v; want one for x and one for y, on description, with a fix", warned)
	}
	reports, failed := ValidateFiles([]string{bare, blank})
	if failed != 2 {
		t.Fatalf("failed %d; want both files invalid: %+v", failed, reports)
	}
	for i, name := range []string{"x", "y"} {
		r := reports[i]
		if r.OK || len(r.Errors) != 1 || r.Errors[0].Tool != name || r.Errors[0].Field != "description" || len(r.Notes) != 0 {
			t.Errorf("%s: %+v; want one description problem for %s and no note", r.File, r, name)
		}
	}
	var b strings.Builder
	WriteValidation(&b, reports)
	if want := "FAIL  " + bare + ": 1 problem\n  - tool \"x\": description: is empty"; !strings.Contains(b.String(), want) {
		t.Errorf("WriteValidation:\n%s\nwant %q", b.String(), want)
	}
}

// TestParseMCPToolsList: an MCP server's tools/list result, as a user would save it,
// was refused ("inputSchema: unknown field"). Its schemas are taken under MCP's
// names; its display title, annotations and _meta are accepted and unused; a schema
// given under both names is an error.
func TestParseMCPToolsList(t *testing.T) {
	data := []byte(`{"tools": [
	  {"name": "crew_assign", "title": "Assign crew", "description": "Assign a crew to a site for a day.",
	   "inputSchema": {"type": "object", "properties": {"crew": {"type": "string"}, "date": {"type": "string", "format": "date"}}, "required": ["crew", "date"]},
	   "outputSchema": {"type": "object", "properties": {"assignment_id": {"type": "string"}}},
	   "annotations": {"readOnlyHint": false, "idempotentHint": false}, "_meta": {"vendor": "x"}},
	  {"name": "weather_forecast", "description": "Weather forecast for a site.",
	   "inputSchema": {"type": "object", "properties": {"site": {"type": "string"}}, "required": ["site"]}}
	]}`)
	ts, err := Parse(data, "mcp.json", FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "crew_assign" || ts[1].Name != "weather_forecast" {
		t.Fatalf("got %d tools: %v", len(ts), ts)
	}
	if ps := ts[0].Params(); len(ps) != 2 || ps[0].Name != "crew" || !ps[0].Required || ps[1].Format != "date" {
		t.Errorf("crew_assign params: %+v", ps)
	}
	if !strings.Contains(string(ts[0].OutputSchema), "assignment_id") {
		t.Errorf("crew_assign output schema: %s", ts[0].OutputSchema)
	}
	if _, err := NewRegistry(ts...); err != nil {
		t.Errorf("registry: %v", err)
	}
	// The response saved whole, JSON-RPC envelope and next page cursor included.
	envelope := []byte(`{"jsonrpc": "2.0", "id": 1, "result": ` + strings.TrimSpace(string(data[:len(data)-1])) + `, "nextCursor": "p2"}}`)
	if ts, err := Parse(envelope, "mcp-response.json", FormatAuto); err != nil || len(ts) != 2 {
		t.Errorf("the tools/list response as sent: %d tools, %v", len(ts), err)
	}
	_, err = Parse([]byte(`{"name": "a", "description": "x", "input_schema": {"type": "object"}, "inputSchema": {"type": "object"}}`), "both.json", FormatAuto)
	if err == nil || !strings.Contains(err.Error(), "inputSchema") || !strings.Contains(err.Error(), "set twice") {
		t.Errorf("a schema under both names: %v, want an error saying it is set twice", err)
	}
}
