package slot

import (
	"fmt"
	"github.com/planwise/planwise/internal/lexicon"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/planwise/planwise/tool"
)

// Kind is the type of a slot.
type Kind string

// Slot kinds.
const (
	Quoted  Kind = "quoted"  // 'text', "text", `text` or “text”
	Number  Kind = "number"  // 3, 1,000, 2.5, "two"
	Money   Kind = "money"   // $12.50, 100 EUR, 5 ETH
	Percent Kind = "percent" // 15%, 15 percent
	Date    Kind = "date"    // 2026-12-24, December 10th, 2022, tomorrow, next Friday
	Time    Kind = "time"    // 19:00, 7 PM, 10:30am, noon
	Email   Kind = "email"   // bob@example.com
	URL     Kind = "url"     // https://example.com/x, www.example.com
	Phone   Kind = "phone"   // +1 555 123 4567, (555) 123-4567
	File    Kind = "file"    // report.pdf, ~/notes/todo.txt
	Name    Kind = "name"    // proper names and capitalised entities: Luigi's, New York, Dr. Smith
	Enum    Kind = "enum"    // a value of some tool argument's enum
)

// Slot is one typed value found in a request.
type Slot struct {
	Kind Kind
	// Text is the span as written in the request (for quoted strings, with the quotes).
	Text string
	// Value is the normalised value (see the package documentation).
	Value string
	// Start and End are the byte offsets of Text in the request.
	Start, End int
}

// GuardKind is the kind two requests' slots must agree on for one's plan to serve the
// other: the Kind, except that a quoted sentence is told apart from a quoted title, and
// a name carrying digits ("123 Main St", "Example Street 12") from one without ("Uber",
// "Main Street"): an address or a model number is another sort of thing than a company
// or a person, and a plan that used one in some role is no evidence for the other.
func (s Slot) GuardKind() string {
	switch {
	case s.Kind == Name && strings.ContainsAny(s.Text, "0123456789"):
		return string(Name) + "#"
	case s.Kind == Quoted && strings.ContainsAny(lastRune(strings.TrimRight(s.Value, " ")), ".?!"):
		// A quoted sentence or question ("'What is the main topic?'") is another sort
		// of value than a quoted title: planners trim and place them differently.
		return string(Quoted) + "."
	case s.Kind == File:
		// An image is another sort of file than a recording: a tool that records or
		// transcribes takes the one and not the other.
		return string(File) + ":" + lexicon.FileMedia(s.Value)
	case s.Kind == Name:
		// "a Japanese passport" is Japan's: an adjective of a country is planned as
		// the country, which a re-bound name would not be.
		if _, adj, ok := lexicon.Country(s.Text); ok && adj {
			return string(Name) + ":adj"
		}
	}
	return string(s.Kind)
}

