package pattern

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/planwise/planwise/internal/lexicon"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// An argument is served only when its value is grounded: it came from the request and it
// is plausible for the parameter it fills. The builder proposes values by type and cues;
// judge checks each one against what the parameter is for, because a value that passes
// the JSON Schema can still be nonsense: a phone number as a template, "10" as a
// location, a probability question as a cuisine, the whole instruction as an e-mail body.
//
// An implausible optional argument is dropped (the tool does without it); an implausible
// required one fails the tool for the clause, which then takes the next candidate or is
// refused.

// judge checks the arguments of a step for tool ti planned for clause c. It returns the
// arguments to keep, or why the step cannot be served.
func (b *builder) judge(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) (map[string]any, string) {
	kept := make(map[string]any, len(args))
	for i := range ti.params {
		pr := &ti.params[i]
		v, ok := args[pr.Name]
		if !ok {
			continue
		}
		why := b.implausible(ti, pr, v, src[pr.Name], args, src)
		if how := src[pr.Name].how; why == "" && how != srcRef && how != srcPhrase && !admits(pr, v) {
			// A value read for the parameter ("e.g. VS-2231" for a slot id took PET-104)
			// outside its pattern or bounds is none of its values. (A phrase is left to
			// the validator: the tool it was guessed for may not be the clause's
			// reading at all, and it must not leave the field to a weaker one.)
			why = fmt.Sprintf("%v is no %s of %s (%s)%s", v, pr.Name, ti.tool.Name, bounds(pr), outsideMark)
		}
		if str, ok := v.(string); ok && why == "" && pr.whole && onlyWhom(str, pr.Name, args) {
			// "message Theo Barker's mum" -> {student: Theo Barker, message: "Theo
			// Barker's mum"}: the words say who it is for, and nothing to say.
			why = fmt.Sprintf("%q says who it is for, not what it says", str)
		}
		if str, ok := v.(string); ok && why == "" {
			if cp, ok := b.p.codeOfOther(ti, str); ok {
				why = fmt.Sprintf("%q is a value of %s.%s", str, cp.tool.tool.Name, cp.param.Name)
			}
		}
		if why != "" {
			if pr.Required {
				return nil, fmt.Sprintf("%s needs %q, and %s", ti.tool.Name, pr.Name, why)
			}
			continue
		}
		kept[pr.Name] = v
	}
	// Arguments the schema names outside the parameters the planner knows (none today)
	// are kept as they were.
	for k, v := range args {
		if _, ok := kept[k]; !ok && paramIndex(ti, k) < 0 {
			kept[k] = v
		}
	}
	return kept, ""
}

// onlyWhom reports whether text v, the value of a message parameter named name, is
// another argument's value in the possessive and at most two words more: "Theo Barker's
// mum" beside the student Theo Barker.
func onlyWhom(v, name string, args map[string]any) bool {
	for k, a := range args {
		w, ok := a.(string)
		if k == name || !ok || len(w) < 3 || !strings.Contains(v, w+"'s") && !strings.Contains(v, w+"’s") {
			continue
		}
		rest := strings.TrimLeft(strings.Replace(v, w, "", 1), "'’s")
		if n := len(strings.Fields(rest)); n <= 2 && n < len(strings.Fields(v)) {
			return true
		}
	}
	return false
}

func paramIndex(ti *toolInfo, name string) int {
	for i := range ti.params {
		if ti.params[i].Name == name {
			return i
		}
	}
	return -1
}

// identifierBeyond reports whether ph is an identifier (identifierPattern) with a part
// that is none of its terms ts: "search-api" is a service's name, though "search" names
// the tool it is given to.
func identifierBeyond(ph string, ts []string) bool {
	if !identifierPattern.MatchString(ph) {
		return false
	}
	return len(strings.FieldsFunc(ph, func(r rune) bool { return r == '-' || r == '_' })) > len(ts)
}

// measureWritten reports whether ph is a number with its unit ("50 GB", "512Mi") or a
// unit the request writes right after a number ("GB" of "50 GB").
func measureWritten(request, ph string) bool {
	ph = strings.TrimSpace(ph)
	if ph == "" {
		return false
	}
	if f := strings.Fields(ph); len(f) <= 2 && ph[0] >= '0' && ph[0] <= '9' {
		k := strings.IndexFunc(ph, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == ',') })
		return k > 0 && unitAfter(ph, k) != 0 && withUnit(ph, k) == len(ph)
	}
	if strings.ContainsAny(ph, " 0123456789") {
		return false
	}
	for i := 0; i < len(request); {
		k := strings.Index(request[i:], ph)
		if k < 0 {
			return false
		}
		at := i + k
		j := at
		for j > 0 && request[j-1] == ' ' {
			j--
		}
		if j > 0 && request[j-1] >= '0' && request[j-1] <= '9' && unitAfter(request, j) != 0 && withUnit(request, j) >= at+len(ph) {
			return true
		}
		i = at + len(ph)
	}
	return false
}

// emailShape is an e-mail address written alone.
var emailShape = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$`)

// colorWords name colours and their shades.
var colorWords = wordSet(`red orange yellow green blue purple violet pink white black brown grey gray cyan magenta
	teal turquoise amber gold silver indigo lavender lilac beige navy maroon crimson warm cool daylight light dark pale deep`)

// implausible returns why value v cannot fill parameter pr, or "".
func (b *builder) implausible(ti *toolInfo, pr *paramInfo, v any, s argSrc, args map[string]any, src map[string]argSrc) string {
	if str, ok := v.(string); ok && s.how != srcDefault && s.how != srcRef && masked.MatchString(str) && !strings.Contains(strings.ToLower(b.request), "xxx") {
		// A slot's text masked out ("xxxxxxxxx yoga") must never reach a value.
		return fmt.Sprintf("%q holds a masked value", str)
	}
	if s.how != srcDefault && s.how != srcRef {
		for _, o := range ti.params {
			str, ok := v.(string)
			if !ok {
				break
			}
			str = strings.TrimSpace(str)
			if strings.EqualFold(str, o.Name) {
				// "dest": "dest" read from a function listing pasted into the
				// request: the name of a parameter is no value of one.
				return fmt.Sprintf("%q is the name of a parameter, not its value", str)
			}
			if d := strings.TrimRight(strings.TrimSpace(o.Description), "."); len(strings.Fields(str)) >= 3 && strings.EqualFold(strings.TrimRight(str, "."), d) {
				// "path to the directory to be listed": its description, pasted in.
				return fmt.Sprintf("%q is the description of a parameter, not its value", str)
			}
		}
		if str, ok := v.(string); ok && pr.kind == pString && handleParam(pr) && pr.re == nil && strings.ContainsAny(strings.TrimSpace(str), " \t") {
			// "put an out of office on amiller's mailbox ..., msg \"on leave, contact
			// ops@corp.com\"": a login is one word; the message is no username.
			return fmt.Sprintf("%q is not a %s: a %s is one word", shorten(str), paramWhat(pr), paramWhat(pr))
		}
		if str, ok := v.(string); ok && pr.kind == pString && pr.nameTerms["name"] && emailShape.MatchString(strings.TrimSpace(str)) {
			// "update emergency contact ... to father Ben Diaz, ben.diaz@gmail.com": an
			// address is no contact's name.
			return fmt.Sprintf("%q is an e-mail address, not a %s", str, paramWhat(pr))
		}
		if str, ok := v.(string); ok && addressParam(pr) && !strings.Contains(str, "@") {
			// "send a message to Bob Smith" for "the email address of the recipient":
			// a name is no address.
			return fmt.Sprintf("%q is not an e-mail address", str)
		}
	}
	switch s.how {
	case srcRef, srcDefault, srcTemplate, srcExample, srcSpan, srcPeriod, srcPart, "":
		return ""
	case srcSlot, srcRequest:
		if why := slotFits(pr, s.slot, b.request); why != "" {
			return why
		}
		if why := b.p.idOfOther(ti, pr, s.slot, b.request); why != "" {
			return why
		}
		if itemList(pr) && s.slot.Kind == slot.Name && placePrepositions[strings.ToLower(prevWord(clause{text: b.request}, s.slot))] {
			// "a table for 2 at 10 Downing Street": a place, not a thing to order.
			return fmt.Sprintf("%q is a place, not one of the %s", s.slot.Text, pr.Name)
		}
		if s.slot.Kind == slot.Name && !isUnitParam(pr) && measureWritten(b.request, s.slot.Text) {
			// "14 pods at 512Mi each, whats that in total (Mi)?": a unit, not a service.
			return fmt.Sprintf("%q is a unit, not a %s", s.slot.Text, paramWhat(pr))
		}
		if s.slot.Kind == slot.Name && labelName(s.slot.Text, b.request[s.slot.End:]) {
			// "Web ID is 1234": a label that a value follows, not a value.
			return fmt.Sprintf("%q names a value that follows it, not a %s", s.slot.Text, paramWhat(pr))
		}
		if k := s.slot.Kind; k == slot.Name || k == slot.Quoted {
			// "with Family genre": the word after a name says what it is; unless a value
			// follows it ("'Orion' version 2.1.3": the version is 2.1.3).
			if other := namesOtherParam(ti, pr, s.slot.Text+" "+wordAfter(b.request, s.slot.End)); other != "" && !b.valueAfterWord(s.slot.End) {
				return fmt.Sprintf("%q is a %s, not a %s", s.slot.Text, other, paramWhat(pr))
			}
		}
	case srcNamed, srcPlace, srcPhrase:
		if items, ok := v.([]any); ok {
			// The items of a list read from the clause, each a phrase of its own.
			for _, it := range items {
				str, _ := it.(string)
				if why := b.phraseFits(ti, pr, str, s.how, args, src); why != "" {
					return why
				}
			}
			break
		}
		str, _ := v.(string)
		if why := b.phraseFits(ti, pr, str, s.how, args, src); why != "" {
			return why
		}
	}
	if str, ok := v.(string); ok {
		if why := shapeFits(pr, str); why != "" {
			return why
		}
		if s.how != srcRef && s.how != srcDefault {
			if other := namesOtherParam(ti, pr, str); other != "" {
				return fmt.Sprintf("%q names the %s, not the %s", str, other, paramWhat(pr))
			}
		}
	}
	return ""
}

// valueAfterWord reports whether a typed value of the request starts right after the
// word that follows byte offset i ("'Orion' version 2.1.3").
func (b *builder) valueAfterWord(i int) bool {
	j := i
	for j < len(b.request) && (b.request[j] == ' ' || b.request[j] == '-') {
		j++ // (the word wordAfter reads: "Tom Reed - role: Backend Engineer")
	}
	for j < len(b.request) && b.request[j] != ' ' {
		j++
	}
	for j < len(b.request) && b.request[j] == ' ' {
		j++
	}
	if j < len(b.request) && (isDigitByte(b.request[j]) || b.request[j] == '\'' || b.request[j] == '"') {
		return true // a number, a version, a quoted value
	}
	for _, s := range b.all {
		if s.Start == j {
			return true // ("Tom Reed role Backend Engineer": the role is the name after it)
		}
	}
	return false
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// namesOtherParam returns the name of another parameter of ti that value v ends with
// ("Family Genre" for cast, when the tool has a genre), or "": the value is that
// parameter's. Place words are left out ("Mexico City" is a place, whatever the city
// parameter).
func namesOtherParam(ti *toolInfo, pr *paramInfo, v string) string {
	ws := strings.Fields(strings.ToLower(v))
	if len(ws) < 2 {
		return ""
	}
	last := strings.Trim(ws[len(ws)-1], ".,;:!?'\"")
	if stopWords[last] || prepositions[last] || placeTerms[last] || pr.nameTerms[last] || pr.terms[last] {
		return ""
	}
	for i := range ti.params {
		o := &ti.params[i]
		if o != pr && o.norm == last {
			return o.Name
		}
	}
	return ""
}

// Words that say a parameter takes a value of a typed kind, in its name or description.
var (
	phoneTerms = termSet("phone mobile cell telephone tel sms whatsapp")
	// personTerms let a parameter take a person by name: "recipient name or number".
	personTerms = termSet("name nickname contact person who")
	// numberWordTerms say a parameter takes a number.
	numberWordTerms = termSet("number")
	emailTerms      = termSet("email mail address recipient sender cc bcc contact")
	mailWords       = termSet("email mail e-mail")
	urlTerms        = termSet("url uri link website site web page endpoint address domain host href source image video file")
	dateTerms       = termSet("date day time when start end deadline birthday schedule due departure arrival checkin checkout period from until since before after year month week")
	moneyTerms      = termSet("amount price cost budget value sum fee salary payment balance total money fare limit")
	fileTerms       = termSet("file path filename name document attachment image photo picture video audio folder directory source target destination input output")
)

// termSet is the set of the words of ws and their stems, as written: not mapped through
// the synonyms ("text" is not "sms" here).
func termSet(ws string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(ws) {
		m[w] = true
		m[stem(w)] = true
	}
	return m
}

// mentions reports whether a parameter's name or description holds one of the words of
// set (or their stems).
func mentions(pr *paramInfo, set map[string]bool) bool {
	for _, w := range words(pr.Name + " " + pr.Description) {
		lw := strings.ToLower(w)
		if set[lw] || set[stem(lw)] {
			return true
		}
	}
	return false
}

// slotFits says why slot s cannot fill pr, or "": a typed value fills only a parameter
// for that type of value (a phone number is not a template, a date not a topic), an enum
// value of another parameter fills nothing else, and a number fills a text parameter only
// when the parameter is for a number or a code, and a count only of what it counts.
// addressList reports whether list parameter pr takes e-mail addresses: cc, bcc, or a
// description that says so.
func addressList(pr *paramInfo) bool {
	d := strings.ToLower(pr.Description)
	if pr.norm == "cc" || pr.norm == "bcc" {
		return true
	}
	if !strings.Contains(d, "email address") && !strings.Contains(d, "e-mail address") {
		return false
	}
	// "Lead or contact ids or email addresses", "ids, email addresses or full names":
	// an address is one of the forms an item may take.
	for _, w := range strings.FieldsFunc(d, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if w == "id" || w == "ids" || w == "identifier" || w == "identifiers" || w == "name" || w == "names" {
			return false
		}
	}
	return true
}

// folderParam reports whether pr takes a folder or a directory, and not a file.
func folderParam(pr *paramInfo) bool {
	if pr.nameTerms["file"] || pr.nameTerms["path"] {
		return false
	}
	return pr.nameTerms["folder"] || pr.nameTerms["directory"] || pr.nameTerms["dir"]
}

// jsonKeyBefore returns the key of the JSON member whose value starts at i of request
// (`"description": "..."`), or "".
func jsonKeyBefore(request string, i int) string {
	before := strings.TrimRight(request[:min(i, len(request))], " ")
	if !strings.HasSuffix(before, ":") {
		return ""
	}
	before = strings.TrimRight(before[:len(before)-1], " ")
	if !strings.HasSuffix(before, `"`) {
		return ""
	}
	before = before[:len(before)-1]
	k := strings.LastIndexByte(before, '"')
	if k < 0 {
		return ""
	}
	return strings.ToLower(before[k+1:])
}

// inFunctionListing reports whether byte offset i of request lies inside a JSON array
// or object that lists functions or parameters (`[{"name": ..., "description": ...}]`),
// pasted into the request: its values describe tools, they are not the user's.
func inFunctionListing(request string, i int) bool {
	open := -1
	depth := 0
	for k := min(i, len(request)) - 1; k >= 0; k-- {
		switch request[k] {
		case '}', ']':
			depth++
		case '{', '[':
			if depth == 0 {
				open = k
			} else {
				depth--
			}
		}
	}
	if open < 0 {
		return false
	}
	span := strings.ToLower(request[open:])
	return strings.Contains(span, `"description":`) && (strings.Contains(span, `"name":`) || strings.Contains(span, `"parameters":`))
}

// schemaKeys are the keys of a function listing's members that describe, not give,
// values.
var schemaKeys = map[string]bool{"description": true, "name": true, "api_name": true, "type": true, "title": true, "enum": true}

// masked matches the mask maskSlots writes over a slot, as a word of its own.
var masked = regexp.MustCompile(`(^|[^A-Za-z])xxx+([^A-Za-z]|$)`)

// addressParam reports whether string parameter pr takes an e-mail address and nothing
// else: its kind, or a description that says "e-mail address" and no phone number.
func addressParam(pr *paramInfo) bool {
	if pr.kind == pEmail {
		return true
	}
	d := strings.ToLower(pr.Description)
	return pr.kind == pString && (strings.Contains(d, "email address") || strings.Contains(d, "e-mail address")) &&
		!strings.Contains(d, "phone") && !strings.Contains(d, "name")
}

