package pattern

import (
	"context"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// logTools are a log search whose window is written "30m", "2h" or "1d" (by pattern,
// not by name) and whose service is optional, beside a tool that mutes an alert.
func logTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("logs.find", "Search application log lines by text, service and level over a recent window. Read-only.",
			`{"type":"object","properties":{"query":{"type":"string","description":"Text to match, e.g. timeout"},"service":{"type":"string"},"level":{"type":"string","enum":["info","warn","error"]},"lookback":{"type":"string","pattern":"^[0-9]+[mhd]$"}}}`),
		testTool("alerts.mute", "Mute the notifications of one alert for a while.",
			`{"type":"object","properties":{"alert":{"type":"string","description":"Alert name, e.g. HighErrorRate"},"for":{"type":"string","pattern":"^[0-9]+[mh]$","description":"How long"}},"required":["alert","for"]}`))
}

// TestLogSearchKeepsWhatItIsGiven: "show logs for search-api in the last 2h" searched
// every service's logs over the default window: a window whose pattern writes it
// "2h" was no duration, an optional service was filled only from a typed value, and
// "search-api" was dropped as naming the tool ("search"). The window is read in the
// unit the pattern asks for ("90 minutes" is 90m, "1h30m" too, "36 hours" stays 36h),
// and the one identifier of the clause is the service.
func TestLogSearchKeepsWhatItIsGiven(t *testing.T) {
	p := newTestPattern(t, logTools()...)
	wantCalls(t, p, map[string]string{
		"show logs for search-api in the last 2h":                 "logs.find(lookback=2h service=search-api)",
		"error logs for image-resizer over the last 90 minutes":   "logs.find(lookback=90m service=image-resizer level=error)",
		"search the logs of billing-worker for the past 36 hours": "logs.find(lookback=36h service=billing-worker)",
		"mute HighErrorRate for 1h30m":                            "alerts.mute(alert=HighErrorRate for=90m)",
	}, "lookback", "service", "query", "level", "alert", "for")
	// Two identifiers: which one is the service is not said.
	wantCalls(t, p, map[string]string{
		"search logs of checkout-api and cart-api for timeout": "logs.find(query=timeout)",
	}, "service", "query")
}

// TestSearchKeepsWhatItLooksFor: "grep checkout-api prod logs for connection reset"
// searched every line: the text to match is optional, and only a required one was read
// from a phrase. What "for" introduces after a search verb is the text to match, up to
// the window ("in the last 15m"); a window alone is no text, and a label before a code
// is no part of it.
func TestSearchKeepsWhatItLooksFor(t *testing.T) {
	p := newTestPattern(t, logTools()...)
	wantCalls(t, p, map[string]string{
		"grep checkout-api logs for connection reset, last 30 min": "logs.find(lookback=30m service=checkout-api query=connection reset)",
		"grep cart-api logs for deadlock detected in the last 15m": "logs.find(lookback=15m service=cart-api query=deadlock detected)",
		"search all the logs for trace 4bf92f3577b34da6":           "logs.find(query=4bf92f3577b34da6)",
		"search the billing-worker logs for 2 hours":               "logs.find(lookback=2h service=billing-worker)",
	}, "lookback", "service", "query")
}

// dispatchTools are a driver's location, a route assignment and a customs estimate.
func dispatchTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("getDriverLocation", "Get the live GPS location of a delivery driver.",
			`{"type":"object","properties":{"driverId":{"type":"string","pattern":"^DRV-[0-9]{4}$"}},"required":["driverId"]}`),
		testTool("assignDriver", "Assign a driver to a delivery route.",
			`{"type":"object","properties":{"routeId":{"type":"string","pattern":"^RT-[0-9]{3}$"},"driverId":{"type":"string","pattern":"^DRV-[0-9]{4}$"}},"required":["routeId","driverId"]}`),
		testTool("estimateDuty", "Estimate import duty and taxes for an international shipment.",
			`{"type":"object","properties":{"hsCode":{"type":"string","pattern":"^[0-9]{6}$","description":"6-digit HS tariff code"},"valueUsd":{"type":"number"},"destinationCountry":{"type":"string","pattern":"^[A-Z]{2}$","description":"ISO 3166-1 alpha-2 country code"}},"required":["hsCode","valueUsd","destinationCountry"]}`))
}

