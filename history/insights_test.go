package history

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/plan"
)

// TestInsightsNameInjectedFailure injects a failure pattern through a fake model: the
// e-mail tool's "to" argument comes back wrong in 30% of plans, and lights requests are
// invalid on gpt-4o-mini 60% of the time. The insights must name that tool and argument,
// and that request pattern and model, with the evidence.
func TestInsightsNameInjectedFailure(t *testing.T) {
	ctx := context.Background()
	reg := testRegistry(t)
	clk := newClock()
	h := newHistory(t, NewMemoryStore(), clk)
	record := func(req string, model string, p *plan.Plan) {
		err := plan.Validate(p, reg)
		codes, fields := IssuesOf(err)
		r := &Record{Tenant: "t", Request: req, Model: model, Variant: "default", Valid: err == nil,
			IssueCodes: codes, IssueFields: fields, RegistryVersion: reg.Version()}
		if err == nil {
			r.Source, r.Plan = "llm", p
		} else {
			r.Source, r.Fallback, r.FallbackReason = "pattern", true, "invalid_plan"
		}
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Second)
	}
	for i := range 40 {
		var to any = fmt.Sprintf("user%d@example.com", i)
		if i%10 < 3 { // 30%: the model gives a list of names instead of an address
			to = []any{fmt.Sprintf("user %d", i)}
		}
		record(fmt.Sprintf("email user%d@example.com the minutes of meeting %d", i, i), "gpt-4o-mini",
			&plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": to, "body": "the minutes"}}}})
	}
	for i := range 30 {
		record(fmt.Sprintf("what is the weather in City%d on 2026-12-%02d", i, i%28+1), "gpt-4o-mini",
			&plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"city": fmt.Sprint("City", i), "date": fmt.Sprintf("2026-12-%02d", i%28+1)}}}})
	}
	rooms := []string{"kitchen", "bedroom", "hall", "garage", "office"}
	for i := range 20 {
		args := map[string]any{"room": rooms[i%5], "state": "on"}
		if i%5 < 3 { // 60% invalid: the model invents a state
			args["state"] = "bright"
		}
		record(fmt.Sprintf("turn on the lights in the %s", rooms[i%5]), "gpt-4o-mini",
			&plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "set_lights", Args: args}}})
	}
	in, err := h.Insights(ctx, "t", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if in.Requests != 90 || in.Failures != 12+12 {
		t.Errorf("requests %d failures %d, want 90 and 24", in.Requests, in.Failures)
	}
	byArg := map[string]Group{}
	for _, g := range in.ByArgument {
		byArg[g.Key] = g
	}
	if g := byArg["send_email.to"]; g.Failures != 12 || g.Total != 40 || len(in.ByArgument) != 2 {
		t.Errorf("by argument %+v, want send_email.to 12/40 and set_lights.state", in.ByArgument)
	}
	var arg, example, route *Suggestion
	for i, s := range in.Suggestions {
		t.Log(s.Text)
		switch {
		case s.Kind == "argument" && s.Subject == "send_email.to":
			arg = &in.Suggestions[i]
		case s.Kind == "example" && strings.Contains(s.Subject, "lights"):
			example = &in.Suggestions[i]
		case s.Kind == "route" && strings.Contains(s.Subject, "lights"):
			route = &in.Suggestions[i]
		}
	}
	if arg == nil || !strings.Contains(arg.Text, "tool send_email's argument to is invalid in 30% of plans (12/40)") {
		t.Errorf("no suggestion naming send_email.to with its evidence: %+v", arg)
	}
	if example == nil || example.Failures != 12 || example.Total != 20 {
		t.Errorf("no example suggestion for the lights pattern: %+v", example)
	}
	if route == nil || !strings.Contains(route.Text, "invalid on gpt-4o-mini 60%") {
		t.Errorf("no route suggestion for the lights pattern: %+v", route)
	}
	for _, s := range in.Suggestions {
		if strings.Contains(s.Subject, "weather") || strings.Contains(s.Subject, "get_weather") {
			t.Errorf("suggestion about the healthy weather requests: %s", s.Text)
		}
	}
	// The window excludes older records.
	clk.Add(2 * time.Hour)
	if in, _ := h.Insights(ctx, "t", time.Hour); in.Requests != 0 {
		t.Errorf("window: %d requests", in.Requests)
	}
}

