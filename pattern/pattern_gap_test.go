package pattern

import (
	"strings"
	"testing"

	"github.com/planwise/planwise/tool"
)

// gapTools is a small catalogue of functions a request asks for several times over, in
// the style of BFCL's parallel questions.
func gapTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("geometry.circle_area", "Calculate the area of a circle given its radius.",
			`{"type":"object","properties":{"radius":{"type":"number","description":"The radius of the circle."},"unit":{"type":"string","description":"Unit of length, default 'cm'."}},"required":["radius"]}`),
		testTool("currency.convert", "Convert an amount from one currency to another.",
			`{"type":"object","properties":{"amount":{"type":"number","description":"Amount to convert."},"from_currency":{"type":"string","description":"Source currency code."},"to_currency":{"type":"string","description":"Target currency code."}},"required":["amount","from_currency","to_currency"]}`),
		testTool("finance.loan_payment", "Compute the monthly payment of a loan.",
			`{"type":"object","properties":{"principal":{"type":"number","description":"Loan amount."},"annual_rate":{"type":"number","description":"Annual interest rate as a decimal."},"years":{"type":"integer","description":"Loan term in years."}},"required":["principal","annual_rate","years"]}`),
		testTool("restaurant.book_table", "Book a table at a restaurant.",
			`{"type":"object","properties":{"restaurant":{"type":"string","description":"Restaurant name."},"party_size":{"type":"integer","description":"Number of people."},"time":{"type":"string","description":"Time of the booking, HH:MM."}},"required":["restaurant","party_size","time"]}`),
		testTool("taxi.book", "Book a taxi to an address.",
			`{"type":"object","properties":{"address":{"type":"string","description":"Pickup address."},"time":{"type":"string","description":"Pickup time, HH:MM."}},"required":["address","time"]}`),
		testTool("payments.send", "Send money to a contact.",
			`{"type":"object","properties":{"recipient":{"type":"string","description":"Contact name."},"amount":{"type":"number","description":"Amount in dollars."}},"required":["recipient","amount"]}`),
	)
}

// TestInstructionSaidOnceForTwoSets: "convert 100 USD to EUR and 50 GBP to JPY" was
// refused (a second amount no step takes): the instruction is said once for two sets of
// values, and spelt out for each it is two steps of one tool. Only a part made of the
// first part's kinds of value and words is such a set; anything else stays refused.
func TestInstructionSaidOnceForTwoSets(t *testing.T) {
	p := newTestPattern(t, gapTools()...)
	wantCalls(t, p, map[string]string{
		"What is the area of a circle of radius 3 and of one of radius 7.5?":                                       "geometry.circle_area(radius=3); geometry.circle_area(radius=7.5)",
		"Convert 100 USD to EUR and 50 GBP to JPY.":                                                                "currency.convert(amount=100 from_currency=USD to_currency=EUR); currency.convert(amount=50 from_currency=GBP to_currency=JPY)",
		"Convert 100 USD to EUR, 50 GBP to JPY and 20 CHF to SEK":                                                  "currency.convert(amount=100 from_currency=USD to_currency=EUR); currency.convert(amount=50 from_currency=GBP to_currency=JPY); currency.convert(amount=20 from_currency=CHF to_currency=SEK)",
		"Compute the monthly payment for a loan of $10,000 at 5% for 3 years and one of $20,000 at 4% for 5 years": "finance.loan_payment(principal=10000 annual_rate=0.05 years=3); finance.loan_payment(principal=20000 annual_rate=0.04 years=5)",
		"Send $20 to Alice and 35 to Bob":                                                                          "payments.send(amount=20 recipient=Alice); payments.send(amount=35 recipient=Bob)",
		"Book a table at Luigi's for 4 at 19:00 and at Nopa for 2 at 20:00":                                        "restaurant.book_table(restaurant=Luigi's party_size=4 time=19:00); restaurant.book_table(restaurant=Nopa party_size=2 time=20:00)",
	}, "radius", "amount", "from_currency", "to_currency", "principal", "annual_rate", "years", "recipient", "restaurant", "party_size", "time")
	for req, phrase := range map[string]string{
		// Another thing named after "and": a taxi is no table.
		"Book a table at Luigi's for 4 at 19:00 and a taxi for 4 at 18:30": "taxi",
		// Words the first part does not have.
		"Convert 100 USD to EUR and 50 GBP into yen by tomorrow": "50",
		// More values than the first set has.
		"Send $20 to Alice and $35 to Bob on Friday at 9:00": "",
		// A value with no instruction before it.
		"Send Alice $20 and Bob": "Bob",
	} {
		wantRefusal(t, p, req, phrase)
	}
}

