package pattern

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/planwise/planwise/plan"
	planq "github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// Default confidence thresholds of the pattern planner (see WithMinScore).
const (
	// DefaultMinScore is the least BM25 score a clause needs to match a tool.
	DefaultMinScore = 3.0
	// DefaultMinCore is the least IDF mass of clause words found in the tool's name,
	// description or examples (words found only in parameter descriptions do not count).
	DefaultMinCore = 1.2
)

// selfCorrection matches a request taking back what it said: "no wait", "scratch that",
// "sorry, I meant".
var selfCorrection = regexp.MustCompile(`(?i)\b(?:no,? wait|scratch that|sorry,? i meant|i mean,? no|no no,? make (?:it|that))\b`)

// maxRequestBytes bounds the text the pattern planner reads; longer requests are refused.
const maxRequestBytes = 16 << 10

// PatternOption configures a Pattern.
type PatternOption func(*patternConfig)

type patternConfig struct {
	minScore, minCore float64
	margin            float64
	now               func() time.Time
}

// DefaultMargin is the pattern planner's default margin (see WithMargin).
const DefaultMargin = 0.85

// WithMargin sets how clearly a clause's tool must beat the others: a clause whose second
// best tool scores at least margin times the best is refused as ambiguous. Lower is
// stricter (fewer plans, fewer wrong ones); 1 turns the check off. Values outside (0, 1]
// keep the default.
func WithMargin(margin float64) PatternOption {
	return func(c *patternConfig) {
		if margin > 0 && margin <= 1 {
			c.margin = margin
		}
	}
}

// WithMinScore sets the confidence thresholds: the least BM25 score of a clause against a
// tool, and the least IDF mass of clause words found in the tool's name, description or
// examples. Higher values drop more clauses.
func WithMinScore(score, core float64) PatternOption {
	return func(c *patternConfig) { c.minScore, c.minCore = score, core }
}

// WithClock sets the clock relative dates ("tomorrow") are resolved against.
func WithClock(now func() time.Time) PatternOption {
	return func(c *patternConfig) { c.now = now }
}

// Pattern is the pattern planner: rules and lexical matching of clauses to tool
// descriptions, with argument extraction by schema type. It is immutable after
// NewPattern and safe for concurrent use.
type Pattern struct {
	reg   *tool.Registry
	cfg   patternConfig
	ex    *slot.Extractor
	ix    *index
	tools []*toolInfo
	// codes are the parameters whose schema pattern only a code fits (^INC-[0-9]+$).
	codes []codeParam
	// idCodes are the identifier parameters whose pattern no plain word, number or
	// prefixed code fits (identifierCode); idNumbers map a word of an identifier
	// parameter's name to the first parameter identified by a number of it ("pr" of
	// pr_number: numberOfOtherThing).
	idCodes   []*paramInfo
	idNumbers map[string]codeParam
	verbs     map[string]bool
	// minScore, minCore and minNouns are the thresholds in effect for this registry.
	minScore, minCore, minNouns float64
	toolIndex                   map[*toolInfo]int
	// valueKinds are the value kinds (pattern_values.go) some parameter of the registry
	// takes: only those are looked for in requests.
	valueKinds map[slot.Kind]bool
	// things are the terms of tool names that are not verbs: the kinds of thing the
	// catalogue's tools work on ("movie", "hotel", "song").
	things map[string]bool
	// spacedCodes are, by parameter name, the codes of two words its descriptions give
	// as examples anywhere in the catalogue ("CS 101" for course_code).
	spacedCodes map[string]bool
	// numberedNames are, by parameter name, those whose descriptions give a name that
	// goes on with a number as an example anywhere in the catalogue ("North 40").
	numberedNames map[string]bool
	// acronyms are the enum values whose glosses they abbreviate (glossedAcronyms).
	acronyms map[string]string
	// otherScript is whether some tool is described mostly in a script other than
	// Latin: then requests in that script are the catalogue's language, not unread.
	otherScript bool
}

// scripts are the writing systems unreadScript names.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Han", unicode.Han}, {"Hangul", unicode.Hangul}, {"Hiragana", unicode.Hiragana}, {"Katakana", unicode.Katakana},
	{"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek}, {"Arabic", unicode.Arabic}, {"Hebrew", unicode.Hebrew},
	{"Thai", unicode.Thai}, {"Devanagari", unicode.Devanagari},
}

// unreadScript names the script most of text's letters outside quotes are written in
// when it is not Latin, or returns "". A letter of Han, Hangul or kana, a word or a
// syllable of its own, counts as two Latin letters.
func unreadScript(text string) string {
	latin, other := 0, 0
	counts := make([]int, len(scripts))
	var closing rune
	prev := ' '
	for _, r := range text {
		switch {
		case closing != 0:
			if r == closing {
				closing = 0
			}
		case r == '"' || r == '`':
			closing = r
		case r == '\'' && !unicode.Is(unicode.Latin, prev):
			closing = r // an apostrophe inside a word ("I'm") opens no quote
		case r == '“':
			closing = '”'
		case r == '「':
			closing = '」'
		case r == '‘':
			closing = '’'
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.IsLetter(r):
			w := 1
			if unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) {
				w = 2
			}
			other += w
			for k, s := range scripts {
				if unicode.Is(s.table, r) {
					counts[k] += w
				}
			}
		}
		prev = r
	}
	if other <= latin {
		return ""
	}
	best := -1
	for k, n := range counts {
		if n > 0 && (best < 0 || n > counts[best]) {
			best = k
		}
	}
	if best < 0 {
		return "another"
	}
	return scripts[best].name
}

