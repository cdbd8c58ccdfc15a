package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// TestYearMonthFillsNothingElse: "expense 80 GBP training for E0007 and then show his
// payslip for 2026-11" was served with payslip_get{employee_id: "2026", month:
// "2026-11"}: the month parameter took "2026-11" from the text, and the year's number
// was left over for the identifier. The words a month is read from fill nothing else,
// and "his" is the employee the step before was given.
func TestYearMonthFillsNothingElse(t *testing.T) {
	p := catalogPattern(t, "testdata/hr.json")
	wantCalls(t, p, map[string]string{
		"expense 80 GBP training for E0007 and then show his payslip for 2026-11":      "expense_submit(employee_id=E0007 amount=80); payslip_get(employee_id=E0007 month=2026-11)",
		"expense 80 GBP training for E0007 and then show his payslip for last month":   "expense_submit(employee_id=E0007 amount=80); payslip_get(employee_id=E0007 month=2026-10)",
		"expense 80 GBP training for E0007 and then show his payslip for October 2026": "expense_submit(employee_id=E0007 amount=80); payslip_get(employee_id=E0007 month=2026-10)",
		"show me the payslip of E2210 for 2026-10":                                     "payslip_get(employee_id=E2210 month=2026-10)",
	}, "employee_id", "amount", "month")
	// With no one to refer to, the year is still no employee.
	wantRefusal(t, p, "show the payslip for 2026-11", `needs "employee_id"`)
}

// TestCheckOutIsTheAct: "check out room 402" was refused as a request to see something
// ("check" opens many questions), though the tool it matched checks a guest out. A
// clause that checks something out or in asks for the act from a tool that does it; a
// look at something else still asks to see.
func TestCheckOutIsTheAct(t *testing.T) {
	p := catalogPattern(t, "testdata/hotel.yaml")
	wantCalls(t, p, map[string]string{
		"check out room 402":     "guests.checkout(room=402)",
		"please check out 305":   "guests.checkout(room=305)",
		"check room 118 out now": "guests.checkout(room=118)",
	}, "room")
	wantRefusal(t, p, "check the minibar in 305", "asks to see something")
}

// TestTheThingOfTheStepBefore: "check out room 214 and email the invoice to
// anna.berg@example.com" was refused for want of the invoice's room: "the invoice" is
// the stay's, whose room the step before was given. A required identifier the clause
// does not give is the one step before's, when the clause speaks of "the" thing the
// tool's name names; "the lab report" names another assignment, which no step took.
func TestTheThingOfTheStepBefore(t *testing.T) {
	p := catalogPattern(t, "testdata/hotel.yaml")
	wantCalls(t, p, map[string]string{
		"check out room 214 and email the invoice to anna.berg@example.com": "guests.checkout(room=214); billing.invoice(room=214 email=anna.berg@example.com)",
		"check out room 214 and print the final bill":                       "guests.checkout(room=214); billing.invoice(room=214)",
	}, "room", "email")
	// A booking gives no room number: the invoice's room is not said.
	wantRefusal(t, p, "book a double room for Anna Berg from 2027-01-10 to 2027-01-13 and print the invoice", `billing.invoice needs "room"`)
	// Housekeeping is no word of the invoice's: nothing says which room.
	wantRefusal(t, p, "check out room 214 and send housekeeping for cleaning", `housekeeping.request needs "room"`)

	school := catalogPattern(t, "../eval/cases/catalogs/school.yaml")
	wantRefusal(t, school, "submit ~/orgo/ps7.pdf for A-77311 and ask for an extension on the lab report, I was sick", `needs "assignment_id"`)
	wantCalls(t, school, map[string]string{
		"submit ~/orgo/ps7.pdf for A-77311 and ask for an extension on the assignment, I was sick": "assignments.submit(assignment_id=A-77311); assignments.request_extension(assignment_id=A-77311 reason=I was sick)",
	}, "assignment_id", "reason")
}