// physicsTools take numbers measured in units.
func physicsTools() []*tool.Tool {
	return append(tool.Builtins(),
		testTool("physics.free_fall_time", "Calculate how long an object dropped from rest takes to fall a given height, ignoring air resistance.",
			`{"type":"object","properties":{"height":{"type":"number","description":"The drop height in meters."},"gravity":{"type":"number","description":"Gravitational acceleration in m/s^2. Default is 9.81.","default":9.81}},"required":["height"]}`),
		testTool("physics.ohms_law_current", "Calculate the current through a resistor using Ohm's law.",
			`{"type":"object","properties":{"voltage":{"type":"number","description":"Voltage across the resistor in volts."},"resistance":{"type":"number","description":"Resistance in ohms."}},"required":["voltage","resistance"]}`),
		testTool("physics.electrical_power", "Calculate the electrical power drawn by a device from voltage and current.",
			`{"type":"object","properties":{"voltage":{"type":"number","description":"Voltage in volts."},"current":{"type":"number","description":"Current in amperes."}},"required":["voltage","current"]}`),
		testTool("chemistry.ideal_gas_pressure", "Calculate the pressure of an ideal gas.",
			`{"type":"object","properties":{"moles":{"type":"number","description":"Amount of gas in moles."},"temperature":{"type":"number","description":"Temperature in kelvin."},"volume":{"type":"number","description":"Volume in liters."}},"required":["moles","temperature","volume"]}`),
		dayOfWeekTool(),
		testTool("math.solve_quadratic", "Find the roots of a quadratic equation ax^2 + bx + c = 0.",
			`{"type":"object","properties":{"a":{"type":"integer","description":"Coefficient of x^2."},"b":{"type":"integer","description":"Coefficient of x."},"c":{"type":"integer","description":"Constant term."}},"required":["a","b","c"]}`),
	)
}

// TestNumbersTakeTheirUnitsParameter: "dropped from 20 m, from 45 m, and from 80 m"
// gave 45 and 80 to the gravity (in m/s^2), and "12 V ... 4 ohm" gave 12 to the
// resistance: a number written with a unit fills no parameter measured in another
// dimension. A second number in a unit a step took, which no step takes, is a call
// dropped; N, W and a K written onto its number are no units.
func TestNumbersTakeTheirUnitsParameter(t *testing.T) {
	p := newTestPattern(t, physicsTools()...)
	wantCalls(t, p, map[string]string{
		"How long would a stone take to hit the ground if dropped from 20 m, from 45 m, and from 80 m?": "physics.free_fall_time(height=20); physics.free_fall_time(height=45); physics.free_fall_time(height=80)",
		"What current flows when 4 ohm is put across 12 V?":                                             "physics.ohms_law_current(voltage=12 resistance=4)",
		"how much power does a device draw at 230 V and 0.5 A":                                          "physics.electrical_power(voltage=230 current=0.5)",
		"What's the pressure of 2 moles of an ideal gas at 300 kelvin in a 10 liter container?":         "chemistry.ideal_gas_pressure(moles=2 temperature=300 volume=10)",
	}, "height", "gravity", "voltage", "resistance", "current", "moles", "temperature", "volume")
	wantRefusal(t, p, "fall time for a 20 m drop vs a 45 m drop", "20 m")
	for text, want := range map[string]dim{"20 m": dimLength, "9.8 m/s^2": dimAccel, "12 V": dimVoltage, "300 K": dimTemperature,
		"10K": 0, "74 W": 0, "40 N": 0, "5 apples": 0, "3 hours": dimTime} {
		if got := unitAfter(text, strings.IndexFunc(text, func(r rune) bool { return r != '.' && (r < '0' || r > '9') })); got != want {
			t.Errorf("unitAfter(%q) = %b, want %b", text, got, want)
		}
	}
}

