package pattern

import (
	"context"
	"encoding/json"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// TestDevopsRequests: a catalogue written for a newcomer check. The particle of "roll
// back" is no service, a word another argument took is not a second value, "open an
// issue" creates one, a repository is written owner/name, and a version has its
// examples' shape.
func TestDevopsRequests(t *testing.T) {
	env := `"environment":{"type":"string","enum":["staging","production"]}`
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("github.create_issue", "Create an issue in a GitHub repository.",
			`{"type":"object","properties":{"repo":{"type":"string","description":"Repository as owner/name, e.g. acme/api"},"title":{"type":"string","description":"Issue title"}},"required":["repo","title"]}`),
		testTool("github.list_pull_requests", "List open pull requests of a repository.",
			`{"type":"object","properties":{"repo":{"type":"string","description":"Repository as owner/name"}},"required":["repo"]}`),
		testTool("deploy.service", "Deploy a service version to an environment.",
			`{"type":"object","properties":{"service":{"type":"string","description":"Service name, e.g. billing"},"version":{"type":"string","description":"Version tag, e.g. v1.4.2"},`+env+`},"required":["service","version","environment"]}`),
		testTool("deploy.rollback", "Roll back a service to its previous version.",
			`{"type":"object","properties":{"service":{"type":"string","description":"Service name"},`+env+`},"required":["service","environment"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"roll back checkout in staging":                            `deploy.rollback {"environment":"staging","service":"checkout"}`,
		"roll back production":                                     "",
		"deploy billing v2.3.1 to production":                      `deploy.service {"environment":"production","service":"billing","version":"v2.3.1"}`,
		"deploy billing to production":                             "",
		`open an issue in acme/api titled "Login fails on Safari"`: `github.create_issue {"repo":"acme/api","title":"Login fails on Safari"}`,
		`open an issue titled "Crash on start"`:                    "",
		"list open pull requests in acme/web":                      `github.list_pull_requests {"repo":"acme/web"}`,
		"create a bug for the crash in acme/mobile":                "",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if want == "" {
			if err == nil {
				t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
			}
			continue
		}
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		args, _ := json.Marshal(pl.Steps[0].Args)
		if got := pl.Steps[0].Tool + " " + string(args); got != want {
			t.Errorf("%q: got %s, want %s", req, got, want)
		}
	}
}

// TestShopRequests: an order number one parameter took fills no other (the reason of a
// cancellation was the order number; the reason is what "because" introduces), and a
// search ends where the price bound another parameter took begins.
func TestShopRequests(t *testing.T) {
	order := `"order_id":{"type":"string","description":"Order number, e.g. ORD-55821"}`
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("store.search_products", "Search the store's catalogue for products.",
			`{"type":"object","properties":{"query":{"type":"string","description":"What to search for"},"max_price":{"type":"number","description":"Highest price in USD"}},"required":["query"]}`),
		testTool("orders.cancel", "Cancel an order that has not shipped.",
			`{"type":"object","properties":{`+order+`,"reason":{"type":"string","description":"Why the order is cancelled"}},"required":["order_id"]}`),
		testTool("orders.track", "Track the delivery of an order.", `{"type":"object","properties":{`+order+`},"required":["order_id"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"cancel order ORD-77120 because I found it cheaper": `orders.cancel {"order_id":"ORD-77120","reason":"I found it cheaper"}`,
		"find wireless headphones under $100":               `store.search_products {"max_price":100,"query":"wireless headphones"}`,
		"where is my order ORD-77120?":                      `orders.track {"order_id":"ORD-77120"}`,
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		args, _ := json.Marshal(pl.Steps[0].Args)
		if got := pl.Steps[0].Tool + " " + string(args); got != want {
			t.Errorf("%q: got %s, want %s", req, got, want)
		}
	}
}

// TestAirportCodes: a parameter that takes an IATA code and nothing else is no city
// name; one that takes "an IATA code or a city name" is.
func TestAirportCodes(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("flights.search", "Search flights between two airports on a date.",
			`{"type":"object","properties":{"origin":{"type":"string","description":"Origin airport IATA code, e.g. SFO"},"destination":{"type":"string","description":"Destination airport IATA code, e.g. JFK"},"date":{"type":"string","format":"date","description":"Departure date"}},"required":["origin","destination","date"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	if pl, err := p.Plan(context.Background(), planq.New("fly from Boston to Chicago on 2026-12-11")); err == nil {
		t.Errorf("cities for airport codes: served %s", pl.JSON())
	}
	pl, err := p.Plan(context.Background(), planq.New("find flights from SFO to JFK on 2026-12-20"))
	if err != nil || pl.Steps[0].Args["origin"] != "SFO" || pl.Steps[0].Args["destination"] != "JFK" {
		t.Errorf("SFO to JFK: %v %v", err, pl)
	}
	either := &paramInfo{}
	either.Description = "The IATA airport code or city name to depart from, such as 'JFK'."
	if iataOnly(either) {
		t.Error("a code or a city name is not an IATA code only")
	}
}

// TestNegationsAndConditions: "do not cancel" asks for no cancellation, and a test of
// the world the plan cannot make ("if it rains tomorrow", "unless it has shipped") is
// refused rather than dropped; a courtesy ("if possible") and a question's givens ("how
// long ... if I go at 50 m/s") are no such test, and "check if" asks whether.
func TestNegationsAndConditions(t *testing.T) {
	order := `{"type":"object","properties":{"order_id":{"type":"string","description":"Order number, e.g. ORD-55821"}},"required":["order_id"]}`
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("orders.cancel", "Cancel an order that has not shipped.", order),
		testTool("orders.track", "Track the delivery of an order.", order),
		testTool("slack.post_message", "Post a message to a Slack channel.",
			`{"type":"object","properties":{"channel":{"type":"string","description":"Channel name, e.g. #general"},"text":{"type":"string","description":"The message text"}},"required":["channel","text"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"please do not cancel order ORD-12345":                              "",
		"don't cancel ORD-12345":                                            "",
		`if it rains in Boston tomorrow, post "bring umbrellas" to #office`: "",
		"cancel order ORD-12345 unless it has shipped":                      "",
		`post "bring umbrellas" to #office if it rains`:                     "",
		"if possible, track order ORD-12345":                                "orders.track",
		"cancel order ORD-12345":                                            "orders.cancel",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		switch {
		case want == "" && err == nil:
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		case want != "" && err != nil:
			t.Errorf("%q: %v", req, err)
		case want != "" && toolsOf(pl) != want:
			t.Errorf("%q: %s, want %s", req, toolsOf(pl), want)
		}
	}
	for text, want := range map[string]bool{
		"check if there are any plays happening today":                     false,
		"let me know if there's no entry fee":                              false,
		"how long until we collide if my car goes at 50 meters per second": false,
		"post it to #office if it rains":                                   true,
	} {
		if got := conditionalTail(text); got != want {
			t.Errorf("conditionalTail(%q) = %v", text, got)
		}
	}
}

// TestReturnsAreNoGets: "return the blue jacket" starts a return; "return" is not read
// as "get" (it was a synonym of it, from API prose: "returns the list of ...").
func TestReturnsAreNoGets(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("returns.start", "Start a return for an item of a delivered order.",
			`{"type":"object","properties":{"order_id":{"type":"string","description":"Order number"},"item":{"type":"string","description":"The item to return"}},"required":["order_id","item"]}`),
		testTool("orders.track", "Track the delivery of an order.",
			`{"type":"object","properties":{"order_id":{"type":"string","description":"Order number, e.g. ORD-55821"}},"required":["order_id"]}`),
		testTool("orders.cancel", "Cancel an order that has not shipped.",
			`{"type":"object","properties":{"order_id":{"type":"string","description":"Order number, e.g. ORD-55821"}},"required":["order_id"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("I want to return the blue jacket from order ORD-66001"))
	if err != nil || pl.Steps[0].Tool != "returns.start" || pl.Steps[0].Args["item"] != "blue jacket" || pl.Steps[0].Args["order_id"] != "ORD-66001" {
		t.Errorf("%v %v", err, pl)
	}
}

// TestListenIsAVerb: ", listen to a song called 'Yellow'" asks for something of its own;
// it was folded into the passport clause before it and dropped.
func TestListenIsAVerb(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("apply_for_passport", "Apply for a passport",
			`{"type":"object","properties":{"country":{"type":"string","description":"The country to apply for the passport for"}},"required":["country"]}`),
		testTool("play_music_by_title", "Play music by title",
			`{"type":"object","properties":{"title":{"type":"string","description":"The title of the music to play"}},"required":["title"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("I want to apply for a passport for France, listen to a music called 'Yellow'."))
	if err != nil || toolsOf(pl) != "apply_for_passport,play_music_by_title" {
		t.Errorf("%v %v", err, pl)
	}
}

// TestDescriptionThatDeniesTheVerb: "restart payments in prod" rolled payments back: the
// rollback's description says "it does not restart the current version (use
// services.restart for that)", and its example service (payments) outweighed the
// restart's name. A tool whose description denies the clause's verb is no reading of it
// when another tool is named for that verb; a mistyped verb ("restrat") is the
// clause's verb too, and where the named tool cannot be filled the request is refused.
func TestDescriptionThatDeniesTheVerb(t *testing.T) {
	env := `"environment":{"type":"string","enum":["staging","production"]}`
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("deploys.rollback", "Roll a service back to an earlier version. It does not restart the current version (use services.restart for that).",
			`{"type":"object","properties":{"service":{"type":"string","description":"e.g. payments"},`+env+`},"required":["service","environment"]}`),
		testTool("services.restart", "Rolling restart of a service's pods in one environment, keeping the same version.",
			`{"type":"object","properties":{"service":{"type":"string"},`+env+`},"required":["service","environment"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"restart payments in production":                      "services.restart(service=payments environment=production)",
		"pls restart payments in production, pods are wedged": "services.restart(service=payments environment=production)",
		"roll back payments in production":                    "deploys.rollback(service=payments environment=production)",
	}, "service", "environment")
	wantRefusal(t, p, "pls restrat payments in production, pods are wedged", "")
}

// TestMetricNamedByItsWords: "request rate on the api-gateway in staging" tied a metrics
// query with a health snapshot that reports the error rate ("rate" is a word of both),
// "the p99 latency of the search-api" gave no metric (latency_p99 written the other way
// round), and "the error rate of checkout" queried a service called "of checkout". An
// enum value one reading takes and another leaves unused, its tool not about it, decides
// between them; an enum value's parts in another order name it; "of" introduces the
// thing, and is no part of it. "rps" is the value its enum glosses as "requests per
// second", and "request rate" opening a clause is a value, not the verb "request".
func TestMetricNamedByItsWords(t *testing.T) {
	env := `"environment":{"type":"string","enum":["staging","production"]}`
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("metrics.query", "Query one metric of a service over a window (latency percentiles, error rate, request rate, memory).",
			`{"type":"object","properties":{"service":{"type":"string"},"metric":{"type":"string","enum":["latency_p50","latency_p99","error_rate","request_rate","memory_usage"],
			"description":"request_rate is requests per second; error_rate is the share of 5xx responses"},`+env+`},"required":["service","metric"]}`),
		testTool("services.get_health", "Current health snapshot of a service: healthy or down, its replicas and the error rate right now. Artificial intelligence is not involved.",
			`{"type":"object","properties":{"service":{"type":"string"},`+env+`},"required":["service"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"request rate on the api-gateway in staging?":       "metrics.query(service=api-gateway metric=request_rate)",
		"show the p99 latency of the search-api in staging": "metrics.query(service=search-api metric=latency_p99)",
		"what's the error rate of checkout in production":   "metrics.query(service=checkout metric=error_rate)",
		"is checkout healthy in production?":                "services.get_health(service=checkout)",
		"rps on the api-gateway in staging?":                "metrics.query(service=api-gateway metric=request_rate)",
		"RPS of checkout in production":                     "metrics.query(service=checkout metric=request_rate)",
		"request rate of checkout in production":            "metrics.query(service=checkout metric=request_rate)",
	}, "service", "metric")
	// Only a glossed enum value is an acronym's reading: "AI" is no "artificial
	// intelligence" here, whatever a description says.
	for in, want := range map[string]string{
		"rps of checkout": "request rate of checkout", "what is AI": "what is AI", "the RPS-7 unit": "the RPS-7 unit",
		"Rps": "request rate", "rpsx": "rpsx",
	} {
		if got := p.expandAcronyms(in); got != want {
			t.Errorf("expandAcronyms(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"the p99 latency": "latency_p99", "latency p99": "", "it is IT": "", "p99 and p50 latency": "",
	} {
		pr := &paramInfo{Param: tool.Param{Name: "metric", Enum: []string{"latency_p50", "latency_p99", "it-IT"}}, kind: pEnum}
		c := clause{text: in}
		if in == "latency p99" {
			c.slots = []slot.Slot{{Kind: slot.Enum, Text: "latency p99", Value: "latency_p99"}}
		}
		if got := reorderedValue(pr, c); got != want {
			t.Errorf("reorderedValue(%q) = %q, want %q", in, got, want)
		}
	}
}