// TestQuestionIsNoValueOfAnAction: "where's DRV-0007, then assign him to RT-101" only
// assigned the driver: the question matched no tool, and was taken as accounted for
// because the assignment took its driver. A question is answered by a step that looks
// its values up, not by one that acts on them; and "assign" is a verb.
func TestQuestionIsNoValueOfAnAction(t *testing.T) {
	p := newTestPattern(t, dispatchTools()...)
	wantRefusal(t, p, "where's DRV-0007, then assign him to RT-101", "where's DRV-0007")
	wantCalls(t, p, map[string]string{
		"assign DRV-0007 to RT-101": "assignDriver(driverId=DRV-0007 routeId=RT-101)",
	}, "driverId", "routeId")
}

// TestLabelIsNoValue: "duty estimate HS 851712, $800 value, going to DE ASAP" went to
// country "HS": the word that labels the tariff code (hsCode) is no value of another
// parameter. A country's name for an ISO code parameter is its code.
func TestLabelIsNoValue(t *testing.T) {
	p := newTestPattern(t, dispatchTools()...)
	wantCalls(t, p, map[string]string{
		"duty estimate HS 851712, $800 value, going to DE": "estimateDuty(destinationCountry=DE hsCode=851712 valueUsd=800)",
		"duty estimate for HS 851712, $800, to Germany":    "estimateDuty(destinationCountry=DE hsCode=851712 valueUsd=800)",
	}, "destinationCountry", "hsCode", "valueUsd")
	wantRefused(t, p, "duty estimate HS 851712, $800 value, going to DE ASAP")
}

// noteTools are a payment with a note, a cancellation with a reason and a vet's slots.
func noteTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("pay_friend", "Send money to a friend by e-mail address.",
			`{"type":"object","properties":{"email":{"type":"string","format":"email"},"amount":{"type":"number"},"memo":{"type":"string"}},"required":["email","amount"]}`),
		testTool("cancel_booking", "Cancel a booking.",
			`{"type":"object","properties":{"booking_id":{"type":"string","pattern":"^BK-[0-9]{5}$"},"reason":{"type":"string"}},"required":["booking_id"]}`),
		testTool("vet_slots", "List free appointment slots at the clinic.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"vet_name":{"type":"string"}},"required":["date"]}`))
}

// TestStatedExtrasAreKept: a note, a reason and a vet the user gives were dropped in
// silence ("send 20 to jo@example.com, memo rent share" sent no memo; "cancel BK-10233,
// guest is sick" gave no reason; "with dr hansen" listed every vet's slots): optional
// text is read only where a cue says what it is. A note follows its label, or "for"
// after the amount sent; a reason follows "because", or is the statement after the
// last comma or dash; a name in lower case after "dr" is a name.
func TestStatedExtrasAreKept(t *testing.T) {
	p := newTestPattern(t, noteTools()...)
	wantCalls(t, p, map[string]string{
		"send 20 to jo@example.com, memo rent share":    "pay_friend(amount=20 memo=rent share)",
		"send 25 bucks to jo@example.com for pizza":     "pay_friend(amount=25 memo=pizza)",
		"send 25 to jo@example.com for the next trip":   "pay_friend(amount=25)",
		"cancel BK-10233 because the flight was moved":  "cancel_booking(booking_id=BK-10233 reason=the flight was moved)",
		"pls cancel BK-10233, guest is sick":            "cancel_booking(booking_id=BK-10233 reason=guest is sick)",
		"cancel BK-10233 - customer changed their mind": "cancel_booking(booking_id=BK-10233 reason=customer changed their mind)",
		"cancel BK-10233, thanks":                       "cancel_booking(booking_id=BK-10233)",
		"any free slots on 2027-01-12 with dr hansen?":  "vet_slots(date=2027-01-12 vet_name=dr hansen)",
	}, "amount", "memo", "booking_id", "reason", "date", "vet_name")
}

