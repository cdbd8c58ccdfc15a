package slot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/tool"
)

// fixedNow is Thursday 26 November 2026.
func fixedNow() time.Time { return time.Date(2026, 11, 26, 15, 4, 5, 0, time.UTC) }

func testExtractor() *Extractor { return testExtractorAt(fixedNow) }

func testExtractorAt(now func() time.Time) *Extractor {
	return NewExtractor(Options{
		Enums: []string{"Economy", "Economy extra", "Uber Eats", "Compact", "on", "off", "true", "1", "x", "premium_economy", "it", "us"},
		Now:   now,
	})
}

// render shows slots compactly: kind:text=value.
func render(ss []Slot) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteString(" | ")
		}
		fmt.Fprintf(&b, "%s:%s=%s", s.Kind, s.Text, s.Value)
	}
	return b.String()
}

func TestExtract(t *testing.T) {
	e := testExtractor()
	tests := []struct {
		name, in, want string
	}{
		{"brief example", "Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation",
			"number:2=2 | name:Luigi's=Luigi's | date:2026-12-24=2026-12-24 | time:19:00=19:00 | phone:+1 555 123 4567=+15551234567"},
		{"written date with year", "I want to book the Hilton Hotel for December 10th, 2022",
			"name:Hilton Hotel=Hilton Hotel | date:December 10th, 2022=2022-12-10"},
		{"day-first written date", "book Example Restaurant on 25th December 2022",
			"name:Example Restaurant=Example Restaurant | date:25th December 2022=2022-12-25"},
		{"date without year is the next such day", "on March 20 and the 1st of December",
			"date:March 20=2027-03-20 | date:1st of December=2026-12-01"},
		{"year first", "on 2023 April 15th at 19:30 and 2024, May 2", "date:2023 April 15th=2023-04-15 | time:19:30=19:30 | date:2024, May 2=2024-05-02"},
		{"US numeric date", "from 10/05/2023 to 13/05/2023", "date:10/05/2023=2023-10-05 | date:13/05/2023=2023-05-13"},
		{"european dotted date", "am 24.12.2026", "date:24.12.2026=2026-12-24"},
		{"relative dates", "today, tomorrow, yesterday, next Thursday, this Thursday, Friday, in 3 days, in two weeks",
			"date:today=2026-11-26 | date:tomorrow=2026-11-27 | date:yesterday=2026-11-25 | date:next Thursday=2026-12-03 | date:this Thursday=2026-11-26 | date:Friday=2026-11-27 | date:in 3 days=2026-11-29 | date:in two weeks=2026-12-10"},
		{"a day of the month alone is the next such day", "on the 14th, by the 30th. until the 31st at noon",
			"date:14th=2026-12-14 | date:30th=2026-11-30 | date:31st=2026-12-31 | time:noon=12:00"},
		{"an ordinal that counts something is no day", "the 3rd floor, on the 2nd item, the 5th", ""},
		{"fixed-date holidays", "for Christmas Eve, over Christmas, on New Year's Day and Halloween, on Valentine's Day",
			"date:Christmas Eve=2026-12-24 | date:Christmas=2026-12-25 | date:New Year's Day=2027-01-01 | name:Halloween=Halloween | date:Valentine's Day=2027-02-14"},
		{"a holiday's name that names no day", "a Christmas tree and merry christmas", "name:Christmas=Christmas"},
		{"directory paths", "list ~/site, /var/log and projects/2027 then docs/drafts/ and a/b/c",
			"file:~/site=~/site | file:/var/log=/var/log | file:projects/2027=projects/2027 | file:docs/drafts/=docs/drafts/ | file:a/b/c=a/b/c"},
		{"slashes that are no paths", "and/or km/h 10/05/2023 his/her", "date:10/05/2023=2023-10-05"},
		{"a dotted time after a date", "a store 19/03/2024 12.00, on 2026-12-24 at 9.30, it costs 12.00",
			"date:19/03/2024=2024-03-19 | time:12.00=12:00 | date:2026-12-24=2026-12-24 | time:9.30=09:30 | number:12.00=12"},
		{"invalid date is not a date", "on 2026-02-30 ok", ""},
		{"a version is no number", "roll back to v2.3.1, or version2.0 from 1.9.0", ""},
		{"a sentence's first word is no part of a code", "Expel S-20931", "name:S-20931=S-20931"},
		{"a code's possessive", "What are S-11842's grades and APT-5521’s status?", "name:S-11842=S-11842 | name:APT-5521=APT-5521"},
		{"a name keeps its possessive", "Book Luigi's for 2", "name:Luigi's=Luigi's | number:2=2"},
		{"times", "at 7 PM, 9:00pm, 10:00 AM, 12am, 12 p.m., 7 o'clock, noon, 23:59",
			"time:7 PM=19:00 | time:9:00pm=21:00 | time:10:00 AM=10:00 | time:12am=00:00 | time:12 p.m.=12:00 | time:7 o'clock=07:00 | time:noon=12:00 | time:23:59=23:59"},
		{"not a time, nor its numbers", "at 25:00 or 13pm", ""},
		{"money", "$1,250.50 or 100 EUR or €5 or USD 20 or 3 dollars or 5 ETH or $12.5",
			"money:$1,250.50=1250.50 USD | money:100 EUR=100 EUR | money:€5=5 EUR | money:USD 20=20 USD | money:3 dollars=3 USD | money:5 ETH=5 ETH | money:$12.5=12.50 USD"},
		{"money in thousands and millions", "a $10k signing bonus, €1.5m or $128,000 base, not $5kg", "money:$10k=10000 USD | money:€1.5m=1500000 EUR | money:$128,000=128000 USD | number:5=5"},
		{"money in words", "send twenty dollars or fifty EUR for twenty people", "money:twenty dollars=20 USD | money:fifty EUR=50 EUR | number:twenty=20"},
		{"percent", "15% off, 2.50 percent", "percent:15%=15% | percent:2.50 percent=2.5%"},
		{"numbers", "1,000 and 3.50 and -4 and 02139 and two and one", "number:1,000=1000 | number:3.50=3.5 | number:-4=-4 | number:02139=02139 | number:two=2"},
		{"number before a hyphenated word", "a 4-star hotel for 3-day trip", "number:4=4 | number:3=3"},
		{"not numbers", "5G and 3D and 2nd and version 1.2.3", ""},
		{"phones", "call (555) 123-4567, 555-123-4567, 5551234567 or +44 20 7946 0958",
			"phone:(555) 123-4567=5551234567 | phone:555-123-4567=5551234567 | phone:5551234567=5551234567 | phone:+44 20 7946 0958=+442079460958"},
		{"number runs are not phones", "rooms 101 202 303", "number:101=101 | number:202=202 | number:303=303"},
		{"a country code glued to the area code", "make a voice call to +1(234)567-8910", "phone:+1(234)567-8910=+12345678910"},
		{"a local number after a phone word", "call 555-1234 to tell my friend", "phone:555-1234=5551234"},
		{"national numbers with their trunk 0", "text 07700 900 311, ring 0113 496 0822 or 020 7946 0958, payid 0433 219 004, appelle le 06 12 34 56 78",
			"phone:07700 900 311=07700900311 | phone:0113 496 0822=01134960822 | phone:020 7946 0958=02079460958 | phone:0433 219 004=0433219004 | phone:06 12 34 56 78=0612345678"},
		{"one run of a national number after a phone word", "my mobile is 07700900311", "phone:07700900311=07700900311"},
		{"one run of eleven digits without a phone word", "where is order 07700900311", "number:07700900311=07700900311"},
		{"zero-led numbers that are no phone", "zip 02139, account 0012 3456, codes 0123-4567-8910-1112", "number:02139=02139 | number:0012=0012 | number:3456=3456 | number:0123-4567-8910-1112=0123456789101112"},
		{"a city and its state are one place", "buses from Berkeley, CA to Washington, DC", "name:Berkeley, CA=Berkeley, CA | name:Washington, DC=Washington, DC"},
		{"a comma and capitals that are no state", "flights to Paris, France and Rome, IT", "name:Paris=Paris | name:France=France | name:Rome=Rome | name:IT=IT"},
		{"digits inside an identifier are no number", "readings for network L_579838452023959405 over 3600 seconds", "name:L_579838452023959405=L_579838452023959405 | number:3600=3600"},
		{"a number joined to a word by a hyphen is part of it", "restart node-7 on host hqdc-1-gpu013 in 5 minutes", "number:5=5"},
		{"a code in capitals with its number is one name", "cancel appointment APT-5521 and invoice INV-2024-001", "name:APT-5521=APT-5521 | name:INV-2024-001=INV-2024-001"},
		{"a card number in groups", "pay my card 4111-1111-1111-1111 or 5500 0000 0000 0004 today", "number:4111-1111-1111-1111=4111111111111111 | number:5500 0000 0000 0004=5500000000000004 | date:today=2026-11-26"},
		{"a tracking number in spaced groups of four, the last shorter", "mark 1187 as shipped, usps 9400 1118 9922 3356 7781 02", "number:1187=1187 | number:9400 1118 9922 3356 7781 02=9400111899223356778102"},
		{"an IBAN in groups is one value without its spaces", "pay it into NL91 ABNA 0417 1643 00 or DE89370400440532013000.", "name:NL91 ABNA 0417 1643 00=NL91ABNA0417164300 | name:DE89370400440532013000=DE89370400440532013000"},
		{"a grouped code whose IBAN check fails is no IBAN", "pay it into NL91 ABNA 0417 1643 01 today", "name:NL91 ABNA=NL91 ABNA | phone:0417 1643 01=0417164301 | date:today=2026-11-26"},
		{"a label in capitals is no part of the code it labels", "salary to IBAN GB29 NWBK 6016 1331 9268 19, BIC NWBKGB2L, restock SKU MUG-SPK-BLU", "name:GB29 NWBK 6016 1331 9268 19=GB29NWBK60161331926819 | name:NWBKGB2L=NWBKGB2L | name:MUG-SPK-BLU=MUG-SPK-BLU"},
		{"ID labels a code of either case with a digit", "the event with ID efJG9, user ID U123456, my ID card", "name:efJG9=efJG9 | name:U123456=U123456 | name:ID=ID"},
		{"French, Italian and Portuguese particles join a name", "stations near Place du Marché, dinner at Café des Arts, meet Ana da Silva at Piazza di Spagna", "name:Place du Marché=Place du Marché | name:Café des Arts=Café des Arts | name:Ana da Silva=Ana da Silva | name:Piazza di Spagna=Piazza di Spagna"},
		{"a house number with its letter, a street named first", "from 221B Baker Street, Berkeley to 12a Rue Royale or 14 Via Roma", "name:221B Baker Street, Berkeley=221B Baker Street, Berkeley | name:12a Rue Royale=12a Rue Royale | name:14 Via Roma=14 Via Roma"},
		{"a country closes an address", "pick me up at 2020 Addison Street, Berkeley, CA, USA and go", "name:2020 Addison Street, Berkeley, CA, USA=2020 Addison Street, Berkeley, CA, USA"},
		{"a number and a letter before a street word that opens a name are no address", "3D Street Art", "name:Street Art=Street Art"},
		{"capitals before a model are a name with it", "is the BMW X5 in stock", "name:BMW X5=BMW X5"},
		{"four groups of four in a longer run are no card", "codes 1234-5678-9123-4567-8", "number:1234=1234 | number:5678=5678 | number:9123=9123 | number:4567=4567 | number:8=8"},
		{"a local number needs a phone word", "read pages 120-1500 of the book", "number:120=120 | number:1500=1500"},
		{"email lowercased", "mail Bob.Smith@Example.COM.", "email:Bob.Smith@Example.COM=bob.smith@example.com"},
		{"urls", "see https://example.com/a?b=1, www.foo.org and example.io.",
			"url:https://example.com/a?b=1=https://example.com/a?b=1 | url:www.foo.org=www.foo.org | url:example.io=example.io"},
		{"a missing space after a full stop is no domain", "cleaning services.In Bangkok, see EXAMPLE.COM", "name:Bangkok=Bangkok | url:EXAMPLE.COM=example.com"},
		{"files", "print report.pdf and ~/notes/todo.txt and Budget.XLSX", "file:report.pdf=report.pdf | file:~/notes/todo.txt=~/notes/todo.txt | file:Budget.XLSX=Budget.XLSX"},
		{"quoted keeps apostrophes", "install 'example_software' and play 'Luigi's Theme' and \"Inception\" and “Smart one”",
			"quoted:'example_software'=example_software | quoted:'Luigi's Theme'=Luigi's Theme | quoted:\"Inception\"=Inception | quoted:“Smart one”=Smart one"},
		{"codes that start with digits are names", "track 88-1234-X and 7-ABC, not a 4-star 3-day stay at 2-3PM or 10-12",
			"name:88-1234-X=88-1234-X | name:7-ABC=7-ABC | number:4=4 | number:3=3 | time:2=14:00 | time:3PM=15:00 | number:10=10 | number:12=12"},
		{"long codes that start with digits are names", "track 1Z12345E0205271688 and 9XJ38F2K7, a 4000MAH 5G 1080P phone",
			"name:1Z12345E0205271688=1Z12345E0205271688 | name:9XJ38F2K7=9XJ38F2K7"},
		{"licence plates that start with a digit are names", "plate 8MZT115 and 2GHX77, not a 1500W heater or a 10K run",
			"name:8MZT115=8MZT115 | name:2GHX77=2GHX77"},
		{"ordinal streets are names", "from 5th Avenue to 42nd Street on the 3rd of May",
			"name:5th Avenue=5th Avenue | name:42nd Street=42nd Street | date:3rd of May=2027-05-03"},
		{"a place named after its street", "an IMAX show at 3rd Street Cinema",
			"name:IMAX=IMAX | name:3rd Street Cinema=3rd Street Cinema"},
		{"code spans are quoted", "pass the controller `mapController` to `init()` and set `retries` to 3",
			"quoted:`mapController`=mapController | quoted:`init()`=init() | quoted:`retries`=retries | number:3=3"},
		{"quoted typed values are typed", "mail 'Bob@Example.com' the file \"report.pdf\" on '2026-12-24' and 'https://x.io/' and 'y'",
			"email:Bob@Example.com=bob@example.com | file:report.pdf=report.pdf | date:2026-12-24=2026-12-24 | url:https://x.io/=https://x.io/ | quoted:'y'=y"},
		{"street address", "deliver it to 123 Main St, Anytown and to 5 Fifth Avenue", "name:123 Main St, Anytown=123 Main St, Anytown | name:5 Fifth Avenue=5 Fifth Avenue"},
		{"street address with its town, state and postcode", "ship it to 12 Oak St, Springfield, IL 62704 on Friday", "name:12 Oak St, Springfield, IL 62704=12 Oak St, Springfield, IL 62704 | date:Friday=2026-11-27"},
		{"a weekday after a street is no town", "12 Oak St, Tuesday works", "name:12 Oak St=12 Oak St | date:Tuesday=2026-12-01"},
		{"tomorrow as people type it", "book a study room tmrw, or tommorow", "date:tmrw=2026-11-27 | date:tommorow=2026-11-27"},
		{"an abbreviated weekday where a day is meant", "reserve a room sat at 10, see you on thurs, next fri works", "date:sat=2026-11-28 | number:10=10 | date:thurs=2026-11-26 | date:next fri=2026-11-27"},
		{"an abbreviated weekday before a time; the Sun is none", "nail trim sat 11am, orbiting the Sun at 2.8 AU", "date:sat=2026-11-28 | time:11am=11:00 | name:Sun=Sun | number:2.8=2.8 | name:AU=AU"},
		{"an abbreviated weekday word elsewhere is no day", "I sat down on the mon key", ""},
		{"a radio frequency and band", "put on 101.1 FM, then 1010 AM, and wake me at 10 AM", "name:101.1 FM=101.1 FM | name:1010 AM=1010 AM | time:10 AM=10:00"},
		{"enumerated items start sentences", "1) Buy milk; 2) Book a hotel", "number:1=1 | number:2=2"},
		{"apostrophe is not a quote", "I've been hearing it's Bob's", "name:Bob's=Bob's"},
		{"names", "Find quotes by J.K. Rowling, see Dr. Smith at the Bank of America in New York",
			"name:J.K. Rowling=J.K. Rowling | name:Dr. Smith=Dr. Smith | name:Bank of America=Bank of America | name:New York=New York"},
		{"sentence-initial words need evidence to be names", "Please book. Find flights. Weather in Paris. Bob called. Bob's car. NASA. New York, too.", "name:Paris=Paris | name:Bob's=Bob's | name:NASA=NASA | name:New York=New York"},
		{"mixed-case product names", "Show me the Apple iPhone 13 Pro Max and COVID-19 news", "name:Apple iPhone 13 Pro Max=Apple iPhone 13 Pro Max | name:COVID-19=COVID-19"},
		{"I and months are not names", "I think I'm going in August", ""},
		{"enums, longest first, case-insensitive", "fly economy extra or Economy with Uber Eats in a compact car",
			"enum:economy extra=Economy extra | enum:Economy=Economy | enum:Uber Eats=Uber Eats | enum:compact=Compact"},
		{"an enum value with an underscore, as people write it", "premium economy or premium_economy",
			"enum:premium economy=premium_economy | enum:premium_economy=premium_economy"},
		{"polarity enum values stay words", "turn on the light then turn off the fan", ""},
		{"function-word enum values stay words", "send it to us", ""},
		{"unicode text", "Réserve chez Café Müller à 19:00 ☕ «Amélie»", "name:Café Müller=Café Müller | time:19:00=19:00 | quoted:«Amélie»=Amélie"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := e.Extract(tc.in)
			if r := render(got); r != tc.want {
				t.Errorf("Extract(%q)\n got: %s\nwant: %s", tc.in, r, tc.want)
			}
			checkSlots(t, tc.in, got)
		})
	}
}

