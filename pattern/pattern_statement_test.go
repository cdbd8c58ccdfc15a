package pattern

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// TestStatementsGiveValues: "Site ID is 1234" states a value for the step another
// clause asks for; it never makes a step of its own (delete_site, the tool it matches
// best alone), and the value goes to the parameter its label names. A clause that asks
// for something of its own is refused when it cannot be planned, never dropped.
func TestStatementsGiveValues(t *testing.T) {
	id := func(name, desc string) *tool.Tool {
		return testTool(name, desc, `{"type":"object","properties":{"siteId":{"type":"string","description":"The unique identifier of the site."}},"required":["siteId"]}`)
	}
	country := `{"type":"object","properties":{"country":{"type":"string","description":"The country, e.g. France"}},"required":["country"]}`
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("sites.rename_site", "Renames an existing site with a new name, given the site's id.",
			`{"type":"object","properties":{"siteId":{"type":"string","description":"The unique identifier of the site to rename."},"name":{"type":"string","description":"The new name for the site."}},"required":["siteId","name"]}`),
		id("sites.delete_site", "Deletes a site, given its id."),
		testTool("alarms.list_alarms", "List the alarms a user has set.",
			`{"type":"object","properties":{"user_id":{"type":"integer","description":"The user's id"}},"required":["user_id"]}`),
		testTool("health.get_stats", "Get disease statistics for a country.", country),
		testTool("health.get_news", "Get health news for a country.", country),
	)...)
	for _, tc := range []struct {
		req, want string // want: tool(args) per step, "" for a refusal
	}{
		{`Rename site "Frank" to "Bob". Site ID is 1234`, `sites.rename_site(name=Bob siteId=1234)`},
		{`Rename the site with ID 77 to "Bob"`, `sites.rename_site(name=Bob siteId=77)`},
		{"Show the alarms I have set. My user ID is 12345.", "alarms.list_alarms(user_id=12345)"},
		{"My user ID is 12345. Show the alarms I have set.", "alarms.list_alarms(user_id=12345)"},
		{"Site ID is 1234.", ""},
		{"Get the statistics for Canada and then get the latest news.", ""},
	} {
		if tc.want == "" {
			wantRefused(t, p, tc.req)
			continue
		}
		if g := callsOf(t, p, tc.req, "name", "siteId", "user_id"); g != tc.want {
			t.Errorf("%q: got %s, want %s", tc.req, g, tc.want)
		}
		if pl, err := p.Plan(context.Background(), planq.New(tc.req)); err == nil && strings.Contains(pl.Reasoning, "delete") {
			t.Errorf("%q: the reasoning speaks of a step the plan does not make: %s", tc.req, pl.Reasoning)
		}
	}
}

// TestPossessivePhrases: "the current status of my order" is what an order status tool
// is asked for, not a product name; "the package containing my image" is a package.
func TestPossessivePhrases(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("order_status_check", "Check the status of an order.",
			`{"type":"object","properties":{"order_id":{"type":"string","description":"The order's id"},"product":{"type":"string","description":"The product ordered"}},"required":["order_id","product"]}`),
		testTool("deliver_package", "Deliver a package to an address.",
			`{"type":"object","properties":{"package":{"type":"string","description":"What to deliver"},"destination":{"type":"string","description":"The address"}},"required":["package","destination"]}`),
	)...)
	if pl, err := p.Plan(context.Background(), planq.New("Check the current status of my order, order ID is 123456789")); err == nil {
		t.Errorf("status of my order: served %s, want a refusal (no product given)", pl.JSON())
	}
	pl, err := p.Plan(context.Background(), planq.New("Please deliver the package containing my 'example.jpg' image to the address '123 Main St'."))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Tool != "deliver_package" || pl.Steps[0].Args["destination"] != "123 Main St" {
		t.Errorf("deliver: %v %v", err, pl)
	}
}

// TestNamesWithThe: "The Grand Hotel" and "The Central Library" are names (they were
// refused as names opening with a stop word, and the hotel got the name "July 15th").
func TestNamesWithThe(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("book_hotel", "Book a specific hotel for a specific date",
			`{"type":"object","properties":{"date":{"type":"string","format":"date","description":"The date to book the hotel for"},"name":{"type":"string","description":"The name of the hotel to book"}},"required":["date","name"]}`),
		testTool("borrow_book_online", "Borrow a specific book from a specific library",
			`{"type":"object","properties":{"book":{"type":"string","description":"The book to borrow"},"library":{"type":"string","description":"The library to borrow the book from"}},"required":["book","library"]}`),
	)...)
	for req, want := range map[string]map[string]any{
		"I would like to book The Grand Hotel for July 15th, 2022":                          {"name": "The Grand Hotel", "date": "2022-07-15"},
		"I need to borrow the book 'Python for Beginners' from The Central Library online.": {"book": "Python for Beginners", "library": "The Central Library"},
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 {
			t.Errorf("%q: %v %v", req, err, pl)
			continue
		}
		for k, v := range want {
			if pl.Steps[0].Args[k] != v {
				t.Errorf("%q: %s = %v, want %v", req, k, pl.Steps[0].Args[k], v)
			}
		}
	}
}

func TestCutsThrough(t *testing.T) {
	for _, tc := range []struct {
		ph, v string
		want  bool
	}{
		{"July 15th", "July 15th, 2022", true},
		{"book 'Python", "'Python for Beginners'", true},
		{"value of 5 ETH", "5 ETH", false},
		{"meeting moved to 3pm", "3pm", false},
		{"The Grand Hotel", "July 15th, 2022", false},
	} {
		if got := cutsThrough(tc.ph, tc.v); got != tc.want {
			t.Errorf("cutsThrough(%q, %q) = %v", tc.ph, tc.v, got)
		}
	}
}

