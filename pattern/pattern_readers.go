package pattern

// Value readers: the values a request states in forms a parameter's own words describe
// (a label, a shape, an equation, a date range, numbered twins), and the phrase trims
// that keep one parameter's value out of another's.

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/planwise/planwise/internal/lexicon"
	"github.com/planwise/planwise/slot"
)

// labelled returns the slot of the request that the parameter's name labels: written
// right after every word of the name and "is", ":" or "=" ("Site ID is 1234" for
// siteId, "user ID: 12345" for user_id), for names of two words or more.
func (b *builder) labelled(pr *paramInfo) (slot.Slot, bool) {
	if s, ok := b.assigned(pr); ok {
		return s, true
	}
	name := uniqueTerms(pr.Name)
	if len(name) < 2 || len(name) > 3 {
		return slot.Slot{}, false
	}
	for _, s := range b.all {
		if s.Kind == slot.Name || s.Start == 0 {
			continue
		}
		before := strings.TrimRight(b.request[:s.Start], " ")
		switch {
		case strings.HasSuffix(before, ":"), strings.HasSuffix(before, "="):
			before = before[:len(before)-1]
		case len(before) > 3 && strings.EqualFold(before[len(before)-3:], " is"):
			before = before[:len(before)-3]
		default:
			continue
		}
		ws := words(before)
		if len(ws) > len(name)+1 {
			ws = ws[len(ws)-len(name)-1:]
		}
		have := map[string]bool{}
		for _, w := range ws {
			for _, t := range terms(w) {
				have[t] = true
			}
		}
		all := true
		for _, t := range name {
			if !have[t] {
				all = false
			}
		}
		if all {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// assigned returns the slot the request assigns to the parameter by its name as written,
// with "=" or ":" ("a = 2, b = -5 and c = 3" for a quadratic's coefficients, "rate:
// 0.05"), whatever the name's length.
func (b *builder) assigned(pr *paramInfo) (slot.Slot, bool) {
	for _, s := range b.all {
		if s.Kind == slot.Name || s.Start == 0 {
			continue
		}
		before := strings.TrimRight(b.request[:s.Start], " ")
		if !strings.HasSuffix(before, "=") && !strings.HasSuffix(before, ":") {
			continue
		}
		before = strings.TrimRight(before[:len(before)-1], " ")
		k := strings.LastIndexFunc(before, func(r rune) bool {
			return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		})
		if w := before[k+1:]; w != "" && strings.EqualFold(w, pr.Name) {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// orderTwins gives numbered twin parameters ("image", "image_2"; "file1", "file2") the
// slots they took in the order the request states them: "using example1.jpg and
// example2.jpg as input images" is image example1.jpg, whatever the words near each.
// Coordinates ("x", "y", "z"; "pos_x", "pos_y") are twins too, in axis order, unless
// the request labels them ("y 3, x 2"): "move it to 2,3,4" is x 2, y 3, z 4.
func orderTwins(ti *toolInfo, args map[string]any, src map[string]argSrc, request string) {
	groups := map[string][]int{}
	var bases []string
	for i := range ti.params {
		base, _ := twin(ti.params[i].Name, request)
		if base == "" {
			continue
		}
		if _, ok := groups[base]; !ok {
			bases = append(bases, base)
		}
		groups[base] = append(groups[base], i)
	}
	for _, base := range bases {
		idx := groups[base]
		if len(idx) < 2 {
			continue
		}
		sort.SliceStable(idx, func(a, b int) bool {
			_, na := twin(ti.params[idx[a]].Name, request)
			_, nb := twin(ti.params[idx[b]].Name, request)
			return na < nb
		})
		var vals []any
		var srcs []argSrc
		for _, i := range idx {
			name := ti.params[i].Name
			a, ok := src[name]
			if _, filled := args[name]; !filled || !ok || a.how != srcSlot {
				vals = nil
				break
			}
			vals, srcs = append(vals, args[name]), append(srcs, a)
		}
		if len(vals) != len(idx) {
			continue
		}
		order := make([]int, len(vals))
		for k := range order {
			order[k] = k
		}
		sort.SliceStable(order, func(a, b int) bool { return srcs[order[a]].slot.Start < srcs[order[b]].slot.Start })
		for k, i := range idx {
			name := ti.params[i].Name
			args[name], src[name] = vals[order[k]], srcs[order[k]]
		}
	}
}

// twinBase splits a parameter name into its base and number ("image_2" -> image, 2;
// "image" -> image, 1; "file1" -> file, 1), or "" when it has neither a number nor a
// numbered twin's shape.
// twin is twinBase, or for a coordinate the base and axis number ("pos_y": "pos#", 2)
// when the request does not name the axis as a word.
func twin(name, request string) (string, int) {
	n := strings.ToLower(name)
	if n == "" {
		return "", 0
	}
	axis := n[len(n)-1:]
	if k := strings.IndexByte("xyz", axis[0]); k >= 0 {
		base := strings.TrimRight(n[:len(n)-1], "_-")
		if base == n[:len(n)-1] && base != "" {
			return twinBase(name) // "max", "index": not an axis
		}
		if containsWordFold(request, axis) || base != "" && containsWordFold(request, name) {
			return "", 0 // "x 2, y 3": the request labels each
		}
		return base + "#", k + 1
	}
	return twinBase(name)
}

func twinBase(name string) (string, int) {
	n := strings.TrimRight(name, "0123456789")
	num := 1
	if n != name {
		v, err := strconv.Atoi(name[len(n):])
		if err != nil {
			return "", 0
		}
		num = v
	}
	n = strings.TrimRight(n, "_-")
	if n == "" {
		return "", 0
	}
	return strings.ToLower(n), num
}

// polyEquation finds "<polynomial in x> = 0" in text: its span and its coefficients by
// degree ("x^2 - 5x + 6 = 0" -> {2: 1, 1: -5, 0: 6}).
var polyEquation = regexp.MustCompile(`(?i)[-+]?\s*(?:\d+(?:\.\d+)?\s*\*?\s*)?x\s*(?:\^|\*\*)\s*\d(?:\s*[-+]\s*(?:\d+(?:\.\d+)?\s*\*?\s*)?x(?:\s*(?:\^|\*\*)\s*\d)?|\s*[-+]\s*\d+(?:\.\d+)?)*\s*=\s*0\b`)

var polyTerm = regexp.MustCompile(`(?i)([-+]?)\s*(\d+(?:\.\d+)?)?\s*\*?\s*(x)?(?:\s*(?:\^|\*\*)\s*(\d))?`)

func parsePolynomial(text string) (span [2]int, coef map[int]float64, ok bool) {
	loc := polyEquation.FindStringIndex(text)
	if loc == nil {
		return span, nil, false
	}
	eq := text[loc[0]:loc[1]]
	lhs := eq[:strings.LastIndexByte(eq, '=')]
	coef = map[int]float64{}
	for _, m := range polyTerm.FindAllStringSubmatch(lhs, -1) {
		if strings.TrimSpace(m[0]) == "" || m[2] == "" && m[3] == "" {
			continue
		}
		v := 1.0
		if m[2] != "" {
			f, err := strconv.ParseFloat(m[2], 64)
			if err != nil {
				return span, nil, false
			}
			v = f
		}
		if m[1] == "-" {
			v = -v
		}
		deg := 0
		if m[3] != "" {
			deg = 1
			if m[4] != "" {
				deg = int(m[4][0] - '0')
			}
		}
		coef[deg] += v
	}
	return [2]int{loc[0], loc[1]}, coef, len(coef) > 0
}

// coefficientDegree says which power of x a parameter's description gives the
// coefficient of ("Coefficient of x^2." -> 2, "Constant term." -> 0), or -1.
func coefficientDegree(pr *paramInfo) int {
	d := strings.ToLower(pr.Description)
	switch {
	case strings.Contains(d, "x^3") || strings.Contains(d, "x**3") || strings.Contains(d, "cubic"):
		return 3
	case strings.Contains(d, "x^2") || strings.Contains(d, "x**2") || strings.Contains(d, "x²") || strings.Contains(d, "squared") || strings.Contains(d, "quadratic term"):
		return 2
	case strings.Contains(d, "constant"):
		return 0
	case strings.Contains(d, "coefficient of x") || strings.Contains(d, "linear term"):
		return 1
	}
	return -1
}

// coefficients fills the numeric parameters of a tool that takes a polynomial's
// coefficients from the equation clause c writes out, each by the power its description
// names (or a, b, c, d in falling powers); the equation's numbers are marked used either
// way, so that the 2 of "x^2" never fills a coefficient.
func (b *builder) coefficients(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled, usedSlot []bool) {
	if eqs := polyEquation.FindAllStringIndex(c.text, -1); len(eqs) > 1 {
		// "solve x^2 + 3x - 10 = 0 and 2x^2 - 8 = 0": two equations for one step; none
		// of their numbers is a coefficient of it (see gapPieces).
		for si, s := range c.slots {
			for _, e := range eqs {
				if s.Start-c.start >= e[0] && s.End-c.start <= e[1] {
					usedSlot[si] = true
				}
			}
		}
		return
	}
	span, coef, ok := parsePolynomial(c.text)
	if !ok {
		return
	}
	for si, s := range c.slots {
		if s.Start-c.start >= span[0] && s.End-c.start <= span[1] {
			usedSlot[si] = true
		}
	}
	maxDeg := 0
	for d := range coef {
		maxDeg = max(maxDeg, d)
	}
	var idx []int
	degs := map[int]int{}
	letters := 0
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pInteger && pr.kind != pNumber {
			continue
		}
		if d := coefficientDegree(pr); d >= 0 {
			degs[pi] = d
			idx = append(idx, pi)
		} else if len(pr.Name) == 1 && pr.Name >= "a" && pr.Name <= "d" {
			idx = append(idx, pi)
			letters++
		}
	}
	if len(idx) < 2 {
		return
	}
	if letters == len(idx) {
		// a, b, c: the coefficients in falling powers.
		for k, pi := range idx {
			degs[pi] = len(idx) - 1 - k
		}
	} else if letters > 0 {
		return
	}
	if maxDeg > len(idx)-1 {
		return // a cubic for a quadratic solver
	}
	mark := slot.Slot{Kind: kindExpression, Text: c.text[span[0]:span[1]], Value: c.text[span[0]:span[1]], Start: c.start + span[0], End: c.start + span[1]}
	for _, pi := range idx {
		if v := coef[degs[pi]]; ti.params[pi].kind == pInteger && v != float64(int64(v)) {
			return
		}
	}
	for _, pi := range idx {
		pr := &ti.params[pi]
		v := coef[degs[pi]]
		args[pr.Name] = json.Number(strconv.FormatFloat(v, 'f', -1, 64))
		src[pr.Name] = argSrc{how: srcSlot, slot: mark}
		filled[pi] = true
	}
}

// boundWords introduce a bound on a value ("under $100").
var boundWords = wordSet("under over below above within around about upto max min")

// namesAParam reports whether phrase ph only names one of ti's parameters ("the amount"
// of "the amount of $122"): what is left of a phrase once its value is cut off.
func namesAParam(ti *toolInfo, ph string) bool {
	ts := terms(ph)
	if len(ts) == 0 {
		return true
	}
	for i := range ti.params {
		all := true
		for _, t := range ts {
			if !ti.params[i].nameTerms[t] {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}

// shapedValue returns the word of text that has the shape pr's description asks for: an
// owner/name path, or the distinctive shape of its examples; or "".
func shapedValue(pr *paramInfo, text string) string {
	if slashExamples(pr) {
		return ownerNameIn(text)
	}
	if pr.nameTerms["version"] {
		if v := versionIn(text); v != "" {
			return v
		}
	}
	if pr.nameTerms["postcode"] || pr.nameTerms["postal"] || pr.nameTerms["zip"] || pr.nameTerms["zipcode"] {
		// "power's gone off at home, LS6 2AB": a British or Canadian postcode, one of
		// them only.
		if ms := postcodes.FindAllString(text, 2); len(ms) == 1 {
			return strings.ToUpper(ms[0])
		}
	}
	return exampleShaped(pr, text)
}

// postcodes match a British postcode (LS6 2AB, SW1A 1AA) or a Canadian one (H2Y 1H5).
var postcodes = regexp.MustCompile(`(?i)\b(?:[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}|[a-z][0-9][a-z] ?[0-9][a-z][0-9])\b`)

// globParam reports whether pr takes a file-name pattern ("Name pattern, e.g. *.pdf",
// "a glob pattern").
func globParam(pr *paramInfo) bool {
	d := strings.ToLower(pr.Description)
	return pr.kind == pString && (strings.Contains(d, "glob") || strings.Contains(d, "*.") ||
		pr.nameTerms["glob"] || pr.nameTerms["pattern"] && strings.Contains(d, "file"))
}

// fileExtensions are the extensions a request names files by ("the .csv files", "all
// PDFs", "log files").
var fileExtensions = wordSet(`csv tsv pdf txt log json yaml yml md go py js ts html htm css xml xlsx xls docx doc
	pptx ppt odt ods png jpg jpeg gif svg webp mp3 mp4 wav mov zip tar gz tgz sql sh java rs rb php ini toml
	conf cfg bak tmp`)

// globWords finds "*.csv", ".csv files", "csv files" and "CSVs".
var globWords = regexp.MustCompile(`(?i)(?:^|[\s(])(?:(\*[\w.*-]*)|\.([a-z0-9]{1,5})\s+files?\b|([a-z0-9]{2,5})\s+files?\b|([a-z]{2,5})s\b)`)

// globIn returns the one file-name pattern text states: a glob as written ("*.go",
// "report-*"), or the pattern of the files of an extension it names ("all the .csv
// files", "PDFs": "*.csv", "*.pdf"); "" when it states none or several.
func globIn(text string) (glob string, start, end int) {
	found := ""
	for _, ix := range globWords.FindAllStringSubmatchIndex(text, -1) {
		m := make([]string, len(ix)/2)
		for k := range m {
			if ix[2*k] >= 0 {
				m[k] = text[ix[2*k]:ix[2*k+1]]
			}
		}
		g := m[1]
		if g == "" {
			ext := strings.ToLower(m[2] + m[3] + m[4])
			if !fileExtensions[ext] || m[4] != "" && strings.ToUpper(m[4]) != m[4] {
				continue // "my files"; "logs" is no extension written in capitals ("PDFs" is)
			}
			g = "*." + ext
		}
		g = strings.TrimRight(g, ".,;:!?)")
		if found != "" && found != g {
			return "", 0, 0
		}
		found, start, end = g, ix[0], ix[1]
	}
	return found, start, end
}

// versionShape is a release version: v2.3.1, 1.9.0, v3, 2.0.0-rc1 (not 3.5, a number).
var versionShape = regexp.MustCompile(`^(?:[vV]\d+(?:\.\d+)*|\d+\.\d+\.\d+)(?:-[0-9A-Za-z.]+)?$`)

// versionIn returns the one version (versionShape) text writes, or "" when it writes
// none or several.
func versionIn(text string) string {
	found := ""
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, ",;:!?()'\"")
		w = strings.TrimSuffix(w, ".")
		if !versionShape.MatchString(w) {
			continue
		}
		if found != "" && found != w {
			return ""
		}
		found = w
	}
	return found
}

// markUsed marks the slots whose text is value v as used: a value one parameter took
// fills no other.
func markUsed(slots []slot.Slot, used []bool, v string) {
	for si, s := range slots {
		if strings.Trim(s.Text, "'\"") == v || s.Value == v {
			used[si] = true
		}
	}
}

// trimTypedTail cuts phrase ph before the first preposition that introduces a typed
// value of slots (a date, a time, an e-mail address, a phone number, a URL):
// "Budget review on 2026-12-10 at 14:00" is "Budget review".
func trimTypedTail(ph string, slots []slot.Slot, used []bool) string {
	cut := len(ph)
	for si, s := range slots {
		switch s.Kind {
		case slot.Date, slot.Time, slot.Email, slot.Phone, slot.URL:
		case slot.Money, slot.Number:
			if used == nil || !used[si] {
				continue // "the value of 5 ETH": an amount no other argument took is part of it
			}
		default:
			continue
		}
		k := strings.Index(ph, s.Text)
		if k <= 0 {
			continue
		}
		if (s.Kind == slot.Money || s.Kind == slot.Number) && ph[k-1] == ' ' && (k+len(s.Text) == len(ph) || ph[k+len(s.Text)] == ' ') {
			// "pay con ed 84.20 on the 15th": the amount another argument took ends the
			// payee, with or without a preposition before it.
			before := strings.TrimRight(ph[:k], " ")
			if sp := strings.LastIndexByte(before, ' '); sp > 0 && (prepositions[strings.ToLower(before[sp+1:])] || boundWords[strings.ToLower(before[sp+1:])]) {
				k = sp + 1 // "visa bill of $1,240.55": the preposition too
			}
			cut = min(cut, k-1)
			continue
		}
		if (s.Kind == slot.Date || s.Kind == slot.Time) && k+len(s.Text) == len(ph) && ph[k-1] == ' ' && k-1 < cut {
			cut = k - 1 // "technology today": the day ends the topic
			continue
		}
		before := strings.TrimRight(ph[:k], " ")
		if sp := strings.LastIndexByte(before, ' '); sp > 0 && (prepositions[strings.ToLower(before[sp+1:])] || boundWords[strings.ToLower(before[sp+1:])]) && sp < cut {
			cut = sp
		}
	}
	// "called Trip on the same day": a date told by reference ends the title too.
	lower := strings.ToLower(ph)
	for _, tail := range dateReferences {
		if k := strings.Index(lower, tail); k > 0 && k < cut {
			cut = k
		}
	}
	return strings.TrimSpace(ph[:cut])
}

// dateReferences tell a date by pointing at one stated before.
var dateReferences = []string{" on the same day", " on that day", " on the same date", " on that date", " the same day", " that same day"}

// daysSpanned fills a parameter that counts days or nights with the days between the
// two dates clause c states, in order ("from May 1 to May 5": 4), when there are
// exactly two and the second is 1 to 365 days after the first.
func daysSpanned(pr *paramInfo, c clause) (any, bool) {
	switch pr.kind {
	case pInteger, pNumber, pEnum:
	case pString:
		if !pr.numeric {
			return nil, false
		}
	default:
		return nil, false
	}
	if !(pr.terms["day"] || pr.terms["night"] || pr.nameTerms["day"] || pr.nameTerms["night"]) {
		return nil, false
	}
	var dates []time.Time
	for _, s := range c.slots {
		if s.Kind != slot.Date {
			continue
		}
		d, err := time.Parse("2006-01-02", s.Value)
		if err != nil {
			return nil, false
		}
		dates = append(dates, d)
	}
	if len(dates) != 2 {
		return nil, false
	}
	n := int(dates[1].Sub(dates[0]).Hours() / 24)
	if n < 1 || n > 365 {
		return nil, false
	}
	v := strconv.Itoa(n)
	return convert(pr, slot.Slot{Kind: slot.Number, Text: v, Value: v})
}

// timeSpanned reads a length in minutes or hours (pr names which) from the two ends of
// a range of hours in clause c ("2-4pm", "from 9:30 to 11am"): two times joined by a
// range word, the second later.
func timeSpanned(pr *paramInfo, c clause, request string) (any, bool) {
	if pr.kind != pInteger && pr.kind != pNumber {
		return nil, false
	}
	per := 0
	switch {
	case pr.nameTerms["minute"] || pr.nameTerms["min"] || pr.nameTerms["mins"]:
		per = 1
	case pr.nameTerms["hour"]:
		per = 60
	default:
		return nil, false
	}
	var ends []slot.Slot
	for _, s := range c.slots {
		if s.Kind == slot.Time {
			ends = append(ends, s)
		}
	}
	if len(ends) != 2 || !slot.RangeJoin(request[ends[0].End:ends[1].Start]) {
		return nil, false
	}
	a, err1 := time.Parse("15:04", ends[0].Value)
	z, err2 := time.Parse("15:04", ends[1].Value)
	mins := int(z.Sub(a).Minutes())
	if err1 != nil || err2 != nil || mins <= 0 || mins%per != 0 {
		return nil, false
	}
	v := strconv.Itoa(mins / per)
	return convert(pr, slot.Slot{Kind: slot.Number, Text: v, Value: v})
}

// legendEntry matches one entry of a code legend in a description: "1 represents
// cleaning", "'2' for ironing", "3 = big cleaning", "4: massage".
var legendEntry = regexp.MustCompile(`(?i)['"]?(\d+)['"]?\s*(?:represents|stands for|means|for|=|:|is)\s+(?:the\s+|a\s+|an\s+)?([a-z][a-z -]{1,40}?)(?:\s+services?)?(?:[,.;)'"]|\s+and\b|\s+or\b|$)`)

// legendValue reads the code of a numeric parameter whose description gives a legend of
// codes and what they stand for ("1 represents cleaning, 2 represents ironing") from the
// thing clause c names: the longest legend phrase the clause holds word for word. It
// needs two entries or more, and their codes among the parameter's enum when it has one.
func legendValue(pr *paramInfo, c clause) (any, bool) {
	if pr.kind != pInteger && pr.kind != pNumber && !(pr.kind == pEnum && numericEnum(pr)) {
		return nil, false
	}
	ms := legendEntry.FindAllStringSubmatch(pr.Description, -1)
	if len(ms) < 2 {
		return nil, false
	}
	text := " " + strings.ToLower(maskSlots(c)) + " "
	best, code := "", ""
	for _, m := range ms {
		ph := strings.TrimSpace(strings.ToLower(m[2]))
		if len(ph) > len(best) && (strings.Contains(text, " "+ph+" ") || strings.Contains(text, " "+ph+"s ") || strings.Contains(text, " "+ph+",")) {
			best, code = ph, m[1]
		}
	}
	if code == "" {
		return nil, false
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		return nil, false
	}
	if pr.kind == pEnum {
		for _, e := range pr.enumRaw {
			if f, ok := e.(float64); ok && int(f) == n {
				return e, true
			}
			if s, ok := e.(string); ok && s == code {
				return e, true
			}
			if j, ok := e.(json.Number); ok && j.String() == code {
				return e, true
			}
		}
		return nil, false
	}
	return n, true
}

// nameParts says which part of a person's name parameter pr asks for: "first" (a first
// or given name), "last" (a last or family name, a surname) or "".
func nameParts(pr *paramInfo) string {
	switch pr.norm {
	case "firstname", "givenname", "forename", "fname":
		return "first"
	case "lastname", "familyname", "surname", "lname":
		return "last"
	}
	if !pr.nameTerms["name"] || pr.kind != pString {
		return ""
	}
	switch {
	case pr.nameTerms["first"] || pr.nameTerms["given"]:
		return "first"
	case pr.nameTerms["last"] || pr.nameTerms["family"]:
		return "last"
	}
	return ""
}

// orgWords end the name of an organisation, not a person: Acme Corp, Initech Inc.
var orgWords = map[string]bool{"corp": true, "corporation": true, "inc": true, "llc": true, "ltd": true, "co": true,
	"company": true, "group": true, "gmbh": true, "plc": true, "bank": true, "university": true, "labs": true,
	"hotel": true, "restaurant": true, "agency": true, "partners": true, "systems": true, "technologies": true}

// personName reports whether name slot s reads as a person's first and last name: two
// or three capitalised words, none in capitals only, not an organisation or a country.
func personName(s slot.Slot) bool {
	ws := strings.Fields(s.Value)
	if s.Kind != slot.Name || len(ws) < 2 || len(ws) > 3 {
		return false
	}
	for _, w := range ws {
		if w == strings.ToUpper(w) || !unicode.IsUpper([]rune(w)[0]) || orgWords[strings.ToLower(strings.Trim(w, "."))] {
			return false
		}
	}
	if _, _, ok := lexicon.Country(s.Value); ok {
		return false
	}
	return true
}

// personNameParts fills a tool's first-name and last-name parameters from the first
// name slot of clause c that reads as a person's name (personName): the first word is
// the first name, the rest the last name. A tool with a first name and no last name
// takes the first word only.
func personNameParts(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled, usedSlot []bool) {
	first, last := -1, -1
	for pi := range ti.params {
		switch nameParts(&ti.params[pi]) {
		case "first":
			first = pi
		case "last":
			last = pi
		}
	}
	if first < 0 || filled[first] || last >= 0 && filled[last] {
		return
	}
	for si, s := range c.slots {
		if usedSlot[si] || !personName(s) {
			continue
		}
		ws := strings.Fields(s.Value)
		args[ti.params[first].Name], src[ti.params[first].Name] = ws[0], argSrc{how: srcPart, slot: s}
		filled[first] = true
		if last >= 0 {
			rest := strings.Join(ws[1:], " ")
			args[ti.params[last].Name], src[ti.params[last].Name] = rest, argSrc{how: srcPart, slot: s}
			filled[last] = true
		}
		usedSlot[si] = true
		return
	}
}

// enumGlosses reads what a parameter's description says each of its enum values covers:
// the words after a value up to the next value, a ';' or the sentence's end ("travel
// covers taxis, trains, flights, mileage and parking"; "not_taken: e.g. a minibar item the
// guest did not take; duplicate: charged twice"). A gloss keeps the terms no other
// value's gloss has and that name neither a value, the parameter nor the tool (the
// dispute of a charge is no sign of "duplicate: charged twice").
func enumGlosses(toolName string, pr *paramInfo) []map[string]bool {
	if len(pr.Enum) < 2 || pr.Description == "" {
		return nil
	}
	desc := strings.ToLower(pr.Description)
	type at struct{ value, start, end int }
	var found []at
	starts := map[int]bool{}
	seen := map[string]bool{}
	for i, v := range pr.Enum {
		lv := strings.ToLower(v)
		if len(lv) < 2 || seen[lv] {
			continue // (a value listed twice is glossed once)
		}
		seen[lv] = true
		for _, form := range []string{lv, strings.ReplaceAll(lv, "_", " ")} {
			for off := 0; ; {
				k := strings.Index(desc[off:], form)
				if k < 0 {
					break
				}
				s, e := off+k, off+k+len(form)
				off = e
				if s > 0 && isWordByte(desc[s-1]) || e < len(desc) && (isWordByte(desc[e]) || desc[e] == '_') {
					continue
				}
				if !starts[s] {
					starts[s] = true
					found = append(found, at{i, s, e})
				}
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	// In order; a value written inside a longer one ("room" in "room_service") is not
	// written there.
	slices.SortFunc(found, func(a, b at) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	kept := found[:0]
	for _, f := range found {
		if len(kept) == 0 || f.start >= kept[len(kept)-1].end {
			kept = append(kept, f)
		}
	}
	found = kept
	skip := map[string]bool{}
	for _, w := range words(strings.Join(pr.Enum, " ") + " " + toolName + " " + pr.Name + " " + glossFillers) {
		skip[glossKey(strings.ToLower(w))] = true
	}
	glosses := make([]map[string]bool, len(pr.Enum))
	for k, f := range found {
		end := len(desc)
		if k+1 < len(found) {
			end = found[k+1].start
		}
		g := desc[f.end:end]
		if i := strings.IndexAny(g, ";\n("); i >= 0 {
			g = g[:i]
		}
		if i := sentenceEnd.FindStringIndex(g); i != nil {
			g = g[:i[0]]
		}
		for _, w := range words(g) {
			lw := strings.ToLower(w)
			if negations[lw] {
				// "'False' for attractions not suitable for children": a gloss that
				// negates is said only by a clause that negates.
				if glosses[f.value] == nil {
					glosses[f.value] = map[string]bool{}
				}
				glosses[f.value][negatedGloss] = true
				continue
			}
			t := glossKey(lw)
			if stopWords[lw] || skip[t] || len(t) < 3 || !isLetters(lw) {
				continue
			}
			if glosses[f.value] == nil {
				glosses[f.value] = map[string]bool{}
			}
			glosses[f.value][t] = true
		}
	}
	// A term of two values' glosses tells them apart from nothing.
	shared := map[string]int{}
	for _, g := range glosses {
		for t := range g {
			shared[t]++
		}
	}
	some := false
	for _, g := range glosses {
		for t := range g {
			if shared[t] > 1 && t != negatedGloss {
				delete(g, t)
			}
		}
		if len(g) == 1 && g[negatedGloss] {
			delete(g, negatedGloss)
		}
		some = some || len(g) > 0
	}
	if !some {
		return nil
	}
	return glosses
}

// glossFillers are the words a gloss says its values with, not what they cover.
const glossFillers = "cover covers include includes mean means refer refers denote value option example type kind one either like such set choose select default"

// negatedGloss marks a gloss that negates; negations are the words that do.
const negatedGloss = "!not"

var negations = wordSet("not no never without non nothing none didn't didnt don't dont doesn't doesnt wasn't wasnt isn't isnt haven't havent hasn't hasnt won't wont can't cant cannot")

// contractedNot is a negation written on its verb: "hasn't", "don’t".
var contractedNot = regexp.MustCompile(`(?i)[a-z]n['’]t\b`)

// valueWords returns the words of enum value v, lower case, split at underscores,
// hyphens and spaces ("closed_won": closed, won).
func valueWords(v string) []string {
	return strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == '_' || r == '-' || r == ' ' })
}

// eStem is the stem of w without a final e: "close" and "closed" are both "clos".
func eStem(w string) string {
	return strings.TrimSuffix(stem(w), "e")
}

// categoryParam reports whether enum parameter pr sorts things into kinds: category,
// type, kind, class.
func categoryParam(pr *paramInfo) bool {
	return pr.nameTerms["category"] || pr.nameTerms["type"] || pr.nameTerms["kind"] || pr.nameTerms["class"]
}

// kindsOf maps a common thing paid for to the words a category of it is named with.
var kindsOf = func() map[string][]string {
	m := map[string][]string{}
	for kinds, things := range map[string]string{
		"meals meal food dining":                      "lunch lunches dinner dinners breakfast breakfasts brunch coffee coffees meal meals snack snacks restaurant",
		"accommodation accommodations lodging hotel":  "hotel hotels hostel motel airbnb lodging inn",
		"travel transport transportation":             "taxi taxis cab cabs uber lyft train trains flight flights airfare bus mileage parking petrol toll tolls ferry rail",
		"supplies stationery":                         "stationery paper pens printer ink toner notebooks",
		"software subscription subscriptions licence": "licence license licences licenses subscription",
		"training education course courses":           "course courses workshop workshops seminar seminars certification",
	} {
		for _, t := range strings.Fields(things) {
			m[t] = append(m[t], strings.Fields(kinds)...)
		}
	}
	return m
}()

// glossKey is the form a gloss's word and a clause's word are compared in: stemmed,
// without a final s or e ("taxis" and "taxi", "charged" and "charge").
func glossKey(w string) string {
	return strings.TrimSuffix(strings.TrimSuffix(stem(w), "s"), "e")
}

// sentenceEnd is a full stop that ends a sentence (not the one of "e.g." or "i.e.").
var sentenceEnd = regexp.MustCompile(`[a-z]{2}\.\s+[a-z]`)

// glossedValue returns the value of enum parameter pr that clause c names, by its gloss
// in the description (enumGlosses: "my taxi receipt" is travel) or by every word of the
// value when it has two or more ("have the room cleaned" is room_cleaning; "turn on do
// not disturb" is do_not_disturb_on, not do_not_disturb_off; a word alone is too easily
// said for something else: "DevelopmentEnv" is no environment "development"). Exactly one value must be named so; of
// values named by all their words, the one that holds the others' words ("room" and
// "room_cleaning": room_cleaning).
func glossedValue(pr *paramInfo, text string, args map[string]any) (any, bool) {
	if pr.kind != pEnum || numericEnum(pr) {
		return nil, false
	}
	said := map[string]bool{}
	for _, w := range words(text) {
		lw := strings.ToLower(w)
		// ("close it as lost": the stem of "closed" is "clos", of "close" "close".)
		said[lw], said[stem(lw)], said[eStem(lw)] = true, true, true
	}
	keys := map[string]bool{}
	for w := range said {
		keys[glossKey(w)] = true
	}
	var whole []int
	for i, v := range pr.Enum {
		ws := valueWords(v)
		content := false
		all := len(ws) > 0
		for _, w := range ws {
			if !said[w] && !said[stem(w)] {
				all = false
				break
			}
			content = content || len(w) > 2 && !stopWords[w] && isLetters(w)
		}
		if all && content && len(ws) > 1 {
			whole = append(whole, i)
		}
	}
	pick := -1
	for _, i := range whole {
		holds := true
		for _, j := range whole {
			if j != i && !wordsWithin(pr.Enum[j], pr.Enum[i]) {
				holds = false
				break
			}
		}
		if holds {
			pick = i
			break
		}
	}
	if pick < 0 && len(whole) == 0 {
		// ("hasn't" is two words to words(): its "n't" is read from the text.)
		negated := contractedNot.MatchString(text)
		for w := range said {
			negated = negated || negations[w] || strings.HasSuffix(w, "n't")
		}
		for i, g := range pr.glosses {
			for t := range g {
				if t != negatedGloss && keys[t] {
					if g[negatedGloss] && !negated {
						// ("suitable for children" is not "not suitable for
						// children", nor a sign of any other value.)
						return nil, false
					}
					if pick >= 0 && pick != i {
						return nil, false
					}
					pick = i
				}
			}
		}
	}
	if len(whole) == 0 && categoryParam(pr) {
		// "expense $64.20 for lunch with the client": meals; "£120 for the hotel":
		// accommodation. A common thing bought is of the one category that names its
		// kind ("coffee and a taxi" names two, whatever a gloss says).
		kind := -1
		for w := range said {
			for _, k := range kindsOf[w] {
				for i, v := range pr.Enum {
					if !slices.Contains(valueWords(v), k) {
						continue
					}
					if kind >= 0 && kind != i {
						return nil, false
					}
					kind = i
				}
			}
		}
		if kind >= 0 && pick >= 0 && kind != pick {
			return nil, false
		}
		if kind >= 0 {
			pick = kind
		}
	}
	if pick < 0 && len(whole) == 0 && reasonParam(pr) {
		// "refund $18.50 on #1175, one of the mugs arrived chipped": damaged_in_transit.
		pick, _ = reasonValue(pr, text)
	}
	if pick < 0 || argsHold(args, pr.Enum[pick]) {
		// (A value another argument took is said for that one: "translate this to
		// Spanish" names the target language, not the source.)
		return nil, false
	}
	if pick < len(pr.enumRaw) {
		return pr.enumRaw[pick], true
	}
	return pr.Enum[pick], true
}

// distinctValue returns the value of required enum parameter pr that a word of clause
// text names alone, when its other words are not said:
//   - a word no other value has, of a value written as one code, when no other tool of
//     the catalogue has the word (others) either: "mark DL-7811 as won" is closed_won,
//     "add a hotspot boost" hotspot_boost_15gb; "credit" is no sign of visa_credit where
//     other tools handle credit, unless it comes right before the parameter's own noun
//     ("lock my credit card" for a card parameter);
//   - the clause's opening verb, of a value that is its participle ("suspend my line" is
//     suspended), or the value's plural ("schedule runs" is run).
//
// Every other word of the value is said too, or shared with other values, or a measure
// ("15gb"): "it looks wrong to me" is no wrong_amount. The word is a lower-case content
// word (a name such as "DevelopmentEnv" or "Comfort" is no value's word) that names
// neither the parameter nor a value another argument took, and the clause names no
// other value so. A value of one word is said only so: "train" is no sign of training,
// nor "cloth" of clothing.
func distinctValue(pr *paramInfo, text string, args map[string]any, others func(string) bool) (any, bool) {
	if pr.kind != pEnum || numericEnum(pr) {
		return nil, false
	}
	said := map[string]bool{}
	// beforeName holds the words said right before the parameter's own noun: "credit"
	// of "lock my credit card" for a card parameter. Such a word says which card, even
	// where another tool handles credit.
	beforeName := map[string]bool{}
	opening := ""
	ws := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	for k, w := range ws {
		lw := strings.ToLower(w)
		if k == 0 || opening == "" && k == 1 {
			if !leadAdverbs[lw] {
				opening = eStem(lw)
			}
		} else if lw != w {
			continue
		}
		said[lw], said[eStem(lw)] = true, true
		if k+1 < len(ws) {
			if ts := terms(strings.ToLower(ws[k+1])); len(ts) == 1 && pr.nameTerms[ts[0]] && len(pr.nameTerms) == 1 {
				beforeName[lw] = true
			}
		}
	}
	count := map[string]int{}
	for _, v := range pr.Enum {
		for _, w := range slices.Compact(slices.Sorted(slices.Values(valueWords(v)))) {
			count[w]++
		}
	}
	saidWord := func(w string) bool { return said[w] || said[eStem(w)] }
	pick := -1
	for i, v := range pr.Enum {
		ws := valueWords(v)
		if strings.Contains(v, " ") || len(ws) > 1 && slices.ContainsFunc(ws, func(w string) bool {
			// ("it looks wrong to me" is no wrong_amount: the amount is not said.)
			return count[w] == 1 && !saidWord(w) && !strings.ContainsAny(w, "0123456789")
		}) {
			continue
		}
		for _, w := range ws {
			if len(ws) == 1 {
				if !(strings.HasSuffix(w, "ed") && eStem(w) == opening) && !said[w+"s"] {
					continue
				}
			} else if others(w) && !beforeName[w] || count[w] > 1 || len(w) < 3 || stopWords[w] || polarWords[w] || pr.nameTerms[w] || pr.nameTerms[stem(w)] || !saidWord(w) {
				continue
			}
			if pick >= 0 && pick != i {
				return nil, false
			}
			pick = i
		}
	}
	if pick < 0 || argsHold(args, pr.Enum[pick]) {
		return nil, false
	}
	if pick < len(pr.enumRaw) {
		return pr.enumRaw[pick], true
	}
	return pr.Enum[pick], true
}

// impliedValue returns the value of required enum parameter pr that what clause c
// states implies, when the enum holds it and the clause implies no other:
//   - a percentage is the value named for percentages ("15% off": percentage), an
//     amount of money the one named for a fixed amount;
//   - a time of day is am or pm ("mornings are better": am, "thursday afternoon": pm);
//   - a period is its adjective ("for the year": annual, "per month": monthly).
func impliedValue(pr *paramInfo, c clause) (any, bool) {
	if pr.kind != pEnum || numericEnum(pr) {
		return nil, false
	}
	has := func(k slot.Kind) bool { return hasKind(c.slots, k) }
	said := map[string]bool{}
	for _, w := range words(asciiLower(c.text)) {
		said[w] = true
	}
	var wants [][]string // each: the values one implication names, in order of preference
	switch {
	case has(slot.Percent) && !has(slot.Money):
		wants = append(wants, []string{"percentage", "percent", "pct"})
	case has(slot.Money) && !has(slot.Percent):
		wants = append(wants, []string{"fixed_amount", "fixed", "amount"})
	}
	morning := said["morning"] || said["mornings"]
	later := said["afternoon"] || said["afternoons"] || said["evening"] || said["evenings"]
	if morning != later {
		if morning {
			wants = append(wants, []string{"am"})
		} else {
			wants = append(wants, []string{"pm"})
		}
	}
	for noun, adjs := range periodAdjectives {
		if said[noun] || said[noun+"s"] {
			wants = append(wants, adjs)
		}
	}
	var found []any
	for _, want := range wants {
		for _, v := range want {
			if e, ok := enumAt(pr, v, func(s string) string { return strings.ToLower(s) }); ok {
				found = append(found, e)
				break
			}
		}
	}
	if len(found) != 1 {
		return nil, false
	}
	return found[0], true
}

// flagGloss returns the value of required boolean parameter pr whose gloss in its
// description clause text says: "false = sold out, true = back on" (or "true to waive
// ..."): "mark the tiramisu sold out" is false, "put the lamb back on the menu" true.
// One side's content words must be said and none of the other's.
func flagGloss(pr *paramInfo, text string) (bool, bool) {
	if pr.kind != pBool || pr.Description == "" {
		return false, false
	}
	glosses := map[bool][]string{}
	for _, m := range flagGlossRe.FindAllStringSubmatch(strings.ToLower(pr.Description), -1) {
		v := m[1] == "true"
		for _, w := range words(m[2]) {
			if k := glossKey(w); len(k) > 1 && !stopWords[w] && !negations[w] {
				glosses[v] = append(glosses[v], k)
			}
		}
	}
	if len(glosses[true]) == 0 || len(glosses[false]) == 0 {
		return false, false
	}
	said := map[string]bool{}
	for _, w := range words(strings.ToLower(text)) {
		said[glossKey(w)] = true
	}
	says := func(v bool) bool { return slices.ContainsFunc(glosses[v], func(k string) bool { return said[k] }) }
	if t, f := says(true), says(false); t != f {
		return t, true
	}
	return false, false
}

// flagGlossRe reads "true = back on", "false: sold out", "true to waive the fee".
var flagGlossRe = regexp.MustCompile(`\b(true|false)\s*(?:=|:|-|to|if|when)\s*([^,;.()]+)`)

// periodAdjectives are the enum values that name a period by its noun.
var periodAdjectives = map[string][]string{
	"year": {"annual", "yearly", "annually"}, "month": {"monthly"}, "week": {"weekly"},
	"quarter": {"quarterly"}, "day": {"daily"},
}

// leadAdverbs may come before a clause's verb: "temporarily suspend my line".
var leadAdverbs = wordSet("please pls kindly just now then also temporarily immediately")

// polarWords turn something on or off; they tell no value of an enum apart.
var polarWords = wordSet("off not non yes none all any enable enabled disable disabled")

// wordsWithin reports whether every word of enum value a is a word of b ("room" of
// "room_cleaning").
func wordsWithin(a, b string) bool {
	bw := valueWords(b)
	for _, w := range valueWords(a) {
		if !slices.Contains(bw, w) {
			return false
		}
	}
	return true
}
