package pattern

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// opsTools is an operations catalogue: services, deployments and hosts are called by
// identifiers (checkout-api, web-03), which no description gives as an example.
func opsTools() []*tool.Tool {
	return []*tool.Tool{
		testTool("restart_service", "Restart a running service",
			`{"type":"object","properties":{"service_name":{"type":"string","description":"Name of the service"},"environment":{"type":"string","enum":["staging","production"]}},"required":["service_name","environment"]}`),
		testTool("get_service_logs", "Fetch recent log lines of a service",
			`{"type":"object","properties":{"service_name":{"type":"string","description":"Name of the service"},"lines":{"type":"integer","description":"How many lines to return"},"level":{"type":"string","enum":["debug","info","warn","error"]}},"required":["service_name"]}`),
		testTool("rollback_release", "Roll a service back to an earlier release",
			`{"type":"object","properties":{"service_name":{"type":"string","description":"Name of the service"},"version":{"type":"string","description":"Release version to roll back to"}},"required":["service_name","version"]}`),
		testTool("scale_deployment", "Change the number of replicas of a deployment",
			`{"type":"object","properties":{"deployment":{"type":"string","description":"Deployment name"},"replicas":{"type":"integer","description":"Desired replica count"}},"required":["deployment","replicas"]}`),
		testTool("get_cpu_usage", "Current CPU usage of a host",
			`{"type":"object","properties":{"host":{"type":"string","description":"Host name"}},"required":["host"]}`),
		testTool("page_oncall", "Page the on-call engineer of a team",
			`{"type":"object","properties":{"team":{"type":"string","description":"Team name"},"message":{"type":"string","description":"Page text"}},"required":["team","message"]}`),
		testTool("schedule_maintenance", "Schedule a maintenance window for a service",
			`{"type":"object","properties":{"service_name":{"type":"string"},"start_time":{"type":"string","format":"date-time","description":"Start of the window"},"duration_minutes":{"type":"integer"}},"required":["service_name","start_time"]}`),
		testTool("create_support_ticket", "Create a customer support ticket",
			`{"type":"object","properties":{"customer_email":{"type":"string","description":"Customer's e-mail address"},"subject":{"type":"string","description":"Ticket subject"},"priority":{"type":"string","enum":["low","normal","high","urgent"]}},"required":["customer_email","subject"]}`),
	}
}

// wantRefusal fails unless p refuses req with an error that says why.
func wantRefusal(t *testing.T, p *Pattern, req, why string) {
	t.Helper()
	pl, err := p.Plan(context.Background(), planq.New(req))
	if err == nil {
		t.Errorf("%q: planned %s, want a refusal", req, pl.JSON())
		return
	}
	if !errors.Is(err, plan.ErrCannotPlan) || !strings.Contains(err.Error(), why) {
		t.Errorf("%q: %v, want a refusal saying %q", req, err, why)
	}
}

// TestIdentifierNamesAResource: "Roll back checkout-api to v2.3.1" was refused for want
// of a service name, and "the web-frontend deployment" gave the deployment
// "web-frontend deployment": a service, a deployment or a host is called by an
// identifier, which the noun only introduces.
func TestIdentifierNamesAResource(t *testing.T) {
	p := newTestPattern(t, opsTools()...)
	wantCalls(t, p, map[string]string{
		"Roll back checkout-api to v2.3.1":                                "rollback_release(service_name=checkout-api version=v2.3.1)",
		"Scale checkout-worker to 0":                                      "scale_deployment(deployment=checkout-worker replicas=0)",
		"Scale the web-frontend deployment to 6 replicas":                 "scale_deployment(deployment=web-frontend replicas=6)",
		"Show me the last 200 error lines from the payments-gateway logs": "get_service_logs(service_name=payments-gateway lines=200 level=error)",
		"What's the CPU usage on web-03?":                                 "get_cpu_usage(host=web-03)",
	}, "service_name", "version", "deployment", "replicas", "lines", "level", "host")
	// Two identifiers say two services: which one is not for the planner to guess.
	wantRefusal(t, p, "Restart checkout-api and search-api in production", "search-api")
	// The version is the release's, not the service's.
	wantRefusal(t, p, "Roll back the service to v2.3.1", "service_name")
	wantRefusal(t, p, "Roll back my service, with v 1.2.3", "service_name")
	// An English word with a hyphen names no service.
	wantRefusal(t, p, "Restart the follow-up in production", "service_name")
}