// TestBorrowedVerbsAndResults: a clause with no verb of its own after "then" asks what
// the clause before it asked, of its own noun phrase ("pay my gas bill and then my Visa
// card"), and is planned or refused, never dropped as a statement; "what you find" is an
// earlier result, not a search; a tool whose name and description hold no verb names
// what it gives, so "check the weather" may use it. The previous code fails the first
// four; the last three guard (refusals and a statement it already handled).
func TestBorrowedVerbsAndResults(t *testing.T) {
	str := func(name, desc string) string {
		return `{"type":"object","properties":{"` + name + `":{"type":"string","description":"` + desc + `"}},"required":["` + name + `"]}`
	}
	p := newTestPattern(t,
		testTool("billing.pay_bill", "Pay a utility bill such as electricity, gas or water.", str("bill_type", "The utility, e.g. electricity, gas, water")),
		testTool("cards.pay_credit_card", "Pay the balance of a credit card.", str("card_name", "The card, e.g. Visa, Mastercard")),
		testTool("web.search", "Search the web for a query.", str("query", "What to search for")),
		testTool("notes.save", "Save a note with the given text.", str("text", "The note's text")),
		testTool("weather.current", "Current weather in a city.", str("city", "City name")),
		testTool("messages.send_text", "Send a text message to a phone number.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Phone number"},"body":{"type":"string","description":"The message"}},"required":["to","body"]}`),
	)
	for _, tc := range []struct {
		req, want string // want: tool(args) per step, "" for a refusal
	}{
		{"pay my gas bill and then my Visa card", "billing.pay_bill(bill_type=gas); cards.pay_credit_card(card_name=Visa)"},
		{"search the web for 'cheap flights to Rome' and save what you find as a note", "web.search(query=cheap flights to Rome); notes.save(text=${s1})"},
		{"check the weather in Rome", "weather.current(city=Rome)"},
		{"what's the weather in Oslo, then the weather in Bergen", "weather.current(city=Oslo); weather.current(city=Bergen)"},
		// No calendar tool: the second clause is refused, not dropped.
		{"check the weather in Rome and then my calendar for Friday", ""},
		// The body of the second text is not said again: refused, not dropped.
		{"text +1 555 010 2000 that I'm late and then the same to +1 555 010 3000", ""},
		// A statement stays a statement.
		{"pay my water bill. My card is a Visa.", "billing.pay_bill(bill_type=water)"},
	} {
		if tc.want == "" {
			wantRefused(t, p, tc.req)
			continue
		}
		if g := callsOf(t, p, tc.req, "bill_type", "card_name", "query", "text", "city", "to", "body"); g != tc.want {
			t.Errorf("%q: got %s, want %s", tc.req, g, tc.want)
		}
	}
}

// TestTwoThingsOfOneKind: a clause that lists two values of one parameter gets one call
// per value ("pay the gas and water bills"), or is refused; one call for one of them is
// a wrong plan ("pay my phone bill and my electricity bill" paid the electricity bill
// only, and the previous code served that).
func TestTwoThingsOfOneKind(t *testing.T) {
	p := newTestPattern(t,
		testTool("billing.pay_bill", "Pay a utility bill such as electricity, gas or water.",
			`{"type":"object","properties":{"bill_type":{"type":"string","description":"The utility, e.g. electricity, gas, water"}},"required":["bill_type"]}`),
		testTool("lights.turn_off", "Turn off the lights of a room.",
			`{"type":"object","properties":{"room":{"type":"string","description":"The room, e.g. kitchen, bedroom, hall"}},"required":["room"]}`),
	)
	for _, tc := range []struct {
		req  string
		want []string // the value of each call, nil for a refusal
	}{
		{"pay the gas and water bills", []string{"gas", "water"}},
		{"pay the gas, water and electricity bills", []string{"gas", "water", "electricity"}},
		{"pay the gas bill and the water bill", []string{"gas", "water"}},
		{"turn off the kitchen and bedroom lights", []string{"kitchen", "bedroom"}},
		{"pay my phone bill and my electricity bill", nil},
		{"pay the gas bill and the water bill with my Visa card", nil},
		{"pay the water bill", []string{"water"}},
	} {
		pl, err := p.Plan(context.Background(), planq.New(tc.req))
		if tc.want == nil {
			if err == nil {
				t.Errorf("%q: want a refusal, got %s", tc.req, pl.JSON())
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.req, err)
			continue
		}
		var got []string
		for _, st := range pl.Steps {
			for _, k := range []string{"bill_type", "room"} {
				if v, ok := st.Args[k]; ok {
					got = append(got, fmtArg(v))
				}
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q: got %v, want %v (%s)", tc.req, got, tc.want, pl.JSON())
		}
	}
}

// TestDictatedMessageKeepsItsWords: "it" inside a message the user dictates ("text ...
// that it's done") is the user's word, not a reference to the earlier step's output;
// "text it to ..." and "text the results to ..." still send that output.
func TestDictatedMessageKeepsItsWords(t *testing.T) {
	p := newTestPattern(t,
		testTool("billing.pay_bill", "Pay a utility bill such as electricity, gas or water.",
			`{"type":"object","properties":{"bill_type":{"type":"string","description":"The utility, e.g. electricity, gas, water"}},"required":["bill_type"]}`),
		testTool("web.search", "Search the web for a query.",
			`{"type":"object","properties":{"query":{"type":"string","description":"What to search for"}},"required":["query"]}`),
		testTool("messages.send_text", "Send a text message to a phone number.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Phone number"},"body":{"type":"string","description":"The message"}},"required":["to","body"]}`),
	)
	for req, want := range map[string]string{
		"pay the water bill and text +1 555 010 2000 that it's done":               "it's done",
		"pay the water bill and then text +1 555 010 2000 saying it is paid":       "it is paid",
		"search the web for 'tram strike' and text +1 555 010 2000 that I saw it":  "I saw it",
		"search the web for 'tram strike' and text it to +1 555 010 2000":          "${s1}",
		"search the web for 'tram strike' and text the results to +1 555 010 2000": "${s1}",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil {
			t.Errorf("%q: %v", req, err)
			continue
		}
		last := pl.Steps[len(pl.Steps)-1]
		if last.Tool != "messages.send_text" || fmtArg(last.Args["body"]) != want {
			t.Errorf("%q: got %s, want the text %q", req, pl.JSON(), want)
		}
	}
}

// TestSizesZonesAndRescheduling: "size UK 34" is a size, no order number; "4pm EST" is a
// time zone, no event identifier; "reschedule" is a verb, so "find my next appointment
// and reschedule it" is two clauses, and the first (no tool finds appointments) is
// refused rather than folded into the second. An identifier is the code after the word
// its parameter names ("event evt-991"), never the phrase; a date parameter that asks
// for a date and a time gets both ("4pm" was dropped: the event moved to midnight).
func TestSizesZonesAndRescheduling(t *testing.T) {
	p := newTestPattern(t,
		testTool("order_status_check", "Check the current status of an order by its unique identifier.",
			`{"type":"object","properties":{"order_id":{"type":"string","description":"The unique identifier of the order."},"product":{"type":"string","description":"The name of the product ordered, e.g. 'iPhone 12'."}},"required":["order_id"]}`),
		testTool("reschedule", "Moves a specified event to a new date and time.",
			`{"type":"object","properties":{"identifier":{"type":"string","description":"A unique identifier for the event to be rescheduled."},"dateortime":{"type":"string","description":"The new date and time for the event, in ISO-8601 format (YYYY-MM-DDTHH:MM:SS)."}},"required":["identifier","dateortime"]}`),
	)
	for req, want := range map[string]string{
		"I ordered size UK 34, check the status of the order":                         "",
		"check the status of order 34":                                                "order_status_check(order_id=34)",
		"reschedule event evt-991 to December 3, 2026 at 4pm EST":                     "reschedule(identifier=evt-991 dateortime=2026-12-03T16:00:00)",
		"reschedule the appointment with id dentist to December 3, 2026 at 9am":       "reschedule(identifier=dentist dateortime=2026-12-03T09:00:00)",
		"Find my next dentist appointment and reschedule it to December 3 at 4pm EST": "",
	} {
		if want == "" {
			wantRefused(t, p, req)
			continue
		}
		if got := callsOf(t, p, req, "order_id", "identifier", "dateortime"); got != want {
			t.Errorf("%q: got %s, want %s", req, got, want)
		}
	}
}

// TestPossessedConjunct: "and my boss" after a recipient is a second recipient the plan
// has no address for; the previous code e-mailed John alone.
func TestPossessedConjunct(t *testing.T) {
	p := newTestPattern(t,
		testTool("mail.send", "Send an email.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Recipient email address"},"body":{"type":"string","description":"Email body"}},"required":["to","body"]}`),
	)
	wantRefused(t, p, "email john@example.com and my boss about the delay")
	// Guard: one recipient, a possessive in the message.
	pl, err := p.Plan(context.Background(), planq.New("email john@example.com about my flight delay"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["to"] != "john@example.com" {
		t.Errorf("one recipient: %v %v", err, pl)
	}
}

// TestQuotedQuery: a verb the tool does and a quoted value for its free-text parameter
// are a whole request ("search 'best ramen in Osaka'" was refused as naming nothing the
// search works on); a quoted value alone does not make a verb of another tool its.
func TestQuotedQuery(t *testing.T) {
	p := newTestPattern(t,
		testTool("web.search", "Search the web for a query.",
			`{"type":"object","properties":{"query":{"type":"string","description":"What to search for"}},"required":["query"]}`),
		testTool("weather.current", "Current weather in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}`),
	)
	for _, req := range []string{"search 'best ramen in Osaka'", "look up 'best ramen in Osaka'", "find 'best ramen in Osaka' online"} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Tool != "web.search" || pl.Steps[0].Args["query"] != "best ramen in Osaka" {
			t.Errorf("%q: %v %v", req, err, pl)
		}
	}
	for _, req := range []string{"book 'Hamlet' for Friday", "play 'Yellow'"} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
			t.Errorf("%q: want a refusal, got %s", req, pl.JSON())
		}
	}
}