// TestValueForATakenParameterIsAnotherCall: "connected first across a 4 ohm resistor and
// then across a 6 ohm resistor. What current flows in each case?" planned the 4 ohms
// alone: a clause that only lacked values for a step another clause asked for is no
// step of its own, unless it states a value for a parameter that step filled otherwise.
func TestValueForATakenParameterIsAnotherCall(t *testing.T) {
	p := newTestPattern(t, physicsTools()...)
	// (With the 12 V the statement gives, the second resistor is a call of its own.)
	wantCalls(t, p, map[string]string{
		"A 12 V battery is connected first across a 4 ohm resistor and then across a 6 ohm resistor. What current flows in each case?": "physics.ohms_law_current(voltage=12 resistance=4); physics.ohms_law_current(voltage=12 resistance=6)",
	}, "voltage", "resistance")
	m := newTestPattern(t, moneyTools()...)
	wantRefusal(t, m, "pay my water bill of 31 euros and also internet", "internet")
}

// TestSecondDateAfterAnd: "which day of the week was July 20, 1969, and which day was
// November 9, 1989" answered the first date alone. A second date or time joined by a
// conjunction to one a step took is a second call; one that says the first again or the
// day it counts from is not ("this coming Saturday, which is 2023-10-07").
func TestSecondDateAfterAnd(t *testing.T) {
	p := newTestPattern(t, physicsTools()...)
	wantCalls(t, p, map[string]string{
		"Which day of the week was July 20, 1969, and which day was November 9, 1989?": "calendar.day_of_week(date=1969-07-20); calendar.day_of_week(date=1989-11-09)",
		"What day of the week is 2024-03-15, which is my birthday?":                    "calendar.day_of_week(date=2024-03-15)",
	}, "date")
	wantRefusal(t, p, "Which day of the week was July 20, 1969, and which one was November 9, 1989?", "1989")
}

// TestTwoEquations: "solve x^2 + 3x - 10 = 0 and 2x^2 - 8 = 0" solved the first alone;
// each equation is a call.
func TestTwoEquations(t *testing.T) {
	p := newTestPattern(t, physicsTools()...)
	wantCalls(t, p, map[string]string{
		"Solve x^2 + 3x - 10 = 0 and 2x^2 - 8 = 0.": "math.solve_quadratic(a=1 b=3 c=-10); math.solve_quadratic(a=2 b=0 c=-8)",
	}, "a", "b", "c")
}

// TestNoNameForADigitExample: "How many league goals did Erling Haaland and Harry Kane
// score in 2022-23" gave the season "Harry Kane": a parameter whose examples are all
// digits ("e.g. '2022-23'") takes no value without a digit. And "..., and what day of
// the week is each of those two dates" is a question of its own, not part of the first.
func TestNoNameForADigitExample(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("soccer.player_goals", "Get the number of league goals a football (soccer) player scored in a season.",
			`{"type":"object","properties":{"player":{"type":"string","description":"The full name of the player."},"season":{"type":"string","description":"The season, e.g. '2021-22'."}},"required":["player","season"]}`),
		testTool("sports.league_standings", "Get the league table for a football (soccer) league.",
			`{"type":"object","properties":{"league":{"type":"string","description":"The name of the league, e.g. 'Premier League'."},"season":{"type":"string","description":"The season, e.g. '2022-23'. Default is the current season."}},"required":["league"]}`),
		testTool("calendar.days_between", "Count the number of days between two dates.",
			`{"type":"object","properties":{"start_date":{"type":"string","description":"The start date in YYYY-MM-DD format."},"end_date":{"type":"string","description":"The end date in YYYY-MM-DD format."}},"required":["start_date","end_date"]}`),
		dayOfWeekTool(),
	)...)
	wantRefusal(t, p, "How many league goals did Erling Haaland and Harry Kane score in 2022-23?", "Harry Kane")
	// Nor a phrase: "When do the next Summer Olympic Games start?" is no season.
	wantRefusal(t, p, "When does the next league season start?", "")
	wantRefusal(t, p, "How many days are there from 2024-01-01 to 2024-12-25, and what day of the week is each of those two dates?", "")
	if cs := p.clauses("How many days are there from 2024-01-01 to 2024-12-25, and what day of the week is each of those two dates?"); len(cs) != 2 {
		t.Errorf("got %d clauses, want 2 (the day of the week is a question of its own)", len(cs))
	}
}

