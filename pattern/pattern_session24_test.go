package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// stateTools set a deal's stage, a phone line's status and an add-on, schedule a
// workout, and file an expense; a second card tool handles credit, so "credit" is
// no word of one of its values alone.
func stateTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("moveDealStage", "Move a deal to another pipeline stage, or close it as won or lost.",
			`{"type":"object","properties":{"deal_id":{"type":"string","pattern":"^DL-[0-9]{4,6}$"},"stage":{"type":"string","enum":["prospecting","discovery","proposal_sent","negotiation","closed_won","closed_lost"]}},"required":["deal_id","stage"]}`),
		testTool("lines.setStatus", "Suspend or reactivate a phone line on the account.",
			`{"type":"object","properties":{"line":{"type":"string"},"status":{"type":"string","enum":["suspended","active"]}},"required":["status"]}`),
		testTool("addons.purchase", "Buy an add-on for a phone line: a data pass, a hotspot boost or an international pack.",
			`{"type":"object","properties":{"addOn":{"type":"string","enum":["data_pass_2gb","hotspot_boost_15gb","intl_day_pass"]}},"required":["addOn"]}`),
		testTool("scheduleWorkout", "Schedule a workout in the training calendar.",
			`{"type":"object","properties":{"activity":{"type":"string","enum":["run","walk","swim","yoga"]},"date":{"type":"string","format":"date"},"time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"}},"required":["activity","date"]}`),
		testTool("cards.lock", "Lock or unlock a card.",
			`{"type":"object","properties":{"card":{"type":"string","enum":["visa_debit","visa_credit"]}},"required":["card"]}`),
		testTool("tickets.setStatus", "Change the status of a helpdesk ticket.",
			`{"type":"object","properties":{"ticket_id":{"type":"string","pattern":"^INC[0-9]{7}$"},"status":{"type":"string","enum":["new","in_progress","resolved","closed"]}},"required":["ticket_id","status"]}`),
		testTool("credit.getScore", "Get the member's credit score and credit report summary.",
			`{"type":"object","properties":{}}`))
}

// TestEnumValueNamedByItsWord: "close DL-7698 as lost", "mark DL-7811 as won" and
// "suspend my line" were refused for a stage or status the request does not give: a
// value was read only when every word of it was said in the same form ("closed" is
// not "close"), and a clause whose only other word is "mark" named nothing the tool
// does. A value is now named by the one word no other value has, by the clause's verb
// for its participle, and by its plural; and the word that gave the value names what
// the tool sets ("close INC0044321" over a tool that changes a ticket's status).
func TestEnumValueNamedByItsWord(t *testing.T) {
	p := newTestPattern(t, stateTools()...)
	wantCalls(t, p, map[string]string{
		"close DL-7698 as lost":                 "moveDealStage(deal_id=DL-7698 stage=closed_lost)",
		"mark DL-7811 as won":                   "moveDealStage(deal_id=DL-7811 stage=closed_won)",
		"suspend my line":                       "lines.setStatus(status=suspended)",
		"temporarily suspend my line":           "lines.setStatus(status=suspended)",
		"add a hotspot boost to my line":        "addons.purchase(addOn=hotspot_boost_15gb)",
		"schedule runs for 2026-12-10 at 06:30": "scheduleWorkout(activity=run date=2026-12-10 time=06:30)",
	}, "deal_id", "stage", "status", "addOn", "activity", "date", "time", "ticket_id")
}

// TestEnumValueWordNotSaidForIt: a word is no sign of a value when another tool of the
// catalogue handles it ("credit"), when it only shares a stem with a one-word value
// ("training" from "trains"), or when it is part of a name.
func TestEnumValueWordNotSaidForIt(t *testing.T) {
	p := newTestPattern(t, stateTools()...)
	for _, req := range []string{
		"lock my card, the credit one", // (right before the card, "credit" says which: TestValueWordBeforeItsParameter)
		"schedule a training session on 2026-12-10",
		"schedule a Swimming Gala on 2026-12-10",
	} {
		wantRefusal(t, p, req, "")
	}
}

