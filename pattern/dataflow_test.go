package pattern

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// outTool is a test tool with an output schema.
func outTool(name, desc, in, out string) *tool.Tool {
	t := testTool(name, desc, in)
	t.OutputSchema = json.RawMessage(out)
	return t
}

var (
	sendSMSTool = testTool("send_sms", "Send an SMS text message right now to one phone number.",
		`{"type":"object","properties":{"to":{"type":"string","description":"Recipient phone number"},"message":{"type":"string","description":"Text of the message."}},"required":["to","message"]}`)
	sendEmailTool = testTool("send_email", "Send an e-mail.",
		`{"type":"object","properties":{"to":{"type":"string","description":"Recipient e-mail address"},"body":{"type":"string","description":"Body of the e-mail"}},"required":["to","body"]}`)
	scheduleSMSTool = testTool("schedule_sms", "Schedule an SMS text message to be sent later, at a given date and time.",
		`{"type":"object","properties":{"to":{"type":"string","description":"Recipient phone number"},"message":{"type":"string"},"send_at":{"type":"string","format":"date-time","description":"When to send it"}},"required":["to","message","send_at"]}`)
)

// TestNoWhenIsNow: "text +1 555 010 2020 that I'm late" was refused because
// schedule_sms (which fits "text" as well as send_sms does) had no send_at: a request
// that says no when asks for now. One that says when is scheduled, and a tool that lacks
// a time without being made to act later (setting an alarm) does not yield to a lookup.
func TestNoWhenIsNow(t *testing.T) {
	p := newTestPattern(t, scheduleSMSTool, sendSMSTool)
	wantCalls(t, p, map[string]string{
		"text +1 555 010 2020 that I'm late":                 "send_sms(to=+15550102020 message=I'm late)",
		"text +1 555 010 2020 tomorrow at 9am that I'm late": "schedule_sms(to=+15550102020 message=I'm late send_at=2026-11-27T09:00:00Z)",
	}, "to", "message", "send_at")
	wantRefusal(t, p, "schedule a text to +1 555 010 2020 saying hi", "send_at")

	alarms := newTestPattern(t,
		testTool("add_alarm", "Set a new alarm at a given time.",
			`{"type":"object","properties":{"time":{"type":"string","description":"Alarm time, HH:MM"},"label":{"type":"string"}},"required":["time"]}`),
		testTool("get_alarms", "List the alarms that are set.",
			`{"type":"object","properties":{}}`))
	if pl, err := alarms.Plan(t.Context(), planq.New("set a new alarm labeled 'Grocery run'")); err == nil {
		t.Errorf("planned %s, want a refusal (the alarm needs its time)", pl.JSON())
	}
}

// TestTextTheBalance: "check my savings balance and text it to ..." sent the currency
// alone (the output's one string field): when no field of the output is the text to pass
// on, the message gives each value with its name.
func TestTextTheBalance(t *testing.T) {
	p := newTestPattern(t, sendSMSTool,
		outTool("bank.get_balance", "Get the current balance of one of the user's bank accounts.",
			`{"type":"object","properties":{"account":{"type":"string","enum":["checking","savings"]}},"required":["account"]}`,
			`{"type":"object","properties":{"balance":{"type":"number"},"currency":{"type":"string"}}}`),
		outTool("get_directions", "Get driving directions to a destination.",
			`{"type":"object","properties":{"destination":{"type":"string","description":"Place to go to"}},"required":["destination"]}`,
			`{"type":"object","properties":{"summary":{"type":"string"},"distance_km":{"type":"number"}}}`))
	wantCalls(t, p, map[string]string{
		"check my savings balance and text it to +1 555 010 2020": "bank.get_balance(account=savings); send_sms(to=+15550102020 message=balance: ${s1.balance}, currency: ${s1.currency})",
		// A field that is the text (a summary) is passed on alone.
		"get directions to Dodger Stadium and text them to +1 555 010 3344": "get_directions(); send_sms(to=+15550103344 message=${s1.summary})",
	}, "account", "to", "message")
}