// TestValueOnlyMatchNamesAnotherThing: a tool matched only by a value the clause gives
// ("Seattle, WA", its description's example) does not serve a clause that names another
// kind of thing the catalogue knows (the weather); the previous code searched hotels.
func TestValueOnlyMatchNamesAnotherThing(t *testing.T) {
	p := newTestPattern(t,
		testTool("search_hotels", "Retrieves a list of hotels based on the specified location.",
			`{"type":"object","properties":{"location":{"type":"string","description":"The location of the hotels, such as 'Seattle, WA' or 'Paris, France'."}},"required":["location"]}`),
		// Several weather tools, none of which the clause gives what it needs: "weather"
		// is a common word of the catalogue, and the hotel search's rare example
		// matches better.
		testTool("weather_alerts", "Severe weather alerts.",
			`{"type":"object","properties":{"since":{"type":"string","description":"Start date"}},"required":["since"]}`),
		testTool("weather_history", "Past weather records of a station.",
			`{"type":"object","properties":{"station":{"type":"string","description":"Station id"}},"required":["station"]}`),
		testTool("weather_radar", "Radar image of the weather over a grid cell.",
			`{"type":"object","properties":{"cell":{"type":"string","description":"Grid cell id"}},"required":["cell"]}`),
	)
	wantRefused(t, p, "Can you tell me the weather in Seattle, WA on the 4th of march 2023?")
	// Guard: the hotels themselves.
	if pl, err := p.Plan(context.Background(), planq.New("find hotels in Seattle, WA")); err != nil || pl.Steps[0].Tool != "search_hotels" {
		t.Errorf("hotels: %v %v", err, pl)
	}
}

// TestThenAsksForItsOwn: an instruction of its own after "then" that lacks values is not
// accounted for by a step another clause asked for with the same tool: "... and then
// retrieve its recent SEC filing date" asks for the filings, and the balance sheet alone
// was served (NESTFUL executable/81).
func TestThenAsksForItsOwn(t *testing.T) {
	p := newTestPattern(t,
		testTool("sec.balance_sheet", "Get the balance sheet of a company from its SEC filings, by ticker.",
			`{"type":"object","properties":{"ticker":{"type":"string","description":"The company's ticker, e.g. AAPL"},"filing_order":{"type":"integer","description":"Which filing: 0 is the latest"}},"required":["ticker"]}`),
		testTool("sec.statements", "Get the financial statements and disclosures a company filed with the SEC, by ticker.",
			`{"type":"object","properties":{"ticker":{"type":"string","description":"The company's ticker"}},"required":["ticker"]}`),
		testTool("sec.company_filings", "List a company's SEC filings with their dates.",
			`{"type":"object","properties":{"identifier":{"type":"string","description":"The company's SEC CIK identifier"}},"required":["identifier"]}`),
	)
	wantRefused(t, p, "IBM's ticker is IBM. Fetch the balance sheet for IBM and then retrieve its recent SEC filing date.")
	if pl, err := p.Plan(context.Background(), planq.New("Fetch the balance sheet for IBM")); err != nil || pl.Steps[0].Args["ticker"] != "IBM" {
		t.Errorf("balance sheet: %v %v", err, pl)
	}
}

// TestFirstConjunctServed: "find me pet groomers near Sydney, Australia and their
// reviews" got the reviews alone (the search that finds the groomers was dropped, and
// "Australia" filled the reviews' field list); what a clause asks before its "and" must
// be something its steps do. A country names no field list.
func TestFirstConjunctServed(t *testing.T) {
	p := newTestPattern(t,
		testTool("business_reviews", "Search for businesses reviews based on specified criteria.",
			`{"type":"object","properties":{"business_id":{"type":"string","description":"Search business ID"},"fields":{"type":"string","description":"A comma separated list of review fields to include in the response."},"region":{"type":"string","description":"Query from a particular region or country."}}}`),
		testTool("house_search", "Search for a house to rent in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City name"},"rating":{"type":"number","description":"Minimum rating"}},"required":["city"]}`),
	)
	wantRefused(t, p, "Find me pet groomers near Sydney, Australia and their reviews")
	// Guard: the house the search finds is what the first conjunct asks for.
	if pl, err := p.Plan(context.Background(), planq.New("find a house in Philadelphia with a garden and a rating of at least 4.1")); err != nil || pl.Steps[0].Tool != "house_search" {
		t.Errorf("house: %v %v", err, pl)
	}
}

// TestLanguageTakesALanguage: a city is no language ("the weather for Miami" filled a
// forecast's lang with "Miami" and left its query empty).
func TestLanguageTakesALanguage(t *testing.T) {
	p := newTestPattern(t,
		testTool("weather_forecast", "Fetch forecast weather information.",
			`{"type":"object","properties":{"q":{"type":"string","description":"Query parameter based on which data is sent back. It could be one of the following: Latitude and Longitude e.g: q=48.8567,2.3508, city name e.g.: q=Paris, US zip e.g: q=10001"},"days":{"type":"number","description":"Number of days of forecast required."},"lang":{"type":"string","description":"Returns 'condition:text' field in API in the desired language"}},"required":["q"]}`),
	)
	pl, err := p.Plan(context.Background(), planq.New("Could you provide the weather conditions for Miami?"))
	if err != nil || pl.Steps[0].Args["q"] != "Miami" || pl.Steps[0].Args["lang"] != nil {
		t.Errorf("Miami: %v %v", err, pl)
	}
	// Guard: a language is not taken for the city (the planner leaves it out).
	pl, err = p.Plan(context.Background(), planq.New("weather forecast for Lyon in French"))
	if err != nil || pl.Steps[0].Args["q"] != "Lyon" {
		t.Errorf("French: %v %v", err, pl)
	}
}

// TestSecondRequestAfterAnd: "... and a hotel in Athens from the 22nd to the 27th" asks
// for a hotel; the flight search took "Athens" from before the conjunction and "22" is
// no word of the hotel, so the flights alone were served.
func TestSecondRequestAfterAnd(t *testing.T) {
	p := newTestPattern(t,
		testTool("flights.search", "Search flight offers between two cities on a date.",
			`{"type":"object","properties":{"origin":{"type":"string","description":"City or IATA airport code"},"destination":{"type":"string","description":"City or IATA airport code"},"depart_date":{"type":"string","format":"date"}},"required":["origin","destination","depart_date"]}`),
	)
	wantRefused(t, p, "search for flights from Berlin to Athens on 2026-12-22 and a hotel in Athens from the 22nd to the 27th")
	if pl, err := p.Plan(context.Background(), planq.New("search for flights from Berlin to Athens on 2026-12-22")); err != nil || len(pl.Steps) != 1 {
		t.Errorf("flights: %v %v", err, pl)
	}
}

// TestVerbAsAnotherSensesNoun: "book a flight to Austin" is no new contact, although the
// address book's tool holds the word "book"; a tool that lists the verb among its
// operations ("eg. install, uninstall, update") does it.
func TestVerbAsAnotherSensesNoun(t *testing.T) {
	// The hand-written messaging catalogue of the evaluation cases (contacts, e-mail,
	// chat, SMS), where "book" is a word of contacts.create alone.
	msgs, err := tool.LoadPaths("../eval/cases/catalogs/messaging.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(append(tool.Builtins(), msgs...),
		testTool("software_management", "Manage a specific software by a specific instruction",
			`{"type":"object","properties":{"software":{"type":"string","description":"The software to manage"},"instruction":{"type":"string","description":"The instruction to manage the software by, eg. install, uninstall, update etc."}},"required":["software","instruction"]}`),
	)...)
	wantRefused(t, p, "book a flight to Austin on Dec 12")
	for req, want := range map[string]string{
		"add Austin Reed to my address book": "contacts.create",
		"update Zoom to the latest version":  "software_management",
	} {
		if pl, err := p.Plan(context.Background(), planq.New(req)); err != nil || pl.Steps[0].Tool != want {
			t.Errorf("%q: %v %v, want %s", req, err, pl, want)
		}
	}
}

// TestAmountIsNoMessage: "send twenty dollars to +1 555 010 5151" sends money; a text
// saying "twenty dollars" is a wrong plan, and the previous code served it.
func TestAmountIsNoMessage(t *testing.T) {
	p := newTestPattern(t,
		testTool("send_sms", "Send a text message to a phone number.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Phone number"},"message":{"type":"string","description":"The text"}},"required":["to","message"]}`),
	)
	wantRefused(t, p, "send twenty dollars to +1 555 010 5151")
	if pl, err := p.Plan(context.Background(), planq.New("text +1 555 010 5151 that I owe you twenty dollars")); err != nil || pl.Steps[0].Args["message"] != "I owe you twenty dollars" {
		t.Errorf("message: %v %v", err, pl)
	}
}