// NewPattern indexes reg for the pattern planner.
func NewPattern(reg *tool.Registry, opts ...PatternOption) *Pattern {
	cfg := patternConfig{minScore: DefaultMinScore, minCore: DefaultMinCore, margin: DefaultMargin, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	p := &Pattern{reg: reg, cfg: cfg, verbs: map[string]bool{}, toolIndex: map[*toolInfo]int{}, valueKinds: map[slot.Kind]bool{}, idNumbers: map[string]codeParam{}}
	for v := range baseVerbs {
		p.verbs[v] = true
	}
	p.ex = slot.NewExtractor(slot.Options{Enums: slot.EnumsOf(reg), Now: cfg.now})
	var texts []toolText
	// How many tools hold each enum value: a value several hold (an environment's
	// "staging") says nothing of what one of them is for.
	enumTools := map[string]int{}
	if reg != nil {
		for _, t := range reg.Tools() {
			seen := map[string]bool{}
			for _, pr := range t.Params() {
				for _, v := range pr.Enum {
					if !seen[v] {
						seen[v] = true
						enumTools[v]++
					}
				}
			}
		}
	}
	if reg != nil {
		for _, t := range reg.Tools() {
			ti := newToolInfo(t, reg.OutputSchema(t.Name))
			p.toolIndex[ti] = len(p.tools)
			for _, pr := range ti.params {
				if k, ok := valueKind[pr.kind]; ok {
					p.valueKinds[k] = true
				}
				if pr.kind == pDate {
					// "2026-12-12T02:00:00Z" is one date and time, not a name.
					p.valueKinds[kindInstant] = true
				}
			}
			for pi := range ti.params {
				pr := &ti.params[pi]
				if codePattern(pr) {
					p.codes = append(p.codes, codeParam{ti, pr})
				} else if idCodeParam(pr) {
					p.idCodes = append(p.idCodes, pr)
				}
				if !ti.builtin {
					p.addIDNumber(ti, pr)
				}
			}
			p.tools = append(p.tools, ti)
			p.otherScript = p.otherScript || unreadScript(t.Description) != ""
			tt := toolText{name: t.Name, desc: t.Description}
			for _, e := range t.Examples {
				tt.examples = append(tt.examples, e.Request)
			}
			// What a tool returns says what it is for ("totalDeaths": statistics, not news).
			for _, f := range ti.fields {
				tt.params = append(tt.params, strings.Join(f.path, " "))
			}
			for _, pr := range ti.params {
				tt.params = append(tt.params, pr.Name+" "+pr.Description)
				// Example values of a parameter ("eg. transfer, deposit") say what the
				// tool does.
				tt.examples = append(tt.examples, strings.Join(pr.examples, " "))
				tt.enums += enumText(&pr, enumTools)
			}
			texts = append(texts, tt)
			// The first word of a description is the verb of what the tool does
			// ("Retrieves available flights"): it can start an instruction.
			if v, ok := descVerb(t.Name, t.Description); ok {
				p.verbs[v] = true
				p.verbs[stem(v)] = true
			}
			// "issue_assign": a verb the catalogue's names use ("assign OPS-31 to dan"
			// had been an issue search).
			for _, w := range words(t.Name) {
				if lw := strings.ToLower(w); nameVerbs[lw] {
					p.verbs[lw] = true
				}
			}
		}
	}
	p.ix = newIndex(texts)
	var described []string
	for _, tt := range texts {
		described = append(described, tt.desc)
		described = append(described, tt.params...)
	}
	p.acronyms = glossedAcronyms(acronymsOf(described), p.tools)
	p.spacedCodes = map[string]bool{}
	p.numberedNames = map[string]bool{}
	for _, ti := range p.tools {
		for pi := range ti.params {
			if pr := &ti.params[pi]; pr.kind == pString && spacedCodeExample.MatchString(pr.Description) {
				p.spacedCodes[pr.norm] = true
			}
			if pr := &ti.params[pi]; numberedNameExample(pr) {
				p.numberedNames[pr.norm] = true
			}
		}
	}
	p.things = map[string]bool{}
	for i := range p.ix.docs {
		for t := range p.ix.docs[i].name {
			if !p.verbs[t] && familyWord(t) {
				p.things[t] = true
			}
		}
	}
	// In a small registry every word is rare in few tools and IDF is small: the
	// thresholds scale down with the IDF of a word that only one tool has.
	n := float64(len(texts))
	unique := math.Log(1 + (n-0.5)/1.5)
	p.minScore = math.Min(cfg.minScore, 1.5*unique)
	p.minCore = math.Min(cfg.minCore, 0.5*unique)
	p.minNouns = math.Min(minNouns, 0.5*unique)
	return p
}

func (p *Pattern) isVerb(w string) bool { return p.verbs[w] }

// nameVerbs are verbs that start an instruction in a catalogue whose tool names use
// them (issue_assign, pr_comment), and are too often nouns elsewhere to be baseVerbs.
var nameVerbs = wordSet("assign reassign unassign comment label tag flag star pin unpin bookmark")

// nameTerm reports whether term t is in some tool's name.
func (p *Pattern) nameTerm(t string) bool {
	for i := range p.ix.docs {
		if p.ix.docs[i].name[t] {
			return true
		}
	}
	return false
}

// descVerb returns the first word of a tool's description, lower case, when it can be
// the verb of what the tool does ("Retrieves available flights", "Book a table"). A
// word that is no base verb and that the tool's name holds after its verb names the
// thing the tool works on: in get_weather_forecast, "Weather forecast for a city" starts
// with a noun, and taken as a verb it made "weather in Boston" ask for a forecast.
func descVerb(name, desc string) (string, bool) {
	ws := words(desc)
	if len(ws) == 0 {
		return "", false
	}
	v := strings.ToLower(ws[0])
	if len(ws) > 1 && len(v) > 4 && strings.HasSuffix(v, "ly") && !baseVerbs[v] {
		// "Temporarily freeze a card", "Permanently delete a file": the verb follows
		// its adverb, when it is a verb or the last word of the tool's name
		// (card.freeze); "Monthly statement of an account" starts with no verb.
		if w, nw := strings.ToLower(ws[1]), words(name); baseVerbs[w] || len(nw) > 1 && strings.EqualFold(nw[len(nw)-1], w) {
			v = w
		}
	}
	if len(v) <= 2 || stopWords[v] || partOpeners[v] || v == "every" || v == "another" {
		// ("One order in full - line items, ...": a number, not a verb.)
		return "", false
	}
	if baseVerbs[v] || baseVerbs[stem(v)] {
		return v, true
	}
	afterVerb := false
	for _, w := range words(name) {
		lw := strings.ToLower(w)
		if afterVerb && (lw == v || lw == v+"s" || lw+"s" == v) {
			return "", false
		}
		afterVerb = afterVerb || baseVerbs[lw]
	}
	return v, true
}

// Clauses splits request into clauses and matches each to its best tool. Tool is empty
// when no tool matches with enough confidence, and for clauses that state a condition
// ("once it is done") or a situation ("I've got a file named x.wav"). Plan may still
// use a different tool for a clause (the best one whose arguments it can fill) or
// several (coordinated items, producer steps); Clauses is the cheap, plan-free view the
// complexity router counts clauses and distinct tools with.
func (p *Pattern) Clauses(request string) []Clause { return p.ClausesOf(planq.Query{}, request) }

// ClausesOf is Clauses with the slots of request read from q, the query request was
// written from (planq.Query.SlotsOf), when q was analysed for the registry.
func (p *Pattern) ClausesOf(q planq.Query, request string) []Clause {
	request = normalizeRequest(request)
	cs := splitClauses(request, p.extract(request, q), p.isVerb)
	out := make([]Clause, len(cs))
	for i, c := range cs {
		out[i] = Clause{Text: c.text}
		prev := ""
		if i > 0 {
			prev = cs[i-1].text
		}
		if c.condition || c.context {
			continue // as in Plan: a precondition or a situation asks for no tool
		}
		if m := p.match(c, prev); len(m) > 0 {
			out[i].Tool = p.tools[m[0].tool].tool.Name
			out[i].Score = m[0].score
		}
	}
	return out
}

func (p *Pattern) clauses(request string) []clause {
	return splitClauses(request, p.extract(request, planq.Query{}), p.isVerb)
}

// normalizeRequest writes request as its words say it: runs of spaces and tabs are one
// space, and the pronoun "i" is "I". "I  have an article ..." and "i have an article
// ..." are the same request as "I have an article ...", and get the same plan (the
// cues the planner reads are written with single spaces; a lower-case "i" read as a
// word of the request weighed differently).
func normalizeRequest(request string) string {
	// "get rid of all the screenshots" asks to delete them, as the tools that do it say.
	request = ridOf.ReplaceAllString(request, "delete")
	if !strings.Contains(request, "  ") && !strings.Contains(request, "\t") && !lowerI.MatchString(request) {
		return request
	}
	lines := strings.Split(request, "\n")
	for k, l := range lines {
		l = strings.Join(strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '\t' }), " ")
		lines[k] = lowerI.ReplaceAllString(l, "${1}I${2}")
	}
	return strings.Join(lines, "\n")
}

// lowerI matches the pronoun "i" written in lower case: "i want", "i'm", "so i".
var lowerI = regexp.MustCompile(`(^|[\s,;:.!?(])i([\s'’]|$)`)

// extract returns the slots of request: the extractor's (q's analysis of request when q
// has one for the registry: planq.Query.SlotsOf), and the value spans the registry's
// parameters ask for.
func (p *Pattern) extract(request string, q planq.Query) []slot.Slot {
	slots, ok := q.SlotsOf(p.reg, request)
	if slots = slices.Clone(slots); !ok {
		slots = p.ex.Extract(request)
	}
	return p.valueSlots(request, splitTheAndThe(request, slots))
}

// splitTheAndThe splits a name "X and the Y" that "the" opens into two: "the Chicago
// Bulls and the Miami Heat" are two teams. A title is not preceded by "the" ("watch Harry
// Potter and the Goblet of Fire") and stays whole.
func splitTheAndThe(request string, slots []slot.Slot) []slot.Slot {
	for i := 0; i < len(slots); i++ {
		s := slots[i]
		k := strings.Index(s.Text, " and the ")
		if s.Kind != slot.Name || k <= 0 || !strings.HasSuffix(strings.ToLower(request[:s.Start]), "the ") {
			continue
		}
		first := slot.Slot{Kind: slot.Name, Text: s.Text[:k], Value: s.Text[:k], Start: s.Start, End: s.Start + k}
		second := slot.Slot{Kind: slot.Name, Text: s.Text[k+len(" and the "):], Value: s.Text[k+len(" and the "):], Start: s.Start + k + len(" and the "), End: s.End}
		if s.Value != s.Text || strings.Contains(second.Text, " and the ") {
			continue // (a name the extractor rewrote, or a list of three: left whole)
		}
		slots = slices.Insert(slices.Delete(slots, i, i+1), i, first, second)
		i++
	}
	return slots
}

// candidate is a tool matching a clause.
type candidate struct {
	tool  int
	score float64 // BM25 of the clause's words
	rank  float64 // score plus the weighted score of the rest of the request
	core  float64 // IDF mass of the clause's words in the tool's name, description, examples
	// nouns is the part of core from words that are not verbs, name the IDF mass of the
	// clause's words in the tool's name; verb is true when the clause's main verb is the
	// tool's.
	nouns, name float64
	verb        bool
}

// contextWeight is how much the words of the previous clause count when matching a
// clause: "buy me a ticket" after "find a bus" is a bus ticket.
const contextWeight = 0.3

