package slot

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// scanner holds the state of one Extract call.
type scanner struct {
	e    *Extractor
	text string
	now  time.Time
	// dated is set when a value was read against now: a relative date, or a date
	// without its year.
	dated bool
	out   []Slot
	// skipTo, when beyond the current position, is where scanning resumes after a
	// recogniser rejected a token that no other recogniser may split (2026-02-30).
	skipTo int
	// resume, when beyond a slot's end, is where scanning resumes after it.
	resume int
	// back is set while a value after "since" is read: a day in the past.
	back bool
	// rangeEnd, when it has a kind, is the last day of a range whose first day was just
	// read ("Dec 11 to 14": the 14th of December), emitted next.
	rangeEnd Slot
}

// typedSpan recognises a typed value that spans exactly text[lo:hi].
func (s *scanner) typedSpan(lo, hi int) (Slot, bool) {
	for lo < hi && s.text[lo] == ' ' {
		lo++
	}
	for hi > lo && s.text[hi-1] == ' ' {
		hi--
	}
	if lo >= hi {
		return Slot{}, false
	}
	if end, k, v, ok := s.compact(lo); ok && end == hi {
		return s.slot(k, lo, end, v)
	}
	c := s.text[lo]
	if isDigit(c) || c == '+' || c == '(' || c == '$' {
		saved := s.skipTo
		var sl Slot
		var ok bool
		if c == '$' {
			if end, v, mok := s.moneyPrefix(lo); mok {
				sl, ok = s.slot(Money, lo, end, v)
			}
		} else if c == '+' || c == '(' {
			if end, v, pok := s.phone(lo); pok {
				sl, ok = s.slot(Phone, lo, end, v)
			}
		} else {
			sl, ok = s.numeric(lo)
		}
		s.skipTo = saved
		if ok && sl.End == hi && sl.Kind != Name {
			return sl, true
		}
	}
	return Slot{}, false
}

func (s *scanner) run() []Slot {
	t := s.text
	for i := 0; i < len(t); {
		c := t[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		if !s.boundary(i) {
			i = s.skip(i)
			continue
		}
		if sl, ok := s.at(i); ok {
			s.out = append(s.out, sl)
			i = sl.End
			if s.resume > i {
				i = s.resume // past the closing quote of a typed quoted value
			}
			if s.rangeEnd.Kind != "" {
				s.out = append(s.out, s.rangeEnd)
				i, s.rangeEnd = s.rangeEnd.End, Slot{}
			}
			continue
		}
		if s.skipTo > i {
			i = s.skipTo
			continue
		}
		i = s.skip(i)
	}
	return s.out
}

// boundary reports whether a slot may start at i: at the start of the text or after a
// character that is not a letter or digit.
func (s *scanner) boundary(i int) bool {
	if i == 0 {
		return true
	}
	r, n := utf8.DecodeLastRuneInString(s.text[:i])
	if r == '_' && i > n {
		// "L_579838452023959405", "user_42": an identifier's part is not a value.
		if p, _ := utf8.DecodeLastRuneInString(s.text[:i-n]); isAlnum(p) {
			return false
		}
	}
	if r == '-' && i >= 2 && isLetterByte(s.text[i-2]) && (i == 2 || !isAlnumByte(s.text[i-3])) && isLetterByte(s.text[i]) {
		// "e-book", "x-ray", "t-shirt": the word after a single letter and a hyphen is
		// part of one word ("book" is no format of an e-book).
		return false
	}
	if r == '-' && i > n && isDigit(s.text[i]) {
		// "hqdc-1-gpu013", "node-7": a number joined to a word by a hyphen is part of
		// a name.
		if p, _ := utf8.DecodeLastRuneInString(s.text[:i-n]); unicode.IsLetter(p) {
			return false
		}
	}
	return !isAlnum(r)
}

// skip advances past the word (or the single non-word character) at i.
func (s *scanner) skip(i int) int {
	r, n := utf8.DecodeRuneInString(s.text[i:])
	if !isAlnum(r) {
		return i + n
	}
	digits := isDigit(s.text[i])
	for i < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[i:])
		if !isAlnum(r) {
			// 1.2.3 and 10:30:00.5 are one token when they start with a digit; v2.3.1
			// when a digit comes before the dot (a version, not the number 3.1).
			next := i+1 < len(s.text) && isDigit(s.text[i+1])
			if next && (digits && (r == '.' || r == ':') || r == '.' && isDigit(s.text[i-1])) {
				i++
				continue
			}
			break
		}
		i += n
	}
	return i
}

func (s *scanner) slot(k Kind, start, end int, value string) (Slot, bool) {
	return Slot{Kind: k, Text: s.text[start:end], Value: value, Start: start, End: end}, true
}