// TestChatHandles: "#finance" and "@maria" are a channel and a handle for a parameter
// whose description shows one; a reading that leaves them unused loses to one that uses
// them ("slack #finance: invoices are out" set the user's status to the message).
func TestChatHandles(t *testing.T) {
	// The office catalogue of the hand-written evaluation cases.
	p := officePattern(t)
	for req, want := range map[string]string{
		"slack #finance: invoices are out":            "send_chat_message #finance invoices are out",
		"post 'deploy done' to #eng":                  "send_chat_message #eng deploy done",
		"message @maria on slack: the build is green": "send_chat_message @maria the build is green",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil {
			t.Errorf("%q: %v", req, err)
			continue
		}
		st := pl.Steps[0]
		if got := st.Tool + " " + fmtArg(st.Args["channel"]) + " " + fmtArg(st.Args["text"]); len(pl.Steps) != 1 || got != want {
			t.Errorf("%q: got %s, want %s", req, pl.JSON(), want)
		}
	}
	// Guard: the status itself.
	if pl, err := p.Plan(context.Background(), planq.New("set my slack status to 'in a meeting'")); err != nil || pl.Steps[0].Tool != "slack.set_status" {
		t.Errorf("status: %v %v", err, pl)
	}
}

// TestRefineTheStepReferredTo: "..., and could you provide that in Fahrenheit?" gives the
// weather step its unit; it was refused as a clause no tool matches. A clause that asks
// for something of its own is not a refinement.
func TestRefineTheStepReferredTo(t *testing.T) {
	p := newTestPattern(t,
		testTool("get_current_weather", "Retrieves the current weather conditions for a specified city.",
			`{"type":"object","properties":{"location":{"type":"string","description":"City, e.g. San Francisco"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location"]}`),
		testTool("news.search", "Search recent news articles by keyword.",
			`{"type":"object","properties":{"keyword":{"type":"string","description":"What the articles mention"},"limit":{"type":"integer","description":"How many articles"}},"required":["keyword"]}`),
	)
	pl, err := p.Plan(context.Background(), planq.New("What are the current weather conditions in Tel Aviv, and could you provide that in Fahrenheit, please?"))
	if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["unit"] != "fahrenheit" || pl.Steps[0].Args["location"] != "Tel Aviv" {
		t.Errorf("unit: %v %v", err, pl)
	}
	pl, err = p.Plan(context.Background(), planq.New("Search news articles about 'solar eclipse'. Limit it to 5 articles."))
	if err != nil || len(pl.Steps) != 1 || fmtArg(pl.Steps[0].Args["limit"]) != "5" {
		t.Errorf("limit: %v %v", err, pl)
	}
	// Guard: a clause that asks for another thing is no refinement of the first.
	wantRefused(t, p, "What's the weather in Oslo, and could you book that for Friday?")
}

// TestCodeLegends: a numeric parameter whose description gives a legend of codes ("1
// represents cleaning, 2 represents ironing") takes the code of the thing the clause
// names (it was refused as not given); a tool that only looks an identifier up does not
// serve a clause that asks to find a person or a thing ("help find a housekeeper who
// provides ironing services" with get_service_id alone is refused).
func TestCodeLegends(t *testing.T) {
	providers := testTool("get_service_providers", "Find service providers based on the given filters.",
		`{"type":"object","properties":{"service_id":{"type":"integer","description":"The unique identifier for a service. For example, 1 represents cleaning, 2 represents ironing, 7 represents massage, and 13 represents big cleaning.","enum":[1,2,7,13]}},"required":["service_id"]}`)
	lookup := testTool("get_service_id", "Retrieve the unique identifier of a service based on the service type.",
		`{"type":"object","properties":{"service_id":{"type":"integer","description":"The unique identifier of the service. For example, 1 represents a cleaning service, 2 represents an ironing service.","enum":[1,2]}},"required":["service_id"]}`)
	p := newTestPattern(t, providers)
	for req, want := range map[string]string{
		"Help me find service provider who provide cleaning service.": "1",
		"find a massage provider":                                     "7",
		"find a service provider for big cleaning":                    "13",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || fmtArg(pl.Steps[0].Args["service_id"]) != want {
			t.Errorf("%q: %v %v, want service_id %s", req, err, pl, want)
		}
	}
	wantRefused(t, p, "find a plumber")
	p = newTestPattern(t, lookup)
	wantRefused(t, p, "Help find a housekeeper who provides ironing services.")
	if pl, err := p.Plan(context.Background(), planq.New("get the unique identifier for the ironing service")); err != nil || fmtArg(pl.Steps[0].Args["service_id"]) != "2" {
		t.Errorf("identifier: %v %v", err, pl)
	}
}

// TestValuesAsWritten: found by a newcomer's catalogue (banking, health and home): a
// tracking number that is the description's example keeps the user's capitals; "70
// degrees Fahrenheit" is no zone, and no value for a temperature in degrees Celsius; a
// second prescription code is no pharmacy "e.g. CVS Main St".
func TestValuesAsWritten(t *testing.T) {
	p := newTestPattern(t,
		testTool("track_package", "Get the delivery status of a package by its tracking number.",
			`{"type":"object","properties":{"tracking_number":{"type":"string","description":"Carrier tracking number, e.g. \"1Z999AA10123456784\""},"carrier":{"type":"string","enum":["UPS","FedEx","USPS","DHL"]}},"required":["tracking_number"]}`),
		testTool("set_thermostat", "Set the target temperature of a thermostat.",
			`{"type":"object","properties":{"temperature":{"type":"number","description":"Target temperature in degrees Celsius, e.g. 21"},"zone":{"type":"string","description":"Thermostat zone, e.g. \"upstairs\", \"living room\""}},"required":["temperature"]}`),
		testTool("refill_prescription", "Request a refill of a prescription at the user's pharmacy.",
			`{"type":"object","properties":{"prescription_id":{"type":"string","description":"Prescription number, e.g. \"RX778812\""},"pharmacy":{"type":"string","description":"Pharmacy name or location, e.g. \"CVS Main St\""}},"required":["prescription_id"]}`),
	)
	pl, err := p.Plan(context.Background(), planq.New("Track package 1Z999AA10123456784"))
	if err != nil || pl.Steps[0].Args["tracking_number"] != "1Z999AA10123456784" {
		t.Errorf("tracking number: %v %v", err, pl)
	}
	wantRefused(t, p, "Set the thermostat to 70 degrees Fahrenheit")
	pl, err = p.Plan(context.Background(), planq.New("set the thermostat to 21 degrees upstairs"))
	if err != nil || fmtArg(pl.Steps[0].Args["temperature"]) != "21" || pl.Steps[0].Args["zone"] != "upstairs" {
		t.Errorf("thermostat: %v %v", err, pl)
	}
	pl, err = p.Plan(context.Background(), planq.New("Refill prescription RX778812 and RX778813"))
	if err != nil {
		t.Fatalf("refill: %v", err)
	}
	for _, st := range pl.Steps {
		if st.Args["pharmacy"] != nil {
			t.Errorf("refill: a code went to the pharmacy: %s", pl.JSON())
		}
	}
}