func TestIssuesOf(t *testing.T) {
	reg := testRegistry(t)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "send_email", Args: map[string]any{"to": 3}}}}
	codes, fields := IssuesOf(plan.Validate(p, reg))
	if len(fields) != 2 || fields[0] != "send_email.to" && fields[1] != "send_email.to" {
		t.Errorf("fields %v, want send_email.to and send_email.body", fields)
	}
	if len(codes) == 0 {
		t.Error("no codes")
	}
	if c, f := IssuesOf(nil); c != nil || f != nil {
		t.Error("nil error has issues")
	}
}

// Successful offline plans (no LLM configured: fallback_reason "offline") are neither
// failures nor fallbacks; a fallback from a failing LLM and an unplannable request are.
func TestInsightsOfflineSuccessIsNotAFailure(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	h := newHistory(t, NewMemoryStore(), clk)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"city": "Oslo", "date": "2026-12-10"}}}}
	add := func(r *Record) {
		t.Helper()
		r.Tenant, r.Variant = "default", "default"
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Second)
	}
	for i := range 8 {
		add(&Record{Request: fmt.Sprintf("weather in Oslo on day %d", i), Source: "pattern", Fallback: true,
			FallbackReason: offlineReason, Valid: true, Plan: p})
	}
	add(&Record{Request: "weather in Oslo tomorrow", Source: "history", Fallback: true, FallbackReason: "provider_error",
		ErrorType: "RateLimitError", Valid: true, Plan: p})
	add(&Record{Request: "compose a symphony", Source: "none", Fallback: true, FallbackReason: offlineReason, ErrorType: "CannotPlan"})
	in, err := h.Insights(ctx, "default", 0)
	if err != nil {
		t.Fatal(err)
	}
	if in.Requests != 10 || in.Failures != 2 || in.Offline != 9 {
		t.Errorf("requests %d, failures %d, offline %d; want 10, 2 (the LLM fallback and the unplannable request), 9",
			in.Requests, in.Failures, in.Offline)
	}
	if in.FallbackRate != 0.1 {
		t.Errorf("fallback rate %v, want 0.1 (only the fallback from the failing LLM)", in.FallbackRate)
	}
	for _, g := range in.ByVariant {
		if g.Failures != 1 {
			t.Errorf("variant %s: %d fallbacks, want 1", g.Key, g.Failures)
		}
	}
	for _, g := range in.ByPattern {
		if strings.Contains(g.Key, "day") && g.Failures != 0 {
			t.Errorf("pattern %q of successful offline plans counted %d failures", g.Key, g.Failures)
		}
	}
}

// A route suggestion says a pattern's plans are invalid on a model: it counts the answers
// the model gave and validation judged, never a refusal by the model (cannot_plan), a
// request its caller canceled or a provider that never answered. Those end the request
// (the error types and the example suggestion say so) but say nothing of the model's plans.
func TestInsightsRouteCountsOnlyPlansTheModelGave(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	h := newHistory(t, NewMemoryStore(), clk)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"city": "Oslo", "date": "2026-12-10"}}}}
	for i := range 12 {
		r := &Record{Tenant: "t", Variant: "default", Model: "gpt-4o-mini", Request: fmt.Sprintf("paint fence number %d blue", i), Source: "none"}
		switch i % 4 {
		case 0:
			r.ErrorType = "CannotPlan" // the model answered cannot_plan
		case 1:
			r.ErrorType, r.Errors = "Canceled", []string{"Canceled"}
		case 2:
			r.Source, r.Fallback, r.FallbackReason, r.Plan, r.Errors = "pattern", true, "provider_error", p, []string{"NetworkError", "NetworkError"}
		default:
			r.Source, r.Valid, r.Plan = "llm", true, p
		}
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Second)
	}
	in, err := h.Insights(ctx, "t", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var example bool
	for _, s := range in.Suggestions {
		example = example || s.Kind == "example"
		if s.Kind == "route" {
			t.Errorf("route suggestion from requests the model never answered with an invalid plan: %s", s.Text)
		}
	}
	if !example {
		t.Errorf("no example suggestion for a pattern failing 9 times in 12: %+v", in.Suggestions)
	}
}

