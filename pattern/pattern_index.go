package pattern

import (
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/planwise/planwise/internal/lexicon"
)

// BM25 parameters: the usual defaults.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Field weights: a word in the tool's name says more about what it does than one in a
// parameter description.
const (
	weightName    = 3.0
	weightDesc    = 2.0
	weightExample = 2.0
	weightParam   = 1.0
	weightEnum    = 0.5
)

// index is a BM25 index over the registry's tools.
type index struct {
	docs   []toolDoc
	idf    map[string]float64
	avgLen float64
	// spelled maps the stems of the catalogue's words to their terms (synonyms
	// mapped): what a mistyped word is compared with (respelled).
	spelled map[string]string
	// near holds spelled's stems by first letter and length, the only ones one slip
	// from a word can be.
	near map[nearKey][]string
	// phrasal is whether some tool writes a verb and its particle as one word
	// ("checkout", "login", "signup"): only then does joinPhrasal join them.
	phrasal bool
}

// nearKey is a stem's first letter and length.
type nearKey struct {
	first byte
	n     int
}

type toolDoc struct {
	tf     map[string]float64
	length float64
	// core holds the terms of the name, description and examples: a match on parameter
	// words alone is not evidence that a clause asks for this tool.
	core map[string]bool
	name map[string]bool
	// verbs are the terms in verb position: the first word of the description and of
	// the name ("Retrieves ...", "book_restaurant", "Buses.FindBus"). A clause's main
	// verb counts double only against these: "book a flight" is no "Get_Authors_Books".
	verbs map[string]bool
	// nsVerbs are the terms of a dotted name's namespace that no verb of the tool
	// has, with the word as the namespace writes it ("calls" of calls.blockNumber).
	nsVerbs map[string]string
	// acts are the terms that can say what the tool does: its name's, its verbs and its
	// examples' (not its description's body, where "address book" says nothing of
	// booking).
	acts map[string]bool
}

func newIndex(texts []toolText) *index {
	ix := &index{idf: map[string]float64{}, spelled: map[string]string{}}
	df, dfEnum := map[string]int{}, map[string]int{}
	var total float64
	for _, tt := range texts {
		d := toolDoc{tf: map[string]float64{}, core: map[string]bool{}, name: map[string]bool{}, verbs: map[string]bool{}, nsVerbs: map[string]string{}, acts: map[string]bool{}}
		for k, text := range []string{tt.desc, tt.name, tt.name[strings.LastIndexByte(tt.name, '.')+1:]} {
			if after := strings.ToLower(firstWord(tt.name[strings.LastIndexByte(tt.name, '.')+1:])); k == 1 && strings.Contains(text, ".") && !baseVerbs[strings.ToLower(firstWord(text))] && baseVerbs[after] && !genericVerbs[after] {
				// "calls.blockNumber": a namespace names what a tool of its own verb
				// works on; it is the clause's verb only as written there ("logs" of
				// "show me error logs"), and "call Nonna" is no blocking. (Under a
				// generic verb the namespace names the action: returns.start.)
				if ts := terms(firstWord(text)); len(ts) > 0 && !d.verbs[ts[0]] {
					d.nsVerbs[ts[0]] = strings.ToLower(firstWord(text))
				}
				continue
			}
			if ts := terms(firstWord(text)); len(ts) > 0 {
				d.verbs[ts[0]] = true
			}
		}
		for _, w := range words(tt.name) {
			// "issue_assign", "pr_comment": a verb the name holds after the thing.
			if lw := strings.ToLower(w); nameVerbs[lw] {
				d.verbs[lw] = true
			}
		}
		add := func(text string, w float64, core, name bool) {
			for _, word := range words(text) {
				if lw := strings.ToLower(word); len(lw) >= 4 && !stopWords[lw] {
					if ts := terms(lw); len(ts) == 1 {
						ix.spelled[stem(lw)] = ts[0]
					}
				}
			}
			for _, term := range terms(text) {
				d.tf[term] += w
				d.length += w
				if core {
					d.core[term] = true
				}
				if name {
					d.name[term] = true
				}
			}
		}
		add(tt.name, weightName, true, true)
		add(tt.desc, weightDesc, true, false)
		// The things its enums name are what the tool works on ("pool", "gym"), but
		// less surely than what its text says.
		// They change neither the tool's length nor how rare a word the catalogue
		// writes is (a channel enum's "email" would make "email" common).
		enumTF := map[string]float64{}
		for _, term := range terms(tt.enums) {
			d.tf[term] += weightEnum
			enumTF[term] += weightEnum
			d.core[term] = true
		}
		for _, e := range tt.examples {
			add(e, weightExample, true, false)
			for _, t := range terms(e) {
				d.acts[t] = true
			}
		}
		for t := range d.name {
			d.acts[t] = true
		}
		for t := range d.verbs {
			d.acts[t] = true
		}
		// The description's verbs: every word that can start an instruction.
		for k, w := range words(tt.desc) {
			// (A plural inside it is a noun: "in-app purchases billed to the
			// account" buys nothing.)
			if lw := strings.ToLower(w); baseVerbs[lw] || baseVerbs[stem(lw)] && (k == 0 || !strings.HasSuffix(lw, "s")) {
				for _, t := range terms(w) {
					d.acts[t] = true
				}
			}
		}
		for _, p := range tt.params {
			add(p, weightParam, false, false)
			// The instructions a parameter gives as examples are things the tool does:
			// "the instruction to let the robot follow, eg. clean the floor, wash the
			// dishes" washes.
			ex := ""
			if k := strings.IndexByte(p, ' '); k > 0 && instructionParam(p[:k], p[k+1:]) {
				ex = examplesOf(p)
			}
			for _, w := range words(ex) {
				if lw := strings.ToLower(w); baseVerbs[lw] || baseVerbs[stem(lw)] {
					for _, t := range terms(w) {
						d.acts[t] = true
					}
				}
			}
		}
		for term, f := range d.tf {
			if f > enumTF[term] {
				df[term]++
			} else {
				dfEnum[term]++
			}
		}
		total += d.length
		ix.docs = append(ix.docs, d)
	}
	n := float64(len(texts))
	if n > 0 {
		ix.avgLen = total / n
	}
	ix.near = map[nearKey][]string{}
	for v := range ix.spelled {
		k := nearKey{v[0], len(v)}
		ix.near[k] = append(ix.near[k], v)
	}
	for _, vs := range ix.near {
		slices.Sort(vs) // (the same answer whatever the map's order)
	}
	for term, f := range dfEnum {
		if df[term] == 0 {
			df[term] = f // a word only enums hold: as rare as they make it
		}
	}
	for term, f := range df {
		ix.idf[term] = math.Log(1 + (n-float64(f)+0.5)/(float64(f)+0.5))
	}
	for _, v := range []string{"check", "log", "sign"} {
		for _, p := range []string{"out", "in", "up"} {
			ix.phrasal = ix.phrasal || ix.idf[v+p] > 0
		}
	}
	return ix
}

