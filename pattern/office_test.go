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
