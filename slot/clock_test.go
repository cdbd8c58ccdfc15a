package slot

import "testing"

// TestClockThatIsNoTime: "at 25:00" is written as a time and is no time of day. It was
// split into the numbers 25 and 00, which a count or an amount could take; it is no
// slot at all, and the times around it are still read.
func TestClockThatIsNoTime(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"a checkup for 2 on 2026-12-15 at 25:00": "number:2=2 | date:2026-12-15=2026-12-15",
		"at 13:75 or at 0:99pm":                  "",
		"from 9:30 to 25:10, then 7:45pm":        "time:9:30=09:30 | time:7:45pm=19:45",
		"12:30:45 and 23:59":                     "time:12:30:45=12:30 | time:23:59=23:59",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestDoctorInLowerCase: "any free slots tomorrow with dr hansen?" dropped the vet: a
// name written in lower case was no slot. After the title "dr" it is one; a word said of
// a doctor ("my dr appointment") is not.
func TestDoctorInLowerCase(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"slots with dr hansen?":  "name:dr hansen=dr hansen",
		"book with dr. okafor":   "name:dr. okafor=dr. okafor",
		"move my dr appointment": "",
		"the dr said to rest":    "",
		"see Dr. Brennan":        "name:Dr. Brennan=Dr. Brennan",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestMonthDayAfterItsCue: "15% off expiring 12/31" gave 12% off: a month and a day
// written with a slash and no year are a day after a word that introduces one, in the
// order the part above 12 shows; a fraction or a score is not.
func TestMonthDayAfterItsCue(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"15% off expiring 12/31": "percent:15%=15% | date:12/31=2026-12-31",
		"due 31/1":               "date:31/1=2027-01-31",
		"until 3/4":              "number:3=3 | number:4=4",
		"mix 1/2 cup of flour":   "number:1=1 | number:2=2",
		"the score was 14/20":    "number:14=14 | number:20=20",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestEndOfAndCounts: "15% off until end of month" dropped the expiry, "replace SKU-3310
// x2" the quantity: the end of the month or the year is its last day, and "x2" written
// after a thing is a count (x86 is an architecture).
func TestEndOfAndCounts(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"15% off until end of month": "percent:15%=15% | date:end of month=2026-11-30",
		"by the end of the year":     "date:end of the year=2026-12-31",
		"the end of the road":        "",
		"replace SKU-3310 x2":        "name:SKU-3310=SKU-3310 | number:x2=2",
		"an x86 build":               "",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestLastWeekdayIsPast: "top dishes last saturday" reported on the coming Saturday: the
// "last" was no part of the date. "last" before a weekday is the one before today (a
// week ago when today is that day). Today is Thursday 2026-11-26.
func TestLastWeekdayIsPast(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"top dishes last saturday": "date:last saturday=2026-11-21",
		"sales last thursday":      "date:last thursday=2026-11-19",
		"what sold last Tue":       "date:last Tue=2026-11-24",
		"sales saturday":           "date:saturday=2026-11-28",
		"the last time we spoke":   "",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestWeekdayBeforeItsDate: "compassionate leave from monday 14 dec to wed 16 dec" began
// the leave this week's Monday: a weekday right before a date was read as a day of its
// own. It names the date after it, and the two are one slot.
func TestWeekdayBeforeItsDate(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"from monday 14 dec to 16 dec":   "date:monday 14 dec=2026-12-14 | date:16 dec=2026-12-16",
		"on Friday, December 18":         "date:Friday, December 18=2026-12-18",
		"monday and tuesday":             "date:monday=2026-11-30 | date:tuesday=2026-12-01",
		"monday, then 14 dec for review": "date:monday=2026-11-30 | date:14 dec=2026-12-14",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// TestEnumValueInThePlural: "list workshops" named no category: an enum value was read
// only as written. One of four letters or more is read in the plural too, but not one
// that counts or measures ("3600 seconds", "mornings are better").
func TestEnumValueInThePlural(t *testing.T) {
	e := NewExtractor(Options{Now: fixedNow, Enums: []string{"workshop", "author_talk", "second", "morning", "new"}})
	for in, want := range map[string]string{
		"list workshops for adults": "enum:workshops=workshop",
		"author talks next month":   "enum:author talks=author_talk",
		"the last 3600 seconds":     "number:3600=3600",
		"mornings are better":       "",
		"the news today":            "date:today=2026-11-26",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}