// TestReasonIsNoEarlierOutput: "submit ~/orgo/ps7.pdf for A-77311 and ask for an
// extension on it because I was sick" was served with the extension's reason
// "${s1.submission_id}": "it" referred back, and the required free-text reason took
// the submission's identifier. A reason is what the clause says after "because" or in
// the statement after it, never an earlier step's output; with neither it is refused.
func TestReasonIsNoEarlierOutput(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/school.yaml")
	wantCalls(t, p, map[string]string{
		"submit ~/orgo/ps7.pdf for A-77311 and ask for an extension on it because I was sick": "assignments.submit(assignment_id=A-77311); assignments.request_extension(assignment_id=A-77311 reason=I was sick)",
		"submit ~/orgo/ps7.pdf for A-77311 and ask for an extension on it, I was sick":        "assignments.submit(assignment_id=A-77311); assignments.request_extension(assignment_id=A-77311 reason=I was sick)",
		"ask for an extension on A-77311, I was sick":                                         "assignments.request_extension(assignment_id=A-77311 reason=I was sick)",
	}, "assignment_id", "reason")
	wantRefusal(t, p, "submit ~/orgo/ps7.pdf for A-77311 and ask for an extension on it", `needs "reason"`)
}

// seekingTools are a provider search, a movie search and an event search, as a
// request that says what the user seeks meets them.
func seekingTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("providers.find", "Find a therapist or counselor (psychologist, psychiatrist, family counselor) in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City, e.g. Berkeley"},"type":{"type":"string","enum":["Psychologist","Family Counselor","Psychiatrist"]}},"required":["city","type"]}`),
		testTool("movies.find", "Search for movies playing in a location, by genre and show type.",
			`{"type":"object","properties":{"location":{"type":"string","description":"City, e.g. Berkeley"},"genre":{"type":"string"},"show_type":{"type":"string","enum":["regular","3d","imax"]}},"required":["location"]}`),
		testTool("events.find", "Find cultural events (concerts, plays) in a city on a date.",
			`{"type":"object","properties":{"event_type":{"type":"string","enum":["Music","Theater"]},"city":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["event_type","city"]}`),
		airQualityTool())
}

// TestSaidWhatTheySeek: "I'm looking for a psychiatrist in Pittsburgh." was refused
// as no request at all: a clause opening "I'm" or "I am" was read as the user's
// situation. Said alone, what the user says they look for, are interested in or are
// in the mood for is the request; beside a clause that asks, it is that clause's
// context ("I'm looking to attend a concert in Toronto. Find one ..." asks once). The
// thing sought must be one the tool speaks of: a dentist is no movie, whatever the
// step could be given.
func TestSaidWhatTheySeek(t *testing.T) {
	p := newTestPattern(t, seekingTools()...)
	wantCalls(t, p, map[string]string{
		"I'm looking for a psychiatrist in Pittsburgh.":                           "providers.find(city=Pittsburgh type=Psychiatrist)",
		"Hi, I am interested in a Music event in Chicago.":                        "events.find(city=Chicago event_type=Music)",
		"I'm in the mood for a regular movie in Hayward":                          "movies.find(location=Hayward show_type=regular)",
		"I'm looking to attend a Music event in Toronto. Find one on 2023-10-02.": "events.find(city=Toronto event_type=Music date=2023-10-02)",
	}, "city", "type", "event_type", "location", "show_type", "date")
	wantRefusal(t, p, "I'm looking for a dentist in Orinda, just a regular type.", "asks for a dentist")
	wantRefusal(t, p, "I'm looking for some guidance in picking the best movie to enjoy", "")
	// A situation is still no request: "I'm planning to travel alone".
	wantRefusal(t, p, "I'm planning to travel to Berkeley alone.", "")
}

// TestOpaqueStringIsNoName: "I'm interested in the CAA records related to the domain
// instagram.com on VirusTotal" gave the API key "CAA" and the page cursor
// "VirusTotal": a credential or a cursor is an opaque string the user labels, never a
// name of words.
func TestOpaqueStringIsNoName(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("vt_domain_related", "Retrieve a list of object descriptors that are related to a specified domain.",
			`{"type":"object","properties":{"domain":{"type":"string","description":"such as 'example.com'"},"cursor":{"type":"string","description":"A cursor used for pagination."},"x_apikey":{"type":"string","default":"DEFAULT_PUBLIC_KEY","description":"The API key used for authenticating with the service."}},"required":["domain"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"list the objects related to the domain instagram.com on VirusTotal":     "vt_domain_related(domain=instagram.com)",
		"list the objects related to the domain instagram.com, cursor: c_82aa91": "vt_domain_related(domain=instagram.com cursor=c_82aa91)",
	}, "domain", "cursor", "x_apikey")
}

