package pattern

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // IANA zones are validated even where the system has none

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// Value kinds the pattern planner recognises in a request for parameters whose schema asks
// for them: an RFC 3339 instant, an IANA time zone, a duration in Go syntax, a JSON path
// and an arithmetic expression. The built-in tools (tool.Builtins) take these; the general
// slot extractor does not know them, because a cache template has no use for them.
//
// They are found only when the registry has a parameter of the kind (see
// Pattern.valueKinds), so catalogs without such parameters are planned exactly as before,
// and a span found this way is kept whole: "(12.5 * 4) + 3" is one expression, not a list
// item "4)" and two numbers.
const (
	kindInstant    slot.Kind = "instant"    // 2026-12-24T19:00:00Z
	kindZone       slot.Kind = "timezone"   // Europe/Paris, UTC
	kindDuration   slot.Kind = "duration"   // "90 minutes" -> 90m, "3 days" -> 3d
	kindJSONPath   slot.Kind = "jsonpath"   // items.0.name, $.items[0].name
	kindExpression slot.Kind = "expression" // (12.5 * 4) + 3
	kindHandle     slot.Kind = "handle"     // #finance, @maria
)

// valueKind maps a parameter kind to the slot kind that fills it.
var valueKind = map[pkind]slot.Kind{
	pInstant:    kindInstant,
	pZone:       kindZone,
	pDuration:   kindDuration,
	pJSONPath:   kindJSONPath,
	pExpression: kindExpression,
	pHandle:     kindHandle,
}

func isValueKind(k slot.Kind) bool {
	switch k {
	case kindInstant, kindZone, kindDuration, kindJSONPath, kindExpression, kindHandle:
		return true
	}
	return false
}

// valueParamKind refines the kind of a string parameter whose name and description ask for
// one of the value kinds above; it returns k unchanged otherwise.
// norm is the parameter's name lowercased without separators, desc its description
// lowercased.
func valueParamKind(k pkind, norm, desc string) pkind {
	if k != pString && k != pTime && k != pFile {
		return k
	}
	switch {
	case norm == "timezone" || norm == "tz" || norm == "tzname" ||
		norm == "zone" && (desc == "" || strings.Contains(desc, "time zone") || strings.Contains(desc, "timezone") || strings.Contains(desc, "iana")):
		// A "zone" is a time zone only when nothing says otherwise: an irrigation
		// zone ("front lawn") is not.
		return pZone
	case (norm == "time" || norm == "datetime" || norm == "timestamp") &&
		(strings.Contains(desc, "rfc 3339") || strings.Contains(desc, "rfc3339") || strings.Contains(desc, "iso 8601")):
		return pInstant
	case windowNames[norm] && goDurationHint.MatchString(desc):
		// "duration", "since": "How far back from now, e.g. 15m, 2h".
		return pDuration
	case (norm == "path" || norm == "jsonpath") && (strings.Contains(desc, "json") || strings.Contains(desc, "dot-separated") || strings.Contains(desc, "array index")):
		return pJSONPath
	case (norm == "expression" || norm == "expr" || norm == "formula") && (strings.Contains(desc, "arithmetic") || strings.Contains(desc, "math")):
		return pExpression
	case (norm == "channel" || norm == "handle" || norm == "recipient" || norm == "to") && handleHint.MatchString(desc):
		// "Channel such as #general, or a user handle such as @maria".
		return pHandle
	}
	return k
}

// windowNames are the names of a parameter that, with an example in Go duration syntax
// in its description, takes a duration.
var windowNames = map[string]bool{"duration": true, "since": true, "window": true, "lookback": true,
	"ttl": true, "timeout": true, "interval": true, "retention": true, "expiresin": true, "timewindow": true}

// durationShaped reports whether a parameter's pattern accepts durations written with
// a unit letter ("30m", "2h") and not a word: since: "^[0-9]+[mhd]$".
func durationShaped(re *regexp.Regexp) bool {
	return re != nil && re.MatchString("30m") && re.MatchString("2h") && !re.MatchString("zz") && !re.MatchString("30")
}

// timeShaped reports whether a parameter's pattern accepts a time of day written HH:MM
// and neither a date nor a word: "^[0-2][0-9]:[0-5][0-9]$".
func timeShaped(re *regexp.Regexp) bool {
	return re != nil && re.MatchString("16:00") && re.MatchString("09:30") && !re.MatchString("2026-01-01") && !re.MatchString("zz") && !re.MatchString("1600")
}

// handleHint finds a chat handle written as an example in a description ("#general",
// "@maria").
var handleHint = regexp.MustCompile(`(?:^|[\s(,'"])[#@][A-Za-z][\w.-]*`)

// handlePattern finds chat handles in a request: "#finance", "@maria" (not an e-mail
// address, which has a name before its "@").
var handlePattern = regexp.MustCompile(`(?:^|[\s(,'"])([#@][A-Za-z][\w-]*(?:\.[\w-]+)*)`)

// handleSlots finds chat channels and user handles.
func handleSlots(request string) []slot.Slot {
	var out []slot.Slot
	for _, m := range handlePattern.FindAllStringSubmatchIndex(request, -1) {
		text := strings.TrimRight(request[m[2]:m[3]], ".")
		out = append(out, slot.Slot{Kind: kindHandle, Text: text, Value: text, Start: m[2], End: m[2] + len(text)})
	}
	return out
}

