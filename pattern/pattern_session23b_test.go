package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// billTools are a bank's bill payments, person-to-person payments and currency exchange:
// the catalogue speaks of currencies, and only the exchange takes one.
func billTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("bills.schedule_payment", "Schedule a bill payment to a payee on a due date from an account.",
			`{"type":"object","properties":{"payee":{"type":"string","description":"Company being paid, e.g. Con Edison"},"amount":{"type":"number","exclusiveMinimum":0},"pay_on":{"type":"string","format":"date"},"from_account":{"type":"string","enum":["checking","savings"],"default":"checking"}},"required":["payee","amount","pay_on"]}`),
		testTool("payments.send", "Send money to another person by their email address or phone number (peer-to-peer payment).",
			`{"type":"object","properties":{"recipient_email":{"type":"string","format":"email"},"amount":{"type":"number","exclusiveMinimum":0},"note":{"type":"string"}},"required":["amount"]}`),
		testTool("fx.convert", "Convert an amount of money from one currency to another at today's exchange rate.",
			`{"type":"object","properties":{"amount":{"type":"number","exclusiveMinimum":0},"from_currency":{"type":"string","pattern":"^[A-Z]{3}$"},"to_currency":{"type":"string","pattern":"^[A-Z]{3}$"}},"required":["amount","from_currency","to_currency"]}`))
}

// TestGroupCommaEndsNoPayee: "pay my visa bill of $1,240.55 on 2026-12-20" paid "visa bill
// of $1": the comma between the amount's digit groups ended the payee's phrase, and what
// was left of the amount stayed in it. The amount ends the payee, its preposition too.
func TestGroupCommaEndsNoPayee(t *testing.T) {
	p := newTestPattern(t, billTools()...)
	wantCalls(t, p, map[string]string{
		"pay my Visa bill of $1,240.55 on 2026-12-20": "bills.schedule_payment(payee=Visa amount=1240.55 pay_on=2026-12-20)",
	}, "payee", "amount", "pay_on")
	// (A payee in lower case names nobody: see TestValuesMustBeGrounded.)
	wantRefusal(t, p, "pay my visa bill of $1,240.55 on 2026-12-20", "names nobody")
}

// TestTakenAmountEndsThePayee: "pay con ed 84.20 on the 15th from savings" paid "con ed
// 84.20": the amount another argument took stayed in the payee's phrase, which no
// preposition ended.
func TestTakenAmountEndsThePayee(t *testing.T) {
	p := newTestPattern(t, billTools()...)
	wantCalls(t, p, map[string]string{
		"pay Con Ed 84.20 on the 15th from savings": "bills.schedule_payment(payee=Con Ed amount=84.2 from_account=savings)",
	}, "payee", "amount", "from_account")
	wantRefusal(t, p, "pay con ed 84.20 on the 15th from savings", "names nobody")
}
