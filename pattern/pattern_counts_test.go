package pattern

import (
	"context"
	"fmt"
	"strings"
	"testing"

	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// TestCountsAreNumbers: a parameter that counts ("number_of_days", or one of 1..4
// rooms) takes a number whose noun it counts, the days a date range spans, or nothing:
// "book a taxi" gives a hotel stay no number of days, and "2 nights" is no number of
// rooms.
func TestCountsAreNumbers(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("Lodging.ReserveRoom", "Reserve a room at a hotel for given dates",
			`{"type":"object","properties":{
				"hotel":{"type":"string","description":"Name of the hotel"},
				"check_in_date":{"type":"string","description":"Start date for the reservation, YYYY-MM-DD"},
				"number_of_days":{"type":"string","description":"Number of days in the reservation"},
				"number_of_rooms":{"type":"string","description":"Number of rooms in the reservation","enum":["1","2","3"],"default":"1"}},
			"required":["hotel","check_in_date","number_of_days"]}`),
		testTool("Coach.BuyTicket", "Buy coach tickets between two cities",
			`{"type":"object","properties":{
				"from_city":{"type":"string","description":"City of departure"},
				"to_city":{"type":"string","description":"City of arrival"},
				"num_passengers":{"type":"integer","description":"Number of passengers","enum":[1,2,3,4,5]}},
			"required":["from_city","to_city"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, tc := range []struct {
		req  string
		want map[string]any // nil: refused
	}{
		{"Reserve a room at the Grand Budapest for 2 nights from 2025-05-01.",
			map[string]any{"hotel": "Grand Budapest", "check_in_date": "2025-05-01", "number_of_days": "2"}},
		{"Reserve a room at the Grand Budapest from 2025-05-01 to 2025-05-05.",
			map[string]any{"hotel": "Grand Budapest", "check_in_date": "2025-05-01", "number_of_days": "4"}},
		{"Reserve a taxi room at the Grand Budapest on 2025-05-01.", nil},
		{"Buy two coach tickets from Lyon to Turin.",
			map[string]any{"from_city": "Lyon", "to_city": "Turin", "num_passengers": "2"}},
	} {
		pl, err := p.Plan(context.Background(), planq.New(tc.req))
		if tc.want == nil {
			if err == nil {
				t.Errorf("%q: want a refusal, got %s", tc.req, pl.JSON())
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.req, err)
			continue
		}
		if len(pl.Steps) != 1 {
			t.Errorf("%q: %s", tc.req, pl.JSON())
			continue
		}
		args := pl.Steps[0].Args
		if len(args) != len(tc.want) {
			t.Errorf("%q: args %v, want %v", tc.req, args, tc.want)
		}
		for k, v := range tc.want {
			if got := args[k]; got == nil || fmtArg(got) != v {
				t.Errorf("%q: %s = %v, want %v (args %v)", tc.req, k, got, v, args)
			}
		}
	}
}

func fmtArg(v any) string { return fmt.Sprint(v) }

// TestAValueIsNoRequest: a tool that matches only the value a clause states (the "pm"
// of a time its description shows) is not what "Go for shopping at 9 pm" or a bare
// "9:45" asks for; the alarm is served when the clause names it.
func TestAValueIsNoRequest(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("set_alarm", "Set an alarm for a specific time, written as HH:MM or with AM/PM notation, with an optional purpose.",
			`{"type":"object","properties":{"alarm_time":{"type":"string","description":"The time to ring, e.g. 7 am, 6:30 pm or 21:00"},"purpose":{"type":"string","description":"What the alarm is for","default":"reminder"}},"required":["alarm_time"]}`),
		testTool("find_cinema_showtimes", "Find the showtimes of a film at nearby cinemas.",
			`{"type":"object","properties":{"film":{"type":"string","description":"The film's title"}},"required":["film"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"Go for shopping at 9 pm":              "",
		"9:45":                                 "",
		"I want something at 8:30 pm.":         "",
		"Set an alarm for 9 pm":                "set_alarm",
		"Please set an alarm at 6:30 tomorrow": "set_alarm",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		switch {
		case want == "" && err == nil:
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		case want != "" && err != nil:
			t.Errorf("%q: %v", req, err)
		case want != "" && toolsOf(pl) != want:
			t.Errorf("%q: %s, want %s", req, toolsOf(pl), want)
		}
	}
}

// TestAKindIsNoTitle: "watch movies in Larkspur" names a kind of thing the catalogue's
// tools work on, not a track to play; a title the catalogue does not name is played.
func TestAKindIsNoTitle(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("Tunes_PlayTrack", "Plays the specified track on the selected device.",
			`{"type":"object","properties":{"track":{"type":"string","description":"The title of the song to play."}},"required":["track"]}`),
		testTool("Cinema_FindMovies", "Search for movies showing at theaters in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"The city, e.g. Berkeley"},"genre":{"type":"string","description":"The genre"}},"required":["city"]}`),
		testTool("Cinema_FindTheaters", "Find theaters in a city.",
			`{"type":"object","properties":{"city":{"type":"string","description":"The city"}},"required":["city"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"I need to play movies":        "",
		"play theaters":                "",
		"play despacito":               "Tunes_PlayTrack",
		"please play the track Yellow": "Tunes_PlayTrack",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		switch {
		case want == "" && err == nil:
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		case want != "" && err != nil:
			t.Errorf("%q: %v", req, err)
		case want != "" && toolsOf(pl) != want:
			t.Errorf("%q: %s, want %s", req, toolsOf(pl), want)
		}
	}
}

// TestAnIDIsOfItsThing: "profile id:1" is a profile's id, not a province's; the id of
// what the tool is about ("provider profile ID 28") or of the parameter's own thing ("user
// id 7890") is the parameter's.
func TestAnIDIsOfItsThing(t *testing.T) {
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("find_cleaners", "Find cleaning professionals in a province.",
			`{"type":"object","properties":{"province_id":{"type":"integer","description":"The province's id, e.g. 1 for Bangkok"}},"required":["province_id"]}`),
		testTool("view_cleaner_profile", "View the profile of a cleaning professional.",
			`{"type":"object","properties":{"professional_id":{"type":"integer","description":"The professional's id"}},"required":["professional_id"]}`),
		testTool("get_user_orders", "Get the orders of a user.",
			`{"type":"object","properties":{"user_id":{"type":"integer","description":"The user's id"}},"required":["user_id"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"Find cleaning professionals for profile id:1": "",
		"View cleaner profile ID 28":                   "view_cleaner_profile",
		"Get the orders of user id 7890":               "get_user_orders",
		"Find cleaning professionals in province #3":   "find_cleaners",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		switch {
		case want == "" && err == nil:
			t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
		case want != "" && err != nil:
			t.Errorf("%q: %v", req, err)
		case want != "" && toolsOf(pl) != want:
			t.Errorf("%q: %s, want %s", req, toolsOf(pl), want)
		}
	}
}

// TestNamedNotNumbered: a parameter whose examples are words ("The room, e.g. kitchen")
// takes no number and no percentage ("to 23", "at 40%"), and takes a two-word name that
// ends with its own noun ("the living room"), not a vague one ("the best room").
func TestNamedNotNumbered(t *testing.T) {
	room := `"room":{"type":"string","description":"The room, e.g. kitchen"}`
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("lights.turn_on", "Turn on the lights in a room.",
			`{"type":"object","properties":{`+room+`,"brightness":{"type":"integer","description":"Brightness percentage 1-100"}},"required":["room"]}`),
		testTool("lights.turn_off", "Turn off the lights in a room.", `{"type":"object","properties":{`+room+`},"required":["room"]}`),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for req, want := range map[string]string{
		"turn the heating up in the office to 23":                 "",
		"turn on the lights at 40%":                               "",
		"turn on the lights in the best room":                     "",
		"turn on the lights in the living room at 40% brightness": "lights.turn_on(brightness=40 room=living room)",
		"turn off the kitchen lights":                             "lights.turn_off(room=kitchen)",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if want == "" {
			if err == nil {
				t.Errorf("%q: served %s, want a refusal", req, pl.JSON())
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", req, err)
			continue
		}
		var kv []string
		for _, k := range []string{"brightness", "room"} {
			if v, ok := pl.Steps[0].Args[k]; ok {
				kv = append(kv, k+"="+fmtArg(v))
			}
		}
		if got := pl.Steps[0].Tool + "(" + strings.Join(kv, " ") + ")"; len(pl.Steps) != 1 || got != want {
			t.Errorf("%q: got %s, want %s", req, pl.JSON(), want)
		}
	}
}

// TestTwinsInOrder: numbered twin parameters take their values in the order the request
// states them, whatever the words near each ("... and example2.jpg as input images").
func TestTwinsInOrder(t *testing.T) {
	// TaskBench's form: a tool taking two images has parameters image and image_2.
	ts, err := tool.Parse([]byte(`{"nodes":[
		{"id": "Image-to-Video", "desc": "Creates a slideshow video using two input images.", "input-type": ["image", "image"], "output-type": ["video"]},
		{"id": "Image-Stitcher", "desc": "Stitches two images together to create a panorama or collage.", "input-type": ["image", "image"], "output-type": ["image"]},
		{"id": "Video-to-Image", "desc": "Extracts a still image from a video.", "input-type": ["video"], "output-type": ["image"]}],"links":[]}`),
		"tool_desc.json", tool.FormatTaskBench)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(), ts...)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, req := range []string{
		"Please create a slideshow video using example1.jpg and example2.jpg as input images.",
		"Create a slideshow video using the images example1.jpg and example2.jpg.",
	} {
		pl, err := p.Plan(context.Background(), planq.New(req))
		if err != nil || len(pl.Steps) != 1 || pl.Steps[0].Args["image"] != "example1.jpg" || pl.Steps[0].Args["image_2"] != "example2.jpg" {
			t.Errorf("%q: %v %v", req, err, pl)
		}
	}
	if b, n := twinBase("image_2"); b != "image" || n != 2 {
		t.Errorf("twinBase(image_2) = %q %d", b, n)
	}
	if b, n := twinBase("file1"); b != "file" || n != 1 {
		t.Errorf("twinBase(file1) = %q %d", b, n)
	}
}
