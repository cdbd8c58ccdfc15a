package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestCodeOfAboutTheExamplesParts: "set reorder point for SOCK-3PK-BLK to 50" was refused
// for want of a SKU described "e.g. TOTE-NAT": a code of capitals joined by hyphens
// takes one of about as many parts whatever its parts hold. A code that numbers
// something (INC-20931) or is written in lower case is no such code.
func TestCodeOfAboutTheExamplesParts(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("shelf.set_minimum", "Set the minimum shelf quantity of a stationery item before it is restocked.",
			`{"type":"object","properties":{"item_code":{"type":"string","description":"e.g. PEN-BLU"},"minimum":{"type":"integer","minimum":0}},"required":["item_code","minimum"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"set the shelf minimum for PEN-05MM-RED to 40": "shelf.set_minimum(item_code=PEN-05MM-RED minimum=40)",
		"set the shelf minimum for NOTE-A5 to 12":      "shelf.set_minimum(item_code=NOTE-A5 minimum=12)",
	}, "item_code", "minimum")
	wantRefusal(t, p, "set the shelf minimum for INC-20931 to 40", "")
	wantRefusal(t, p, "set the shelf minimum for pen-05mm-red to 40", "")
	for v, want := range map[string]int{"TOTE-NAT": 2, "SOCK-3PK-BLK": 3, "HOODIE-GRY-L": 3, "INC-20931": 0, "2027-01-05": 0, "Tote-Nat": 0, "TOTE": 0, "A-BC": 0} {
		if got := hyphenedCaps(v); got != want {
			t.Errorf("hyphenedCaps(%q) = %d, want %d", v, got, want)
		}
	}
}

// TestLengthOfAnHourRange: "book a study room tmrw 2-4pm" was refused for want of its
// length in minutes: a range of hours gives its first hour and its length (in minutes
// or hours, as the parameter's name says); two hours that are no range give no length.
func TestLengthOfAnHourRange(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("courts.reserve", "Reserve a tennis court.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"start":{"type":"string","description":"HH:MM"},
			"length_minutes":{"type":"integer","minimum":30,"maximum":180}},"required":["date","start","length_minutes"]}`),
		testTool("vans.hire", "Hire a moving van.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"pickup":{"type":"string","description":"HH:MM"},
			"hours":{"type":"integer","minimum":1}},"required":["date","pickup","hours"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"reserve a tennis court tomorrow 2-4pm":             "courts.reserve(start=14:00 length_minutes=120)",
		"reserve a tennis court tomorrow from 9:30 to 11am": "courts.reserve(start=09:30 length_minutes=90)",
		"hire a moving van tomorrow 8-11am":                 "vans.hire(pickup=08:00 hours=3)",
	}, "start", "length_minutes", "pickup", "hours")
	wantRefusal(t, p, "reserve a tennis court tomorrow at 2pm and at 4pm", "")
}