// TestSecondObjectNotTaken: "I'm going to Rome on the 20th: book me a flight from London
// and a room at Hotel Artemide for that night" booked a flight to "Hotel Artemide" and
// dropped the room: a conjunct that opens with a thing no step's tool names is a second
// object of the verb, whatever value of it a step took.
func TestSecondObjectNotTaken(t *testing.T) {
	p := newTestPattern(t,
		testTool("book_flight", "Book a flight for a specific date, from and to a specific location",
			`{"type":"object","properties":{"from":{"type":"string"},"to":{"type":"string"},"date":{"type":"string"}},"required":["from","to","date"]}`),
		testTool("book_hotel", "Book a specific hotel for a specific date",
			`{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string"}},"required":["name","date"]}`))
	wantRefusal(t, p, "I'm going to Rome on the 20th: book me a flight from London and a room at Hotel Artemide for that night", "also asks for")
	wantCalls(t, p, map[string]string{
		"book me a flight from London to Rome on the 20th": "book_flight(from=London to=Rome date=2026-12-20)",
	}, "from", "to", "date", "name")
}

// TestDictatedMessage: what a request dictates is the message, not a second request nor
// a search: "Text +1 555 010 2233: running 10 min late, start without me" planned "start
// without me" as a clause of its own; "Email jordan@example.com and tell him the contract
// is signed" split at "and tell"; "email ... that standup is cancelled" tied with the
// mailbox search.
func TestDictatedMessage(t *testing.T) {
	p := newTestPattern(t, sendSMSTool,
		sendEmailTool,
		testTool("search_email", "Search the user's mailbox for e-mails matching a query.",
			`{"type":"object","properties":{"query":{"type":"string","description":"Search words"}},"required":["query"]}`),
		testTool("vacuum.start", "Start the robot vacuum.", `{"type":"object","properties":{}}`))
	wantCalls(t, p, map[string]string{
		"Text +1 555 010 2233: running 10 min late, start without me":       "send_sms(to=+15550102233 message=running 10 min late, start without me)",
		"Email jordan.lee@example.com and tell him the contract is signed.": "send_email(to=jordan.lee@example.com body=the contract is signed)",
		"email team@example.com that standup is cancelled":                  "send_email(to=team@example.com body=standup is cancelled)",
		"text +1 555 010 2233 and let her know that I'm running late":       "send_sms(to=+15550102233 message=I'm running late)",
	}, "to", "message", "body")
}

// TestNamesAreNoValues: a function listing pasted into a request filled "dest" with
// "dest" and a list of CC addresses with quoted words: the name of a parameter is no
// value of it, and a parameter that takes e-mail addresses takes only those.
func TestNamesAreNoValues(t *testing.T) {
	p := newTestPattern(t,
		testTool("search_docs", "Search the documentation.",
			`{"type":"object","properties":{"query":{"type":"string","description":"Search words"}},"required":["query"]}`),
		testTool("send.message", "Sends an email message to the specified recipient.",
			`{"type":"object","properties":{"dest":{"type":"string","description":"The email address of the recipient"},"message":{"type":"string","description":"The body of the email message"}},"required":["dest","message"]}`),
		testTool("share_doc", "Share a document with people.",
			`{"type":"object","properties":{"doc":{"type":"string","description":"Document title"},"emails":{"type":"array","items":{"type":"string"},"description":"E-mail addresses to share it with"}},"required":["doc","emails"]}`))
	wantRefusal(t, p, "search the documentation for 'query'", "name of a parameter")
	wantRefusal(t, p, "send a message to Bob Smith saying hi", `needs "dest"`)
	wantRefusal(t, p, "share the doc 'Roadmap' with 'Bob' and 'Ann'", `needs "emails"`)
	wantCalls(t, p, map[string]string{
		"search the documentation for 'rate limits'":                       "search_docs(query=rate limits)",
		"share the doc 'Roadmap' with bob@example.com and ann@example.com": "share_doc(doc=Roadmap emails=[bob@example.com ann@example.com])",
	}, "query", "doc", "emails")
}

// TestPassOnWhatItRefersTo: "list my todos and email them to me at kim@example.com" tied
// with a mailbox search from kim@...: the reading that passes on what the clause refers
// to is the clause's, and a list is passed on as JSON. "save them to spending.txt"
// saved a note in the folder "spending.txt": a file is no folder, and a reading that
// leaves the file unused is none.
func TestPassOnWhatItRefersTo(t *testing.T) {
	p := newTestPattern(t,
		outTool("list_todos", "List the tasks on a to-do list.", `{"type":"object","properties":{}}`,
			`{"type":"object","properties":{"todos":{"type":"array","items":{"type":"object"}}}}`),
		sendEmailTool,
		testTool("search_email", "Search the user's mailbox for e-mails.",
			`{"type":"object","properties":{"from":{"type":"string","description":"Sender e-mail address"},"query":{"type":"string"}}}`),
		testTool("notes.create", "Save a new note in the user's notes app.",
			`{"type":"object","properties":{"content":{"type":"string"},"folder":{"type":"string"}},"required":["content"]}`))
	wantCalls(t, p, map[string]string{
		"list my todos and email them to me at kim@example.com": "list_todos(); send_email(to=kim@example.com body=todos: ${s1.todos})",
	}, "to", "body")
	wantRefusal(t, p, "list my todos and save them to spending.txt", "spending.txt")
}

