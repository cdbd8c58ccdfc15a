package pattern

import (
	"slices"
	"strings"
	"testing"

	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// TestEnumValueByItsGloss: "submit my taxi receipt from Mar 1, 38.50 euros" was refused
// for want of a category, though the description says "travel covers taxis, trains,
// ..."; "I want to dispute CHG-48210, we never touched the minibar" for want of a
// reason ("not_taken: e.g. a minibar item the guest did not take"); "please turn on do
// not disturb" for want of a request type, do_not_disturb_on being every word of it. A
// word two glosses share, a value another argument holds and a value of one word (too
// easily said for something else) give nothing.
func TestEnumValueByItsGloss(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("expenses.submit", "Submit a new expense claim for reimbursement: amount, currency, category, date and what it was for.",
			`{"type":"object","properties":{"amount":{"type":"number","exclusiveMinimum":0},"currency":{"type":"string","pattern":"^[A-Z]{3}$"},
			"category":{"type":"string","enum":["travel","meals","accommodation","office_supplies","software","training","other"],"description":"travel covers taxis, trains, flights, mileage and parking, e.g. travel"},
			"expense_date":{"type":"string","format":"date","description":"Day the money was spent; today when left out"}},"required":["amount","currency","category"]}`),
		testTool("folio.dispute_charge", "Dispute a charge on the room bill.",
			`{"type":"object","properties":{"charge_id":{"type":"string","pattern":"^CHG-[0-9]{5}$"},
			"reason":{"type":"string","enum":["not_taken","duplicate","wrong_amount","other"],"description":"not_taken: e.g. a minibar item the guest did not take; duplicate: charged twice"}},"required":["charge_id","reason"]}`),
		testTool("housekeeping.request", "Ask housekeeping for a service or an item in the room, or turn do not disturb on or off.",
			`{"type":"object","properties":{"request_type":{"type":"string","enum":["fresh_towels","room_cleaning","turndown","do_not_disturb_on","do_not_disturb_off"],"description":"What housekeeping should do: bring towels, clean the room, turn down the bed, or set do not disturb"}},"required":["request_type"]}`),
		testTool("deploy.get_config", "Get the configuration of an environment.",
			`{"type":"object","properties":{"environment":{"type":"string","enum":["development","staging","production"]}},"required":["environment"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"submit my taxi receipt from Mar 1, 38.50 euros":            "expenses.submit(category=travel expense_date=2026-03-01)",
		"I want to dispute CHG-48210, we never touched the minibar": "folio.dispute_charge(charge_id=CHG-48210 reason=not_taken)",
		"dispute CHG-51378, you charged me twice":                   "folio.dispute_charge(charge_id=CHG-51378 reason=duplicate)",
		"please turn on do not disturb, we're sleeping in":          "housekeeping.request(request_type=do_not_disturb_on)",
		"pls have the room cleaned, we'll be out":                   "housekeeping.request(request_type=room_cleaning)",
	}, "category", "expense_date", "charge_id", "reason", "request_type")
	wantRefusal(t, p, "submit my gym receipt from Mar 1, 38.50 euros", "category") // (a dinner is a meal: TestCategoryOfAThingBought)
	wantRefusal(t, p, "dispute CHG-51378, it looks wrong to me", "reason")
	wantRefusal(t, p, "show the config of DevelopmentEnv", "environment")
}

// TestEnumGlossesRead: what enumGlosses reads from descriptions of each form.
func TestEnumGlossesRead(t *testing.T) {
	for _, tc := range []struct {
		desc string
		enum []string
		want map[string][]string
	}{
		{"travel covers taxis, trains, flights and parking, e.g. travel", []string{"travel", "meals", "training"},
			map[string][]string{"travel": {"taxi", "flight", "park"}}}, // ("train" is training's word)
		{"asc for oldest first, desc for newest first", []string{"asc", "desc"},
			map[string][]string{"asc": {"oldest"}, "desc": {"newest"}}},
		{"Priority: low, medium, high", []string{"low", "medium", "high"}, nil},
		{"room_service: food brought up; room: the night's rate", []string{"room", "room_service"},
			map[string][]string{"room_service": {"food", "brought"}, "room": {"night", "rat"}}}, // (glossKey's forms)
	} {
		pr := &paramInfo{Param: tool.Param{Name: "p", Description: tc.desc, Enum: tc.enum}, kind: pEnum}
		gs := enumGlosses("t", pr)
		got := map[string][]string{}
		for i, g := range gs {
			for w := range g {
				got[tc.enum[i]] = append(got[tc.enum[i]], w)
			}
		}
		for v, ws := range tc.want {
			if len(got[v]) != len(ws) {
				t.Errorf("%q: %s gloss %v, want %v", tc.desc, v, got[v], ws)
				continue
			}
			for _, w := range ws {
				if !gs[indexOf(tc.enum, v)][w] {
					t.Errorf("%q: %s gloss %v, want %v", tc.desc, v, got[v], ws)
				}
			}
		}
		if tc.want == nil && gs != nil {
			t.Errorf("%q: glosses %v, want none", tc.desc, got)
		}
	}
}

// TestGlossedValueNotTwice: "Translate this sentence to Spanish" gave the source
// language Spanish too, the target having taken it: a value another argument holds is
// said for that one.
func TestGlossedValueNotTwice(t *testing.T) {
	pr := &paramInfo{Param: tool.Param{Name: "source_language", Description: "en: English, es: Spanish, fr: French", Enum: []string{"en", "es", "fr"}}, kind: pEnum}
	pr.glosses = enumGlosses("translate_text", pr)
	if v, ok := glossedValue(pr, "Translate this sentence to Spanish", map[string]any{"target_language": "es"}); ok {
		t.Errorf("source_language %v, want none: the target holds es", v)
	}
	if v, ok := glossedValue(pr, "Translate this Spanish sentence", nil); !ok || v != "es" {
		t.Errorf("source_language %v, want es", v)
	}
}

// TestNegatedGloss: "'False' for attractions not suitable for children" glossed False
// with "suitable" and "children", and "attractions suitable for children" asked for the
// ones that are not: a gloss that negates is said only by a clause that negates.
func TestNegatedGloss(t *testing.T) {
	pr := &paramInfo{Param: tool.Param{Name: "good_for_kids", Description: "Options are 'True' for child-friendly attractions, 'False' for attractions not suitable for children, and 'dontcare' for no preference.", Enum: []string{"True", "False", "dontcare"}}, kind: pEnum}
	pr.glosses = enumGlosses("Travel_1_FindAttractions", pr)
	if v, ok := glossedValue(pr, "find attractions in Paris suitable for children", nil); ok {
		t.Errorf("good_for_kids %v, want none", v)
	}
	if v, ok := glossedValue(pr, "find attractions in Paris that are not suitable for children", nil); !ok || v != "False" {
		t.Errorf("good_for_kids %v, want False", v)
	}
	if v, ok := glossedValue(pr, "find child-friendly attractions in Paris", nil); !ok || v != "True" {
		t.Errorf("good_for_kids %v, want True", v)
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// TestTwoCodesOneParameter: "CHG-51377 and CHG-51378 are the same dinner, you charged me
// twice. pls dispute the 2nd one" disputed CHG-51377 and wrote the other into the
// details: the plan cannot say which code the user means, so it asks.
func TestTwoCodesOneParameter(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("folio.dispute_charge", "Dispute a charge on the room bill.",
			`{"type":"object","properties":{"charge_id":{"type":"string","pattern":"^CHG-[0-9]{5}$"},"details":{"type":"string"},
			"reason":{"type":"string","enum":["not_taken","duplicate","other"],"description":"not_taken: a minibar item the guest did not take; duplicate: charged twice"}},"required":["charge_id","reason"]}`),
		airQualityTool())...)
	wantRefusal(t, p, "CHG-51377 and CHG-51378 are the same dinner, you charged me twice. pls dispute the 2nd one", "charge_id")
	wantRefusal(t, p, "dispute CHG-51377 or CHG-51378, you charged me twice", "say which")
	wantCalls(t, p, map[string]string{
		"dispute CHG-51378, you charged me twice": "folio.dispute_charge(charge_id=CHG-51378)",
	}, "charge_id")
}

// TestPastDates: "submit my taxi receipt from Mar 1" on March 3rd dated the expense next
// year, as the slot extractor reads a date without a year as the next such day: a
// parameter that dates what has happened (money spent, a claim's service) takes the last
// such day. A written year, "next" or a parameter of what is to come keep the date.
func TestPastDates(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("expenses.submit", "Submit a new expense claim for reimbursement.",
			`{"type":"object","properties":{"amount":{"type":"number"},"expense_date":{"type":"string","format":"date","description":"Day the money was spent"}},"required":["amount","expense_date"]}`),
		testTool("insurance.submit_claim", "File an insurance claim for a medical service already received and paid for.",
			`{"type":"object","properties":{"provider":{"type":"string"},"amount":{"type":"number"},"service_date":{"type":"string","format":"date"}},"required":["provider","amount","service_date"]}`),
		testTool("flights.search", "Search flights between two cities on a date.",
			`{"type":"object","properties":{"origin":{"type":"string"},"destination":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["origin","destination","date"]}`),
	)...)
	// (testNow is Thursday 26 November 2026.)
	wantCalls(t, p, map[string]string{
		"expense $38.50 for a taxi on Nov 20":              "expenses.submit(expense_date=2026-11-20)",
		"expense $38.50 for a taxi on Friday":              "expenses.submit(expense_date=2026-11-20)",
		"expense $38.50 for a taxi on Wednesday":           "expenses.submit(expense_date=2026-11-25)",
		"expense $38.50 for a taxi on Saturday":            "expenses.submit(expense_date=2026-11-21)",
		"expense $38.50 for a taxi on Nov 20 2025":         "expenses.submit(expense_date=2025-11-20)",
		"expense $38.50 for a taxi on Dec 2":               "expenses.submit(expense_date=2025-12-02)",
		"file a claim for Lakeview Clinic, $185, on Nov 3": "insurance.submit_claim(service_date=2026-11-03)",
		"find flights from Boston to Denver on Nov 20":     "flights.search(date=2027-11-20)",
	}, "expense_date", "service_date", "date")
}

// TestAmountStatedElsewhere: "submit a claim - urgent care visit at Lakeview Urgent Care
// on Feb 3, I paid $185" was refused for want of the amount, which the last sentence
// states: a parameter of money paid takes the one amount the request states, never a
// bare number.
func TestAmountStatedElsewhere(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("insurance.submit_claim", "File an insurance claim for a medical service already received and paid for.",
			`{"type":"object","properties":{"provider":{"type":"string"},"amount":{"type":"number","description":"Amount paid"},"service_date":{"type":"string","format":"date"}},"required":["provider","amount","service_date"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"submit a claim - urgent care visit at Lakeview Urgent Care on Nov 3, I paid $185": "insurance.submit_claim(amount=185 service_date=2026-11-03)",
	}, "amount", "service_date")
	wantRefusal(t, p, "submit a claim - urgent care visit at Lakeview Urgent Care on Nov 3, it took 185 minutes", "amount")
}

// TestOnADayIsNoPolarity: "request leave on Mar 1" listed the leave requests:
// leave.request_time_off was dropped as the "off" twin of a clause that says "on", but
// "on" a day is a preposition. "turn on the lights" still says on.
func TestOnADayIsNoPolarity(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("leave.request_time_off", "Submit a new time-off (leave) request for the employee for one or more whole days.",
			`{"type":"object","properties":{"start_date":{"type":"string","format":"date"},"end_date":{"type":"string","format":"date"}},"required":["start_date"]}`),
		testTool("leave.list_requests", "List the employee's own leave requests (with their request ids and status), optionally only those in a date range.",
			`{"type":"object","properties":{"from_date":{"type":"string","format":"date"},"to_date":{"type":"string","format":"date"}}}`),
		testTool("leave.cancel_request", "Cancel one of the employee's pending leave requests by its request id.",
			`{"type":"object","properties":{"request_id":{"type":"string"}},"required":["request_id"]}`),
		testTool("lights.turn_on", "Turn on the lights in a room.",
			`{"type":"object","properties":{"room":{"type":"string","description":"Room name, e.g. kitchen, bedroom"}}}`),
		testTool("lights.turn_off", "Turn off the lights in a room.",
			`{"type":"object","properties":{"room":{"type":"string","description":"Room name, e.g. kitchen, bedroom"}}}`),
	)...)
	wantCalls(t, p, map[string]string{
		"request leave on Dec 8":      "leave.request_time_off(start_date=2026-12-08)",
		"request leave on Friday":     "leave.request_time_off(start_date=2026-11-27)",
		"turn on the kitchen lights":  "lights.turn_on(room=kitchen)",
		"turn the kitchen lights off": "lights.turn_off(room=kitchen)",
	}, "start_date", "room")
}

// TestHourIsNoCount: "pls have the room cleaned around 2" asked housekeeping for 2 of
// something, and "departing at 3 in the afternoon" booked 3 adults: an hour of the
// clock after "around", "at" or "until", with no noun it counts, is a time. "around 4
// or 5 stars" and "2 extra pillows" still count.
func TestHourIsNoCount(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("housekeeping.request", "Ask housekeeping for a service or an item in the room: cleaning, towels, pillows.",
			`{"type":"object","properties":{"request_type":{"type":"string","enum":["room_cleaning","fresh_towels","extra_pillows"]},"quantity":{"type":"integer","minimum":1,"maximum":10,"description":"How many items"}},"required":["request_type"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"pls have the room cleaned around 2, we'll be out": "housekeeping.request(request_type=room_cleaning)",
		"can we get 2 extra pillows":                       "housekeeping.request(request_type=extra_pillows quantity=2)",
	}, "request_type", "quantity")
}

// TestStatementIsTheSummary: "the printer on floor 3 is jammed AGAIN, can you open a
// ticket" was refused for want of the ticket's summary, which the statement before the
// question gives. A statement that another asking clause may own, or none, gives
// nothing.
func TestStatementIsTheSummary(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("it.open_ticket", "Open an IT support ticket for a problem with a device, an account or the network.",
			`{"type":"object","properties":{"summary":{"type":"string","minLength":3,"description":"One line on what is wrong"}},"required":["summary"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"the printer on floor 3 is jammed AGAIN, can you open a ticket": "it.open_ticket(summary=the printer on floor 3 is jammed AGAIN)",
		"my laptop won't boot, open a ticket":                           "it.open_ticket(summary=my laptop won't boot)",
	}, "summary")
	wantRefusal(t, p, "open a ticket", "summary")
	wantRefusal(t, p, "my laptop won't boot, open a ticket and check the air quality in Paris", "summary")
}

// TestMistypedWord: "do i have any expired perscriptions" matched no tool: a word of six
// letters or more that the catalogue does not use, one slip from exactly one of its
// words, is that word. A shorter word and a word the catalogue has are not corrected.
func TestMistypedWord(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("prescriptions.list", "List the patient's prescriptions, optionally by status.",
			`{"type":"object","properties":{"status":{"type":"string","enum":["active","expired"]}}}`),
		testTool("payroll.get_payslip", "Get the employee's payslip for a month.",
			`{"type":"object","properties":{"month":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$"}},"required":["month"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"do i have any expired perscriptions": "prescriptions.list(status=expired)",
		"any active prescritpions?":           "prescriptions.list(status=active)",
	}, "status")
	if got := p.ix.respelled("payslpi"); got != "payslip" {
		t.Errorf("respelled(payslpi) = %q, want payslip", got)
	}
	for _, w := range []string{"pets", "know", "prescription", "zzzzzzzz"} {
		if got := p.ix.respelled(w); got != "" {
			t.Errorf("respelled(%s) = %q, want none", w, got)
		}
	}
}

// TestOneSlip: the slips respelled reads.
func TestOneSlip(t *testing.T) {
	for _, tc := range []struct {
		typed, word string
		want        bool
	}{
		{"perscription", "prescription", true}, // swapped
		{"payslpi", "payslip", true},
		{"prescripton", "prescription", true},   // left out
		{"prescriiption", "prescription", true}, // doubled
		{"prescribtion", "prescription", true},  // wrong, in a long word
		{"pets", "pest", true},
		{"post", "past", false}, // wrong, in a short word
		{"presciptoin", "prescription", false},
	} {
		if got := oneSlip(tc.typed, tc.word); got != tc.want {
			t.Errorf("oneSlip(%s, %s) = %v, want %v", tc.typed, tc.word, got, tc.want)
		}
	}
}

// TestShortForms: "Need a meeting room ... 4 ppl, 30 min" was refused for want of a
// capacity, and "my dentist appt" named no appointment: the short forms people type are
// their words.
func TestShortForms(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("rooms.book", "Book a meeting room in an office for a number of people.",
			`{"type":"object","properties":{"capacity":{"type":"integer","minimum":1,"description":"Number of people"},"office":{"type":"string"}},"required":["capacity"]}`),
		testTool("appointments.cancel", "Cancel one of the patient's appointments by its id.",
			`{"type":"object","properties":{"appointment_id":{"type":"string","pattern":"^APT-[0-9]{4}$"}},"required":["appointment_id"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"book a meeting room in London, 4 ppl": "rooms.book(capacity=4)",
		"cancel my appt APT-1234":              "appointments.cancel(appointment_id=APT-1234)",
	}, "capacity", "appointment_id")
}

// TestDateIsNoFormat: "show me today's date" gave date.current_date the format
// "2026-12-06".
func TestDateIsNoFormat(t *testing.T) {
	pr := &paramInfo{Param: tool.Param{Name: "format", Description: "The format of the date, e.g. YYYY-MM-DD"}, kind: pString, nameTerms: map[string]bool{"format": true}, terms: map[string]bool{"format": true, "date": true}}
	if why := slotFits(pr, slot.Slot{Kind: slot.Date, Text: "today", Value: "2026-12-06"}, "show me today's date"); why == "" {
		t.Error("a date fits a format parameter")
	}
}

// TestGerundAfterARequestSaysWhy: "How's the air in Beijing today? Thinking of going for
// a run" was refused for the second sentence, which no tool matches: after a clause that
// asks, one that opens with a verb's -ing form says why, not what else to do. Alone, or
// first ("Looking for ..."), it still asks.
func TestGerundAfterARequestSaysWhy(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("hotels.search", "Search hotels in a city.",
			`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"How's the air quality in Beijing today? Thinking of going for a run": "get_air_quality(location=Beijing)",
		"Looking for a hotel in Lisbon":                                       "hotels.search(city=Lisbon)",
	}, "location", "city")
	wantRefusal(t, p, "How's the air quality in Beijing today? Thinking of going for a run. Also book a massage", "massage")
}

// FuzzEnumGlosses: a catalogue's descriptions and enum values are the user's text;
// reading glosses from them never panics (values written inside one another once cut a
// gloss backwards), and a value read is one of the enum's.
func FuzzEnumGlosses(f *testing.F) {
	f.Add("room_service: food brought up; room: the night's rate", "room|room_service|roomservice", "order room service")
	f.Add("travel covers taxis, trains; e.g. travel", "travel|meals|training", "my taxi receipt")
	f.Add("'False' for attractions not suitable for children", "True|False|dontcare", "not suitable")
	f.Add("Ärger: ÄRGER ärger", "ärger|Ärger|a", "ÄRGER")
	f.Fuzz(func(t *testing.T, desc, values, text string) {
		enum := strings.Split(values, "|")
		pr := &paramInfo{Param: tool.Param{Name: "p", Description: desc, Enum: enum}, kind: pEnum}
		pr.glosses = enumGlosses("t.tool", pr)
		if pr.glosses != nil && len(pr.glosses) != len(enum) {
			t.Fatalf("%d glosses for %d values", len(pr.glosses), len(enum))
		}
		if v, ok := glossedValue(pr, text, nil); ok && !slices.Contains(enum, v.(string)) {
			t.Fatalf("value %v is none of %v", v, enum)
		}
	})
}
