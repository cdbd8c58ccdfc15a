package pattern

import (
	"regexp"
	"slices"
	"strings"

	"github.com/planwise/planwise/slot"
)

// cueWords introduce the text a topic, a query or a message takes.
var cueWords = []string{" about ", " regarding ", " on the topic of ", " saying ", " that says ", " titled ",
	" called ", " named ", " with the message ", " with the text ", " with the content ", " to discuss ", " discussing ", ": "}

// messageCues introduce the words of a message ("text Bob: running late", "email Ann
// saying the deal is off"): what follows is the message, not what the user asks the
// tool to do, so it does not take part in choosing the tool.
var messageCues = []string{": ", " saying ", " that says ", " with the message ", " with the text ", " telling them ", " telling him ", " telling her ", " asking ", " to say ",
	" and tell him that ", " and tell her that ", " and tell them that ", " and tell him ", " and tell her ", " and tell them ",
	" and let him know that ", " and let her know that ", " and let them know that ", " and let him know ", " and let her know ", " and let them know ",
	" and say that ", " and say "}

// beforeWhen cuts phrase ph of clause c where the date or time it ends with starts, and
// the preposition before it: "call mom tomorrow at 6pm" is "call mom" (the reminder's
// time is an argument of its own).
func beforeWhen(ph string, c clause) string {
	k := strings.Index(c.text, ph)
	if k < 0 {
		return ph
	}
	for _, s := range c.slots {
		at := s.Start - c.start - k
		if (s.Kind != slot.Date && s.Kind != slot.Time) || at <= 0 || at >= len(ph) {
			continue
		}
		ws := strings.Fields(ph[:at])
		for len(ws) > 0 && (prepositions[strings.ToLower(ws[len(ws)-1])] || strings.EqualFold(ws[len(ws)-1], "by")) {
			ws = ws[:len(ws)-1]
		}
		if len(ws) > 0 {
			return strings.Join(ws, " ")
		}
		return ph
	}
	return ph
}

// remindedOf returns what clause c asks to be reminded of when "remind me" and "to",
// "that" or "about" are apart with only when between them ("remind me tomorrow at 9 to
// renew the permit", "remind me on Friday that the rent is due"), or "".
func remindedOf(c clause) string {
	lower := asciiLower(c.text)
	k := strings.Index(" "+lower, " remind me ")
	if k < 0 {
		return ""
	}
	from := k + len(" remind me ") - 1
	ws := strings.Fields(lower[from:])
	at := from
	for i, w := range ws {
		at = strings.Index(lower[at:], w) + at
		if i > 0 && (w == "to" || w == "that" || w == "about") {
			if i+1 < len(ws) && !recipientWords[ws[i+1]] {
				return cutPhrase(c.text[at+len(w)+1:])
			}
			return ""
		}
		if !whenWords[strings.Trim(w, ",")] && !inWhenSlot(c, at) {
			return ""
		}
		at += len(w)
	}
	return ""
}

// inWhenSlot reports whether byte offset at of clause c's text is inside a date or a time.
func inWhenSlot(c clause, at int) bool {
	for _, s := range c.slots {
		if (s.Kind == slot.Date || s.Kind == slot.Time) && s.Start-c.start <= at && at < s.End-c.start {
			return true
		}
	}
	return false
}

// whenWords may stand between "remind me" and what to be reminded of, with dates and
// times.
var whenWords = wordSet("at on in by the this next morning afternoon evening night tonight first thing every again later around before after")

// tellWhom reads "tell my coach (that) ...", "tell the team ...": the message after the
// one told.
var tellWhom = regexp.MustCompile(`(?i)^\s*(?:please\s+)?tell\s+(?:my|our|the|his|her|their)\s+[a-z]+\s+(?:that\s+)?(.+)$`)

// recipientWords open who a message goes to ("a reminder to him", "... to everyone").
var recipientWords = wordSet("me him her them us you everyone everybody")

// reminderCues introduce what a reminder is about.
var reminderCues = []string{" remind me to ", " remind me that ", " remind me about ", " remind me of ", " reminder to ", " reminder that "}

// dictationCues introduce the message a clause dictates: the message cues, and "that"
// after a verb that sends one ("text +1 555 010 2233 that I am running late").
var dictationCues = append([]string{" that "}, messageCues...)