// TestCurrencyOfTheAmount: "Transfer 100 EUR" moves euros: the amount's currency fills
// the tool's currency parameter (it was left to the tool's default), and a currency the
// parameter cannot take is refused.
func TestCurrencyOfTheAmount(t *testing.T) {
	p := newTestPattern(t,
		testTool("transfer_money", "Transfer money between two of the user's accounts.",
			`{"type":"object","properties":{"from_account":{"type":"string","description":"Source account id"},"to_account":{"type":"string","description":"Destination account id"},"amount":{"type":"number","description":"Amount to transfer, e.g. 250.00"},"currency":{"type":"string","enum":["USD","EUR","GBP"],"description":"Currency code"}},"required":["from_account","to_account","amount"]}`),
	)
	for req, want := range map[string]any{
		"Transfer 100 EUR from 1234 to 5678": "EUR",
		"Transfer $100 from 1234 to 5678":    "USD",
		"Transfer 100 from 1234 to 5678":     nil,
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || pl.Steps[0].Args["currency"] != want {
			t.Errorf("%q: %v %v, want currency %v", req, err, pl, want)
		}
	}
	wantRefused(t, p, "Transfer 100 JPY from 1234 to 5678")

	// "Convert 250 USD to EUR": the amount's currency is the one converted from (it was
	// refused: from_currency not given).
	p = newTestPattern(t,
		testTool("convert_currency", "Convert an amount of money from one currency to another at today's rate.",
			`{"type":"object","properties":{"amount":{"type":"number","description":"Amount to convert"},"from_currency":{"type":"string","description":"ISO 4217 code, e.g. USD"},"to_currency":{"type":"string","description":"ISO 4217 code, e.g. EUR"}},"required":["amount","from_currency","to_currency"]}`),
	)
	wantCalls(t, p, map[string]string{
		"Convert 250 USD to EUR":    "convert_currency(amount=250 from_currency=USD to_currency=EUR)",
		"Convert 1200 JPY into EUR": "convert_currency(amount=1200 from_currency=JPY to_currency=EUR)",
	}, "amount", "from_currency", "to_currency")
}

// TestSecondValueAfterAnd: "the balance of account 1234 and account 5678" showed 1234's
// alone; a number, phone, e-mail, amount or URL after the conjunction, of the kind a step
// took before it, that no step takes is a second call the plan would drop.
func TestSecondValueAfterAnd(t *testing.T) {
	p := newTestPattern(t,
		testTool("get_account_balance", "Get the current balance of one of the user's accounts.",
			`{"type":"object","properties":{"account_id":{"type":"string","description":"Account id, e.g. 1234"}},"required":["account_id"]}`),
		testTool("freeze_card", "Freeze a payment card.",
			`{"type":"object","properties":{"card_last4":{"type":"string","description":"Last four digits of the card"}},"required":["card_last4"]}`),
	)
	if pl, err := p.Plan(context.Background(), planq.New("Show the balance of account 1234 and account 5678")); err == nil && len(pl.Steps) < 2 {
		t.Errorf("want a refusal or two calls, got %s", pl.JSON())
	}
	if pl, err := p.Plan(context.Background(), planq.New("Show the balance of account 1234 and then freeze card 4821")); err != nil || len(pl.Steps) != 2 {
		t.Errorf("balance then freeze: %v %v", err, pl)
	}
}

// wantRefused fails the test when p plans req.
func wantRefused(t *testing.T, p *Pattern, req string) {
	t.Helper()
	if pl, err := p.Plan(context.Background(), planq.New(req)); err == nil {
		t.Errorf("%q: want a refusal, got %s", req, pl.JSON())
	}
}

// callsOf plans req with p and renders its steps as tool(key=value ...) for the keys
// given, joined by "; " ("" after failing the test when p refuses).
func callsOf(t *testing.T, p *Pattern, req string, keys ...string) string {
	t.Helper()
	pl, err := p.Plan(context.Background(), planq.New(req))
	if err != nil {
		t.Errorf("%q: %v", req, err)
		return ""
	}
	var got []string
	for _, st := range pl.Steps {
		var kv []string
		for _, k := range keys {
			if v, ok := st.Args[k]; ok {
				kv = append(kv, k+"="+fmtArg(v))
			}
		}
		got = append(got, st.Tool+"("+strings.Join(kv, " ")+")")
	}
	return strings.Join(got, "; ")
}

// TestRoomIsNotDropped: "start the vacuum in the kitchen" cleaned the whole house (the
// optional room was never read from a phrase); a room-like parameter takes the place the
// clause names after "in".
func TestRoomIsNotDropped(t *testing.T) {
	p := newTestPattern(t,
		testTool("start_robot_vacuum", "Start the robot vacuum cleaning a room or the whole house.",
			`{"type":"object","properties":{"room":{"type":"string","description":"Room to clean; omit for whole house"}}}`),
		testTool("lock_door", "Lock a door of the house.",
			`{"type":"object","properties":{"door":{"type":"string","description":"Which door, e.g. front, back, garage"}},"required":["door"]}`),
	)
	wantCalls(t, p, map[string]string{
		"Start the vacuum in the kitchen":                                   "start_robot_vacuum(room=kitchen)",
		"start the robot vacuum in the bedroom and then lock the back door": "start_robot_vacuum(room=bedroom); lock_door(door=back)",
		"Start the vacuum": "start_robot_vacuum()",
	}, "room", "door")
}

// wantCalls plans every request of cases with p and compares its calls, rendered by
// callsOf over keys, with the case's.
func wantCalls(t *testing.T, p *Pattern, cases map[string]string, keys ...string) {
	t.Helper()
	for req, want := range cases {
		if got := callsOf(t, p, req, keys...); got != want {
			t.Errorf("%q: got %s, want %s", req, got, want)
		}
	}
}

// newTestPattern is a pattern planner over tools (a later tool replacing an earlier
// one of its name, as a catalogue replaces a built-in), on the test clock.
func newTestPattern(t *testing.T, tools ...*tool.Tool) *Pattern {
	t.Helper()
	reg, err := (*tool.Registry)(nil).Merge(tools...)
	if err != nil {
		t.Fatal(err)
	}
	return NewPattern(reg, WithClock(testNow))
}

// TestDurationIsNoShift: "Looking for a housekeeper 20/3/2024, ... duration 3 hours" was
// answered by the built-in add_duration (a date and a duration in the request): a
// length is no request to move a time by it. The built-in still answers a shift.
func TestDurationIsNoShift(t *testing.T) {
	tools := append(tool.Builtins(),
		testTool("find_cleaners", "Find cleaning professionals available in a district.",
			`{"type":"object","properties":{"district":{"type":"string","description":"District to search"}},"required":["district"]}`))
	p := newTestPattern(t, tools...)
	for _, req := range []string{
		"Looking for a babysitter 12/1/2027, Mitte, time 18:00, duration 4 hours",
		"need a dog walker on 2027-01-12 for 2 hours",
	} {
		wantRefused(t, p, req)
	}
	wantCalls(t, p, map[string]string{
		"add 3 days to 2027-01-12":      "add_duration(duration=3d)",
		"what was the time 2 hours ago": "current_time(); add_duration(duration=-2h)",
	}, "duration")
}

// TestUserArithmeticTool: "compute 443 * 349" went to the built-in calculator although
// the catalog has a tool that multiplies; the built-in yields to a user's tool made for
// the expression's one operation, and keeps what that tool cannot take.
func TestUserArithmeticTool(t *testing.T) {
	tools := append(tool.Builtins(),
		testTool("times", "Multiply two numbers and return their product.",
			`{"type":"object","properties":{"x":{"type":"number","description":"first factor"},"y":{"type":"number","description":"second factor"}},"required":["x","y"]}`))
	p := newTestPattern(t, tools...)
	wantCalls(t, p, map[string]string{
		"compute 12 * 7":     "times(x=12 y=7)",
		"calculate 6 * 9":    "times(x=6 y=9)",
		"compute 12 * 7 + 1": "calculate(expression=12 * 7 + 1)",
		"compute 2 * 3 * 4":  "calculate(expression=2 * 3 * 4)",
		"compute 20 / 4":     "calculate(expression=20 / 4)",
	}, "x", "y", "expression")
}

