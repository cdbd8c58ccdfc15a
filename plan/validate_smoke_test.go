package plan_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

func testRegistry(t *testing.T) *tool.Registry {
	t.Helper()
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "get_weather", Description: "weather",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"},"date":{"type":"string"}},"required":["location"],"additionalProperties":false}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"},"temperature_c":{"type":"number"},"alerts":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string"}}}}}}`)},
		&tool.Tool{Name: "send_email", Description: "email",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string","format":"email"},"body":{"type":"string"},"count":{"type":"integer"}},"required":["to","body"],"additionalProperties":false}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestValidateSmoke(t *testing.T) {
	reg := testRegistry(t)
	good := `{"steps":[{"id":"s1","tool":"get_weather","args":{"location":"Paris"}},
	{"id":"s2","tool":"send_email","args":{"to":"bob@example.com","body":"${s1.summary}"},"if":"s1.temperature_c < 5.0"},
	{"id":"s3","tool":"send_email","for_each":"${s1.alerts}","args":{"to":"a@b.co","body":"${item.title}"}}]}`
	p, err := plan.Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Validate(p, reg); err != nil {
		t.Fatalf("valid plan rejected: %v", err)
	}
	bad := `{"steps":[{"id":"s1","tool":"get_wether","args":{}},
	{"id":"s2","tool":"send_email","args":{"to":"not-an-email","body":"${s3.x}","cc":"x"},"if":"s9 >"},
	{"id":"s3","tool":"send_email","args":{"to":"a@b.co","body":"${s2.nope}","count":"${s1.summary}"}}]}`
	p, err = plan.Parse([]byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	err = plan.Validate(p, reg)
	ve, ok := plan.AsValidationError(err)
	if !ok {
		t.Fatalf("want validation error, got %v", err)
	}
	t.Log(ve.Error())
	for _, code := range []string{"unknown_tool", "unknown_arg", "forward_reference", "bad_condition", "invalid_arg"} {
		if !strings.Contains(ve.Error(), code) {
			t.Errorf("missing %s", code)
		}
	}
}
