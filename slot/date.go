package slot

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// digitsAt returns the end of a run of at most max digits at i and its value.
func digitsAt(t string, i, max int) (end, v int) {
	j := i
	for j < len(t) && j-i < max && isDigit(t[j]) {
		v = v*10 + int(t[j]-'0')
		j++
	}
	return j, v
}

// dateNumeric recognises 2026-12-24, 2026/12/24, 10/05/2023 (US order unless the first
// part exceeds 12), 24.12.2026 (day first), 1/2/23, and "25th December 2022", "20th of
// March", "1 Jan".
func (s *scanner) dateNumeric(i int) (end int, value string, ok bool) {
	t := s.text
	j, a := digitsAt(t, i, 4)
	n := j - i
	if j < len(t) && (t[j] == '-' || t[j] == '/' || t[j] == '.') {
		sep := t[j]
		k, b := digitsAt(t, j+1, 2)
		if k > j+1 && k < len(t) && t[k] == sep {
			l, c := digitsAt(t, k+1, 4)
			ylen := l - (k + 1)
			if !alnumAt(t, l) && !(l+1 < len(t) && (t[l] == sep || t[l] == ':') && isDigit(t[l+1])) {
				s.skipTo = l // date-shaped: never split it into numbers
				switch {
				case n == 4 && ylen >= 1 && ylen <= 2: // 2026-12-24
					if v, ok := ymd(a, b, c); ok {
						return l, v, true
					}
				case n <= 2 && (ylen == 4 || ylen == 2):
					y := c
					if ylen == 2 {
						y += 2000
					}
					m, d := a, b
					if sep == '.' || a > 12 {
						m, d = b, a
					}
					if v, ok := ymd(y, m, d); ok {
						return l, v, true
					}
				}
			}
		}
		if sep == '/' && n <= 2 && k > j+1 && !alnumAt(t, k) && !(k < len(t) && (t[k] == '/' || t[k] == '.' && k+1 < len(t) && isDigit(t[k+1]))) &&
			(a > 12) != (b > 12) && s.dayCue(i) {
			// "15% off expiring 12/31", "due 31/1": a month and a day, in whichever
			// order the day (above 12) shows, after a word that introduces a day.
			m, d := a, b
			if a > 12 {
				m, d = b, a
			}
			s.skipTo = k
			if v, ok := s.resolve(0, m, d); ok {
				return k, v, true
			}
		}
		return 0, "", false
	}
	if n > 2 || a == 0 {
		return 0, "", false
	}
	// "25th December 2022", "20th of March", "1 Jan 2024"
	j = ordinalSuffix(t, j)
	if j >= len(t) || t[j] != ' ' {
		return 0, "", false
	}
	j++
	if strings.HasPrefix(t[j:], "of ") {
		j += 3
	}
	mEnd, month := monthAt(t, j)
	if month == 0 {
		return 0, "", false
	}
	end = mEnd
	year := 0
	if yEnd, y, ok := yearAfter(t, mEnd); ok {
		end, year = yEnd, y
	}
	if v, ok := s.resolve(year, month, a); ok {
		return end, v, true
	}
	return 0, "", false
}

// dayCue reports whether the word before i introduces a day: "on", "by", "until",
// "expiring", "due".
func (s *scanner) dayCue(i int) bool {
	before := strings.Fields(strings.ToLower(s.text[:i]))
	if len(before) == 0 {
		return false
	}
	w := before[len(before)-1]
	return dayIntroducers[w] || w == "expiring" || w == "expires" || w == "due" || w == "ending" || w == "ends"
}