func slotFits(pr *paramInfo, s slot.Slot, request string) string {
	typed := func(kind pkind, set map[string]bool, what string) string {
		if pr.kind == kind || mentions(pr, set) {
			return ""
		}
		return fmt.Sprintf("%s %q is not a %s", what, s.Text, paramWhat(pr))
	}
	if pr.kind == pArray && addressList(pr) && s.Kind != slot.Email {
		// "An array of email addresses to be included as CC": a quoted word is none.
		return fmt.Sprintf("%q is not an e-mail address", s.Text)
	}
	if ex, ok := prefixedCodes(pr); ok && strings.Trim(s.Value, "#0123456789") == "" {
		// "email the customer on #10482": an order number, not an invoice id "e.g.
		// INV-20418".
		return fmt.Sprintf("%q is not a %s like %s", s.Text, paramWhat(pr), ex)
	}
	if pr.measure != "" && pr.kind == pString && !strings.ContainsAny(s.Text, "0123456789") {
		// "order Hill's Science Diet Adult" gave bag_size, "e.g. 12 kg, 3.5 lb", the
		// words after the brand: a size is measured.
		return fmt.Sprintf("%q is not a %s like %s", s.Text, paramWhat(pr), pr.measure)
	}
	if id, ok := standardID(pr); ok {
		if !id.fits(s.Value) {
			// "how much do i owe in taxes for Q4" over a trade-in quote by ISBN: Q4
			// is no ISBN, whatever else the clause shares with the tool.
			return fmt.Sprintf("%q is not an %s", s.Text, id.name)
		}
		return "" // (an ISBN written as a number is one)
	}
	switch s.Kind {
	case slot.Phone:
		if pr.kind == pEmail || mentions(pr, mailWords) && !mentions(pr, phoneTerms) {
			return fmt.Sprintf("the phone number %q is not an e-mail address", s.Text)
		}
		if !strings.HasPrefix(s.Value, "+") && needsCountryCode.MatchString(pr.Description) {
			// "WhatsApp number with country code": "07700 900 311" does not say which
			// country's.
			return fmt.Sprintf("the phone number %q has no country code, which %s needs", s.Text, pr.Name)
		}
		return typed(pPhone, phoneTerms, "the phone number")
	case slot.Email:
		if pr.kind == pPhone || mentions(pr, phoneTerms) && !mentions(pr, mailWords) {
			// "Recipient phone number": a recipient, but not one an address reaches.
			return fmt.Sprintf("the e-mail address %q is not a phone number", s.Text)
		}
		return typed(pEmail, emailTerms, "the e-mail address")
	case slot.URL:
		if pr.kind == pFile {
			return ""
		}
		return typed(pURL, urlTerms, "the URL")
	case slot.Date, slot.Time:
		if pr.kind == pDate || pr.kind == pTime || pr.kind == pInstant || pr.kind == pEnum {
			return ""
		}
		if pr.nameTerms["format"] || pr.nameTerms["layout"] {
			// "show me today's date" gave date.current_date the format "2026-12-06":
			// a date is written in a format, it is none.
			return fmt.Sprintf("%s is a date or a time, not a %s", s.Text, paramWhat(pr))
		}
		return typed(pDate, dateTerms, "the date or time")
	case slot.Money:
		if pr.kind == pInteger || pr.kind == pNumber {
			return ""
		}
		return typed(pMoney, moneyTerms, "the amount")
	case slot.File:
		if folderParam(pr) && path.Ext(s.Text) != "" && !strings.HasSuffix(s.Text, "/") {
			// "save them to spending.txt" names a file, not a notes folder.
			return fmt.Sprintf("%q is a file, not a %s", s.Text, paramWhat(pr))
		}
		if want, got := paramMedia(pr), fileMedia(s.Text); want != "" && got != "" && want != got {
			// "example.text" is no image to colorize.
			return fmt.Sprintf("%q is a %s file, not the %s %s takes", s.Text, got, want, pr.Name)
		}
		return typed(pFile, fileTerms, "the file name")
	case slot.Enum:
		if pr.kind == pEnum {
			return ""
		}
		if _, ok := enumMatch(pr, s.Value); ok {
			return ""
		}
		if isDigits(strings.ReplaceAll(wordBefore(request, s.Start), ".", "")) && unitAfter(request, s.Start) != 0 && !isUnitParam(pr) {
			// "order 10 kg onions": a unit after a number measures it; it is no value
			// of its own (items: ["kg"]).
			return fmt.Sprintf("%q is the unit of the number before it, not a %s", s.Text, paramWhat(pr))
		}
		for _, e := range pr.examples {
			if strings.EqualFold(e, s.Value) || strings.EqualFold(e, s.Text) {
				return ""
			}
		}
		if containsWordFold(examplesOf(pr.Description), s.Text) || pr.kind == pString && !pr.entity && quotedIn(pr.Description, s.Text) {
			return ""
		}
		return fmt.Sprintf("%q is a value of another parameter, not a %s", s.Text, paramWhat(pr))
	case slot.Number:
		return numberFits(pr, s, request)
	case slot.Percent:
		// "at 40% brightness" is no room: a share goes to a number or a parameter that
		// speaks of a share.
		if pr.kind == pString && !pr.numeric && !mentions(pr, percentTerms) {
			return fmt.Sprintf("the share %s is not a %s", s.Text, paramWhat(pr))
		}
	case slot.Quoted:
		if rest := strings.TrimLeft(request[min(s.End, len(request)):], " "); strings.HasPrefix(rest, ":") && strings.ContainsAny(request, "{[") {
			// {"crm_id": ...}: a quoted key of a JSON object pasted into the request.
			return fmt.Sprintf("%q is a key, not a value", s.Text)
		}
		if schemaKeys[jsonKeyBefore(request, s.Start)] || inFunctionListing(request, s.Start) {
			// "description": "path to the directory to be listed" in a function
			// listing pasted into the request describes a parameter; it is no value.
			return fmt.Sprintf("%q is part of a function listing, not a value", s.Text)
		}
		if want, got := paramMedia(pr), fileMedia(s.Value); want != "" && got != "" && want != got && !strings.Contains(s.Value, " ") {
			return fmt.Sprintf("%q is a %s file, not the %s %s takes", s.Text, got, want, pr.Name)
		}
		// "2 tickets for 'After The Wedding'": a quoted title is not a city. A quoted
		// value fills a place only when a place's preposition introduces it ("from
		// '2150 Shattuck Ave'").
		if (pr.roles&rolePlace != 0 || mentions(pr, placeTerms)) && pr.roles&rolePerson == 0 {
			if w := wordBefore(request, s.Start); w != "" && (!placeCues[w] || w == "for" || w == "of") && !routeCues[w] {
				return fmt.Sprintf("%q is not said to be a place", s.Text)
			}
		}
	case slot.Name:
		if pr.numbered != "" && pr.kind == pString && !strings.ContainsAny(s.Value, "0123456789") {
			// "ship order #10490 with Canada Post" over a label's tracking number "e.g.
			// 1Z999AA10123456784": a carrier's name is no code of that form.
			return fmt.Sprintf("%q is not a %s like %s", s.Text, paramWhat(pr), pr.numbered)
		}
		// "call Dave" for "Phone number to call": a person's name is no number; a
		// contact lookup would find one. (Not when the parameter takes a name too:
		// "recipient name or phone number".)
		if (pr.kind == pPhone || mentions(pr, phoneTerms) && mentions(pr, numberWordTerms)) && !mentions(pr, personTerms) && strings.Trim(s.Value, "+-0123456789 ()") != "" {
			return fmt.Sprintf("%q is a name, not a phone number", s.Text)
		}
		if titleParam(pr) && s.Start >= 2 {
			// "watch a Cartoon movie", "a Disney film": a name after "a" is a kind of
			// work, not its title.
			if ws := strings.Fields(asciiLower(request[:s.Start])); len(ws) > 0 && (ws[len(ws)-1] == "a" || ws[len(ws)-1] == "an") {
				return fmt.Sprintf("%q after %q is a kind, not a %s", s.Text, ws[len(ws)-1], paramWhat(pr))
			}
		}
		if pr.whole && !mentions(pr, instructionTerms) {
			// A message is not a bare name ("send $50 to my friend Jamie": Jamie is
			// the recipient, not the message).
			return fmt.Sprintf("%q is a name, not a %s", s.Text, paramWhat(pr))
		}
		// A parameter for an ISO code takes a code or a country (filled as its code);
		// "COVID-19" is neither.
		if isoCodeParam(pr) {
			if _, ok := lexicon.CountryCode(s.Text); !ok && !isoCodeShape.MatchString(s.Text) {
				return fmt.Sprintf("%q is not a code like the %s takes", s.Text, paramWhat(pr))
			}
			return ""
		}
		if why := countryForCity(pr, s.Text); why != "" {
			return why
		}
		// A nationality written as its examples are ("Traveller's nationality, e.g.
		// Indian") is a people's adjective: "a Canadian visiting India" is Canadian, and
		// India is where they go.
		if _, adj, ok := lexicon.Country(s.Text); ok && !adj && nationalityParam(pr) {
			return fmt.Sprintf("%q is a country, not a nationality like the %s takes", s.Text, paramWhat(pr))
		}
		// A country is named as one wherever it stands: "a USA passport", "an Italian
		// visa" (the adjective names the country).
		if _, _, ok := lexicon.Country(s.Text); ok && mentions(pr, countryTerms) {
			return ""
		}
		if _, adj, ok := lexicon.Country(s.Text); ok && !pr.free && !pr.whole && pr.roles&(rolePlace|roleFrom|roleTo|rolePerson) == 0 &&
			!mentions(pr, placeTerms) && !(adj && mentions(pr, languageTerms)) && !pr.entity && len(pr.examples) == 0 {
			// "near Sydney, Australia" names no review fields nor a language: a
			// country fills a parameter that takes a place or a country, free text, or
			// (as an adjective: "French") a language.
			return fmt.Sprintf("%q is a country, not a %s", s.Text, paramWhat(pr))
		}
		if pr.roles&rolePlace != 0 && len([]rune(strings.TrimSpace(s.Text))) <= 2 && !cityAbbreviations[strings.TrimSpace(s.Text)] {
			return fmt.Sprintf("%q is too short to name a place", s.Text)
		}
		if f := strings.Fields(s.Text); len(f) > 1 && pr.roles&(rolePlace|roleFrom|roleTo) != 0 && baseVerbs[strings.ToLower(f[0])] {
			// "Hi, Find Theater events": a verb opening a capitalised run names no place.
			return fmt.Sprintf("%q is an instruction, not a %s", s.Text, paramWhat(pr))
		}
		if techAcronyms[strings.ToLower(s.Text)] {
			return fmt.Sprintf("%q names a technology, not a %s", s.Text, paramWhat(pr))
		}
		if (pr.norm == "country" || pr.nameTerms["country"]) && !mentions(pr, cityTerms) {
			// "the population of Tokyo" over country_population: a city is no country.
			if _, _, ok := lexicon.Country(s.Text); !ok {
				return fmt.Sprintf("%q is not a country", s.Text)
			}
		}
		if pr.nameTerms["lang"] || pr.nameTerms["language"] || pr.nameTerms["locale"] {
			// "weather conditions for Miami" names no language: a language parameter
			// takes a language ("French") or a code ("fr").
			if _, ok := lexicon.LanguageCode(s.Text); !ok && !isoCodeShape.MatchString(s.Text) {
				if _, adj, ok := lexicon.Country(s.Text); !ok || !adj {
					return fmt.Sprintf("%q is not a language", s.Text)
				}
			}
		}
		if unitNames[strings.ToLower(s.Text)] && !isUnitParam(pr) && !mentions(pr, unitTerms) && !slices.ContainsFunc(pr.examples, func(e string) bool { return strings.EqualFold(e, s.Text) }) {
			// "70 degrees Fahrenheit" names a unit, no thermostat zone.
			return fmt.Sprintf("%q is a unit, not a %s", s.Text, paramWhat(pr))
		}
		if ex := examplesOf(pr.Description); ex != "" && codeLike(s.Text) && !strings.ContainsAny(ex, "0123456789") && !pr.idLike && !pr.free {
			// "Refill prescription RX778812 and RX778813": a code is no pharmacy
			// "e.g. CVS Main St".
			return fmt.Sprintf("%q is a code, not a %s like%s", s.Text, paramWhat(pr), strings.TrimRight(ex, "."))
		}
		if zoneAbbrevs[s.Text] && !mentions(pr, zoneTerms) {
			// "at 4pm EST": a time zone, no identifier or name.
			return fmt.Sprintf("%q is a time zone, not a %s", s.Text, paramWhat(pr))
		}
		// (The first word as written: "AllState" is a name, not "all".)
		// "The Grand Hotel" and "The Central Library" are names; "In Paris" is not one.
		if f := strings.Fields(s.Text); len(f) > 0 && (stopWords[strings.ToLower(f[0])] || prepositions[strings.ToLower(f[0])]) &&
			!(f[0] == "The" && len(f) > 1 && s.Start > 0) {
			return fmt.Sprintf("%q is not a name", s.Text)
		}
		// A place is named as one: after a place preposition ("in Paris"), or in a
		// request of a few words ("London weather"); "Hillbilly movie" names no place.
		if pr.roles&rolePlace != 0 && pr.roles&(roleTo|roleFrom|rolePerson) == 0 && len(strings.Fields(request)) > 4 {
			if w := wordBefore(request, s.Start); !placeCues[w] {
				return fmt.Sprintf("%q is not said to be a place", s.Text)
			}
		}
		// "a movie that features Carol Sutton": a name after a person's cue is a
		// person, not a place.
		if pr.roles&rolePlace != 0 && pr.roles&rolePerson == 0 && personCues[wordBefore(request, s.Start)] {
			return fmt.Sprintf("%q is a person, not a %s", s.Text, paramWhat(pr))
		}
		// "a hotel in Barcelona": a name after a place preposition is a place, not the
		// hotel's name.
		// But "an issue in WEB" for a project "e.g. WEB, API": what a thing is in may
		// be the container the parameter names, and a value its description cites is
		// one.
		if w := wordBefore(request, s.Start); w == "in" && pr.roles&(rolePlace|roleFrom|roleTo) == 0 && !mentions(pr, placeTerms) &&
			!mentions(pr, containerTerms) && !mentions(pr, areaTerms) && !containsWordFold(pr.Description, s.Value) {
			return fmt.Sprintf("%q is a place, not a %s", s.Text, paramWhat(pr))
		}
	}
	return ""
}

// prefixedCode is an identifier that opens with letters before its digits: INV-20418,
// RX-5521907, PO_1182.
var prefixedCode = regexp.MustCompile(`^[A-Za-z]{2,}[-_]?[0-9]{2,}[A-Za-z0-9-]*$`)

// prefixedCodes returns the first example of identifier parameter pr, and true, when
// every example value its description gives is a code with a letter prefix: a bare
// number is then another thing's id.
func prefixedCodes(pr *paramInfo) (string, bool) {
	if !pr.idLike || len(pr.examples) == 0 {
		return "", false
	}
	for _, e := range pr.examples {
		if !prefixedCode.MatchString(e) {
			return "", false
		}
	}
	return pr.examples[0], true
}

// cityTerms say a parameter takes a place finer than a country.
var cityTerms = wordSet("city cities town location place region state address")

// containerTerms name what other things are kept in: "in WEB" names a project.
var containerTerms = wordSet("project repo repository workspace channel team folder board space notebook category album playlist org organization")

// areaTerms are words of a parameter for a piece of ground or a part of a site, which
// "in" introduces: "soil moisture in Mill Paddock" for the field.
var areaTerms = wordSet("field paddock plot zone site yard garden greenhouse orchard vineyard pasture")

// placeCues introduce a place's name.
var placeCues = wordSet("in at near from to around for of into towards toward via across outside inside within")

// routeCues introduce the ends of a journey besides the place prepositions.
var routeCues = wordSet("leaving departing arriving between and address")

// techAcronyms are words of computing that a request capitalises without naming a
// place, a person or a thing to act on ("using the VirusTotal API", "SSL certificates").
var techAcronyms = wordSet("api apis ssl tls url uri uuid id json xml http https html css sql dns cname ip tcp udp pdf csv sdk cli gui ui os vpn ai llm gpu cpu ram")

// cityStates are countries that are cities too.
var cityStates = wordSet("singapore monaco luxembourg kuwait djibouti panama guatemala vatican")

// countryForCity says why a country's name cannot fill pr, a parameter for a city and
// nothing wider ("uk rainfall" gives the weather no city "uk"), or "".
func countryForCity(pr *paramInfo, v string) string {
	if !(pr.nameTerms["city"] || pr.nameTerms["town"]) || mentions(pr, countryTerms) || mentions(pr, termSet("location place region area")) {
		return ""
	}
	if len(v) <= 3 {
		v = strings.ToUpper(v) // "uk", "usa": a country's initials, written lower case
	}
	if _, adj, ok := lexicon.Country(v); ok && !adj && !cityStates[strings.ToLower(v)] {
		return fmt.Sprintf("%q is a country, not a %s", v, paramWhat(pr))
	}
	return ""
}

// languageTerms name a parameter that takes a language (a country's name may say which).
var languageTerms = termSet("language lang locale")

// codeLike reports whether a value is a code: one token of letters and digits, both.
func codeLike(v string) bool {
	return !strings.ContainsAny(v, " \t") && strings.ContainsAny(v, "0123456789") &&
		strings.ContainsAny(strings.ToLower(v), "abcdefghijklmnopqrstuvwxyz")
}

// unitNames are units and unit systems a request names with a capital ("Fahrenheit").
var unitNames = wordSet("celsius fahrenheit kelvin centigrade metric imperial")

// unitTerms name a parameter that takes a unit.
var unitTerms = termSet("unit units scale system")

// zoneAbbrevs are time zones as a time is written with them ("4pm EST").
var zoneAbbrevs = wordSet("UTC GMT EST EDT CST CDT MST MDT PST PDT AKST AKDT HST CET CEST EET EEST WET WEST BST IST JST KST AEST AEDT ACST AWST NZST NZDT SGT HKT")

// zoneTerms name a parameter that takes a time zone.
var zoneTerms = termSet("zone timezone tz offset")

// personCues introduce a person's name.
var personCues = wordSet("by with featuring features starring stars starred actor actress director directed artist singer author written named called dr mr mrs ms")

// placeTerms mark a parameter that takes a place.
// countryTerms name a parameter that takes a country.
var countryTerms = termSet("country nation nationality citizenship")

var placeTerms = termSet("location city place address country region area destination origin venue station airport where town state zone")

// numberFits says why a bare number cannot fill pr, or "".
// changeWords say that a value changes: "up by 2", "increase it by 10".
var changeWords = map[string]bool{"up": true, "down": true, "increase": true, "increased": true, "decrease": true,
	"decreased": true, "raise": true, "raised": true, "lower": true, "lowered": true, "reduce": true, "reduced": true,
	"grow": true, "shrink": true, "bump": true, "more": true, "less": true, "extend": true, "extended": true,
	"shorten": true, "cut": true, "boost": true, "drop": true, "dropped": true, "higher": true}

// deltaTerms mark a parameter that takes a change (an increment, a step, an offset).
var deltaTerms = map[string]bool{"delta": true, "increment": true, "decrement": true, "step": true, "offset": true,
	"change": true, "by": true, "adjustment": true, "diff": true, "difference": true}

// changeBy reports whether the number at start follows "by" and, within the three words
// before that, a word of change.
func changeBy(request string, start int) bool {
	ws := strings.Fields(strings.ToLower(request[:start]))
	if len(ws) < 2 || strings.Trim(ws[len(ws)-1], ",;:") != "by" {
		return false
	}
	for _, w := range ws[max(0, len(ws)-4) : len(ws)-1] {
		if changeWords[strings.Trim(w, ",.;:!?")] {
			return true
		}
	}
	return false
}