// instructionPart returns text without the message it dictates: the words before the
// first message cue, when some words (and so the instruction) come before it.
func instructionPart(text string) string {
	lower := asciiLower(text)
	best := len(text)
	for _, cue := range messageCues {
		if k := strings.Index(lower, cue); k > 0 && k < best {
			best = k
		}
	}
	head := strings.TrimSpace(text[:best])
	if len(strings.Fields(head)) == 0 {
		return text
	}
	return head
}

// cuePhrase returns the text after the first cue word of text, up to the end of the
// clause or a break.
func cuePhrase(text string) string {
	lower := asciiLower(text)
	for _, cue := range cueWords {
		if k := strings.Index(lower, cue); k >= 0 {
			if ph := cutPhrase(text[k+len(cue):]); ph != "" {
				return ph
			}
		}
	}
	return ""
}

func cutPhrase(s string) string {
	for _, stop := range []string{",", ";", " so that ", " so ", " because ", " which ", " and then ", " then "} {
		if k := strings.Index(asciiLower(maskGroupCommas(s)), stop); k >= 0 {
			s = s[:k]
		}
	}
	return strings.Trim(strings.TrimSpace(s), ".!?'\"")
}

// exampleIn returns a word of text that pr's description gives as an example value.
func exampleIn(pr *paramInfo, text string) string {
	sep := func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
	}
	orig := strings.FieldsFunc(text, sep)
	ws := strings.FieldsFunc(strings.ToLower(text), sep)
	for i, w := range ws {
		for _, e := range pr.examples {
			if w == e && len(orig) == len(ws) {
				// As written: "1Z999AA10123456784" is the user's tracking number, not
				// the example's lower case.
				return orig[i]
			}
			if w == e || sameStem(w, e) {
				return e // "a dermatologist" for "e.g. dermatology"
			}
		}
		if pr.whole {
			continue // an instruction's examples are instructions, not values
		}
		// "water the front lawn": an example of several words, word for word.
		for _, e := range pr.phrases {
			if es := strings.Fields(e); i+len(es) <= len(ws) && strings.Join(ws[i:i+len(es)], " ") == e {
				return e
			}
		}
	}
	return ""
}

// sameStem reports whether two words of six letters or more differ only in their last
// syllable or two ("dermatologist" and "dermatology", "cardiologist" and "cardiology").
func sameStem(w, e string) bool {
	if len(e) < 6 || len(w) < 6 {
		return false
	}
	n := 0
	for n < len(w) && n < len(e) && w[n] == e[n] {
		n++
	}
	return n >= len(e)-2 && n >= len(w)-4 && n >= 6
}

// namesTool reports whether every word of text names the tool ("SMS" for send_sms).
func namesTool(ti *toolInfo, text string) bool {
	ts := terms(text)
	if len(ts) == 0 {
		return false
	}
	for _, t := range ts {
		if !ti.terms[t] && !(len(t) > 2 && strings.HasSuffix(t, "s") && ti.terms[t[:len(t)-1]]) {
			return false // ("PRs" are pr_list's, as "PR" is)
		}
	}
	return true
}

// maskGroupCommas returns s with each comma between digit groups ("$1,240.55",
// "12,500,000") as "_", so that it ends no phrase; s's length is kept.
func maskGroupCommas(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	b := []byte(s)
	for i := 1; i+3 < len(b); i++ {
		if b[i] == ',' && isDigitByte(b[i-1]) && isDigitByte(b[i+1]) && isDigitByte(b[i+2]) && isDigitByte(b[i+3]) && (i+4 == len(b) || !isDigitByte(b[i+4])) {
			b[i] = '_'
		}
	}
	return string(b)
}