// match returns the tools that match clause text with enough confidence, best first.
// context is the previous clause: its nouns (not its verbs) add, at contextWeight, to
// the score and to the evidence; the clause itself must match some word of the tool's
// name, description or examples.
func (p *Pattern) match(c clause, context string) []candidate {
	// The words of a dictated message say nothing about which tool sends it ("sms +1 555
	// 010 7766: meeting moved to 3pm" is no meeting).
	text := instructionPart(c.text)
	if c.refers {
		text = resultPhrase.ReplaceAllString(text, "it")
	}
	if c.verb != "" {
		text = c.verb + " " + text // "then my Visa card" after "pay my water bill"
	}
	if len(p.valueKinds) > 0 {
		// The words of a URL (its host and path) name where, not what: "fetch
		// https://example.com/api/items" asks for a request to a URL, not for items.
		// Only for catalogs with the built-in value kinds: on the TaskBench catalogs
		// this moved the fitted route model (routing accuracy 0.753 -> 0.752), and
		// their matching stays what that model was fitted on.
		text = urlPattern.ReplaceAllString(text, " url ")
	}
	// "what vet appointments do I have coming up": the word tool authors write.
	text = comingUp.ReplaceAllString(text, "upcoming")
	// "hows the battery looking": a question about how a thing is, not a request to
	// look (search) for it.
	text = stateQuestion(text)
	text = p.ix.joinPhrasal(text)
	q := slices.DeleteFunc(query(text, p.isVerb, true), func(t qterm) bool { return relativeTimeWords[t.term] && !p.nameTerm(t.term) })
	var plain map[string]bool // the clause's terms outside its values (a path, a name)
	for i := range q {
		// "do i have any expired perscriptions": the catalogue's word, mistyped.
		r := p.ix.respelled(q[i].term)
		if r == "" || slices.ContainsFunc(q, func(o qterm) bool { return o.term == r }) {
			continue
		}
		if plain == nil {
			plain = map[string]bool{}
			for _, t := range terms(maskSlots(c)) {
				plain[t] = true
			}
		}
		if plain[q[i].term] {
			q[i].term = r
			if p.isVerb(r) && !slices.ContainsFunc(q, func(o qterm) bool { return o.main }) {
				// "pls restrat payments": the mistyped word is the clause's verb.
				q[i].weight, q[i].main, q[i].verb = 2, true, true
			}
		}
	}
	var own []qterm // the clause's own words, when a term is added for what it asks
	if p.valueKinds[kindInstant] && askedNow.MatchString(text) {
		// "what time is it": the current time, which the tools that tell it call so
		// (and only they: the current weather is no answer).
		own = q
		q = addTerm(append([]qterm(nil), q...), "current")
	}
	if channelVerb(text) {
		// "email hr@acme.io with subject Vacation": a channel used as a verb sends
		// by it; it does not search or read the mailbox.
		q = addTerm(q, "send")
	}
	for _, s := range c.slots {
		if s.Kind == slot.Enum && !strings.EqualFold(s.Text, s.Value) && !strings.ContainsAny(s.Text, " _-") {
			// "ran 8 km": the value a verb's form writes, as the tools write it (run).
			q = addTerm(q, s.Value)
		}
	}
	if hasKind(c.slots, slot.Money) {
		// "send twenty dollars to +1 555 010 5151": an amount is money, which the
		// tools that move it call so.
		q = addTerm(q, "money")
	}
	if hasKind(c.slots, kindExpression) {
		// "what is 3 + 4": arithmetic, which the tools that do it call so; and the
		// operation, as a catalog's own tools name it ("394 times 213" is a product).
		q = addTerm(q, "arithmetic")
		for _, s := range c.slots {
			if s.Kind == kindExpression {
				for _, w := range operationWords(s.Value) {
					q = addTerm(q, w)
				}
			}
		}
	}
	if len(q) == 0 {
		return nil
	}
	var ctx []qterm
	if context != "" {
		inQ := map[string]bool{}
		for _, t := range q {
			inQ[t.term] = true
		}
		for _, t := range query(context, p.isVerb, false) {
			if !inQ[t.term] {
				ctx = append(ctx, t)
			}
		}
	}
	var out []candidate
	for i := range p.tools {
		qi := q
		if own != nil && p.ix.docs[i].tf["time"] == 0 {
			if !tellsTime(&p.ix.docs[i]) && p.readOnly(p.tools[i]) {
				// "what time is it in Toronto right now?": a lookup that says nothing of
				// a time, a date or a day (the weather "right now") does not tell it. (A
				// tool that runs commands may: "... using the command echo %time%".)
				continue
			}
			qi = own
		}
		m := p.ix.score(i, qi)
		if m.core == 0 {
			continue // the clause itself must name something the tool does
		}
		rank, rankCore := m.score, m.core
		if len(ctx) > 0 {
			cm := p.ix.score(i, ctx)
			rank += contextWeight * cm.score
			rankCore += contextWeight * cm.core
		}
		if rank >= p.minScore && rankCore >= p.minCore {
			out = append(out, candidate{tool: i, score: m.score, rank: rank, core: m.core, nouns: m.nouns, name: m.name, verb: m.verb})
		}
	}
	out = p.typedCandidates(out, c, q)
	out = p.polarity(out, c)
	p.objectNamed(out, c)
	p.demoteBuiltins(out, c)
	sort.SliceStable(out, func(a, b int) bool { return out[a].rank > out[b].rank })
	return out
}

// reportOnly reports whether the statements cs make are the whole request and its
// best reading is a tool that acts, which records what they state: "E2210 is off sick
// from 2026-12-08 to 2026-12-09" is sick leave to request, "E1042 is leaving, last day
// is 15 January 2027" an offboarding. (The step still has every argument it needs from
// the statement, or none is planned.)
func (p *Pattern) reportOnly(cs []clause, cands []candidate) bool {
	if len(cands) == 0 || p.tools[cands[0].tool].builtin || p.readOnly(p.tools[cands[0].tool]) {
		return false
	}
	return !slices.ContainsFunc(cs, func(o clause) bool { return o.asks })
}

// enumText is the values of a short enum of strings that no other tool's enum holds, as
// words (" pool gym breakfast room"), for the index: a tool whose amenity is one of
// pool, gym and spa is about them ("what are the pool hours"). Long enums (countries,
// languages), values several tools hold (an environment's "staging") and values that
// are not words say little of what the tool is for.
func enumText(pr *paramInfo, tools map[string]int) string {
	if pr.kind != pEnum || len(pr.Enum) > 20 {
		return ""
	}
	var b strings.Builder
	for _, sv := range pr.Enum {
		if len(sv) > 2 && tools[sv] == 1 && isLetters(strings.NewReplacer("_", "", "-", "", " ", "").Replace(sv)) {
			b.WriteString(" ")
			b.WriteString(strings.NewReplacer("_", " ", "-", " ").Replace(sv))
		}
	}
	return b.String()
}

// howsItGoing and whatsItLike match "how's X looking", "how is X doing", "how are X
// going" and "what's X looking like" (their group is the question without the verb):
// the state of X asked about.
var (
	howsItGoing = regexp.MustCompile(`(?i)^(\s*how(?:'s|s| is| are|'re)\b.*?)\s+(?:looking|doing|going)\b`)
	whatsItLike = regexp.MustCompile(`(?i)^(\s*what(?:'s|s| is| are|'re)\b.*?)\s+looking\s+like\b`)
)

// stateQuestion is text without the verb of a question about how a thing is ("hows the
// battery looking" -> "hows the battery").
func stateQuestion(text string) string {
	if !strings.Contains(text, "ing") && !strings.Contains(text, "ING") {
		return text // (no looking, doing or going: most clauses, on the matching path)
	}
	return howsItGoing.ReplaceAllString(whatsItLike.ReplaceAllString(text, "$1"), "$1")
}

// comingUp is "coming up", which catalogues write "upcoming".
var comingUp = regexp.MustCompile(`(?i)\bcoming up\b`)

// ridOf matches "get rid of" and its forms.
var ridOf = regexp.MustCompile(`(?i)\b(get|gets|got|getting) rid of\b`)

// onSaidBut reports whether clause c says "on" other than right before a date or a
// time ("on Friday", "on the 4th").
func onSaidBut(c clause) bool {
	ons := 0
	for _, w := range words(maskSlots(c)) {
		if strings.EqualFold(w, "on") {
			ons++
		}
	}
	for _, s := range c.slots {
		if (s.Kind == slot.Date || s.Kind == slot.Time) && prevWord(c, s) == "on" {
			ons--
		}
	}
	return ons > 0
}

// joinedByAnd reports whether a word of tool i's name is one of the two words around an
// "and" of clause c ("offers and reviews"), as a thing the clause asks for.
func (p *Pattern) joinedByAnd(c clause, i int) bool {
	ws := strings.Fields(asciiLower(maskSlots(c)))
	for k, w := range ws {
		if w != "and" || k == 0 || k+1 >= len(ws) {
			continue
		}
		for _, x := range []string{ws[k-1], ws[k+1]} {
			for _, t := range terms(strings.Trim(x, ",.;:!?")) {
				if p.ix.docs[i].name[t] {
					return true
				}
			}
		}
	}
	return false
}

// actionConjunct reports whether the last thing text joins with "and" is an action, a
// verb before an object ("and shedule me a visit", "and book a table"), not a second
// thing ("and an EV").
func actionConjunct(text string) bool {
	lt := asciiLower(text)
	k := strings.LastIndex(lt, " and ")
	if k < 0 {
		return false
	}
	ws := strings.Fields(lt[k+len(" and "):])
	if len(ws) < 2 {
		return false
	}
	w1, w2 := strings.Trim(ws[0], ",.;:!?"), strings.Trim(ws[1], ",.;:!?")
	return isWordLike(w1) && !determiners[w1] && !stopWords[w1] && (determiners[w2] || objectPronouns[w2])
}

// channelTerm is the term of the channel text opens with as its verb ("sms" for "text
// ...", "whatsapp", "email"), or "": "message +1 ..." names no channel.
func channelTerm(text string) string {
	if w := channelWord(text); w != "" && w != "message" {
		if ts := terms(w); len(ts) == 1 {
			return ts[0]
		}
	}
	return ""
}

// channelVerb reports whether text opens with a channel as its verb: "email ...",
// "text ...", "whatsapp ..." (after "please" or "now").
func channelVerb(text string) bool { return channelWord(text) != "" }

// channelWord is the channel text opens with as its verb ("email", "text", "whatsapp",
// after "please" or "now"), or "".
func channelWord(text string) string {
	ws := strings.Fields(asciiLower(text))
	for i, w := range ws {
		switch w = strings.Trim(w, ",.:;!?"); w {
		case "please", "now", "also", "then", "and":
			continue
		case "email", "e-mail", "text", "sms", "whatsapp", "dm", "message":
			// ("email from Dana about the budget" names an e-mail: no verb.)
			if i+1 < len(ws) && !prepositions[ws[i+1]] && ws[i+1] != "inbox" {
				return w
			}
		}
		return ""
	}
	return ""
}

// builtinPrior scales the rank of a built-in tool matched beside a user's catalog when the
// clause shows none of the values the built-in works on.
const builtinPrior = 0.5

// demoteBuiltins keeps the built-in tools from capturing what a user's catalog covers: a
// built-in matched by words alone ("the current weather" is not the current time, "get
// top posts" is no HTTP request) ranks at builtinPrior of its score when some other tool
// matches the clause too. A built-in keeps its rank when the clause holds what it works
// on: an arithmetic expression, a time zone, an instant or a duration, a JSON path, a URL,
// a template, or a question for the current time.
func (p *Pattern) demoteBuiltins(cands []candidate, c clause) {
	users := false
	for _, cd := range cands {
		if !p.tools[cd.tool].builtin {
			users = true
			break
		}
	}
	if !users {
		return
	}
	// An arithmetic tool of the user's catalog does the arithmetic the clause asks
	// ("CalcProduct" for "394 times 213"): the built-in calculator yields to it.
	userMath := false
	if hasKind(c.slots, kindExpression) {
		for _, cd := range cands {
			if ti := p.tools[cd.tool]; !ti.builtin && p.doesArithmetic(ti) {
				userMath = true
			}
		}
	}
	// A tool of the user's catalog that ranks about as high as a built-in covers the
	// clause as well ("what time is it now in Tokyo" with travel.timezone_time): the
	// built-in yields to it.
	userRank := 0.0
	for _, cd := range cands {
		if !p.tools[cd.tool].builtin {
			userRank = max(userRank, cd.rank)
		}
	}
	for k := range cands {
		ti := p.tools[cands[k].tool]
		if ti.builtin && (!p.builtinSignal(ti, c) || userMath && p.doesArithmetic(ti) || userRank >= 0.9*cands[k].rank) {
			cands[k].rank *= builtinPrior
		}
	}
}