// ordinalDay recognises a day of the month written alone, "on the 14th", "by the 3rd.":
// the number v (digits t[i:end]) with an ordinal suffix, after "the" and a word that
// introduces a day (on, for, by, until, from, ...), and followed by the end of the text,
// a punctuation mark or a word that cannot be what the ordinal counts ("the 14th at
// noon"; not "the 3rd floor", "the 2nd item"). It is the next such day on or after
// today: this month's, or the next month's when it has passed.
func (s *scanner) ordinalDay(i, end int, v string) (int, string, bool) {
	t := s.text
	if !ordinalAt(t, end) || alnumAt(t, end+2) || end-i > 2 {
		return 0, "", false
	}
	d, err := strconv.Atoi(v)
	if err != nil || d < 1 || d > 31 {
		return 0, "", false
	}
	before := strings.Fields(strings.ToLower(t[:i]))
	if len(before) < 2 || before[len(before)-1] != "the" || !dayIntroducers[before[len(before)-2]] {
		return 0, "", false
	}
	dend := end + 2
	rest := strings.TrimLeft(t[dend:], " ")
	if rest != "" && !strings.ContainsRune(",.;:!?)", rune(rest[0])) {
		next := strings.ToLower(rest[:wordAt(rest, 0)])
		if !dayFollowers[next] {
			return 0, "", false
		}
	}
	s.dated = true
	today := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 0, 0, 0, 0, time.UTC)
	y, m := today.Year(), int(today.Month())
	step := 1
	if s.back {
		step = -1
		if d > today.Day() {
			m--
		}
	} else if d < today.Day() {
		m++
	}
	for k := 0; k < 3; k++ { // the 31st: the nearest month that has one
		if m > 12 {
			y, m = y+1, m-12
		}
		if m < 1 {
			y, m = y-1, m+12
		}
		if validDay(y, m, d) {
			v, _ := ymd(y, m, d)
			return dend, v, true
		}
		m += step
	}
	return 0, "", false
}

// dayIntroducers come before "the 14th" when it is a day of the month.
var dayIntroducers = map[string]bool{"on": true, "for": true, "by": true, "until": true, "till": true,
	"til": true, "from": true, "through": true, "thru": true, "before": true, "after": true, "since": true}

// dayFollowers may follow a day of the month written alone ("on the 14th at 9",
// "the 20th and ...").
var dayFollowers = map[string]bool{"at": true, "and": true, "to": true, "for": true, "from": true, "in": true,
	"with": true, "then": true, "until": true, "till": true, "through": true, "or": true, "please": true,
	"pls": true, "morning": true, "afternoon": true, "evening": true, "night": true, "instead": true,
	"too": true, "as": true, "so": true, "but": true, "this": true, "next": true, "of": false}

// holidayDate recognises the fixed-date holidays by name: "Christmas Eve", "Christmas
// (Day)", "New Year's Eve", "New Year's Day", "Boxing Day", "Halloween", "Valentine's
// Day", at the next such day on or after today. A name alone (Christmas, Halloween) is
// a day after a word that introduces one ("for Christmas", "over Christmas").
func (s *scanner) holidayDate(i int) (end int, value string, ok bool) {
	t := s.text
	rest := strings.ToLower(t[i:])
	for _, h := range holidays {
		if !strings.HasPrefix(rest, h.name) || alnumAt(t, i+len(h.name)) {
			continue
		}
		if !strings.HasSuffix(h.name, " eve") && !strings.HasSuffix(h.name, " day") {
			// "for Christmas" is a day, "a Christmas tree" is not.
			before := strings.Fields(strings.ToLower(t[:i]))
			if len(before) == 0 || !dayIntroducers[before[len(before)-1]] && before[len(before)-1] != "over" && before[len(before)-1] != "at" {
				return 0, "", false
			}
		}
		v, ok := s.resolve(0, h.month, h.day)
		return i + len(h.name), v, ok
	}
	return 0, "", false
}

// holidays are longest first, so "christmas eve" is tried before "christmas".
var holidays = []struct {
	name       string
	month, day int
}{
	{"christmas eve", 12, 24}, {"christmas day", 12, 25}, {"christmas", 12, 25},
	{"new year's eve", 12, 31}, {"new years eve", 12, 31}, {"new year’s eve", 12, 31},
	{"new year's day", 1, 1}, {"new years day", 1, 1}, {"new year’s day", 1, 1},
	{"boxing day", 12, 26}, {"halloween", 10, 31},
	{"valentine's day", 2, 14}, {"valentines day", 2, 14}, {"valentine’s day", 2, 14},
}

