package plan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestNumber(t *testing.T) {
	for in, want := range map[string]string{
		"42": "42", "-3.5": "-3.5", "1e3": "1e3", "12345678901234567890": "12345678901234567890",
		"098": "98", "+5": "5", ".5": "0.5", "5.": "5", "-007": "-7", "000": "0",
	} {
		got, ok := Number(in)
		if !ok || string(got) != want {
			t.Errorf("Number(%q) = %q, %v; want %q", in, got, ok, want)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Errorf("Number(%q) = %q does not marshal: %v", in, got, err)
		}
	}
	for _, in := range []string{"", "abc", "Inf", "-inf", "NaN", "0x1F", "1_000"} {
		if got, ok := Number(in); ok {
			t.Errorf("Number(%q) = %q, want refused", in, got)
		}
	}
}

func TestValidateRefusesNumbersJSONCannotWrite(t *testing.T) {
	reg, err := tool.NewRegistry(&tool.Tool{Name: "t", Description: "d",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"n":{"type":"number"},"l":{"type":"array"}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range []map[string]any{
		{"n": json.Number("098")},
		{"l": []any{json.Number("1"), json.Number("Inf")}},
	} {
		err := Validate(&Plan{Steps: []Step{{ID: "s1", Tool: "t", Args: args}}}, reg)
		if err == nil || !strings.Contains(err.Error(), "not a JSON number") {
			t.Errorf("%v: err = %v", args, err)
		}
	}
	if err := Validate(&Plan{Steps: []Step{{ID: "s1", Tool: "t", Args: map[string]any{"n": json.Number("98")}}}}, reg); err != nil {
		t.Error(err)
	}
}
