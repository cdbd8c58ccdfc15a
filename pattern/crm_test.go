package pattern

import (
	"testing"

	"github.com/planwise/planwise/tool"
)

// crmTools is a sales catalogue: contacts with first and last names, deals with names.
func crmTools() []*tool.Tool {
	return []*tool.Tool{
		testTool("create_contact", "Add a contact to the CRM",
			`{"type":"object","properties":{"first_name":{"type":"string"},"last_name":{"type":"string"},"email":{"type":"string"},"phone":{"type":"string"},"company":{"type":"string","description":"Company the contact works for"}},"required":["first_name","email"]}`),
		testTool("create_deal", "Open a sales deal in the pipeline",
			`{"type":"object","properties":{"name":{"type":"string","description":"Deal name"},"value":{"type":"number","description":"Expected deal value"},"stage":{"type":"string","enum":["lead","qualified","proposal","won","lost"]}},"required":["name","value"]}`),
		testTool("log_call", "Log a phone call with a contact",
			`{"type":"object","properties":{"contact_email":{"type":"string"},"notes":{"type":"string","description":"What was discussed"}},"required":["contact_email","notes"]}`),
	}
}

// TestPersonNameSplits: "Add Maria Lopez, maria@lopez.io, from Acme Corp to the CRM"
// gave the first name "CRM" and the last name "Maria Lopez"; a person's name fills a
// first and a last name, and the CRM the tool adds to is no company.
func TestPersonNameSplits(t *testing.T) {
	p := newTestPattern(t, crmTools()...)
	wantCalls(t, p, map[string]string{
		"Add Maria Lopez, maria@lopez.io, from Acme Corp to the CRM":                          "create_contact(first_name=Maria last_name=Lopez email=maria@lopez.io company=Acme Corp)",
		"Create a contact for john.smith@example.com named John Smith, phone +1 555 010 9988": "create_contact(first_name=John last_name=Smith email=john.smith@example.com)",
		"Add Wei Chen (wei@chen.dev) to the CRM":                                              "create_contact(first_name=Wei last_name=Chen email=wei@chen.dev)",
	}, "first_name", "last_name", "email", "company")
	// A company is no person.
	wantRefusal(t, p, "Add Acme Corp, info@acme.com, to the CRM", "first_name")
}

// TestCalledNameIsWhole: "a deal called Acme renewal worth 25000" was the deal "Acme"
// (the capitalised word); the name is what "called" introduces, up to what prices it.
func TestCalledNameIsWhole(t *testing.T) {
	p := newTestPattern(t, crmTools()...)
	wantCalls(t, p, map[string]string{
		"Open a deal called Acme renewal worth 25000": "create_deal(name=Acme renewal value=25000)",
		"Open a deal named Globex expansion for 5000": "create_deal(name=Globex expansion value=5000)",
		"Open a deal for Initech worth 12000":         "create_deal(name=Initech value=12000)",
	}, "name", "value")
}

// TestObjectNamesTheTool: "Log an expense of 300 for travel" went to log_call (its
// name holds the verb) and was refused for want of a contact; the tool whose name holds
// what the verb acts on (the head of its object, "expense", not "music" of "a music
// event") is the reading, and logging is what a tool that records does.
func TestObjectNamesTheTool(t *testing.T) {
	p := newTestPattern(t, append(crmTools(),
		testTool("record_expense", "Record a business expense",
			`{"type":"object","properties":{"amount":{"type":"number"},"category":{"type":"string","enum":["travel","meals","software","office","other"]},"date":{"type":"string","format":"date"}},"required":["amount","category"]}`),
		testTool("play_music", "Play music or a song",
			`{"type":"object","properties":{"query":{"type":"string","description":"Song or artist"}},"required":["query"]}`),
		testTool("find_events", "Find events such as concerts in a city",
			`{"type":"object","properties":{"city":{"type":"string"},"category":{"type":"string","enum":["music","theater","sports"]}},"required":["city"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"Log an expense of 300 for travel on 2026-11-28":    "record_expense(amount=300 category=travel date=2026-11-28)",
		"Log a call with maria@lopez.io: discussed pricing": "log_call(contact_email=maria@lopez.io notes=discussed pricing)",
		"Find a music event in Lisbon":                      "find_events(category=music city=Lisbon)",
	}, "amount", "category", "date", "contact_email", "notes", "city")
}
