package pattern

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/planwise/planwise/slot"
)

// Clause is one part of a request that asks for one thing, with the tool that matches it
// best. Tool is empty (and Score zero) when no tool matches with enough confidence.
type Clause struct {
	Text  string
	Tool  string
	Score float64
}

// clause is a Clause with what planning needs.
type clause struct {
	text       string
	start, end int         // byte offsets in the request
	slots      []slot.Slot // the request's slots inside the clause
	// ordered is true when a temporal marker ("then", "after that", "finally", "once ...")
	// puts this clause after the previous one.
	ordered bool
	// refers is true when the clause refers back to an earlier result ("it", "the
	// confirmation", "them").
	refers bool
	// condition is true for a clause that states when the next one applies ("once the
	// tax return is done", "after arriving in London", "if it rains").
	condition bool
	// context is true for a clause that describes what the user has rather than asks for
	// something ("I've got an audio file named 'example.wav'"); its slots serve the
	// clauses that ask.
	context bool
	// asks is true for a clause that asks for something: an instruction ("book a
	// table"), a request ("I'd like to...", "can you..."), a question, or a bare noun
	// phrase ("weather in Paris tomorrow"). A clause that asks must be planned, or the
	// request is refused: a requested step is never dropped silently.
	asks bool
	// meta is true for a clause that asks for nothing in particular ("could you provide
	// that information?", "thanks in advance"): it needs no step.
	meta bool
	// test is true for a condition that tests the world ("if it rains", "unless it has
	// shipped"): the steps it governs may not run unconditionally.
	test bool
	// states is true for a clause that states a value ("Web ID is 1234", "my user ID is
	// 12345", "the server's domain is 'x.ca'"): it may add its values to a step another
	// clause asked for, and never makes a step of its own.
	states bool
	// question is true for a clause the request ends with a question mark.
	question bool
	// seeks is true for a context clause that says what the user seeks ("I'm looking
	// for a salon in Berkeley"): it asks when no clause of the request does
	// (seekingAsks); beside a clause that asks it is the context of it. seekMeta is
	// what meta is then.
	seeks, seekMeta bool
	// requires is true for a clause that says what the thing asked for must be ("should
	// stop working after a week"): context whose values a step must take.
	requires bool
	// verb is the verb a clause with none of its own borrows from the clause before it:
	// "pay my water bill and then my Visa card" pays the card (see elliptical).
	verb string
}

// statesContext reports whether a clause states a possession or a situation without
// asking: it starts with "I have", "I've got", "I'm", "there is", "this is" and holds no
// request word ("want", "need", "please", "can you", "like to").
func statesContext(toks []token) bool {
	ws := statedWords(toks)
	if len(ws) < 2 {
		return false
	}
	if purposeAside(ws) {
		return true
	}
	// ("got a supplier to call": the subject left out, as people write.)
	opening := ws[0] == "i've" || ws[0] == "i'm" || ws[0] == "there's" || ws[0] == "got" && determiners[ws[1]] ||
		ws[0] == "i" && (ws[1] == "have" || ws[1] == "am" || ws[1] == "got") ||
		(ws[0] == "there" || ws[0] == "this" || ws[0] == "here") && (ws[1] == "is" || ws[1] == "are")
	if !opening {
		return false
	}
	for i, w := range ws {
		switch w {
		case "want", "need", "please", "like", "wish", "help", "can", "could", "would", "should", "must", "let":
			return false
		case "to":
			if i > 1 && (ws[i-1] == "have" || ws[i-1] == "got") {
				return false // "I have to book a flight"
			}
		}
	}
	return true
}

// statedWords are the lower-cased words of toks after any greeting or label: "Hey, I've
// booked a table" and "Quick request: I've got a file" state as "I've ..." does.
func statedWords(toks []token) []string {
	var ws []string
	for _, t := range toks {
		if t.word {
			ws = append(ws, t.lower)
		}
	}
	for len(ws) > 0 && greetingWords[ws[0]] {
		ws = ws[1:]
	}
	return ws
}

// seeking reports whether toks say what the user seeks: "I'm looking for a salon",
// "I am interested in a music event", "I'm in the mood for some jazz", "I'm hoping to
// find an event", after any greeting.
func seeking(toks []token) bool {
	ws := statedWords(toks)
	k := seekerAt(ws)
	if k < 0 || k+1 >= len(ws) {
		return false
	}
	switch ws[k] {
	case "looking", "searching", "hunting":
		return ws[k+1] == "for" || ws[k+1] == "to"
	case "interested":
		return ws[k+1] == "in"
	case "hoping", "keen", "eager":
		return ws[k+1] == "to"
	case "in":
		return k+3 < len(ws) && ws[k+1] == "the" && ws[k+2] == "mood" && ws[k+3] == "for"
	}
	return false
}

// seekerAt returns the index of the word after the user's "I'm" or "I am" (and an
// adverb: "currently", "also", "just", "really") that opens ws, or -1.
func seekerAt(ws []string) int {
	k := 0
	switch {
	case len(ws) > 2 && (ws[0] == "i'm" || ws[0] == "im"):
		k = 1
	case len(ws) > 3 && ws[0] == "i" && ws[1] == "am":
		k = 2
	default:
		return -1
	}
	if ws[k] == "currently" || ws[k] == "also" || ws[k] == "just" || ws[k] == "really" {
		k++
	}
	return k
}

// purposeAside reports whether words ws say what something asked for is for: "need it
// for a quote expiry", "I need this for my taxes", "it's for my mum's birthday". The
// clause asks for nothing of its own.
func purposeAside(ws []string) bool {
	if ws[0] == "i" || ws[0] == "we" || ws[0] == "just" {
		ws = ws[1:]
	}
	switch {
	case len(ws) >= 3 && (ws[0] == "need" || ws[0] == "needs") && referringPronouns[ws[1]] && ws[2] == "for":
		return true
	case len(ws) >= 2 && (ws[0] == "it's" || ws[0] == "its" || ws[0] == "that's" || ws[0] == "this's") && ws[1] == "for":
		return true
	case len(ws) >= 3 && (ws[0] == "it" || ws[0] == "this" || ws[0] == "that") && ws[1] == "is" && ws[2] == "for":
		return true
	}
	return false
}