// TestSellerQualifiesTheSearch: "show uber transactions since nov 1" searched every
// transaction from that day: the word that qualifies what the tool searches is its
// merchant, when it reads as a name; a category's value
// ("dining") or a plain adjective ("recent") is none.
func TestSellerQualifiesTheSearch(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("txn.search", "Search the user's card transactions by merchant, date or category.",
			`{"type":"object","properties":{"merchant":{"type":"string"},"from":{"type":"string","format":"date"},"category":{"type":"string","enum":["dining","travel","groceries"]}}}`))...)
	wantCalls(t, p, map[string]string{
		"show uber transactions since 2027-01-04": "txn.search(from=2027-01-04 merchant=uber)",
		"show my amazon transactions":             "txn.search(merchant=amazon)",
		"show recent transactions":                "txn.search()",
		"show dining transactions":                "txn.search(category=dining)",
	}, "category", "from", "merchant")
}

// TestAsideFillsTheOneTextLeft: "register a dog called Biscuit, beagle, owner phone 555
// 010 2020" registered no breed: an aside between commas fills the one optional text
// parameter nothing filled. A courtesy, a state ("shuffled"), the tool's own words and
// a typed value are no aside; with two such parameters nothing is filled.
func TestAsideFillsTheOneTextLeft(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("add_pet", "Register a new pet under an owner's phone number.",
			`{"type":"object","properties":{"owner_phone":{"type":"string","pattern":"^\\+?[0-9 ()-]{7,20}$"},"pet_name":{"type":"string"},"species":{"type":"string","enum":["dog","cat"]},"breed":{"type":"string"}},"required":["owner_phone","pet_name","species"]}`),
		testTool("play_list", "Play a playlist on a speaker.",
			`{"type":"object","properties":{"name":{"type":"string"},"speaker":{"type":"string"},"mood":{"type":"string"}},"required":["name"]}`))...)
	wantCalls(t, p, map[string]string{
		"register a dog called Biscuit, beagle, owner phone 555 010 2020":      "add_pet(breed=beagle owner_phone=5550102020 pet_name=Biscuit species=dog)",
		"register a cat named Mochi for owner 555-201-7788, british shorthair": "add_pet(breed=british shorthair owner_phone=5552017788 pet_name=Mochi species=cat)",
		"register a cat named Mochi for owner 555-201-7788, thanks":            "add_pet(owner_phone=5552017788 pet_name=Mochi species=cat)",
		`play the "Deep Focus" playlist, shuffled`:                             "play_list(name=Deep Focus)",
		`play the "Deep Focus" playlist, kitchen`:                              "play_list(name=Deep Focus)",
	}, "breed", "owner_phone", "pet_name", "species", "name", "speaker", "mood")
}

// TestSurnameTakesNoTitle: "with Dr. Okafor" for "Preferred veterinarian's surname" is
// Okafor; a parameter that does not ask for a surname takes the name as written.
func TestSurnameTakesNoTitle(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("book_visit", "Book a visit at the clinic.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"vet":{"type":"string","description":"Preferred veterinarian's surname"}},"required":["date"]}`),
		testTool("vet_slots", "List free appointment slots at the clinic.",
			`{"type":"object","properties":{"day":{"type":"string","format":"date"},"vet_name":{"type":"string"}},"required":["day"]}`))...)
	wantCalls(t, p, map[string]string{
		"book a visit on 2027-01-12 with Dr. Okafor": "book_visit(date=2027-01-12 vet=Okafor)",
		"book a visit on 2027-01-12 with dr hansen":  "book_visit(date=2027-01-12 vet=hansen)",
		"free slots on 2027-01-12 with Dr. Okafor":   "vet_slots(day=2027-01-12 vet_name=Dr. Okafor)",
	}, "date", "vet", "day", "vet_name")
}