// respelled returns the catalogue's term that query term t misspells ("perscription",
// "payslpi", "trak") or does again ("reorder": order), or "": t is no term of the
// catalogue, and it is "re" and one of the doneAgain verbs the catalogue uses, or exactly
// one term of it with the same first letter is one slip away (two letters swapped, one
// letter missing or added, or, in a long word, one letter wrong).
func (ix *index) respelled(t string) string {
	if _, known := ix.idf[t]; known {
		return ""
	}
	if len(t) >= 6 && strings.HasPrefix(t, "re") {
		// "reorder the salmon kibble", "resend invoice INV-20377": the catalogue's
		// verb done again.
		if _, known := ix.idf[t[2:]]; known && doneAgain[t[2:]] {
			return t[2:]
		}
	}
	if len(t) < 6 || !isLetters(t) {
		return ""
	}
	if _, known := ix.spelled[t]; known {
		return ""
	}
	if ix.near == nil {
		return ""
	}
	found := ""
	for n := len(t) - 1; n <= len(t)+1; n++ {
		for _, v := range ix.near[nearKey{t[0], n}] {
			term := ix.spelled[v]
			if term == found || !oneSlip(t, v) {
				continue
			}
			if found != "" {
				return ""
			}
			found = term
		}
	}
	return found
}

// doneAgain are the verbs that "re" makes a verb of doing them again (reorder, resend,
// rebook), unlike remove, restore, replace or review, which are verbs of their own.
var doneAgain = wordSet(`order send book run upload submit issue open install build deploy try check apply join
	connect charge write print read load fill activate enable create add assign start schedule share sync index
	publish generate calculate compute test scan transfer pay`)

// oneSlip reports whether typed is word with one typing slip: two adjacent letters
// swapped, one letter left out or doubled in, or (words of six letters or more) one
// letter wrong.
func oneSlip(typed, word string) bool {
	switch d := len(word) - len(typed); {
	case d == 0:
		diff := -1
		for i := 0; i < len(typed); i++ {
			if typed[i] == word[i] {
				continue
			}
			if diff >= 0 {
				// A second difference: only a swap of these two neighbours.
				return i == diff+1 && typed[diff] == word[i] && typed[i] == word[diff] && typed[i+1:] == word[i+1:]
			}
			diff = i
		}
		return diff >= 0 && len(typed) >= 6
	case d == 1 || d == -1:
		long, short := word, typed
		if d < 0 {
			long, short = typed, word
		}
		for i := 0; i < len(short); i++ {
			if short[i] != long[i] {
				return short[i:] == long[i+1:]
			}
		}
		return true
	}
	return false
}