// TestLateCheckoutTime: "room 305 needs a late checkout at 13:00" gave no late
// check-out: late_checkout, "Late check-out time, e.g. 13:00", was read as a day (a
// check-out is one when nothing says otherwise), so the time fitted it not. "room 305
// wants a late checkout at 13:00" lost its room too: "305 wants" was read as 305 of
// something. And "room 305 wants a late checkout", with no time, checked the guest out
// now: a clause that names an optional date or time by its own word and does not say
// it is refused.
func TestLateCheckoutTime(t *testing.T) {
	p := catalogPattern(t, "testdata/hotel.yaml")
	wantCalls(t, p, map[string]string{
		"room 305 needs a late checkout at 13:00": "guests.checkout(room=305 late_checkout=13:00)",
		"room 305 wants a late checkout at 13:00": "guests.checkout(room=305 late_checkout=13:00)",
		"room 214 asks for extra pillows":         "housekeeping.request(room=214 task=pillows)",
		"check out room 402":                      "guests.checkout(room=402)",
	}, "room", "late_checkout", "task")
	wantRefusal(t, p, "room 305 wants a late checkout", "asks for the late checkout and does not say it")
}

// TestFilesOfAList: "attach IMG_4471.jpg and IMG_4472.jpg to CLM-0418822" was refused
// for want of files: a list of strings took no file name, and a list was only read
// onward from the item a step took, not back to the items before it.
func TestFilesOfAList(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/insurance.yaml")
	wantCalls(t, p, map[string]string{
		"attach IMG_5001.jpg, IMG_5002.jpg and IMG_5003.jpg to CLM-0420157, photos of the roof": "claims.upload_document(claim_number=CLM-0420157 files=[IMG_5001.jpg IMG_5002.jpg IMG_5003.jpg])",
		"attach IMG_5001.jpg to CLM-0420157, a photo of the roof":                               "claims.upload_document(claim_number=CLM-0420157 files=[IMG_5001.jpg])",
	}, "claim_number", "files")
}