// phraseFor returns the phrase of clause c that a free-text parameter takes: the text after
// a cue ("about", "saying", "titled") for topics and contents, the whole instruction for
// instruction-like parameters, or else the object of the clause's verb.
func phraseFor(pr *paramInfo, c clause, isVerb func(string) bool) string {
	text := c.text
	lower := asciiLower(text)
	cut := cutPhrase
	if pr.whole {
		// "remind me to call mom tomorrow at 6pm": what to be reminded of.
		for _, cue := range reminderCues {
			if k := strings.Index(" "+lower, cue); k >= 0 {
				ph := cutPhrase(text[k+len(cue)-1:])
				if f := strings.Fields(ph); len(f) > 0 && strings.HasSuffix(cue, " to ") && (determiners[strings.ToLower(f[0])] || recipientWords[strings.ToLower(f[0])]) {
					continue // "an email reminder to my friend": to whom, not what
				}
				if ph != "" {
					return beforeWhen(ph, c)
				}
			}
		}
		// "tell my coach I'll miss Thursday's session": what follows the one told.
		if m := tellWhom.FindStringSubmatch(text); m != nil && !mentions(pr, instructionTerms) && !strings.HasPrefix(strings.ToLower(m[1]), "to ") {
			if ph := cutPhrase(m[1]); ph != "" {
				return ph
			}
		}
		// "remind me tomorrow at 9 to renew the parking permit": the cue's words apart,
		// with only when between them.
		if ph := remindedOf(c); ph != "" {
			return beforeWhen(ph, c)
		}
		// "a note titled Ideas with the text try the new pasta place": the message
		// follows a message's cue, not the title's.
		for _, cue := range messageCues {
			if k := strings.Index(lower, cue); k > 0 {
				ph := cutPhrase(text[k+len(cue):])
				if cue == ": " {
					// "text +1 555 010 2233: running 10 min late, start without me":
					// what follows the colon is the message, commas and all.
					ph = strings.Trim(strings.TrimSpace(text[k+len(cue):]), ".!?'\"")
				}
				if ph != "" {
					return ph
				}
			}
		}
	}
	if pr.free || pr.whole {
		if ph := cuePhrase(text); ph != "" {
			return ph
		}
		if ph := dashTail(c); ph != "" && pr.free {
			// "emergency electrical job at B-115 - sparking outlet in bedroom": what
			// the dash introduces describes it.
			return ph
		}
		if pr.free {
			for _, cue := range []string{" for ", " on ", " in "} {
				if k := strings.Index(lower, cue); k >= 0 {
					ph := cut(text[k+len(cue):])
					if cue == " in " && (ph == "" || hasCapital(ph) || len(strings.Fields(ph)) > 2) {
						continue // "news in technology" is a topic; "in Paris" a place
					}
					if ph != "" && !isVerb(strings.ToLower(strings.Fields(ph)[0])) {
						return strings.TrimPrefix(strings.TrimPrefix(ph, "a "), "the ")
					}
				}
			}
		}
	}
	toks := strings.Fields(text)
	verb := -1
	// ("the request rate of checkout": no verb; "post those dates": a verb, whatever
	// enum holds POST.)
	bare := strings.Fields(blankSlots(clause{text: c.text, start: c.start, slots: slices.DeleteFunc(slices.Clone(c.slots), func(s slot.Slot) bool { return !strings.Contains(s.Text, " ") })}))
	for i, t := range toks {
		if len(bare) == len(toks) && bare[i] != t {
			continue // a word of a value of several words
		}
		if isVerb(strings.ToLower(strings.Trim(t, ",.!?;:'\""))) {
			verb = i
			break
		}
	}
	if pr.whole && !mentions(pr, instructionTerms) {
		// A message's words follow its cue: "text +1 555 010 2233 that I am running late".
		lower := asciiLower(text)
		for _, cue := range dictationCues {
			if k := strings.Index(lower, cue); k > 0 {
				if ph := cutPhrase(text[k+len(cue):]); ph != "" {
					return ph
				}
			}
		}
	}
	if pr.whole && mentions(pr, instructionTerms) {
		// An instruction or a question is taken as written; one passed on ("ask the
		// robot to wash the dishes") from the verb after "to".
		if verb >= 0 && delegateVerbs[strings.ToLower(strings.Trim(toks[verb], ",.!?;:'\""))] {
			for k := verb + 2; k < len(toks) && k <= verb+5; k++ {
				if strings.EqualFold(toks[k], "to") && k+1 < len(toks) {
					verb = k + 1
					break
				}
			}
		}
		if verb >= 0 {
			return cut(strings.Join(toks[verb:], " "))
		}
		return cut(text)
	}
	if verb < 0 && len(bare) == len(toks) {
		// "the request rate of checkout": the thing a value is of.
		for i := 1; i+1 < len(toks); i++ {
			if strings.EqualFold(toks[i], "of") && bare[i-1] != toks[i-1] && strings.Trim(bare[i-1], "x") == "" {
				verb = i
				break
			}
		}
	}
	if verb < 0 {
		return ""
	}
	var obj []string
	for _, t := range toks[verb+1:] {
		w := strings.ToLower(strings.Trim(t, ",.!?;:'\""))
		if len(obj) == 0 && objectSkip[w] {
			if titleParam(pr) && (w == "a" || w == "an" || w == "some") {
				return "" // "play an action movie": a kind of movie, not one by its title
			}
			continue
		}
		// (A comma between digit groups ends nothing: "pay my visa bill of $1,240.55".)
		punct := strings.ContainsAny(maskGroupCommas(t), ",;")
		if objectStop[w] || punct && len(obj) > 0 {
			if punct && !objectStop[w] {
				obj = append(obj, strings.Trim(t, ",;"))
			}
			break
		}
		obj = append(obj, t)
	}
	return cut(strings.Join(obj, " "))
}

