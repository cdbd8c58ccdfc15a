package pattern

import (
	"context"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// measureTools are a newcomer's catalogue of functions whose numbers have units and
// whose unit parameters name them in words.
func measureTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("temperature.convert", "Convert a temperature between Celsius, Fahrenheit and Kelvin.",
			`{"type":"object","properties":{"value":{"type":"number","description":"Temperature value."},"from_unit":{"type":"string","enum":["celsius","fahrenheit","kelvin"],"description":"Unit of the value."},"to_unit":{"type":"string","enum":["celsius","fahrenheit","kelvin"],"description":"Unit to convert to."}},"required":["value","from_unit","to_unit"]}`),
		testTool("energy.consumption", "Compute the energy used by an appliance of a given power running for some hours, in kWh.",
			`{"type":"object","properties":{"power_watts":{"type":"number","description":"Power rating in watts."},"hours":{"type":"number","description":"Running time in hours."}},"required":["power_watts","hours"]}`),
		testTool("shipping.estimate_cost", "Estimate the cost of shipping a parcel to a country.",
			`{"type":"object","properties":{"weight_kg":{"type":"number","description":"Parcel weight in kilograms."},"destination_country":{"type":"string","description":"Destination country name."}},"required":["weight_kg","destination_country"]}`),
		testTool("recipes.search", "Find recipes that use the given ingredients.",
			`{"type":"object","properties":{"ingredients":{"type":"array","items":{"type":"string"},"description":"Ingredients to use."},"max_minutes":{"type":"integer","description":"Maximum preparation time in minutes."}},"required":["ingredients"]}`),
		testTool("get_population", "Get the population of a country in a given year.",
			`{"type":"object","properties":{"country":{"type":"string","description":"Country name."},"year":{"type":"integer","description":"Year."}},"required":["country"]}`),
		testTool("thermodynamics.boiling_point", "Calculate the boiling point of a substance at a given pressure.",
			`{"type":"object","properties":{"substance":{"type":"string","description":"The substance, such as 'water'."},"pressure":{"type":"number","description":"The pressure."}},"required":["substance","pressure"]}`),
	)
}

// TestUnitsWrittenAsWordsAndSymbols: an enum that spells units in words ("fahrenheit")
// takes the unit written as a symbol ("98.6 F"), "300 K" is kelvins, and "a 1500 W
// heater" gives the power in watts (W stays no unit where no parameter is measured in
// watts: "40.7 N, 74.0 W"). The second conversion of "98.6 F in celsius and 20 C in
// fahrenheit" was dropped: the fahrenheit of the second set counted as the first's.
func TestUnitsWrittenAsWordsAndSymbols(t *testing.T) {
	p := newTestPattern(t, measureTools()...)
	wantCalls(t, p, map[string]string{
		"Convert 300 K to celsius":                               "temperature.convert(value=300 from_unit=kelvin to_unit=celsius)",
		"What is 98.6 F in celsius?":                             "temperature.convert(value=98.6 from_unit=fahrenheit to_unit=celsius)",
		"What is 98.6 F in celsius and 20 C in fahrenheit?":      "temperature.convert(value=98.6 from_unit=fahrenheit to_unit=celsius); temperature.convert(value=20 from_unit=celsius to_unit=fahrenheit)",
		"How much energy does a 1500 W heater use over 3 hours?": "energy.consumption(power_watts=1500 hours=3)",
		// "in 3 hours" is the span a computation runs over, not a delay.
		"How much energy does a 1500 W heater use in 3 hours?": "energy.consumption(power_watts=1500 hours=3)",
	}, "value", "from_unit", "to_unit", "power_watts", "hours")
	wantRefusal(t, p, "20 C in fahrenheit and 98.6 F in celsius", "98.6")
	if got := unitAfter("at 40.7 N, 74.0 W", len("at 40.7 N, 74.0")); got != 0 {
		t.Errorf("W after a coordinate is a unit: %b", got)
	}
}

