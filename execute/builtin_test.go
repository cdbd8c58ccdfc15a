package execute_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/tool"
)

func TestCalculate(t *testing.T) {
	ok := []struct {
		expr string
		want float64
	}{
		{"1 + 2 * 3", 7},
		{"(1 + 2) * 3", 9},
		{"240 * 15 / 100", 36},
		{"(12.5 + 7) * 3", 58.5},
		{"2 ^ 3 ^ 2", 512},
		{"-2 ^ 2", -4},
		{"2 ^ -1", 0.5},
		{"2 ** 10", 1024},
		{"10 % 4", 2},
		{"--3", 3},
		{"sqrt(16) + abs(-2)", 6},
		{"round(2.345, 2)", 2.35},
		{"round(2.5)", 3},
		{"floor(2.7) + ceil(2.1)", 5},
		{"min(3, 1, 2) + max(4, 9)", 10},
		{"1e3 + 1_000", 2000},
		{"pi", math.Pi},
		{"sqrt(2) ^ 2", 2.0000000000000004},
	}
	for _, c := range ok {
		got, err := execute.Calculate(c.expr)
		if err != nil || got != c.want {
			t.Errorf("%q = %v, %v; want %v", c.expr, got, err, c.want)
		}
	}
	bad := []struct{ expr, msg string }{
		{"1 / 0", "division by zero"},
		{"5 % 0", "division by zero"},
		{"sqrt(-1)", "negative"},
		{"1 +", "unexpected end"},
		{"(1 + 2", "expected ')'"},
		{"os.exit(1)", "unknown name"},
		{"system(1)", "unknown function"},
		{"1 2", "unexpected number"},
		{"max()", "at least 1"},
		{"10 ^ 400", "not a finite"},
		{"1.2.3", "not a number"},
		{strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100), "nested"},
		{strings.Repeat("1+", 3000) + "1", "at most"},
		{"", "unexpected end"},
	}
	for _, c := range bad {
		if v, err := execute.Calculate(c.expr); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%.40q = %v, %v; want error containing %q", c.expr, v, err, c.msg)
		}
	}
}

func FuzzCalculate(f *testing.F) {
	for _, s := range []string{"1+2", "(3*4)^2", "round(1.5, 1)", "-(-(1))", "max(1,2,3)/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := execute.Calculate(s)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("%q = %v without error", s, v)
		}
	})
}

func runBuiltin(t *testing.T, r execute.Runner, name string, args map[string]any) (any, error) {
	t.Helper()
	return r.Run(context.Background(), builtinTool(t, name), args)
}

func TestJSONExtract(t *testing.T) {
	r := execute.NewBuiltinRunner(execute.NetPolicy{}, 0)
	doc := `{"items":[{"name":"a","tags":["x","y"]},{"name":"b"}],"a.b":{"c":1},"n":null}`
	cases := []struct {
		json  any
		path  string
		value string
		found bool
	}{
		{doc, "items.0.name", "a", true},
		{doc, "$.items[1].name", "b", true},
		{doc, "$.items[0].tags[1]", "y", true},
		{doc, `["a.b"].c`, "1", true},
		{doc, "items.5.name", "<nil>", false},
		{doc, "nope", "<nil>", false},
		{doc, "n", "<nil>", true},
		{doc, "$", "map[a.b:map[c:1] items:[map[name:a tags:[x y]] map[name:b]] n:<nil>]", true},
		{map[string]any{"k": []any{"v"}}, "k[0]", "v", true},
		{"[1,2,3]", "[2]", "3", true},
	}
	for _, c := range cases {
		out, err := runBuiltin(t, r, tool.BuiltinJSONExtract, map[string]any{"json": c.json, "path": c.path})
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		m := out.(map[string]any)
		if fmt.Sprint(m["value"]) != c.value || m["found"] != c.found {
			t.Errorf("%s: %v, want %s found=%v", c.path, m, c.value, c.found)
		}
	}
	var ae *execute.ArgError
	if _, err := runBuiltin(t, r, tool.BuiltinJSONExtract, map[string]any{"json": "{not json", "path": "a"}); !errors.As(err, &ae) {
		t.Errorf("invalid JSON text: %v", err)
	}
	if _, err := runBuiltin(t, r, tool.BuiltinJSONExtract, map[string]any{"json": doc, "path": "items[x"}); !errors.As(err, &ae) {
		t.Errorf("bad path: %v", err)
	}
}

func TestRenderTemplate(t *testing.T) {
	r := execute.NewBuiltinRunner(execute.NetPolicy{}, 0)
	out, err := runBuiltin(t, r, tool.BuiltinRenderTemplate, map[string]any{
		"template": "Hi {{.name}}: {{range .items}}[{{.}}]{{end}} {{if gt .n 2.0}}many{{end}}",
		"values":   map[string]any{"name": "Bob", "items": []any{"a", "b"}, "n": 3.0},
	})
	if err != nil || out.(map[string]any)["text"] != "Hi Bob: [a][b] many" {
		t.Fatalf("%v %v", out, err)
	}
	var ae *execute.ArgError
	for _, c := range []struct{ tmpl, msg string }{
		{"{{.missing}}", "missing"},
		{"{{.x", "unclosed"},
		{"{{range 100000000}}{{end}}", "at most"},
		{`{{template "x"}}`, "not defined"},
	} {
		_, err := runBuiltin(t, r, tool.BuiltinRenderTemplate, map[string]any{"template": c.tmpl, "values": map[string]any{"x": 1}})
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: %v, want ArgError containing %q", c.tmpl, err, c.msg)
		}
	}
	// Output bound: 10k iterations of 200 bytes exceed 1 MiB.
	_, err = runBuiltin(t, r, tool.BuiltinRenderTemplate, map[string]any{"template": "{{range 10000}}" + strings.Repeat("x", 200) + "{{end}}"})
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("output bound: %v", err)
	}
}

