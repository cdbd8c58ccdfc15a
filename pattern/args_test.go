package pattern

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// TestTargetLanguage: "translate 'good morning' from English to German" gave the
// application ID "German" and the target language English: "tgt_lang" is the target (an
// abbreviation names the role as well as the word), and an identifier written as one
// word ("appid") takes a code, never a language's name.
func TestTargetLanguage(t *testing.T) {
	p := newTestPattern(t, testTool("get_translation", "Translate text from one language to another using the BAIDU Translate API.",
		`{"type":"object","properties":{"text":{"type":"string","description":"The text to translate."},"tgt_lang":{"type":"string","description":"The code of the target language to translate to, such as 'en' for English or 'da' for Danish."},"appid":{"type":"string","description":"The application ID provided by BAIDU.","default":"exampleAppID"}},"required":["text","tgt_lang"]}`))
	wantCalls(t, p, map[string]string{
		"translate 'good morning' from English to German":                          "get_translation(text=good morning tgt_lang=de)",
		"translate this English text to Danish: 'The quick brown fox jumps over.'": "get_translation(text=The quick brown fox jumps over. tgt_lang=da)",
	}, "text", "tgt_lang", "appid")
}

// TestCoordinatesInAxisOrder: "Move 'pointA' to 2,3,4" moved to y 4 and z 3 (z is
// required, y optional, and the required one took the earlier number): unlabelled
// coordinates fill x, y, z in the order written, labelled ones by their labels. (The
// quoted 'pointA', which no parameter takes, now refuses that request:
// TestQuotedObjectIsNotDropped.)
func TestCoordinatesInAxisOrder(t *testing.T) {
	p := newTestPattern(t, testTool("move_to", "Move an object to a specified 3D coordinate (x, y, z).",
		`{"type":"object","properties":{"x":{"type":"integer","description":"The x coordinate (horizontal axis) to move to."},"y":{"type":"integer","description":"The y coordinate (vertical axis) to move to.","default":0},"z":{"type":"integer","description":"The z coordinate (depth axis) to move to."}},"required":["x","z"]}`))
	wantCalls(t, p, map[string]string{
		"move it to 2,3,4":                    "move_to(x=2 y=3 z=4)",
		"move the object to 2, 3, 4":          "move_to(x=2 y=3 z=4)",
		"move the object to y 3, x 2 and z 4": "move_to(x=2 y=3 z=4)",
		"move it to z = 4, x = 2 and y = 3":   "move_to(x=2 y=3 z=4)",
	}, "x", "y", "z")
}

// TestWithAnActorIsNoTitle: "something with Bruce Willis in it" played the movie titled
// "Bruce Willis", and "play an action movie" the one titled "action movie": a name after
// "with", "starring" or "by" is who is in a work or made it, and an indefinite object or
// its qualifier a kind of work; neither is a title, and with none given, playing one is
// refused.
func TestWithAnActorIsNoTitle(t *testing.T) {
	p := newTestPattern(t, testTool("play_movie", "Stream the selected movie online.",
		`{"type":"object","properties":{"title":{"type":"string","description":"The title of a movie to stream."}},"required":["title"]}`))
	wantRefusal(t, p, "play a movie with Bruce Willis", "title")
	wantRefusal(t, p, "play an action movie", "title")
	wantRefusal(t, p, "watch a comedy movie tonight", "title")
	wantRefusal(t, p, "I feel like watching an action movie, maybe something starring Bruce Willis", "title")
	wantCalls(t, p, map[string]string{
		"play Die Hard": "play_movie(title=Die Hard)",
		"play the movie Die Hard with Bruce Willis": "play_movie(title=Die Hard)",
	}, "title")
}

// TestNameSaysWhatItNames: "I want to go to an IMAX show at 3rd Street Cinema" listed the
// movies in the city "IMAX show" at the cinema "Street Cinema": "3rd Street Cinema" is one
// name, a name's last word says which parameter it fills (a cinema, not the city), and
// an indefinite phrase ("an IMAX show") names no city; with no city, it is refused.
func TestNameSaysWhatItNames(t *testing.T) {
	p := newTestPattern(t, testTool("get_movies", "Retrieves a list of movies playing in a specified city, cinema hall, and date.",
		`{"type":"object","properties":{"city":{"type":"string","description":"The city where the movies are being screened, such as 'Noida' or 'Indore'."},"cinema_hall":{"type":"string","description":"The name of the cinema hall, for example 'PVR Logix'."}},"required":["city"]}`))
	wantRefusal(t, p, "I want to go to an IMAX show at 3rd Street Cinema.", "city")
	wantCalls(t, p, map[string]string{
		"Are there any movies at 3rd Street Cinema in Union City?": "get_movies(city=Union City cinema_hall=3rd Street Cinema)",
		"list the movies playing at the Regal Cinema in Noida":     "get_movies(city=Noida cinema_hall=Regal Cinema)",
	}, "city", "cinema_hall")
}

// TestChannelAsVerb: "email hr@acme.io with subject Vacation ..." searched the mailbox
// (search_email named "email" and took the address as the sender): a channel that opens
// a request as its verb sends by that channel; "email from Dana" is no verb.
func TestChannelAsVerb(t *testing.T) {
	p := newTestPattern(t, sendEmailTool,
		testTool("search_email", "Search the mailbox for e-mails.",
			`{"type":"object","properties":{"query":{"type":"string","description":"Words to search for"},"from":{"type":"string","description":"Sender e-mail address"}},"required":["query"]}`))
	wantCalls(t, p, map[string]string{
		"email the options to me at sam@example.com": "send_email(to=sam@example.com body=options)",
	}, "to", "body")
	if !channelVerb("please email Dana the agenda") || channelVerb("email from Dana about the budget") || channelVerb("emails in my inbox") {
		t.Error("channelVerb: want a verb in \"please email Dana the agenda\" only")
	}
}

// TestShortNumberIsNoPhone: "look up Maria's number and text her that dinner's at 8"
// texted "8": a parameter for a phone number takes no number of a few digits.
func TestShortNumberIsNoPhone(t *testing.T) {
	p := newTestPattern(t, sendSMSTool)
	wantRefusal(t, p, "text her that dinner's at 8", "to")
	wantCalls(t, p, map[string]string{
		"text 5550199 that dinner's at 8": "send_sms(to=5550199 message=dinner's at 8)",
	}, "to", "message")
}

// TestByAnArtistIsNoSongName: "play a romantic song by Queen on my TV" played the song
// named "Queen": a work's name ("song_name") is a title too; the artist given, the song is
// looked up first.
func TestByAnArtistIsNoSongName(t *testing.T) {
	p := newTestPattern(t,
		outTool("Music.LookupSong", "Search for a song",
			`{"type":"object","properties":{"genre":{"type":"string","description":"Genre of the song"},"artist":{"type":"string","description":"Artist who performed the song"}}}`,
			`{"type":"object","properties":{"song_name":{"type":"string","description":"Name of the song"},"artist":{"type":"string"}}}`),
		testTool("Music.PlaySong", "Play the selected song on the device",
			`{"type":"object","properties":{"song_name":{"type":"string","description":"Name of the song"},"artist":{"type":"string","description":"Artist who performed the song"},"playback_device":{"type":"string","enum":["TV","Kitchen speaker"],"default":"TV"}},"required":["song_name"]}`))
	wantCalls(t, p, map[string]string{
		"I want to play a romantic song by Queen on my TV": "Music.LookupSong(artist=Queen); Music.PlaySong(song_name=${s1.song_name} artist=Queen)",
		"play Bohemian Rhapsody by Queen":                  "Music.PlaySong(song_name=Bohemian Rhapsody artist=Queen)",
	}, "song_name", "artist")
}