// TestChannelNameIsNoPronoun: "suspend my line and post in #it-support that I'm
// unreachable today" posted the suspension's output, not what the user dictated: the
// "it" of "#it-support" read as referring back to the first step. A word joined to a
// channel's "#", a handle's "@" or a hyphen is no pronoun.
func TestChannelNameIsNoPronoun(t *testing.T) {
	p := newTestPattern(t, append(stateTools(),
		testTool("send_chat_message", "Post a message in a team chat channel or to a person.",
			`{"type":"object","properties":{"channel":{"type":"string","description":"e.g. #general or @dana"},"text":{"type":"string"}},"required":["channel","text"]}`))...)
	wantCalls(t, p, map[string]string{
		"suspend my line and post in #it-support that I'm unreachable today": "lines.setStatus(status=suspended); send_chat_message(channel=#it-support text=I'm unreachable today)",
	}, "status", "channel", "text")
}

// TestTurnOnSetsEnabled: "turn on autopay" and "turn off roaming on 773-555-0120" were
// refused for a flag named enabled, which only "enable" and "disable" set. Turning or
// switching on enables, off disables, when what is turned is what the tool is about: a
// card's overseas setting is not autopay.
func TestTurnOnSetsEnabled(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("bills.setAutopay", "Turn autopay on or off: the balance is paid on each due date from the card on file.",
			`{"type":"object","properties":{"enabled":{"type":"boolean"}},"required":["enabled"]}`),
		testTool("roaming.setInternational", "Switch international roaming on or off for a line.",
			`{"type":"object","properties":{"line":{"type":"string","description":"phone number of the line"},"active":{"type":"boolean"}},"required":["active"]}`))...)
	wantCalls(t, p, map[string]string{
		"turn on autopay":                         "bills.setAutopay(enabled=true)",
		"switch roaming on":                       "roaming.setInternational(active=true)",
		"turn off roaming, I am abroad next week": "roaming.setInternational(active=false)",
	}, "enabled", "active")
	wantRefusal(t, p, "turn off overseas transactions on the debit card", "")
}

// TestValueImpliedByWhatIsStated: "HOLIDAY15, 15% off" was refused for want of the
// code's type, "mornings are better" for want of a slot, and "for the year" for want of
// a term: what the clause states implies the value. A percentage is the percentage
// type (an amount the fixed one), a time of day am or pm, a period its adjective; two
// implications, or none the enum holds, give nothing.
func TestValueImpliedByWhatIsStated(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("discounts.createCode", "Create a discount code for the shop.",
			`{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z0-9]{4,20}$"},"type":{"type":"string","enum":["percentage","fixed_amount","free_shipping"]},"value":{"type":"number"}},"required":["code","type"]}`),
		testTool("meter.book_install", "Book a smart meter installation visit.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"slot":{"type":"string","enum":["am","pm"]}},"required":["date","slot"]}`),
		testTool("permits.buy", "Buy a resident parking permit for a zone.",
			`{"type":"object","properties":{"zone":{"type":"string","pattern":"^[A-Z][0-9]?$","description":"Permit zone letter, with a digit in some districts, e.g. C or H2"},"term":{"type":"string","enum":["monthly","annual"]}},"required":["zone","term"]}`))...)
	wantCalls(t, p, map[string]string{
		"make a discount code HOLIDAY15, 15% off":                   "discounts.createCode(code=HOLIDAY15 type=percentage)",
		"make a discount code TENOFF, $10 off":                      "discounts.createCode(code=TENOFF type=fixed_amount)",
		"book the meter fitting on 2026-12-29, mornings are better": "meter.book_install(date=2026-12-29 slot=am)",
		"book the meter fitting on 2026-12-29 in the afternoon":     "meter.book_install(date=2026-12-29 slot=pm)",
		"buy a parking permit for zone H2 for the year":             "permits.buy(zone=H2 term=annual)",
	}, "code", "type", "date", "slot", "zone", "term")
	wantRefusal(t, p, "book the meter fitting on 2026-12-29, morning or afternoon", "slot")
	wantRefusal(t, p, "buy a parking permit for zone H2 for a week", "")
}