func TestTimeBuiltins(t *testing.T) {
	fixed := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC) // Sunday; Paris switches to summer time at 01:00 UTC
	r := &execute.BuiltinRunner{Now: func() time.Time { return fixed }}
	out, err := runBuiltin(t, r, tool.BuiltinCurrentTime, map[string]any{"timezone": "Asia/Tokyo"})
	if err != nil {
		t.Fatal(err)
	}
	want := "map[date:2026-03-29 iso:2026-03-29T09:30:00+09:00 timezone:Asia/Tokyo unix:1774744200 weekday:Sunday]"
	if fmt.Sprint(out) != want {
		t.Errorf("current_time: %v\nwant %s", out, want)
	}
	if out, _ := runBuiltin(t, r, tool.BuiltinCurrentTime, map[string]any{}); out.(map[string]any)["timezone"] != "UTC" {
		t.Errorf("default zone: %v", out)
	}
	var ae *execute.ArgError
	if _, err := runBuiltin(t, r, tool.BuiltinCurrentTime, map[string]any{"timezone": "Mars/Olympus"}); !errors.As(err, &ae) {
		t.Errorf("unknown zone: %v", err)
	}
	out, err = runBuiltin(t, r, tool.BuiltinConvertTime, map[string]any{"time": "2026-03-01T15:00:00Z", "timezone": "America/New_York"})
	if err != nil || out.(map[string]any)["iso"] != "2026-03-01T10:00:00-05:00" {
		t.Errorf("convert_time: %v %v", out, err)
	}
	for _, c := range []struct{ time, dur, want string }{
		{"2026-03-01T15:00:00Z", "90m", "2026-03-01T16:30:00Z"},
		{"2026-03-01", "3d", "2026-03-04T00:00:00Z"},
		{"2026-03-01T15:00:00+01:00", "-1d", "2026-02-28T15:00:00+01:00"},
		{"2026-03-01T15:00:00Z", "-2h", "2026-03-01T13:00:00Z"},
	} {
		out, err := runBuiltin(t, r, tool.BuiltinAddDuration, map[string]any{"time": c.time, "duration": c.dur})
		if err != nil || out.(map[string]any)["iso"] != c.want {
			t.Errorf("add_duration %s %s: %v %v, want %s", c.time, c.dur, out, err, c.want)
		}
	}
	if _, err := runBuiltin(t, r, tool.BuiltinAddDuration, map[string]any{"time": "yesterday", "duration": "1h"}); !errors.As(err, &ae) {
		t.Errorf("bad time: %v", err)
	}
}

// TestBuiltinCatalogImplemented: every tool of tool.Builtins has an implementation.
func TestBuiltinCatalogImplemented(t *testing.T) {
	r := execute.NewBuiltinRunner(execute.NetPolicy{}, 0)
	for _, b := range tool.Builtins() {
		_, err := r.Run(context.Background(), b, map[string]any{})
		if errors.Is(err, execute.ErrNoRunner) {
			t.Errorf("built-in %s has no implementation", b.Name)
		}
	}
}

// TestBuiltinsInAPlan chains built-ins through references in one run.
func TestBuiltinsInAPlan(t *testing.T) {
	reg := mustRegistry(t, tool.Builtins()...)
	ex := execute.New(reg)
	defer ex.Close()
	p := mustPlan(t, `{"steps":[
		{"id":"s1","tool":"json_extract","args":{"json":"{\"order\":{\"qty\":4,\"price\":2.5}}","path":"order"}},
		{"id":"s2","tool":"calculate","args":{"expression":"${s1.value.qty} * ${s1.value.price}"}},
		{"id":"s3","tool":"render_template","args":{"template":"Total: {{.total}}","values":{"total":"${s2.result}"}},"if":"s2.result > 5"}]}`)
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
	if got := step(t, res, "s3").Output; fmt.Sprint(got) != "map[text:Total: 10]" {
		t.Errorf("s3 %v", got)
	}
	if step(t, res, "s2").Simulated {
		t.Error("a built-in reported as simulated")
	}
}

func FuzzJSONExtract(f *testing.F) {
	for _, s := range []string{"items.0.name", "$.a[0]", `["a.b"].c`, "$", "a..b", "[", "[x]", "a[0]b"} {
		f.Add(`{"items":[{"name":"a"}],"a":[1],"a.b":{"c":2}}`, s)
	}
	r := execute.NewBuiltinRunner(execute.NetPolicy{}, 0)
	jt := &tool.Tool{Name: tool.BuiltinJSONExtract, Run: &tool.RunSpec{Kind: tool.RunBuiltin, Builtin: tool.BuiltinJSONExtract}}
	f.Fuzz(func(t *testing.T, doc, path string) {
		out, err := r.Run(context.Background(), jt, map[string]any{"json": doc, "path": path})
		if err != nil {
			var ae *execute.ArgError
			if !errors.As(err, &ae) {
				t.Fatalf("error that is not an ArgError: %v", err)
			}
			return
		}
		m := out.(map[string]any)
		if found, ok := m["found"].(bool); !ok || (!found && m["value"] != nil) {
			t.Fatalf("inconsistent output %v", m)
		}
	})
}