// TestBuiltinBelowUserTool: "what is the time in pc, using the command echo %time%"
// was answered by the built-in clock although the user's tool that runs commands fits
// the clause better: a built-in does not stand in for the tool the clause is about.
func TestBuiltinBelowUserTool(t *testing.T) {
	tools := append(tool.Builtins(),
		testTool("win_exec", "Executes a system command on the Windows PC with os.system() and returns its output.",
			`{"type":"object","properties":{"command":{"type":"string","description":"The command to execute, for example 'dir' or 'ipconfig'"}},"required":["command"]}`))
	p := newTestPattern(t, tools...)
	wantRefused(t, p, "what is the time in pc, using the command echo %time%")
	if got := callsOf(t, p, "what time is it in Tokyo", "timezone"); got != "current_time(timezone=Asia/Tokyo)" {
		t.Errorf("got %s", got)
	}
}

// TestDefaultGivesWay: "I feel like listening to some tunes. Can you play me Remind Me
// by Carrie Underwood?" made two calls, the first with the track's default ("dontcare"):
// one call described over two clauses, where a default gives way to the value stated.
func TestDefaultGivesWay(t *testing.T) {
	p := newTestPattern(t,
		testTool("play_song", "Play a song on the living room speaker.",
			`{"type":"object","properties":{"song":{"type":"string","description":"Title of the song","default":"any"},"artist":{"type":"string","description":"Performer of the song","default":"any"}},"required":["song"]}`))
	wantCalls(t, p, map[string]string{
		"I'd like to listen to a song. Play Yellow by Coldplay.": "play_song(song=Yellow artist=Coldplay)",
		"Play a song on the speaker":                             "play_song(song=any)",
	}, "song", "artist")
}

// TestFirstConjunctWithValueAfter: "Calculate the factorial of 6 and the area of a
// circle with radius 3" got the area alone: the radius after "and" accounted for the
// clause, and what came before it was never checked. A statement before "and" still
// asks for nothing.
func TestFirstConjunctWithValueAfter(t *testing.T) {
	p := newTestPattern(t,
		testTool("circle_area", "Calculate the area of a circle from its radius.",
			`{"type":"object","properties":{"radius":{"type":"number","description":"Radius of the circle"}},"required":["radius"]}`),
		testTool("factorial", "Compute the factorial of a whole number.",
			`{"type":"object","properties":{"n":{"type":"integer","description":"The number"}},"required":["n"]}`))
	wantRefused(t, p, "Calculate the factorial of 7 and the area of a circle with radius 2.5")
	wantRefused(t, p, "Compute the factorial of 7 and the area of a circle with radius 2.5")
	wantCalls(t, p, map[string]string{
		"I'm revising for an exam and need the area of a circle with radius 2.5": "circle_area(radius=2.5)",
		"what is the area of a circle with radius 2.5":                           "circle_area(radius=2.5)",
	}, "radius")
}

// TestAssignedByName: "a = 2, b = -5 and c = 3" gave the quadratic a = -5 and b = 2: a
// value assigned to a parameter by its name, however short, is that parameter's.
func TestAssignedByName(t *testing.T) {
	p := newTestPattern(t,
		testTool("quadratic_roots", "Solve a quadratic equation ax^2 + bx + c = 0 for its roots.",
			`{"type":"object","properties":{"a":{"type":"number","description":"Coefficient of x^2."},"b":{"type":"number","description":"Coefficient of x."},"c":{"type":"number","description":"Constant term."}},"required":["a","b","c"]}`))
	wantCalls(t, p, map[string]string{
		"Find the roots of the quadratic equation with a = 4, b = -7 and c = 1": "quadratic_roots(a=4 b=-7 c=1)",
		"quadratic roots for c=1, a=4, b=7":                                     "quadratic_roots(a=4 b=7 c=1)",
		"Solve the quadratic equation with a = 2, b = 5 and c = 3.":             "quadratic_roots(a=2 b=5 c=3)",
	}, "a", "b", "c")
}

// TestOtherQuantity: "Calculate the volume of a sphere with radius 3" was answered with
// the area of a circle of radius 3: a tool whose name says it computes one quantity is
// no answer to a question for another that its text never names.
func TestOtherQuantity(t *testing.T) {
	p := newTestPattern(t,
		testTool("circle_area", "Calculate the area of a circle from its radius.",
			`{"type":"object","properties":{"radius":{"type":"number","description":"Radius of the circle"}},"required":["radius"]}`),
		testTool("body_mass_index", "Compute the BMI from weight and height.",
			`{"type":"object","properties":{"weight":{"type":"number","description":"Weight in kg"},"height":{"type":"number","description":"Height in metres"}},"required":["weight","height"]}`))
	wantRefused(t, p, "Calculate the volume of a sphere with radius 3")
	wantRefused(t, p, "what is the circumference of a circle with radius 2")
	wantCalls(t, p, map[string]string{
		"Calculate the area of a circle with radius 3":          "circle_area(radius=3)",
		"what's the BMI for a weight of 70 and a height of 1.8": "body_mass_index(weight=70 height=1.8)",
	}, "radius", "weight", "height")
}

// TestHowFar: "How far is it to drive from Denver to Salt Lake City in miles?" matched no
// tool: "how far" asks for a distance.
func TestHowFar(t *testing.T) {
	p := newTestPattern(t,
		testTool("route_distance", "Get the road distance between two cities.",
			`{"type":"object","properties":{"origin":{"type":"string","description":"Starting city"},"destination":{"type":"string","description":"City to reach"}},"required":["origin","destination"]}`))
	if got := callsOf(t, p, "how far is it from Lyon to Geneva by car?", "origin", "destination"); got != "route_distance(origin=Lyon destination=Geneva)" {
		t.Errorf("got %s", got)
	}
}

// TestParallelNumbersAndDates: "What was the population of Japan in 2000 and in 2020?"
// was refused (a second year no step took): one call per value of a list of numbers or
// dates, as for names, after the values the step took.
func TestParallelNumbersAndDates(t *testing.T) {
	p := newTestPattern(t,
		testTool("country_population", "Get the population of a country in a given year.",
			`{"type":"object","properties":{"country":{"type":"string","description":"Country name"},"year":{"type":"integer","description":"The year"}},"required":["country","year"]}`),
		testTool("room_availability", "Check which meeting rooms are free on a date.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date","description":"The day, YYYY-MM-DD"}},"required":["date"]}`))
	wantCalls(t, p, map[string]string{
		"What was the population of Peru in 1990 and in 2010?":      "country_population(country=Peru year=1990); country_population(country=Peru year=2010)",
		"which meeting rooms are free on 2027-01-11 and 2027-01-12": "room_availability(date=2027-01-11); room_availability(date=2027-01-12)",
		"What was the population of Peru in 1990?":                  "country_population(country=Peru year=1990)",
	}, "country", "year", "date")
	// The times after the list are every call's: "rooms for Monday and Tuesday from
	// 10:00 to 11:00" dropped Tuesday.
	q := newTestPattern(t,
		testTool("book_room", "Book a meeting room.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date","description":"Day, YYYY-MM-DD"},"start_time":{"type":"string","description":"Start time HH:MM"},"end_time":{"type":"string","description":"End time HH:MM"}},"required":["date","start_time","end_time"]}`))
	wantCalls(t, q, map[string]string{
		"Book rooms for Monday and Tuesday from 10:00 to 11:00": "book_room(date=2026-11-30 start_time=10:00); book_room(date=2026-12-01 start_time=10:00)",
	}, "date", "start_time")
}