// kitchenTools are a restaurant's stock check, supplier order, menu price and sold-out
// switch, whose description says what "86" means.
func kitchenTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("check_stock", "Check the current stock level of an ingredient or drink in the kitchen/bar inventory.",
			`{"type":"object","properties":{"item":{"type":"string","description":"ingredient or product, e.g. salmon, prosecco, flour"},"location":{"type":"string","enum":["kitchen","bar","cellar"]}},"required":["item"]}`),
		testTool("placeSupplierOrder", "Place a purchase order with a supplier for an item and quantity.",
			`{"type":"object","properties":{"supplierId":{"type":"string","pattern":"^SUP-[0-9]{3}$"},"item":{"type":"string"},"quantity":{"type":"number","exclusiveMinimum":0},"unit":{"type":"string","enum":["kg","l","each","bottle","case"]}},"required":["supplierId","item","quantity","unit"]}`),
		testTool("update_menu_price", "Change the menu price of a dish.",
			`{"type":"object","properties":{"dish":{"type":"string"},"price":{"type":"number","minimum":0}},"required":["dish","price"]}`),
		testTool("mark_sold_out", "Mark a menu dish as sold out or back on the menu.",
			`{"type":"object","properties":{"dish":{"type":"string"},"available":{"type":"boolean"}},"required":["dish","available"]}`))
}

// TestKitchenWordsAreNoValues: a newcomer's restaurant catalogue got "much salmon" for
// "how much salmon do we have left", the dish "price of the burger", and an order of the
// item "4 cases" (its quantity and unit); "check the salmon stock and then 86 the salmon
// tartare" checked the stock twice, the second time the same call, and so dropped the
// sold-out step in silence. A word of quantity is no part of the thing; "the X of" names
// what of the thing when X is another parameter's word; a phrase of other arguments'
// values names nothing; and a number in a verb's place asks for what only a tool that
// says so does.
func TestKitchenWordsAreNoValues(t *testing.T) {
	p := newTestPattern(t, kitchenTools()...)
	wantCalls(t, p, map[string]string{
		"how much salmon do we have left":         "check_stock(item=salmon)",
		"do we have enough flour":                 "check_stock(item=flour)",
		"change the price of the burger to 16.50": "update_menu_price(dish=burger price=16.5)",
		"order 4 cases of prosecco from SUP-220":  "placeSupplierOrder(item=prosecco quantity=4 supplierId=SUP-220 unit=case)",
	}, "item", "dish", "price", "quantity", "supplierId", "unit")
	wantRefusal(t, p, "order 4 cases from SUP-220", "item")
	wantRefusal(t, p, "check the salmon stock and then 86 the salmon tartare", "86")
}

// TestLabelAndDashGiveTheValue: "find customer by licence MORGA657054SM9IJ" looked the
// code up as the customer's name, and "emergency electrical job at B-115 - sparking
// outlet in bedroom" described the job as "bedroom". A code right after a word that
// names another parameter is that parameter's; what a dash introduces describes the
// thing.
func TestLabelAndDashGiveTheValue(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("customers.lookup", "Find a customer record by name, email or driving licence number.",
			`{"type":"object","properties":{"name":{"type":"string"},"email":{"type":"string","format":"email"},"licence_number":{"type":"string"}}}`),
		testTool("create_work_order", "Open a maintenance work order (repair job) for a unit.",
			`{"type":"object","properties":{"unit":{"type":"string","pattern":"^[A-Z]-[0-9]{3}$","description":"unit like B-204"},"category":{"type":"string","enum":["plumbing","electrical","general"]},"priority":{"type":"string","enum":["low","normal","emergency"]},"description":{"type":"string"}},"required":["unit","category","description"]}`))...)
	wantCalls(t, p, map[string]string{
		"find customer by licence MORGA657054SM9IJ":                      "customers.lookup(licence_number=MORGA657054SM9IJ)",
		"find customer Dana Morgan":                                      "customers.lookup(name=Dana Morgan)",
		"emergency electrical job at B-115 - sparking outlet in bedroom": "create_work_order(unit=B-115 category=electrical priority=emergency description=sparking outlet in bedroom)",
	}, "name", "licence_number", "unit", "category", "priority", "description")
}