// doesArithmetic reports whether tool ti names an arithmetic operation (its name or
// verbs say add, sum, multiply, product, subtract, divide, calculate...).
func (p *Pattern) doesArithmetic(ti *toolInfo) bool {
	// Its operands are numbers: two or more numeric parameters and no other required
	// one ("search_products" is no product), or one expression.
	nums, others := 0, 0
	for i := range ti.params {
		switch pr := &ti.params[i]; {
		case pr.kind == pExpression:
			nums += 2
		case pr.kind == pInteger || pr.kind == pNumber:
			nums++
		case numberList(pr):
			nums += 2
		case pr.Required:
			others++
		}
	}
	if nums < 2 || others > 0 {
		return false
	}
	d := &p.ix.docs[p.toolIndex[ti]]
	for _, w := range []string{"add", "sum", "plus", "multiply", "product", "subtract", "difference", "minus", "divide", "quotient", "calculate", "arithmetic", "math"} {
		for _, t := range terms(w) {
			if d.acts[t] || d.name[t] {
				return true
			}
		}
	}
	return false
}

// operands is how many numbers arithmetic tool ti takes: one per numeric parameter, and
// any number for an expression or a list of numbers.
func (p *Pattern) operands(ti *toolInfo) int {
	n := 0
	for i := range ti.params {
		switch pr := &ti.params[i]; {
		case pr.kind == pExpression || numberList(pr):
			return math.MaxInt
		case pr.kind == pInteger || pr.kind == pNumber:
			n++
		}
	}
	return n
}

// operationWords names the operations of an arithmetic expression as tools call them.
func operationWords(expr string) []string {
	var out []string
	if strings.ContainsAny(expr, "*×") {
		out = append(out, "multiply", "product")
	}
	if strings.Contains(expr, "+") {
		out = append(out, "add", "sum")
	}
	if strings.Contains(expr, "/") {
		out = append(out, "divide", "quotient")
	}
	if strings.Contains(strings.TrimPrefix(strings.TrimSpace(expr), "-"), "-") {
		out = append(out, "subtract", "difference")
	}
	return out
}

// shiftsBy reports whether duration slot s is an amount a time moves by: "in 3 days",
// "add 90 minutes", "subtract 2 hours", "2 hours ago", "3 days later".
func shiftsBy(c clause, s slot.Slot) bool {
	if pw := prevWords(c, s, 1); len(pw) == 1 && shiftWordsBefore[pw[0]] {
		return true
	}
	if hi := s.End - c.start; hi >= 0 && hi <= len(c.text) {
		if ws := strings.Fields(strings.ToLower(c.text[hi:])); len(ws) > 0 && shiftWordsAfter[strings.Trim(ws[0], ".,;:!?")] {
			return true
		}
	}
	return false
}

var (
	shiftWordsBefore = map[string]bool{"add": true, "plus": true, "minus": true, "subtract": true, "in": true, "within": true, "another": true, "extra": true}
	shiftWordsAfter  = map[string]bool{"ago": true, "before": true, "earlier": true, "later": true, "after": true, "from": true, "hence": true, "to": true}
)

func hasKind(slots []slot.Slot, k slot.Kind) bool {
	for _, s := range slots {
		if s.Kind == k {
			return true
		}
	}
	return false
}

// builtinSignal reports whether clause c holds a value built-in tool ti works on. For a
// tool that shifts a time by a duration, that is a duration the clause shifts by ("in 3
// days", "add 90 minutes", "2 hours ago"): a length ("duration 3 hours") and a date
// name no arithmetic.
// urlVerbs are what a request to a URL does: "fetch https://...", "post to ...".
var urlVerbs = wordSet(`get fetch download call request post put patch delete send check ping hit query
	retrieve open load read visit access head scrape grab pull show see look find give tell return`)

func (p *Pattern) builtinSignal(ti *toolInfo, c clause) bool {
	if slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return pr.kind == pDuration }) {
		return slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return s.Kind == kindDuration && shiftsBy(c, s) })
	}
	for i := range ti.params {
		pr := &ti.params[i]
		for _, s := range c.slots {
			if k, ok := valueKind[pr.kind]; ok && s.Kind == k {
				return true
			}
			if pr.kind == pURL && s.Kind == slot.URL {
				// "add a new sql server at http://plgah.ca" gives a URL and asks for
				// nothing a request to it does.
				v := leadVerb(c, p.isVerb)
				return v == "" || !baseVerbs[v] || urlVerbs[v] || urlVerbs[stem(v)]
			}
		}
		if pr.kind == pZone && askedNow.MatchString(c.text) {
			return true
		}
		if pr.kind == pExpression && hasKind(c.slots, kindExpression) {
			return true
		}
		if strings.Contains(c.text, "{{") && pr.terms["template"] {
			return true
		}
	}
	return false
}