// referringPronouns stand for what an earlier clause asked for.
var referringPronouns = wordSet("it this that them these those")

// gerundOpening reports whether a clause opens with a verb's -ing form and holds no
// other verb that asks: after a request, "Thinking of going for a run", "travelling
// with our baby", "heading to the airport now" say why, not what else to do.
//
// An -ing word followed by a plain noun names a thing ("shipping cost for 5 kg to
// Japan", "parking fees at the airport"): the clause asks, as any noun phrase does. A
// verb's -ing form goes on with a preposition, a particle, an object's determiner or
// pronoun, a value or the end ("heading to", "planning a trip", "visiting Paris",
// "running late").
func gerundOpening(toks []token) bool {
	for i, t := range toks {
		if !t.word {
			continue
		}
		w := t.lower
		if w == "being" {
			return true // "Being an Excellence service provider": what it is, not what to do
		}
		if len(w) <= 5 || !strings.HasSuffix(w, "ing") || notGerunds[w] {
			return false
		}
		if i+1 < len(toks) && toks[i+1].word && !toks[i+1].inSlot {
			n := toks[i+1].lower
			return prepositions[n] || determiners[n] || gerundFollowers[n] || stopWords[n]
		}
		return true
	}
	return false
}

// gerundFollowers go on from a verb's -ing form: particles, adverbs of time and place,
// pronouns.
var gerundFollowers = wordSet("out up down off away back home over late early soon now today tonight tomorrow me us him them it you there here around")

// notGerunds end in -ing and are no verb's -ing form, or ask all the same.
var notGerunds = wordSet("bring during morning evening nothing something anything everything string spring building ceiling wedding meeting booking pudding")

// greetingWords open a request without being part of what it says.
var greetingWords = map[string]bool{"hey": true, "hi": true, "hello": true, "ok": true, "okay": true,
	"so": true, "well": true, "quick": true, "request": true, "question": true, "note": true, "dear": true, "assistant": true}

// token is a word or a punctuation mark of the request.
type token struct {
	text       string
	lower      string
	start, end int
	word       bool
	inSlot     bool
}

