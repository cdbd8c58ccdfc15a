package pattern

import (
	"context"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"

	"github.com/planwise/planwise/tool"
)

// TestRequestInAnotherScript: "请帮我生成一组多轮对话数据,里面包含了LLM function call"
// ("make me a set of multi-turn dialogues that contain LLM function calls") was served
// as call_uber{location: "里面包含了LLM"}, matched by the three English words at its end.
// The offline planners read English: a request written mostly in another script is
// refused saying so, unless the catalogue itself is written in it. A quoted phrase in
// another script is a value, not the request's language.
func TestRequestInAnotherScript(t *testing.T) {
	for text, want := range map[string]string{
		"请帮我生成一组多轮对话数据,里面包含了LLM function call":                     "Han",
		"에어컨 켜고 공기청정기 꺼":                                           "Hangul",
		"Покажи погоду в Москве":                                   "Cyrillic",
		"Listen to the phrase '我爱学习' in a male voice":              "",
		"我可以创建一个名为'DevelopmentEnv'的workspace，基于'feature-branch'吗？": "Han",
		"Tôi cần một chuyến Uber loại 'Plus' từ Berkeley":          "",
		"I'm after the café's 'crème brûlée' recipe":               "",
	} {
		if got := unreadScript(text); got != want {
			t.Errorf("unreadScript(%q) = %q, want %q", text, got, want)
		}
	}
	uber := testTool("call_uber", "Call an Uber ride to a location.",
		`{"type":"object","properties":{"location":{"type":"string","description":"Where to be picked up"}},"required":["location"]}`)
	p := newTestPattern(t, append(tool.Builtins(), uber, airQualityTool())...)
	wantRefusal(t, p, "请帮我生成一组多轮对话数据,里面包含了LLM function call", "written mostly in Han script")
	wantCalls(t, p, map[string]string{
		"call an uber to 221B Baker Street": "call_uber(location=221B Baker Street)",
	}, "location")
	// A catalogue written in the script reads its requests as its own language.
	zh := testTool("weather.query", "查询城市的天气预报。",
		`{"type":"object","properties":{"city":{"type":"string","description":"城市"}},"required":["city"]}`)
	p = newTestPattern(t, append(tool.Builtins(), uber, zh)...)
	if _, err := p.Plan(context.Background(), planq.New("查询北京的天气")); err != nil && strings.Contains(err.Error(), "written mostly") {
		t.Errorf("a request in the catalogue's own script: %v", err)
	}
}

// TestToolNamedByItsValueAlone: "do you know Daniel?" was served as
// get_spouse_name{spouse_of: Daniel}, a tool whose description names Daniel: the name
// the tool is given was the only word of the clause it matched. Asked about the spouse,
// it is served.
func TestToolNamedByItsValueAlone(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_spouse_name", "Retrieves the name of Daniel's spouse.",
			`{"type":"object","properties":{"spouse_of":{"type":"string","description":"The name of the individual whose spouse's name is being retrieved."}},"required":["spouse_of"]}`),
		airQualityTool())...)
	wantRefusal(t, p, "do you know Daniel?", "the name Daniel")
	wantCalls(t, p, map[string]string{
		"who is Daniel's spouse?": "get_spouse_name(spouse_of=Daniel)",
	}, "spouse_of")
}

// TestOneValueAndNoWordOfTheTool: "Apakah produk dengan ID 12345XYZ masih tersedia
// dalam ukuran M dan warna merah?" (Indonesian: is product 12345XYZ still in stock in
// size M, red?) was served as an Apdex configuration list for the application
// "12345XYZ": the tool's description gives 'app_12345' as an example, and no other
// word of the clause is the tool's. A clause of many words none of which the tool
// holds is not made its by one value.
func TestOneValueAndNoWordOfTheTool(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_all_apdex_configurations", "Retrieve a list of all Apdex threshold configurations used for applications performance monitoring.",
			`{"type":"object","properties":{"application_id":{"type":"string","default":"all","description":"The unique identifier of the application for which Apdex settings are being retrieved. For example, 'app_12345'."}}}`),
		airQualityTool())...)
	wantRefusal(t, p, "Apakah produk dengan ID 12345XYZ masih tersedia dalam ukuran M dan warna merah?", "one value")
	wantCalls(t, p, map[string]string{
		"list the apdex configurations of app_12345": "get_all_apdex_configurations(application_id=app_12345)",
	}, "application_id")
}

