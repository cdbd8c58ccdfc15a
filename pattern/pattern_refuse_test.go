package pattern

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// withBuiltins is reg's tools plus the built-in catalog, as `planwise plan` merges them.
func withBuiltins(t *testing.T, reg *tool.Registry) *tool.Registry {
	t.Helper()
	r, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), reg.Tools()...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func toolsOf(pl *plan.Plan) string {
	var out []string
	for _, s := range pl.Steps {
		out = append(out, s.Tool)
	}
	return strings.Join(out, ",")
}

// TestRightOrRefusedDailyLife replays what a new user saw the offline default do over the
// daily-life catalog merged with the built-ins: each request now gets the right plan or
// a refusal, never a made-up one.
func TestRightOrRefusedDailyLife(t *testing.T) {
	p := NewPattern(withBuiltins(t, dailyLife(t)), WithClock(testNow))
	serve := []struct {
		request, tools string
		args           []map[string]any
	}{
		{"Check the weather in Oslo on 2026-12-10 and then text +1 555 010 2233 the forecast", "get_weather,send_sms",
			[]map[string]any{{"location": "Oslo", "date": "2026-12-10"}, {"phone_number": "+15550102233", "content": "${s1}"}}},
		{"sms +1 555 010 7766: meeting moved to 3pm", "send_sms",
			[]map[string]any{{"phone_number": "+15550107766", "content": "meeting moved to 3pm"}}},
		{"weather in Paris on 2026-12-24, then email bob@example.com the forecast", "get_weather,send_email",
			[]map[string]any{{"location": "Paris"}, {"email_address": "bob@example.com", "content": "${s1}"}}},
		{"what time is it in Tokyo", "current_time", []map[string]any{{"timezone": "Asia/Tokyo"}}},
		{"book a flight from Boston to Denver on 2027-01-03", "book_flight",
			[]map[string]any{{"from": "Boston", "to": "Denver", "date": "2027-01-03"}}},
		// No word of the clause is send_sms's, but a message to a phone number is an SMS.
		{"message my sister at +44 20 7946 0958 that I will be late", "send_sms",
			[]map[string]any{{"phone_number": "+442079460958", "content": "I will be late"}}},
	}
	for _, tt := range serve {
		pl, err := p.Plan(context.Background(), planq.New(tt.request))
		if err != nil {
			t.Errorf("%q: %v", tt.request, err)
			continue
		}
		if got := toolsOf(pl); got != tt.tools {
			t.Errorf("%q: tools %s, want %s", tt.request, got, tt.tools)
			continue
		}
		for i, want := range tt.args {
			for k, v := range want {
				if got := pl.Steps[i].Args[k]; got != v {
					t.Errorf("%q: step %d %s = %v, want %v", tt.request, i+1, k, got, v)
				}
			}
		}
	}
	refuse := []string{
		"probability of exactly 5 heads in 10 tosses", // no statistics tool: not arithmetic, not a slot fill
		"factorial of 5, 10 and 15",
		"make me a sandwich with extra pickles",
		"email bob@example.com the weather in Paris", // the whole instruction is no e-mail body
		"play Bohemian Rhapsody by Queen",            // a film or a song: the words do not say
		"good morning!",
		"book a table for four tonight at 8",                 // no restaurant named; "four" is no name
		"show me flights from Boston to Denver on January 3", // asks to see flights; book_flight books one
		"order a pizza margherita from Domino's",             // no taxi platform is "pizza margherita"
		"reserve a hotel in Barcelona for Dec 15",
	}
	for _, req := range refuse {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
			continue
		}
		if !errors.Is(err, plan.ErrCannotPlan) {
			t.Errorf("%q: %v is not a refusal", req, err)
		}
	}
}

// TestUnplannedClauseIsNeverDroppedSilently: a request one of whose steps cannot be
// planned is refused naming that step, or, asked for, served in part with it listed.
func TestUnplannedClauseIsNeverDroppedSilently(t *testing.T) {
	p := NewPattern(withBuiltins(t, dailyLife(t)), WithClock(testNow))
	const req = "check the weather in Paris tomorrow and then make me a sandwich"
	_, err := p.Plan(context.Background(), planq.New(req))
	var ce *plan.CannotPlanError
	if !errors.As(err, &ce) || len(ce.Clauses) != 1 || ce.Clauses[0] != "make me a sandwich" {
		t.Fatalf("Plan: %v, want a refusal naming the sandwich", err)
	}
	pl, unplanned, err := p.PlanPartial(context.Background(), planq.New(req))
	if err != nil {
		t.Fatal(err)
	}
	if toolsOf(pl) != "get_weather" || len(unplanned) != 1 || unplanned[0] != "make me a sandwich" {
		t.Fatalf("PlanPartial: %s, unplanned %q", pl.JSON(), unplanned)
	}
	// Nothing plannable at all is still a refusal, partial or not.
	if _, _, err := p.PlanPartial(context.Background(), planq.New("make me a sandwich")); !errors.Is(err, plan.ErrCannotPlan) {
		t.Fatalf("PlanPartial of nothing plannable: %v", err)
	}
}

