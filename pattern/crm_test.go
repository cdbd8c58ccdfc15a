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
