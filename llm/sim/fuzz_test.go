package sim_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
)

// FuzzChatCompletions: whatever a client sends, the handler answers with JSON (an answer
// or an OpenAI error), never panics, and marks the response as simulated.
func FuzzChatCompletions(f *testing.F) {
	reg := registry(f)
	schema, err := prompt.CompilePinned(reg)
	if err != nil {
		f.Fatal(err)
	}
	rf, _ := json.Marshal(map[string]any{"type": "json_schema", "json_schema": map[string]any{"name": schema.Name, "schema": schema.JSON, "strict": true}})
	f.Add([]byte(`{"model":"gpt-4o","messages":[{"role":"user","content":"<request>\nEmail bob@example.com the weather in Paris.\n</request>"}],"response_format":` + string(rf) + `}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"max_tokens":1}`))
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":null}],"response_format":{"type":"json_schema","json_schema":{"schema":{"properties":{"steps":{"items":{"anyOf":[{}]}}}}}}}`))
	s, err := sim.New(sim.Config{Gold: map[string]*plan.Plan{weatherRequest: goldPlan(f)}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", bytes.NewReader(body)))
		if rec.Header().Get("X-Planwise-Sim") != "true" {
			t.Fatal("response not marked as simulated")
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("status %d, body is not JSON: %q", rec.Code, rec.Body.String())
		}
	})
}

// FuzzReadGoldJSONL and FuzzReadNestful: data files are untrusted input.
func FuzzReadGoldJSONL(f *testing.F) {
	f.Add(`{"request": "x", "plan": {"steps": [{"id": "s1", "tool": "t", "args": {}}]}}`)
	f.Add("\n\n{\"request\": \"\", \"plan\": null}")
	f.Fuzz(func(t *testing.T, in string) {
		m, err := sim.ReadGoldJSONL(strings.NewReader(in))
		if err == nil {
			for k, p := range m {
				if p == nil || k != sim.NormalizeRequest(k) {
					t.Fatalf("bad entry %q -> %v", k, p)
				}
			}
		}
	})
}

func FuzzReadNestful(f *testing.F) {
	f.Add(`[{"input": "a", "output": [{"name": "T", "arguments": {"x": "$var1.y$ and $var2$"}, "label": "var1"}, {"name": "var_result", "arguments": {}}]}]`)
	f.Add(`[{"input": "a", "output": [{"name": "T", "arguments": {"x": ["$var1$", {"y": 1}]}, "label": "var1"}, {"name": "U", "arguments": {}, "label": "var1"}]}]`)
	f.Fuzz(func(t *testing.T, in string) {
		m, err := sim.ReadNestful(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, p := range m {
			for i, st := range p.Steps {
				if want := "s" + strconv.Itoa(i+1); st.ID != want {
					t.Fatalf("step %d has id %s", i, st.ID)
				}
			}
		}
	})
}

// BenchmarkChatPinned measures the simulator's own cost per chat completion (no latency,
// in process): decoding the request, finding the plan, encoding it in the requested
// shape and counting tokens over a full planwise prompt.
func BenchmarkChatPinned(b *testing.B) {
	reg := registry(b)
	schema, err := prompt.CompilePinned(reg)
	if err != nil {
		b.Fatal(err)
	}
	pr, err := prompt.NewBuilder(reg, prompt.WithSchema(schema)).Build(prompt.Input{Request: weatherRequest})
	if err != nil {
		b.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{
		"model":           "gpt-4o-mini",
		"messages":        pr.Messages,
		"response_format": map[string]any{"type": "json_schema", "json_schema": map[string]any{"name": schema.Name, "schema": schema.JSON, "strict": true}},
	})
	s, err := sim.New(sim.Config{Gold: map[string]*plan.Plan{weatherRequest: goldPlan(b)}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", bytes.NewReader(body)))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
