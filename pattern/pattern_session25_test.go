package pattern

import (
	"context"
	"path/filepath"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// TestTiedReadingsSameEveryRun: "book a haircut for saturday morning" over the
// daily-life catalogue fits book_hotel and book_restaurant alike, and the refusal named
// them in either order, run to run: the fit of a reading was a sum taken in a map's
// order, whose last bits differ. The same request gets the same answer every time.
func TestTiedReadingsSameEveryRun(t *testing.T) {
	reg, err := dailyLife(t).Merge(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	const req = "book a haircut for saturday morning"
	first := ""
	for i := range 60 {
		_, err := p.Plan(context.Background(), planq.New(req))
		if err == nil {
			t.Fatalf("%q: want a refusal (two bookings fit alike)", req)
		}
		if i == 0 {
			first = err.Error()
			continue
		}
		if err.Error() != first {
			t.Fatalf("%q: run %d answered %q, run 1 %q", req, i+1, err, first)
		}
	}
}

// TestTurnIsSwitch: "turn on international roaming for Ben" went to the autopay tool,
// whose description says "Turn autopay on or off", and was refused for its missing
// setting; the roaming tool says "Switch ... on or off". To turn a thing on is to switch
// it on (or toggle it).
func TestTurnIsSwitch(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("bills.setAutopay", "Turn autopay on or off. With autopay the full balance is paid on each due date from the card or bank account on file.",
			`{"type":"object","properties":{"enabled":{"type":"boolean"}},"required":["enabled"]}`),
		testTool("roaming.setInternational", "Switch international roaming on or off for a line.",
			`{"type":"object","properties":{"line":{"type":"string","description":"Phone number or nickname"},"enabled":{"type":"boolean"}},"required":["enabled"]}`),
		testTool("usage.getLine", "Data, minutes and texts used this cycle on a line.",
			`{"type":"object","properties":{"line":{"type":"string","description":"Phone number or nickname"}}}`))...)
	wantCalls(t, p, map[string]string{
		"turn on international roaming for Ben": "roaming.setInternational(enabled=true line=Ben)",
		"turn roaming off for Ben":              "roaming.setInternational(enabled=false line=Ben)",
		"toggle roaming on for Ben":             "roaming.setInternational(enabled=true line=Ben)",
		"turn on autopay":                       "bills.setAutopay(enabled=true)",
	}, "enabled", "line")
}

// TestChannelVerbOverWords: "text Owen on 07700 900 311 that the samples are in the
// post" ranked a Slack post first ("post"), which has no channel to post to, and was
// refused: the verb names the channel, and the tool named for it is the clause's
// whether or not the better-worded one could be given its arguments.
func TestChannelVerbOverWords(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("send_chat_message", "Post a message in the team's Slack workspace, to a channel (#name) or as a direct message to a user (@handle).",
			`{"type":"object","properties":{"channel":{"type":"string","description":"Channel such as #general, or a user handle such as @maria"},"text":{"type":"string","minLength":1}},"required":["channel","text"]}`),
		testTool("send_sms", "Send a text message to a phone number.",
			`{"type":"object","properties":{"to":{"type":"string","description":"phone number"},"message":{"type":"string"}},"required":["to","message"]}`))...)
	wantCalls(t, p, map[string]string{
		"text Owen on 07700 900 311 that the samples are in the post": "send_sms(to=07700900311 message=the samples are in the post)",
		"post in #sales that the samples are in the post":             "send_chat_message(channel=#sales text=the samples are in the post)",
	}, "to", "message", "channel", "text")
	wantRefused(t, p, "text Owen that the samples are in the post")
}

// TestPercentArithmetic: "what's 20% of $1,240?" and "whats 15% off £3,240" were
// refused (an amount's currency sign stopped the reading of "of", and "off" was not
// read at all): a share of an amount, and an amount less a share, are arithmetic.
func TestPercentArithmetic(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("insurance.check_coverage", "Check whether a service is covered by the member's plan and what the copay or coinsurance is.",
			`{"type":"object","properties":{"service":{"type":"string"}},"required":["service"]}`))...)
	wantCalls(t, p, map[string]string{
		"my coinsurance is 20%, what's 20% of $1,240?": "calculate(expression=1240 * 20 / 100)",
		"whats 15% off £3,240":                         "calculate(expression=3240 * (1 - 0.15))",
		"what is 7.5 percent off 80":                   "calculate(expression=80 * (1 - 0.075))",
		"what is 15% of 240":                           "calculate(expression=240 * 15 / 100)",
	}, "expression")
}

