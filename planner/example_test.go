package planner_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// A planner over your own tools, offline: no API key, no server. Add
// planner.WithLLM(planner.LLMConfig{Provider: ...}) to plan with a model first.
func Example() {
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "book_restaurant", Description: "Book a table at a restaurant for a date",
			InputSchema: json.RawMessage(`{"type":"object","properties":{
				"name":{"type":"string","description":"the restaurant"},
				"date":{"type":"string","description":"the date, YYYY-MM-DD"}},"required":["name","date"]}`)},
		&tool.Tool{Name: "send_sms", Description: "Send an SMS text message to a phone number",
			InputSchema: json.RawMessage(`{"type":"object","properties":{
				"phone_number":{"type":"string"},"content":{"type":"string"}},"required":["phone_number","content"]}`)},
	)
	if err != nil {
		panic(err)
	}
	p, err := planner.New(reg)
	if err != nil {
		panic(err)
	}
	resp, err := p.Plan(context.Background(), planner.Request{
		Text: "Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation",
	})
	if err != nil {
		if pe, ok := planner.AsError(err); ok {
			fmt.Println("no plan:", pe.Code, pe.HTTPStatus())
		}
		return
	}
	fmt.Println("source:", resp.Source, "fallback:", resp.Fallback, resp.FallbackReason)
	for _, s := range resp.Plan.Steps {
		fmt.Println(s.ID, s.Tool, s.Args)
	}
	// Output:
	// source: pattern fallback: true offline
	// s1 book_restaurant map[date:2026-12-24 name:Luigi's]
	// s2 send_sms map[content:${s1} phone_number:+15551234567]
}