// TestSetsSpeltOutPlanEveryPart: "shipping cost for 2 kg to Canada and 5 kg to Japan"
// served Canada alone. Spelt out, the second part ("shipping cost for 5 kg to Japan")
// opened with an -ing word and was read as a circumstance ("heading to the airport"),
// never planned; an -ing word before a plain noun names a thing, and a rewriting that
// plans fewer steps than its parts did alone is not kept.
func TestSetsSpeltOutPlanEveryPart(t *testing.T) {
	p := newTestPattern(t, measureTools()...)
	wantCalls(t, p, map[string]string{
		"shipping cost for 2 kg to Canada and 5 kg to Japan":                "shipping.estimate_cost(weight_kg=2 destination_country=Canada); shipping.estimate_cost(weight_kg=5 destination_country=Japan)",
		"shipping cost for 2 kg to Canada; shipping cost for 5 kg to Japan": "shipping.estimate_cost(weight_kg=2 destination_country=Canada); shipping.estimate_cost(weight_kg=5 destination_country=Japan)",
		"Population of India and China in 2020":                             "get_population(country=India year=2020); get_population(country=China year=2020)",
	}, "weight_kg", "destination_country", "country", "year")
}

// TestIngredientsListed: a list of things a request names in plain words after "with"
// or "using" fills a parameter that lists ingredients, one entry each.
func TestIngredientsListed(t *testing.T) {
	p := newTestPattern(t, measureTools()...)
	wantCalls(t, p, map[string]string{
		"Recipes with chicken, rice and broccoli under 30 minutes": "recipes.search(ingredients=[chicken rice broccoli] max_minutes=30)",
		"recipes using tofu": "recipes.search(ingredients=[tofu])",
	}, "ingredients", "max_minutes")
}

// TestAnotherPointRefused: "the freezing point of water" over a tool that computes the
// boiling point was served once "10 kPa" filled the pressure.
func TestAnotherPointRefused(t *testing.T) {
	p := newTestPattern(t, measureTools()...)
	wantRefusal(t, p, "What is the freezing point of water at a pressure of 10 kPa?", "freezing point")
	wantCalls(t, p, map[string]string{
		"What is the boiling point of water at a pressure of 10 kPa?": "thermodynamics.boiling_point(substance=water pressure=10)",
	}, "substance", "pressure")
}

// currentTools report the state of things now and take no date.
func currentTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("get_current_weather", "Get the current weather in a given location.",
			`{"type":"object","properties":{"location":{"type":"string","description":"The city, e.g. Boston"}},"required":["location"]}`),
		testTool("listings.get", "Get the details of a property listing.",
			`{"type":"object","properties":{"listing_id":{"type":"string","description":"Listing id, e.g. L-10023"}},"required":["listing_id"]}`),
		testTool("find_movies", "Search for movies playing in a city.",
			`{"type":"object","properties":{"location":{"type":"string","description":"City, e.g. Austin"}},"required":["location"]}`),
	)
}

// TestDayAToolCannotRead: "weather in Denver tomorrow" over a tool that reports the
// current weather served today's; a day with a time of day is an appointment a lookup
// does not make. A search that takes no date still serves a request that names one
// ("movies playing in Austin on 2027-02-14").
func TestDayAToolCannotRead(t *testing.T) {
	p := newTestPattern(t, currentTools()...)
	for req, phrase := range map[string]string{
		"weather in Denver tomorrow":                               "tomorrow",
		"What's the weather going to be like next week in Denver?": "to come",
		"what will the weather be in Oslo":                         "to come",
		"I'd like to see listing L-20417 this Saturday at 11am":    "Saturday",
	} {
		wantRefusal(t, p, req, phrase)
	}
	wantCalls(t, p, map[string]string{
		"weather in Oslo right now":                   "get_current_weather(location=Oslo)",
		"find movies playing in Austin on 2027-02-14": "find_movies(location=Austin)",
	}, "location")
}