// checkSlots asserts the structural contract: valid offsets, Text = text[Start:End],
// ordered, non-overlapping, a value for every slot.
func checkSlots(t testing.TB, text string, ss []Slot) {
	t.Helper()
	prev := 0
	for i, s := range ss {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("slot %d %+v: bad offsets (prev end %d, len %d)", i, s, prev, len(text))
		}
		if text[s.Start:s.End] != s.Text {
			t.Fatalf("slot %d: Text %q != text[%d:%d] %q", i, s.Text, s.Start, s.End, text[s.Start:s.End])
		}
		if s.Value == "" || s.Kind == "" {
			t.Fatalf("slot %d %+v: empty kind or value", i, s)
		}
		prev = s.End
	}
}

func TestRelativeDatesFollowTheClock(t *testing.T) {
	e1 := NewExtractor(Options{Now: func() time.Time { return time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC) }})
	got := render(e1.Extract("tomorrow and January 2 and Dec 31"))
	want := "date:tomorrow=2027-01-01 | date:January 2=2027-01-02 | date:Dec 31=2026-12-31"
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestEnumsOf(t *testing.T) {
	reg, err := tool.NewRegistry(
		&tool.Tool{Name: "a", InputSchema: json.RawMessage(`{"type":"object","properties":{"cls":{"type":"string","enum":["economy","business"]},"n":{"type":"integer","enum":[1,2]}}}`)},
		&tool.Tool{Name: "b", InputSchema: json.RawMessage(`{"type":"object","properties":{"cls":{"type":"string","enum":["business","first"]}}}`)},
	)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(EnumsOf(reg), ",")
	if got != "1,2,business,economy,first" {
		t.Fatalf("EnumsOf = %s", got)
	}
	if EnumsOf(nil) != nil {
		t.Fatal("EnumsOf(nil) should be nil")
	}
	e := NewExtractor(Options{Enums: EnumsOf(reg), Now: fixedNow})
	if r := render(e.Extract("fly first class, not 2")); r != "enum:first=first | number:2=2" {
		t.Fatalf("got %s", r)
	}
}