// TestListWithSharedTail: "the populations of Canada and Australia in 2020" was refused
// ("Australia in 2020" asked for nothing a step did), and "the Chicago Bulls and the
// Miami Heat" read as one team: values after a list of names that the first call took
// are every call's; "the X and the Y" names two; a season written as its example is
// ('2019-20') is one value. A second name after "and the" that no call takes is refused.
func TestListWithSharedTail(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("geography.country_population", "Get the population of a country in a given year.",
			`{"type":"object","properties":{"country":{"type":"string","description":"The country name."},"year":{"type":"integer","description":"The year."}},"required":["country","year"]}`),
		testTool("sports.team_season_record", "Get the regular-season win-loss record of a basketball team.",
			`{"type":"object","properties":{"team":{"type":"string","description":"The team name."},"season":{"type":"string","description":"The season, e.g. '2019-20'."}},"required":["team","season"]}`),
		testTool("weather.current", "Get the current weather for a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"Name of the city."},"unit":{"type":"string","enum":["celsius","fahrenheit"],"description":"Temperature unit."}},"required":["city"]}`),
	)...)
	wantCalls(t, p, map[string]string{
		"What were the populations of Canada and Australia in 2020?":                               "geography.country_population(country=Canada year=2020); geography.country_population(country=Australia year=2020)",
		"Get the current weather in Paris, London and Rome in celsius.":                            "weather.current(city=Paris unit=celsius); weather.current(city=London unit=celsius); weather.current(city=Rome unit=celsius)",
		"What were the regular-season records of the Chicago Bulls and the Miami Heat in 2015-16?": "sports.team_season_record(team=Chicago Bulls season=2015-16); sports.team_season_record(team=Miami Heat season=2015-16)",
	}, "country", "year", "city", "unit", "team", "season")
	wantRefusal(t, p, "records of the Chicago Bulls and the Miami Heat wins in 2015-16", "Miami Heat")
}

// TestQuestionAskedOfEachSet: "I'm comparing two loans: $10,000 at 5% for 3 years, and
// $20,000 at 4% for 5 years. What would the monthly payment be on each?" was refused: the
// question is asked of every set of values the statement before it lists. And a
// percentage is a rate or a share, never a count of years ("at 5% for 3" gave the loan 5
// years at a rate of 3).
func TestQuestionAskedOfEachSet(t *testing.T) {
	p := newTestPattern(t, gapTools()...)
	wantCalls(t, p, map[string]string{
		"I'm comparing two loans: $10,000 at 5% for 3 years, and $20,000 at 4% for 5 years. What would the monthly payment be on each?": "finance.loan_payment(principal=10000 annual_rate=0.05 years=3); finance.loan_payment(principal=20000 annual_rate=0.04 years=5)",
	}, "principal", "annual_rate", "years")
	wantRefusal(t, p, "What would the monthly payment be on $10,000 at 5% for 3", "years")
	// Values of the question's own: nothing to ask of each set.
	wantRefusal(t, p, "I'm comparing two loans: $10,000 at 5% for 3 years, and $20,000 at 4% for 5 years. What would the monthly payment be on each at 6%?", "")
}