// ordinalSuffix skips st/nd/rd/th after a day number.
func ordinalSuffix(t string, j int) int {
	if j+2 <= len(t) {
		switch strings.ToLower(t[j : j+2]) {
		case "st", "nd", "rd", "th":
			if !alnumAt(t, j+2) {
				return j + 2
			}
		}
	}
	return j
}

// yearAfter matches ", 2022", " 2022", ",2022" at i.
func yearAfter(t string, i int) (end, year int, ok bool) {
	j := i
	if j < len(t) && t[j] == ',' {
		j++
	}
	if j < len(t) && t[j] == ' ' {
		j++
	}
	if j == i {
		return 0, 0, false
	}
	k, y := digitsAt(t, j, 4)
	if k-j != 4 || alnumAt(t, k) || y < 1900 || y > 2199 {
		return 0, 0, false
	}
	return k, y, true
}

// yearFirst recognises a date written year first with the month's name: "2023 April
// 15th", "2023, April 15".
func (s *scanner) yearFirst(i int) (end int, value string, ok bool) {
	t := s.text
	k, y := digitsAt(t, i, 4)
	if k-i != 4 || y < 1900 || y > 2199 {
		return 0, "", false
	}
	j := k
	if j < len(t) && t[j] == ',' {
		j++
	}
	if j >= len(t) || t[j] != ' ' {
		return 0, "", false
	}
	j++
	mEnd, month := monthAt(t, j)
	if month == 0 {
		return 0, "", false
	}
	if mEnd < len(t) && t[mEnd] == ' ' {
		mEnd++
	}
	dEnd, d := digitsAt(t, mEnd, 2)
	if dEnd == mEnd {
		return 0, "", false
	}
	end = ordinalSuffix(t, dEnd)
	if alnumAt(t, end) {
		return 0, "", false
	}
	if v, ok := s.resolve(y, month, d); ok {
		return end, v, true
	}
	return 0, "", false
}

// monthAt matches a month name or abbreviation (with an optional '.') at i.
func monthAt(t string, i int) (end, month int) {
	if i >= len(t) || !strings.ContainsRune("jfmasondJFMASOND", rune(t[i])) {
		return 0, 0
	}
	w := wordAt(t, i)
	var buf [12]byte
	lw, ok := lowerASCII(buf[:0], t[i:w])
	if !ok {
		return 0, 0
	}
	m := monthIndex(string(lw))
	if m == 0 {
		return 0, 0
	}
	if w < len(t) && t[w] == '.' && len(lw) <= 4 {
		w++
	}
	return w, m
}