// TestQuantityInItsListedUnit: "order 20 kg of potatoes from SUP-014" was refused for
// want of a quantity: a number written with a unit was taken for a measure of the
// thing ("a 12kg bag"), not its count. Where another parameter lists the unit, the
// number is the quantity in it, and "20kg of" is no part of the item. A flat's unit
// written as a code ("C-220", pattern ^[A-Z]-[0-9]{3}$) is no unit of measure; and a
// flag whose description glosses its values ("false = sold out") is set by the gloss.
func TestQuantityInItsListedUnit(t *testing.T) {
	p := newTestPattern(t, append(kitchenTools(),
		testTool("move_out.schedule_inspection", "Schedule a move-out inspection of a unit and the deposit review.",
			`{"type":"object","properties":{"unit":{"type":"string","pattern":"^[A-Z]-[0-9]{3}$"},"date":{"type":"string","format":"date"}},"required":["unit","date"]}`),
		testTool("eighty_six_item", "Mark a menu dish as sold out or bring it back on the menu.",
			`{"type":"object","properties":{"dish":{"type":"string","description":"menu dish name, e.g. sea bass, tiramisu"},"available":{"type":"boolean","description":"false = sold out, true = back on"}},"required":["dish","available"]}`))...)
	wantCalls(t, p, map[string]string{
		"order 20 kg of potatoes from SUP-014":                   "placeSupplierOrder(item=potatoes quantity=20 supplierId=SUP-014 unit=kg)",
		"order 20kg of potatoes from SUP-014":                    "placeSupplierOrder(item=potatoes quantity=20 supplierId=SUP-014 unit=kg)",
		"order 10 kg salmon from SUP-007":                        "placeSupplierOrder(item=salmon quantity=10 supplierId=SUP-007 unit=kg)",
		"schedule a move out inspection for C-220 on 2026-12-15": "move_out.schedule_inspection(unit=C-220 date=2026-12-15)",
		"mark sea bass as sold out":                              "eighty_six_item(dish=sea bass available=false)",
	}, "item", "quantity", "supplierId", "unit", "date", "dish", "available")
}

// TestAsideDescribesAndRentIsPaid: "open a work order for C-101, kitchen sink leaking,
// plumbing" was refused for want of a description, and "renew TN-33410's lease for 12
// months at $1,650" for want of the new rent: the one aside between commas describes
// what is wrong for a required description, and a rent is money paid.
func TestAsideDescribesAndRentIsPaid(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("create_work_order", "Open a maintenance work order (repair job) for a unit.",
			`{"type":"object","properties":{"unit":{"type":"string","pattern":"^[A-Z]-[0-9]{3}$","description":"unit like B-204"},"category":{"type":"string","enum":["plumbing","electrical","general"]},"description":{"type":"string"}},"required":["unit","category","description"]}`),
		testTool("renewLease", "Renew a tenant's lease for a new term at a new monthly rent.",
			`{"type":"object","properties":{"tenantId":{"type":"string","pattern":"^TN-[0-9]{5}$"},"termMonths":{"type":"integer","enum":[6,12,24]},"newMonthlyRent":{"type":"number","exclusiveMinimum":0}},"required":["tenantId","termMonths","newMonthlyRent"]}`))...)
	wantCalls(t, p, map[string]string{
		"open a work order for C-101, kitchen sink leaking, plumbing": "create_work_order(unit=C-101 category=plumbing description=kitchen sink leaking)",
		"renew TN-33410's lease for 12 months at $1,650":              "renewLease(tenantId=TN-33410 termMonths=12 newMonthlyRent=1650)",
	}, "unit", "category", "description", "tenantId", "termMonths", "newMonthlyRent")
	wantRefusal(t, p, "open a work order for C-101, plumbing", "description")
	// (The words of another parameter's name are no description.)
	q := newTestPattern(t, append(tool.Builtins(), testTool("create_work_order", "Open a maintenance work order (repair job) for a unit.",
		`{"type":"object","properties":{"unit":{"type":"string","pattern":"^[A-Z]-[0-9]{3}$"},"category":{"type":"string","enum":["plumbing","pest","general"]},"description":{"type":"string"},"permission_to_enter":{"type":"boolean"}},"required":["unit","category","description"]}`))...)
	wantRefusal(t, q, "open a pest work order for C-305, permission to enter", "description")
}