// TestWhoANameIs: three names went to the wrong parameter. "book my son Leo Park"
// booked the doctor Leo Park: a relative is who the visit is for, never who provides it.
// "Owen Price from Tyne Fabrication ... at the Harrogate expo" made Harrogate the
// company: where a person is from is their organisation, and a name that qualifies a
// thing ("the Harrogate expo", "the Eastside clinic") names that thing, no person,
// company or doctor.
func TestWhoANameIs(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("visits.book", "Book a clinic visit.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"doctor":{"type":"string","description":"e.g. Dr. Lucas Brennan"},"patient_name":{"type":"string","description":"Who the visit is for when not the account holder, e.g. a child"}},"required":["date"]}`),
		testTool("leads.create", "Create a sales lead.",
			`{"type":"object","properties":{"first_name":{"type":"string"},"last_name":{"type":"string"},"company":{"type":"string"},"owner":{"type":"string","description":"Sales rep who owns the lead"},"job_title":{"type":"string"}},"required":["last_name"]}`))...)
	wantCalls(t, p, map[string]string{
		"book my son Leo Park on 2027-02-18":                                            "visits.book(date=2027-02-18 patient_name=Leo Park)",
		"book my daughter Maya with Dr. Brennan on 2027-02-20":                          "visits.book(date=2027-02-20 doctor=Dr. Brennan patient_name=Maya)",
		"add Owen Price from Tyne Fabrication as a lead, met him at the Harrogate expo": "leads.create(company=Tyne Fabrication first_name=Owen last_name=Price)",
	}, "date", "doctor", "patient_name", "company", "first_name", "last_name", "owner", "job_title")
}

// helpdeskTools are an IT helpdesk's group access, hardware orders and desk visits.
func helpdeskTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("grant_access", "Add a user to a security group.",
			`{"type":"object","properties":{"username":{"type":"string"},"group_name":{"type":"string","description":"e.g. finance-share, vpn-users"},"expires_on":{"type":"string","format":"date"}},"required":["username","group_name"]}`),
		testTool("order_gear", "Order hardware for an employee.",
			`{"type":"object","properties":{"item":{"type":"string","enum":["laptop","monitor","headset"]},"quantity":{"type":"integer","minimum":1},"for_username":{"type":"string"}},"required":["item","for_username"]}`),
		testTool("desk_visit", "Schedule a technician's visit to a user's desk.",
			`{"type":"object","properties":{"username":{"type":"string"},"date":{"type":"string","format":"date"},"time_slot":{"type":"string","enum":["morning","afternoon"]}},"required":["username","date"]}`))
}

// TestLoginIsOneWord: "order a laptop for newhire jpark" ordered for "newhire jpark",
// "a desk visit for rbrown next tuesday morning" for "rbrown next tuesday morning", and
// "add jlee to vpn-users until 2027-01-31" added the user "vpn-users until
// 2027-01-31". A login is one word: the one word of the phrase that is no role, date,
// other argument, person noun or link word; a phrase with none is refused.
func TestLoginIsOneWord(t *testing.T) {
	p := newTestPattern(t, helpdeskTools()...)
	wantCalls(t, p, map[string]string{
		"order a laptop for newhire jpark":                       "order_gear(for_username=jpark item=laptop)",
		"order 3 headsets for team lead vpatel":                  "order_gear(for_username=vpatel item=headset quantity=3)",
		"schedule a desk visit for rbrown on 2027-01-12 morning": "desk_visit(date=2027-01-12 time_slot=morning username=rbrown)",
	}, "date", "for_username", "item", "quantity", "time_slot", "username")
	wantRefused(t, p, "pls add the new guy to vpn-users until 2027-01-31")
}

// TestMeasureIsNoName: "increase the disk quota on the shared drive by 50 GB" added the
// user "GB" to the group "50 GB": a number with its unit, or the unit written after a
// number, is a measure and names nothing.
func TestMeasureIsNoName(t *testing.T) {
	p := newTestPattern(t, helpdeskTools()...)
	wantRefused(t, p, "increase the disk quota on the shared drive by 50 GB")
	if !measureWritten("14 pods at 512Mi each (Mi)", "Mi") || !measureWritten("by 50 GB", "50 GB") || measureWritten("meet Mia at 5", "Mia") {
		t.Error("measureWritten: a unit after a number is a measure, a name is not")
	}
}