// at tries every recogniser at i, in priority order.
func (s *scanner) at(i int) (Slot, bool) {
	t := s.text
	c := t[i]
	if end, lo, hi, ok := s.quoted(i); ok {
		// A quoted e-mail address, URL, file name, date, time, phone number or number
		// is that value: 'example@example.com' fills an e-mail argument.
		if sl, ok := s.typedSpan(lo, hi); ok {
			s.resume = end
			return sl, true
		}
		return s.slot(Quoted, i, end, strings.TrimSpace(s.text[lo:hi]))
	}
	if end, k, v, ok := s.compact(i); ok {
		return s.slot(k, i, end, v)
	}
	switch {
	case isDigit(c):
		return s.numeric(i)
	case c == '+' || c == '(':
		if end, v, ok := s.phone(i); ok {
			return s.slot(Phone, i, end, v)
		}
		return Slot{}, false
	case c == '-':
		if i+1 < len(t) && isDigit(t[i+1]) {
			if end, v, ok := number(t, i+1); ok && !alnumAt(t, end) {
				return s.slot(Number, i, end, "-"+v)
			}
		}
		return Slot{}, false
	}
	if end, v, ok := s.moneyPrefix(i); ok {
		return s.slot(Money, i, end, v)
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	if !unicode.IsLetter(r) {
		return Slot{}, false
	}
	return s.wordy(i)
}

// numeric recognises the slots that start with a digit.
func (s *scanner) numeric(i int) (Slot, bool) {
	t := s.text
	s.back = sinceBefore(t, i)
	if end, v, ok := s.dateNumeric(i); ok {
		return s.slot(Date, i, end, v)
	}
	if end, v, ok := s.yearFirst(i); ok {
		return s.slot(Date, i, end, v)
	}
	if s.skipTo > i {
		return Slot{}, false
	}
	if end, v, ok := timeAt(t, i); ok {
		return s.slot(Time, i, end, v)
	}
	if end, ok := clockShaped(t, i); ok {
		// "at 25:00", "13:75", "0:99pm": written as a time and no time of day; never
		// split into the numbers 25 and 00 that a count or an amount could take (the
		// planner refuses a request that writes one).
		s.skipTo = end
		return Slot{}, false
	}
	if end, v, ok := s.dottedTime(i); ok {
		return s.slot(Time, i, end, v)
	}
	if end, v, ok := rangeStartTime(t, i); ok {
		return s.slot(Time, i, end, v)
	}
	if end, v, ok := cardNumber(t, i); ok {
		return s.slot(Number, i, end, v)
	}
	if end, v, ok := s.phone(i); ok {
		return s.slot(Phone, i, end, v)
	}
	if end, ok := digitCode(t, i); ok {
		return s.slot(Name, i, end, t[i:end])
	}
	end, v, ok := number(t, i)
	if !ok {
		return Slot{}, false
	}
	if mend, code, ok := currencySuffix(t, end); ok {
		return s.slot(Money, i, mend, moneyValue(v, code))
	}
	if end < len(t) && t[end] == '%' {
		return s.slot(Percent, i, end+1, v+"%")
	}
	if pend, ok := wordsAfter(t, end, "percent", "per cent", "pct"); ok {
		return s.slot(Percent, i, pend, v+"%")
	}
	if dend, dv, ok := s.ordinalDay(i, end, v); ok {
		return s.slot(Date, i, dend, dv)
	}
	if u := unitSuffix(t, end); u > end {
		// "4.1kg", "10km", "90min": a number with its unit written on (the unit is read
		// as the word after the number, as in "4.1 kg").
		return s.slot(Number, i, end, v)
	}
	if alnumAt(t, end) {
		// "5th Avenue", "42nd Street": an ordinal and a street word are one name.
		if oend := end + 2; oend+1 < len(t) && ordinalAt(t, end) && !alnumAt(t, oend) && t[oend] == ' ' && !strings.Contains(v, ".") {
			// ("3rd Street Cinema": a name that starts with the street word too.)
			if nend, ok := s.name(oend + 1); ok && (streetSuffix(t[oend+1:nend]) || streetWords[strings.ToLower(strings.TrimRight(firstWord(t[oend+1:nend]), "."))]) {
				return s.slot(Name, i, nend, collapseSpaces(t[i:nend]))
			}
		}
		// "221B Baker Street", "12a Rue Royale": a house number with its letter.
		if hend := end + 1; hend+1 < len(t) && isLetterByte(t[end]) && t[hend] == ' ' && !strings.Contains(v, ".") {
			if nend, ok := s.name(hend + 1); ok && (streetSuffix(t[hend+1:nend]) || streetPrefixes[strings.ToLower(firstWord(t[hend+1:nend]))]) {
				nend = s.townAfter(nend)
				return s.slot(Name, i, nend, collapseSpaces(t[i:nend]))
			}
		}
		return Slot{}, false // 5G, 3D, 2nd, 10km: not a number slot
	}
	// "123 Main St": a house number and a street name are one name.
	if end+1 < len(t) && t[end] == ' ' && !strings.Contains(v, ".") {
		if nend, ok := s.name(end + 1); ok && (streetSuffix(t[end+1:nend]) || streetPrefixes[strings.ToLower(firstWord(t[end+1:nend]))]) {
			nend = s.townAfter(nend)
			return s.slot(Name, i, nend, collapseSpaces(t[i:nend]))
		}
	}
	// "101.1 FM", "1010 AM", "88.5 MHz": a radio station is named by its frequency and
	// band, one name (a number and "AM" below the AM band is a time: "10 AM").
	if end+1 < len(t) && t[end] == ' ' {
		if w := wordAt(t, end+1); w > end+1 && (w == len(t) || !isAlnumByte(t[w])) {
			band := t[end+1 : w]
			f, err := strconv.ParseFloat(v, 64)
			if err == nil && (band == "FM" && f >= 87 && f <= 108 || band == "AM" && f >= 530 && f <= 1710 || band == "MHz" || band == "kHz") {
				return s.slot(Name, i, w, t[i:w])
			}
		}
	}
	// "4-star", "3-day": the number is the slot; a digit after the hyphen ("10-12") is a range
	// and both ends are numbers, handled as the scan continues.
	return s.slot(Number, i, end, v)
}

// wordy recognises the slots that start with a letter.
func (s *scanner) wordy(i int) (Slot, bool) {
	t := s.text
	s.back = sinceBefore(t, i)
	if end, v, ok := s.dateWords(i); ok {
		return s.slot(Date, i, end, v)
	}
	if end, v, ok := iban(t, i); ok {
		return s.slot(Name, i, end, v)
	}
	w := wordAt(t, i)
	if (t[i] == 'x' || t[i] == 'X') && (i == 0 || t[i-1] == ' ') {
		// "replace SKU-3310 x2": a count written after its thing.
		// (Not an architecture: x86, x64, x32.)
		if k, v := digitsAt(t, i+1, 3); k > i+1 && k-i <= 3 && v != 86 && v != 64 && v != 32 && (k == len(t) || !isAlnumByte(t[k]) && t[k] != '.') {
			return s.slot(Number, i, k, t[i+1:k])
		}
	}
	var buf [24]byte
	lw, short := lowerASCII(buf[:0], t[i:w])
	if short {
		switch string(lw) {
		case "noon":
			return s.slot(Time, i, w, "12:00")
		case "midnight":
			return s.slot(Time, i, w, "00:00")
		}
		if n, ok := numberWords[string(lw)]; ok {
			if end, code, ok := currencySuffix(t, w); ok {
				return s.slot(Money, i, end, moneyValue(n, code)) // "twenty dollars"
			}
			return s.slot(Number, i, w, n)
		}
		if code, ok := currencyCodes[t[i:w]]; ok && w-i == 3 && isUpperASCII(t[i:w]) {
			// "USD 100"
			j := w
			if j < len(t) && t[j] == ' ' {
				j++
			}
			if j < len(t) && isDigit(t[j]) {
				if end, v, ok := number(t, j); ok && !alnumAt(t, end) {
					return s.slot(Money, i, end, moneyValue(v, code))
				}
			}
		}
	}
	if end, ok := lowerTitled(t, i, w); ok {
		return s.slot(Name, i, end, collapseSpaces(t[i:end]))
	}
	eend, evalue, eok := s.enum(i)
	nend, nok := s.name(i)
	if eok && (!nok || eend >= nend) {
		return s.slot(Enum, i, eend, evalue)
	}
	if nok {
		nend = stateSuffix(t, nend)
		return s.slot(Name, i, nend, collapseSpaces(t[i:nend]))
	}
	return Slot{}, false
}

// lowerTitled returns the end of a person's name written in lower case after a title at
// i..w: "with dr hansen", "dr. okafor", "mr okafor" (a capitalised one is a name
// already). The word
// after the title is a surname when it is no common word and no word said of a doctor
// ("dr appointment", "dr said").
func lowerTitled(t string, i, w int) (int, bool) {
	switch strings.ToLower(t[i:w]) {
	case "dr", "mr", "mrs", "ms", "prof":
	default:
		return 0, false
	}
	j := w
	if j < len(t) && t[j] == '.' {
		j++
	}
	if j+1 >= len(t) || t[j] != ' ' || t[j+1] < 'a' || t[j+1] > 'z' {
		return 0, false
	}
	k := j + 1
	e := k
	for e < len(t) && t[e] >= 'a' && t[e] <= 'z' {
		e++
	}
	if e-k < 3 || e < len(t) && isAlnumByte(t[e]) {
		return 0, false
	}
	if word := t[k:e]; commonWords[word] || neverNames[word] || doctorWords[word] {
		return 0, false
	}
	return e, true
}

// doctorWords follow "dr" without naming one: "my dr appointment", "the dr said".
var doctorWords = setOf(`appointment appointments appt appts visit visits office offices note notes
	said says told recommended recommends prescribed prescribes thinks wants visit checkup
	check exam referral letter bill bills`)

// stateSuffix extends a name that ends at i over ", CA" when a US state's or Canadian
// province's code follows: "Berkeley, CA" and "Washington, DC" are one place, not a
// city and a second name.
func stateSuffix(t string, i int) int {
	if i+4 > len(t) || t[i] != ',' || t[i+1] != ' ' {
		return i
	}
	code := t[i+2 : i+4]
	if !stateCodes[code] || alnumAt(t, i+4) {
		return i
	}
	return i + 4
}

var stateCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT
		NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR
		AB BC MB NB NL NS ON PE QC SK`) {
		m[c] = true
	}
	return m
}()

// quoted recognises 'x', "x", `x`, “x”, ‘x’ and «x». A single quote closes only when it is
// not followed by a letter, so apostrophes inside ('Luigi's Place') do not end it. It
// returns the end of the closing quote and the bounds of the content.
func (s *scanner) quoted(i int) (end, lo, hi int, ok bool) {
	t := s.text
	var closers []string
	var open int
	switch {
	case t[i] == '"':
		closers, open = []string{`"`}, 1
	case t[i] == '\'':
		closers, open = []string{"'"}, 1
	case t[i] == '`':
		closers, open = []string{"`"}, 1 // a code span, as chat and Markdown write one
	case strings.HasPrefix(t[i:], "“"):
		closers, open = []string{"”", `"`}, len("“")
	case strings.HasPrefix(t[i:], "‘"):
		closers, open = []string{"’"}, len("‘")
	case strings.HasPrefix(t[i:], "«"):
		closers, open = []string{"»"}, len("«")
	default:
		return 0, 0, 0, false
	}
	const maxQuoted = 300
	j := i + open
	for j < len(t) && j-i <= maxQuoted {
		if t[j] == '\n' {
			return 0, 0, 0, false
		}
		for _, c := range closers {
			if !strings.HasPrefix(t[j:], c) {
				continue
			}
			k := j + len(c)
			if (c == "'" || c == "’") && k < len(t) {
				r, _ := utf8.DecodeRuneInString(t[k:])
				if isAlnum(r) {
					continue // an apostrophe: Luigi's
				}
			}
			if strings.TrimSpace(t[i+open:j]) == "" {
				return 0, 0, 0, false
			}
			return k, i + open, j, true
		}
		j++
	}
	return 0, 0, 0, false
}