// TestSeeingIsNoAction: "show C-1112223's fines then record a $3.00 card payment" only
// recorded the payment: "show ..." fitted fines.get and fines.waive equally (a tool
// whose description opens with "Waive" was read-only to the planner), and the clause
// was then taken as accounted for by the payment, which took its card number. A
// request to see is answered by a step that reads, never by one that acts; "waive",
// "forgive", "void", "freeze", "extend" and "deduct" change something.
func TestSeeingIsNoAction(t *testing.T) {
	p := catalogPattern(t, "testdata/library.yaml") // (a newcomer's library catalogue)
	wantCalls(t, p, map[string]string{
		"show C-1112223's fines then record a 3.00 card payment": "fines.get(card_number=C-1112223); fines.pay(card_number=C-1112223 amount=3 method=card)",
		"show C-1112223's fines":                                 "fines.get(card_number=C-1112223)",
	}, "card_number", "amount", "method")
}

// TestLengthAndPluralValues: "book a PT session ... for 60 min" dropped the length, a
// number one of 30, 45 and 60; "list workshops for adults" and "author talks from ..."
// dropped the category, the value written in the plural. A length fills a numeric enum
// named for one; a length it cannot take is refused, not dropped; and an enum value of
// four letters or more is said in the plural too.
func TestLengthAndPluralValues(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("bookPersonalTraining", "Book a one-to-one personal training session with a trainer.",
			`{"type":"object","properties":{"memberId":{"type":"string","pattern":"^MEM-[0-9]{5}$"},"trainerName":{"type":"string","description":"trainer's name, e.g. Carlos, Priya"},"date":{"type":"string","format":"date"},"durationMinutes":{"type":"integer","enum":[30,45,60]}},"required":["memberId","trainerName","date"]}`))...)
	wantCalls(t, p, map[string]string{
		"book a PT session for MEM-12345 with Carlos on 2026-12-09 for 60 min": "bookPersonalTraining(memberId=MEM-12345 trainerName=Carlos date=2026-12-09 durationMinutes=60)",
	}, "memberId", "trainerName", "date", "durationMinutes")
	wantRefusal(t, p, "book a PT session for MEM-12345 with Carlos on 2026-12-09 for 50 min", "50 min")
	lib := catalogPattern(t, "testdata/library.yaml")
	wantCalls(t, lib, map[string]string{
		"list workshops for adults at central from 2026-12-14": "events.list(category=workshop audience=adults branch=central from=2026-12-14)",
		"author talks from 2026-12-10 to 2027-01-31":           "events.list(category=author_talk from=2026-12-10 to=2027-01-31)",
	}, "category", "audience", "branch", "from", "to")
}

// TestFlagPhraseAndLabelWords: "terminate EMP-1061 ..., eligible for rehire yes" dropped
// the flag, a name of three words the clause writes whole; "place a hold for C-1234567
// pickup eastside" held the title "pickup", the word that labels the branch; "waive
// C-3456789's fines, the book was returned in the book drop during the flood" gave the
// reason "C-3456789's fines". A flag's name said as a phrase sets it (false after a
// negation or before "no"); a phrase of the tool's or other parameters' words, or of
// another argument's value, is no value; and the statement about a thing after the
// instruction says why.
func TestFlagPhraseAndLabelWords(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("terminate_employee", "Terminate an employee's contract.",
			`{"type":"object","properties":{"employee_id":{"type":"string","pattern":"^EMP-[0-9]{4}$"},"last_day":{"type":"string","format":"date"},"termination_type":{"type":"string","enum":["resignation","dismissal","end_of_contract","redundancy"]},"eligible_for_rehire":{"type":"boolean"}},"required":["employee_id","last_day","termination_type"]}`))...)
	wantCalls(t, p, map[string]string{
		"terminate EMP-1061 end of contract last day 2026-12-31, eligible for rehire yes": "terminate_employee(employee_id=EMP-1061 termination_type=end_of_contract eligible_for_rehire=true)",
		"dismissal for EMP-1062 effective 2026-12-07, not eligible for rehire":            "terminate_employee(employee_id=EMP-1062 termination_type=dismissal eligible_for_rehire=false)",
		"terminate EMP-1063, resignation, last day 2026-12-31, eligible for rehire: no":   "terminate_employee(employee_id=EMP-1063 termination_type=resignation eligible_for_rehire=false)",
	}, "employee_id", "termination_type", "eligible_for_rehire")
	lib := catalogPattern(t, "testdata/library.yaml")
	wantRefusal(t, lib, "place a hold for C-1234567 pickup eastside", "title")
	wantCalls(t, lib, map[string]string{
		"waive C-3456789's fines, the book was returned in the book drop during the flood": "fines.waive(card_number=C-3456789 reason=the book was returned in the book drop during the flood)",
	}, "card_number", "reason")
}

