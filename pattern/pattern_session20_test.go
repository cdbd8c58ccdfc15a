package pattern

import (
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

// backOfficeTools are a small shop's back office: refunds and returns whose reason is an enum
// written in the shop's words, and a stock count with a reason of its own.
func backOfficeTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("GetOrder", "One order in full - line items, payments, refunds and the shipping address.",
			`{"type":"object","properties":{"orderNumber":{"type":"string","pattern":"^#?[0-9]{4,6}$"}},"required":["orderNumber"]}`),
		testTool("IssueRefund", "Refund money on an order without a return.",
			`{"type":"object","properties":{"orderNumber":{"type":"string","pattern":"^#?[0-9]{4,6}$"},"amount":{"type":"number"},"reason":{"type":"string","enum":["damaged_in_transit","wrong_item_sent","late_delivery","missing_item","goodwill","other"]}},"required":["orderNumber","reason"]}`),
		testTool("returns.authorize", "Authorize a customer's return of an order (an RMA).",
			`{"type":"object","properties":{"order_id":{"type":"string","pattern":"^#?[0-9]{4,8}$"},"reason":{"type":"string","enum":["damaged","defective","wrong_item","doesnt_fit","not_as_described","changed_mind"]}},"required":["order_id","reason"]}`),
		testTool("stock.adjust", "Add units to or remove units from the stock count of a SKU.",
			`{"type":"object","properties":{"sku":{"type":"string","pattern":"^[A-Z]{3}-[A-Z0-9-]+$"},"delta":{"type":"integer"},"reason":{"type":"string","enum":["received","damaged","stock_count","returned","other"]}},"required":["sku","delta","reason"]}`),
	)
}

// TestReasonInOwnWords: "refund $18.50 on #1175, one of the mugs arrived chipped" and
// "RMA for order #10466 pls, wrong size" were refused for want of the reason, which the
// user wrote in their own words, not in the enum's: chipped is damaged (in transit, for
// a refund), a wrong size does not fit, a wrong colour is a wrong item, four days late
// is a late delivery. A reason said not to have happened is no reason, and words that
// name two of the enum's values name none.
func TestReasonInOwnWords(t *testing.T) {
	p := newTestPattern(t, backOfficeTools()...)
	wantCalls(t, p, map[string]string{
		"refund $18.50 on #1175, one of the mugs arrived chipped":                   "IssueRefund(reason=damaged_in_transit)",
		"refund #1180 in full, it got there 4 days late":                            "IssueRefund(reason=late_delivery)",
		"refund $12 on #1181, we sent the wrong colour":                             "IssueRefund(reason=wrong_item_sent)",
		"refund #1182, the parcel never arrived":                                    "IssueRefund(reason=missing_item)",
		"RMA for order #10466 pls, wrong size":                                      "returns.authorize(reason=doesnt_fit)",
		"#10475 got sent the wrong colour - authorize the return":                   "returns.authorize(reason=wrong_item)",
		"authorize a return on #10477, it stopped working after a week":             "returns.authorize(reason=defective)",
		"authorize a return on #10478, it wasn't broken, she just changed her mind": "returns.authorize(reason=changed_mind)",
	}, "reason")
	wantRefusal(t, p, "authorize a return on #10479, nothing was broken", "reason")
	wantRefusal(t, p, "refund #1183", "reason")
}

// TestPartOfAWholeStates: "one of the mugs arrived chipped" states what happened, as
// "the mug arrived chipped" does; it was read as a second request (GetOrder, whose
// description opens "One order in full", made "one" a verb).
func TestPartOfAWholeStates(t *testing.T) {
	p := newTestPattern(t, backOfficeTools()...)
	if p.isVerb("one") {
		t.Error(`"One order in full" made "one" a verb`)
	}
	for _, req := range []string{"one of the mugs arrived chipped", "two of my books came torn", "the mug arrived chipped"} {
		if !thingSubject(wordsLower(req)) {
			t.Errorf("%q: not read as a statement", req)
		}
	}
	if thingSubject(wordsLower("one of the mugs for the kitchen")) {
		t.Error(`"one of the mugs for the kitchen" read as a statement`)
	}
}

func wordsLower(s string) []string {
	var out []string
	for _, w := range words(s) {
		out = append(out, strings.ToLower(w))
	}
	return out
}