type toolText struct {
	name, desc string
	enums      string // the values of its short enums, as words (enumText)
	examples   []string
	params     []string
}

// qterm is a query term with its weight.
type qterm struct {
	term   string
	weight float64
	main   bool   // the clause's main verb
	verb   bool   // any verb of the clause
	word   string // the word as written, lower case
}

// firstWord returns the first word of text (split as words does).
func firstWord(text string) string {
	if ws := words(text); len(ws) > 0 {
		return ws[0]
	}
	return ""
}

// match is how one document matches a query.
type match struct {
	// score is BM25 over the weighted query terms.
	score float64
	// core is the IDF mass of the query terms found in the document's core fields (name,
	// description, examples); nouns is the part of it from terms that say what is to be
	// done or to what (not a generic verb such as "get", "make", "find"), name the IDF
	// mass of the query terms in the tool's name.
	core, nouns, name float64
	// verb is true when the clause's main verb is one of the tool's verbs.
	verb bool
}

// score returns how document i matches the weighted query terms.
func (ix *index) score(i int, q []qterm) match {
	var m match
	d := &ix.docs[i]
	norm := 1 - bm25B + bm25B*d.length/math.Max(ix.avgLen, 1)
	for _, qt := range q {
		tf := d.tf[qt.term]
		if tf == 0 {
			continue
		}
		idf := ix.idf[qt.term]
		w := qt.weight
		isVerb := d.verbs[qt.term] || d.nsVerbs[qt.term] != "" && d.nsVerbs[qt.term] == qt.word
		if qt.main && !isVerb {
			w = 1
		}
		if qt.main && isVerb {
			m.verb = true
		}
		m.score += w * idf * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
		if d.core[qt.term] {
			m.core += idf
			if !genericVerbs[qt.term] {
				m.nouns += idf
			}
		}
		if d.name[qt.term] {
			m.name += idf
		}
	}
	return m
}

// relativeTimeWords place a request in time relative to now ("last semester", "next
// week"): they say when, not which tool, and one tool's example that happens to say
// "last fall" must not draw every "last ..." to it. A tool whose name holds one
// (team_last_result, team_next_games) is told apart by it: there it counts.
var relativeTimeWords = map[string]bool{"last": true, "next": true, "previous": true}

// query turns a clause into weighted terms: the clause's main verb (its first verb)
// counts double and later verbs half, since "find a movie playing nearby" asks to find,
// not to play. With
// verbs false, verbs are left out (for context, which should only say what the request
// is about).
func query(text string, isVerb func(string) bool, verbs bool) []qterm {
	var out []qterm
	seen := map[string]int{}
	mainVerb := false
	for _, w := range words(text) {
		lw := strings.ToLower(w)
		if stopWords[lw] || nameIntroducers[lw] {
			continue
		}
		verb := isVerb(lw) || isVerb(stem(lw))
		if verb && !verbs {
			continue
		}
		ts := terms(w)
		if len(ts) == 0 {
			continue
		}
		t := ts[0]
		weight := 1.0
		main := false
		switch {
		case verb && !mainVerb:
			mainVerb = true
			weight, main = 2, true
		case verb:
			// A later verb is often a participle or a purpose ("a movie playing in
			// Chicago", "a movie to watch"): it says less about the tool wanted.
			weight = 0.5
		}
		if k, ok := seen[t]; ok {
			if weight > out[k].weight {
				out[k].weight, out[k].main = weight, main
			}
			continue
		}
		seen[t] = len(out)
		out = append(out, qterm{term: t, weight: weight, main: main, verb: verb, word: lw})
	}
	return out
}

// terms tokenises text for matching: words split at case changes, '_', '.', '-' and
// punctuation; lowercased, stop words dropped, stemmed, synonyms mapped to one term.
func terms(text string) []string {
	var out []string
	if strings.Contains(text, "eal-time") || strings.Contains(text, "eal time") || strings.Contains(text, "EAL-TIME") {
		// "real-time" is one word (realtime: the current state), not a time.
		text = realTime.Replace(text)
	}
	for _, w := range words(text) {
		lw := strings.ToLower(w)
		if stopWords[lw] {
			continue
		}
		t := stem(lw)
		if s, ok := synonyms[t]; ok {
			t = s
		} else if s, ok := synonyms[lw]; ok {
			t = s
		}
		if t == "" || stopWords[t] {
			continue
		}
		out = append(out, t)
	}
	return out
}

// phrasal matches the verb-and-particle forms that tool names write as one word:
// "check out", "log in", "sign up".
var phrasal = regexp.MustCompile(`(?i)\b(check|log|sign)[ -](out|in|up)\b`)