// TestUnitEnum: "Convert 26.2 miles to kilometers" was refused for want of a from_unit
// whose enum lists the codes ("mi", "km"): an enum of unit codes takes them as a list
// of examples does. Asked of "each" distance a statement lists, it is one call each.
func TestUnitEnum(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("units.convert_length", "Convert a length from one unit to another.",
			`{"type":"object","properties":{"value":{"type":"number","description":"The length to convert."},"from_unit":{"type":"string","description":"The unit of the given length.","enum":["mm","cm","m","km","in","ft","yd","mi"]},"to_unit":{"type":"string","description":"The unit to convert to.","enum":["mm","cm","m","km","in","ft","yd","mi"]}},"required":["value","from_unit","to_unit"]}`))...)
	wantCalls(t, p, map[string]string{
		"Convert 26.2 miles to kilometers": "units.convert_length(value=26.2 from_unit=mi to_unit=km)",
		"A marathon is 26.2 miles and a half marathon 13.1 miles. How many kilometers is each?": "units.convert_length(value=26.2 from_unit=mi to_unit=km); units.convert_length(value=13.1 from_unit=mi to_unit=km)",
	}, "value", "from_unit", "to_unit")
	wantRefusal(t, p, "Convert 26.2 miles to furlongs", "")
}

// TestStatedMeasure: "A soccer ball is kicked at 20 m/s. How far does it land if it
// leaves the ground at 30 degrees, and how far at 45 degrees?" was refused for want of
// the launch speed: the one number a statement gives in the unit a parameter is measured
// in fills it, for every clause that asks; and the second question, said short, is the
// first one's instruction for its own value.
func TestStatedMeasure(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("physics.projectile_range", "Calculate the horizontal range of a projectile launched from ground level on flat ground, ignoring air resistance.",
			`{"type":"object","properties":{"initial_velocity":{"type":"number","description":"Launch speed in m/s."},"launch_angle":{"type":"number","description":"Launch angle above the horizontal, in degrees."},"gravity":{"type":"number","description":"Gravitational acceleration in m/s^2. Default is 9.81.","default":9.81}},"required":["initial_velocity","launch_angle"]}`))...)
	wantCalls(t, p, map[string]string{
		"A soccer ball is kicked at 20 m/s. How far does it land if it leaves the ground at 30 degrees, and how far at 45 degrees?": "physics.projectile_range(initial_velocity=20 launch_angle=30); physics.projectile_range(initial_velocity=20 launch_angle=45)",
	}, "initial_velocity", "launch_angle")
	// Two speeds stated: which one is a guess.
	wantRefusal(t, p, "A ball is kicked at 20 m/s and another at 25 m/s. How far does it land at 30 degrees?", "")
}

// TestPercentListAndDimensionPairs, from a newcomer's catalogue: "Tip on a $60 bill at
// 15%, 18% and 20%?" tipped 20% alone, and "the area of rectangles 2 by 3 and 4 by 5
// meters" gave three rectangles 2 wide (2x3, 2x4, 2x5). Percentages listed are one call
// each; numbers joined by "by" are a pair of dimensions, not a list; "an 18% tip on $85
// and a 20% tip on $120" is the instruction said twice.
func TestPercentListAndDimensionPairs(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("finance.tip", "Calculate the tip for a bill.",
			`{"type":"object","properties":{"bill_amount":{"type":"number","description":"The bill total in dollars."},"tip_percent":{"type":"number","description":"Tip percentage, e.g. 18 for 18%."}},"required":["bill_amount","tip_percent"]}`),
		rectangleTool(),
	)...)
	wantCalls(t, p, map[string]string{
		"Tip on a $60 bill at 15%, 18% and 20%?":                  "finance.tip(bill_amount=60 tip_percent=15); finance.tip(bill_amount=60 tip_percent=18); finance.tip(bill_amount=60 tip_percent=20)",
		"What's the area of rectangles 2 by 3 and 4 by 5 meters?": "geometry.rectangle_area(length=2 width=3); geometry.rectangle_area(length=4 width=5)",
		"What's an 18% tip on $85 and a 20% tip on $120?":         "finance.tip(bill_amount=85 tip_percent=18); finance.tip(bill_amount=120 tip_percent=20)",
	}, "bill_amount", "tip_percent", "length", "width")
	wantRefusal(t, p, "Tip on a $60 bill at 15% or 18%, and the 20% one too", "")
	// A count before the first set is no value of it.
	wantCalls(t, p, map[string]string{
		"My two rectangles measure 4 m by 5 m and 6 m by 3 m. Calculate the rectangle area of each.": "geometry.rectangle_area(length=4 width=5); geometry.rectangle_area(length=6 width=3)",
	}, "length", "width")
}