// frontDeskTools are a hotel's cancellations, housekeeping, reservation search, lights
// and music.
func frontDeskTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("cancelBooking", "Cancel a guest's reservation.",
			`{"type":"object","properties":{"reservationId":{"type":"string","pattern":"^RSV-[0-9]{6}$"},"reason":{"type":"string"},"waiveFee":{"type":"boolean","description":"Waive the late cancellation fee"}},"required":["reservationId"]}`),
		testTool("housekeeping", "Ask housekeeping for a service in a room.",
			`{"type":"object","properties":{"room":{"type":"string","pattern":"^[0-9]{3,4}$"},"service":{"type":"string","enum":["extra_towels","crib","turndown"]},"priority":{"type":"string","enum":["normal","urgent"]}},"required":["room","service"]}`),
		testTool("findBooking", "Find a reservation by guest last name or arrival date.",
			`{"type":"object","properties":{"lastName":{"type":"string","description":"Guest last name"},"arrivalDate":{"type":"string","format":"date"}}}`),
		testTool("lights.set", "Switch the lights of a room on or off, with a colour.",
			`{"type":"object","properties":{"room":{"type":"string","enum":["porch","kitchen"]},"power":{"type":"string","enum":["on","off"]},"color":{"type":"string","description":"Color name or hex, e.g. warm white, #FF8800"}},"required":["room","power"]}`),
		testTool("media.play", "Play music on a speaker.",
			`{"type":"object","properties":{"speaker":{"type":"string","enum":["kitchen","everywhere"]},"query":{"type":"string","description":"Artist, song or playlist, e.g. 'jazz classics'"},"volume":{"type":"integer","minimum":0,"maximum":100}},"required":["query"]}`))
}

// TestWhatTheClauseAlsoSays: a second newcomer's plans dropped what the request said
// beside the action: "waive the fee" (a flag named for an action the clause asks for;
// negated it is false), the reason between commas, "asap" (a priority's urgent value),
// "last name okafor" (a parameter's name as a label before its value), ", red" (a
// colour's name), and "everywhere" stayed in the music searched while it was the speaker.
func TestWhatTheClauseAlsoSays(t *testing.T) {
	p := newTestPattern(t, frontDeskTools()...)
	wantCalls(t, p, map[string]string{
		"cancel RSV-104233 pls, guest got covid, waive the fee": "cancelBooking(reason=guest got covid reservationId=RSV-104233 waiveFee=true)",
		"cancel RSV-104233, no need to waive the fee":           "cancelBooking(reservationId=RSV-104233 waiveFee=false)",
		"room 1104 needs extra towels asap":                     "housekeeping(priority=urgent room=1104 service=extra_towels)",
		"room 804 needs a crib":                                 "housekeeping(room=804 service=crib)",
		"find the booking for last name okafor":                 "findBooking(lastName=okafor)",
		"turn on the porch light, red":                          "lights.set(room=porch color=red power=on)",
		"play rain sounds everywhere at volume 10":              "media.play(query=rain sounds speaker=everywhere volume=10)",
	}, "reason", "reservationId", "waiveFee", "priority", "room", "service", "lastName", "color", "power", "query", "speaker", "volume")
}

// TestLoginIsFound: "unlock account tnguyen" and "remove pkumar from finance-share" were
// refused for want of a username: a login is the clause's one lower-case word of a
// handle's shape that no word of the tool, of another argument or of English the planner
// knows explains; a group is the clause's one hyphenated identifier. "the new guy" is no
// login, and a name asked for as "the name of the user" is no login either.
func TestLoginIsFound(t *testing.T) {
	p := newTestPattern(t, append(helpdeskTools(),
		testTool("unlock_account", "Unlock a locked directory account.",
			`{"type":"object","properties":{"username":{"type":"string"}},"required":["username"]}`),
		testTool("revoke_access", "Remove a user from a security group.",
			`{"type":"object","properties":{"username":{"type":"string"},"group_name":{"type":"string"}},"required":["username","group_name"]}`))...)
	wantCalls(t, p, map[string]string{
		"unlock account tnguyen":                     "unlock_account(username=tnguyen)",
		"remove pkumar from finance-share":           "revoke_access(group_name=finance-share username=pkumar)",
		"pls add jlee to vpn-users until 2027-01-31": "grant_access(expires_on=2027-01-31 group_name=vpn-users username=jlee)",
	}, "expires_on", "group_name", "username")
	wantRefused(t, p, "unlock the account of the new guy")
	wantRefused(t, p, "unlock my account")
}

