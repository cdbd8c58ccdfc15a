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

// TestStatedToday: "the forecast for Alameda on the upcoming Wednesday, today is Monday
// April 25th 2023" was dated against the clock (December 2026): a request that says
// which day today is, with its year, is read against that day. Without a year, or a
// date that is not today's, the clock stays. (April 25th 2023 was a Tuesday: the
// request's Monday is the next one.)
func TestStatedToday(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"forecast for Alameda on the upcoming Wednesday, today is Monday April 25th 2023": "name:Alameda=Alameda | date:Wednesday=2023-04-26 | date:today=2023-04-25 | date:Monday April 25th 2023=2023-04-25",
		"what about tomorrow? today's date is 2024-02-28":                                 "date:tomorrow=2024-02-29 | date:today=2024-02-28 | date:2024-02-28=2024-02-28",
		"what about tomorrow? today is March 3":                                           "date:tomorrow=2026-11-27 | date:today=2026-11-26 | date:March 3=2027-03-03",
		"tomorrow, and the party is April 25th 2023":                                      "date:tomorrow=2026-11-27 | date:April 25th 2023=2023-04-25",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestHourRange: "book a study room tmrw 2-4pm" read 4pm and the number 2: the first hour
// of a range whose last says am or pm is an hour of the same half of the day, or of the
// one before, when that comes first.
func TestHourRange(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"tmrw 2-4pm":        "date:tmrw=2026-11-27 | time:2=14:00 | time:4pm=16:00",
		"from 11 to 1pm":    "time:11=11:00 | time:1pm=13:00",
		"9:30-11am":         "time:9:30=09:30 | time:11am=11:00",
		"sizes 2-4":         "number:2=2 | number:4=4",
		"between 5 and 7pm": "number:5=5 | time:7pm=19:00",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestUnitWrittenOn: "log her weight as 4.1kg" gave no slot at all (a number joined to
// letters is a code, 5G or 3D): a number with a unit written on is that number, the
// unit read after it as in "4.1 kg". A one-letter unit is written in lower case.
func TestUnitWrittenOn(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"log her weight as 4.1kg":        "number:4.1=4.1",
		"a 10km run, then 90min of rest": "number:10=10 | number:90=90",
		"14 pods at 512Mi each":          "number:14=14 | number:512=512",
		"a 5G phone with 3D and 8GB":     "number:8=8",
		"add 250g of flour":              "number:250=250",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestRangeFirstDayAndDigitGroups: "annual leave from the 12th to the 16th of April"
// started on the next 12th (December), and "order 112-5583021" gave the numbers 112 and
// 5583021. The first day of a range written as a day alone is in its last day's month;
// digits in groups holding eight digits or more, one group of five or more, are one
// code. A range of small numbers, a phone number and a card's groups of four stay what
// they were.
func TestRangeFirstDayAndDigitGroups(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"leave from the 12th to the 16th of April": "date:12th=2027-04-12 | date:16th of April=2027-04-16",
		"the 28th to March 3":                      "date:March 3=2027-03-03",
		"off from the 20th to the 3rd of May":      "date:20th=2026-12-20 | date:3rd of May=2027-05-03",
		"where's my order 112-5583021?":            "name:112-5583021=112-5583021",
		"pages 10-12":                              "number:10=10 | number:12=12",
		"call 555-0107":                            "phone:555-0107=5550107",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestSinceIsPast: "show my credit card transactions since November 1", asked in
// December 2026, was read as the 1st of November 2027: a day after "since" starts a span
// that reaches today, so it is the last such day on or before today (a month-day, a day
// of the month alone, a weekday), never the next one. Without "since" the next such day
// stays.
func TestSinceIsPast(t *testing.T) {
	e := testExtractor() // today: Thursday 2026-11-26
	for in, want := range map[string]string{
		"transactions since November 1":       "date:November 1=2026-11-01",
		"transactions since Nov 30":           "date:Nov 30=2025-11-30",
		"transactions since Nov 26":           "date:Nov 26=2026-11-26",
		"payments since the 3rd":              "date:3rd=2026-11-03",
		"payments since the 28th":             "date:28th=2026-10-28",
		"everything since Monday":             "date:Monday=2026-11-23",
		"since 1 March":                       "date:1 March=2026-03-01",
		"book it for November 1":              "date:November 1=2027-11-01",
		"on Monday":                           "date:Monday=2026-11-30",
		"since the start, and on the 3rd too": "date:3rd=2026-12-03",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestEveryMonthIsMonthly: a standing order's frequency (weekly or monthly) was not read
// from "every month": an enum value that says how often something recurs is written as
// "every", "each" or "once a" and its unit too.
func TestEveryMonthIsMonthly(t *testing.T) {
	e := NewExtractor(Options{Enums: []string{"weekly", "monthly", "annually"}, Now: fixedNow})
	for in, want := range map[string]string{
		"50 to Mark every month":   "number:50=50 | name:Mark=Mark | enum:every month=monthly",
		"once a week please":       "enum:once a week=weekly",
		"each year":                "enum:each year=annually",
		"every day":                "",
		"a monthly standing order": "enum:monthly=monthly",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestRangeMonthWrittenOnce: "book a double from 3 to 5 april" gave the number 3 and
// the 5th of April, and "3rd to 5th april" no first day at all, so the stay had no
// check-in: the first day of a range whose month is written once, after its last day, is
// a day of that month. "and" joins a range only after "between"; a first day after the
// last, a count, and a day of a month written before it are no such day.
func TestRangeMonthWrittenOnce(t *testing.T) {
	e := testExtractor()
	for in, want := range map[string]string{
		"a double from 3 to 5 april":         "date:3=2027-04-03 | date:5 april=2027-04-05",
		"12-14 march":                        "date:12=2027-03-12 | date:14 march=2027-03-14",
		"3rd to 5th april":                   "date:3rd=2027-04-03 | date:5th april=2027-04-05",
		"between 3 and 5 april":              "date:3=2027-04-03 | date:5 april=2027-04-05",
		"12 until 14 March 2028":             "date:12=2028-03-12 | date:14 March 2028=2028-03-14",
		"on 3 and 5 april":                   "number:3=3 | date:5 april=2027-04-05",
		"20 to 5 april":                      "number:20=20 | date:5 april=2027-04-05",
		"from the 12th to the 16th of April": "date:12th=2027-04-12 | date:16th of April=2027-04-16",
		"april 3 to 5":                       "date:april 3=2027-04-03 | date:5=2027-04-05",
	} {
		if got := render(e.Extract(in)); got != want {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want)
		}
	}
}
