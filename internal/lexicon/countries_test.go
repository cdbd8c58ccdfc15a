package lexicon

import "testing"

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