func numberFits(pr *paramInfo, s slot.Slot, request string) string {
	switch pr.kind {
	case pString:
		if !pr.numeric && !pr.idLike && !mentions(pr, numberTerms) {
			return fmt.Sprintf("the number %s is not a %s", s.Text, paramWhat(pr))
		}
		if unitAfter(request, s.End) != 0 && !pr.numeric && pr.measure == "" && !mentions(pr, unitTerms) {
			// "do you have 5g coverage in 60647": a number with its unit is a measure,
			// no address or code.
			return fmt.Sprintf("the measure %s is not a %s", strings.TrimSpace(request[s.Start:withUnit(request, s.End)]), paramWhat(pr))
		}
		if mentions(pr, phoneTerms) && len(strings.Trim(s.Value, "+-. ")) < 7 {
			// "text her that dinner's at 8": a recipient's phone number is no "8".
			return fmt.Sprintf("the number %s is not a phone number", s.Text)
		}
		if !pr.numeric && wordExamples(pr) {
			// "The room, e.g. kitchen": a room here is named, not numbered.
			return fmt.Sprintf("the number %s is not a %s like %s", s.Text, paramWhat(pr), pr.examples[0])
		}
		if pr.idLike && s.Start > 0 && request[s.Start-1] == '#' {
			// "ship #10482 ups ground": a number written after # is an identifier, and
			// the word after it says nothing of what it counts.
			return ""
		}
	case pInteger, pNumber, pMoney:
		if s.Start > 0 && request[s.Start-1] == '#' && !pr.idLike {
			// "refund #1180 in full": a number written after # names an order, a
			// ticket or an issue; it is no amount or count.
			return fmt.Sprintf("#%s is an identifier, not a %s", s.Text, paramWhat(pr))
		}
		if pagingParam(pr) && !countsResults(request, s) {
			// "When will size 40 be available?" -> a list of locations{limit: 40}: a
			// number fills how many results a list returns, or where it starts,
			// only when the request counts results with it ("the last 20
			// transactions", "top 5", "page 3").
			return fmt.Sprintf("%s counts no results, so it is no %s", s.Text, paramWhat(pr))
		}
	case pEnum:
		if !numericEnum(pr) {
			return ""
		}
		// "number of rooms", one of 1, 2, 3: "2 nights" is no number of rooms.
	default:
		return ""
	}
	// "70 degrees Fahrenheit" is no value for a temperature "in degrees Celsius".
	if rest := strings.Fields(strings.ToLower(request[s.End:])); len(rest) > 0 {
		for _, w := range rest[:min(2, len(rest))] {
			w = strings.Trim(w, ",.;:!?()")
			if !unitNames[w] {
				continue
			}
			d := strings.ToLower(pr.Description)
			for u := range unitNames {
				if u != w && strings.Contains(d, u) && !strings.Contains(d, w) {
					return fmt.Sprintf("%s %s is not in the %s %s takes", s.Text, w, u, pr.Name)
				}
			}
		}
	}
	// "for 2 guests under 150 a night": a number after "under", "at most" or "more than"
	// bounds something (a price, a rating, a distance); it counts nothing.
	if bound := boundBefore(request, s.Start); bound != "" && pr.kind != pMoney && !mentions(pr, boundTerms) && !boundCounts(pr, request[s.End:]) {
		// ("at least 2 bedrooms" is the number of bedrooms the search wants.)
		return fmt.Sprintf("%s %s is a bound, not a %s", bound, s.Text, paramWhat(pr))
	}
	// "have the room cleaned around 2": an hour of the clock after "around", "at",
	// "until" with no noun counted after it is a time, not a count (nor "at 7" a
	// quantity).
	if w := wordBefore(request, s.Start); clockPrepositions[w] && !mentions(pr, dateTerms) {
		if n, err := strconv.Atoi(s.Text); err == nil && n >= 1 && n <= 12 {
			if after := wordAfter(request, s.End); after != "or" && after != "to" && after != "and" && (after == "" || len(after) > 1 && stopWords[after] || prepositions[after]) {
				// ("around 4 or 5 stars" is a range of counts, "at 6 m/s" a speed.)
				return fmt.Sprintf("%s %s is a time of day, not a %s", w, s.Text, paramWhat(pr))
			}
		}
	}
	// "scale web-frontend up by 2", "raise the volume by 10": a number after "by" that
	// follows a change is how much the value changes, not the value.
	if changeBy(request, s.Start) && !mentions(pr, deltaTerms) {
		return fmt.Sprintf("by %s is a change, not the %s", s.Text, paramWhat(pr))
	}
	if measuredIn(request, s.End, pr.dims) {
		return "" // "a 1500 W heater" for a power in watts
	}
	if yearParam(pr) && len(s.Text) == 4 && (strings.HasPrefix(s.Text, "19") || strings.HasPrefix(s.Text, "20")) {
		return "" // "a 2018 Toyota Camry": the model year, before the make
	}
	// The noun that follows a number says what it counts ("10 meters", "5 heads", "10
	// times"); the one before it what it is ("size 34", "order 123"). Either must be the
	// parameter's when it is a word the request uses for something else.
	after := wordAfter(request, s.End)
	if after == "and" || after == "to" || after == "or" {
		// "between 25 and 35 years old": the unit after the range is this number's too.
		if u := rangeUnit(request, s.End); u != "" {
			after = u
		}
	}
	if particleAfter[after] {
		after = "" // "take tap 5 off", "turn light 3 on": a verb's particle counts nothing
	}
	if operatorWords[after] {
		// "394 times 213": an operator joins two operands; it is no unit ("10 times
		// before" counts times).
		if rest := strings.Fields(request[s.End:]); len(rest) > 1 {
			if _, ok := plan.Number(strings.Trim(rest[1], ",.;:!?")); ok {
				after = ""
			}
		}
	}
	if after != "" && isNoun(after) && !countsFor(pr, after) {
		// "two bus tickets": the noun counted may follow a noun that qualifies it.
		if rest := strings.Fields(request[s.End:]); len(rest) > 1 {
			if next := strings.ToLower(strings.Trim(rest[1], ",.;:!?")); isNoun(next) && countsFor(pr, next) {
				after = next
			}
		}
	}
	if after != "" && !strings.ContainsAny(s.Text, "0123456789") && isNoun(after) && !stopWords[after] {
		// "the other two sides as 4 and 5": a number written as a word counts the
		// noun after it, and fills only a parameter that counts that noun.
		counts := func(w string) bool {
			for _, t := range terms(w) {
				if pr.terms[t] || pr.nameTerms[t] {
					return true
				}
				if u, ok := unitFamily[t]; ok && mentionsAny(pr, u) {
					return true // "two people" for a number of passengers
				}
			}
			return false
		}
		if !counts(after) {
			return fmt.Sprintf("%s %s is not a %s", s.Text, after, paramWhat(pr))
		}
	}
	if w := after; w != "" && w != "unit" && w != "units" && !countsFor(pr, w) && !verbAfterNumber(request, s.End, w) {
		return fmt.Sprintf("%s %s is not a %s", s.Text, w, paramWhat(pr))
	}
	// "the living room 20.5 degrees": a unit after the number that the parameter counts
	// says what it is, whatever label comes before it.
	unitAfterCounts := after != "" && !stopWords[after] && !prepositions[after] && isNoun(after) && countsFor(pr, after)
	w := wordBefore(request, s.Start)
	if k := strings.LastIndex(request[:s.Start], " "); k > 0 && !labelWords[w] && len(w) >= 2 && len(w) <= 3 {
		// "size UK 34", "size EU 42": a sizing system between the label and its
		// number; the label says what the number is.
		if raw := strings.TrimSpace(request[:k]); raw != "" {
			ws := strings.Fields(raw)
			if last := ws[len(ws)-1]; strings.ToUpper(last) == last && strings.EqualFold(last, w) {
				if w2 := wordBefore(request, k-len(last)); labelWords[w2] {
					w = w2
				}
			}
		}
	}
	if monthWords[w] && len(s.Text) == 4 && pr.norm != "year" && !mentions(pr, yearWords) && (pr.kind == pInteger || pr.kind == pNumber || !mentions(pr, dateTerms)) {
		// "for February 2022": a year of a month is a date, no count or size (nor a
		// time window in hours).
		return fmt.Sprintf("%s %s is a month, not a %s", w, s.Text, paramWhat(pr))
	}
	if w == "number" || w == "no" || w == "id" {
		// "card number 4111...": the word before "number" says whose number it is.
		if k := strings.LastIndex(strings.ToLower(request[:s.Start]), w); k > 0 {
			if w2 := wordBefore(request, k); w2 != "" && countsFor(pr, w2) && !stopWords[w2] {
				w = w2
			}
		}
	}
	if w != "" && !countsFor(pr, w) && labelWords[w] && !unitAfterCounts {
		return fmt.Sprintf("%s %s is not a %s", w, s.Text, paramWhat(pr))
	}
	return ""
}

// pagingParam reports whether pr says how many results a list returns or where it starts:
// limit, offset, page, per_page, page_size, max_results, top_k, skip.
func pagingParam(pr *paramInfo) bool {
	if pr.kind != pInteger && pr.kind != pNumber {
		return false
	}
	n := pr.nameTerms
	return n["limit"] || n["offset"] || n["skip"] || n["page"] || n["per"] && n["page"] ||
		n["max"] && (n["result"] || n["item"] || n["record"]) || n["top"] && n["k"]
}

// pagingWords are the words before a number that count results ("top 5", "the last
// 20", "page 3", "up to 50", "limit 10").
var pagingWords = wordSet("top first last latest recent newest oldest limit max maximum most page offset skip next previous to")

// countsResults reports whether the number s counts results of a list, or says where
// they start: a word before it that does ("the last 20", "top 5", "page 3", "up to
// 50"), or a noun after it for what is counted ("20 transactions", "5 results").
func countsResults(request string, s slot.Slot) bool {
	if pagingWords[wordBefore(request, s.Start)] {
		return true
	}
	after := wordAfter(request, s.End)
	return isNoun(after) && !unitNames[after] && !monthWords[after]
}

// yearParam reports whether pr is a year: "year", "model_year", "yearBuilt".
func yearParam(pr *paramInfo) bool {
	return pr.nameTerms["year"] && (pr.kind == pInteger || pr.kind == pNumber || pr.numeric)
}

// clockPrepositions put a time of day after them ("around 2", "at 7", "until 5"); "about"
// and "by" are as often before a count or a change.
var clockPrepositions = wordSet("around at until till til")

// cutsThrough reports whether phrase ph holds part of value v but not all of it: ph is
// inside v, or ends with a beginning of v.
func cutsThrough(ph, v string) bool {
	if ph == v || len(v) < 3 {
		return false
	}
	if strings.Contains(v, ph) {
		return true
	}
	for k := 1; k <= len(ph)-3; k++ {
		if tail := ph[k:]; len(tail) < len(v) && strings.HasPrefix(v, tail) && (ph[k-1] == ' ' || ph[k-1] == '(' || ph[k-1] == '\'' || ph[k-1] == '"') {
			return true
		}
	}
	// ph begins inside v: `Login fails on Safari" with label bug` of a quoted title.
	for k := 1; k <= len(v)-3; k++ {
		if head := v[k:]; len(head) < len(ph) && strings.HasPrefix(ph, head) && (v[k-1] == ' ' || v[k-1] == '\'' || v[k-1] == '"') {
			return true
		}
	}
	return false
}

// lowerExamples reports whether pr's description lists at least two examples, all of
// them lower-case words ("running, cycling, swimming"), not names ("Uber, Didi").
// aroundConjunction returns the words right before and right after the conjunction
// that ends at cut in text ("mkhan and jdoe": mkhan, jdoe), or "".
func aroundConjunction(text string, cut int) (before, after string) {
	if cut <= 0 || cut > len(text) {
		return "", ""
	}
	rest := strings.Fields(text[cut:])
	head := strings.Fields(text[:cut])
	if len(rest) == 0 || len(head) < 2 {
		return "", ""
	}
	trim := func(w string) string { return strings.Trim(w, ",.;:!?()'\"") }
	return trim(head[len(head)-2]), trim(rest[0])
}

// determined reports whether word w follows a determiner in text ("the intern", "my
// boss"): a role or a thing, not a handle.
func determined(text, w string) bool {
	for _, d := range []string{"the ", "a ", "an ", "my ", "our ", "your ", "his ", "her ", "their ", "this ", "that "} {
		if containsWordFold(text, d+w) {
			return true
		}
	}
	return false
}

// handleParam reports whether pr takes a person's handle: a username, a login, a
// handle, a nickname.
func handleParam(pr *paramInfo) bool {
	return hasAny(pr.nameTerms, "username", "login", "handle", "nickname", "userid") || pr.nameTerms["user"] && pr.nameTerms["name"]
}

func lowerExamples(pr *paramInfo) bool {
	if len(pr.examples) == 0 || len(pr.examples)+len(pr.phrases) < 2 {
		return false
	}
	// ("the room, e.g. living room or bedroom": a phrase among the examples counts.)
	for _, e := range append(slices.Clip(pr.examples), pr.phrases...) {
		if !quotedIn(strings.ToLower(pr.Description), e) && !strings.Contains(pr.Description, e) {
			return false // written with capitals in the description
		}
		if strings.ContainsAny(e, "0123456789/.") {
			return false
		}
	}
	return true
}

// wordExamples reports whether pr's description gives examples and none of them holds a
// digit.
func wordExamples(pr *paramInfo) bool {
	if len(pr.examples) == 0 {
		return false
	}
	for _, e := range pr.examples {
		if strings.ContainsAny(e, "0123456789") {
			return false
		}
	}
	return true
}

// vagueModifiers say which one is meant without naming it ("the best city", "the exact
// location").
var vagueModifiers = wordSet("best good nice great exact right other same new whole any some nearest closest cheapest main usual favorite favourite perfect ideal")

var percentTerms = termSet("percent percentage share ratio rate proportion level")

// numericEnum reports whether every value of an enum parameter is a number (a count
// or a rating offered as choices).
func numericEnum(pr *paramInfo) bool {
	if len(pr.enumRaw) == 0 {
		return false
	}
	for _, v := range pr.enumRaw {
		switch x := v.(type) {
		case string:
			if _, ok := plan.Number(x); !ok {
				return false
			}
		case float64, json.Number, int, int64:
		default:
			return false
		}
	}
	return true
}

// idOfOther says why number slot s, labelled "<thing> id" (or number, no), is not the
// value of pr, the id of another thing ("profile id:1" for province_id), or "". The
// thing may be pr's own ("user id 7890" for user_id) or what tool ti is about ("provider
// profile ID 28" for view_service_provider_profile's professional_id).
func (p *Pattern) idOfOther(ti *toolInfo, pr *paramInfo, s slot.Slot, request string) string {
	if s.Kind != slot.Number || !qualifiedID(pr) {
		return ""
	}
	w := wordBefore(request, s.Start)
	if w != "id" && w != "number" && w != "no" {
		return ""
	}
	k := strings.LastIndex(strings.ToLower(request[:s.Start]), w)
	if k <= 0 {
		return ""
	}
	w2 := wordBefore(request, k)
	if w2 == "" || stopWords[w2] || !isNoun(w2) || countsFor(pr, w2) {
		return ""
	}
	name := p.ix.docs[p.toolIndex[ti]].name
	for _, t := range terms(w2) {
		if name[t] {
			return ""
		}
	}
	return fmt.Sprintf("%s %s %s is not a %s", w2, w, s.Text, paramWhat(pr))
}

// labelName reports whether a name ending in "ID", "Number", "No" or "Code" labels the
// value written after it ("Web ID is 1234", "Order Number: 55"): rest is the request
// after the name.
func labelName(name, rest string) bool {
	ws := strings.Fields(name)
	if len(ws) == 0 {
		return false
	}
	switch strings.ToLower(ws[len(ws)-1]) {
	case "id", "number", "no", "code":
	default:
		return false
	}
	r := strings.TrimSpace(rest)
	return strings.HasPrefix(r, ":") || strings.HasPrefix(r, "=") || strings.HasPrefix(strings.ToLower(r), "is ")
}

// qualifiedID reports whether pr is the id or number of a named thing ("province_id",
// "order_number"), not a bare "id".
func qualifiedID(pr *paramInfo) bool {
	ws := words(pr.Name)
	if len(ws) < 2 {
		return false
	}
	switch strings.ToLower(ws[len(ws)-1]) {
	case "id", "number", "no", "num":
		return true
	}
	return false
}

// rangeUnit returns the word after the second number of a range that starts right
// after byte offset i ("25| and 35 years" -> "years"), or "".
func rangeUnit(text string, i int) string {
	rest := strings.Fields(text[i:])
	if len(rest) < 3 {
		return ""
	}
	if _, ok := plan.Number(strings.Trim(rest[1], ",.;")); !ok {
		return ""
	}
	return strings.ToLower(strings.Trim(rest[2], ",.;:!?"))
}

// monthWords name the months, as a year's label ("February 2022").
var monthWords = wordSet("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")

// particleAfter are a phrasal verb's particles, which may close a clause after its
// number ("take tap 5 off").
var particleAfter = wordSet("off on out up down away back")

// operatorWords join the operands of arithmetic ("394 times 213"): no unit or label.
var operatorWords = wordSet("times plus minus divided multiplied over x")

// numberTerms mark a text parameter that holds a number or a code.
var numberTerms = termSet("number num no count id code zip zipcode postcode postal pin version year age size quantity amount level floor room seat digit digits otp extension ext card account iban")

// labelWords name what a number is when written before it ("size 34", "room 12").
var labelWords = termSet("size room floor seat gate row table order invoice ticket flight bus train platform level version model page chapter line step id item number no account zip zipcode postcode code pin extension")

// countsFor reports whether a word next to a number (its unit or label) fits parameter pr:
// a unit the parameter names ("2 days" for days), or a word carrying no meaning of its
// own (a preposition, an article, punctuation).
func countsFor(pr *paramInfo, w string) bool {
	if stopWords[w] || prepositions[w] || w == "and" || w == "or" || courtesyAside[w] {
		// ("track 9400111899223344556677 pls": a courtesy counts nothing.)
		return true
	}
	switch pr.norm {
	case "value", "amount", "number", "quantity", "count", "n", "x", "y", "num", "qty", "input":
		return true // a generic quantity: "convert 10 km" gives the value 10 whatever its unit
	}
	if u, ok := unitFamily[w]; ok && mentionsAny(pr, u) {
		return true // "68 fahrenheit" (whose term is "unit") for a temperature
	}
	for _, t := range terms(w) {
		if pr.terms[t] || pr.nameTerms[t] {
			return true
		}
		if u, ok := unitFamily[t]; ok && mentionsAny(pr, u) {
			return true
		}
	}
	// "at 7" / "for 4": a number without a noun of its own is open.
	return !isNoun(w)
}

// verbAfterNumber reports whether w, the word after a number in text (whose end is at
// i, w's end after it), is a finite verb the number is the subject of: "order 5521 went
// out", "ticket 4410 is still open", "1187 shipped today" (not "2 checked bags", "3
// lost keys": a participle before the noun it qualifies).
func verbAfterNumber(text string, i int, w string) bool {
	if !statedVerbs[w] && !pastForms[w] && !(regularPast(w) && isLetters(w) && w != "hundred") {
		return false // ("5 hundred": a number word)
	}
	k := strings.Index(strings.ToLower(text[i:]), w)
	if k < 0 {
		return false
	}
	next := wordAfter(text, i+k+len(w))
	return !(isNoun(next) && strings.HasSuffix(next, "s") && !strings.HasSuffix(next, "ss"))
}

// regularPast reports whether w looks like a regular past form: "shipped", "arrived"
// (not "speed").
func regularPast(w string) bool {
	return len(w) > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed")
}

// unitFamily maps a unit to words a parameter may use for what it measures.
var unitFamily = map[string][]string{
	"person":     {"people", "person", "guest", "party", "passenger", "adult", "traveler", "attendee", "seat", "ticket", "size"},
	"people":     {"people", "person", "guest", "party", "passenger", "adult", "traveler", "attendee", "seat", "ticket", "size"},
	"guest":      {"people", "person", "guest", "party", "adult"},
	"adult":      {"people", "person", "guest", "party", "adult", "passenger"},
	"kid":        {"child", "children", "kid"},
	"child":      {"child", "children", "kid"},
	"night":      {"night", "day", "stay", "duration", "length"},
	"day":        {"day", "night", "duration", "length", "period"},
	"hour":       {"hour", "duration", "time", "length"},
	"minute":     {"minute", "duration", "time", "length", "delay"},
	"min":        {"minute", "duration", "time", "length", "delay"},
	"mins":       {"minute", "duration", "time", "length", "delay"},
	"hr":         {"hour", "duration", "time", "length"},
	"hrs":        {"hour", "duration", "time", "length"},
	"week":       {"week", "duration", "period"},
	"month":      {"month", "duration", "period", "term"},
	"year":       {"year", "age", "duration", "term"},
	"star":       {"star", "rating", "rate", "score"},
	"degree":     {"degree", "temperature", "angle", "rotation", "temp", "celsius", "fahrenheit", "centigrade"},
	"fahrenheit": {"degree", "temperature", "temp"},
	"celsius":    {"degree", "temperature", "temp"},
	"dollar":     {"amount", "price", "cost", "budget", "value", "money", "usd", "dollar"},
	"euro":       {"amount", "price", "cost", "budget", "value", "money", "eur", "euro"},
	"ticket":     {"ticket", "seat", "people", "person", "quantity", "count", "number"},
	"room":       {"room", "quantity", "number"},
	"bedroom":    {"bed", "bedroom", "room"},
	"bed":        {"bed", "bedroom"},
	"bathroom":   {"bath", "bathroom"},
	"bath":       {"bath", "bathroom"},
	"item":       {"item", "quantity", "count", "number"},
	"result":     {"result", "limit", "count", "number", "max", "size", "top"},
	"percent":    {"percent", "percentage", "rate", "ratio"},
	"kg":         {"weight", "kg", "mass"},
	"pound":      {"weight", "lb", "mass", "pound"},
	"meter":      {"height", "length", "distance", "meter", "width", "radius", "diameter", "side", "depth", "size"},
	"km":         {"distance", "km", "radius", "length"},
	"mile":       {"distance", "mile", "radius", "length"},
	"cm":         {"height", "length", "cm", "width", "radius", "diameter", "side", "depth", "size"},
	"mm":         {"height", "length", "mm", "width", "radius", "diameter", "side", "depth", "size", "thickness"},
	"inch":       {"height", "length", "inch", "width", "radius", "diameter", "side", "depth", "size"},
	"foot":       {"height", "length", "foot", "feet", "width", "radius", "diameter", "side", "depth", "distance"},
	"feet":       {"height", "length", "foot", "feet", "width", "radius", "diameter", "side", "depth", "distance"},
}

func mentionsAny(pr *paramInfo, ws []string) bool {
	for _, w := range ws {
		for _, t := range terms(w) {
			if pr.terms[t] {
				return true
			}
		}
	}
	return false
}