// TestMonthWrittenYearMonth: "get EMP-1043's payslip for november 2026" and "... for
// 2026-10" were refused for want of a period written YYYY-MM: the slots read the
// numbers, not the month. A month written so, by name and year, or from now ("last
// month") fills such a parameter; two months give nothing. Today is 2026-11-26.
func TestMonthWrittenYearMonth(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("getPayslip", "Get an employee's payslip for a pay month.",
			`{"type":"object","properties":{"employeeId":{"type":"string","pattern":"^EMP-[0-9]{4}$"},"period":{"type":"string","pattern":"^[0-9]{4}-(0[1-9]|1[0-2])$","description":"pay month YYYY-MM"}},"required":["employeeId","period"]}`))...)
	wantCalls(t, p, map[string]string{
		"get the payslip for EMP-1043 for 2026-10":  "getPayslip(employeeId=EMP-1043 period=2026-10)",
		"get EMP-1043's payslip for november 2026":  "getPayslip(employeeId=EMP-1043 period=2026-11)",
		"send me last month's payslip for EMP-1046": "getPayslip(employeeId=EMP-1046 period=2026-10)",
	}, "employeeId", "period")
	wantRefusal(t, p, "get the payslips for EMP-1043 for october 2026 and november 2026", "")
}

// TestCodeInLowerCase: "downgrade mem-00781 to off peak" was refused for want of the
// member: a code typed in lower case matched no pattern that writes it in capitals. The
// one word whose capitals the pattern admits is that code.
func TestCodeInLowerCase(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("membership_change_plan", "Change a member's membership plan.",
			`{"type":"object","properties":{"member_id":{"type":"string","pattern":"^MEM-[0-9]{5}$"},"new_plan":{"type":"string","enum":["peak","off_peak","student"]}},"required":["member_id","new_plan"]}`))...)
	wantCalls(t, p, map[string]string{
		"downgrade mem-00781 to off peak": "membership_change_plan(member_id=MEM-00781 new_plan=off_peak)",
		"downgrade MEM-00781 to off peak": "membership_change_plan(member_id=MEM-00781 new_plan=off_peak)",
	}, "member_id", "new_plan")
	wantRefusal(t, p, "downgrade mem-00781 or mem-00782 to off peak", "")
}

// TestSelfCorrectionIsRefused: "record 5 each of dropped plates... no wait, 5 each
// dropped brioche buns" logged the plates, the half the user took back. A request that
// corrects itself is refused, saying so.
func TestSelfCorrectionIsRefused(t *testing.T) {
	p := newTestPattern(t, kitchenTools()...)
	wantRefusal(t, p, "order 4 cases of prosecco from SUP-220... no wait, 6 cases", "corrects itself")
	wantRefusal(t, p, "check the salmon stock, scratch that, check the flour", "corrects itself")
	wantCalls(t, p, map[string]string{
		"order 4 cases of prosecco from SUP-220, no rush": "placeSupplierOrder(item=prosecco quantity=4 supplierId=SUP-220 unit=case)",
	}, "item", "quantity", "supplierId", "unit")
}

