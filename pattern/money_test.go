package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// moneyTools is a small home-banking catalogue, written as a newcomer would.
func moneyTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("bank.transfer", "Transfer money from one of the user's accounts to a saved payee or another own account.",
			`{"type":"object","properties":{"from_account":{"type":"string","enum":["checking","savings","joint"]},"payee":{"type":"string","description":"saved payee nickname or own account, e.g. landlord, savings"},
			"amount":{"type":"number","description":"amount in EUR"},"date":{"type":"string","format":"date"}},"required":["from_account","payee","amount"]}`),
		testTool("bills.pay", "Pay a utility or phone bill now.",
			`{"type":"object","properties":{"biller":{"type":"string","enum":["electricity","water","gas","internet","mobile"]},"amount":{"type":"number"}},"required":["biller","amount"]}`),
		testTool("card.freeze", "Temporarily freeze a debit or credit card so it cannot be used, e.g. when it is lost.",
			`{"type":"object","properties":{"card":{"type":"string","enum":["debit","credit"]}},"required":["card"]}`),
		testTool("bank.balance", "Show the current balance of an account.",
			`{"type":"object","properties":{"account":{"type":"string","enum":["checking","savings","joint","credit_card"]}},"required":["account"]}`),
	)
}

// TestSecondBillIsNotDropped: "pay my water bill of 31 euros and my internet bill of
// 39.99" paid the water bill alone: a second value of the enum a step took (internet
// after water), or a second amount after one with its currency, is a second payment the
// plan would drop, so the request is refused rather than half served.
func TestSecondBillIsNotDropped(t *testing.T) {
	p := newTestPattern(t, moneyTools()...)
	wantCalls(t, p, map[string]string{
		"pay my water bill of 31 euros":           "bills.pay(biller=water amount=31)",
		"pay the internet bill, it's 39.99 euros": "bills.pay(biller=internet amount=39.99)",
	}, "biller", "amount")
	wantRefusal(t, p, "pay my water bill of 31 euros and the internet one", "internet")
	// Said as a second set of the first bill's values, it is a second payment.
	wantCalls(t, p, map[string]string{
		"pay my water bill of 31 euros and my internet bill of 39.99": "bills.pay(biller=water amount=31); bills.pay(biller=internet amount=39.99)",
	}, "biller", "amount")
	wantRefusal(t, p, "pay my water bill of 31 euros and my internet bill", "internet")
	wantRefusal(t, p, "pay the water bill of 31 euros and the other one of 39.99", "39.99")
}