func TestExtractConcurrent(t *testing.T) {
	e := testExtractor()
	in := "Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567 the confirmation"
	want := render(e.Extract(in))
	done := make(chan string)
	for g := 0; g < 8; g++ {
		go func() {
			var last string
			for i := 0; i < 200; i++ {
				last = render(e.Extract(in))
			}
			done <- last
		}()
	}
	for g := 0; g < 8; g++ {
		if got := <-done; got != want {
			t.Fatalf("concurrent Extract = %s, want %s", got, want)
		}
	}
}

func TestTemplate(t *testing.T) {
	e := testExtractor()
	tmpl := func(s string) string { return Template(s, e.Extract(s)) }
	if got, want := tmpl("Book a table for 2 at Luigi's on 2026-12-24 at 19:00, and then text +1 555 123 4567 the confirmation!"),
		"book a table for <number> at <name> on <date> at <time> and then text <phone> the confirmation"; got != want {
		t.Fatalf("template\n got %q\nwant %q", got, want)
	}
	same := [][2]string{
		{"Email Bob the report", "Email Alice the report"},
		{"weather in Paris on 2026-12-01", "Weather in  London on December 2nd, 2026?"},
		{"call +1 555 123 4567", "call (555) 987-6543"},
		{"Don't  stop", "dont stop"},
		{"book 2 tickets", "book two tickets"},
		{"deliver to 48213", "deliver to 48231"},
	}
	for _, p := range same {
		if a, b := tmpl(p[0]), tmpl(p[1]); a != b {
			t.Errorf("%q and %q should share a template: %q vs %q", p[0], p[1], a, b)
		}
	}
	differ := [][2]string{
		{"turn on the lights", "turn off the lights"},
		{"fly from Paris to London", "fly to Paris from London"},
		{"email Bob the report", "email Bob the invoice"},
		{"do not send it", "do send it"},
		{"book one ticket", "book two tickets"},
		{"send $5 to Bob", "send 5% to Bob"},
	}
	for _, p := range differ {
		if a, b := tmpl(p[0]), tmpl(p[1]); a == b {
			t.Errorf("%q and %q must not share a template (%q)", p[0], p[1], a)
		}
	}
	// Stray slots are ignored rather than corrupting the key.
	if got := Template("abc", []Slot{{Kind: Name, Start: 5, End: 9}}); got != "abc" {
		t.Fatalf("out-of-range slot changed the template: %q", got)
	}
}