// TestDateSpans: a span's year written once is both dates' ("departing on April 15th
// and returning on April 22nd 2023"), and a span that would end before it starts is
// refused, not served.
func TestDateSpans(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("flights.search_roundtrip", "Search roundtrip flights.",
			`{"type":"object","properties":{"origin":{"type":"string","description":"Origin airport code, e.g. JFK"},"destination":{"type":"string","description":"Destination airport code, e.g. LAX"},"departure_date":{"type":"string","format":"date"},"return_date":{"type":"string","format":"date"}},"required":["origin","destination","departure_date","return_date"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"search roundtrip flights from JFK to LAX, departing on April 15th and returning on April 22nd 2023": "flights.search_roundtrip(origin=JFK destination=LAX departure_date=2023-04-15 return_date=2023-04-22)",
	}, "origin", "destination", "departure_date", "return_date")
	wantRefusal(t, p, "search roundtrip flights from JFK to LAX departing 2027-04-22 and returning 2027-04-15", "before departure_date")
}

// petTools book grooming and log a dog's walks and weight.
func petTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("grooming.book", "Book a grooming appointment for a pet.",
			`{"type":"object","properties":{"pet_name":{"type":"string","description":"The pet's name, e.g. Rex"},"date":{"type":"string","format":"date"},"time":{"type":"string","description":"Time, HH:MM"}},"required":["pet_name","date","time"]}`),
		testTool("logWorkout", "Log a workout the user did.",
			`{"type":"object","properties":{"activity":{"type":"string","description":"e.g. run, hike"},"durationMinutes":{"type":"integer","description":"Duration in minutes."}},"required":["activity","durationMinutes"]}`),
		testTool("pets.log_weight", "Log a pet's weight.",
			`{"type":"object","properties":{"pet_name":{"type":"string","description":"The pet's name, e.g. Rex"},"weight_kg":{"type":"number","description":"Weight in kilograms."}},"required":["pet_name","weight_kg"]}`),
	)
}

// TestSecondSetsValuesLeft: "full groom for Pepper on friday at 10 and for Rocco on
// saturday at 2pm" booked Pepper on Friday at 2pm and dropped Rocco (the time after
// "and" accounted for the conjunct); "... log that for me. and she was 22.1 kg on the
// scale after" logged the hike and left the weight a tool of the catalogue takes.
func TestSecondSetsValuesLeft(t *testing.T) {
	p := newTestPattern(t, petTools()...)
	wantRefusal(t, p, "full groom for Pepper on friday at 10 and for Rocco on saturday at 2pm", "saturday")
	wantRefusal(t, p, "took Pepper on a 50 minute hike, log that for me. and she was 22.1 kg on the scale after", "22.1 kg")
	wantCalls(t, p, map[string]string{
		"I'm 180 cm tall. Log a 50 minute hike": "logWorkout(activity=hike durationMinutes=50)",
	}, "activity", "durationMinutes")
}

// TestCarMakeModelYear: "an oil change on a 2018 Toyota Camry" gave the make "Toyota
// Camry" and no year (the noun after 2018 said it counts Toyotas): a four-digit year
// before a name fills a year, and a name that fills a make while the model is left is
// the two. A place hold "as an e-book" took the format "book".
func TestCarMakeModelYear(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("get_service_quote", "Price estimate for a service on the customer's own car.",
			`{"type":"object","properties":{"service":{"type":"string","enum":["oil_change","brake_pads"]},"make":{"type":"string","description":"e.g. Toyota"},"model":{"type":"string","description":"e.g. Corolla"},"year":{"type":"integer"}},"required":["service"]}`),
		testTool("library.place_hold", "Place a hold on a title in the library catalogue.",
			`{"type":"object","properties":{"title":{"type":"string"},"format":{"type":"string","enum":["book","ebook","audiobook"]}},"required":["title"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"how much is an oil change on a 2018 Toyota Camry?":  "get_service_quote(service=oil_change make=Toyota model=Camry year=2018)",
		"quote for brake pads on a 2019 Land Rover Defender": "get_service_quote(service=brake_pads make=Land Rover model=Defender year=2019)",
		"place a hold on Dune as an e-book":                  "library.place_hold(title=Dune format=ebook)",
	}, "service", "make", "model", "year", "title", "format")
}

// TestListOfPlacesRightNow: "the weather in Boston and Seattle right now" served Boston
// and refused Seattle: words after a list of names that say when or ask politely are
// every call's.
func TestListOfPlacesRightNow(t *testing.T) {
	p := newTestPattern(t, currentTools()...)
	wantCalls(t, p, map[string]string{
		"What's the weather like in Boston and Seattle right now?": "get_current_weather(location=Boston); get_current_weather(location=Seattle)",
	}, "location")
}

// TestThermostatRoomAndDegrees: "set the thermostat to 22 in the kitchen" read "22" as
// the room (the first phrase after "to"); "make the living room 20.5 degrees" read
// "room 20.5" as a room number. A number (with its unit) is no place, and a unit after a
// number that the parameter counts says what the number is.
func TestThermostatRoomAndDegrees(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("set_thermostat", "Set the target temperature of a room's thermostat in degrees Celsius",
			`{"type":"object","properties":{"room":{"type":"string","description":"the room, e.g. living room or bedroom"},"temperature_c":{"type":"number","description":"target temperature in Celsius"}},"required":["room","temperature_c"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"set the thermostat to 22 in the kitchen":         "set_thermostat(room=kitchen temperature_c=22)",
		"set the thermostat to 22 degrees in the kitchen": "set_thermostat(room=kitchen temperature_c=22)",
		"make the living room 20.5 degrees":               "set_thermostat(room=living room temperature_c=20.5)",
		"set the thermostat in the bedroom to 19":         "set_thermostat(room=bedroom temperature_c=19)",
	}, "room", "temperature_c")
}

// TestTemplateValues: "Render the template 'Dear {{name}}' with name Ivan" gave the
// built-in a mustache field Go's templates do not read, and no values (its run failed:
// function "name" not defined); a template whose fields the request gives no value for
// was served and failed at run time (missing keys are an error). Now {{name}} is
// {{.name}} with its value, and a template without values is refused, naming the field.
// (Until this session "render the template 'Hello {{.name}}'" was served without
// values: pattern_values_test.go had it as a plan.)
func TestTemplateValues(t *testing.T) {
	p := newTestPattern(t, tool.Builtins()...)
	wantCalls(t, p, map[string]string{
		"Render the template 'Dear {{name}}' with name Ivan": "render_template(template=Dear {{.name}} values=map[name:Ivan])",
	}, "template", "values")
	wantRefusal(t, p, "render the template 'Hello {{.name}}'", "needs a value for name")
	wantRefusal(t, p, "Render the template 'Dear {{name}}'", "needs a value for name")
}

// TestPartialConjunct: "what time is it in Tokyo and paint the fence blue" was refused
// whole even when a partial plan was asked for, while ", then paint the fence blue" gave
// one: the thing after "and" that no step serves is the part left out, and the rest is
// served with it listed. Plan still refuses the request.
func TestPartialConjunct(t *testing.T) {
	p := newTestPattern(t, tool.Builtins()...)
	pl, unplanned, err := p.PlanPartial(context.Background(), planq.New("what time is it in Tokyo and paint the fence blue"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Steps) != 1 || pl.Steps[0].Tool != "current_time" || len(unplanned) != 1 || unplanned[0] != "paint the fence blue" {
		t.Fatalf("got %s, unplanned %q; want current_time and \"paint the fence blue\" left out", pl.JSON(), unplanned)
	}
	wantRefusal(t, p, "what time is it in Tokyo and paint the fence blue", "paint the fence blue")
}

// TestCalculationsAndTripsOfNewcomerCatalogue: from a newcomer's catalogue of maths,
// statistics, distances and books. "what is the sum of 133 and 34" was answered by
// stats.mean ("Calculate the arithmetic mean": arithmetic, not a sum); "Calculate 3^4"
// gave stats.mean the numbers [3, 4]; "Distance from Lisbon to Porto and from Madrid
// to Seville" gave three trips from Lisbon; "reviews for '1984' and 'Brave New World'"
// served the second alone.
func TestCalculationsAndTripsOfNewcomerCatalogue(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("stats.mean", "Calculate the arithmetic mean of a list of numbers.",
			`{"type":"object","properties":{"numbers":{"type":"array","items":{"type":"number"},"description":"The numbers."}},"required":["numbers"]}`),
		testTool("geo.distance", "Distance in km between two cities.",
			`{"type":"object","properties":{"origin":{"type":"string","description":"Origin city."},"destination":{"type":"string","description":"Destination city."}},"required":["origin","destination"]}`),
		testTool("books.get_reviews", "Get reader reviews of a book by its title.",
			`{"type":"object","properties":{"title":{"type":"string","description":"Book title."}},"required":["title"]}`),
	)...)
	wantRefusal(t, p, "Calculate 3^4", "")
	wantRefusal(t, p, "reviews for '1984' and 'Brave New World'", "1984")
	wantCalls(t, p, map[string]string{
		"what is 3 + 4":                 "calculate(expression=3 + 4)",
		"what is the sum of 133 and 34": "calculate(expression=133 + 34)",
		"Distance from Lisbon to Porto and from Madrid to Seville": "geo.distance(origin=Lisbon destination=Porto); geo.distance(origin=Madrid destination=Seville)",
		"distance from Lisbon to Porto, Faro and Braga":            "geo.distance(origin=Lisbon destination=Porto); geo.distance(origin=Lisbon destination=Faro); geo.distance(origin=Lisbon destination=Braga)",
		"reviews for 'Dune' and 'Brave New World'":                 "books.get_reviews(title=Dune); books.get_reviews(title=Brave New World)",
	}, "expression", "origin", "destination", "title")
}

// TestItemsAfterALabel: "log lunch: a turkey sandwich and an apple" was refused for want
// of the foods (the object of "log" ended at the colon); the items follow the label.
func TestItemsAfterALabel(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("logMeal", "Add what the user ate to the food diary, for a meal on a date.",
			`{"type":"object","properties":{"meal":{"type":"string","enum":["breakfast","lunch","dinner","snack"]},"foods":{"type":"array","items":{"type":"string"},"description":"Foods with amounts, one per entry"}},"required":["foods"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"log lunch: a turkey sandwich and an apple":    "logMeal(meal=lunch foods=[turkey sandwich apple])",
		"log a turkey sandwich and an apple for lunch": "logMeal(meal=lunch foods=[turkey sandwich apple])",
	}, "meal", "foods")
}

// TestTodoItemsAndCallsByName: "add milk and eggs to my todo list" created "milk" alone
// (the shared "to my todo list" answered for the eggs), and "call Dave" called the
// number "Dave": a name is no phone number.
func TestTodoItemsAndCallsByName(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("create_todo", "Add a task to one of the user's to-do lists.",
			`{"type":"object","properties":{"title":{"type":"string","minLength":1}},"required":["title"]}`),
		testTool("make_phone_call", "Start a voice call from the user's phone to a phone number.",
			`{"type":"object","properties":{"to":{"type":"string","description":"Phone number to call."}},"required":["to"]}`),
	)...)
	wantRefusal(t, p, "add milk and eggs to my todo list", "eggs")
	wantRefusal(t, p, "call Dave", "")
	wantCalls(t, p, map[string]string{
		"add milk to my todo list": "create_todo(title=milk)",
		"call +1 555 010 9876":     "make_phone_call(to=+15550109876)",
	}, "title", "to")
}