// TestToolsOwnThingIsNoValue: "open a new employment matter for Greta Lindqvist, unfair
// dismissal claim" was served as matters.open{client: "new employment matter", title:
// "Greta Lindqvist"}. The thing the tool is named after, said with a vague word and a
// value of the tool's lists, is what it opens, not its client; "matter", the tool's
// word, marks no "Short matter title"; "for" introduces the client as it does a
// person; and "titled" says which value is the title.
func TestToolsOwnThingIsNoValue(t *testing.T) {
	p := catalogPattern(t, "testdata/legal.yaml")
	wantCalls(t, p, map[string]string{
		"open a new employment matter for Greta Lindqvist titled 'Unfair dismissal claim'": "matters.open(client=Greta Lindqvist practice_area=employment title=Unfair dismissal claim)",
		"run a conflict check on Brightwater Estates":                                      "conflicts.check(party=Brightwater Estates)",
	}, "client", "practice_area", "title", "party")
	wantRefusal(t, p, "open a new employment matter for Greta Lindqvist, unfair dismissal claim", `needs "title"`)
	wantRefusal(t, p, "open a new employment matter for Greta Lindqvist", `needs "title"`)
}

// TestCityAndCountry: a place asked for as 'City, Country' ("such as 'Paris, France'")
// took Paris or, as often, France alone from "a trip to Paris, France": the city and
// its country are one place in that form. A city alone stays one.
func TestCityAndCountry(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_trip", "Retrieve trip details for a specified destination, including the estimated cost and the recommended itinerary.",
			`{"type":"object","properties":{"destination":{"type":"string","description":"The name of the destination for the trip, in the format of 'City, Country', such as 'Paris, France'."},"number_of_travelers":{"type":"integer","default":1}},"required":["destination"]}`),
		testTool("youtube.check_videos", "Verify the existence of YouTube videos based on their title, publisher, and associated tags.",
			`{"type":"object","properties":{"publisher":{"type":"string","description":"The name of the channel or individual who published the video."},"tags":{"type":"array","items":{"type":"string"}},"title":{"type":"string","description":"The exact title of the YouTube video to check."}},"required":["title","publisher","tags"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"trip details for Paris, France for 2 people": "get_trip(destination=Paris, France number_of_travelers=2)",
		"trip details for Nairobi, Kenya":             "get_trip(destination=Nairobi, Kenya)",
		"trip details for Lisbon":                     "get_trip(destination=Lisbon)",
		// "video" is the tool's word: "published by" marks the publisher, not the
		// title before it.
		"Verify if there's a YouTube video titled 'The Secrets of the Taj Mahal' published by 'TravelHistory' with tags including 'Taj Mahal', 'India', and 'architecture'?": "youtube.check_videos(title=The Secrets of the Taj Mahal publisher=TravelHistory)",
	}, "destination", "number_of_travelers", "title", "publisher")
}

// TestMonthNamedIsNotDropped: "bill M-31002 for everything up to the end of November"
// was served as invoices.create{matter_id: M-31002}, billing to today: no date was read
// from "the end of November", and the plan dropped the month without a word. A month
// the clause names that no date of the step takes refuses it; "since January" is read
// as a start date (the latest January begun by now).
func TestMonthNamedIsNotDropped(t *testing.T) {
	p := catalogPattern(t, "testdata/legal.yaml")
	wantRefusal(t, p, "bill M-31002 for everything up to the end of November", "names November")
	wantCalls(t, p, map[string]string{
		"bill M-31002": "invoices.create(matter_id=M-31002)",
	}, "matter_id", "through_date")
	if got, _ := sinceDate("November", testNow()); got != "2026-11-01" {
		t.Errorf("since November on 26 November 2026: %s", got)
	}
	if got, _ := sinceDate("December", testNow()); got != "2025-12-01" {
		t.Errorf("since December on 26 November 2026: %s", got)
	}
	q := newTestPattern(t, append(tool.Builtins(),
		testTool("hiring_report", "Hiring figures between two dates, for one job or all: time to hire or offer acceptance rate. Read-only.",
			`{"type":"object","properties":{"report":{"type":"string","enum":["time_to_hire","offer_acceptance"]},"job_id":{"type":"string","pattern":"^REQ-[0-9]{4}$"},"start_date":{"type":"string","format":"date"},"end_date":{"type":"string","format":"date"}},"required":["report"]}`),
		airQualityTool())...)
	wantCalls(t, q, map[string]string{
		"time to hire on REQ-2291 since January": "hiring_report(report=time_to_hire job_id=REQ-2291 start_date=2026-01-01)",
		"time to hire on REQ-2291 in November":   "hiring_report(report=time_to_hire job_id=REQ-2291 start_date=2026-11-01 end_date=2026-11-30)",
	}, "report", "job_id", "start_date", "end_date")
}

// TestQuotedObjectIsNotDropped: "Move 'pointA' to 2,3,4" was served as move_to{x: 2, y:
// 3, z: 4}, which moves the robot, not the point: the quoted thing the verb acts on was
// in no argument.
func TestQuotedObjectIsNotDropped(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("move_to", "Move the robot arm to a position in 3D space.",
			`{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"},"z":{"type":"number"}},"required":["x","y","z"]}`),
		airQualityTool())...)
	wantRefusal(t, p, "Move 'pointA' to 2,3,4", "'pointA'")
	wantCalls(t, p, map[string]string{
		"move to 2, 3, 4": "move_to(x=2 y=3 z=4)",
	}, "x", "y", "z")
}

