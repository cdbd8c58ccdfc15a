package pattern

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/tool"
)

// musicCatalog is a streaming service whose artist tools take an id that one lookup
// tool finds from the artist's name, beside the built-in tools (as "planwise plan" has
// them).
func musicCatalog(t *testing.T) *tool.Registry {
	t.Helper()
	byID := func(name, desc string) *tool.Tool {
		return testTool(name, desc, `{"type":"object","properties":{"artist_id":{"type":"string","description":"The artist's id, from the artist lookup."}},"required":["artist_id"]}`)
	}
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		&tool.Tool{Name: "Sonic_Find_Artist_Id", Description: "Find an artist's id on Sonic from the artist's name.",
			InputSchema:  json.RawMessage(`{"type":"object","properties":{"name":{"type":"string","description":"The artist's name"}},"required":["name"]}`),
			OutputSchema: json.RawMessage(`{"type":"object","properties":{"artist_id":{"type":"string"}}}`)},
		byID("Sonic_Artist_Profile", "Get an artist's profile on Sonic."),
		byID("Sonic_Related_Artists", "List the artists related to an artist on Sonic."),
		byID("Sonic_Artist_Albums", "List an artist's albums on Sonic."),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestMoreThanTheLookup: a clause that asks for more than the lookup every artist tool
// needs is served by the one tool that accounts for the rest of it, and refused when
// the catalogue's tools do not tell which; the lookup alone is served only when it is
// what was asked.
func TestMoreThanTheLookup(t *testing.T) {
	p := NewPattern(musicCatalog(t), WithClock(testNow))
	for _, tc := range []struct {
		req   string
		tools string // "" for a refusal
	}{
		{"Find artists that are similar to Solange.", "Sonic_Find_Artist_Id,Sonic_Related_Artists"},
		{"Show me the biography of Solange.", "Sonic_Find_Artist_Id,Sonic_Artist_Profile"},
		{"Find the artist id of Solange.", "Sonic_Find_Artist_Id"},
		{"Find the albums and similar artists of Solange.", "Sonic_Find_Artist_Id,Sonic_Artist_Albums,Sonic_Related_Artists"},
		// Songs are none of the tools' things: the lookup alone is not what was asked.
		{"Find the songs of the artist Solange.", ""},
	} {
		pl, err := p.Plan(context.Background(), planq.New(tc.req))
		if tc.tools == "" {
			if err == nil {
				t.Errorf("%q: want a refusal, got %s", tc.req, planTools(pl.Steps))
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.req, err)
			continue
		}
		if got := planTools(pl.Steps); got != tc.tools {
			t.Errorf("%q: got %s, want %s", tc.req, got, tc.tools)
		}
	}
}

// TestCoordinatedReadings: "the forecast, current weather, and time zone for X" asks
// for three things of one service; "current" is what a real-time tool gives; "the
// forecast" is a noun, not a verb the other tools fail to do.
func TestCoordinatedReadings(t *testing.T) {
	q := `{"type":"object","properties":{"q":{"type":"string","description":"City name"}},"required":["q"]}`
	reg, err := (*tool.Registry)(nil).Merge(append(tool.Builtins(),
		testTool("SkyCast_Forecast_Weather", "Fetch forecast weather information for a place.", q),
		testTool("SkyCast_Realtime_Weather", "Fetch real-time weather information for a place.", q),
		testTool("SkyCast_Time_Zone", "Fetch time zone information for a place.", q),
		testTool("SkyCast_Astronomy", "Fetch sunrise, sunset and moon phase for a place.", q),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPattern(reg, WithClock(testNow))
	for _, tc := range []struct{ req, tools string }{
		{"Get the forecast, current weather, and time zone for Lisbon.", "SkyCast_Forecast_Weather,SkyCast_Realtime_Weather,SkyCast_Time_Zone"},
		{"Fetch the weather forecast and current weather for Lisbon for the next 3 days.", "SkyCast_Forecast_Weather,SkyCast_Realtime_Weather"},
		{"Fetch the weather forecast for Lisbon.", "SkyCast_Forecast_Weather"},
		{"What is the current weather in Lisbon?", "SkyCast_Realtime_Weather"},
	} {
		pl, err := p.Plan(context.Background(), planq.New(tc.req))
		if err != nil {
			t.Errorf("%q: %v", tc.req, err)
			continue
		}
		// The readings are independent calls: their order does not matter.
		if got := sortedTools(pl.Steps); got != sortedTools(stepsOf(tc.tools)) {
			t.Errorf("%q: got %s, want %s", tc.req, planTools(pl.Steps), tc.tools)
		}
		for _, st := range pl.Steps {
			if st.Args["q"] != "Lisbon" {
				t.Errorf("%q: %s got q=%v", tc.req, st.Tool, st.Args["q"])
			}
		}
	}
}

func stepsOf(tools string) []plan.Step {
	var out []plan.Step
	for _, n := range strings.Split(tools, ",") {
		out = append(out, plan.Step{Tool: n})
	}
	return out
}

func sortedTools(steps []plan.Step) string {
	ts := strings.Split(planTools(steps), ",")
	sort.Strings(ts)
	return strings.Join(ts, ",")
}

func planTools(steps []plan.Step) string {
	var out []string
	for _, st := range steps {
		out = append(out, st.Tool)
	}
	return strings.Join(out, ",")
}