// With no records the text gives no rates: "validity 0.0%" would say every request
// failed.
func TestInsightsTextWithNoRecords(t *testing.T) {
	since := time.Date(2026, 12, 6, 10, 0, 0, 0, time.Local)
	for _, tt := range []struct {
		in   Insights
		want string
	}{
		{Insights{Since: since}, "no requests recorded since 2026-12-06 10:00:00\n"},
		{Insights{}, "no requests recorded\n"},
	} {
		var b strings.Builder
		tt.in.WriteText(&b)
		if b.String() != tt.want {
			t.Errorf("WriteText = %q; want %q", b.String(), tt.want)
		}
	}
}

// A refusal ("no tool fits") is an answer, not an invalid plan: the validity rate counts
// the records that produced a plan, and the refusals have their own count and rate. A
// record written before the fields existed (no_plan and refused unset) counts as before.
func TestInsightsRefusalIsNotAnInvalidPlan(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	h := newHistory(t, NewMemoryStore(), clk)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"city": "Oslo", "date": "2026-12-10"}}}}
	for _, r := range []*Record{
		{Request: "weather in Oslo", Source: "llm", Valid: true, Plan: p},
		{Request: "weather in Bergen", Source: "llm", Valid: true, Plan: p},
		{Request: "weather in Tromso", Source: "llm", Valid: false, IssueCodes: []string{"missing_required"}, Plan: p},
		{Request: "make me a sandwich", Source: "none", ErrorType: "CannotPlan", NoPlan: true, Refused: "llm"},
		{Request: "compose a symphony", Source: "none", ErrorType: "CannotPlan", NoPlan: true, Refused: "offline"},
		{Request: "an older record", Source: "none", ErrorType: "CannotPlan"},
	} {
		r.Tenant = "default"
		if err := h.Record(ctx, r); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Second)
	}
	in, err := h.Insights(ctx, "default", 0)
	if err != nil {
		t.Fatal(err)
	}
	if in.Plans != 4 || in.ValidityRate != 0.5 {
		t.Errorf("plans %d, validity %v; want 4 (the refusals produced none) and 0.5", in.Plans, in.ValidityRate)
	}
	if in.Refusals != 2 || math.Abs(in.RefusalRate-2.0/6) > 1e-12 {
		t.Errorf("refusals %d, rate %v; want 2 and 1/3", in.Refusals, in.RefusalRate)
	}
	var b strings.Builder
	in.WriteText(&b)
	if !strings.Contains(b.String(), "validity 50.0% of 4 plans, 2 refused (no tool fits)") {
		t.Errorf("text: %q", b.String())
	}
}

