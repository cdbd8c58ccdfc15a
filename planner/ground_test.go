package planner_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/planwise/planwise/llm"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// TestMadeUpValuesAreRepairedOrRefused: a model's plan that passes the validator but
// texts, mails or fetches a phone number, e-mail address or URL the user never wrote is
// not served. The repair round is told which value is made up; a repaired plan is served,
// one that keeps it is not, and the offline planner's answer (here: none) decides.
func TestMadeUpValuesAreRepairedOrRefused(t *testing.T) {
	sms := func(phone string) *plan.Plan {
		return &plan.Plan{Steps: []plan.Step{
			{ID: "s1", Tool: "get_weather", Args: map[string]any{"location": "Oslo"}},
			{ID: "s2", Tool: "send_sms", Args: map[string]any{"phone_number": phone, "content": "Forecast: ${s1.summary}"}},
		}}
	}
	const req = "weather in Oslo, then text the forecast to +47 912 34 567"

	t.Run("repaired", func(t *testing.T) {
		prov := &repairSpy{scriptedProvider: scriptedProvider{replies: []reply{{plan: sms("+15551234567")}, {plan: sms("+4791234567")}}}}
		p := newPlanner(t, prov, &fakeOffline{}, nil, planner.Config{})
		resp, err := p.Plan(context.Background(), planner.Request{Text: req, Options: planner.Options{NoCache: true}})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Source != planner.SourceLLM || prov.calls != 2 {
			t.Fatalf("source %s after %d calls, want the repaired LLM plan after 2", resp.Source, prov.calls)
		}
		if got := resp.Plan.Steps[1].Args["phone_number"]; got != "+4791234567" {
			t.Fatalf("phone_number = %v", got)
		}
		if !strings.Contains(prov.repairPrompt, `"+15551234567"`) || !strings.Contains(prov.repairPrompt, "not in the request") {
			t.Fatalf("the repair round was not told which value is made up:\n%s", prov.repairPrompt)
		}
	})

	t.Run("kept", func(t *testing.T) {
		prov := &scriptedProvider{replies: []reply{{plan: sms("+15551234567")}}}
		p := newPlanner(t, prov, &fakeOffline{}, nil, planner.Config{})
		resp, err := p.Plan(context.Background(), planner.Request{Text: req, Options: planner.Options{NoCache: true}})
		if err == nil {
			t.Fatalf("served a plan that texts a made-up number: %v", resp.Plan)
		}
		if !strings.Contains(err.Error(), "+15551234567") {
			t.Fatalf("the error does not name the made-up value: %v", err)
		}
		// Both tiers were asked, each with one repair round: 4 calls.
		if prov.calls != 4 {
			t.Fatalf("%d calls", prov.calls)
		}
	})
}

// repairSpy records the prompt of the repair round.
type repairSpy struct {
	scriptedProvider
	repairPrompt string
}

func (r *repairSpy) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	if len(req.Messages) > 2 {
		var b strings.Builder
		for _, m := range req.Messages {
			b.WriteString(m.Content)
			b.WriteByte('\n')
		}
		r.repairPrompt = b.String()
	}
	return r.scriptedProvider.Complete(ctx, req)
}

// TestGroundedValues: what counts as stated by the request or the catalog.
func TestGroundedValues(t *testing.T) {
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "send_email", Description: "Send an e-mail",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"to":{"type":"string"},"body":{"type":"string"}},"required":["to","body"]}`)},
		&tool.Tool{Name: "http_get", Description: "GET a URL",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"url":{"type":"string","default":"https://status.internal.example/health"}},"required":["url"]}`)},
		&tool.Tool{Name: "call", Description: "Call a phone number",
			InputSchema: json.RawMessage(`{"type":"object","properties":{"number":{"type":"string"}},"required":["number"]}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		request, tool, param, value string
		ok                          bool
	}{
		{"mail Bob@Example.com the notes", "send_email", "to", "bob@example.com", true},
		{"mail Bob the notes", "send_email", "to", "bob@example.com", false},
		{"mail Bob the notes", "send_email", "body", "notes for ${s1.email}", true},
		{"mail bob@example.com a note saying to call me at 555 010 2233", "send_email", "body", "call me at +1 555 010 2233", true},
		{"mail bob@example.com a note saying to call me", "send_email", "body", "call me at +1 555 010 2233", false},
		{"call (555) 010-2233", "call", "number", "+15550102233", true},
		{"call my sister", "call", "number", "+15550102233", false},
		{"check www.Example.com", "http_get", "url", "https://example.com/", true},
		{"check the status page", "http_get", "url", "https://status.internal.example/health", true}, // the tool's default
		{"check the status page", "http_get", "url", "https://evil.example.net/x", false},
	} {
		p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: tt.tool, Args: map[string]any{tt.param: tt.value}}}}
		err := planner.CheckGrounded(p, tt.request, reg)
		var ue *planner.UngroundedError
		if tt.ok != (err == nil) || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("%q -> %s.%s=%q: %v, want grounded=%v", tt.request, tt.tool, tt.param, tt.value, err, tt.ok)
		}
	}
}