// TestBuiltinTimeAndBody: "Convert 2027-03-14 10:00 to Asia/Tokyo time" converted the
// day alone, and "Call the REST API at https://..." sent the body "REST API" (a helper's
// newcomer pass).
func TestBuiltinTimeAndBody(t *testing.T) {
	p := newTestPattern(t, tool.Builtins()...)
	wantRefusal(t, p, "Convert 2027-03-14 10:00 to Asia/Tokyo time", "without the time 10:00")
	wantCalls(t, p, map[string]string{
		"Convert 2027-03-14T10:00:00Z to Asia/Tokyo":            "convert_time(time=2027-03-14T10:00:00Z timezone=Asia/Tokyo)",
		"Call the REST API at https://api.example.com/v1/items": "http_request(url=https://api.example.com/v1/items)",
	}, "time", "timezone", "url", "body")
}

// TestBookingTimeItCannotTake: "Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and
// then text ... the confirmation" (once the README's example) booked the day: the
// daily-life book_restaurant takes a name and a date, and the hour was dropped without
// a word. A tool that acts and takes a day but no time is refused a time of day.
func TestBookingTimeItCannotTake(t *testing.T) {
	p := NewPattern(dailyLife(t), WithClock(testNow))
	wantRefusal(t, p, "Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation", "at 19:00")
	if _, err := p.Plan(context.Background(), planq.New("Book a table at Luigi's on 2026-12-24 and then text +1 555 123 4567 the confirmation")); err != nil {
		t.Fatal(err)
	}
}