// TestConvertCurrencies: "convert 300 USD to JPY" was refused (convert_currency's
// "from" and "to" say nothing of currencies; its description does): a converter's from
// and to take the currencies the clause names, and the amount's currency is the one
// converted from wherever it stands ("how many yen do I get for 300 dollars").
func TestConvertCurrencies(t *testing.T) {
	p := NewPattern(loadRegistry(t, "../eval/cases/catalogs/money.yaml"), WithClock(testNow))
	wantCalls(t, p, map[string]string{
		"convert 300 USD to JPY":                "convert_currency(amount=300 from=USD to=JPY)",
		"how many yen do I get for 300 dollars": "convert_currency(amount=300 from=USD to=JPY)",
		"what's 100 GBP in euros":               "convert_currency(amount=100 from=GBP to=EUR)",
	}, "amount", "from", "to")
	wantRefusal(t, p, "convert 300 dollars", "needs")
}

// TestTheReadingThatTakesTheDate: "will it snow in Denver on Saturday?" fitted the
// forecast and the current weather about equally and was refused: the current weather
// has no date to take, so of the two close readings the forecast, which takes the day,
// is the clause's. A tool with a date of its own that took another one is no such case:
// "the weather for today April 25th" fits both forecast tools equally.
func TestTheReadingThatTakesTheDate(t *testing.T) {
	current := testTool("get_weather", "Current weather conditions (temperature, sky, wind) in a city right now.",
		`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}`)
	forecast := testTool("get_weather_forecast", "Weather forecast for a city on a future date (up to 10 days ahead).",
		`{"type":"object","properties":{"location":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["location","date"]}`)
	air := airQualityTool()
	sms := testTool("send_sms", "Send a text message to a phone number.",
		`{"type":"object","properties":{"to":{"type":"string"},"message":{"type":"string"}},"required":["to","message"]}`)
	p := newTestPattern(t, append(tool.Builtins(), current, forecast, air, sms)...)
	wantCalls(t, p, map[string]string{
		"will it snow in Denver on Saturday?": "get_weather_forecast(location=Denver date=2026-11-28)",
	}, "location", "date")
	ranged := testTool("weather_range", "Weather forecast for a city between two dates.",
		`{"type":"object","properties":{"location":{"type":"string"},"start_date":{"type":"string","format":"date"},"end_date":{"type":"string","format":"date"}},"required":["location","start_date"]}`)
	wantRefusal(t, newTestPattern(t, append(tool.Builtins(), forecast, ranged, air, sms)...), "What's the weather forecast for Palo Alto for today April 25th 2027?", "about equally")
}

// TestTheCloseReadingThatTakesTheDateLeads: of two close readings, the one that takes
// every date of the clause leads even when the other ranks a little higher: a search
// for routes with no date is not what "... on March 14th" asks for.
func TestTheCloseReadingThatTakesTheDateLeads(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("find_bus_routes", "Find bus routes, trips and itineraries between two cities.",
			`{"type":"object","properties":{"from_city":{"type":"string"},"to_city":{"type":"string"}},"required":["from_city","to_city"]}`),
		testTool("find_bus", "Search for a bus itinerary between two cities on a date.",
			`{"type":"object","properties":{"from_city":{"type":"string"},"to_city":{"type":"string"},"departure_date":{"type":"string","format":"date"}},"required":["from_city","to_city","departure_date"]}`),
		airQualityTool())...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow), WithMargin(0.8))
	wantCalls(t, p, map[string]string{
		"find bus itineraries and trips from Philadelphia to New York City on March 14th": "find_bus(from_city=Philadelphia to_city=New York City departure_date=2027-03-14)",
		"find bus itineraries and trips from Philadelphia to New York City":               "find_bus_routes(from_city=Philadelphia to_city=New York City)",
	}, "from_city", "to_city", "departure_date")
}