// TestRecurrenceIsNotDropped: "transfer 100 from checking to savings every month" was
// served as one transfer: a recurrence the steps' tool never speaks of (no schedule,
// frequency, recurring, ...) is something the plan would not do. A tool that repeats
// keeps it, and a daily limit is no recurrence.
func TestRecurrenceIsNotDropped(t *testing.T) {
	p := newTestPattern(t, append(moneyTools(),
		testTool("bank.standing_order", "Set up a recurring transfer (standing order) to a payee.",
			`{"type":"object","properties":{"payee":{"type":"string"},"amount":{"type":"number"},"frequency":{"type":"string","enum":["weekly","monthly"]}},"required":["payee","amount","frequency"]}`),
		testTool("card.set_limit", "Set the daily spending limit of a card.",
			`{"type":"object","properties":{"card":{"type":"string","enum":["debit","credit"]},"daily_limit":{"type":"number"}},"required":["card","daily_limit"]}`),
	)...)
	for req, phrase := range map[string]string{
		"transfer 100 from checking to savings every month":   "every month",
		"transfer 100 from checking to savings every 2 weeks": "every 2 weeks",
		"freeze my debit card every Friday":                   "every Friday", // (a freeze acts now: it cannot wait for every Friday)
		"pay the gas bill of 60 twice a month":                "twice a month",
		"pay the water bill of 31 euros monthly":              "monthly",
	} {
		wantRefusal(t, p, req, phrase)
	}
	wantCalls(t, p, map[string]string{
		"transfer 100 from checking to savings":                   "bank.transfer(amount=100 payee=savings)",
		"set my debit card limit to 500 a day":                    "card.set_limit(card=debit daily_limit=500)",
		"set up a standing order of 50 to Mark Smith every month": "bank.standing_order(amount=50 payee=Mark Smith frequency=monthly)",
	}, "amount", "payee", "card", "daily_limit", "frequency")
	for in, want := range map[string]string{
		"every month": "every month", "each Monday please": "each monday", "every other week": "every other week",
		"twice a day": "twice a day", "pay it monthly": "monthly", "a monthly budget of 300": "", "every one of them": "",
		"each of my cards": "", "500 a day": "",
	} {
		if got := recurrence(in); got != want {
			t.Errorf("recurrence(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEnumValueBeforeTheParametersName: "unfreeze my credit card" was refused for want
// of the card (debit or credit): the phrase "credit card", a value of another tool's
// account enum, is the value credit followed by the parameter's own name.
func TestEnumValueBeforeTheParametersName(t *testing.T) {
	p := newTestPattern(t, moneyTools()...)
	wantCalls(t, p, map[string]string{
		"freeze my credit card":          "card.freeze(card=credit)",
		"freeze my debit card":           "card.freeze(card=debit)",
		"what's my credit card balance?": "bank.balance(account=credit_card)",
	}, "card", "account")
}

// TestPhraseIntroducedByTheParametersName: "send 300 to the landlord ... with reference
// December rent" was served without its reference: a plain text parameter named by one
// word takes the phrase that word introduces after "with" or before a colon. A phrase
// that holds a value of another kind, or is the content of a message, is no such
// phrase.
func TestPhraseIntroducedByTheParametersName(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("bank.pay", "Send money to a saved payee.",
			`{"type":"object","properties":{"payee":{"type":"string","description":"saved payee nickname, e.g. landlord"},"amount":{"type":"number"},
			"reference":{"type":"string","description":"text shown on the payee's statement"}},"required":["payee","amount"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"send 300 to the landlord with reference December rent":      "bank.pay(amount=300 reference=December rent)",
		"send 300 to the landlord with the reference 'rent Dec' pls": "bank.pay(amount=300 reference=rent Dec)",
		"send 40 to the landlord, reference: boiler repair":          "bank.pay(amount=40 reference=boiler repair)",
		"send 40 to the landlord":                                    "bank.pay(amount=40)",
	}, "amount", "reference")
	for in, want := range map[string]string{
		"with reference December rent":                 "December rent",
		"with the reference of the invoice":            "",
		"the reference letter to Bob":                  "",
		"with reference ABC and then call me":          "ABC",
		"reference: one two three four five six seven": "",
	} {
		pr := &paramInfo{Param: tool.Param{Name: "reference"}, kind: pString, nameTerms: map[string]bool{"reference": true}}
		if got, _, _ := introducedPhrase(pr, in); got != want {
			t.Errorf("introducedPhrase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestListedEnumValues: "turn on the bedroom and hallway lights" was refused ("names
// hallway, which lights.set does not take") because another tool's enum holds hallway
// too: a value the step's own parameter takes is a second call. A value a list joins to
// the one the step took ("and", "or", a comma, "too") is never dropped silently.
func TestListedEnumValues(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("lights.set", "Turn the lights of a room on or off.",
			`{"type":"object","properties":{"room":{"type":"string","enum":["kitchen","bedroom","hallway","garden"]},"state":{"type":"string","enum":["on","off"]}},"required":["room","state"]}`),
		testTool("vacuum.start", "Start the robot vacuum, in every room or one room.",
			`{"type":"object","properties":{"room":{"type":"string","enum":["kitchen","bedroom","hallway"]},"mode":{"type":"string","enum":["quiet","turbo"]}}}`),
	)...)
	wantCalls(t, p, map[string]string{
		"turn on the bedroom and hallway lights":          "lights.set(room=bedroom state=on); lights.set(room=hallway state=on)",
		"start the vacuum in the kitchen and the bedroom": "vacuum.start(room=kitchen); vacuum.start(room=bedroom)",
		"start the vacuum in the hallway":                 "vacuum.start(room=hallway)",
	}, "room", "state")
	wantRefusal(t, p, "turn on the bedroom lights, hallway too", "hallway")
	wantRefusal(t, p, "turn on the kitchen lights or the garden ones", "garden")
	wantCalls(t, p, map[string]string{"turn on the kitchen lights since the garden ones took ages": "lights.set(room=kitchen state=on)"}, "room", "state")
}

// TestVerbAfterAnAdverb: "I lost my debit card, freeze it" planned nothing: the tool's
// description starts "Temporarily freeze ...", and its verb was taken to be
// "temporarily", so ", freeze it" started no instruction. The verb follows an adverb
// when it is a verb or the tool's name holds it.
func TestVerbAfterAnAdverb(t *testing.T) {
	p := newTestPattern(t, moneyTools()...)
	wantCalls(t, p, map[string]string{
		"I lost my debit card, freeze it": "card.freeze(card=debit)",
	}, "card")
	for _, c := range []struct{ name, desc, want string }{
		{"card.freeze", "Temporarily freeze a card.", "freeze"},
		{"files.delete", "Permanently delete a file.", "delete"},
		{"statement.get", "Monthly statement of an account.", "monthly"},
	} {
		if got, _ := descVerb(c.name, c.desc); got != c.want {
			t.Errorf("descVerb(%q, %q) = %q, want %q", c.name, c.desc, got, c.want)
		}
	}
}

// TestUnlistedKindOfAnUnderscoredEnum: "how many study leave days do I have left?" gave
// the balance of every kind of leave: a word before the head of an enum parameter's name
// ("leave" of leave_type) that is none of its values names a kind the tool does not
// have. A value of it, a plain adjective or the tool's own word ("a rental car") is no
// such kind.
func TestUnlistedKindOfAnUnderscoredEnum(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("leave.get_balance", "Show how many days of leave the employee has left this year.",
			`{"type":"object","properties":{"leave_type":{"type":"string","enum":["annual","sick","parental"]}}}`),
		testTool("cars.rent", "Rent a rental car in a city.",
			`{"type":"object","properties":{"city":{"type":"string"},"car_type":{"type":"string","enum":["compact","suv"]}},"required":["city"]}`),
	)...)
	wantRefusal(t, p, "how many study leave days do I have left?", "study")
	wantCalls(t, p, map[string]string{
		"how many sick leave days do I have left?": "leave.get_balance(leave_type=sick)",
		"how much leave do I have left":            "leave.get_balance()",
		"rent a rental car in Paris":               "cars.rent(city=Paris)",
	}, "leave_type", "city")
	for name, want := range map[string]string{"leave_type": "leave", "genre": "genre", "car_class": "car", "from_to_type": ""} {
		if got := enumHead(name); got != want {
			t.Errorf("enumHead(%q) = %q, want %q", name, got, want)
		}
	}
}