// TestPurposeAsideAsksNothing: "what date is 30 days from today? need it for a quote
// expiry" was refused: the second sentence says what the date is for, and was planned
// as a request for a quote. Saying what a thing is for asks for nothing more.
func TestPurposeAsideAsksNothing(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("createQuote", "Create a quote on a deal, with line items and an expiry date.",
			`{"type":"object","properties":{"deal_id":{"type":"string","pattern":"^DL-[0-9]{4}$"},"expires_on":{"type":"string","format":"date"}},"required":["deal_id"]}`))...)
	wantCalls(t, p, map[string]string{
		"what date is 30 days from today? need it for a quote expiry":     "add_duration(duration=30d)",
		"what date is 30 days from today? I need this for a quote expiry": "add_duration(duration=30d)",
		"what date is 30 days from today? It's for a quote expiry":        "add_duration(duration=30d)",
		// (What is needed, not what it is needed for, is a request.)
		"what date is 30 days from today? need a quote for DL-0042 too": "add_duration(duration=30d); createQuote(deal_id=DL-0042)",
	}, "duration", "deal_id")
}

// TestCityAbbreviation: "flights from NYC to LA on Dec 15" was refused ("LA" is too
// short to name a place, and the booking that needs an offer ranked first): LA, NY, DC
// and SF are the names people write for those cities. Other two letters stay too short.
func TestCityAbbreviation(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/messaging.yaml", "../eval/cases/catalogs/travel_food.yaml", "../eval/cases/catalogs/home_media.yaml")
	wantCalls(t, p, map[string]string{
		"flights from NYC to LA on Dec 15":     "flights.search(origin=NYC destination=LA depart_date=2026-12-15)",
		"flights from DC to SF on December 15": "flights.search(origin=DC destination=SF depart_date=2026-12-15)",
	}, "origin", "destination", "depart_date")
	wantRefused(t, p, "flights from NYC to ab on Dec 15")
}

// TestTimeAskedOfClockOnly: "what time is it in Toronto right now?" over a catalogue
// whose weather tool reports conditions "right now" was served get_weather{Toronto}, a
// wrong plan; and "... got a supplier to call" was refused, the aside (its subject left
// out) planned as a request. Only a tool that speaks of a time, a date or a day tells
// the time, and "got a ..." states something.
func TestTimeAskedOfClockOnly(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/messaging.yaml", "../eval/cases/catalogs/travel_food.yaml", "../eval/cases/catalogs/home_media.yaml")
	wantCalls(t, p, map[string]string{
		"what time is it in Toronto right now?":                        "current_time(timezone=America/Toronto)",
		"what time is it in Toronto right now? got a supplier to call": "current_time(timezone=America/Toronto)",
		"what's the weather right now in Oslo":                         "get_weather(location=Oslo)",
	}, "timezone", "location")
	travel := catalogPattern(t, "../eval/cases/catalogs/travel_food.yaml")
	wantCalls(t, travel, map[string]string{
		"what time is it in Toronto right now?": "current_time(timezone=America/Toronto)",
		"what's the weather right now in Oslo":  "get_weather(location=Oslo)",
	}, "timezone", "location")
}

// TestOneWordRequestNamesNothing: "enter" (BFCL live irrelevance) was served
// askForSSID{prompt_message: "enter"}, the tool described "Prompt the user to enter the
// SSID": a request of one word, the tool's own, names nothing to do it with.
func TestOneWordRequestNamesNothing(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(), airQualityTool(),
		testTool("askForSSID", "Prompt the user to enter the SSID when it is not known or provided.",
			`{"type":"object","properties":{"prompt_message":{"type":"string","description":"The message displayed to the user when asking for the SSID."}},"required":["prompt_message"]}`))...)
	wantRefused(t, p, "enter")
	wantRefused(t, p, "enter.")
	wantCalls(t, p, map[string]string{
		"ask me to enter the SSID with the message 'Which network?'": "askForSSID(prompt_message=Which network?)",
	}, "prompt_message")
}

