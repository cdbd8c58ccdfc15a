package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/planwise/planwise/llm/sim"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/prompt"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

func patternFor(reg *tool.Registry) query.Planner { return pattern.NewPattern(reg) }

// TestPlansOverTheRequestsTools: with no tools of its own, the sim reads the tools from
// each request (the schema and the system prompt, as a model does) and plans over them;
// two requests with different catalogs get plans over their own tools.
func TestPlansOverTheRequestsTools(t *testing.T) {
	f := newFixture(t, sim.Config{PlannerFor: patternFor})
	other, err := tool.NewRegistry(&tool.Tool{Name: "send_sms", Description: "Send an SMS text message to a phone number",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"phone_number":{"type":"string"},"content":{"type":"string"}},"required":["phone_number","content"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		reg      *tool.Registry
		request  string
		wantTool string
	}{
		{f.reg, "What is the weather in Oslo?", "get_weather"},
		{other, "Text +1 555 010 2233 that I am running late", "send_sms"},
	} {
		schema := pinned(t, c.reg)
		f.reg = c.reg
		resp, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o-mini", c.request, schema))
		if err != nil {
			t.Fatal(err)
		}
		p, err := schema.Decode([]byte(resp.Choices[0].Message.Content))
		if err != nil {
			t.Fatalf("%q: %v\n%s", c.request, err, resp.Choices[0].Message.Content)
		}
		if len(p.Steps) == 0 || p.Steps[0].Tool != c.wantTool {
			t.Fatalf("%q: plan %s, want %s", c.request, p.JSON(), c.wantTool)
		}
		if err := plan.Validate(p, c.reg); err != nil {
			t.Fatalf("%q: %v", c.request, err)
		}
	}
	if st := f.sim.Stats(); st.Sources["answerer"] != 2 {
		t.Errorf("sources %v", st.Sources)
	}
}

// weatherTool is an OpenAI function tool (strict) the official SDK sends.
func weatherTools() []openai.ChatCompletionToolUnionParam {
	return []openai.ChatCompletionToolUnionParam{
		openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name: "get_weather", Description: openai.String("Get the weather forecast for a city on a day"), Strict: openai.Bool(true),
			Parameters: shared.FunctionParameters{"type": "object", "additionalProperties": false,
				"required": []string{"location", "date"},
				"properties": map[string]any{"location": map[string]any{"type": "string", "description": "the city"},
					"date": map[string]any{"type": []string{"string", "null"}, "description": "the day"}}},
		}),
		openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name: "send_sms", Description: openai.String("Send an SMS text message to a phone number"),
			Parameters: shared.FunctionParameters{"type": "object", "required": []string{"phone_number", "content"},
				"properties": map[string]any{"phone_number": map[string]any{"type": "string"}, "content": map[string]any{"type": "string"}}},
		}),
	}
}