// dateWords recognises "December 10th, 2022", "Dec 10", "July 19,2024", "today",
// "tomorrow", "yesterday", "tonight", weekdays with an optional "next", "this",
// "coming" or "last", and "in 3 days" / "in two weeks".
func (s *scanner) dateWords(i int) (end int, value string, ok bool) {
	t := s.text
	if mEnd, month := monthAt(t, i); month > 0 {
		j := mEnd
		if j < len(t) && t[j] == ' ' {
			j++
		}
		k, d := digitsAt(t, j, 2)
		if k == j || alnumAt(t, k) && ordinalSuffix(t, k) == k {
			return 0, "", false
		}
		end = ordinalSuffix(t, k)
		if alnumAt(t, end) {
			return 0, "", false
		}
		year := 0
		if yEnd, y, ok := yearAfter(t, end); ok {
			end, year = yEnd, y
		}
		if v, ok := s.resolve(year, month, d); ok {
			if year == 0 {
				s.rangeEnd = s.lastDayOf(end, v, d)
			}
			return end, v, true
		}
		return 0, "", false
	}
	if c := t[i] | 0x20; c == 'c' || c == 'n' || c == 'b' || c == 'h' || c == 'v' {
		if end, v, ok := s.holidayDate(i); ok {
			return end, v, true
		}
	}
	w := wordAt(t, i)
	var buf [12]byte
	lw, short := lowerASCII(buf[:0], t[i:w])
	if !short || len(lw) == 0 || !dateWordStart[lw[0]] {
		return 0, "", false
	}
	today := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 0, 0, 0, 0, time.UTC)
	day := func(d time.Time) string { // every value returned below is read against the clock
		s.dated = true
		return d.Format("2006-01-02")
	}
	switch string(lw) {
	case "end":
		// "until end of month", "by the end of the year": the last day of this month
		// or year.
		rest := strings.ToLower(t[w:])
		for _, f := range []struct {
			words string
			last  func() time.Time
		}{
			{" of the month", func() time.Time { return today.AddDate(0, 1, -today.Day()) }},
			{" of month", func() time.Time { return today.AddDate(0, 1, -today.Day()) }},
			{" of the year", func() time.Time { return time.Date(today.Year(), 12, 31, 0, 0, 0, 0, time.UTC) }},
			{" of year", func() time.Time { return time.Date(today.Year(), 12, 31, 0, 0, 0, 0, time.UTC) }},
		} {
			if strings.HasPrefix(rest, f.words) && !alnumAt(t, w+len(f.words)) {
				return w + len(f.words), day(f.last()), true
			}
		}
		return 0, "", false
	case "today", "tonight":
		return w, day(today), true
	case "tomorrow", "tmrw", "tmw", "tmr", "tmrow", "tomorow", "tommorow", "tommorrow":
		// (and the ways people write it in a hurry)
		return w, day(today.AddDate(0, 0, 1)), true
	case "yesterday":
		return w, day(today.AddDate(0, 0, -1)), true
	case "next", "this", "coming":
		if w < len(t) && t[w] == ' ' {
			w2 := wordAt(t, w+1)
			var b2 [12]byte
			l2, _ := lowerASCII(b2[:0], t[w+1:w2])
			if wd := weekdayIndex(string(l2)); wd >= 0 {
				strict := string(lw) == "next"
				return w2, day(nextWeekday(today, time.Weekday(wd), strict)), true
			}
			if wd := weekdayAbbrev(string(l2)); wd >= 0 {
				strict := string(lw) == "next"
				return w2, day(nextWeekday(today, time.Weekday(wd), strict)), true
			}
		}
		return 0, "", false
	case "last":
		// "top dishes last saturday": the one before today (a week ago on a Saturday).
		if w < len(t) && t[w] == ' ' {
			w2 := wordAt(t, w+1)
			var b2 [12]byte
			l2, _ := lowerASCII(b2[:0], t[w+1:w2])
			wd := weekdayIndex(string(l2))
			if wd < 0 {
				wd = weekdayAbbrev(string(l2))
			}
			if wd >= 0 {
				d := lastWeekday(today, time.Weekday(wd))
				if d.Equal(today) {
					d = d.AddDate(0, 0, -7)
				}
				return w2, day(d), true
			}
		}
		return 0, "", false
	case "in":
		// in 3 days, in two weeks
		j := w
		if j >= len(t) || t[j] != ' ' {
			return 0, "", false
		}
		j++
		var n int
		k, v := digitsAt(t, j, 3)
		if k > j {
			n = v
		} else {
			k = wordAt(t, j)
			var b3 [12]byte
			l3, _ := lowerASCII(b3[:0], t[j:k])
			nv, ok := numberWords[string(l3)]
			if !ok {
				return 0, "", false
			}
			n, _ = strconv.Atoi(nv)
		}
		if k >= len(t) || t[k] != ' ' {
			return 0, "", false
		}
		u := wordAt(t, k+1)
		var b4 [8]byte
		l4, _ := lowerASCII(b4[:0], t[k+1:u])
		switch string(l4) {
		case "day", "days":
			return u, day(today.AddDate(0, 0, n)), true
		case "week", "weeks":
			return u, day(today.AddDate(0, 0, 7*n)), true
		}
		return 0, "", false
	}
	if wd := weekdayIndex(string(lw)); wd >= 0 {
		if s.back {
			return w, day(lastWeekday(today, time.Weekday(wd))), true
		}
		return w, day(nextWeekday(today, time.Weekday(wd), false)), true
	}
	// "sat at 10", "on thurs": an abbreviated weekday, where a day is what is meant ("I
	// sat down" is no Saturday).
	// ("sat 11am", "thu 3pm": a time right after it too; "the Sun at 2.8 AU" is none.)
	if wd := weekdayAbbrev(string(lw)); wd >= 0 && !strings.HasSuffix(strings.ToLower(t[:i]), "the ") &&
		(hasPrefixFold(t[w:], " at ") || strings.HasSuffix(strings.ToLower(t[:i]), "on ") || timeAfter(t, w)) {
		return w, day(nextWeekday(today, time.Weekday(wd), false)), true
	}
	return 0, "", false
}

