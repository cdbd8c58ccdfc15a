package pattern

import (
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