// Plan returns a plan for request that passes plan.Validate against the registry, or a
// *plan.CannotPlanError (wrapping plan.ErrCannotPlan) saying why none could be made, or ctx's error
// when ctx ends first. Every clause that asks for something must be planned: when one
// cannot be, the request is refused with that clause named, never answered with the
// part that could (PlanPartial returns that part, for callers that want it).
func (p *Pattern) Plan(ctx context.Context, q planq.Query) (*plan.Plan, error) {
	r, err := p.plan(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(r.unplanned) > 0 {
		return nil, &plan.CannotPlanError{Reason: "part of the request cannot be planned: " + strings.Join(r.reasons, "; "), Clauses: r.unplanned}
	}
	return r.plan, nil
}

// PlanPartial is Plan, except that when some clauses that ask for something cannot be
// planned it returns the plan of the others with those clauses listed (unplanned), in
// request order. It still refuses when no clause can be planned.
func (p *Pattern) PlanPartial(ctx context.Context, q planq.Query) (pl *plan.Plan, unplanned []string, err error) {
	r, err := p.plan(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	return r.plan, r.unplanned, nil
}

// result is a plan with what the planner knows about it.
type result struct {
	plan      *plan.Plan
	unplanned []string
	reasons   []string // why each unplanned clause could not be planned
	evidence  []evidence
}

func (p *Pattern) plan(ctx context.Context, q planq.Query) (*result, error) {
	return p.planQuery(ctx, q, "", planWhole)
}

// planMode says how much of a request planSteps plans.
type planMode int

const (
	// planWhole plans the request as the user wrote it: a clause that leaves its
	// instruction out for a second set of values is planned once more, spelt out (see
	// gapPieces).
	planWhole planMode = iota
	// planRewritten plans such a rewriting: as a whole, but spelt out no further.
	planRewritten
	// planPiece plans one part of a rewriting after what the request says before it:
	// a value a statement there gives for another part is no value dropped.
	planPiece
)

// planSteps plans request. goal is the request as the user wrote it, when request is a
// rewriting of it ("" when it is not).
func (p *Pattern) planSteps(ctx context.Context, request, goal string, mode planMode) (*result, error) {
	return p.planQuery(ctx, planq.Query{Text: request}, goal, mode)
}

// planQuery is planSteps of q's text, its slots read from q (extract).
func (p *Pattern) planQuery(ctx context.Context, q planq.Query, goal string, mode planMode) (*result, error) {
	request := q.Text
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var unplanned []string
	if strings.TrimSpace(request) == "" {
		return nil, &plan.CannotPlanError{Reason: "the request is empty"}
	}
	request = normalizeRequest(request)
	if len(request) > maxRequestBytes {
		return nil, &plan.CannotPlanError{Reason: fmt.Sprintf("the request is %d bytes; the pattern planner reads at most %d", len(request), maxRequestBytes)}
	}
	if m := selfCorrection.FindString(request); m != "" {
		// "record 5 each of dropped plates... no wait, 5 each dropped brioche buns":
		// which of the two is meant is for the user to say.
		return nil, &plan.CannotPlanError{Reason: fmt.Sprintf("the request corrects itself (%q); say the corrected request alone", strings.TrimSpace(m))}
	}
	if goal == "" {
		goal = request
	}
	if script := unreadScript(request); script != "" && !p.otherScript {
		// "请帮我生成一组多轮对话数据,里面包含了LLM function call" -> call_uber{location:
		// "里面包含了LLM"}: the planner reads English, and three English words of a
		// request in another script are not what it asks.
		return nil, &plan.CannotPlanError{Reason: fmt.Sprintf("the request is written mostly in %s script: the offline planners read English requests (an LLM planner reads others)", script)}
	}
	request = p.expandAcronyms(request) // "rps": requests per second
	if p.reg == nil || len(p.tools) == 0 {
		return nil, &plan.CannotPlanError{Reason: "the tool registry is empty"}
	}
	all := p.extract(request, q)
	cs := splitClauses(request, all, p.isVerb)
	b := &builder{p: p, request: request, goal: goal, all: all, clauses: cs}
	var (
		reasons []string
		missed  []missedClause
		stated  []clause // the clauses that state a value ("photo is leaf2.jpg")
	)
	prev := ""
	for _, c := range cs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if c.states {
			// "Web ID is 1234": a value for a step another clause asks for. The clause
			// adds its values to such a step or is left to accountsFor; a step of
			// its own (delete_website for a stated id) is never what it asked.
			// When it names what the asked tool takes, only the tools another clause asks
			// for are readings of it: "cancel my reservation. The booking is RSV-482913"
			// states the id for the cancellation, whichever reservation tool the
			// statement alone would rank first.
			cands := p.match(c, prev)
			if asked := p.askedCandidates(cs, c, slices.Clone(cands)); len(asked) > 0 && p.statesFor(c, p.tools[asked[0].tool]) {
				cands = asked
			}
			if len(cands) > 0 {
				mark, marked, noted, last := len(b.steps), len(b.evidence), len(b.notes), b.lastOfClause
				why := b.addClause(c, cands)
				// ("the printer on floor 2 is jammed again, report it": the clause after
				// the statement refers to it, and its step is the statement's.)
				referred := slices.ContainsFunc(cs, func(o clause) bool { return o.start > c.start && o.asks && o.refers })
				if why == "" && len(b.steps) > mark && (referred || !p.askedElsewhere(cs, c, b.steps[len(b.steps)-1].tool)) && !p.reportOnly(cs, cands) {
					b.steps, b.evidence, b.notes, b.lastOfClause = b.steps[:mark], b.evidence[:marked], b.notes[:noted], last
				}
			}
			prev = c.text
			stated = append(stated, c)
			continue
		}
		if c.test || c.asks && conditionalTail(c.text) {
			// The plan cannot test the world: "if it rains in Boston tomorrow, post
			// ..." must not post whatever the weather.
			missed = append(missed, missedClause{c: c, why: fmt.Sprintf("%q sets a condition the plan cannot check", c.text)})
			prev = c.text
			continue
		}
		if c.asks && negatedAction(c.text, p.isVerb) {
			// "please do not cancel order ORD-12345" asks for no cancellation.
			missed = append(missed, missedClause{c: c, why: fmt.Sprintf("%q asks not to do something", c.text)})
			prev = c.text
			continue
		}
		if c.condition || c.context || !c.asks || c.meta {
			// "once the payment is done, ...", "I've got a file named 'x.wav'", "it's
			// 2023", "could you provide that information?": a precondition, a
			// situation, a statement or a courtesy, not something to do.
			prev = c.text
			continue
		}
		cands := p.match(c, prev)
		prev = c.text
		if b.refine(c) {
			// "..., and could you provide that in Fahrenheit?": a value for the step
			// the clause refers to, not a step of its own.
			continue
		}
		if len(cands) == 0 {
			missed = append(missed, missedClause{c: c, why: fmt.Sprintf("no tool matches %q", c.text)})
			continue
		}
		mark, marked, noted := len(b.steps), len(b.evidence), len(b.notes)
		b.context = p.contentTerms(clause{text: prevOf(cs, c)})
		if why := b.addClause(c, cands); why != "" {
			missed = append(missed, missedClause{c: c, cands: cands, why: why})
			continue
		}
		// "details and offers for X": one clause, one tool per coordinated item.
		first := -1
		if len(b.steps) > mark {
			first = p.toolIndex[b.steps[len(b.steps)-1].tool]
		}
		dropped := ""
		for _, extra := range p.coordinated(c, cands, first) {
			if why := b.addClause(c, []candidate{extra}); why != "" && p.joinedByAnd(c, extra.tool) {
				// "the best offers and reviews for Sony WH-1000XM4": a thing the
				// clause joins with "and" that cannot be served is not dropped in
				// silence.
				dropped = why
				break
			}
		}
		if dropped != "" {
			b.steps, b.evidence, b.notes = b.steps[:mark], b.evidence[:marked], b.notes[:noted]
			missed = append(missed, missedClause{c: c, why: dropped})
			continue
		}
		// "the weather in Boston and in Denver": one call per value of a list.
		b.parallelValues(c, mark)
		// "pay the gas and water bills": one call per example value the clause lists.
		b.parallelExamples(c, mark)
		// Every thing the clause joins with "and" must be served by one of its steps
		// (or by the step it repeats: "help me find a place and shedule me a visit"
		// after the same search is that search, and the visit is left).
		served := b.steps[mark:]
		if len(served) == 0 && b.reused != nil && actionConjunct(c.text) {
			served = []built{*b.reused}
		}
		why, part := p.coversConjuncts(c, served)
		if why == "" && len(b.steps) > mark {
			// "every month": a recurrence the steps do not do.
			why = p.repeats(c, b.steps[mark:])
		}
		if why != "" && part > 0 && len(b.steps) > mark && opensWithWord(c.text[part:]) {
			// "what time is it in Tokyo and paint the fence blue": what comes before
			// the conjunction is served; the other thing it asks for is the part the
			// plan leaves out, as a clause of its own would be.
			missed = append(missed, missedClause{c: subClause(c, part), why: why, left: true})
			continue
		}
		if why != "" {
			b.steps, b.evidence, b.notes = b.steps[:mark], b.evidence[:marked], b.notes[:noted]
			missed = append(missed, missedClause{c: c, why: why})
		}
	}
	for _, c := range stated {
		// "what's wrong with my tomato plant? photo is leaf2.jpg": a file, an address,
		// a phone number or a URL the user states is for a step; a plan that takes none
		// of them is not what was asked.
		for _, sl := range c.slots {
			if (sl.Kind == slot.File || sl.Kind == slot.Email || sl.Kind == slot.Phone || sl.Kind == slot.URL) && len(b.steps) > 0 && !b.uses(sl) {
				missed = append(missed, missedClause{c: c, why: fmt.Sprintf("%q gives %s, which no step of the plan takes", c.text, sl.Text)})
				break
			}
		}
	}
	for _, c := range cs {
		// "can I get a link to ALB-30412? should stop working after a week": a
		// requirement no step takes up would be served as if unsaid.
		if c.requires && len(b.steps) > 0 && (len(c.slots) == 0 || slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return !b.uses(s) })) {
			missed = append(missed, missedClause{c: c, why: fmt.Sprintf("%q says what the result must be, which no step sets", c.text), left: true})
		}
	}
	var unplannedC []clause
	for _, m := range missed {
		if b.accountsFor(m) {
			continue
		}
		unplanned = append(unplanned, m.c.text)
		unplannedC = append(unplannedC, m.c)
		reasons = append(reasons, m.why)
	}
	if mode == planWhole && len(unplannedC) > 0 {
		// "convert 100 USD to EUR and 50 GBP to JPY": the instruction is said once for
		// two sets of values.
		if r, ok := p.regap(ctx, request, goal, cs, unplannedC); ok {
			return r, nil
		}
	}
	if len(b.steps) == 0 {
		reason := "no tool matches the request with enough confidence"
		if len(reasons) > 0 {
			reason = strings.Join(reasons, "; ")
		}
		return nil, &plan.CannotPlanError{Reason: reason, Clauses: unplanned}
	}
	if why := b.unreadClock(); why != "" {
		return nil, &plan.CannotPlanError{Reason: why, Clauses: unplanned}
	}
	if why := b.statedDrop(); why != "" && mode != planPiece {
		return nil, &plan.CannotPlanError{Reason: why, Clauses: unplanned}
	}
	if why := b.measureLeft(); why != "" && mode != planPiece {
		return nil, &plan.CannotPlanError{Reason: why, Clauses: unplanned}
	}
	if max := plan.DefaultLimits.MaxSteps; max > 0 && len(b.steps) > max {
		return nil, &plan.CannotPlanError{Reason: fmt.Sprintf("the request needs %d steps; a plan holds at most %d", len(b.steps), max)}
	}
	if why := b.ambiguousCode(); why != "" {
		return nil, &plan.CannotPlanError{Reason: why, Clauses: unplanned}
	}
	pl := b.plan()
	if err := plan.Validate(pl, p.reg); err != nil {
		// A phrase read for a patterned or typed parameter is left to the validator (see
		// judge); a value that does not fit is a refusal, and a made-up plan must never
		// leave the planner.
		return nil, &plan.CannotPlanError{Reason: "a value read from the request does not fit its tool: " + err.Error(), Clauses: unplanned}
	}
	return &result{plan: pl, unplanned: unplanned, reasons: reasons, evidence: b.evidence}, nil
}

// measureLeft says why the plan drops a measure a clause that asks nothing gives, or
// "": "took Pepper on a 50 minute hike, log that for me. and she was 22.1 kg on the
// scale after" logged the hike and left the weight, which a tool of the catalogue
// takes. A number in a unit no parameter of the catalogue is measured in is
// circumstance ("I'm 180 cm tall").
func (b *builder) measureLeft() string {
	for _, o := range b.clauses {
		if o.asks || o.context || o.condition {
			continue
		}
		for _, s := range o.slots {
			if s.Kind != slot.Number || b.valueUsed(s) {
				continue
			}
			d := unitAfter(b.request, s.End)
			if d == 0 {
				continue
			}
			for _, ti := range b.p.tools {
				if ti.builtin {
					continue
				}
				for pi := range ti.params {
					if ti.params[pi].dims&d != 0 {
						return fmt.Sprintf("%q gives %s, which no step takes (%s takes one)", o.text, b.request[s.Start:withUnit(b.request, s.End)], ti.tool.Name)
					}
				}
			}
		}
	}
	return ""
}

// writtenClock matches an hour and minutes written as a clock, with any am or pm.
var writtenClock = regexp.MustCompile(`(?i)(^|[^0-9:.])(\d{1,2}):(\d{2})(\s?([ap])\.?m\b\.?)?`)