// compact recognises e-mail addresses, URLs and file names: tokens without spaces. A
// token starts after white space or a delimiter, never inside another token, so that
// every run of non-space text is scanned once (the scan stays linear on "a.a.a.a...").
func (s *scanner) compact(i int) (end int, k Kind, value string, ok bool) {
	t := s.text
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(t[:i])
		if !unicode.IsSpace(r) && !strings.ContainsRune("\"'()<>[]{},;:=“”‘’«»", r) {
			return 0, "", "", false
		}
	}
	const maxCompact = 2048
	j := i
	for j < len(t) {
		c := t[j]
		if c <= ' ' || strings.IndexByte("\"'()<>[]{},;`", c) >= 0 {
			break
		}
		if j-i > maxCompact {
			return 0, "", "", false
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(t[j:])
			if unicode.IsSpace(r) || r == '“' || r == '”' || r == '‘' || r == '’' || r == '«' || r == '»' {
				break
			}
			j += n
			continue
		}
		j++
	}
	for j > i && strings.IndexByte(".:!?", t[j-1]) >= 0 {
		j--
	}
	tok := t[i:j]
	if len(tok) < 3 || strings.IndexAny(tok, "@./") < 0 {
		return 0, "", "", false
	}
	if hasPrefixFold(tok, "http://") || hasPrefixFold(tok, "https://") || hasPrefixFold(tok, "www.") {
		if len(tok) > len("www.") {
			return j, URL, tok, true
		}
		return 0, "", "", false
	}
	if at := strings.IndexByte(tok, '@'); at > 0 {
		if validEmail(tok, at) {
			return j, Email, strings.ToLower(tok), true
		}
		return 0, "", "", false
	}
	if isFileName(tok) || isDirPath(tok) {
		return j, File, tok, true
	}
	if isDomain(tok) {
		return j, URL, strings.ToLower(tok), true
	}
	return 0, "", "", false
}

func validEmail(tok string, at int) bool {
	local, domain := tok[:at], tok[at+1:]
	if local == "" || strings.IndexByte(domain, '@') >= 0 {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(isAlnumByte(c) || strings.IndexByte("._%+-", c) >= 0) {
			return false
		}
	}
	return isDomain(domain) || isHostname(domain)
}

// isHostname: labels of letters, digits and '-', at least two, the last alphabetic with
// at least two letters.
func isHostname(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !(isAlnumByte(l[i]) || l[i] == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isLetterByte(tld[i]) {
			return false
		}
	}
	return true
}

// isDomain is a hostname with a common top-level domain; a bare "J.K" or "e.g" is not.
func isDomain(s string) bool {
	if !isHostname(strings.SplitN(s, "/", 2)[0]) {
		return false
	}
	host := strings.SplitN(s, "/", 2)[0]
	raw := host[strings.LastIndexByte(host, '.')+1:]
	if len(raw) >= 2 && raw[0] >= 'A' && raw[0] <= 'Z' && raw[1] >= 'a' && raw[1] <= 'z' {
		return false // "cleaning services.In Bangkok": a sentence with its space missing
	}
	return commonTLDs[strings.ToLower(raw)]
}