// TestExtractDated: ExtractDated says whether a text's slots were read against the
// clock, and a text whose slots were not has the same slots under any clock (what lets
// the cache serve a repeated request without extracting its slots again).
func TestExtractDated(t *testing.T) {
	clocks := []func() time.Time{
		fixedNow,
		func() time.Time { return time.Date(2027, 2, 28, 23, 59, 0, 0, time.UTC) },
		func() time.Time { return time.Date(2028, 2, 29, 0, 0, 1, 0, time.FixedZone("X", 5*3600)) },
	}
	tests := []struct {
		in    string
		dated bool
	}{
		{"Book a table for 2 at Luigi's on 2026-12-24 at 19:00 and then text +1 555 123 4567", false},
		{"calculate (12.5 + 7) * 3", false},
		{"I want to book the Hilton Hotel for December 10th, 2022", false},
		{"from 10/05/2023 to 13/05/2023, am 24.12.2026", false},
		{"the weather in Tokyo this week, then tell Tom in two lines", false},
		{"next to the station on Thursday", true},
		{"remind me tomorrow", true},
		{"on March 20", true},
		{"on 29 February", true},
		{"check in 3 days", true},
		{"what happened yesterday in Tokyo", true},
		{"Today's top stories", true},
		{"a room on the 14th", true},
		{"a table for Christmas Eve", true},
	}
	for _, tc := range tests {
		got, dated := testExtractorAt(clocks[0]).ExtractDated(tc.in)
		if dated != tc.dated {
			t.Errorf("%q: dated %v, want %v (%s)", tc.in, dated, tc.dated, render(got))
		}
		if dated {
			continue
		}
		for _, now := range clocks[1:] {
			other := testExtractorAt(now).Extract(tc.in)
			if render(other) != render(got) {
				t.Errorf("%q is not dated but its slots moved with the clock: %s, then %s", tc.in, render(got), render(other))
			}
		}
	}
}

