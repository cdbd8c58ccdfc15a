package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestStatementAfterGivesItsValue: "I need a plus ride from 2020 Addison Street,
// Berkeley, and I can wait up to 10 minutes for it" was refused for want of the wait (and
// over BFCL's union catalogue served the twin tool that does not need it): a statement
// after the clause that refers back to what the clause asks for states a value of it,
// here a duration for a parameter measured in minutes. A statement that does not refer
// back gives nothing, and the ride is still refused without the wait.
func TestStatementAfterGivesItsValue(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("ride.request", "Request a ride for the customer from a pickup address, with a ride type and the longest wait they accept.",
			`{"type":"object","properties":{"pickup":{"type":"string","description":"Pickup address, e.g. '12 Main St, Springfield'"},"ride_type":{"type":"string","enum":["standard","plus","xl"]},"max_wait_minutes":{"type":"integer","description":"The maximum time in minutes the customer will wait."}},"required":["pickup","ride_type","max_wait_minutes"]}`))...)
	wantCalls(t, p, map[string]string{
		"I need a plus ride from 2020 Addison Street, Berkeley, and I can wait up to 10 minutes for it":       "ride.request(max_wait_minutes=10 ride_type=plus)",
		"get me an xl ride from 12 Main St, Springfield. I can wait 5 minutes for it":                         "ride.request(max_wait_minutes=5 ride_type=xl)",
		"I need a plus ride from 2020 Addison Street, Berkeley; I can wait up to half an hour for it, thanks": "ride.request(max_wait_minutes=30 ride_type=plus)",
	}, "max_wait_minutes", "ride_type")
	wantRefusal(t, p, "I need a plus ride from 2020 Addison Street, Berkeley", "max_wait_minutes")
}

