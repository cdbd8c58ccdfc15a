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

// TestForeignAmountIsNoBareNumber: "send €30 to alex.kim@gmail.com" sent 30: the tool
// takes no currency, and the euro was dropped. An amount in a currency the tool cannot
// take is refused: one its amount parameter states ("declaredValueUsd", "in USD") is
// taken, another is not; when the tool states none, the catalogue's currency (the default
// its currency parameters give, else USD) is taken, another is not.
func TestForeignAmountIsNoBareNumber(t *testing.T) {
	p := newTestPattern(t, billTools()...)
	wantRefusal(t, p, "send €30 to alex.kim@gmail.com", "payments.send takes no currency")
	wantRefusal(t, p, "send 30 euros to alex.kim@gmail.com", "EUR")
	wantCalls(t, p, map[string]string{
		"send $30 to alex.kim@gmail.com":    "payments.send(recipient_email=alex.kim@gmail.com amount=30)",
		"send 30 to alex.kim@gmail.com":     "payments.send(recipient_email=alex.kim@gmail.com amount=30)",
		"send 30 USD to alex.kim@gmail.com": "payments.send(recipient_email=alex.kim@gmail.com amount=30)",
	}, "recipient_email", "amount")

	duty := testTool("estimateCustomsDuty", "Estimate import duty and taxes for an international shipment.",
		`{"type":"object","properties":{"hsCode":{"type":"string","pattern":"^[0-9]{6}$","description":"6-digit HS tariff code"},"declaredValueUsd":{"type":"number","minimum":0},"destinationCountry":{"type":"string","pattern":"^[A-Z]{2}$","description":"ISO 3166-1 alpha-2 country code"}},"required":["hsCode","declaredValueUsd","destinationCountry"]}`)
	claim := testTool("fileDamageClaim", "File a claim for a damaged or lost shipment.",
		`{"type":"object","properties":{"trackingNumber":{"type":"string","pattern":"^TRK[0-9]{10}$"},"amount":{"type":"number","minimum":0,"description":"Amount claimed in euros"}},"required":["trackingNumber","amount"]}`)
	p = newTestPattern(t, append(tool.Builtins(), duty, claim)...)
	wantRefusal(t, p, "duty estimate for HS 851712, EUR 800, to DE", "declaredValueUsd in USD")
	wantRefusal(t, p, "file a damage claim for TRK0012345678, $120", "amount in EUR")
	wantCalls(t, p, map[string]string{
		"duty estimate for HS 851712, $800, to DE":    "estimateCustomsDuty(hsCode=851712 declaredValueUsd=800 destinationCountry=DE)",
		"file a damage claim for TRK0012345678, €120": "fileDamageClaim(trackingNumber=TRK0012345678 amount=120)",
	}, "hsCode", "declaredValueUsd", "destinationCountry", "trackingNumber", "amount")

	// "$" is a dollar of the parameter's country; "US$" and "USD" are not Australian.
	txns := testTool("get_transactions", "List card transactions, filtered by date and amount.",
		`{"type":"object","properties":{"from_date":{"type":"string","format":"date"},"min_amount":{"type":"number","minimum":0,"description":"Absolute amount, AUD"}}}`)
	p = newTestPattern(t, append(tool.Builtins(), txns)...)
	wantCalls(t, p, map[string]string{
		"card transactions over $200 since 2026-11-01": "get_transactions(min_amount=200)",
	}, "min_amount")
	wantRefusal(t, p, "card transactions over 200 USD since 2026-11-01", "min_amount in AUD")

	// A catalogue whose currency parameters default to GBP works in pounds.
	deals := testTool("updateDeal", "Change a deal's amount or win probability, by deal id.",
		`{"type":"object","properties":{"deal_id":{"type":"string","pattern":"^DL-[0-9]{4,6}$"},"amount":{"type":"number","minimum":0}},"required":["deal_id"]}`)
	invoice := testTool("createInvoice", "Create an invoice for a customer.",
		`{"type":"object","properties":{"customer":{"type":"string"},"amount":{"type":"number"},"currency":{"type":"string","enum":["GBP","EUR","USD"],"default":"GBP"}},"required":["customer","amount"]}`)
	p = newTestPattern(t, append(tool.Builtins(), deals, invoice)...)
	wantCalls(t, p, map[string]string{
		"update deal DL-7811, amount £9,250": "updateDeal(deal_id=DL-7811 amount=9250)",
	}, "deal_id", "amount")
	wantRefusal(t, p, "update deal DL-7811, amount €9,250", "updateDeal takes no currency")
}

// TestSymbolAmountIsConvertedFrom: "convert €30 to USD" converted from USD to USD: the one
// code written had the shape of both currency parameters and took both. The amount's
// currency is the one converted from.
func TestSymbolAmountIsConvertedFrom(t *testing.T) {
	p := newTestPattern(t, billTools()...)
	wantCalls(t, p, map[string]string{
		"convert €30 to USD":    "fx.convert(amount=30 from_currency=EUR to_currency=USD)",
		"convert $30 to GBP":    "fx.convert(amount=30 from_currency=USD to_currency=GBP)",
		"convert 30 EUR to USD": "fx.convert(amount=30 from_currency=EUR to_currency=USD)",
	}, "amount", "from_currency", "to_currency")
}