var objectSkip = map[string]bool{"me": true, "my": true, "a": true, "an": true, "the": true, "some": true,
	"our": true, "your": true, "his": true, "her": true, "their": true, "us": true, "him": true, "up": true, "out": true,
	// the particle of a phrasal verb ("roll back checkout", "shut down the cluster")
	"back": true, "down": true, "off": true, "away": true}

var objectStop = map[string]bool{"in": true, "at": true, "on": true, "for": true, "from": true, "to": true,
	"by": true, "with": true, "near": true, "using": true, "via": true, "and": true, "so": true, "because": true,
	"before": true, "after": true, "tomorrow": true, "today": true, "tonight": true, "which": true, "that": true}

// namedPhrase returns the phrase of clause c that names what a noun-named parameter
// asks for by that noun: "the local library" gives a library parameter "local library",
// "from example_library" gives "example_library". It is empty when the clause uses the
// noun bare ("from the library" says which library no more than the noun does), or only
// inside a slot.
func namedPhrase(pr *paramInfo, c clause) string {
	name := pr.norm
	if len(name) < 3 || strings.ContainsAny(pr.Name, "_-") || baseVerbs[name] {
		return ""
	}
	toks := strings.Fields(blankSlots(c))
	orig := strings.Fields(c.text)
	if len(orig) != len(toks) {
		return ""
	}
	for i, t := range toks {
		w := strings.ToLower(strings.Trim(t, ",.!?;:'\"()"))
		if strings.HasSuffix(w, "_"+name) || strings.HasPrefix(w, name+"_") {
			return strings.Trim(orig[i], ",.!?;:'\"()")
		}
		if w != name && w != name+"s" {
			continue
		}
		var mods []string
		for j := i - 1; j >= 0 && len(mods) < 2; j-- {
			m := strings.ToLower(strings.Trim(toks[j], "'\"()"))
			if m == "" || strings.ContainsAny(toks[j], ",.!?;:") || objectSkip[m] || objectStop[m] ||
				stopWords[m] || isVerbWord(m) || strings.Contains(m, "x") && strings.Trim(m, "x") == "" {
				break
			}
			mods = append([]string{strings.Trim(orig[j], "'\"()")}, mods...)
		}
		if len(mods) == 0 {
			return ""
		}
		if resourceNouns[name] || resourceNouns[strings.TrimSuffix(name, "s")] {
			// "the web-frontend deployment": the noun says what the identifier names.
			return strings.Join(mods, " ")
		}
		return strings.Join(append(mods, strings.Trim(orig[i], ",.!?;:'\"()")), " ")
	}
	return ""
}

// blankSlots returns clause c's text with its slots' letters blanked but its spaces
// kept, so that its tokens line up with the clause's own.
func blankSlots(c clause) string {
	b := []byte(c.text)
	for _, s := range c.slots {
		for k := max(s.Start-c.start, 0); k < s.End-c.start && k < len(b); k++ {
			if b[k] != ' ' {
				b[k] = 'x'
			}
		}
	}
	return string(b)
}