// TestReportIsNoRequest: a news report pasted as a request (BFCL live irrelevance) was
// served askForSSID{default_ssid: Kremlin, prompt_message: <the spokesman's words>}:
// "Asked by reporters whether ..., Peskov said: ..." opens with a passive participle,
// and reports what was done; it asks for nothing.
func TestReportIsNoRequest(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(), airQualityTool(),
		testTool("askForSSID", "Prompt the user to enter the SSID when it is not known or provided.",
			`{"type":"object","properties":{"default_ssid":{"type":"string","description":"The default SSID to be used if the user does not enter one."},"prompt_message":{"type":"string","description":"The message displayed to the user when asking for the SSID."}},"required":["prompt_message"]}`))...)
	wantRefused(t, p, "Asked by reporters whether the Kremlin recognised the group was behind the attack, spokesperson Dmitri Peskov said: \"You ask a question related to the progress of the investigation. We do not comment on that in any way.\"")
	wantCalls(t, p, map[string]string{
		"ask me for the SSID with the message 'Which network?'": "askForSSID(prompt_message=Which network?)",
	}, "prompt_message")
}

// TestListItemWithValueIsShort: "Find out details of Taylor Swift in Spotify and the
// names of her most recent albums" (NESTFUL) listed her albums and dropped the details
// in silence: the first item was six words long with the values counted, too long for a
// list's item. In a list joined by "and", a value counts for no words.
func TestListItemWithValueIsShort(t *testing.T) {
	reg := loadRegistry(t, filepath.Join(sharedData(t), "nestful", "executable-spec.json"))
	p := NewPattern(reg, WithClock(testNow))
	wantCalls(t, p, map[string]string{
		"Find out details of Taylor Swift in Spotify and the names of her most recent albums.": "Spotify_Scraper_Get_Artist_ID_By_Name(name=Taylor Swift); Spotify_Scraper_List_Artist_Albums_Singles(artistId=${s1.artist_id}); Spotify_Scraper_Get_Artist_Overview(artistId=${s1.artist_id})",
	}, "name", "artistId")
}

// TestSwitchedThingAndItsSetting: over a coworking space's catalogue (written for this
// test), "toggle heating on in the meeting rooms" and "switch on the heating in the open
// area and set it to 21 degrees" were served heating.set{zone} alone: a step that
// switched nothing (what is switched ends at the preposition: the heating, not "the
// meeting rooms"), and a temperature dropped in silence ("21 degrees" was no value of a
// parameter named celsius, and the step of the same tool was taken to account for the
// clause). A number the step leaves out that fits one of its empty parameters is not
// accounted for by it.
func TestSwitchedThingAndItsSetting(t *testing.T) {
	p := catalogPattern(t, "testdata/cowork.yaml")
	wantCalls(t, p, map[string]string{
		"toggle heating on in the meeting rooms":                          "heating.set(zone=rooms enabled=true)",
		"turn the heating off in the quiet zone":                          "heating.set(zone=quiet enabled=false)",
		"switch on the heating in the open area and set it to 21 degrees": "heating.set(zone=open enabled=true celsius=21)",
		"set the quiet zone to 20 degrees":                                "heating.set(zone=quiet celsius=20)",
	}, "zone", "enabled", "celsius")
	rides := newTestPattern(t, append(tool.Builtins(),
		testTool("RideSharing_2_GetRide", "Book a cab for a specified destination, with a choice of the number of seats and ride type.",
			`{"type":"object","properties":{"destination":{"type":"string","description":"The destination address or location for the cab, in the format of 'Street, City, State'."},"number_of_seats":{"type":"string","enum":["1","2","3","4"],"description":"The number of seats to reserve in the cab."},"ride_type":{"type":"string","enum":["Pool","Regular","Luxury"]}},"required":["destination","number_of_seats","ride_type"]}`))...)
	// (The step took the destination from the statement and left the seats the first
	// sentence asks for.)
	if pl, err := rides.Plan(context.Background(), planq.New("I need a Shared ride for 2. The destination is the 123 Park Branham Apartments, San Jose")); err == nil {
		if pl.Steps[0].Args["number_of_seats"] == nil {
			t.Errorf("served %s, which drops the 2 seats", pl.JSON())
		}
	}
}