// joinPhrasal writes text's phrasal forms as one word where the catalogue writes them
// so ("check out room 402" is what guests.checkout does), and leaves them apart where
// it does not (a hotel search's check_in is no checkin).
func (ix *index) joinPhrasal(text string) string {
	if !ix.phrasal {
		return text
	}
	return phrasal.ReplaceAllStringFunc(text, func(m string) string {
		joined := strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(m))
		if ix.idf[joined] > 0 {
			return joined
		}
		return m
	})
}

var toDo = strings.NewReplacer("to-do", "todo", "To-do", "Todo", "To-Do", "Todo", "TO-DO", "TODO")

var realTime = strings.NewReplacer("real-time", "realtime", "Real-time", "Realtime", "Real-Time", "Realtime",
	"REAL-TIME", "REALTIME", "real time", "realtime", "Real time", "Realtime", "Real Time", "Realtime")

// uniqueTerms is terms without repeats, in first-seen order.
func uniqueTerms(text string) []string {
	ts := terms(text)
	seen := make(map[string]bool, len(ts))
	out := ts[:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// words splits text into words (lexicon.Words).
func words(text string) []string {
	if strings.Contains(text, "o-do") || strings.Contains(text, "O-DO") || strings.Contains(text, "o-Do") {
		text = toDo.Replace(text) // "my to-do list" is the todos' list, not "to" and "do"
	}
	return lexicon.Words(text)
}

// stem removes common English inflections. It is deliberately light: it must map
// "flights" to "flight" and "booking" to "book" without merging unrelated words.
func stem(w string) string {
	n := len(w)
	if n > 6 {
		// British spelling reads as American: "summarise" is "summarize".
		for _, suf := range [...]string{"ise", "ised", "ises", "ising", "isation"} {
			if strings.HasSuffix(w, suf) {
				w = w[:n-len(suf)] + "iz" + suf[2:]
				break
			}
		}
	}
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ie"):
		return w[:n-2] + "y" // movie and movies both become movy
	case n > 5 && strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case n > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") && !strings.HasSuffix(w, "ews"):
		return w[:n-1]
	case n > 5 && strings.HasSuffix(w, "ing"):
		b := w[:n-3]
		if len(b) > 2 && b[len(b)-1] == b[len(b)-2] && !strings.HasSuffix(b, "ll") && !strings.HasSuffix(b, "ss") {
			b = b[:len(b)-1] // shopping -> shop
		}
		return b
	case regularPast(w):
		b := w[:n-2]
		if len(b) > 2 && b[len(b)-1] == b[len(b)-2] && !strings.HasSuffix(b, "ll") && !strings.HasSuffix(b, "ss") {
			b = b[:len(b)-1]
		}
		return b
	}
	return w
}

// synonyms map a stemmed word to the term it is indexed under (lexicon.Synonyms).
var synonyms = lexicon.Synonyms

// nameIntroducers introduce a name ("a movie called Inception"); they are not the verb
// of the clause.
var nameIntroducers = map[string]bool{"called": true, "named": true, "titled": true, "entitled": true}

// stopWords carry no evidence about which tool a clause wants.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the this that these those it its it's i i'm i'd i've me my
		mine we us our you your he him his she her they them their there here what which who whom
		whose when where why how is are was were be been being am do does did doing have has had
		can could would should will shall may might must please kindly want wanted need needs like
		love wish hope just also too then and or but so if of to in on at by for from with about
		into onto over under up down out as than very really some any all each every both either
		neither not no nor only own same such more most other another again further once now
		today tomorrow yesterday help assist let lets let's able sure okay ok thanks thank hi hello
		hey get specific specified given given a certain eg e.g etc i.e via using use api ve ll re d s m t
		someone somebody anyone anybody everyone everybody something anything everything nothing nobody
		respectively hows whats wheres whos`) {
		m[w] = true
	}
	return m
}()

// examplesOf returns the part of a parameter's description after "eg.", "e.g.", "such
// as" or "for example", or "".
func examplesOf(desc string) string {
	l := strings.ToLower(desc)
	for _, m := range []string{"e.g.", "eg.", "eg,", "e.g ", "such as", "for example"} {
		if k := strings.Index(l, m); k >= 0 {
			return desc[k+len(m):]
		}
	}
	return ""
}

// instructionParam reports whether a parameter (name, description) takes an instruction:
// its examples are then things the tool does ("wash the dishes"), not things it works on
// ("1 for cleaning service").
func instructionParam(name, desc string) bool {
	for _, t := range terms(name + " " + firstWord(strings.TrimPrefix(strings.ToLower(desc), "the "))) {
		if instructionTerms[t] {
			return true
		}
	}
	return false
}
