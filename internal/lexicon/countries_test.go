package lexicon

import (
	"strings"
	"testing"
)

func TestCountry(t *testing.T) {
	for _, tc := range []struct {
		in   string
		name string
		adj  bool
		ok   bool
	}{
		{"USA", "United States", false, true},
		{"U.S.", "United States", false, true},
		{"the US", "United States", false, true},
		{"us", "", false, false},
		{"Us", "", false, false},
		{"Italian", "Italy", true, true},
		{"italy", "Italy", false, true},
		{"UK", "United Kingdom", false, true},
		{"uk", "", false, false},
		{"New Zealand", "New Zealand", false, true},
		{"Paris", "", false, false},
		{"Australian", "Australia", true, true},
	} {
		name, adj, ok := Country(tc.in)
		if name != tc.name || adj != tc.adj || ok != tc.ok {
			t.Errorf("Country(%q) = %q, %v, %v; want %q, %v, %v", tc.in, name, adj, ok, tc.name, tc.adj, tc.ok)
		}
	}
}

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{"Italy": "IT", "the UK": "GB", "USA": "US", "German": "DE", "South Africa": "ZA"} {
		if got, ok := CountryCode(in); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := CountryCode("England"); ok {
		t.Error("England has no ISO 3166-1 code of its own")
	}
	// Every country of the table that is a state has a code.
	for _, row := range countryTable {
		name := row[:strings.IndexByte(row, '|')]
		switch name {
		case "England", "Scotland", "Wales":
			continue
		}
		if _, ok := isoAlpha2[name]; !ok {
			t.Errorf("%s has no ISO code", name)
		}
	}
}

func TestLanguageCode(t *testing.T) {
	for in, want := range map[string]string{"French": "fr", "spanish": "es", "Mandarin": "zh", "English": "en"} {
		if got, ok := LanguageCode(in); !ok || got != want {
			t.Errorf("LanguageCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := LanguageCode("Klingon"); ok {
		t.Error("Klingon has no ISO 639-1 code")
	}
}