// TestPolarityAndRoom: "turn off the kitchen lights" was refused (the state enum's
// on/off is never a slot, and "kitchen" no room): a polarity word the clause says is the
// enum's value, and a room is the word that qualifies what the tool works on, or the
// place after "in".
func TestPolarityAndRoom(t *testing.T) {
	p := newTestPattern(t,
		testTool("smart_lights", "Switch the lights of a room.",
			`{"type":"object","properties":{"room":{"type":"string","description":"Which room"},"power":{"type":"string","enum":["on","off"],"description":"Switch them on or off"}},"required":["room","power"]}`),
		testTool("door_lock", "Lock or unlock a door.",
			`{"type":"object","properties":{"door":{"type":"string","description":"Which door"},"action":{"type":"string","enum":["lock","unlock"]}},"required":["door","action"]}`))
	wantCalls(t, p, map[string]string{
		"turn off the kitchen lights":    "smart_lights(room=kitchen power=off)",
		"switch the nursery lights on":   "smart_lights(room=nursery power=on)",
		"lights on in the garage please": "smart_lights(room=garage power=on)",
		"turn on the dining room lights": "smart_lights(room=dining room power=on)",
		"unlock the front door":          "door_lock(door=front door action=unlock)",
	}, "room", "power", "door", "action")
	// Both polarities said: no value is read.
	wantRefused(t, p, "turn the kitchen lights on and off")
}

// TestQualifierIsTheValue: "any quick chicken recipes under 30 minutes?" and "latest
// tech news in the US" were refused (no ingredient, no topic): when one text parameter
// is left, the word that qualifies what the tool works on is its value; a rating word
// ("quick", "latest") never is, nor a query's.
func TestQualifierIsTheValue(t *testing.T) {
	p := newTestPattern(t,
		testTool("find_recipes", "Find recipes by main ingredient.",
			`{"type":"object","properties":{"ingredient":{"type":"string","description":"Main ingredient"},"max_minutes":{"type":"integer","description":"Longest cooking time in minutes"}},"required":["ingredient"]}`),
		testTool("headlines", "Top news headlines on a topic.",
			`{"type":"object","properties":{"topic":{"type":"string","description":"Topic of the news"},"country":{"type":"string","description":"Country code, e.g. US"}},"required":["topic"]}`),
		testTool("web_search", "Search the web.",
			`{"type":"object","properties":{"query":{"type":"string","description":"The search query"}},"required":["query"]}`))
	wantCalls(t, p, map[string]string{
		"any easy salmon recipes under 20 minutes?": "find_recipes(ingredient=salmon max_minutes=20)",
		"latest tennis news in the UK":              "headlines(topic=tennis country=GB)",
	}, "ingredient", "max_minutes", "topic", "country")
	wantRefused(t, p, "any quick recipes?")
}

// TestReminderText: "Remind me to call mom tomorrow at 6pm" matched no tool ("remind" is
// no "reminder" to the index) and then had no text: what follows "remind me to" is the
// reminder, without the time it is set for.
func TestReminderText(t *testing.T) {
	p := newTestPattern(t,
		testTool("add_reminder", "Create a reminder.",
			`{"type":"object","properties":{"message":{"type":"string","description":"The reminder message"},"remind_at":{"type":"string","format":"date-time","description":"When to remind"}},"required":["message","remind_at"]}`))
	wantCalls(t, p, map[string]string{
		"Remind me to renew my passport on 2027-02-01 at 10:00": "add_reminder(message=renew my passport remind_at=2027-02-01T10:00:00Z)",
		"remind me that the plumber comes tomorrow at 8am":      "add_reminder(message=the plumber comes remind_at=2026-11-27T08:00:00Z)",
	}, "message", "remind_at")
	// "a reminder to my friend" says to whom, not what.
	m := newTestPattern(t,
		testTool("send_email", "Send an email.",
			`{"type":"object","properties":{"email_address":{"type":"string","description":"Recipient email"},"content":{"type":"string","description":"Body of the email"}},"required":["email_address","content"]}`))
	if got := callsOf(t, m, "send an email reminder to my friend at 'friend@example.com'", "email_address"); got != "send_email(email_address=friend@example.com)" {
		t.Errorf("got %s", got)
	}
}

