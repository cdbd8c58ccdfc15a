package pattern

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

// pkind is what kind of value a parameter takes, read from its schema and its words.
type pkind int

const (
	pString pkind = iota
	pDate
	pTime
	pEmail
	pPhone
	pURL
	pFile
	pMoney
	pInteger
	pNumber
	pBool
	pEnum
	pArray
	pObject
	// Value kinds (see pattern_values.go).
	pInstant    // an RFC 3339 date-time
	pZone       // an IANA time zone name
	pDuration   // a duration in Go syntax or whole days ("90m", "3d")
	pJSONPath   // a path into a JSON document ("items.0.name")
	pExpression // an arithmetic expression
	pHandle     // a chat channel or user handle: #general, @maria
)

// roles say which cues point a slot at a parameter.
type roles uint8

const (
	roleFrom   roles = 1 << iota // origin, source, departure, pickup
	roleTo                       // destination, arrival, recipient
	rolePlace                    // location, city, area, country, address
	rolePerson                   // person, artist, author, user, doctor
	roleReturn                   // return, check-out, end
)

type paramInfo struct {
	tool.Param
	kind    pkind
	enumRaw []any // enum values as the schema types them
	// glosses are the terms the description gives each enum value (enumGlosses).
	glosses []map[string]bool
	items   string // item type of an array parameter
	roles   roles
	// free parameters take a phrase of the clause when no slot fits (topic, query, ...);
	// whole ones take the clause itself (an instruction, a message's content).
	free, whole bool
	// omitAll and omitClears say what the description says of the parameter left out:
	// it means every one ("every field when left out"), or it clears something ("the
	// tap is emptied when left out"). cityCountry: it asks for 'City, Country'.
	omitAll, omitClears, cityCountry bool
	// opaque parameters take an opaque string: a credential (key, token, secret,
	// password) or a page cursor (opaqueParam).
	opaque bool
	// numeric string parameters hold a number (a year, a count, a postcode).
	numeric bool
	// dims are the dimensions a number parameter is measured in (paramDims), or 0.
	dims dim
	// examples are the single-word example values the description lists ("eg. buy,
	// sell, short").
	examples []string
	// phrases are the examples of two or three words ("front lawn", "cherry tomato"):
	// a clause that says one word for word fills the parameter with it.
	phrases []string
	// measure is the first example when the description lists two or more and every one
	// is a measure ("e.g. 12 kg, 3.5 lb"; measureExample), else "".
	measure string
	// numbered is the first example when every one is a code holding a digit
	// (numberedExamples), else "".
	numbered string
	// entity parameters name a thing another tool may produce (an ID, a hotel_name);
	// idLike ones are identifiers (artistId, business_id), never a person's or place's
	// name as written.
	entity, idLike bool
	// re, lo and hi are the schema's pattern and bounds: a value they refuse is no value
	// of the parameter ("803" is no quantity of at most 10, "2" no id like RSV-482913).
	re           *regexp.Regexp
	lo, hi       float64
	hasLo, hasHi bool
	terms        map[string]bool // terms of the name and description
	nameTerms    map[string]bool // terms of the name
	norm         string          // name lowercased without '_' and '-'
}

type toolInfo struct {
	tool *tool.Tool
	// builtin is true for planwise's built-in tools (run kind builtin).
	builtin bool
	params  []paramInfo
	out     *tool.Schema
	fields  []outField      // the output schema's fields, flattened
	items   []outField      // the fields of the first item of its lists (listFields)
	terms   map[string]bool // terms of the tool's name
	// checksInOut: the tool's name or description says check-out or check-in.
	checksInOut bool
}

// defaultHint reads a default stated in a parameter's description: "Default value:
// economy", "(In this case CURRENCY_EXCHANGE_RATE)", "Defaults to 'album'".
var defaultHint = regexp.MustCompile(`(?i)(?:\bin this case|\bdefault value is|\bdefault value:|\bdefaults to|\bdefault is|\bdefault:)\s*['"]?([A-Za-z0-9_.\-]+)`)