// placePhrase returns the words after the preposition that introduces a place or a person
// for pr ("to the airport" for a destination, "from the office" for an origin), up to the
// next preposition or punctuation.
func placePhrase(pr *paramInfo, c clause) string {
	var preps []string
	switch {
	case pr.roles&roleFrom != 0:
		preps = []string{"from"}
	case pr.roles&roleTo != 0:
		preps = []string{"to", "into"}
	case pr.roles&rolePlace != 0:
		preps = []string{"in", "at", "near", "to", "around"}
	default:
		preps = []string{"with", "to", "for", "by"}
	}
	if pr.roles&rolePlace != 0 {
		preps = append(preps, "from")
	}
	toks := strings.Fields(c.text)
	for i, t := range toks {
		w := strings.ToLower(t)
		match := false
		for _, p := range preps {
			if w == p {
				match = true
			}
		}
		if !match || i+1 < len(toks) && isVerbWord(strings.ToLower(toks[i+1])) {
			continue // "to know the weather" is a purpose, not a place
		}
		var out []string
		for _, t2 := range toks[i+1:] {
			w2 := strings.ToLower(strings.Trim(t2, ",.!?;:"))
			if len(out) == 0 && (w2 == "a" || w2 == "an") && pr.roles&(roleFrom|roleTo) == 0 {
				break // "go to an IMAX show": no city or place by its name
			}
			if len(out) == 0 && objectSkip[w2] {
				continue
			}
			if objectStop[w2] || w2 == "me" || w2 == "myself" {
				break
			}
			out = append(out, strings.Trim(t2, ",.!?;:"))
			if strings.ContainsAny(t2, ",.!?;:") {
				break
			}
		}
		if len(out) > 0 && len(out) <= 2 && strings.Trim(out[0], "0123456789.") == "" && (len(out) == 1 || strings.ToLower(out[1]) == out[1]) {
			// "set the thermostat to 22 (degrees) in the kitchen": a number, or a
			// number and its unit, is no place ("to 12 Baker Street" is one).
			continue
		}
		if len(out) > 0 && len(out) <= 5 {
			return strings.Join(out, " ")
		}
	}
	return ""
}

// isVerbWord reports whether w is a common verb (the registry's own verbs are not needed
// to tell "to know" from "to Paris").
func isVerbWord(w string) bool {
	return baseVerbs[w] || baseVerbs[stem(w)] || w == "know" || w == "be" || w == "have"
}

var fillerWords = map[string]bool{"i": true, "you": true, "your": true, "it": true, "its": true, "this": true,
	"that": true, "please": true, "any": true, "just": true, "also": true, "can": true, "could": true, "would": true,
	"will": true, "want": true, "need": true, "is": true, "are": true, "be": true, "and": true, "or": true}

// hasContent reports whether a phrase says something beyond the tool's own name and the
// clause's slots: "send an SMS to 555-1234" carries no message.
func hasContent(ti *toolInfo, ph string, c clause) bool {
	masked := ph
	for _, s := range c.slots {
		masked = strings.ReplaceAll(masked, s.Text, " ")
	}
	for _, w := range words(masked) {
		lw := strings.ToLower(w)
		if objectSkip[lw] || prepositions[lw] || isVerbWord(lw) {
			continue
		}
		t := stem(lw)
		if s, ok := synonyms[t]; ok {
			t = s
		}
		if !ti.terms[t] && !fillerWords[lw] {
			return true
		}
	}
	return false
}

// quotedValue reports whether v is the value of a quoted slot of c (quotes are exact).
func quotedValue(c clause, v string) bool {
	for _, s := range c.slots {
		if s.Kind == slot.Quoted && s.Value == v {
			return true
		}
	}
	return false
}

// asciiLower lowercases A-Z only, so that byte offsets found in the result are valid in s
// (strings.ToLower may change the length of non-ASCII text).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

var placePrepositions = map[string]bool{"in": true, "to": true, "at": true, "near": true, "from": true, "around": true}

// hasNamed reports whether the clause holds a name or a quoted string.
func hasNamed(c clause) bool {
	for _, s := range c.slots {
		if s.Kind == slot.Name || s.Kind == slot.Quoted {
			return true
		}
	}
	return false
}

// mentionsEarlierPlace reports whether a clause points back at a place or a day named
// before: "there", "the same day", "for that day", "at the destination".
func mentionsEarlierPlace(text string) bool {
	ws := strings.Fields(asciiLower(text))
	for i, w := range ws {
		w = strings.Trim(w, ",.!?;:")
		if w == "there" || w == "same" || w == "destination" {
			return true
		}
		if (w == "that" || w == "this") && i+1 < len(ws) {
			switch strings.Trim(ws[i+1], ",.!?;:") {
			case "day", "date", "place", "city", "town", "location", "trip", "time":
				return true
			}
		}
	}
	return false
}

// resourceNouns name the parts of a system called by an identifier rather than a name
// of words: "the checkout-api service", "host web-03", "the web-frontend deployment".
var resourceNouns = map[string]bool{"service": true, "microservice": true, "deployment": true, "host": true,
	"hostname": true, "server": true, "cluster": true, "node": true, "instance": true, "database": true, "db": true,
	"repo": true, "repository": true, "branch": true, "bucket": true, "queue": true, "pod": true, "container": true,
	"pipeline": true, "namespace": true, "vm": true, "workload": true, "group": true}