// TestInstantFillsDateParameters: "2026-12-12T02:00:00Z" was read as a name
// ("2026-12-12T02") and a number, so a date-time parameter was left without it; a date
// parameter takes its date.
func TestInstantFillsDateParameters(t *testing.T) {
	p := newTestPattern(t, append(opsTools(),
		testTool("list_oncall_shifts", "List the on-call shifts of a day",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}`))...)
	wantCalls(t, p, map[string]string{
		"Schedule maintenance for billing-db on 2026-12-12T02:00:00Z for 90 minutes": "schedule_maintenance(service_name=billing-db start_time=2026-12-12T02:00:00Z duration_minutes=90)",
		"List the on-call shifts of 2026-12-12T23:30:00-05:00":                       "list_oncall_shifts(date=2026-12-12)",
	}, "service_name", "start_time", "duration_minutes", "date")
}

// TestIfItsTestsTheWorld: "page the database team if it's high" paged the team
// unconditionally ("if it's" was taken for the courtesy of "if it's possible").
func TestIfItsTestsTheWorld(t *testing.T) {
	p := newTestPattern(t, opsTools()...)
	wantRefusal(t, p, "Check CPU on db-01 and page the database team if it's high", "sets a condition")
	wantRefusal(t, p, "If it's above 90 percent, page the database team: CPU is high", "cannot")
	wantCalls(t, p, map[string]string{
		"Restart checkout-api in production if it's possible":              "restart_service(service_name=checkout-api environment=production)",
		"Restart checkout-api in production, if that's ok":                 "restart_service(service_name=checkout-api environment=production)",
		"If it's not too much trouble, restart checkout-api in production": "restart_service(service_name=checkout-api environment=production)",
	}, "service_name", "environment")
}

// TestLevelBesideItsParameter: "a high priority ticket" left the priority out (slots
// never hold high or low); the value said next to the parameter's own word fills it.
func TestLevelBesideItsParameter(t *testing.T) {
	p := newTestPattern(t, opsTools()...)
	wantCalls(t, p, map[string]string{
		"Create a high priority ticket for jane.doe@example.com about a double charge": "create_support_ticket(customer_email=jane.doe@example.com subject=a double charge priority=high)",
		"Create a ticket for jane.doe@example.com about a double charge, priority low": "create_support_ticket(customer_email=jane.doe@example.com subject=a double charge priority=low)",
		"Create a ticket for jane.doe@example.com about a high bill":                   "create_support_ticket(customer_email=jane.doe@example.com subject=a high bill)",
	}, "customer_email", "subject", "priority")
}

// TestChangeByIsNoValue: "Scale web-frontend up by 2" set 2 replicas; a number after
// "up by" is how much the value changes. A parameter for a change takes it.
func TestChangeByIsNoValue(t *testing.T) {
	p := newTestPattern(t, append(opsTools(),
		testTool("adjust_volume", "Turn the speaker volume up or down by a step",
			`{"type":"object","properties":{"delta":{"type":"integer","description":"Change in volume, negative to lower it"}},"required":["delta"]}`))...)
	wantRefusal(t, p, "Scale web-frontend up by 2", "replicas")
	wantCalls(t, p, map[string]string{
		"Scale web-frontend to 2": "scale_deployment(deployment=web-frontend replicas=2)",
		"turn the volume up by 5": "adjust_volume(delta=5)",
	}, "deployment", "replicas", "delta")
}

// TestAbbreviatedEnumValue: "restart checkout-api in prod" was refused for want of an
// environment; "prod" is how people write production.
func TestAbbreviatedEnumValue(t *testing.T) {
	p := newTestPattern(t, opsTools()...)
	wantCalls(t, p, map[string]string{
		"restart checkout-api in prod": "restart_service(service_name=checkout-api environment=production)",
		"restart checkout-api on stg":  "restart_service(service_name=checkout-api environment=staging)",
	}, "service_name", "environment")
	wantRefusal(t, p, "restart checkout-api in prod and stg", "")
}
