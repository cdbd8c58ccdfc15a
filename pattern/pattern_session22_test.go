package pattern

import (
	"path/filepath"
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestShortFormReachesTheFullWord: "Delete the Apdex config for d0404" deleted an SLI
// configuration: the tool whose name says "config" ranked above the one named for the
// Apdex configuration, because "config" and "configuration" were different words. The
// short forms API authors write ("config", "info", "repo", "env", "stats") read as the
// full words.
func TestShortFormReachesTheFullWord(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("sli_settings.delete_sli_config", "Deletes a Service Level Indicator (SLI) configuration using the specified identifier.",
			`{"type":"object","properties":{"id":{"type":"string","description":"The identifier of the SLI configuration to delete."}},"required":["id"]}`),
		testTool("delete_apdex_configuration", "Deletes the specified Apdex configuration by its unique identifier.",
			`{"type":"object","properties":{"id":{"type":"string","description":"The identifier of the Apdex configuration to delete."}},"required":["id"]}`),
		testTool("repos.get_repository_info", "Get the details of a code repository: its default branch, visibility and size.",
			`{"type":"object","properties":{"name":{"type":"string","description":"The repository's name, e.g. 'planwise'"}},"required":["name"]}`),
		testTool("repos.get_branch", "Get a branch of a code repository.",
			`{"type":"object","properties":{"repository":{"type":"string"},"branch":{"type":"string"}},"required":["repository","branch"]}`))...)
	wantCalls(t, p, map[string]string{
		`Delete the Apdex config for "d0404"`:  "delete_apdex_configuration(id=d0404)",
		`delete the SLI config "s-17"`:         "sli_settings.delete_sli_config(id=s-17)",
		`show me the repo info for 'planwise'`: "repos.get_repository_info(name=planwise)",
	}, "id", "name")
}

// TestBareNumberIsNoPageSize: "When will size 40 be available?" listed monitoring
// locations with limit 40, and "Get the data 1, 3" read sensor history 3 to a page: a
// number fills how many results a list returns, or where it starts, only when the
// request counts results with it.
func TestBareNumberIsNoPageSize(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("locations.list", "Retrieve a list of all monitoring locations available. The response can be sorted and paginated.",
			`{"type":"object","properties":{"limit":{"type":"integer","description":"The maximum number of results to return, to limit the response size."},"offset":{"type":"integer","description":"Where the results start."}},"required":["limit"]}`))...)
	wantRefusal(t, p, "When will size 40 be available?", "limit")
	wantCalls(t, p, map[string]string{
		"list monitoring locations, limit 20":    "locations.list(limit=20)",
		"show 5 results of monitoring locations": "locations.list(limit=5)",
	}, "limit")
}