// TestAsideAndExampleRefineAStep: "reserve a table ... for mr patel, he's allergic to nuts"
// dropped the allergy (an aside may open with "he's"); "how much electricity did the ev
// charger use last week" dropped the device its description's example names
// (ev_charger); a ticket's summary kept the category and priority listed after it. An
// aside or an example refines a step the clause asks for; alone it is none ("merci,
// c'est parfait").
func TestAsideAndExampleRefineAStep(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("reserve_table", "Reserve a table at the hotel restaurant.",
			`{"type":"object","properties":{"guest":{"type":"string"},"party_size":{"type":"integer","minimum":1},"time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"},"dietary_notes":{"type":"string","description":"Allergies or dietary needs, e.g. vegan, nut allergy"}},"required":["guest","party_size","time"]}`),
		testTool("energy_usage", "Electricity used by the home over a period, optionally by one device.",
			`{"type":"object","properties":{"period":{"type":"string","enum":["today","last_week"]},"device":{"type":"string","description":"Optional device filter, e.g. ev_charger, dryer"}},"required":["period"]}`),
		testTool("open_ticket", "Open a new IT support ticket for a user problem.",
			`{"type":"object","properties":{"email":{"type":"string","format":"email"},"summary":{"type":"string","description":"Short summary, e.g. 'Outlook crashes on start'"},"category":{"type":"string","enum":["hardware","software"]},"priority":{"type":"string","enum":["p1","p2"]}},"required":["email","summary","category"]}`),
		testTool("search_people", "Search people by name or skill.",
			`{"type":"object","properties":{"query":{"type":"string"}}}`))...)
	wantCalls(t, p, map[string]string{
		"reserve a table for 2 at 20:00 for Raj Patel, he's allergic to nuts":          "reserve_table(dietary_notes=he's allergic to nuts guest=Raj Patel party_size=2 time=20:00)",
		"how much electricity did the ev charger use last week":                        "energy_usage(device=ev_charger period=last_week)",
		"new ticket for dana.white@corp.com: outlook crashes on startup, software, p2": "open_ticket(category=software priority=p2 summary=outlook crashes on startup)",
	}, "dietary_notes", "guest", "party_size", "time", "device", "period", "category", "priority", "summary")
	wantRefused(t, p, "merci, c'est parfait")
}

// TestYearsPercentsAndNamedFlags: a third newcomer's plans refunded 2019 of "customer
// since 2019" (a year after its cue is no amount), gave 12% for "15% off expiring
// 12/31" (a percentage fills a percent parameter ahead of a bare number, and "12/31"
// after "expiring" is a day), and dropped the flags the request names: "taf"
// (include_taf), "AOG" (aog), "unsealed" (sealed false), "shouldn't be unisex".
func TestYearsPercentsAndNamedFlags(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("issue_refund", "Refund an order, in full or in part.",
			`{"type":"object","properties":{"order_id":{"type":"string","pattern":"^ORD-[0-9]{6}$"},"amount":{"type":"number","description":"Amount to refund; the full order when left out"},"reason":{"type":"string","enum":["goodwill","damaged"]}},"required":["order_id","reason"]}`),
		testTool("apply_discount_code", "Create a discount coupon code for a customer as a goodwill gesture.",
			`{"type":"object","properties":{"email":{"type":"string","format":"email"},"percent_off":{"type":"integer","minimum":1,"maximum":90,"description":"percentage off, e.g. 15"},"expires_on":{"type":"string","format":"date"}},"required":["email","percent_off"]}`),
		testTool("weather_briefing", "METAR weather briefing for an airport, optionally with the TAF forecast.",
			`{"type":"object","properties":{"airport":{"type":"string","pattern":"^[A-Z]{4}$"},"include_taf":{"type":"boolean"}},"required":["airport"]}`),
		testTool("send_transcript", "Send a student's transcript to an address.",
			`{"type":"object","properties":{"student":{"type":"string","pattern":"^S[0-9]{5}$"},"to":{"type":"string","format":"email"},"sealed":{"type":"boolean"}},"required":["student","to"]}`),
		testTool("find_stylist", "Find a hair stylist in a city.",
			`{"type":"object","properties":{"city":{"type":"string"},"is_unisex":{"type":"boolean"}},"required":["city"]}`))...)
	wantCalls(t, p, map[string]string{
		"refund ORD-330019 in full, goodwill - customer since 2019":     "issue_refund(order_id=ORD-330019 reason=goodwill)",
		"give sara@fastmail.com a 15% off discount code expiring 12/31": "apply_discount_code(email=sara@fastmail.com expires_on=2026-12-31 percent_off=15)",
		"metar and taf for YSSY":                                        "weather_briefing(airport=YSSY include_taf=true)",
		"transcript for S55501 to admissions@stateu.edu, unsealed":      "send_transcript(sealed=false student=S55501 to=admissions@stateu.edu)",
		"find me a hair stylist in Fremont, and it shouldn't be unisex": "find_stylist(city=Fremont is_unisex=false)",
		"find me a unisex hair stylist in Fremont":                      "find_stylist(city=Fremont is_unisex=true)",
	}, "amount", "order_id", "reason", "email", "expires_on", "percent_off", "airport", "include_taf", "sealed", "student", "to", "city", "is_unisex")
}

