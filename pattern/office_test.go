package pattern

import "testing"

// TestOfficeWording: requests of an office catalogue written as people say them, each
// refused before: "remind me <when> to ..." (the reminder's text after the when), a
// tool's "to-do list" is its todos (one word, not "to" and "do"), a folder is a directory and a path
// without an extension is a path ("projects/2027", "~/site"), snow and rain are weather.
func TestOfficeWording(t *testing.T) {
	p := newTestPattern(t,
		testTool("create_reminder", "Remind the user about something at a date (and time).",
			`{"type":"object","properties":{"text":{"type":"string","description":"What to remind the user of."},"date":{"type":"string","format":"date"}},"required":["text","date"]}`),
		testTool("tasks.list", "List the items on a to-do list.",
			`{"type":"object","properties":{"list":{"type":"string","default":"inbox"}}}`),
		testTool("create_directory", "Create a directory (and any missing parent directories).",
			`{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}`),
		testTool("get_weather_forecast", "Weather forecast for a city on a future date.",
			`{"type":"object","properties":{"city":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["city","date"]}`))
	wantCalls(t, p, map[string]string{
		"remind me tomorrow to renew the parking permit": "create_reminder(text=renew the parking permit date=2026-11-27)",
		"remind me on Friday that the rent is due":       "create_reminder(text=the rent is due date=2026-11-27)",
		"what's on my todo list":                         "tasks.list()",
		"create a folder called projects/2027":           "create_directory(path=projects/2027)",
		"make a folder at ~/site/assets":                 "create_directory(path=~/site/assets)",
		"will it snow in Denver on Saturday?":            "get_weather_forecast(date=2026-11-28 city=Denver)",
	}, "text", "date", "path", "city")
}

// TestTemperatureUnits: "set the thermostat to 68 fahrenheit" was refused (a number
// followed by "fahrenheit" counted nothing a temperature measures); with the number
// taken, the unit must follow it, or 68 would be read in the default Celsius.
func TestTemperatureUnits(t *testing.T) {
	p := newTestPattern(t,
		testTool("thermostat.set_temperature", "Set the home thermostat's target temperature.",
			`{"type":"object","properties":{"temperature":{"type":"number","minimum":5,"maximum":90},"unit":{"type":"string","enum":["C","F"],"default":"C"}},"required":["temperature"]}`))
	wantCalls(t, p, map[string]string{
		"set the thermostat to 68 fahrenheit": "thermostat.set_temperature(temperature=68 unit=F)",
		"set the thermostat to 21 celsius":    "thermostat.set_temperature(temperature=21 unit=C)",
		"set the thermostat to 20 degrees":    "thermostat.set_temperature(temperature=20)",
	}, "temperature", "unit")
}

// TestFitnessWording: a fitness catalogue written as a newcomer would. "log a 45 minute
// yoga session" logged the activity "xxxxxxxxx yoga" (the masked duration taken as a
// qualifier); "tell my coach I'll miss Thursday's session" was taken for a question
// (tell = show) and its message kept "coach"; "my step goal" did not name the metric
// steps.
func TestFitnessWording(t *testing.T) {
	p := newTestPattern(t,
		testTool("log_workout", "Record a workout the user did.",
			`{"type":"object","properties":{"activity":{"type":"string","description":"Kind of workout, e.g. running, cycling, yoga"},"duration_minutes":{"type":"integer","description":"How long it lasted, in minutes"}},"required":["activity","duration_minutes"]}`),
		testTool("send_message_to_coach", "Send a message to the user's personal trainer.",
			`{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}`),
		testTool("set_daily_goal", "Set the user's daily goal for steps, calories or water.",
			`{"type":"object","properties":{"metric":{"type":"string","enum":["steps","calories","water_ml"]},"target":{"type":"number"}},"required":["metric","target"]}`))
	wantCalls(t, p, map[string]string{
		"log a 45 minute yoga session":               "log_workout(activity=yoga duration_minutes=45)",
		"tell my coach I'll miss Thursday's session": "send_message_to_coach(message=I'll miss Thursday's session)",
		"set my step goal to 10,000":                 "set_daily_goal(metric=steps target=10000)",
	}, "activity", "duration_minutes", "message", "metric", "target")
	if !masked.MatchString("xxxxxxxxx yoga") || masked.MatchString("Exxon") {
		t.Error("masked does not tell a masked slot from a word")
	}
}

// TestUnitConversion: "how many kilograms is 165 lbs" matched no tool (no "convert"),
// and "convert 10 km to miles" gave to_unit "10 km" (the from unit was taken as an
// example word first). A unit named by its full name is a unit of measure, the unit
// after the number is converted from and the other one to, as the codes the tool's
// examples use.
func TestUnitConversion(t *testing.T) {
	p := newTestPattern(t,
		testTool("convert_units", "Convert a quantity between units of length, mass, volume, temperature, speed or area.",
			`{"type":"object","properties":{"value":{"type":"number"},"from_unit":{"type":"string","description":"e.g. mi, km, lb, kg, F, C, cup, ml"},"to_unit":{"type":"string"}},"required":["value","from_unit","to_unit"]}`))
	wantCalls(t, p, map[string]string{
		"how many kilograms is 165 lbs": "convert_units(value=165 from_unit=lb to_unit=kg)",
		"convert 10 km to miles":        "convert_units(value=10 from_unit=km to_unit=mi)",
		"convert 2 cups to ml":          "convert_units(value=2 from_unit=cup to_unit=ml)",
		"convert 350 F to C":            "convert_units(value=350 from_unit=F to_unit=C)",
	}, "value", "from_unit", "to_unit")
}
