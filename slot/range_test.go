package slot

import "testing"

// TestDayRange: "a hotel in Lisbon Dec 11 to 14" gave the 11th of December and the
// number 14 (and "Lisbon Dec" as a name): the last day of a range written after a
// month's day is a date of that month. A number that counts something, a time, a day
// before the first and a range with its year after it are no such day.
func TestDayRange(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"a hotel in Lisbon Dec 11 to 14": "name:Lisbon=Lisbon | date:Dec 11=2026-12-11 | date:14=2026-12-14",
		"May 3-7 please":                 "date:May 3=2027-05-03 | date:7=2027-05-07",
		"from June 10th through 12th":    "date:June 10th=2027-06-10 | date:12th=2027-06-12",
		"dec 10 - 13 and then":           "date:dec 10=2026-12-10 | date:13=2026-12-13",
		"Dec 11 to 14:30":                "date:Dec 11=2026-12-11 | time:14:30=14:30",
		"May 3 to 5 people":              "date:May 3=2027-05-03 | number:5=5",
		"Dec 14 to 11":                   "date:Dec 14=2026-12-14 | number:11=11",
		"Dec 30 to 35":                   "date:Dec 30=2026-12-30 | number:35=35",
		"March 3, 2027 to 5":             "date:March 3, 2027=2027-03-03 | number:5=5",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}