// hintValue types a default read from a description for the parameter, or nil when it
// does not fit (an enum that does not list it, a number that does not parse).
func hintValue(pr *paramInfo, v string) any {
	v = strings.TrimRight(v, ".")
	switch pr.kind {
	case pEnum:
		if e, ok := enumMatch(pr, v); ok {
			return jsonValue(e)
		}
		return nil
	case pInteger, pNumber:
		n, ok := plan.Number(v)
		if !ok {
			return nil
		}
		if pr.kind == pInteger {
			if _, err := strconv.Atoi(string(n)); err != nil {
				return nil
			}
		}
		return n
	case pString, pDate, pTime:
		if v == "" {
			return nil
		}
		return v
	}
	return nil
}

var citesProducer = regexp.MustCompile(`(?i)\b(obtained|extracted|retrieved|returned|got|gotten|provided|fetched|taken|found)\s+(from|by|through|via|using|with)\b|\bfrom the .{1,60}\b(api|endpoint|collection|call)\b`)

func newToolInfo(t *tool.Tool, out *tool.Schema) *toolInfo {
	ti := &toolInfo{tool: t, out: out, fields: outputFields(out), items: listFields(out), terms: map[string]bool{}, builtin: isBuiltin(t),
		checksInOut: checkInOut.MatchString(strings.ToLower(t.Name + " " + t.Description))}
	for _, term := range terms(t.Name) {
		ti.terms[term] = true
	}
	in, _ := tool.ParseSchema(t.InputSchema)
	for _, pr := range t.Params() {
		pi := paramInfo{Param: pr, terms: map[string]bool{}, nameTerms: map[string]bool{}}
		pi.norm = normName(pr.Name)
		for _, term := range terms(pr.Name) {
			pi.nameTerms[term] = true
		}
		for _, term := range terms(pr.Name + " " + pr.Description) {
			pi.terms[term] = true
		}
		nameWords := map[string]bool{}
		for _, w := range words(pr.Name) {
			nameWords[stem(strings.ToLower(w))] = true
		}
		desc := strings.ToLower(pr.Description)
		pi.omitAll, pi.omitClears = allWhenOmitted.MatchString(desc), clearedWhenOmitted.MatchString(desc)
		pi.cityCountry = strings.Contains(desc, "city, country")
		if in != nil {
			if s := in.Properties[pr.Name]; s != nil {
				pi.enumRaw = s.Enum
				if p := s.PatternString(); p != "" {
					pi.re, _ = regexp.Compile(p) // (a pattern RE2 cannot read checks nothing)
				}
				pi.lo, pi.hasLo, pi.hi, pi.hasHi = s.Bounds()
				if s.Items != nil {
					pi.items = s.Items.PrimaryType()
				}
			}
		}
		pi.kind = valueParamKind(classify(pr, nameWords, desc, len(pi.enumRaw) > 0), pi.norm, desc)
		if pi.kind == pString && desc == "" && (pi.norm == "to" || pi.norm == "recipient") && textsPhone(t.Description) {
			// send_sms "Send a text message to a phone number" with a bare "to": the
			// recipient is the phone number the tool says it sends to.
			pi.kind = pPhone
		}
		if pi.kind == pString && timeShaped(pi.re) {
			// start: "^[0-2][0-9]:[0-5][0-9]$": a time of day, whatever its name.
			pi.kind = pTime
		}
		if pi.kind == pString && durationShaped(pi.re) {
			// since: "^[0-9]+[mhd]$": "the last 30 min" is 30m.
			pi.kind = pDuration
		}
		if pi.kind == pEnum {
			pi.glosses = enumGlosses(t.Name, &pi)
		}
		pi.examples = exampleValues(pr.Description)
		pi.measure = measureExample(pr.Description)
		pi.numbered, _ = numberedExamples(&pi)
		pi.phrases = examplePhrases(pr.Description)
		pi.numeric = pi.kind == pString && (nameWords["year"] || nameWords["count"] || nameWords["quantity"] ||
			nameWords["zip"] || nameWords["postcode"] || nameWords["age"] || nameWords["num"] ||
			countParam(pr.Name, desc))
		pi.roles = paramRoles(nameWords, desc)
		if pi.kind == pNumber || pi.kind == pInteger {
			pi.dims = paramDims(pr.Name, pr.Description)
		}
		if pi.kind == pString {
			for _, w := range []string{"instruction", "command", "operation", "content", "text", "message", "body", "note", "memo", "request", "prompt", "sentence", "caption", "summary"} {
				if nameWords[w] {
					pi.whole = true
				}
			}
			for _, w := range []string{"topic", "query", "q", "keyword", "term", "subject", "title", "question", "search", "description", "issue", "disease", "reason", "purpose", "justification", "comment", "explanation"} {
				if nameWords[w] {
					pi.free = true
				}
			}
		}
		last := ""
		if ws := words(pr.Name); len(ws) > 0 {
			last = strings.ToLower(ws[len(ws)-1])
		}
		pi.idLike = last == "id" || last == "ids" || last == "identifier" || last == "identifiers" || last == "uuid" || last == "guid" || last == "cik" || compoundID(last) ||
			nameWords["token"] || nameWords["secret"] || nameWords["password"] || nameWords["key"] && !nameWords["keyword"]
		pi.entity = pi.idLike || nameWords["code"] || citesProducer.MatchString(pr.Description) ||
			(last == "name" || last == "title") && len(words(pr.Name)) > 1
		if pi.Default == nil {
			if m := defaultHint.FindStringSubmatch(pr.Description); m != nil && pi.kind != pBool {
				pi.Default = hintValue(&pi, m[1])
			}
		}
		pi.opaque = opaqueParam(&pi)
		ti.params = append(ti.params, pi)
	}
	return ti
}