// TestIdsOrAddresses: a list described as "Lead or contact ids or email addresses" took
// nothing but e-mail addresses ("enrol LD-20950, LD-20951 and LD-20952 in SEQ-104" had
// no people): an address is one form its items take, an identifier another.
func TestIdsOrAddresses(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("campaign.add_people", "Add people to an email campaign.",
			`{"type":"object","properties":{"campaign":{"type":"string","pattern":"^CMP-[0-9]+$"},"people":{"type":"array","items":{"type":"string"},"description":"Contact ids or email addresses"}},"required":["campaign","people"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"add C-1001 and C-1002 to the email campaign CMP-77": "campaign.add_people(campaign=CMP-77 people=[C-1001 C-1002])",
		"add ann@example.com to the email campaign CMP-77":   "campaign.add_people(campaign=CMP-77 people=[ann@example.com])",
	}, "campaign", "people")
}

// TestMedicationsBetween: "check for interactions between sertraline, tramadol and
// sumatriptan" was refused for want of medications: a list of medications is written
// as a list of things, and "between" opens one as "with" does.
func TestMedicationsBetween(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/clinic.yaml")
	wantCalls(t, p, map[string]string{
		"check for interactions between metformin, lisinopril and ibuprofen": "prescriptions.check_interactions(medications=[metformin lisinopril ibuprofen])",
		"any interactions between ibuprofen and lisinopril?":                 "prescriptions.check_interactions(medications=[ibuprofen lisinopril])",
	}, "medications")
}

// TestConstructionSite plans over a construction site's catalogue written as an MCP
// server's tools/list result (testdata/site.json: inputSchema), which --tools refused
// to load. "deliver 12 m3 of concrete to S-14" was refused as a verb
// deliveries_schedule does not do (the verb's noun names it); "... and hire a scissor
// lift there" lost its site ("there" is the site the step before was given); and "book
// the final inspection at S-09 and hire a scissor lift there ... from 2026-12-18" gave
// the inspection the hire's date, once the hire had its site: a date in a later
// instruction of the sentence is that instruction's.
func TestConstructionSite(t *testing.T) {
	p := catalogPattern(t, "testdata/site.json")
	wantCalls(t, p, map[string]string{
		"deliver 12 m3 of concrete to S-14 on 2026-12-10":                                                          "deliveries_schedule(site=S-14 material=concrete quantity=12 unit=m3 date=2026-12-10)",
		"book the final inspection at S-09 on 2026-12-17 and hire a scissor lift there for 2 days from 2026-12-18": "inspections_book(site=S-09 date=2026-12-17 kind=final); equipment_hire(site=S-09 equipment=scissor lift days=2 start_date=2026-12-18)",
	}, "site", "material", "quantity", "unit", "date", "kind", "equipment", "days", "start_date")
	wantRefusal(t, p, "book the final inspection at S-09 and hire a scissor lift there for 2 days from 2026-12-18", `inspections_book needs "date"`)
	// "is there" asks whether; it names no place.
	wantRefusal(t, p, "book the final inspection at S-09 on 2026-12-17, is there a crane free for 2 days from 2026-12-18?", "")
}

// TestCheckOutInAMixedCatalogue: over the hotel's tools beside an HR and a building
// site's, "check out room 402" was refused: "out" is a stop word, so the clause read
// "check room 402", and rooms.availability, whose name holds "rooms", outranked
// guests.checkout, whose "checkout" the clause never said. A verb and its particle
// are one word where the catalogue writes them so.
func TestCheckOutInAMixedCatalogue(t *testing.T) {
	p := catalogPattern(t, "testdata/hotel.yaml", "testdata/hr.json", "testdata/site.json")
	wantCalls(t, p, map[string]string{
		"check out room 402": "guests.checkout(room=402)",
		"check out room 214 and email the invoice to anna.berg@example.com": "guests.checkout(room=214); billing.invoice(room=214 email=anna.berg@example.com)",
		"any twin rooms free from 2027-02-01 to 2027-02-03?":                "rooms.availability(room_type=twin check_in=2027-02-01 check_out=2027-02-03)",
	}, "room", "email", "room_type", "check_in", "check_out")
}

// TestDateAloneForADateAndTime: "Move my R2C2 session to next Friday" was served as
// reschedule{dateortime: "2026-12-11"}, for "The new date and time for the event, in
// ISO-8601 format (YYYY-MM-DDTHH:MM:SS)": the event would move to midnight. A date
// alone for a required date and time is refused; with its time it is served.
func TestDateAloneForADateAndTime(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("reschedule", "Moves a specified event to a new date and time.",
			`{"type":"object","properties":{"identifier":{"type":"string","description":"A unique identifier for the event to be rescheduled."},"dateortime":{"type":"string","description":"The new date and time for the event, in ISO-8601 format (YYYY-MM-DDTHH:MM:SS), without a timezone offset."}},"required":["identifier","dateortime"]}`),
		airQualityTool())...)
	wantRefusal(t, p, "Move my R2C2 session to next Friday", "gives the day alone")
	wantCalls(t, p, map[string]string{
		"Move my R2C2 session to next Friday at 3pm": "reschedule(identifier=R2C2 dateortime=2026-11-27T15:00:00)",
	}, "identifier", "dateortime")
}

// TestLoginBesideAStatement: "disable mkhan, he left the company on Friday" was
// refused for want of a username: "company" and "because" have a login's shape, so the
// clause seemed to name two; and the required reason had taken the object "mkhan". A
// word after a determiner or a pronoun, or a conjunction, is no login; a reason is
// what the clause says after "because" or in the statement after the instruction,
// never the thing acted on.
func TestLoginBesideAStatement(t *testing.T) {
	p := catalogPattern(t, "testdata/helpdesk.yaml")
	wantCalls(t, p, map[string]string{
		"disable mkhan, he left the company":        "accounts.disable(username=mkhan reason=he left the company)",
		"disable mkhan because he left the company": "accounts.disable(username=mkhan reason=he left the company)",
		"look up jdoe's laptop":                     "devices.lookup(username=jdoe)",
		"unlock jdoe and reset her password":        "accounts.unlock(username=jdoe); accounts.reset_password(username=jdoe)",
	}, "username", "reason")
	wantRefusal(t, p, "disable mkhan", `needs "reason"`)
}

// TestResolutionStated: "close HD-10442, replaced the keyboard" was refused for want of
// the required resolution: what was done, said after the instruction in the past, is
// how the ticket was resolved. Said nowhere, it is still asked for.
func TestResolutionStated(t *testing.T) {
	p := catalogPattern(t, "testdata/helpdesk.yaml")
	wantCalls(t, p, map[string]string{
		"close HD-10442, replaced the keyboard":                 "tickets.close(ticket=HD-10442 resolution=replaced the keyboard)",
		"close HD-10442 - reinstalled the driver":               "tickets.close(ticket=HD-10442 resolution=reinstalled the driver)",
		"close HD-10442 because the user replaced the keyboard": "tickets.close(ticket=HD-10442 resolution=the user replaced the keyboard)",
	}, "ticket", "resolution")
	wantRefusal(t, p, "close HD-10443", `needs "resolution"`)
	wantRefusal(t, p, "close HD-10443, thanks", `needs "resolution"`)
}

// TestStatementIsTheRequest: "E2210 is off sick from 2026-12-08 to 2026-12-09" and
// "E1042 is leaving, last day is 15 January 2027" were refused as no request: a
// statement's own step was never kept. When statements are the whole request and their
// best reading acts, with every argument it needs from them, that step is what is
// asked; a statement beside a clause that asks still only gives it values.
func TestStatementIsTheRequest(t *testing.T) {
	p := catalogPattern(t, "testdata/hr.json")
	wantCalls(t, p, map[string]string{
		"E2210 is off sick from 2026-12-08 to 2026-12-09": "leave_request(employee_id=E2210 leave_type=sick start_date=2026-12-08 end_date=2026-12-09)",
		"E1042 is leaving, last day is 15 January 2027":   "offboard_employee(employee_id=E1042 last_day=2027-01-15)",
	}, "employee_id", "leave_type", "start_date", "end_date", "last_day")
	// A statement that gives the step too little is still refused.
	wantRefusal(t, p, "E2210 is off sick", "")
}

// TestMoneyComesToTheUser: "bob@example.com owes me 40 dollars" was served as
// send_money{recipient: bob@example.com, amount: 40}: the money comes to the user, and
// the step would send it the other way. An instruction to send stays one, whatever the
// aside says.
func TestMoneyComesToTheUser(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/money.yaml")
	wantRefusal(t, p, "bob@example.com owes me 40 dollars", "says money comes to you")
	wantRefusal(t, p, "alice@example.com paid me 25 dollars for the tickets", "says money comes to you")
	wantCalls(t, p, map[string]string{
		"send 40 dollars to bob@example.com, he paid me for dinner last week": "send_money(recipient=bob@example.com amount=40)",
		"send bob@example.com 40 dollars":                                     "send_money(recipient=bob@example.com amount=40)",
	}, "recipient", "amount")
}