// recurringPaymentTools are a credit union's transfer between the member's own accounts,
// whose description sends repeating transfers to the standing order, and the standing
// order itself.
func recurringPaymentTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("transfer_between_accounts", "Move money between the member's OWN accounts, once, now or on a future date. For repeating transfers use schedule_recurring_payment; to pay anyone else use pay_someone.",
			`{"type":"object","properties":{"from_account":{"type":"string","enum":["everyday","bills","holiday_saver"]},"to_account":{"type":"string","enum":["everyday","bills","holiday_saver"]},"amount":{"type":"number"},"transfer_date":{"type":"string","format":"date","description":"A future date for a one-off scheduled transfer; today when left out"}},"required":["from_account","to_account","amount"]}`),
		testTool("schedule_recurring_payment", "Set up a repeating payment (a standing order): weekly, fortnightly or monthly, to one of the member's own accounts or to someone else's PayID.",
			`{"type":"object","properties":{"from_account":{"type":"string","enum":["everyday","bills","holiday_saver"]},"to_own_account":{"type":"string","enum":["everyday","bills","holiday_saver"]},"payid":{"type":"string"},"amount":{"type":"number"},"frequency":{"type":"string","enum":["weekly","fortnightly","monthly"]},"start_date":{"type":"string","format":"date"}},"required":["amount","frequency"]}`),
		testTool("send_sms", "Send a text message (SMS) to a phone number now.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Phone number, e.g. +1 555 010 2233"},"message":{"type":"string"}},"required":["to","message"]}`),
	)
}

// TestRecurrenceSentElsewhereIsNoRecurrence: "move 50 from everyday to holiday saver every
// friday" made one transfer next Friday: the transfer's description speaks of repeating
// only to send it to another tool ("For repeating transfers use
// schedule_recurring_payment"), and a one-off transfer "scheduled" for a date does not
// repeat. A one-off transfer is still served.
func TestRecurrenceSentElsewhereIsNoRecurrence(t *testing.T) {
	p := newTestPattern(t, recurringPaymentTools()...)
	wantRefusal(t, p, "move 50 from everyday to holiday saver every friday", "every friday")
	wantRefusal(t, p, "transfer 20 from everyday to bills each month", "each month")
	wantCalls(t, p, map[string]string{
		"move 50 from everyday to holiday saver":        "transfer_between_accounts(amount=50)",
		"move 50 from everyday to holiday saver friday": "transfer_between_accounts(amount=50)",
	}, "amount")
}

// TestValueSharingTheUnitIsNoRecurrence: "text +1 555 010 2233 every morning at 8 saying
// good morning" sent one text now: the message "good morning" shares the recurrence's
// word and was read as the step holding it. A value holds a recurrence when it is one
// ("weekly", "every morning"), not when it shares its word.
func TestValueSharingTheUnitIsNoRecurrence(t *testing.T) {
	p := newTestPattern(t, recurringPaymentTools()...)
	wantRefusal(t, p, "text +1 555 010 2233 every morning at 8 saying good morning", "every morning")
	wantCalls(t, p, map[string]string{
		"text +1 555 010 2233 saying good morning": "send_sms(message=good morning)",
	}, "message")
}

// TestDailyFlagIsSet: "can i get a wakeup call every morning at 7" was served as one
// call, its repeat_daily flag left out: a tool that repeats when a parameter says so
// repeats only in a step that sets it. The flag is set when the clause asks for it every
// day; any other recurrence is refused with the parameter named.
func TestDailyFlagIsSet(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("wakeup_call.schedule", "Schedule a wake-up call to the room phone at a time, on a given date, optionally every day until checkout.",
			`{"type":"object","properties":{"time":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$","description":"24-hour HH:MM, e.g. 06:30"},"date":{"type":"string","format":"date"},"repeat_daily":{"type":"boolean","default":false}},"required":["time"]}`))...)
	wantCalls(t, p, map[string]string{
		"can i get a wakeup call every morning at 7": "wakeup_call.schedule(repeat_daily=true time=07:00)",
		"wake-up call at 6:30am daily please":        "wakeup_call.schedule(repeat_daily=true time=06:30)",
		"wake-up call at 6:30am tomorrow":            "wakeup_call.schedule(time=06:30)",
	}, "repeat_daily", "time")
	wantRefusal(t, p, "wake-up call at 6:30am every other day", "repeat_daily")
	wantRefusal(t, p, "wake-up call at 6:30am every monday", "repeat_daily")
}

// TestNationalNumberNeedsNoCountryCode: "text 07700 900 311 that the samples arrived" was
// refused (a UK number in its own format was read as three numbers), and once read as a
// phone number it fitted the SMS and the WhatsApp tool "about equally": a parameter
// that asks for a number "with country code" takes none without one, a tool that only
// prefers the international format does.
func TestNationalNumberNeedsNoCountryCode(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("send_sms", "Send an SMS text message right now to one phone number.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Recipient phone number, international format preferred (e.g. +15550102233)."},"message":{"type":"string","minLength":1}},"required":["to","message"]}`),
		testTool("send_whatsapp_message", "Send a WhatsApp message to a phone number that uses WhatsApp.",
			`{"type":"object","properties":{"phone":{"type":"string","description":"WhatsApp number with country code, e.g. +4915112345678"},"text":{"type":"string","minLength":1}},"required":["phone","text"]}`),
		testTool("make_phone_call", "Start a voice call from the user's phone to a phone number.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Phone number to call."}},"required":["to"]}`))...)
	wantCalls(t, p, map[string]string{
		"text 07700 900 311 that the samples arrived": "send_sms(to=07700900311)",
		"ring 0113 496 0822":                          "make_phone_call(to=01134960822)",
		"whatsapp +4915112345678 that I'm late":       "send_whatsapp_message(phone=+4915112345678)",
	}, "to", "phone")
	wantRefused(t, p, "whatsapp 07700 900 311 that the samples arrived")
	for _, d := range []string{"WhatsApp number with country code, e.g. +4915112345678", "Phone number in E.164 format", "Mobile number including the country code", "Mobile number, international format required"} {
		if !needsCountryCode.MatchString(d) {
			t.Errorf("%q: not read as asking for a country code", d)
		}
	}
	for _, d := range []string{"Recipient phone number, international format preferred (e.g. +15550102233).", "Phone number in international format preferred", "Phone number to call.", "The country code of the destination"} {
		if needsCountryCode.MatchString(d) {
			t.Errorf("%q: read as asking for a country code", d)
		}
	}
}

// TestHandingOverIsNoLookup: "give LD-21004 to Tom" showed the lead's record: giving or
// handing something on to someone acts, and a tool that only reads does not do it.
// "give me the details of LD-21004" still reads it.
func TestHandingOverIsNoLookup(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("getContact", "One lead's or contact's full record by id: name, company, owner and the activity timeline. Read-only; to change a field use updateContact.",
			`{"type":"object","properties":{"id":{"type":"string","pattern":"^(LD|CT)-[0-9]{5}$","description":"e.g. CT-10482 or LD-20931"}},"required":["id"]}`))...)
	wantRefusal(t, p, "give LD-21004 to Tom", "give")
	wantRefusal(t, p, "hand LD-21004 over to Priya", "hand")
	wantCalls(t, p, map[string]string{
		"give me the details of LD-21004": "getContact(id=LD-21004)",
		"give LD-21004's record to me":    "getContact(id=LD-21004)",
	}, "id")
}