// TestCodeExampleTakesNoName: "ship order #10490 with Canada Post expedited" was planned
// as a tracking lookup of the number "Canada Post" feeding the label's carrier: a
// parameter whose examples are all codes of letters and digits ("e.g.
// 1Z999AA10123456784") takes no name without a digit.
func TestCodeExampleTakesNoName(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("shipments.track", "Tracking events for a shipment.",
			`{"type":"object","properties":{"tracking_number":{"type":"string","description":"Carrier tracking number, e.g. 1Z999AA10123456784 (UPS) or 9400111899223344556677 (USPS)"}},"required":["tracking_number"]}`),
	)...)
	wantRefusal(t, p, "track my Canada Post parcel", "tracking_number")
	wantCalls(t, p, map[string]string{
		"track 1Z999AA10123456799": "shipments.track(tracking_number=1Z999AA10123456799)",
	}, "tracking_number")
}

// TestNamespaceIsNoVerb: "call Nonna's landline, 718 555 0111" blocked the number: the
// namespace of calls.blockNumber was read as the tool's verb "call". A namespace is the
// clause's verb only as the namespace writes it ("logs" of logs.search in "show me error
// logs"). "block (872) 555-0199 from calling Maya's phone" was refused: "number" with a
// phone number as its example takes a phone number, and a line named by "phone number
// or nickname" takes a name.
func TestNamespaceIsNoVerb(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/mobile.yaml", "../eval/cases/catalogs/messaging.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	wantCalls(t, p, map[string]string{
		"call Nonna's landline, 718 555 0111":                           "make_phone_call(to=7185550111)",
		"block (872) 555-0199 from calling Maya's phone, he won't stop": "calls.blockNumber(line=Maya number=8725550199)",
		"how many minutes did Nonna use this cycle":                     "usage.getLine(line=Nonna)",
	}, "to", "line", "number")
}