// unreadClock says why a plan cannot be served for a request that writes a time that is
// no time of day, or "": "book PET-00412 for a checkup on 2026-12-15 at 25:00" was
// booked without a time, and 13:75 or 0:99pm would have been dropped as silently (the
// extractor reads no slot from them).
func (b *builder) unreadClock() string {
	for _, m := range writtenClock.FindAllStringSubmatchIndex(b.request, -1) {
		end := m[1]
		if m[8] < 0 && end < len(b.request) && (isDigitByte(b.request[end]) || b.request[end] == ':' || unicode.IsLetter(rune(b.request[end]))) {
			continue // 12:345, 12:30:45, 10:30h
		}
		h, _ := strconv.Atoi(b.request[m[4]:m[5]])
		mm, _ := strconv.Atoi(b.request[m[6]:m[7]])
		if mm <= 59 && (m[10] >= 0 && h >= 1 && h <= 12 || m[10] < 0 && h <= 23) {
			continue
		}
		covered := false
		for _, s := range b.all {
			covered = covered || s.Start <= m[4] && m[4] < s.End
		}
		if !covered {
			return fmt.Sprintf("%s is not a time of day", strings.TrimSpace(b.request[m[4]:end]))
		}
	}
	return ""
}

// statedDrop says why the plan drops a value a statement gives beside one of its kind a
// step took, or "": "My small dog is 7 and my large dog is 5. How old are they in human
// years?" asks of both dogs, and one call for the first leaves the second unanswered.
func (b *builder) statedDrop() string {
	for _, o := range b.clauses {
		if o.asks && !o.states && !o.context {
			continue
		}
		for _, s := range o.slots {
			// (Not a count written as a word, "two loans", nor a quoted item of a list.)
			if !secondKinds[s.Kind] || s.Kind == slot.Quoted || !strings.ContainsAny(s.Text, "0123456789") && s.Kind == slot.Number || b.valueUsed(s) {
				continue
			}
			for _, t := range o.slots {
				if t.Start != s.Start && kindOf(t.Kind) == kindOf(s.Kind) && b.valueUsed(t) && !restates(o, t, s) {
					return fmt.Sprintf("%q gives %s beside %s, which no step takes", o.text, s.Text, t.Text)
				}
			}
		}
	}
	return ""
}

// valueUsed reports whether a step holds slot s's value, a number compared as a number
// ("$10,000" is 10000, "5%" 5 or 0.05).
func (b *builder) valueUsed(s slot.Slot) bool {
	if b.uses(s) {
		return true
	}
	if s.Kind != slot.Number && s.Kind != slot.Money && s.Kind != slot.Percent {
		return false
	}
	f := strings.Fields(strings.TrimSuffix(s.Value, "%"))
	if len(f) == 0 {
		return false
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(f[0], ",", ""), 64)
	if err != nil {
		return false
	}
	for _, st := range b.steps {
		for _, v := range st.step.Args {
			n, ok := plan.Number(fmt.Sprint(v))
			y, err := n.Float64()
			if ok && err == nil && (y == x || s.Kind == slot.Percent && math.Abs(y-x/100) < 1e-9) {
				return true
			}
		}
	}
	return false
}

// refine gives the values of clause c to the step it refers to, when c asks for nothing
// of its own ("could you provide that in Fahrenheit", "make it in Spanish"): every value
// of c fits, by its kind, a parameter of that step which has none yet. It reports whether
// it did.
func (b *builder) refine(c clause) bool {
	if !c.refers || len(c.slots) == 0 || len(b.steps) == 0 || b.p.ownAction(c, b) {
		return false
	}
	st, ok := b.referent(c)
	if !ok {
		return false
	}
	set := map[string]any{}
	for _, s := range c.slots {
		if s.Kind == slot.Name || s.Kind == slot.Quoted {
			return false // a name or a title says what, not how
		}
		found := false
		for pi := range st.tool.params {
			pr := &st.tool.params[pi]
			if _, filled := st.step.Args[pr.Name]; filled || set[pr.Name] != nil || pr.free || pr.whole || slotFits(pr, s, b.request) != "" {
				continue
			}
			if !refineKinds(s.Kind, pr.kind) {
				continue
			}
			if v, ok := convert(pr, s); ok {
				set[pr.Name], found = v, true
				break
			}
		}
		if !found {
			return false
		}
	}
	for k, v := range set {
		st.step.Args[k] = v
	}
	return true
}

// refineKinds reports whether a slot of kind sk may refine a parameter of kind k: a unit
// for an enum, a number for a number, a date for a date.
func refineKinds(sk slot.Kind, k pkind) bool {
	switch sk {
	case slot.Enum:
		return k == pEnum
	case slot.Number, slot.Percent:
		return k == pInteger || k == pNumber
	case slot.Money:
		return k == pMoney || k == pNumber
	case slot.Date:
		return k == pDate || k == pInstant
	case slot.Time:
		return k == pTime
	case slot.Phone:
		return k == pPhone
	case slot.Email:
		return k == pEmail
	}
	return false
}

// askedElsewhere reports whether a clause of cs other than c that asks for something
// names tool t among its best candidates: "Show my alarms. My user ID is 12345." -
// the statement gives the value for the step the question asks for.
func (p *Pattern) askedElsewhere(cs []clause, c clause, t *toolInfo) bool {
	return slices.ContainsFunc(p.askedBest(cs, c), func(cd candidate) bool { return p.tools[cd.tool] == t })
}

// askedBest returns the best candidates (within 0.8 of the best) of the clauses of cs
// other than c that ask for something, clause by clause.
func (p *Pattern) askedBest(cs []clause, c clause) []candidate {
	var out []candidate
	for _, o := range cs {
		if o.start == c.start || o.states || !o.asks || o.condition || o.context || o.meta {
			continue
		}
		cands := p.match(o, "")
		for _, cd := range cands {
			if cd.rank < 0.8*cands[0].rank {
				break
			}
			out = append(out, cd)
		}
	}
	return out
}

// askedCandidates returns the readings of statement c among the tools another clause of
// cs asks for: its candidates whose tools one of those clauses names among its best (see
// askedElsewhere), in their order; or, for a value stated alone ("it's RSV-482913"),
// whose words say nothing, those clauses' own best candidates.
func (p *Pattern) askedCandidates(cs []clause, c clause, cands []candidate) []candidate {
	asked := p.askedBest(cs, c)
	if itIs(words(strings.ToLower(maskSlots(c)))) > 0 {
		return asked
	}
	return slices.DeleteFunc(cands, func(cd candidate) bool {
		return !slices.ContainsFunc(asked, func(a candidate) bool { return a.tool == cd.tool })
	})
}

// statesFor reports whether statement c names what a parameter of tool ti is: "it's
// RSV-482913" names nothing else; "the booking is RSV-482913" names a reservation id; "her
// id is 123" names no project's uuid ("id" alone says no more than that it identifies).
func (p *Pattern) statesFor(c clause, ti *toolInfo) bool {
	ws := words(strings.ToLower(maskSlots(c)))
	if itIs(ws) > 0 {
		return true
	}
	k := slices.IndexFunc(ws, func(w string) bool { return w == "is" || w == "are" })
	if k <= 0 {
		return false
	}
	subject := map[string]bool{}
	for _, w := range ws[:k] {
		for _, t := range terms(w) {
			if t != "id" {
				subject[t] = true
			}
		}
	}
	for _, pr := range ti.params {
		for t := range subject {
			if pr.terms[t] {
				return true
			}
		}
	}
	return false
}

// missedClause is a clause that asks for something and got no step of its own.
// subClause is the part of clause c from byte offset at of its text, as a clause of
// its own: the text, its offsets and the slots inside it.
func subClause(c clause, at int) clause {
	lead := len(c.text[at:]) - len(strings.TrimLeft(c.text[at:], " "))
	sc := clause{start: c.start + at + lead, end: c.end, text: strings.TrimSpace(c.text[at:]), asks: true}
	for _, s := range c.slots {
		if s.Start >= sc.start {
			sc.slots = append(sc.slots, s)
		}
	}
	return sc
}

// opensWithWord reports whether text starts with a lowercase word, no value: the verb of
// another thing to do ("paint the fence blue"), not a second set of values ("50 GBP to
// JPY"), which a rewriting may yet plan.
func opensWithWord(text string) bool {
	w := firstWord(strings.TrimSpace(text))
	return len(w) > 1 && strings.ToLower(w) == w && isLetters(w)
}

type missedClause struct {
	c     clause
	cands []candidate
	why   string
	// left is a conjunct the steps of its clause were found not to serve: no step
	// accounts for it.
	left bool
}

// accountsFor reports whether the plan serves a clause that got no step of its own: a
// step was inserted with the tool the clause matches best (the search a details step
// needed), or the clause only adds values to a step planned for another clause ("...
// and return on August 18": the flight search took the date).
func (b *builder) accountsFor(m missedClause) bool {
	if m.left {
		return false
	}
	if m.c.verb != "" {
		// A clause that borrowed its verb asks for that action on its own noun phrase
		// ("and then my calendar for tomorrow", "and then the same to +1 555 010
		// 3000"): no step made for another clause, nor one that took its values, is it.
		return false
	}
	if len(m.cands) > 0 {
		top := m.cands[0].rank
		for _, cd := range m.cands {
			if cd.rank < 0.8*top {
				break
			}
			for _, st := range b.steps {
				// A step inserted for another clause with the tool this one names; or,
				// when this one only lacked values, a step another clause asked for
				// with the same tool ("I'd like a fresh piece of software. Can you
				// install 'example_software'?").
				if st.tool != b.p.tools[cd.tool] {
					continue
				}
				if st.producer {
					return true
				}
				// (Not when the clause names another tool and not the step's: "put in a
				// refill" names prescriptions.request_refill, which lacked a medication,
				// and the prescriptions.list step of "look up the rx number" does not
				// refill. Nor when its verb is not the step's: "and DM him the room name"
				// after a room booking. Nor when it states a value no step took: "and
				// also internet" after paying the water bill is another bill, and "send
				// OF-3312 and whatsapp the candidate ..." sends the offer, which the
				// message does not.)
				if strings.Contains(m.why, " needs ") && !(m.c.ordered && leadVerb(m.c, b.p.isVerb) != "") && b.p.onlyLacked(m, cd.tool) && !namesOther(m.cands, cd, top) &&
					b.p.verbAgrees(m.c, st.tool) == "" && !slices.ContainsFunc(m.c.slots, func(s slot.Slot) bool { return b.leftBy(st, m.c, s) }) {
					// This clause only lacked values, and the step's tool accounts for
					// what it names ("Keep the transaction private": the payment). A
					// clause that names a thing of another tool ("and get the latest
					// news", "then retrieve its SEC filing date") asks for that.
					return true
				}
			}
		}
	}
	if len(m.c.slots) == 0 {
		return false
	}
	if (whWords[strings.ToLower(firstWord(m.c.text))] || asksToSee(m.c)) && !slices.ContainsFunc(b.steps, func(st built) bool {
		return b.p.readOnly(st.tool) && slices.ContainsFunc(m.c.slots, func(s slot.Slot) bool { return usedBySteps(s, []built{st}) })
	}) {
		// "where's DRV-0007, then assign him to RT-101", "show C-1112223's fines then
		// record a $3.00 card payment": a question or a request to see asks for
		// something to be found out, and a step that took its values to act for
		// another clause does not answer it. (One that looks them up does: "what's
		// left in the upper tier for EV-61044? need three seats together".)
		return false
	}
	for _, s := range m.c.slots {
		if !b.uses(s) {
			return false
		}
	}
	// Every value the clause states went into the plan; what is left of it must not ask
	// for something of its own (a verb no step's tool answers to).
	return !b.p.ownAction(m.c, b)
}