func isFileName(tok string) bool {
	base := tok
	if k := strings.LastIndexAny(tok, `/\`); k >= 0 {
		base = tok[k+1:]
	}
	dot := strings.LastIndexByte(base, '.')
	if dot <= 0 || dot == len(base)-1 {
		return false
	}
	ext := strings.ToLower(base[dot+1:])
	if !fileExts[ext] {
		return false
	}
	for _, r := range base[:dot] {
		if unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// dottedTime recognises a time written with a dot, "12.00" or "9.30", right after a
// date ("on 19/03/2024 12.00", "19/03/2024 at 9.30"): alone it is a number.
func (s *scanner) dottedTime(i int) (end int, value string, ok bool) {
	t := s.text
	if len(s.out) == 0 || s.out[len(s.out)-1].Kind != Date {
		return 0, "", false
	}
	gap := strings.TrimSpace(t[s.out[len(s.out)-1].End:i])
	if gap != "" && gap != "at" && gap != "," && gap != "@" {
		return 0, "", false
	}
	j, h := digitsAt(t, i, 2)
	if j == i || j+3 > len(t) || t[j] != '.' || !isDigit(t[j+1]) || !isDigit(t[j+2]) || alnumAt(t, j+3) || h > 23 {
		return 0, "", false
	}
	if j+4 < len(t) && t[j+3] == '.' && isDigit(t[j+4]) {
		return 0, "", false // 12.00.1 is no time
	}
	m := int(t[j+1]-'0')*10 + int(t[j+2]-'0')
	if m > 59 {
		return 0, "", false
	}
	return j + 3, hhmm(h, m), true
}

// isDirPath reports whether tok is a directory path: "~/site", "/var/log", "~/" and,
// without a leading slash, "projects/2027", "reports/q4-final", "a/b/c" (a relative path
// needs a component with a digit, a dot, a hyphen or an underscore, three components or
// a trailing slash, so that "and/or", "km/h" and "USD/EUR" stay words).
func isDirPath(tok string) bool {
	rel := tok
	switch {
	case strings.HasPrefix(tok, "~/"):
		rel = tok[2:]
	case tok[0] == '/':
		rel = tok[1:]
	}
	letters, marked := false, strings.HasSuffix(rel, "/")
	parts := strings.Split(strings.TrimSuffix(rel, "/"), "/")
	for _, part := range parts {
		if part == "" && rel != "" {
			return false // "a//b", "http:/"
		}
		for _, r := range part {
			switch {
			case r >= 'a' && r <= 'z':
				letters = true
			case r >= 'A' && r <= 'Z':
			case r >= '0' && r <= '9', r == '.', r == '-', r == '_':
				marked = true
			default:
				return false
			}
		}
	}
	if rel != tok {
		return rel == "" && tok == "~/" || letters || marked
	}
	first := parts[0]
	if first == "" || !(first[0] >= 'a' && first[0] <= 'z' || first[0] >= 'A' && first[0] <= 'Z') {
		return false // "10/05/2023" is a date, "3/4" a fraction
	}
	return len(parts) >= 2 && letters && (marked || len(parts) >= 3)
}

// phone recognises +44 20 7946 0958, +1 (555) 123-4567, (555) 123-4567, 555-123-4567
// and 5551234567. Without a leading '+', only North American groupings are accepted, so
// that runs of unrelated numbers are not read as a phone number.
func (s *scanner) phone(i int) (end int, value string, ok bool) {
	t := s.text
	j := i
	plus := false
	if t[j] == '+' {
		plus = true
		j++
		if j >= len(t) || !isDigit(t[j]) {
			return 0, "", false
		}
	}
	var digits [20]byte
	nd := 0
	var groups []int
	var gbuf [8]int
	groups = gbuf[:0]
	seps := 0
	for j < len(t) {
		paren := false
		k := j
		if t[k] == '(' {
			paren = true
			k++
		}
		g := 0
		for k < len(t) && isDigit(t[k]) {
			if nd >= len(digits) {
				return 0, "", false
			}
			digits[nd] = t[k]
			nd++
			g++
			k++
		}
		if g == 0 {
			break
		}
		if paren {
			if k >= len(t) || t[k] != ')' {
				return 0, "", false
			}
			k++
		}
		groups = append(groups, g)
		j = k
		if len(groups) >= 7 {
			break
		}
		// A separator continues the number only when a digit group follows.
		k = j
		if k < len(t) && (t[k] == ' ' || t[k] == '-' || t[k] == '.') {
			k++
			if k < len(t) && t[k] == ' ' && t[k-1] != ' ' {
				k++
			}
		}
		if k == j && !(k < len(t) && (t[k] == '(' || paren && isDigit(t[k]))) {
			break // "+1(555)123-4567": a digit may follow the area code's parenthesis
		}
		if k < len(t) && (isDigit(t[k]) || t[k] == '(' && k+1 < len(t) && isDigit(t[k+1])) {
			j = k
			seps++
			continue
		}
		break
	}
	if alnumAt(t, j) {
		return 0, "", false
	}
	switch {
	case plus:
		if nd < 7 || nd > 15 {
			return 0, "", false
		}
	case t[i] == '0' && (nd == 10 || nd == 11) && (nationalGroups(groups) || len(groups) == 1 && phoneCue(t[:i])):
		// "07700 900 311", "0113 496 0822", "020 7946 0958", "0433 219 004", "06 12 34
		// 56 78": a number in its country's own format, the trunk 0 first. Which
		// country is not said, so it stays as written, without a "+".
		return j, string(digits[:nd]), true
	case len(groups) == 1 || len(groups) == 3 && groups[0] == 3 && groups[1] == 3 && groups[2] == 4:
		if nd != 10 {
			return 0, "", false
		}
		// "514-555-0142", "(555) 123-4567", "5551234567": a North American number
		// without its country code. "+5145550142" would be another country's
		// number; it stays as written, its digits, as a national number does.
		return j, string(digits[:nd]), true
	case len(groups) == 2 && groups[0] == 3 && groups[1] == 4 && t[i+3] == '-' && phoneCue(t[:i]):
		// "call 555-1234", "phone number 555-1234": a local number, read as one only
		// after words that say a phone number follows ("pages 120-1500" is a range).
		// Without an area code it is no international number: no "+".
		return j, string(digits[:nd]), true
	case len(groups) == 4 && groups[0] == 1 && groups[1] == 3 && groups[2] == 3 && groups[3] == 4:
	default:
		return 0, "", false
	}
	return j, "+" + string(digits[:nd]), true
}

// nationalGroups reports whether digit groups are those of a national phone number: two
// to five groups of two to six digits, the first of at most five.
func nationalGroups(groups []int) bool {
	if len(groups) < 2 || len(groups) > 5 || groups[0] > 5 {
		return false
	}
	for _, g := range groups {
		if g < 2 || g > 6 {
			return false
		}
	}
	return true
}

// cardNumber recognises a long number written in groups of four digits: a card number
// ("4111-1111-1111-1111", "4111 1111 1111 1111") or a tracking number whose last group
// may be shorter ("9400 1118 9922 3356 7781 02"; spaced only, "1234-5678-9123-4567-8"
// is a run of numbers): four groups or more, one separator throughout, one number, its
// digits the value.
func cardNumber(t string, i int) (end int, value string, ok bool) {
	var digits []byte
	j := i
	var sep byte
	for g := 0; ; g++ {
		if g > 0 {
			if j+1 >= len(t) || t[j] != '-' && t[j] != ' ' || sep != 0 && t[j] != sep || !isDigit(t[j+1]) || g >= 4 && sep != ' ' {
				if g < 4 {
					return 0, "", false
				}
				break
			}
			sep = t[j]
			j++
		}
		k := j
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		if n := j - k; n > 4 || n < 4 && g < 4 {
			return 0, "", false
		} else if n < 4 {
			// A short group ends the number: nothing may follow it in the same form.
			digits = append(digits, t[k:j]...)
			if j+1 < len(t) && t[j] == sep && isDigit(t[j+1]) {
				return 0, "", false
			}
			break
		}
		digits = append(digits, t[k:j]...)
	}
	if alnumAt(t, j) || j < len(t) && t[j] == '-' {
		return 0, "", false
	}
	return j, string(digits), true
}

// iban recognises an International Bank Account Number at i, written whole
// ("DE89370400440532013000") or in groups of four ("NL91 ABNA 0417 1643 00"): a
// country's two capitals, two check digits and the account, 15 to 34 characters whose
// ISO 13616 check (mod 97) holds. The value is the number without its spaces.
func iban(t string, i int) (end int, value string, ok bool) {
	if i+4 > len(t) || !isUpperByte(t[i]) || !isUpperByte(t[i+1]) || !isDigit(t[i+2]) || !isDigit(t[i+3]) {
		return 0, "", false
	}
	upperAlnum := func(c byte) bool { return isDigit(c) || isUpperByte(c) }
	code := []byte(t[i : i+4])
	j := i + 4
	if j < len(t) && upperAlnum(t[j]) {
		for j < len(t) && upperAlnum(t[j]) {
			code = append(code, t[j])
			j++
		}
	} else {
		for j+1 < len(t) && t[j] == ' ' && upperAlnum(t[j+1]) {
			k := j + 1
			for k < len(t) && upperAlnum(t[k]) {
				k++
			}
			if k-(j+1) > 4 {
				break
			}
			code = append(code, t[j+1:k]...)
			j = k
			if len(code)%4 != 0 {
				break // a short group is the last
			}
		}
	}
	if len(code) < 15 || len(code) > 34 || alnumAt(t, j) {
		return 0, "", false
	}
	// ISO 13616: the country and check digits moved to the end, letters as 10..35,
	// the whole a number that leaves 1 divided by 97.
	rem := 0
	for k := range code {
		c := code[(k+4)%len(code)]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	if rem != 1 {
		return 0, "", false
	}
	return j, string(code), true
}

// phoneCue reports whether the words just before a number say that a phone number
// follows: "call", "dial", "text", "sms", "phone", "number", "reach me at".
func phoneCue(before string) bool {
	ws := strings.Fields(strings.ToLower(before))
	if len(ws) > 4 {
		ws = ws[len(ws)-4:]
	}
	for _, w := range ws {
		switch strings.Trim(w, ".,:;()'\"") {
		case "call", "dial", "text", "sms", "phone", "telephone", "mobile", "cell", "number", "ring":
			return true
		}
	}
	return false
}

// number parses digits with optional thousands commas and a decimal part at i. The value
// drops the commas and trailing fractional zeros.
func number(t string, i int) (end int, value string, ok bool) {
	j := i
	for j < len(t) && isDigit(t[j]) {
		j++
	}
	if j == i {
		return 0, "", false
	}
	intEnd := j
	commas := false
	if j-i <= 3 {
		for j+3 < len(t) && t[j] == ',' && isDigit(t[j+1]) && isDigit(t[j+2]) && isDigit(t[j+3]) && !(j+4 < len(t) && isDigit(t[j+4])) {
			j += 4
			commas = true
		}
		intEnd = j
	}
	frac := ""
	if j+1 < len(t) && t[j] == '.' && isDigit(t[j+1]) {
		k := j + 1
		for k < len(t) && isDigit(t[k]) {
			k++
		}
		// "1.2.3" is a version, not a number.
		if k < len(t) && t[k] == '.' && k+1 < len(t) && isDigit(t[k+1]) {
			return 0, "", false
		}
		frac = strings.TrimRight(t[j+1:k], "0")
		j = k
	}
	ip := t[i:intEnd]
	if commas {
		ip = strings.ReplaceAll(ip, ",", "")
	}
	if frac != "" {
		return j, ip + "." + frac, true
	}
	return j, ip, true
}

// currencySuffix recognises " USD", "USD", " dollars", " euros" after an amount.
func currencySuffix(t string, i int) (end int, code string, ok bool) {
	j := i
	if j < len(t) && t[j] == ' ' {
		j++
	}
	w := wordAt(t, j)
	if w == j {
		return 0, "", false
	}
	word := t[j:w]
	if len(word) == 3 && isUpperASCII(word) {
		if c, ok := currencyCodes[word]; ok {
			return w, c, true
		}
	}
	var buf [12]byte
	if lw, ok := lowerASCII(buf[:0], word); ok {
		if c, ok := currencyWords[string(lw)]; ok {
			return w, c, true
		}
	}
	return 0, "", false
}

// moneyPrefix recognises $12.50, US$ 5, €5, £3.20, ¥100, ₹500.
func (s *scanner) moneyPrefix(i int) (end int, value string, ok bool) {
	t := s.text
	if c := t[i]; c != '$' && c != 'U' && c < 0x80 {
		return 0, "", false // every symbol starts with '$', 'U' or a non-ASCII byte
	}
	for _, p := range currencySymbols {
		if !strings.HasPrefix(t[i:], p.sym) {
			continue
		}
		j := i + len(p.sym)
		if j < len(t) && t[j] == ' ' {
			j++
		}
		if j >= len(t) || !isDigit(t[j]) {
			return 0, "", false
		}
		end, v, ok := number(t, j)
		if !ok {
			return 0, "", false
		}
		if end < len(t) && (t[end]|0x20 == 'k' || t[end]|0x20 == 'm') && !alnumAt(t, end+1) {
			// "$10k", "$1.5m": thousands and millions.
			if scaled, ok := scaleAmount(v, t[end]|0x20); ok {
				return end + 1, moneyValue(scaled, p.code), true
			}
		}
		if alnumAt(t, end) {
			return 0, "", false
		}
		return end, moneyValue(v, p.code), true
	}
	return 0, "", false
}

// scaleAmount multiplies the number v by a thousand (k) or a million (m), written as
// number does (no exponent, no trailing zeros after a point).
func scaleAmount(v string, unit byte) (string, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return "", false
	}
	switch unit {
	case 'k':
		f *= 1e3
	case 'm':
		f *= 1e6
	default:
		return "", false
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// moneyValue renders an amount with at least two decimals when it has a fractional part.
func moneyValue(num, code string) string {
	if k := strings.IndexByte(num, '.'); k >= 0 && len(num)-k-1 < 2 {
		num += strings.Repeat("0", 2-(len(num)-k-1))
	}
	return num + " " + code
}

// wordsAfter matches one of the phrases (lowercase, single-spaced) after an optional
// space at i, ending at a word boundary.
func wordsAfter(t string, i int, phrases ...string) (int, bool) {
	j := i
	if j < len(t) && t[j] == ' ' {
		j++
	}
	for _, p := range phrases {
		if len(t)-j >= len(p) && strings.EqualFold(t[j:j+len(p)], p) && !alnumAt(t, j+len(p)) {
			return j + len(p), true
		}
	}
	return 0, false
}

// enum matches the longest enum value starting at i.
func (s *scanner) enum(i int) (end int, value string, ok bool) {
	if len(s.e.enums) == 0 {
		return 0, "", false
	}
	t := s.text
	j := i
	for j < len(t) && (isAlnumByte(t[j]) || t[j] == '_' || t[j] == '-' && j+1 < len(t) && isAlnumByte(t[j+1])) {
		j++
	}
	if j == i {
		return 0, "", false
	}
	var buf [32]byte
	lw, short := lowerASCII(buf[:0], t[i:j])
	if !short {
		return 0, "", false
	}
	cands := s.e.enums[string(lw)]
	if k := len(lw); k > 4 && lw[k-1] == 's' && lw[k-2] != 's' {
		cands = append(cands[:len(cands):len(cands)], s.e.enums[string(lw[:k-1])]...) // ("workshops")
	}
	for _, c := range cands {
		n := len(c.lower)
		if len(t)-i < n || !strings.EqualFold(t[i:i+n], c.lower) {
			continue
		}
		end := i + n
		if alnumAt(t, end) {
			// "list workshops", "author talks": a value of four letters or more in
			// the plural.
			if n < 4 || t[end]|0x20 != 's' || alnumAt(t, end+1) || !isLetterByte(t[end-1]) || t[end-1]|0x20 == 's' || countedNouns[c.lower] {
				continue
			}
			end++
		}
		if c.opening && !s.opensSentence(i) {
			continue
		}
		return end, c.value, true
	}
	// "an educational activity": the adjective of a one-word value (education) is that
	// value.
	if k := len(lw); k > 5 && lw[k-2] == 'a' && lw[k-1] == 'l' {
		base := string(lw[:k-2])
		for _, c := range s.e.enums[base] {
			if c.lower == base && !c.opening {
				return j, c.value, true
			}
		}
	}
	return 0, "", false
}

// countedNouns are enum values whose plural counts or measures ("3600 seconds", "10
// entries per page", "mornings are better"): the plural is no value.
var countedNouns = map[string]bool{"second": true, "minute": true, "hour": true, "week": true, "month": true, "year": true,
	"morning": true, "afternoon": true, "evening": true, "night": true, "entry": true, "item": true, "result": true, "page": true,
	"unit": true, "time": true, "person": true, "people": true, "adult": true, "child": true, "guest": true, "ticket": true, "seat": true}

// name recognises a run of capitalised words: New York, Luigi's, Dr. Smith, J.K. Rowling,
// Bank of America, iPhone 13 Pro. A sentence-initial word counts only when it is not a
// common English word ("Find", "Please", "The").
func (s *scanner) name(i int) (end int, ok bool) {
	t := s.text
	w, ok := nameWord(t, i)
	if !ok {
		return 0, false
	}
	first := strings.TrimRight(t[i:w], ".")
	if strings.Contains(first, "’") {
		first = strings.ReplaceAll(first, "’", "'")
	}
	var buf [24]byte
	lw, short := lowerASCII(buf[:0], first)
	if short {
		key := string(lw)
		if neverNames[key] || fullMonth(key) || weekdayIndex(key) >= 0 {
			return 0, false
		}
		if s.sentenceInitial(i) && commonWords[key] {
			return 0, false
		}
	}
	if short && idLabels[string(lw)] && isUpperASCII(first) && labelledCode(t, w) {
		return 0, false
	}
	initial := s.sentenceInitial(i)
	end = w
	// "L_579838452023959405", "Acme_Prod": an identifier joined by underscores is one.
	for end+1 < len(t) && (t[end] == '_' && isAlnumByte(t[end+1]) || t[end] == '-' && isDigit(t[end+1]) && isUpperASCII(first)) {
		// ("APT-5521", "INV-2024-001": a code in capitals with its number is one.)
		end++
		for end < len(t) && (isAlnumByte(t[end]) || t[end] == '_' && end+1 < len(t) && isAlnumByte(t[end+1])) {
			end++
		}
	}
	for !possessive(t[i:end]) {
		j := end
		if j >= len(t) || t[j] != ' ' {
			break
		}
		j++
		// Connectors join two capitalised words: Bank of America, Johnson & Johnson.
		if k := connector(t, j); k > j {
			if initial && end == w && !possessive(first) && !innerUpper(first) && !nameHeads[strings.ToLower(first)] {
				// "Population of India and China": a request's first word before "of"
				// is most often what it asks of the name after it.
				return 0, false
			}
			if w2, ok := nameWord(t, k); ok && !excludedInside(t[k:w2]) {
				end = w2
				continue
			}
			break
		}
		// A number between capitalised words: iPhone 13 Pro.
		if j < len(t) && isDigit(t[j]) {
			k := j
			for k < len(t) && isDigit(t[k]) {
				k++
			}
			if k < len(t) && t[k] == ' ' {
				if w2, ok := nameWord(t, k+1); ok && !excludedInside(t[k+1:w2]) {
					end = w2
					continue
				}
			}
			break
		}
		w2, ok := nameWord(t, j)
		if !ok || excludedInside(t[j:w2]) {
			break
		}
		if _, _, ok := iban(t, j); ok {
			break // "IBAN NL91 ABNA 0417 1643 00": the account number is a value of its own
		}
		if mEnd, m := monthAt(t, j); m > 0 && mEnd+1 < len(t) && t[mEnd] == ' ' && isDigit(t[mEnd+1]) {
			break // "a hotel in Lisbon Dec 11 to 14": the month starts a date
		}
		if initial && end == w && !possessive(first) && !innerUpper(first) && strings.ContainsAny(t[j:w2], "0123456789") {
			// "Expel S-20931", "Mark S-20931 absent": a capitalised first word is no
			// part of the code after it.
			break
		}
		end = w2
	}
	if strings.ContainsAny(t[i:end], "0123456789") && possessive(t[i:end]) && !strings.Contains(t[i:end], " ") {
		// "S-11842's grades": the code is S-11842.
		if strings.HasSuffix(t[i:end], "’s") {
			end -= len("’s")
		} else {
			end -= len("'s")
		}
	}
	// A lone capitalised word at the start of a sentence is most often an ordinary word
	// ("Weather in Paris"); it counts as a name only with more evidence: a possessive,
	// capitals inside it (NASA, McDonald, iPhone), or digits (the code E2210 in "E2210
	// is off sick").
	if initial && end == w && !possessive(first) && !innerUpper(first) && !strings.ContainsAny(first, "0123456789") {
		return 0, false
	}
	return end, true
}

// labelledCode reports whether a code follows a label ending at i: a space, then a
// word of capitals, digits and hyphens, four characters or more, with a digit or a
// hyphen in it or six characters long ("ABNANL2A", "MUG-SPK-BLU", "X7YZ3Q").
func labelledCode(t string, i int) bool {
	if i+1 >= len(t) || t[i] != ' ' {
		return false
	}
	j, marked, digits, lowers := i+1, false, 0, 0
	for j < len(t) && (isAlnumByte(t[j]) || t[j] == '-' && j+1 < len(t) && isAlnumByte(t[j+1])) {
		marked = marked || !isUpperByte(t[j])
		if isDigit(t[j]) {
			digits++
		} else if !isUpperByte(t[j]) && t[j] != '-' {
			lowers++
		}
		j++
	}
	n := j - (i + 1)
	// ("ID efJG9": letters of both cases with a digit are a code too; "ID card" is a
	// word.)
	return n >= 4 && (marked || n >= 6) && (lowers == 0 || digits > 0) && !alnumAt(t, j)
}

func innerUpper(w string) bool {
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func possessive(s string) bool {
	return strings.HasSuffix(s, "'s") || strings.HasSuffix(s, "’s")
}

func connector(t string, j int) int {
	for _, c := range [...]string{"of ", "de ", "del ", "la ", "du ", "des ", "di ", "da ", "der ", "von ", "van ", "& ", "and the "} {
		if strings.HasPrefix(t[j:], c) {
			return j + len(c)
		}
	}
	return j
}

func excludedInside(word string) bool {
	var buf [24]byte
	lw, short := lowerASCII(buf[:0], strings.TrimRight(word, "."))
	if !short {
		return false
	}
	k := string(lw)
	return neverNames[k] || fullMonth(k) || weekdayIndex(k) >= 0
}

// fullMonth reports whether w is a month's full name ("jan" is also a first name).
func fullMonth(w string) bool { return len(w) > 3 && monthIndex(w) > 0 || w == "may" }

// nameWord returns the end of a capitalised word at i: initials (J.K.), titles (Dr.),
// or letters and digits with inner hyphens, ampersands and apostrophes that contains an
// upper-case letter.
func nameWord(t string, i int) (int, bool) {
	// Initials: J.K. or J. (followed by a space and another name word).
	j := i
	for j+1 < len(t) && isUpperByte(t[j]) && t[j+1] == '.' && !(j+2 < len(t) && isLetterByte(t[j+2]) && !(j+3 < len(t) && t[j+3] == '.')) {
		j += 2
	}
	if j > i {
		return j, true
	}
	upper := false
	j = i
	for j < len(t) {
		r, n := utf8.DecodeRuneInString(t[j:])
		if isAlnum(r) {
			if unicode.IsUpper(r) {
				upper = true
			}
			j += n
			continue
		}
		if (r == '-' || r == '&' || r == '\'' || r == '’') && j+n < len(t) {
			r2, _ := utf8.DecodeRuneInString(t[j+n:])
			if isAlnum(r2) {
				j += n
				continue
			}
		}
		break
	}
	if j == i || !upper {
		return 0, false
	}
	first, _ := utf8.DecodeRuneInString(t[i:])
	if !unicode.IsUpper(first) && !unicode.IsLetter(first) {
		return 0, false // 3D, 5G: digits first
	}
	if titles[t[i:j]] && j < len(t) && t[j] == '.' {
		j++
	}
	return j, true
}

// sentenceInitial reports whether the word at i starts a sentence.
func (s *scanner) sentenceInitial(i int) bool {
	t := s.text
	j := i
	for j > 0 && i-j < 64 {
		r, n := utf8.DecodeLastRuneInString(t[:j])
		switch {
		case r == ' ' || r == '\t' || r == '"' || r == '(' || r == '“' || r == '‘' || r == '\'' || r == '*' || r == '-':
			j -= n
			continue
		case r == '.' || r == '!' || r == '?' || r == '\n' || r == ':' || r == ';' || r == '\r' || r == ')':
			return true
		default:
			return false
		}
	}
	return true
}

// opensSentence reports whether the word at i is a sentence's first, or first after its
// subject: "walked 5 km", "I cycled to work", "we just hiked 12 miles".
func (s *scanner) opensSentence(i int) bool {
	for {
		if s.sentenceInitial(i) {
			return true
		}
		j := strings.LastIndexByte(strings.TrimRight(s.text[:i], " "), ' ') + 1
		switch strings.ToLower(strings.TrimSpace(s.text[j:i])) {
		case "i", "we", "just", "also", "finally":
			i = j
		default:
			return false
		}
	}
}

func wordAt(t string, i int) int {
	j := i
	for j < len(t) {
		r, n := utf8.DecodeRuneInString(t[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += n
	}
	return j
}

// lowerASCII appends the lowercase of s to dst; short is false when s is too long for
// dst's capacity or not ASCII, in which case it is no keyword.
func lowerASCII(dst []byte, s string) ([]byte, bool) {
	if len(s) > cap(dst) {
		return dst, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return dst, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// attachedUnits are the units written on a number ("4.1kg", "10km"), in lower case.
var attachedUnits = map[string]bool{"kg": true, "g": true, "mg": true, "lb": true, "lbs": true, "oz": true,
	"km": true, "m": true, "cm": true, "mm": true, "mi": true, "ft": true, "ml": true, "l": true,
	"h": true, "hr": true, "hrs": true, "min": true, "mins": true, "s": true, "sec": true, "secs": true, "ms": true,
	"kb": true, "mb": true, "gb": true, "tb": true, "kwh": true}

// unitSuffix returns the end of a unit written right after a number ending at i
// ("4.1kg"), or i.
func unitSuffix(t string, i int) int {
	j := i
	for j < len(t) && isLetterByte(t[j]) {
		j++
	}
	if j == i || j-i > 3 || alnumAt(t, j) || !attachedUnits[strings.ToLower(t[i:j])] {
		return i
	}
	if j-i == 1 && isUpperByte(t[i]) {
		return i // "5G", "3D": a one-letter unit is written in lower case ("5g")
	}
	return j
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isUpperByte(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isAlnumByte(c byte) bool  { return isDigit(c) || isLetterByte(c) }
func isAlnum(r rune) bool      { return unicode.IsLetter(r) || unicode.IsDigit(r) }
func alnumAt(t string, i int) bool {
	if i >= len(t) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return isAlnum(r)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpperByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// digitCode recognises a code that starts with a digit and joins groups of letters and
// digits with hyphens ("88-1234-X", "7-ABC"; a word after one hyphen, "4-star", "3-day",
// is no code: its letters are upper-case or there are two hyphens), or mixes upper-case
// letters and at least four digits over eight characters or more ("1Z12345E0205271688").
func digitCode(t string, i int) (int, bool) {
	j, hyphens, letters, upper, lower := i, 0, false, false, false
	for j < len(t) {
		c := t[j]
		switch {
		case isDigit(c):
		case c >= 'A' && c <= 'Z':
			letters, upper = true, true
		case c >= 'a' && c <= 'z':
			letters, lower = true, true
		case c == '-' && j > i && j+1 < len(t) && isAlnumByte(t[j+1]) && isAlnumByte(t[j-1]):
			hyphens++
		default:
			goto done
		}
		j++
	}
done:
	if j < len(t) && (t[j] == '_' || t[j] == '/' || t[j] == '@') {
		return 0, false
	}
	if hyphens == 0 && upper && !lower && j-i >= 8 {
		// "1Z12345E0205271688": a tracking number or an order id, written as one token.
		digits := 0
		for k := i; k < j; k++ {
			if isDigit(t[k]) {
				digits++
			}
		}
		if digits >= 4 {
			return j, true
		}
	}
	if hyphens == 0 && upper && !lower && j-i >= 6 && interleaved(t[i:j]) {
		// "8MZT115", "2GHX77": a licence plate or a booking code. Not a number with
		// its unit written on ("4000MAH", "1080P"): a digit comes after the letters.
		return j, true
	}
	if !letters && hyphens > 0 && longDigitGroups(t[i:j]) {
		return j, true // "112-5583021": an order number in groups, no range of numbers
	}
	if !letters || hyphens == 0 || !(hyphens >= 2 || upper && !lower) {
		return 0, false
	}
	if w := strings.ToLower(t[i:j]); strings.HasSuffix(w, "am") || strings.HasSuffix(w, "pm") {
		return 0, false // "2-3PM" is a time range
	}
	return j, true
}

// interleaved reports whether code v, digits and capitals, has two of each or more and
// a digit after a letter.
func interleaved(v string) bool {
	digits, letters, after := 0, 0, false
	for k := 0; k < len(v); k++ {
		switch c := v[k]; {
		case isDigit(c):
			digits++
			after = after || letters > 0
		case c >= 'A' && c <= 'Z':
			letters++
		}
	}
	return digits >= 2 && letters >= 2 && after
}

// longDigitGroups reports whether v, digits in groups joined by hyphens, holds eight
// digits or more and a group of five or more: "112-5583021" and "4000-1234-5678"
// number something, "10-12" and "555-0107" do not (a range, a phone number).
func longDigitGroups(v string) bool {
	digits, long := 0, false
	for _, g := range strings.Split(v, "-") {
		digits += len(g)
		long = long || len(g) >= 5
	}
	return digits >= 8 && long
}

// ordinalAt reports whether t has an ordinal suffix (st, nd, rd, th) at i.
func ordinalAt(t string, i int) bool {
	if i+2 > len(t) {
		return false
	}
	switch strings.ToLower(t[i : i+2]) {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// townAfter extends a street address ending at end with the town, state and postcode
// written after it: "12 Oak St, Springfield, IL 62704" is one address, not a street and
// a town to be split between two parameters (or the town dropped).
func (s *scanner) townAfter(end int) int {
	t := s.text
	if strings.HasPrefix(t[end:], ", ") {
		if nend, ok := s.name(end + 2); ok {
			end = nend
		}
	}
	// ", IL" (a state's code, two capitals), then a 5-digit postcode.
	if j := end + 4; j <= len(t) && strings.HasPrefix(t[end:], ", ") && isUpperASCII(t[end+2:j]) && (j == len(t) || !isAlnumByte(t[j])) {
		end = j
	}
	if j := end + 6; j <= len(t) && t[end] == ' ' && strings.Trim(t[end+1:j], "0123456789") == "" && (j == len(t) || !isAlnumByte(t[j])) {
		end = j
	}
	// ", USA": the country closes the address.
	for _, c := range [...]string{", USA", ", US", ", United States"} {
		if j := end + len(c); strings.HasPrefix(t[end:], c) && (j == len(t) || !isAlnumByte(t[j])) {
			end = j
			break
		}
	}
	return end
}

// streetSuffix reports whether a name ends like a street: Main St, Fifth Avenue.
// firstWord is name up to its first space.
func firstWord(name string) string {
	if k := strings.IndexByte(name, ' '); k >= 0 {
		return name[:k]
	}
	return name
}

func streetSuffix(name string) bool {
	k := strings.LastIndexByte(name, ' ')
	if k < 0 {
		return false
	}
	return streetWords[strings.ToLower(strings.TrimRight(name[k+1:], "."))]
}