// TestPluralIsNoVerb: "buy a 10 gig data pass for Leo" set Leo's data cap to 10 GB:
// the data controls' description speaks of "in-app purchases", a plural noun, which was
// read as the tool buying. And in "look for any plays happening on March 10th" the
// word after "any" is a noun, not the clause's verb.
func TestPluralIsNoVerb(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/mobile.yaml", "../eval/cases/catalogs/creditunion.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	wantRefusal(t, p, "buy a 10 gig data pass for Leo", "buy")
	p = newTestPattern(t, append(tool.Builtins(),
		testTool("Events_3_FindEvents", "Find cultural events, such as concerts and plays, in a city on a date.",
			`{"type":"object","properties":{"event_type":{"type":"string","enum":["Music","Theater"]},"city":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["event_type","city"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"I'm interested in a Theater event in London. Could you look for any plays happening on March 10th?": "Events_3_FindEvents(event_type=Theater city=London)",
	}, "event_type", "city")
}

// TestCurrencyReceived: "what's 1000 AUD in euros" quoted sending AUD as AUD: the one
// currency parameter, "the currency the recipient gets", took the amount's. The other
// currency the clause names is the one received; a currency parameter that does not say
// which it is takes neither.
func TestCurrencyReceived(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_fx_quote", "The bank's rate and fee for sending AUD overseas in another currency. Read-only.",
			`{"type":"object","properties":{"currency":{"type":"string","pattern":"^[A-Z]{3}$","description":"The currency the recipient gets, ISO 4217, e.g. NZD"},"amount":{"type":"number"}},"required":["currency"]}`),
		testTool("pay_invoice", "Pay a supplier's invoice.",
			`{"type":"object","properties":{"invoice_id":{"type":"string","description":"e.g. INV-2041"},"amount":{"type":"number"},"currency":{"type":"string","pattern":"^[A-Z]{3}$"}},"required":["invoice_id","amount","currency"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"what's 1000 AUD in euros":        "get_fx_quote(currency=EUR amount=1000)",
		"quote me 250 AUD to NZD":         "get_fx_quote(currency=NZD amount=250)",
		"pay 300 EUR on invoice INV-2041": "pay_invoice(currency=EUR amount=300)",
	}, "currency", "amount")
	wantRefusal(t, p, "pay 300 EUR on invoice INV-2041 in dollars", "currency")
}

// TestQuestionAndEmptyChange: "when is my bill due" paid the bill (a question opening
// with "when" and no question mark asked to see nothing), and "restrict Leo's phone so
// he can't buy apps" called controls.setLimits with the line alone: a tool that sets
// things, given only which line, changes none of them.
func TestQuestionAndEmptyChange(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/mobile.yaml", "../eval/cases/catalogs/creditunion.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	wantCalls(t, p, map[string]string{
		"when is my bill due":                             "bills.getStatement()",
		"set quiet hours on Ben's phone from 10pm to 7am": "controls.setLimits(line=Ben quietHoursStart=22:00 quietHoursEnd=07:00)",
	}, "line", "quietHoursStart", "quietHoursEnd")
	wantRefusal(t, p, "restrict Leo's phone so he can't buy apps", "nothing to change")
}

// TestQuestionOfWhatWasDone: "how much data has Maya used this month" and "When was the
// Treaty of Westphalia signed?" were refused as asking to "used" and to "signed": after
// a question word, a past form is what was done, asked about, not an instruction.
func TestQuestionOfWhatWasDone(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/mobile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	wantCalls(t, p, map[string]string{
		"how much data has Maya used this month": "usage.getLine(line=Maya)",
	}, "line")
	p = newTestPattern(t, append(tool.Builtins(),
		testTool("history.event_date", "Get the date of a historical event such as a battle, treaty or coronation.",
			`{"type":"object","properties":{"event":{"type":"string","description":"Name of the historical event"}},"required":["event"]}`))...)
	wantCalls(t, p, map[string]string{
		"When was the Treaty of Westphalia signed?": "history.event_date(event=Treaty of Westphalia)",
	}, "event")
}

// TestOwnerIsNoProduct: "order more of Rocco's food" ordered the product "Rocco": a
// possessive name before the thing a tool is named for owns that thing; it fills a
// parameter of whose it is (the pet, the artist of artist_albums), never the thing.
func TestOwnerIsNoProduct(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("petshop.order_food", "Order pet food from the clinic shop.",
			`{"type":"object","properties":{"product":{"type":"string","description":"Brand and line, e.g. Hill's Science Diet Adult, Royal Canin Renal"}},"required":["product"]}`),
		testTool("pets.log_weight", "Record a pet's weight.",
			`{"type":"object","properties":{"pet_name":{"type":"string"},"weight":{"type":"number"}},"required":["pet_name","weight"]}`),
		testTool("music.artist_albums", "List an artist's albums.",
			`{"type":"object","properties":{"artist":{"type":"string"}},"required":["artist"]}`),
	)...)
	wantRefusal(t, p, "order more of Rocco's food", "product")
	wantCalls(t, p, map[string]string{
		"log Rocco's weight: 31":  "pets.log_weight(pet_name=Rocco)",
		"list Radiohead's albums": "music.artist_albums(artist=Radiohead)",
		"order Royal Canin Renal": "petshop.order_food(product=Royal Canin Renal)",
	}, "pet_name", "artist", "product")
}

// TestPhoneTakesNoPhrase: "call the dentist" dialled "dentist": a phone number parameter
// takes no phrase without a digit (a name or a role is looked up first).
func TestPhoneTakesNoPhrase(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/messaging.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	wantRefusal(t, p, "call the dentist", "phone number")
	wantCalls(t, p, map[string]string{"call +1 212 555 0100": "make_phone_call(to=+12125550100)"}, "to")
}

// TestAdviceIsNoLookup: "is it a good time to fix my home loan rate?" showed the loan's
// summary: a question asking for a judgement (is it a good time, should I, is it worth,
// do you think) is refused by a tool that gives no advice. "do you think you could help
// me find ..." is a polite request, not one.
func TestAdviceIsNoLookup(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/creditunion.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	wantRefusal(t, p, "is it a good time to fix my home loan rate?", "advice")
	wantRefusal(t, p, "should I pay off my car loan early?", "")
	wantCalls(t, p, map[string]string{"what's left on my car loan": "get_loan_summary(loan=car_loan)"}, "loan")
	p = newTestPattern(t, append(tool.Builtins(),
		testTool("restaurants.find", "Find restaurants in a city by cuisine.",
			`{"type":"object","properties":{"cuisine":{"type":"string"},"city":{"type":"string"}},"required":["city"]}`))...)
	wantCalls(t, p, map[string]string{
		"do you think you could find me an Italian restaurant in Boston?": "restaurants.find(city=Boston)",
	}, "city")
}

// TestMeasuredSize: "order Hill's Science Diet Adult for Rocco" gave bag_size ("e.g. 12
// kg, 3.5 lb") the words after the brand, and "a 12 kg bag" the size "kg": a parameter
// whose examples are all measures takes a number with its unit, and a name right after
// a name ending in 's goes on with it.
func TestMeasuredSize(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/pets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPattern(t, append(tool.Builtins(), ts...)...)
	wantCalls(t, p, map[string]string{
		"order Hill's Science Diet Adult for Rocco": "petshop.order_food(product=Hill's Science Diet Adult)",
		"order a 12 kg bag of Royal Canin Renal":    "petshop.order_food(product=Royal Canin Renal bag_size=12 kg)",
	}, "product", "bag_size")
}