// TestHyphenatedWordIsOneWord: "as an e-book" gave a library hold the format "book"
// (the enum value after the hyphen); an e-book is the enum value "ebook", and no value
// starts after a single letter and a hyphen.
func TestHyphenatedWordIsOneWord(t *testing.T) {
	for _, tc := range []struct {
		enums []string
		text  string
		want  string
	}{
		{[]string{"book", "ebook", "audiobook"}, "place a hold as an e-book", "enum:e-book=ebook"},
		{[]string{"book", "ebook"}, "place a hold as an ebook", "enum:ebook=ebook"},
		{[]string{"book", "ray"}, "an e-book and an x-ray", ""},
		{[]string{"email", "phone"}, "reach me by e-mail", "enum:e-mail=email"},
	} {
		var got []string
		for _, s := range NewExtractor(Options{Enums: tc.enums}).Extract(tc.text) {
			got = append(got, string(s.Kind)+":"+s.Text+"="+s.Value)
		}
		if g := strings.Join(got, " | "); g != tc.want {
			t.Errorf("Extract(%q) with enums %v = %q, want %q", tc.text, tc.enums, g, tc.want)
		}
	}
}

// TestEnumValueWrittenAsVerbForm: "ran 10k", "30 min of cycling", "went swimming" write
// a workout's activity (run, cycle, swim) as a verb's past or -ing form. A regular past
// is a value only as the verb that opens a sentence ("walked 5 km", "I hiked"): after
// it, most are states ("the walked dog"). Commands an enum lists (HTTP methods, what
// to do to a record) keep no forms: "did my grade get posted" names no POST.
func TestEnumValueWrittenAsVerbForm(t *testing.T) {
	activities := []string{"run", "walk", "cycle", "swim", "hike", "row", "running"}
	for _, tc := range []struct {
		enums []string
		text  string
		want  string
	}{
		{activities, "ran 10k this morning", "enum:ran=run"},
		{activities, "log 30 min of cycling", "number:30=30 | enum:cycling=cycle"},
		{activities, "went swimming", "enum:swimming=swim"},
		{activities, "walked to work", "enum:walked=walk"},
		{activities, "I hiked up the hill", "enum:hiked=hike"},
		{activities, "we just rowed across", "enum:rowed=row"},
		{activities, "the walked dog", ""},
		// A value of its own keeps its word: "running" is not run.
		{activities, "is the job running", "enum:running=running"},
		{[]string{"GET", "POST", "DELETE"}, "did my grade get posted", "enum:get=GET"},
		{[]string{"GET", "POST", "DELETE"}, "show the deleted files", ""},
		{[]string{"daily", "play", "news"}, "playing the news daily", "enum:news=news | enum:daily=daily"},
	} {
		var got []string
		for _, s := range NewExtractor(Options{Enums: tc.enums}).Extract(tc.text) {
			got = append(got, string(s.Kind)+":"+s.Text+"="+s.Value)
		}
		if g := strings.Join(got, " | "); g != tc.want {
			t.Errorf("Extract(%q) with enums %v = %q, want %q", tc.text, tc.enums, g, tc.want)
		}
	}
}