// TestPastedListingIsNoRequest: a function listing pasted into a request ("<<function>>
// [{"name": ..., "description": "path to the directory to be listed"}]") filled
// parameters with its descriptions, names and enum values; a URL alone made "add a new
// sql server at http://plgah.ca" an HTTP request.
func TestPastedListingIsNoRequest(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("list_directory_contents", "List all the files and directories within the specified directory path.",
			`{"type":"object","properties":{"dir_path":{"type":"string","description":"The file system path to the directory"}},"required":["dir_path"]}`))...)
	wantRefusal(t, p, `List file in directory <<function>> [{"name": "Uber Carpool", "parameters": [{"name": "type", "enum": ["plus", "comfort"]}, {"name": "dir", "description": "path to the directory to be listed"}]}]`, "dir_path")
	wantRefusal(t, p, "add a new sql server at http://plgah.ca", "http_request")
	wantCalls(t, p, map[string]string{
		"list the files in the directory ~/projects": "list_directory_contents(dir_path=~/projects)",
		"fetch https://api.example.com/v1/status":    "http_request(url=https://api.example.com/v1/status)",
	}, "dir_path", "url")
}

// TestWorkByCreator: "play me cha cha cha by käärijä" played the artist and dropped the
// song; "play wrecking ball by Miley Cyrus" searched for "Miley Cyrus". A work named
// before "by <creator>" that no argument takes is no part of a plan that takes the
// creator: a search query takes both, a tool that takes only the artist is refused.
func TestWorkByCreator(t *testing.T) {
	artist := newTestPattern(t,
		testTool("play_artist", "Play music by an artist.",
			`{"type":"object","properties":{"artist_name":{"type":"string","description":"Name of the artist"}},"required":["artist_name"]}`))
	wantRefusal(t, artist, "play me cha cha cha by Käärijä", "cha cha cha")
	wantCalls(t, artist, map[string]string{"play something by Käärijä": "play_artist(artist_name=Käärijä)"}, "artist_name")
	search := newTestPattern(t,
		testTool("play_spotify_song", "Search for a song on Spotify and play it.",
			`{"type":"object","properties":{"query":{"type":"string","description":"The search query for the song"}},"required":["query"]}`))
	wantCalls(t, search, map[string]string{"play wrecking ball by Miley Cyrus": "play_spotify_song(query=wrecking ball by Miley Cyrus)"}, "query")
}