// resourceParam reports whether pr asks for one of the resourceNouns: every term of its
// name is one, or a word for its name or identifier ("service_name", "host").
func resourceParam(pr *paramInfo) bool {
	found := false
	for t := range pr.nameTerms {
		switch {
		case resourceNouns[t]:
			found = true
		case t == "name" || t == "id" || t == "identifier":
		default:
			return false
		}
	}
	return found
}

// identifierPattern is an identifier in lower case whose parts are joined by hyphens
// or underscores: checkout-api, web-03, billing_db.
var identifierPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$`)

// hyphenatedWords are words of English that identifierPattern would take.
var hyphenatedWords = map[string]bool{"e-mail": true, "follow-up": true, "check-in": true, "check-out": true,
	"sign-in": true, "log-in": true, "add-on": true, "built-in": true, "opt-in": true, "opt-out": true,
	"set-up": true, "roll-back": true, "real-time": true, "on-call": true, "oncall": true, "long-term": true,
	"short-term": true, "up-to-date": true, "read-only": true, "read-write": true, "non-prod": true,
	"x-ray": true, "t-shirt": true, "well-known": true, "so-called": true, "self-service": true}

// identifierIn returns the one identifier (identifierPattern) clause c writes, or ""
// when it writes none or several. A word a slot reaches beyond (a URL, a quoted name)
// is no identifier; one a slot lies inside ("03" of web-03) is.
func identifierIn(c clause) string {
	found := ""
	for i := 0; i < len(c.text); {
		for i < len(c.text) && c.text[i] == ' ' {
			i++
		}
		j := i
		for j < len(c.text) && c.text[j] != ' ' {
			j++
		}
		lo, hi := i, j
		for lo < hi && strings.IndexByte(",.!?;:'\"()", c.text[lo]) >= 0 {
			lo++
		}
		for hi > lo && strings.IndexByte(",.!?;:'\"()", c.text[hi-1]) >= 0 {
			hi--
		}
		i = j
		w := c.text[lo:hi]
		if !identifierPattern.MatchString(w) || hyphenatedWords[w] {
			continue
		}
		inSlot := false
		for _, s := range c.slots {
			if st, en := s.Start-c.start, s.End-c.start; st < hi && lo < en && (st < lo || en > hi) {
				inSlot = true
			}
		}
		if inSlot {
			continue
		}
		if found != "" && found != w {
			return ""
		}
		found = w
	}
	return found
}

// introducedName returns the words "called", "named", "titled" or "entitled" introduces
// in text, up to a preposition, a word that prices or dates it ("worth", "due") or
// punctuation: "a deal called Acme renewal worth 25000" gives "Acme renewal".
func introducedName(text string) string {
	ws := strings.Fields(text)
	for i, w := range ws {
		if !nameIntroducers[strings.ToLower(w)] {
			continue
		}
		var out []string
		for _, t := range ws[i+1:] {
			lt := strings.ToLower(strings.Trim(t, ",.;:!?"))
			if objectStop[lt] || nameEnders[lt] {
				break
			}
			out = append(out, strings.Trim(t, ",.;:!?"))
			if strings.ContainsAny(t, ",.;:!?") {
				break
			}
		}
		return strings.Join(out, " ")
	}
	return ""
}

// nameEnders end a name "called" introduces: what follows prices, dates or places it.
var nameEnders = map[string]bool{"worth": true, "costing": true, "valued": true, "priced": true, "due": true,
	"into": true, "under": true, "of": true, "as": true, "about": true, "starting": true, "ending": true}

// dashTail returns the words after the one " - " of clause c, when they are two to
// twelve words that hold no value of the clause ("sparking outlet in bedroom"), or "".
func dashTail(c clause) string {
	k := strings.Index(c.text, " - ")
	if k < 0 || strings.Contains(c.text[k+3:], " - ") {
		return ""
	}
	if slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return s.End-c.start > k+3 }) {
		return ""
	}
	ph := strings.Trim(strings.TrimSpace(c.text[k+3:]), ".!?")
	if n := len(strings.Fields(ph)); n < 2 || n > 12 {
		return ""
	}
	return ph
}