func tokenize(req string, slots []slot.Slot) []token {
	var out []token
	si := 0
	inSlot := func(i int) bool {
		for si < len(slots) && slots[si].End <= i {
			si++
		}
		return si < len(slots) && slots[si].Start <= i && i < slots[si].End
	}
	for i := 0; i < len(req); {
		r, n := utf8.DecodeRuneInString(req[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i + n
			for j < len(req) {
				r2, n2 := utf8.DecodeRuneInString(req[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j += n2
					continue
				}
				if (r2 == '\'' || r2 == '’') && j+n2 < len(req) {
					r3, _ := utf8.DecodeRuneInString(req[j+n2:])
					if unicode.IsLetter(r3) {
						j += n2
						continue
					}
				}
				break
			}
			w := req[i:j]
			out = append(out, token{text: w, lower: strings.ToLower(strings.ReplaceAll(w, "’", "'")), start: i, end: j, word: true, inSlot: inSlot(i)})
			i = j
		default:
			out = append(out, token{text: req[i : i+n], lower: req[i : i+n], start: i, end: i + n, inSlot: inSlot(i)})
			i += n
		}
	}
	return out
}

// orderMarkers start a clause that comes after the previous one.
var orderMarkers = map[string]bool{
	"then": true, "afterwards": true, "afterward": true, "finally": true, "lastly": true,
	"subsequently": true, "next": true, "later": true, "thereafter": true,
}

// subjects start a new clause after "and" or a comma: "and I need to ...", ", can you ...".
var subjects = map[string]bool{
	"i": true, "we": true, "please": true, "can": true, "could": true, "would": true, "will": true,
	"i'd": true, "i'll": true, "i'm": true, "let's": true, "also": true, "don't": true, "remember": true,
}

// anaphors refer to the result of an earlier step, as word sequences.
var anaphors = func() [][]string {
	var out [][]string
	for _, a := range anaphorPhrases {
		out = append(out, strings.Fields(a))
	}
	return out
}()

var anaphorPhrases = []string{
	"it", "them", "that", "this", "those", "these", "the result", "the results", "the confirmation",
	"the summary", "the details", "the information", "the info", "the list", "the output",
	"the answer", "the response", "the outcome", "the findings", "the data", "this information",
	"that information", "the booking", "the reservation", "the receipt", "the link",
	"the content", "the contents", "its content", "its contents",
	// What an earlier step found, said in its own words: "save what you find as a note".
	"what you find", "what you found", "whatever you find", "what you get", "what you got",
	"what it returns", "what it says", "what comes back", "what they say",
}

// resultPhrase matches the words that name an earlier step's result by what that step
// does ("what you find", "whatever you find", "what comes back"): they refer back, and
// their verb names no tool of the clause's ("save what you find as a note" asks for a
// note, not a search).
var resultPhrase = regexp.MustCompile(`(?i)\bwhat(?:ever)? (?:you (?:find|found|get|got)|it (?:returns|says)|comes back|they say)\b`)

// splitClauses splits a request into clauses. isVerb says whether a lowercase word can
// start an instruction.
func splitClauses(req string, slots []slot.Slot, isVerb func(string) bool) []clause {
	toks := tokenize(req, verbNamesOut(req, 0, boundarySlots(slots), isVerb))
	var out []clause
	start := 0 // token index where the current clause starts
	ordered := false
	pendingOrder := false // a "once ..."/"after ..." clause orders the one after its comma
	emit := func(end int, nextOrdered bool) {
		if end > start {
			prevVerb := ""
			if len(out) > 0 {
				prevVerb = leadVerb(out[len(out)-1], isVerb)
			}
			c := makeClause(req, toks[start:end], slots, ordered, prevVerb, isVerb)
			if len(out) > 0 && out[len(out)-1].asks && c.asks && !c.question && gerundOpening(toks[start:end]) {
				c.context, c.asks, c.meta = true, false, false
			}
			if c.text != "" {
				out = append(out, c)
			}
		}
		start = end
		ordered = nextOrdered
	}
	wordAt := func(i int) string {
		if i < len(toks) && toks[i].word && !toks[i].inSlot {
			return toks[i].lower
		}
		return ""
	}
	startsInstruction := func(i int) bool {
		w := wordAt(i)
		return w != "" && (isVerb(w) || subjects[w] || orderMarkers[w] || w == "and" && startsAfterAnd(toks, i, wordAt, isVerb))
	}
	dictating := false // after "text +1 555 ...:" the rest of the sentence is the message
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.inSlot {
			continue
		}
		if dictating {
			if !t.word && (t.text == "." || t.text == "!" || t.text == "?" || t.text == ";") && !(t.text == "." && i+1 < len(toks) && toks[i+1].start == t.end) {
				dictating = false
				emit(i+1, false)
			}
			continue
		}
		if !t.word && t.text == ":" && i-start <= 12 && dictates(toks[start:i]) {
			dictating = true
			continue
		}
		if !t.word {
			// "1) buy milk 2) book a hotel": a list marker starts a clause.
			if t.text == ")" && i > start+1 && toks[i-1].word && len(toks[i-1].text) <= 2 && (i < 2 || toks[i-2].text != "(") {
				emit(i-1, false)
				continue
			}
			if t.text == "." && i+1 < len(toks) && toks[i+1].start == t.end {
				// "8.8.8.8", "v1.2", "example.com": a dot inside a token ends nothing.
				continue
			}
			if t.text == "." && i > start && i+1 < len(toks) && toks[i-1].word && abbreviations[toks[i-1].lower] && toks[i-1].end == t.start {
				// "buy Apple Inc. stock", "Dr. Patel": the dot of an abbreviation.
				continue
			}
			switch t.text {
			case ".", "!", "?", ";":
				emit(i+1, pendingOrder || orderMarkers[wordAt(i+1)] || wordAt(i+1) == "after" && wordAt(i+2) == "that")
				pendingOrder = false
			case ",", ":":
				if pendingOrder || startsInstruction(i+1) || t.text == "," && statesOfOther(wordAt(i+1), wordAt(i+2)) && !valueBefore(toks, i+1) {
					next := pendingOrder || orderMarkers[wordAt(i+1)] || wordAt(i+1) == "and" && orderMarkers[wordAt(i+2)]
					emit(i+1, next)
					pendingOrder = false
				}
			}
			continue
		}
		switch t.lower {
		case "then", "afterwards", "afterward", "finally", "lastly", "subsequently", "thereafter":
			if i > start {
				emit(i, true)
			} else {
				ordered = true
			}
		case "after":
			if wordAt(i+1) == "that" || wordAt(i+1) == "this" {
				if i > start {
					emit(i, true)
				} else {
					ordered = true
				}
				i++
			} else if i == start || wordAt(i-1) == "and" {
				pendingOrder = true
			}
		case "once":
			if i > start {
				emit(i, ordered)
			}
			pendingOrder = true
		case "next":
			if i == start || startsInstruction(i+1) {
				if i > start {
					emit(i, true)
				} else {
					ordered = true
				}
			}
		case "also", "additionally":
			if i > start && wordAt(i-1) != "and" {
				emit(i, false)
			}
		case "and":
			if dictates(toks[start:i]) && tellsContent(wordAt(i+1), wordAt(i+2), wordAt(i+3)) {
				// "email jordan@example.com and tell him the contract is signed": what
				// to tell is the message, not a second request.
				continue
			}
			if startsAfterAnd(toks, i, wordAt, isVerb) {
				next := orderMarkers[wordAt(i+1)]
				emit(i, next)
			}
		case "before", "while":
			if i > start && startsInstruction(i+1) {
				emit(i, false)
			}
		}
	}
	emit(len(toks), false)
	return seekingAsks(out)
}

// seekingAsks makes the clauses that say what the user seeks ask, when no clause of
// cs asks: "I'm looking for a psychiatrist in Pittsburgh." is the request, "I'm looking
// to attend a concert in Toronto. Find one on 2023.10.2" asks once.
func seekingAsks(cs []clause) []clause {
	if slices.ContainsFunc(cs, func(c clause) bool { return c.asks }) {
		return cs
	}
	for i := range cs {
		if cs[i].seeks && !cs[i].states {
			cs[i].context, cs[i].asks, cs[i].meta = false, true, cs[i].seekMeta
		}
	}
	return cs
}

// dictateVerbs send or write down a message the request dictates.
var dictateVerbs = wordSet("text sms message email e-mail mail tell say post slack whatsapp dm write note reply tweet send ping")

// dictates reports whether a clause of tokens toks opens (within its first three words)
// with a verb that sends or writes down a message: "text +1 555 010 2233", "make a
// note", "please email bob@example.com".
func dictates(toks []token) bool {
	n := 0
	for _, t := range toks {
		if !t.word || t.inSlot {
			continue
		}
		if dictateVerbs[t.lower] {
			return true
		}
		if n++; n == 3 {
			break
		}
	}
	return false
}

// tellsContent reports whether the words after an "and" introduce what a message says:
// "tell him", "tell them that", "let her know", "say".
func tellsContent(w1, w2, w3 string) bool {
	switch w1 {
	case "tell":
		return recipientWords[w2] || w2 == "that"
	case "let":
		return recipientWords[w2] && w3 == "know"
	case "say", "saying":
		return true
	}
	return false
}

// boundarySlots are the slots a clause boundary may not fall inside. A one-word enum
// value written in lower case is left out: it is as often an ordinary word as a value
// ("and get the top posts" is not the HTTP method GET), and must still be able to start
// a clause.
func boundarySlots(slots []slot.Slot) []slot.Slot {
	out := make([]slot.Slot, 0, len(slots))
	for _, s := range slots {
		if s.Kind == slot.Enum && !strings.ContainsAny(s.Text, " _-") && s.Text == strings.ToLower(s.Text) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// verbNamesOut leaves out of slots the one-word names that are verbs with an object
// pronoun or an address after them: "DM him the room name", "DM @hr.ops that it's done"
// are instructions, not a name "DM". text
// starts at offset base of the request (the request itself, or a clause of it).
func verbNamesOut(text string, base int, slots []slot.Slot, isVerb func(string) bool) []slot.Slot {
	out := slots[:0:0]
	for _, s := range slots {
		if end := s.End - base; s.Kind == slot.Name && end >= 0 && end <= len(text) && !strings.ContainsAny(s.Text, " .-_'") && isVerb(strings.ToLower(s.Text)) {
			next := strings.Fields(text[end:])
			if len(next) > 0 && objectPronouns[strings.ToLower(strings.Trim(next[0], ",.;:!?"))] {
				continue
			}
			if start := s.Start - base; len(next) > 0 && start >= 0 && s.Text == strings.ToUpper(s.Text) && opensInstruction(text[:start]) &&
				(addressed(next[0]) || determiners[strings.ToLower(next[0])]) {
				// "... and DM @hr.ops that it's done", "..., then DM the ticket number to
				// @lena.fischer": a verb written in capitals (not "... and WhatsApp +44
				// ...", "post it on Slack #general", where the name says the channel).
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// opensInstruction reports whether what comes before a word leaves it the first of an
// instruction: nothing, or a comma, "then", "and" or "please" after the last one.
func opensInstruction(before string) bool {
	b := strings.TrimRight(before, " ")
	if b == "" || strings.HasSuffix(b, ",") || strings.HasSuffix(b, ".") || strings.HasSuffix(b, ";") {
		return true
	}
	ws := strings.Fields(b)
	switch strings.ToLower(ws[len(ws)-1]) {
	case "then", "and", "please", "pls", "also":
		return true
	}
	return false
}

// addressed reports whether word w is an address a verb sends to: a handle ("@hr.ops",
// "#sales"), an e-mail address or a phone number ("DM @hr.ops that it's done").
func addressed(w string) bool {
	return strings.HasPrefix(w, "@") || strings.HasPrefix(w, "#") || strings.HasPrefix(w, "+") || strings.Contains(w, "@") && strings.Contains(w, ".")
}

// startsAfterAnd reports whether the "and" at i joins two instructions rather than two
// nouns: it is followed by a verb, a subject ("I", "please", "can you") or a marker.
func startsAfterAnd(toks []token, i int, wordAt func(int) string, isVerb func(string) bool) bool {
	w := wordAt(i + 1)
	if w == "" {
		return false
	}
	if n := sameTimeAt(i+1, wordAt); n > 0 {
		// "and at the same time purchase stock insurance": a second request.
		return isVerb(wordAt(i+1+n)) || subjects[wordAt(i+1+n)]
	}
	if questionWords[w] || w == "whats" || w == "what's" || w == "how's" || w == "where's" {
		// "What's the weather in Tokyo tomorrow, and what's the news on ...": a second
		// question.
		switch wordAt(i + 2) {
		case "is", "are", "was", "were", "did", "do", "does", "will", "can", "my", "i", "much", "long":
			return true
		}
		switch wordAt(i + 3) {
		case "did", "do", "does", "will", "can":
			return true // "and what grades did I get last fall"
		}
		if w == "what" || w == "which" {
			// "and what day of the week is each of those dates": a question about a
			// thing of its own.
			for k := i + 3; k <= i+6 && wordAt(k) != ""; k++ {
				switch wordAt(k) {
				case "is", "are", "was", "were":
					return true
				}
			}
		}
		return strings.HasSuffix(w, "s")
	}
	// "... and whatsapp the answer to +44 ...": a verb that sends a message, whether or
	// not a tool of the catalogue uses it as one.
	return isVerb(w) || subjects[w] || orderMarkers[w] || w == "after" || w == "once" || dictateVerbs[w] && w != "note" && w != "message" && w != "mail" ||
		verbOfPronoun(w, wordAt(i+2), wordAt(i+3))
}

// verbOfPronoun reports whether word w, followed by next and then, is a verb by its
// objects: a word of letters before "it", "them", "her" or "him" and a particle or a
// second object ("... and stick it in sprint 43", "and flip them over", "and leave him
// a comment"), whatever the verb. ("and label it 'Music practice'" names the step
// before's alarm.)
func verbOfPronoun(w, next, then string) bool {
	switch next {
	case "it", "them", "him", "her", "em":
	default:
		return false
	}
	return (particles[then] || then == "a" || then == "an" || then == "the") && len(w) > 2 && isLetters(w) && !stopWords[w] && !determiners[w] && !prepositions[w] && !subjects[w]
}

// particles complete a phrasal verb after its object: "stick it in", "kick it off".
var particles = wordSet("in into on onto over off out up down back away")

// statesOfOther reports whether words w and next, after a comma, open a statement of
// what someone else did: "he gave me his card to hold", "they left an hour ago" (a third
// person and a verb in the past) is what happened, not more of the instruction before
// it. ("he's allergic to nuts" says what a booking is for.)
func statesOfOther(w, next string) bool {
	switch w {
	case "he", "she", "they":
		return len(next) > 3 && strings.HasSuffix(next, "ed") || pastVerbs[next]
	}
	return false
}

// pastVerbs are irregular past forms a statement of what happened opens with.
var pastVerbs = wordSet("gave took said left paid sent came went got made told brought bought found kept lost put ran saw sold spent wrote")

// valueBefore reports whether a value (a token inside a slot) comes from token i on
// before the end of its sentence: "they gave me a 50" gives one, and stays with the
// instruction it follows.
func valueBefore(toks []token, i int) bool {
	for ; i < len(toks); i++ {
		if toks[i].inSlot {
			return true
		}
		if !toks[i].word && (toks[i].text == "." || toks[i].text == "!" || toks[i].text == "?" || toks[i].text == ";") {
			return false
		}
	}
	return false
}

// questionWords open a question.
var questionWords = wordSet("what how where when who which")

// sameTimeAt returns how many words of "at the same time", "in addition" or
// "meanwhile" start at token i (0 when none does).
func sameTimeAt(i int, wordAt func(int) string) int {
	switch {
	case wordAt(i) == "at" && wordAt(i+1) == "the" && wordAt(i+2) == "same" && wordAt(i+3) == "time":
		return 4
	case wordAt(i) == "in" && wordAt(i+1) == "addition":
		return 2
	case wordAt(i) == "meanwhile" || wordAt(i) == "simultaneously":
		return 1
	}
	return 0
}

// makeClause makes the clause of toks. prevVerb is the verb the clause before it opens
// with, if it asks for something ("" otherwise): an ordered clause with no verb of its
// own borrows it.
func makeClause(req string, toks []token, slots []slot.Slot, ordered bool, prevVerb string, isVerb func(string) bool) clause {
	// Trim leading connectives, list markers ("1)", "b.") and trailing punctuation.
	lo, hi := 0, len(toks)
	for lo < hi {
		t := toks[lo]
		if lo+1 < hi && t.word && len(t.text) <= 2 && (toks[lo+1].text == ")" || toks[lo+1].text == ".") {
			lo += 2
			continue
		}
		if (!t.word || leadingConnectives[t.lower]) && !t.inSlot {
			lo++
			continue
		}
		wordAt := func(i int) string {
			if i < hi && toks[i].word && !toks[i].inSlot {
				return toks[i].lower
			}
			return ""
		}
		if n := sameTimeAt(lo, wordAt); n > 0 && lo+n < hi {
			lo += n
			continue
		}
		break
	}
	for hi > lo && !toks[hi-1].word && !toks[hi-1].inSlot {
		hi--
	}
	if lo >= hi {
		return clause{}
	}
	c := clause{start: toks[lo].start, end: toks[hi-1].end, ordered: ordered}
	c.text = req[c.start:c.end]
	for _, s := range slots {
		if s.Start >= c.start && s.End <= c.end {
			c.slots = append(c.slots, s)
		}
	}
	c.refers = refersBack(toks[lo:hi])
	switch toks[lo].lower {
	case "once", "if", "when", "whenever", "after", "while", "until", "unless", "before", "since", "as", "because", "although", "though":
		// "as I am in a hurry", "since I am not feeling well", "before sending the
		// artwork": a circumstance of the request, not a request.
		c.condition = lo+1 < hi && toks[lo+1].lower != "that" && toks[lo+1].lower != "this" && toks[lo+1].lower != "well" && toks[lo+1].lower != "soon"
		if c.condition && (toks[lo].lower == "when" || toks[lo].lower == "until") && questionAux[toks[lo+1].lower] {
			// "when does the gym open", "until when is breakfast served": a question,
			// not a circumstance.
			c.condition = false
		}
		// "if it rains tomorrow, ...", "unless it has shipped": a test of the world
		// the plan would have to make, not a circumstance; "if possible" and "if you
		// can" are courtesies.
		var after []string
		for k := lo + 1; k < hi && k <= lo+2; k++ {
			after = append(after, toks[k].lower)
		}
		if c.condition && (toks[lo].lower == "if" || toks[lo].lower == "unless") && lo+1 < hi && !courtesy(after) {
			c.test = true
		}
	}
	c.requires = requirement(toks[lo:hi])
	c.context = statesContext(toks[lo:hi]) || c.requires
	question := hi < len(toks) && toks[hi].text == "?"
	c.question = question
	c.asks = !c.context && !c.condition && asksFor(toks[lo:hi], question, isVerb)
	c.meta = c.asks && len(c.slots) == 0 && !namesSomething(toks[lo:hi], isVerb)
	if c.context && !c.condition && seeking(toks[lo:hi]) {
		c.seeks, c.seekMeta = true, len(c.slots) == 0 && !namesSomething(toks[lo:hi], isVerb)
	}
	c.states = !question && !c.condition && len(c.slots) > 0 && statesValue(toks[lo:hi], isVerb)
	if ordered && prevVerb != "" && !c.context && !c.condition && !c.states && elliptical(toks[lo:hi]) {
		// "pay my water bill and then my Visa card", "check the weather and then my
		// calendar for tomorrow": the same verb, another object. The clause asks what
		// the one before it asked, of its own noun phrase, and is planned or refused,
		// never dropped as a statement.
		c.verb, c.asks = prevVerb, true
		c.meta = len(c.slots) == 0 && !namesSomething(toks[lo:hi], isVerb)
	}
	return c
}

// requirement reports whether a clause opens with "should" or "must" and no subject:
// "should stop working after a week" says what the thing asked for before must be, not
// a thing to do of its own ("should I ..." asks).
func requirement(toks []token) bool {
	if len(toks) < 2 || !toks[0].word || toks[0].inSlot || toks[0].lower != "should" && toks[0].lower != "must" {
		return false
	}
	switch toks[1].lower {
	case "i", "we", "you", "they", "he", "she", "it", "my", "the":
		return false
	}
	return toks[1].word
}

// leadVerb returns the verb clause c opens with, when it asks for something: "pay" in
// "pay my water bill"; its own borrowed verb when it has none.
func leadVerb(c clause, isVerb func(string) bool) string {
	if !c.asks || c.condition || c.context {
		return ""
	}
	if c.verb != "" {
		return c.verb
	}
	lead := len(c.text) - len(strings.TrimLeft(c.text, " "))
	if slices.ContainsFunc(c.slots, func(s slot.Slot) bool {
		return s.Start-c.start <= lead && lead < s.End-c.start && strings.Contains(s.Text, " ")
	}) {
		return "" // "request rate of checkout": a value of two words, not a verb
	}
	w, _, _ := strings.Cut(strings.TrimSpace(c.text), " ")
	if w = strings.ToLower(w); isVerb(w) {
		return w
	}
	return ""
}

// elliptical reports whether a clause is a bare noun phrase with no verb of its own: it
// opens with a determiner ("my Visa card", "the calendar for tomorrow") and, before any
// message or relative clause it carries ("... that I'm home"), holds no finite verb or
// subject pronoun ("my flight is delayed", "my wife wants a taxi" state something).
func elliptical(toks []token) bool {
	var ws []string
	for _, t := range toks {
		if t.word && !t.inSlot {
			ws = append(ws, t.lower)
		}
	}
	if len(ws) == 0 || !nounOpeners[ws[0]] {
		return false
	}
	for _, w := range ws[1:] {
		if w == "that" || w == "saying" || w == "which" || w == "who" {
			break
		}
		if finiteWords[w] || strings.HasSuffix(w, "n't") || strings.Contains(w, "'") && !strings.HasSuffix(w, "'s") {
			return false
		}
	}
	return true
}

// questionAux follow "when" in a question ("when does", "when is") and never in a
// circumstance ("when it is ready").
var questionAux = wordSet("does do did is are was were will would can could should when")

// nounOpeners open a noun phrase and never refer back ("that", "this" may).
var nounOpeners = wordSet("my our your his her their the a an")

// finiteWords make a clause a sentence of its own: auxiliaries, copulas, common finite
// verbs and subject pronouns.
var finiteWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`is are was were be been being am has have had do does did will would
		can could should shall may might must wants needs likes loves hates says said says got gets
		i you he she it we they`) {
		m[w] = true
	}
	return m
}()

// statesValue reports whether a clause is "<noun phrase> is <value>": a copula after
// words none of which is a verb or opens a question ("Web ID is 1234", "the budget is
// $500"), not "what is the time" or "the meeting is cancelled, reschedule it".
func statesValue(toks []token, isVerb func(string) bool) bool {
	var ws []string
	var quoted []bool
	for i, t := range toks {
		if t.text == ":" && !t.inSlot && i > 0 {
			break // "slack #finance: invoices are out": what follows is the message
		}
		if t.word {
			ws = append(ws, t.lower)
			quoted = append(quoted, t.inSlot)
		}
	}
	if it := itIs(ws); it > 0 && it < len(ws) && !slices.Contains(quoted[:it], true) && !slices.Contains(quoted[it:], false) {
		return true // "its RSV-482913", "it's 4417": the value and nothing else
	}
	for i, w := range ws {
		if w != "is" && w != "are" || quoted[i] { // "render 'It is {{.temp}}'": a value's words
			continue
		}
		if i == 0 || requestOpeners[ws[0]] {
			return false
		}
		for _, x := range ws[:i] {
			if isVerb(x) || requestWords[x] && x != "id" || requestOpeners[x] {
				return false // "how are you", "I want what is best"
			}
		}
		return true
	}
	return false
}

// itIs returns how many of words ws say "it is" ("its", "it's", "it is"), or 0.
func itIs(ws []string) int {
	switch {
	case len(ws) > 0 && (ws[0] == "its" || ws[0] == "it's" || ws[0] == "it’s"):
		return 1
	case len(ws) > 1 && ws[0] == "it" && (ws[1] == "s" || ws[1] == "is"):
		return 2
	}
	return 0
}

// asksFor reports whether a clause asks for something rather than states something: it
// does unless it opens with a subject ("I", "he", "my flight", "it's") and holds no
// request marker ("want", "need", "please", "can you", "like to", "let's") and is no
// question.
func asksFor(toks []token, question bool, isVerb func(string) bool) bool {
	ws := statedWords(toks)
	if len(ws) == 0 {
		return false
	}
	if len(ws) > 2 && len(ws[0]) > 4 && strings.HasSuffix(ws[0], "ed") && ws[1] == "by" {
		// "Asked by reporters whether the Kremlin ..., Peskov said: ...": a passive
		// participle opens a report of what was done, not a request.
		return false
	}
	if question || isVerb(ws[0]) || requestOpeners[ws[0]] {
		return true
	}
	for i, w := range ws {
		if requestWords[w] {
			return true
		}
		// "I have to attend a meeting", "we've got to pay the bill", "I'm going to
		// need a taxi": an obligation or an intention is a request too.
		if (w == "have" || w == "has" || w == "got" || w == "going" || w == "hoping" || w == "trying" || w == "planning") && i+1 < len(ws) && ws[i+1] == "to" {
			return true
		}
		if (w == "you" || w == "u") && i > 0 && (ws[i-1] == "can" || ws[i-1] == "could" || ws[i-1] == "would" || ws[i-1] == "will") {
			return true
		}
	}
	// A bare noun phrase ("weather in Paris tomorrow", "ACHD price") asks; a sentence
	// with a subject of its own states, a pronoun or a name and its auxiliary ("Luna
	// hasn't been eating", "Rex has a limp").
	return !statementSubjects[ws[0]] && !namedSubject(toks, isVerb) && !thingSubject(ws)
}

// thingSubject reports whether words ws open with a noun phrase of an article and go on
// with a finite verb: "the wifi on floor 3 keeps dropping", "the printer is jammed"
// state something ("the weather in Paris tomorrow" asks).
func thingSubject(ws []string) bool {
	if len(ws) >= 4 && partOpeners[ws[0]] && ws[1] == "of" && (ws[2] == "the" || ws[2] == "my" || ws[2] == "our" || ws[2] == "her" || ws[2] == "his" || ws[2] == "their" || ws[2] == "them") {
		// "one of the mugs arrived chipped", "two of my books came torn": the part
		// states what the whole would.
		ws = append([]string{"the"}, ws[3:]...)
	}
	if len(ws) < 3 || ws[0] != "the" && ws[0] != "a" && ws[0] != "an" {
		return false
	}
	for _, w := range ws[2:] {
		if w == "that" || w == "which" || w == "who" || w == "for" || w == "to" {
			return false
		}
		if finiteWords[w] && !statementSubjects[w] || brokeWords[w] || strings.HasSuffix(w, "n't") {
			return true
		}
	}
	return false
}

// brokeWords are finite verbs that say something stopped working: "keeps dropping",
// "crashed", "died".
var brokeWords = wordSet("keeps kept stopped broke crashed failed died froze went won't arrived came")

// partOpeners open a noun phrase of part of a whole: "one of the mugs", "some of my
// books".
var partOpeners = wordSet("one two three four five some all both half most several each none any many few")

// namedSubject reports whether toks open with a capitalised name followed by an
// auxiliary or a copula: "Luna hasn't been eating", "Rex is limping", "Biscuit has a
// cough".
func namedSubject(toks []token, isVerb func(string) bool) bool {
	var first, next *token
	for i := range toks {
		if !toks[i].word {
			continue
		}
		if first == nil {
			first = &toks[i]
			continue
		}
		if toks[i].inSlot && first.inSlot {
			continue // the name's other words
		}
		next = &toks[i]
		break
	}
	if first == nil || next == nil || first.text == "" || !unicode.IsUpper(rune(first.text[0])) || stopWords[first.lower] || isVerb(first.lower) || requestOpeners[first.lower] || statementSubjects[first.lower] {
		return false
	}
	switch next.lower {
	case "is", "was", "has", "had", "hasn't", "hasnt", "isn't", "isnt", "wasn't", "keeps", "seems", "looks", "weighs":
		return true
	}
	return false
}

// requestOpeners open a question or a request.
var requestOpeners = map[string]bool{"what": true, "what's": true, "whats": true, "where": true, "where's": true,
	"when": true, "who": true, "who's": true, "whom": true, "which": true, "how": true, "how's": true, "why": true,
	"can": true, "could": true, "would": true, "will": true, "should": true, "shall": true, "may": true,
	"is": true, "are": true, "do": true, "does": true, "did": true, "please": true, "pls": true, "plz": true,
	"let's": true, "lets": true, "kindly": true}

// requestWords inside a clause make it a request.
var requestWords = map[string]bool{"want": true, "wanna": true, "need": true, "needs": true, "like": true,
	"must": true, "should": true, "gotta": true, "hafta": true, "mind": true,
	"please": true, "pls": true, "plz": true, "wish": true, "help": true, "looking": true, "let's": true,
	"remind": true, "i'd": true, "id": true}

// statementSubjects open a sentence that states something ("I'm at home", "it's 2023",
// "my key is db_key456", "he had it on repeat").
var statementSubjects = map[string]bool{"i": true, "i'm": true, "im": true, "i've": true, "ive": true,
	"i'll": true, "he": true, "she": true, "it": true, "it's": true, "its": true, "they": true, "they're": true,
	"we": true, "we're": true, "we've": true, "you": true, "you're": true, "my": true, "our": true, "his": true,
	"her": true, "their": true, "your": true, "one": true, "there": true, "there's": true, "this": true,
	"that": true, "these": true, "those": true, "here": true, "here's": true}

// metaWords say how to answer, not what to do: a clause made only of them (and stop
// words) asks for nothing a tool could do.
var metaWords = map[string]bool{"help": true, "assist": true, "provide": true, "tell": true, "give": true,
	"know": true, "information": true, "info": true, "answer": true, "respond": true, "reply": true,
	"thanks": true, "thank": true, "advance": true, "appreciate": true, "appreciated": true, "great": true,
	"much": true, "awesome": true, "cool": true, "good": true, "nice": true, "done": true, "possible": true,
	"quick": true, "quickly": true, "asap": true, "soon": true, "detail": true, "details": true, "result": true,
	"results": true, "data": true, "hi": true, "hello": true, "hey": true, "yes": true, "no": true, "sure": true,
	"okay": true, "ok": true, "back": true, "me": true, "us": true, "something": true, "anything": true,
	// connectives that make a clause of their own: "After that, ...", "Meanwhile, ..."
	"meanwhile": true, "later": true, "after": true, "afterwards": true, "finally": true, "lastly": true,
	"first": true, "firstly": true, "second": true, "secondly": true, "third": true, "next": true, "least": true,
	"last": true, "moreover": true, "furthermore": true, "besides": true, "tasks": true, "task": true,
	"complete": true, "following": true, "things": true, "thing": true, "above": true, "below": true,
	"imagine": true, "suppose": true, "picture": true, "guess": true, "listen": true, "look": true, "see": true,
	// quantifiers that say how many, not what: "different restaurants", "various hotels"
	"different": true, "various": true, "several": true, "multiple": true}

// namesSomething reports whether a clause names something to act on: a word that is neither
// a stop word nor a meta word ("could you provide that information?" has none).
func namesSomething(toks []token, isVerb func(string) bool) bool {
	for _, t := range toks {
		if !t.word {
			continue
		}
		w := t.lower
		if stopWords[w] || metaWords[w] || greetingWords[w] || nameIntroducers[w] {
			continue
		}
		if isVerb(w) && (w == "do" || w == "get" || w == "make" || w == "let" || w == "see" || w == "check" || w == "find" || w == "show") {
			continue
		}
		return true
	}
	return false
}

var leadingConnectives = map[string]bool{
	"and": true, "then": true, "also": true, "afterwards": true, "afterward": true, "finally": true,
	"lastly": true, "next": true, "subsequently": true, "thereafter": true, "additionally": true,
}

// joined reports whether word token i is part of a channel, a handle or a hyphenated
// word ("#it-support", "@it", "follow-it"): no pronoun there.
func joined(toks []token, i int) bool {
	t := toks[i]
	if i > 0 && toks[i-1].end == t.start && strings.Contains("#@-", toks[i-1].text) {
		return true
	}
	return i+2 < len(toks) && toks[i+1].start == t.end && toks[i+1].text == "-" && toks[i+2].word && toks[i+2].start == toks[i+1].end
}

// refersBack reports whether the clause mentions an earlier result.
func refersBack(toks []token) bool {
	for i, t := range toks {
		if !t.word || t.inSlot || joined(toks, i) {
			continue
		}
		for _, parts := range anaphors {
			if i+len(parts) > len(toks) {
				continue
			}
			ok := true
			for k, p := range parts {
				if !toks[i+k].word || toks[i+k].lower != p {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			// "that" and "this" introduce a noun as often as they refer back: "that
			// restaurant" names a new thing; "send that" refers back.
			if a := parts[0]; len(parts) == 1 && (a == "that" || a == "this" || a == "those" || a == "these") && i+1 < len(toks) && toks[i+1].word && !stopWords[toks[i+1].lower] {
				continue
			}
			return true
		}
	}
	return false
}

// baseVerbs can start an instruction.
var baseVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`find get give go make take put set show tell send search look see
		watch play buy sell order book reserve schedule plan create add remove delete update change edit
		open close start stop turn check list fetch retrieve obtain locate provide compare calculate
		compute convert translate summarize summarise write read print share post upload download
		install uninstall manage pay transfer deposit withdraw apply enroll enrol register sign call text
		email message ring dial notify remind wake record note deliver ship track organize organise
		attend join host invite meet arrange prepare cook clean wash drive ride fly travel visit explore
		discover learn study research analyze analyse generate produce draw design build run execute
		launch deploy test try ask answer reply respond cancel confirm submit save store load copy move
		rent hire borrow lend return renew repair fix replace upgrade subscribe follow rate recommend
		suggest pick choose select identify detect recognize extract filter sort count measure estimate
		predict forecast monitor consult file do let help display grab lookup purchase hail request
		jot log browse navigate tune drop collect gather listen stream reschedule rebook resend
		reopen restart rerun redo reset retry refill reorder rename postpone block
		lock unlock mute unmute pause resume skip arm disarm refund archive approve reject
		decline unblock unfollow unsubscribe activate deactivate enable disable fire hire promote
		demote terminate suspend dismiss evict dm ping whatsapp tweet hold switch swap toggle
		merge revoke restore dispatch escalate void`) {
		m[w] = true
	}
	return m
}()

// abbreviations end with a dot that ends no sentence.
var abbreviations = wordSet("inc ltd co corp llc plc dr mr mrs ms prof st jr sr vs etc approx dept univ ave blvd mt ft")

// courtesyIf follow "if" in a courtesy ("if possible", "if you can"), not a test.
var courtesyIf = map[string]bool{"possible": true, "you": true, "u": true, "that's": true, "thats": true, "it's": true, "its": true,
	"needed": true, "necessary": true, "so": true, "not": true, "any": true, "available": true}

// courtesyAfterIts are the words after "if it's" or "if that's" of a courtesy ("if it's
// possible", "if that's ok"); any other ("if it's high", "if it's raining") tests the
// world.
var courtesyAfterIts = map[string]bool{"possible": true, "ok": true, "okay": true, "fine": true, "alright": true,
	"all": true, "convenient": true, "not": true, "no": true, "easy": true, "available": true, "free": true,
	"cheaper": true, "better": true, "faster": true, "quicker": true, "allowed": true}

// courtesy reports whether the words after "if" ("if" excluded) make a courtesy, not a
// test of the world.
func courtesy(after []string) bool {
	if len(after) == 0 || !courtesyIf[after[0]] {
		return false
	}
	switch after[0] {
	case "it's", "its", "that's", "thats":
		return len(after) == 1 || courtesyAfterIts[after[1]]
	}
	return true
}

// negatedAction reports whether the clause asks not to do something: "do not cancel
// order ORD-12345", "don't send the email", "never share my address".
func negatedAction(text string, isVerb func(string) bool) bool {
	ws := strings.Fields(asciiLower(text))
	for i, w := range ws {
		w = strings.Trim(w, ",.!?;:")
		neg := w == "don't" || w == "dont" || w == "never" || w == "do" && i+1 < len(ws) && ws[i+1] == "not"
		if !neg {
			continue
		}
		k := i + 1
		if w == "do" {
			k = i + 2
		}
		if k < len(ws) {
			// "I don't need my day off on March 12 anymore": no request for one.
			if v := strings.Trim(ws[k], ",.!?;:"); isVerb(v) || v == "need" || v == "want" {
				return true
			}
		}
	}
	return false
}

// conditionalTail reports whether a clause that asks for something ends with a test of
// the world: "cancel order ORD-12345 unless it has shipped", "post it if it rains".
func conditionalTail(text string) bool {
	ws := strings.Fields(asciiLower(text))
	asked := false // "what is the time to collision if my car goes at 50 m/s": the givens of a question
	for i, w := range ws {
		switch strings.Trim(w, ",.!?;:") {
		case "what", "what's", "how", "which", "whats":
			asked = true
		}
		if i == 0 || i+1 >= len(ws) || asked && w == "if" {
			continue
		}
		var after []string
		for _, a := range ws[i+1 : min(i+3, len(ws))] {
			after = append(after, strings.Trim(a, ",.!?;:"))
		}
		if w == "unless" || w == "if" && !courtesy(after) && !whetherVerbs[strings.Trim(ws[i-1], ",.!?;:")] {
			return true
		}
	}
	return false
}

// whetherVerbs before "if" make it "whether": "check if there are plays today", "let me
// know if there's no entry fee".
var whetherVerbs = map[string]bool{"check": true, "find": true, "see": true, "know": true, "verify": true, "tell": true,
	"ask": true, "wonder": true, "determine": true, "confirm": true, "out": true, "me": true, "us": true, "sure": true,
	"checking": true, "look": true, "test": true, "figure": true, "learn": true, "discover": true, "whether": true}