// TestStatementIsTheNote: "reservation for the Okafor party of 6 ..., one of them has a
// nut allergy" dropped the allergy: only an aside of four words or fewer went to the one
// optional text parameter. The statement after the instruction is a note's too; a
// relative clause ("who has ...") is none.
func TestStatementIsTheNote(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("create_reservation", "Book a table at the restaurant for a party on a date and time.",
			`{"type":"object","properties":{"guest_name":{"type":"string","description":"name the booking is under"},"party_size":{"type":"integer","minimum":1},"date":{"type":"string","format":"date"},"time":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"},"notes":{"type":"string","description":"allergies, occasion, high chair etc."}},"required":["guest_name","party_size","date","time"]}`))...)
	wantCalls(t, p, map[string]string{
		"reservation for the Okafor party of 6 on 2026-12-19 at 19:00, one of them has a nut allergy": "create_reservation(guest_name=Okafor party_size=6 notes=one of them has a nut allergy)",
		"reservation for the Okafor party of 6 on 2026-12-19 at 19:00":                                "create_reservation(guest_name=Okafor party_size=6)",
	}, "guest_name", "party_size", "notes")
}

// TestPaymentReceivedIsPast: "log payment TN-30019 2100 bank transfer on dec 1st", said
// six days after it, dated the payment next year: "paidOn" read as no past date (its
// name's terms are stems: "pay"). A date a parameter named paid, or described as
// received, is the last one; a payment to make ("pay_on") is the next. Today is
// 2026-11-26.
func TestPaymentReceivedIsPast(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("recordRentPayment", "Record a rent payment received from a tenant.",
			`{"type":"object","properties":{"tenantId":{"type":"string","pattern":"^TN-[0-9]{5}$"},"amount":{"type":"number","exclusiveMinimum":0},"method":{"type":"string","enum":["cash","check","bank_transfer"]},"paidOn":{"type":"string","format":"date"}},"required":["tenantId","amount","method"]}`),
		testTool("pay_bill", "Pay a bill to a payee, now or on a later date.",
			`{"type":"object","properties":{"payee":{"type":"string"},"amount":{"type":"number"},"pay_on":{"type":"string","format":"date"}},"required":["payee","amount"]}`))...)
	wantCalls(t, p, map[string]string{
		"log payment TN-30019 2100 bank transfer on dec 1st": "recordRentPayment(tenantId=TN-30019 paidOn=2025-12-01)",
		"pay $82.15 to Con Edison on Dec 10":                 "pay_bill(payee=Con Edison pay_on=2026-12-10)",
	}, "tenantId", "paidOn", "payee", "pay_on")
}

// TestChargeIsForItsDescription: "charge MEM-00412 £25 for a late cancellation fee" left
// the charge without the description the tool takes: what "for" introduces after an
// amount charged or sent describes it.
func TestChargeIsForItsDescription(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("payments.charge", "Charge a member's card on file or take a payment.",
			`{"type":"object","properties":{"member_id":{"type":"string","pattern":"^MEM-[0-9]{5}$"},"amount":{"type":"number","exclusiveMinimum":0},"currency":{"type":"string","enum":["GBP","EUR","USD"]},"description":{"type":"string"}},"required":["member_id","amount"]}`))...)
	wantCalls(t, p, map[string]string{
		"charge MEM-00412 £25 for a late cancellation fee": "payments.charge(member_id=MEM-00412 amount=25 description=late cancellation fee)",
		"charge MEM-00412 £25":                             "payments.charge(member_id=MEM-00412 amount=25)",
	}, "member_id", "amount", "description")
}

// TestLabelIsNoPartOfTheNote: "set INC0012345 to resolved, comment: replaced the toner"
// commented "comment: replaced the toner": the label before a colon is no part of the
// statement a note takes.
func TestLabelIsNoPartOfTheNote(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("update_ticket_status", "Change the status of a helpdesk ticket, with an optional comment.",
			`{"type":"object","properties":{"ticket_id":{"type":"string","pattern":"^INC[0-9]{7}$"},"status":{"type":"string","enum":["new","in_progress","resolved","closed"]},"comment":{"type":"string"}},"required":["ticket_id","status"]}`))...)
	wantCalls(t, p, map[string]string{
		"set INC0012345 to resolved, comment: replaced the toner": "update_ticket_status(ticket_id=INC0012345 status=resolved comment=replaced the toner)",
	}, "ticket_id", "status", "comment")
}