// isNoun guesses whether w is a content word that names something (a unit, a thing),
// not a verb or a function word.
func isNoun(w string) bool {
	if len(w) < 2 || stopWords[w] || baseVerbs[w] {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// wordAfter returns the lower-case word right after byte offset i (skipping spaces and
// hyphens: "10-day"), or "".
func wordAfter(text string, i int) string {
	j := i
	for j < len(text) && (text[j] == ' ' || text[j] == '-') {
		j++
	}
	k := j
	for k < len(text) && (isWordByte(text[k]|0x20) || text[k] == '\'') {
		k++
	}
	return strings.ToLower(text[j:k])
}

// wordBefore returns the lower-case word right before byte offset i, or "" when a
// punctuation mark or '#' comes first.
func wordBefore(text string, i int) string {
	j := i
	for j > 0 && (text[j-1] == ' ' || text[j-1] == ':' || text[j-1] == '#') {
		j-- // "id:1", "id: 1", "order #12"
	}
	k := j
	for k > 0 && isWordByte(text[k-1]|0x20) {
		k--
	}
	return strings.ToLower(text[k:j])
}

// phraseFits says why phrase ph, read from the clause rather than a typed slot, cannot
// fill pr, or "".
func (b *builder) phraseFits(ti *toolInfo, pr *paramInfo, ph string, how string, args map[string]any, src map[string]argSrc) string {
	ph = strings.TrimSpace(ph)
	if why := countryForCity(pr, ph); why != "" {
		return why
	}
	// A phrase that is a typed value of the request ("Dec 15", "+1 555 010 2233") is
	// that value, and fits only where the value does.
	for _, s := range b.all {
		if s.Kind != slot.Name && s.Kind != slot.Quoted && strings.EqualFold(s.Text, ph) {
			if why := slotFits(pr, s, b.request); why != "" {
				return why
			}
		}
	}
	// A phrase that cuts through a value ("July 15th" of "July 15th, 2022", "book
	// 'Python" of "'Python for Beginners'") is a misreading of the clause.
	for _, s := range b.all {
		if s.Kind != slot.Name && len(ph) >= 3 && cutsThrough(ph, s.Text) {
			return fmt.Sprintf("%q cuts through %s, which is one value", shorten(ph), s.Text)
		}
	}
	if (pr.kind == pPhone || mentions(pr, phoneTerms) && mentions(pr, numberWordTerms)) && !mentions(pr, personTerms) && !strings.ContainsAny(ph, "0123456789") {
		// "call the dentist" for "Phone number to call": a number is dialled, a
		// dentist is looked up first.
		return fmt.Sprintf("%q is not a phone number", shorten(ph))
	}
	if lw := strings.ToLower(ph); !strings.Contains(ph, " ") && !pr.whole && (pastForms[lw] || statedVerbs[lw]) {
		// "bin 2 kg of salmon, it went off" -> a dish named "went": a verb of the
		// clause names nothing.
		return fmt.Sprintf("%q is a verb, not a %s", ph, paramWhat(pr))
	}
	if !strings.Contains(ph, " ") && strings.EqualFold(ph, strings.Trim(b.request, " .!?")) && b.p.docHasAll(ti, ph) {
		// "enter" -> askForSSID{prompt_message: "enter"} ("Prompt the user to enter
		// the SSID"): a request of one word, the tool's own, says what to do and names
		// nothing to do it with.
		return fmt.Sprintf("%q is all the request says, a word of %s, not a %s", ph, ti.tool.Name, paramWhat(pr))
	}
	n := len(strings.Fields(ph))
	if n == 0 {
		return "the request gives no value"
	}
	if ws := strings.Fields(asciiLower(ph)); len(ws) > 1 && (ws[0] == "next" || ws[0] == "last" || ws[0] == "this" || ws[0] == "previous" || ws[0] == "upcoming") && namesAParam(ti, strings.Join(ws[1:], " ")) {
		// "next league" of "when does the next league season start": which one, not
		// its name.
		return fmt.Sprintf("%q says which %s, not its name", shorten(ph), paramWhat(pr))
	}
	if pr.measure != "" && !strings.ContainsAny(ph, "0123456789") {
		// "order Hill's Science Diet Adult" gave bag_size "e.g. 12 kg, 3.5 lb" the
		// words after the brand: a size is measured.
		return fmt.Sprintf("%q is not a %s like %s", shorten(ph), paramWhat(pr), pr.measure)
	}
	if pr.numbered != "" && !strings.ContainsAny(ph, "0123456789") {
		// "next Summer Olympic Games start" is no season like '2018-19'.
		return fmt.Sprintf("%q is not a %s like %s", shorten(ph), paramWhat(pr), pr.numbered)
	}
	maxWords := 12
	if pr.whole {
		maxWords = 60
	}
	if n > maxWords {
		return fmt.Sprintf("%q is a sentence, not a %s", shorten(ph), paramWhat(pr))
	}
	// The whole instruction is not a value ("email bob@example.com the weather in Paris"
	// as the e-mail's body), nor a phrase holding another argument's value.
	if !pr.whole && n > 3 && float64(len(ph)) >= 0.8*float64(len(strings.TrimSpace(b.request))) {
		return fmt.Sprintf("%q is the whole request, not a %s", shorten(ph), paramWhat(pr))
	}
	for name, v := range args {
		if name == pr.Name {
			continue
		}
		if s := src[name]; (s.how == srcSlot || s.how == srcRequest) && (addressKind(s.slot.Kind) || s.slot.Kind == slot.Money) {
			if str, ok := v.(string); (ok && len(str) > 2 || s.slot.Kind == slot.Money) && strings.Contains(ph, s.slot.Text) {
				return fmt.Sprintf("%q holds the %s already given as %s", shorten(ph), s.slot.Kind, name)
			}
		}
	}
	// "roll back production": the word the environment took is not also the service;
	// "the crash in acme/mobile" holds the repository another argument took.
	for name, sr := range src {
		if name == pr.Name {
			continue
		}
		if (sr.how == srcSlot || sr.how == srcRequest) && strings.EqualFold(strings.TrimSpace(sr.slot.Text), ph) {
			return fmt.Sprintf("%q is the %s already given, not a %s", ph, name, paramWhat(pr))
		}
		if v, ok := args[name].(string); ok && sr.how == srcExample && len(v) > 2 && !pr.whole {
			for _, prep := range []string{" in ", " at ", " on ", " for ", " to ", " from "} {
				if strings.Contains(ph, prep+v) {
					return fmt.Sprintf("%q holds the %s already given", shorten(ph), name)
				}
			}
		}
	}
	// A file moves to a path: beside a file another argument took, a destination or
	// source is a path too ("into the finance folder" is no path).
	if pr.roles&(roleTo|roleFrom) != 0 && !strings.ContainsAny(ph, "/.~\\") {
		for name, sr := range src {
			if name != pr.Name && sr.how == srcSlot && sr.slot.Kind == slot.File {
				return fmt.Sprintf("%q is not a path like %s", shorten(ph), sr.slot.Text)
			}
		}
	}
	// "translate hello into Spanish": the target another argument took is not part of
	// the text.
	for name, sr := range src {
		if name == pr.Name || sr.how != srcSlot || sr.slot.Text == "" {
			continue
		}
		lp, lt := strings.ToLower(ph), strings.ToLower(sr.slot.Text)
		if strings.HasSuffix(lp, " into "+lt) || strings.HasSuffix(lp, " to "+lt) || strings.HasSuffix(lp, " in "+lt) {
			return fmt.Sprintf("%q holds the %s already given as %s", shorten(ph), sr.slot.Text, name)
		}
	}
	if _, isNum := plan.Number(ph); isNum && pr.kind == pString && !pr.numeric && !pr.idLike && !mentions(pr, numberTerms) {
		return fmt.Sprintf("the number %s is not a %s", ph, paramWhat(pr))
	}
	if len(pr.examples) > 0 && !pr.free && !pr.whole && !hasCapital(ph) {
		// A parameter whose description names its values ("the platform, eg. Uber,
		// Didi") takes one of them or another name, not a phrase ("pizza margherita").
		known := false
		for _, e := range pr.examples {
			if strings.EqualFold(e, ph) {
				known = true
			}
		}
		// "living room" for a room: a short phrase that ends with the parameter's own
		// noun names one.
		if ws := strings.Fields(strings.ToLower(ph)); !known && len(ws) == 2 && !vagueModifiers[ws[0]] && !stopWords[ws[0]] && !metaWords[ws[0]] {
			for _, t := range terms(ws[1]) {
				known = known || pr.nameTerms[t]
			}
		}
		// "yoga" for "Activity, e.g. running, cycling, swimming": examples that are
		// lower-case words list kinds, and another single word of that sort is one more.
		if ws := strings.Fields(ph); !known && len(ws) == 1 && lowerExamples(pr) && isNoun(ws[0]) && ws[0] == strings.ToLower(ws[0]) &&
			!vagueModifiers[ws[0]] && !metaWords[ws[0]] && !genericNouns[ws[0]] && !b.p.isVerb(ws[0]) {
			known = true
		}
		// "red" for "Color name or hex, e.g. warm white, #FF8800": a colour's name is
		// a colour.
		if ws := strings.Fields(strings.ToLower(ph)); !known && len(ws) <= 2 && (pr.nameTerms["color"] || pr.nameTerms["colour"]) &&
			!slices.ContainsFunc(ws, func(w string) bool { return !colorWords[w] }) {
			known = true
		}
		// "mkhan" for "Login name, e.g. jdoe": a handle is one token of the shape of
		// its example, whatever it spells.
		if ws := strings.Fields(ph); !known && len(ws) == 1 && handleParam(pr) && !stopWords[ws[0]] && !b.p.isVerb(ws[0]) && !determined(b.request, ws[0]) {
			for _, e := range pr.examples {
				known = known || shapeOf(e) == shapeOf(ws[0])
			}
		}
		if !known {
			return fmt.Sprintf("%q is not a %s like %s", ph, paramWhat(pr), strings.Join(pr.examples, ", "))
		}
	}
	if how != srcNamed && pr.whole && !hasCapital(ph) && len(strings.Fields(ph)) == 1 && b.p.namesKind(ph) {
		// "whatsapp the candidate on +1 647 555 0118 to check their inbox" -> a
		// message "candidate": a word the catalogue names things with says who, not
		// what to say.
		return fmt.Sprintf("%q is a kind of thing, not a %s", shorten(ph), paramWhat(pr))
	}
	if how != srcNamed && !pr.whole && !pr.free && !hasCapital(ph) && b.p.namesKind(ph) {
		// "watch movies in Larkspur" -> a track called "movies": a kind of thing the
		// catalogue's tools are named after is no title or name of one.
		return fmt.Sprintf("%q is a kind of thing, not a %s", shorten(ph), paramWhat(pr))
	}
	if ws := strings.Fields(strings.ToLower(ph)); len(ws) == 2 && (countWords[ws[0]] || strings.Trim(ws[0], "0123456789.,") == "") && currencyWords[ws[1]] && !mentions(pr, moneyTerms) {
		// "send twenty dollars to +1 555 010 5151" sends money, not a message saying so.
		return fmt.Sprintf("%q is an amount, not a %s", ph, paramWhat(pr))
	}
	if genericValue(ph) && !(pr.whole && len(strings.Fields(ph)) >= 3) {
		// (A message of a few words is what it says: "I'm on my way".)
		return fmt.Sprintf("%q names nothing in particular", ph)
	}
	// A phrase that opens with a pronoun is part of a sentence, not a name: "do you
	// know daniel" gives no spouse's name "you know daniel".
	if !pr.whole && (!pr.free || objectPronouns[strings.ToLower(firstWord(ph))]) && pronouns[strings.ToLower(firstWord(ph))] {
		return fmt.Sprintf("%q is part of a sentence, not a %s", shorten(ph), paramWhat(pr))
	}
	// "its recent filing date", "their address", "the status of my order" (for an order
	// status tool): a phrase with a possessive speaks of something named elsewhere, and
	// is not the value itself.
	if !pr.whole && !pr.free && (backPossessives[strings.ToLower(firstWord(ph))] || b.p.endsWithOwnThing(ti, ph)) {
		return fmt.Sprintf("%q refers back to something, and is not a %s", shorten(ph), paramWhat(pr))
	}
	// "open a new employment matter for Greta Lindqvist" gives no client "new
	// employment matter": the tool's own thing, said with a vague word or a value of
	// the tool's lists, is what the tool works on, not a value for it.
	if !pr.whole && !pr.free && !hasCapital(ph) && ownThingPhrase(ti, ph) {
		return fmt.Sprintf("%q is what %s works on, not a %s", shorten(ph), ti.tool.Name, paramWhat(pr))
	}
	// A measure is no name: "increase the disk quota by 50 GB" gives no group "50 GB" and
	// no user "GB" (nor "14 pods at 512Mi each" a service "Mi").
	if !isUnitParam(pr) && pr.kind == pString && !pr.whole && measureWritten(b.request, ph) {
		return fmt.Sprintf("%q is a measure, not a %s", shorten(ph), paramWhat(pr))
	}
	// A count, a day or a time of day is not a name ("a table for four", "book a dentist
	// for Thursday").
	if lw := strings.ToLower(ph); timeWords[lw] && pr.kind == pString && !mentions(pr, dateTerms) {
		return fmt.Sprintf("%q is not a %s", ph, paramWhat(pr))
	}
	// The whole instruction is not the message it asks to send ("share this on facebook"
	// is not what to share); a parameter for an instruction or a question may take it.
	if cl, asks := clauseOf(b, ph); asks && pr.whole && strings.EqualFold(strings.TrimSpace(ph), strings.TrimSpace(cl)) && !mentions(pr, instructionTerms) {
		return fmt.Sprintf("%q is the instruction, not its %s", shorten(ph), paramWhat(pr))
	}
	// A parameter's own name is no value for it ("query" for query).
	if ts := terms(ph); len(ts) > 0 && !identifierBeyond(ph, ts) {
		own := true
		for _, t := range ts {
			if !pr.nameTerms[t] && !ti.terms[t] {
				own = false
			}
		}
		if own {
			return fmt.Sprintf("%q names the parameter, it is not a value", ph)
		}
	}
	// An instruction is no value: "find a restaurant" is what to do, not what to match;
	// nor is a verb a place ("a house to live": "live" is no destination).
	if !pr.whole && !pr.free && !hasCapital(ph) {
		if ws := strings.Fields(strings.ToLower(ph)); len(ws) > 0 && (b.p.isVerb(ws[0]) && !nounsToo[ws[0]] && (len(ws) > 1 || how == srcPlace)) {
			return fmt.Sprintf("%q is an instruction, not a %s", shorten(ph), paramWhat(pr))
		}
		// "start charging the car" gives no charger "charging the car": a verb's -ing
		// form before a determiner is something done to a thing, not its name.
		if ws := strings.Fields(strings.ToLower(ph)); len(ws) > 1 && determiners[ws[1]] && strings.HasSuffix(ws[0], "ing") && len(ws[0]) > 5 {
			return fmt.Sprintf("%q is something done, not a %s", shorten(ph), paramWhat(pr))
		}
	}
	// A count of a unit is no name ("for 4 hours" names no therapist).
	if pr.kind == pString && !pr.numeric && !pr.idLike && !mentions(pr, numberTerms) {
		if ws := strings.Fields(strings.ToLower(ph)); len(ws) == 2 {
			if _, isNum := plan.Number(ws[0]); isNum && (unitWords[ws[1]] || timeUnits[strings.TrimSuffix(ws[1], "s")]) {
				return fmt.Sprintf("%q is a quantity, not a %s", ph, paramWhat(pr))
			}
		}
	}
	// Money goes to someone named: "private payment" is no receiver.
	switch pr.norm {
	case "receiver", "recipient", "payee", "beneficiary", "contact", "person":
		if !hasCapital(ph) && !strings.ContainsAny(ph, "@0123456789") {
			return fmt.Sprintf("%q names nobody", ph)
		}
	}
	// A place or a person is named, with a capital letter or a known place's name:
	// "studio sessions" is not a location.
	if how == srcPlace && pr.roles&rolePlace != 0 && pr.roles&(roleTo|roleFrom) == 0 && !hasCapital(ph) {
		if _, ok := cityZone(ph); !ok {
			return fmt.Sprintf("%q does not name a place", ph)
		}
	}
	return ""
}

// addressKind reports whether slots of kind k address something (a phone number, an
// e-mail address, a URL, a file): a phrase holding one is an instruction, not a value.
func addressKind(k slot.Kind) bool {
	return k == slot.Phone || k == slot.Email || k == slot.URL || k == slot.File
}

func hasCapital(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func shorten(s string) string {
	if len(s) <= 60 {
		return s
	}
	return s[:57] + "..."
}

// codeExamples reports whether pr's examples are all written as upper-case codes
// ("AAPL", "BRK.B").
func codeExamples(pr *paramInfo) bool {
	m := exampleList.FindStringSubmatch(pr.Description)
	if m == nil {
		return false
	}
	n := 0
	for _, part := range exampleItems.Split(m[1], -1) {
		e := strings.Trim(strings.TrimSpace(part), ".'\"")
		if e == "" {
			continue
		}
		if hasLower(e) || strings.ContainsAny(e, " ") {
			return false
		}
		n++
	}
	return n > 0
}

// hasLower reports whether s holds a lower-case letter.
func hasLower(s string) bool { return strings.IndexFunc(s, unicode.IsLower) >= 0 }

// paramWhat names a parameter for messages: "location (The city to ...)".
func paramWhat(pr *paramInfo) string {
	return strings.ReplaceAll(pr.Name, "_", " ")
}

// Shapes a parameter's name asks for.
var (
	ipShape   = func(v string) bool { _, err := netip.ParseAddr(strings.TrimSpace(v)); return err == nil }
	keyShape  = regexp.MustCompile(`^[A-Za-z0-9_\-.:/+=]{4,}$`)
	zipShape  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 \-]{1,9}$`)
	yearShape = regexp.MustCompile(`^\d{4}$`)
)

// shapeFits says why a string value does not have the shape the parameter's name asks
// for (an IP address, an API key or token, a postal code, a year), or "".
func shapeFits(pr *paramInfo, v string) string {
	nt := pr.nameTerms
	if (nt["country"] || pr.norm == "nation") && !isoCodeParam(pr) && strings.ContainsAny(v, "0123456789") {
		return fmt.Sprintf("%q is an address, not a country", v) // "to 400 Oak Ave"
	}
	if part := nameParts(pr); part != "" {
		// "Acme Corp" and "CRM" are no person's; "John Smith" is a first name and a last
		// name (personNameParts), not a first name.
		ws := strings.Fields(v)
		if len(ws) == 0 || acronym(v) || orgWords[strings.ToLower(strings.Trim(ws[len(ws)-1], "."))] {
			return fmt.Sprintf("%q is not a person's name", v)
		}
		if part == "first" && len(ws) > 1 {
			return fmt.Sprintf("%q is more than a first name", v)
		}
	}
	switch {
	case nt["ip"] || pr.norm == "ipaddress" || pr.norm == "ip":
		if !ipShape(v) {
			return fmt.Sprintf("%q is not an IP address", v)
		}
	case nt["apikey"] || nt["token"] || nt["secret"] || nt["password"] || (nt["api"] && nt["key"]) || pr.norm == "xapikey" || pr.norm == "apikey":
		if !keyShape.MatchString(v) || !strings.ContainsAny(v, "0123456789_-") {
			return fmt.Sprintf("%q does not look like a key or token", v)
		}
	case nt["zip"] || nt["zipcode"] || nt["postcode"] || nt["postal"]:
		if !zipShape.MatchString(v) || !strings.ContainsAny(v, "0123456789") {
			return fmt.Sprintf("%q is not a postal code", v)
		}
	case nt["domain"] || nt["hostname"] || pr.norm == "host":
		if u, err := url.Parse(v); err == nil && u.Host != "" && strings.Contains(u.Host, ".") && (u.Scheme == "http" || u.Scheme == "https") {
			break // "http://plgah.ca" names its host
		}
		if !nt["domain"] && (identifierPattern.MatchString(v) || v == "localhost") {
			break // a host of a network: web-03, db-01
		}
		if !strings.Contains(v, ".") || strings.ContainsAny(v, " /@") {
			return fmt.Sprintf("%q is not a domain name", v)
		}
	case (pr.norm == "template" || pr.norm == "tmpl") && len(pr.Enum) == 0:
		// (A template named from a list, "review_request", is one by its name.)
		if !strings.Contains(v, "{") {
			return fmt.Sprintf("%q has no placeholder: it is not a template", v)
		}
	case pr.norm == "year":
		if !yearShape.MatchString(v) {
			return fmt.Sprintf("%q is not a year", v)
		}
	case (nt["symbol"] || nt["ticker"]) && codeExamples(pr) && hasLower(v):
		// "Ticker symbol, e.g. AAPL": a company's name ("Tesla") is what a lookup turns
		// into the symbol, not the symbol.
		return fmt.Sprintf("%q is not a symbol like the %s takes", v, paramWhat(pr))
	case isoCodeParam(pr):
		// "ISO 3166-2 location code, e.g. 'FR'": a name ("Italy") is what a lookup
		// turns into the code, not the code.
		if !isoCodeShape.MatchString(v) && !quotedIn(pr.Description, v) {
			return fmt.Sprintf("%q is not a code like the %s takes", v, paramWhat(pr))
		}
	case isUnitParam(pr) && !inEnum(pr, v):
		// A unit is a unit's name ("celsius", "metric", "km"), not a phrase of the
		// request ("current weather forecast"). (One of the parameter's values is one:
		// "case", "each".)
		ok := false
		for _, w := range strings.Fields(strings.ToLower(v)) {
			if unitWords[strings.Trim(w, ".,°")] || len(w) <= 3 {
				ok = true
			}
		}
		if !ok {
			return fmt.Sprintf("%q is not a unit", v)
		}
	case iataOnly(pr):
		// "Origin airport IATA code, e.g. SFO": "Boston" is a city, not its airport.
		if !iataShape.MatchString(strings.ToUpper(v)) || v != strings.ToUpper(v) {
			return fmt.Sprintf("%q is not an airport code like the %s takes", v, paramWhat(pr))
		}
	case slashExamples(pr):
		// "Repository as owner/name, e.g. acme/api": a title is no repository.
		if !ownerName.MatchString(v) {
			return fmt.Sprintf("%q is not a %s written owner/name", shorten(v), paramWhat(pr))
		}
	}
	return ""
}

var iataShape = regexp.MustCompile(`^[A-Z]{3}$`)

// iataOnly reports whether pr takes an airport's IATA code and nothing else (no "or city
// name", no list of other forms).
func iataOnly(pr *paramInfo) bool {
	d := strings.ToLower(pr.Description)
	return strings.Contains(d, "iata") && !strings.Contains(d, "city") && !strings.Contains(d, "name") && !strings.Contains(d, " or ") && !strings.Contains(d, ":")
}

// ownerName is a path of two names: "acme/api", "kubernetes/kubernetes".
var ownerName = regexp.MustCompile(`^[A-Za-z0-9][\w.-]*/[\w.-]*[A-Za-z0-9]$`)

// slashExamples reports whether every example of pr's description is an owner/name
// path ("e.g. acme/api").
func slashExamples(pr *paramInfo) bool {
	if d := strings.ToLower(pr.Description); strings.Contains(d, "owner/name") || strings.Contains(d, "owner/repo") {
		return true
	}
	if len(pr.examples) == 0 {
		return false
	}
	for _, e := range pr.examples {
		if !ownerName.MatchString(e) {
			return false
		}
	}
	return true
}

// ownerNameIn returns the first owner/name path written in text ("in acme/web"), or "".
func ownerNameIn(text string) string {
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, ",.;:!?()'\"")
		if ownerName.MatchString(w) && !strings.Contains(w, "://") {
			return w
		}
	}
	return ""
}

// shapeOf collapses a value to its shape: runs of letters become "a", runs of digits
// "9", other characters stay ("v1.4.2" -> "a9.9.9", "acme/api" -> "a/a").
func shapeOf(v string) string {
	var b strings.Builder
	last := byte(0)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			c = 'a'
		case c >= '0' && c <= '9':
			c = '9'
		}
		if (c == 'a' || c == '9') && c == last {
			continue
		}
		b.WriteByte(c)
		last = c
	}
	return b.String()
}

// exampleShaped returns the first word of text with the shape of one of pr's examples,
// when those shapes are distinctive (they hold punctuation: "v1.4.2", "acme/api",
// "INC-1234"), or "".
func exampleShaped(pr *paramInfo, text string) string {
	shapes := map[string]bool{}
	// Shapes of letters and digits alone (an example MATH101 or CS50) take a word of
	// that shape written in capitals: PHYS201, not mp3.
	upper := map[string]bool{}
	// Codes of capital words joined by hyphens (an example TOTE-NAT or TSHIRT-BLK-M, a
	// SKU) take a code of about as many parts written so, whatever its parts hold:
	// SOCK-3PK-BLK.
	parts := map[int]bool{}
	// Digits joined by hyphens or slashes (an example '2019-20', a season) take a word
	// written with as many digits in each run: 2015-16, not 10-200. (Not dotted digits:
	// an IP address or a version is read as one elsewhere.)
	digits := map[string]bool{}
	for _, e := range pr.examples {
		sh := shapeOf(e)
		switch {
		case strings.ContainsAny(sh, "-/") && !strings.ContainsAny(sh, "a.") && strings.Contains(sh, "9"):
			digits[digitShape(e)] = true
		case strings.ContainsAny(sh, "./-_:@#") && strings.Contains(sh, "a"):
			shapes[sh] = true
			if k := strings.Index(strings.ToLower(pr.Description), e); k >= 0 {
				if n := hyphenedCaps(pr.Description[k : k+len(e)]); n > 0 {
					parts[n] = true // (as the description writes it: examples are lower-cased)
				}
			}
		case strings.Contains(sh, "a") && strings.Contains(sh, "9") && capsAndDigits(strings.ToUpper(e)):
			upper[sh] = true
		}
	}
	if len(shapes)+len(upper)+len(digits) == 0 {
		return ""
	}
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, ",;:!?()'\"")
		w = strings.TrimRight(w, ".")
		sh := shapeOf(strings.ToLower(w))
		if (shapes[sh] || upper[sh] && capsAndDigits(w) || nearParts(parts, hyphenedCaps(w)) || digits[digitShape(w)]) && !strings.Contains(w, "://") && (pr.re == nil || pr.re.MatchString(w)) {
			return w // (of the shape, and within the pattern: PET-104 is no slot VS-2231)
		}
	}
	return ""
}

// digitShape writes each digit of v as d and keeps everything else: "2019-20" ->
// "dddd-dd".
func digitShape(v string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'd'
		}
		return r
	}, v)
}

// hyphenedCaps returns the number of parts of a code of capitals joined by hyphens, a
// word of two capitals or more first and then parts of capitals and digits, each with a
// capital (TOTE-NAT: 2, SOCK-3PK-BLK: 3, HOODIE-GRY-L: 3), or 0 (INC-20931 and RSV-448120
// number something, 2027-01-05, Tote-Nat and TOTE are none).
func hyphenedCaps(v string) int {
	ps := strings.Split(v, "-")
	if len(ps) < 2 || len(ps[0]) < 2 || strings.IndexFunc(ps[0], func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return 0
	}
	for _, p := range ps[1:] {
		if p == "" || strings.IndexFunc(p, func(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') }) >= 0 ||
			strings.IndexFunc(p, func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
			return 0
		}
	}
	return len(ps)
}

// nearParts reports whether a code of n parts (hyphenedCaps) is one of the parts counts
// of parts, give or take one: SOCK-3PK-BLK for an example TOTE-NAT.
func nearParts(parts map[int]bool, n int) bool {
	return n > 0 && (parts[n] || parts[n-1] || parts[n+1])
}

// capsAndDigits reports whether v is made of capital letters and digits only, two
// letters at least: MATH101, CS50 (not 7b, not mp3).
func capsAndDigits(v string) bool {
	letters := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= 'A' && c <= 'Z':
			letters++
		case c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return letters >= 2
}

// fileMedia is the media a file name's extension says it holds, or "".
func fileMedia(name string) string { return lexicon.FileMedia(name) }

// mediaParamWords are the words a parameter uses for each medium it takes.
var mediaParamWords = map[string][]string{
	"image": {"image", "photo", "picture", "img"},
	"audio": {"audio", "sound", "voice", "speech", "recording"},
	"video": {"video", "movie", "clip"},
}

// paramMedia is the one medium a parameter's name and description ask for (an image to
// colorize, an audio to transcribe), or "" when they name none or several.
func paramMedia(pr *paramInfo) string {
	found := ""
	for media, words := range mediaParamWords {
		if mentionsAny(pr, words) {
			if found != "" {
				return ""
			}
			found = media
		}
	}
	return found
}

// isoCodeParam reports whether pr takes an ISO code (a country, language or currency
// code), as its description says, or a country code.
func isoCodeParam(pr *paramInfo) bool {
	d := strings.ToLower(pr.Description)
	if strings.Contains(d, "iso") && strings.Contains(d, "code") && !strings.Contains(d, "name") {
		return true
	}
	// "Country code of the region/country to return offers for" (not a dial code).
	nd := strings.ToLower(pr.Name) + " " + d
	return (strings.Contains(nd, "country code") || strings.Contains(nd, "country_code") || strings.Contains(nd, "countrycode")) &&
		!strings.Contains(nd, "dial") && !strings.Contains(nd, "phone") && !strings.Contains(nd, "calling")
}

// languageCodeParam reports whether pr takes a language code ("Language code, e.g. fr").
func languageCodeParam(pr *paramInfo) bool {
	d := strings.ToLower(pr.Name + " " + pr.Description)
	return strings.Contains(d, "language") && strings.Contains(d, "code")
}

// isoCodeShape matches ISO codes as written: "FR", "USA", "US-CA", "en", "eur".
var isoCodeShape = regexp.MustCompile(`^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,3})?$`)

// isUnitParam reports whether pr takes a unit or a unit system (not a flat's unit
// written as a code: "unit" with a pattern such as ^[A-Z]-[0-9]{3}$).
func isUnitParam(pr *paramInfo) bool {
	if pr.re != nil && !pr.re.MatchString("kg") && !pr.re.MatchString("metric") && !pr.re.MatchString("celsius") {
		return false // (its pattern writes no unit)
	}
	return pr.norm == "unit" || pr.norm == "units" || pr.norm == "unitsystem" || pr.norm == "temperatureunit"
}

// unitIn returns the first unit word of text, or "".
func unitIn(text string) string {
	for _, w := range strings.Fields(text) {
		if lw := strings.Trim(strings.ToLower(w), ".,;:!?°'\""); unitWords[lw] && len(lw) > 3 {
			return lw
		}
	}
	return ""
}

// unitWords name units and unit systems.
var unitWords = wordSet(`celsius centigrade fahrenheit kelvin metric imperial si us uk standard scientific
	meters metres kilometers kilometres miles feet inches yards kilograms grams pounds ounces liters litres
	gallons seconds minutes hours days weeks months years degrees radians percent knots mph kph kmh
	bytes kilobytes megabytes gigabytes dollars euros usd eur gbp`)

// evidence is what the planner knows about one clause's step: how its tool matched
// against the alternatives, and how much of the clause the step accounts for.
type evidence struct {
	Clause string `json:"clause"`
	Tool   string `json:"tool"`
	// Rank, Core, Nouns, Name and Verb are the tool's match (see candidate).
	Rank, Core, Nouns, Name float64
	Verb                    bool
	// Margin is the rank of the best other tool outside the chosen tool's family over
	// the chosen tool's rank (0 when there is none); Margin2 the same over every other tool.
	Margin, Margin2 float64
	// Content counts the clause's content words (outside slots, neither stop words nor
	// courtesy), Uncovered those that neither the tool's text nor an argument accounts for.
	Content, Uncovered int
	// OffCore counts the content words that neither the tool's name, description and
	// examples (its core, not its parameters' words) nor an argument accounts for.
	OffCore int
	// Typed counts the clause's typed values (phones, e-mails, URLs, dates, times,
	// amounts, files, numbers, quoted strings), Used those that went into arguments.
	Typed, Used int
	// Required counts the tool's required parameters, Phrased those filled from a
	// phrase of the clause rather than a typed value, a default or a reference.
	Required, Phrased int
	// Grounded counts the arguments taken from the request (a value, a phrase, an
	// example word or template key it states), not from a default or a reference.
	Grounded int
	Builtin  bool
	Clauses  int
}

// evidenceFor describes the step for clause c with candidate k of cands and its arguments.
func (b *builder) evidenceFor(c clause, cands []candidate, k int, args map[string]any, src map[string]argSrc) evidence {
	cd := cands[k]
	ti := b.p.tools[cd.tool]
	e := evidence{Clause: c.text, Tool: ti.tool.Name, Rank: cd.rank, Core: cd.core, Nouns: cd.nouns, Name: cd.name, Verb: cd.verb, Builtin: ti.builtin}
	for j, o := range cands {
		if j == k {
			continue
		}
		r := o.rank / math.Max(cd.rank, 1e-9)
		if r > e.Margin2 {
			e.Margin2 = r
		}
		if !b.p.sameFamily(cd.tool, o.tool) && r > e.Margin {
			e.Margin = r
		}
	}
	d := &b.p.ix.docs[cd.tool]
	var values []string
	for _, v := range args {
		plan.WalkStrings(v, func(s string) {
			// ("mark DL-7811 as won" said the word of the stage closed_won.)
			values = append(values, strings.ToLower(strings.ReplaceAll(s, "_", " ")))
		})
	}
	for _, w := range words(stateQuestion(maskSlots(c))) {
		lw := strings.ToLower(w)
		if blanked(lw) || stopWords[lw] || metaWords[lw] || greetingWords[lw] || nameIntroducers[lw] || len(lw) < 2 {
			continue
		}
		e.Content++
		covered, core := false, false
		for _, t := range terms(w) {
			covered = covered || d.tf[t] > 0
			core = core || d.core[t]
		}
		for _, v := range values {
			if containsWordFold(v, lw) {
				covered, core = true, true
			}
		}
		if !covered {
			e.Uncovered++
		}
		if !core {
			e.OffCore++
		}
	}
	for _, s := range c.slots {
		if s.Kind == slot.Name {
			continue
		}
		e.Typed++
		for _, a := range src {
			if (a.how == srcSlot || a.how == srcRequest) && a.slot.Start == s.Start && a.slot.End == s.End {
				e.Used++
				break
			}
		}
	}
	for _, a := range src {
		switch a.how {
		case srcRef, srcDefault, srcPeriod, "":
			// (Dates a named period gives say when, not what: "sabbatical leave for
			// all of May" is grounded by the leave, or not at all.)
		default:
			e.Grounded++
		}
	}
	for i := range ti.params {
		pr := &ti.params[i]
		if !pr.Required {
			continue
		}
		e.Required++
		switch src[pr.Name].how {
		case srcNamed, srcPlace, srcPhrase:
			e.Phrased++
		}
	}
	return e
}

// genericVerbs ask for nothing in particular on their own ("get me", "find", "show",
// "check", "make"): a tool need not say them.
var genericVerbs = wordSet(`get find show check make do let help see look use try have go put take give tell
	want need like know search list fetch retrieve provide display return start run set keep
	bring grab pull obtain access view request create add travel compare recommend suggest discover
	explore learn research figure mind execute perform complete handle conduct accomplish ensure`)

// actingVerbs are generic verbs that change something: no read-only tool does them.
var actingVerbs = wordSet("add create put set")

// desireVerbs, followed by "to", introduce the verb of the request ("I want to leave").
var desireVerbs = wordSet("want wants wanted need needs like love wish wishes hope plan planning going try trying would'd")

// delegateVerbs pass the request on: "ask the robot to wash", "tell my car to drive".
var delegateVerbs = wordSet("ask asks tell tells instruct instructs command commands")

// toWithin returns the index of "to" among ws[from:from+n] (after an object: "the
// robot"), or -1.
func toWithin(ws []string, from, n int) int {
	for k := from; k < len(ws) && k < from+n; k++ {
		if strings.EqualFold(ws[k], "to") {
			if k == from {
				return -1 // "ask to leave" asks, it does not delegate
			}
			return k
		}
	}
	return -1
}

// verbAgrees says why tool ti does not do what clause c's main verb asks, or "": a
// clause that asks to buy, fax, integrate or remind is not served by a tool whose name,
// description, examples and parameters never say so ("buy 10 shares of AAPL" is not a
// stock quote). Generic verbs ("get", "find", "make") and clauses without a verb agree
// with any tool.
func (p *Pattern) verbAgrees(c clause, ti *toolInfo) string {
	// A lower-case enum value ("post", "get") is a word here, as at clause boundaries.
	ws := words(maskSlots(clause{text: c.text, start: c.start, slots: verbNamesOut(c.text, c.start, boundarySlots(c.slots), p.isVerb)}))
	opening, infinitive, skip := true, -1, -1
	whQuestion := false
	for i, w := range ws {
		if i < skip {
			continue
		}
		lw := strings.ToLower(w)
		whQuestion = whQuestion || opening && whWords[lw]
		if opening && desireVerbs[lw] && i+1 < len(ws) && strings.EqualFold(ws[i+1], "to") {
			infinitive = i + 2 // "I'd like to depart at 9": the verb that matters is depart
			continue
		}
		if opening && delegateVerbs[lw] {
			// "ask the robot to wash the dishes": the robot is asked to wash.
			if k := toWithin(ws, i+1, 4); k > 0 {
				infinitive, skip = k+1, k+1
				continue
			}
		}
		if blanked(lw) || (stopWords[lw] || greetingWords[lw] || metaWords[lw]) && !(opening && (handsOver(ws, i) || p.getsForUser(ws, i, ti) != "")) {
			continue
		}
		verb := p.isVerb(lw) || p.isVerb(stem(lw)) || opening && (handsOver(ws, i) || p.getsForUser(ws, i, ti) != "")
		if i > 0 && determiners[strings.ToLower(ws[i-1])] {
			verb = false // "get the forecast": a noun
		}
		unknown := false
		if !verb && opening && (i == infinitive || i+1 < len(ws) && determiners[strings.ToLower(ws[i+1])]) && !requestOpeners[lw] && !statementSubjects[lw] {
			// "fax the lease", "we need to leave": a word the catalog never uses, in a
			// verb's place.
			verb, unknown = true, true
		}
		if !verb {
			if requestOpeners[lw] || lw == "i" || lw == "you" || opening && (statementSubjects[lw] || lw == "i'd" || lw == "we'd") {
				continue
			}
			return "" // the clause opens with a noun: no verb to agree with
		}
		if whQuestion && strings.HasSuffix(lw, "ed") {
			return "" // "how much data has Maya used": what was done, asked about
		}
		opening = false
		if thing := p.getsForUser(ws, i, ti); thing != "" && !ti.builtin && p.readOnly(ti) {
			// "get me tickets for EV-58213" over the event's details.
			return fmt.Sprintf("%q asks to get %s, which %s only reads about", c.text, thing, ti.tool.Name)
		}
		if (actingVerbs[lw] || handsOver(ws, i)) && !ti.builtin && p.readOnly(ti) && !p.ix.docs[p.toolIndex[ti]].acts[lw] {
			// "please add her to HM-AU-318552: Ava Lindqvist, ..." over a policy's
			// details: a tool that only reads adds nothing, generic as "add" is.
			return fmt.Sprintf("%q asks to %s, which %s does not do", c.text, lw, ti.tool.Name)
		}
		if genericVerbs[lw] || genericVerbs[stem(lw)] {
			return ""
		}
		d := &p.ix.docs[p.toolIndex[ti]]
		for _, t := range terms(w) {
			if d.acts[t] {
				return ""
			}
		}
		if d.acts[stem(lw)] || d.acts[lw] {
			return ""
		}
		if t := strings.TrimSuffix(stem(lw), "e"); len(t) > 4 && slices.ContainsFunc([]string{"ion", "ation", "ment", "al", "y"}, func(suf string) bool { return d.name[t+suf] }) {
			return "" // "irrigate the North 40" is what irrigation.start does, "deliver" deliveries_schedule
		}
		if again := p.ix.respelled(stem(lw)); again != "" && strings.HasPrefix(stem(lw), "re") && d.acts[again] {
			return "" // "reorder the kibble": what a tool that orders it does, again
		}
		for _, alt := range sameAction[stem(lw)] {
			if d.acts[alt] {
				return "" // "book a ticket" is what a tool that buys tickets does
			}
		}
		if unknown && len(p.covered(p.toolIndex[ti], p.contentTerms(c))) > 1 {
			// A verb no tool of the catalog uses ("align the audio with my video") is
			// judged by its objects: a tool that names them may well do it.
			return ""
		}
		return fmt.Sprintf("%q asks to %s, which %s does not do", c.text, lw, ti.tool.Name)
	}
	return ""
}

// getsForUser returns the thing word i of ws, "get me" (or "get us"), acquires when a
// tool of the catalogue which acts, and not tool ti, is named after it: "get me tickets
// for EV-58213" buys them (orders__buy_tickets), which events__get does not do; "get me
// the forecast" reads. "" otherwise.
func (p *Pattern) getsForUser(ws []string, i int, ti *toolInfo) string {
	if !strings.EqualFold(ws[i], "get") || i+2 >= len(ws) {
		return ""
	}
	if me := strings.ToLower(ws[i+1]); me != "me" && me != "us" {
		return ""
	}
	for _, w := range ws[i+2:] {
		lw := strings.ToLower(w)
		if blanked(lw) || determiners[lw] || stopWords[lw] || isDigits(lw) {
			continue
		}
		ts := terms(w)
		if len(ts) == 0 || p.ix.docs[p.toolIndex[ti]].name[ts[0]] {
			return ""
		}
		for _, o := range p.tools {
			if o != ti && !o.builtin && !p.readOnly(o) && p.ix.docs[p.toolIndex[o]].name[ts[0]] {
				return w
			}
		}
		return ""
	}
	return ""
}

// handsOver reports whether word i of ws is "give" or "hand" passing something on to
// someone ("give LD-21004 to Tom", "hand the lead over to Priya", "give Ryan Cole a
// detention"), not handing it to the user ("give me the forecast").
func handsOver(ws []string, i int) bool {
	if lw := strings.ToLower(ws[i]); lw != "give" && lw != "hand" || i+1 >= len(ws) {
		return false
	}
	switch strings.ToLower(ws[i+1]) {
	case "me", "us", "myself":
		return false
	}
	for k := i + 1; k+1 < len(ws); k++ {
		if strings.EqualFold(ws[k], "to") {
			next := strings.ToLower(ws[k+1])
			return next != "me" && next != "us" && next != "myself"
		}
	}
	// "give Ryan Cole an after school detention", "give him a merit": someone, then
	// the thing given.
	if first := ws[i+1]; first != "" && (unicode.IsUpper(rune(first[0])) || blanked(strings.ToLower(first)) || strings.EqualFold(first, "him") || strings.EqualFold(first, "her") || strings.EqualFold(first, "them")) {
		for k := i + 2; k < len(ws) && k <= i+4; k++ {
			if lw := strings.ToLower(ws[k]); lw == "a" || lw == "an" || lw == "the" {
				return true
			}
		}
	}
	return false
}

// whWords open a question that asks what, when, how much.
var whWords = wordSet("what what's whats when where where's who whom which how how's why")

// sameAction lists, for a verb, the verbs a tool may use for the same action (terms as
// indexed: "reserve" is indexed as "book", "purchase" as "buy").
var sameAction = map[string][]string{
	"book":     {"buy", "order", "schedule", "arrange", "make"},
	"buy":      {"book", "order", "pay"},
	"order":    {"buy", "book", "request"},
	"schedule": {"book", "arrange", "set", "create", "add", "organize", "plan"},
	"arrange":  {"book", "schedule", "organize", "set"},
	"organize": {"arrange", "schedule", "create", "host"},
	"send":     {"email", "sms", "message", "share", "post", "deliver", "mail", "transfer", "pay"},
	"email":    {"send", "mail"},
	"sms":      {"send", "message"},
	"message":  {"send", "sms", "post"},
	"share":    {"post", "send", "publish"},
	"post":     {"share", "publish", "send"},
	"delete":   {"remove", "cancel", "erase"},
	"open":     {"create", "add", "start"}, // "open an issue", "open a ticket"
	"raise":    {"create", "add", "open"},
	"remove":   {"delete", "cancel"},
	"cancel":   {"delete", "remove"},
	"add":      {"create", "new", "insert", "set", "save"},
	"create":   {"add", "new", "make", "generate", "set", "save"},
	"save":     {"store", "write", "create", "add", "note"},
	"write":    {"save", "create", "compose", "draft", "note"},
	"file":     {"submit", "do", "send", "create", "add"}, // "file a tax return", "file a bug"
	"call":     {"dial", "phone", "ring"},
	"talk":     {"speak", "chat", "call", "consult", "see", "meet", "message"},
	"speak":    {"talk", "chat", "call", "consult", "see", "meet"},
	"pay":      {"payment", "settle", "transfer", "send"},
	"transfer": {"send", "move", "pay"},
	"turn":     {"switch", "set"},
	"switch":   {"turn", "set"},
	"start":    {"begin", "launch", "run", "open", "organize", "host"}, // "start an online meeting"
	"host":     {"organize", "arrange", "start"},
	"join":     {"attend", "enter", "connect"}, // "join the online meeting"
	"attend":   {"join", "enter"},
	"stop":     {"end", "pause", "cancel"},
	"rent":     {"book", "hire", "reserve"},
	"hire":     {"book", "rent"},
	"reply":    {"respond", "answer", "send"},
	"remind":   {"schedule", "set", "create", "add"},                  // "remind me to follow up" with a follow-up reminder
	"log":      {"record", "add", "create", "save", "track", "enter"}, // "log an expense"
	"record":   {"log", "add", "save", "track", "enter"},
	"track":    {"log", "record", "add"},

	"compute":   {"calculate", "evaluate", "multiply", "add", "sum", "subtract", "divide"},
	"calculate": {"compute", "evaluate", "multiply", "add", "sum", "subtract", "divide"},

	"convert": {"transform", "change"},
	"update":  {"change", "edit", "modify", "set"},
	"change":  {"update", "edit", "modify", "set"},
	"edit":    {"update", "change", "modify"},
}

// determiners start a noun phrase: a word right before one is in a verb's place.
var determiners = wordSet("the a an my our your his her their this that these those some all every each any no")

// conjunctions join a second thing to a clause's first ("the air quality and the
// forecast", "my water bill and then my Visa card").
var conjunctions = []string{" and then ", " and also ", " as well as ", " and ", " plus ", " then "}

// coversConjuncts says why the steps planned for clause c leave out a thing the clause
// joins with "and", or "": the words after the last conjunction must be one of the steps'
// tools' or arguments' ("the forecast there for tomorrow" is not the air quality).
// listedItem reports whether the conjunct rest opens with an item of a list a step took
// whole from the clause (itemsPhrase).
func listedItem(rest string, steps []built) bool {
	rest = strings.TrimSpace(rest)
	for _, st := range steps {
		for _, v := range st.step.Args {
			items, ok := v.([]any)
			if !ok {
				continue
			}
			for _, x := range items {
				it, _ := x.(string)
				if it = asciiLower(it); it != "" && (strings.HasPrefix(rest, it) || strings.HasPrefix(rest, "a "+it) || strings.HasPrefix(rest, "an "+it) || strings.HasPrefix(rest, "some "+it) || strings.HasPrefix(rest, "the "+it)) {
					return true
				}
			}
		}
	}
	return false
}

func (p *Pattern) coversConjuncts(c clause, steps []built) (string, int) {
	if len(steps) == 0 {
		return "", -1
	}
	masked := asciiLower(maskSlots(c))
	if why := secondMeasure(c, steps); why != "" {
		return why, -1
	}
	if why := samePrepositionPair(c, steps); why != "" {
		return why, -1
	}
	if why := p.recipientLeft(c, steps); why != "" {
		return why, -1
	}
	if why := secondQuoted(c, steps); why != "" {
		return why, -1
	}
	if why := secondListed(c, masked, steps); why != "" {
		return why, -1
	}
	if why := listedName(c, steps); why != "" {
		return why, -1
	}
	if why := unusedOwnEnum(c, steps); why != "" {
		return why, -1
	}
	cut := -1
	for _, conj := range conjunctions {
		if k := strings.LastIndex(masked, conj); k >= 0 && k+len(conj) > cut {
			cut = k + len(conj)
		}
	}
	if cut < 0 {
		return "", -1
	}
	switch strings.ToLower(firstWord(masked[cut:])) {
	case "if", "when", "whenever", "once", "unless", "after", "before", "while", "until":
		return "", -1 // "and if it rains": a condition, not a thing to do
	}
	if listedItem(asciiLower(c.text[min(cut, len(c.text)):]), steps) {
		return "", -1 // "order a margherita pizza and a coke": the coke is an item of the order
	}
	var values []string
	for _, st := range steps {
		for _, v := range st.step.Args {
			plan.WalkStrings(v, func(s string) { values = append(values, strings.ToLower(s)) })
		}
	}
	// "reset passwords for mkhan and jdoe": the value after the conjunction was taken
	// and the word of its kind before it was not; one of two would be dropped.
	if before, after := aroundConjunction(asciiLower(c.text), cut); before != "" && after != "" && slices.Contains(values, after) && !slices.ContainsFunc(values, func(v string) bool { return containsWordFold(v, before) }) &&
		shapeOf(before) == shapeOf(after) && !stopWords[before] && !p.isVerb(before) {
		return fmt.Sprintf("%q also asks for %q, which no step does", c.text, before), -1
	}
	// A second place for a step that has one ("... and the current weather in Milan",
	// "... and from LAX to SFO") is a second request the plan would drop, whatever words
	// of it the first step's tool uses or values it shares.
	for _, s := range c.slots {
		if s.Start-c.start < cut || s.Kind != slot.Name {
			continue
		}
		if !usedBySteps(s, steps) && !codeTaken(s.Text, values) && p.secondPlace(s, c, steps) {
			return fmt.Sprintf("%q also asks for %q, which no step does", c.text, strings.TrimSpace(c.text[min(cut, len(c.text)):])), -1
		}
	}
	// "a call with Sam and Dana on 2027-01-04": a name opening the conjunct, when a step
	// took a name before the conjunction and none takes this one, is a second person or
	// thing the plan would drop, whatever else of the conjunct a step took.
	if why := p.secondName(c, cut, steps); why != "" {
		return why, -1
	}
	// "the weather in Rome now and the forecast for tomorrow": a first conjunct that
	// asks about the present, when the steps are dated by the second, is a request for
	// the present that the dated step does not answer.
	if why := presentAndDated(c, masked[:cut], cut, steps); why != "" {
		return why, -1
	}
	// "book me a flight from London and a room at Hotel Artemide": a conjunct that
	// opens with a thing (a room) the steps' tools never name is a second object of
	// the verb, whatever value of it a step took (the hotel as the flight's
	// destination).
	if head := conjunctHead(masked[cut:]); head != "" && !p.stepsDo(steps, head) {
		covered := false
		for _, v := range values {
			covered = covered || containsWordFold(v, head)
		}
		if !covered {
			return fmt.Sprintf("%q also asks for %q, which no step does", c.text, strings.TrimSpace(c.text[min(cut, len(c.text)):])), -1
		}
	}
	// A value of the conjunct that went into an argument accounts for it ("and returns
	// on April 12": the return date); not a value the part before the conjunction states
	// too ("to Athens ... and a hotel in Athens": the flight took the first).
	var unused []string
	for _, s := range c.slots {
		if s.Start-c.start < cut {
			continue
		}
		stated := false
		for _, o := range c.slots {
			stated = stated || o.Start-c.start < cut && (o.Value == s.Value || sameUnit(o.Text, s.Text))
		}
		for _, st := range steps {
			if !stated && slotUsed(s, st.step.Args) {
				// What comes before the conjunction must still be served ("the
				// factorial of 6 and the area of a circle with radius 3"), and the
				// conjunct's other values too: "for Pepper on friday at 10 and for
				// Rocco on saturday at 2pm" took 2pm and left Saturday.
				if why := secondOfKind(c, cut, cut, steps); why != "" {
					return why, -1
				}
				return p.firstConjunct(c, masked[:cut], steps, values), -1
			}
		}
		if (s.Kind == slot.Name || s.Kind == slot.Quoted) && !codeTaken(s.Text, values) {
			unused = append(unused, s.Text)
		}
	}
	if why := p.secondValue(c, masked[:cut], masked[cut:], steps); why != "" {
		return why, -1
	}
	// "the balance of account 1234 and account 5678": a value after the conjunction of
	// the kind a step took before it, which no step takes, is a second call dropped.
	if why := secondOfKind(c, cut, cut, steps); why != "" {
		return why, -1
	}
	if why := p.firstConjunct(c, masked[:cut], steps, values); why != "" {
		return why, -1
	}
	// "email john@example.com and my boss about the delay": a possessed noun the steps
	// neither name nor took is a second recipient, item or thing the plan would drop.
	if aw := words(masked[cut:]); len(aw) > 1 && possessives[strings.ToLower(aw[0])] {
		w := strings.ToLower(aw[1])
		covered := stopWords[w] || blanked(w)
		for _, st := range steps {
			covered = covered || p.docHas(st.tool, w)
		}
		for _, v := range values {
			covered = covered || containsWordFold(v, w)
		}
		if !covered {
			return fmt.Sprintf("%q also asks for %q, which no step does", c.text, strings.TrimSpace(c.text[min(cut, len(c.text)):])), -1
		}
	}
	content := 0
	for i, w := range words(masked[cut:]) {
		if blanked(w) || stopWords[w] || metaWords[w] || prepositions[w] || len(w) < 2 || len(terms(w)) == 0 || strings.Trim(w, "0123456789") == "" || ordinalSuffix[w] {
			continue
		}
		content++
		if i == 0 && !genericVerbs[w] && (p.someToolDoes(w) || baseVerbs[w]) && !p.stepsDo(steps, w) {
			// "order seeds and water the garden": a conjunct that opens with a verb
			// none of the steps does asks for another step, whatever words of its
			// object a step's tool happens to use ("garden shop"); so does one with a
			// verb no tool is written with ("search for Prophet Song and hold a copy",
			// the search's tool telling of copies in stock).
			return fmt.Sprintf("%q also asks to %s, which no step does", c.text, w), cut
		}
		for _, st := range steps {
			d := &p.ix.docs[p.toolIndex[st.tool]]
			for _, t := range terms(w) {
				if d.tf[t] > 0 {
					return "", -1
				}
			}
		}
		for _, v := range values {
			if containsWordFold(v, w) {
				return "", -1
			}
		}
		if cw := words(masked[cut:]); len(unused) == 0 && conjunctHead(masked[cut:]) == "" && i == 0 && len(cw) > 1 && prepositions[strings.ToLower(cw[1])] &&
			isNoun(w) && !countWords[w] && !p.isVerb(w) && !baseVerbs[w] && !baseVerbs[stem(w)] {
			// "add milk and eggs to my todo list": the thing the conjunct names first,
			// before a preposition, is no step's; the shared words after it ("to my
			// todo list") cannot answer for it.
			break
		}
	}
	if content == 0 && len(unused) == 0 {
		return "", -1
	}
	// ("the weather in Boston and in Denver": Denver, which no step takes, is a second
	// call the plan would drop.)
	return fmt.Sprintf("%q also asks for %q, which no step does", c.text, strings.TrimSpace(c.text[min(cut, len(c.text)):])), cut
}

// sendingVerbs send a thing or money to someone ("send $25 to alex", "pay 40 to my
// landlord", "forward it to Dana").
var sendingVerbs = wordSet(`send sends pay pays transfer transfers wire wires forward forwards remit venmo`)

// recipientEnds end the words of a recipient after "to": what follows says when, how or
// what, not who ("to alex on friday", "to my mom for dinner").
var recipientEnds = wordSet(`for on at by with about via from in into and then but so saying that which who
	tomorrow today tonight now please asap`)

// recipientAddresses name where a recipient is reached ("to my husband's phone").
var recipientAddresses = wordSet(`phone number mobile cell email inbox address`)

// recipientLeft says why the steps for clause c drop the one a sending verb sends to, or
// "": "send $25 to alex" paid 25 to nobody, the tool's recipient being an e-mail address
// or a phone number that "alex" is not. The recipient is served when a step holds its
// value (an address, "savings" for a transfer's account), the step's tool names it
// ("to savings" for a tool that moves money to savings), or, for "him", "her" or "them",
// a step takes an earlier step's output.
func (p *Pattern) recipientLeft(c clause, steps []built) string {
	ws := strings.Fields(asciiLower(c.text))
	verb := -1
	for i, w := range ws {
		if sendingVerbs[strings.Trim(w, ",.;:!?")] {
			verb = i
			break
		}
	}
	if verb < 0 {
		return ""
	}
	to := slices.Index(ws[verb+1:], "to")
	if to < 0 {
		return ""
	}
	var who, written []string
	orig := strings.Fields(c.text) // (asciiLower keeps every byte's place)
	for k, w := range ws[verb+1+to+1:] {
		bare := strings.Trim(w, ",.;:!?'\"")
		t := strings.TrimSuffix(strings.TrimSuffix(bare, "'s"), "’s") // "Thomas's account"
		if t == "" || recipientEnds[t] || len(who) == 4 {
			break
		}
		who = append(who, t)
		written = append(written, strings.Trim(orig[verb+1+to+1+k], ",.;:!?'\""))
		if bare != w {
			break // "to alex, then ...": the punctuation ends it
		}
	}
	if len(who) == 0 || p.isVerb(who[0]) && !nounsToo[who[0]] || who[0] == "me" || who[0] == "myself" || who[0] == "us" {
		return "" // "to pay for dinner": what for; "to me": the user
	}
	phrase := strings.Join(who, " ")
	head := who[len(who)-1]
	if determiners[head] || possessives[head] || stopWords[head] && !objectPronouns[head] && head != "her" {
		return ""
	}
	for _, s := range c.slots {
		// "to +1 555 010 2233", "to Alex Moreno": a typed value a step takes.
		if lt := asciiLower(s.Text); (strings.HasPrefix(lt, who[0]) || strings.Contains(phrase, lt)) && usedBySteps(s, steps) {
			return ""
		}
	}
	for _, st := range steps {
		if p.docHas(st.tool, head) && !objectPronouns[head] && head != "her" {
			return ""
		}
		for _, v := range st.step.Args {
			served := false
			plan.WalkStrings(v, func(x string) {
				served = served || (objectPronouns[head] || head == "her") && strings.Contains(x, "${")
				// "to my husband's phone, +44 7700 900123": the address the step took.
				served = served || recipientAddresses[head] && (strings.Contains(x, "@") || len(strings.Trim(x, "+0123456789 ()-")) == 0 && len(x) >= 7)
				for _, w := range who {
					// "to my friend Thomas's account": Thomas, whatever else is said of him.
					served = served || !stopWords[w] && !possessives[w] && containsWordFold(x, w)
				}
			})
			if served {
				return ""
			}
		}
	}
	return fmt.Sprintf("%q sends to %q, a recipient no argument of %s takes", c.text, strings.Join(written, " "), steps[0].tool.tool.Name)
}

// secondMeasure says why the steps for clause c drop a number it measures in the unit
// of one they took, or a percentage when they took one, or "": "dropped from 20 m, 45 m
// and 80 m" asks three times, and the heights no step takes would be dropped, wherever in
// the clause they are ("a tip at 15%, 18% and 20%").
func secondMeasure(c clause, steps []built) string {
	for _, s := range c.slots {
		if s.Kind != slot.Number && s.Kind != slot.Percent && s.Kind != kindDuration || usedBySteps(s, steps) || durationUsed(s, steps) {
			continue
		}
		d := unitAfter(c.text, s.End-c.start)
		if s.Kind == kindDuration {
			d = dimTime // "4 hours a day"
		}
		if d == 0 && s.Kind == slot.Number {
			continue
		}
		// "a 1500 W heater 4 hours a day": the hours went unused while the parameter
		// measured in hours took another number.
		for _, st := range steps {
			for pi := range st.tool.params {
				pr := &st.tool.params[pi]
				if _, took := st.step.Args[pr.Name]; took && d != 0 && pr.dims&d != 0 {
					end := s.End - c.start
					if s.Kind != kindDuration {
						end = withUnit(c.text, end)
					}
					return fmt.Sprintf("%q gives %s, which no step takes", c.text, c.text[s.Start-c.start:end])
				}
			}
		}
		for _, o := range c.slots {
			if o.Kind == s.Kind && o.Start != s.Start && (s.Kind == slot.Percent || unitAfter(c.text, o.End-c.start) == d) && usedBySteps(o, steps) {
				return fmt.Sprintf("%q also asks for %s, which no step takes", c.text, c.text[s.Start-c.start:withUnit(c.text, s.End-c.start)])
			}
		}
	}
	return ""
}

// secondQuoted says why the steps for clause c drop a value it quotes while they took
// another quoted value, or "": "reviews for '1984' and 'Brave New World'" asks twice,
// and one call for the second drops the first (a number in quotes is quoted too).
func secondQuoted(c clause, steps []built) string {
	quoted := func(s slot.Slot) bool {
		if s.Kind == slot.Quoted {
			return true
		}
		lo, hi := s.Start-c.start, s.End-c.start
		return lo > 0 && hi < len(c.text) && strings.ContainsRune("'\"‘“", rune(c.text[lo-1])) && strings.ContainsRune("'\"’”", rune(c.text[hi]))
	}
	for _, st := range steps {
		for _, v := range st.step.Args {
			if _, list := v.([]any); list {
				return "" // quoted items a list took: which went where is the list's business
			}
		}
	}
	for _, s := range c.slots {
		if !quoted(s) || usedBySteps(s, steps) {
			continue
		}
		for _, o := range c.slots {
			if o.Start != s.Start && quoted(o) && usedBySteps(o, steps) && listJoined(c, s, o) {
				return fmt.Sprintf("%q also asks for %s, which no step takes", c.text, c.text[s.Start-c.start:s.End-c.start])
			}
		}
	}
	return ""
}

// listedName says why the steps for clause c drop a name listed with one a step took,
// or "": "how much Citra and Maris Otter do we have" checked Maris Otter alone.
func listedName(c clause, steps []built) string {
	for _, s := range c.slots {
		if s.Kind != slot.Name || usedBySteps(s, steps) || argsOfStepsMention(steps, s.Text) {
			continue
		}
		for _, o := range c.slots {
			if j, ok := listJoiner(c, s, o); ok && (j == "and" || j == "&") && o.Start != s.Start && o.Kind == slot.Name && usedBySteps(o, steps) {
				// (A comma alone joins no list here: "London, UK" is a city and its
				// country.)
				return fmt.Sprintf("%q also asks for %s, which no step takes", c.text, s.Text)
			}
		}
	}
	return ""
}

// argsOfStepsMention reports whether some string argument of steps holds text.
func argsOfStepsMention(steps []built, text string) bool {
	return slices.ContainsFunc(steps, func(st built) bool { return argsMention(st.step.Args, text) })
}

// listJoined reports whether slots a and b of clause c are items of one list: only
// quotes, commas and "and" between them ("'1984' and 'Brave New World'"; not "from
// 'Frank' to 'Bob'").
func listJoined(c clause, a, b slot.Slot) bool {
	j, ok := listJoiner(c, a, b)
	return ok && (j == "and" || j == "" || j == "&")
}

// listJoiner returns the words between slots a and b of clause c, lower case, without
// the quotes, commas and spaces around them, and whether the slots are in order inside
// the clause.
func listJoiner(c clause, a, b slot.Slot) (string, bool) {
	if a.Start > b.Start {
		a, b = b, a
	}
	lo, hi := a.End-c.start, b.Start-c.start
	if lo < 0 || hi > len(c.text) || lo > hi {
		return "", false
	}
	return strings.Trim(strings.ToLower(c.text[lo:hi]), " '\"‘’“”,"), true
}

// prepositionPair matches two objects of one preposition joined by "and": "for apples
// and for bananas".
var prepositionPair = regexp.MustCompile(`(?i)\b(for|of|in|to|about|on|with|from)\s+([\w'-]+)\s+and\s+(for|of|in|to|about|on|with|from)\s+([\w'-]+)`)

// samePrepositionPair says why the steps for clause c serve the second object of "for X
// and for Y" and drop the first, or "": "nutrition facts for apples and for bananas"
// looked up the bananas alone.
func samePrepositionPair(c clause, steps []built) string {
	var values []string
	for _, st := range steps {
		for _, v := range st.step.Args {
			plan.WalkStrings(v, func(s string) { values = append(values, strings.ToLower(s)) })
		}
	}
	taken := func(w string) bool {
		w = strings.ToLower(w)
		return slices.ContainsFunc(values, func(v string) bool {
			return containsWordFold(v, w) || containsWordFold(v, stem(w)) || stem(v) == stem(w)
		})
	}
	for _, m := range prepositionPair.FindAllStringSubmatch(c.text, -1) {
		if !strings.EqualFold(m[1], m[3]) || stopWords[strings.ToLower(m[2])] {
			continue
		}
		if taken(m[4]) && !taken(m[2]) {
			return fmt.Sprintf("%q also asks for %q, which no step takes", c.text, m[2])
		}
	}
	return ""
}

// durationUsed reports whether a step took duration slot s, in the unit its parameter
// counts ("25 minute timer" is minutes=25, "a free hour" duration_minutes=60).
func durationUsed(s slot.Slot, steps []built) bool {
	if s.Kind != kindDuration {
		return false
	}
	for _, st := range steps {
		for pi := range st.tool.params {
			pr := &st.tool.params[pi]
			v, took := st.step.Args[pr.Name]
			if !took {
				continue
			}
			if w, ok := durationAs(pr, s); ok && fmt.Sprint(w) == fmt.Sprint(v) {
				return true
			}
		}
	}
	return false
}

// codeTaken reports whether the language or country name is among values as its code:
// "into French and German" for a parameter of language codes took de.
func codeTaken(name string, values []string) bool {
	if code, ok := lexicon.LanguageCode(name); ok && slices.Contains(values, strings.ToLower(code)) {
		return true
	}
	code, ok := lexicon.CountryCode(name)
	return ok && slices.Contains(values, strings.ToLower(code))
}

// secondListed says why the steps for clause c drop a second item of a list written
// with commas, or "": a value after the last comma of a kind a step took before it,
// which no step takes ("log Max's weight: 31 kg, Luna's weight: 4 kg" logged Max's
// alone), as the conjunction check does for "and".
func secondListed(c clause, masked string, steps []built) string {
	k := strings.LastIndex(masked, ", ")
	if k < 0 {
		return ""
	}
	return secondOfKind(c, k, k+2, steps)
}

// secondOfKind says why the steps drop a value of clause c that starts at offset after
// or later (see secondKinds) when a step took a value of its kind before offset before,
// or "".
func secondOfKind(c clause, before, after int, steps []built) string {
	for _, s := range c.slots {
		if s.Start-c.start < after || !secondKinds[s.Kind] {
			continue
		}
		if usedBySteps(s, steps) {
			continue
		}
		for _, o := range c.slots {
			if o.Start-c.start < before && kindOf(o.Kind) == kindOf(s.Kind) && usedBySteps(o, steps) && !restates(c, o, s) {
				return fmt.Sprintf("%q also asks for %s, which no step takes", c.text, s.Text)
			}
		}
	}
	return ""
}

// secondKinds are the kinds of value a second of which, after a first a step took, is
// a second call: "which day was July 20, 1969, and which day was November 9, 1989".
var secondKinds = map[slot.Kind]bool{slot.Number: true, slot.Phone: true, slot.Email: true, slot.Money: true, slot.URL: true,
	slot.Date: true, slot.Time: true, slot.Percent: true, slot.File: true, slot.Quoted: true}

// restates reports whether the date or time s says again the one o says, or the day
// it is counted from: "this coming Saturday, which is 2023-10-07", "on the upcoming
// Monday, assuming today is April 4th, 2023". Only a conjunction between them joins two
// ("July 20, 1969, and ... November 9, 1989").
func restates(c clause, o, s slot.Slot) bool {
	if s.Kind != slot.Date && s.Kind != slot.Time {
		return false
	}
	if o.End > s.Start {
		o, s = s, o
	}
	if o.End > s.Start {
		return false
	}
	between := " " + asciiLower(c.text[o.End-c.start:s.Start-c.start]) + " "
	return !strings.Contains(between, " and ") && !strings.Contains(between, " or ") && !strings.Contains(between, " & ")
}

// kindOf folds an amount of money into the numbers: "my water bill of 31 euros and my
// internet bill of 39.99" states two amounts, one with its currency.
func kindOf(k slot.Kind) slot.Kind {
	if k == slot.Money {
		return slot.Number
	}
	return k
}

// unusedOwnEnum says why the steps for clause c drop a value of their own tools' enums
// that the clause states, or "": "turn on the bedroom and hallway lights" served for the
// bedroom alone would leave the hallway dark. The value counts as dropped when its
// parameter took another value that a list joins to it ("and", a comma, "too"), or when
// the parameter was left to its default.
func unusedOwnEnum(c clause, steps []built) string {
	for _, s := range c.slots {
		if s.Kind != slot.Enum || usedBySteps(s, steps) {
			continue
		}
		if periodWhen(c, s) {
			continue // "last week": when, not a value (unusedEnumValue and periodSpan weigh it)
		}
		for _, st := range steps {
			for pi := range st.tool.params {
				pr := &st.tool.params[pi]
				if !inEnum(pr, s.Value) {
					continue
				}
				v, took := st.step.Args[pr.Name].(string)
				if took && strings.EqualFold(v, s.Value) {
					continue
				}
				if !took || listedWith(c, s, v) {
					return fmt.Sprintf("%q names %s, which no step takes", c.text, s.Text)
				}
			}
		}
	}
	return ""
}

// listedWith reports whether clause c joins the value of its slot s to another value v
// it states, as a list does: "the bedroom and hallway", "bedroom, hallway", "the bedroom
// lights, hallway too"; "music or theater" asks for both kinds too.
func listedWith(c clause, s slot.Slot, v string) bool {
	for _, o := range c.slots {
		if o.Kind != slot.Enum || !strings.EqualFold(o.Value, v) {
			continue
		}
		lo, hi := o.End-c.start, s.Start-c.start
		if hi < lo {
			lo, hi = s.End-c.start, o.Start-c.start
		}
		if lo < 0 || hi > len(c.text) || lo > hi {
			continue
		}
		between := " " + asciiLower(c.text[lo:hi]) + " "
		after := c.text[min(max(s.End-c.start, 0), len(c.text)):]
		if strings.Contains(between, " and ") || strings.Contains(between, " or ") || strings.Contains(between, ",") || strings.Contains(between, " & ") ||
			strings.Contains(between, " versus ") || strings.Contains(between, " vs ") || strings.Contains(between, " vs. ") ||
			containsWordFold(after, "too") || containsWordFold(after, "as well") {
			return true
		}
	}
	return false
}

// inEnum reports whether v is one of pr's enum values.
func inEnum(pr *paramInfo, v string) bool {
	return slices.ContainsFunc(pr.enumRaw, func(x any) bool { s, ok := x.(string); return ok && strings.EqualFold(s, v) })
}

// nationalityParam reports whether pr's examples are peoples' adjectives ("e.g.
// Indian", "e.g. French, German").
func nationalityParam(pr *paramInfo) bool {
	for _, e := range pr.examples {
		if _, adj, ok := lexicon.Country(e); ok && adj {
			return true
		}
	}
	return false
}

// boundBefore returns the words before byte offset i of request that make the number
// there a bound ("under", "at most", "more than"), or "".
func boundBefore(request string, i int) string {
	ws := strings.Fields(strings.ToLower(request[:i]))
	if len(ws) == 0 {
		return ""
	}
	last := strings.Trim(ws[len(ws)-1], ",;:$€£")
	if len(ws) > 1 {
		two := strings.Trim(ws[len(ws)-2], ",;:") + " " + last
		switch two {
		case "at most", "at least", "less than", "more than", "fewer than", "up to", "no more", "greater than":
			return two
		}
	}
	switch last {
	case "under", "below", "over", "above", "max", "maximum", "min", "minimum", "within":
		return last
	}
	return ""
}

// boundCounts reports whether the noun after a bound's number (rest, after articles) is
// what parameter pr counts: "at least 2 bedrooms" for a number of bedrooms.
func boundCounts(pr *paramInfo, rest string) bool {
	for _, w := range strings.Fields(strings.ToLower(rest)) {
		w = strings.Trim(w, ",.;:!?()")
		if w == "a" || w == "an" || w == "the" || w == "per" || w == "each" {
			continue
		}
		return w != "" && !stopWords[w] && !prepositions[w] && countsFor(pr, w)
	}
	return false
}

// boundTerms mark a parameter that takes a bound.
var boundTerms = termSet("max maximum min minimum limit budget price cost rate rating under below above over least most upper lower cap threshold radius distance within top")

// secondName says why clause c, cut at its last conjunction, drops the name that opens
// the conjunct, or "": a name no step took, right after the conjunction, when a step took
// a name before it.
func (p *Pattern) secondName(c clause, cut int, steps []built) string {
	tookBefore := false
	for _, s := range c.slots {
		if s.Start-c.start < cut && s.Kind == slot.Name && usedBySteps(s, steps) {
			tookBefore = true
		}
	}
	if !tookBefore {
		return ""
	}
	for _, s := range c.slots {
		at := s.Start - c.start
		if at < cut {
			continue
		}
		if s.Kind == slot.Name && at <= len(c.text) && onlyDeterminers(c.text[cut:at]) && !usedBySteps(s, steps) {
			return fmt.Sprintf("%q also asks for %s, which no step takes", c.text, s.Text)
		}
		break
	}
	return ""
}

// onlyDeterminers reports whether text holds nothing but determiners ("", "the", "my"):
// "the Chicago Bulls and the Miami Heat" opens its conjunct with a name.
func onlyDeterminers(text string) bool {
	for _, w := range strings.Fields(asciiLower(text)) {
		if !determiners[w] {
			return false
		}
	}
	return true
}

// secondValue says why a clause that joins two things of one parameter ("the gas and
// water bills", "my phone bill and my electricity bill") got one call for one of them,
// or "": a word after the conjunction that is an example or enum value of a parameter a
// step filled with another value, or the same head noun on both sides of it.
func (p *Pattern) secondValue(c clause, before, after string, steps []built) string {
	calls := 0
	for _, st := range steps {
		if !st.producer {
			calls++
		}
	}
	if calls != 1 {
		return ""
	}
	rest := strings.TrimSpace(c.text[min(len(before), len(c.text)):])
	aw := words(after)
	for _, st := range steps {
		if st.producer {
			continue
		}
		for pi := range st.tool.params {
			pr := &st.tool.params[pi]
			v, ok := st.step.Args[pr.Name].(string)
			if !ok || v == "" {
				continue
			}
			for _, w := range aw {
				if strings.EqualFold(w, v) {
					continue
				}
				if slices.ContainsFunc(pr.examples, func(x string) bool { return strings.EqualFold(x, w) }) ||
					slices.ContainsFunc(pr.enumRaw, func(x any) bool { s, ok := x.(string); return ok && strings.EqualFold(s, w) }) {
					return fmt.Sprintf("%q also asks for %q, which no step does", c.text, rest)
				}
			}
		}
	}
	// "my phone bill and my electricity bill": one head noun, two things.
	bw, last := words(before), ""
	for len(bw) > 0 && conjunctionWords[strings.ToLower(bw[len(bw)-1])] {
		bw = bw[:len(bw)-1]
	}
	for i := len(aw) - 1; i >= 0; i-- {
		if w := strings.ToLower(aw[i]); !stopWords[w] && len(w) > 2 && strings.Trim(w, "x") != "" {
			last = w
			break
		}
	}
	if last == "" || len(aw) < 2 {
		return ""
	}
	if len(bw) < 2 {
		return ""
	}
	// The noun right before the conjunction, after a word of its own ("phone bill").
	if w := strings.ToLower(bw[len(bw)-1]); (w == last || w+"s" == last || w == last+"s") && !stopWords[strings.ToLower(bw[len(bw)-2])] {
		return fmt.Sprintf("%q asks for more than one %s, and the plan makes one call", c.text, w)
	}
	return ""
}

// firstConjunct says why the steps planned for clause c leave out what it asks for before
// its conjunction ("find me pet groomers near Sydney and their reviews" got the reviews
// alone), or "": some content word there must be one the steps' tools hold or their
// arguments (values, lower case) took.
func (p *Pattern) firstConjunct(c clause, before string, steps []built, values []string) string {
	bw := words(before)
	for len(bw) > 0 && conjunctionWords[strings.ToLower(bw[len(bw)-1])] {
		bw = bw[:len(bw)-1]
	}
	content := 0
	for _, w := range bw {
		lw := strings.ToLower(w)
		if blanked(lw) || stopWords[lw] || metaWords[lw] || greetingWords[lw] || genericVerbs[lw] || p.isVerb(lw) || len(lw) < 3 {
			continue
		}
		content++
		for _, st := range steps {
			if p.docHas(st.tool, lw) {
				return ""
			}
		}
		for _, v := range values {
			if containsWordFold(v, lw) {
				return ""
			}
		}
	}
	if content == 0 || !asksFor(tokenize(c.text[:min(len(before), len(c.text))], nil), false, p.isVerb) {
		// ("I'm travelling on business and need train tickets ...": a statement
		// before the conjunction, nothing to do.)
		return ""
	}
	// A value the tool's own text names ("a house" for a house search, an enum value)
	// says the step serves that part.
	for _, s := range c.slots {
		if s.Start-c.start >= len(before) {
			continue
		}
		for _, w := range words(s.Text) {
			for _, st := range steps {
				if len(w) > 2 && p.docHas(st.tool, strings.ToLower(w)) {
					return ""
				}
			}
		}
	}
	return fmt.Sprintf("%q also asks for %q, which no step does", c.text, beforeConjunction(c, len(before)))
}

// beforeConjunction is the text of clause c before offset cut, without the conjunction
// that ends it ("the weather in Rome now and" is "the weather in Rome now").
func beforeConjunction(c clause, cut int) string {
	ph := strings.TrimSpace(c.text[:min(cut, len(c.text))])
	for _, conj := range conjunctions {
		ph = strings.TrimSuffix(ph, strings.TrimSpace(conj))
	}
	return strings.TrimSpace(ph)
}

// aboutNow reports whether text asks about the present ("right now", "currently").
func aboutNow(text string) bool {
	for _, w := range words(text) {
		if presentWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// presentWords ask about the present moment.
var presentWords = wordSet("now currently current presently")

// presentAndDated says why the steps for clause c drop the part before the conjunction
// at cut, or "": that part asks about the present ("right now", "currently") and a step
// takes a date stated after the conjunction, so no step answers for now.
func presentAndDated(c clause, before string, cut int, steps []built) string {
	if !aboutNow(before) {
		return ""
	}
	for _, s := range c.slots {
		if s.Start-c.start < cut || s.Kind != slot.Date {
			continue
		}
		for _, st := range steps {
			if slotUsed(s, st.step.Args) {
				return fmt.Sprintf("%q also asks for %q, which no step does", c.text, strings.TrimSuffix(beforeConjunction(c, cut), ","))
			}
		}
	}
	return ""
}

// countWords are numbers written as words.
var countWords = wordSet("one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand a few several")

// currencyWords name money.
var currencyWords = wordSet("dollar dollars bucks euro euros pound pounds quid yen rupees rupee francs franc pesos peso cents")

// ordinalSuffix are what is left of "22nd" or "4th" when its digits are split off.
var ordinalSuffix = wordSet("st nd rd th")

// possessives open a noun phrase of someone's.
var possessives = wordSet("my our his her their your")

// conjunctHead returns the noun a conjunct opens with after an article or a possessive
// ("a room at ...": room), or "" when it opens otherwise (a verb, a preposition, a value).
func conjunctHead(conj string) string {
	ws := strings.Fields(conj)
	if len(ws) < 2 || ws[0] != "a" && ws[0] != "an" && ws[0] != "the" && !possessives[ws[0]] {
		return ""
	}
	w := strings.Trim(ws[1], ",.;:!?")
	if len(w) < 3 || stopWords[w] || blanked(w) || len(terms(w)) == 0 {
		return ""
	}
	return w
}

// conjunctionWords are the words of conjunctions.
var conjunctionWords = wordSet("and then also as well plus")

// secondPlace reports whether name s, named as a place ("in Milan", "to SFO"), fits a
// place parameter that a step of steps already holds another value for.
func (p *Pattern) secondPlace(s slot.Slot, c clause, steps []built) bool {
	w := wordBefore(c.text, s.Start-c.start)
	if !placeCues[w] && !routeCues[w] {
		return false
	}
	for _, st := range steps {
		for pi := range st.tool.params {
			pr := &st.tool.params[pi]
			if pr.roles&(rolePlace|roleFrom|roleTo) == 0 {
				continue
			}
			if v, ok := st.step.Args[pr.Name].(string); ok && v != "" && v != s.Value {
				return true
			}
		}
	}
	return false
}

// someToolDoes reports whether some tool of the catalog speaks of word w (its action
// terms or its text).
func (p *Pattern) someToolDoes(w string) bool {
	for i := range p.ix.docs {
		for _, t := range terms(w) {
			if p.ix.docs[i].acts[t] || p.ix.docs[i].tf[t] > 0 {
				return true
			}
		}
	}
	return false
}

// stepsDo reports whether one of steps' tools speaks of word w.
func (p *Pattern) stepsDo(steps []built, w string) bool {
	for _, st := range steps {
		d := &p.ix.docs[p.toolIndex[st.tool]]
		for _, t := range terms(w) {
			if d.acts[t] || d.tf[t] > 0 {
				return true
			}
		}
	}
	return false
}

// usedBySteps reports whether an argument of one of steps holds slot s's value.
func usedBySteps(s slot.Slot, steps []built) bool {
	return slices.ContainsFunc(steps, func(st built) bool { return slotUsed(s, st.step.Args) })
}

// slotUsed reports whether an argument holds slot s's value.
func slotUsed(s slot.Slot, args map[string]any) bool {
	for _, v := range args {
		if holdsValue(v, s.Value) {
			return true
		}
	}
	return false
}

// timeWords are counts, days and times of day written as words.
var timeWords = wordSet(`one two three four five six seven eight nine ten eleven twelve dozen couple
	monday tuesday wednesday thursday friday saturday sunday today tonight tomorrow yesterday
	morning afternoon evening night noon midnight weekend week month year now later soon
	sunset sunrise dawn dusk daybreak nightfall bedtime
	something anything everything nothing someone anyone somebody anybody it this that them these those`)

// instructionTerms mark a parameter that takes an instruction, a command or a question as
// written.
var instructionTerms = termSet("instruction command prompt query question request task order input utterance statement sentence")

// clauseOf returns the clause text of b's request that contains ph (or ph), and whether
// that clause asks for something (a statement is no instruction).
func clauseOf(b *builder, ph string) (string, bool) {
	for _, c := range splitClauses(b.request, b.all, b.p.isVerb) {
		if strings.Contains(c.text, ph) {
			return c.text, c.asks
		}
	}
	return ph, true
}

// nounsToo are words the catalogs use as verbs that often name things too ("book" a
// table / a book, "order", "show", "play", "list"...): a phrase opening with one may be
// a value.
var nounsToo = wordSet("book order show play list call text note post record report search set print file stock share transfer check report review test book match")

// timeUnits are units of time, singular.
var timeUnits = wordSet("second minute hour day night week month year")

// objectPronouns ("me to watch online") open no topic or title either.
var objectPronouns = wordSet("me us him them")

// endsWithOwnThing reports whether phrase ph ends with "my <thing>" or "<name>'s
// <thing>" where the thing is what tool ti is named after ("the current status of my
// order" for order_status_check, "more of Rocco's food" for petshop.order_food).
func (p *Pattern) endsWithOwnThing(ti *toolInfo, ph string) bool {
	ws := strings.Fields(strings.ToLower(ph))
	if len(ws) < 2 || ws[len(ws)-2] != "my" && !strings.HasSuffix(ws[len(ws)-2], "'s") && !strings.HasSuffix(ws[len(ws)-2], "’s") {
		return false
	}
	name := p.ix.docs[p.toolIndex[ti]].name
	for _, t := range terms(ws[len(ws)-1]) {
		if name[t] {
			return true
		}
	}
	return false
}

// ownThingPhrase reports whether phrase ph is the thing tool ti is named after, said
// with stop words, vague words ("new") and values of the tool's lists only: "a new
// employment matter" for matters.open.
func ownThingPhrase(ti *toolInfo, ph string) bool {
	ws := strings.Fields(strings.ToLower(ph))
	if len(ws) < 2 {
		return false
	}
	head := false
	for _, t := range terms(ws[len(ws)-1]) {
		head = head || ti.terms[t]
	}
	if !head {
		return false
	}
	for _, w := range ws[:len(ws)-1] {
		if !stopWords[w] && !vagueModifiers[w] && !ti.enumWord(w) {
			return false
		}
	}
	return true
}

// enumWord reports whether w is a value of one of the tool's lists.
func (ti *toolInfo) enumWord(w string) bool {
	for _, pr := range ti.params {
		if slices.ContainsFunc(pr.Enum, func(v string) bool { return strings.EqualFold(v, w) }) {
			return true
		}
	}
	return false
}

// backPossessives open a phrase about something already named ("its filing date").
var backPossessives = wordSet("its their his")

// pronouns open a clause, never a name.
var pronouns = wordSet("i you he she we they me us him them it i'm you're we're they're")

// genericNouns name no particular thing: a value made only of them (and stop words) is
// no value ("name", "the information", "some data").
var genericNouns = wordSet(`name names information info data details detail thing things stuff item items
	list something anything everything result results value values query question answer type kind
	one ones way help`)

// namesKind reports whether every word of phrase ph (beside stop words) is a term of
// some tool's name: the kind of thing tools work on, not one of them.
func (p *Pattern) namesKind(ph string) bool {
	n := 0
	for _, w := range strings.Fields(strings.ToLower(ph)) {
		w = strings.Trim(w, ".,;:!?'\"")
		if stopWords[w] || w == "" {
			continue
		}
		ts := terms(w)
		if len(ts) != 1 || !p.things[ts[0]] {
			return false
		}
		n++
	}
	return n > 0
}

func genericValue(v string) bool {
	any := false
	for _, w := range strings.Fields(strings.ToLower(v)) {
		w = strings.Trim(w, ".,;:!?'\"")
		if stopWords[w] {
			continue
		}
		if !genericNouns[w] {
			return false
		}
		any = true
	}
	return any
}

// quotedIn reports whether desc names value v in quotes ("'GET' or 'POST'").
func quotedIn(desc, v string) bool {
	l, lv := strings.ToLower(desc), strings.ToLower(v)
	for _, q := range []string{"'", `"`, "`"} {
		if strings.Contains(l, q+lv+q) {
			return true
		}
	}
	return false
}

// repeats says why the steps for clause c drop a recurrence the clause asks for, or "":
// "transfer 100 from checking to savings every month" served as one transfer is a plan
// that does less than it says. A recurrence ("every month", "each Monday", "twice a
// week", "... monthly" at the clause's end) counts as served when a step's tool speaks
// of one (recurring, schedule, frequency, every, daily, ...) or an argument holds it.
func (p *Pattern) repeats(c clause, steps []built) string {
	phrase := recurrence(c.text)
	if phrase == "" && !slices.ContainsFunc(steps, func(st built) bool { return st.tool.builtin || p.readOnly(st.tool) }) {
		// "set up $75 a week into the holiday saver": an amount a week moved is a
		// standing order (to a step that acts; "plans under $40 a month" is a price).
		if m := amountRate.FindStringSubmatch(c.text); m != nil {
			phrase = "every " + strings.ToLower(m[1])
		}
	}
	if phrase == "" {
		return ""
	}
	for _, st := range steps {
		if p.repeatsItself(st.tool) {
			return ""
		}
		// "repeat_daily", "frequency": a tool that repeats when told to, told so.
		if slices.ContainsFunc(st.tool.params, func(pr paramInfo) bool {
			v, ok := st.step.Args[pr.Name]
			return ok && v != false && v != "" && recurrenceParam(&pr)
		}) {
			return ""
		}
		for _, v := range st.step.Args {
			held := false
			plan.WalkStrings(v, func(s string) {
				// A value that is the recurrence ("weekly", "week" of an enum, "every
				// Monday"), not one that shares its word ("good morning" sent once
				// is not "every morning").
				held = held || recurringAdverbs[strings.ToLower(s)] || strings.EqualFold(s, phrase[strings.LastIndex(phrase, " ")+1:]) || containsWordFold(s, phrase)
			})
			if held {
				return ""
			}
		}
	}
	ti := steps[0].tool
	if k := slices.IndexFunc(ti.params, func(pr paramInfo) bool { return recurrenceParam(&pr) }); k >= 0 {
		// "wake-up call at 6:30 every other day" with a flag for every day.
		return fmt.Sprintf("%q asks to do it %s, which the plan cannot set %s's %s to", c.text, phrase, ti.tool.Name, ti.params[k].Name)
	}
	return fmt.Sprintf("%q asks to do it %s, which %s does not do", c.text, phrase, ti.tool.Name)
}

// daily reports whether recurrence phrase (see recurrence) is once a day: "every day",
// "each morning", "daily", "nights"; not "every other day" or "every 2 days".
func daily(phrase string) bool {
	ws := strings.Fields(phrase)
	switch {
	case len(ws) == 1:
		return ws[0] == "daily" || ws[0] == "nightly" || ws[0] == "mornings" || ws[0] == "evenings" || ws[0] == "nights"
	case len(ws) == 2 && (ws[0] == "every" || ws[0] == "each"):
		switch ws[1] {
		case "day", "morning", "evening", "night", "afternoon":
			return true
		}
	}
	return false
}

// needsCountryCode matches a phone parameter's description that asks for a number with
// its country code ("with country code", "in E.164 format", "international format"), not
// one that only prefers it ("international format preferred").
var needsCountryCode = regexp.MustCompile(`(?i)\b(?:with|including|incl\.?|include)(?: the| its| a)? country code|\be\.?164\b|international format(?:,? required| only)`)

// amountRate matches an amount of money given per unit of time: "$75 a week", "200
// dollars per month", "£50 a fortnight".
var amountRate = regexp.MustCompile(`(?i)(?:[$€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:dollars|bucks|euros|pounds|aud|usd|gbp|eur)\b)\s+(?:a|an|per)\s+(day|week|fortnight|month|quarter|year)\b`)

// recurrenceTerms are the words of a tool that repeats what it does.
var recurrenceTerms = strings.Fields("recur recurring recurrence repeat repeating repeats frequency interval daily weekly monthly yearly periodic periodically cron standing subscription subscribe routine")

// recurrenceTermSet holds the terms of recurrenceTerms as matching reads them.
var recurrenceTermSet = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range recurrenceTerms {
		for _, t := range terms(w) {
			m[t] = true
		}
	}
	return m
}()

// repeatsItself reports whether tool ti's own text (name, description, examples)
// speaks of repeating what it does. A sentence of the description that names another
// tool of the catalogue sends that work elsewhere: "Move money ... once, now or on a
// future date. ... For repeating transfers use schedule_recurring_payment" is a transfer
// that does not repeat. A tool that repeats only when a parameter says so
// (recurrenceParam) repeats only in a step that sets it.
func (p *Pattern) repeatsItself(ti *toolInfo) bool {
	texts := []string{ti.tool.Name}
	byParam := slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return recurrenceParam(&pr) })
	for _, sentence := range sentenceSplit.Split(ti.tool.Description, -1) {
		if !byParam && !p.namesOtherTool(sentence, ti) {
			texts = append(texts, sentence)
		}
	}
	for _, e := range ti.tool.Examples {
		texts = append(texts, e.Request)
	}
	for _, text := range texts {
		for _, t := range terms(text) {
			if recurrenceTermSet[t] {
				return true
			}
		}
	}
	return false
}

// recurrenceParam reports whether parameter pr says how a step repeats ("repeat_daily",
// "frequency", an enum of "weekly" and "monthly").
func recurrenceParam(pr *paramInfo) bool {
	for _, text := range []string{pr.Name, pr.Description, strings.Join(pr.Enum, " ")} {
		for _, t := range terms(text) {
			if recurrenceTermSet[t] {
				return true
			}
		}
	}
	return false
}

// namesOtherTool reports whether text names a tool of the catalogue other than ti.
func (p *Pattern) namesOtherTool(text string, ti *toolInfo) bool {
	return slices.ContainsFunc(strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",()[]:'\"`", r)
	}), func(w string) bool {
		_, ok := p.reg.Get(w)
		return ok && w != ti.tool.Name
	})
}