// leftBy reports whether step st leaves slot s of clause c out: a value for another of
// its parameters, or a catalogue code or a typed value (droppedKinds) no step takes.
func (b *builder) leftBy(st built, c clause, s slot.Slot) bool {
	return b.otherValue(st, c, s) || !b.uses(s) && (b.p.catalogueCode(s) || droppedKinds[s.Kind] || b.unfilledFits(st, c, s))
}

// unfilledFits reports whether slot s of clause c fits a parameter step st left empty:
// "... and set it to 21 degrees" after a step that switched the heating on and took no
// temperature asks for a value the step does not set.
func (b *builder) unfilledFits(st built, c clause, s slot.Slot) bool {
	if s.Kind != slot.Number {
		return false // (an enum word is often the clause's courtesy: "Celsius, please")
	}
	for pi := range st.tool.params {
		pr := &st.tool.params[pi]
		if _, filled := st.step.Args[pr.Name]; filled || pr.free || pr.whole || !refineKinds(s.Kind, pr.kind) {
			continue
		}
		if slotFits(pr, s, b.request) == "" && b.slotScore(st.tool, pr, s, c, "") > 0 {
			return true
		}
	}
	return false
}

// droppedKinds are the kinds of value a clause states that a step must take for the
// clause to be accounted for by it: "Find me one that's happening on the 9th of march"
// after an event search without a date is not that search.
var droppedKinds = map[slot.Kind]bool{slot.Date: true, slot.Time: true, slot.Money: true, slot.Phone: true, slot.Email: true, slot.URL: true, slot.File: true}

// otherValue reports whether slot s of clause c is a value for a parameter of step st
// that took another one: "internet" after a step that pays the water bill, "across a 6
// ohm resistor" after a step that took 4 ohms.
func (b *builder) otherValue(st built, c clause, s slot.Slot) bool {
	if b.uses(s) {
		return false
	}
	for pi := range st.tool.params {
		pr := &st.tool.params[pi]
		v, ok := st.step.Args[pr.Name]
		if !ok || holdsValue(v, s.Value) {
			continue
		}
		if len(pr.enumRaw) > 0 {
			if inEnum(pr, s.Value) {
				return true
			}
			continue
		}
		if secondKinds[s.Kind] && b.slotScore(st.tool, pr, s, c, "") > 0 {
			return true
		}
	}
	return false
}

// onlyLacked reports whether missed clause m only lacked values that a step with tool i
// gives: its reason names tool i, or tool i's text holds every content word of the
// clause; and no word of the clause that tool i's text lacks names a kind of thing
// another tool works on.
func (p *Pattern) onlyLacked(m missedClause, i int) bool {
	content := p.contentTerms(m.c)
	named := strings.Contains(m.why, p.tools[i].tool.Name+" needs ")
	if !named && (len(content) == 0 || len(p.covered(i, content)) < len(content)) {
		return false
	}
	return p.nothingElse(m.c, i)
}

// nothingElse reports whether every content word of clause c that tool i's text does not
// hold names no kind of thing the catalogue's tools are named after.
func (p *Pattern) nothingElse(c clause, i int) bool {
	content := p.contentTerms(c)
	covered := p.covered(i, content)
	for _, t := range content {
		if !covered[t] && p.things[t] {
			return false
		}
	}
	return true
}

// namesOther reports whether a candidate ranked near top other than cd, or matching the
// clause's own words at least as well, holds words of the clause in its name, and cd
// none: "get a tab going" after seating a party names tabs.open, though the seating's
// words, read as context, rank floor.seatParty first.
func namesOther(cands []candidate, cd candidate, top float64) bool {
	if cd.name > 0 {
		return false
	}
	for _, o := range cands {
		if o.rank < 0.8*top && o.score < cd.score {
			continue
		}
		if o.tool != cd.tool && o.name > 0 {
			return true
		}
	}
	return false
}

// uses reports whether some step's arguments hold slot s's value.
func (b *builder) uses(s slot.Slot) bool {
	for _, st := range b.steps {
		for _, v := range st.step.Args {
			if holdsValue(v, s.Value) {
				return true
			}
		}
	}
	return false
}

func holdsValue(v any, want string) bool {
	switch t := v.(type) {
	case string:
		return t == want || strings.Contains(t, want) && len(want) > 2
	case json.Number:
		return string(t) == want
	case []any:
		for _, x := range t {
			if holdsValue(x, want) {
				return true
			}
		}
	case map[string]any:
		for _, x := range t {
			if holdsValue(x, want) {
				return true
			}
		}
	}
	return false
}

// ownAction reports whether clause c names an action of its own: its first verb is none
// of the planned steps' tools' words ("return on August 18" is the flight's return; "and
// buy me a ticket" is a purchase no step makes).
func (p *Pattern) ownAction(c clause, b *builder) bool {
	for _, w := range words(maskSlots(c)) {
		lw := strings.ToLower(w)
		if !p.isVerb(lw) && !p.isVerb(stem(lw)) || metaWords[lw] {
			continue // "could you provide that in Fahrenheit" asks how, not what
		}
		t := terms(lw)
		if len(t) == 0 {
			continue
		}
		for _, st := range b.steps {
			d := p.ix.docs[p.toolIndex[st.tool]]
			if d.tf[t[0]] > 0 {
				return false
			}
			for _, pr := range st.tool.params {
				if pr.terms[t[0]] {
					return false
				}
			}
		}
		return true
	}
	return false
}

// tellsTime reports whether a tool's text speaks of a time, a date, a day or a clock.
func tellsTime(d *toolDoc) bool {
	return slices.ContainsFunc(timeTerms, func(t string) bool { return d.tf[t] > 0 })
}

// timeTerms are the terms of the words a tool that tells the time uses.
var timeTerms = terms("time date day clock")