// TestNameWithItsNumber: over a catalogue whose fields are named like "North 40", "spray
// the North 40 with Roundup tomorrow" was served as spray.log{field: North,
// rate_l_per_ha: 40}, and "stop the irrigation in the North 40" stopped the field
// "North". A name the catalogue exemplifies as going on with a number takes it, here or
// in another tool's parameter of the same name; and "irrigate" is what
// irrigation.start does, though its description says "irrigating".
func TestNameWithItsNumber(t *testing.T) {
	p := catalogPattern(t, "testdata/farm.yaml")
	wantCalls(t, p, map[string]string{
		"irrigate the North 40 for 90 minutes":              "irrigation.start(field=North 40 minutes=90)",
		"stop the irrigation in the North 40":               "irrigation.stop(field=North 40)",
		"soil moisture at 60 cm in the North 40":            "sensors.soil_moisture(field=North 40 depth_cm=60)",
		"irrigate Paddock 7 for 30 minutes":                 "irrigation.start(field=Paddock 7 minutes=30)",
		"move the weaners to the Creek paddock":             "livestock.move(mob=weaners to_paddock=Creek)",
		"sprayed Roundup on the Back Block today at 2 L/ha": "spray.log(field=Back Block product=Roundup rate_l_per_ha=2)",
		// A model number no slot holds goes on with its make ("e.g. JD 8R").
		"book the JD 8R in for a service on 2027-01-12": "equipment.schedule_service(machine=JD 8R)",
	}, "field", "minutes", "depth_cm", "mob", "to_paddock", "product", "rate_l_per_ha", "machine")
	wantRefusal(t, p, "spray the North 40 with Roundup tomorrow", "rate_l_per_ha")
	// A number at the very start has no name before it (reading one read before the
	// text's start and panicked).
	wantCalls(t, p, map[string]string{
		"40 minutes of irrigation on River Paddock": "irrigation.start(field=River Paddock minutes=40)",
	}, "field", "minutes")
	for _, req := range []string{"40 irrigation on River Paddock for 30 minutes", "5 stop irrigation", "3 soil moisture River Paddock"} {
		_, _ = p.Plan(context.Background(), planq.New(req))
	}
}

// TestScopeNamedButNotTaken: "stop watering the back block" and "stop the irrigation on
// the river paddock" were served as irrigation.stop{}, whose field, left out, is every
// field: the clause named one the step did not take. A parameter that means everything
// when left out is refused so when the clause names something after "the" that the
// tool's text does not; a lower-case field with its number ("the north 40") is taken.
func TestScopeNamedButNotTaken(t *testing.T) {
	p := catalogPattern(t, "testdata/farm.yaml")
	wantRefusal(t, p, "stop watering the back block", `names "back block"`)
	wantRefusal(t, p, "stop the irrigation on the river paddock", `names "river paddock"`)
	wantCalls(t, p, map[string]string{
		"stop watering the north 40": "irrigation.stop(field=north 40)",
		"shut off all irrigation":    "irrigation.stop()",
		"stop the irrigation":        "irrigation.stop()",
	}, "field")
}