// recurrence returns the phrase of text that asks for something to recur ("every
// month", "each Monday", "every other week", "twice a day", "once per week", "monthly"
// as the clause's last word), or "".
func recurrence(text string) string {
	ws := strings.Fields(strings.ToLower(text))
	for i := range ws {
		ws[i] = strings.Trim(ws[i], ",.;:!?()\"'")
	}
	for i, w := range ws {
		switch w {
		case "every", "each":
			j := i + 1
			if j+1 < len(ws) && (ws[j] == "other" || ws[j] == "single" || isDigits(ws[j]) || countWords[ws[j]]) {
				j++
			}
			if j < len(ws) && recurrenceUnits[ws[j]] {
				return strings.Join(ws[i:j+1], " ")
			}
		case "once", "twice", "thrice", "times":
			if i+2 < len(ws) && (ws[i+1] == "a" || ws[i+1] == "per" || ws[i+1] == "an") && recurrenceUnits[ws[i+2]] {
				return strings.Join(ws[i:i+3], " ")
			}
		default:
			// "an alarm for 6:45 weekdays", "yoga on mondays": days in the plural
			// recur ("the mondays in march", "the next two weekends" are days).
			if pluralDays[w] && (i == 0 || !dayCounters[ws[i-1]]) {
				return w
			}
		}
	}
	for len(ws) > 0 && (ws[len(ws)-1] == "please" || ws[len(ws)-1] == "pls" || ws[len(ws)-1] == "") {
		ws = ws[:len(ws)-1]
	}
	if n := len(ws); n > 1 && recurringAdverbs[ws[n-1]] {
		return ws[n-1]
	}
	return ""
}

