package tool

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

type weatherIn struct {
	City string `json:"city" jsonschema:"city name, e.g. Oslo"`
	Date string `json:"date,omitempty"`
	Days int    `json:"days,omitempty"`
}

type weatherOut struct {
	Summary string  `json:"summary"`
	TempC   float64 `json:"temperature_c"`
}

func TestFuncDerivesSchemasAndCalls(t *testing.T) {
	var got weatherIn
	tl, err := Func("get_weather", "Weather forecast for a city.", func(_ context.Context, in weatherIn) (weatherOut, error) {
		got = in
		return weatherOut{Summary: "snow in " + in.City, TempC: -3}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tl.RunKind() != RunGo {
		t.Errorf("run kind %q, want %q", tl.RunKind(), RunGo)
	}
	reg, err := NewRegistry(tl)
	if err != nil {
		t.Fatal(err)
	}
	// The input schema comes from the struct: names, types, description, required.
	params := map[string]Param{}
	for _, p := range reg.Tools()[0].Params() {
		params[p.Name] = p
	}
	if p := params["city"]; p.Type != "string" || !p.Required || p.Description != "city name, e.g. Oslo" {
		t.Errorf("city param %+v", p)
	}
	if p := params["days"]; p.Type != "integer" || p.Required {
		t.Errorf("days param %+v", p)
	}
	var in struct {
		AdditionalProperties bool `json:"additionalProperties"`
	}
	if err := json.Unmarshal(tl.InputSchema, &in); err != nil || in.AdditionalProperties {
		t.Errorf("input schema allows unknown arguments: %s", tl.InputSchema)
	}
	if !strings.Contains(string(tl.OutputSchema), `"temperature_c"`) {
		t.Errorf("output schema %s", tl.OutputSchema)
	}
	out, err := tl.Run.Go(context.Background(), map[string]any{"city": "Oslo", "days": float64(2)})
	if err != nil {
		t.Fatal(err)
	}
	if got != (weatherIn{City: "Oslo", Days: 2}) || out.(weatherOut).Summary != "snow in Oslo" {
		t.Errorf("called with %+v, returned %+v", got, out)
	}
	// A badly typed argument is an error, not a zero value.
	if _, err := tl.Run.Go(context.Background(), map[string]any{"city": 7}); err == nil {
		t.Error("a number decoded into a string field")
	}
	// The function's errors come back as they are.
	boom := errors.New("boom")
	failing, _ := Func("fail", "Fails.", func(context.Context, weatherIn) (weatherOut, error) { return weatherOut{}, boom })
	if _, err := failing.Run.Go(context.Background(), map[string]any{"city": "x"}); !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
}

func TestFuncRefusals(t *testing.T) {
	if _, err := Func("n", "d", func(context.Context, int) (int, error) { return 0, nil }); err == nil || !strings.Contains(err.Error(), "not a struct") {
		t.Errorf("non-object input: %v", err)
	}
	if _, err := Func[weatherIn, weatherOut]("n", "d", nil); err == nil {
		t.Error("nil function accepted")
	}
	type bad struct{ C chan int }
	if _, err := Func("n", "d", func(context.Context, bad) (int, error) { return 0, nil }); err == nil {
		t.Error("a channel field accepted")
	}
	// run kind go without a function (as a tool file would declare it) is refused.
	_, err := NewRegistry(&Tool{Name: "x", Description: "d", Run: &RunSpec{Kind: RunGo}})
	if err == nil || !strings.Contains(err.Error(), "tool.Func") {
		t.Errorf("go tool without a function: %v", err)
	}
	parsed, err := Parse([]byte("name: x\ndescription: d\nrun: {kind: go}\n"), "x.yaml", FormatAuto)
	if err == nil {
		_, err = NewRegistry(parsed...)
	}
	if err == nil || !strings.Contains(err.Error(), "x.yaml") {
		t.Errorf("a tool file declaring run kind go: %v", err)
	}
	// A map of arguments and a hand-written schema.
	ft := FuncSchema("echo", "Echo.", json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`),
		func(_ context.Context, args map[string]any) (any, error) { return args, nil })
	if _, err := NewRegistry(ft); err != nil {
		t.Fatal(err)
	}
}