// timeAfter reports whether a time of day follows offset w of t after one space: " 11am",
// " 3pm", " 10:30".
func timeAfter(t string, w int) bool {
	if w+1 >= len(t) || t[w] != ' ' || !isDigit(t[w+1]) {
		return false
	}
	_, _, ok := timeAt(t, w+1)
	return ok
}

// rangeStartTime reads the first hour of a range of hours whose last one says am or
// pm ("2-4pm", "11 to 1pm", "9:30-11am"): the hour of that half of the day, or of the
// one before, that comes before the last (2-4pm is 14:00, 11 to 1pm 11:00).
func rangeStartTime(t string, i int) (end int, value string, ok bool) {
	j, h := digitsAt(t, i, 2)
	if j == i || h < 1 || h > 12 {
		return 0, "", false
	}
	m := 0
	if j+2 < len(t) && t[j] == ':' && isDigit(t[j+1]) && isDigit(t[j+2]) {
		m = int(t[j+1]-'0')*10 + int(t[j+2]-'0')
		j += 3
	}
	if m > 59 {
		return 0, "", false
	}
	for _, w := range rangeWords {
		if !hasPrefixFold(t[j:], w) {
			continue
		}
		k := j + len(w)
		k2, last, ok := timeAt(t, k)
		if !ok || !strings.ContainsAny(t[k:k2], "mM") {
			return 0, "", false // the last hour must say am or pm ("2-4pm", not "2-4")
		}
		lh := int(last[0]-'0')*10 + int(last[1]-'0')
		lm := int(last[3]-'0')*10 + int(last[4]-'0')
		lastMin := lh*60 + lm
		best := -1
		for _, cand := range []int{h % 12, h%12 + 12} {
			if c := cand*60 + m; c < lastMin && (best < 0 || c > best) {
				best = c
			}
		}
		if best < 0 {
			return 0, "", false
		}
		return j, hhmm(best/60, best%60), true
	}
	return 0, "", false
}

// rangeJoins are the words that join the two ends of a range: "Dec 11 to 14",
// "2-4pm", "10:00 until 11:30".
var rangeJoins = []string{"-", "–", "to", "through", "thru", "till", "until"}

// rangeWords are rangeJoins as written between the ends (hyphens with or without
// spaces around them).
var rangeWords = func() []string {
	out := []string{"-", "–"}
	for _, w := range rangeJoins {
		out = append(out, " "+w+" ")
	}
	return out
}()

// RangeJoin reports whether gap, the text between two values, joins them as the ends of
// a range (rangeJoins, spaces and case aside).
func RangeJoin(gap string) bool {
	return slices.Contains(rangeJoins, strings.ToLower(strings.TrimSpace(gap)))
}

// lastDayOf reads the last day of a range written after a month's day ending at i
// ("Dec 11 to 14", "May 3-7"): a day of the same month after first's day, as a Date slot
// over its digits, or no slot. first is the first day's value (2027-12-11).
func (s *scanner) lastDayOf(i int, first string, firstDay int) Slot {
	t := s.text
	for _, w := range rangeWords {
		if !hasPrefixFold(t[i:], w) {
			continue
		}
		j := i + len(w)
		k, d := digitsAt(t, j, 2)
		if k == j || d <= firstDay {
			return Slot{}
		}
		end := ordinalSuffix(t, k)
		if alnumAt(t, end) || end < len(t) && (t[end] == ':' || t[end] == '.' && end+1 < len(t) && isDigit(t[end+1])) {
			return Slot{} // "Dec 11 to 14:30", "May 3 to 7pm", "to 4.5"
		}
		if n := skipSpace(t, end); n < len(t) && isLetterByte(t[n]) && !afterRange[strings.ToLower(t[n:wordAt(t, n)])] {
			return Slot{} // "May 3 to 5 people", "Dec 11 to 14 Jan": the number is no day of the range
		}
		if _, _, ok := yearAfter(t, end); ok {
			return Slot{} // "May 3 - 7, 2028": the year is the range's, not the next year's
		}
		fd, err := time.Parse("2006-01-02", first)
		if err != nil {
			return Slot{}
		}
		v, ok := ymd(fd.Year(), int(fd.Month()), d)
		if !ok {
			return Slot{}
		}
		return Slot{Kind: Date, Text: t[j:end], Value: v, Start: j, End: end}
	}
	return Slot{}
}