// recurrenceUnits follow "every" when something recurs.
var recurrenceUnits = wordSet(`day days week weeks month months year years hour hours minute minutes
	morning evening night afternoon weekday weekdays weekend weekends fortnight quarter
	monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
	mondays tuesdays wednesdays thursdays fridays saturdays sundays`)

// recurringAdverbs end a clause that asks for something to recur ("pay the rent
// monthly").
// pluralDays are days in the plural, which recur; dayCounters before them pick or count
// days instead.
var pluralDays = wordSet("weekdays weekends mondays tuesdays wednesdays thursdays fridays saturdays sundays")
var dayCounters = wordSet("the these those last next this few some two three four several couple")

var recurringAdverbs = wordSet("daily weekly monthly yearly annually hourly nightly fortnightly biweekly quarterly")

// isDigits reports whether w is a number written in digits.
func isDigits(w string) bool { return w != "" && strings.Trim(w, "0123456789") == "" }

// stdID is an identifier with a standard form: an ISBN, a VIN, an IBAN.
type stdID struct {
	name string
	fits func(v string) bool
}

// standardIDs are the identifiers whose form a standard fixes, by the word a parameter
// is named with ("isbn", "isbns", "vin").
var standardIDs = map[string]stdID{
	"isbn": {"ISBN", func(v string) bool {
		v = strings.Map(func(r rune) rune {
			if r == '-' || r == ' ' {
				return -1
			}
			return r
		}, v)
		return len(v) == 13 && strings.Trim(v, "0123456789") == "" ||
			len(v) == 10 && strings.Trim(v[:9], "0123456789") == "" && strings.ContainsAny(v[9:], "0123456789Xx")
	}},
	"vin":  {"VIN", regexp.MustCompile(`^[A-HJ-NPR-Za-hj-npr-z0-9]{17}$`).MatchString},
	"iban": {"IBAN", func(v string) bool { return ibanForm.MatchString(strings.ReplaceAll(v, " ", "")) }},
	"imei": {"IMEI", regexp.MustCompile(`^[0-9]{15}$`).MatchString},
}