// goDurationHint finds an example of Go duration syntax ("90m", "1h30m") in a description.
var goDurationHint = regexp.MustCompile(`\b\d+(h|m|s)\d*[hms]?\b`)

// valueSlots adds to slots the value spans of the kinds the registry asks for, found in
// request, and returns them in order. A span replaces the slots it covers (the numbers of
// an expression, the names "Asia" and "Tokyo" of "Asia/Tokyo"); it is dropped when it
// overlaps a slot it does not cover (a quoted string, a URL) or another span.
func (p *Pattern) valueSlots(request string, slots []slot.Slot) []slot.Slot {
	if len(p.valueKinds) == 0 {
		return slots
	}
	var spans []slot.Slot
	if p.valueKinds[kindInstant] {
		spans = append(spans, instantSlots(request)...)
	}
	if p.valueKinds[kindZone] {
		spans = append(spans, zoneSlots(request)...)
	}
	if p.valueKinds[kindDuration] {
		spans = append(spans, durationSlots(request)...)
		spans = append(spans, articleDurations(request)...)
	}
	if p.valueKinds[kindJSONPath] {
		spans = append(spans, jsonPathSlots(request, slots)...)
	}
	if p.valueKinds[kindHandle] {
		spans = append(spans, handleSlots(request)...)
	}
	if p.valueKinds[kindExpression] {
		spans = append(spans, expressionSlots(request)...)
		spans = append(spans, wordExpressionSlots(request)...)
	}
	if len(spans) == 0 {
		return slots
	}
	out := append([]slot.Slot(nil), slots...)
	var taken []slot.Slot
	for _, sp := range spans {
		ok := true
		for _, t := range taken {
			if sp.Start < t.End && t.Start < sp.End {
				ok = false
			}
		}
		for _, s := range slots {
			if sp.Kind == kindExpression && sp.Start < s.End && s.Start < sp.End &&
				(s.Kind == slot.Date || s.Kind == slot.Time || s.Kind == slot.Phone) {
				// "01/15/2024" and "555-010-2233" read as arithmetic too; they are a
				// date and a phone number.
				ok = false
			}
			if sp.Start < s.End && s.Start < sp.End && (s.Start < sp.Start || s.End > sp.End) {
				// A slot reaching outside the span: "2026-12-24" inside a URL, an
				// expression inside a quoted string.
				// An instant replaces the date and time read from it; a duration the
				// relative date read from it ("in 3 days").
				if !((sp.Kind == kindInstant || sp.Kind == kindDuration) && (s.Kind == slot.Number || s.Kind == slot.Date || s.Kind == slot.Time)) {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		taken = append(taken, sp)
		kept := out[:0]
		for _, s := range out {
			if sp.Start < s.End && s.Start < sp.End {
				continue
			}
			kept = append(kept, s)
		}
		out = append(kept, sp)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

var instantPattern = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})`)

// instantSlots finds RFC 3339 date-times with a zone designator; one without is not an
// instant, and no zone is made up for it.
func instantSlots(request string) []slot.Slot {
	var out []slot.Slot
	for _, m := range instantPattern.FindAllStringIndex(request, -1) {
		text := request[m[0]:m[1]]
		v := strings.ToUpper(text[:10]) + "T" + strings.ToUpper(text[11:])
		if len(text) > 16 && text[16] != ':' {
			// No seconds: RFC 3339 requires them.
			v = v[:16] + ":00" + v[16:]
		}
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			continue
		}
		out = append(out, slot.Slot{Kind: kindInstant, Text: text, Value: v, Start: m[0], End: m[1]})
	}
	return out
}

var zonePattern = regexp.MustCompile(`\b(?:(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z_\-]+(?:/[A-Za-z_\-]+)?|UTC|GMT)\b`)

// zoneSlots finds IANA time zone names that the time zone database knows.
func zoneSlots(request string) []slot.Slot {
	var out []slot.Slot
	for _, m := range zonePattern.FindAllStringIndex(request, -1) {
		text := request[m[0]:m[1]]
		if _, err := time.LoadLocation(text); err != nil {
			continue
		}
		out = append(out, slot.Slot{Kind: kindZone, Text: text, Value: text, Start: m[0], End: m[1]})
	}
	return out
}

// cityZones maps major cities, lowercased, to their IANA zone: "the time in Tokyo".
var cityZones = map[string]string{
	"tokyo": "Asia/Tokyo", "osaka": "Asia/Tokyo", "seoul": "Asia/Seoul", "beijing": "Asia/Shanghai",
	"shanghai": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong", "singapore": "Asia/Singapore",
	"bangkok": "Asia/Bangkok", "jakarta": "Asia/Jakarta", "manila": "Asia/Manila", "taipei": "Asia/Taipei",
	"mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata",
	"kolkata": "Asia/Kolkata", "dubai": "Asia/Dubai", "karachi": "Asia/Karachi", "tehran": "Asia/Tehran",
	"istanbul": "Europe/Istanbul", "moscow": "Europe/Moscow", "london": "Europe/London", "dublin": "Europe/Dublin",
	"lisbon": "Europe/Lisbon", "madrid": "Europe/Madrid", "barcelona": "Europe/Madrid", "paris": "Europe/Paris",
	"brussels": "Europe/Brussels", "amsterdam": "Europe/Amsterdam", "berlin": "Europe/Berlin",
	"munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "zurich": "Europe/Zurich", "geneva": "Europe/Zurich",
	"vienna": "Europe/Vienna", "rome": "Europe/Rome", "milan": "Europe/Rome", "prague": "Europe/Prague",
	"warsaw": "Europe/Warsaw", "stockholm": "Europe/Stockholm", "oslo": "Europe/Oslo",
	"copenhagen": "Europe/Copenhagen", "helsinki": "Europe/Helsinki", "athens": "Europe/Athens",
	"kyiv": "Europe/Kyiv", "cairo": "Africa/Cairo", "lagos": "Africa/Lagos", "nairobi": "Africa/Nairobi",
	"johannesburg": "Africa/Johannesburg", "new york": "America/New_York", "boston": "America/New_York",
	"washington": "America/New_York", "miami": "America/New_York", "atlanta": "America/New_York",
	"toronto": "America/Toronto", "montreal": "America/Toronto", "chicago": "America/Chicago",
	"houston": "America/Chicago", "dallas": "America/Chicago", "denver": "America/Denver",
	"phoenix": "America/Phoenix", "los angeles": "America/Los_Angeles", "san francisco": "America/Los_Angeles",
	"seattle": "America/Los_Angeles", "vancouver": "America/Vancouver", "mexico city": "America/Mexico_City",
	"sao paulo": "America/Sao_Paulo", "são paulo": "America/Sao_Paulo", "buenos aires": "America/Argentina/Buenos_Aires",
	"lima": "America/Lima", "bogota": "America/Bogota", "santiago": "America/Santiago",
	"sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne", "brisbane": "Australia/Brisbane",
	"perth": "Australia/Perth", "auckland": "Pacific/Auckland", "honolulu": "Pacific/Honolulu",
}

// cityZone returns the IANA zone of a city name slot.
func cityZone(name string) (string, bool) {
	z, ok := cityZones[strings.ToLower(strings.Join(strings.Fields(name), " "))]
	if !ok {
		return "", false
	}
	if _, err := time.LoadLocation(z); err != nil {
		return "", false
	}
	return z, true
}

// durationUnit matches one amount and unit: "90 minutes", "1.5 hours", "3d", "2 weeks".
// Single-letter units must be attached to the number ("90m", not "90 m", which is more
// likely metres).
var durationUnit = regexp.MustCompile(`(?i)^(\d+(?:\.\d+)?)(?:\s*(weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?)\b|(w|d|h|m|s)(?:\b|\d))`)

// durationRanks are the first letters of the units of a duration, smallest first: the
// parts of one duration ("2 days, 3 hours", "1h30m") go from larger to smaller.
const durationRanks = "smhdw"

// maxDurationSeconds bounds the durations read from requests (about 200 years), well
// inside what a time.Duration holds.
const maxDurationSeconds = 200 * 366 * 86400

// durationSlots finds durations, a sequence of amounts with units joined by spaces,
// commas or "and" ("1 hour and 30 minutes"), and writes them in the syntax add_duration
// takes: whole days as "3d", anything else in Go syntax ("1h30m", "36h"). "ago",
// "before", "earlier" after it or "subtract", "minus" before it make it negative.
func durationSlots(request string) []slot.Slot {
	var out []slot.Slot
	lower := asciiLower(request) // byte for byte: its indexes are request's
	for i := 0; i < len(request); i++ {
		if request[i] < '0' || request[i] > '9' || i > 0 && isWordByte(lower[i-1]) {
			continue
		}
		var seconds float64
		var days int
		var parts []string // amounts of non-day units as written: "90m", "1.5h"
		fractionalDays := false
		j, end := i, -1
		larger := len(durationRanks) // the rank of the part before: each next is smaller
		for {
			m := durationUnit.FindStringSubmatchIndex(request[j:])
			if m == nil {
				break
			}
			num := request[j+m[2] : j+m[3]]
			amount, _ := strconv.ParseFloat(num, 64)
			unitStart, unitEnd := m[4], m[5]
			if unitStart < 0 {
				unitStart, unitEnd = m[6], m[7]
			}
			unit := strings.ToLower(request[j+unitStart : j+unitEnd])
			if unit == "m" && amount >= 100 {
				break // "swam 1500m", "the 400m": metres; minutes that many are written as hours
			}
			if r := strings.IndexByte(durationRanks, unit[0]); r >= larger {
				break // "40 minutes, 1500m": a second amount, not a part of the first
			} else {
				larger = r
			}
			switch unit[0] {
			case 'w', 'd':
				n := amount
				if unit[0] == 'w' {
					n *= 7
				}
				if n != float64(int(n)) {
					fractionalDays = true
				}
				days += int(n)
				seconds += n * 86400
			case 'h':
				parts = append(parts, num+"h")
				seconds += amount * 3600
			case 'm':
				parts = append(parts, num+"m")
				seconds += amount * 60
			case 's':
				parts = append(parts, num+"s")
				seconds += amount
			}
			end = j + unitEnd
			// "1 hour and 30 minutes", "1h30m", "2 days, 3 hours"
			rest := request[end:]
			k := 0
			for k < len(rest) && (rest[k] == ' ' || rest[k] == ',') {
				k++
			}
			if strings.HasPrefix(strings.ToLower(rest[k:]), "and ") {
				k += 4
			}
			if k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
				j = end + k
				continue
			}
			break
		}
		if end < 0 {
			continue
		}
		if seconds > maxDurationSeconds {
			i = end // beyond what a time.Duration holds: not a duration anyone means
			continue
		}
		var v string
		switch {
		case len(parts) == 0 && !fractionalDays:
			v = strconv.Itoa(days) + "d" // whole days keep the wall-clock time
		case days == 0 && !fractionalDays:
			v = strings.Join(parts, "") // as written: "90m", "1h30m"
		default:
			v = goDuration(seconds)
		}
		if v == "" || seconds == 0 {
			i = end
			continue
		}
		before := strings.Fields(lower[:i])
		after := strings.Fields(lower[end:])
		neg := len(after) > 0 && (after[0] == "ago" || after[0] == "before" || after[0] == "earlier") ||
			len(before) > 0 && (before[len(before)-1] == "subtract" || before[len(before)-1] == "minus")
		if neg {
			v = "-" + v
		}
		out = append(out, slot.Slot{Kind: kindDuration, Text: request[i:end], Value: v, Start: i, End: end})
		i = end
	}
	return out
}

// articleDuration matches a duration of one unit written with an article: "an hour",
// "a free hour", "half an hour", "half a day", "a week".
var articleDuration = regexp.MustCompile(`(?i)\b(half an|half a|an|a)\s+(?:(?:free|full|whole|spare|extra)\s+)?(hour|minute|day|week)\b`)

// articleDurations finds the durations of articleDuration ("find me a free hour":
// 1h), never a rate or a frequency ("$20 an hour", "twice a day", "once a week").
func articleDurations(request string) []slot.Slot {
	var out []slot.Slot
	for _, m := range articleDuration.FindAllStringSubmatchIndex(request, -1) {
		before := strings.Fields(asciiLower(request[:m[0]]))
		if len(before) > 0 {
			switch w := strings.Trim(before[len(before)-1], ",.;:"); w {
			case "times", "twice", "once", "thrice", "per", "every":
				continue
			default:
				if strings.ContainsAny(w, "$€£¥") || strings.HasSuffix(w, "%") {
					continue // "$20 an hour"
				}
			}
		}
		if m[5] < len(request) && request[m[5]] == '-' {
			continue // "a day-trip"
		}
		unit := strings.ToLower(request[m[4]:m[5]])
		v := map[string]string{"hour": "1h", "minute": "1m", "day": "1d", "week": "7d"}[unit]
		if art := strings.ToLower(request[m[2]:m[3]]); art == "half an" || art == "half a" {
			v = map[string]string{"hour": "30m", "minute": "30s", "day": "12h", "week": "84h"}[unit]
		}
		out = append(out, slot.Slot{Kind: kindDuration, Text: request[m[0]:m[1]], Value: v, Start: m[0], End: m[1]})
	}
	return out
}

// goDuration writes seconds in Go duration syntax without a zero tail ("1h30m", "90s"),
// or "" when it is not a whole number of seconds.
func goDuration(seconds float64) string {
	if seconds <= 0 || seconds != float64(int64(seconds)) {
		return ""
	}
	d := time.Duration(int64(seconds)) * time.Second
	s := d.String() // "1h30m0s", "2h0m0s", "1m30s", "45s"
	if strings.HasSuffix(s, "m0s") || strings.HasSuffix(s, "h0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

var jsonPathPattern = regexp.MustCompile(`(?:\$\.?)?[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+|\[\d+\])+|\$`)

// jsonPathSlots finds dotted paths into a JSON document ("items.0.name",
// "$.items[0].name") that are not part of a URL, an e-mail address or a file name, nor an
// abbreviation ("e.g").
func jsonPathSlots(request string, slots []slot.Slot) []slot.Slot {
	var out []slot.Slot
	for _, m := range jsonPathPattern.FindAllStringIndex(request, -1) {
		if m[0] > 0 && (isWordByte(request[m[0]-1]|0x20) || strings.ContainsRune("/.@:-", rune(request[m[0]-1]))) {
			continue
		}
		if m[1] < len(request) && (request[m[1]] == '/' || request[m[1]] == '@') {
			continue
		}
		text := request[m[0]:m[1]]
		if text == "$" {
			continue
		}
		short := true
		for _, part := range strings.FieldsFunc(strings.TrimPrefix(text, "$"), func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
			if len(part) > 1 {
				short = false
			}
		}
		if short {
			continue // "e.g", "i.e"
		}
		inside := false
		for _, s := range slots {
			if (s.Kind == slot.URL || s.Kind == slot.Email || s.Kind == slot.File || s.Kind == slot.Quoted) && m[0] < s.End && s.Start < m[1] {
				inside = true
			}
		}
		if inside {
			continue
		}
		out = append(out, slot.Slot{Kind: kindJSONPath, Text: text, Value: text, Start: m[0], End: m[1]})
	}
	return out
}

var exprFunctions = []string{"sqrt", "abs", "round", "floor", "ceil", "min", "max"}

// expressionSlots finds arithmetic expressions: numbers joined by operators (+ - * / % ^,
// and × ÷ written as * and /), with parentheses and the calculator's functions. A span
// needs two numbers and a binary operator between them; a minus between digits with no
// space ("2026-12-24", "555-1234") is not an operator.
func expressionSlots(request string) []slot.Slot {
	var out []slot.Slot
	lower := asciiLower(request) // byte for byte: its indexes are request's
	isStart := func(i int) (int, bool) {
		c := request[i]
		if c >= '0' && c <= '9' || c == '(' {
			return 0, true
		}
		for _, f := range exprFunctions {
			if strings.HasPrefix(lower[i:], f) {
				k := i + len(f)
				for k < len(request) && request[k] == ' ' {
					k++
				}
				if k < len(request) && request[k] == '(' {
					return 0, true
				}
			}
		}
		return 0, false
	}
	for i := 0; i < len(request); i++ {
		if i > 0 && (isWordByte(lower[i-1]) || request[i-1] == '.' || request[i-1] == '-' || request[i-1] == '/' || request[i-1] == ':') {
			continue
		}
		if _, ok := isStart(i); !ok {
			continue
		}
		j := i
		for j < len(request) {
			c := request[j]
			if c >= '0' && c <= '9' || strings.IndexByte(" .+-*/%^(),", c) >= 0 {
				j++
				continue
			}
			if strings.HasPrefix(request[j:], "×") || strings.HasPrefix(request[j:], "÷") {
				j += len("×")
				continue
			}
			matched := false
			for _, f := range exprFunctions {
				if strings.HasPrefix(lower[j:], f) && (j == 0 || !isWordByte(lower[j-1])) {
					j += len(f)
					matched = true
					break
				}
			}
			if !matched {
				break
			}
		}
		// Trim what cannot end an expression.
		for j > i && strings.IndexByte(" .,+-*/%^(", request[j-1]) >= 0 {
			j--
		}
		// A letter right after the span ("12.5kg") makes it not arithmetic.
		expr, ok := arithmetic(request[i:j])
		if !ok || j < len(request) && isWordByte(lower[j]) {
			if j > i {
				i = j - 1 // no expression starts inside a span that is not one
			}
			continue
		}
		out = append(out, slot.Slot{Kind: kindExpression, Text: request[i:j], Value: expr, Start: i, End: j})
		i = j
	}
	return out
}

// arithmetic checks that text is an expression worth a calculator (balanced parentheses,
// two numbers, a binary operator), trims unbalanced closing parentheses from its end and
// returns it with × and ÷ written as * and /.
func arithmetic(text string) (string, bool) {
	text = strings.NewReplacer("×", "*", "÷", "/").Replace(text)
	if !strings.Contains(text, "(") || !strings.ContainsAny(text, "abcdefghijklmnopqrstuvwxyz") {
		// "1,250 / 8": thousands separators, which the calculator does not read (inside
		// a function's parentheses a comma separates its arguments).
		for t := ""; t != text; { // "12,000,000": each separator, the matches overlap
			t, text = text, thousands.ReplaceAllString(text, "$1$2")
		}
	}
	for {
		depth := 0
		for _, r := range text {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		if depth < 0 && strings.HasSuffix(text, ")") {
			text = strings.TrimRight(strings.TrimSuffix(text, ")"), " ")
			continue
		}
		if depth != 0 {
			return "", false
		}
		break
	}
	numbers, ops := 0, 0
	prevDigit, inNum := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9' || c == '.':
			if !inNum {
				numbers++
			}
			inNum, prevDigit = true, true
		case c == ' ':
			inNum = false
		case c == '-':
			// "2026-12-24": a minus glued between digits is a separator, not an operator.
			if inNum && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9' {
				return "", false
			}
			inNum = false
			if prevDigit {
				ops++
			}
		case strings.IndexByte("+*/%^", c) >= 0:
			inNum = false
			if prevDigit || c != '+' {
				ops++
			}
		case c == ')':
			inNum = false
		default:
			inNum = false
		}
		if c != ' ' && c != '.' && (c < '0' || c > '9') && c != ')' {
			prevDigit = false
		}
	}
	if numbers < 2 || ops == 0 {
		return "", false
	}
	text = strings.TrimSpace(text)
	// "4/5", "12/24": a lone slash between two bare numbers is as often a date, a room
	// or a score as a division; a calculation says so with spaces, more operators or
	// parentheses ("4 / 5", "(4/5) * 100").
	if ops == 1 && strings.Count(text, "/") == 1 && !strings.ContainsAny(text, " ()") {
		return "", false
	}
	return text, true
}

// valueScore rates a slot for a parameter of a value kind: zero when it does not fit.
func valueScore(pr *paramInfo, s slot.Slot) float64 {
	if k, ok := valueKind[pr.kind]; ok && s.Kind == k {
		return 4
	}
	switch pr.kind {
	case pInstant:
		if s.Kind == slot.Date && isISODate(s.Value) {
			return 3
		}
	case pDate:
		// A date parameter takes an RFC 3339 date-time written in full: as it is when
		// it asks for a date and a time, else its date (see convert).
		if s.Kind == kindInstant {
			return 3.5
		}
	case pZone:
		if s.Kind == slot.Name {
			if _, ok := cityZone(s.Value); ok {
				return 3
			}
		}
	case pInteger, pNumber:
		// "a forecast for 2 days": a count of the unit the parameter is named for.
		if s.Kind == kindDuration {
			if _, ok := durationAs(pr, s); ok {
				return 2.5
			}
		}
	case pEnum:
		// "for 60 min" for durationMinutes, one of 30, 45 and 60.
		if s.Kind == kindDuration && numericEnum(pr) && namesLength(pr) {
			if n, ok := durationAs(pr, s); ok {
				if _, ok := enumMatch(pr, string(n)); ok {
					return 2.5
				}
			}
		}
	}
	return 0
}

// durationCount splits a duration as written ("2 days", "3 nights") into its count and
// unit word (singular).
func durationCount(text string) (n json.Number, unit string, ok bool) {
	f := strings.Fields(strings.ToLower(text))
	if len(f) != 2 {
		return "", "", false
	}
	n, ok = plan.Number(f[0])
	return n, strings.TrimSuffix(f[1], "s"), ok
}

// durationUnits are the units a count parameter is named for, in seconds (written in
// full: "min_age" is no count of minutes).
var durationUnits = []struct {
	words   []string
	seconds float64
}{
	{[]string{"second"}, 1}, {[]string{"minute"}, 60}, {[]string{"hour"}, 3600},
	{[]string{"day"}, 86400}, {[]string{"week"}, 7 * 86400},
}

// durationAs gives duration slot s as a count of the unit parameter pr is named for:
// "2 days" for days as written, "an hour" for duration_minutes 60; false when pr
// names no unit or the count is not whole in it.
func durationAs(pr *paramInfo, s slot.Slot) (json.Number, bool) {
	if n, unit, ok := durationCount(s.Text); ok && (pr.terms[unit] || pr.terms[stem(unit)]) {
		return n, true
	}
	secs, ok := durationSeconds(s.Value)
	if !ok {
		return "", false
	}
	for _, u := range durationUnits {
		named := false
		for _, w := range u.words {
			named = named || pr.terms[w] || pr.nameTerms[w]
		}
		if !named {
			continue
		}
		if n := secs / u.seconds; n > 0 && n == float64(int64(n)) {
			return json.Number(strconv.FormatInt(int64(n), 10)), true
		}
		return "", false
	}
	return "", false
}

// namesLength reports whether parameter pr is named for a length of time: a duration,
// a length, or a count of minutes or hours (durationMinutes, length_hours).
func namesLength(pr *paramInfo) bool {
	return pr.nameTerms["duration"] || pr.nameTerms["length"] || pr.nameTerms["minute"] || pr.nameTerms["hour"]
}

// durationSeconds reads a duration slot's value ("3d", "1h30m") as seconds.
func durationSeconds(v string) (float64, bool) {
	if d, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(d)
		return float64(n) * 86400, err == nil
	}
	d, err := time.ParseDuration(v)
	return d.Seconds(), err == nil
}

// durationWritten renders a duration slot's value in the one unit a parameter's pattern
// asks for ("^[0-9]+[mhd]$": "1h30m" is 90m, "36h" stays), largest unit first; false
// when no whole count of a unit fits.
func durationWritten(pr *paramInfo, v string) (string, bool) {
	if pr.re == nil || pr.re.MatchString(v) {
		return v, true
	}
	secs, ok := durationSeconds(strings.TrimPrefix(v, "-"))
	if !ok || secs <= 0 || strings.HasPrefix(v, "-") {
		return "", false
	}
	for _, u := range []struct {
		unit    string
		seconds float64
	}{{"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}} {
		n := secs / u.seconds
		if w := strconv.FormatInt(int64(n), 10) + u.unit; n >= 1 && n == float64(int64(n)) && pr.re.MatchString(w) {
			return w, true
		}
	}
	return "", false
}

func isISODate(v string) bool {
	_, err := time.Parse(time.DateOnly, v)
	return err == nil
}

// convertValue renders slot s for a parameter of a value kind.
func convertValue(pr *paramInfo, s slot.Slot) (any, bool) {
	if pr.kind == pZone && s.Kind == slot.Name {
		return cityZone(s.Value)
	}
	if valueScore(pr, s) == 0 {
		return nil, false
	}
	if (pr.kind == pInteger || pr.kind == pNumber) && s.Kind == kindDuration {
		return durationAs(pr, s)
	}
	if pr.kind == pDuration && s.Kind == kindDuration {
		return durationWritten(pr, s.Value)
	}
	return s.Value, true
}

// earlierInstant returns a reference to the date-time output of the latest earlier step
// that produces one (current_time's iso), for an instant parameter the clause leaves
// empty: "what time is it in Tokyo, then add 90 minutes" adds to that time.
func (b *builder) earlierInstant(pr *paramInfo) (string, bool) {
	if pr.kind != pInstant {
		return "", false
	}
	for i := len(b.steps) - 1; i >= 0; i-- {
		out := b.steps[i].tool.out
		if out == nil {
			continue
		}
		for _, name := range out.PropOrder {
			if f := out.Properties[name]; f != nil && f.Format == "date-time" && f.PrimaryType() == "string" {
				return plan.MakeRef(b.steps[i].step.ID, name), true
			}
		}
	}
	return "", false
}

// urlPattern matches absolute http(s) URLs and www. hosts.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s"'<>]+`)

// askedNow matches the ways of asking for the current time or date ("what time is it",
// "what's the date today", not "what is the date of the meeting"); the clause then also
// counts the word "current", which the tools that tell it use.
var askedNow = regexp.MustCompile(`(?i)\bwhat(?:'s|\s+is)?\s+(?:the\s+)?(?:current\s+)?(?:time|date|day)(?:\s*$|\s*[,.;?!]|\s+(?:now|today|right now|currently|here|there|in|at the moment|will it be|is it|was it)\b)|\btime\s+(?:is\s+it|now)\b|\bwhat\s+day\s+is\s+it\b|\b(?:today's|todays)\s+date\b`)

// addTerm adds term (indexed form of a word) to query q unless q has it.
func addTerm(q []qterm, word string) []qterm {
	ts := terms(word)
	if len(ts) == 0 {
		return q
	}
	for _, t := range q {
		if t.term == ts[0] {
			return q
		}
	}
	return append(q, qterm{term: ts[0], weight: 1})
}

// templateField finds the fields a Go text/template refers to: {{.name}}, {{ .count }}.
var templateField = regexp.MustCompile(`\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}`)

// templateValues fills an object parameter of ti with the values a template argument
// already in args refers to, when the clause states every one of them by its key: "render
// 'Hello {{.name}}' with name Bob" gives {"name": "Bob"}. A key's value is the slot right
// after the key (and an optional "=", ":", "is", "to", "as"). When some key has no stated
// value, nothing is filled: a partial object would fail at run time just the same, and no
// value is made up.
func (b *builder) templateValues(ti *toolInfo, c clause, args map[string]any, filled []bool, usedSlot []bool) {
	var keys []string
	mustache := ""
	for name, v := range args {
		if str, ok := v.(string); ok {
			fields, bare := templateFields(ti, str)
			keys = append(keys, fields...)
			if bare && len(fields) > 0 {
				mustache = name
			}
		}
	}
	if len(keys) == 0 {
		return
	}
	target := -1
	for pi := range ti.params {
		if ti.params[pi].kind == pObject && !filled[pi] {
			target = pi
			break
		}
	}
	if target < 0 {
		return
	}
	values := map[string]any{}
	used := map[int]bool{}
	for _, key := range keys {
		if _, ok := values[key]; ok {
			continue
		}
		found := false
		for si, s := range c.slots {
			if usedSlot[si] || used[si] || isValueKind(s.Kind) {
				continue
			}
			lead := strings.ToLower(c.text[:max(0, min(len(c.text), s.Start-c.start))])
			lead = strings.TrimRight(lead, " ")
			for _, joiner := range []string{"=", ":", " is", " to", " as", " of"} {
				if t := strings.TrimSuffix(lead, joiner); t != lead {
					lead = strings.TrimRight(t, " ")
					break
				}
			}
			if !strings.HasSuffix(lead, strings.ToLower(key)) || len(lead) > len(key) && isWordByte(lead[len(lead)-len(key)-1]) {
				continue
			}
			switch s.Kind {
			case slot.Number:
				if n, ok := plan.Number(s.Value); ok {
					values[key] = n
				} else {
					values[key] = s.Value
				}
			default:
				values[key] = s.Value
			}
			used[si], found = true, true
			break
		}
		if !found {
			return
		}
	}
	args[ti.params[target].Name] = values
	filled[target] = true
	for si := range used {
		usedSlot[si] = true
	}
	if mustache != "" {
		args[mustache] = mustacheField.ReplaceAllStringFunc(args[mustache].(string), func(f string) string {
			if m := mustacheField.FindStringSubmatch(f); !templateWords[m[1]] {
				return "{{." + m[1] + "}}"
			}
			return f
		})
	}
}

// templateFields returns the fields template str of tool ti refers to: {{.name}}; to
// the built-in, whose templates are Go's, also {{name}} ("Dear {{name}}"), when str has
// no dotted field, with bare true.
func templateFields(ti *toolInfo, str string) (fields []string, bare bool) {
	for _, m := range templateField.FindAllStringSubmatch(str, -1) {
		fields = append(fields, m[1])
	}
	if len(fields) > 0 || !ti.builtin {
		return fields, false
	}
	for _, m := range mustacheField.FindAllStringSubmatch(str, -1) {
		if !templateWords[m[1]] {
			fields = append(fields, m[1])
		}
	}
	return fields, true
}

// mustacheField finds a field written without Go's dot: {{name}}.
var mustacheField = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// templateWords are Go template actions and functions, no field.
var templateWords = map[string]bool{"end": true, "else": true, "if": true, "range": true, "with": true, "define": true,
	"template": true, "block": true, "break": true, "continue": true, "nil": true, "len": true, "index": true,
	"print": true, "printf": true, "println": true, "and": true, "or": true, "not": true}

// relativeToNow matches clauses that count from the present: "in 3 days", "2 hours
// ago", "90 minutes from now", "now".
var relativeToNow = regexp.MustCompile(`(?i)\b(?:from now|ago|now|right now|in \d+(?:\.\d+)?\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)|in (?:a|an|one) (?:minute|hour|day|week))\b`)

// nowInstant fills an instant parameter the request leaves empty when the clause counts
// from the present ("what will the date be in 3 days"): it inserts a step of a tool that
// tells the current time (no required arguments, a date-time output, such as
// current_time), with its arguments filled from the clause (a time zone stated there),
// and returns a reference to that output.
func (b *builder) nowInstant(pr *paramInfo, c clause, depth int) (string, bool) {
	if pr.kind != pInstant || depth >= maxProducerDepth || !relativeToNow.MatchString(c.text) {
		return "", false
	}
	for _, ti := range b.p.tools {
		field := ""
		if ti.out != nil {
			for _, name := range ti.out.PropOrder {
				if f := ti.out.Properties[name]; f != nil && f.Format == "date-time" && f.PrimaryType() == "string" {
					field = name
					break
				}
			}
		}
		if field == "" {
			continue
		}
		required := false
		for _, q := range ti.params {
			if q.Required {
				required = true
			}
		}
		if required {
			continue
		}
		args, _, ok, _ := b.fill(ti, c, "", depth+1)
		if !ok {
			continue
		}
		st := plan.Step{ID: b.nextID(), Tool: ti.tool.Name, Args: args}
		b.steps = append(b.steps, built{step: st, tool: ti, role: pr.Name, producer: true})
		return plan.MakeRef(st.ID, field), true
	}
	return "", false
}

// wordArithmetic reads arithmetic said in words, the way the calculator's own examples
// put it: "multiply 42 by 19", "15% of 240", "7 plus 5", "subtract 3 from 10".
var wordArithmetic = []struct {
	re   *regexp.Regexp
	expr func(a, b string) string
}{
	{regexp.MustCompile(`(?i)\bmultiply\s+` + num + `\s+(?:by|and|with)\s+` + num + `\b`), func(a, b string) string { return a + " * " + b }},
	{regexp.MustCompile(`(?i)\bdivide\s+` + num + `\s+by\s+` + num + `\b`), func(a, b string) string { return a + " / " + b }},
	{regexp.MustCompile(`(?i)\bsubtract\s+` + num + `\s+from\s+` + num + `\b`), func(a, b string) string { return b + " - " + a }},
	{regexp.MustCompile(`(?i)\b(?:add|sum|sum of|total of)\s+` + num + `\s+(?:and|to|plus)\s+` + num + `\b`), func(a, b string) string { return a + " + " + b }},
	{regexp.MustCompile(`(?i)` + num + `\s*(?:%|percent)\s+of\s+` + cur + num + `\b`), func(a, b string) string { return b + " * " + a + " / 100" }},
	// "15% off £3,240": the price less the discount.
	{regexp.MustCompile(`(?i)` + num + `\s*(?:%|percent)\s+off\s+(?:of\s+)?` + cur + num + `\b`), func(a, b string) string { return b + " * (1 - " + hundredth(a) + ")" }},
	{regexp.MustCompile(`(?i)` + num + `\s+(plus|minus|times|multiplied by|divided by|over|to the power of)\s+` + num + `\b`), nil},
}

// thousands matches a thousands separator inside a number: "1,250", "12,000,000".
var thousands = regexp.MustCompile(`(\d),(\d{3})\b`)

// hundredth writes the percentage a as a fraction: "15" is "0.15", "7.5" "0.075".
func hundredth(a string) string {
	f, err := strconv.ParseFloat(a, 64)
	if err != nil {
		return a + " / 100"
	}
	return strconv.FormatFloat(f/100, 'f', -1, 64)
}

// cur is a currency sign before an amount ("20% of $1,240"), which the arithmetic leaves
// out.
const cur = `(?:[$£€¥]\s?)?`

// num is a number as word arithmetic reads it, thousands separators allowed.
const num = `(-?\b\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)`

var wordOperators = map[string]string{
	"plus": "+", "minus": "-", "times": "*", "multiplied by": "*", "divided by": "/", "over": "/", "to the power of": "^",
}

// wordExpressionSlots finds arithmetic said in words (see wordArithmetic).
func wordExpressionSlots(request string) []slot.Slot {
	var out []slot.Slot
	for _, w := range wordArithmetic {
		for _, m := range w.re.FindAllStringSubmatchIndex(request, -1) {
			var expr string
			n := func(a, b int) string { return strings.ReplaceAll(request[a:b], ",", "") } // "1,250" is 1250
			if w.expr != nil {
				expr = w.expr(n(m[2], m[3]), n(m[4], m[5]))
			} else {
				op := wordOperators[strings.Join(strings.Fields(strings.ToLower(request[m[4]:m[5]])), " ")]
				expr = n(m[2], m[3]) + " " + op + " " + n(m[6], m[7])
			}
			// A unit after the last number ("add 3 and 4 days") is not arithmetic.
			if rest := strings.Fields(request[m[1]:]); len(rest) > 0 && len(durationSlots("1 "+rest[0])) > 0 {
				continue
			}
			out = append(out, slot.Slot{Kind: kindExpression, Text: request[m[0]:m[1]], Value: expr, Start: m[0], End: m[1]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}
