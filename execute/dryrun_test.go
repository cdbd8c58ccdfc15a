package execute_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/tool"
)

// TestSimulatedOutputs: declared outputs win, generated outputs follow the schema and are
// deterministic per tool and arguments, and schema-less tools echo their call.
func TestSimulatedOutputs(t *testing.T) {
	sim := execute.SimulatedRunner{}
	ctx := context.Background()
	declared := &tool.Tool{Name: "d", Run: &tool.RunSpec{Kind: tool.RunSimulated, Output: map[string]any{"temp": 3}}}
	if out, _ := sim.Run(ctx, declared, nil); fmt.Sprint(out) != "map[temp:3]" {
		t.Errorf("declared: %v", out)
	}
	schema := &tool.Tool{Name: "weather", OutputSchema: json.RawMessage(`{"type":"object","properties":{
		"summary":{"type":"string"},"temperature_c":{"type":"number"},"count":{"type":"integer"},"ok":{"type":"boolean"},
		"date":{"type":"string","format":"date"},"email":{"type":"string"},"level":{"enum":["low","high"]},
		"alerts":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"}}}}}}`)}
	a, _ := sim.Run(ctx, schema, map[string]any{"city": "Paris"})
	b, _ := sim.Run(ctx, schema, map[string]any{"city": "Paris"})
	c, _ := sim.Run(ctx, schema, map[string]any{"city": "Oslo"})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("not deterministic: %v vs %v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("different arguments gave the same output %v", a)
	}
	m := a.(map[string]any)
	checks := map[string]func(any) bool{
		"summary":       func(v any) bool { _, ok := v.(string); return ok },
		"temperature_c": func(v any) bool { _, ok := v.(float64); _, ok2 := v.(int64); return ok || ok2 },
		"count":         func(v any) bool { _, ok := v.(int64); return ok },
		"ok":            func(v any) bool { _, ok := v.(bool); return ok },
		"date":          func(v any) bool { s, _ := v.(string); return len(s) == 10 && s[4] == '-' },
		"email":         func(v any) bool { s, _ := v.(string); return len(s) > 3 && s[len(s)-12:] == "@example.com" },
		"level":         func(v any) bool { return v == "low" || v == "high" },
		"alerts": func(v any) bool {
			l, ok := v.([]any)
			if !ok || len(l) < 1 || len(l) > 3 {
				return false
			}
			_, ok = l[0].(map[string]any)["title"].(string)
			return ok
		},
	}
	for k, ok := range checks {
		if !ok(m[k]) {
			t.Errorf("%s = %#v does not fit the schema", k, m[k])
		}
	}
	bare := &tool.Tool{Name: "bare"}
	if out, _ := sim.Run(ctx, bare, map[string]any{"x": 1}); fmt.Sprint(out) != "map[args:map[x:1] ok:true tool:bare]" {
		t.Errorf("bare: %v", out)
	}
}

// TestDryRunPlaceholders: in a dry run a reference to a field the simulation did not
// invent yields a placeholder of the consumer's type, and conditions on simulated outputs
// that cannot be evaluated follow the branch.
func TestDryRunPlaceholders(t *testing.T) {
	src := &tool.Tool{Name: "src", Description: "src", InputSchema: json.RawMessage(`{"type":"object"}`)}
	dst := &tool.Tool{Name: "dst", Description: "dst", InputSchema: json.RawMessage(`{"type":"object","properties":{
		"n":{"type":"integer"},"s":{"type":"string"},"l":{"type":"array","items":{"type":"string"}}}}`)}
	reg := mustRegistry(t, src, dst)
	ex := execute.New(reg)
	res := ex.Run(context.Background(), mustPlan(t, `{"steps":[
		{"id":"s1","tool":"src","args":{}},
		{"id":"s2","tool":"dst","args":{"n":"${s1.count}","s":"${s1.name}","l":"${s1.items}"},"if":"s1.count > 2"},
		{"id":"s3","tool":"dst","for_each":"${s1.items}","args":{"s":"${item}"}},
		{"id":"s4","tool":"dst","for_each":"${s1}","args":{"s":"${item.tool}"}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("%s %+v", res.Status, res.Steps)
	}
	args := step(t, res, "s2").Output.(map[string]any)["args"].(map[string]any)
	if args["n"] != int64(1) || args["s"] != "<simulated s1.name>" || fmt.Sprint(args["l"]) != "[<simulated s1.items>]" {
		t.Errorf("placeholders %v", args)
	}
	if s3 := step(t, res, "s3"); s3.Items != 1 {
		t.Errorf("loop over a placeholder list: %d items", s3.Items)
	}
	if s4 := step(t, res, "s4"); s4.Items != 1 || s4.Output.([]any)[0].(map[string]any)["args"].(map[string]any)["s"] != "src" {
		t.Errorf("loop over a simulated object: %d items, %v", s4.Items, s4.Output)
	}
}