// The error types of insights are the API's codes (snake_case), as planwise plan, the
// HTTP API's errors and fallback_reason show them, also for records written when a
// record held a CamelCase error type; a request the offline planners answered after the
// LLM failed is grouped by its fallback reason; no Go-style name reaches the report.
func TestInsightsErrorTypesAreTheAPIsCodes(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	h := newHistory(t, NewMemoryStore(), clk)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"city": "Oslo", "date": "2026-12-10"}}}}
	add := func(n int, r Record) {
		t.Helper()
		for i := range n {
			r := r
			r.Tenant, r.Request = "t", fmt.Sprintf("%s %d", r.Request, i)
			if err := h.Record(ctx, &r); err != nil {
				t.Fatal(err)
			}
			clk.Add(time.Second)
		}
	}
	add(6, Record{Request: "weather in Oslo", Source: "llm", Valid: true, Plan: p})
	add(5, Record{Request: "weather in Bergen", Source: "pattern", Fallback: true, FallbackReason: "provider_error",
		Errors: []string{"NetworkError", "NetworkError"}, Valid: true, Plan: p})
	add(5, Record{Request: "paint the fence", Source: "none", NoPlan: true, Refused: "offline", ErrorType: "cannot_plan"})
	add(5, Record{Request: "book a flight", Source: "none", NoPlan: true, ErrorType: "unavailable", Errors: []string{"ServerError"}})
	// Written before records held codes: the planner's names and provider types.
	add(1, Record{Request: "an old refusal", Source: "none", NoPlan: true, Refused: "llm", ErrorType: "CannotPlan"})
	add(1, Record{Request: "an old refusal after errors", Source: "none", NoPlan: true, Refused: "offline", ErrorType: "ServerError"})
	add(1, Record{Request: "an old timeout", Source: "none", NoPlan: true, ErrorType: "TimeoutError"})
	add(1, Record{Request: "an old failure", Source: "none", NoPlan: true, ErrorType: "NetworkError"})
	add(1, Record{Request: "an old budget refusal", Source: "none", NoPlan: true, ErrorType: "RateLimitError"})

	in, err := h.Insights(ctx, "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, g := range in.ByErrorType {
		got[g.Key] = g.Failures
	}
	want := map[string]int{"provider_error": 5, "cannot_plan": 7, "unavailable": 6, "deadline": 1, "rate_limited": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("error types %v, want %v", got, want)
	}
	var errorSuggestions []string
	for _, s := range in.Suggestions {
		if s.Kind == "error" {
			errorSuggestions = append(errorSuggestions, s.Subject)
		}
	}
	if fmt.Sprint(errorSuggestions) != "[cannot_plan unavailable provider_error]" {
		t.Errorf("error suggestions about %v, want cannot_plan, unavailable and provider_error", errorSuggestions)
	}
	var text strings.Builder
	in.WriteText(&text)
	for _, camel := range []string{"CannotPlan", "ServerError", "TimeoutError", "NetworkError", "RateLimitError", "Unavailable"} {
		if strings.Contains(text.String(), camel) {
			t.Errorf("the report shows %s:\n%s", camel, text.String())
		}
	}
	if !strings.Contains(text.String(), "provider_error in 19% of requests (5/26)") {
		t.Errorf("no provider_error suggestion in the text:\n%s", text.String())
	}
	// The records read back carry the codes too.
	rs, err := h.Recent(ctx, Query{Tenant: "t", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ErrorType != "" && strings.ToLower(r.ErrorType) != r.ErrorType {
			t.Errorf("record %q reads error_type %q", r.Request, r.ErrorType)
		}
	}
}

// A fallback after the provider's attempts timed out with the request's deadline not
// spent is its own outcome, provider_timeout, with advice about the provider and
// llm.attempt_timeout, not about the deadline nobody reached.
func TestInsightsProviderTimeoutIsNotADeadline(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	h := newHistory(t, NewMemoryStore(), clk)
	p := &plan.Plan{Steps: []plan.Step{{ID: "s1", Tool: "get_weather", Args: map[string]any{"city": "Oslo", "date": "2026-12-10"}}}}
	for i := range 10 {
		r := Record{Tenant: "t", Request: fmt.Sprintf("weather in Oslo %d", i), Source: "llm", Valid: true, Plan: p}
		if i < 5 {
			r.Source, r.Fallback, r.FallbackReason, r.Errors = "pattern", true, "provider_timeout", []string{"TimeoutError", "TimeoutError"}
		}
		if err := h.Record(ctx, &r); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Second)
	}
	in, err := h.Insights(ctx, "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	var advice string
	for _, s := range in.Suggestions {
		if s.Kind == "error" && s.Subject == "provider_timeout" {
			advice = s.Text
		}
	}
	if !strings.Contains(advice, "llm.attempt_timeout") || strings.Contains(advice, "raise the deadline") {
		t.Fatalf("provider_timeout advice %q; want it about the provider and llm.attempt_timeout", advice)
	}
}