// coordinated returns more tools for a clause that coordinates several things ("details,
// reviews and offers for X", "the forecast and the current weather"): for each clause
// word that the best tool's name and description do not cover, the confident candidate
// with that word in its name, preferring tools of the same family (sharing name words
// with the best tool).
func (p *Pattern) coordinated(c clause, cands []candidate, firstTool int) []candidate {
	if len(cands) < 2 || firstTool < 0 || !coordinates(maskSlots(c)) {
		return nil
	}
	first := p.ix.docs[firstTool]
	chosen := map[int]bool{firstTool: true}
	// The items of the list: a coordinated thing is named in an item of its own, in a
	// few words ("details, five reviews, and offers for X"), not somewhere in a
	// sentence that goes on ("..., I want to watch at the West Wind").
	itemOf := map[string]bool{}
	items := listItems(maskSlots(c))
	joined := strings.Contains(asciiLower(c.text), " and ") || strings.Contains(asciiLower(c.text), " as well as ")
	for k, it := range items {
		if k > 0 && k == len(items)-1 {
			// What the last item names comes before what the list is about ("and
			// current weather for Paris for the next 3 days").
			it = itemHead(it)
		}
		ts := uniqueTerms(it)
		n := len(strings.Fields(it))
		if joined {
			// (In a list joined by "and", a value counts for no words: "details of
			// Taylor Swift in Spotify" is as short as "details of her in it".)
			n = len(slices.DeleteFunc(strings.Fields(it), blanked))
		}
		if n > 5 {
			continue
		}
		// The item the first tool serves: its name holds every distinctive word of the
		// item ("the weather forecast"), not only some ("current weather" is another).
		own, named := true, false
		for _, t := range ts {
			switch {
			case first.name[t]:
				named = true
			case p.ix.idf[t] >= 1 && !p.isVerb(t):
				own = false
			}
		}
		if own && named {
			continue
		}
		for _, t := range ts {
			itemOf[t] = true
		}
	}
	var out []candidate
	for _, term := range uniqueTerms(c.text) {
		if first.name[term] || p.ix.idf[term] < 1 || !itemOf[term] {
			continue
		}
		best, bestRank := -1, 0.0
		for k, cand := range cands[1:] {
			d := p.ix.docs[cand.tool]
			if chosen[cand.tool] || !d.name[term] {
				continue
			}
			family := 0
			for t := range d.name {
				if first.name[t] && familyWord(t) && !p.isVerb(t) {
					family++
				}
			}
			if family == 0 {
				continue // coordinated items are served by one family of tools
			}
			if r := cand.rank + float64(family); best < 0 || r > bestRank {
				best, bestRank = k+1, r
			}
		}
		if best > 0 {
			chosen[cands[best].tool] = true
			out = append(out, cands[best])
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

// blanked reports whether word w is a value blanked out by maskSlots.
func blanked(w string) bool { return strings.Trim(w, "x") == "" }

// itemHead returns a list item up to its first preposition: "current weather for
// Paris" names the current weather.
func itemHead(it string) string {
	ws := strings.Fields(it)
	for k, w := range ws {
		if k > 0 && itemPrepositions[w] {
			return strings.Join(ws[:k], " ")
		}
	}
	return it
}

var itemPrepositions = wordSet("for in of near at on about from to with by over during within around")

// listItems splits text at commas, "and", "or" and "as well as".
func listItems(text string) []string {
	r := strings.NewReplacer(" and ", ",", " or ", ",", " as well as ", ",", ";", ",")
	var out []string
	for _, it := range strings.Split(r.Replace(" "+asciiLower(text)+" "), ",") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// coordinates reports whether text joins items with "and", "or" or a comma.
func coordinates(text string) bool {
	l := strings.ToLower(text)
	return strings.Contains(l, " and ") || strings.Contains(l, " or ") || strings.Contains(l, ", ") || strings.Contains(l, " as well as ")
}

// maskSlots returns the clause text with its slots blanked out, so that the comma in
// "December 1st, 2022" does not read as a list.
func maskSlots(c clause) string {
	b := []byte(c.text)
	for _, s := range c.slots {
		for k := s.Start - c.start; k < s.End-c.start && k < len(b); k++ {
			if k >= 0 {
				b[k] = 'x'
			}
		}
	}
	return string(b)
}

// sameFamily reports whether two tools share a name word that is not a verb
// (Restaurants.FindRestaurants and Restaurants.ReserveRestaurant).
func (p *Pattern) sameFamily(a, b int) bool {
	for t := range p.ix.docs[a].name {
		if p.ix.docs[b].name[t] && familyWord(t) && !p.isVerb(t) {
			return true
		}
	}
	return false
}

// familyWord reports whether a name term can tie tools into a family: not a number or a
// version ("Events_3", "Music_3" are not one service) and not a single letter.
func familyWord(t string) bool {
	if len(t) < 2 {
		return false
	}
	for _, r := range t {
		if r < '0' || r > '9' {
			return true
		}
	}
	return false
}

// prevOf returns the text of the clause before c in cs, or "".
func prevOf(cs []clause, c clause) string {
	prev := ""
	for _, x := range cs {
		if x.start == c.start {
			return prev
		}
		prev = x.text
	}
	return ""
}

// typedCandidates adds to cands the tools whose parameters take a value the clause
// states in a form that says what it is for (a phone number, an e-mail address, an
// amount of money, a URL) and whose text holds the clause's main verb or another verb for
// the same action: "send 250 euros to DE89..." may be a transfer although no word of the
// clause is the tool's. They enter at the least rank a match needs; the gate still asks
// the verb to agree and the value to fill a parameter.
func (p *Pattern) typedCandidates(cands []candidate, c clause, q []qterm) []candidate {
	var typed []slot.Slot
	for _, s := range c.slots {
		switch s.Kind {
		case slot.Phone, slot.Email, slot.Money, slot.URL:
			typed = append(typed, s)
		}
	}
	main := ""
	for _, t := range q {
		if t.main {
			main = t.term
		}
	}
	if len(typed) == 0 || main == "" {
		return cands
	}
	have := map[int]bool{}
	for _, cd := range cands {
		have[cd.tool] = true
	}
	for i, ti := range p.tools {
		if have[i] || ti.builtin || !p.doesAction(i, main) {
			continue
		}
		fits := false
		for k := range ti.params {
			for _, s := range typed {
				if slotFits(&ti.params[k], s, c.text) == "" && (ti.params[k].kind != pString || s.Kind != slot.Money) {
					fits = true
				}
			}
		}
		if fits {
			cands = append(cands, candidate{tool: i, score: p.minScore, rank: p.minScore, verb: true})
		}
	}
	return cands
}

// doesAction reports whether tool i's name, verbs or examples hold the verb term, or a
// verb for the same action.
func (p *Pattern) doesAction(i int, verb string) bool {
	d := &p.ix.docs[i]
	if d.acts[verb] {
		return true
	}
	for _, alt := range sameAction[verb] {
		if d.acts[alt] {
			return true
		}
	}
	return false
}

// docSays reports whether word w is written in tool ti's name or description, as
// written: polarity words ("on", "off") are stop words to the index.
func (p *Pattern) docSays(ti *toolInfo, w string) bool {
	for _, x := range words(ti.tool.Name + " " + ti.tool.Description) {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

// opposites pairs the words that turn an action into its reverse.
var opposites = func() map[string]string {
	m := map[string]string{}
	for _, p := range [][2]string{{"on", "off"}, {"enable", "disable"}, {"activate", "deactivate"},
		{"open", "close"}, {"lock", "unlock"}, {"start", "stop"}, {"pause", "resume"},
		{"increase", "decrease"}, {"raise", "lower"}, {"up", "down"}, {"buy", "sell"},
		{"mute", "unmute"}, {"show", "hide"}, {"allow", "deny"}, {"block", "unblock"},
		{"subscribe", "unsubscribe"}, {"follow", "unfollow"}, {"login", "logout"},
		{"upload", "download"}, {"import", "export"}, {"arm", "disarm"}, {"connect", "disconnect"},
		{"install", "uninstall"}, {"add", "remove"}, {"pin", "unpin"}, {"archive", "unarchive"},
		{"current", "forecast"}} {
		m[p[0]], m[p[1]] = p[1], p[0]
	}
	return m
}()

// polarity keeps the polarity a clause states: a tool named for the reverse action
// ("lights.turn_on" for "turn off the lights", "locks.unlock" for "lock the door") is
// dropped, and one named for the clause's own ranks above its twin. The words are read
// as written: "on" and "off" are stop words to the index.
// objectWeight scales the rank of a tool whose name holds the noun the clause's verb
// acts on.
const objectWeight = 2

// objectNamed raises the tools whose name holds the object of the clause's first verb
// ("log an expense": record_expense, whose name says what is logged, over log_call,
// whose name says only how).
func (p *Pattern) objectNamed(cands []candidate, c clause) {
	obj := p.objectOf(c.text)
	if obj == "" || len(cands) < 2 {
		return
	}
	// Only against a tool ranked first by the verb alone: its name holds the verb and
	// not the object.
	top := 0
	for i := range cands {
		if cands[i].rank > cands[top].rank {
			top = i
		}
	}
	if d := &p.ix.docs[cands[top].tool]; !cands[top].verb || d.name[obj] {
		return
	}
	for i := range cands {
		if p.ix.docs[cands[i].tool].name[obj] {
			cands[i].rank *= objectWeight
		}
	}
}

// objectOf returns the term of the head of the noun phrase right after the first verb
// of text, its last word before a preposition or another verb ("log an expense of 300"
// -> expense, "find a music event in New York" -> event), or "".
func (p *Pattern) objectOf(text string) string {
	ws := strings.Fields(text)
	for i, w := range ws {
		if !p.isVerb(strings.ToLower(strings.Trim(w, ",.;:!?'\"()"))) {
			continue
		}
		head, determined := "", false
		for _, o := range ws[i+1:] {
			lo := strings.ToLower(strings.Trim(o, ",.;:!?'\"()"))
			if head == "" && (determiners[lo] || objectSkip[lo]) {
				determined = determined || determiners[lo]
				continue
			}
			// ("find the email from ...": after a determiner, a word that can be a
			// verb is the noun.)
			if lo == "" || stopWords[lo] || prepositions[lo] || p.isVerb(lo) && !(head == "" && determined) || !isWordLike(lo) {
				break
			}
			ts := terms(lo)
			if len(ts) != 1 {
				return ""
			}
			head = ts[0]
			if strings.ContainsAny(o, ",.;:!?") {
				break
			}
		}
		return head
	}
	return ""
}

// isWordLike reports whether w is made of letters only (no number, code or address).
func isWordLike(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return false
		}
	}
	return w != ""
}

func (p *Pattern) polarity(cands []candidate, c clause) []candidate {
	said := map[string]bool{}
	for _, w := range words(maskSlots(c)) {
		said[strings.ToLower(w)] = true
	}
	if said["on"] && !onSaidBut(c) {
		// "request leave on Mar 1": "on" a day is no polarity (leave.request_time_off
		// was dropped for it).
		delete(said, "on")
	}
	// twinKey is a name without its polarity words: "lights.turn_on" and
	// "lights.turn_off" are twins, "buy_insurance" and "sell_item_online" are not.
	twinKey := func(name string) string {
		var ws []string
		for _, w := range words(name) {
			if _, ok := opposites[strings.ToLower(w)]; !ok {
				ws = append(ws, strings.ToLower(w))
			}
		}
		return strings.Join(ws, " ")
	}
	keys := map[string]int{}
	for _, cd := range cands {
		keys[twinKey(p.tools[cd.tool].tool.Name)]++
	}
	out := cands[:0]
	for _, cd := range cands {
		keep, same := true, false
		for _, w := range words(p.tools[cd.tool].tool.Name) {
			lw := strings.ToLower(w)
			opp, ok := opposites[lw]
			if !ok {
				continue
			}
			if said[opp] && !said[lw] && !p.docSays(p.tools[cd.tool], opp) {
				keep = false // (a tool that says it does both, "Lock or unlock a door", stays)
			}
			if said[lw] && keys[twinKey(p.tools[cd.tool].tool.Name)] > 1 {
				same = true // its twin for the reverse action is a candidate too
			}
		}
		if !keep {
			continue
		}
		if same {
			cd.rank *= 1.2
		}
		out = append(out, cd)
	}
	return out
}