// chargerTools are a house's two EV chargers and its power plan, which is switched with
// the retailer.
func chargerTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("START_EV_CHARGE", "Start charging now on one charger. mode fast uses grid power as needed; solar_only charges only from spare solar.",
			`{"type":"object","properties":{"charger":{"type":"string","description":"Charger id (CHG-2041) or name ('Garage', 'Driveway'). Required: the house has two."},"mode":{"type":"string","enum":["fast","solar_only"]}},"required":["charger"]}`),
		testTool("GET_TARIFF_RATES", "The household's plan with its power retailer: peak, off-peak and night prices and the daily fixed charge. Read-only; plans are switched with the retailer, not here.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date","description":"Rates in force on this day; today when left out"}}}`))
}

// TestSomethingDoneIsNoName: "start charging the car" started charger "charging the
// car": a verb's -ing form before a determiner is something done to a thing, not the
// name of one. A charger named is served.
func TestSomethingDoneIsNoName(t *testing.T) {
	p := newTestPattern(t, chargerTools()...)
	wantRefusal(t, p, "start charging the car", "charger")
	wantCalls(t, p, map[string]string{
		"start charging on the Garage charger": "START_EV_CHARGE(charger=Garage)",
		"start charging on CHG-2041":           "START_EV_CHARGE(charger=CHG-2041)",
	}, "charger")
}

// TestWorkDoneElsewhereIsRefused: "switch us to Octopus's EV plan" showed the current
// rates: the rates' description says plans "are switched with the retailer, not here",
// and "switch" was no verb to the planner. Reading the rates is still served.
func TestWorkDoneElsewhereIsRefused(t *testing.T) {
	p := newTestPattern(t, chargerTools()...)
	wantRefusal(t, p, "switch us to Octopus's EV plan", "switch")
	wantRefusal(t, p, "please switch our plan to the night saver", "switch")
	wantCalls(t, p, map[string]string{
		"what are our power rates": "GET_TARIFF_RATES()",
	})
}

// offerTools are an applicant-tracking system's offers beside e-mail and WhatsApp.
func offerTools(withSend bool) []*tool.Tool {
	ts := append(tool.Builtins(),
		testTool("send_email", "Send an e-mail to an address.",
			`{"type":"object","properties":{"to":{"type":"string","format":"email"},"subject":{"type":"string"},"body":{"type":"string"}},"required":["to","body"]}`),
		testTool("send_whatsapp_message", "Send a WhatsApp message to a phone number.",
			`{"type":"object","properties":{"phone":{"type":"string","description":"Phone number with country code, e.g. +44 7700 900123"},"text":{"type":"string","description":"The message"}},"required":["phone","text"]}`),
		testTool("get_offer_v1", "Get an offer letter's terms and status. Read-only.",
			`{"type":"object","properties":{"offer_id":{"type":"string","pattern":"^OF-[0-9]{4}$"}},"required":["offer_id"]}`),
		testTool("get_candidate_v2", "Get a candidate's profile.",
			`{"type":"object","properties":{"candidate_id":{"type":"string","pattern":"^CD-[0-9]{6}$"}},"required":["candidate_id"]}`))
	for _, x := range [][3]string{
		{"schedule_interview_v3", "Schedule an interview with a candidate for a job, with interviewers and a time.", `{"type":"object","properties":{"candidate_id":{"type":"string","pattern":"^CD-[0-9]{6}$"},"start":{"type":"string","format":"date-time"}},"required":["candidate_id","start"]}`},
		{"list_jobs_v2", "List open jobs (requisitions) by department or location.", `{"type":"object","properties":{"department":{"type":"string"},"location":{"type":"string"}}}`},
		{"move_candidate_stage_v2", "Move a candidate to another stage of the hiring pipeline.", `{"type":"object","properties":{"candidate_id":{"type":"string","pattern":"^CD-[0-9]{6}$"},"stage":{"type":"string","enum":["screen","onsite","offer","hired","rejected"]}},"required":["candidate_id","stage"]}`},
		{"add_note_v1", "Add a private note to a candidate's profile.", `{"type":"object","properties":{"candidate_id":{"type":"string","pattern":"^CD-[0-9]{6}$"},"note":{"type":"string"}},"required":["candidate_id","note"]}`},
		{"calendar.create_event", "Create a calendar event with a title, start and end.", `{"type":"object","properties":{"title":{"type":"string"},"start":{"type":"string","format":"date-time"}},"required":["title","start"]}`},
		{"make_phone_call", "Call a phone number.", `{"type":"object","properties":{"to":{"type":"string","description":"Phone number"}},"required":["to"]}`},
	} {
		ts = append(ts, testTool(x[0], x[1], x[2]))
	}
	if withSend {
		ts = append(ts, testTool("send_offer_v1", "Send an approved offer letter to the candidate for e-signature, valid until a date.",
			`{"type":"object","properties":{"offer_id":{"type":"string","pattern":"^OF-[0-9]{4}$"},"expires_on":{"type":"string","format":"date"}},"required":["offer_id"]}`))
	}
	return ts
}

// TestCodeNamesItsTool: "send OF-3312 and whatsapp ..." sent only the WhatsApp message:
// "send OF-3312" ranked send_email a hair above send_offer_v1, and the e-mail, lacking
// its recipient, refused the clause, which the WhatsApp step was then taken to account
// for. A code in the form a parameter's pattern gives is that tool's; and a clause that
// gives a catalogue code no step takes is never accounted for by another step.
func TestCodeNamesItsTool(t *testing.T) {
	p := newTestPattern(t, offerTools(true)...)
	wantCalls(t, p, map[string]string{
		"send OF-3312": "send_offer_v1(offer_id=OF-3312)",
		"send OF-3312 and whatsapp +1 647 555 0118 saying please check your inbox": "send_offer_v1(offer_id=OF-3312); send_whatsapp_message(text=please check your inbox)",
	}, "offer_id", "text")
	// Without a tool that sends offers, the first clause is refused, not dropped.
	p = newTestPattern(t, offerTools(false)...)
	wantRefusal(t, p, "send OF-3312 and whatsapp +1 647 555 0118 saying please check your inbox", "send")
}

// TestWhoIsNoMessage: "whatsapp the candidate on +1 647 555 0118 to check their inbox"
// sent the message "candidate": a word the catalogue names things with says who the
// message is for, not what it says.
func TestWhoIsNoMessage(t *testing.T) {
	p := newTestPattern(t, offerTools(true)...)
	wantRefusal(t, p, "whatsapp the candidate on +1 647 555 0118 to check their inbox", "candidate")
}

// TestVerbWordAfterDeterminerIsTheObject: "find the email from the Roberts agency with
// the CV" searched candidates: "email" can be a verb, so the object of "find the ..." was
// not read, and the candidate search, which takes "agency" as a source, outranked the
// mailbox search that the object names. After a determiner the word is the noun: the
// mailbox search cannot take the agency, and the clause is refused.
func TestVerbWordAfterDeterminerIsTheObject(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/recruiting.yaml", "../eval/cases/catalogs/messaging.yaml")
	wantRefusal(t, p, "find the email from the Roberts agency with the CV for the tech artist role", "agency")
	wantCalls(t, p, map[string]string{
		"find the email from Priya about her start date": "search_email()",
	})
}

// eventTools are an events search, a flight picker's last screen and a few neighbours.
func eventTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("Events_3_FindEvents", "Finds cultural events, such as concerts and plays, happening in a specified city on a particular date.",
			`{"type":"object","properties":{"event_type":{"type":"string","enum":["Music","Theater"],"description":"The type of cultural event to find."},"city":{"type":"string","description":"The city where the event is happening, e.g. 'New York, NY'"},"date":{"type":"string","description":"The date of the event, in the format 'YYYY-MM-DD'. If not specified, any date is considered."}},"required":["event_type","city"]}`),
		testTool("render_ui_finish", "Invoke this function to display the final list of available flight options to the user once all necessary information has been gathered.",
			`{"type":"object","properties":{"default_date":{"type":"string","description":"The default date set in the date-picker, in the format of 'dd-mm-yyyy', such as '15-04-2023'."}},"required":["default_date"]}`),
		testTool("Events_3_BuyEventTickets", "Purchase tickets for a specified cultural event on a particular date in a selected city.",
			`{"type":"object","properties":{"event_name":{"type":"string"},"number_of_tickets":{"type":"integer"},"date":{"type":"string"},"city":{"type":"string"}},"required":["event_name","number_of_tickets","date","city"]}`),
		testTool("Hotels_4_SearchHotel", "Search for accommodations in a specific location.",
			`{"type":"object","properties":{"location":{"type":"string","description":"The city, e.g. 'New York, NY'"}},"required":["location"]}`))
}

// TestOthersValuesMakeNoStep: "Find a Music event in New York on 2023.4.15. Could you
// provide some options?" added a flight picker's last screen with the event's date:
// a clause that gives a step nothing, whose words its tool's name does not hold, and
// whose every value another step took from another clause asks for no step of its own.
// And "Find music events in New York. Find me one that's happening on the 9th of march
// 2023" searched without the date: a clause that states a date no step takes is not
// accounted for by a step of the tool it lacked values for. Both are refused.
func TestOthersValuesMakeNoStep(t *testing.T) {
	p := newTestPattern(t, eventTools()...)
	wantRefusal(t, p, "Find a Music event in New York on 2023.4.15. Could you provide some options?", "nothing of its own")
	wantRefusal(t, p, "Find music events in New York. Find me one that's happening on the 9th of march 2023", "")
	wantCalls(t, p, map[string]string{
		"Find a Music event in New York on 2023.4.15": "Events_3_FindEvents(date=2023-04-15)",
	}, "date")
}

// TestChannelVerbNamesTheTool: "text +1 416 555 0199 that we are late" was refused as
// fitting send_sms and send_whatsapp_message about equally (only a number like the SMS
// tool's own example tipped it), and "whatsapp +44 7700 900 311 that the samples
// arrived" went to send_sms, whose example number shares its digits: the channel a
// clause opens with as its verb is the tool's named for that channel.
func TestChannelVerbNamesTheTool(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/messaging.yaml")
	wantCalls(t, p, map[string]string{
		"text +1 416 555 0199 that we are late":              "send_sms(message=we are late)",
		"whatsapp +44 7700 900 311 that the samples arrived": "send_whatsapp_message(text=the samples arrived)",
		"email bob@example.com that the samples arrived":     "send_email(body=the samples arrived)",
	}, "message", "text", "body")
}

// TestBeingIsNoInstruction: "Find a service provider in Phra Khanong Subdistrict. Being
// an Excellence service provider" searched twice, the second time in a district called
// "Excellence": a clause that opens with "being" says what the thing is, not what else
// to do.
func TestBeingIsNoInstruction(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_service_providers", "Find service providers in a district, optionally only those marked excellent.",
			`{"type":"object","properties":{"district_name":{"type":"string","description":"The name of the district where the service provider is located, or 'null' if not specified."},"is_excellent":{"type":"boolean","default":false}}}`))...)
	wantCalls(t, p, map[string]string{
		"Find a service provider that provides services in Phra Khanong Subdistrict. Being an Excellence service provider": "get_service_providers(district_name=Phra Khanong Subdistrict)",
	}, "district_name")
}

// TestWorkSentElsewhereIsNoReading: "move CD-104882 to onsite for REQ-2291" was refused
// for want of interviewers: the interview scheduler, whose description says "To move an
// existing interview use reschedule_interview_v1", outranked the tool named for moving a
// candidate, which fell outside the readings weighed. A description that sends the
// verb's work to another tool does not do it, and the first tool named for the clause's
// verb below the best readings is weighed too.
func TestWorkSentElsewhereIsNoReading(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/recruiting.yaml", "../eval/cases/catalogs/messaging.yaml")
	wantCalls(t, p, map[string]string{
		"move CD-104882 to onsite for REQ-2291": "move_candidate_stage_v2(candidate_id=CD-104882 stage=onsite)",
	}, "candidate_id", "stage")
}

// TestRepeatedCallLeavesNoConjunct: NESTFUL's "... a 3-bedroom apartment in San
// Francisco that was wifi and allows pets. Please help me find a place and shedule me a
// visit at the to tour the apartment" searched once and dropped the visit: the second
// clause repeats the search, and what it joins with "and" was never checked against the
// step it repeats. A clause whose call is another clause's is refused when an action it
// joins is left; one that joins only a thing is that call ("Just got a smart meter and
// an EV").
func TestRepeatedCallLeavesNoConjunct(t *testing.T) {
	p := catalogPattern(t, filepath.Join(sharedData(t), "nestful", "non-executable-sgd-spec.json"))
	wantRefusal(t, p, "I need help finding a 3-bedroom apartment in San Francisco that was wifi and allows pets. Please help me find a place and shedule me a visit at the to tour the apartment", "")
	p = catalogPattern(t, "../eval/cases/catalogs/utility.yaml", "../eval/cases/catalogs/insurance.yaml")
	wantCalls(t, p, map[string]string{
		"Switch my electricity to the EV Night Saver from 1 December. Just got a smart meter and an EV.": "tariffs.switch(tariff=ev_night_saver)",
	}, "tariff")
}

// TestCoordinatedItemIsNotDropped: NESTFUL's "Find the best offers and reviews for Sony
// WH-1000XM4 headphones" searched the product and dropped both offers and reviews: a
// thing the clause joins with "and" whose tool could not be given its arguments was
// left out without a word. It is refused now; a list of values ("add Jordan Tremblay,
// jordan.tremblay@gmail.com, 514-555-0142, referred by Mei Lin") is no list of things.
func TestCoordinatedItemIsNotDropped(t *testing.T) {
	p := catalogPattern(t, filepath.Join(sharedData(t), "nestful", "executable-spec.json"))
	wantRefusal(t, p, "Find the best offers and reviews for Sony WH-1000XM4 headphones.", "")
	p = catalogPattern(t, "../eval/cases/catalogs/recruiting.yaml", "../eval/cases/catalogs/messaging.yaml")
	wantCalls(t, p, map[string]string{
		"add Jordan Tremblay, jordan.tremblay@gmail.com, 514-555-0142, referred by Mei Lin, for REQ-2307": "create_candidate_v1(phone=5145550142)",
	}, "phone")
}

// TestHowIsItGoing: "hows the battery looking" was read as a request to look (search)
// for the battery, and "hows" as its verb: "how's X looking/doing/going" and "what's X
// looking like" ask how X is.
func TestHowIsItGoing(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/home_energy.yaml", "../eval/cases/catalogs/calendar.yaml")
	wantCalls(t, p, map[string]string{
		"hows the battery looking":                          "GET_LIVE_STATUS()",
		"how's the battery looking now?":                    "GET_LIVE_STATUS()",
		"what's the solar looking like for the next 3 days": "GET_SOLAR_FORECAST(days=3)",
	}, "days")
}

// TestFlagNamedForTheVerbsState: "lock the driveway charger" was refused for want of
// "locked": a flag named for the state the clause's verb puts the thing in is set by it,
// true for the verb, false for its opposite.
func TestFlagNamedForTheVerbsState(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/home_energy.yaml", "../eval/cases/catalogs/calendar.yaml")
	wantCalls(t, p, map[string]string{
		"lock the driveway charger": "SET_CHARGER_LOCK(locked=true)",
		"unlock the garage charger": "SET_CHARGER_LOCK(locked=false)",
	}, "locked")
	for _, tc := range []struct {
		name, verb string
		on, ok     bool
	}{{"locked", "lock", true, true}, {"locked", "unlock", false, true}, {"is_enabled", "enable", true, true},
		{"enabled", "disable", false, true}, {"muted", "mute", true, true}, {"paused", "resume", false, true},
		{"stopped", "stop", true, true}, {"locked", "open", false, false}, {"notify", "lock", false, false}} {
		if on, ok := stateOfVerb(tc.name, tc.verb); on != tc.on || ok != tc.ok {
			t.Errorf("stateOfVerb(%q, %q) = %v, %v; want %v, %v", tc.name, tc.verb, on, ok, tc.on, tc.ok)
		}
	}
}

// TestIrregularPastReadsAsItsVerb: "keep 30% in the battery for outages" was refused:
// the reserve's description says "the percentage of the battery kept back", and "kept"
// was another word than "keep". An irregular past form reads as its verb.
func TestIrregularPastReadsAsItsVerb(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/home_energy.yaml", "../eval/cases/catalogs/calendar.yaml")
	wantCalls(t, p, map[string]string{
		"keep 30% in the battery for outages": "SET_BATTERY_RESERVE(reserve_percent=30)",
	}, "reserve_percent")
}

// TestDictatedTimeSaysNotWhen: "text +1 416 555 0199 that I'm running 10 min late for
// our coffee chat" was refused for want of schedule_sms's send time: the ten minutes are
// in the message dictated after "that", not when to send it. "text ... in 10 minutes
// that ..." still asks for later.
func TestDictatedTimeSaysNotWhen(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/messaging.yaml")
	wantCalls(t, p, map[string]string{
		"text +1 416 555 0199 that I'm running 10 min late for our coffee chat": "send_sms(message=I'm running 10 min late for our coffee chat)",
	}, "message")
	wantRefusal(t, p, "text +1 416 555 0199 in 10 minutes that I'm here", "send_at")
}

// TestMoneyGoesWhereItIsPaid: "draft an offer ... with a base salary of $128,000" was
// refused for want of base_salary: an amount of money fills a number its name says money
// is paid as (a salary, a bonus, a fee), and the words after an amount that name one
// such parameter send it there ("$10k signing bonus" is no base salary).
func TestMoneyGoesWhereItIsPaid(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/recruiting.yaml", "../eval/cases/catalogs/messaging.yaml")
	wantCalls(t, p, map[string]string{
		"draft an offer for CD-104882 on REQ-2291 with a base salary of $128,000 starting Aug 5": "create_offer_v2(base_salary=128000)",
	}, "base_salary", "signing_bonus")
	wantRefusal(t, p, "draft an offer for CD-104882 on REQ-2291 - $128,000 base, start Aug 5, $10k signing bonus", "")
}