func testTool(name, desc, schema string) *tool.Tool {
	return &tool.Tool{Name: name, Description: desc, InputSchema: json.RawMessage(schema)}
}

// TestValuesMustBeGrounded: a value that passes the schema but is not plausible for its
// parameter fails the tool (required) or is left out (optional).
func TestValuesMustBeGrounded(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("restaurant.find_nearby", "Find restaurants near a location, optionally of a cuisine.",
			`{"type":"object","properties":{"location":{"type":"string","description":"City or address"},"cuisine":{"type":"string","description":"Kind of food, e.g. thai"}},"required":["location"]}`),
		testTool("render_template", "Fill a text template with values.",
			`{"type":"object","properties":{"template":{"type":"string","description":"The template text"}},"required":["template"]}`),
		testTool("get_air_quality", "Current air quality index in a city.",
			`{"type":"object","properties":{"location":{"type":"string","description":"The city"}},"required":["location"]}`),
		testTool("vt_get_votes_on_ip_address", "Get the votes on an IP address from VirusTotal.",
			`{"type":"object","properties":{"ip":{"type":"string","description":"The IP address"},"x_apikey":{"type":"string","description":"Your API key"}},"required":["ip"]}`),
		testTool("shop.place_order", "Check out the current cart and place the order.",
			`{"type":"object","properties":{},"required":[]}`),
		testTool("shop.request_refund", "Return an item from one of the user's orders for a refund.",
			`{"type":"object","properties":{"order_id":{"type":"string","description":"The order id"}},"required":["order_id"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// shop.place_order returns the order id the refund needs.
	tools := reg.Tools()
	for _, tl := range tools {
		if tl.Name == "shop.place_order" {
			tl.OutputSchema = json.RawMessage(`{"type":"object","properties":{"order_id":{"type":"string"}}}`)
		}
	}
	reg, err = tool.NewRegistry(tools...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"probability of getting exactly 5 heads in 10 tosses",      // no cuisine, "10" is no location
		"what is the air quality of 5, 10 and 15",                  // "5" is no city
		"render +1 555 010 2233",                                   // a phone number is no template
		"get the votes on the IP with the API key from VirusTotal", // "API" is no IP address
		"refund the customer",                                      // placing an order to get an order id is no lookup
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
}

// TestBuiltinsDoNotCaptureTheUsersCatalog: "the current weather" is the user's weather
// tool, not the built-in current_time; the built-in still answers what only it does.
func TestBuiltinsDoNotCaptureTheUsersCatalog(t *testing.T) {
	user, err := tool.NewRegistry(testTool("weather.realtime", "Fetch real-time weather conditions for a city.",
		`{"type":"object","properties":{"q":{"type":"string","description":"City name, e.g. Paris"}},"required":["q"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(withBuiltins(t, user), WithClock(testNow))
	for req, want := range map[string]string{
		"Retrieve the current weather for Tokyo": "weather.realtime",
		"what time is it now in Europe/Paris":    "current_time",
		"what is (12.5 * 4) + 3":                 "calculate",
		"find a bus on 01/15/2024 from Boston":   "", // a date is no arithmetic: refused, not calculate
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		switch {
		case want == "" && err == nil:
			t.Errorf("%q: served %s, want a refusal", req, toolsOf(pl))
		case want != "" && err != nil:
			t.Errorf("%q: %v", req, err)
		case want != "" && toolsOf(pl) != want:
			t.Errorf("%q: %s, want %s", req, toolsOf(pl), want)
		}
	}
}

// TestPolarityPicksTheTwin: "turn off" is lights.turn_off, never its twin turn_on.
func TestPolarityPicksTheTwin(t *testing.T) {
	obj := `{"type":"object","properties":{"room":{"type":"string","description":"The room, e.g. kitchen"}}}`
	reg, err := tool.NewRegistry(
		testTool("lights.turn_on", "Turn on the lights in a room.", obj),
		testTool("lights.turn_off", "Turn off the lights in a room.", obj),
		testTool("locks.lock", "Lock a smart door lock.", `{"type":"object","properties":{"door":{"type":"string"}}}`),
		testTool("locks.unlock", "Unlock a smart door lock.", `{"type":"object","properties":{"door":{"type":"string"}}}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"turn off the kitchen lights": "lights.turn_off",
		"turn the lights on":          "lights.turn_on",
		"lock the front door":         "locks.lock",
		"unlock the front door":       "locks.unlock",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || toolsOf(pl) != want {
			t.Errorf("%q: %v %v, want %s", req, pl, err, want)
		}
	}
}

// TestWhatTheClauseGivesMustBeUsed: a step that leaves out what the request states for
// it (an amount, an e-mail address), that takes nothing from a request most of whose
// words are not its tool's, or whose tool does not do the verb the request wants ("I'd
// like to depart") is refused; a quoted title is no city; a typed value fills the
// parameter that says it takes one before a name does.
func TestWhatTheClauseGivesMustBeUsed(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("chat.send_to_friend", "Send a chat message to a friend.",
			`{"type":"object","properties":{"friend":{"type":"string","description":"The friend's name"},"text":{"type":"string","description":"The message"}},"required":["friend"]}`),
		testTool("wallet.pay", "Transfer money from the user's wallet to someone.",
			`{"type":"object","properties":{"amount":{"type":"number","description":"Amount in USD"},"payee":{"type":"string","description":"The recipient's identifier, such as a username"}},"required":["amount","payee"]}`),
		testTool("service.version", "Return the version of the health-check service.",
			`{"type":"object","properties":{}}`),
		testTool("coach.buy_ticket", "Buy coach tickets between two cities.",
			`{"type":"object","properties":{"origin_city":{"type":"string","description":"City of departure"},"destination_city":{"type":"string","description":"City of arrival"},"seats":{"type":"integer","description":"Number of seats"}},"required":["origin_city","destination_city"]}`),
		testTool("alarm.set", "Set an alarm clock at a time.",
			`{"type":"object","properties":{"time":{"type":"string","description":"Alarm time, HH:MM"}},"required":["time"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"send 40 dollars to my friend Maya",                                  // a chat has no use for $40
		"please find me a dermatologist in Tromsø for my skin health",        // a service version takes nothing from it
		"I'd like to buy 2 tickets for 'The Last Voyage' in Bergen at 20:00", // a film's title is no city of departure
		"we need to leave at 07:15",                                          // leaving is not setting an alarm
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
	for req, want := range map[string]map[string]any{
		"I want to pay $15 to Maya at maya@example.org":       {"amount": json.Number("15"), "payee": "maya@example.org"},
		"I'd like to buy 2 coach tickets from Bergen to Oslo": {"origin_city": "Bergen", "destination_city": "Oslo"},
		"please set an alarm at 07:15 so I can leave on time": {"time": "07:15"},
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil {
			t.Errorf("%q: %v", req, err)
			continue
		}
		if len(pl.Steps) != 1 {
			t.Errorf("%q: %s, want one step", req, pl.JSON())
			continue
		}
		for k, v := range want {
			if got := pl.Steps[0].Args[k]; got != v {
				t.Errorf("%q: %s = %v (%T), want %v", req, k, got, got, v)
			}
		}
	}
}

// Values written the ways people write them are read, and a request passed on to a
// helper is judged by what the helper is asked to do.
func TestCountriesCardsAndDelegatedRequests(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("visa.apply", "Apply for a travel visa.",
			`{"type":"object","properties":{"country":{"type":"string","description":"The country the visa is for"}},"required":["country"]}`),
		testTool("card.pay_balance", "Pay the balance of a credit card.",
			`{"type":"object","properties":{"card":{"type":"string","description":"The credit card to pay"}},"required":["card"]}`),
		testTool("phone.dial", "Dial a phone number and start a voice call.",
			`{"type":"object","properties":{"phone_number":{"type":"string","description":"The number to call"}},"required":["phone_number"]}`),
		testTool("butler.do_chore", "Have the home butler robot do a chore.",
			`{"type":"object","properties":{"instruction":{"type":"string","description":"What the butler should do, e.g. vacuum the hall, water the plants, fold the laundry"}},"required":["instruction"]}`),
		testTool("clinic.list_services", "List the services a clinic offers.",
			`{"type":"object","properties":{"service_id":{"type":"integer","description":"Service category, e.g. 1 for vaccination, 2 for checkups"}}}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]map[string]any{
		"I need to apply for a Norwegian visa":                 {"country": "Norway"},
		"apply for a UK visa please":                           {"country": "UK"},
		"pay off my credit card 5500 0000 0000 0004":           {"card": "5500000000000004"},
		"pay my credit card number 4000123412341234 today":     {"card": "4000123412341234"},
		"call +44(20)7946-0958 now":                            {"phone_number": "+442079460958"},
		"dial the phone number 555-0199":                       {"phone_number": "5550199"},
		"please ask the butler to water the plants":            {"instruction": "water the plants"},
		"tell the robot to fold the laundry in the guest room": {"instruction": "fold the laundry in the guest room"},
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil {
			t.Errorf("%q: %v", req, err)
			continue
		}
		if len(pl.Steps) != 1 || !reflect.DeepEqual(pl.Steps[0].Args, want) {
			t.Errorf("%q: %s, want one step with %v", req, pl.JSON(), want)
		}
	}
	for _, req := range []string{
		"ask the butler to buy milk",              // buying is no chore the butler does
		"I'd like to visit an Italian restaurant", // an adjective of a country is no visa request
		"vaccination for 3 people",                // the clinic's service examples are not its verbs
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
}

// A number's label or unit says what it is, also across a range; a phrase that holds an
// amount another argument takes is not a name.
func TestNumbersKeepTheirLabels(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("ride.request", "Request a shared ride to pick the user up.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City of the pickup"},"passengers":{"type":"integer","description":"Number of passengers"}},"required":["city","passengers"]}`),
		testTool("tutors.search", "Search tutors by subject and age.",
			`{"type":"object","properties":{"subject":{"type":"string","description":"The subject taught"},"region_id":{"type":"integer","description":"Region identifier"},"max_age":{"type":"integer","description":"Oldest age in years"}},"required":["subject","region_id"]}`),
		testTool("wallet.request_money", "Request a payment from someone.",
			`{"type":"object","properties":{"amount":{"type":"number","description":"Amount to request"},"payer":{"type":"string","description":"Who is asked to pay"}},"required":["amount","payer"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"get me a ride in Austin at zipcode 73301",           // a zip code is no passenger count
		"find a chemistry tutor between 25 and 35 years old", // an age is no region
		"please request the amount of $122",                  // "the amount of $122" is no payer
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
	pl, err := p.Plan(context.Background(), planq.New("get me a ride for 3 passengers in Austin"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["passengers"] != json.Number("3") {
		t.Fatalf("ride for 3 passengers: %v %v", err, pl)
	}
}

// A value must be one the request gives for the parameter: not a sentence's words, not
// a word a description merely uses, and a built-in is not served for what it does not do.
func TestNoValueFromTheWrongWords(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("family.get_partner", "Get the name of a person's partner.",
			`{"type":"object","properties":{"partner_of":{"type":"string","description":"The person whose partner is asked for"}},"required":["partner_of"]}`),
		testTool("homes.search_house", "Search for a house to rent at a specific location.",
			`{"type":"object","properties":{"destination":{"type":"string","description":"The destination where the house is searched for, in the format of 'City, State', such as 'Austin, TX'"}},"required":["destination"]}`),
		testTool("listing.filter", "Filter property listings by kind.",
			`{"type":"object","properties":{"kind":{"type":"string","enum":["House","Flat","Studio"]}},"required":["kind"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	reg, err = reg.Merge(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"do you know Oskar?",                         // "you know Oskar" is no person
		"search for a nice house to rent",            // "house" is no destination
		"give me the current air pollution in Lagos", // not a question for the time
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
	for req, want := range map[string]string{
		"search a house to rent in Austin, TX": "homes.search_house",
		"who is the partner of Oskar Berg?":    "family.get_partner",
		"what time is it in Lagos?":            "current_time",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Tool != want {
			t.Errorf("%q: %v %v, want %s", req, err, pl, want)
		}
	}
}

// A unit parameter takes a unit, and a value that ends with another parameter's name is
// that parameter's ("the Family genre" is no cast member).
func TestValuesThatBelongElsewhere(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("forecast.get", "Get the weather forecast for a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"The city, e.g. Oslo"},"units":{"type":"string","description":"The units of the forecast"}},"required":["city","units"]}`),
		testTool("films.find", "Find films by cast, director and genre.",
			`{"type":"object","properties":{"cast":{"type":"string","description":"An actor in the film"},"genre":{"type":"string","description":"The film's genre"},"director":{"type":"string","description":"Who directed it"}},"required":["cast"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"tell me the current weather forecast for Bergen with measurements", // no unit is given
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
	if pl, err := p.Plan(context.Background(), planq.New("search a film acted by Ronald Young and i want the film with Family genre")); err == nil {
		for _, st := range pl.Steps {
			if st.Args["cast"] == "Family" {
				t.Errorf("a genre is no actor: %s", pl.JSON())
			}
		}
	}
	pl, err := p.Plan(context.Background(), planq.New("get the weather forecast for Bergen in celsius"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["units"] != "celsius" {
		t.Errorf("forecast in celsius: %v %v", err, pl)
	}
}

// A user's arithmetic tool does the arithmetic its catalog offers it for; the built-in
// calculator does not capture it ("394 times 213" with CalcProduct(a, b) loaded).
func TestUserArithmeticBeatsTheBuiltin(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("CalcProduct", "Calculates the product of two numeric values.",
			`{"type":"object","properties":{"a":{"type":"integer","description":"The first factor"},"b":{"type":"integer","description":"The second factor"}},"required":["a","b"]}`),
		testTool("sum_numbers", "Calculates the sum of all the numbers provided in the list.",
			`{"type":"object","properties":{"numbers_list":{"type":"array","items":{"type":"number"},"description":"The numbers to add up"}},"required":["numbers_list"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	reg, err = reg.Merge(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		`How much is 394 times 213?`:     `{"a":394,"b":213}`,
		`What is the sum of 133 and 34?`: `{"numbers_list":[133,34]}`,
		`what's 1499 / 0.8?`:             `{"expression":"1499 / 0.8"}`, // no user tool divides
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		if got, _ := json.Marshal(pl.Steps[0].Args); string(got) != want {
			t.Errorf("%q: %s %s, want %s", req, pl.Steps[0].Tool, got, want)
		}
	}
	// A catalog tool that merely names products does no arithmetic.
	shop, err := tool.NewRegistry(testTool("shop.search_products", "Search the shop's products.",
		`{"type":"object","properties":{"query":{"type":"string","description":"What to look for"},"max_price":{"type":"number"},"min_price":{"type":"number"}},"required":["query"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if shop, err = shop.Merge(tool.Builtins()...); err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(shop, WithClock(testNow)).Plan(context.Background(), planq.New("what's 1499 * 0.8?"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Tool != "calculate" {
		t.Errorf("1499 * 0.8 beside a shop: %v %v", err, pl)
	}
}

// A refusal says what the request lacks: a tool, when the nearest one shares only a
// generic verb with it, not that tool's argument.
func TestRefusalNamesTheMissingTool(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("make_video_call", "Make a video call to a phone number.",
		`{"type":"object","properties":{"phone_number":{"type":"string","description":"The number to call"}},"required":["phone_number"]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("make me a sandwich with extra pickles"))
	if err == nil || !strings.Contains(err.Error(), `no tool matches "make me a sandwich with extra pickles"`) {
		t.Fatalf("err = %v, want: no tool matches", err)
	}
}

// A catalog nobody tuned on (a garden): a "zone" that is no time zone, an example of two
// words said word for word, minutes given as a duration, and an order for something the
// tool never names refused.
func TestGardenCatalog(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("irrigation.start_zone", "Start watering one irrigation zone of the garden for a number of minutes.",
			`{"type":"object","properties":{"zone":{"type":"string","description":"Zone name, e.g. front lawn, vegetable beds"},"minutes":{"type":"integer","description":"How long to water"}},"required":["zone","minutes"]}`),
		testTool("shop.order_seeds", "Order a packet of seeds from the garden shop.",
			`{"type":"object","properties":{"variety":{"type":"string","description":"Seed variety, e.g. cherry tomato"},"packets":{"type":"integer","description":"Number of packets"}},"required":["variety"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"water the front lawn for 20 minutes":    `{"minutes":20,"zone":"front lawn"}`,
		"order 3 packets of cherry tomato seeds": `{"packets":3,"variety":"cherry tomato"}`,
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		if got, _ := json.Marshal(pl.Steps[0].Args); string(got) != want {
			t.Errorf("%q: %s, want %s", req, got, want)
		}
	}
	if pl, err := p.Plan(context.Background(), planq.New("order pizza for 4")); err == nil {
		t.Errorf("order pizza for 4: served %s, want a refusal", pl.JSON())
	}
}

// A name written in one word is a name whatever its first letters spell ("AllState" is
// no "all"), and a code with its number is the identifier ("APT-5521").
func TestNamesAndCodesAsWritten(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("insurance.buy", "Buy an insurance policy from a company.",
			`{"type":"object","properties":{"company":{"type":"string","description":"The insurer"},"kind":{"type":"string","description":"Kind of insurance, e.g. car, home"}},"required":["company"]}`),
		testTool("vet.cancel_appointment", "Cancel a booked veterinary appointment.",
			`{"type":"object","properties":{"appointment_id":{"type":"string","description":"The appointment's id, like APT-1234"}},"required":["appointment_id"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]map[string]any{
		"I want to buy a car insurance policy from AllState.": {"company": "AllState", "kind": "car"},
		"cancel appointment APT-5521":                         {"appointment_id": "APT-5521"},
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 || !reflect.DeepEqual(pl.Steps[0].Args, want) {
			t.Errorf("%q: %v %v, want %v", req, err, pl, want)
		}
	}
}

// A parameter that takes an ISO code takes a code: a country is filled as its code, and
// a name that is neither ("COVID-19") is no value for it.
func TestISOCodesAreCodes(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("stats.get", "Retrieve health statistics for a location.",
		`{"type":"object","properties":{"location":{"type":"string","description":"ISO 3166-2 location code, for example 'FR' or 'US-CA'"}},"required":["location"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"retrieve health statistics for Italy": "IT",
		"retrieve health statistics for US-CA": "US-CA",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["location"] != want {
			t.Errorf("%q: %v %v, want location %s", req, err, pl, want)
		}
	}
	if pl, err := p.Plan(context.Background(), planq.New("retrieve health statistics about COVID-19")); err == nil {
		t.Errorf("COVID-19 is no location code: served %s", pl.JSON())
	}
}

// A host given as a URL names its host, and a parameter's name followed by a value
// labels that value, not the name before it ("'Orion' version 7").
func TestHostsAndLabelledValues(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("db.add_server", "Add a database server to the registry.",
			`{"type":"object","properties":{"host":{"type":"string","description":"The server's host"},"nickname":{"type":"string","description":"A short name for it"}},"required":["host","nickname"]}`),
		testTool("releases.get", "Get a release of a project by name and version.",
			`{"type":"object","properties":{"name":{"type":"string","description":"The project's name"},"version":{"type":"string","description":"The version, like 1.0.2"}},"required":["name","version"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]map[string]any{
		"add a database server with host 'https://db.example.org' and nickname 'main'": {"host": "https://db.example.org", "nickname": "main"},
		"get the release of 'Orion' version 7":                                         {"name": "Orion", "version": "7"},
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 || !reflect.DeepEqual(pl.Steps[0].Args, want) {
			t.Errorf("%q: %v %v, want %v", req, err, pl, want)
		}
	}
}

// An instruction is no value for a parameter, and a count of a unit names nobody.
func TestInstructionsAndQuantitiesAreNoNames(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("catalog.search_entries", "Search catalog entries by a match string.",
			`{"type":"object","properties":{"match_string":{"type":"string","description":"The string entries must match"},"modified_before":{"type":"string","format":"date","description":"Last modified before this day"}},"required":["match_string"]}`),
		testTool("spa.book", "Book a spa appointment with a therapist.",
			`{"type":"object","properties":{"therapist_name":{"type":"string","description":"Who gives the treatment"},"date":{"type":"string","format":"date","description":"The day"}},"required":["therapist_name","date"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"help find a restaurant to open on 2027-03-19",     // "find a restaurant" is no match string
		"book a spa appointment on 2027-03-28 for 4 hours", // "4 hours" is no therapist
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
	pl, err := p.Plan(context.Background(), planq.New("book a spa appointment with Mira on 2027-03-28"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["therapist_name"] != "Mira" {
		t.Errorf("spa with Mira: %v %v", err, pl)
	}
}

// A file fills a parameter for its medium only: a text file is no image to colorize.
func TestFilesFitTheirMedium(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("Image_Colorizer", "Colorize a black and white image.",
		`{"type":"object","properties":{"image":{"type":"string","description":"The image file to colorize"}},"required":["image"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{"colorize 'notes.txt' for me", "colorize the image in notes.txt"} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
	pl, err := p.Plan(context.Background(), planq.New("colorize the image old_photo.jpg"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["image"] != "old_photo.jpg" {
		t.Errorf("old_photo.jpg: %v %v", err, pl)
	}
}

// A clause that speaks of the user's file ("the audio") is served by a step that takes
// it, not by one that works on the clause's words.
func TestTheUsersFileIsUsed(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("Translation", "Translate a text into another language.",
		`{"type":"object","properties":{"text":{"type":"string","description":"The text to translate"}},"required":["text"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	req := "I've got a recording named 'memo.wav'. Could you translate the audio into written English?"
	if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
		t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
	}
	pl, err := p.Plan(context.Background(), planq.New("translate 'guten Morgen' into English"))
	if err != nil || len(pl.Steps) != 1 {
		t.Errorf("translate guten Morgen: %v %v", err, pl)
	}
}

// Questions of the kind BFCL's non-live categories ask, over functions written for the
// test: units that count nothing, numbers written as words that count something else,
// currencies by name.
func TestMathAndMoneyQuestions(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("calculate_triangle_area", "Calculate the area of a triangle given its base and height.",
			`{"type":"object","properties":{"base":{"type":"integer","description":"The base of the triangle."},"height":{"type":"integer","description":"The height of the triangle."}},"required":["base","height"]}`),
		testTool("math.hypot", "Calculate the hypotenuse of the right triangle with legs x and y.",
			`{"type":"object","properties":{"x":{"type":"integer","description":"The x-coordinate value."},"y":{"type":"integer","description":"The y-coordinate value."},"z":{"type":"integer","description":"Optional z-coordinate."}},"required":["x","y"]}`),
		testTool("currency_convert", "Convert an amount from one currency to another.",
			`{"type":"object","properties":{"amount":{"type":"number","description":"Amount to convert"},"from_currency":{"type":"string","description":"Currency code to convert from"},"to_currency":{"type":"string","description":"Currency code to convert to"}},"required":["amount","from_currency","to_currency"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"Find the area of a triangle with a base of 10 units and height of 5 units.":                        `{"base":10,"height":5}`,
		"Calculate the hypotenuse of a right triangle given the lengths of the other two sides as 4 and 5.": `{"x":4,"y":5}`,
		"Convert 150 US dollars to euros.": `{"amount":150,"from_currency":"USD","to_currency":"EUR"}`,
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		if got, _ := json.Marshal(pl.Steps[0].Args); string(got) != want {
			t.Errorf("%q: %s, want %s", req, got, want)
		}
	}
}

// A list fills a list parameter whole, and a list of values for a parameter that takes
// one is one call per value, not a second call dropped.
func TestListsAndSecondValues(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("get_weather", "Get the current weather for a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}`),
		testTool("leaders.get_prime_ministers", "Get the current prime ministers of countries.",
			`{"type":"object","properties":{"countries":{"type":"array","items":{"type":"string"},"description":"Country names"}},"required":["countries"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	// One call per city: Denver is not dropped.
	for req, want := range map[string][]string{
		"What's the weather in Boston and in Denver?": {"Boston", "Denver"},
		"weather in Boston, Denver and Austin":        {"Boston", "Denver", "Austin"},
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != len(want) {
			t.Errorf("%q: %v %v, want %d calls", req, err, pl, len(want))
			continue
		}
		for i, city := range want {
			if pl.Steps[i].Tool != "get_weather" || pl.Steps[i].Args["city"] != city {
				t.Errorf("%q: step %d = %s %v, want get_weather %s", req, i, pl.Steps[i].Tool, pl.Steps[i].Args, city)
			}
		}
	}
	// A second value another argument took is no second call.
	if pl, err := p.Plan(context.Background(), planq.New("What's the weather in Boston and in Denver tomorrow?")); err == nil && len(pl.Steps) != 2 {
		t.Errorf("Boston and Denver tomorrow: %s", pl.JSON())
	}
	pl, err := p.Plan(context.Background(), planq.New("Who are the prime ministers of Australia, Canada, and India?"))
	if err != nil || len(pl.Steps) != 1 {
		t.Fatalf("prime ministers: %v %v", err, pl)
	}
	if got, _ := json.Marshal(pl.Steps[0].Args["countries"]); string(got) != `["Australia","Canada","India"]` {
		t.Errorf("countries = %s", got)
	}
}

// A language code parameter takes the code of the language named, and the text to
// translate is not followed by its target.
func TestLanguagesAndTranslationTargets(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("translate_text", "Translate text to a target language.",
		`{"type":"object","properties":{"text":{"type":"string","description":"The text"},"target_language":{"type":"string","description":"Language code, e.g. fr"}},"required":["text","target_language"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"Translate 'good morning' to French":   `{"target_language":"fr","text":"good morning"}`,
		"please translate goodbye into German": `{"target_language":"de","text":"goodbye"}`,
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		if got, _ := json.Marshal(pl.Steps[0].Args); string(got) != want {
			t.Errorf("%q: %s, want %s", req, got, want)
		}
	}
}

// A conjunct that opens with what another tool does asks for another step, whatever
// words of its object the first step's tool happens to use.
func TestAConjunctThatAsksForAnotherStep(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("irrigation.start_zone", "Start watering one irrigation zone of the garden for a number of minutes.",
			`{"type":"object","properties":{"zone":{"type":"string","description":"Zone name, e.g. front lawn"},"minutes":{"type":"integer","description":"How long to water"}},"required":["zone","minutes"]}`),
		testTool("shop.order_seeds", "Order a packet of seeds from the garden shop.",
			`{"type":"object","properties":{"variety":{"type":"string","description":"Seed variety"},"packets":{"type":"integer","description":"Number of packets"}},"required":["variety"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	pl, err := p.Plan(context.Background(), planq.New("order 2 packets of basil seeds"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["variety"] != "basil seeds" {
		t.Errorf("2 packets of basil seeds: %v %v", err, pl) // the count is packets', not the variety's
	}
	req := "order basil seeds and water the herb garden for 10 minutes"
	if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil && len(pl.Steps) < 2 {
		t.Errorf("%q: served %s, which drops the watering", req, pl.JSON())
	}
}

// A message of a few words is what it says, whatever words it is made of.
func TestShortMessagesAreMessages(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("sms.send", "Send a text message to a phone number.",
		`{"type":"object","properties":{"to":{"type":"string","description":"Phone number"},"message":{"type":"string","description":"The message text"}},"required":["to","message"]}`))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("text +1 555 010 9988 saying I'm on my way"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["message"] != "I'm on my way" {
		t.Errorf("I'm on my way: %v %v", err, pl)
	}
}

// "City, Country" is one place and "A or B" one call with a choice; only "A and B" is a
// call per value.
func TestOnlyAndMakesParallelCalls(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("get_weather", "Get the current weather for a city.",
		`{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{"What is the weather in London, UK?", "what's the weather in Paris or in Lyon?"} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil && len(pl.Steps) > 1 {
			t.Errorf("%q: %s, want at most one call", req, pl.JSON())
		}
	}
}

// A second place for a step that has one is a second request: refused, never dropped,
// whatever words of it the first step's tool happens to use.
func TestASecondRequestIsNotDropped(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("get_forecast", "Get the weather forecast for a city for the next days.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City name"},"days":{"type":"integer","description":"Number of days"}},"required":["city","days"]}`),
		testTool("restaurant.search", "Find restaurants by cuisine in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City"},"cuisine":{"type":"string","description":"e.g. Italian, Thai"}},"required":["city"]}`),
		testTool("flight.book", "Book a flight between two airports on a date.",
			`{"type":"object","properties":{"origin":{"type":"string","description":"Departure airport code, e.g. JFK"},"destination":{"type":"string","description":"Arrival airport code"},"date":{"type":"string","format":"date"}},"required":["origin","destination","date"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"what's the 3 day forecast for Rome and the current weather in Milan",
		"find Thai restaurants in Seattle and Italian restaurants in Portland",
		"book a flight from JFK to LAX on 2027-01-15 and from LAX to SFO on 2027-01-20",
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil && len(pl.Steps) < 2 {
			t.Errorf("%q: served %s, which drops the second request", req, pl.JSON())
		}
	}
}

// A file moves to a path: "into the finance folder" is the directory finance/, and a
// destination that names no path beside a file is no value.
func TestFilesMoveToPaths(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("move_file", "Move or rename a file or directory.",
		`{"type":"object","properties":{"source":{"type":"string","minLength":1},"destination":{"type":"string","minLength":1}},"required":["source","destination"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	pl, err := p.Plan(context.Background(), planq.New("move budget.xlsx into the finance folder"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["destination"] != "finance/" {
		t.Errorf("into the finance folder: %v %v", err, pl)
	}
	if pl, err := p.Plan(context.Background(), planq.New("move budget.xlsx to somewhere safe")); err == nil {
		t.Errorf("somewhere safe is no path: served %s", pl.JSON())
	}
}

// A clause that asks to see is read only by tools that read: a tool that acts and ranks
// higher ("cancel_event" for "list my calendar events") is no reading of it.
func TestSeeingClausesAreReadByReaders(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("calendar.cancel_event", "Cancel (delete) a calendar event by its event id and notify its attendees.",
			`{"type":"object","properties":{"event_id":{"type":"string","description":"The event's id"}},"required":["event_id"]}`),
		testTool("calendar.list_events", "List the events in the user's calendar between two dates.",
			`{"type":"object","properties":{"start_date":{"type":"string","format":"date"},"end_date":{"type":"string","format":"date"}},"required":["start_date"]}`),
		testTool("weather.get", "Get the weather for a city.",
			`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`),
		testTool("notes.create", "Create a note with a text.",
			`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("list my calendar events for tomorrow"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Tool != "calendar.list_events" {
		t.Errorf("list my calendar events: %v %v", err, pl)
	}
}

// The year of a month is a date, not a count or a size ("for February 2022").
func TestAMonthsYearIsNoCount(t *testing.T) {
	req := "count the hosts for February 2022"
	year := slot.Slot{Kind: slot.Number, Text: "2022", Value: "2022", Start: strings.Index(req, "2022"), End: strings.Index(req, "2022") + 4}
	size := &paramInfo{Param: tool.Param{Name: "size"}, norm: "size", kind: pInteger, terms: map[string]bool{"size": true}, nameTerms: map[string]bool{"size": true}}
	if why := numberFits(size, year, req); why == "" {
		t.Error("2022 after February fits a page size")
	}
	plain := "a page size of 2022"
	year.Start, year.End = strings.Index(plain, "2022"), strings.Index(plain, "2022")+4
	if why := numberFits(size, year, plain); why != "" {
		t.Errorf("a plain 2022 is refused: %s", why)
	}
}

// "me to watch online" is no title, and a verb opening a capitalised run names no city.
func TestSentenceFragmentsAreNoValues(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("media.play_movie", "Play a movie by its title.",
			`{"type":"object","properties":{"title":{"type":"string","description":"The movie's title"}},"required":["title"]}`),
		testTool("buses.find", "Find a bus between two cities on a date.",
			`{"type":"object","properties":{"from_city":{"type":"string"},"to_city":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["from_city","to_city","date"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"could you play some options for me to watch online?",
		"Hi, Find Theater events from Los Angeles on 2027-03-04",
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		}
	}
}

// Money goes to someone named: a lower-case phrase names no receiver.
func TestAReceiverIsNamed(t *testing.T) {
	reg, err := tool.NewRegistry(testTool("Payment_1_RequestPayment", "Initiates a payment request to a specified receiver for a certain amount.",
		`{"type":"object","properties":{"receiver":{"type":"string","description":"The name or identifier of the contact or account to receive the payment request"},"amount":{"type":"number","description":"The monetary value to be requested"},"private_visibility":{"type":"boolean"}},"required":["receiver","amount"]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	if pl, err := p.Plan(context.Background(), planq.New("Could you initiate a private payment from my debit card to my landlord's email for $154?")); err == nil {
		t.Errorf("private payment is no receiver: served %s", pl.JSON())
	}
	pl, err := p.Plan(context.Background(), planq.New("initiate a payment request of $154 to Dana"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["receiver"] != "Dana" {
		t.Errorf("from Dana: %v %v", err, pl)
	}
}

// The word after a name says which parameter it is ("the Stronger album"), unless a
// value follows that word; and "retrieve a list" asks to see, so a tool that plays is no
// reading of it.
func TestAlbumsAndRetrievals(t *testing.T) {
	reg, err := tool.NewRegistry(
		testTool("Music_3_LookupMusic", "Discover songs that align with your musical preferences by specifying the artist, album and genre.",
			`{"type":"object","properties":{"artist":{"type":"string","description":"The first and last name of the artist or the name of the band.","default":"dontcare"},"album":{"type":"string","description":"The name of the album.","default":"dontcare"},"genre":{"type":"string","default":"dontcare"}}}`),
		testTool("Music_3_PlayMedia", "Plays the specified track on the designated device.",
			`{"type":"object","properties":{"track":{"type":"string","description":"The title of the song to be played."},"artist":{"type":"string","description":"The name of the artist performing the song.","default":"any"}},"required":["track"]}`),
		testTool("Media_3_PlayMovie", "Stream the selected movie online with the option to choose subtitles.",
			`{"type":"object","properties":{"title":{"type":"string","description":"The exact title of the movie to be streamed."}},"required":["title"]}`),
		testTool("Alarm_1_AddAlarm", "Set a new alarm with a specified time and an optional custom name.",
			`{"type":"object","properties":{"new_alarm_time":{"type":"string","description":"The time, HH:MM"}},"required":["new_alarm_time"]}`),
	)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPattern(reg, WithClock(testNow)).Plan(context.Background(), planq.New("Can you retrieve a list of songs by Little Mix from the 'Get Weird' album?"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Tool != "Music_3_LookupMusic" || pl.Steps[0].Args["album"] != "Get Weird" {
		t.Errorf("Get Weird album: %v %v", err, pl)
	}
}