// schoolTools are a school office's meetings, rooms, nurse visits, contacts, late passes
// and a shop's e-mail and replacements.
func schoolTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("parent_meeting", "Schedule a parent-teacher meeting.",
			`{"type":"object","properties":{"student":{"type":"string","pattern":"^S[0-9]{5}$"},"teacher":{"type":"string","description":"teacher's surname, e.g. Okafor"},"date":{"type":"string","format":"date"}},"required":["student","teacher","date"]}`),
		testTool("book_room", "Book a school room.",
			`{"type":"object","properties":{"room":{"type":"string","enum":["gym","library"]},"date":{"type":"string","format":"date"},"purpose":{"type":"string"}},"required":["room","date"]}`),
		testTool("nurse_visit", "Log a visit to the school nurse.",
			`{"type":"object","properties":{"student":{"type":"string","pattern":"^S[0-9]{5}$"},"symptoms":{"type":"string"},"temperatureC":{"type":"number","minimum":34,"maximum":43}},"required":["student","symptoms"]}`),
		testTool("emergency_contact", "Update a student's emergency contact.",
			`{"type":"object","properties":{"student":{"type":"string","pattern":"^S[0-9]{5}$"},"contactName":{"type":"string"},"relationship":{"type":"string","enum":["mother","father"]}},"required":["student","contactName"]}`),
		testTool("late_pass", "Issue a late pass to a student.",
			`{"type":"object","properties":{"student":{"type":"string","pattern":"^S[0-9]{5}$"},"arrivalTime":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"},"reason":{"type":"string","description":"e.g. bus late, dentist"}},"required":["student","arrivalTime"]}`),
		testTool("customer_email", "Send an email message to a customer.",
			`{"type":"object","properties":{"to":{"type":"string","format":"email"},"subject":{"type":"string"},"body":{"type":"string"}},"required":["to","body"]}`),
		testTool("replace_item", "Ship a free replacement for a damaged item in an order.",
			`{"type":"object","properties":{"order_id":{"type":"string","pattern":"^ORD-[0-9]{6}$"},"sku":{"type":"string","pattern":"^SKU-[0-9]{4}$"},"quantity":{"type":"integer","minimum":1}},"required":["order_id","sku"]}`))
}

// TestWhatAnOfficeIsTold: a third newcomer's school and shop plans. "with mr okafor"
// (a lower-case name after "mr"; the surname asked for), "for the winter concert
// rehearsal" (a purpose after "for"), "S20417 headache temp 38.4" (the student and the
// temperature's label are no symptom), "Ben Diaz, ben.diaz@gmail.com" (an address is no
// contact's name), ", bus was late" (a reason like its examples need not be), "subject:
// ..., body: ..." (labels with colons), "x2" (a count).
func TestWhatAnOfficeIsTold(t *testing.T) {
	p := newTestPattern(t, schoolTools()...)
	wantCalls(t, p, map[string]string{
		"book a parent meeting for S11223 with mr okafor on 2027-01-12":            "parent_meeting(date=2027-01-12 student=S11223 teacher=okafor)",
		"reserve the gym on 2027-01-12 for the winter concert rehearsal":           "book_room(date=2027-01-12 purpose=winter concert rehearsal room=gym)",
		"nurse visit S20417 headache temp 38.4":                                    "nurse_visit(student=S20417 symptoms=headache temperatureC=38.4)",
		"late pass for S40404, got in at 08:47, bus was late":                      "late_pass(student=S40404 arrivalTime=08:47 reason=bus was late)",
		"email kim@example.org subject: your refund, body: refund processed today": "customer_email(body=refund processed today subject=your refund to=kim@example.org)",
		"replace SKU-3310 x2 on ORD-909091":                                        "replace_item(order_id=ORD-909091 quantity=2 sku=SKU-3310)",
	}, "date", "student", "teacher", "purpose", "room", "symptoms", "temperatureC", "arrivalTime", "reason", "body", "subject", "to", "order_id", "quantity", "sku")
	wantRefused(t, p, "update emergency contact for S20417 to father Ben Diaz, ben.diaz@gmail.com")
}