// textsPhone reports whether a tool's description says it sends to a phone number and
// speaks of no e-mail.
func textsPhone(desc string) bool {
	d := strings.ToLower(desc)
	return (strings.Contains(d, "phone number") || strings.Contains(d, "sms")) && !strings.Contains(d, "mail")
}

var nameSeparators = strings.NewReplacer("_", "", "-", "", ".", "", " ", "")

// normName lowercases a parameter or field name and drops separators: artist_id and
// artistId are the same name.
func normName(s string) string { return nameSeparators.Replace(strings.ToLower(s)) }

// outField is one field of a tool's output schema, down to maxFieldDepth levels.
type outField struct {
	path  []string
	norm  string
	typ   string
	depth int
}

// listFields are the fields of the first item of the output's lists of objects
// ("reservations.0.reservation_id"): what "cancel it" after a lookup refers to.
func listFields(out *tool.Schema) []outField {
	var fields []outField
	if out == nil {
		return nil
	}
	for _, name := range out.PropOrder {
		f := out.Properties[name]
		if f == nil || f.PrimaryType() != "array" || f.Items == nil || f.Items.PrimaryType() != "object" {
			continue
		}
		for _, item := range f.Items.PropOrder {
			g := f.Items.Properties[item]
			typ := ""
			if g != nil {
				typ = g.PrimaryType()
			}
			fields = append(fields, outField{path: []string{name, "0", item}, norm: normName(item), typ: typ, depth: 1})
		}
	}
	return fields
}

const maxFieldDepth = 2

// outputFields flattens an output schema for producer look-ups.
func outputFields(out *tool.Schema) []outField {
	var fields []outField
	var walk func(s *tool.Schema, prefix []string, depth int)
	walk = func(s *tool.Schema, prefix []string, depth int) {
		if s == nil || depth > maxFieldDepth {
			return
		}
		for _, name := range s.PropOrder {
			f := s.Properties[name]
			typ := ""
			if f != nil {
				typ = f.PrimaryType()
			}
			p := append(append([]string{}, prefix...), name)
			fields = append(fields, outField{path: p, norm: normName(name), typ: typ, depth: depth})
			if typ == "object" && f != nil {
				walk(f, p, depth+1)
			}
		}
	}
	walk(out, nil, 0)
	return fields
}

// phoneExample is a phone number given as an example: "e.g. +442079460123", "e.g. (872)
// 555-0199".
var phoneExample = regexp.MustCompile(`(?i)\b(?:e\.?g\.?|such as|for example|like)[,:]?\s+(?:\+\d{8,15}\b|\(\d{3}\)\s?\d{3}-\d{4}\b)`)

