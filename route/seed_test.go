package route

import (
	"reflect"
	"testing"
)

func TestSeedAnalyzer(t *testing.T) {
	s := NewSeedAnalyzer()
	tests := []struct {
		name    string
		request string
		tier    Tier
		score   float64
	}{
		{"one call", "Send an email to bob@example.com saying hello", Simple, 0},
		{"short request with a marker", "Book a table, then call Ann", Moderate, 1},
		{"marker and reference", "Get the weather in Paris and then email it to Bob", Moderate, 2},
		{"more than 20 words", "I would like you to please book me a comfortable room at the Hilton hotel in the center of Paris for two nights in May", Moderate, 1},
		{"condition, loop, marker, reference", "If it rains tomorrow, then for each meeting on my calendar send the attendees a note", Complex, 4},
		{"long with every category", "First look up all of my meetings for next week and the weather for every day of the week in the city where each meeting takes place, and if it is going to rain on the day of a meeting then send the attendees of that meeting an email telling them to bring an umbrella", Complex, 6},
		{"empty", "", Simple, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := s.Analyze(tt.request)
			if a.Tier != tt.tier || a.Score != tt.score {
				t.Errorf("Analyze(%q) = %s score %v (reasons %v), want %s score %v", tt.request, a.Tier, a.Score, a.Reasons, tt.tier, tt.score)
			}
			if int(a.Score) != len(a.Reasons) {
				t.Errorf("score %v but %d reasons %v: every point needs its reason", a.Score, len(a.Reasons), a.Reasons)
			}
		})
	}
}

func TestTokenizeAndCues(t *testing.T) {
	words, sentences, commas := tokenize("Print example.jpg, then email it to Bob's team. Don't wait! Pay 1.5 USD")
	want := []string{"print", "example", "jpg", "then", "email", "it", "to", "bob's", "team", "don't", "wait", "pay", "1", "5", "usd"}
	if !reflect.DeepEqual(words, want) {
		t.Errorf("words = %q, want %q", words, want)
	}
	if sentences != 3 || commas != 1 {
		t.Errorf("sentences %d commas %d, want 3 and 1 (a dot inside a file name or number ends no sentence)", sentences, commas)
	}
	lx := newLexicon()
	c, _ := lx.scan("Do A and also B; after that, for each result do C as well as D, and then combine both", true)
	f := c.f
	if f.Steps != 2 || f.Parallel != 2 || f.FanIn != 2 || f.Loops != 1 || f.Iterations != 1 {
		t.Errorf("features %+v: want 2 steps (after that, and then), 2 parallel (and also, as well as), 2 fan-in, 1 loop, 1 iteration", f)
	}
	if !reflect.DeepEqual(c.steps, []string{"after that", "and then"}) {
		t.Errorf("step cues %q: the longest cue at a word wins and counts once", c.steps)
	}
}

func TestBranchCount(t *testing.T) {
	lx := newLexicon()
	for req, want := range map[string]int{
		"If it rains, email Bob":                       1,
		"Check if the image matches the description":   0,
		"Use example.jpg if needed":                    0,
		"Order a taxi unless it snows, in case of fog": 2,
		"Book a flight and see if there are seats":     0,
	} {
		c, _ := lx.scan(req, false)
		if c.f.Branches != want {
			t.Errorf("%q: %d branches, want %d", req, c.f.Branches, want)
		}
	}
}

func TestMaskQuotes(t *testing.T) {
	for in, want := range map[string]string{
		"Play 'Yesterday' and then 'Let It Be'":                 "Play 'quoted' and then 'quoted'",
		"I'd like the company's report":                         "I'd like the company's report",
		`Summarise "It is long. Then it ends." for me`:          `Summarise "quoted" for me`,
		"Text: 'Bob's car is red, and it's fast.' Translate it": "Text: 'quoted' Translate it",
		"An unclosed 'quote and more":                           "An unclosed 'quote and more",
		"Smart “quotes, and more” here":                         "Smart “quoted” here",
		"Empty '' quote":                                        "Empty '' quote",
	} {
		if got := maskQuotes(in); got != want {
			t.Errorf("maskQuotes(%q) = %q, want %q", in, got, want)
		}
	}
}