func lastRune(s string) string {
	if s == "" {
		return ""
	}
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

// Options configure an Extractor.
type Options struct {
	// Enums are the values that some tool argument accepts (see EnumsOf). Values that are
	// numbers, booleans, single characters or polarity/role words are ignored.
	Enums []string
	// Now is the clock relative dates are resolved against; time.Now when nil.
	Now func() time.Time
}

// Extractor finds slots in requests. It is immutable after NewExtractor and safe for
// concurrent use.
type Extractor struct {
	now func() time.Time
	// enums maps the lowercased first word of an enum value to the candidate values that
	// start with it, longest first.
	enums map[string][]enumValue
}

type enumValue struct {
	lower string // lowercased, single-spaced
	value string // as the registry spells it
	// opening marks a regular past form ("walked" for walk): a value only as the verb
	// that opens a sentence ("walked 5 km", "I cycled to work"), elsewhere most often
	// a state ("the named file", "a directed graph").
	opening bool
}

// NewExtractor builds an Extractor.
func NewExtractor(opts Options) *Extractor {
	e := &Extractor{now: opts.Now, enums: map[string][]enumValue{}}
	if e.now == nil {
		e.now = time.Now
	}
	seen := map[string]bool{}
	addAs := func(lower, value string, opening bool) {
		if !usableEnum(lower) || seen[lower] {
			return
		}
		seen[lower] = true
		first := lower
		if i := strings.IndexByte(lower, ' '); i >= 0 {
			first = lower[:i]
		}
		e.enums[first] = append(e.enums[first], enumValue{lower: lower, value: value, opening: opening})
	}
	add := func(lower, value string) { addAs(lower, value, false) }
	for _, v := range opts.Enums {
		norm := strings.Join(strings.Fields(v), " ")
		lower := strings.ToLower(norm)
		add(lower, norm)
		// "personal_email", "in_progress": people write "personal email", "in
		// progress"; the slot's value is the enum's own.
		if spaced := strings.ReplaceAll(lower, "_", " "); spaced != lower && !strings.Contains(spaced, "  ") {
			add(strings.TrimSpace(spaced), norm)
		}
		// "ebook", "email": people write "e-book", "e-mail".
		if len(lower) > 3 && lower[0] == 'e' && lower[1] != '-' && !strings.ContainsAny(lower, " _-") && ePrefixed[lower[1:]] {
			add("e-"+lower[1:], norm)
		}
		// "monthly": people write "every month", "once a month".
		if unit, ok := periodUnits[lower]; ok {
			for _, f := range []string{"every ", "each ", "once a ", "once an ", "once per "} {
				add(f+unit, norm)
			}
		}
	}
	// "ran 10k", "30 min of cycling": a value that is a verb's plain form, written as
	// its past or its -ing form. After every value, so that a value of its own
	// ("running" beside "run") keeps its word.
	for _, v := range opts.Enums {
		ing, past, regular := verbForms(strings.ToLower(v))
		if ing != "" {
			add(ing, v)
			addAs(past, v, regular)
		}
	}
	for k, vs := range e.enums {
		sort.SliceStable(vs, func(i, j int) bool { return len(vs[i].lower) > len(vs[j].lower) })
		e.enums[k] = vs
	}
	return e
}

// usableEnum reports whether an enum value may become a slot: not empty, not a number or
// boolean (those are recognised by type), not a polarity or role word, and starting with
// a letter (so that the enum scan can anchor on a word).
func usableEnum(lower string) bool {
	if len(lower) < 2 || lower == "true" || lower == "false" {
		return false
	}
	if keepWords[lower] {
		return false
	}
	c := lower[0]
	if !(c >= 'a' && c <= 'z') {
		return false
	}
	return true
}

// keepWords are never slots: they carry the polarity or the roles of a request.
var keepWords = map[string]bool{
	"on": true, "off": true, "yes": true, "no": true, "not": true, "none": true,
	"enable": true, "enabled": true, "disable": true, "disabled": true,
	"open": true, "close": true, "closed": true, "start": true, "stop": true,
	"up": true, "down": true, "in": true, "out": true, "to": true, "from": true,
	"add": true, "remove": true, "increase": true, "decrease": true, "lock": true, "unlock": true,
	"buy": true, "sell": true, "before": true, "after": true, "all": true, "any": true,
	"min": true, "max": true, "high": true, "low": true, "asc": true, "desc": true,
	"ascending": true, "descending": true, "and": true, "or": true, "the": true, "a": true, "an": true,
	// Function words that some catalogs use as codes ("it" for Italian, "us" for the
	// United States): as slots they would hide pronouns like "send it to Bob".
	"it": true, "us": true, "me": true, "we": true, "he": true, "she": true, "they": true, "them": true,
	"i": true, "my": true, "at": true, "of": true, "as": true, "be": true, "by": true, "do": true,
	"go": true, "if": true, "is": true, "so": true, "this": true, "that": true, "these": true,
	"those": true, "there": true, "here": true, "what": true, "which": true, "who": true,
}

// EnumsOf collects the enum values of every top-level argument of every tool in reg,
// deduplicated and sorted.
func EnumsOf(reg *tool.Registry) []string {
	if reg == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range reg.Tools() {
		for _, p := range t.Params() {
			for _, v := range p.Enum {
				if !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Extract returns the slots of text, non-overlapping and in order of position.
func (e *Extractor) Extract(text string) []Slot {
	slots, _ := e.ExtractDated(text)
	return slots
}

// ExtractDated is Extract, and reports whether the slots were read against the clock (a
// relative date such as "tomorrow", or a date without its year). When they were not, the
// Extractor finds the same slots in the same text at any time.
func (e *Extractor) ExtractDated(text string) (slots []Slot, dated bool) {
	s := scanner{e: e, text: text, now: e.now()}
	slots = rangeDays(text, s.run())
	if s.dated {
		// "the forecast for Alameda on the upcoming Wednesday, today is Monday April
		// 25th 2023": the request's own today is the clock its days are read against.
		if today, ok := statedToday(text, slots); ok {
			s = scanner{e: e, text: text, now: today}
			slots = rangeDays(text, s.run())
		}
	}
	return weekdayOfDate(text, slots), s.dated
}

// rangeDays reads the first days of ranges whose month is written once: after the last
// day ("from 3 to 5 april", "12-14 march", "between the 3rd and 5th of May") or before
// the first ("from the 12th to the 16th of April" is rangeFirstDays').
func rangeDays(text string, slots []Slot) []Slot {
	slots = leadingRangeDays(text, slots)
	rangeFirstDays(text, slots)
	return slots
}

// rangeDayBefore matches the first day of a range and its join, written right before a
// date: "3 to ", "12-", "3rd - ", "between 3 and ".
var rangeDayBefore = regexp.MustCompile(`(?i)(?:^|[^\w.,:/-])((between\s+)?(?:the\s+)?([0-3]?[0-9])(?:st|nd|rd|th)?)\s*(?:(-|–)|\s(to|through|thru|till|until|and))\s*(?:the\s+)?$`)

// leadingRangeDays makes a date of a day written alone before a range join and a date
// that opens with its day ("3 to 5 april", "12-14 march 2027", "3rd to 5th of April"):
// the day in the date's month and year, when it comes before the date's day. "and"
// joins a range only after "between" ("on 3 and 5 april" is left alone, and two
// dates need both written). A number the scanner read there becomes the date.
func leadingRangeDays(text string, slots []Slot) []Slot {
	for k := 0; k < len(slots); k++ {
		b := slots[k]
		if b.Kind != Date || len(b.Value) != 10 || b.Text == "" || !isDigit(b.Text[0]) {
			continue
		}
		if _, month := monthAt(strings.TrimLeft(strings.TrimLeft(b.Text, "0123456789"), "stndrh "), 0); month == 0 && !strings.Contains(strings.ToLower(b.Text), " of ") {
			continue // "5 april", "5th of april": the day first, then its month
		}
		m := rangeDayBefore.FindStringSubmatchIndex(text[:b.Start])
		if m == nil {
			continue
		}
		if and := m[10] >= 0 && strings.EqualFold(text[m[10]:m[11]], "and"); and != (m[4] >= 0) {
			continue
		}
		d, err := strconv.Atoi(text[m[6]:m[7]])
		bd, _ := strconv.Atoi(b.Value[8:])
		if err != nil || d < 1 || d >= bd {
			continue
		}
		start, end := m[6], m[7]
		if e := ordinalSuffix(text, end); e > end {
			end = e
		}
		first := Slot{Kind: Date, Text: text[start:end], Value: b.Value[:8] + fmt.Sprintf("%02d", d), Start: start, End: end}
		at := k
		if k > 0 && slots[k-1].Start >= start && slots[k-1].End <= m[1] {
			if slots[k-1].Kind != Number {
				continue // a value of its own there
			}
			at = k - 1
			slots[at] = first
		} else {
			slots = slices.Insert(slots, k, first)
			k++
		}
	}
	return slots
}

// weekdayOfDate makes one slot of a weekday written right before a date ("monday 14
// dec", "Friday, December 18"): the date is the day meant, the weekday its name, not a
// day of this week.
func weekdayOfDate(text string, slots []Slot) []Slot {
	for k := 0; k+1 < len(slots); k++ {
		a, b := slots[k], slots[k+1]
		if a.Kind != Date || b.Kind != Date {
			continue
		}
		if gap := text[a.End:b.Start]; gap != " " && gap != ", " {
			continue
		}
		lw := strings.ToLower(a.Text)
		if _, month := monthAt(b.Text, 0); weekdayIndex(lw) < 0 && weekdayAbbrev(lw) < 0 || !isDigit(b.Text[0]) && month == 0 {
			// (a date written with its day and month: not "Wednesday, today", nor
			// "Friday, in 3 days")
			continue
		}
		slots[k] = Slot{Kind: Date, Text: text[a.Start:b.End], Value: b.Value, Start: a.Start, End: b.End}
		slots = append(slots[:k+1], slots[k+2:]...)
	}
	return slots
}

// rangeFirstDays gives the first day of a range written as a day alone its last day's
// month and year: "from the 12th to the 16th of April" starts on the 12th of April, not
// on the next 12th. slots are changed in place.
func rangeFirstDays(text string, slots []Slot) {
	for i := 0; i+1 < len(slots); i++ {
		a, b := &slots[i], slots[i+1]
		if a.Kind != Date || b.Kind != Date || !dayAlone(a.Text) || dayAlone(b.Text) || len(b.Value) != 10 || len(a.Value) != 10 {
			continue
		}
		gap := strings.TrimSpace(text[a.End:b.Start])
		if !RangeJoin(strings.TrimSpace(strings.TrimSuffix(strings.ToLower(gap), "the"))) {
			continue
		}
		if a.Value[8:] >= b.Value[8:] {
			continue // "the 28th to March 3": the first day is in another month
		}
		a.Value = b.Value[:8] + a.Value[8:]
	}
}

// dayAlone reports whether a date's text is a day of the month alone: "12th", "3rd".
func dayAlone(text string) bool {
	t := strings.TrimSpace(text)
	t = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(t, "th"), "st"), "nd"), "rd")
	return t != "" && strings.Trim(t, "0123456789") == ""
}

// statedToday returns the day text says today is ("today is Monday April 25th 2023",
// "today's date is 2023-04-25"), written with its year, and true.
func statedToday(text string, slots []Slot) (time.Time, bool) {
	lower := strings.ToLower(text)
	for i, sl := range slots {
		if sl.Kind != Date || !strings.ContainsAny(sl.Text, "0123456789") {
			continue
		}
		before := strings.TrimRight(lower[:sl.Start], " ,")
		if i > 0 && slots[i-1].Kind == Date && strings.Trim(text[slots[i-1].End:sl.Start], " ,") == "" && weekdayIndex(strings.ToLower(slots[i-1].Text)) >= 0 {
			before = strings.TrimRight(lower[:slots[i-1].Start], " ,") + " " // "today is Monday, April 25th 2023"
			if !strings.HasSuffix(before, " is ") {
				continue
			}
			before = strings.TrimSuffix(before, " ")
		}
		if !strings.HasSuffix(before, "today is") && !strings.HasSuffix(before, "today's date is") && !strings.HasSuffix(before, "the date today is") {
			continue
		}
		d, err := time.Parse("2006-01-02", sl.Value)
		if err != nil || !hasYear(sl.Text) {
			continue
		}
		return d.Add(12 * time.Hour), true
	}
	return time.Time{}, false
}

// hasYear reports whether a date's text writes its year (four digits together).
func hasYear(text string) bool {
	run := 0
	for i := 0; i < len(text); i++ {
		if text[i] >= '0' && text[i] <= '9' {
			run++
			if run == 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// Kinds returns the kinds of slots, in order.
func Kinds(slots []Slot) []Kind {
	out := make([]Kind, len(slots))
	for i, s := range slots {
		out[i] = s.Kind
	}
	return out
}