// TestNextSentenceAndSendVerbs: "What will the weather be in Vienna on Christmas Day?
// Send the forecast to oma@example.at" refused for want of the e-mail's content (the
// forecast, the previous sentence's result, passed on only after "then"); "convert 10 km
// to miles and whatsapp the answer to +44 ..." was one clause ("whatsapp" is no verb of
// the catalogue's).
func TestNextSentenceAndSendVerbs(t *testing.T) {
	p := newTestPattern(t,
		outTool("get_weather", "Get the weather forecast for a city on a date.",
			`{"type":"object","properties":{"location":{"type":"string","description":"City"},"date":{"type":"string","format":"date"}},"required":["location","date"]}`,
			`{"type":"object","properties":{"summary":{"type":"string"}}}`),
		testTool("send_email", "Send an e-mail.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Recipient e-mail address"},"content":{"type":"string","description":"Body of the e-mail"}},"required":["to","content"]}`),
		outTool("convert_units", "Convert a value from one unit to another.",
			`{"type":"object","properties":{"value":{"type":"number"},"from_unit":{"type":"string","description":"Unit to convert from, e.g. km"},"to_unit":{"type":"string","description":"Unit to convert to, e.g. miles"}},"required":["value","from_unit","to_unit"]}`,
			`{"type":"object","properties":{"result":{"type":"number"}}}`),
		testTool("send_whatsapp_message", "Send a WhatsApp message to a phone number.",
			`{"type":"object","properties":{"phone":{"type":"string","description":"Phone number"},"text":{"type":"string"}},"required":["phone","text"]}`))
	wantCalls(t, p, map[string]string{
		"What will the weather be in Vienna on Christmas Day? Send the forecast to oma@example.at": "get_weather(location=Vienna date=2026-12-25); send_email(to=oma@example.at content=${s1.summary})",
		"Convert 10 km to miles and whatsapp the answer to +44 7700 900777":                        "convert_units(value=10); send_whatsapp_message(phone=+447700900777 text=result: ${s1.result})",
	}, "location", "date", "to", "content", "value", "phone", "text")
}

// TestSpacingAndCaseDoNotChangeThePlan: "I  have ...", "i have ..." and "I have ..." are
// one request; the cache replays found the pattern planner planning them differently
// (the message cue " that " missed with two spaces, a lower-case "i" weighed as a word).
func TestSpacingAndCaseDoNotChangeThePlan(t *testing.T) {
	p := newTestPattern(t, sendSMSTool, scheduleSMSTool)
	want := callsOf(t, p, "text +1 555 010 2233 that I'm running late", "to", "message")
	if want != "send_sms(to=+15550102233 message=I'm running late)" {
		t.Fatalf("baseline: %s", want)
	}
	for _, req := range []string{
		"text  +1 555 010 2233   that  I'm running late",
		"text +1 555 010 2233 that i'm running late",
		"\ttext +1 555 010 2233\tthat I'm running late ",
	} {
		if got := strings.ReplaceAll(callsOf(t, p, req, "to", "message"), "i'm", "I'm"); got != want {
			t.Errorf("%q: %s, want %s", req, got, want)
		}
	}
}

// TestDanglingParameter: "list the server of type" listed every server: a clause that
// ends on a parameter's name after "of", "with" or "for" and gives it no value asks
// for a value it does not say.
func TestDanglingParameter(t *testing.T) {
	p := newTestPattern(t,
		testTool("list_servers", "List the servers of a type.",
			`{"type":"object","properties":{"type":{"type":"string","description":"Server type, e.g. postgres"}}}`))
	wantRefusal(t, p, "list the server of type", "type")
	wantCalls(t, p, map[string]string{
		"list the servers":                  "list_servers()",
		"list the servers of type postgres": "list_servers(type=postgres)",
	}, "type")
}

// TestValueOnly: "3 degree" rotated an image by 3 degrees: a clause that is a value and
// its unit, with no verb and no other word, asks for nothing.
func TestValueOnly(t *testing.T) {
	p := newTestPattern(t,
		testTool("rotateImageAction", "Rotate an image by a number of degrees.",
			`{"type":"object","properties":{"degrees":{"type":"integer","description":"Degrees to rotate"}},"required":["degrees"]}`))
	wantRefusal(t, p, "3 degree", "asks for nothing")
	wantCalls(t, p, map[string]string{"rotate the image by 90 degrees": "rotateImageAction(degrees=90)"}, "degrees")
}

// TestAlternativesTakeAnEarlierField: "Search Instagram id for Beyonce and retrieve her
// followers" was refused: a parameter named for alternatives ("username_or_id_or_url")
// takes an earlier step's output field named as any of them. And NESTFUL's Instagram
// tools, which mark only their optional parameters, need the user: "the latest
// Instagram post by Bella Hadid" listed whose followings, of nobody (no arguments).
func TestAlternativesTakeAnEarlierField(t *testing.T) {
	reg := loadRegistry(t, filepath.Join(sharedData(t), "nestful", "executable-spec.json"))
	p := NewPattern(reg, WithClock(testNow))
	wantCalls(t, p, map[string]string{
		"Search Instagram id for Beyonce and retrieve her followers.": "Instagram_Search_User(search_query=Beyonce); Instagram_Followers(username_or_id_or_url=${s1.id})",
	}, "search_query", "username_or_id_or_url")
	if pl, err := p.Plan(t.Context(), planq.New("Get the number of likes on the latest Instagram post by Bella Hadid.")); err == nil {
		for _, st := range pl.Steps {
			if strings.HasPrefix(st.Tool, "Instagram_") && st.Tool != "Instagram_Search_User" && st.Args["username_or_id_or_url"] == nil {
				t.Errorf("planned %s: %s takes no user", pl.JSON(), st.Tool)
			}
		}
	}
}