// TestEnumValuesSayWhatAToolIsAbout: "what time does the pool close tonight" was refused
// ("asks to see something, and spa.book_treatment acts"): the pool is a value of the
// hours tool's amenity and a word of the spa's description only ("It does not book ...
// the pool"). A value only one tool's enum holds says what that tool works on; a value
// several hold (an environment) says nothing of any.
func TestEnumValuesSayWhatAToolIsAbout(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("facilities.get_hours", "Get the opening hours of one of the campsite's facilities on a date.",
			`{"type":"object","properties":{"facility":{"type":"string","enum":["sauna","laundry","shop","playground"]},"date":{"type":"string","format":"date"}},"required":["facility"]}`),
		testTool("wellness.book", "Book a massage or a yoga class at the wellness centre. It does not book the sauna or the laundry.",
			`{"type":"object","properties":{"kind":{"type":"string","enum":["massage","yoga"]},"date":{"type":"string","format":"date"},"time":{"type":"string","description":"HH:MM"}},"required":["kind","date","time"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"what are the sauna hours": "facilities.get_hours(facility=sauna)",
		"laundry hours tomorrow?":  "facilities.get_hours(facility=laundry)",
	}, "facility")
}

// TestWhenQuestionIsNoCondition: "when does the gym open" was read as a circumstance
// ("when it is ready, ...") and planned nothing: "when" or "until" before an auxiliary
// asks a question. "when the car arrives, text me" keeps its circumstance.
func TestWhenQuestionIsNoCondition(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("facilities.get_hours", "Get the opening hours of one of the campsite's facilities on a date.",
			`{"type":"object","properties":{"facility":{"type":"string","enum":["sauna","laundry","shop","playground"]},"date":{"type":"string","format":"date"}},"required":["facility"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"when does the sauna open":          "facilities.get_hours(facility=sauna)",
		"until when is the shop open today": "facilities.get_hours(facility=shop)",
	}, "facility")
	wantRefusal(t, p, "when the sauna opens, tell me", "")
}

// TestHandleOfTheExamplesShape: a newcomer's "reset the password for mkhan" was refused
// ("mkhan is not a username like jdoe"), and "set up a laptop for the new hire, username
// pnair" ordered it for "new hire": a handle is one token of its example's shape, and
// the word after "username" is the username, and "her" the handle named before; "the
// intern" is a role, not a handle.
func TestHandleOfTheExamplesShape(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("accounts.reset_password", "Reset an employee's password and e-mail them a temporary one.",
			`{"type":"object","properties":{"username":{"type":"string","description":"Login name, e.g. jdoe"}},"required":["username"]}`),
		testTool("accounts.unlock", "Unlock an employee's account after too many failed sign-ins.",
			`{"type":"object","properties":{"username":{"type":"string","description":"Login name, e.g. jdoe"}},"required":["username"]}`),
		testTool("hardware.order", "Order a laptop, monitor or headset for an employee.",
			`{"type":"object","properties":{"item":{"type":"string","enum":["laptop","monitor","headset"]},"for_username":{"type":"string"}},"required":["item","for_username"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"reset the password for mkhan":                              "accounts.reset_password(username=mkhan)",
		"set up a laptop for the new hire, username pnair":          "hardware.order(for_username=pnair)",
		"order a monitor for user agarcia":                          "hardware.order(for_username=agarcia)",
		"jdoe forgot her password, reset it and unlock her account": "accounts.reset_password(username=jdoe); accounts.unlock(username=jdoe)",
	}, "username", "for_username")
	wantRefusal(t, p, "reset the password for the intern", "username")
}

// TestCodeChoosesItsTool: a newcomer's "can you check if HD-0193 has been fixed" fitted
// the VPN's status and the ticket's "about equally": a reading that leaves a code of the
// catalogue's unused is no reading when another takes it.
func TestCodeChoosesItsTool(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("tickets.status", "Get the status of a helpdesk ticket.",
			`{"type":"object","properties":{"ticket_id":{"type":"string","pattern":"^HD-[0-9]{4}$","description":"e.g. HD-0193"}},"required":["ticket_id"]}`),
		testTool("vpn.status", "Check whether the office VPN is up and how many people are connected.",
			`{"type":"object","properties":{}}`),
	)...)
	wantCalls(t, p, map[string]string{
		"can you check if HD-0193 has been fixed": "tickets.status(ticket_id=HD-0193)",
		"check if the vpn is up":                  "vpn.status()",
	}, "ticket_id")
}

// TestSpacedCodesAndCourtesy: "did my grade for MATH 221 get posted yet" asked for the
// course "MATH", "i want to drop stat 200" dropped the course "200", and "refill my
// lisinopril please" refilled "lisinopril please". A code of two words the catalogue
// exemplifies ("e.g. CS 101", in any tool's parameter of that name) is read whole, and
// half of one is none; a phrase ends before its courtesy.
func TestSpacedCodesAndCourtesy(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("grades.get", "Get the student's grade in a course.",
			`{"type":"object","properties":{"course_code":{"type":"string","description":"Subject and number, e.g. CS 101"}},"required":["course_code"]}`),
		testTool("courses.drop", "Drop a course the student is enrolled in.",
			`{"type":"object","properties":{"course_code":{"type":"string"}},"required":["course_code"]}`),
		testTool("prescriptions.request_refill", "Request a refill of a prescription.",
			`{"type":"object","properties":{"medication":{"type":"string"}},"required":["medication"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"did my grade for MATH 221 get posted yet": "grades.get(course_code=MATH 221)",
		"please drop PHIL 120 for me":              "courses.drop(course_code=PHIL 120)",
		"refill my lisinopril please":              "prescriptions.request_refill(medication=lisinopril)",
	}, "course_code", "medication")
	wantRefusal(t, p, "i want to drop stat 200", "course_code")
}

// TestOrderNumberInGroups: "where's my order 112-5583021?" tracked the order "112": an
// order number written in groups of digits is one identifier.
func TestOrderNumberInGroups(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("shop.track_order", "Track a shop order's delivery.",
			`{"type":"object","properties":{"order_id":{"type":"string","minLength":1}},"required":["order_id"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"where's my order 112-5583021?": "shop.track_order(order_id=112-5583021)",
	}, "order_id")
}

// TestHourRangeStartsAtItsFirst: "book a room for 8 people tomorrow 10:00-11:30" booked
// it at 11:30 for the default 60 minutes: a range's last hour starts nothing, and its
// length fills the length parameter even when that has a default.
func TestHourRangeStartsAtItsFirst(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("rooms.book", "Book a meeting room.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"start_time":{"type":"string","description":"HH:MM"},
			"duration_minutes":{"type":"integer","minimum":15,"default":60},"capacity":{"type":"integer","minimum":1,"description":"Seats needed, e.g. 6"}},"required":["date","start_time","capacity"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"book a room for 8 people tomorrow 10:00-11:30":         "rooms.book(start_time=10:00 duration_minutes=90)",
		"book a room for 8 people tomorrow from 13:15 to 14:00": "rooms.book(start_time=13:15 duration_minutes=45)",
		"book a room for 8 people tomorrow at 13:00":            "rooms.book(start_time=13:00)",
	}, "start_time", "duration_minutes")
}

// TestOwnBareHourBeforeAnotherClausesTime: "reserve harbor grill for 2 at 8 tonight, then
// book a taxi at 10:30pm" reserved the table at 22:30, the taxi's time: a clause's own
// hour, read as the evening it says, comes before a time another clause gives.
func TestOwnBareHourBeforeAnotherClausesTime(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("restaurant.reserve_table", "Reserve a table at one of the hotel's restaurants.",
			`{"type":"object","properties":{"venue":{"type":"string","enum":["harbor_grill","sakura"]},"date":{"type":"string","format":"date"},"time":{"type":"string","description":"HH:MM"},"party_size":{"type":"integer","minimum":1}},"required":["venue","date","time","party_size"]}`),
		testTool("concierge.book_transport", "Book a taxi or a private car from the hotel.",
			`{"type":"object","properties":{"transport_type":{"type":"string","enum":["taxi","private_car"]},"destination":{"type":"string"},"pickup_time":{"type":"string","description":"HH:MM"}},"required":["transport_type","destination","pickup_time"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"reserve harbor grill for 2 at 8 tonight, then book a taxi at 10:30pm to the Blue Note": "restaurant.reserve_table(time=20:00); concierge.book_transport(pickup_time=22:30)",
	}, "time", "pickup_time")
}

// TestExampleWrittenWithoutSpaces: "Order pad thai on UberEats" ordered the food
// "UberEats" on the platform "pad thai": a name the description gives as an example
// ("eg. Uber Eats") is that name written without its spaces too.
func TestExampleWrittenWithoutSpaces(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("order_food_delivery", "Order a specific food to be delivered to a specific location at a specific platform",
			`{"type":"object","properties":{"food":{"type":"string","description":"The food to order"},"location":{"type":"string","description":"The location to deliver the food to"},
			"platform":{"type":"string","description":"The platform to order the food at, eg. Uber Eats, Meituan Waimai etc."}},"required":["food","location","platform"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"Order pad thai on UberEats, delivered to 221 Baker Street": "order_food_delivery(food=pad thai platform=UberEats)",
	}, "food", "platform")
}

// TestNameInsideAPhraseFillsNoOptional: "open a ticket saying Outlook keeps asking for my
// password" gave the summary and, again, the description "Outlook": a name inside a
// phrase another argument took is part of it.
func TestNameInsideAPhraseFillsNoOptional(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("helpdesk.open_ticket", "Open an IT helpdesk ticket.",
			`{"type":"object","properties":{"summary":{"type":"string","description":"One line, e.g. VPN drops every hour"},"description":{"type":"string"}},"required":["summary"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"open a ticket saying Outlook keeps asking for my password": "helpdesk.open_ticket(summary=Outlook keeps asking for my password)",
	}, "summary", "description")
}

// TestBothSidesOfAnd: "reset passwords for mkhan and jdoe" reset jdoe's alone (jdoe is the
// description's example, taken as the value): a value after "and" taken while the word
// of its kind before it is not would drop one of two.
func TestBothSidesOfAnd(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("accounts.reset_password", "Reset an employee's password and e-mail them a temporary one.",
			`{"type":"object","properties":{"username":{"type":"string","description":"Login name, e.g. jdoe"}},"required":["username"]}`),
		testTool("accounts.unlock", "Unlock an employee's account after too many failed sign-ins.",
			`{"type":"object","properties":{"username":{"type":"string","description":"Login name, e.g. jdoe"}},"required":["username"]}`),
	)...)
	wantRefusal(t, p, "reset passwords for mkhan and jdoe", "mkhan")
	wantCalls(t, p, map[string]string{
		"reset the password for jdoe and unlock her account": "accounts.reset_password(username=jdoe); accounts.unlock(username=jdoe)",
	}, "username")
}

// TestListOfEnumValues: "order a monitor and a keyboard for jdoe" ordered the monitor
// alone: two values of an enum joined by "and" are two calls, whatever follows the list.
func TestListOfEnumValues(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("hardware.order", "Order a laptop, monitor, keyboard or headset for an employee.",
			`{"type":"object","properties":{"item":{"type":"string","enum":["laptop","monitor","keyboard","headset"]},"for_username":{"type":"string"}},"required":["item","for_username"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"order a monitor and a keyboard for jdoe": "hardware.order(item=monitor for_username=jdoe); hardware.order(item=keyboard for_username=jdoe)",
		"order a monitor for jdoe":                "hardware.order(item=monitor for_username=jdoe)",
	}, "item", "for_username")
}