// TestStatementThenReportIt: "the printer on floor 2 is jammed again, report it" made two
// reports, the statement's own (description "floor", location "2") and the one "report
// it" asked for: the clause after the statement refers to it, and its step is the
// statement's.
func TestStatementThenReportIt(t *testing.T) {
	p := catalogPattern(t, "testdata/cowork.yaml")
	wantCalls(t, p, map[string]string{
		"the printer on floor 2 is jammed again, report it":  "facilities.report(category=printer description=the printer on floor 2 is jammed again)",
		"the heating on floor 3 is broken. report it please": "facilities.report(category=heating description=the heating on floor 3 is broken)",
	}, "category", "description")
}

// TestBareRecipientOfTextTool: "text +44 7700 900123 that the lights are back" over
// send_sms "Send a text message to a phone number" with a parameter named "to" and no
// description was refused ("the phone number is not a to"): the recipient of a tool that
// says it texts a phone number is that number.
func TestBareRecipientOfTextTool(t *testing.T) {
	p := catalogPattern(t, "testdata/cowork.yaml")
	wantCalls(t, p, map[string]string{
		"text +44 7700 900123 that the lights are back": "send_sms(to=+447700900123 message=the lights are back)",
	}, "to", "message")
	wantRefused(t, p, "text Dana that the lights are back")
}

// TestMonthDescribedYearMonth: "send M-0311 their invoice for november 2026" was refused
// for want of the month, a parameter described "YYYY-MM" with no pattern: a month
// parameter is read from its description too.
func TestMonthDescribedYearMonth(t *testing.T) {
	p := catalogPattern(t, "testdata/cowork.yaml")
	wantCalls(t, p, map[string]string{
		"send M-0311 their invoice for november 2026": "invoices.send(member_id=M-0311 month=2026-11)",
		"send M-0311 last month's invoice":            "invoices.send(member_id=M-0311 month=2026-10)",
	}, "member_id", "month")
}

// TestMedsAreThePrescriptions: "what meds am I on right now?" over a clinic whose tool
// lists "the patient's prescriptions" was refused (the interactions check, which needs
// medications, ranked first): a medication is what a prescription is for.
func TestMedsAreThePrescriptions(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/clinic.yaml")
	wantCalls(t, p, map[string]string{
		"what meds am I on right now?":        "prescriptions.list()",
		"what medications am I on right now?": "prescriptions.list()",
	})
}

// TestInstantTakesTheHour: over a parking garage's catalogue (written for this test),
// "book a spot ... for KX21 ABC on friday at 9 for 2 hours" started the booking at
// midnight, the date-time read from the day alone: an instant read from a day takes the
// hour the clause says ("tonight at 9" is 21:00), and an hour that could be morning or
// evening is asked about, not dropped.
func TestInstantTakesTheHour(t *testing.T) {
	p := catalogPattern(t, "testdata/parking.yaml")
	wantCalls(t, p, map[string]string{
		"reserve a space for KX21 ABC tonight at 9 for 3 hours":    "spaces.reserve(start=2026-11-26T21:00:00Z hours=3)",
		"reserve a space for KX21 ABC tomorrow at 8am for 3 hours": "spaces.reserve(start=2026-11-27T08:00:00Z hours=3)",
	}, "start", "hours")
	wantRefused(t, p, "book a spot on the roof for KX21 ABC on friday at 9 for 2 hours")
	wantRefused(t, p, "cancel PK-004512 and book KX21 ABC in for saturday at 10 for 4 hours instead")
}

// TestAbbreviatedFlag: "book a spot on the roof with EV charging ..." over a reservation
// with an ev_charging flag booked a space without a charger: a flag named by two words
// whose first is an abbreviation of two letters is set by the clause that says them.
func TestAbbreviatedFlag(t *testing.T) {
	p := catalogPattern(t, "testdata/parking.yaml")
	wantCalls(t, p, map[string]string{
		"book a spot on the roof with EV charging for KX21 ABC on friday at 9am for 2 hours": "spaces.reserve(level=roof ev_charging=true)",
		"book a spot without ev charging for KX21 ABC on friday at 9am for 2 hours":          "spaces.reserve(ev_charging=false)",
	}, "level", "ev_charging")
}