// ibanForm is an IBAN without its spaces: a country, two check digits, the account.
var ibanForm = regexp.MustCompile(`^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11,30}$`)

// standardID returns the standard identifier parameter pr is named for, if any: "isbn",
// "isbns", "book_isbn", "vehicle_vin".
func standardID(pr *paramInfo) (stdID, bool) {
	for _, w := range words(pr.Name) {
		if id, ok := standardIDs[strings.TrimSuffix(strings.ToLower(w), "s")]; ok {
			return id, true
		}
	}
	return stdID{}, false
}

// numberedExamples returns the first of pr's examples when its description gives some and
// every one is a code that holds a digit: digits and punctuation ("e.g. '2021-22'",
// "e.g. 10.4") or letters and digits in one word (a tracking number "e.g.
// 1Z999AA10123456784", a PO "e.g. PO-2027-0315"); not a coordinate pair, a key=value or
// a phrase.
func numberedExamples(pr *paramInfo) (string, bool) {
	if len(pr.examples) == 0 {
		return "", false
	}
	for _, e := range pr.examples {
		sh := shapeOf(e)
		if !strings.Contains(sh, "9") || strings.Contains(sh, "a") && !lowerCodeShape.MatchString(e) {
			return "", false
		}
	}
	return pr.examples[0], true
}

// measureExample returns the first of the examples description desc lists when it lists
// two or more and every one is a measure, a number with its unit ("e.g. 12 kg, 3.5 lb,
// 24 x 85 g"), else "".
func measureExample(desc string) string {
	m := exampleList.FindStringSubmatch(desc)
	if m == nil {
		return ""
	}
	var out []string
	for _, part := range exampleItems.Split(m[1], -1) {
		e := strings.TrimSpace(exampleNote.ReplaceAllString(part, ""))
		if e == "" {
			continue
		}
		if !measureShape.MatchString(e) {
			return ""
		}
		out = append(out, e)
	}
	if len(out) < 2 {
		return ""
	}
	return out[0]
}

// measureShape is a number with a unit: "12 kg", "3.5 lb", "24 x 85 g", "500ml".
var measureShape = regexp.MustCompile(`^\d+(?:[.,]\d+)?\s*(?:x\s*\d+(?:[.,]\d+)?\s*)?[a-zA-Z]{1,6}\.?$`)

// cityAbbreviations are the two-letter names people write for cities ("flights from NYC
// to LA"), in capitals; any other two letters are too short to name a place.
var cityAbbreviations = wordSet("LA NY DC SF HK KL")