// TestEmailIsNoPhone: "schedule a 30 minute call with nina@example.com on Thursday at
// 2pm" scheduled an SMS to the e-mail address, its "to" being a "Recipient phone
// number": a recipient, but not one an address reaches (nor a phone number an e-mail).
func TestEmailIsNoPhone(t *testing.T) {
	p := newTestPattern(t,
		testTool("send_text", "Send an SMS text message.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Recipient phone number"},"message":{"type":"string"}},"required":["to","message"]}`),
		testTool("send_mail", "Send an email.",
			`{"type":"object","properties":{"recipient":{"type":"string","description":"Recipient e-mail address"},"body":{"type":"string"}},"required":["recipient","body"]}`))
	wantRefused(t, p, "text nina@example.com saying the call moved to 3pm")
	wantRefused(t, p, "email +1 555 010 2233 saying the call moved to 3pm")
	if got := callsOf(t, p, "text +1 555 010 2233 saying the call moved to 3pm", "to"); got != "send_text(to=+15550102233)" {
		t.Errorf("got %s", got)
	}
}

// TestDestinationPhrase: "I need a comfort ride from 10 Main St to the airport" was
// refused (no drop-off): a destination or an origin described as an address or a
// location takes the place after "to" or "from", as a place parameter does.
func TestDestinationPhrase(t *testing.T) {
	p := newTestPattern(t,
		testTool("book_cab", "Book a cab ride.",
			`{"type":"object","properties":{"pickup":{"type":"string","description":"Pickup address"},"dropoff":{"type":"string","description":"Drop-off address"}},"required":["pickup","dropoff"]}`),
		testTool("translate_text", "Translate text into another language.",
			`{"type":"object","properties":{"text":{"type":"string"},"target":{"type":"string","description":"Target language"}},"required":["text","target"]}`))
	if got := callsOf(t, p, "book a cab from 22 Baker Street to the train station", "pickup", "dropoff"); got != "book_cab(pickup=22 Baker Street dropoff=train station)" {
		t.Errorf("got %s", got)
	}
	// A target that is no place takes no place phrase.
	wantRefused(t, p, "translate 'good night' to the other one")
}

// TestCurrentIsNoForecast: "the current weather conditions for Miami" went to the
// forecast API, whose output documents the current conditions too: a tool named for the
// forecast is no answer to a question for the current state, unless it says it gives it.
func TestCurrentIsNoForecast(t *testing.T) {
	out := json.RawMessage(`{"type":"object","properties":{"current":{"type":"object","description":"Current weather details and conditions"}}}`)
	realtime := testTool("Weather_Realtime_Api", "Fetch real-time weather information for a place.",
		`{"type":"object","properties":{"q":{"type":"string","description":"City name"}},"required":["q"]}`)
	forecast := testTool("Weather_Forecast_Api", "Fetch forecast weather information for a place.",
		`{"type":"object","properties":{"q":{"type":"string","description":"City name"},"days":{"type":"integer","description":"Days of forecast"},"lang":{"type":"string","description":"Language of the condition text"}},"required":["q"]}`)
	realtime.OutputSchema, forecast.OutputSchema = out, out
	p := newTestPattern(t, realtime, forecast,
		testTool("News_Headlines_Api", "Fetch the top news headlines.", `{"type":"object","properties":{"topic":{"type":"string"}}}`),
		testTool("Stock_Quote_Api", "Fetch the latest quote of a stock.", `{"type":"object","properties":{"symbol":{"type":"string"}},"required":["symbol"]}`),
		testTool("Hotel_Search_Api", "Search hotels in a city.", `{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`))
	wantCalls(t, p, map[string]string{
		"What are the current weather conditions in Lisbon?": "Weather_Realtime_Api(q=Lisbon)",
		"weather forecast for Lisbon for 3 days":             "Weather_Forecast_Api(q=Lisbon days=3)",
	}, "q", "days")
}

// TestCountryCodeIsACountry: "compare offers for Samsung Galaxy S21 Ultra" gave the
// offers' "Country code of the region/country" the product's name: a country code
// parameter takes a country (as its code) or a code, nothing else.
func TestCountryCodeIsACountry(t *testing.T) {
	p := newTestPattern(t,
		testTool("product_offers", "Fetch the offers of stores for a product.",
			`{"type":"object","properties":{"product":{"type":"string","description":"Product name"},"country":{"type":"string","description":"Country code of the region/country to return offers for."}},"required":["product"]}`))
	wantCalls(t, p, map[string]string{
		"compare offers for the Sony WH-1000XM5 from different stores": "product_offers(product=Sony WH-1000XM5)",
		"offers for the Sony WH-1000XM5 in Germany":                    "product_offers(product=Sony WH-1000XM5 country=DE)",
	}, "product", "country")
}

// TestSymbolIsACode: "How much is Tesla stock trading at?" priced the symbol "Tesla": a
// ticker symbol whose examples are codes ("e.g. AAPL") takes a code, not a company's
// name (a lookup's input).
func TestSymbolIsACode(t *testing.T) {
	p := newTestPattern(t,
		testTool("stock_quote", "Get the latest stock price for a ticker symbol.",
			`{"type":"object","properties":{"symbol":{"type":"string","description":"Ticker symbol, e.g. AAPL or MSFT"}},"required":["symbol"]}`))
	wantRefused(t, p, "How much is Nvidia stock trading at?")
	if got := callsOf(t, p, "stock price of NVDA", "symbol"); got != "stock_quote(symbol=NVDA)" {
		t.Errorf("got %s", got)
	}
}

// TestExampleAsQualified: "add oat milk to the list" added "milk", the description's
// example: the word that qualifies an example in the clause is part of the value.
func TestExampleAsQualified(t *testing.T) {
	p := newTestPattern(t,
		testTool("add_grocery_item", "Add an item to the grocery list.",
			`{"type":"object","properties":{"item":{"type":"string","description":"The item to add, e.g. milk or eggs"}},"required":["item"]}`),
		testTool("set_light_color", "Set the color of the lights.",
			`{"type":"object","properties":{"color":{"type":"string","description":"A color, e.g. blue or red"}},"required":["color"]}`))
	wantCalls(t, p, map[string]string{
		"hey can u add oat milk to the list thx": "add_grocery_item(item=oat milk)",
		"add milk to the grocery list":           "add_grocery_item(item=milk)",
		"add some eggs to the list":              "add_grocery_item(item=eggs)",
		"set the lights blue":                    "set_light_color(color=blue)",
	}, "item", "color")
}

// TestSecondNameAfterAnd: "schedule a call with Sam and Dana on 2027-01-04" called Sam
// alone: the date after "and" accounted for the conjunct. A name opening the conjunct
// that no step takes, when a step took a name before it, is a second one dropped.
func TestSecondNameAfterAnd(t *testing.T) {
	p := newTestPattern(t,
		testTool("schedule_call", "Schedule a call with a person.",
			`{"type":"object","properties":{"person":{"type":"string","description":"Who to call"},"date":{"type":"string","format":"date","description":"Day"}},"required":["person","date"]}`))
	wantRefused(t, p, "schedule a call with Priya and Tom on 2027-01-04")
	wantCalls(t, p, map[string]string{
		"schedule a call with Priya on 2027-01-04 and 2027-01-05": "schedule_call(person=Priya date=2027-01-04); schedule_call(person=Priya date=2027-01-05)",
	}, "person", "date")
}

// TestBoundIsNoCount: "hotels ... for 2 guests under 150 a night" searched for 150
// guests: a number after "under", "at most" or "more than" bounds something and counts
// nothing, unless what follows it is what the parameter counts ("at least 2 bedrooms").
func TestBoundIsNoCount(t *testing.T) {
	p := newTestPattern(t,
		testTool("search_hotels", "Search hotels in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City"},"guests":{"type":"integer","description":"Number of guests"},"max_price_per_night":{"type":"number","description":"Highest price per night"}},"required":["city"]}`),
		testTool("search_rentals", "Search homes to rent in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City"},"bedrooms":{"type":"integer","description":"Number of bedrooms"}},"required":["city"]}`))
	wantCalls(t, p, map[string]string{
		"hotels in Porto for 3 guests under 120 a night":  "search_hotels(city=Porto guests=3 max_price_per_night=120)",
		"homes to rent in Porto with at least 2 bedrooms": "search_rentals(city=Porto bedrooms=2)",
	}, "city", "guests", "max_price_per_night", "bedrooms")
}

// TestByNamesWhoMadeIt: "Play music by The Weeknd" played the song "The Weeknd": a name
// after "by" made the thing, it is not the thing ("directed by" stays who directed).
func TestByNamesWhoMadeIt(t *testing.T) {
	p := newTestPattern(t,
		testTool("play_music", "Play music: a song, album or artist.",
			`{"type":"object","properties":{"song":{"type":"string","description":"Song title, e.g. \"Bohemian Rhapsody\""},"artist":{"type":"string","description":"Artist name, e.g. Queen"}}}`),
		testTool("find_movies", "Find movies to watch.",
			`{"type":"object","properties":{"title":{"type":"string","description":"Movie title"},"directed_by":{"type":"string","description":"Director"}}}`))
	wantCalls(t, p, map[string]string{
		"play music by Daft Punk":              "play_music(artist=Daft Punk)",
		"find movies directed by Greta Gerwig": "find_movies(directed_by=Greta Gerwig)",
	}, "song", "artist", "title", "directed_by")
}

// TestNationalityIsAnAdjective: "visa requirements for a Canadian visiting India" gave
// the citizenship India and the destination Canada: a nationality whose examples are
// peoples' adjectives ("e.g. Indian") takes the adjective, as written, and no country.
func TestNationalityIsAnAdjective(t *testing.T) {
	p := newTestPattern(t,
		testTool("visa_check", "Check whether a visa is needed to travel to a country.",
			`{"type":"object","properties":{"citizenship":{"type":"string","description":"Traveller's nationality, e.g. Indian"},"destination_country":{"type":"string","description":"Country to visit, e.g. Japan"}},"required":["citizenship","destination_country"]}`))
	wantCalls(t, p, map[string]string{
		"visa requirements for a Mexican visiting Kenya": "visa_check(citizenship=Mexican destination_country=Kenya)",
		"do I need a visa for Peru as a German citizen?": "visa_check(citizenship=German destination_country=Peru)",
	}, "citizenship", "destination_country")
}

// TestSummaryIsDictated: "Open a ticket in project PROJ: login page crashes on Safari"
// gave the summary "Safari": a summary is text the user writes, taken whole after its
// cue, and a name inside it fills no other argument.
func TestSummaryIsDictated(t *testing.T) {
	p := newTestPattern(t,
		testTool("create_ticket", "Open a new ticket in the issue tracker.",
			`{"type":"object","properties":{"project":{"type":"string","description":"Project key, e.g. PROJ"},"summary":{"type":"string","description":"One-line summary of the issue"},"assignee":{"type":"string","description":"Username of the assignee"}},"required":["project","summary"]}`))
	wantCalls(t, p, map[string]string{
		"Open a ticket in project OPS: checkout fails on Firefox": "create_ticket(project=OPS summary=checkout fails on Firefox)",
	}, "project", "summary", "assignee")
}

// TestLaterIsNoNow: "Unlock the front door in 10 minutes" unlocked it at once: a step
// that runs now does not do what the clause asks for later ("in 3D" is no delay).
func TestLaterIsNoNow(t *testing.T) {
	// With the built-ins, as planwise plan offers them: they make durations values.
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("unlock_door", "Unlock a door of the house.",
			`{"type":"object","properties":{"door":{"type":"string","description":"Which door, e.g. front, back"}},"required":["door"]}`),
		testTool("find_movies", "Find movies showing at theaters in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City"},"format":{"type":"string","description":"Show format, e.g. 3D or IMAX"}},"required":["city"]}`))...)
	wantRefused(t, p, "Unlock the back door in 15 minutes")
	wantCalls(t, p, map[string]string{
		"Unlock the back door":            "unlock_door(door=back)",
		"find movies in 3D in Sonoma, CA": "find_movies(city=Sonoma, CA)",
	}, "door", "city")
}