// afterRange are the words that may follow the last day of a range.
var afterRange = map[string]bool{"and": true, "for": true, "in": true, "at": true, "please": true, "pls": true,
	"then": true, "or": true, "with": true, "from": true, "if": true, "but": true, "so": true, "inclusive": true}

func skipSpace(t string, i int) int {
	for i < len(t) && t[i] == ' ' {
		i++
	}
	return i
}

// weekdayAbbrev returns the weekday of an abbreviation (sat, thurs, tues), or -1.
func weekdayAbbrev(w string) int {
	switch w {
	case "sun":
		return 0
	case "mon":
		return 1
	case "tue", "tues":
		return 2
	case "wed", "weds":
		return 3
	case "thu", "thur", "thurs":
		return 4
	case "fri":
		return 5
	case "sat":
		return 6
	}
	return -1
}

// dateWordStart holds the first letters of the relative date words (today, tonight,
// tomorrow, yesterday, next, this, coming, in) and the weekdays: other words are
// rejected without further work.
var dateWordStart = func() [256]bool {
	var m [256]bool
	for _, c := range "tynciwmfsel" {
		m[c] = true
	}
	return m
}()

// lastWeekday returns the last day on or before today that falls on wd.
func lastWeekday(today time.Time, wd time.Weekday) time.Time {
	return today.AddDate(0, 0, -((int(today.Weekday()) - int(wd) + 7) % 7))
}

// nextWeekday returns the first day on or after today (strictly after when strict) that
// falls on wd.
func nextWeekday(today time.Time, wd time.Weekday, strict bool) time.Time {
	d := (int(wd) - int(today.Weekday()) + 7) % 7
	if d == 0 && strict {
		d = 7
	}
	return today.AddDate(0, 0, d)
}

// resolve renders a date; a zero year means the next such day on or after today, or,
// after "since" (s.back), the last one on or before it.
func (s *scanner) resolve(year, month, day int) (string, bool) {
	if year == 0 {
		s.dated = true
		today := time.Date(s.now.Year(), s.now.Month(), s.now.Day(), 0, 0, 0, 0, time.UTC)
		year = today.Year()
		step := 1
		if s.back {
			step = -1
		}
		for k := 0; k < 5; k++ { // 29 February: the nearest leap year
			if validDay(year, month, day) {
				d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
				if s.back && !d.After(today) || !s.back && !d.Before(today) {
					break
				}
			}
			year += step
		}
	}
	return ymd(year, month, day)
}

// sinceBefore reports whether the word before text[i:] is "since" ("since the 3rd",
// "since Nov 1", "since Monday"): a day that starts a span reaching today, so it lies in
// the past.
func sinceBefore(t string, i int) bool {
	for k := 0; ; k++ {
		for i > 0 && t[i-1] == ' ' {
			i--
		}
		j := i
		for j > 0 && t[j-1] != ' ' {
			j--
		}
		w := t[j:i]
		if j == i || k == 2 || !strings.EqualFold(w, "the") && !strings.EqualFold(w, "on") {
			return strings.EqualFold(w, "since")
		}
		i = j
	}
}

func ymd(y, m, d int) (string, bool) {
	if !validDay(y, m, d) {
		return "", false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), true
}

func validDay(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() == d
}

// clockShaped reports whether t[i:] opens with an hour and minutes written as a clock
// ("25:00", "13:75", "0:99pm", "7:30"), whether or not they are a time of day, and where
// it ends.
func clockShaped(t string, i int) (end int, ok bool) {
	j, _ := digitsAt(t, i, 2)
	if j == i || j+2 >= len(t) || t[j] != ':' || !isDigit(t[j+1]) || !isDigit(t[j+2]) {
		return 0, false
	}
	j += 3
	if k, _, ok := ampm(t, j); ok {
		return k, true
	}
	if alnumAt(t, j) || j+1 < len(t) && t[j] == ':' && isDigit(t[j+1]) {
		return 0, false // 12:345, 12:30:45 (read whole or not at all)
	}
	return j, true
}

