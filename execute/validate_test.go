package execute_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/tool"
)

func smsTool(kind string) *tool.Tool {
	t := &tool.Tool{Name: "send_sms", Description: "send a text message",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"},"content":{"type":"string"}},"required":["to","content"]}`),
		Run:         &tool.RunSpec{Kind: kind, Builtin: "send_sms"}}
	return t
}

func weatherTool(kind string, withSchema bool) *tool.Tool {
	t := &tool.Tool{Name: "get_weather", Description: "weather",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}}}`),
		Run:         &tool.RunSpec{Kind: kind, Builtin: "get_weather"}}
	if withSchema {
		t.OutputSchema = json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"},"temperature_c":{"type":"number"}}}`)
	}
	return t
}

// declaredWeather is simulated with a declared output and no output schema: the plan
// validator cannot type-check ${s1}, the executor sees the object.
func declaredWeather() *tool.Tool {
	t := weatherTool(tool.RunSimulated, false)
	t.Run.Output = map[string]any{"summary": "snow", "temperature_c": -3}
	return t
}

const smsPlan = `{"steps": [{"id": "s1", "tool": "get_weather", "args": {"location": "Oslo"}},
	{"id": "s2", "tool": "send_sms", "args": {"to": "+15550102233", "content": "${s1}"}}]}`

// The whole object output of s1 in a string parameter fails the step, whether the tools
// are real or simulated (a dry run), with a message naming the argument.
func TestResolvedArgumentsValidated(t *testing.T) {
	var sent bool
	r := funcs{
		"get_weather": func(context.Context, map[string]any) (any, error) {
			return map[string]any{"summary": "snow", "temperature_c": -3}, nil
		},
		"send_sms": func(context.Context, map[string]any) (any, error) {
			sent = true
			return map[string]any{"id": "m1"}, nil
		},
	}
	for _, tc := range []struct {
		name   string
		reg    []*tool.Tool
		dryRun bool
	}{
		{"real tools", []*tool.Tool{weatherTool(tool.RunBuiltin, false), smsTool(tool.RunBuiltin)}, false},
		{"simulated catalog, producer with a declared output", []*tool.Tool{declaredWeather(), smsTool(tool.RunSimulated)}, false},
		{"real producer, simulated consumer", []*tool.Tool{weatherTool(tool.RunBuiltin, false), smsTool(tool.RunSimulated)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sent = false
			ex := execute.New(mustRegistry(t, tc.reg...), execute.WithRunner(tool.RunBuiltin, r))
			res := ex.Run(context.Background(), mustPlan(t, smsPlan), execute.RunOptions{DryRun: tc.dryRun})
			s2 := step(t, res, "s2")
			if s2.Status != execute.StepFailed || !strings.Contains(s2.Error, "argument content: is an object; it must be string") || sent {
				t.Fatalf("s2: %s %q (sent %v)", s2.Status, s2.Error, sent)
			}
			if res.Status == execute.RunSucceeded {
				t.Fatal("the run succeeded")
			}
		})
	}
	// With an output schema the plan validator refuses the plan before anything runs.
	ex0 := execute.New(mustRegistry(t, weatherTool(tool.RunSimulated, true), smsTool(tool.RunSimulated)))
	if res := ex0.Run(context.Background(), mustPlan(t, smsPlan), execute.RunOptions{}); res.Status != execute.RunFailed {
		t.Fatalf("typed producer: %s", res.Status)
	}
	// A simulated producer that declares no output shape invents {"ok", "tool", "args"}:
	// that says nothing of the real type, so the consumer gets a placeholder of its type.
	ex := execute.New(mustRegistry(t, weatherTool(tool.RunSimulated, false), smsTool(tool.RunSimulated)))
	res := ex.Run(context.Background(), mustPlan(t, smsPlan), execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("untyped simulated producer: %s %+v", res.Status, res.Steps)
	}
}

// A result that reports an error in band fails the step.
func TestToolReportedErrorFailsStep(t *testing.T) {
	cases := []struct {
		name   string
		out    any
		schema string
		fails  bool
	}{
		{"error string", map[string]any{"error": "quota exceeded"}, "", true},
		{"error object", map[string]any{"error": map[string]any{"code": 404, "message": "not found"}}, "", true},
		{"ok false", map[string]any{"ok": false, "message": "rejected"}, "", true},
		{"success false", map[string]any{"success": false}, "", true},
		{"status failed", map[string]any{"status": "failed", "message": "disk full"}, "", true},
		{"ENOENT text", "ENOENT: no such file or directory, open '/etc/nope'", "", true},
		{"MCP filesystem text", "/tmp/a.txt: Error - ENOENT: no such file or directory", "", true},
		{"Error: text", "Error: permission denied", "", true},
		{"null error", map[string]any{"error": nil, "value": 1}, "", false},
		{"declared error field", map[string]any{"error": "none", "value": 1}, `{"type":"object","properties":{"error":{"type":"string"}}}`, false},
		{"plain text", "The error rate fell to 2% last week.", "", false},
		{"ok true", map[string]any{"ok": true}, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tl := testTool("read", true, tc.schema)
			calls := 0
			ex := execute.New(mustRegistry(t, tl), execute.WithRunner(tool.RunBuiltin, funcs{"read": func(context.Context, map[string]any) (any, error) {
				calls++
				return tc.out, nil
			}}))
			res := ex.Run(context.Background(), mustPlan(t, `{"steps": [{"id": "s1", "tool": "read", "args": {}}]}`), execute.RunOptions{})
			s1 := step(t, res, "s1")
			if got := s1.Status == execute.StepFailed; got != tc.fails {
				t.Fatalf("output %v: status %s %q; want failed=%v", tc.out, s1.Status, s1.Error, tc.fails)
			}
			if tc.fails && (!strings.Contains(s1.Error, "reported an error") || calls != 1) {
				t.Fatalf("error %q after %d calls (an in-band error is not retried)", s1.Error, calls)
			}
		})
	}
	// Simulated outputs are invented: never read as error reports.
	tl := testTool("read", true, "")
	tl.Run = &tool.RunSpec{Kind: tool.RunSimulated, Output: map[string]any{"error": "example"}}
	res := execute.New(mustRegistry(t, tl)).Run(context.Background(), mustPlan(t, `{"steps": [{"id": "s1", "tool": "read", "args": {}}]}`), execute.RunOptions{})
	if res.Status != execute.RunSucceeded {
		t.Fatalf("simulated output with an error field: %s", res.Status)
	}
}