// TestNoReadingThatDropsTheAmount: "send $40 to jamie@example.com for the concert
// tickets" was refused because send_email, which its words fit better, had no body: a
// tool with no parameter for the amount the clause gives is no reading of it, so the
// payment that takes every value is served. A payment "on Friday" by a tool that takes
// no date would be made now: refused.
func TestNoReadingThatDropsTheAmount(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("send_email", "Send an email to one or more recipients.",
			`{"type":"object","properties":{"to":{"type":"string","format":"email"},"subject":{"type":"string"},"body":{"type":"string"}},"required":["to","subject","body"]}`),
		testTool("send_money", "Send money to a contact by email or phone number.",
			`{"type":"object","properties":{"recipient":{"type":"string","description":"Email or phone number of the recipient"},"amount":{"type":"number"},"currency":{"type":"string","default":"USD"}},"required":["recipient","amount"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"send $40 to jamie@example.com for the concert tickets": "send_money(recipient=jamie@example.com amount=40)",
	}, "recipient", "amount")
	wantRefusal(t, p, "send $40 to jamie@example.com on Friday", "cannot wait for")

	// "send twenty dollars to +1 555 010 5151" named no money (an amount is money,
	// which the tools that move it call so), and over the office catalogues send_sms,
	// which its words fit a little better and which has no parameter for the amount,
	// was no reading of it.
	p = officePattern(t)
	wantCalls(t, p, map[string]string{
		"send twenty dollars to +1 555 010 5151": "send_money(recipient=+15550105151 amount=20)",
	}, "recipient", "amount")
}

// TestFilesOfAnExtension: "find all the .csv files under /data/exports" was refused
// (the pattern parameter took the whole request), and "find PDFs in ~/Documents"
// searched for the pattern "PDFs": the files of an extension a request names are a
// glob, "*.csv", and the words that named them fill no other parameter (an exclusion).
func TestFilesOfAnExtension(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("search_files", "Recursively search a directory for files and directories whose names match a glob pattern (case-insensitive).",
			`{"type":"object","properties":{"path":{"type":"string","description":"Directory to search from."},"pattern":{"type":"string","description":"Name pattern, e.g. *.pdf or *invoice*"},"excludePatterns":{"type":"array","items":{"type":"string"}}},"required":["path","pattern"]}`),
		testTool("read_file", "Read the complete contents of a file.",
			`{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}`))...)
	wantCalls(t, p, map[string]string{
		"find all the .csv files under /data/exports": "search_files(path=/data/exports pattern=*.csv)",
		"find PDFs in ~/Documents":                    "search_files(path=~/Documents pattern=*.pdf)",
		"search /var/log for log files":               "search_files(path=/var/log pattern=*.log)",
		"find *.go files in /src":                     "search_files(path=/src pattern=*.go)",
	}, "path", "pattern", "excludePatterns")
	wantRefusal(t, p, "find my files in ~/Documents", "pattern")
}

// TestToDoList: "what's on my to-do list" matched no tool: the request's "to-do" was
// read as "to" and "do" where the tool's text was read as "todo". And "... and block
// Thursday at 9:00 for it on my calendar" is a second step (block is a verb), not the
// to-do's due date with the rest dropped.
func TestToDoList(t *testing.T) {
	p := officePattern(t)
	wantCalls(t, p, map[string]string{
		"what's on my to-do list":       "list_todos()",
		"add buy milk to my to-do list": "create_todo(title=buy milk)",
	}, "title")
	wantRefusal(t, p, "Add 'call plumber' to my to-do list and block Thursday at 9:00 for it on my calendar", "block Thursday")
}

// TestDurationInTheParametersUnit: "find me a free hour on Dec 8" was refused for want
// of duration_minutes: "an hour", "half an hour" are durations, and a count parameter
// named for a unit takes a duration in that unit (60 minutes), when it is whole in it.
// "min_age" counts no minutes.
func TestDurationInTheParametersUnit(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("find_free_slot", "Find the first free slot of a given length in the calendar on a date.",
			`{"type":"object","properties":{"date":{"type":"string","format":"date"},"duration_minutes":{"type":"integer","minimum":5}},"required":["date","duration_minutes"]}`),
		testTool("set_timer", "Start a countdown timer.",
			`{"type":"object","properties":{"minutes":{"type":"integer","minimum":1}},"required":["minutes"]}`),
		testTool("find_sitter", "Find a babysitter in a city, of a minimum age.",
			`{"type":"object","properties":{"city":{"type":"string"},"min_age":{"type":"integer"}},"required":["city"]}`))...)
	wantCalls(t, p, map[string]string{
		"find me a free hour on Dec 8":        "find_free_slot(date=2026-12-08 duration_minutes=60)",
		"find half an hour free on Dec 9":     "find_free_slot(date=2026-12-09 duration_minutes=30)",
		"set a timer for half an hour":        "set_timer(minutes=30)",
		"set a timer for 2 hours":             "set_timer(minutes=120)",
		"set a timer for 20 minutes":          "set_timer(minutes=20)",
		"find a sitter in Boston for 2 hours": "find_sitter(city=Boston)",
	}, "date", "duration_minutes", "minutes", "city", "min_age")
	wantRefusal(t, p, "set a timer for 90 seconds", "minutes")
}

// TestNamedFolder: "what's in the Downloads folder" was refused for want of a path: a
// directory parameter takes the folder a clause names as "the X folder" (as written);
// "this folder" names none, and a file's path takes no folder.
func TestNamedFolder(t *testing.T) {
	p := officePattern(t)
	wantCalls(t, p, map[string]string{
		"what's in the Downloads folder":    "list_directory(path=Downloads)",
		"find PDFs in the Documents folder": "search_files(path=Documents pattern=*.pdf)",
	}, "path", "pattern")
	wantRefusal(t, p, "what's in this folder", "")
	wantRefusal(t, p, "read the notes folder", "path")
}

// TestJoiningIsAttending: "join the online meeting on onboarding" fitted attending and
// organizing about equally and was refused: joining is attending, and of two tools of
// one family, the one that does not do what the clause's verb says is no reading of it.
// "a Cartoon movie" is a kind of movie, not one titled "Cartoon".
func TestJoiningIsAttending(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("organize_meeting_online", "Organize a meeting online about a specific topic",
			`{"type":"object","properties":{"topic":{"type":"string","description":"The topic of the meeting"}},"required":["topic"]}`),
		testTool("attend_meeting_online", "Attend a meeting online about a specific topic",
			`{"type":"object","properties":{"topic":{"type":"string","description":"The topic of the meeting"}},"required":["topic"]}`),
		testTool("play_movie_by_title", "Play a specific movie by title",
			`{"type":"object","properties":{"title":{"type":"string","description":"The title of the movie to play"}},"required":["title"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"join the online meeting on onboarding":   "attend_meeting_online(topic=onboarding)",
		"attend the online meeting about hiring":  "attend_meeting_online(topic=hiring)",
		"organize an online meeting about hiring": "organize_meeting_online(topic=hiring)",
		"play the movie Inception":                "play_movie_by_title(title=Inception)",
	}, "topic", "title")
	wantRefusal(t, p, "play a Cartoon movie", "title")
}

// TestSharedLastWordSaysNothing: "get a Smartphone Insurance from ABC Insurance" bought
// the insurance "ABC Insurance" from the company "Smartphone Insurance": both names end
// in "Insurance", which also describes the company ("the insurance company"), so the
// last word says nothing and "from" gives the company.
func TestSharedLastWordSaysNothing(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("buy_insurance", "Buy a specific insurance from a specific insurance company",
			`{"type":"object","properties":{"insurance":{"type":"string","description":"The insurance to buy"},"company":{"type":"string","description":"The insurance company to buy the insurance from"}},"required":["insurance","company"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"get a Smartphone Insurance from ABC Insurance":     "buy_insurance(insurance=Smartphone Insurance company=ABC Insurance)",
		"get a Smartphone Insurance from Best Insurance Co": "buy_insurance(insurance=Smartphone Insurance company=Best Insurance Co)",
	}, "insurance", "company")
}

// TestPronounForANamedPet: "log Max's weight: 31 kg and book him at the vet" logged the
// weight of "Max's" and refused the booking for want of a pet: a possessive before a noun
// is the name's ("Max's weight": Max; "Luigi's for 2" keeps it), and "him" is the pet the
// step before named in a parameter of the same name. Two named before: a guess, refused.
func TestPronounForANamedPet(t *testing.T) {
	p := catalogPattern(t, "testdata/pets.json")
	wantCalls(t, p, map[string]string{
		"log Max's weight: 31 kg and book him at the vet on Dec 9 at 9:00": "log_pet_weight(pet_name=Max weight_kg=31); vet_book_appointment(pet_name=Max date=2026-12-09 time=09:00)",
		"book Luna at the vet on Dec 9 at 9:00 and log her weight: 4 kg":   "vet_book_appointment(pet_name=Luna date=2026-12-09 time=09:00); log_pet_weight(pet_name=Luna weight_kg=4)",
	}, "pet_name", "weight_kg", "date", "time")
	wantRefusal(t, p, "log Max's weight: 31 kg, Luna's weight: 4 kg, and book her at the vet on Dec 9 at 9:00", "pet_name")
}

// TestSecondItemOfACommaList: "log Max's weight: 31 kg, Luna's weight: 4 kg" logged
// Max's weight and dropped Luna's: a value after the last comma of a kind a step took
// before it, which no step takes, is a second item the plan would drop, as after "and".
// Said as a second set of the first one's values, it is a second step of the same
// instruction (see TestInstructionSaidOnceForTwoSets).
func TestSecondItemOfACommaList(t *testing.T) {
	p := catalogPattern(t, "testdata/pets.json")
	wantRefusal(t, p, "log Max's weight: 31 kg, Luna is 4 kg", "4")
	wantCalls(t, p, map[string]string{
		"log Max's weight: 31 kg, Luna's weight: 4 kg": "log_pet_weight(pet_name=Max weight_kg=31); log_pet_weight(pet_name=Luna weight_kg=4)",
	}, "pet_name", "weight_kg")
	wantCalls(t, p, map[string]string{
		"order 2 bags of Acana, please": "order_pet_food(brand=Acana bags=2)",
	}, "brand", "bags")
	mul := newTestPattern(t, append(tool.Builtins(), testTool("multiply", "Multiply two numbers.",
		`{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}`))...)
	wantRefusal(t, mul, "Multiply the numbers [5, 9, 2]", "2")
}

// TestUmbrellaAndTaxi: "will I need an umbrella in Seattle on Friday" matched no tool
// (an umbrella is a question about the weather), and a ride is a taxi, either way.
func TestUmbrellaAndTaxi(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_weather_forecast", "Weather forecast for a city on a future date (up to 10 days ahead).",
			`{"type":"object","properties":{"location":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["location","date"]}`),
		testTool("ride.request", "Order a ride (car with driver) now from a pickup point to a drop-off.",
			`{"type":"object","properties":{"pickup":{"type":"string"},"dropoff":{"type":"string","minLength":1}},"required":["dropoff"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"will I need an umbrella in Seattle on Friday": "get_weather_forecast(location=Seattle date=2026-11-27)",
		"get me a taxi to Union Station":               "ride.request(dropoff=Union Station)",
	}, "location", "date", "dropoff")
}

// officePattern is the pattern planner over the office case catalogues (messaging,
// calendar, files, money) and the built-ins, as `eval plans` offers them.
func officePattern(t *testing.T) *Pattern {
	t.Helper()
	return catalogPattern(t, "../eval/cases/catalogs/messaging.yaml", "../eval/cases/catalogs/calendar.yaml",
		"../eval/cases/catalogs/files.yaml", "../eval/cases/catalogs/money.yaml")
}

// catalogPattern is the pattern planner over the tool files at paths and the built-ins,
// as `plan --tools` offers them.
func catalogPattern(t *testing.T, paths ...string) *Pattern {
	t.Helper()
	ts, err := tool.LoadPaths(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return newTestPattern(t, append(tool.Builtins(), ts...)...)
}

// airQualityTool is a tool of another domain, so that a test's catalogue is not made of
// the tools it tells apart alone (the index weighs words by how few tools use them).
func airQualityTool() *tool.Tool {
	return testTool("get_air_quality", "Current air quality index in a city.",
		`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}`)
}

// TestExampleListEndsAtSemicolon: "Room name, e.g. kitchen, living room, bedroom; every
// room when left out" lists bedroom as an example. The list ran on past the semicolon,
// so "bedroom; every room when left out" was no example, "the bedroom lights" lost its
// room, and the plan turned on the lights of every room.
func TestExampleListEndsAtSemicolon(t *testing.T) {
	if got := exampleValues("Room name, e.g. kitchen, living room, bedroom; every room when left out"); !slices.Equal(got, []string{"kitchen", "bedroom"}) {
		t.Errorf("exampleValues: %v, want [kitchen bedroom]", got)
	}
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("lights.turn_on", "Turn on the lights in a room, optionally at a brightness (percent).",
			`{"type":"object","properties":{"room":{"type":"string","description":"Room name, e.g. kitchen, living room, bedroom; every room when left out"},"brightness":{"type":"integer","minimum":1,"maximum":100}}}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"turn on the bedroom lights":           "lights.turn_on(room=bedroom)",
		"dim the bedroom lights to 20 percent": "lights.turn_on(room=bedroom brightness=20)",
	}, "room", "brightness")
}

// TestUnusedEnumValueRefuses: "turn on the garage lights" over a catalogue where
// "garage" is a door of the locks was served as lights.turn_on{} (every room): the
// clause names a value the lights do not take. A value the plan takes, or one inside an
// argument, or a verb that is also an enum value ("put", an HTTP method), refuses nothing.
func TestUnusedEnumValueRefuses(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/home_media.yaml")
	wantRefused(t, p, "turn on the garage lights")
	wantCalls(t, p, map[string]string{
		"lock the garage door":           "locks.lock(door=garage)",
		"put on the movie Spirited Away": "play_movie(title=Spirited Away)",
		"turn on the bedroom lights":     "lights.turn_on(room=bedroom)",
	}, "door", "title", "room")
}

// TestNounOpeningDescriptionIsNoVerb: get_weather_forecast's description opens with
// "Weather", and the first word of a description was taken for the tool's verb; "weather
// in Lyon right now" then asked for a forecast (refused for want of a date), and the
// current weather could not be planned at all. A description's first word that the
// tool's name holds after its verb names a thing; a base verb stays a verb.
func TestNounOpeningDescriptionIsNoVerb(t *testing.T) {
	for _, c := range []struct {
		name, desc string
		verb       bool
	}{
		{"get_weather_forecast", "Weather forecast for a city on a future date.", false},
		{"search_flights", "Flights between two cities.", false},
		{"book_flight", "Book a flight.", true},
		{"order_status_check", "Check the current status of an order.", true},
		{"create_reminder", "Remind the user about something.", true},
		{"Movies_1_FindMovies", "Find movies by location.", true},
	} {
		if _, got := descVerb(c.name, c.desc); got != c.verb {
			t.Errorf("descVerb(%s, %q) = %v, want %v", c.name, c.desc, got, c.verb)
		}
	}
	p := catalogPattern(t, "../eval/cases/catalogs/travel_food.yaml", "../eval/cases/catalogs/messaging.yaml")
	wantCalls(t, p, map[string]string{
		"what's the weather in Lyon right now":                      "get_weather(location=Lyon)",
		"weather in Lyon tomorrow":                                  "get_weather_forecast(location=Lyon)",
		"Weather in Lyon right now, and text it to +1 555 010 2233": "get_weather(location=Lyon); send_sms(to=+15550102233)",
	}, "location", "to")
	// Asked about now and about tomorrow, with the forecast dated tomorrow: the plan
	// would drop the current weather.
	wantRefusal(t, p, "the weather in Lyon now and the forecast for tomorrow", `also asks for "the weather in Lyon now"`)
}

// TestContentsPassedOn: "email the contents to bob@example.com" after reading a file
// sent the word "contents" as the body; "the contents" refers back to what the file
// held. "the contents of notes/todo.txt" with no step that reads it sent the words as
// the body: refused.
func TestContentsPassedOn(t *testing.T) {
	p := officePattern(t)
	wantCalls(t, p, map[string]string{
		"read notes/todo.txt and email the contents to bob@example.com":    "read_file(path=notes/todo.txt); send_email(to=bob@example.com body=${s1.content})",
		"read notes/todo.txt and email its contents to bob@example.com":    "read_file(path=notes/todo.txt); send_email(to=bob@example.com body=${s1.content})",
		"email bob@example.com saying the contents of the box are fragile": "send_email(to=bob@example.com body=the contents of the box are fragile)",
	}, "path", "to", "body")
	wantRefusal(t, p, "email the contents of notes/todo.txt to bob@example.com", "contents of notes/todo.txt, which no step reads")
	wantRefusal(t, p, "send the contents of report.txt to #general on slack", "contents of report.txt, which no step reads")
}

// TestEpisodeOfAShow: "play the latest episode of The Daily" gave the episode "The
// Daily" and the show "latest episode of The Daily" (the parameter's word before "of"
// drew the name to it), and "play episode 12 of Serial" played the latest episode of
// Serial: a number right after a parameter's name that the plan takes nowhere is refused.
func TestEpisodeOfAShow(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/home_media.yaml")
	wantCalls(t, p, map[string]string{
		"play the latest episode of The Daily": "play_podcast(show=The Daily)",
		"play the newest episode of Radiolab":  "play_podcast(show=Radiolab)",
		"play The Daily podcast":               "play_podcast(show=The Daily)",
		"set the volume to 30":                 "media.set_volume(level=30)",
	}, "show", "episode", "level")
	wantRefusal(t, p, "play episode 12 of Serial", "gives episode 12, which the plan does not take")
}

// TestLocksActLater: "lock" and "unlock" were no verbs, so locks.lock ("Lock one of the
// smart door locks") read as a tool that names what it gives, and tools that give things
// may be asked about any time: "unlock the front door at 5pm" unlocked it now, and "show
// me the front door lock" locked it. A shift from now is no relock delay ("Unlock the
// front door in 10 minutes" unlocked it now, to relock in 10), and a moment of the day
// no clock time names is still a time ("at sunset" was a room).
func TestLocksActLater(t *testing.T) {
	p := catalogPattern(t, "../eval/cases/catalogs/home_media.yaml")
	for req, why := range map[string]string{
		"unlock the front door at 5pm":        "asks for it at 5pm, which locks.unlock cannot wait for",
		"lock the back door tomorrow":         "asks for it tomorrow, which locks.lock cannot wait for",
		"show me the front door lock":         "asks to see something, and locks.lock acts",
		"Unlock the front door in 10 minutes": "asks for it in 10 minutes, which locks.unlock cannot wait for",
		"turn on the porch light at sunset":   "asks for it at sunset, which lights.turn_on cannot wait for",
		"lock the front door at bedtime":      "asks for it at bedtime",
	} {
		wantRefusal(t, p, req, why)
	}
	wantCalls(t, p, map[string]string{
		"lock the front door":                 "locks.lock(door=front)",
		"unlock the side door for 10 minutes": "locks.unlock(door=side relock_after_minutes=10)",
		"turn on the lights in the hallway":   "lights.turn_on(room=hallway)",
	}, "door", "relock_after_minutes", "room")
}

// TestCodeAndWarehouseOfAShop: over a shop's own tools, "is SKU TSHIRT-M in stock" gave
// the sku "SKU TSHIRT-M" (the label is not the code), "check stock of SKU MUG-02 at the
// north warehouse" checked the default warehouse (north is none of east, west and
// central), and "... to 12 Oak St, Springfield" shipped to 12 Oak St with no town. A qualifier that is one of the values, a longer name and a rating scale
// refuse nothing.
func TestCodeAndWarehouseOfAShop(t *testing.T) {
	inventory := testTool("check_inventory", "Check stock of a product SKU at a warehouse.",
		`{"type":"object","properties":{"sku":{"type":"string"},"warehouse":{"type":"string","enum":["east","west","central"]}},"required":["sku"]}`)
	refund := testTool("issue_refund", "Refund an order, fully or partly (amount in USD).",
		`{"type":"object","properties":{"order_number":{"type":"string"},"amount":{"type":"number"}},"required":["order_number"]}`)
	address := testTool("update_shipping_address", "Change the shipping address of an order that has not shipped yet.",
		`{"type":"object","properties":{"order_number":{"type":"string"},"address":{"type":"string"}},"required":["order_number","address"]}`)
	p := newTestPattern(t, append(tool.Builtins(), inventory, refund, address, airQualityTool())...)
	wantCalls(t, p, map[string]string{
		// The town after the street is the address's: it was dropped.
		"change the address of order A-55821 to 12 Oak St, Springfield": "update_shipping_address(order_number=A-55821 address=12 Oak St, Springfield)",
		"is SKU TSHIRT-M in stock in the west warehouse":                "check_inventory(sku=TSHIRT-M warehouse=west)",
		"check stock of SKU MUG-02":                                     "check_inventory(sku=MUG-02)",
		"refund order A-55821":                                          "issue_refund(order_number=A-55821)",
	}, "sku", "warehouse", "order_number", "address")
	wantRefusal(t, p, "check stock of SKU MUG-02 at the north warehouse", "names the north warehouse, which is not one of east, west, central")
}

// TestIssueInAProject: over an issue tracker's own tools, "a high priority bug in WEB:
// login button does nothing on Safari" went to the project Safari ("in WEB" read as a
// place), and once WEB was the project, Safari became the title or the assignee: a name
// in the text after a colon, or inside a title, is a word of it, and what an issue is in
// may be the project the parameter names ("e.g. WEB, API").
func TestIssueInAProject(t *testing.T) {
	create := testTool("issues.create", "Create an issue in a project.",
		`{"type":"object","properties":{"project":{"type":"string","description":"Project key, e.g. WEB, API"},"title":{"type":"string","minLength":1},"priority":{"type":"string","enum":["low","medium","high","critical"]},"assignee":{"type":"string","description":"Username of the assignee"}},"required":["project","title"]}`)
	p := newTestPattern(t, append(tool.Builtins(), create, airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"create a high priority bug in WEB: login button does nothing on Safari": "issues.create(project=WEB title=login button does nothing on Safari priority=high)",
		"create an issue in WEB titled Login broken on Safari":                   "issues.create(project=WEB title=Login broken on Safari)",
	}, "project", "title", "priority", "assignee")
}

// TestWorkplaceAndPharmacyRequests: requests over catalogues written for the purpose,
// each once served as a wrong plan. "send the temp one to my personal email" reset the
// email password (the enum value personal_email is written "personal email"); "I don't
// need my day off on March 12 anymore, find that leave request and cancel it" requested
// the day off; "please fire John Miller" looked him up; "put in a refill" after "look
// up the rx number" vanished into the listing step; "101.1 FM" tuned to "FM".
func TestWorkplaceAndPharmacyRequests(t *testing.T) {
	reset := testTool("it.reset_password", "Reset the employee's own password for one company system and send a temporary password by SMS or to their personal email.",
		`{"type":"object","properties":{"system":{"type":"string","enum":["windows","email","vpn"]},"delivery":{"type":"string","enum":["sms","personal_email"],"default":"sms"}},"required":["system"]}`)
	leave := testTool("leave.request_time_off", "Request days off (vacation, sick leave) from a start date to an end date.",
		`{"type":"object","properties":{"start_date":{"type":"string","format":"date"},"end_date":{"type":"string","format":"date"}},"required":["start_date"]}`)
	listLeave := testTool("leave.list_requests", "List the employee's leave requests with their ids and status.",
		`{"type":"object","properties":{}}`)
	cancelLeave := testTool("leave.cancel_request", "Cancel a pending or approved leave request by its id.",
		`{"type":"object","properties":{"request_id":{"type":"string"}},"required":["request_id"]}`)
	lookup := testTool("directory.lookup_colleague", "Look up a colleague in the company directory by name.",
		`{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}`)
	rxList := testTool("prescriptions.list", "List the patient's prescriptions with their Rx numbers, dosage and refills remaining.",
		`{"type":"object","properties":{"status":{"type":"string","enum":["active","expired","all"]}}}`)
	refill := testTool("prescriptions.request_refill", "Ask the pharmacy to refill an existing prescription for pickup.",
		`{"type":"object","properties":{"medication":{"type":"string","description":"e.g. lisinopril 10 mg"},"rx_number":{"type":"string"}},"required":["medication"]}`)
	radio := testTool("playRadioStation", "Tune the radio to a station by frequency (FM, MHz) or name.",
		`{"type":"object","properties":{"station":{"type":"string"}},"required":["station"]}`)
	p := newTestPattern(t, append(tool.Builtins(), reset, leave, listLeave, cancelLeave, lookup, rxList, refill, radio, airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"reset my VPN password and send the temp one to my personal email": "it.reset_password(system=vpn delivery=personal_email)",
		"put on 101.1 FM":                   "playRadioStation(station=101.1 FM)",
		"find Jonas Weber in the directory": "directory.lookup_colleague(query=Jonas Weber)",
	}, "system", "delivery", "station", "query")
	for _, req := range []string{
		"I don't need my day off on March 12 anymore, find that leave request and cancel it",
		"please fire John Miller from my team, effective today",
		"look up the rx number for my levothyroxine and put in a refill",
	} {
		wantRefused(t, p, req)
	}
}

// TestSchoolAndShopRequests: requests over catalogues written for the purpose, each once
// served as a wrong plan. "grades from last semester?" got the GPA (one example of the
// GPA tool said "last fall": a relative time says when, not which tool); "what's the
// news, and what's my GPA" planned one question of two; "... and DM him the room name"
// dropped the message (DM, in capitals, was read as a name); "email the customer on
// #10482" sent invoice 10482 (an invoice id is "e.g. INV-20418"); a SKU in capitals and
// hyphens is a code ("TOTE-NAT" was looked up first).
func TestSchoolAndShopRequests(t *testing.T) {
	grades := testTool("grades.get", `Get the student's grades for a term, for every course or one course. e.g. "what did I get in MATH 221?", "show my grades from fall 2026".`,
		`{"type":"object","properties":{"term":{"type":"string","enum":["fall_2025","spring_2026","fall_2026","spring_2027"]},"course_code":{"type":"string"}}}`)
	gpa := testTool("grades.get_gpa", `Get the student's grade point average: the cumulative GPA, or the GPA of one term. e.g. "what's my GPA?", "what was my GPA last fall?".`,
		`{"type":"object","properties":{"term":{"type":"string","enum":["fall_2025","spring_2026","fall_2026","spring_2027"]}}}`)
	news := testTool("news.headlines", "Get the latest news headlines on a topic.",
		`{"type":"object","properties":{"topic":{"type":"string"}},"required":["topic"]}`)
	send := testTool("invoices.send", "Email an existing invoice (by invoice id) to the customer, as a PDF with a pay link.",
		`{"type":"object","properties":{"invoice_id":{"type":"string","description":"e.g. INV-20418"},"message":{"type":"string"}},"required":["invoice_id"]}`)
	stock := testTool("inventory.get_stock", "Get the stock level of a SKU, in one warehouse or all.",
		`{"type":"object","properties":{"sku":{"type":"string","description":"e.g. TOTE-NAT"},"warehouse":{"type":"string","enum":["newark","dallas","reno"]}},"required":["sku"]}`)
	room := testTool("rooms.book", "Book a meeting room for a date, start time and duration.",
		`{"type":"object","properties":{"capacity":{"type":"integer"},"date":{"type":"string","format":"date"},"start_time":{"type":"string"},"title":{"type":"string"}},"required":["capacity","date","start_time"]}`)
	dm := testTool("chat.send_direct_message", "Send a direct message to a colleague.",
		`{"type":"object","properties":{"recipient":{"type":"string"},"text":{"type":"string"}},"required":["recipient","text"]}`)
	p := newTestPattern(t, append(tool.Builtins(), grades, gpa, news, send, stock, room, dm, airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"what's the news on the strike, and what's my GPA": "news.headlines(topic=strike); grades.get_gpa()",
		"send invoice INV-20418 to the customer":           "invoices.send(invoice_id=INV-20418)",
		"how many TOTE-NAT do we have in reno":             "inventory.get_stock(sku=TOTE-NAT warehouse=reno)",
	}, "topic", "invoice_id", "sku", "warehouse")
	for _, req := range []string{
		"grades from last semester?",
		"email the customer on #10482 that their package is delayed",
		"book a room for 2 on 2027-03-09 at 11:00, and DM him the room name",
		// The second question, read with the first one's words, repeated the GPA call
		// and vanished into it.
		"whats my gpa, and what grades did i get last fall",
	} {
		wantRefused(t, p, req)
	}
}

// TestQuantityAndPlaceAsked: BFCL-style questions written for the purpose, each once
// served as a wrong plan: "What's the momentum of a 4 kg ball moving at 6 m/s?" computed
// its kinetic energy, "the volume of a cube with 4 cm sides" a sphere's, "the population
// of Tokyo" a country's. The relative "last" still tells team_last_result from
// team_next_games, which name it.
func TestQuantityAndPlaceAsked(t *testing.T) {
	energy := testTool("physics.kinetic_energy", "Calculate the kinetic energy of a moving object from its mass and velocity.",
		`{"type":"object","properties":{"mass":{"type":"number","description":"Mass in kg"},"velocity":{"type":"number","description":"Velocity in m/s"}},"required":["mass","velocity"]}`)
	sphere := testTool("geometry.sphere_volume", "Calculate the volume of a sphere from its radius.",
		`{"type":"object","properties":{"radius":{"type":"number"}},"required":["radius"]}`)
	population := testTool("geography.country_population", "Get the population of a country.",
		`{"type":"object","properties":{"country":{"type":"string"}},"required":["country"]}`)
	last := testTool("sports.team_last_result", "Get the result of a team's most recent game.",
		`{"type":"object","properties":{"team":{"type":"string"}},"required":["team"]}`)
	next := testTool("sports.team_next_games", "List a team's upcoming games.",
		`{"type":"object","properties":{"team":{"type":"string"}},"required":["team"]}`)
	p := newTestPattern(t, append(tool.Builtins(), energy, sphere, population, last, next, airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"What is the kinetic energy of a 4 kg ball moving at 6 m/s?": "physics.kinetic_energy(mass=4 velocity=6)",
		"what's the volume of a sphere with radius 3":                "geometry.sphere_volume(radius=3)",
		"what is the population of Japan":                            "geography.country_population(country=Japan)",
		"How did the New York Yankees do in their last game?":        "sports.team_last_result(team=New York Yankees)",
	}, "mass", "velocity", "radius", "country", "team")
	for _, req := range []string{
		"What's the momentum of a 4 kg ball moving at 6 m/s?",
		"What is the volume of a cube with 4 cm sides?",
		"What is the population of Tokyo?",
	} {
		wantRefused(t, p, req)
	}
}

// TestShoppingListIsATodo: "add buy milk to my shopping list" names the shop
// (shop.add_to_cart, which lacks a product id) more than create_todo does, but the to-do
// takes the clause's title: the unfillable reading named by the clause's words refuses
// only a reading that takes nothing of the clause.
func TestShoppingListIsATodo(t *testing.T) {
	wantCalls(t, officePattern(t), map[string]string{
		"add buy milk to my shopping list": "create_todo(title=buy milk)",
	}, "title")
}

// TestCheckTheGuestOutActs: "Check the guest out of the current stay" closes the stay as
// "check out the cart" places an order, so the tool acts and "show me my final bill"
// (which asks to see) is refused rather than checking the guest out; and "someone" is
// no word a tool is chosen by ("can someone come fix it" issued a digital key to
// "someone sharing the room").
func TestCheckTheGuestOutActs(t *testing.T) {
	checkout := testTool("checkout.express_checkout", "Check the guest out of the current stay now: it closes the room bill, charges the card on file and emails the final invoice.",
		`{"type":"object","properties":{"reservation_id":{"type":"string"}}}`)
	charges := testTool("folio.get_charges", "List the charges on the guest's room bill (folio) for the current stay, with the balance. Read-only.",
		`{"type":"object","properties":{"category":{"type":"string","enum":["spa","restaurant","minibar"]}}}`)
	key := testTool("keys.issue_digital_key", "Issue a digital room key to a phone: to the guest on file, or to someone sharing the room.",
		`{"type":"object","properties":{"phone":{"type":"string"}}}`)
	wake := testTool("wakeup_call.schedule", "Schedule a wake-up call to the room at a time, for someone who asks for one.",
		`{"type":"object","properties":{"time":{"type":"string","format":"time"}},"required":["time"]}`)
	p := newTestPattern(t, append(tool.Builtins(), checkout, charges, key, wake)...)
	for _, ti := range p.tools {
		if ti.tool.Name == "checkout.express_checkout" && p.readOnly(ti) {
			t.Fatal("checkout.express_checkout reads as a tool that only gives information")
		}
	}
	wantCalls(t, p, map[string]string{
		"list my spa charges": "folio.get_charges(category=spa)",
	}, "category")
	for _, req := range []string{
		"show me my final bill",
		"the AC in my room is blowing hot air, can someone come fix it",
	} {
		wantRefused(t, p, req)
	}
}

// hotelStays is a small hotel catalogue whose ids and times have a schema pattern and
// whose quantities have bounds.
func hotelStays() []*tool.Tool {
	id := `"reservation_id":{"type":"string","pattern":"^RSV-[0-9]{6}$","description":"e.g. RSV-482913"}`
	return []*tool.Tool{
		testTool("reservations.lookup", "Find the guest's reservations: by reservation id, or by last name and arrival date. Read-only.",
			`{"type":"object","properties":{`+id+`,"last_name":{"type":"string"}}}`),
		testTool("reservations.cancel", "Cancel a whole reservation, by its reservation id, before arrival.",
			`{"type":"object","properties":{`+id+`,"reason":{"type":"string"}},"required":["reservation_id"]}`),
		testTool("reservations.change_dates", "Change the arrival and/or departure date of an existing reservation, by its reservation id.",
			`{"type":"object","properties":{`+id+`,"new_arrival_date":{"type":"string","format":"date"},"new_departure_date":{"type":"string","format":"date"}},"required":["reservation_id"]}`),
		testTool("checkout.request_late", "Ask for a late checkout on the departure day, until a given time no later than 16:00.",
			`{"type":"object","properties":{"checkout_time":{"type":"string","pattern":"^(1[2-5]:[0-5][0-9]|16:00)$","description":"24-hour HH:MM between 12:00 and 16:00"}},"required":["checkout_time"]}`),
		testTool("wakeup_call.schedule", "Schedule a wake-up call to the room at a time.",
			`{"type":"object","properties":{"time":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"},"date":{"type":"string","format":"date"}},"required":["time"]}`),
		testTool("housekeeping.request", "Ask housekeeping for an item in the guest's room: fresh towels, extra pillows, a crib.",
			`{"type":"object","properties":{"request_type":{"type":"string","enum":["fresh_towels","extra_pillows","crib"]},"quantity":{"type":"integer","minimum":1,"maximum":10},"room_number":{"type":"string","pattern":"^[0-9]{3,4}$"}},"required":["request_type"]}`),
		testTool("checkout.express_checkout", "Check the guest out of the current stay now: it closes the room bill and emails the final invoice.",
			`{"type":"object","properties":{`+id+`}}`),
	}
}

// TestStatedValueFillsTheAskedStep: a sentence that only states a value ("it's
// RSV-482913", "the booking is RSV-482913") gives it to the step another sentence asks
// for, whichever tool the statement alone would rank first; one whose subject names
// nothing the tool takes gives it nothing.
func TestStatedValueFillsTheAskedStep(t *testing.T) {
	p := newTestPattern(t, hotelStays()...)
	wantCalls(t, p, map[string]string{
		"cancel my reservation. it's RSV-482913":           "reservations.cancel(reservation_id=RSV-482913)",
		"cancel my reservation. its RSV-482913":            "reservations.cancel(reservation_id=RSV-482913)",
		"cancel my reservation. The booking is RSV-482913": "reservations.cancel(reservation_id=RSV-482913)",
		"my booking is RSV-448120, please cancel it":       "reservations.cancel(reservation_id=RSV-448120)",
	}, "reservation_id")
	wantRefused(t, p, "cancel my reservation. her code is 123")
}

// TestValuesKeepWithinTheSchema: a value outside a parameter's pattern or bounds is no
// value of it. The tool the clause names is still its reading: "late checkout at 6pm",
// past the latest checkout, is refused with the reason, not given to the wake-up call
// that takes any time; and "room 803" is no quantity of at most 10.
func TestValuesKeepWithinTheSchema(t *testing.T) {
	p := newTestPattern(t, hotelStays()...)
	wantCalls(t, p, map[string]string{
		"late checkout at 2pm please":     "checkout.request_late(checkout_time=14:00)",
		"wake up call at 6:30am please":   "wakeup_call.schedule(time=06:30)",
		"could we get a crib in room 803": "housekeeping.request(room_number=803)",
	}, "checkout_time", "time", "quantity", "room_number")
	_, err := p.Plan(context.Background(), planq.New("can I get late checkout at 6pm tomorrow?"))
	if err == nil || !strings.Contains(err.Error(), `takes no checkout_time "6pm"`) {
		t.Errorf("late checkout at 6pm: want a refusal naming the time outside 12:00-16:00, got %v", err)
	}
	// "whats" asks to see, as "what's" does: the bill is not checked out.
	wantRefused(t, p, "whats my bill so far")
}

// TestCodeFromAnotherSentence: a code whose schema pattern only it fits (PK-20391 for
// ^PK-[0-9]{5}$) fills the parameter from another sentence of the request, as a date
// does, when it is the only such value; a pattern any number fits takes nothing from
// elsewhere.
func TestCodeFromAnotherSentence(t *testing.T) {
	permit := `"permit_id":{"type":"string","pattern":"^PK-[0-9]{5}$"}`
	p := newTestPattern(t,
		testTool("permits.renew", "Renew a parking permit for a number of months.",
			`{"type":"object","properties":{`+permit+`,"months":{"type":"integer","minimum":1,"maximum":12}},"required":["permit_id","months"]}`),
		testTool("lockers.open", "Open a gym locker by its number.",
			`{"type":"object","properties":{"locker":{"type":"string","pattern":"^[0-9]{3}$"},"minutes":{"type":"integer"}},"required":["locker","minutes"]}`))
	wantCalls(t, p, map[string]string{
		"renew my permit for 6 months. it's PK-20391":          "permits.renew(permit_id=PK-20391 months=6)",
		"renew my permit for 6 months, the number is PK-20391": "permits.renew(permit_id=PK-20391 months=6)",
	}, "permit_id", "months")
	for _, req := range []string{
		"renew my permit for 6 months. it's PK-20391 or PK-20392",
		"renew my permit for 18 months. it's PK-20391",
		"open the locker for 30 minutes. I paid 250",
	} {
		wantRefused(t, p, req)
	}
}

// TestCodeOfAnotherToolIsNoText: a code that another tool's identifier pattern fits is
// that tool's ("bump INC-21007 to sev1" opened a new incident titled INC-21007); a tool
// whose own parameter takes it still does, and free text without such a code is free
// text.
func TestCodeOfAnotherToolIsNoText(t *testing.T) {
	p := newTestPattern(t,
		testTool("incidents.open", "Declare a new incident with a title and a severity.",
			`{"type":"object","properties":{"title":{"type":"string"},"severity":{"type":"string","enum":["sev1","sev2","sev3"]}},"required":["title","severity"]}`),
		testTool("incidents.update_status", "Update an existing incident: its status or its severity.",
			`{"type":"object","properties":{"incident_id":{"type":"string","pattern":"^INC-[0-9]+$"},"status":{"type":"string","enum":["investigating","resolved"]},"severity":{"type":"string","enum":["sev1","sev2","sev3"]}},"required":["incident_id"]}`))
	wantCalls(t, p, map[string]string{
		"open a sev2 incident: checkout 5xx spike":   "incidents.open(title=checkout 5xx spike severity=sev2)",
		"update the status of INC-21007 to resolved": "incidents.update_status(incident_id=INC-21007 status=resolved)",
	}, "title", "severity", "incident_id", "status")
	_, err := p.Plan(context.Background(), planq.New("open a sev1 incident titled INC-21007"))
	if err == nil || !strings.Contains(err.Error(), `"INC-21007" is a value of incidents.update_status.incident_id`) {
		t.Errorf("a new incident titled INC-21007: want a refusal naming the incident id, got %v", err)
	}
}

// TestItemsOfAnOrder: a list of things to order fills an array of items, one per entry,
// "and" and commas included ("order a margherita pizza and a coke" was refused for want
// of items); a clause that names nothing of the tool but its verb gives it no items
// ("order me a large pepperoni pizza" from a pharmacy; the price: "order a margherita
// pizza" to room service needs "to my room" or the like).
func TestItemsOfAnOrder(t *testing.T) {
	items := `"items":{"type":"array","items":{"type":"string"},"minItems":1}`
	roomService := testTool("room_service.place_order", "Order food and drinks from in-room dining, delivered to the guest's room.",
		`{"type":"object","properties":{`+items+`,"room_number":{"type":"string","pattern":"^[0-9]{3,4}$"}},"required":["items"]}`)
	wake := testTool("wakeup_call.schedule", "Schedule a wake-up call to the room at a time.",
		`{"type":"object","properties":{"time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"}},"required":["time"]}`)
	p := newTestPattern(t, roomService, wake)
	wantCalls(t, p, map[string]string{
		"order a margherita pizza and a coke to my room":                             "room_service.place_order(items=[margherita pizza coke])",
		"order a club sandwich, fries and two sparkling waters to room 1412":         "room_service.place_order(items=[club sandwich fries two sparkling waters])",
		"order 2 continental breakfasts to room 1412":                                "room_service.place_order(items=[2 continental breakfasts])",
		"order a cheeseburger and fries to my room and set a wake up call for 06:45": "room_service.place_order(items=[cheeseburger fries]); wakeup_call.schedule(time=06:45)",
	}, "items", "time")
	pharmacy := newTestPattern(t, testTool("pharmacy.order_delivery", "Have prescriptions and over-the-counter medicines from the pharmacy delivered to the patient's home.",
		`{"type":"object","properties":{`+items+`},"required":["items"]}`))
	wantRefused(t, pharmacy, "order me a large pepperoni pizza")
}

// TestSeasonForADatedTerm: an enum whose values are a word and a year (fall_2027) takes
// the value whose word the clause names ("offered in the fall" was refused for want of
// a term); two named, or an enum of other values, take nothing.
func TestSeasonForADatedTerm(t *testing.T) {
	p := newTestPattern(t, testTool("courses.search", "Search the course catalogue for sections offered in a term, by subject.",
		`{"type":"object","properties":{"term":{"type":"string","enum":["spring_2027","summer_2027","fall_2027"]},"subject":{"type":"string","description":"Subject code, e.g. CS, MATH"}},"required":["term"]}`))
	wantCalls(t, p, map[string]string{
		"what CS classes are offered in the fall":   "courses.search(term=fall_2027)",
		"search summer MATH courses":                "courses.search(term=summer_2027)",
		"which CS courses are offered in fall_2027": "courses.search(term=fall_2027)",
	}, "term")
	wantRefused(t, p, "what CS classes are offered in fall or spring")
	pr := &paramInfo{Param: tool.Param{Name: "mode", Enum: []string{"fall_back", "spring_forward"}}, kind: pEnum}
	if v, ok := datedEnum(pr, clause{text: "set the clock mode to fall"}); ok {
		t.Errorf("an enum of other values took %v", v)
	}
}

// TestBareHour: an hour given alone ("at 7") is a time when the clause says morning or
// evening, noon for 12; otherwise the clause is refused with the reason, and a request
// that asks for two bookings is not served with the one whose time could be read.
func TestBareHour(t *testing.T) {
	p := newTestPattern(t, append(hotelStays(),
		testTool("spa.book_treatment", "Book a spa treatment (massage, manicure, pedicure) on a date at a time.",
			`{"type":"object","properties":{"treatment":{"type":"string","enum":["massage","manicure","pedicure"]},"date":{"type":"string","format":"date"},"time":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"}},"required":["treatment","time"]}`))...)
	wantCalls(t, p, map[string]string{
		"wake up call tomorrow morning at 7":    "wakeup_call.schedule(time=07:00)",
		"book a massage tomorrow evening at 9":  "spa.book_treatment(time=21:00)",
		"book a pedicure at 2 in the afternoon": "spa.book_treatment(time=14:00)",
		"book a manicure at 12":                 "spa.book_treatment(time=12:00)",
	}, "time")
	_, err := p.Plan(context.Background(), planq.New("can i book a manicure monday at 11"))
	if err == nil || !strings.Contains(err.Error(), `"at 11" could be morning or evening`) {
		t.Errorf("a manicure at 11: want a refusal naming the ambiguous hour, got %v", err)
	}
	wantRefused(t, p, "can i book a manicure monday at 11 and then a pedicure right after at 12?")
	// This wake-up call rings once: "every morning" is not what it does.
	wantRefused(t, p, "wake up call every morning at 7")
}

// TestPlaceIsNoItem: a name after "at" or "to" is a place, not a thing to order ("table
// for 2 at 10 Downing Street tonight" ordered 10 Downing Street from room service).
func TestPlaceIsNoItem(t *testing.T) {
	p := newTestPattern(t, testTool("room_service.place_order", "Order food and drinks from in-room dining, delivered to the guest's room. It does not book a table at the restaurants.",
		`{"type":"object","properties":{"items":{"type":"array","items":{"type":"string"},"minItems":1},"deliver_date":{"type":"string","format":"date"}},"required":["items"]}`))
	wantRefused(t, p, "table for 2 at 10 Downing Street tonight")
}

// TestFirstOfAList: a clause that refers back ("cancel it", "call him") to what an
// earlier step the user asked for found takes the first item of its list; not when it
// picks by another rank ("the cheapest one"), and never through a lookup the user did
// not ask for.
func TestFirstOfAList(t *testing.T) {
	contacts := testTool("contacts.search", "Look a person up in the address book by name; returns their phone numbers and email addresses.",
		`{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}`)
	contacts.OutputSchema = json.RawMessage(`{"type":"object","properties":{"contacts":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"phone":{"type":"string"},"email":{"type":"string"}}}}}}`)
	call := testTool("make_phone_call", "Call someone: start a voice call from the user's phone to a phone number.",
		`{"type":"object","properties":{"to":{"type":"string","description":"Phone number to call."}},"required":["to"]}`)
	wantCalls(t, newTestPattern(t, contacts, call), map[string]string{
		"Find Tom in my contacts and call him": "contacts.search(name=Tom); make_phone_call(to=${s1.contacts.0.phone})",
	}, "name", "to")
	tools := hotelStays()
	for _, tt := range tools {
		if tt.Name == "reservations.lookup" {
			tt.OutputSchema = json.RawMessage(`{"type":"object","properties":{"reservations":{"type":"array","items":{"type":"object","properties":{"reservation_id":{"type":"string"},"rate_per_night":{"type":"number"}}}}}}`)
		}
	}
	p := newTestPattern(t, tools...)
	wantCalls(t, p, map[string]string{
		"find my reservation under the last name Osei and cancel it": "reservations.lookup(); reservations.cancel(reservation_id=${s1.reservations.0.reservation_id})",
	}, "name", "to", "reservation_id")
	for _, req := range []string{
		"find my reservations under the last name Osei and cancel the cheapest one",
		"cancel my reservation under the last name Osei",
	} {
		wantRefused(t, p, req)
	}
}

// TestFirstOneBooksOneItem: "book the first one" after a search books the first result
// with its own date and time, not the date the search started from with the time of a
// result that may fall on another day; "the last one" is no first item.
func TestFirstOneBooksOneItem(t *testing.T) {
	search := testTool("appointments.search_slots", "Search open appointment slots by specialty, from a date onwards. Read-only.",
		`{"type":"object","properties":{"specialty":{"type":"string","enum":["cardiology","dermatology"]},"from_date":{"type":"string","format":"date"}}}`)
	search.OutputSchema = json.RawMessage(`{"type":"object","properties":{"slots":{"type":"array","items":{"type":"object","properties":{"slot_id":{"type":"string"},"date":{"type":"string","format":"date"},"time":{"type":"string"}}}}}}`)
	book := testTool("appointments.book", "Book an appointment at the clinic on a date at a time.",
		`{"type":"object","properties":{"date":{"type":"string","format":"date"},"time":{"type":"string","pattern":"^([01][0-9]|2[0-3]):[0-5][0-9]$"}},"required":["date","time"]}`)
	p := newTestPattern(t, search, book)
	wantCalls(t, p, map[string]string{
		"find cardiology openings on Feb 24 and book the first one": "appointments.search_slots(from_date=2027-02-24); appointments.book(date=${s1.slots.0.date} time=${s1.slots.0.time})",
	}, "from_date", "date", "time")
	wantRefused(t, p, "find cardiology openings on Feb 24 and book the last one")
}

// TestPlaceFromAStatement: a clause that asks for something near no place it names takes
// the one place a sentence that asks nothing names ("I'm looking to attend a music
// concert in Toronto. Find one for me"); two places, or none, give nothing.
func TestPlaceFromAStatement(t *testing.T) {
	p := newTestPattern(t, testTool("Events_3_FindEvents", "Find cultural events (concerts and plays) happening in a city.",
		`{"type":"object","properties":{"event_type":{"type":"string","enum":["Music","Theater"]},"city":{"type":"string","description":"City where the event happens, e.g. New York"}},"required":["event_type","city"]}`))
	wantCalls(t, p, map[string]string{
		"I'm looking to attend a music concert in Toronto. Find me one happening on March 10th": "Events_3_FindEvents(city=Toronto event_type=Music)",
	}, "city", "event_type")
	for _, req := range []string{
		"I'm looking to attend a music concert. Find me one happening on March 10th",
		"I'm in Boston and my sister is in Denver. Find us a music concert happening on March 10th",
	} {
		wantRefused(t, p, req)
	}
}

// TestShapedValueKeepsToThePattern: a word of the shape a parameter's example has is its
// value only within its pattern: "book a dental for PET-104 in slot VS-2231" gave the
// slot id PET-104 (the first word shaped like "e.g. VS-2231"), a plan the validator
// then refused whole.
func TestShapedValueKeepsToThePattern(t *testing.T) {
	p := newTestPattern(t, testTool("visits.book", "Book a vet visit for a pet in an open slot.",
		`{"type":"object","properties":{"pet_id":{"type":"string","pattern":"^PET-[0-9]{3}$","description":"e.g. PET-104"},"slot_id":{"type":"string","pattern":"^VS-[0-9]{4}$","description":"e.g. VS-2231"},"kind":{"type":"string","enum":["checkup","dental"]}},"required":["pet_id","slot_id","kind"]}`))
	wantCalls(t, p, map[string]string{
		"book a dental for PET-104 in slot VS-2231":         "visits.book(pet_id=PET-104 slot_id=VS-2231)",
		"my pet is PET-221. book a checkup in slot VS-1000": "visits.book(pet_id=PET-221 slot_id=VS-1000)",
	}, "pet_id", "slot_id")
}