// TestAreaInIsNoPlace: "how wet is the soil in River Paddock?" was refused for want of
// a field: a name after "in" was read as a place, which a field parameter is not. A
// piece of ground (a field, a paddock, a zone, a site) is what things are in.
func TestAreaInIsNoPlace(t *testing.T) {
	p := catalogPattern(t, "testdata/farm.yaml")
	wantCalls(t, p, map[string]string{
		"how wet is the soil in River Paddock?": "sensors.soil_moisture(field=River Paddock)",
		"soil moisture in Mill Paddock":         "sensors.soil_moisture(field=Mill Paddock)",
	}, "field")
}

// TestLanguageNamedForItsCode: "transcribe ep105_final.mp3 in Spanish" over a language
// enum of codes (en, es, fr, de) transcribed in the default English: the language a
// clause names after "in" is its code among the values ("es", or "es-ES").
func TestLanguageNamedForItsCode(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("transcribe", "Transcribe an episode's audio file to text.",
			`{"type":"object","properties":{"file":{"type":"string","description":"Audio file, e.g. ep104_master.wav"},"language":{"type":"string","enum":["en","es","fr","de"],"default":"en"}},"required":["file"]}`),
		testTool("text_to_speech", "Converts input text into spoken audio.",
			`{"type":"object","properties":{"text":{"type":"string"},"language":{"type":"string","enum":["en-US","es-ES","de-DE"],"default":"en-US"}},"required":["text"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"transcribe ep105_final.mp3 in Spanish":                               "transcribe(file=ep105_final.mp3 language=es)",
		"transcribe ep105_final.mp3":                                          "transcribe(file=ep105_final.mp3)",
		"Convert the phrase 'I am a pretty girl' into spoken audio in German": "text_to_speech(language=de-DE text=I am a pretty girl)",
	}, "file", "language", "text")
}

// TestCountryIsNoCity: "uk rainfall" was served as a city's weather for the city "uk"
// (the description's example 'London, UK' gave the word): a country is no value for a
// parameter that takes a city and nothing wider; a city-state is a city.
func TestCountryIsNoCity(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_weather", "Retrieves the weather forecast for a specified city on a given date.",
			`{"type":"object","properties":{"city":{"type":"string","description":"The name of the city for which to retrieve the weather, such as 'New York, NY' or 'London, UK'."}},"required":["city"]}`),
		airQualityTool())...)
	wantRefused(t, p, "uk rainfall")
	wantRefused(t, p, "weather in France")
	wantCalls(t, p, map[string]string{
		"weather in London":    "get_weather(city=London)",
		"weather in Singapore": "get_weather(city=Singapore)",
	}, "city")
}

// TestIDLabelsItsCode: "Get the list of active mandates for the user with ID U123456"
// was refused for want of a user id (or gave the name "ID U123456"): "ID" labels the
// code after it, of either case ("efJG9"), and is no part of it. And "product ID SK123"
// is the product's identifier, not an order's.
func TestIDLabelsItsCode(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("user.mandates", "Fetch the mandates of a user by user id, optionally filtered by status.",
			`{"type":"object","properties":{"user_id":{"type":"string","description":"The user's identifier."},"status":{"type":"string","enum":["active","pending","inactive"]}},"required":["user_id"]}`),
		testTool("order_status_check", "Check the status of an order by its order id and product name.",
			`{"type":"object","properties":{"order_id":{"type":"string","description":"The order's identifier."},"product":{"type":"string","description":"The product's name."}},"required":["order_id","product"]}`),
		airQualityTool())...)
	wantCalls(t, p, map[string]string{
		"Get the list of active mandates for the user with ID U123456?": "user.mandates(user_id=U123456 status=active)",
		"need all pending mandates of Parath with ID U123?":             "user.mandates(user_id=U123 status=pending)",
	}, "user_id", "status")
	wantRefused(t, p, "Do you have red skirt product ID SK123 is available?")
}

// TestAskedThingNotTheTools: "Help find a restaurant to open on 19/03/2024 at 12.00"
// over a search for cleaning providers was served as get_service_providers with the
// date alone: what the clause asks to find (a restaurant) is nowhere in the tool's text,
// and the step takes nothing but a date. A step given a place or a name may still find
// the asked thing there.
func TestAskedThingNotTheTools(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_service_providers", "Find cleaning service providers in a district, optionally available on a date.",
			`{"type":"object","properties":{"location":{"type":"string","description":"District or city, e.g. Bang Khen"},"available_date":{"type":"string","format":"date"}}}`),
		airQualityTool())...)
	wantRefusal(t, p, "Help find a restaurant to open on 2024-03-19", "asks for a restaurant")
	wantCalls(t, p, map[string]string{
		"find a cleaning provider in Chiang Mai":         "get_service_providers(location=Chiang Mai)",
		"find a cleaning service provider on 2024-03-19": "get_service_providers(available_date=2024-03-19)",
	}, "location", "available_date")
}

// TestCountedIsNoCustomer: "order 2 kegs of Oat Stout for The Crown" was served as
// orders.create{customer: "Oat Stout", beer: "The Crown"}: "of" after a count says what
// is counted, not whose; "for" says who the order is for.
func TestCountedIsNoCustomer(t *testing.T) {
	p := catalogPattern(t, "testdata/brewery.yaml")
	wantCalls(t, p, map[string]string{
		"order 2 kegs of Oat Stout for The Crown":         "orders.create(customer=The Crown beer=Oat Stout kegs=2)",
		"brew a batch of Harbour IPA in FV2, 1000 litres": "batches.start(recipe=Harbour IPA fermenter=FV2 volume_l=1000)",
		"put Oat Stout on tap 3":                          "taplist.update(beer=Oat Stout tap=3)",
	}, "customer", "beer", "kegs", "recipe", "fermenter", "volume_l", "tap")
}

// TestParticleAfterNumber: "take tap 5 off" was refused for want of a tap: the word after
// a number says what it counts ("5 off" read as five of something called off), but a
// verb's particle closing the clause counts nothing.
func TestParticleAfterNumber(t *testing.T) {
	p := catalogPattern(t, "testdata/brewery.yaml")
	wantCalls(t, p, map[string]string{
		"take tap 5 off": "taplist.update(tap=5)",
	}, "tap", "beer")
}

// TestItIsTheEarlierResult: "fill 6 kegs from B-0412 and put it on tap 2" put nothing
// on tap 2, which empties it: what "it" is (the batch's beer) is not something the step
// can be given, and left out, its value clears the tap.
func TestItIsTheEarlierResult(t *testing.T) {
	p := catalogPattern(t, "testdata/brewery.yaml")
	wantRefusal(t, p, "fill 6 kegs from B-0412 and put it on tap 2", "earlier step's result")
	wantCalls(t, p, map[string]string{
		"put Oat Stout on tap 3 and take tap 5 off":                  "taplist.update(tap=3 beer=Oat Stout); taplist.update(tap=5)",
		"log a reading of 1.048 on B-0415 then fill 10 kegs from it": "batches.log_gravity(batch_id=B-0415); kegs.fill(batch_id=B-0415)",
	}, "batch_id", "tap", "beer")
}

// TestListedNameBeforeTheOneTaken: "how much Citra and Maris Otter do we have?" checked
// Maris Otter alone: a name joined by "and" to the one a step took is asked for too,
// and dropped it refuses the plan (or, where the clause splits there, is a call of its
// own). A comma alone joins no list: "London, UK" is a city and its country.
func TestListedNameBeforeTheOneTaken(t *testing.T) {
	p := catalogPattern(t, "testdata/brewery.yaml")
	wantRefusal(t, p, "how much Citra and Maris Otter do we have?", "also asks for Citra")
	wantCalls(t, p, map[string]string{
		"check stock of Citra and Maris Otter": "inventory.check(ingredient=Citra); inventory.check(ingredient=Maris Otter)",
		"how much Citra do we have?":           "inventory.check(ingredient=Citra)",
	}, "ingredient")
	q := newTestPattern(t, append(tool.Builtins(),
		testTool("get_current_weather", "Retrieves the current weather conditions for a specified location.",
			`{"type":"object","properties":{"location":{"type":"string","description":"The city, e.g. Paris"}},"required":["location"]}`),
		airQualityTool())...)
	wantCalls(t, q, map[string]string{
		"what is the weather in Vancouver, Canada right now": "get_current_weather(location=Vancouver)",
	}, "location")
}
