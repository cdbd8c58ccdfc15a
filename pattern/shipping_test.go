package pattern

import "testing"

// TestWhetherAsksNotActs: "Is SHP-88213 picked up yet?" cancelled the shipment (the
// cancel tool's description says "not been picked up"): a question that asks whether is
// answered by no tool that acts.
func TestWhetherAsksNotActs(t *testing.T) {
	cancel := testTool("cancel_shipment", "Cancel a shipment that has not been picked up",
		`{"type":"object","properties":{"shipment_id":{"type":"string"}},"required":["shipment_id"]}`)
	p := newTestPattern(t, cancel)
	wantRefusal(t, p, "Is shipment SHP-88213 picked up yet?", "acts")
	wantCalls(t, p, map[string]string{
		"Cancel shipment SHP-88213": "cancel_shipment(shipment_id=SHP-88213)",
	}, "shipment_id")
}

// TestCountryIsNoAddress: "Ship a 3 kg box ... to 400 Oak Ave, Portland" quoted a rate
// to the country "400 Oak Ave".
func TestCountryIsNoAddress(t *testing.T) {
	p := newTestPattern(t,
		testTool("get_shipping_rate", "Quote the price of shipping a parcel to a country",
			`{"type":"object","properties":{"weight_kg":{"type":"number"},"destination_country":{"type":"string","description":"Destination country"}},"required":["weight_kg","destination_country"]}`))
	wantRefusal(t, p, "Ship a 3 kg box from 12 Main St, Springfield to 400 Oak Ave, Portland", "not a country")
	wantCalls(t, p, map[string]string{
		"Quote shipping 10 kg to Germany": "get_shipping_rate(weight_kg=10 destination_country=Germany)",
	}, "weight_kg", "destination_country")
}

// TestRemindIsScheduled: "Remind me to follow up with maria@lopez.io next Tuesday" was
// refused ("asks to remind, which schedule_followup does not do"): a tool that schedules
// a reminder reminds.
func TestRemindIsScheduled(t *testing.T) {
	p := newTestPattern(t,
		testTool("schedule_followup", "Schedule a follow-up reminder for a contact",
			`{"type":"object","properties":{"contact_email":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["contact_email","date"]}`))
	wantCalls(t, p, map[string]string{
		"Remind me to follow up with maria@lopez.io next Tuesday": "schedule_followup(contact_email=maria@lopez.io date=2026-12-01)",
	}, "contact_email", "date")
}