// TestToolCallsStreamed: a tool-calling request streamed through the official SDK's
// accumulator yields the calls a model would make first (only get_weather: the SMS needs
// the forecast), the usage in the final chunk, and finish_reason tool_calls; once the
// client reports the weather, the next turn calls send_sms with it.
func TestToolCallsStreamed(t *testing.T) {
	f := newFixture(t, sim.Config{PlannerFor: patternFor})
	params := openai.ChatCompletionNewParams{
		Model:         "gpt-4o-mini",
		Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Get the weather in Oslo and then text it to +1 555 010 2233")},
		Tools:         weatherTools(),
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	}
	stream := f.client.Chat.Completions.NewStreaming(context.Background(), params)
	var acc openai.ChatCompletionAccumulator
	chunks := 0
	for stream.Next() {
		acc.AddChunk(stream.Current())
		chunks++
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if len(acc.Choices) != 1 || acc.Choices[0].FinishReason != "tool_calls" {
		t.Fatalf("accumulated %+v", acc.Choices)
	}
	calls := acc.Choices[0].Message.ToolCalls
	if len(calls) != 1 || calls[0].Function.Name != "get_weather" || chunks < 4 {
		t.Fatalf("%d chunks, calls %+v", chunks, calls)
	}
	var args map[string]any
	if err := json.Unmarshal([]byte(calls[0].Function.Arguments), &args); err != nil || args["location"] != "Oslo" {
		t.Fatalf("arguments %q: %v", calls[0].Function.Arguments, err)
	}
	if acc.Usage.PromptTokens == 0 || acc.Usage.CompletionTokens == 0 {
		t.Fatalf("no usage in the final chunk: %+v", acc.Usage)
	}
	// The next turn: the client ran get_weather and reports its result.
	params.Messages = append(params.Messages, acc.Choices[0].Message.ToParam(),
		openai.ToolMessage(`{"summary":"snow, -3 C"}`, calls[0].ID))
	resp, err := f.client.Chat.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	next := resp.Choices[0].Message.ToolCalls
	if len(next) != 1 || next[0].Function.Name != "send_sms" || !strings.Contains(next[0].Function.Arguments, "+15550102233") ||
		!strings.Contains(next[0].Function.Arguments, "snow, -3 C") {
		t.Fatalf("second turn: %+v", resp.Choices[0].Message)
	}
	// No tool fits: a text answer, no call.
	params.Messages = []openai.ChatCompletionMessageParamUnion{openai.UserMessage("make me a sandwich with extra pickles")}
	resp, err = f.client.Chat.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if m := resp.Choices[0].Message; len(m.ToolCalls) != 0 || m.Content == "" || resp.Choices[0].FinishReason != "stop" {
		t.Fatalf("sandwich: %+v", resp.Choices[0])
	}
}

// TestStrictSchemaRejectedAsOpenAIDoes: a strict schema OpenAI would refuse gets its 400
// error shape, for response formats and for strict function tools.
func TestStrictSchemaRejectedAsOpenAIDoes(t *testing.T) {
	f := newFixture(t, sim.Config{})
	bad := map[string]string{
		`{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}`:                                                                                    "'additionalProperties' is required to be supplied and to be false",
		`{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"required":["a"],"additionalProperties":false}`:                                 "Missing 'b'",
		`{"type":"object","properties":{"a":{"type":"string","default":"x"}},"required":["a"],"additionalProperties":false}`:                                         "In context=('properties', 'a'), 'default' is not permitted",
		`{"anyOf":[{"type":"object","properties":{},"required":[],"additionalProperties":false}]}`:                                                                   "type: \"object\"",
		`{"type":"object","properties":{"o":{"type":"object","properties":{"x":{"type":"string"}},"required":["x"]}},"required":["o"],"additionalProperties":false}`: "In context=('properties', 'o'), 'additionalProperties'",
	}
	for schema, want := range bad {
		params := openai.ChatCompletionNewParams{Model: "gpt-4o", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("x")},
			ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
				JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "answer", Schema: json.RawMessage(schema), Strict: openai.Bool(true)}}}}
		_, err := f.client.Chat.Completions.New(context.Background(), params)
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "response_format" || apiErr.Code != "invalid_json_schema" ||
			apiErr.Type != "invalid_request_error" || !strings.Contains(apiErr.Message, "Invalid schema for response_format 'answer': ") || !strings.Contains(apiErr.Message, want) {
			t.Errorf("schema %s: got %v, want a 400 saying %q", schema, err, want)
		}
	}
	tools := []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name: "loose", Strict: openai.Bool(true), Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}}}})}
	_, err := f.client.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{Model: "gpt-4o",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("x")}, Tools: tools})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "tools[0].function.parameters" || !strings.Contains(apiErr.Message, "Invalid schema for function 'loose'") {
		t.Errorf("strict function tool: %v", err)
	}
	// planwise's own compiled schemas pass, pinned and generic.
	for _, s := range []*prompt.Schema{pinned(t, f.reg), generic(t, f.reg)} {
		if _, err := f.client.Chat.Completions.New(context.Background(), f.params(t, "gpt-4o", weatherRequest, s)); err != nil {
			t.Errorf("%s schema refused: %v", s.Mode, err)
		}
	}
}

// TestModelTierKnob: with the knob on, cheaper models err more often, deterministically
// for a seed; the errors are the kinds named (and validation catches the hallucinated and
// missing ones).
func TestModelTierKnob(t *testing.T) {
	requests := []string{}
	for _, city := range []string{"Oslo", "Paris", "Rome", "Lima", "Kyiv", "Oran", "Bern", "Riga", "Nice", "Baku"} {
		for _, day := range []string{"2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"} {
			requests = append(requests, "What is the weather in "+city+" on "+day+"?")
		}
	}
	wrong := func(seed uint64) map[string]int {
		f := newFixture(t, sim.Config{PlannerFor: patternFor, ModelErrors: sim.DefaultModelErrors(), Seed: seed})
		schema := generic(t, f.reg)
		out := map[string]int{}
		for _, model := range []string{"gpt-4.1-nano", "gpt-4o"} {
			for _, r := range requests {
				resp, err := f.client.Chat.Completions.New(context.Background(), f.params(t, model, r, schema))
				if err != nil {
					t.Fatal(err)
				}
				p, err := schema.Decode([]byte(resp.Choices[0].Message.Content))
				if err != nil || plan.Validate(p, f.reg) != nil || p.Steps[0].Tool != "get_weather" || p.Steps[0].Args["location"] == nil {
					out[model]++
				}
			}
		}
		return out
	}
	a, b := wrong(1), wrong(1)
	if a["gpt-4.1-nano"] != b["gpt-4.1-nano"] || a["gpt-4o"] != b["gpt-4o"] {
		t.Fatalf("not deterministic for one seed: %v vs %v", a, b)
	}
	if a["gpt-4.1-nano"] <= a["gpt-4o"] || a["gpt-4.1-nano"] < 8 {
		t.Fatalf("wrong answers of %d requests: %v; the cheap model must err more (about 30%% vs 3%%)", len(requests), a)
	}
	t.Logf("wrong answers out of %d: %v", len(requests), a)
}