// TestBuiltinYieldsToAnEqualUserTool, from a newcomer's catalogue: "What time is it now
// in Tokyo, Sydney and Nairobi?" fitted the built-in current_time and the user's
// travel.timezone_time about equally and was refused: a user tool that ranks about as
// high as a built-in covers the clause as well, and the built-in yields to it.
func TestBuiltinYieldsToAnEqualUserTool(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("travel.timezone_time", "Get the current local time in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City name."}},"required":["city"]}`))...)
	wantCalls(t, p, map[string]string{
		"What time is it now in Tokyo, Sydney and Nairobi?": "travel.timezone_time(city=Tokyo); travel.timezone_time(city=Sydney); travel.timezone_time(city=Nairobi)",
		// "respectively" says nothing of what to do.
		"Get the local time for Paris and Tokyo respectively.": "travel.timezone_time(city=Paris); travel.timezone_time(city=Tokyo)",
	}, "city")
	b := newTestPattern(t, tool.Builtins()...)
	wantCalls(t, b, map[string]string{"What time is it now in Tokyo?": "current_time(timezone=Asia/Tokyo)"}, "timezone")
}

// TestCoordinatedToolsOverAList: "Tell me the current weather and the air quality in
// Delhi and in Beijing" was refused ("in Beijing" asked for nothing a step did): each of
// a clause's coordinated tools is called once per place of the list.
func TestCoordinatedToolsOverAList(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("weather.get_current", "Get the current weather conditions for a location.",
			`{"type":"object","properties":{"location":{"type":"string","description":"City name."}},"required":["location"]}`),
		testTool("weather.air_quality", "Get the current air quality index for a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"City name."}},"required":["city"]}`))...)
	wantCalls(t, p, map[string]string{
		"Tell me the current weather and the air quality in Delhi and in Beijing.": "weather.air_quality(city=Delhi); weather.get_current(location=Delhi); weather.air_quality(city=Beijing); weather.get_current(location=Beijing)",
	}, "location", "city")
}

// TestNewcomerDrops, from a newcomer's catalogue: "My small dog is 7 and my large dog is
// 5. How old are they in human years?" answered for the small dog alone; "a 1500 W heater
// 4 hours a day and a 60 W lamp 8 hours a day" ran the heater 60 hours a day; "shipping 1
// kg to France standard versus express" quoted standard alone. A value a statement gives
// beside one a step took, a duration left while the parameter counted in its unit took
// another number, and a value listed with "versus" are each a part of the request the
// plan would drop: refused.
func TestNewcomerDrops(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("pets.dog_age_human", "Convert a dog's age to human years.",
			`{"type":"object","properties":{"dog_age":{"type":"integer","description":"The dog's age in years."},"size":{"type":"string","enum":["small","medium","large"],"description":"Dog size."}},"required":["dog_age","size"]}`),
		testTool("energy.appliance_cost", "Estimate the monthly electricity cost of an appliance.",
			`{"type":"object","properties":{"watts":{"type":"number","description":"Power draw in watts."},"hours_per_day":{"type":"number","description":"Hours of use per day."}},"required":["watts","hours_per_day"]}`),
		testTool("shipping.quote", "Get a shipping price quote for a parcel.",
			`{"type":"object","properties":{"weight_kg":{"type":"number","description":"Parcel weight in kilograms."},"destination_country":{"type":"string","description":"Destination country name."},"service":{"type":"string","enum":["standard","express"],"description":"Service level."}},"required":["weight_kg","destination_country"]}`),
	)...)
	wantRefusal(t, p, "My small dog is 7 and my large dog is 5. How old are they in human years?", "5")
	wantRefusal(t, p, "What does it cost per month to run a 1500 W heater 4 hours a day and a 60 W lamp 8 hours a day?", "hours")
	wantRefusal(t, p, "Compare shipping 1 kg to France standard versus express.", "express")
	wantCalls(t, p, map[string]string{
		"Convert my 10 year old medium dog's age to human years.": "pets.dog_age_human(dog_age=10 size=medium)",
		"My dog is 7 and small. How old is he in human years?":    "pets.dog_age_human(dog_age=7 size=small)",
	}, "dog_age", "size", "watts", "hours_per_day")
}