// timeAt recognises 19:00, 7:30:15, 10:00 AM, 9:00pm, 7 PM, 7pm, 10 a.m., 7 o'clock.
func timeAt(t string, i int) (end int, value string, ok bool) {
	j, h := digitsAt(t, i, 2)
	if j == i {
		return 0, "", false
	}
	m := 0
	colon := false
	if j+2 < len(t) && t[j] == ':' && isDigit(t[j+1]) && isDigit(t[j+2]) {
		m = int(t[j+1]-'0')*10 + int(t[j+2]-'0')
		j += 3
		colon = true
		if j+2 < len(t) && t[j] == ':' && isDigit(t[j+1]) && isDigit(t[j+2]) {
			j += 3 // seconds are dropped
		}
	}
	if m > 59 {
		return 0, "", false
	}
	if k, pm, ok := ampm(t, j); ok {
		if h < 1 || h > 12 {
			return 0, "", false
		}
		if pm && h != 12 {
			h += 12
		}
		if !pm && h == 12 {
			h = 0
		}
		return k, hhmm(h, m), true
	}
	if !colon {
		if k, ok := wordsAfter(t, j, "o'clock", "o’clock"); ok && h >= 1 && h <= 12 {
			return k, hhmm(h, 0), true
		}
		return 0, "", false
	}
	if h > 23 || alnumAt(t, j) {
		return 0, "", false
	}
	return j, hhmm(h, m), true
}

// ampm matches am, pm, a.m., p.m. (any case) after an optional space.
func ampm(t string, i int) (end int, pm, ok bool) {
	j := i
	if j < len(t) && t[j] == ' ' {
		j++
	}
	if j+1 >= len(t) {
		return 0, false, false
	}
	c := t[j] | 0x20
	if c != 'a' && c != 'p' {
		return 0, false, false
	}
	pm = c == 'p'
	switch {
	case t[j+1]|0x20 == 'm' && !alnumAt(t, j+2):
		return j + 2, pm, true
	case t[j+1] == '.' && j+2 < len(t) && t[j+2]|0x20 == 'm':
		k := j + 3
		if k < len(t) && t[k] == '.' {
			k++
		}
		if alnumAt(t, k) {
			return 0, false, false
		}
		return k, pm, true
	}
	return 0, false, false
}

func hhmm(h, m int) string {
	b := []byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)}
	return string(b)
}

// Month returns 1-12 for a month's name or abbreviation in any case ("November",
// "sept"), else 0.
func Month(w string) int { return monthIndex(strings.ToLower(w)) }

// Weekday returns the time.Weekday of a day's name or abbreviation in any case
// ("Friday", "sat", "thurs"), else -1.
func Weekday(w string) int {
	w = strings.ToLower(w)
	if d := weekdayIndex(w); d >= 0 {
		return d
	}
	return weekdayAbbrev(w)
}

// monthIndex returns 1-12 for a lowercase month name or abbreviation, else 0.
func monthIndex(w string) int {
	switch w {
	case "january", "jan":
		return 1
	case "february", "feb":
		return 2
	case "march", "mar":
		return 3
	case "april", "apr":
		return 4
	case "may":
		return 5
	case "june", "jun":
		return 6
	case "july", "jul":
		return 7
	case "august", "aug":
		return 8
	case "september", "sep", "sept":
		return 9
	case "october", "oct":
		return 10
	case "november", "nov":
		return 11
	case "december", "dec":
		return 12
	}
	return 0
}

// weekdayIndex returns the time.Weekday of a lowercase day name, or -1.
func weekdayIndex(w string) int {
	switch w {
	case "sunday":
		return 0
	case "monday":
		return 1
	case "tuesday":
		return 2
	case "wednesday":
		return 3
	case "thursday":
		return 4
	case "friday":
		return 5
	case "saturday":
		return 6
	}
	return -1
}
