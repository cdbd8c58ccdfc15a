package pattern

import (
	"testing"
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