// TestTodaysWeatherIsNoForecast: "what's the weather in Paris" over a catalogue with the
// current weather and a forecast for a date was refused: the forecast, ranked a little
// higher, lacked its date, and a tool the clause names better that cannot be filled
// refuses the clause. A clause that gives no day (no date, time or number) and names
// nothing of the forecast's that the current weather's text lacks asks for now. The
// forecast is still the reading for a day, and "the weather forecast for Leeds" is still
// refused for want of one.
func TestTodaysWeatherIsNoForecast(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/travel_food.yaml")
	wantCalls(t, p, map[string]string{
		"what's the weather in Paris": "get_weather(location=Paris)",
		"weather in Leeds tomorrow":   "get_weather_forecast(location=Leeds)",
	}, "location")
	wantRefusal(t, p, "what's the weather forecast for Leeds", "date")
}

// TestStatedValueIsNotDropped: "what's wrong with my tomato plant? photo is leaf2.jpg"
// listed the garden's plants and dropped the photo: a file, an address, a phone number
// or a URL a statement gives is for a step, and a plan that takes none of them is not
// what was asked. A statement whose value a step takes still serves.
func TestStatedValueIsNotDropped(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("plants.list", "List the plants in the user's garden with their bed, last watering and health. Read-only.",
			`{"type":"object","properties":{"bed":{"type":"string","description":"Bed name, e.g. 'front border', 'veg patch'"}}}`),
		testTool("pests.identify", "Identify a pest or disease from a photo of a leaf. Read-only.",
			`{"type":"object","properties":{"photo":{"type":"string","description":"Path to a photo, e.g. leaf.jpg"}},"required":["photo"]}`),
		testTool("shop.order_seeds", "Order seed packets from the garden centre for delivery.",
			`{"type":"object","properties":{"variety":{"type":"string"},"packets":{"type":"integer","minimum":1}},"required":["variety","packets"]}`))...)
	wantRefusal(t, p, "what's wrong with my tomato plant? photo is leaf2.jpg", "leaf2.jpg")
	wantCalls(t, p, map[string]string{
		"identify the pest on this leaf. the photo is leaf2.jpg": "pests.identify(photo=leaf2.jpg)",
	}, "photo")
}

// TestReadingThatTakesNothingYields: "any gigs in manchester next week?" listed every
// task of the user's CRM (listTasks, which takes nothing, ranked first), while the
// events search took the city and the week: a reading that takes nothing the clause
// says is not the clause's when another reading takes what it says. The clause is
// refused ("gigs" is no word of the catalogue's); a search that takes it still serves.
func TestReadingThatTakesNothingYields(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/crm.yaml", "../eval/cases/catalogs/tickets.yaml")
	wantRefusal(t, p, "any gigs in manchester next week?", "takes nothing")
	wantCalls(t, p, map[string]string{
		"any concerts in manchester next week?": "events__search(city=manchester)",
		"what's overdue for me?":                "listTasks()",
	}, "city")
}

// TestAmountARateIsAStandingOrder: "set up $75 a week from everyday into the holiday
// saver" made one transfer: an amount given per unit of time moved by a step that acts
// is a recurrence the one-off transfer does not do. A read-only step's "$40 a month" is
// a price, not a recurrence.
func TestAmountARateIsAStandingOrder(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/creditunion.yaml")
	wantRefusal(t, p, "set up $75 a week from everyday into the holiday saver, starting this friday", "every week")
	wantRefusal(t, p, "move 200 dollars per month from everyday to bills", "every month")
	wantCalls(t, p, map[string]string{
		"move $75 from everyday into the holiday saver": "transfer_between_accounts(amount=75)",
	}, "amount")
	if m := amountRate.FindStringSubmatch("plans under $40 a month"); m == nil || m[1] != "month" {
		t.Errorf("amountRate on a price: %v", m)
	}
}

// TestGetMeIsAcquiring: "get me tickets for EV-58213" showed the event: "get me" a thing
// that a tool which acts is named after (orders__buy_tickets) acquires it, and a tool
// that only reads does not. "get me the details of EV-58213" still reads.
func TestGetMeIsAcquiring(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/crm.yaml", "../eval/cases/catalogs/tickets.yaml")
	wantRefusal(t, p, "get me tickets for EV-58213", "only reads")
	wantCalls(t, p, map[string]string{
		"get me the details of EV-58213": "events__get(event_id=EV-58213)",
	}, "event_id")
}