// timeExample is a time of day given as an example: "e.g. 13:00", "such as 07:30".
var timeExample = regexp.MustCompile(`(?i)\b(?:e\.?g\.?|such as|for example|like)[,:]?\s+['"]?\d{1,2}:\d{2}\b`)

func classify(pr tool.Param, name map[string]bool, desc string, hasEnum bool) pkind {
	if hasEnum {
		return pEnum
	}
	switch pr.Type {
	case "integer":
		return pInteger
	case "number":
		return pNumber
	case "boolean":
		return pBool
	case "array":
		return pArray
	case "object":
		return pObject
	}
	switch strings.ToLower(pr.Format) {
	case "date", "date-time":
		return pDate
	case "time":
		return pTime
	case "email", "idn-email":
		return pEmail
	case "uri", "url", "iri", "uri-reference":
		return pURL
	}
	switch {
	case name["email"] || name["mail"]:
		return pEmail
	case name["phone"] || name["mobile"] || name["tel"] || name["telephone"] ||
		name["number"] && phoneExample.MatchString(desc):
		// ("number": "The number to block, e.g. (872) 555-0199": a phone number.)
		return pPhone
	case name["url"] || name["uri"] || name["link"]:
		return pURL
	case !name["date"] && !name["dt"] && timeExample.MatchString(desc):
		// late_checkout: "Late check-out time, e.g. 13:00": a time, though a check-out
		// is a day when nothing says otherwise.
		return pTime
	case name["date"] || name["dt"] || (name["checkin"] || name["checkout"]) && !name["time"] || // (checkout_time is a time)
		(strings.Contains(desc, "a date") || strings.Contains(desc, "yyyy-mm-dd") || strings.HasPrefix(desc, "date ")) && !name["time"]:
		return pDate
	case name["time"] && !name["zone"] && !name["stamp"] && !name["period"] ||
		strings.Contains(desc, "hh:mm") && !strings.Contains(desc, "yyyy") && !strings.Contains(desc, "dd"):
		// ("start", "HH:MM": a time, whatever its name)
		return pTime
	case name["file"] || name["filename"] || name["path"] || name["document"] || name["attachment"] ||
		name["image"] || name["audio"] || name["video"]:
		return pFile
	case moneyNamed(pr.Name):
		return pMoney
	}
	return pString
}

// moneyNamed reports whether a parameter's name ends in a word for money: amount,
// total_price, maxCost, budget ("cost_center" and "price_list" name no sum).
func moneyNamed(name string) bool {
	ws := words(name)
	if len(ws) == 0 {
		return false
	}
	switch stem(strings.ToLower(ws[len(ws)-1])) {
	case "amount", "price", "cost", "budget":
		return true
	}
	return false
}

// compoundID reports whether a parameter's last word is an identifier written as one
// word: "appid", "userid", "clientid" (not "paid", "valid", "android").
func compoundID(w string) bool {
	switch strings.TrimSuffix(strings.TrimSuffix(w, "s"), "id") {
	case "app", "user", "client", "session", "account", "device", "order", "item", "customer",
		"product", "project", "org", "tenant", "chat", "channel", "msg", "message", "group", "file",
		"doc", "task", "event", "ticket", "post", "video", "track", "playlist", "team", "player":
		return strings.HasSuffix(strings.TrimSuffix(w, "s"), "id")
	}
	return false
}

func paramRoles(name map[string]bool, desc string) roles {
	var r roles
	has := func(ws ...string) bool {
		for _, w := range ws {
			if name[w] {
				return true
			}
		}
		return false
	}
	// Abbreviations count: "src_lang", "tgt_lang", "dst_path".
	if has("from", "origin", "source", "src", "departure", "depart", "pickup", "sender", "start") {
		r |= roleFrom
	}
	if has("to", "destination", "dest", "dst", "arrival", "dropoff", "recipient", "target", "tgt") {
		r |= roleTo
	}
	// "new_name", "The new name for the site": what "rename X to Y" gives after "to".
	if ld := strings.ToLower(strings.TrimSpace(desc)); has("new") || strings.HasPrefix(ld, "the new ") || strings.HasPrefix(ld, "new ") {
		r |= roleTo
	}
	if ld := strings.ToLower(strings.TrimSpace(desc)); has("old") || strings.HasPrefix(ld, "the old ") || strings.HasPrefix(ld, "the current ") {
		r |= roleFrom
	}
	// "The location to order the taxi to": a description ending in a preposition.
	switch d := strings.TrimRight(desc, ". "); {
	case strings.HasSuffix(d, " to"):
		r |= roleTo
	case strings.HasSuffix(d, " from"):
		r |= roleFrom
	}
	if has("location", "city", "area", "place", "address", "country", "region", "destination", "origin", "where", "venue", "neighborhood", "state", "geo") {
		r |= rolePlace
	}
	if has("person", "artist", "author", "user", "username", "doctor", "lawyer", "contact", "recipient", "who", "name", "client", "customer") {
		r |= rolePerson
	}
	if has("return", "checkout", "end", "out") {
		r |= roleReturn
	}
	return r
}