// TestPlaceNotHeldAndPublicNote: "check stock SKU-1001 in boston" checked every warehouse
// of a tool that has reno, atlanta and newark: a place the clause names that the tool's
// enum for where does not hold is refused. "add a public note" is internal_only false.
func TestPlaceNotHeldAndPublicNote(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("check_stock", "Check how many units of a product SKU are in stock, optionally at one warehouse.",
			`{"type":"object","properties":{"sku":{"type":"string","pattern":"^SKU-[0-9]{4}$"},"warehouse":{"type":"string","enum":["reno","atlanta","newark"]}},"required":["sku"]}`),
		testTool("add_ticket_note", "Add an internal note to a customer support ticket.",
			`{"type":"object","properties":{"ticket_id":{"type":"integer","description":"support ticket number, e.g. 5521"},"note":{"type":"string"},"internal_only":{"type":"boolean","description":"hide the note from the customer"}},"required":["ticket_id","note"]}`))...)
	wantRefusal(t, p, "check stock SKU-1001 in boston", "boston")
	wantCalls(t, p, map[string]string{
		"check stock SKU-1001 in reno":                               "check_stock(sku=SKU-1001 warehouse=reno)",
		"add a public note to ticket 6002: we shipped a replacement": "add_ticket_note(internal_only=false note=we shipped a replacement ticket_id=6002)",
	}, "sku", "warehouse", "internal_only", "note", "ticket_id")
}

// TestLoneCommaIsNoFlagWord: "... from April 1st , using Celsius units?" panicked: a
// comma standing alone trimmed to an empty word, which matched the missing antonym of a
// flag, and an empty word was searched for.
func TestLoneCommaIsNoFlagWord(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("forecast", "Weather forecast for a city.",
			`{"type":"object","properties":{"city":{"type":"string"},"detailed":{"type":"boolean"}},"required":["city"]}`))...)
	pl, err := p.Plan(context.Background(), planq.New("the weather forecast for Paris , using Celsius units?"))
	if err == nil && pl.Steps[0].Args["detailed"] != nil {
		t.Errorf("a lone comma set a flag: %s", pl.JSON())
	}
	if containsWordFold("any text", "") {
		t.Error("an empty word is in no text")
	}
}

// TestCostCentreIsNoSum: "order 3 headsets for vpatel, cc CC-1200" dropped the cost
// centre: cost_center was read as money for its word "cost", and a money parameter
// takes no code. A parameter is money when its name ends in amount, price, cost or
// budget.
func TestCostCentreIsNoSum(t *testing.T) {
	p := newTestPattern(t, append(helpdeskTools(),
		testTool("order_kit", "Order hardware for an employee, charged to a cost center.",
			`{"type":"object","properties":{"item":{"type":"string","enum":["laptop","headset"]},"quantity":{"type":"integer","minimum":1},"cost_center":{"type":"string","pattern":"^CC-[0-9]{4}$"},"max_price":{"type":"number"}},"required":["item"]}`))...)
	wantCalls(t, p, map[string]string{
		"order 3 headsets, cc CC-1200": "order_kit(cost_center=CC-1200 item=headset quantity=3)",
	}, "cost_center", "item", "quantity")
	if moneyNamed("cost_center") || !moneyNamed("max_price") || !moneyNamed("totalCost") {
		t.Error("moneyNamed: a name ending in a word for money is money, cost_center is not")
	}
}
