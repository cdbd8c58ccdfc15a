package pattern

import (
	"encoding/json"
	"testing"

	"github.com/planwise/planwise/tool"
)

// clinicTools are a vet clinic's booking and its pet register.
func clinicTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("book_appointment", "Book a clinic appointment for a registered pet on a given date and time.",
			`{"type":"object","properties":{"pet_id":{"type":"string","pattern":"^PET-[0-9]{5}$","description":"The pet's clinic id, e.g. PET-00412"},"date":{"type":"string","format":"date","description":"Appointment day, YYYY-MM-DD"},"time":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$","description":"Start time, 24h HH:MM"},"reason":{"type":"string","enum":["checkup","vaccination","dental"],"description":"Why the pet is coming in"}},"required":["pet_id","date","reason"]}`),
		testTool("register_pet", "Register a new pet (patient) under an owner's phone number.",
			`{"type":"object","properties":{"owner_phone":{"type":"string","pattern":"^\\+?[0-9 ()-]{7,20}$","description":"Owner's phone number"},"pet_name":{"type":"string"},"species":{"type":"string","enum":["dog","cat","rabbit"]},"breed":{"type":"string"}},"required":["owner_phone","pet_name","species"]}`),
		testTool("search_pets", "Find registered pets by owner phone number or by pet name.",
			`{"type":"object","properties":{"owner_phone":{"type":"string","pattern":"^\\+?[0-9 ()-]{7,20}$"},"pet_name":{"type":"string"}}}`))
}

// TestTimeThatIsNoTimeIsRefused: "book PET-00412 for a checkup on 2026-12-15 at 25:00"
// was booked without a time (the time is optional, and 25:00 was read as the numbers 25
// and 00): a time the request writes that is no time of day is refused by name, never
// dropped. A time of day is still booked.
func TestTimeThatIsNoTimeIsRefused(t *testing.T) {
	p := newTestPattern(t, clinicTools()...)
	wantRefusal(t, p, "book PET-00412 for a checkup on 2026-12-15 at 25:00", "25:00 is not a time of day")
	wantRefusal(t, p, "book PET-00412 for a checkup on 2026-12-15 at 13:75", "13:75 is not a time of day")
	wantRefusal(t, p, "book PET-00412 for a checkup on 2026-12-15 at 0:99pm", "0:99pm is not a time of day")
	wantCalls(t, p, map[string]string{
		"book PET-00412 for a checkup on 2026-12-15 at 9:30pm": "book_appointment(pet_id=PET-00412 date=2026-12-15 time=21:30)",
		"book PET-00412 for a checkup on 2026-12-15 at 09:30":  "book_appointment(pet_id=PET-00412 date=2026-12-15 time=09:30)",
	}, "pet_id", "date", "time")
}

// p2pTools send money to a person by address or phone, and move it between the user's
// own accounts.
func p2pTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("payments.send", "Send money to another person by their email address or phone number (peer-to-peer payment).",
			`{"type":"object","properties":{"recipient_email":{"type":"string","format":"email"},"recipient_phone":{"type":"string","pattern":"^\\+?[0-9 ()-]{7,20}$"},"amount":{"type":"number","exclusiveMinimum":0},"note":{"type":"string"}},"required":["amount"]}`),
		testTool("transfers.create", "Move money between two of the user's own accounts.",
			`{"type":"object","properties":{"from_account":{"type":"string","enum":["checking","savings"]},"to_account":{"type":"string","enum":["checking","savings"]},"amount":{"type":"number","exclusiveMinimum":0}},"required":["from_account","to_account","amount"]}`))
}

// TestRecipientNoArgumentTakesIsRefused: "send $25 to alex" paid 25 to nobody: the
// tool's recipient is an e-mail address or a phone number, neither required, and "alex"
// is neither. A sending verb's "to <someone>" that no step takes is refused; a
// recipient a step takes is served.
func TestRecipientNoArgumentTakesIsRefused(t *testing.T) {
	p := newTestPattern(t, p2pTools()...)
	wantRefusal(t, p, "send $25 to alex", `"alex", a recipient no argument of payments.send takes`)
	wantRefusal(t, p, "send 25 to my mom", `"my mom", a recipient`)
	wantRefusal(t, p, "pay 40 dollars to Dana Reyes", `"Dana Reyes", a recipient`)
	wantCalls(t, p, map[string]string{
		"send $25 to alex@example.com":          "payments.send(recipient_email=alex@example.com amount=25)",
		"send $25 to +1 555 010 2233":           "payments.send(recipient_phone=+15550102233 amount=25)",
		"transfer 100 from checking to savings": "transfers.create(to_account=savings amount=100)",
	}, "recipient_email", "recipient_phone", "to_account", "amount")
}

// TestResultNamedIsNoMessage: "track TRK0012345678 and email the status to
// ops@shipco.com" e-mailed the message "status": "the status" is what the tracking gives
// (its tool is written with the word), and so are "the details" and "it"; the message
// takes that step's output, or, when no field of the output can be the message, the
// request is refused. A message the user dictates is still sent as written.
func TestResultNamedIsNoMessage(t *testing.T) {
	track := testTool("trackShipment", "Get the current status and location of a shipment by tracking number.",
		`{"type":"object","properties":{"trackingNumber":{"type":"string","pattern":"^TRK[0-9]{10}$"}},"required":["trackingNumber"]}`)
	notify := testTool("notifyCustomer", "Send an email notification to a customer.",
		`{"type":"object","properties":{"email":{"type":"string","format":"email"},"subject":{"type":"string"},"message":{"type":"string"}},"required":["email","message"]}`)
	p := newTestPattern(t, append(tool.Builtins(), track, notify)...)
	wantCalls(t, p, map[string]string{
		"track TRK0012345678 and email the status to ops@shipco.com":           "trackShipment(); notifyCustomer(email=ops@shipco.com message=${s1})",
		"track TRK0012345678 and email the details to ops@shipco.com":          "trackShipment(); notifyCustomer(email=ops@shipco.com message=${s1})",
		"track TRK0012345678 and email ops@shipco.com that the parcel is late": "trackShipment(); notifyCustomer(email=ops@shipco.com message=the parcel is late)",
	}, "email", "message")
	counted := testTool("trackShipment", "Get the current status and location of a shipment by tracking number.",
		`{"type":"object","properties":{"trackingNumber":{"type":"string","pattern":"^TRK[0-9]{10}$"}},"required":["trackingNumber"]}`)
	counted.OutputSchema = json.RawMessage(`{"type":"array","items":{"type":"number"}}`)
	p = newTestPattern(t, append(tool.Builtins(), counted, notify)...)
	wantRefusal(t, p, "track TRK0012345678 and email the status to ops@shipco.com", `"the status" refers to what trackShipment gives`)
}

// TestValueNamedBackIsTaken: "register a dog called Biscuit, beagle, owner phone 555 010
// 2020, then search pets for that phone" searched with no arguments: "that phone" is the
// phone number stated before, and the search takes it.
func TestValueNamedBackIsTaken(t *testing.T) {
	p := newTestPattern(t, clinicTools()...)
	wantCalls(t, p, map[string]string{
		"register a dog called Biscuit, owner phone 555 010 2020, then search pets for that phone":        "register_pet(owner_phone=5550102020 pet_name=Biscuit); search_pets(owner_phone=5550102020)",
		"register a dog called Biscuit, owner phone 555 010 2020, then search pets for that phone number": "register_pet(owner_phone=5550102020 pet_name=Biscuit); search_pets(owner_phone=5550102020)",
	}, "owner_phone", "pet_name")
}