// exampleList finds "eg. a, b, c" / "e.g. a, b or c" / "such as a, b" in a description;
// the list ends at a closing parenthesis, a full stop, a semicolon ("e.g. kitchen,
// bedroom; every room when left out") or "etc", and holds notes in brackets ("e.g.
// 1Z999AA10123456784 (UPS) or 9400111899223344556677 (USPS)").
var exampleList = regexp.MustCompile(`(?i)\b(?:e\.?g\.?|such as|for example|like)[,:]?\s+((?:[^()]|\([^()]*\))+?)(?:\)|$|\.\s|;|\betc\b)`)

// exampleValues returns the lowercase single-word examples a description lists.
func exampleValues(desc string) []string {
	m := exampleList.FindStringSubmatch(desc)
	if m == nil {
		return nil
	}
	var out []string
	for _, part := range exampleItems.Split(m[1], -1) {
		// ("e.g. 1Z999AA10123456784 (UPS)": the note in brackets is no part of it.)
		part = exampleNote.ReplaceAllString(part, "")
		w := strings.ToLower(strings.Trim(strings.TrimSpace(part), ".'\""))
		if w != "" && !strings.ContainsAny(w, " ") {
			out = append(out, w)
		}
	}
	return out
}

// exampleItems separates the items of an example list.
var exampleItems = regexp.MustCompile(`,|\bor\b|\band\b`)

// exampleNote is a note in brackets after an example.
var exampleNote = regexp.MustCompile(`\s+\([^()]*\)\s*$`)

// examplePhrases returns the examples of two or three words in a parameter's
// description, lower-cased; none with a digit ("1 for cleaning" says what a code means).
func examplePhrases(desc string) []string {
	m := exampleList.FindStringSubmatch(desc)
	if m == nil {
		return nil
	}
	var out []string
	for _, part := range exampleItems.Split(m[1], -1) {
		w := strings.ToLower(strings.Trim(strings.TrimSpace(part), ".'\""))
		if n := len(strings.Fields(w)); n >= 2 && n <= 3 && !strings.ContainsAny(w, "0123456789") {
			out = append(out, strings.Join(strings.Fields(w), " "))
		}
	}
	return out
}

// builtinDescriptions are the built-in tools' descriptions by name.
var builtinDescriptions = func() map[string]string {
	m := map[string]string{}
	for _, t := range tool.Builtins() {
		m[t.Name] = t.Description
	}
	return m
}()

// isBuiltin reports whether t is one of planwise's built-in tools: run by the built-in
// kind, or named and described as one (a registry rebuilt from a model request, as the
// simulator does, keeps names and descriptions but not run specs).
func isBuiltin(t *tool.Tool) bool {
	if t.Run != nil && t.Run.Kind == tool.RunBuiltin {
		return true
	}
	d, ok := builtinDescriptions[t.Name]
	return ok && strings.TrimSpace(d) == strings.TrimSpace(t.Description)
}

// countParam reports whether a parameter counts something: "number_of_days",
// "numberOfSeats", or a description that opens with "Number of" ("a phone number" and
// "the order number" are identifiers, not counts).
func countParam(name, desc string) bool {
	ws := words(name)
	if len(ws) >= 2 && strings.EqualFold(ws[0], "number") && strings.EqualFold(ws[1], "of") {
		return true
	}
	return strings.HasPrefix(strings.TrimSpace(desc), "number of ")
}