// TestEnumValueWrittenAsAdjective: "an educational activity", "musical events", "a
// rental" write a one-word value (education, music, rent) as its adjective in -al; it
// is that value. A word that only ends like one is no value.
func TestEnumValueWrittenAsAdjective(t *testing.T) {
	for _, tc := range []struct {
		enums []string
		text  string
		want  string
	}{
		{[]string{"education", "social"}, "an educational activity for 5", "enum:educational=education | number:5=5"},
		{[]string{"Music", "Theater"}, "find musical events", "enum:musical=Music"},
		{[]string{"rent", "buy"}, "find a rental in Oakland", "enum:rental=rent | name:Oakland=Oakland"},
		{[]string{"education"}, "an educationally sound plan", ""},
		{[]string{"at"}, "a total of 4", "number:4=4"},
	} {
		var got []string
		for _, s := range NewExtractor(Options{Enums: tc.enums}).Extract(tc.text) {
			got = append(got, string(s.Kind)+":"+s.Text+"="+s.Value)
		}
		if g := strings.Join(got, " | "); g != tc.want {
			t.Errorf("Extract(%q) with enums %v = %q, want %q", tc.text, tc.enums, g, tc.want)
		}
	}
}

// TestCodeOpensTheSentence: "E2210 is off sick from 2026-12-08" lost its employee: a
// lone capitalised word at the start of a sentence counts as a name only with more
// evidence, and a code of a capital and digits had none. Digits are that evidence; a
// plain word that opens a sentence is still no name.
func TestCodeOpensTheSentence(t *testing.T) {
	for text, want := range map[string]string{
		"E2210 is off sick from 2026-12-08": "name:E2210 | date:2026-12-08",
		"B12 is out of stock":               "name:B12",
		"Weather in Paris":                  "name:Paris",
		"Priya is off sick":                 "",
	} {
		var got []string
		for _, s := range NewExtractor(Options{}).Extract(text) {
			got = append(got, string(s.Kind)+":"+s.Text)
		}
		if g := strings.Join(got, " | "); g != want {
			t.Errorf("Extract(%q) = %q, want %q", text, g, want)
		}
	}
}