// TestLanguageList, from a newcomer's catalogue: "Translate 'good morning' into French,
// German and Spanish" was refused ("Spanish" asked for nothing a step did): a list of
// languages for a parameter of language codes is one call per language, each by its
// code.
func TestLanguageList(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("translate.text", "Translate text into a target language.",
			`{"type":"object","properties":{"text":{"type":"string","description":"The text to translate."},"target_language":{"type":"string","description":"Target language code, e.g. 'fr', 'de'."}},"required":["text","target_language"]}`))...)
	wantCalls(t, p, map[string]string{
		"Translate 'good morning' into French, German and Spanish.": "translate.text(text=good morning target_language=fr); translate.text(text=good morning target_language=de); translate.text(text=good morning target_language=es)",
	}, "text", "target_language")
}

// TestTwoTargetsAndTwoObjects, from a newcomer's catalogue: "Convert 100 USD to EUR and to
// GBP" converted 100 GBP to EUR, and "Nutrition facts for apples and for bananas" looked
// up bananas alone. A value "to" introduces fills no parameter of where from when the
// clause has two of them (both are targets: one call each); of "for X and for Y", the
// step that took Y and not X drops X.
func TestTwoTargetsAndTwoObjects(t *testing.T) {
	p := newTestPattern(t, append(gapTools(),
		testTool("nutrition.lookup", "Get the nutrition facts (calories, protein, fat, carbs) for a food per 100 grams.",
			`{"type":"object","properties":{"food":{"type":"string","description":"The food name, e.g. 'banana'."}},"required":["food"]}`))...)
	wantCalls(t, p, map[string]string{
		"Convert 100 USD to EUR and to GBP": "currency.convert(amount=100 from_currency=USD to_currency=EUR); currency.convert(amount=100 from_currency=USD to_currency=GBP)",
		"Convert 100 USD to EUR":            "currency.convert(amount=100 from_currency=USD to_currency=EUR)",
	}, "amount", "from_currency", "to_currency")
	wantRefusal(t, p, "Nutrition facts for apples and for bananas.", "apples")
}

// TestRespectively: "the BMI for two people weighing 60 kg and 80 kg with heights of 160
// cm and 180 cm respectively" was refused: lists that "respectively" pairs off, all as
// long, are one call per position. Lists of different lengths stay refused.
func TestRespectively(t *testing.T) {
	p := newTestPattern(t, append(tool.Builtins(),
		testTool("fitness.bmi", "Calculate body mass index from weight and height.",
			`{"type":"object","properties":{"weight_kg":{"type":"number","description":"Body weight in kilograms."},"height_cm":{"type":"number","description":"Height in centimeters."}},"required":["weight_kg","height_cm"]}`),
		rectangleTool(),
	)...)
	wantCalls(t, p, map[string]string{
		"Calculate the BMI for two people weighing 60 kg and 80 kg with heights of 160 cm and 180 cm respectively.": "fitness.bmi(weight_kg=60 height_cm=160); fitness.bmi(weight_kg=80 height_cm=180)",
		"Find the area of rectangles with lengths 2, 4 and 6 m and widths 1, 3 and 5 m respectively.":               "geometry.rectangle_area(length=2 width=1); geometry.rectangle_area(length=4 width=3); geometry.rectangle_area(length=6 width=5)",
	}, "weight_kg", "height_cm", "length", "width")
	wantRefusal(t, p, "Find the area of rectangles with lengths 2, 4 and 6 m and widths 1 and 3 m respectively.", "")
}

// dayOfWeekTool and rectangleTool are the functions several of these tests offer.
func dayOfWeekTool() *tool.Tool {
	return testTool("calendar.day_of_week", "Find the day of the week for a calendar date.",
		`{"type":"object","properties":{"date":{"type":"string","description":"The date in YYYY-MM-DD format."}},"required":["date"]}`)
}

func rectangleTool() *tool.Tool {
	return testTool("geometry.rectangle_area", "Calculate the area of a rectangle.",
		`{"type":"object","properties":{"length":{"type":"number","description":"Length in meters."},"width":{"type":"number","description":"Width in meters."}},"required":["length","width"]}`)
}
