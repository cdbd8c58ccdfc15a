package pattern

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/planwise/planwise/internal/lexicon"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// maxProducerDepth bounds the chain of producer steps inserted to fill one argument.
const maxProducerDepth = 2

// builder assembles the plan for one request.
type builder struct {
	p       *Pattern
	request string
	// goal is the request as written, before its acronyms were written out.
	goal    string
	all     []slot.Slot
	clauses []clause // the request's clauses, in order
	steps   []built
	// lastOfClause is the id of the last step of the previous planned clause.
	lastOfClause string
	// reused is the step a clause's call was found to repeat or add arguments to,
	// set by addClause when it makes no step of its own (nil otherwise). It points into
	// steps: read it before a step is added.
	reused *built
	notes  []string
	// evidence describes each clause's step, in plan order.
	evidence []evidence
	// context are the content terms of the clause before the one being planned: they
	// tell apart tools the clause's own words do not ("a movie called 'Inception', could
	// you help me watch it?").
	context []string
}

type built struct {
	step plan.Step
	tool *toolInfo
	role string // the role a producer step was inserted for ("origin"), or ""
	// producer is true for a step inserted to produce another step's argument, not
	// asked for by a clause of its own.
	producer bool
	// defaults are the arguments given the schema's default, not a value the request
	// states: a later clause describing the same call may state them.
	defaults map[string]bool
}

func (b *builder) nextID() string { return "s" + strconv.Itoa(len(b.steps)+1) }

// Confidence of a clause's tool choice (calibrated on the development sets; see
// docs/decisions.md "Right or refused").
const (
	// optionBand: candidates ranked within this share of the best are weighed.
	optionBand = 0.6
	// minNouns is the least IDF mass of the clause's non-verb words the chosen tool's
	// name, description or examples must hold, unless its verb matches and a typed value
	// of the clause fills one of its parameters.
	minNouns   = 1.0
	maxOptions = 8
	// verbWeight favours the option whose verb is the clause's main verb.
	verbWeight = 1.1
	// coverWeight favours the option whose text accounts for more of the clause.
	coverWeight = 0.3
)

// deferredTwin reports whether tool later, which fits clause c better than now but
// cannot be given its arguments (why), is now's deferred twin: what it lacks is only
// when (schedule_sms's send_at), later is made to act later (its name or description
// says schedule or later), the clause gives no date or time at all, and the two tools act
// on the same thing (send_sms: both name the sms). A request that says no when asks for
// now.
func (p *Pattern) deferredTwin(later, now *toolInfo, why string, c clause) bool {
	// (Only the instruction says when: "text +1 416 555 0199 that I'm running 10 min
	// late" dictates the 10 minutes, it does not send in 10 minutes.)
	instr := instructionPart(c.text)
	if k := strings.Index(asciiLower(instr), " that "); k > 0 && channelVerb(c.text) {
		instr = instr[:k] // "text +1 ... that I'm running 10 min late": what follows is said
	}
	for _, s := range c.slots {
		if (s.Kind == slot.Date || s.Kind == slot.Time || s.Kind == kindDuration) && s.Start-c.start < len(instr) {
			return false
		}
	}
	for _, w := range strings.Fields(asciiLower(instr)) {
		if w == "later" || w == "minutes" || w == "hours" || w == "schedule" || w == "scheduled" {
			return false // "text her in 10 minutes", "schedule a text"
		}
	}
	if !p.scheduledTwin(later, now) {
		return false
	}
	for _, pr := range later.params {
		if pr.Required && (pr.kind == pInstant || pr.kind == pDate || pr.kind == pTime) &&
			why == fmt.Sprintf("%s needs %q, which the request does not give", later.tool.Name, pr.Name) {
			return true
		}
	}
	return false
}

// nowReading reports whether option best, of tool now, is the reading of clause c that
// option o, of tool later, cannot be given only for want of a day or a time the clause
// does not give, when now says it works on the present ("Current weather conditions
// ... right now") and the clause names nothing of later's that now's text lacks: "what's
// the weather in Paris" is today's weather, not a forecast for a day not given ("the
// weather forecast for Paris" names the forecast).
func (p *Pattern) nowReading(c clause, best, o option, now, later *toolInfo) bool {
	if !sameSet(best.covers, o.covers) && !dominates(best.covers, o.covers) {
		return false
	}
	for _, s := range c.slots {
		if s.Kind == slot.Date || s.Kind == slot.Time || s.Kind == kindDuration || s.Kind == slot.Number {
			return false // (a number may be the day, written as no date is: "2023 .10.01")
		}
	}
	present := false
	for _, w := range words(now.tool.Description) {
		switch strings.ToLower(w) {
		case "current", "currently", "now", "live", "present":
			present = true
		}
	}
	if !present {
		return false
	}
	for _, pr := range later.params {
		if pr.Required && (pr.kind == pInstant || pr.kind == pDate || pr.kind == pTime) &&
			o.why == fmt.Sprintf("%s needs %q, which the request does not give", later.tool.Name, pr.Name) {
			return true
		}
	}
	return false
}

// scheduledTwin reports whether tool later is made to act later (its name or
// description says schedule or later) on the thing tool now acts on (schedule_sms,
// send_sms).
func (p *Pattern) scheduledTwin(later, now *toolInfo) bool {
	if later == now {
		return false
	}
	deferred := false
	for _, w := range words(later.tool.Name + " " + later.tool.Description) {
		switch strings.ToLower(w) {
		case "schedule", "schedules", "scheduled", "later", "delayed", "deferred":
			deferred = true // a tool made to act later, not one that reads a date
		}
	}
	if !deferred {
		return false
	}
	for t := range later.terms {
		if now.terms[t] && !p.isVerb(t) && !stopWords[t] {
			return true
		}
	}
	return false
}

// usesWhenUnused reports whether option l passes on a date or time of clause c that
// option n leaves unused.
func usesWhenUnused(c clause, l, n option) bool {
	for _, s := range c.slots {
		if (s.Kind == slot.Date || s.Kind == slot.Time) && optionUses(l, s) && !optionUses(n, s) {
			return true
		}
	}
	return false
}

// valueOnly reports whether clause c is a value and nothing else: numbers and the words
// of their units, no verb and no other word ("3 degree", "20 percent").
func valueOnly(c clause, isVerb func(string) bool) bool {
	if !hasKind(c.slots, slot.Number) {
		return false
	}
	ws := strings.Fields(asciiLower(maskSlots(c)))
	if len(ws) > 3 {
		return false
	}
	for _, w := range ws {
		w = strings.Trim(w, ",.!?")
		if blanked(w) {
			continue // a masked slot
		}
		if u := strings.TrimSuffix(w, "s"); isVerb(w) || baseVerbs[w] || !unitNames[w] && unitCodes[w] == "" && unitCodes[u] == "" && !valueUnits[u] {
			return false
		}
	}
	return true
}

// valueUnits are more words a value is written with.
var valueUnits = wordSet("degree percent minute hour day second week month year time")

// danglingParam returns the parameter of ti that clause c ends on, after "of", "with" or
// "for", without giving it a value ("list the server of type"), or "".
func danglingParam(ti *toolInfo, c clause, args map[string]any) string {
	ws := strings.Fields(asciiLower(strings.TrimRight(strings.TrimSpace(c.text), ".?!")))
	if len(ws) < 3 {
		return ""
	}
	last, before := ws[len(ws)-1], ws[len(ws)-2]
	if before != "of" && before != "with" && before != "for" {
		return ""
	}
	for _, pr := range ti.params {
		if _, given := args[pr.Name]; !given && pr.norm == last {
			return pr.Name
		}
	}
	return ""
}

// unusedWork returns the work clause c names before "by <creator>" ("play me cha cha
// cha by käärijä": cha cha cha), the creator as an argument holds it and that
// argument's parameter, when the arguments take the creator but not the work and tool
// ti's text does not name it; else three empty strings.
func (p *Pattern) unusedWork(ti *toolInfo, c clause, args map[string]any) (work, creator, param string) {
	lower := asciiLower(c.text)
	k := strings.LastIndex(lower, " by ")
	if k < 0 {
		return "", "", ""
	}
	creator = strings.TrimSpace(c.text[k+4:])
	var values []string
	for _, pr := range ti.params { // in the tool's order: one request, one plan
		v, ok := args[pr.Name]
		if !ok {
			continue
		}
		plan.WalkStrings(v, func(s string) {
			values = append(values, strings.ToLower(s))
			if s != "" && param == "" && strings.HasPrefix(strings.ToLower(creator), strings.ToLower(s)) {
				param, creator = pr.Name, s
			}
		})
	}
	if param == "" {
		return "", "", ""
	}
	ws := strings.Fields(c.text[:k])
	verb := -1
	for i, w := range ws {
		if p.isVerb(strings.ToLower(strings.Trim(w, ",.!?"))) {
			verb = i
			break
		}
	}
	if verb < 0 {
		return "", "", ""
	}
	var ws2 []string
	for _, w := range ws[verb+1:] {
		lw := strings.ToLower(strings.Trim(w, ",.!?'\""))
		if len(ws2) == 0 && (objectSkip[lw] || lw == "to" || lw == "on") {
			continue // "play me", "listen to", "put on"
		}
		ws2 = append(ws2, w)
	}
	if len(ws2) == 0 || len(ws2) > 6 {
		return "", "", ""
	}
	for _, w := range ws2 {
		lw := strings.ToLower(strings.Trim(w, ",.!?'\""))
		if stopWords[lw] || p.docHas(ti, lw) || lw == "something" || lw == "anything" || lw == "stuff" || lw == "everything" {
			return "", "", "" // "find books by Stephen King": the tool's own thing
		}
		for _, v := range values {
			if containsWordFold(v, lw) {
				return "", "", ""
			}
		}
	}
	return strings.Join(ws2, " "), creator, param
}

// dictatesMessage reports whether clause c opens with a verb that sends or writes down
// a message and gives the message after a cue ("text +1 555 ...: running late", "email
// bob@example.com and tell him ...", "... that standup is cancelled", "... saying ...").
func dictatesMessage(c clause) bool {
	ws := strings.Fields(asciiLower(maskSlots(c)))
	opens := false
	for i := 0; i < len(ws) && i < 3; i++ {
		opens = opens || dictateVerbs[strings.Trim(ws[i], ",.:;!?")]
	}
	if !opens {
		return false
	}
	lower := asciiLower(c.text)
	for _, cue := range dictationCues {
		if strings.Contains(lower, cue) {
			return true
		}
	}
	return false
}

// takesWhole reports whether tool ti has a message-like (whole) parameter that src
// says was filled from the clause's words.
func takesWhole(ti *toolInfo, src map[string]argSrc) bool {
	for _, pr := range ti.params {
		if pr.whole {
			if a, ok := src[pr.Name]; ok && a.how == srcPhrase {
				return true
			}
		}
	}
	return false
}

// subsumes reports whether option o calls tool t as a producer step.
func subsumes(o option, t *toolInfo) bool {
	for _, st := range o.steps {
		if st.tool == t {
			return true
		}
	}
	return false
}

// option is one candidate tool for a clause with the arguments it would take.
type option struct {
	k     int // index into the clause's candidates
	args  map[string]any
	src   map[string]argSrc
	steps []built // producer steps inserted for it
	why   string  // why it cannot be served, or ""
	score float64 // the candidate's rank, weighed by how well the arguments fit
	// covers are the clause's words the tool's text holds, context those of the clause
	// before it.
	covers, context map[string]bool
}

// addClause plans one clause with the tool that best fits it: every candidate ranked
// near the best is filled, and its rank weighed by how much of the clause its arguments
// take. The best option is served only when it can be (its required arguments are
// grounded), when no other tool fits almost as well (a margin, not just a score), and
// when the clause names what the tool works on. It returns why the clause cannot be
// planned, or "".
func (b *builder) addClause(c clause, cands []candidate) string {
	b.reused = nil
	top := cands[0].rank
	mark := len(b.steps)
	content := b.p.contentTerms(c)
	var opts []option
	verbSeen, extra := false, false
	for k, cand := range cands {
		if cand.rank < optionBand*top || len(opts) == maxOptions {
			// "move CD-104882 to onsite": when no reading in the band is of a tool
			// named for the clause's verb, the first one below it that is (down to
			// half the best rank) is a reading too.
			if verbSeen || extra || cand.rank < 0.5*top {
				break
			}
			if !cand.verb {
				continue
			}
			extra = true
		}
		verbSeen = verbSeen || cand.verb
		ti := b.p.tools[cand.tool]
		args, src, ok, reason := b.fill(ti, c, "", 0)
		if ok {
			// Every value must be grounded and plausible for its parameter.
			if kept, why := b.judge(ti, c, args, src); why != "" {
				ok, reason = false, why
			} else {
				args = kept
			}
		}
		o := option{k: k, score: cand.rank, covers: b.p.covered(cand.tool, content), context: b.p.covered(cand.tool, b.context)}
		if len(content) > 0 {
			// The share of the clause's words the tool's text accounts for.
			o.score *= 1 + coverWeight*float64(len(o.covers))/float64(len(content))
		}
		if cand.verb {
			o.score *= verbWeight // "book a flight": the tool that books, not the one that searches
		}
		if ok {
			o.args, o.src = args, src
			o.steps = append([]built(nil), b.steps[mark:]...)
			o.score *= b.fit(c, src)
		} else {
			o.why = reason
		}
		b.steps = b.steps[:mark] // producers are re-added for the option chosen
		opts = append(opts, o)
	}
	// A built-in matched by words alone that cannot be filled speaks for no reading of
	// the clause ("send 250 euros to ..." is no HTTP request).
	kept := opts[:0]
	for _, o := range opts {
		if ot := b.p.tools[cands[o.k].tool]; o.why == "" || !ot.builtin || b.p.builtinSignal(ot, c) {
			kept = append(kept, o)
		}
	}
	if len(kept) == 0 {
		return fmt.Sprintf("no tool matches %q", c.text)
	}
	opts = kept
	if asksToSee(c) {
		// "list my calendar events for tomorrow" asks to see: a tool that acts (cancels
		// an event) is no reading of it, filled or not.
		seeing := opts[:0:0]
		for _, o := range opts {
			if ot := b.p.tools[cands[o.k].tool]; ot.builtin || b.p.readOnly(ot) || checksOut(c, ot) {
				seeing = append(seeing, o)
			}
		}
		if len(seeing) == 0 {
			return fmt.Sprintf("%q asks to see something, and %s acts", c.text, b.p.tools[cands[opts[0].k].tool].tool.Name)
		}
		opts = seeing
	}
	// "text +1 555 010 2020 that I'm late" gives no time: the tool that sends later
	// (schedule_sms, lacking its send_at) is no reading when its twin that sends now is.
	// And "text +1 555 010 2020 tomorrow at 9am that ..." is for the tool that sends
	// later: its twin that sends now would drop the time.
	opts = pruneOptions(opts, func(o option, opts []option) bool {
		return o.why != "" && slices.ContainsFunc(opts, func(n option) bool {
			return n.why == "" && b.p.deferredTwin(b.p.tools[cands[o.k].tool], b.p.tools[cands[n.k].tool], o.why, c)
		}) || o.why == "" && slices.ContainsFunc(opts, func(l option) bool {
			return l.why == "" && b.p.scheduledTwin(b.p.tools[cands[l.k].tool], b.p.tools[cands[o.k].tool]) && usesWhenUnused(c, l, o)
		})
	})
	// "send twenty dollars to +1 555 010 5151": a tool with no parameter for an amount
	// (a date, a number) of the clause is no reading of it when a reading about as
	// good takes that value with every other (send_money, not send_sms).
	opts = pruneOptions(opts, func(o option, opts []option) bool {
		return o.why != "" && !strings.HasSuffix(o.why, outsideMark) && slices.ContainsFunc(opts, func(n option) bool {
			return n.why == "" && n.score >= b.p.cfg.margin*o.score && dropsValue(c, n, b.p.tools[cands[n.k].tool], b.p.tools[cands[o.k].tool])
		})
	})
	// "list my todos and email them to me at kim@...": the reading that passes on what
	// the clause refers to (send_email with the todos) is the clause's; one that ignores
	// it (a mailbox search from kim@...) is not.
	if (c.refers || definiteObject(c)) && len(b.steps) > 0 && slices.ContainsFunc(opts, func(o option) bool { return o.why == "" && hasRef(o.src) }) {
		opts = slices.DeleteFunc(opts, func(o option) bool { return o.why == "" && !hasRef(o.src) })
	}
	// A reading that leaves a value of the clause unused (a channel, a phone number, an
	// amount) is no reading when another uses every one: "slack #finance: invoices are
	// out" posts to #finance, it sets no status.
	if slices.ContainsFunc(opts, func(o option) bool { _, left := unusedValue(c, o); return o.why == "" && !left }) {
		opts = slices.DeleteFunc(opts, func(o option) bool { _, left := unusedValue(c, o); return o.why == "" && left })
	}
	// A code of the catalogue's ("HD-0193" for a ticket's id) counts as such a value:
	// "can you check if HD-0193 has been fixed" asks about the ticket, not the VPN.
	if slices.ContainsFunc(opts, func(o option) bool { return o.why == "" && !b.unusedCode(c, o) }) {
		opts = slices.DeleteFunc(opts, func(o option) bool { return o.why == "" && b.unusedCode(c, o) })
	}
	// An enum value of the clause that a reading leaves unused, and its tool is not
	// about, while another reading takes it: "request rate on the api-gateway" asks for
	// the metric, not for a health snapshot that reports the error rate.
	opts = pruneOptions(opts, func(o option, opts []option) bool {
		s, left := b.unusedEnumValue(c, o, b.p.tools[cands[o.k].tool])
		return o.why == "" && left && slices.ContainsFunc(opts, func(n option) bool { return n.why == "" && optionUses(n, s) })
	})
	// "restart payments in prod": a tool whose description says it does not do what the
	// clause's verb asks ("It does not restart the current version (use
	// services.restart for that)") is no reading of it when another tool is named for
	// that verb, whatever words of the clause its description shares.
	verb := b.p.mainVerbTerm(c)
	if denied := slices.DeleteFunc(slices.Clone(opts), func(o option) bool {
		return slices.ContainsFunc(opts, func(n option) bool {
			return b.p.deniesVerb(verb, b.p.tools[cands[o.k].tool], b.p.tools[cands[n.k].tool])
		})
	}); len(denied) > 0 {
		opts = denied
	}
	sort.SliceStable(opts, func(i, j int) bool { return opts[i].score > opts[j].score })
	ch := channelTerm(c.text)
	if ch != "" && len(opts) > 1 && !b.p.ix.docs[cands[opts[0].k].tool].name[ch] {
		// "whatsapp +44 7700 900 311 that the samples arrived": the channel the verb
		// names is the tool's named for it, however the words of the rest rank (and
		// whether or not the rest can be given their arguments).
		if k := slices.IndexFunc(opts, func(o option) bool { return o.why == "" && b.p.ix.docs[cands[o.k].tool].name[ch] }); k > 0 {
			opts[0], opts[k] = opts[k], opts[0]
		}
	}
	if k := b.userOperation(c, opts, cands); k > 0 {
		// "compute 443 * 349" with CalcProduct in the catalog: the built-in calculator
		// yields to the user's tool made for that operation.
		opts[0], opts[k] = opts[k], opts[0]
	} else if len(opts) > 1 && opts[0].why == "" && opts[1].why == "" && opts[1].score >= b.p.cfg.margin*opts[0].score && usesMoreValues(c, opts[1], opts[0], b.p.tools[cands[opts[0].k].tool]) {
		// "will it snow in Denver on Saturday": the forecast takes the day, the
		// current weather would drop it. Of two close readings, the one that takes
		// every typed value the other takes and more is the clause's.
		opts[0], opts[1] = opts[1], opts[0]
	} else if len(opts) > 1 && opts[0].why == "" && !takesClauseValue(opts[0]) && !b.p.tools[cands[opts[0].k].tool].builtin {
		// "any gigs in manchester next week?": a reading that takes nothing the clause
		// says (every task of mine) is not the clause's when another takes its place
		// and its days (the events search).
		if k := slices.IndexFunc(opts[1:], func(o option) bool { return o.why == "" && takesClauseValue(o) }); k >= 0 {
			return fmt.Sprintf("%q fits %s, which takes nothing it says, and %s", c.text, b.p.tools[cands[opts[0].k].tool].tool.Name, b.p.tools[cands[opts[k+1].k].tool].tool.Name)
		}
	}
	best := opts[0]
	ti := b.p.tools[cands[best.k].tool]
	if best.why != "" {
		if cands[best.k].nouns < b.p.minNouns {
			// "make me a sandwich" -> make_video_call, matched by "make" alone: what
			// the request lacks is a tool, not a phone number.
			return fmt.Sprintf("no tool matches %q (the nearest: %s)", c.text, best.why)
		}
		return best.why
	}
	for _, o := range opts[1:] {
		ot := b.p.tools[cands[o.k].tool]
		if ot.builtin && !b.p.builtinSignal(ot, c) {
			continue // a built-in matched by words alone speaks for no reading of the clause
		}
		if ch != "" && b.p.ix.docs[cands[best.k].tool].name[ch] && !b.p.ix.docs[cands[o.k].tool].name[ch] {
			// "text Owen on 07700 900 311 that the samples are in the post": the verb
			// names the channel, send_sms's; a chat post matched by "post" is not it.
			continue
		}
		if o.why != "" && cands[o.k].rank > cands[best.k].rank && !b.p.nowReading(c, best, o, ti, ot) && (strings.HasSuffix(o.why, outsideMark) || !dropsValue(c, best, ti, ot)) && !takesOwnCode(c, best, ti, ot) {
			// The tool the clause names best cannot be given its arguments: another
			// tool that can is not what was asked ("email the team that ..." with no
			// subject is no mailbox search; "book a table for four" with no restaurant
			// is no restaurant search).
			return o.why
		}
	}
	if ti.builtin {
		for _, cd := range cands[:best.k] {
			if ut := b.p.tools[cd.tool]; !ut.builtin && cd.rank > cands[best.k].rank {
				// "show me today's date using the echo %date% command": the user's
				// tool that runs commands fits the clause better than the built-in
				// clock; that it cannot be used is no reason to answer otherwise.
				return fmt.Sprintf("%q fits %s better than the built-in %s", c.text, ut.tool.Name, ti.tool.Name)
			}
		}
	}
	if len(best.covers) == 0 && len(best.src) == 1 && !ti.builtin {
		for _, a := range best.src {
			if a.how == srcSlot && a.slot.Kind == slot.Name && containsWordFold(ti.tool.Description, a.slot.Text) {
				// "do you know Daniel?" -> get_spouse_name{spouse_of: Daniel}, whose
				// description names Daniel: a tool matched by the one name it is given,
				// and by no other word of the clause, is not what the clause asks.
				return fmt.Sprintf("no word of %q but the name %s says what %s does", c.text, a.slot.Text, ti.tool.Name)
			}
		}
	}
	if b.p.idLookup(ti) && !asksForID(c) {
		// "Help find a housekeeper who provides ironing services" -> get_service_id:
		// a tool that looks up an identifier is a step towards what the clause asks,
		// not what it asks.
		return fmt.Sprintf("%q asks for more than the identifier %s looks up", c.text, ti.tool.Name)
	}
	if alt, why := b.beyondLookup(c, opts, cands, content); why != "" {
		return why
	} else if alt > 0 {
		best = opts[alt]
		ti = b.p.tools[cands[best.k].tool]
	}
	if why := b.p.verbAgrees(c, ti); why != "" && !saysEnumValue(c, ti, best) {
		// ("close INC0044321" sets the ticket's status to closed: the tool does what
		// the verb asks, though its description never says "close".)
		return why
	}
	if n := numberAsVerb(c); n != "" && !ti.builtin && !containsWordFold(ti.tool.Description, n) {
		// "86 the salmon tartare" over a stock check: a number in the verb's place is
		// slang for an action, and only a tool that says it does it is asked for.
		return fmt.Sprintf("%q asks to %s, which %s does not say it does", c.text, n, ti.tool.Name)
	}
	if v := b.p.mainVerbTerm(c); v != "" && !ti.builtin && selfDenies(ti, v) {
		// "send Mochi's vaccine records to me" over a record that says "Read-only: it
		// sends nothing": the reading would show the record and send nothing.
		return fmt.Sprintf("%q asks to %s, which %s says it does not do", c.text, v, ti.tool.Name)
	}
	if m := adviceAsked.FindString(c.text); m != "" && !courtesyAsk.MatchString(c.text[len(m):]) && !b.p.advises(ti) {
		// "is it a good time to fix my home loan rate?" over the loan's summary: the
		// clause asks for a judgement, which a lookup does not give.
		return fmt.Sprintf("%q asks for advice (%s), which %s does not give", c.text, strings.ToLower(m), ti.tool.Name)
	}
	if !ti.builtin && !b.p.readOnly(ti) && changesFields(ti) && setsNothing(ti, best.args) {
		// "restrict Leo's phone so he can't buy apps" -> controls.setLimits{line: Leo}:
		// the step would say which line and change none of its settings.
		return fmt.Sprintf("%q gives %s nothing to change", c.text, ti.tool.Name)
	}
	if asksToSee(c) && !ti.builtin && !b.p.readOnly(ti) && !checksOut(c, ti) {
		// "show me flights from Boston to Denver" asks to see flights: a tool that
		// books one does something the user did not ask for.
		return fmt.Sprintf("%q asks to see something, and %s acts", c.text, ti.tool.Name)
	}

	for _, o := range opts[1:] {
		if o.score < b.p.cfg.margin*best.score || b.p.cfg.margin >= 1 {
			break
		}
		other := b.p.tools[cands[o.k].tool]
		if other.builtin && !ti.builtin && !b.p.builtinSignal(other, c) || other.builtin && !ti.builtin && b.p.doesArithmetic(ti) && b.p.doesArithmetic(other) {
			continue // a built-in yields to the user's tool that does the same
		}
		if b.p.operationMissed(c, other) != "" {
			continue // "what is 3 + 4": a mean is no reading of a sum
		}
		if ch != "" && b.p.ix.docs[cands[best.k].tool].name[ch] && !b.p.ix.docs[cands[o.k].tool].name[ch] {
			continue // "text +1 416 555 0199 that ...": the channel the verb names is send_sms's
		}
		if o.why != "" && cands[o.k].name > 0 && cands[best.k].name == 0 && !other.builtin && !takesClauseValue(best) {
			// "put in a refill" -> prescriptions.list{}, whose description speaks of
			// refills: the clause's words name prescriptions.request_refill, which the
			// request does not give its arguments, and the list takes nothing of the
			// clause. ("add buy milk to my shopping list" gives create_todo its title.)
			return o.why
		}
		if o.why != "" || subsumes(best, other) || subsumes(o, ti) || dominates(best.covers, o.covers) || sameName(ti, other) || usesMoreValues(c, best, o, other) ||
			sameSet(best.covers, o.covers) && dominates(best.context, o.context) {
			// A reading the request does not give the arguments for is less likely
			// than one it does; and a search a booking needs is part of the booking,
			// not another reading of the clause.
			continue
		}
		if b.p.sameFamily(cands[best.k].tool, cands[o.k].tool) && b.p.verbAgrees(c, other) != "" {
			continue // "join the online meeting": organizing one is no reading of it
		}
		if asksToSee(c) && b.p.readOnly(ti) && !b.p.readOnly(other) && !other.builtin {
			continue // "show C-1112223's fines": seeing them, not waiving them
		}
		if dictatesMessage(c) && takesWhole(ti, best.src) && !takesWhole(other, o.src) {
			// "email jordan@example.com and tell him the contract is signed": the
			// clause dictates a message, and only the tool that sends one takes it.
			continue
		}
		if b.p.sameFamily(cands[best.k].tool, cands[o.k].tool) && b.p.eachItem(c, best.covers, o.covers) {
			// "the weather forecast and current weather": two things asked for, one
			// tool each (coordinated adds the other), not two readings of one.
			continue
		}
		return fmt.Sprintf("%q fits %s and %s about equally", c.text, ti.tool.Name, other.tool.Name)
	}
	if s, ok := unusedShift(c, best, b.p.readOnly(ti)); ok && !ti.builtin {
		// "Unlock the front door in 10 minutes": a step that runs now does not do what
		// the clause asks for later.
		return fmt.Sprintf("%q asks for it %s, which %s cannot wait for", c.text, whenPhrase(c, s), ti.tool.Name)
	}
	if s, ok := unusedWhen(c, best); ok && !ti.builtin && !b.p.readOnly(ti) && !takesKind(ti, slot.Date) && !takesKind(ti, slot.Time) {
		// "send $40 to jamie@example.com on Friday": a tool that acts and takes no
		// date or time would act now. (One that takes a time sets when: an alarm
		// "for 7:30 tomorrow" rings at the next 7:30.)
		return fmt.Sprintf("%q asks for it %s, which %s cannot wait for", c.text, whenPhrase(c, s), ti.tool.Name)
	}
	if m := exclusion.FindString(c.text); m != "" && !ti.builtin && !slices.ContainsFunc(ti.params, func(pr paramInfo) bool {
		return pr.nameTerms["exclude"] || pr.nameTerms["except"] || pr.nameTerms["exclusion"] || pr.nameTerms["skip"]
	}) {
		// "turn off all the lights except the kitchen" -> lights.turn_off{}: the
		// step would do it to what the clause leaves out too.
		return fmt.Sprintf("%q leaves something out (%s), which %s has no way to", c.text, strings.TrimSpace(m), ti.tool.Name)
	}
	if w, what := deniedThing(ti, c); w != "" {
		// "appointments with a chiropractor" over a search whose description says
		// "The clinic has no dental, chiropractic or veterinary services".
		return fmt.Sprintf("%q names %s, which %s's description rules out (%q)", c.text, w, ti.tool.Name, what)
	}
	if ph := periodPhrase.FindString(c.text); ph != "" && !ti.builtin && takesKind(ti, slot.Date) && !datedBy(c, best) && !hasHow(best.src, srcPeriod) {
		// "any author signings next week?" over events between two dates: the step
		// would list every event, not next week's.
		return fmt.Sprintf("%q asks about %s, and %s would be given no date", c.text, ph, ti.tool.Name)
	}
	if ph, ok := unusedMonthYear(c, best); ok && !ti.builtin {
		// "What is the host count for February 2022?" -> hosts.count{}: the step would
		// count today's hosts, not February's.
		return fmt.Sprintf("%q asks about %s, which %s does not take", c.text, ph, ti.tool.Name)
	}
	if m := owedToUser.FindString(c.text); m != "" && !ti.builtin && !b.p.readOnly(ti) && leadVerb(c, b.p.isVerb) == "" && amountSent(ti, c, best.args, best.src) && !mentionsRequestForMoney(ti) {
		// "bob@example.com owes me 40 dollars" -> send_money{bob, 40}: the money comes
		// to the user; a step that sends it goes the other way. ("send 40 dollars to
		// bob@example.com, he paid me for dinner" says to send, whatever came before.)
		return fmt.Sprintf("%q says money comes to you (%s), and %s sends it", c.text, strings.ToLower(m), ti.tool.Name)
	}
	if pr := namedUnsaid(ti, c, best); pr != nil && !ti.builtin && !b.p.readOnly(ti) {
		// "room 305 wants a late checkout" -> guests.checkout{room: 305}: the step
		// would check the guest out now; the clause asks for a late one and says not
		// when.
		return fmt.Sprintf("%q asks for the %s and does not say it", c.text, paramWhat(pr))
	}
	if w, seek := b.p.verbObject(c); w != "" && !ti.builtin && !b.p.docHas(ti, w) && !argsMention(best.args, w) && (seek || onlyTyped(best.src)) {
		// "Help find a restaurant to open on 19/03/2024 at 12.00" ->
		// get_service_providers{end_available_date}: what the clause asks to find is
		// not what the tool finds, and the step takes only a date. (One given a
		// name or a place may find it there: "find a housekeeper in Chiang Mai".)
		// "I'm looking for a dentist in Orinda, just a regular type" ->
		// Movies_1_FindMovies{location, show_type}: a thing the user says they seek
		// is what the tool must find, whatever else the step is given.
		return fmt.Sprintf("%q asks for a %s, which %s says nothing of", c.text, w, ti.tool.Name)
	}
	if c.refers && len(b.steps) > 0 && !hasRef(best.src) && !hasHow(best.src, srcRequest) && !ti.builtin && !b.p.readOnly(ti) && pronounObject(c, b.p.isVerb) &&
		slices.ContainsFunc(ti.params, func(pr paramInfo) bool {
			return pr.kind == pString && best.args[pr.Name] == nil && (pr.omitAll || pr.omitClears)
		}) {
		// "fill 6 kegs from B-0412 and put it on tap 2" -> taplist.update{tap: 2},
		// which empties the tap: what "it" is, the step before's result, is not
		// something this step can be given, and left out, the value it could be
		// empties something or means everything. (A step given the earlier clause's
		// values, or one whose left-out values have defaults, does what "it" says:
		// "check my water bill and pay it".)
		return fmt.Sprintf("%q acts on the earlier step's result, which %s cannot be given", c.text, ti.tool.Name)
	}
	if pr, ph := b.unnamedScope(c, best, ti); ph != "" {
		// "stop watering the back block" -> irrigation.stop{} ("Field name; every
		// field when left out"): the clause names something the step leaves out, and
		// left out the step acts on everything.
		return fmt.Sprintf("%q names %q, which %s is not given as its %s, and without one it acts on all of them", c.text, ph, ti.tool.Name, pr.Name)
	}
	if m, ok := unusedMonth(c, best); ok && !ti.builtin && takesKind(ti, slot.Date) && !hasHow(best.src, srcPeriod) && !slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return pr.kind == pDate && best.args[pr.Name] != nil }) {
		// "bill M-31002 for everything up to the end of November" ->
		// invoices.create{matter_id} with no date: the bill would run to today.
		return fmt.Sprintf("%q names %s, which %s is not given", c.text, m, ti.tool.Name)
	}
	if s, ok := unusedTimeOfDay(c, best); ok && !ti.builtin && !b.p.readOnly(ti) && takesKind(ti, slot.Date) && !takesKind(ti, slot.Time) {
		// "Book a table at Luigi's on 2026-12-24 at 19:00" over book_restaurant(date,
		// name): the booking would be for the day, and the hour the user asked for
		// would be dropped without a word.
		for pi := range ti.params {
			if pr := &ti.params[pi]; pr.Format == "date-time" && pr.kind == pDate {
				// ("plan a trip ... at 17:30" for a departure date-time: the hour
				// without its day.)
				return fmt.Sprintf("%q asks for it at %s without its day, which the %s of %s needs (say today or tomorrow at %s)", c.text, s.Text, pr.Name, ti.tool.Name, s.Text)
			}
		}
		return fmt.Sprintf("%q asks for it at %s, which %s takes no time for", c.text, s.Text, ti.tool.Name)
	}
	if s, ok := unreadDay(c, best, ti); ok && !ti.builtin && b.p.readOnly(ti) && !takesKind(ti, slot.Date) && !takesKind(ti, slot.Time) {
		// "weather in Denver tomorrow" over a tool that reports the current weather:
		// what it reads is now's, not the day asked about; "see listing L-20417 this
		// Saturday at 11am" makes an appointment a lookup does not.
		return fmt.Sprintf("%q asks about %s, and %s takes no date", c.text, s.Text, ti.tool.Name)
	}
	if q, o := b.p.quantityAsked(c, ti); q != "" {
		// "What's the momentum of a 4 kg ball?" over kinetic_energy; "the volume of a
		// cube" over sphere_volume: the tool computes another quantity, or of another
		// thing.
		if o != "" {
			return fmt.Sprintf("%q asks for the %s of a %s, which %s does not compute", c.text, q, o, ti.tool.Name)
		}
		return fmt.Sprintf("%q asks for the %s, which %s does not compute", c.text, q, ti.tool.Name)
	}
	if d := datedFromElsewhere(c, best, ti); d != "" {
		// "What's the weather in Madrid now and what will it be on Sunday?": the
		// clause asks about now, and the date its forecast took is the other clause's.
		return fmt.Sprintf("%q asks about now, and %s would take the date %s from elsewhere in the request", c.text, ti.tool.Name, d)
	}
	if w := momentNamed(c); w != "" && !ti.builtin && !b.p.readOnly(ti) && !takesKind(ti, slot.Date) && !takesKind(ti, slot.Time) {
		// "turn on the porch light at sunset": a moment of the day no slot holds, which
		// a tool that acts now cannot wait for.
		return fmt.Sprintf("%q asks for it %s, which %s cannot wait for", c.text, w, ti.tool.Name)
	}
	if w, pr, ok := unlistedValue(c, best, ti); ok {
		// "check stock of SKU MUG-02 at the north warehouse": the warehouse is one of
		// east, west and central, and the plan would check the default.
		return fmt.Sprintf("%q names the %s %s, which is not one of %s", c.text, w, pr.Name, strings.Join(enumStrings(pr), ", "))
	}
	if s, ok := b.unusedEnumValue(c, best, ti); ok {
		// "turn on the garage lights": "garage" is a door of the locks, which the
		// lights do not take, and the plan would light every room.
		return fmt.Sprintf("%q names %s, which %s does not take", c.text, s.Text, ti.tool.Name)
	}
	if s, name, ok := unusedNamedNumber(c, best, ti); ok {
		// "play episode 12 of Serial": the clause gives the episode, which the plan
		// leaves to its default (the latest).
		return fmt.Sprintf("%q gives %s %s, which the plan does not take", c.text, name, s.Text)
	}
	if s, other, ok := b.p.numberOfOtherThing(c, best, ti); ok {
		// "get tomas to look over mobile-app PR 88" -> pr_list{...}: the clause names one
		// pull request, by the number another tool takes, and the plan lists them all.
		return fmt.Sprintf("%q gives %s %s, a %s, which %s does not take", c.text, prevWord(c, s), s.Text, other, ti.tool.Name)
	}
	if s, ok := unusedDuration(c, best, ti); ok {
		// "book a PT session ... for 50 min" where the length is one of 30, 45 and 60:
		// the plan would book the default length.
		return fmt.Sprintf("%q gives %s, which %s does not take as its %s", c.text, s.Text, ti.tool.Name, durationParamName(ti))
	}
	if s, ok := unusedValue(c, best); ok {
		// "initiate a transfer of $122 to my friend John": a tool that has no use for
		// the amount (a chat) does not do what the clause asks.
		return fmt.Sprintf("%q gives %s, which %s has no parameter for", c.text, s.Text, ti.tool.Name)
	}
	if s, ok := b.unusedObjectQuote(c, best); ok && !ti.builtin {
		// "Move 'pointA' to 2,3,4" -> move_to{x, y, z}: the quoted thing the verb
		// acts on is not in the step, which would move something else.
		return fmt.Sprintf("%q gives %s, which %s does not take", c.text, s.Text, ti.tool.Name)
	}
	if what, ok := contentsOfValue(best.args); ok {
		// "email the contents of notes/todo.txt to bob@example.com": the body would be
		// the words, not the file; no step reads it.
		return fmt.Sprintf("%q asks to pass on the contents of %s, which no step reads", c.text, what)
	}
	ev := b.evidenceFor(c, cands, best.k, best.args, best.src)
	if cd := cands[best.k]; cd.name == 0 && !cd.verb && !ti.builtin && b.takesOnlyOthers(best) && !slices.ContainsFunc(b.steps, func(st built) bool { return st.tool == ti }) {
		// "I'm interested in finding a Music event in New York on 2023.4.15. Could you
		// provide some options?" -> a flight picker's default date: the clause gives
		// the step nothing, its tool's name none of its words, and every value it
		// would take is one another step took from another clause. (A step of the same
		// tool is the same call, said again: "Just got a smart meter" after a switch.)
		return fmt.Sprintf("%q gives %s nothing of its own, only values another step took", c.text, ti.tool.Name)
	}
	if ev.Grounded == 0 && !hasRef(best.src) && ev.Content > 0 && float64(ev.Uncovered) >= unaccounted*float64(ev.Content) {
		// "help me find a psychologist in Campbell" -> a health API's version: the
		// step takes nothing from the request and its tool accounts for little of it.
		return fmt.Sprintf("%q gives %s nothing to work on, and most of it is not what %s is about", c.text, ti.tool.Name, ti.tool.Name)
	}
	if cd := cands[best.k]; ev.Grounded == 1 && onlyLabels(best.covers) && cd.name == 0 && !cd.verb && !ti.builtin && !hasRef(best.src) && ev.Content >= 5 && float64(ev.Uncovered) >= unaccounted*float64(ev.Content) {
		// "Apakah produk dengan ID 12345XYZ masih tersedia dalam ukuran M dan warna
		// merah?" -> apdex configurations{application_id: 12345XYZ}: the tool holds
		// none of the clause's words, only the look of its one value.
		return fmt.Sprintf("%q gives %s one value, and the rest of it is not what %s is about", c.text, ti.tool.Name, ti.tool.Name)
	}
	if cd := cands[best.k]; len(best.args) == 0 && cd.name == 0 && !cd.verb && !ti.builtin && ev.Content > 0 && float64(ev.OffCore) >= unaccounted*float64(ev.Content) {
		// "what is the minimum package arrival time?" -> software_versions{}: no word
		// of the tool's name, nothing to work on, and what the clause shares with the
		// tool is its parameters' words ("time"), which it left empty.
		return fmt.Sprintf("%q gives %s nothing to work on, and most of it is not what %s is about", c.text, ti.tool.Name, ti.tool.Name)
	}
	if cd := cands[best.k]; ev.Grounded == 0 && !hasRef(best.src) && ev.Typed > 0 && ev.Used == 0 && cd.name == 0 && !cd.verb && !ti.builtin && hasKind(c.slots, slot.Name) {
		// "what's the weather in Leeds tomorrow" -> listPolicies{} (an umbrella policy
		// is "weather" to the index): a step that takes nothing of the clause, which
		// names a place and a day, does not do what it asks.
		return fmt.Sprintf("%q gives %s nothing to work on", c.text, ti.tool.Name)
	}
	if cd := cands[best.k]; ev.Uncovered == ev.Content && cd.name == 0 && !cd.verb && !hasRef(best.src) &&
		!(ti.builtin && b.p.builtinSignal(ti, c)) && (onlyTimesAndNumbers(c) || b.p.namesOtherThing(c, cands[best.k].tool)) && !saysEnumValue(c, ti, best) {
		// "Go for shopping at 9 pm" -> set_alarm, "9:45": the tool matched the value
		// ("pm") and none of the clause's own words; a time is no request for an alarm.
		return fmt.Sprintf("%q names nothing %s does; it only gives a value it takes", c.text, ti.tool.Name)
	}
	if cd := cands[best.k]; !cd.verb && cd.name == 0 && !ti.builtin && !hasRef(best.src) && ev.Uncovered > 0 && ev.Uncovered+1 == ev.Content {
		// "book a flight to Austin" -> contacts.create ("Add a new person to the
		// address book"): the clause's verb is the only word the tool holds, as a
		// noun of another sense; what the clause asks to book is not the tool's.
		if v := leadVerb(c, b.p.isVerb); v != "" && b.p.docHas(ti, v) && !b.p.verbOf(ti, v) {
			return fmt.Sprintf("%q asks to %s something %s does not work on", c.text, v, ti.tool.Name)
		}
	}
	if ti.builtin && !b.p.builtinSignal(ti, c) && ev.Content > 0 && 2*ev.Uncovered >= ev.Content {
		// "current weather conditions in Hyderabad" is no question for the time: a
		// built-in matched by words alone must account for most of the clause.
		return fmt.Sprintf("%q asks for more than %s does", c.text, ti.tool.Name)
	}
	if cd := cands[best.k]; cd.nouns < b.p.minNouns && !(cd.verb && (usesTyped(best.src) || quotedFree(ti, best.src))) {
		return fmt.Sprintf("%q names nothing %s works on", c.text, ti.tool.Name)
	}
	if f := b.unusedMediaFile(c, best.args, best.src); f != "" {
		// "I've got this audio file 'example.wav' ... convert the audio into text": a
		// step that does not take the user's audio does something else.
		return fmt.Sprintf("%q speaks of %s, which %s does not take", c.text, f, ti.tool.Name)
	}
	if asked, named := b.p.otherQuantity(ti, c); asked != "" {
		// "Calculate the volume of a sphere with radius 3" -> circle_area: a tool that
		// computes one quantity is no answer to a question for another.
		return fmt.Sprintf("%q asks for the %s, and %s computes the %s", c.text, asked, ti.tool.Name, named)
	}
	if valueOnly(c, b.p.isVerb) {
		// "3 degree": a value and its unit, and nothing asked of it.
		return fmt.Sprintf("%q gives a value and asks for nothing", c.text)
	}
	if pr := danglingParam(ti, c, best.args); pr != "" {
		// "list the server of type": the clause names the parameter and stops before
		// its value; serving every type is not what was asked.
		return fmt.Sprintf("%q names the %s but not which", c.text, pr)
	}
	if work, creator, param := b.p.unusedWork(ti, c, best.args); work != "" {
		if pi := paramIndex(ti, param); pi >= 0 && ti.params[pi].free {
			// "play wrecking ball by Miley Cyrus" -> a search query: the work and its
			// creator are the query, not the creator alone.
			best.args[param] = work + " by " + creator
		} else {
			// "play me cha cha cha by käärijä" -> play_artist(käärijä): the song asked
			// for is dropped; playing the artist is not what was asked.
			return fmt.Sprintf("%q asks for %q, which %s does not take", c.text, work, ti.tool.Name)
		}
	}
	if obj := b.p.verbOnlyObject(ti, c, best.covers, best.args, best.src); obj != "" {
		// "order pizza for 4" -> order_seeds(variety: "pizza"): the tool shares only the
		// verb with the clause, and what is ordered is a word it never uses.
		return fmt.Sprintf("%q asks for %s, which %s does not name", c.text, obj, ti.tool.Name)
	}
	args := best.args
	b.steps = append(b.steps, best.steps...)
	if dup := b.duplicate(ti, args); dup != "" {
		if own := b.p.match(c, ""); asksQuestion(c) && len(own) > 0 && b.p.tools[own[0].tool] != ti {
			// "what's my GPA, and what grades did I get last fall": the second question,
			// read with the first one's words, repeats the GPA call; read alone it
			// asks for another tool. Dropping it would leave it unanswered.
			return fmt.Sprintf("%q asks for %s, not a second call of %s", c.text, b.p.tools[own[0].tool].tool.Name, ti.tool.Name)
		}
		// The same call twice ("find me a movie ... and play the movie") is one step.
		b.steps = b.steps[:mark]
		b.lastOfClause = dup
		b.reused = b.stepByID(dup)
		return ""
	}
	if into := b.mergeable(ti, args, best.src); into >= 0 {
		// One call described over several clauses ("Find me a movie directed by X. I
		// want it to be a comedy."): the later clause adds arguments to the earlier
		// step instead of making a second call. Arguments that disagree ("weather in
		// Paris ... weather in Rome") are two calls; a default gives way to a value
		// stated ("listen to some tunes ... play me Remind Me").
		st := &b.steps[into]
		for k, v := range args {
			if _, had := st.step.Args[k]; had && best.src[k].how == srcDefault {
				continue
			}
			st.step.Args[k] = v
			delete(st.defaults, k)
		}
		b.steps = b.steps[:mark]
		b.lastOfClause = b.steps[into].step.ID
		b.reused = &b.steps[into]
		return ""
	}
	st := plan.Step{ID: b.nextID(), Tool: ti.tool.Name, Args: args}
	if c.ordered && b.lastOfClause != "" {
		deps := st.Deps(nil)
		if !dependsOn(b, deps, b.lastOfClause) {
			st.After = []string{b.lastOfClause}
		}
	}
	b.steps = append(b.steps, built{step: st, tool: ti, defaults: defaultArgs(best.src)})
	b.evidence = append(b.evidence, ev)
	b.lastOfClause = st.ID
	b.notes = append(b.notes, fmt.Sprintf("%q -> %s (%.1f)", c.text, ti.tool.Name, cands[best.k].score))
	return ""
}

// pruneOptions returns opts without those drop reports, each weighed against all of
// opts as they were (two readings that each rule out the other are weighed alike), or
// opts whole when drop would leave none.
func pruneOptions(opts []option, drop func(o option, all []option) bool) []option {
	all := slices.Clone(opts)
	kept := opts[:0]
	for _, o := range all {
		if !drop(o, all) {
			kept = append(kept, o)
		}
	}
	if len(kept) == 0 {
		return all
	}
	return kept
}

// userOperation returns the index of the option whose tool, from the user's catalog,
// does the one operation of the clause's arithmetic expression on all its operands,
// when the best option, opts[0], is the built-in calculator; else 0.
func (b *builder) userOperation(c clause, opts []option, cands []candidate) int {
	if ti := b.p.tools[cands[opts[0].k].tool]; !ti.builtin || !b.p.doesArithmetic(ti) {
		return 0
	}
	for _, s := range c.slots {
		if s.Kind != kindExpression {
			continue
		}
		ops := operationWords(s.Value)
		if len(ops) != 2 { // one operation, by its two names ("multiply", "product")
			return 0
		}
		operands := len(operandPattern.FindAllString(s.Value, -1))
		for k, o := range opts {
			ot := b.p.tools[cands[o.k].tool]
			if k == 0 || o.why != "" || ot.builtin || !b.p.doesArithmetic(ot) || b.p.operands(ot) < operands {
				continue
			}
			d := &b.p.ix.docs[b.p.toolIndex[ot]]
			for _, w := range ops {
				if slices.ContainsFunc(terms(w), func(t string) bool { return d.acts[t] || d.name[t] }) {
					return k
				}
			}
		}
	}
	return 0
}

// beyondLookup weighs the best option, opts[0], against the options that call its tool
// as a producer step (a lookup they need: the artist id for the artist's related
// artists). When the best tool accounts for every content word of the clause, the
// lookup is what was asked. Otherwise the clause asks for more than the lookup: the one
// option whose tool accounts for words the lookup leaves out is the reading (its index
// is returned), and when several do, or none does and several could, the clause does
// not say which; it returns why. It returns 0, "" when the best option stands.
func (b *builder) beyondLookup(c clause, opts []option, cands []candidate, content []string) (int, string) {
	best := opts[0]
	ti := b.p.tools[cands[best.k].tool]
	var missing []string
	for _, t := range content {
		if !best.covers[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return 0, ""
	}
	var over, more []int
	for k, o := range opts[1:] {
		if o.why != "" || !subsumes(o, ti) {
			continue
		}
		over = append(over, k+1)
		for _, t := range missing {
			if o.covers[t] {
				more = append(more, k+1)
				break
			}
		}
	}
	name := func(k int) string { return b.p.tools[cands[opts[k].k].tool].tool.Name }
	switch {
	case len(more) == 1:
		return more[0], ""
	case len(more) > 1:
		for _, k := range more {
			all := true
			for _, j := range more {
				if j != k && !dominates(opts[k].covers, opts[j].covers) {
					all = false
				}
			}
			if all {
				return k, ""
			}
		}
		return 0, fmt.Sprintf("%q asks for more than %s finds, and fits %s and %s about equally", c.text, ti.tool.Name, name(more[0]), name(more[1]))
	case len(over) > 1:
		return 0, fmt.Sprintf("%q asks for more than %s finds (%s), and does not say whether %s or %s", c.text, ti.tool.Name, strings.Join(missing, ", "), name(over[0]), name(over[1]))
	}
	return 0, ""
}

// eachItem reports whether clause c lists things ("X and Y", in a few words each) of
// which one item holds a word only covers a accounts for and another item one only
// covers b does.
func (p *Pattern) eachItem(c clause, a, b map[string]bool) bool {
	items := listItems(maskSlots(c))
	if len(items) < 2 {
		return false
	}
	only := func(x, y map[string]bool) map[int]bool {
		in := map[int]bool{}
		for k, it := range items {
			if k > 0 && k == len(items)-1 {
				it = itemHead(it)
			}
			if len(strings.Fields(it)) > 5 {
				continue
			}
			for _, t := range uniqueTerms(it) {
				if x[t] && !y[t] {
					in[k] = true
				}
			}
		}
		return in
	}
	inA, inB := only(a, b), only(b, a)
	for i := range inA {
		for j := range inB {
			if i != j {
				return true
			}
		}
	}
	return false
}

// onlyTimesAndNumbers reports whether the values clause c states are all times, dates,
// durations or plain numbers (at least one): values that say when or how many, not what.
func onlyTimesAndNumbers(c clause) bool {
	n := 0
	for _, s := range c.slots {
		switch s.Kind {
		case slot.Time, slot.Date, slot.Number, kindDuration:
			n++
		default:
			return false
		}
	}
	return n > 0
}

// fit weighs a candidate's rank by how its arguments fit the clause: each value of the
// clause it takes adds, each required argument it could only fill with a phrase of the
// clause (rather than a typed value) takes away.
func (b *builder) fit(c clause, src map[string]argSrc) float64 {
	// Counted, then weighed: a sum taken in the map's order differs in its last bits
	// run to run, and two readings that fit alike would rank either way.
	var named, typed, loose int
	for _, a := range src {
		switch a.how {
		case srcSlot:
			if a.slot.Kind == slot.Name || a.slot.Kind == slot.Quoted {
				named++
			} else {
				typed++
			}
		case srcPhrase, srcNamed, srcPlace, srcStated:
			loose++
		}
	}
	f := 1 + 0.1*float64(named) + 0.15*float64(typed) - 0.1*float64(loose)
	return math.Max(0.5, math.Min(2, f))
}

// usesTyped reports whether an argument took a typed value of the clause (not a name or
// a phrase): a phone number for a call, a URL for a fetch.
func usesTyped(src map[string]argSrc) bool {
	for _, a := range src {
		if a.how == srcSlot && a.slot.Kind != slot.Name && a.slot.Kind != slot.Quoted {
			return true
		}
	}
	return false
}

// namesOtherThing reports whether clause c, outside its values, names a kind of thing
// the catalogue's tools are named after that tool i's text does not hold, with a word
// that is no verb: "the weather in Seattle, WA" matched a hotel search by its example
// "Seattle, WA" alone.
func (p *Pattern) namesOtherThing(c clause, i int) bool {
	content := p.contentTerms(c)
	covered := p.covered(i, content)
	for _, t := range content {
		if !covered[t] && p.things[t] && !p.isVerb(t) {
			return true
		}
	}
	// "get me an uber to the airport at 6am tomorrow" -> set_alarm, matched by the
	// hour alone: the airport is another tool's word (a ride's, a flight's).
	for _, t := range content {
		if covered[t] || p.isVerb(t) {
			continue
		}
		for k := range p.ix.docs {
			if k != i && p.ix.docs[k].tf[t] > 0 && !p.tools[k].builtin {
				return true
			}
		}
	}
	return false
}

// othersTerm reports whether a tool other than ti has word w's term in its index.
func (p *Pattern) othersTerm(ti *toolInfo, w string) bool {
	for _, t := range terms(w) {
		for k, o := range p.tools {
			if o != ti && !o.builtin && p.ix.docs[k].tf[t] > 0 {
				return true
			}
		}
	}
	return false
}

// saysEnumValue reports whether a word of clause c gave a step's enum argument not read
// from a slot ("mark DL-7811 as won" moves the deal to closed_won): the word names what
// the tool sets.
func saysEnumValue(c clause, ti *toolInfo, o option) bool {
	said := map[string]bool{}
	for _, w := range words(strings.ToLower(c.text)) {
		said[eStem(w)] = true
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		v, ok := o.args[pr.Name].(string)
		if !ok || pr.kind != pEnum || o.src[pr.Name].how != srcExample {
			continue
		}
		for _, w := range valueWords(v) {
			if len(w) > 2 && !stopWords[w] && said[eStem(w)] {
				return true
			}
		}
	}
	return false
}

// idLookup reports whether tool ti only looks an identifier up: its name ends with "id"
// ("get_service_id", "getProvinceID") or its description opens by retrieving an
// identifier ("Retrieve the unique identifier of ...").
func (p *Pattern) idLookup(ti *toolInfo) bool {
	ws := words(ti.tool.Name)
	if n := len(ws); n > 1 && strings.EqualFold(ws[n-1], "id") {
		return true
	}
	d := strings.ToLower(ti.tool.Description)
	for _, lead := range []string{"retrieve the unique identifier", "retrieves the unique identifier", "get the unique identifier", "retrieve the identifier"} {
		if strings.HasPrefix(d, lead) {
			return true
		}
	}
	return false
}

// asksForID reports whether clause c asks for an identifier ("get the unique identifier
// for ...", "what is the ID of ...", "the service code for ironing").
func asksForID(c clause) bool {
	for _, w := range words(c.text) {
		switch strings.ToLower(w) {
		case "id", "ids", "identifier", "identifiers", "code", "codes", "uuid":
			return true
		}
	}
	return false
}

// verbOf reports whether tool ti's description opens with verb v (or a form of it), or
// a parameter lists v among its operations: the tool does v.
func (p *Pattern) verbOf(ti *toolInfo, v string) bool {
	ws := words(ti.tool.Description)
	if len(ws) > 0 && (strings.EqualFold(ws[0], v) || stem(strings.ToLower(ws[0])) == stem(v)) {
		return true
	}
	// An operation a parameter lists ("eg. install, uninstall, update").
	for _, pr := range ti.params {
		if slices.ContainsFunc(pr.examples, func(e string) bool { return strings.EqualFold(e, v) }) ||
			slices.ContainsFunc(pr.enumRaw, func(e any) bool { s, ok := e.(string); return ok && strings.EqualFold(s, v) }) {
			return true
		}
	}
	return false
}

// quotedFree reports whether a quoted value of the clause went into a free-text
// parameter of ti: "search 'best ramen in Osaka'" names its query as the search takes it.
func quotedFree(ti *toolInfo, src map[string]argSrc) bool {
	for _, pr := range ti.params {
		if a, ok := src[pr.Name]; ok && a.how == srcSlot && a.slot.Kind == slot.Quoted && pr.free {
			return true
		}
	}
	return false
}

// unaccounted is the share of a clause's content words, left unaccounted for by a step
// that takes nothing from the request, above which the step is not served.
const unaccounted = 0.67

// contentsOf matches "contents of" followed by a file path or a URL.
var contentsOf = regexp.MustCompile(`(?i)\bcontents? of\s+(?:the\s+)?(?:file\s+)?(\S*[/.]\S*[A-Za-z0-9])`)

// contentsOfValue returns the file or URL whose contents an argument value names
// ("contents of notes/todo.txt"): the value is the words, not what the file holds.
func contentsOfValue(args map[string]any) (string, bool) {
	what := ""
	for _, v := range args {
		plan.WalkStrings(v, func(s string) {
			if m := contentsOf.FindStringSubmatch(s); m != nil && what == "" {
				what = m[1]
			}
		})
	}
	return what, what != ""
}

// hasRef reports whether an argument refers to an earlier step's output.
func hasRef(src map[string]argSrc) bool {
	for _, a := range src {
		if a.how == srcRef {
			return true
		}
	}
	return false
}

// unusedValue returns a value of clause c that says what it is for (an amount, a phone
// number, an e-mail address, a URL) and that option o neither passes to its tool nor to
// a producer step: the clause asks for something the tool does not do.
func unusedValue(c clause, o option) (slot.Slot, bool) {
	for _, s := range c.slots {
		switch s.Kind {
		case slot.Money, slot.Phone, slot.Email, slot.URL, kindHandle, slot.File:
			if !optionUses(o, s) {
				return s, true
			}
		}
	}
	return slot.Slot{}, false
}

// unusedObjectQuote returns a quoted value right after clause c's verb (the thing it
// acts on) that option o takes nowhere, not even inside an argument.
func (b *builder) unusedObjectQuote(c clause, o option) (slot.Slot, bool) {
	for _, s := range c.slots {
		if s.Kind == slot.Quoted && quoteFollowsVerb(c, s, b.p.isVerb) && !optionUses(o, s) && !argsMention(o.args, strings.TrimSpace(s.Value)) {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// unusedDuration returns a length of time clause c states that option o of tool ti
// leaves out, when ti has a parameter for a length it was not given.
func unusedDuration(c clause, o option, ti *toolInfo) (slot.Slot, bool) {
	if durationParamName(ti) == "" {
		return slot.Slot{}, false
	}
	for _, s := range c.slots {
		if s.Kind == kindDuration && !optionUses(o, s) && !shiftsBy(c, s) {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// durationParamName returns the name of tool ti's one parameter for a length of time in
// minutes or hours (durationMinutes, length_hours) that takes a number, or "".
func durationParamName(ti *toolInfo) string {
	found := ""
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.kind != pInteger && pr.kind != pNumber && !(pr.kind == pEnum && numericEnum(pr)) {
			continue
		}
		if (pr.nameTerms["duration"] || pr.nameTerms["length"]) && (pr.nameTerms["minute"] || pr.nameTerms["hour"] || pr.terms["minute"] || pr.terms["hour"]) {
			if found != "" {
				return ""
			}
			found = pr.Name
		}
	}
	return found
}

// whenPhrase is a date, time or shift of clause c as the clause says it: with its
// preposition ("at 9pm", "in 10 minutes") or "every" ("every Friday"), or alone
// ("tomorrow").
func whenPhrase(c clause, s slot.Slot) string {
	if w := prevWord(c, s); prepositions[strings.ToLower(w)] || strings.EqualFold(w, "every") || strings.EqualFold(w, "each") {
		return w + " " + s.Text
	}
	return s.Text
}

// unlistedValue returns the word that qualifies, in clause c, the name of an enum
// parameter of ti that option o leaves out ("the north warehouse" for warehouse, right
// after a determiner), when it is none of the parameter's values, with the parameter,
// and true. Numeric enums (ratings) are left out.
func unlistedValue(c clause, o option, ti *toolInfo) (string, *paramInfo, bool) {
	ws := strings.Fields(asciiLower(maskSlots(c)))
	for pi := range ti.params {
		pr := &ti.params[pi]
		name := enumHead(pr.Name)
		if pr.kind != pEnum || o.args[pr.Name] != nil || name == "" || numericValues(pr) {
			continue // ("a review rating of at least 4.2": a number, not the review)
		}
		for i := 1; i < len(ws); i++ {
			if strings.Trim(ws[i], ",.;:!?") != name {
				continue
			}
			w := ws[i-1]
			// (After a determiner, a count or the clause's opening verb: "book
			// sabbatical leave".)
			if i < 2 || !determiners[ws[i-2]] && !countingWords[ws[i-2]] && !(i == 2 && baseVerbs[ws[0]]) || len(w) < 3 || blanked(w) || stopWords[w] || determiners[w] || prepositions[w] ||
				possessives[w] || plainAdjectives[w] || timeWords[w] || ownWord(ti, w) {
				continue // ("the Imaginative fiction genre": a longer name; "a rental car": the tool's own word)
			}
			if _, ok := enumMatch(pr, w); !ok {
				return w, pr, true
			}
		}
	}
	return "", nil, false
}

// ownWord reports whether word w is a term of tool ti's name or description.
func ownWord(ti *toolInfo, w string) bool {
	ts := terms(w)
	return len(ts) > 0 && slices.Contains(terms(ti.tool.Name+" "+ti.tool.Description), ts[0])
}

// enumHead returns the word that names what an enum parameter's values are kinds of:
// its name ("genre"), or the one word of it that is not "type", "kind", ...
// ("leave_type": leave), or "".
func enumHead(name string) string {
	var head []string
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == '_' || r == '-' }) {
		if !genericNameWords[w] {
			head = append(head, w)
		}
	}
	if len(head) != 1 {
		return ""
	}
	return head[0]
}

var (
	// genericNameWords say that a parameter is a kind of something.
	genericNameWords = wordSet("type kind category class sort")
	// countingWords come before what they count ("how many study leave days").
	countingWords = wordSet("many much any no")
)

// numericValues reports whether an enum parameter's values are numbers, but for one
// (a "dontcare").
func numericValues(pr *paramInfo) bool {
	n := 0
	for _, v := range pr.enumRaw {
		if _, ok := plan.Number(fmt.Sprint(v)); ok {
			n++
		}
	}
	return n > 0 && n >= len(pr.enumRaw)-1
}

// enumStrings are the values of enum parameter pr as text.
func enumStrings(pr *paramInfo) []string {
	out := make([]string, 0, len(pr.enumRaw))
	for _, v := range pr.enumRaw {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// dropNamesIn unfills the parameters of ti other than the pi-th that took a name the
// text rest holds: a name inside the phrase a title or a topic grew to is a word of it,
// not another argument ("an issue titled Login broken on Safari" is assigned to no
// Safari).
func dropNamesIn(ti *toolInfo, pi int, rest string, args map[string]any, src map[string]argSrc, filled []bool) {
	for qi := range ti.params {
		q := &ti.params[qi]
		if a := src[q.Name]; qi != pi && filled[qi] && a.how == srcSlot && a.slot.Kind == slot.Name && containsWordFold(rest, a.slot.Text) {
			delete(args, q.Name)
			delete(src, q.Name)
			filled[qi] = false
		}
	}
}

// asksQuestion reports whether clause c is a question of its own: a question mark, or a
// question word first ("what grades did I get last fall").
func asksQuestion(c clause) bool {
	w := strings.ToLower(firstWord(c.text))
	return c.question || questionWords[w] || w == "whats" || w == "what's"
}

// takesClauseValue reports whether option o fills an argument from the clause (a slot
// or a phrase of it), not only defaults.
func takesClauseValue(o option) bool {
	for _, a := range o.src {
		if a.how != srcDefault {
			return true
		}
	}
	return false
}

// afterColon reports whether slot s of clause c comes after a colon that opens dictated
// text ("...: login button does nothing on Safari"), with words between the colon and s.
func afterColon(c clause, s slot.Slot) bool {
	lo := s.Start - c.start
	if lo <= 0 || lo > len(c.text) {
		return false
	}
	k := strings.LastIndex(c.text[:lo], ": ")
	return k >= 0 && strings.TrimSpace(c.text[k+2:lo]) != ""
}

// quantityOf finds "what is the X of (a|the) Y", "calculate the X of ...": X is the
// quantity asked for, Y (a word) what it is of.
var quantityOf = regexp.MustCompile(`(?i)\b(?:what(?:'s|s| is| was| would be| will be)|find|calculate|compute|determine|work out)\s+(?:the\s+)?([a-z]+)\s+of\s+(?:(?:an?|the)\s+)?([a-z]*)`)

// operationMissed returns the operation an arithmetic expression of clause c asks for
// ("sum" for "the sum of 133 and 34", "133 + 34") when user tool ti names none of the
// words for it and takes no expression, or "".
func (p *Pattern) operationMissed(c clause, ti *toolInfo) string {
	if ti.builtin {
		return ""
	}
	for pi := range ti.params {
		if ti.params[pi].kind == pExpression {
			return ""
		}
	}
	if strings.Contains(c.text, "=") {
		return "" // "solve x^2 + 3x - 10 = 0": an equation, no sum or difference
	}
	for _, s := range c.slots {
		if s.Kind != kindExpression {
			continue
		}
		ops := operationWords(s.Value)
		if len(ops) == 0 {
			continue
		}
		for _, w := range ops {
			if p.docHas(ti, w) {
				return ""
			}
		}
		return ops[1] // the noun: product, sum, quotient, difference
	}
	return ""
}

// pointOf matches a point of a substance or a process that an -ing word names: "the
// freezing point of", "the boiling point of".
var pointOf = regexp.MustCompile(`(?i)\bthe\s+([a-z]+ing)\s+(point|temperature)\s+of\b`)

// identityWords ask which thing, not a quantity of it.
var identityWords = wordSet("name names title titles list details info information status number id type kind")

// quantityAsked returns the quantity clause c asks for when tool ti's text does not
// name it ("the momentum of a ball" for kinetic_energy), or the quantity and the thing
// it is of when ti's name holds a thing the clause does not name and ti's text does
// not name that thing ("the volume of a cube" for sphere_volume); else "", "". Built-in
// tools are judged by their own signals.
func (p *Pattern) quantityAsked(c clause, ti *toolInfo) (quantity, of string) {
	if ti.builtin {
		return "", ""
	}
	if m := pointOf.FindStringSubmatch(maskSlots(c)); m != nil {
		// "the freezing point of water" over a tool that computes the boiling point:
		// the tool names the point, and not which.
		if q := strings.ToLower(m[1]); !p.docHas(ti, q) && p.docHas(ti, m[2]) {
			return q + " " + strings.ToLower(m[2]), ""
		}
	}
	m := quantityOf.FindStringSubmatch(maskSlots(c))
	if m == nil {
		return "", ""
	}
	q, o := strings.ToLower(m[1]), strings.ToLower(m[2])
	if stopWords[q] || genericValue(q) || len(q) < 3 || identityWords[q] || blanked(q) {
		return "", "" // ("the name of the movie directed by ..." asks for the movie)
	}
	if !p.docHas(ti, q) {
		return q, ""
	}
	if o == "" || stopWords[o] || blanked(o) || p.docHas(ti, o) {
		return "", ""
	}
	content := map[string]bool{}
	for _, t := range p.contentTerms(c) {
		content[t] = true
	}
	for t := range ti.terms {
		if p.things[t] && !content[t] {
			return q, o // sphere_volume: a sphere, of which the clause says nothing
		}
	}
	return "", ""
}

// datedFromElsewhere returns the date option o of tool ti takes from outside clause c
// when the clause asks about the present ("now", "currently"), or "".
func datedFromElsewhere(c clause, o option, ti *toolInfo) string {
	if !aboutNow(c.text) {
		return ""
	}
	for _, pr := range ti.params {
		if a, ok := o.src[pr.Name]; ok && a.how == srcRequest && (a.slot.Kind == slot.Date || pr.kind == pDate) {
			return a.slot.Text
		}
	}
	return ""
}

// momentWords are moments of the day that no clock time names.
var momentWords = wordSet("sunset sunrise dawn dusk daybreak nightfall bedtime")

// momentNamed returns "at sunset" (the preposition and the moment) when clause c asks
// for something at, before, after or by a moment of the day, or "".
func momentNamed(c clause) string {
	ws := strings.Fields(asciiLower(c.text))
	for i := 1; i < len(ws); i++ {
		w := strings.Trim(ws[i], ",.;:!?")
		if !momentWords[w] {
			continue
		}
		k := i - 1
		if ws[k] == "the" && k > 0 {
			k--
		}
		switch ws[k] {
		case "at", "before", "after", "by", "until", "till", "around":
			return strings.Join(ws[k:i], " ") + " " + w
		}
	}
	return ""
}

// unusedNamedNumber returns a number of clause c that comes right after the name of
// one of ti's parameters ("episode 12", "seat 14") and that option o takes nowhere, the
// parameter's name, and true: the clause says which one, and the plan would take
// another (or the default).
func unusedNamedNumber(c clause, o option, ti *toolInfo) (slot.Slot, string, bool) {
	for _, s := range c.slots {
		if s.Kind != slot.Number || optionUses(o, s) {
			continue
		}
		w := strings.ToLower(prevWord(c, s))
		if len(w) < 3 {
			continue
		}
		for _, pr := range ti.params {
			if strings.ToLower(pr.Name) == w {
				return s, w, true
			}
		}
	}
	return slot.Slot{}, "", false
}

// numberOfOtherThing returns a number of clause c that option o takes nowhere and that
// the word before it names as a thing another tool identifies by number ("PR 88" for
// pr_get's pr_number), when tool ti has no parameter of that word; with that
// parameter's tool and name.
func (p *Pattern) numberOfOtherThing(c clause, o option, ti *toolInfo) (slot.Slot, string, bool) {
	for _, s := range c.slots {
		if s.Kind != slot.Number || optionUses(o, s) || !isDigits(s.Text) {
			continue
		}
		ts := terms(strings.ToLower(prevWord(c, s)))
		if len(ts) != 1 || slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return pr.nameTerms[ts[0]] }) {
			continue
		}
		if cp, ok := p.idNumbers[ts[0]]; ok && cp.tool != ti {
			return s, cp.tool.tool.Name + "." + cp.param.Name, true
		}
	}
	return slot.Slot{}, "", false
}

// addIDNumber records parameter pr of tool ti, when it identifies a thing by number
// (pr_number, order_id), under the other words of its name: numberOfOtherThing.
func (p *Pattern) addIDNumber(ti *toolInfo, pr *paramInfo) {
	if !(pr.nameTerms["number"] || pr.nameTerms["id"] || pr.nameTerms["no"]) || pr.kind != pInteger && pr.kind != pNumber && pr.kind != pString {
		return
	}
	for t := range pr.nameTerms {
		if _, ok := p.idNumbers[t]; !ok && !stopWords[t] {
			p.idNumbers[t] = codeParam{ti, pr}
		}
	}
}

// unusedEnumValue returns a value of clause c that is one of the registry's enum values
// (a door "garage", an exchange "NASDAQ") and that option o of tool ti takes nowhere: not
// as an argument, not inside one ("Portland, OR"), not as a word of ti's own text; and
// true. A value of two letters or fewer, a verb ("put", an HTTP method) and a stop word
// name nothing.
func (b *builder) unusedEnumValue(c clause, o option, ti *toolInfo) (slot.Slot, bool) {
	for _, s := range c.slots {
		lw := strings.ToLower(s.Text)
		// (A value written as its past or -ing form, "went running" for run, is what
		// was done, not the verb of the clause.)
		verb := lw == strings.ToLower(s.Value) && (b.p.isVerb(lw) || isVerbWord(lw))
		if s.Kind != slot.Enum || len(lw) <= 2 || stopWords[lw] || verb ||
			optionUses(o, s) || b.p.docHasAll(ti, s.Text) {
			continue
		}
		if listPicks[lw] && hasRef(o.src) {
			continue // "book the first result": the item of the list the step takes
		}
		if reasonTook(c.text, lw, ti, o.args) {
			continue // "#10475 got sent the wrong colour": the reason the step took
		}
		if saysWhen(c, s) && (prevWord(c, s) == "this" && dayParts[lw] && takesKind(ti, slot.Date) || datedBy(c, o) || hasHow(o.src, srcPeriod)) {
			// "ran 10k this morning": when, for a tool that takes the day (today when
			// left out); "signings next week", "yesterday evening": when, for a step
			// that took that date.
			continue
		}
		if slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return inEnum(&pr, s.Value) }) {
			// "the bedroom and hallway lights": a value the tool takes is a second
			// call (parallelValues), or a drop the conjuncts' check refuses.
			continue
		}
		inArg := false
		for _, v := range o.args {
			if str, ok := v.(string); ok && strings.Contains(strings.ToLower(str), lw) {
				inArg = true
			}
		}
		if !inArg {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// dayParts and periodNouns name a part of a day or a period; after one of placingWords
// they say when ("this morning", "next week").
var (
	dayParts     = wordSet("morning afternoon evening night")
	periodNouns  = wordSet("week weekend month year")
	placingWords = wordSet("this yesterday tomorrow last next")
)

// saysWhen reports whether slot s of clause c is a part of a day or a period after a
// word that places it ("this morning", "next week"): when, not a value.
func saysWhen(c clause, s slot.Slot) bool {
	lw := strings.ToLower(s.Text)
	return (dayParts[lw] || periodNouns[lw]) && placingWords[prevWord(c, s)]
}

// periodWhen reports whether slot s of clause c is a week, month or year after a word
// that places it ("last week"): a period, not a value of an enum (a grouping by week).
func periodWhen(c clause, s slot.Slot) bool {
	return periodNouns[strings.ToLower(s.Text)] && placingWords[prevWord(c, s)]
}

// periodPhrase is a week, month or year named from now: "next week", "this month".
var periodPhrase = regexp.MustCompile(`(?i)\b(?:next|last|this|coming|past)\s+(?:week|weekend|month|year)\b`)

// exclusion is a clause's phrase that leaves something out: "except the kitchen", "all
// but the bedroom", "other than Bob".
var exclusion = regexp.MustCompile(`(?i)\b(?:except(?: for)?|excluding|apart from|other than|all but|but not)\s+\S+`)

// deniedList matches what a description says a tool has not or does not do: "The
// clinic has no dental, chiropractic or veterinary services", "It does not handle
// repairs or maintenance".
var deniedList = regexp.MustCompile(`(?i)\b(?:has no|have no|(?:does not|doesn't|do not|don't) (?:offer|do|support|handle|cover|include|sell|provide|accept|record|file)|nothing (?:records|accepts|handles|supports))\s+([a-z][a-z ,\-]*)`)

// deniedThing returns a word of clause c outside its slots that one of the things tool
// ti's description (or a parameter's) says it has not names, by a common stem of six
// letters or more ("chiropractor", "chiropractic"), with that list; or "".
func deniedThing(ti *toolInfo, c clause) (string, string) {
	texts := []string{ti.tool.Description}
	for pi := range ti.params {
		texts = append(texts, ti.params[pi].Description)
	}
	asked := words(asciiLower(maskSlots(c)))
	for _, text := range texts {
		for _, m := range deniedList.FindAllStringSubmatch(text, -1) {
			list := strings.ToLower(m[1])
			for _, d := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
				if len(d) < 4 || d == "services" || d == "service" || stopWords[d] {
					continue
				}
				for _, w := range asked {
					if len(d) >= 6 && len(w) >= 6 && commonPrefix(w, d) >= 6 || w == d {
						// ("cash" of "nothing records cash, cheque or bank transfer": a
						// short word, written as the tool writes it)
						return w, strings.TrimSpace(list)
					}
				}
			}
		}
	}
	return "", ""
}

// commonPrefix returns the length of the prefix a and b share.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// periodSpan fills the start and end dates of tool ti with the first and last day of
// the week, weekend, month or year clause c names from now ("next week", "last month",
// "this weekend"), when it names one such period and no date, and ti has a start date
// parameter left (an end one too, or not: "openings next week" from next Monday).
func (b *builder) periodSpan(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled []bool) {
	if hasKind(c.slots, slot.Date) {
		return
	}
	now := b.p.cfg.now()
	ms := periodPhrase.FindAllString(c.text, -1)
	var from, to string
	var ok bool
	since := false
	switch mm := monthPhrase.FindAllStringSubmatch(c.text, -1); {
	case len(ms) == 1 && len(mm) == 0:
		from, to, ok = periodDates(ms[0], now)
	case len(ms) == 0 && len(mm) == 1:
		from, to, ok = monthDates(mm[0][1], mm[0][2], mm[0][3], now)
	case len(ms) == 0 && len(mm) == 0:
		// "time to hire since January": from the first day of the last January, to
		// now (no end date).
		if m := sinceMonth.FindStringSubmatch(c.text); m != nil {
			from, ok = sinceDate(m[1], now)
			since = true
		}
	}
	if !ok {
		return
	}
	start, end := -1, -1
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pDate {
			continue
		}
		switch {
		case dateEnds(pr) && end < 0:
			end = pi
		case dateStarts(pr) && start < 0:
			start = pi
		}
	}
	if start < 0 {
		return
	}
	args[ti.params[start].Name], src[ti.params[start].Name] = from, argSrc{how: srcPeriod}
	filled[start] = true
	if end >= 0 && !since {
		args[ti.params[end].Name], src[ti.params[end].Name] = to, argSrc{how: srcPeriod}
		filled[end] = true
	}
}

// periodDates returns the first and last day, YYYY-MM-DD, of the period phrase names
// from now: weeks run Monday to Sunday, "this weekend" is this week's Saturday and
// Sunday. "Next weekend" is left out (the coming one, or the one after?), as are "past"
// and "coming" periods.
func periodDates(phrase string, now time.Time) (from, to string, ok bool) {
	ws := strings.Fields(strings.ToLower(phrase))
	which, unit := ws[0], ws[len(ws)-1]
	shift := map[string]int{"last": -1, "this": 0, "next": 1}
	k, known := shift[which]
	if !known || unit == "weekend" && which == "next" {
		return "", "", false
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var f, t time.Time
	switch unit {
	case "week", "weekend":
		monday := today.AddDate(0, 0, -((int(today.Weekday())+6)%7)+7*k)
		f, t = monday, monday.AddDate(0, 0, 6)
		if unit == "weekend" {
			f = monday.AddDate(0, 0, 5)
			if k == 0 && today.After(f) {
				f = today // on a Sunday, this weekend is today
			}
		}
	case "month":
		f = time.Date(today.Year(), today.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		t = f.AddDate(0, 1, -1)
	case "year":
		f = time.Date(today.Year()+k, 1, 1, 0, 0, 0, 0, time.UTC)
		t = time.Date(today.Year()+k, 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		return "", "", false
	}
	return f.Format("2006-01-02"), t.Format("2006-01-02"), true
}

// sinceMonth is a month named after "since" without a day or a year.
var sinceMonth = regexp.MustCompile(`(?i)\bsince\s+(january|february|march|april|may|june|july|august|september|october|november|december|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b`)

// sinceDate returns the first day of the month word names that is the latest to have
// begun by now ("since January" in December is this year's, in March too; "since
// November" in March is last year's).
func sinceDate(word string, now time.Time) (string, bool) {
	m := slot.Month(word)
	if m == 0 || strings.EqualFold(word, "may") {
		return "", false // ("since may" is no month said surely)
	}
	year := now.Year()
	if m > int(now.Month()) {
		year--
	}
	return time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), true
}

// monthPhrase is a month named without a day or a year: "sales for november", "in
// january", "last march".
var monthPhrase = regexp.MustCompile(`(?i)\b(in|for|during|over|of|this|last|next)\s+(january|february|march|april|may|june|july|august|september|october|november|december|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b(?:,?\s*((?:19|20)\d\d)\b)?`)

// monthDates returns the first and last day of the month named by word after prep:
// "this" is this year's, "last" and "next" the one before or after now, and otherwise
// the nearest one when it is at most three months away ("in january" in February is the
// one just past; "in march" the one to come), and none further; a year written after it
// is its year.
func monthDates(prep, word, written string, now time.Time) (from, to string, ok bool) {
	m := slot.Month(word)
	if m == 0 || strings.EqualFold(word, "may") && strings.EqualFold(prep, "this") {
		return "", "", false // "this may take a while"; ("for Jan" is a person: no "jan")
	}
	cur := int(now.Month())
	year := now.Year()
	if y, err := strconv.Atoi(written); err == nil {
		f := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		return f.Format("2006-01-02"), f.AddDate(0, 1, -1).Format("2006-01-02"), true
	}
	back, ahead := (cur-m+12)%12, (m-cur+12)%12
	switch strings.ToLower(prep) {
	case "this":
	case "last":
		if m >= cur {
			year--
		}
	case "next":
		if m <= cur {
			year++
		}
	default:
		switch {
		case back > 3 && ahead > 3:
			// "sales in may" in December: the May past or the May to come, as
			// likely; the user says which ("last may", "may 2029").
			return "", "", false
		case back == 0:
		case back < ahead:
			if m > cur {
				year--
			}
		default:
			if m < cur {
				year++
			}
		}
	}
	f := time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	return f.Format("2006-01-02"), f.AddDate(0, 1, -1).Format("2006-01-02"), true
}

// hasHow reports whether an argument of src was found the way how says.
func hasHow(src map[string]argSrc, how string) bool {
	for _, a := range src {
		if a.how == how {
			return true
		}
	}
	return false
}

// datedBy reports whether option o took a date of clause c.
func datedBy(c clause, o option) bool {
	return slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return s.Kind == slot.Date && optionUses(o, s) })
}

// unusedMonthYear returns a month and its year that clause c writes ("February 2022")
// when option o takes neither the year nor a value written with it ("2022-02").
func unusedMonthYear(c clause, o option) (string, bool) {
	for _, s := range c.slots {
		if s.Kind != slot.Number || len(s.Text) != 4 || !(strings.HasPrefix(s.Text, "19") || strings.HasPrefix(s.Text, "20")) || optionUses(o, s) {
			continue
		}
		m := wordBefore(c.text, s.Start-c.start)
		if !monthWords[m] || argsMention(o.args, s.Text) {
			continue
		}
		k := strings.TrimRight(c.text[:s.Start-c.start], " ")
		return c.text[len(k)-len(m) : s.End-c.start], true
	}
	return "", false
}

// allWhenOmitted matches a description that says a parameter left out means every
// one ("Field name; every field when left out", "All when left out").
var allWhenOmitted = regexp.MustCompile(`(?i)\b(?:every|all|everyone|everything)\b[^;.]*\b(?:when|if) (?:left out|omitted|not given|not set|unset|empty)\b`)

// clearedWhenOmitted matches a description that says leaving a parameter out clears
// something ("The beer to pour; the tap is emptied when left out").
var clearedWhenOmitted = regexp.MustCompile(`(?i)\b(?:emptied|cleared|removed|deleted|unset)\b[^;.]*\b(?:when|if) (?:left out|omitted|not given|empty)\b`)

// unnamedScope returns an optional string parameter of tool ti that option o leaves
// out, whose description says it means every one when left out, and the phrase after
// "the" in clause c that names something the tool's text does not ("the back block"),
// which may be the one meant. "" when there is none.
func (b *builder) unnamedScope(c clause, o option, ti *toolInfo) (*paramInfo, string) {
	var scoped *paramInfo
	for pi := range ti.params {
		if pr := &ti.params[pi]; pr.kind == pString && !pr.Required && o.args[pr.Name] == nil && pr.omitAll {
			scoped = pr
			break
		}
	}
	if scoped == nil || ti.builtin {
		return nil, ""
	}
	d := &b.p.ix.docs[b.p.toolIndex[ti]]
	for _, ph := range thePhrases(c) {
		for _, x := range ph {
			if !b.p.isVerb(x) && slices.ContainsFunc(terms(x), func(t string) bool { return d.tf[t] == 0 }) {
				return scoped, strings.Join(ph, " ")
			}
		}
	}
	return nil, ""
}

// thePhrases returns the phrases after each "the" of clause c, lower-cased, word by
// word: up to a stop word, a preposition, a value or punctuation ("email the invoice,
// please": invoice).
func thePhrases(c clause) [][]string {
	var out [][]string
	ws := strings.Fields(asciiLower(maskSlots(c)))
	for i, w := range ws {
		if w != "the" {
			continue
		}
		var ph []string
		for _, raw := range ws[i+1:] {
			x := strings.Trim(raw, ",.;:!?()\"'")
			if x == "" || stopWords[x] || prepositions[x] || strings.Trim(x, "x") == "" {
				break
			}
			ph = append(ph, x)
			if x != strings.TrimLeft(raw, "(\"'") {
				break
			}
		}
		if len(ph) > 0 {
			out = append(out, ph)
		}
	}
	return out
}

// pronounObject reports whether clause c opens with a verb whose object is "it" or
// "them" ("put it on tap 2").
func pronounObject(c clause, isVerb func(string) bool) bool {
	ws := strings.Fields(strings.ToLower(c.text))
	for len(ws) > 0 && (ws[0] == "and" || ws[0] == "then" || ws[0] == "please") {
		ws = ws[1:]
	}
	return len(ws) >= 2 && isVerb(ws[0]) && (strings.Trim(ws[1], ",.;:!?") == "it" || strings.Trim(ws[1], ",.;:!?") == "them")
}

// onlyTyped reports whether every argument is a date, a time or a number of the request
// (or a default), none a name, a phrase or a value of the tool's lists.
func onlyTyped(src map[string]argSrc) bool {
	for _, a := range src {
		switch a.how {
		case srcDefault, srcPeriod, srcSpan:
		case srcSlot, srcRequest:
			if k := a.slot.Kind; k != slot.Date && k != slot.Time && k != slot.Number && k != kindInstant {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// verbObject returns the noun right after the verb that opens clause c and an article
// ("find a restaurant": restaurant), when it is a word of its own (no value, stop word
// or verb), or "".
func (p *Pattern) verbObject(c clause) (w string, seek bool) {
	ws := strings.Fields(strings.ToLower(maskSlots(c)))
	for len(ws) > 0 && (ws[0] == "help" || ws[0] == "please" || ws[0] == "me") {
		ws = ws[1:]
	}
	if k := seekOpening(ws); k > 0 {
		// "I'm looking for a dentist": the thing sought, as "find a dentist".
		ws, seek = append([]string{"find"}, ws[k:]...), true
	}
	if len(ws) < 3 || !p.isVerb(ws[0]) || ws[1] != "a" && ws[1] != "an" && !(seek && (ws[1] == "some" || ws[1] == "the")) {
		return "", false
	}
	// The head of the noun phrase: its last word before a preposition, a stop word, a
	// value or a stop ("a public note to ticket 6002": note).
	for _, x := range ws[2:] {
		x0 := strings.TrimRight(x, ",.;:!?")
		if stopWords[x0] || prepositions[x0] || blanked(x0) || p.isVerb(x0) && w != "" {
			break
		}
		w = x0
		if x0 != x {
			break
		}
	}
	if len(w) < 3 || blanked(w) || stopWords[w] || p.isVerb(w) || genericNouns[w] || vagueModifiers[w] || plainAdjectives[w] || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return "", false
	}
	if w == "place" || w == "spot" {
		return "", false // "a place to stay", "a place to buy": what kind, the words after say
	}
	return w, seek
}

// seekOpening returns how many words of ws say that the user seeks what follows ("i'm
// looking for", "i am searching for", "i'm interested in"), or 0.
func seekOpening(ws []string) int {
	k := seekerAt(ws)
	if k < 0 || k+1 >= len(ws) {
		return 0
	}
	switch ws[k] + " " + ws[k+1] {
	case "looking for", "searching for", "hunting for", "interested in":
		return k + 2
	}
	return 0
}

// unusedMonth returns a month clause c names outside its slots ("the end of November")
// when option o takes no date or other value written with it. A month whose name is
// also a word (March, May, August) counts only capitalised.
func unusedMonth(c clause, o option) (string, bool) {
	text := maskSlots(c)
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		lw := strings.ToLower(w)
		if len(lw) < 5 && lw != "june" && lw != "july" || !monthWords[lw] || (lw == "march" || lw == "may" || lw == "august") && w == lw {
			continue
		}
		if argsMention(o.args, w) || slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return s.Kind == slot.Date && optionUses(o, s) }) {
			continue
		}
		return w, true
	}
	return "", false
}

// argsMention reports whether some string argument holds text.
func argsMention(args map[string]any, text string) bool {
	found := false
	for _, v := range args {
		plan.WalkStrings(v, func(s string) { found = found || strings.Contains(s, text) })
	}
	return found
}

// listPicks are the words that pick the first item of a list (the one a reference to
// the list takes).
var listPicks = wordSet("first top")

// unusedCode reports whether clause c holds a code that a parameter pattern of the
// catalogue fits (HD-0193, INC-20931) and option o takes nowhere.
func (b *builder) unusedCode(c clause, o option) bool {
	return slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return !optionUses(o, s) && b.p.catalogueCode(s) })
}

// catalogueCode reports whether slot s is a name in the form of a code some parameter of
// the catalogue's patterns gives ("HD-0193" for a ticket's id).
func (p *Pattern) catalogueCode(s slot.Slot) bool {
	return s.Kind == slot.Name && slices.ContainsFunc(p.codes, func(cp codeParam) bool { return cp.param.re.MatchString(s.Value) })
}

// serialParam reports whether text parameter pr is for a serial number or another
// number written as a string (serial_number, account_number, "serialNo").
func serialParam(pr *paramInfo) bool {
	if pr.kind != pString || len(pr.enumRaw) > 0 {
		return false
	}
	ws := words(pr.Name)
	if len(ws) == 0 {
		return false
	}
	last := strings.ToLower(ws[len(ws)-1])
	return pr.nameTerms["serial"] || last == "number" || last == "no" && len(ws) > 1
}

// identifierCode reports whether v is a code that a catalogue parameter's pattern for
// an identifier fits (idCodes: a pattern no plain word or number fits). A pattern that
// opens with a literal prefix, "^INC-[0-9]+$" or "^(PRJ|MOB|OPS)-[0-9]+$", is a code's,
// which judge names (codeOfOther).
func (p *Pattern) identifierCode(v string) bool {
	return codeShape(v) && slices.ContainsFunc(p.idCodes, func(q *paramInfo) bool { return q.re.MatchString(v) })
}

// idCodeParam reports whether pr is an identifier whose pattern no plain word or number
// fits, and which is no prefixed code (codePattern).
func idCodeParam(pr *paramInfo) bool {
	return pr.re != nil && !pr.whole && (pr.idLike || pr.nameTerms["key"] || pr.nameTerms["code"]) &&
		!pr.re.MatchString("word") && !pr.re.MatchString("two words") && !pr.re.MatchString("1234")
}

// unusedTimeOfDay returns a time of day clause c states that option o takes nowhere,
// and true; else false.
func unusedTimeOfDay(c clause, o option) (slot.Slot, bool) {
	for _, s := range c.slots {
		if s.Kind == slot.Time && !optionUses(o, s) {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// unreadDay returns a day clause c asks about that option o of tool ti, which reads
// and takes no date, cannot serve, and true: the tool reports the current state
// ("current", "latest", "now" in its name or description), or the day comes with a
// time of day that o takes nowhere either (an appointment).
func unreadDay(c clause, o option, ti *toolInfo) (slot.Slot, bool) {
	day, timed := slot.Slot{}, false
	for _, s := range c.slots {
		switch {
		case s.Kind == slot.Time && !optionUses(o, s):
			timed = true
		case s.Kind != slot.Date || optionUses(o, s) || day.Text != "":
		default:
			switch strings.ToLower(s.Text) {
			case "today", "now", "tonight", "right now":
			default:
				day = s
			}
		}
	}
	if day.Text == "" && reportsCurrent(ti) {
		// "what's the weather going to be like next week": a time to come no slot
		// holds.
		if m := laterAsked.FindString(c.text); m != "" {
			if strings.HasSuffix(m, " be") {
				m = "what is to come"
			}
			return slot.Slot{Kind: slot.Date, Text: m}, true
		}
	}
	if day.Text == "" || !timed && !reportsCurrent(ti) {
		return slot.Slot{}, false
	}
	return day, true
}

// laterAsked matches words that ask about a time to come: "next week", "this weekend",
// "going to be", "will it be".
var laterAsked = regexp.MustCompile(`(?i)\b(?:next (?:week|month|year|weekend)|this weekend|later (?:today|this week)|(?:going to|gonna|will(?: \w+){0,2}) be)\b`)

// reportsCurrent reports whether tool ti says it reads the current state of things:
// get_current_weather, "Get the latest stock price".
func reportsCurrent(ti *toolInfo) bool {
	for _, w := range append(words(ti.tool.Name), words(ti.tool.Description)...) {
		switch strings.ToLower(w) {
		case "current", "currently", "latest", "now", "realtime", "live":
			return true
		}
	}
	return false
}

// unusedWhen returns a date or a time of clause c that option o takes nowhere ("on
// Friday", "at 9pm"; not "today", "now" or "tonight", which an act done now
// satisfies), and true; else false.
func unusedWhen(c clause, o option) (slot.Slot, bool) {
	for _, s := range c.slots {
		if s.Kind != slot.Date && s.Kind != slot.Time {
			continue
		}
		switch strings.ToLower(s.Text) {
		case "today", "now", "tonight", "right now":
			continue
		}
		if !optionUses(o, s) {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// unusedShift returns a duration clause c shifts a time by ("in 10 minutes", "2 hours
// later") that option o takes nowhere, and true; else false. A tool that only reads or
// computes takes a duration "in" which something happens as a span ("how much energy
// does a 1500 W heater use in 3 hours"), when readOnly says so.
func unusedShift(c clause, o option, readOnly bool) (slot.Slot, bool) {
	for _, s := range c.slots {
		if s.Kind != kindDuration || !shiftsBy(c, s) || !strings.Contains(s.Text, " ") && strings.ToLower(s.Text) != s.Text {
			continue // ("in 3D" is a format, not three days)
		}
		if !optionUses(o, s) || fromNow(c, s) && !delayedBy(o, s) && !readOnly && !reportsDone(c) {
			return s, true
		}
	}
	return slot.Slot{}, false
}

// reportsDone reports whether clause c tells of something done: its verb, or the verb
// that opens what follows a colon, first after a subject ("I", "we", "just"), is in the
// past ("ran 10k in 54 min", "we walked 5 km in 50 minutes", "log this morning's
// workout: ran 8 km in 45 min"). Its "in 54 min" is how long that took, not a wait.
func reportsDone(c clause) bool {
	for _, part := range strings.Split(c.text, ":") {
		if opensInPast(part) {
			return true
		}
	}
	return false
}

// opensInPast reports whether the first word of text after a subject is a past form.
func opensInPast(text string) bool {
	for _, w := range words(text) {
		lw := strings.ToLower(w)
		switch {
		case lw == "i" || lw == "we" || lw == "just" || lw == "finally" || lw == "also":
			continue
		case pastForms[lw]:
			return true
		case regularPast(lw) && isLetters(lw):
			return true
		}
		return false
	}
	return false
}

// pastForms are irregular past forms of verbs that tell of something done.
var pastForms = wordSet("ran swam rode drove flew ate did went had took made got spent slept wrote bought sold paid")

// fromNow reports whether shift s of clause c counts from now ("in 10 minutes",
// "within an hour"), not from another time ("10 minutes before the meeting").
func fromNow(c clause, s slot.Slot) bool {
	w := strings.ToLower(prevWord(c, s))
	return w == "in" || w == "within"
}

// delayedBy reports whether option o takes shift s as a delay: a parameter named for
// one ("delay_minutes", "start_in", "wait_seconds"). "Unlock the front door in 10
// minutes" does not relock it after 10 minutes (relock_after_minutes).
func delayedBy(o option, s slot.Slot) bool {
	for name, a := range o.src {
		if a.how != srcSlot && a.how != srcRequest || a.slot.Start >= s.End || s.Start >= a.slot.End {
			continue
		}
		for _, w := range words(name) {
			switch strings.ToLower(w) {
			case "delay", "in", "wait", "countdown", "later", "offset", "start", "starts", "when", "at", "schedule", "scheduled":
				return true
			}
		}
	}
	return false
}

// usesMoreValues reports whether option a takes every typed value of clause c (a
// date, a time, an amount, a number: not a name or a quoted phrase), and option b, of
// tool bt, leaves one of them unused for want of a parameter of its kind (a tool
// that has one and took another value, "today April 25th", is a different matter).
func usesMoreValues(c clause, a, b option, bt *toolInfo) bool {
	lacks := false
	for _, s := range c.slots {
		switch s.Kind {
		case slot.Date, slot.Time, slot.Money, slot.Number, kindDuration:
			if !optionUses(a, s) {
				return false
			}
			lacks = lacks || !optionUses(b, s) && !takesKind(bt, s.Kind)
		}
	}
	if !lacks {
		return false
	}
	typed := func(o option) map[int]bool {
		m := map[int]bool{}
		for _, sr := range o.src {
			if sr.how == srcSlot && sr.slot.Kind != slot.Name && sr.slot.Kind != slot.Quoted {
				m[sr.slot.Start] = true
			}
		}
		return m
	}
	return dominates(typed(a), typed(b))
}

// dropsValue reports whether tool ti has no parameter for a typed value of clause c
// (a date, a time, an amount, a number) that option o, of tool oti, gives a parameter
// of its kind, o doing so for every such value: "send $40 to jamie@example.com" is no
// email, whatever its words.
func dropsValue(c clause, o option, oti, ti *toolInfo) bool {
	drops := false
	for _, s := range c.slots {
		switch s.Kind {
		case slot.Date, slot.Time, slot.Money, slot.Number, kindDuration:
			if !typedUse(oti, o, s) {
				return false // o leaves one unused itself, or reads it as text
			}
			drops = drops || !takesKind(ti, s.Kind)
		case slot.Enum:
			// "log 30 min of cycling": a value o takes as one of its parameter's
			// values, which no parameter of ti lists.
			if requiredEnumUse(oti, o, s) && !slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return inEnum(&pr, s.Value) }) {
				drops = true
			}
		}
	}
	return drops
}

// stepByID returns the step of the plan with id, or nil.
func (b *builder) stepByID(id string) *built {
	for i := range b.steps {
		if b.steps[i].step.ID == id {
			return &b.steps[i]
		}
	}
	return nil
}

// paidAs are the words a parameter's name gives for what money is paid as.
var paidAs = []string{"salary", "bonus", "fee", "budget", "fare", "deposit", "wage", "premium", "rent", "charge", "payment"}

// unitListed reports whether the word after offset end of text is a value of one of
// tool ti's enum parameters: the unit the quantity before it is counted in ("20 kg"
// where unit is one of kg, l, each).
func unitListed(ti *toolInfo, text string, end int) bool {
	next := strings.Fields(text[end:])
	if len(next) == 0 {
		return false
	}
	w := strings.Trim(next[0], ",.;:!?")
	return slices.ContainsFunc(ti.params, func(o paramInfo) bool {
		return o.kind == pEnum && slices.ContainsFunc(o.Enum, func(v string) bool { return strings.EqualFold(v, w) })
	})
}

// onlyLabels reports whether covers holds no word but generic labels ("ID"): none of
// what the clause is about.
func onlyLabels(covers map[string]bool) bool {
	for t := range covers {
		if !genericLabels[t] {
			return false
		}
	}
	return true
}

// genericLabels say that an identifier follows without saying whose: the word before
// them does ("product ID", "order number").
var genericLabels = wordSet("id number no code ref reference")

// labelledByOther reports whether word w, written right before a value, names a
// parameter of tool ti other than pr and not pr.
func labelledByOther(ti *toolInfo, pr *paramInfo, w string) bool {
	ts := terms(strings.ToLower(w))
	if len(ts) != 1 || pr.nameTerms[ts[0]] || stopWords[strings.ToLower(w)] || ti.terms[ts[0]] {
		return false // ("log payment TN-30019" over recordRentPayment: what is logged)
	}
	return slices.ContainsFunc(ti.params, func(o paramInfo) bool { return o.Name != pr.Name && o.nameTerms[ts[0]] })
}

// labelledParam returns the numeric parameter of tool ti that the words right after
// byte i of request name ("base" of "$128,000 base" for base_salary, "signing bonus" for
// signing_bonus), when exactly one does; else nil.
func labelledParam(ti *toolInfo, request string, i int) *paramInfo {
	ws := strings.Fields(asciiLower(request[i:]))
	if len(ws) > 2 {
		ws = ws[:2]
	}
	var found *paramInfo
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.kind != pNumber && pr.kind != pInteger && pr.kind != pMoney {
			continue
		}
		named := false
		for _, w := range ws {
			w = strings.Trim(w, ",.;:!?")
			if stopWords[w] || prepositions[w] {
				break
			}
			for _, t := range terms(w) {
				named = named || pr.nameTerms[t] // "signing bonus": either word may be the name's
			}
		}
		if named {
			if found != nil {
				return nil
			}
			found = pr
		}
	}
	return found
}

// stateOfVerb reports the value of a flag named name ("locked", "is_enabled") that verb
// v ("lock", "unlock") sets: true when v puts the thing in the state the name says,
// false when v is its opposite; ok is false when v says nothing of it.
func stateOfVerb(name, v string) (on, ok bool) {
	n := strings.ToLower(name)
	for _, p := range []string{"is_", "is"} {
		if strings.HasPrefix(n, p) && len(n) > len(p)+2 {
			n = n[len(p):]
			break
		}
	}
	if n == "active" || n == "on" {
		n = "enabled" // (what "turn on" does)
	}
	v = strings.ToLower(v)
	states := func(verb string) bool {
		// locked, enabled, stopped (the last consonant doubled)
		return n == verb+"ed" || strings.HasSuffix(verb, "e") && n == verb+"d" ||
			len(verb) > 2 && n == verb+verb[len(verb)-1:]+"ed"
	}
	if states(v) {
		return true, true
	}
	if o, has := opposites[v]; has && states(o) {
		return false, true
	}
	return false, false
}

// numberAsVerb returns the number clause c opens with when a determiner follows it, in
// a verb's place ("86 the salmon tartare"), or "".
func numberAsVerb(c clause) string {
	lead := len(c.text) - len(strings.TrimLeft(c.text, " "))
	for _, s := range c.slots {
		if s.Start-c.start != lead || s.Kind != slot.Number {
			continue
		}
		rest := strings.Fields(asciiLower(c.text[s.End-c.start:]))
		if len(rest) > 0 && verbPlaceDeterminers[rest[0]] {
			return s.Text
		}
	}
	return ""
}

// verbPlaceDeterminers open the object of a verb: after a number, they make it one.
var verbPlaceDeterminers = wordSet("the a an my our this that these those")

// withoutQuantifier returns phrase ph without the word of quantity it opens with ("much
// salmon", "enough flour", "many covers"), when words follow it.
func withoutQuantifier(ph string) string {
	w, rest, ok := strings.Cut(ph, " ")
	if ok && rest != "" && quantifiers[strings.ToLower(w)] {
		return rest
	}
	return ph
}

// quantifiers ask how much of a thing there is.
var quantifiers = wordSet("much many enough more less fewer")

// ofOtherParam returns what "of" introduces in phrase ph when the words before it name
// another parameter of tool ti than pr ("the price of the burger" for the dish of a
// price change is "burger"), else ph.
func ofOtherParam(ti *toolInfo, pr *paramInfo, ph string) string {
	head, rest, ok := strings.Cut(ph, " of ")
	if !ok || rest == "" || len(strings.Fields(head)) > 2 {
		return ph
	}
	hw := strings.Fields(asciiLower(head))
	last := stem(hw[len(hw)-1])
	if len(hw) == 2 && !determiners[hw[0]] {
		return ph
	}
	for k := range ti.params {
		o := &ti.params[k]
		if o != pr && (o.nameTerms[last] || stem(asciiLower(o.Name)) == last) {
			for _, d := range []string{"the ", "a ", "an ", "my ", "our "} {
				rest = strings.TrimPrefix(rest, d)
			}
			return rest
		}
	}
	return ph
}

// onlyTaken reports whether every content word of phrase ph is a value another argument
// took (or a word of an enum value it took), a value of another of tool ti's enum
// parameters than pr, a word of the tool's name or another parameter's name:
// "4 cases" after quantity 4 names no item, "cases" being a unit; "them a rent reminder"
// is no message when the notice's type is rent_reminder.
func onlyTaken(ti *toolInfo, pr *paramInfo, ph string, args map[string]any) bool {
	content := 0
	for _, w := range strings.Fields(ph) {
		lw := strings.ToLower(strings.Trim(w, ",.;:!?"))
		lw = withoutPossessive(lw) // ("C-3456789's fines")
		if stopWords[lw] || determiners[lw] || lw == "them" {
			continue // ("them a rent reminder": its words are the notice's type)
		}
		content++
		// A word of the tool's name, or the name of another of its parameters, labels
		// rather than gives: "place a hold for C-1234567 pickup eastside" has no title.
		found := slices.ContainsFunc(terms(lw), func(t string) bool { return ti.terms[t] })
		for k := range ti.params {
			if o := &ti.params[k]; o != pr {
				found = found || o.nameTerms[lw] || slices.ContainsFunc(terms(lw), func(t string) bool { return o.nameTerms[t] }) ||
					o.kind == pEnum && slices.ContainsFunc(o.Enum, func(v string) bool { return strings.EqualFold(v, lw) || stem(strings.ToLower(v)) == stem(lw) })
			}
		}
		for name, v := range args {
			if x, ok := v.(string); ok {
				found = found || strings.EqualFold(x, lw) || stem(strings.ToLower(x)) == stem(lw) ||
					enumNamed(ti, name) && slices.Contains(valueWords(x), lw)
			} else {
				found = found || fmt.Sprint(v) == lw // (a number: 4, 2.5)
			}
		}
		if !found {
			return false
		}
	}
	return content > 0
}

// withoutPossessive returns word w without its possessive "'s" ("C-3456789's").
func withoutPossessive(w string) string {
	return strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
}

// plainWords returns the words of text, lower case, without the punctuation around them.
func plainWords(text string) []string {
	ws := strings.Fields(asciiLower(text))
	for i := range ws {
		ws[i] = strings.Trim(ws[i], ",.;:!?()'\"")
	}
	return ws
}

// enumNamed reports whether tool ti's parameter name is an enum.
func enumNamed(ti *toolInfo, name string) bool {
	return slices.ContainsFunc(ti.params, func(o paramInfo) bool { return o.Name == name && o.kind == pEnum })
}

// lowerCode returns, in capitals, the one word of text written in lower case whose
// capitals parameter pr's pattern admits ("mem-00781": MEM-00781), or "".
func lowerCode(pr *paramInfo, text string) string {
	found := ""
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, ",.;:!?()'\"")
		w = withoutPossessive(w)
		up := strings.ToUpper(w)
		if up == w || !strings.ContainsAny(w, "0123456789") || pr.re.MatchString(w) || !pr.re.MatchString(up) {
			continue
		}
		if found != "" && found != up {
			return ""
		}
		found = up
	}
	return found
}

// yearMonthParam reports whether parameter pr takes a month written YYYY-MM: its
// pattern admits 2026-10 and not a day, or (with no pattern) its description says
// YYYY-MM.
func yearMonthParam(pr *paramInfo) bool {
	if d := strings.ToLower(pr.Description); pr.re == nil && strings.Contains(d, "yyyy-mm") && !strings.Contains(d, "yyyy-mm-dd") {
		return true // (described "YYYY-MM", with no pattern)
	}
	return pr.re != nil && pr.re.MatchString("2026-10") && !pr.re.MatchString("2026-10-05") && !pr.re.MatchString("word")
}

// yearMonthIn returns the one month text names, as YYYY-MM: written so ("2026-10"),
// by its name and year ("october 2026", "oct 2026"), or from now ("this month", "last
// month", "next month"); "" when it names none or two. spans are where text names it,
// so that its year fills nothing else ("his payslip for 2026-11" is no employee 2026).
func yearMonthIn(text string, now time.Time) (month string, spans [][2]int) {
	lower := strings.ToLower(text)
	var found []string
	for _, m := range writtenYearMonth.FindAllStringSubmatchIndex(lower, -1) {
		found = append(found, lower[m[2]:m[3]]+"-"+lower[m[4]:m[5]])
		spans = append(spans, [2]int{m[2], m[5]})
	}
	for _, m := range namedYearMonth.FindAllStringSubmatchIndex(lower, -1) {
		if mo := monthNumber(lower[m[2]:m[3]]); mo > 0 {
			found = append(found, fmt.Sprintf("%s-%02d", lower[m[4]:m[5]], mo))
			spans = append(spans, [2]int{m[0], m[1]})
		}
	}
	for phrase, shift := range map[string]int{"this month": 0, "last month": -1, "next month": 1, "previous month": -1} {
		if i := strings.Index(lower, phrase); i >= 0 {
			d := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, shift, 0)
			found = append(found, d.Format("2006-01"))
			spans = append(spans, [2]int{i, i + len(phrase)})
		}
	}
	uniq := slices.Compact(slices.Sorted(slices.Values(found)))
	if len(uniq) != 1 {
		return "", nil
	}
	return uniq[0], spans
}

// writtenYearMonth and namedYearMonth match a month written 2026-10 (not a day of it)
// and October 2026.
var (
	writtenYearMonth = regexp.MustCompile(`\b((?:19|20)[0-9]{2})-(0[1-9]|1[0-2])\b(?:[^-0-9]|$)`)
	namedYearMonth   = regexp.MustCompile(`\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\s+((?:19|20)[0-9]{2})\b`)
)

// monthNumber is the number of the month a name or its abbreviation names, or 0.
func monthNumber(name string) int {
	for i, m := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(name, m) {
			return i + 1
		}
	}
	return 0
}

// switchedVerb returns the verb a clause that turns, switches or toggles something on
// or off says: "turn on autopay" enables it, "switch roaming off" disables it; any other
// verb v is itself.
func switchedVerb(c clause, v string) string {
	if v != "turn" && v != "switch" && v != "toggle" {
		return v
	}
	ws := strings.Fields(asciiLower(c.text))
	for i := 1; i < len(ws) && i <= 4; i++ {
		switch strings.Trim(ws[i], ",.;:!?") {
		case "on":
			return "enable"
		case "off":
			return "disable"
		}
	}
	return v
}

// switchesOwn reports whether what clause c turns on or off is what tool ti is about:
// every content word of the clause up to its first comma, outside its values, is a word
// of the tool ("turn on autopay" over bills.setAutopay; not "turn off overseas
// transactions on the debit card", a card's setting). What is switched ends at a
// preposition: "toggle heating on in the meeting rooms" switches the heating, in the
// rooms.
func (p *Pattern) switchesOwn(ti *toolInfo, c clause) bool {
	d := &p.ix.docs[p.toolIndex[ti]]
	said, _, _ := strings.Cut(maskSlots(c), ",") // (", dad is racking up charges": why)
	for k, w := range words(said) {
		lw := strings.ToLower(w)
		if k > 0 && lw != "on" && lw != "off" && (prepositions[lw] || lw == "and") {
			break
		}
		if stopWords[lw] || lw == "turn" || lw == "switch" || lw == "toggle" || lw == "on" || lw == "off" || blanked(lw) {
			continue
		}
		if !slices.ContainsFunc(terms(w), func(t string) bool { return d.tf[t] > 0 }) {
			return false
		}
	}
	return true
}

// takesOnlyOthers reports whether option o takes at least one value and every one it
// takes is a typed value stated in another clause that a step of the plan already took.
func (b *builder) takesOnlyOthers(o option) bool {
	n := 0
	for _, a := range o.src {
		switch a.how {
		case srcDefault:
			continue
		case srcRequest:
			if b.uses(a.slot) {
				n++
				continue
			}
		}
		return false
	}
	return n > 0
}

// takesOwnCode reports whether option o of tool ti takes a code of clause c in the
// form its parameter's pattern gives ("OF-3312" for an offer_id of ^OF-[0-9]{4}$), which
// no parameter of tool other takes: "send OF-3312" sends the offer, and an e-mail that
// ranks a hair higher and lacks its recipient is no reading of it.
func takesOwnCode(c clause, o option, ti, other *toolInfo) bool {
	for _, s := range c.slots {
		if s.Kind != slot.Name || !optionUses(o, s) || !codeParamFor(ti, s.Value) || codeParamFor(other, s.Value) {
			continue
		}
		return true
	}
	return false
}

// codeParamFor reports whether a parameter of tool ti has a pattern that value v
// matches.
func codeParamFor(ti *toolInfo, v string) bool {
	return slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return pr.re != nil && pr.re.MatchString(v) })
}

// typedUse reports whether option o gives slot s to a parameter of tool ti made for
// its kind (a date to a date, an amount to a number), not as text.
func typedUse(ti *toolInfo, o option, s slot.Slot) bool {
	for _, pr := range ti.params {
		a, ok := o.src[pr.Name]
		if !ok || a.how != srcSlot && a.how != srcRequest || !(a.slot.Start < s.End && s.Start < a.slot.End) {
			continue
		}
		if kindFits(&pr, s.Kind) {
			return true
		}
	}
	return false
}

// requiredEnumUse reports whether option o gives enum slot s to a required enum
// parameter of tool ti: the value its step rests on ("cycling" for a workout's
// activity), not a filter it may leave out ("error" for an alert list).
func requiredEnumUse(ti *toolInfo, o option, s slot.Slot) bool {
	for _, pr := range ti.params {
		a, ok := o.src[pr.Name]
		if ok && pr.Required && pr.kind == pEnum && (a.how == srcSlot || a.how == srcRequest) && a.slot.Start < s.End && s.Start < a.slot.End {
			return true
		}
	}
	return false
}

// takesKind reports whether tool ti has a parameter for a value of slot kind k.
func takesKind(ti *toolInfo, k slot.Kind) bool {
	for pi := range ti.params {
		if kindFits(&ti.params[pi], k) {
			return true
		}
	}
	return false
}

// kindFits reports whether parameter pr is made for a value of slot kind k.
func kindFits(pr *paramInfo, k slot.Kind) bool {
	n := pr.numeric || pr.kind == pNumber || pr.kind == pInteger
	switch k {
	case slot.Date:
		return pr.kind == pDate || pr.kind == pInstant
	case slot.Time:
		return pr.kind == pTime || pr.kind == pInstant
	case slot.Money:
		return n || pr.kind == pMoney
	case kindDuration:
		return n || pr.kind == pDuration
	case slot.Enum:
		return pr.kind == pEnum
	}
	return n
}

// optionUses reports whether option o passes slot s to its tool or to a producer step:
// the value, a number read inside it ("5" of "5 ETH"), or inside a phrase ("value of 5
// ETH").
func optionUses(o option, s slot.Slot) bool {
	for _, a := range o.src {
		if (a.how == srcSlot || a.how == srcRequest) && a.slot.Start < s.End && s.Start < a.slot.End {
			return true
		}
	}
	used := false
	in := func(v any) {
		plan.WalkStrings(v, func(x string) {
			used = used || strings.Contains(x, s.Text) || s.Value != "" && strings.Contains(x, s.Value)
		})
	}
	for _, v := range o.args {
		in(v)
	}
	for _, st := range o.steps {
		for _, v := range st.step.Args {
			in(v)
		}
	}
	return used
}

// prevWord returns the word of clause c right before slot s, or "".
func prevWord(c clause, s slot.Slot) string {
	if pw := prevWords(c, s, 1); len(pw) == 1 {
		return pw[0]
	}
	return ""
}

// mergeable returns the index of the earlier step, asked for by a clause, that calls ti
// with arguments none of which disagrees with args (src says how each was found), or
// -1. A default, on either side, disagrees with nothing.
func (b *builder) mergeable(ti *toolInfo, args map[string]any, src map[string]argSrc) int {
	for i := len(b.steps) - 1; i >= 0; i-- {
		s := b.steps[i]
		if s.tool != ti || s.producer {
			continue
		}
		for k, v := range args {
			if old, ok := s.step.Args[k]; ok && string(mustJSON(old)) != string(mustJSON(v)) && !s.defaults[k] && src[k].how != srcDefault {
				return -1
			}
			if str, ok := v.(string); ok {
				if r, ok := plan.WholeRef(str); ok && r.Step == s.step.ID {
					return -1
				}
			}
		}
		return i
	}
	return -1
}

// defaultArgs returns the arguments src says were given their default.
func defaultArgs(src map[string]argSrc) map[string]bool {
	var out map[string]bool
	for k, s := range src {
		if s.how == srcDefault {
			if out == nil {
				out = map[string]bool{}
			}
			out[k] = true
		}
	}
	return out
}

// duplicate returns the id of an earlier step calling ti that a call with args would
// repeat: every argument is the earlier step's own value or a reference to that step.
func (b *builder) duplicate(ti *toolInfo, args map[string]any) string {
	for _, s := range b.steps {
		if s.tool != ti {
			continue
		}
		same := true
		for k, v := range args {
			if str, ok := v.(string); ok {
				if r, ok := plan.WholeRef(str); ok && r.Step == s.step.ID {
					continue
				}
			}
			if string(mustJSON(v)) != string(mustJSON(s.step.Args[k])) {
				same = false
				break
			}
		}
		if same {
			return s.step.ID
		}
	}
	return ""
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// dependsOn reports whether a step with direct dependencies deps depends, directly or
// through earlier steps, on target.
func dependsOn(b *builder, deps []string, target string) bool {
	seen := map[string]bool{}
	var visit func(id string) bool
	visit = func(id string) bool {
		if id == target {
			return true
		}
		if seen[id] {
			return false
		}
		seen[id] = true
		for i := range b.steps {
			if b.steps[i].step.ID == id {
				for _, d := range b.steps[i].step.Deps(nil) {
					if visit(d) {
						return true
					}
				}
			}
		}
		return false
	}
	for _, d := range deps {
		if visit(d) {
			return true
		}
	}
	return false
}

func (b *builder) plan() *plan.Plan {
	p := &plan.Plan{Goal: strings.TrimSpace(b.goal), Reasoning: "pattern planner: " + strings.Join(b.notes, "; ")}
	for _, s := range b.steps {
		p.Steps = append(p.Steps, s.step)
	}
	return p
}

// polarityValue returns the value of enum parameter pr that is a polarity word the clause
// says (on, off, open, lock, enable...) when it says exactly one of them and not its
// opposite, or "".
func polarityValue(pr *paramInfo, c clause) string {
	said := map[string]bool{}
	for _, w := range words(maskSlots(c)) {
		said[strings.ToLower(w)] = true
	}
	found := ""
	for _, v := range pr.Enum {
		lv := strings.ToLower(v)
		opp, ok := opposites[lv]
		if !ok || !said[lv] || said[opp] {
			continue
		}
		if found != "" {
			return ""
		}
		found = v
	}
	return found
}

// acronym reports whether v is one word of two to five capital letters: CRM, CMS, ERP.
func acronym(v string) bool {
	if len(v) < 2 || len(v) > 5 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 'A' || v[i] > 'Z' {
			return false
		}
	}
	return true
}

// enumAbbreviations are the short forms people write for enum values: "restart it in
// prod".
var enumAbbreviations = map[string]string{"prod": "production", "dev": "development", "stg": "staging",
	"stage": "staging", "med": "medium"}

// reorderedValue returns the value of enum parameter pr of two or more parts
// (latency_p99) every part of which the clause writes as a word, in another order ("the p99 latency"), when exactly one value is so written, or "".
func reorderedValue(pr *paramInfo, c clause) string {
	have := map[string]bool{}
	for _, w := range strings.Fields(asciiLower(c.text)) {
		have[strings.Trim(w, ",.;:!?()'\"")] = true
	}
	found := ""
	for _, v := range pr.Enum {
		parts := valueWords(v)
		if len(parts) < 2 || slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return s.Kind == slot.Enum && s.Value == v }) {
			continue // (written as the value is, it is a slot)
		}
		all := true
		for k, part := range parts {
			// Words of their own, each once ("it-IT" is no "it"):
			all = all && have[part] && len(part) > 1 && !stopWords[part] && !slices.Contains(parts[:k], part)
		}
		if all {
			if found != "" {
				return ""
			}
			found = v
		}
	}
	return found
}

// abbreviatedValue returns the value of enum parameter pr whose short form the clause
// writes outside its slots, when it writes exactly one, or "".
func abbreviatedValue(pr *paramInfo, c clause) string {
	found := ""
	for _, w := range words(maskSlots(c)) {
		long, ok := enumAbbreviations[strings.ToLower(w)]
		if !ok {
			continue
		}
		for _, v := range pr.Enum {
			if strings.EqualFold(v, long) {
				if found != "" && found != v {
					return ""
				}
				found = v
			}
		}
	}
	if found == "" {
		// "68 fahrenheit" for a unit of F or C: the unit's letter.
		for _, w := range words(maskSlots(c)) {
			letter, ok := unitLetters[strings.ToLower(w)]
			if !ok {
				continue
			}
			for _, v := range pr.Enum {
				if strings.EqualFold(v, letter) || strings.EqualFold(v, "°"+letter) {
					if found != "" && found != v {
						return ""
					}
					found = v
				}
			}
		}
	}
	return found
}

// numberFormValue returns the value of enum parameter pr that the clause writes in the
// other number ("my step goal" for steps, "a ticket" for tickets), when it writes
// exactly one, or "".
func numberFormValue(pr *paramInfo, c clause) string {
	found := ""
	for _, w := range words(maskSlots(c)) {
		lw := strings.ToLower(w)
		if len(lw) < 3 || stopWords[lw] {
			continue
		}
		for _, v := range pr.Enum {
			lv := strings.ToLower(v)
			if len(lv) < 4 || !isLetters(lv) || lw+"s" != lv && lw != lv+"s" {
				continue
			}
			if found != "" && found != v {
				return ""
			}
			found = v
		}
	}
	return found
}

// unitLetters are the temperature units and the letter a unit enum writes them with.
var unitLetters = map[string]string{"fahrenheit": "F", "celsius": "C", "centigrade": "C", "kelvin": "K"}

// languageValue returns the code among an enum parameter's values for the language
// clause c names after "in" or "into" ("transcribe ep105_final.mp3 in Spanish": es),
// when the parameter is a language's, or "".
func languageValue(pr *paramInfo, c clause) string {
	if !mentions(pr, languageTerms) {
		return ""
	}
	ws := strings.Fields(c.text)
	for i := 1; i < len(ws); i++ {
		if p := strings.ToLower(ws[i-1]); p != "in" && p != "into" {
			continue
		}
		code, ok := lexicon.LanguageCode(strings.Trim(ws[i], ",.;:!?"))
		if !ok {
			continue
		}
		for _, v := range pr.Enum {
			if strings.EqualFold(v, code) || strings.HasPrefix(strings.ToLower(v), strings.ToLower(code)+"-") {
				return v
			}
		}
	}
	return ""
}

// levelValue returns the value of enum parameter pr that the clause says next to the
// parameter's own word, outside any slot: "a high priority ticket", "severity low".
// Slots never hold high or low (the roles of a request rest on them), so the value is
// read from the clause's words. It is "" unless exactly one value is said so.
func levelValue(pr *paramInfo, c clause) string {
	ws := words(maskSlots(c))
	found := ""
	for _, v := range pr.Enum {
		lv := strings.ToLower(v)
		if lv == "" || strings.ContainsAny(lv, " _-") {
			continue
		}
		for i, w := range ws {
			if !strings.EqualFold(w, lv) {
				continue
			}
			if i+1 < len(ws) && pr.nameTerms[strings.ToLower(ws[i+1])] || i > 0 && pr.nameTerms[strings.ToLower(ws[i-1])] {
				if found != "" && found != v {
					return ""
				}
				found = v
			}
		}
	}
	return found
}

// assignment is one slot proposed for one parameter.
type assignment struct {
	param, slot int
	score       float64
}

// fill builds the arguments of ti for clause c. role is the role a producer step fills
// ("origin"); depth counts producer levels. Producer steps it needs are appended to b.
func (b *builder) fill(ti *toolInfo, c clause, role string, depth int) (map[string]any, map[string]argSrc, bool, string) {
	if op := b.p.operationMissed(c, ti); op != "" {
		// "what is the sum of 133 and 34" over stats.mean ("Calculate the arithmetic
		// mean"): arithmetic, but not the operation asked.
		return nil, nil, false, fmt.Sprintf("%q asks for a %s, which %s does not compute", c.text, op, ti.tool.Name)
	}
	args := map[string]any{}
	src := map[string]argSrc{}
	filled := make([]bool, len(ti.params))
	usedSlot := make([]bool, len(c.slots))

	// 0. The units a conversion goes from and to ("how many kilograms is 165 lbs").
	b.units(ti, c, args, src, filled)
	measuredUnit(ti, c, args, src, filled)

	// 0. A word of the clause that the parameter's description gives as an example
	// ("the operation to do, eg. buy, sell"): "buy Apple stock" buys.
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pString || len(pr.examples)+len(pr.phrases) == 0 {
			continue
		}
		if w := exampleIn(pr, maskSlots(c)); w != "" && countryForCity(pr, w) == "" {
			args[pr.Name] = b.qualified(ti, c, w)
			src[pr.Name] = argSrc{how: srcExample}
			filled[pi] = true
		}
	}

	// 0. An enum value that states a polarity ("turn off the kitchen lights": state
	// off): slots never hold on, off, open or lock, the words a request's polarity rests
	// on, so the value is read from the clause's words.
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.kind != pEnum || filled[pi] {
			continue
		}
		if v := polarityValue(pr, c); v != "" {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		} else if v := levelValue(pr, c); v != "" {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		} else if v := abbreviatedValue(pr, c); v != "" {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		} else if v := reorderedValue(pr, c); v != "" {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		} else if v := languageValue(pr, c); v != "" {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		}
	}

	// 0. A flag that makes the step repeat every day ("repeat_daily") when the clause
	// asks for it every day: "a wakeup call every morning at 7".
	if daily(recurrence(c.text)) {
		for pi := range ti.params {
			if pr := &ti.params[pi]; pr.kind == pBool && !filled[pi] && slices.ContainsFunc(terms("daily"), func(t string) bool { return pr.nameTerms[t] }) {
				args[pr.Name], src[pr.Name] = true, argSrc{how: srcExample}
				filled[pi] = true
			}
		}
	}

	// 0b. A flag named for the state the clause's verb puts the thing in: "lock the
	// driveway charger" sets locked to true, "unlock it" to false ("enable" enabled,
	// "mute" muted, "pause" paused).
	if v := switchedVerb(c, leadVerb(c, b.p.isVerb)); v != "" && (v == leadVerb(c, b.p.isVerb) || b.p.switchesOwn(ti, c)) {
		for pi := range ti.params {
			pr := &ti.params[pi]
			if pr.kind != pBool || filled[pi] || len(pr.nameTerms) != 1 {
				continue
			}
			if on, ok := stateOfVerb(pr.Name, v); ok {
				args[pr.Name], src[pr.Name] = on, argSrc{how: srcExample}
				filled[pi] = true
			}
		}
	}

	// 0a. A code written in lower case for a parameter whose pattern writes it in
	// capitals ("downgrade mem-00781 to off peak" for ^MEM-[0-9]{5}$); a month for a
	// parameter written YYYY-MM ("2026-10", "october 2026", "last month").
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pString {
			continue
		}
		v := ""
		if codePattern(pr) {
			v = lowerCode(pr, c.text)
		}
		if v == "" && yearMonthParam(pr) {
			var spans [][2]int
			v, spans = yearMonthIn(c.text, b.p.cfg.now())
			for _, sp := range spans {
				markOverlap(c, usedSlot, sp[0], sp[1])
			}
		}
		if v != "" {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		}
	}

	// 0a. A value of the shape the parameter's examples have ("acme/web" for "owner/name,
	// e.g. acme/api"; "v2.3.1" for "Version tag, e.g. v1.4.2"); it fills nothing else.
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pString {
			continue
		}
		w := shapedValue(pr, c.text)
		if w != "" && slices.ContainsFunc(ti.params, func(o paramInfo) bool { return o.kind == pEnum && inEnum(&o, w) }) {
			// "show open PRs by priya in web-app": a value of the tool's enum for the
			// repository is that, whatever the reviewer's example "mobile-team" looks like.
			w = ""
		}
		if w == "" && b.p.numberedNames[pr.norm] {
			// "water the North 40 for 90 minutes" for "Field name, e.g. North 40" (here
			// or in another tool's parameter of that name): the name goes on with its
			// number.
			if from, to, ok := numberedName(c, b.request, b.p.isVerb); ok {
				args[pr.Name], src[pr.Name] = b.request[from:to], argSrc{how: srcExample}
				for k, o := range c.slots {
					if o.Start >= from && o.End <= to {
						usedSlot[k] = true
						if o.Kind == slot.Name {
							src[pr.Name] = argSrc{how: srcSlot, slot: o}
						}
					}
				}
				filled[pi] = true
				continue
			}
		}
		if w == "" && b.p.spacedCodes[pr.norm] {
			// "drop PHIL 120" for a course_code the catalogue exemplifies as "CS 101"
			// (here or in another tool's parameter of that name).
			w = spacedCode.FindString(c.text)
		}
		if w != "" {
			args[pr.Name], src[pr.Name] = w, argSrc{how: srcExample}
			filled[pi] = true
			markUsed(c.slots, usedSlot, w)
			continue
		}
		// A file-name pattern: "the .csv files" is "*.csv", and its words fill
		// nothing else.
		if !globParam(pr) {
			continue
		}
		if g, from, to := globIn(c.text); g != "" {
			args[pr.Name], src[pr.Name] = g, argSrc{how: srcExample}
			filled[pi] = true
			markOverlap(c, usedSlot, from, to)
		}
	}

	// 0b. The coefficients of a polynomial equation the clause writes out ("x^2 - 5x + 6
	// = 0"): by degree, never the digits of its exponents; the equation's numbers fill
	// nothing else.
	b.coefficients(ti, c, args, src, filled, usedSlot)

	// 0c. A person's name for a first and a last name: "Add Maria Lopez to the CRM".
	personNameParts(ti, c, args, src, filled, usedSlot)

	// 0d. A season, month or quarter for an enum of dated ones: "in the fall" for
	// fall_2027 when no other value is fall's.
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pEnum {
			continue
		}
		if v, ok := datedEnum(pr, c); ok {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		}
	}

	// 0e. A week, month or year named from now for a span's dates: "signings next
	// week" lists from next Monday to that Sunday.
	b.periodSpan(ti, c, args, src, filled)

	// 1a. A value the request labels with the parameter's own name, in this clause or
	// in a statement ("Site ID is 1234", "my user ID: 12345"): nothing says more.
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] {
			continue
		}
		s, ok := b.labelled(pr)
		if !ok || slotFits(pr, s, b.request) != "" {
			continue
		}
		v, ok := convert(pr, s)
		if !ok {
			continue
		}
		args[pr.Name], src[pr.Name] = v, argSrc{how: srcRequest, slot: s}
		filled[pi] = true
		for si, cs := range c.slots {
			if cs.Start == s.Start && cs.End == s.End {
				usedSlot[si] = true
			}
		}
	}

	// 1b. A phrase the clause introduces with the parameter's one-word name: "with
	// reference December rent", "note: back door code 4411".
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] {
			continue
		}

		if v, from, to := introducedPhrase(pr, c.text); v != "" {
			// The phrase is words of its own, or one quoted value: a value of
			// another kind inside it says the phrase is no such thing ("with the host
			// address 'http://...'", "with the lawyer Maria Gonzalez about ...").
			var in []int
			for si, s := range c.slots {
				if s.Start < c.start+to && c.start+from < s.End {
					in = append(in, si)
				}
			}
			if len(in) > 1 || len(in) == 1 && (c.slots[in[0]].Kind != slot.Quoted || c.slots[in[0]].Value != v) {
				continue
			}
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcPhrase}
			filled[pi] = true
			if len(in) == 1 {
				usedSlot[in[0]] = true
				src[pr.Name] = argSrc{how: srcSlot, slot: c.slots[in[0]]} // 'rent Dec'
			}
		}
	}

	// 1. Slots, by type and cues, best pairs first. A name inside the text a clause
	// dictates after a colon is that text's ("Open a ticket in PROJ: login page crashes
	// on Safari" names no assignee).
	dictated := len(c.text)
	if k := strings.Index(c.text, ": "); k > 0 && slices.ContainsFunc(ti.params, func(pr paramInfo) bool { return pr.whole && pr.kind == pString }) {
		dictated = k
	}
	var props []assignment
	for pi := range ti.params {
		for si, s := range c.slots {
			if s.Kind == slot.Name && s.Start-c.start >= dictated && !ti.params[pi].whole {
				continue
			}
			if sc := b.slotScore(ti, &ti.params[pi], s, c, role); sc > 0 {
				props = append(props, assignment{pi, si, sc})
			}
		}
	}
	sort.SliceStable(props, func(i, j int) bool {
		if props[i].score != props[j].score {
			return props[i].score > props[j].score
		}
		return props[i].param+props[i].slot < props[j].param+props[j].slot
	})
	for _, a := range props {
		if filled[a.param] || usedSlot[a.slot] {
			continue
		}
		v, ok := convertListed(&ti.params[a.param], c.slots[a.slot])
		if !ok {
			continue
		}
		if s, pr := c.slots[a.slot], &ti.params[a.param]; s.Kind == slot.Name && !languageCodeParam(pr) && !isoCodeParam(pr) && mentions(pr, countryTerms) && !nationalityParam(pr) {
			if name, adj, ok := lexicon.Country(s.Text); ok && adj {
				v = name // "an Italian passport" is for Italy
			}
		}
		if str, ok := v.(string); ok && c.slots[a.slot].Kind == slot.Name {
			if base := b.possessor(str, c.slots[a.slot]); base != str {
				if b.ownsToolsThing(ti, &ti.params[a.param], c.slots[a.slot]) {
					// "order more of Rocco's food": Rocco owns the food the tool
					// orders; he is no product.
					continue
				}
				v = base
			}
		}
		if str, ok := v.(string); ok && c.slots[a.slot].Kind == slot.Name && ti.params[a.param].kind == pString && !ti.params[a.param].idLike {
			// "Hill's Science Diet Adult": a name right after a name ending in 's is
			// the same name going on.
			if k := a.slot + 1; k < len(c.slots) && !usedSlot[k] && c.slots[k].Kind == slot.Name && c.slots[k].Start == c.slots[a.slot].End+1 &&
				strings.HasSuffix(c.slots[a.slot].Text, "'s") && b.request[c.slots[a.slot].End] == ' ' {
				v, usedSlot[k] = str+" "+c.slots[k].Value, true
			}
		}
		if str, ok := v.(string); ok && c.slots[a.slot].Kind == slot.Name && ti.params[a.param].kind == pString {
			// "share the Lisbon 2031 album": a number between a name and the thing the
			// parameter names is the name's.
			if k := a.slot + 1; k < len(c.slots) && !usedSlot[k] && c.slots[k].Kind == slot.Number && c.slots[k].Start == c.slots[a.slot].End+1 &&
				isDigits(c.slots[k].Text) && ti.params[a.param].nameTerms[wordAfter(b.request, c.slots[k].End)] {
				v, usedSlot[k] = str+" "+c.slots[k].Text, true
			}
		}
		if s := c.slots[a.slot]; s.Kind == slot.Name && ti.params[a.param].cityCountry {
			// "a trip to Paris, France" for a place in the form 'City, Country'.
			if country, ok := countryAfter(b.request, s.End); ok {
				if str, ok := v.(string); ok && str == s.Value {
					v = str + ", " + country
				}
			}
		}
		if s := c.slots[a.slot]; s.Kind == slot.Number && ti.params[a.param].measure != "" {
			// "a 12 kg bag" for bag_size "e.g. 12 kg, 3.5 lb": the number with its unit.
			if next := strings.Fields(b.request[s.End:]); len(next) > 0 && measureShape.MatchString(s.Text+" "+next[0]) {
				v = s.Text + " " + next[0]
			}
		}
		args[ti.params[a.param].Name] = v
		src[ti.params[a.param].Name] = argSrc{how: srcSlot, slot: c.slots[a.slot]}
		filled[a.param], usedSlot[a.slot] = true, true
	}

	// Numbered twins ("image" and "image_2") take their values in the request's order.
	orderTwins(ti, args, src, c.text)

	// A list fills a list parameter whole: "Australia, Canada, and India", "'read' and
	// 'write'" (the first item was assigned above).
	b.listItems(ti, c, args, src, filled, usedSlot)

	// The operands of an arithmetic expression fill a tool that takes them one by one
	// ("394 times 213" for CalcProduct(a, b)), when there are as many as it needs.
	b.operands(ti, c, args, src, filled)

	// Currencies, by code or name, for the parameters that take a currency code
	// ("convert 150 US dollars to euros": USD, then EUR).
	b.currencies(ti, c, args, src, filled)

	// A value written with the sign the parameter's examples use ("#general", "@sam"):
	// a Slack channel, a handle.
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || pr.kind != pString {
			continue
		}
		if v := prefixedValue(pr, c.text); v != "" {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			filled[pi] = true
		}
	}

	// A template's values, stated by key ("with name Bob").
	b.templateValues(ti, c, args, filled, usedSlot)
	for k := range args {
		if _, ok := src[k]; !ok {
			src[k] = argSrc{how: srcTemplate}
		}
	}

	// 2. Required parameters without a slot in the clause: a slot stated elsewhere in the
	// request (the dates of a trip apply to its hotel too), an earlier step's output
	// field of the same name, the schema's default, a reference, a producer, a phrase.
	usedPhrase := map[string]bool{}
	for si, s := range c.slots {
		if usedSlot[si] {
			usedPhrase[s.Value] = true
		}
	}
	// A value read from the clause's words fills no other parameter, alone or in a
	// phrase: "roll back to v2.3.1" names no service, "with v 1.2.3" no project.
	var taken []string
	for name, a := range src {
		if v, ok := args[name].(string); ok && a.how == srcExample {
			usedPhrase[v] = true
			taken = append(taken, v)
		}
	}
	holdsTaken := func(ph string) bool {
		for _, v := range taken {
			if strings.ContainsAny(v, "0123456789") && containsWordFold(ph, v) {
				return true
			}
		}
		return false
	}
	// A free-text parameter filled with a name takes the whole phrase the clause states
	// for it when the name is part of it: "about Data Privacy and Security".
	for pi := range ti.params {
		pr := &ti.params[pi]
		if !filled[pi] || !pr.free {
			continue
		}
		if v, ok := args[pr.Name].(string); ok && !quotedValue(c, v) {
			if ph := trimTypedTail(cuePhrase(c.text), c.slots, usedSlot); ph != "" && ph != v && strings.HasPrefix(ph, v) && len(strings.Fields(ph)) <= 8 {
				args[pr.Name] = ph
				src[pr.Name] = argSrc{how: srcPhrase}
				dropNamesIn(ti, pi, ph[len(v):], args, src, filled)
			}
		}
	}
	// A name or a title filled with a name takes the whole phrase "called" or "titled"
	// introduces: "a deal called Acme renewal worth 25000" is the deal "Acme renewal".
	for pi := range ti.params {
		pr := &ti.params[pi]
		if !filled[pi] || pr.free || pr.whole || src[pr.Name].how != srcSlot || !(pr.norm == "name" || pr.norm == "title" || pr.nameTerms["title"]) {
			continue
		}
		if v, ok := args[pr.Name].(string); ok && !quotedValue(c, v) {
			if ph := introducedName(c.text); ph != v && strings.HasPrefix(ph, v+" ") && len(strings.Fields(ph)) <= 6 {
				args[pr.Name] = ph
				src[pr.Name] = argSrc{how: srcPhrase}
				dropNamesIn(ti, pi, ph[len(v):], args, src, filled)
			}
		}
	}
	// "Convert 250 USD to EUR": the amount's currency is the currency converted from.
	if why := b.withCurrency(ti, c.text, args, src); why != "" {
		return nil, nil, false, why
	}
	for pi := range ti.params {
		if args[ti.params[pi].Name] != nil {
			filled[pi] = true
		}
	}
	for pi := range ti.params {
		// "a room tomorrow 10:00-11:30" lasts 90 minutes, whether the length is asked
		// for or has a default (60) that would be wrong.
		if pr := &ti.params[pi]; !filled[pi] {
			if v, ok := timeSpanned(pr, c, b.request); ok {
				args[pr.Name], src[pr.Name], filled[pi] = v, argSrc{how: srcSpan}, true
			}
		}
	}
	for pi := range ti.params {
		// "register ... owner phone 555 010 2020, then search pets for that phone":
		// the value of the kind the clause names back is the one stated before it.
		pr := &ti.params[pi]
		if filled[pi] {
			continue
		}
		if s, ok := b.namedBack(pr, c); ok {
			if v, ok := convert(pr, s); ok && slotFits(pr, s, b.request) == "" {
				args[pr.Name], src[pr.Name], filled[pi] = v, argSrc{how: srcRequest, slot: s}, true
			}
		}
	}
	for pi := range ti.params {
		// "add PRJ-1120 to sprint 43" for a sprint id "^SPR-[0-9]+$": the number after
		// the word the code's letters begin is that code.
		pr := &ti.params[pi]
		if filled[pi] {
			continue
		}
		if v, s, ok := prefixedNumber(pr, c); ok && !argHolds(args, s.Value) {
			args[pr.Name], src[pr.Name], filled[pi] = v, argSrc{how: srcNamed}, true
		}
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		if filled[pi] || !pr.Required {
			continue
		}
		if ref, ok := b.earlierInstant(pr); ok {
			args[pr.Name], src[pr.Name] = ref, argSrc{how: srcRef}
			continue
		}
		if pr.kind == pTime {
			// "every morning at 7", "tonight at 9": an hour alone, read as the morning or
			// the evening the clause says; without that it is no time. (Before a time of
			// another clause: "reserve harbor grill at 8 tonight, then book a taxi at
			// 10:30pm" had reserved the table at 22:30.)
			if hs, v, ok := b.bareHour(c); ok {
				if v == "" {
					// (Not "needs": the clause gave a value, one that cannot be read.)
					return nil, nil, false, fmt.Sprintf("\"%s %s\" could be morning or evening for the %s of %s (say %sam or %spm)", prevWord(c, hs), hs.Text, pr.Name, ti.tool.Name, hs.Text, hs.Text)
				}
				if admits(pr, v) {
					args[pr.Name], src[pr.Name] = v, argSrc{how: srcSlot, slot: hs}
					continue
				}
			}
		}
		if v, s, ok := b.requestSlot(ti, pr, c, args); ok {
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcRequest, slot: s}
			continue
		}
		if pr.kind == pZone {
			// A time zone is stated, never taken from another step's output or
			// from a step inserted to produce one.
			return nil, nil, false, needs(ti, pr, c, b.request)
		}
		if v := numberFormValue(pr, c); v != "" && pr.kind == pEnum {
			// "set my step goal to 10,000" for metric: steps.
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			continue
		}
		if v, ok := legendValue(pr, c); ok {
			// "1 represents cleaning, 2 represents ironing": "ironing services" is 2.
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			continue
		}
		if v, ok := glossedValue(pr, c.text+" . "+b.statements(), args); ok {
			// "submit my taxi receipt" for "travel covers taxis, trains, ...".
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			continue
		}
		if v, ok := distinctValue(pr, c.text, args, func(w string) bool { return b.p.othersTerm(ti, w) }); ok {
			// "mark DL-7811 as won"; "suspend my line".
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			continue
		}
		if pr.free && pr.kind == pString && len(args) > 0 && !pr.idLike && !pr.entity && pr.re == nil && describesIssue(pr) {
			// "open a work order for C-101, kitchen sink leaking, plumbing": the one aside
			// is the description.
			asides := slices.DeleteFunc(b.asides(ti, c, args, usedPhrase), func(a string) bool {
				return onlyTaken(ti, pr, a, args) // ("we have permission to enter": the flag's words)
			})
			if len(asides) == 1 {
				usedPhrase[asides[0]] = true
				args[pr.Name], src[pr.Name] = asides[0], argSrc{how: srcPhrase}
				continue
			}
			if ph := b.statedTail(c); ph != "" && !usedPhrase[ph] && !onlyTaken(ti, pr, ph, args) {
				// "pls cancel appt, bus was late": the statement after the instruction
				// says why.
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPhrase}
				continue
			}
			if st := b.statementBeside(c); st != "" && !usedPhrase[st] && len(strings.Fields(st)) <= 14 && !onlyTaken(ti, pr, st, args) {
				// "waive C-3456789's fines, the book was returned in the book drop
				// during the flood": so does the statement beside it.
				usedPhrase[st] = true
				args[pr.Name], src[pr.Name] = st, argSrc{how: srcStated}
				continue
			}
		}
		if v, ok := flagGloss(pr, c.text); ok {
			// "mark the tiramisu sold out" for "false = sold out, true = back on".
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			continue
		}
		if v, ok := impliedValue(pr, c); ok {
			// "15% off": percentage; "mornings are better": am; "for the year": annual.
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
			continue
		}
		if ref, ok := b.earlierField(pr); ok {
			args[pr.Name], src[pr.Name] = ref, argSrc{how: srcRef}
			continue
		}
		if ref, ok := b.earlierItem(pr, c); ok {
			// "log a bug ... and stick it in sprint 43": the list of issues is the
			// one the step before created.
			args[pr.Name], src[pr.Name] = []any{ref}, argSrc{how: srcRef}
			continue
		}
		if pr.Default != nil {
			args[pr.Name], src[pr.Name] = pr.Default, argSrc{how: srcDefault}
			continue
		}
		if pr.kind == pString && len(pr.enumRaw) == 0 && pr.re == nil && statedParam(pr) {
			// "ask for an extension on it because I was sick": the reason the clause
			// gives, never what an earlier step returns ("it" is the assignment).
			if ph := cuedText(c, pr, reasonCues, usedPhrase); ph != "" {
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPhrase}
				continue
			}
			if ph := doneTail(c); ph != "" && !whyParam(pr) && !usedPhrase[ph] {
				// "close HD-10442, replaced the keyboard": what was done resolves it.
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPhrase}
				continue
			}
			if ph := b.statedTail(c); ph != "" && !usedPhrase[ph] && !onlyTaken(ti, pr, ph, args) {
				// "disable mkhan, he left the company": the statement after the
				// instruction says why.
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPhrase}
				continue
			}
			if st := b.statementAfter(c); st != "" && !usedPhrase[st] && len(strings.Fields(st)) <= 14 {
				// "submit ps7.pdf for A-77311 and ask for an extension on it, I was
				// sick": the statement after the last thing asked says why.
				usedPhrase[st] = true
				args[pr.Name], src[pr.Name] = st, argSrc{how: srcStated}
				continue
			}
			// The clause's object is what the step acts on, never why: "disable
			// mkhan" had given the reason "mkhan".
			return nil, nil, false, needs(ti, pr, c, b.request)
		}
		if (pr.whole || pr.free) && len(b.steps) > 0 && !(pr.whole && dictatesOwn(c)) && !statedParam(pr) {
			st, ok := b.referent(c)
			if !ok && pr.whole {
				st, ok = b.nextSentence(c)
			}
			if ok {
				if ref, ok := b.referenceTo(st, pr); ok {
					args[pr.Name], src[pr.Name] = ref, argSrc{how: srcRef}
					continue
				}
			}
		}
		if pr.whole && !dictatesOwn(c) && !mentions(pr, instructionTerms) && !definiteObject(c) {
			// "page @dana.k, checkout is throwing 500s and I need eyes on it now", "the
			// printer on floor 3 is jammed AGAIN, can you open a ticket": the statement
			// next to the clause is what the message or the summary says.
			if st := b.statementBeside(c); st != "" {
				args[pr.Name], src[pr.Name] = st, argSrc{how: srcStated}
				continue
			}
		}
		if ref, ok := b.nowInstant(pr, c, depth); ok {
			args[pr.Name], src[pr.Name] = ref, argSrc{how: srcRef}
			continue
		}
		if depth < maxProducerDepth {
			if ref, ok := b.produce(ti, pr, c, depth); ok {
				args[pr.Name], src[pr.Name] = ref, argSrc{how: srcRef}
				continue
			}
		}
		if v, ok := daysSpanned(pr, c); ok {
			// "from 2022-01-01 to 2022-01-05" stays 4 days (nights).
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcSpan}
			continue
		}

		if pr.idLike && pr.kind == pString {
			// "reschedule event evt-991": a code of letters and digits right after the
			// word the parameter names is its identifier.
			if v := labelledCode(pr, c); v != "" && !usedPhrase[v] {
				usedPhrase[v] = true
				args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
				continue
			}
		}
		if handleParam(pr) && pr.kind == pString {
			// "set up a laptop for the new hire, username pnair": the word after the
			// parameter's own name is its value.
			if v := labelledHandle(pr, c); v != "" && !usedPhrase[v] {
				usedPhrase[v] = true
				args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
				continue
			}
		}
		if v, ok := b.sameReferent(ti, pr, c); ok {
			// "log Max's weight ... and book him at the vet": "him" is the pet the
			// step before named, in a parameter of the same name.
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
			continue
		}
		if pr.kind == pFile && b.p.dirParam(ti, pr) {
			// "what's in the Downloads folder": a directory the clause names as one.
			if v := namedFolder(c); v != "" && !usedPhrase[v] {
				usedPhrase[v] = true
				args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
				continue
			}
		}
		if pr.numeric || pr.idLike {
			// A count or an identifier is never read from a phrase.
			return nil, nil, false, needs(ti, pr, c, b.request)
		}
		if pr.kind == pString && !pr.free && !pr.whole {
			if ph := namedPhrase(pr, c); ph != "" && !usedPhrase[ph] {
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcNamed}
				continue
			}
		}
		if pr.kind == pString && handleParam(pr) && pr.re == nil && !namesPerson(pr) {
			// "unlock account tnguyen", "remove pkumar from finance-share": a login is
			// the clause's one word of a handle's shape that is no word of the tool,
			// of another argument, or of English the planner knows.
			if v := b.handleIn(ti, c, args); v != "" && !usedPhrase[v] {
				usedPhrase[v] = true
				args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
				continue
			}
		}
		if pr.kind == pString && !pr.free && !pr.whole && resourceParam(pr) {
			// "roll back checkout-api to v2.3.1": a service, a host or a deployment is
			// called by an identifier, the clause's one word of that form.
			if v := identifierIn(c); v != "" && !usedPhrase[v] {
				usedPhrase[v] = true
				args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
				continue
			}
		}
		if pr.kind == pString && isUnitParam(pr) {
			// "in celsius": a unit parameter takes the unit the clause names.
			if u := unitIn(c.text); u != "" {
				args[pr.Name], src[pr.Name] = u, argSrc{how: srcNamed}
				continue
			}
		}
		if pr.kind == pString && roomTerms[pr.norm] && !pr.free && !pr.whole && !pr.entity {
			// A room: "the kitchen lights", "in the hall".
			if ph := b.roomOf(ti, pr, c); ph != "" && !usedPhrase[ph] {
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPlace}
				continue
			}
		}
		if pr.kind == pString && (pr.roles&(rolePlace|rolePerson) != 0 || pr.roles&(roleFrom|roleTo) != 0 && mentions(pr, addressWords)) && !pr.free && !pr.whole {
			if ph := placePhrase(pr, c); ph != "" && !usedPhrase[ph] && !holdsTaken(ph) && !b.holdsUnfit(pr, ph, c) {
				usedPhrase[ph] = true
				ph = folderPath(ph, c.slots, usedSlot)
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPlace}
				continue
			}
		} else if itemList(pr) {
			// "order a margherita pizza and a coke": the things ordered, one per entry.
			ph := trimTypedTail(itemsPhrase(c, b.p.isVerb), c.slots, usedSlot)
			if items := splitItems(ph); len(items) > 0 && !usedPhrase[ph] && !namesTool(ti, ph) && hasContent(ti, ph, c) && b.p.namesBeyondVerbs(ti, c) {
				usedPhrase[ph] = true
				list := make([]any, len(items)) // (JSON's types, as every other argument)
				for i, it := range items {
					list[i] = it
				}
				args[pr.Name], src[pr.Name] = list, argSrc{how: srcPhrase}
				continue
			}
		} else if thingList(pr) {
			// "recipes with chicken, rice and broccoli under 30 minutes": the
			// ingredients, one per entry.
			ph := trimTypedTail(listAfterWith(c), c.slots, usedSlot)
			if items := splitItems(ph); len(items) > 0 && !usedPhrase[ph] && !namesTool(ti, ph) && hasContent(ti, ph, c) {
				usedPhrase[ph] = true
				list := make([]any, len(items))
				for i, it := range items {
					list[i] = it
				}
				args[pr.Name], src[pr.Name] = list, argSrc{how: srcPhrase}
				continue
			}
		} else if pr.kind == pString && (!pr.entity || pr.free || pr.whole) {
			ph := trimCount(trimTarget(phraseFor(pr, c, b.p.isVerb), c.slots, usedSlot), c.slots, usedSlot)
			if !pr.whole {
				// "a meeting called Budget review on 2026-12-10 at 14:00": the title
				// ends where a date, a time or an address is introduced.
				if t := trimTypedTail(ph, c.slots, usedSlot); t != ph && !namesAParam(ti, t) {
					ph = t
				}
				ph = withoutCourtesy(ph)        // "refill my lisinopril please"
				ph = b.withoutToolPlace(ti, ph) // "the sea bass off the menu"
				// "the error rate of checkout": the thing is what "of" introduces.
				ph = strings.TrimPrefix(ph, "of ")
				// "how much salmon", "enough flour": the amount asked about is no part
				// of the thing; "the price of the burger": another parameter's word
				// names what of the thing is meant.
				ph = ofOtherParam(ti, pr, withoutQuantifier(ph))
			}
			if genericValue(ph) && len(b.steps) == 0 {
				// "I've booked a table at Luigi's. Share this information on Twitter":
				// "this information" is what the user stated before.
				if st := b.statementBefore(c); st != "" && (pr.whole || pr.free) {
					ph = st
				}
			}
			if st, ok := b.resultNamed(c, ph); ok && (pr.whole || pr.free) {
				// "track TRK0012345678 and email the status to ops@shipco.com": "the
				// status" is what the tracking gives, not a message of one word.
				if ref, ok := b.referenceTo(st, pr); ok {
					args[pr.Name], src[pr.Name] = ref, argSrc{how: srcRef}
					continue
				}
				return nil, nil, false, fmt.Sprintf("%q refers to what %s gives, and no field of its output is the %s", "the "+ph, st.tool.tool.Name, paramWhat(pr))
			}
			if ph != "" && !usedPhrase[ph] && !holdsTaken(ph) && !onlyTaken(ti, pr, ph, args) && !namesTool(ti, ph) && hasContent(ti, ph, c) && (pr.whole || !b.holdsUnfit(pr, ph, c)) && !(numberDescribed(pr) && strings.Contains(ph, " ")) {
				// (A parameter described as a number, "Tracking number", takes a code,
				// not words: "2 checked bags as shipped" is no tracking number.)
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPhrase}
				continue
			}
			if !pr.whole && !(pr.free && mentions(pr, instructionTerms)) && !titleParam(pr) && b.onlyTextLeft(ti, pi, args) {
				// (A title is no qualifier: "an action movie" is a kind of movie.)
				// "any quick chicken recipes", "latest tech news": the word that
				// qualifies what the tool works on is the one thing left to give.
				if q := b.qualifier(ti, c); q != "" && !usedPhrase[q] {
					usedPhrase[q] = true
					args[pr.Name], src[pr.Name] = q, argSrc{how: srcPhrase}
					continue
				}
			}
		}
		return nil, nil, false, needs(ti, pr, c, b.request)
	}
	b.sameItem(ti, args, src)
	b.pastDates(ti, args, src)
	b.withRoom(ti, c, args, src, usedPhrase)
	withResource(ti, c, args, src, usedPhrase)
	withSearchTerm(ti, c, args, src, usedPhrase)
	b.withCuedText(ti, c, args, src, usedPhrase)
	b.withSeller(ti, c, args, src, usedPhrase)
	b.withAside(ti, c, args, src, usedPhrase)
	withUrgency(ti, c, args, src)
	b.withVerbFlag(ti, c, args, src)
	withPhraseFlag(ti, c, args, src)
	withNamedFlag(ti, c, args, src)
	b.withLabelled(ti, c, args, src, usedPhrase)
	withExample(ti, c, args, src, usedPhrase)
	withTimes(ti, c, args, src, usedSlot)
	b.zoned(ti, args, src)
	// "open a ticket saying Outlook keeps asking for my password": a name inside the
	// summary, or the summary again, is part of it, not the value of an optional
	// parameter (a description).
	for pi := range ti.params {
		pr := &ti.params[pi]
		a, ok := src[pr.Name]
		mine, isStr := args[pr.Name].(string)
		if !ok || !isStr || pr.Required || !(a.how == srcSlot && a.slot.Kind == slot.Name || a.how == srcPhrase) {
			continue
		}
		for name, o := range src {
			if v, vs := args[name].(string); name != pr.Name && vs && (o.how == srcPhrase || o.how == srcStated) && containsWordFold(v, mine) && (v != mine || ti.params[paramIndex(ti, name)].Required) {
				delete(args, pr.Name)
				delete(src, pr.Name)
				break
			}
		}
	}
	rangeYear(ti, args, src)
	weekdayEnd(ti, args, src)
	makeAndModel(ti, args, src)
	dictatedPayload(ti, c, args, src)
	usernames(ti, c, args, src)
	colonLabels(ti, c, args, src)
	trimTakenTail(ti, args, src)
	if why := b.placeNoValue(ti, c, args); why != "" {
		return nil, nil, false, why
	}
	for pi := range ti.params {
		// "book a spot ... on friday at 9 for 2 hours" started the booking at midnight:
		// an instant read from a day takes the hour the clause says, and an hour that
		// could be morning or evening is asked about, not dropped.
		pr := &ti.params[pi]
		v, ok := args[pr.Name].(string)
		if !ok || pr.kind != pInstant && pr.kind != pDate || src[pr.Name].how != srcSlot && src[pr.Name].how != srcRequest || src[pr.Name].slot.Kind != slot.Date || !strings.HasSuffix(v, "T00:00:00Z") {
			continue
		}
		if hs, hv, ok := b.bareHour(c); ok && !slotUsed(hs, args) {
			if hv == "" {
				return nil, nil, false, fmt.Sprintf("\"%s %s\" could be morning or evening for the %s of %s (say %sam or %spm)", prevWord(c, hs), hs.Text, pr.Name, ti.tool.Name, hs.Text, hs.Text)
			}
			args[pr.Name] = strings.TrimSuffix(v, "00:00:00Z") + hv + ":00Z"
		}
	}
	for pi := range ti.params {
		// "Convert 2027-03-14 10:00 to Asia/Tokyo time" converted the day alone: an
		// instant given as a bare day drops the time the clause states.
		pr := &ti.params[pi]
		if v, ok := args[pr.Name].(string); ok && pr.kind == pInstant && len(v) == 10 && isISODate(v) {
			for si, s := range c.slots {
				if s.Kind == slot.Time && !usedSlot[si] && !slotUsed(s, args) {
					return nil, nil, false, fmt.Sprintf("%s would take the day %s without the time %s (give the time with its zone, e.g. %sT%s:00Z)", ti.tool.Name, v, s.Text, v, s.Value)
				}
			}
		}
	}
	for pi := range ti.params {
		// "Move my R2C2 session to next Friday" -> reschedule{dateortime: 2026-12-11}
		// for "The new date and time ..., in ISO-8601 format (YYYY-MM-DDTHH:MM:SS)":
		// the event would move to midnight; the clause gives no time.
		pr := &ti.params[pi]
		if v, ok := args[pr.Name].(string); ok && pr.Required && len(v) == 10 && isISODate(v) && asksDateTime(pr) {
			return nil, nil, false, fmt.Sprintf("%s needs the %s as a date and a time, and %q gives the day alone", ti.tool.Name, paramWhat(pr), c.text)
		}
	}
	if why := datesOutOfOrder(ti, args); why != "" {
		return nil, nil, false, why
	}
	if why := templateWithoutValues(ti, args); why != "" {
		return nil, nil, false, why
	}
	return args, src, true, ""
}

// makeAndModel splits a name that fills a tool's make (brand, manufacturer) while its
// model is left into the two: "a 2018 Toyota Camry" is the make Toyota and the model
// Camry. A make of two words stays whole (Land Rover Defender).
func makeAndModel(ti *toolInfo, args map[string]any, src map[string]argSrc) {
	makeName, modelName := "", ""
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.kind != pString {
			continue
		}
		switch strings.ToLower(pr.Name) {
		case "make", "brand", "manufacturer", "car_make", "vehicle_make":
			makeName = pr.Name
		case "model", "car_model", "vehicle_model":
			modelName = pr.Name
		}
	}
	if makeName == "" || modelName == "" || args[modelName] != nil {
		return
	}
	v, ok := args[makeName].(string)
	if !ok {
		return
	}
	ws := strings.Fields(v)
	n := 1
	if len(ws) > 2 && twoWordMakes[strings.ToLower(ws[0]+" "+ws[1])] {
		n = 2
	}
	if len(ws) <= n {
		return
	}
	args[makeName] = strings.Join(ws[:n], " ")
	args[modelName] = strings.Join(ws[n:], " ")
	src[modelName] = src[makeName]
}

// twoWordMakes are makes of car written in two words.
var twoWordMakes = map[string]bool{"land rover": true, "alfa romeo": true, "aston martin": true, "rolls royce": true, "mercedes benz": true}

// templateWithoutValues says why the template args give tool ti cannot be rendered, or
// "": it refers to fields ("Dear {{.name}}", or "{{name}}" to the built-in) and the
// tool's object of values is left empty, so the step would fail when it runs.
func templateWithoutValues(ti *toolInfo, args map[string]any) string {
	values := -1
	for pi := range ti.params {
		if ti.params[pi].kind == pObject {
			values = pi
		}
	}
	if values < 0 || args[ti.params[values].Name] != nil {
		return ""
	}
	for _, v := range args {
		str, ok := v.(string)
		if !ok {
			continue
		}
		if fields, _ := templateFields(ti, str); len(fields) > 0 {
			return fmt.Sprintf("%s needs a value for %s, which the request does not give (write \"with %s ...\")", ti.tool.Name, fields[0], fields[0])
		}
	}
	return ""
}

// dictatedPayload drops an optional request body that a phrase or a name filled when
// the clause dictates none: "Call the REST API at https://..." sent the body "REST
// API". A body is data written out (quoted, JSON) or introduced as one ("with body
// ...", "payload:").
func dictatedPayload(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) {
	hasURL := false
	for pi := range ti.params {
		hasURL = hasURL || ti.params[pi].kind == pURL
	}
	if !hasURL {
		return
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		switch strings.ToLower(pr.Name) {
		case "body", "payload", "data":
		default:
			continue
		}
		v, ok := args[pr.Name].(string)
		a := src[pr.Name]
		if !ok || pr.Required || !(a.how == srcPhrase || a.how == srcSlot && a.slot.Kind == slot.Name) || strings.ContainsAny(v, "{[") {
			continue
		}
		if containsWordFold(c.text, pr.Name) || containsWordFold(c.text, "with") || containsWordFold(c.text, "saying") {
			continue
		}
		delete(args, pr.Name)
		delete(src, pr.Name)
	}
}

// rangeYear gives the start and the end of a span that args give tool ti the year one
// of them states when the other states none: "departing on April 15th and returning on
// April 22nd 2023" departs in 2023, not on the next April 15th. Only when the start,
// so dated, is not after the end.
func rangeYear(ti *toolInfo, args map[string]any, src map[string]argSrc) {
	startName, endName := spanParams(ti, args)
	if startName == "" || endName == "" {
		return
	}
	start, end := args[startName].(string), args[endName].(string)
	if len(start) != 10 || len(end) != 10 || start[:4] == end[:4] {
		return // (a date-time's year is written with it)
	}
	yearIn := func(name string) bool {
		a, ok := src[name]
		return ok && (a.how == srcSlot || a.how == srcRequest) && writtenYear.MatchString(a.slot.Text)
	}
	switch sy, ey := yearIn(startName), yearIn(endName); {
	case ey && !sy:
		if v := end[:4] + start[4:]; v <= end {
			args[startName] = v
		}
	case sy && !ey:
		if v := start[:4] + end[4:]; v >= start {
			args[endName] = v
		}
	}
}

// weekdayEnd moves the end of a span written as a bare weekday to that weekday after
// the start: "pick up monday 9am, drop off friday" on a Wednesday read Friday as the
// coming one, two days before the pick-up; it is the Friday after that Monday.
func weekdayEnd(ti *toolInfo, args map[string]any, src map[string]argSrc) {
	startName, endName := spanParams(ti, args)
	if startName == "" || endName == "" {
		return
	}
	start, end := args[startName].(string), args[endName].(string)
	a, ok := src[endName]
	if len(start) < 10 || len(end) != 10 || end >= start[:10] || !ok || a.how != srcSlot && a.how != srcRequest || !bareWeekday(a.slot.Text) {
		return
	}
	s, err1 := time.Parse("2006-01-02", start[:10])
	e, err2 := time.Parse("2006-01-02", end)
	if err1 != nil || err2 != nil {
		return
	}
	for e.Before(s) {
		e = e.AddDate(0, 0, 7)
	}
	args[endName] = e.Format("2006-01-02")
}

// bareWeekday reports whether text names a weekday and nothing more ("friday", "Sat",
// "on sunday"); "next friday" and "friday the 14th" say which.
func bareWeekday(text string) bool {
	return slot.Weekday(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(text)), "on ")) >= 0
}

// writtenYear matches a year written in a date: "April 22nd 2023", "2023-04-22",
// "04/22/2023".
var writtenYear = regexp.MustCompile(`(?:^|\D)(?:19|20)\d\d(?:\D|$)`)

// datesOutOfOrder says why the dates args give tool ti cannot be what was asked, or "":
// an end (a return, a check-out, a drop-off) before its start ("pick up tomorrow, back
// Sunday" read as a return on the day before the pick-up). Dates are compared as
// written, YYYY-MM-DD.
func datesOutOfOrder(ti *toolInfo, args map[string]any) string {
	startName, endName := spanParams(ti, args)
	if startName == "" || endName == "" {
		return ""
	}
	start, end := args[startName].(string)[:10], args[endName].(string)[:10]
	if end >= start {
		return ""
	}
	return fmt.Sprintf("%s would take %s %s, before %s %s", ti.tool.Name, endName, end, startName, start)
}

// spanParams returns the parameters of tool ti that start and end a span (dateStarts,
// dateEnds) and that args give a date, YYYY-MM-DD or a date-time starting with one; ""
// for one it has not.
func spanParams(ti *toolInfo, args map[string]any) (startName, endName string) {
	for pi := range ti.params {
		pr := &ti.params[pi]
		v, ok := args[pr.Name].(string)
		if !ok || len(v) < 10 || !isISODate(v[:10]) {
			continue
		}
		switch {
		case dateEnds(pr) && endName == "":
			endName = pr.Name
		case dateStarts(pr) && startName == "":
			startName = pr.Name
		}
	}
	return startName, endName
}

// dateStarts and dateEnds report whether date parameter pr starts or ends a span: a
// check-in and a check-out, a pick-up and a return, a start and an end.
func dateStarts(pr *paramInfo) bool {
	return mentionsName(pr, "start", "from", "checkin", "check_in", "pickup", "depart", "departure", "begin")
}

func dateEnds(pr *paramInfo) bool {
	return mentionsName(pr, "end", "until", "checkout", "check_out", "return", "dropoff", "drop_off", "to")
}

// mentionsName reports whether a word of pr's name, lowercased, is one of ws, or its
// name without separators is.
func mentionsName(pr *paramInfo, ws ...string) bool {
	flat := strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "").Replace(pr.Name))
	for _, w := range ws {
		if flat == strings.ReplaceAll(w, "_", "") || strings.HasPrefix(flat, strings.ReplaceAll(w, "_", "")) && strings.Contains(w, "_") {
			return true
		}
	}
	for _, nw := range words(pr.Name) {
		if slices.Contains(ws, strings.ToLower(nw)) {
			return true
		}
	}
	return false
}

// pastDates moves a date written without its year or week back into the past for a
// parameter that dates what has happened: "submit my taxi receipt from Mar 1" on March
// 3rd is this March 1st, not next year's, and "a claim for the visit on Friday" is last
// Friday. The slot extractor reads a date without a year as the next such day, right
// for what is to come; "next", "tomorrow" and an explicit year keep it.
func (b *builder) pastDates(ti *toolInfo, args map[string]any, src map[string]argSrc) {
	today := b.p.cfg.now()
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	for pi := range ti.params {
		pr := &ti.params[pi]
		a, ok := src[pr.Name]
		v, isText := args[pr.Name].(string)
		if !ok || !isText || a.how != srcSlot || a.slot.Kind != slot.Date || pr.kind != pDate || !pastFacing(ti, pr) {
			continue
		}
		lt := strings.ToLower(a.slot.Text)
		if fourDigits.MatchString(lt) || futureDateWords.MatchString(lt) {
			continue
		}
		d, err := time.Parse("2006-01-02", v)
		if err != nil || !d.After(today) {
			continue
		}
		if weekdayWord.MatchString(lt) {
			d = d.AddDate(0, 0, -7)
		} else if back := d.AddDate(-1, 0, 0); back.Day() == d.Day() {
			d = back
		} else {
			continue // (29 February)
		}
		if !d.After(today) {
			args[pr.Name] = d.Format("2006-01-02")
		}
	}
}

var (
	fourDigits      = regexp.MustCompile(`\d{4}|'\d\d\b`)
	futureDateWords = regexp.MustCompile(`\b(next|tomorrow|tmrw|tmr|tmw|coming|upcoming)\b`)
	weekdayWord     = regexp.MustCompile(`\b(mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(day)?\b`)
)

// pastFacing reports whether date parameter pr of ti dates something that has happened:
// a birth, money spent, a service received, a claim's or an expense's date.
func pastFacing(ti *toolInfo, pr *paramInfo) bool {
	for _, w := range []string{"birth", "born", "spent", "paid", "incurred", "occurred", "happened", "purchased", "bought", "posted", "expense", "transaction", "visited", "received"} {
		// ("paidOn": its name's terms are stems, "pay"; a payment "pay_on" is to come.)
		if pr.nameTerms[w] || strings.Contains(strings.ToLower(pr.Name), w) || strings.Contains(strings.ToLower(pr.Description), w) {
			return true
		}
	}
	return pr.nameTerms["service"] && (ti.terms["claim"] || ti.terms["reimburse"])
}

// withCurrency gives a currency parameter the currency of the amount an argument took
// ("Transfer 100 EUR": currency EUR, not the tool's default), and says why not when the
// parameter cannot take it (an enum without it), or "".
//
// When the clause names another currency too ("what's 1000 AUD in euros"), a parameter
// whose description makes it the currency received takes that one, and a parameter that
// does not say which it is takes neither.
//
// A tool without a currency parameter takes the amount as a bare number, in the currency
// its amount parameter states ("declaredValueUsd", "The bill total in dollars") or, when it
// states none, in the catalogue's (homeCurrency): an amount in another currency is refused,
// not served as that number ("send €30 to alex@example.com" would send 30 dollars).
func (b *builder) withCurrency(ti *toolInfo, text string, args map[string]any, src map[string]argSrc) string {
	code := amountCurrency(src)
	if code == "" {
		return ""
	}
	if why := b.bareAmount(ti, args, src); why != "" {
		return why
	}
	other := ""
	for _, cur := range currenciesIn(text) {
		if cur != code {
			other = cur
			break
		}
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		from := pr.roles&roleFrom != 0 || pr.nameTerms["from"] || pr.nameTerms["source"] || pr.nameTerms["base"]
		if v, ok := args[pr.Name].(string); ok && from && pr.kind == pString && src[pr.Name].how == srcExample && v == other && bothEnds(ti, pi, v, args) {
			// "convert €30 to GBP": the one code written took both ends by its shape;
			// the amount's currency is the one converted from.
			args[pr.Name] = code
			continue
		}
		if !pr.nameTerms["currency"] || args[pr.Name] != nil || pr.roles&roleTo != 0 {
			continue // (the currency converted to is another)
		}
		if other != "" && receivedCurrency(pr) {
			if pr.kind == pString {
				args[pr.Name], src[pr.Name] = other, argSrc{how: srcExample}
			}
			continue
		}
		if other != "" && !(pr.roles&roleFrom != 0 || pr.nameTerms["from"] || pr.nameTerms["source"] || pr.nameTerms["base"]) {
			continue // (which of the two it is, is not said)
		}
		switch {
		case pr.kind == pEnum:
			v, ok := enumMatch(pr, code)
			if !ok {
				return fmt.Sprintf("%s cannot take %s: its %s is one of %v", ti.tool.Name, code, pr.Name, pr.enumRaw)
			}
			args[pr.Name], src[pr.Name] = v, argSrc{how: srcExample}
		case pr.kind == pString:
			args[pr.Name], src[pr.Name] = code, argSrc{how: srcExample}
		}
	}
	return ""
}

// bothEnds reports whether a currency parameter of ti other than the pi-th holds v too.
func bothEnds(ti *toolInfo, pi int, v string, args map[string]any) bool {
	for k := range ti.params {
		if k != pi && ti.params[k].nameTerms["currency"] && args[ti.params[k].Name] == v {
			return true
		}
	}
	return false
}

// bareAmount says why an amount in a currency cannot fill ti's number parameter, or "":
// ti has no parameter for the currency, and the amount's is not the one the parameter
// states (a name or a description that names one currency), nor, when it states none,
// the catalogue's. A tool or a parameter that speaks of currencies without naming one
// ("in the event's currency") takes the amount as said.
func (b *builder) bareAmount(ti *toolInfo, args map[string]any, src map[string]argSrc) string {
	if containsWordFold(ti.tool.Description, "currency") || containsWordFold(ti.tool.Description, "currencies") {
		return ""
	}
	for pi := range ti.params {
		if pr := &ti.params[pi]; pr.nameTerms["currency"] || mentionsAny(pr, []string{"currency"}) {
			return "" // (withCurrency and currencies give it the currency)
		}
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		a, ok := src[pr.Name]
		f := strings.Fields(a.slot.Value)
		if !ok || a.how != srcSlot || a.slot.Kind != slot.Money || len(f) != 2 {
			continue
		}
		if _, text := args[pr.Name].(string); text {
			continue // "£55" as written keeps its currency
		}
		// (A name's code is written as a word of it: "declaredValueUsd", "fee_eur".)
		named := words(pr.Name)
		for i, w := range named {
			if len(w) == 3 {
				named[i] = strings.ToUpper(w)
			}
		}
		stated := currenciesIn(strings.Join(named, " ") + " " + pr.Description)
		slices.Sort(stated)
		stated = slices.Compact(stated)
		code := f[1]
		if code == "USD" && !strings.Contains(strings.ToUpper(a.slot.Text), "US") {
			code = "$" // "over $200" for a parameter "in AUD": a dollar, of the parameter's
		}
		switch {
		case len(stated) == 1 && !sameCurrency(code, stated[0]):
			return fmt.Sprintf("%s takes %s in %s, and %q is in %s (no step converts it)", ti.tool.Name, pr.Name, stated[0], a.slot.Text, f[1])
		case len(stated) == 0:
			if home := b.p.homeCurrency(); home != "" && !sameCurrency(code, home) {
				return fmt.Sprintf("%s takes no currency, and %q is in %s: its %s would be read as %s %s", ti.tool.Name, a.slot.Text, f[1], pr.Name, f[0], home)
			}
		}
	}
	return ""
}

// sameCurrency reports whether an amount in currency code is in currency want; code "$"
// is a dollar of any country.
func sameCurrency(code, want string) bool {
	if code == "$" {
		return dollarCodes[want]
	}
	return code == want
}

// dollarCodes are the currencies written "$".
var dollarCodes = wordSet("USD CAD AUD NZD SGD HKD TWD MXN")

// homeCurrency returns the currency the catalogue's amounts are in when a tool does not
// say. A catalogue with currency parameters deals in several: its amounts are in the one
// default those give ("currency: default GBP"), else in USD, the common default of an
// amount written "$". One without any says nothing of currencies, and takes "" (an
// amount as the user states it: "pay my water bill of 31 euros").
func (p *Pattern) homeCurrency() string {
	home, several := "", false
	for _, ti := range p.tools {
		if ti.builtin {
			continue
		}
		for pi := range ti.params {
			pr := &ti.params[pi]
			if !pr.nameTerms["currency"] {
				continue
			}
			several = true
			if d, ok := pr.Default.(string); ok {
				if code, ok := slot.CurrencyCode(d); ok && (home == "" || home == code) {
					home = code
				} else if ok {
					return "USD" // (defaults that differ say no one currency)
				}
			}
		}
	}
	if several && home == "" {
		return "USD"
	}
	return home
}

// amountCurrency returns the currency of the amount an argument took, or "".
func amountCurrency(src map[string]argSrc) string {
	code := ""
	for _, a := range src {
		// The slot extractor normalises an amount to "<number> <ISO code>" ("$100"
		// is "100 USD", "100 euros" "100 EUR").
		if f := strings.Fields(a.slot.Value); a.how == srcSlot && a.slot.Kind == slot.Money && len(f) == 2 {
			code = f[1]
		}
	}
	return code
}

// lowerCodeShape is an identifier as written in lower case: letters and digits, both, with
// "-" or "_" between them ("evt-991", "u_8812", "inv2024a").
var lowerCodeShape = regexp.MustCompile(`^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$`)

// labelledCode returns the code that follows, in clause c, a word identifier parameter
// pr names ("event evt-991" for "A unique identifier for the event"), or "".
func labelledCode(pr *paramInfo, c clause) string {
	ws := strings.Fields(maskSlots(c))
	for i := 1; i < len(ws); i++ {
		w := strings.Trim(ws[i], ",.;:!?()'\"")
		if !lowerCodeShape.MatchString(w) || blanked(w) {
			continue
		}
		label := strings.ToLower(strings.Trim(ws[i-1], ",.;:!?()'\"#"))
		if lw := strings.ToLower(w); (label == "id" || label == "identifier" || ws[i-1] == "#") && !stopWords[lw] && !labelWords[lw] && !prepositions[lw] {
			return w // "with id dentist": whatever the id is called
		}
		if !strings.ContainsAny(w, "0123456789") || !strings.ContainsAny(strings.ToLower(w), "abcdefghijklmnopqrstuvwxyz") {
			continue
		}
		for _, t := range terms(label) {
			if pr.terms[t] || pr.nameTerms[t] {
				return w
			}
		}
	}
	return ""
}

// roomTerms name a parameter for a part of a home or building.
var roomTerms = wordSet("room rooms zone area floor")

// addressWords say that a parameter for an origin or a destination is a place ("Drop-off
// address"), not a language or an account.
var addressWords = termSet("address location place")

// holdsUnfit reports whether phrase ph holds a typed value of clause c (an e-mail
// address, a phone number, a URL) that cannot fill pr: "nina@example.com saying ..." is
// no recipient phone number.
func (b *builder) holdsUnfit(pr *paramInfo, ph string, c clause) bool {
	for _, s := range c.slots {
		if (s.Kind == slot.Email || s.Kind == slot.Phone || s.Kind == slot.URL) && strings.Contains(ph, s.Text) && slotFits(pr, s, b.request) != "" {
			return true
		}
	}
	return false
}

// roomOf returns the room clause c names for room-like parameter pr of tool ti: the
// word that qualifies a thing the tool works on ("the kitchen lights", "the living room
// lamp"), or the place after "in" ("turn the lights on in the hall"); or "".
func (b *builder) roomOf(ti *toolInfo, pr *paramInfo, c clause) string {
	if q := b.qualifier(ti, c); q != "" {
		return q
	}
	asPlace := *pr
	asPlace.roles |= rolePlace
	ph := placePhrase(&asPlace, c)
	for _, w := range []string{" please", " pls", " thanks", " now"} {
		ph = strings.TrimSuffix(ph, w)
	}
	if ph != "" && !strings.ContainsAny(ph, "0123456789") {
		return ph
	}
	return ""
}

// qualifier returns the word of clause c that qualifies a thing tool ti works on ("the
// kitchen lights", "chicken recipes", "the living room lamp"), when the tool's text does
// not hold it; or "".
func (b *builder) qualifier(ti *toolInfo, c clause) string {
	ws := strings.Fields(asciiLower(maskSlots(c)))
	for i := 0; i+1 < len(ws); i++ {
		w, k := strings.Trim(ws[i], ",.!?;:"), i+1
		if strings.ContainsAny(ws[i], ",.!?;:") {
			continue // "..., lights": the list ends before the noun
		}
		if w == "living" || w == "dining" || w == "guest" || w == "laundry" || w == "utility" {
			if k < len(ws) && strings.Trim(ws[k], ",.!?;:") == "room" {
				w, k = w+" room", k+1 // "the living room lights"
			}
		}
		if k >= len(ws) || stopWords[w] || prepositions[w] || plainAdjectives[w] || blanked(w) ||
			!isLetters(strings.ReplaceAll(w, " ", "")) || b.p.docHas(ti, strings.Fields(w)[0]) || i > 0 && !determiners[ws[i-1]] && !plainAdjectives[ws[i-1]] && !stopWords[ws[i-1]] {
			continue
		}
		if b.p.isVerb(w) && (i == 0 || !determiners[ws[i-1]]) {
			continue // "turn off the lights": a verb, not a qualifier
		}
		if n := strings.Trim(ws[k], ",.!?;:"); len(n) > 2 && !stopWords[n] && !prepositions[n] && b.p.docHas(ti, n) && !b.p.isVerb(n) {
			return w
		}
	}
	return ""
}

// qualified returns example word w as clause c qualifies it: "oat milk" for the example
// "milk" (the word before it, when the tool's text does not hold it and it is no verb,
// article, preposition or rating word), else w.
func (b *builder) qualified(ti *toolInfo, c clause, w string) string {
	if strings.Contains(w, " ") {
		return w
	}
	ws := strings.Fields(asciiLower(maskSlots(c)))
	for i := 1; i < len(ws); i++ {
		if strings.Trim(ws[i], ",.!?;:'\"") != strings.ToLower(w) || strings.ContainsAny(ws[i-1], ",.!?;:") {
			continue
		}
		q := ws[i-1]
		if stopWords[q] || prepositions[q] || determiners[q] || plainAdjectives[q] || quantifiers[q] || !isLetters(q) || blanked(q) || b.p.isVerb(q) || isVerbWord(q) || b.p.docHas(ti, q) {
			return w
		}
		return q + " " + w // ("log a 45 minute yoga session": a slot, masked, is no qualifier)
	}
	return w
}

// plainAdjectives rate or date what a request asks for without saying which one it is:
// "quick recipes", "the latest news".
var plainAdjectives = wordSet("quick quickest easy simple good great best top latest last new newest recent current cheap cheapest nice popular local nearby some any more other few healthy fresh big small daily weekly today's tomorrow's all my our your their his her")

// onlyTextLeft reports whether parameter pi of ti is the one required text parameter
// args does not fill yet.
func (b *builder) onlyTextLeft(ti *toolInfo, pi int, args map[string]any) bool {
	for i := range ti.params {
		pr := &ti.params[i]
		if i == pi || !pr.Required || args[pr.Name] != nil {
			continue
		}
		if pr.kind == pString {
			return false
		}
	}
	return ti.params[pi].kind == pString
}

// isLetters reports whether w is made of the letters a-z only.
func isLetters(w string) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return w != ""
}

// withRoom fills an optional room-like parameter (room, zone, area, floor) that nothing
// filled with the place the clause names after "in": "start the vacuum in the kitchen"
// cleans the kitchen, where leaving the room out "cleans the whole house".
func (b *builder) withRoom(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || pr.kind != pString || pr.free || pr.whole || pr.entity || !roomTerms[pr.norm] {
			continue
		}
		// A room is a place inside: read as one ("in the kitchen"), or the word that
		// qualifies the thing the tool works on ("turn off the kitchen lights" turned
		// off every room's: the room was left out, and left out it is every room).
		ph := b.roomOf(ti, pr, c)
		if ph == "" || usedPhrase[ph] || strings.ContainsAny(ph, "0123456789") {
			continue
		}
		// (judge, after fill, checks the phrase like any other value and leaves an
		// optional one out when it is implausible.)
		usedPhrase[ph] = true
		args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPlace}
	}
}

// withResource fills the one optional parameter naming a service, a host or another
// resource (resourceParam) with the identifier the clause writes ("errors in
// checkout-api logs"), where no other argument holds it: left out, the tool works on
// every service.
func withResource(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	target := -1
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.kind != pString || pr.free || pr.whole || !resourceParam(pr) {
			continue
		}
		if args[pr.Name] != nil {
			return // (the clause's resource is given)
		}
		if target >= 0 {
			return // two kinds of resource: which one the identifier is, is not said
		}
		target = pi
	}
	if target < 0 {
		return
	}
	v := identifierIn(c)
	if v == "" || usedPhrase[v] {
		return
	}
	if argHolds(args, v) {
		return
	}
	pr := &ti.params[target]
	if !admits(pr, v) {
		return
	}
	usedPhrase[v] = true
	args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
}

// argHolds reports whether the text of an argument holds word w: a word another
// argument took is not this one's.
func argHolds(args map[string]any, w string) bool {
	for _, a := range args {
		if v, ok := a.(string); ok && containsWordFold(v, w) {
			return true
		}
	}
	return false
}

// openParam returns the index of ti's one parameter that a word of names names and kind
// accepts, when no argument fills it; -1 when there is none, two, or it is filled.
func openParam(ti *toolInfo, args map[string]any, names map[string]bool, kind func(*paramInfo) bool) int {
	target := -1
	for pi := range ti.params {
		pr := &ti.params[pi]
		named := false
		for t := range pr.nameTerms {
			named = named || names[t]
		}
		if !named || !kind(pr) {
			continue
		}
		if args[pr.Name] != nil || target >= 0 {
			return -1
		}
		target = pi
	}
	return target
}

// searchVerbs are the verbs of a search whose "for" introduces what to look for.
var searchVerbs = map[string]bool{"grep": true, "search": true, "scan": true, "look": true, "find": true, "query": true}

// searchTermNames are the names of the parameter a search matches against.
var searchTermNames = map[string]bool{"query": true, "q": true, "keyword": true, "keywords": true, "term": true, "terms": true, "search": true, "pattern": true}

// windowWords open a window of time: "in the last 15m", "over the past day".
var windowWords = map[string]bool{"last": true, "past": true, "previous": true, "next": true}

// identifierLabel is a word that labels the code after it: "trace 4bf92f35", "order
// 88123".
var identifierLabel = regexp.MustCompile(`^[a-z]+$`)

// withSearchTerm fills the optional text to match of a search with what "for" introduces
// after a search verb ("grep checkout-api logs for connection reset"): left out, the
// search matches every line. Only the phrase up to punctuation, holding no value the
// request types (a window, a date) and none another argument took.
func withSearchTerm(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	target := openParam(ti, args, searchTermNames, func(pr *paramInfo) bool { return pr.kind == pString && !pr.whole })
	if target < 0 {
		return
	}
	lower := asciiLower(c.text)
	k := strings.Index(lower, " for ")
	if k < 0 {
		return
	}
	verb := false
	for _, w := range strings.Fields(lower[:k]) {
		verb = verb || searchVerbs[strings.Trim(w, ",.")]
	}
	if !verb {
		return
	}
	start := k + len(" for ")
	ph := cutPhrase(c.text[start:])
	for _, s := range c.slots {
		if st := s.Start - c.start; st >= start && st < start+len(ph) {
			// "for deadlock detected in the last 15m": the text ends where the
			// window is introduced; "for 2 hours" is when, not what.
			ws := strings.Fields(c.text[start:st])
			for len(ws) > 0 && (prepositions[strings.ToLower(ws[len(ws)-1])] || determiners[strings.ToLower(ws[len(ws)-1])] || timeWords[strings.ToLower(ws[len(ws)-1])] || windowWords[strings.ToLower(ws[len(ws)-1])]) {
				ws = ws[:len(ws)-1]
			}
			ph = strings.Join(ws, " ")
			break
		}
	}
	if ph == "" || usedPhrase[ph] || len(strings.Fields(ph)) > 6 {
		return
	}
	ws := strings.Fields(ph)
	if f := strings.ToLower(ws[0]); determiners[f] || timeWords[f] || pronouns[f] || windowWords[f] {
		return // "for the last day", "for me": no text a line holds
	}
	if len(ws) == 2 && identifierLabel.MatchString(ws[0]) && strings.ContainsAny(ws[1], "0123456789") && len(ws[1]) >= 6 {
		ph = ws[1] // "for trace 4bf92f3577b34da6": the code, not its label
	}
	if argHolds(args, ph) {
		return
	}
	usedPhrase[ph] = true
	args[ti.params[target].Name], src[ti.params[target].Name] = ph, argSrc{how: srcPhrase}
}

// reasonCues introduce why something is done: "cancel TRK0012345678 because the address
// was wrong".
var reasonCues = []string{" because ", " due to ", " as the reason "}

// noteLabels are the words a user labels a payment's or a transfer's note with: "memo
// rent share", "note: for the concert".
var noteLabels = []string{" memo: ", " memo ", " note: ", " note ", " with the note ", " with note ", " reference: ", " ref: "}

// withCuedText fills an optional parameter for why something is done (a reason) or for
// a note a payment carries, with the words a cue introduces: left out, what the user said
// is dropped in silence ("send 20 to jo@example.com, memo rent share" sent no memo). A
// reason follows "because"; a note follows its label, or "for" after an amount a step
// sends ("send 25 bucks to alex@example.com for pizza").
func (b *builder) withCuedText(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || pr.kind != pString || pr.Required || len(pr.enumRaw) > 0 || pr.re != nil {
			continue
		}
		var cues []string
		switch {
		case whyParam(pr):
			cues = reasonCues
		case pr.nameTerms["purpose"] || pr.nameTerms["occasion"]:
			// "reserve the gym ... for the winter concert rehearsal"
			cues = []string{" for "}
		case pr.nameTerms["note"] || pr.nameTerms["memo"]:
			cues = noteLabels
			if amountSent(ti, c, args, src) {
				cues = append(cues[:len(cues):len(cues)], " for ")
			}
		case pr.nameTerms["description"] && amountSent(ti, c, args, src):
			// "charge MEM-00412 £25 for a late cancellation fee": what it is for.
			cues = []string{" for "}
		default:
			continue
		}
		if ph := cuedText(c, pr, cues, usedPhrase); ph != "" {
			usedPhrase[ph] = true
			args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPhrase}
		}
		if args[pr.Name] == nil && pr.nameTerms["reason"] {
			if ph := b.statedTail(c); ph != "" && !usedPhrase[ph] {
				usedPhrase[ph] = true
				args[pr.Name], src[pr.Name] = ph, argSrc{how: srcPhrase}
			}
		}
	}
}

// statedParam reports whether pr takes what the user states of what happened: why
// (whyParam), or how a thing was resolved ("resolution", "outcome": "close HD-10442,
// replaced the keyboard").
func statedParam(pr *paramInfo) bool {
	return whyParam(pr) || pr.nameTerms["resolution"] || pr.nameTerms["outcome"]
}

// whyParam reports whether pr says why something is done: "reason", "why ...".
func whyParam(pr *paramInfo) bool {
	return pr.nameTerms["reason"] || pr.nameTerms["why"] || strings.HasPrefix(strings.ToLower(pr.Description), "why ")
}

// cuedText returns the words one of cues introduces in clause c for parameter pr (the
// last cue written), or "": not a phrase another argument took, not when or how much
// ("for 2 hours"), not "for the next trip" or "for me".
func cuedText(c clause, pr *paramInfo, cues []string, usedPhrase map[string]bool) string {
	lower := " " + asciiLower(c.text) + " "
	for _, cue := range cues {
		k := strings.LastIndex(lower, cue)
		if k < 0 {
			continue
		}
		start := k + len(cue) - 1 // (lower has one space more at the front)
		if start >= len(c.text) {
			continue
		}
		ph := cutPhrase(c.text[start:])
		if ph == "" || usedPhrase[ph] || len(strings.Fields(ph)) > 12 || strings.Contains(ph, "${") {
			continue
		}
		if slices.ContainsFunc(c.slots, func(s slot.Slot) bool { st := s.Start - c.start; return st >= start && st < start+len(ph) }) {
			continue // "for 2 hours", "for tomorrow", "for $25": when or how much, not what for
		}
		if cue == " for " && (pr.nameTerms["purpose"] || pr.nameTerms["occasion"]) && strings.HasPrefix(strings.ToLower(ph), "the ") {
			ph = ph[len("the "):] // ("for the winter concert rehearsal")
		}
		if cue == " for " && pr.nameTerms["description"] {
			for _, d := range []string{"a ", "an "} {
				if strings.HasPrefix(strings.ToLower(ph), d) && len(strings.Fields(ph)) > 2 {
					ph = ph[len(d):] // ("for a late cancellation fee")
				}
			}
		}
		if f := strings.ToLower(firstWord(ph)); cue == " for " && (determiners[f] || pronouns[f] || timeWords[f] || windowWords[f]) {
			continue // "for the next trip", "for me"
		}
		return ph
	}
	return ""
}

// statedTail returns the one statement clause c makes after its instruction, between
// commas or after a dash, when it is a statement and not an instruction: "pls cancel appt
// APT-004512, owner is sick" and "cancel RSV-104233, guest got covid, waive the fee" say
// why. A statement holds a verb after its first word ("is", "got") and no value the
// request types; its first word is no verb, determiner or courtesy. Two statements give
// "": which one is the reason is not said.
func (b *builder) statedTail(c clause) string {
	text := strings.ReplaceAll(c.text, " - ", ",  ") // (as long: offsets stay the clause's)
	found := ""
	pos := 0
	for i, part := range strings.Split(text, ", ") {
		start := pos
		pos += len(part) + 2
		if i == 0 {
			continue
		}
		if slices.ContainsFunc(c.slots, func(s slot.Slot) bool {
			st := s.Start - c.start
			return st < start+len(part) && s.End-c.start > start && s.Kind != slot.Enum // ("the book was returned": a word, for all that a format is "book")
		}) {
			continue
		}
		ph := strings.Trim(strings.TrimSpace(part), ".!?")
		ws := strings.Fields(asciiLower(ph))
		// ("the book was returned in the book drop during the flood": a statement about
		// a thing.)
		aboutThing := determiners[ws[0]] && slices.ContainsFunc(ws[1:min(len(ws), 4)], func(w string) bool { return statedVerbs[w] })
		if len(ws) < 2 || len(ws) > 8 && !aboutThing || len(ws) > 14 || b.p.isVerb(ws[0]) && !statedVerbs[ws[1]] || determiners[ws[0]] && !aboutThing || ws[0] == "please" || ws[0] == "pls" || ws[0] == "then" || ws[0] == "and" {
			continue // ("bus was late": a noun before "was", whatever else it can be)
		}
		if !slices.ContainsFunc(ws[1:], func(w string) bool {
			return statedVerbs[w] || regularPast(w)
		}) {
			continue
		}
		if found != "" {
			return ""
		}
		found = ph
	}
	return found
}

// doneTail returns the words after clause c's instruction, past a comma or a dash,
// that say what was done, opening with a verb in the past ("close HD-10442, replaced
// the keyboard"), or "".
func doneTail(c clause) string {
	text := strings.ReplaceAll(c.text, " - ", ", ")
	_, tail, ok := strings.Cut(text, ", ")
	if !ok {
		return ""
	}
	tail = strings.Trim(strings.TrimSpace(tail), ".!?")
	ws := strings.Fields(asciiLower(tail))
	if len(ws) < 2 || len(ws) > 12 || !pastForms[ws[0]] && !regularPast(ws[0]) {
		return ""
	}
	at := strings.LastIndex(c.text, tail)
	if at < 0 || slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return s.Start-c.start >= at && s.Kind != slot.Enum }) {
		return "" // a value of its own after the comma: not (only) what was done
	}
	return tail
}

// statedVerbs are the finite verbs, besides a regular past, that make words a statement:
// "owner is sick", "the courier lost it", "we can't make it".
var statedVerbs = wordSet(`is was are were has had got went left came broke lost found made said told took
	isn't wasn't aren't weren't can't cannot won't didn't doesn't don't hasn't haven't
	wants needs asks requests requires prefers wishes would will`)

// withAside fills the one optional text parameter nothing filled with the aside the
// clause adds between commas: "register a dog called Biscuit, beagle, owner phone 555
// 010 2020" registered no breed, "file a claim, TRK0077766655 arrived damaged, $249.99
// worth, box crushed" no description. The aside is one to four words after the
// instruction, holding no value the request types, no instruction of its own and nothing
// another argument took; a courtesy ("thanks", "asap") is none. With two such
// parameters, which one it is is not said.
func (b *builder) withAside(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	if len(args) == 0 {
		return // an aside adds to a step the clause asks for; it is none by itself ("merci, c'est parfait")
	}
	target := -1
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || pr.Required || pr.kind != pString || len(pr.enumRaw) > 0 || pr.re != nil || pr.Format != "" ||
			pr.idLike || pr.numeric || pr.entity || pr.roles&(rolePlace|rolePerson|roleFrom|roleTo) != 0 {
			continue
		}
		if target >= 0 {
			return
		}
		target = pi
	}
	if target < 0 {
		return
	}
	asides := b.asides(ti, c, args, usedPhrase)
	if len(asides) == 0 && notesParam(&ti.params[target]) {
		// "a table for 6 on Saturday at 19:00, one of them has a nut allergy": the
		// statement after the instruction is the booking's note.
		if ph := b.statedTail(c); ph != "" && !usedPhrase[ph] && !onlyTaken(ti, &ti.params[target], ph, args) && !whWords[strings.ToLower(firstWord(ph))] {
			if label, rest, ok := strings.Cut(ph, ": "); ok && !strings.Contains(label, " ") && rest != "" {
				ph = rest // ("comment: replaced the toner": the label is no part of it)
			}
			asides = []string{ph} // (not a relative clause: "who has black as their ...")
		}
	}
	if len(asides) == 1 {
		usedPhrase[asides[0]] = true
		args[ti.params[target].Name], src[ti.params[target].Name] = asides[0], argSrc{how: srcPhrase}
	}
}

// notesParam reports whether parameter pr takes free notes: notes, comments, special
// requests, instructions.
func notesParam(pr *paramInfo) bool {
	return slices.ContainsFunc([]string{"note", "notes", "comment", "comments", "remark", "remarks", "instruction", "instructions"}, func(w string) bool { return pr.nameTerms[w] })
}

// describesIssue reports whether parameter pr says what is wrong or why: a description,
// an issue, a problem, a fault, a reason.
func describesIssue(pr *paramInfo) bool {
	return slices.ContainsFunc([]string{"description", "issue", "problem", "fault", "reason", "details"}, func(w string) bool { return pr.nameTerms[w] })
}

// asides returns the asides clause c adds between commas after its instruction (see
// withAside) that no argument of args took.
func (b *builder) asides(ti *toolInfo, c clause, args map[string]any, usedPhrase map[string]bool) []string {
	if !strings.Contains(c.text, ", ") {
		return nil
	}
	var asides []string
	pos := 0
	for i, part := range strings.Split(c.text, ", ") {
		start := pos
		pos += len(part) + 2
		if i == 0 {
			continue // the instruction
		}
		ph := strings.Trim(strings.TrimSpace(part), ".!?")
		ws := strings.Fields(asciiLower(ph))
		if len(ws) == 0 || len(ws) > 4 || !isLetters(strings.NewReplacer("'", "", "’", "").Replace(strings.Join(ws, ""))) ||
			slices.ContainsFunc(c.slots, func(s slot.Slot) bool { st := s.Start - c.start; return st < start+len(part) && s.End-c.start > start }) {
			continue
		}
		if b.p.isVerb(ws[0]) && !nounsToo[ws[0]] || determiners[ws[0]] || stopWords[ws[0]] && !subjectContraction(ws[0]) || ws[0] == "then" || ws[0] == "and" {
			continue
		}
		if pronouns[ws[0]] && !subjectContraction(ws[0]) {
			continue
		}
		if courtesyAside[strings.Join(ws, " ")] || slices.ContainsFunc(ws, func(w string) bool { return courtesyAside[w] }) {
			continue
		}
		if len(ws) == 1 && (stateLike(ws[0]) || b.p.isVerb(stem(ws[0]))) {
			continue // "put on my Deep Focus playlist, shuffled": how, not a value
		}
		own := true
		for _, w := range ws {
			own = own && b.p.docHas(ti, w)
		}
		if own || usedPhrase[ph] {
			continue // "owner phone": the tool's own words
		}
		taken := false
		for _, a := range args {
			if v, ok := a.(string); ok && (containsWordFold(v, ph) || containsWordFold(ph, v)) {
				taken = true
			}
		}
		if !taken {
			asides = append(asides, ph)
		}
	}
	return asides
}

// withVerbFlag sets a flag named for an action ("waiveFee", "notify_candidate",
// "include_examples") that the clause asks for, its first word followed within three
// words by its second: "cancel RSV-104233, waive the fee" cancelled with the fee. A
// negation before it ("no need to notify the candidate", "without trip protection",
// "don't waive the fee") sets it false. A first word of two letters is an abbreviation
// ("with EV charging": ev_charging).
func (b *builder) withVerbFlag(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) {
	ws := plainWords(c.text)
	for pi := range ti.params {
		pr := &ti.params[pi]
		nw := words(pr.Name)
		if args[pr.Name] != nil || pr.kind != pBool || len(nw) != 2 {
			continue
		}
		first, second := strings.ToLower(nw[0]), strings.ToLower(nw[1])
		if stopWords[first] || len(first) < 2 || second == "" {
			continue // ("isPublic", "hasPool": no action)
		}
		for i, w := range ws {
			if w != first {
				continue
			}
			for j := i + 1; j < len(ws) && j <= i+3; j++ {
				if ws[j] == second || stem(ws[j]) == stem(second) {
					args[pr.Name], src[pr.Name] = negatedAt(ws, i) == switchedOffAt(ws, i, j+1), argSrc{how: srcExample}
				}
			}
		}
	}
}

// withPhraseFlag sets a flag whose name of three words or more the clause writes as a
// phrase: "eligible for rehire yes" (eligible_for_rehire, true); "not eligible for
// rehire" (false: a negation before it, or "no" after it).
func withPhraseFlag(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) {
	ws := plainWords(c.text)
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || pr.kind != pBool {
			continue
		}
		var nw []string
		for _, w := range words(pr.Name) {
			if lw := strings.ToLower(w); lw != "is" && lw != "has" {
				nw = append(nw, lw)
			}
		}
		if len(nw) < 3 {
			continue
		}
		for i := 0; i+len(nw) <= len(ws); i++ {
			if !slices.Equal(ws[i:i+len(nw)], nw) {
				continue
			}
			on := negatedAt(ws, i) == switchedOffAt(ws, i, i+len(nw))
			if k := i + len(nw); k < len(ws) && (ws[k] == "no" || ws[k] == "false") {
				on = false
			}
			args[pr.Name], src[pr.Name] = on, argSrc{how: srcExample}
			break
		}
	}
}

// flagFillers are the words of a flag's name that say nothing of what it turns on:
// include_taf, is_sealed, allow_pets.
var flagFillers = wordSet("include includes is has with enable enabled allow allowed only flag should use want")

// withNamedFlag sets a flag whose one telling word the clause writes: "metar and taf for
// YSSY" (include_taf), "ata 21, AOG" (aog), "unsealed" (sealed, false: a negating "un" or
// "non", or "no" or "without" before it). A word another argument took is not the flag's.
func withNamedFlag(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) {
	ws := plainWords(c.text)
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || pr.kind != pBool {
			continue
		}
		key := ""
		for _, w := range words(pr.Name) {
			if lw := strings.ToLower(w); !flagFillers[lw] {
				if key != "" {
					key = ""
					break
				}
				key = lw
			}
		}
		if len(key) < 3 {
			continue
		}
		for i, w := range ws {
			on := true
			switch {
			case w == key:
			case w == "un"+key || w == "non"+key || w == "non-"+key || flagAntonyms[key] != "" && flagAntonyms[key] == w:
				on = false
			default:
				continue
			}
			if negatedAt(ws, i) != switchedOffAt(ws, i, i+1) {
				on = !on
			}
			taken := argHolds(args, w)
			if !taken {
				args[pr.Name], src[pr.Name] = on, argSrc{how: srcExample}
			}
			break
		}
	}
}

// flagAntonyms are the words that set a flag false by naming its opposite: "add a public
// note" for internal_only.
var flagAntonyms = map[string]string{"internal": "public", "private": "public", "public": "private", "hidden": "visible", "visible": "hidden"}

// negators turn what follows them within a few words into its opposite.
var negators = wordSet(`no not don't dont never without skip shouldn't shouldnt isn't isnt aren't arent won't wont
	can't cant doesn't doesnt didn't didnt mustn't wouldn't couldn't neither nor`)

// negatedAt reports whether a negator stands in the three words before ws[i]: "no need
// to notify", "without trip protection", "don't waive".
func negatedAt(ws []string, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if negators[ws[k]] {
			return true
		}
	}
	return false
}

// switchedOffAt reports whether the setting written ws[i:j] is switched off: "off" or
// a verb that disables in the three words before it ("turn off overseas
// transactions", "disable contactless") or "off" right after it ("switch online
// purchases off").
func switchedOffAt(ws []string, i, j int) bool {
	for k := max(0, i-3); k < i; k++ {
		if switchOffWords[ws[k]] {
			return true
		}
	}
	return j < len(ws) && ws[j] == "off"
}

// switchOffWords switch off what follows them.
var switchOffWords = wordSet("off disable deactivate")

// withLabelled fills an optional text parameter whose name the clause writes as a label
// before its value: "find the booking for last name okafor" (lastName), "username
// jlee". The value is the name that follows, or one word that is no stop word, verb or
// value of another argument. A one-word name labels only a login ("name" alone labels
// anything).
func (b *builder) withLabelled(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	ws := strings.Fields(c.text)
	lower := make([]string, len(ws))
	for i, w := range ws {
		lower[i] = strings.Trim(asciiLower(w), ",.;:!?()'\"")
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || pr.kind != pString || len(pr.enumRaw) > 0 || pr.Required {
			continue
		}
		label := words(pr.Name)
		if len(label) < 2 && !handleParam(pr) {
			continue
		}
		for i := 0; i+len(label) < len(lower); i++ {
			match := true
			for k, l := range label {
				match = match && lower[i+k] == strings.ToLower(l)
			}
			if !match || strings.ContainsAny(ws[i+len(label)-1], ",.;:!?") {
				continue
			}
			at := i + len(label)
			v := strings.Trim(ws[at], ",.;:!?()'\"")
			for _, s := range c.slots {
				if s.Kind == slot.Name && strings.HasPrefix(s.Text, v) {
					v = s.Text
				}
			}
			if lv := strings.ToLower(v); v == "" || stopWords[lv] || prepositions[lv] || determiners[lv] || b.p.isVerb(lv) || usedPhrase[v] || !admits(pr, v) {
				continue
			}
			taken := argHolds(args, v)
			if !taken {
				usedPhrase[v] = true
				args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
			}
			break
		}
	}
}

// withExample fills an optional text parameter with the example of its description that
// the clause writes, words joined as the example joins them: "how much electricity did
// the ev charger use" for "Optional device filter, e.g. ev_charger, dryer" is ev_charger.
// Only an example of two words or more, or one the tool's text does not hold: "dryer"
// alone is a word of many requests.
func withExample(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	if len(args) == 0 {
		return // (an optional filter refines a step the clause asks for)
	}
	lower := " " + strings.Join(strings.Fields(asciiLower(strings.NewReplacer(",", " ", ".", " ", "?", " ", "!", " ").Replace(c.text))), " ") + " "
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || pr.kind != pString || pr.Required || len(pr.enumRaw) > 0 {
			continue
		}
		for _, e := range pr.examples {
			spaced := strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(e))
			if !strings.Contains(spaced, " ") || usedPhrase[e] || !strings.Contains(lower, " "+spaced+" ") {
				continue
			}
			taken := false
			for _, a := range args {
				if o, ok := a.(string); ok && strings.Contains(strings.ToLower(o), spaced) {
					taken = true
				}
			}
			if !taken && admits(pr, e) {
				usedPhrase[e] = true
				args[pr.Name], src[pr.Name] = e, argSrc{how: srcExample}
				break
			}
		}
	}
}

// urgencyWords say a request is urgent.
var urgencyWords = wordSet("asap urgent urgently immediately emergency")

// urgentValues are the enum values of a priority that mean urgent, the strongest first.
var urgentValues = []string{"urgent", "asap", "immediate", "high", "critical"}

// withUrgency sets a priority nothing filled to its urgent value when the clause says
// the request is urgent: "room 1104 needs extra towels asap" was a normal request. A
// word inside another argument's text (a message saying "asap") says nothing of this
// step's priority.
func withUrgency(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) {
	said := ""
	for _, w := range strings.Fields(asciiLower(c.text)) {
		if w = strings.Trim(w, ",.;:!?()"); urgencyWords[w] {
			said = w
		}
	}
	if said == "" {
		return
	}
	if argHolds(args, said) {
		return
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		if args[pr.Name] != nil || len(pr.enumRaw) == 0 || !(pr.nameTerms["priority"] || pr.nameTerms["urgency"] || pr.nameTerms["importance"]) {
			continue
		}
		for _, u := range urgentValues {
			if v, ok := enumMatch(pr, u); ok {
				args[pr.Name], src[pr.Name] = v, argSrc{how: srcPhrase}
				return
			}
		}
	}
}

// subjectContraction reports whether w is a subject with its verb ("he's", "she's",
// "they're"): an aside that opens with one states something ("he's allergic to nuts").
func subjectContraction(w string) bool {
	switch strings.ReplaceAll(w, "’", "'") {
	case "he's", "she's", "they're", "it's", "we're", "i'm", "he'll", "she'll", "they'll":
		return true
	}
	return false
}

// courtesyAside are the asides that say nothing the tool takes.
var courtesyAside = wordSet("please pls plz thanks thx ty asap urgent urgently now today tomorrow quickly again too also")

// sellerNames are the names of a parameter for who sold or charged something.
var sellerNames = wordSet("merchant vendor store shop retailer seller brand")

// withSeller fills the optional merchant (sellerNames) of a search with the word that
// qualifies the thing the tool searches: "show uber transactions since nov 1" searched
// every transaction. The word must look like a name: no plain or state adjective
// ("recent", "pending", "international"), no time word ("weekend"), no verb, and no word
// the tool's own text holds or another argument took ("card", "groceries").
func (b *builder) withSeller(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedPhrase map[string]bool) {
	target := openParam(ti, args, sellerNames, func(pr *paramInfo) bool { return pr.kind == pString && len(pr.enumRaw) == 0 && pr.re == nil })
	if target < 0 {
		return
	}
	ws := strings.Fields(asciiLower(maskSlots(c)))
	for i := 0; i+1 < len(ws); i++ {
		w := ws[i]
		if !isLetters(w) || len(w) < 3 || stopWords[w] || prepositions[w] || determiners[w] || plainAdjectives[w] || timeWords[w] || windowWords[w] ||
			b.p.isVerb(w) || isVerbWord(w) || b.p.docHas(ti, w) || stateLike(w) {
			continue
		}
		if i > 0 && !(determiners[ws[i-1]] || plainAdjectives[ws[i-1]] || i == 1 && b.p.isVerb(ws[0])) {
			continue // "show uber transactions", "my uber transactions"
		}
		n := strings.Trim(ws[i+1], ",.!?;:")
		if len(n) < 3 || stopWords[n] || !b.p.docHas(ti, n) || b.p.isVerb(n) && !nounsToo[n] {
			continue
		}
		if slices.ContainsFunc(ti.params, func(o paramInfo) bool {
			return slices.ContainsFunc(o.enumRaw, func(e any) bool { v, ok := e.(string); return ok && stem(strings.ToLower(v)) == stem(w) })
		}) {
			return // "grocery transactions": a category's value, not a merchant
		}
		taken := false
		for _, a := range args {
			if v, ok := a.(string); ok && (containsWordFold(v, w) || stem(strings.ToLower(v)) == stem(w)) {
				taken = true
			}
		}
		if taken || usedPhrase[w] {
			return
		}
		usedPhrase[w] = true
		args[ti.params[target].Name], src[ti.params[target].Name] = w, argSrc{how: srcPhrase}
		return
	}
}

// stateLike reports whether w reads as a state or a kind rather than a name: "pending",
// "declined", "international", "recurring", "online".
func stateLike(w string) bool {
	for _, suf := range []string{"ing", "ed", "al", "ic", "ous", "ive", "ful", "less", "ly", "ern", "ish"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true // ("red" and "bed" are no past)
		}
	}
	return kindWords[w]
}

// kindWords qualify a thing by its kind or time, not by who sold it.
var kindWords = wordSet(`online offline weekend weekday morning evening night card cash debit credit foreign domestic
	large small big huge tiny old unusual suspicious duplicate failed refund refunds fee fees atm`)

// amountSent reports whether a step for ti sends an amount the clause states: a money or
// number slot fills a parameter of ti named for an amount.
func amountSent(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) bool {
	for pi := range ti.params {
		pr := &ti.params[pi]
		a, ok := src[pr.Name]
		if ok && a.how == srcSlot && (a.slot.Kind == slot.Money || a.slot.Kind == slot.Number) && (pr.nameTerms["amount"] || pr.kind == pMoney) {
			return true
		}
	}
	return false
}

// handleIn returns the one word of clause c that can be a login: lower case, of a
// handle's shape (handleShape, no hyphen: "finance-share" names a group), no word of the
// tool's text, of another argument, of a value the request types, nor a stop word, verb,
// role or person noun; "" when there is none or more than one.
func (b *builder) handleIn(ti *toolInfo, c clause, args map[string]any) string {
	found := ""
	prev := ""
	for _, w := range strings.Fields(maskSlots(c)) {
		w = strings.Trim(w, ",.;:!?()'\"")
		before := prev
		prev = asciiLower(w)
		if determiners[before] || before == "his" || before == "her" || before == "their" || before == "its" || pronouns[before] {
			continue // "he left the company": a thing or a verb, no login
		}
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s") // "look up jdoe's laptop"
		lw := asciiLower(w)
		if reasonConjunctions[lw] {
			continue // "because he left"
		}
		if w != lw || !handleShape.MatchString(lw) || strings.Contains(lw, "-") || len(lw) < 3 || blanked(lw) ||
			stopWords[lw] || prepositions[lw] || determiners[lw] || pronouns[lw] || timeWords[lw] || windowWords[lw] ||
			roleWords[lw] || personNouns[lw] || linkWords[lw] || courtesyAside[lw] || plainAdjectives[lw] || stateLike(lw) || b.p.isVerb(lw) || isVerbWord(lw) || b.p.docHas(ti, lw) || b.p.things[lw] || b.p.things[stem(lw)] {
			continue
		}
		taken := argHolds(args, lw)
		if taken {
			continue
		}
		if found != "" && found != lw {
			return ""
		}
		found = lw
	}
	return found
}

// reasonConjunctions join a clause of reason, time or contrast: "because he left".
var reasonConjunctions = wordSet("because since although though unless until while whereas whilst")

// namesPerson reports whether pr, a handle parameter by its name, asks for a person's
// name by its description ("The name of the user"): that is no login.
func namesPerson(pr *paramInfo) bool {
	d := strings.ToLower(pr.Description)
	return strings.Contains(d, "name of") || strings.Contains(d, "full name") || strings.Contains(d, "first name") || strings.Contains(d, "person's name")
}

// personNouns speak of a person without naming one: "the new guy".
var personNouns = wordSet(`guy guys girl boy man woman lady gentleman person people someone somebody everyone folks
	boss colleague coworker friend client customer visitor guest`)

// roleWords say what a user is, beside their handle: "for newhire jpark", "team lead
// vpatel".
var roleWords = wordSet(`new newhire hire starter lead team manager user employee intern contractor colleague
	coworker staff member admin engineer analyst dev developer account mailbox`)

// usernames keeps of a phrase a handle parameter took the one word that can be a handle:
// "order a laptop for newhire jpark" is for jpark, "a desk visit for rbrown next tuesday
// morning" for rbrown. A word of a value the request types ("next tuesday"), another
// argument's, a role, a stop word or a verb is none; with no such word or with two the
// phrase is left to the judge, which refuses it as no handle.
func usernames(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) {
	for pi := range ti.params {
		pr := &ti.params[pi]
		v, ok := args[pr.Name].(string)
		if !ok || pr.kind != pString || !handleParam(pr) || !strings.Contains(v, " ") || src[pr.Name].how != srcPhrase && src[pr.Name].how != srcPlace {
			continue
		}
		var typed []string
		for _, s := range c.slots {
			typed = append(typed, strings.Fields(asciiLower(s.Text))...)
		}
		var others []string
		for name, a := range args {
			if o, ok := a.(string); ok && name != pr.Name {
				others = append(others, strings.Fields(asciiLower(o))...)
			}
		}
		var keep []string
		for _, w := range strings.Fields(v) {
			lw := strings.Trim(asciiLower(w), ",.;:!?'\"()")
			if !handleShape.MatchString(lw) || stopWords[lw] || prepositions[lw] || determiners[lw] || timeWords[lw] || windowWords[lw] ||
				roleWords[lw] || personNouns[lw] || linkWords[lw] || slices.Contains(typed, lw) || slices.Contains(others, lw) || isVerbWord(lw) {
				continue
			}
			keep = append(keep, strings.Trim(w, ",.;:!?'\"()"))
		}
		if len(keep) == 1 {
			args[pr.Name] = keep[0]
		}
	}
}

// linkWords join words without naming anything: "until", "unless".
var linkWords = wordSet("until till unless while whereas though although via per than")

// trimTakenTail drops from the end of the free text an argument took the values other
// arguments took, listed after a comma, and the enum value another argument took from
// the same words: "play rain sounds everywhere at volume 10" searched
// "rain sounds everywhere" on every speaker; the speaker is "everywhere".
func trimTakenTail(ti *toolInfo, args map[string]any, src map[string]argSrc) {
	for name, a := range src {
		v, ok := args[name].(string)
		pi := paramIndex(ti, name)
		if !ok || a.how != srcPhrase || pi < 0 || ti.params[pi].kind != pString {
			continue
		}
		// "nurse visit S20417 headache temp 38.4": the student another argument took
		// and the label of the temperature are no symptom.
		if f := strings.Fields(v); len(f) > 1 && !ti.params[pi].whole {
			// (Not of a message: "email bob@example.com the weather in Paris" is no
			// e-mail "the weather"; judge refuses the address it holds.)
			for other, o := range args {
				if ov, ok := o.(string); ok && other != name && strings.EqualFold(f[0], ov) {
					f = f[1:]
					break
				}
			}
			if len(f) > 1 && labelOfTaken(ti, args, name, strings.ToLower(f[len(f)-1])) {
				f = f[:len(f)-1]
			}
			if t := strings.Join(f, " "); t != v {
				v = t
				args[name] = v
			}
		}
		// "new ticket for dana.white@corp.com: outlook crashes on startup, software, p2":
		// the category and the priority listed after the summary are no part of it.
		for {
			k := strings.LastIndex(v, ", ")
			if k < 0 {
				break
			}
			last := strings.ToLower(strings.TrimSpace(v[k+2:]))
			given := false
			for other, o := range args {
				if ov, ok := o.(string); ok && other != name && strings.EqualFold(strings.ReplaceAll(ov, "_", " "), last) {
					given = true
				}
			}
			if !given {
				break
			}
			v = strings.TrimSpace(v[:k])
			args[name] = v
		}
		for other, o := range src {
			if !ti.params[pi].free || other == name || o.how != srcSlot || o.slot.Kind != slot.Enum || o.slot.Text == "" || len(o.slot.Text) >= len(v) {
				continue
			}
			if t := strings.TrimSuffix(v, " "+o.slot.Text); t != v && strings.TrimSpace(t) != "" {
				args[name] = strings.TrimSpace(t)
				break
			}
		}
	}
}

// colonLabel matches a label written with a colon after a comma or at the start: ",
// body: ", "subject: ".
var colonLabel = regexp.MustCompile(`(?:^|,\s*|\s)([A-Za-z][A-Za-z ]{0,20}?):\s`)

// colonLabels gives each text parameter whose name the clause writes as a label with a
// colon the words up to the next such label: "email kim@example.org subject: your refund,
// body: refund processed today" has the subject "your refund" and the body "refund
// processed today" (a phrase had taken the body as all of it). Only labels that name two
// of the tool's parameters count: one alone is a message's colon ("text Bob: running
// late").
func colonLabels(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc) {
	ms := colonLabel.FindAllStringSubmatchIndex(c.text, -1)
	type lab struct {
		pi, start, end int // the parameter, the label's start and the value's start
	}
	var labs []lab
	for _, m := range ms {
		name := strings.ToLower(strings.TrimSpace(c.text[m[2]:m[3]]))
		for pi := range ti.params {
			pr := &ti.params[pi]
			if pr.kind == pString && len(pr.enumRaw) == 0 && strings.ToLower(strings.Join(words(pr.Name), " ")) == name {
				labs = append(labs, lab{pi, m[0], m[1]})
			}
		}
	}
	if len(labs) < 2 {
		return
	}
	for k, l := range labs {
		end := len(c.text)
		if k+1 < len(labs) {
			end = labs[k+1].start
		}
		if end < l.end {
			continue // (two parameters of one name: the label is neither's)
		}
		v := strings.Trim(strings.TrimSpace(c.text[l.end:end]), ",;.")
		pr := &ti.params[l.pi]
		if v == "" || args[pr.Name] != nil && src[pr.Name].how != srcPhrase {
			continue
		}
		args[pr.Name], src[pr.Name] = v, argSrc{how: srcNamed}
	}
}

// placeEnumNames are the names of an enum parameter for where: a warehouse, a store.
var placeEnumNames = wordSet("warehouse location store branch site region office depot hub campus")

// placeNoValue says why clause c names a place ("in boston") that the tool's enum for
// where does not hold and no argument took, or "": "check stock SKU-1001 in boston"
// checked every warehouse, where the tool has reno, atlanta and newark.
func (b *builder) placeNoValue(ti *toolInfo, c clause, args map[string]any) string {
	for pi := range ti.params {
		pr := &ti.params[pi]
		named := false
		for t := range pr.nameTerms {
			named = named || placeEnumNames[t]
		}
		if !named || len(pr.enumRaw) == 0 || args[pr.Name] != nil {
			continue
		}
		ws := strings.Fields(asciiLower(maskSlots(c)))
		for i := 0; i+1 < len(ws); i++ {
			if ws[i] != "in" && ws[i] != "at" {
				continue
			}
			w := strings.Trim(ws[i+1], ",.;:!?()'\"")
			if w == "" || !isLetters(w) || stopWords[w] || determiners[w] || timeWords[w] || windowWords[w] || b.p.docHas(ti, w) || blanked(w) {
				continue
			}
			taken := argHolds(args, w)
			if _, ok := enumMatch(pr, w); ok || taken {
				continue
			}
			return fmt.Sprintf("%q is no %s of %s (it has %s)", w, paramWhat(pr), ti.tool.Name, strings.Join(pr.Enum, ", "))
		}
	}
	return ""
}

// labelOfTaken reports whether word w (three letters or more) starts a word of the name
// of a parameter other than name that an argument took: "temp" for temperatureC.
func labelOfTaken(ti *toolInfo, args map[string]any, name, w string) bool {
	if len(w) < 3 {
		return false
	}
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.Name == name || args[pr.Name] == nil {
			continue
		}
		for _, nw := range words(pr.Name) {
			if strings.HasPrefix(strings.ToLower(nw), w) {
				return true
			}
		}
	}
	return false
}

// handleShape is a login handle: jpark, dana.white, v_patel2.
var handleShape = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,30}$`)

// withTimes completes a date parameter that asks for a date and a time ("in ISO-8601
// format (YYYY-MM-DDTHH:MM:SS)") with the time the clause states and no other argument
// took: "to November 1, 2024 at 4pm" is 2024-11-01T16:00:00, not midnight of that day.
func withTimes(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, usedSlot []bool) {
	for pi := range ti.params {
		pr := &ti.params[pi]
		v, ok := args[pr.Name].(string)
		if !ok || pr.kind != pDate || src[pr.Name].how != srcSlot || !isISODate(v) || !asksDateTime(pr) {
			continue
		}
		for si, s := range c.slots {
			if s.Kind != slot.Time || usedSlot[si] || len(s.Value) != 5 && len(s.Value) != 8 {
				continue
			}
			if len(s.Value) == 5 {
				v += "T" + s.Value + ":00"
			} else {
				v += "T" + s.Value
			}
			args[pr.Name] = v
			usedSlot[si] = true
			break
		}
	}
}

// zoned writes the value of a parameter in JSON Schema's date-time format as RFC 3339
// wants it, with the offset of the planner's clock ("tomorrow at 8am" is 08:00 where the
// planner runs; a date alone is its midnight there).
func (b *builder) zoned(ti *toolInfo, args map[string]any, src map[string]argSrc) {
	for pi := range ti.params {
		pr := &ti.params[pi]
		v, ok := args[pr.Name].(string)
		if !ok || !strings.EqualFold(pr.Format, "date-time") || src[pr.Name].how == srcRef {
			continue
		}
		loc := b.p.cfg.now().Location()
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
			if t, err := time.ParseInLocation(layout, v, loc); err == nil {
				args[pr.Name] = t.Format(time.RFC3339)
				break
			}
		}
	}
}

// asksDateTime reports whether date parameter pr asks for a date and a time of day.
func asksDateTime(pr *paramInfo) bool {
	d := strings.ToLower(pr.Description)
	return strings.Contains(d, "hh:mm") || strings.Contains(d, "date and time") || strings.Contains(d, "date-time") ||
		strings.Contains(d, "datetime") || strings.Contains(pr.norm, "datetime") || strings.EqualFold(pr.Format, "date-time")
}

// dictatesOwn reports whether clause c dictates a message of its own words after a cue
// ("that", "saying", ": ") and refers back only inside it: "text +1 555 010 2000 that
// it's done" sends "it's done", not the earlier step's output; "text the results to
// ..." refers back in its instruction.
func dictatesOwn(c clause) bool {
	lower := asciiLower(c.text)
	k := -1
	for _, cue := range dictationCues {
		if i := strings.Index(lower, cue); i > 0 && (k < 0 || i < k) {
			k = i
		}
	}
	return k > 0 && !refersBack(tokenize(c.text[:k], nil))
}

// How an argument got its value (argSrc.how).
const (
	srcSlot     = "slot"     // a typed slot of the clause, by type and cues
	srcExample  = "example"  // a word the parameter's description gives as an example
	srcTemplate = "template" // a template's value, stated by its key
	srcRequest  = "request"  // a typed slot stated elsewhere in the request
	srcRef      = "ref"      // a reference to an earlier step's output
	srcDefault  = "default"  // the schema's (or the description's) default
	srcNamed    = "named"    // a phrase introduced by the parameter's own word ("the library X")
	srcPlace    = "place"    // a phrase after a place or person preposition
	srcPhrase   = "phrase"   // a free-text phrase of the clause (a topic, a query, a message)
	srcStated   = "stated"   // the statement beside the clause, for a message or a summary
	srcSpan     = "span"     // the days between the two dates the clause states
	srcPeriod   = "period"   // the first or last day of a week, month or year named from now
	srcPart     = "part"     // a first or last name of a person's name slot (Maria of Maria Lopez)
)

// argSrc says where an argument's value came from: the evidence the planner has for it.
type argSrc struct {
	how  string
	slot slot.Slot // the slot, for srcSlot and srcRequest
}

// requestSlot finds, for a required parameter, the best-fitting slot of the whole request
// outside clause c that args does not already hold, for typed parameters only: a date, a
// time, an enum value... never a free-text or name parameter, whose value must come from
// the clause itself.
func (b *builder) requestSlot(ti *toolInfo, pr *paramInfo, c clause, args map[string]any) (any, slot.Slot, bool) {
	switch pr.kind {
	case pDate, pTime, pEmail, pPhone, pURL, pEnum, pMoney, pFile, pInstant, pZone, pDuration, pJSONPath, pExpression:
	case pNumber, pInteger:
		// "submit a claim - urgent care visit on Feb 3, I paid $185": an amount the
		// request states elsewhere, for a parameter of money; never a bare number.
		if !mentions(pr, paidTerms) {
			// "Biscuit weighs 12.4 kg now, log it": the one number stated before with
			// the parameter's unit.
			if v, s, ok := b.statedMeasure(pr, c); ok {
				return v, s, ok
			}
			return b.statedInUnit(pr, c)
		}
	case pString:
		if s, ok := b.patternedElsewhere(pr, c, args); ok {
			return s.Value, s, true
		}
		if pr.whole || pr.numeric || pr.idLike {
			return nil, slot.Slot{}, false
		}
		// "a movie called 'Inception', could you help me watch it?": "it" is the quoted
		// title of an earlier clause.
		if c.refers {
			for i := len(b.all) - 1; i >= 0; i-- {
				if s := b.all[i]; s.Kind == slot.Quoted && s.End <= c.start {
					return s.Value, s, true
				}
			}
		}
		// "a trip to New York on October 30th. I need to know the weather for that
		// day": a clause that names no place takes the place the request last named.
		if pr.roles&rolePlace != 0 && pr.roles&(roleFrom|roleTo) == 0 && !pr.entity && !hasNamed(c) {
			// "I'm in Los Gatos, CA, and I'm looking for a family counselor. Find one
			// for me": the one place the request names, in a sentence that asks nothing.
			if s, ok := b.onlyPlace(c); ok {
				return s.Value, s, true
			}
		}
		if pr.roles&rolePlace != 0 && !pr.entity && !hasNamed(c) && mentionsEarlierPlace(c.text) {
			for i := len(b.all) - 1; i >= 0; i-- {
				s := b.all[i]
				if s.Kind != slot.Name || s.End > c.start {
					continue
				}
				holder := clause{start: 0, text: b.request}
				if pw := prevWords(holder, s, 1); len(pw) == 1 && placePrepositions[pw[0]] {
					return s.Value, s, true
				}
			}
		}
		return nil, slot.Slot{}, false
	default:
		return nil, slot.Slot{}, false
	}
	best, bestScore := -1, 0.0
	for i, s := range b.all {
		if s.Start >= c.start && s.End <= c.end || (pr.kind == pNumber || pr.kind == pInteger) && s.Kind != slot.Money {
			continue
		}
		if (s.Kind == slot.Date || s.Kind == slot.Time) && b.askedLater(c, s, pr) {
			// "book the final inspection at S-09 and hire a scissor lift there ...
			// from 2026-12-18": the date is the hire's, a later thing asked.
			continue
		}
		used := false
		for _, v := range args {
			if v == s.Value {
				used = true
			}
		}
		// "pay my water bill of 31 euros and also internet": the amount a step of the
		// same tool pays for another clause is not this one's, unless the clause takes
		// it up ("the same amount").
		if used || (pr.kind == pMoney || pr.kind == pNumber || pr.kind == pInteger) && !sameAmount.MatchString(c.text) && b.paidBy(ti, pr, s) {
			continue
		}
		// Score the slot in the context of the clause that holds it.
		holder := clause{start: 0, text: b.request}
		if sc := b.slotScore(ti, pr, s, holder, ""); sc > bestScore {
			best, bestScore = i, sc
		}
	}
	if best < 0 {
		return nil, slot.Slot{}, false
	}
	v, ok := convert(pr, b.all[best])
	return v, b.all[best], ok
}

// markOverlap marks used the slots of clause c that overlap its text from from to to
// (offsets in c.text): the words a value was read from fill nothing else.
func markOverlap(c clause, usedSlot []bool, from, to int) {
	for si, s := range c.slots {
		if s.Start < c.start+to && c.start+from < s.End {
			usedSlot[si] = true
		}
	}
}

// askedLater reports whether slot s lies in a later instruction of c's sentence ("...
// and hire a scissor lift there from 2026-12-18"), which takes it for its own step,
// and that instruction does not name parameter pr ("... and check out August 6" gives
// checkOut). (A sentence after c may give c's values: "I'd like to pick it up at 10:00
// AM".)
func (b *builder) askedLater(c clause, s slot.Slot, pr *paramInfo) bool {
	for _, x := range b.clauses {
		if x.start >= c.end && s.Start >= x.start && s.End <= x.end {
			return x.asks && !x.meta && !x.context && !x.states && !strings.ContainsAny(b.request[c.end:x.start], ".?!;") &&
				leadVerb(x, b.p.isVerb) != "" && !strings.Contains(squashed(x.text), squashed(pr.Name))
		}
	}
	return false
}

// sameAmount matches the words that take up an amount stated before: "the same
// amount", "that sum", "this total".
var sameAmount = regexp.MustCompile(`(?i)\b(?:that|this|the same|said)\s+(?:amount|sum|total|money|figure|value|price)\b`)

// paidBy reports whether a step of tool ti already takes slot s for parameter pr.
func (b *builder) paidBy(ti *toolInfo, pr *paramInfo, s slot.Slot) bool {
	v, ok := convert(pr, s)
	if !ok {
		return false
	}
	for _, st := range b.steps {
		if st.tool == ti && fmt.Sprint(st.step.Args[pr.Name]) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}

// paidTerms name an amount of money paid or to pay (not a limit or a value, which a
// stated amount may not be).
var paidTerms = termSet("amount price cost fee payment total fare sum")

// slotScore rates slot s for parameter pr: zero when the types do not fit, higher with
// every cue that points the slot at the parameter.
// titleParam reports whether pr is a work's title ("title", "movie_title", "song_name").
func titleParam(pr *paramInfo) bool {
	ws := words(pr.Name)
	if len(ws) == 0 {
		return false
	}
	switch last := strings.ToLower(ws[len(ws)-1]); {
	case last == "title":
		return true
	case last == "name" && len(ws) > 1:
		return workNouns[strings.ToLower(ws[len(ws)-2])]
	}
	return false
}

// workNouns are the works a title names.
var workNouns = wordSet("song track movie film album book show episode playlist podcast")

func (b *builder) slotScore(ti *toolInfo, pr *paramInfo, s slot.Slot, c clause, role string) float64 {
	if s.Kind == slot.Name && pr.opaque && !strings.ContainsAny(s.Text, "0123456789_") {
		// "the CAA records ... on VirusTotal" -> {x_apikey: CAA, cursor: VirusTotal}: a
		// key, a token or a page cursor is an opaque string the user labels, never a
		// name of words.
		return 0
	}
	v := b.slotScoreOf(ti, pr, s, c, role)
	if v > 0 && s.Kind == slot.Number && yearSaid(b.request, s) && !pr.nameTerms["year"] && !mentions(pr, yearWords) && pr.kind != pDate {
		// "refund ORD-330019 in full, goodwill - customer since 2019": a year, no
		// amount and no ticket number.
		return 0
	}
	if v > 0 && s.Kind == slot.Percent && pr.nameTerms["percent"] {
		// "15% off" for percent_off, ahead of any bare number of the clause.
		return v + 2
	}
	if v > 0 && s.Kind == slot.Name && b.orgOfPerson(s) {
		// "add Owen Price from Tyne Fabrication as a lead": where the person is from is
		// their organisation.
		if mentions(pr, orgTerms) {
			return v + 1.5
		}
		if mentions(pr, partyTerms) {
			return 0
		}
	}
	if v > 0 && s.Kind == slot.Name && mentions(pr, partyTerms) && !mentions(pr, placeNounTerms) {
		if n := nounAfterName(b.request, s); n != "" && !mentions(pr, map[string]bool{n: true}) {
			// "met him at the Harrogate expo": a name that qualifies a thing ("expo")
			// names that thing, not a person or a company.
			return 0
		}
	}
	if v > 0 && s.Kind == slot.Name && (pr.nameTerms["city"] || pr.nameTerms["town"]) && facilityWords[strings.ToLower(s.Text[strings.LastIndexByte(s.Text, ' ')+1:])] {
		// "an Imax film at Century Blackhawk Plaza in Danville": a name that ends in
		// a kind of building or venue is no city.
		return 0
	}
	if v > 0 && s.Kind == slot.Name && pr.cityCountry {
		if _, ok := countryAfter(b.request, s.End); ok {
			return v + 1 // "a trip to Paris, France": the place is Paris, France
		}
		if country, ok := countryAfter(b.request, s.Start-2); ok && country == s.Text {
			return 0 // (and France is its country, not a second place)
		}
	}
	if v > 0 && s.Kind == slot.Name && sellerNames[pr.norm] {
		if w := wordBefore(b.request, s.Start); w == "to" || w == "in" || w == "into" {
			// "89 EUR for the train to Porto": where one went is no merchant.
			return 0
		}
	}
	if v > 0 && s.Kind == slot.Name && makerOfWork(b.request, s) {
		// "play that Sara Evans song": a name between an article and a work is who
		// made it, not its title.
		// (Nor is it surely the maker: "some Hillbilly movie" names a genre.)
		if mentionsAny(pr, workParamNouns) && !mentionsAny(pr, makerNouns) {
			return 0
		}
	}
	if v > 0 && s.Kind == slot.Name && kinBefore(b.request, s) {
		// "book my son Leo Park into pediatrics": a relative named is who the action is
		// for, never the one who provides it (the doctor), nor a song or who made it
		// ("the album my cousin Vince mentioned").
		switch {
		case mentions(pr, providerTerms) || mentionsAny(pr, makerNouns) || mentionsAny(pr, workParamNouns):
			return 0
		case mentions(pr, forWhomTerms):
			return v + 1.5
		}
	}
	return v
}

// orgTerms are words of a parameter for an organisation.
var orgTerms = wordSet("company organization organisation employer firm business account agency")

// partyTerms are words of a parameter for a person or an organisation, which a name
// qualifying a thing is not.
var partyTerms = wordSet("company organization organisation employer firm business agency owner first last person doctor contact customer patient job role position")

// placeNounTerms are words of a parameter for a place or an event, which "the Eastside
// clinic" or "the Harrogate expo" names.
var placeNounTerms = wordSet("location place venue site clinic branch office store event city")

// orgOfPerson reports whether name slot s follows "from" after another name: "Owen Price
// from Tyne Fabrication".
func (b *builder) orgOfPerson(s slot.Slot) bool {
	before := strings.TrimRight(b.request[:s.Start], " ")
	if !strings.HasSuffix(strings.ToLower(before), " from") {
		return false
	}
	end := len(before) - len(" from")
	for _, o := range b.all {
		if o.Kind == slot.Name && o.End == end {
			return true
		}
	}
	return false
}

// nounAfterName returns the common noun right after name slot s when the name follows
// "the" ("the Harrogate expo", "the Eastside clinic"), or "".
func nounAfterName(request string, s slot.Slot) string {
	ws := strings.Fields(asciiLower(request[:s.Start]))
	if len(ws) == 0 || ws[len(ws)-1] != "the" {
		return ""
	}
	after := strings.Fields(asciiLower(request[s.End:]))
	if len(after) == 0 || request[s.End] != ' ' {
		return ""
	}
	n := strings.Trim(after[0], ",.!?;:")
	if n == "" || !isLetters(n) || stopWords[n] || prepositions[n] || timeWords[n] || determiners[n] || isVerbWord(n) {
		return ""
	}
	return n
}

// yearWords say a parameter takes a year.
var yearWords = wordSet("year years yyyy")

// yearCues introduce a year: "since 2019", "class of 2027", "back in 2015".
var yearCues = wordSet("since in from of year until till before after during")

// yearSaid reports whether number slot s is a year the request writes after a cue word
// (yearCues): four digits from 1900 to 2100.
func yearSaid(request string, s slot.Slot) bool {
	n, err := strconv.Atoi(s.Text)
	if err != nil || len(s.Text) != 4 || n < 1900 || n > 2100 {
		return false
	}
	ws := strings.Fields(asciiLower(request[:s.Start]))
	return len(ws) > 0 && yearCues[ws[len(ws)-1]]
}

// kinWords name a relative or a dependant: "my son Leo Park".
var kinWords = wordSet(`son daughter kid child wife husband partner mom mum mother dad father brother sister
	grandma grandpa grandmother grandfather baby toddler niece nephew aunt uncle cousin stepson stepdaughter`)

// providerTerms are words of a parameter for who provides a service.
var providerTerms = wordSet("doctor physician vet veterinarian dentist therapist stylist provider clinician nurse instructor trainer agent assignee")

// facilityWords end the name of a building, a venue or a site, not of a city.
var facilityWords = wordSet("plaza center centre mall cinema cinemas cineplex theatre theater stadium arena station terminal airport hotel hall museum gallery library hospital clinic school university college church cathedral market square tower building")

// makerNouns are words of a parameter for who made a work; workParamNouns for the work.
var (
	makerNouns     = []string{"artist", "author", "performer", "singer", "band", "composer", "director", "actor", "actress", "cast", "starring", "writer", "musician", "creator"}
	workParamNouns = []string{"track", "song", "tune", "title", "album", "record", "movie", "film", "book", "novel", "podcast"}
)

// makerOfWork reports whether name slot s stands between an article and a work: "a
// Taylor Swift song", "that Sara Evans song", "some Nolan film".
func makerOfWork(request string, s slot.Slot) bool {
	ws := strings.Fields(asciiLower(request[:s.Start]))
	if len(ws) == 0 || !makerArticles[ws[len(ws)-1]] {
		return false
	}
	after := strings.Fields(asciiLower(request[s.End:]))
	if len(after) == 0 || request[s.End] != ' ' {
		return false
	}
	n := strings.Trim(after[0], ",.!?;:")
	return workNouns[strings.TrimSuffix(n, "s")]
}

// makerArticles come before a maker's name that qualifies a work ("the Beatles song"
// names the song as often as its band, and "the" is left out).
var makerArticles = wordSet("a an that some any another this one")

// forWhomTerms are words of a parameter for whom a service is.
var forWhomTerms = wordSet("patient child dependent dependant guest passenger attendee traveler traveller member student")

// kinBefore reports whether name slot s follows a relative's word ("my son Leo Park",
// "our daughter, Maya").
func kinBefore(request string, s slot.Slot) bool {
	ws := strings.Fields(asciiLower(request[:s.Start]))
	return len(ws) > 0 && kinWords[strings.TrimSuffix(strings.TrimRight(ws[len(ws)-1], ",:"), "'s")]
}

func (b *builder) slotScoreOf(ti *toolInfo, pr *paramInfo, s slot.Slot, c clause, role string) float64 {
	if slotFits(pr, s, b.request) != "" || b.p.idOfOther(ti, pr, s, b.request) != "" {
		return 0 // see judge: a typed value fills only a parameter for that type of value
	}
	if codePattern(pr) {
		if !pr.re.MatchString(s.Value) && !pr.re.MatchString(s.Text) {
			return 0 // a parameter for a code like HM-AU-204417 takes nothing else
		}
	} else if slices.ContainsFunc(ti.params, func(o paramInfo) bool { return codePattern(&o) && o.re.MatchString(s.Value) }) {
		// "add her to HM-AU-318552: Ava Lindqvist": the code is the policy's, not
		// the driver's name.
		return 0
	}
	if s.Kind == slot.Name && afterColon(c, s) {
		// "create a bug in WEB: login button does nothing on Safari": the title is what
		// follows the colon, and the name one of its words, no value of its own (an
		// assignee).
		return 0
	}
	if s.Kind == slot.Name && acronym(s.Value) && containsWordFold(ti.tool.Description, "the "+s.Value) &&
		containsWordFold(b.request, "the "+s.Value) && !containsWordFold(pr.Description, s.Value) {
		// "Add Wei Chen to the CRM" for "Add a contact to the CRM": the system the
		// tool works on, not a value for it (not the contact's company).
		return 0
	}
	if s.Kind == slot.Name && labelsOther(ti, pr, s, c) {
		return 0
	}
	if s.Kind == slot.Name && serialParam(pr) && !strings.ContainsAny(s.Value, "0123456789") {
		// "claim the new PCB back under warranty": a serial number has digits; a
		// word is no serial number.
		return 0
	}
	if s.Kind == slot.Name && (titleParam(pr) || pr.norm == "summary") && b.p.identifierCode(s.Value) {
		// "tag PRJ-1010 as a regression" is no issue titled "PRJ-1010": a code the
		// catalogue identifies things by names a thing, it describes none.
		return 0
	}
	w := prevWord(c, s)
	if pw := prevWords(c, s, 2); len(pw) == 2 && genericLabels[pw[0]] {
		w = pw[1] // "product ID SK123": the product's identifier
	}
	if s.Kind == slot.Name && strings.ContainsAny(s.Value, "0123456789") && !b.p.isVerb(strings.ToLower(w)) && labelledByOther(ti, pr, w) {
		// "find customer by licence MORGA657054SM9IJ": the code is the licence
		// number's, not the customer's name.
		return 0
	}
	if _, ok := valueKind[pr.kind]; ok || isValueKind(s.Kind) {
		// A value kind fills only its own kind of parameter, and such a parameter
		// takes nothing else.
		return valueScore(pr, s)
	}
	base := 0.0
	switch pr.kind {
	case pEnum:
		if s.Kind == slot.Enum && periodWhen(c, s) {
			return 0 // "sales for last week by channel": when, not a grouping by week
		}
		if _, ok := enumMatch(pr, s.Value); ok {
			base = 4
		} else if _, ok := enumMatch(pr, s.Text); ok {
			base = 4
		}
		if base == 0 {
			return 0
		}
		if strings.TrimSpace(c.text[:s.Start-c.start]) == "" && slices.ContainsFunc(c.slots, func(o slot.Slot) bool {
			_, ok := enumMatch(pr, o.Value)
			return o.Start != s.Start && o.Kind == slot.Enum && ok
		}) {
			// "merge web-app PR 517 with a squash": the verb the clause opens with is
			// what it asks, and the other value of the parameter the way.
			base = 3
		}
	case pDate:
		if s.Kind != slot.Date {
			return 0
		}
		base = 3
	case pTime:
		if s.Kind != slot.Time {
			return 0
		}
		if pr.roles&(roleTo|roleReturn) == 0 && b.rangeEnd(s) {
			return 0 // "10:00-11:30": the start is 10:00
		}
		base = 3
	case pEmail:
		if s.Kind != slot.Email {
			return 0
		}
		base = 3
	case pPhone:
		if s.Kind != slot.Phone {
			return 0
		}
		base = 3
	case pURL:
		if s.Kind != slot.URL {
			return 0
		}
		base = 3
	case pFile:
		switch s.Kind {
		case slot.File:
			base = 3
		case slot.Quoted, slot.URL:
			base = 1
		default:
			return 0
		}
	case pMoney:
		switch s.Kind {
		case slot.Money:
			base = 3
		case slot.Number:
			base = 1.5
		default:
			return 0
		}
	case pInteger, pNumber:
		switch s.Kind {
		case slot.Number:
			base = 2
			if pr.kind == pInteger && strings.Contains(s.Value, ".") {
				return 0
			}
			// "dropped from 20 m" is a height, not the gravity in m/s^2; "12 V" is
			// no resistance. (No more than that: which of a list's numbers a
			// parameter takes first is the list's business, "radii of 2, 4 and 6
			// feet".)
			if d := unitFor(b.request, s.End, ti); d != 0 && (pr.dims != 0 && pr.dims&d == 0 || pr.dims == 0 && countsItems(pr) && !unitListed(ti, b.request, s.End)) {
				// ("a 12kg bag": 12 is the bag's weight, not the quantity; "order 20 kg
				// of potatoes" where a unit parameter lists kg: 20 is the quantity.)
				return 0
			}
		case slot.Money:
			// ("$128,000 base" for a base_salary, "$10k signing bonus" for a
			// signing_bonus: what money is paid as.)
			if !(pr.terms["amount"] || pr.terms["price"] || pr.terms["cost"] || pr.terms["value"] || slices.ContainsFunc(paidAs, func(w string) bool { return pr.nameTerms[w] })) {
				return 0
			}
			if other := labelledParam(ti, b.request, s.End); other != nil && other != pr {
				return 0 // "$10k signing bonus" is the signing_bonus, not the base salary
			}
			base = 2.5
		case slot.Percent:
			// "at 5% for 3 years": a percentage is a rate or a share, never the years.
			if !percentParam(pr) {
				return 0
			}
			base = 1
		default:
			return 0
		}
	case pArray:
		if pr.items != "string" && pr.items != "" {
			return 0
		}
		switch s.Kind {
		case slot.Quoted, slot.Name, slot.Enum:
			base = 0.5
		case slot.Number:
			if _, ok := standardID(pr); !ok {
				return 0
			}
			base = 2 // "9780141439518" for the ISBNs (slotFits checked the form)
		case slot.Email, slot.Phone, slot.URL:
			base = 2 // "with ann@example.com" for the attendees' addresses (slotFits checked the kind)
		case slot.File:
			base = 2 // "attach IMG_4471.jpg and IMG_4472.jpg" for the files (slotFits checked the kind)
		default:
			return 0
		}
	case pBool, pObject:
		return 0
	case pString:
		if pr.numeric {
			if s.Kind != slot.Number {
				return 0
			}
			base = 2
			break
		}
		if pr.numbered != "" && !strings.ContainsAny(s.Text, "0123456789") {
			return 0 // "Harry Kane" is no season like '2022-23'
		}
		if pr.entity && pr.idLike {
			// An identifier is given verbatim (quoted, a number, a code); a name is
			// what a producer looks it up from.
			switch s.Kind {
			case slot.Quoted:
				if strings.Contains(strings.TrimSpace(s.Value), " ") && !codeShape(s.Value) {
					return 0 // "mark 'buy milk' as done": a title, not the todo's id
				}
				base = 2
			case slot.Number:
				base = 1
			case slot.Name:
				if !codeShape(s.Text) {
					return 0
				}
				base = 2 // "APT-5521", "L_5798": a code, written as one
			default:
				return 0
			}
			break
		}
		if s.Kind == slot.Name && namesTool(ti, s.Text) {
			return 0 // "send an SMS": the tool's own name is not an argument
		}
		switch s.Kind {
		case slot.Quoted:
			base = 2
			if pr.whole && quoteFollowsVerb(c, s, b.p.isVerb) {
				// "post 'deploy done' to #eng": the quoted object of the verb is the
				// message, not the channel.
				base = 2.5
			}
		case slot.Name:
			base = 2
			switch {
			case pr.whole:
				base = 0.5 // an instruction or a message is a phrase; a name is a thing's
			case pr.free:
				base = 1.5
			}
		case slot.Enum:
			if pr.entity {
				return 0 // an enum value is a category, not the name of a thing
			}
			if slices.ContainsFunc(ti.params, func(o paramInfo) bool { return o.kind == pEnum && inEnum(&o, s.Value) }) &&
				!slices.ContainsFunc(pr.examples, func(e string) bool { return strings.EqualFold(e, s.Value) }) {
				// "a long run" for a title and an activity: run is the activity. (A
				// payee "e.g. landlord, savings" takes the account "to savings".)
				return 0
			}
			base = 1
		case slot.Number:
			if b.p.spacedCodes[pr.norm] {
				return 0 // "drop stat 200": 200 is half a course code like CS 101
			}
			base = 0.8
		case slot.Date, slot.Time:
			return 0 // a date parameter says so in its name, description or format
		case slot.Email, slot.Phone, slot.URL:
			// Passed slotFits: the parameter says it takes this kind of value ("the
			// identifier for the recipient"), and a value written in that form says
			// more than a name does (Amelia's email amelia@example.com).
			base = 2.5
		default:
			base = 0.5
		}
	}
	if pr.whole {
		switch s.Kind {
		case slot.Quoted, slot.File, slot.URL, slot.Name:
		default:
			return 0 // a phone number or a date is not the content of a message
		}
	}
	score := base
	if s.Kind == slot.Name || s.Kind == slot.Quoted {
		// "the Stronger album": the word after a name says which parameter it is.
		if w := wordAfter(b.request, s.End); w != "" && (pr.norm == w || pr.nameTerms[w] && len(pr.nameTerms) <= 2) && !b.valueAfterWord(s.End) {
			score += 2
		}
	}
	if s.Kind == slot.Name && strings.Contains(s.Text, " ") {
		// "the Regal Cinema", "Union City": a name's last word says what it names,
		// unless another parameter is described by it too ("ABC Insurance" may be the
		// insurance or "the insurance company").
		last := s.Text[strings.LastIndexByte(s.Text, ' ')+1:]
		for _, w := range words(pr.Name) {
			if strings.EqualFold(w, last) {
				if !otherDescribedBy(ti, pr, last) {
					score++
				}
				break
			}
		}
	}
	if pr.Required {
		// A value the request states is more likely one the tool needs: "play Dancing
		// Queen by ABBA" names the song, not the device.
		score += 0.6
	}
	prev := prevWords(c, s, 2)
	// The preposition that introduces the slot: the nearest word, or the one before it
	// ("to the address: 123 Main St").
	p1 := ""
	for _, w := range prev {
		if prepositions[w] {
			p1 = w
			break
		}
	}
	if p1 == "" && len(prev) > 0 {
		p1 = prev[0]
	}
	if titleParam(pr) && s.Kind == slot.Name {
		switch p1 {
		case "with", "starring", "featuring", "by", "about":
			// "a movie with Bruce Willis", "a song by ABBA": who is in it or made
			// it, not its title.
			return 0
		}
	}
	if pr.roles&(rolePlace|roleFrom|roleTo) == 0 && role == "" && (s.Kind == slot.Name || s.Kind == slot.Quoted) {
		switch p1 {
		case "in", "near", "from", "to", "into", "around":
			score -= 0.5 // a place, and this parameter is not one
		}
	}
	from := p1 == "from"
	to := p1 == "to" || p1 == "into"
	prRoles := pr.roles
	if role != "" {
		// A producer inserted for "originSkyId" looks up the origin.
		prRoles |= paramRoles(map[string]bool{role: true}, "")
	}
	if prRoles&roleFrom != 0 {
		if from {
			score += 2
		} else if p1 == "to" {
			score -= 1.5
			if prRoles&roleTo == 0 && toValues(c) > 1 {
				return 0 // "convert 100 USD to EUR and to GBP": both are converted to
			}
		}
	}
	if prRoles&roleTo != 0 && prRoles&roleFrom == 0 {
		if to {
			score += 2
		} else if p1 == "from" {
			score -= 1.5
		}
	}
	if pr.roles&rolePlace != 0 && (s.Kind == slot.Name || s.Kind == slot.Quoted) {
		switch p1 {
		case "in", "at", "near", "to", "from", "around", "for":
			score += 1
		}
		if role != "" {
			score += 1
		}
	}
	if pr.roles&rolePerson != 0 && s.Kind == slot.Name {
		switch p1 {
		case "by", "with", "to", "for", "of", "named", "called":
			if p3 := prevWords(c, s, 3); p1 == "of" && len(p3) == 3 && p3[0] == "of" && (isDigits(p3[2]) || countWords[p3[2]]) {
				break // "2 kegs of Oat Stout": what is counted, no one's name
			}
			score += 0.7
		}
	} else if p1 == "by" && s.Kind == slot.Name && role == "" && pr.roles&(rolePlace|roleFrom|roleTo) == 0 && !byParam(pr, prev) {
		// "music by The Weeknd": a name after "by" made the thing, it is not the thing
		// (unless the parameter is for who did it: "directed by", directed_by).
		score -= 1
	}
	if pr.roles&roleReturn != 0 {
		for _, w := range prev {
			if w == "return" || w == "returning" || w == "returns" || w == "until" || w == "till" || w == "out" {
				score += 1.5
			}
		}
	}
	// The parameter's own words around the slot or inside it: "the Example Library" for
	// library, "return on" for returnDate. Not a word before "of" for a name: "the
	// latest episode of The Daily" names the show whose episode is asked for.
	for k, w := range prev {
		if k == 1 && prev[0] == "of" && s.Kind == slot.Name {
			break
		}
		t := stem(w)
		if nameIntroducers[w] && pr.terms[stem(strings.TrimSuffix(w, "d"))] {
			t = stem(strings.TrimSuffix(w, "d")) // "titled 'Unfair dismissal claim'" for the title
		}
		if pr.terms[t] && (pr.nameTerms[t] || !ti.terms[t] || s.Kind != slot.Name && s.Kind != slot.Quoted) {
			// ("open a new employment matter for Greta Lindqvist": "matter" is the
			// tool's word, which every parameter's description may say, and it marks
			// no "Short matter title".)
			score += 1
			break
		}
	}
	for _, t := range uniqueTerms(s.Text) {
		if pr.nameTerms[t] && (s.Kind == slot.Name || s.Kind == slot.Quoted) {
			score += 1.5
			break
		}
	}
	// A people's adjective for a nationality written as one ("a Canadian visiting
	// India": the citizenship is Canadian).
	if s.Kind == slot.Name && nationalityParam(pr) {
		if _, adj, ok := lexicon.Country(s.Text); ok && adj {
			score += 2
		}
	}
	// The slot's value cited in the parameter's description ("eg. Amazon, Ebay").
	if len(s.Value) > 1 && (s.Kind == slot.Name || s.Kind == slot.Enum || s.Kind == slot.Quoted) &&
		(containsWordFold(pr.Description, s.Value) || exampleSquashed(pr, s.Value)) {
		// (or written without its spaces: "UberEats" for "eg. Uber Eats")
		score += 3
	}
	return score
}

// byParam reports whether pr may be for whoever "by" introduces: its name says "by"
// (directed_by, created_by), or a participle comes before "by" in prev, the words before
// the slot, nearest first ("written by").
func byParam(pr *paramInfo, prev []string) bool {
	if pr.nameTerms["by"] || strings.Contains(strings.ToLower(pr.Name), "by") {
		return true
	}
	// "directed by", "written by": a participle names what was done, and whoever did it
	// may be what the parameter is for; "music by" names a work.
	return len(prev) > 1 && prev[0] == "by" && (strings.HasSuffix(prev[1], "ed") || participles[prev[1]])
}

// participles that do not end in -ed.
var participles = wordSet("written sung drawn made done taken given shown held run built sold won known seen hosted")

var prepositions = map[string]bool{"in": true, "at": true, "on": true, "for": true, "from": true, "to": true,
	"into": true, "near": true, "around": true, "by": true, "with": true, "about": true, "of": true, "via": true}

// prevWords returns up to n lowercase words before slot s within the clause, nearest
// first, skipping articles.
func prevWords(c clause, s slot.Slot, n int) []string {
	lo := s.Start - c.start
	if lo < 0 || lo > len(c.text) {
		return nil
	}
	ws := strings.FieldsFunc(strings.ToLower(c.text[:lo]), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'')
	})
	var out []string
	for i := len(ws) - 1; i >= 0 && len(out) < n; i-- {
		switch ws[i] {
		case "the", "a", "an", "my", "our", "your":
			continue
		}
		out = append(out, ws[i])
	}
	return out
}

func containsWordFold(text, word string) bool {
	if word == "" {
		return false // (no word is in every text)
	}
	lt, lw := strings.ToLower(text), strings.ToLower(word)
	for i := 0; ; {
		k := strings.Index(lt[i:], lw)
		if k < 0 {
			return false
		}
		k += i
		end := k + len(lw)
		if (k == 0 || !isWordByte(lt[k-1])) && (end == len(lt) || !isWordByte(lt[end])) {
			return true
		}
		i = k + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

// enumMatch returns the enum value (typed as the schema has it) equal to v, ignoring case
// and the difference between '_' and ' ', or to v without a word that names the
// parameter ("credit card" for a card that is debit or credit: credit).
func enumMatch(pr *paramInfo, v string) (any, bool) {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", " ")) }
	nv := norm(v)
	if e, ok := enumAt(pr, nv, norm); ok {
		return e, true
	}
	if ws := strings.Fields(nv); len(ws) > 1 {
		var kept []string
		for _, w := range ws {
			if ts := terms(w); len(ts) != 1 || !pr.nameTerms[ts[0]] {
				kept = append(kept, w)
			}
		}
		if len(kept) > 0 && len(kept) < len(ws) {
			return enumAt(pr, strings.Join(kept, " "), norm)
		}
	}
	return nil, false
}

// enumAt returns pr's enum value whose normal form (norm) is nv.
func enumAt(pr *paramInfo, nv string, norm func(string) string) (any, bool) {
	for i, e := range pr.Enum {
		if norm(e) == nv {
			if i < len(pr.enumRaw) {
				return pr.enumRaw[i], true
			}
			return e, true
		}
	}
	return nil, false
}

// convert renders slot s as a value of parameter pr's type, within its pattern and
// bounds.
func convert(pr *paramInfo, s slot.Slot) (any, bool) {
	v, ok := convertSlot(pr, s)
	if !ok || !admits(pr, v) {
		return nil, false
	}
	return v, true
}

// patternedElsewhere returns the one value stated outside clause c, not yet an argument,
// that parameter pr's pattern admits, when the pattern asks for more than digits or a
// word (a code such as RSV-482913): "renew my permit for 6 months. it's PK-20391" renews
// PK-20391. Two such values, or none, give nothing.
func (b *builder) patternedElsewhere(pr *paramInfo, c clause, args map[string]any) (slot.Slot, bool) {
	if !codePattern(pr) {
		return slot.Slot{}, false
	}
	var found []slot.Slot
	for _, s := range b.all {
		if s.Start >= c.start && s.End <= c.end || !pr.re.MatchString(s.Value) || argsHold(args, s.Value) {
			continue
		}
		if !slices.ContainsFunc(found, func(f slot.Slot) bool { return f.Value == s.Value }) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		return slot.Slot{}, false
	}
	return found[0], true
}

// itemList reports whether parameter pr is a list of things named in words: the items
// of an order, the products of a list ("items", "dishes", "products", "groceries").
func itemList(pr *paramInfo) bool {
	if pr.kind != pArray || pr.items != "string" {
		return false
	}
	for _, w := range []string{"item", "dish", "product", "grocery", "food", "thing", "article"} {
		if pr.nameTerms[w] {
			return true
		}
	}
	return false
}

// thingList reports whether parameter pr is a list of things a request names in plain
// words after "with" or "using": ingredients, toppings, keywords, tags, symptoms.
func thingList(pr *paramInfo) bool {
	if pr.kind != pArray || pr.items != "string" && pr.items != "" {
		return false
	}
	for t := range pr.nameTerms {
		if thingListTerms[t] {
			return true
		}
	}
	return false
}

var thingListTerms = termSet("ingredient ingredients topping toppings keyword keywords tag tags symptom symptoms prescription drug drugs")

// listAfterWith returns the phrase that "with", "using", "containing" or "including"
// introduces in clause c, as a list may be written ("with chicken, rice and broccoli"),
// up to a preposition, a bound or the sentence's end; "" when the clause has none.
func listAfterWith(c clause) string {
	ws := strings.Fields(c.text)
	start := -1
	for i, w := range ws {
		if listOpeners[strings.ToLower(w)] {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return ""
	}
	var out []string
	for _, w := range ws[start:] {
		lw := strings.ToLower(strings.Trim(w, ",.;:!?"))
		if itemEnds[lw] || listEnds[lw] {
			break
		}
		t := strings.TrimRight(w, ".;:!?")
		out = append(out, t)
		if t != w {
			break
		}
	}
	return strings.TrimRight(strings.Join(out, " "), ",")
}

var (
	listOpeners = wordSet("with using containing including between")
	listEnds    = wordSet("under below over above within in less more than that which who")
)

// itemsPhrase returns the object of clause c's verb as a list may be written, "and" and
// commas included: "order a margherita pizza and a coke to room 1412" orders "a
// margherita pizza and a coke". It ends at a preposition, a courtesy or a sentence's end.
func itemsPhrase(c clause, isVerb func(string) bool) string {
	ws := strings.Fields(c.text)
	start := -1
	for i, w := range ws {
		if lw := strings.ToLower(strings.Trim(w, ",.;:!?")); isVerb(lw) && !requestOpeners[lw] {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return ""
	}
	for start < len(ws) && itemParticles[strings.ToLower(ws[start])] {
		start++ // "send up", "get me", "bring us"
	}
	var out []string
	for _, w := range ws[start:] {
		lw := strings.ToLower(w)
		if itemEnds[lw] || isVerb(lw) && !strings.HasSuffix(lw, "s") {
			break
		}
		if strings.HasSuffix(w, ":") && len(out) <= 1 {
			// "log lunch: a turkey sandwich and an apple": the items follow the label.
			out = out[:0]
			continue
		}
		t := strings.TrimRight(w, ".;:!?")
		out = append(out, t)
		if t != w {
			break
		}
	}
	return strings.Join(out, " ")
}

var (
	itemParticles = wordSet("me us up over in")
	itemEnds      = wordSet("to for from at on by with sent delivered brought please pls plz tonight today tomorrow tmrw asap now right into via")
)

// namesBeyondVerbs reports whether clause c names something of tool ti's text other
// than by its verbs: "order me a large pepperoni pizza" reaches a pharmacy's delivery
// by "order" alone, and the pizza is no item of it.
func (p *Pattern) namesBeyondVerbs(ti *toolInfo, c clause) bool {
	var kept []string
	for _, w := range strings.Fields(c.text) {
		if lw := strings.ToLower(strings.Trim(w, ",.;:!?")); !p.isVerb(lw) && !p.isVerb(stem(lw)) {
			kept = append(kept, w)
		}
	}
	return len(p.covered(p.toolIndex[ti], p.contentTerms(clause{text: strings.Join(kept, " ")}))) > 0
}

// splitItems splits a phrase that lists things ("a margherita pizza and a coke", "eggs,
// milk and bread") into its items, without their articles.
func splitItems(ph string) []string {
	var out []string
	for _, part := range itemSeparators.Split(ph, -1) {
		part = strings.TrimSpace(part)
		if f := strings.Fields(part); len(f) > 1 && (strings.EqualFold(f[0], "a") || strings.EqualFold(f[0], "an") || strings.EqualFold(f[0], "some") || strings.EqualFold(f[0], "the")) {
			part = strings.Join(f[1:], " ")
		}
		if part == "" {
			return nil
		}
		out = append(out, part)
	}
	return out
}

var itemSeparators = regexp.MustCompile(`\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*\+\s*|\s*&\s*)`)

// datedEnum returns the value of enum parameter pr that a word of clause c names when
// every value is a word and a year ("fall_2027", "2027-Q1") and only one value has that
// word: "what cs classes r offered in the fall" asks for fall_2027.
func datedEnum(pr *paramInfo, c clause) (any, bool) {
	byWord := map[string]int{}
	for i, e := range pr.Enum {
		parts := valueWords(e)
		if len(parts) != 2 {
			return nil, false
		}
		w, y := parts[0], parts[1]
		if isYear(w) {
			w, y = y, w
		}
		if !isYear(y) || isYear(w) || len(w) < 2 {
			return nil, false
		}
		if _, dup := byWord[w]; dup {
			byWord[w] = -1
		} else {
			byWord[w] = i
		}
	}
	found := -1
	for _, w := range words(maskSlots(c)) {
		if i, ok := byWord[strings.ToLower(w)]; ok && i >= 0 && i != found {
			if found >= 0 {
				return nil, false // two terms named
			}
			found = i
		}
	}
	if found < 0 {
		return nil, false
	}
	if found < len(pr.enumRaw) {
		return pr.enumRaw[found], true
	}
	return pr.Enum[found], true
}

// isYear reports whether s is a four-digit year.
func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// bareHour returns the hour clause c gives as a number alone after "at", "around",
// "until" or the like ("at 7", "until 4"), with its time when a word of the clause says
// morning or evening ("07:00" for "every morning at 7", "21:00" for "tonight at 9"; noon
// for 12), or "" when none does; false when the clause gives no such hour.
func (b *builder) bareHour(c clause) (slot.Slot, string, bool) {
	for _, s := range c.slots {
		if s.Kind != slot.Number {
			continue
		}
		h, err := strconv.Atoi(s.Text)
		if err != nil || h < 1 || h > 12 || !hourPrepositions[strings.ToLower(prevWord(c, s))] {
			continue
		}
		if next := strings.ToLower(wordAfter(b.request, s.End)); next != "" && !hourFollowers[next] {
			continue // "at 10 Downing Street", "at 4 stars"
		}
		if b.usedElsewhere(s) {
			continue
		}
		if h == 12 {
			return s, "12:00", true
		}
		ws := wordSet(strings.ToLower(strings.Join(words(c.text), " ")))
		switch {
		case hasAny(ws, "morning", "am", "breakfast", "sunrise", "early"):
			return s, fmt.Sprintf("%02d:00", h), true
		case hasAny(ws, "evening", "tonight", "night", "pm", "dinner", "afternoon", "supper"):
			return s, fmt.Sprintf("%02d:00", h+12), true
		}
		return s, "", true
	}
	return slot.Slot{}, "", false
}

// usedElsewhere reports whether slot s is part of another slot of the request (a date,
// an address).
func (b *builder) usedElsewhere(s slot.Slot) bool {
	for _, o := range b.all {
		if o.Kind != slot.Number && o.Start <= s.Start && s.End <= o.End {
			return true
		}
	}
	return false
}

func hasAny(set map[string]bool, ws ...string) bool {
	for _, w := range ws {
		if set[w] {
			return true
		}
	}
	return false
}

var (
	hourPrepositions = wordSet("at around about by until til till @")
	hourFollowers    = wordSet("for on and then tomorrow today tonight tmrw please pls in o sharp")
)

// onlyPlace returns the one place the request names outside clause c, after "in", "at"
// or "near", when the request names exactly one and the clause it is in asks for nothing
// of its own (it states where the user is or what they look for).
func (b *builder) onlyPlace(c clause) (slot.Slot, bool) {
	holder := clause{start: 0, text: b.request}
	var found []slot.Slot
	for _, s := range b.all {
		if s.Kind != slot.Name {
			continue
		}
		pw := prevWords(holder, s, 1)
		if len(pw) != 1 || !placePrepositions[pw[0]] {
			continue
		}
		if s.Start >= c.start && s.End <= c.end {
			return slot.Slot{}, false // the clause names its own
		}
		if b.uses(s) || slices.ContainsFunc(b.clauses, func(o clause) bool {
			return s.Start >= o.start && s.End <= o.end && o.asks && !o.context && !o.states && !o.condition && !o.meta
		}) {
			return slot.Slot{}, false // a place a step took, or one a clause that asks names for itself
		}
		switch pw[0] {
		case "in", "at", "near", "around":
			found = append(found, s)
		default:
			return slot.Slot{}, false // a trip's from and to: which one is not said
		}
	}
	if len(found) != 1 {
		return slot.Slot{}, false
	}
	return found[0], true
}

// argsHold reports whether an argument of args is v.
func argsHold(args map[string]any, v string) bool {
	for _, a := range args {
		if a == any(v) {
			return true
		}
	}
	return false
}

// ambiguousCode says why the plan cannot tell which of two codes it acts on: a parameter
// of a code pattern took one when the request writes another that the pattern fits and
// no such parameter took ("CHG-51377 and CHG-51378 are the same dinner ... dispute the
// 2nd one" disputed CHG-51377, the other written into the details), or "".
func (b *builder) ambiguousCode() string {
	held := map[string]bool{}
	for _, st := range b.steps {
		for pi := range st.tool.params {
			if v, ok := st.step.Args[st.tool.params[pi].Name].(string); ok && codePattern(&st.tool.params[pi]) {
				held[v] = true
			}
		}
	}
	for _, st := range b.steps {
		for pi := range st.tool.params {
			pr := &st.tool.params[pi]
			v, ok := st.step.Args[pr.Name].(string)
			if !ok || !codePattern(pr) || !pr.re.MatchString(v) {
				continue
			}
			for _, s := range b.all {
				if s.Value != v && !held[s.Value] && pr.re.MatchString(s.Value) {
					return fmt.Sprintf("the request names %s and %s, and the %s of %s takes one: say which", v, s.Value, pr.Name, st.tool.tool.Name)
				}
			}
		}
	}
	return ""
}

// codePattern reports whether parameter pr has a schema pattern that asks for a code:
// a literal prefix of letters (RSV-482913, INC-20931; not a URL's scheme), and more than
// digits or a word.
func codePattern(pr *paramInfo) bool {
	if pr.re == nil || pr.whole {
		return false
	}
	prefixes := literalPrefixes(pr.re)
	if len(prefixes) == 0 {
		return false
	}
	for _, prefix := range prefixes {
		if strings.IndexFunc(prefix, unicode.IsLetter) < 0 || strings.IndexFunc(prefix, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_'
		}) >= 0 {
			return false
		}
	}
	for _, plain := range []string{"1", "123", "1234", "12345", "123456", "word", "two words"} {
		if pr.re.MatchString(plain) {
			return false
		}
	}
	return true
}

// literalPrefixes returns the literal text every match of re starts with, or, for a
// pattern that opens with an alternation of literals ("^(PRJ|MOB|OPS)-[0-9]+$"), each
// of them; nil when a match may start otherwise.
func literalPrefixes(re *regexp.Regexp) []string {
	if prefix, _ := re.LiteralPrefix(); prefix != "" {
		return []string{prefix}
	}
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	t = t.Simplify()
	for t.Op == syntax.OpConcat && len(t.Sub) > 0 {
		first := t.Sub[0]
		if first.Op == syntax.OpBeginText || first.Op == syntax.OpBeginLine {
			if len(t.Sub) < 2 {
				return nil
			}
			first = t.Sub[1]
		}
		t = first
	}
	for t.Op == syntax.OpCapture && len(t.Sub) == 1 {
		t = t.Sub[0]
	}
	if t.Op != syntax.OpAlternate {
		return nil
	}
	var out []string
	for _, sub := range t.Sub {
		if sub.Op != syntax.OpLiteral || sub.Flags&syntax.FoldCase != 0 {
			return nil
		}
		out = append(out, string(sub.Rune))
	}
	return out
}

// prefixedNumber reads a code written as the word its letters begin and a number:
// "sprint 43" for "^SPR-[0-9]+$" is SPR-43, "job 31920" for "^JOB-[0-9]{5}$" JOB-31920.
// The word must begin with all the letters of the code's literal prefix and be a word
// (not a code itself); the code must fit the pattern.
func prefixedNumber(pr *paramInfo, c clause) (string, slot.Slot, bool) {
	if pr.kind != pString || !codePattern(pr) {
		return "", slot.Slot{}, false
	}
	prefix, _ := pr.re.LiteralPrefix()
	letters := strings.ToLower(strings.TrimRight(prefix, "-_"))
	if len(letters) < 2 || !isLetters(letters) {
		return "", slot.Slot{}, false
	}
	for _, s := range c.slots {
		if s.Kind != slot.Number || !isDigits(s.Text) {
			continue
		}
		w := strings.TrimLeft(wordBefore(c.text, s.Start-c.start), "#")
		if len(w) <= len(letters) || !strings.HasPrefix(w, letters) || !isLetters(w) {
			continue
		}
		if v := prefix + s.Text; pr.re.MatchString(v) {
			return v, s, true
		}
	}
	return "", slot.Slot{}, false
}

// codeParam is a parameter of a tool whose pattern only a code fits.
type codeParam struct {
	tool  *toolInfo
	param *paramInfo
}

// codeOfOther returns the code parameter of a tool other than ti whose pattern value v
// fits, when ti has no parameter that takes it ("bump INC-21007 to sev1": INC-21007 is
// an incident_id of incidents.update_status, not the title of a new incident).
func (p *Pattern) codeOfOther(ti *toolInfo, v string) (codeParam, bool) {
	for pi := range ti.params {
		if pr := &ti.params[pi]; pr.re != nil && pr.re.MatchString(v) {
			return codeParam{}, false
		}
	}
	for _, cp := range p.codes {
		if cp.tool != ti && cp.param.re.MatchString(v) {
			return cp, true
		}
	}
	return codeParam{}, false
}

// needs says why tool ti cannot be given required parameter pr: the clause gives no value
// for it, or gives one outside what it takes ("late checkout at 6pm" where checkout_time
// is 12:00 to 16:00).
func needs(ti *toolInfo, pr *paramInfo, c clause, request string) string {
	for _, s := range c.slots {
		if !refineKinds(s.Kind, pr.kind) {
			continue // (a bare number is no time, "6 feet" no wake-up call at 6)
		}
		if v, ok := convertSlot(pr, s); ok && slotFits(pr, s, request) == "" && !admits(pr, v) {
			return fmt.Sprintf("%s takes no %s %q (%s)%s", ti.tool.Name, pr.Name, s.Text, bounds(pr), outsideMark)
		}
	}
	return fmt.Sprintf("%s needs %q, which the request does not give", ti.tool.Name, pr.Name)
}

// outsideMark ends the reason needs gives for a value outside what a parameter takes:
// the tool is the reading of the clause, and what it was asked cannot be done.
const outsideMark = ": it is outside what the tool takes"

// bounds describes parameter pr's pattern and bounds.
func bounds(pr *paramInfo) string {
	var parts []string
	if pr.re != nil {
		parts = append(parts, "pattern "+pr.re.String())
	}
	if pr.hasLo {
		parts = append(parts, "minimum "+strconv.FormatFloat(pr.lo, 'g', -1, 64))
	}
	if pr.hasHi {
		parts = append(parts, "maximum "+strconv.FormatFloat(pr.hi, 'g', -1, 64))
	}
	return strings.Join(parts, ", ")
}

// admits reports whether value v keeps within parameter pr's pattern and bounds.
func admits(pr *paramInfo, v any) bool {
	switch x := v.(type) {
	case string:
		if pr.re != nil && !pr.re.MatchString(x) {
			return false
		}
		if pr.kind == pString {
			return true
		}
	}
	if !pr.hasLo && !pr.hasHi {
		return true
	}
	n, ok := plan.Number(fmt.Sprint(v))
	if !ok {
		return true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return true
	}
	return !(pr.hasLo && f < pr.lo) && !(pr.hasHi && f > pr.hi)
}

// personTitles come before a surname: "Dr. Hansen", "ms lee".
var personTitles = wordSet("dr mr mrs ms mx prof")

// asksSurname reports whether pr takes a surname alone.
func asksSurname(pr *paramInfo) bool {
	d := strings.ToLower(pr.Name + " " + pr.Description)
	return strings.Contains(d, "surname") || strings.Contains(d, "last name") || strings.Contains(d, "lastname") || strings.Contains(d, "last_name")
}

// labelsOther reports whether name slot s is a word of another parameter's name
// written right before a value of the clause: "HS 851712" labels the tariff code
// (hsCode), and "HS" is no country for destinationCountry.
func labelsOther(ti *toolInfo, pr *paramInfo, s slot.Slot, c clause) bool {
	w := strings.ToLower(s.Text)
	if strings.Contains(w, " ") || pr.nameTerms[w] {
		return false
	}
	next := -1
	for i, o := range c.slots {
		if o.Start >= s.End && strings.TrimSpace(c.text[s.End-c.start:o.Start-c.start]) == "" {
			next = i
		}
	}
	if next < 0 {
		return false
	}
	for qi := range ti.params {
		if q := &ti.params[qi]; q != pr && q.nameTerms[w] {
			return true
		}
	}
	return false
}

// convertSlot renders slot s as a value of parameter pr's type.
func convertSlot(pr *paramInfo, s slot.Slot) (any, bool) {
	if _, ok := valueKind[pr.kind]; ok {
		return convertValue(pr, s)
	}
	switch pr.kind {
	case pEnum:
		if s.Kind == kindDuration && numericEnum(pr) && namesLength(pr) {
			// "for 60 min" for durationMinutes, one of 30, 45 and 60.
			if n, ok := durationAs(pr, s); ok {
				if v, ok := enumMatch(pr, string(n)); ok {
					return jsonValue(v), true
				}
			}
			return nil, false
		}
		if v, ok := enumMatch(pr, s.Value); ok {
			return jsonValue(v), true
		}
		if v, ok := enumMatch(pr, s.Text); ok {
			return jsonValue(v), true
		}
		return nil, false
	case pInteger, pNumber:
		if s.Kind == kindDuration {
			// "for 20 minutes" gives minutes the count 20, "an hour" duration_minutes 60.
			n, ok := durationAs(pr, s)
			if !ok || pr.kind == pInteger && strings.Contains(string(n), ".") {
				return nil, false
			}
			return n, true
		}
		v := s.Value
		if k := strings.IndexByte(v, ' '); k > 0 {
			v = v[:k]
		}
		v = strings.TrimSuffix(v, "%")
		n, ok := plan.Number(v)
		if !ok {
			return nil, false
		}
		if d := strings.ToLower(pr.Description); s.Kind == slot.Percent && (strings.Contains(d, "decimal") || strings.Contains(d, "fraction") || strings.Contains(d, "between 0 and 1")) {
			// "5%" for "the annual interest rate as a decimal" is 0.05.
			f, err := strconv.ParseFloat(string(n), 64)
			if err != nil || pr.kind == pInteger {
				return nil, false
			}
			n = json.Number(strconv.FormatFloat(f/100, 'f', -1, 64))
		}
		if pr.kind == pInteger {
			if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
				return nil, false
			}
		}
		return n, true
	case pArray:
		return []any{s.Value}, true
	case pDate:
		if s.Kind == kindInstant && !asksDateTime(pr) {
			return s.Value[:len(time.DateOnly)], true // the date as written, in its own zone
		}
	case pURL:
		v := s.Value
		if strings.EqualFold(pr.Format, "uri") && !strings.Contains(v, "://") {
			v = "https://" + v
		}
		return v, true
	case pString:
		if s.Kind == slot.Name {
			if id, ok := namedCode(pr, s.Value); ok {
				return id, true
			}
			// "to Germany" for an ISO 3166 country code is DE.
			if code, ok := lexicon.CountryCode(s.Text); ok && isoCodeParam(pr) && admits(pr, code) {
				return code, true
			}
			// "with Dr. Hansen" for "the veterinarian's surname" is Hansen.
			if f := strings.Fields(s.Value); len(f) == 2 && personTitles[strings.ToLower(strings.TrimSuffix(f[0], "."))] && asksSurname(pr) {
				return f[1], true
			}
			// "from 221B Baker Street, Berkeley, CA" for a place in the form 'City,
			// State' is Berkeley, CA.
			if m := townAndState.FindStringSubmatch(s.Value); m != nil && strings.Contains(strings.ToLower(pr.Description), "city, state") {
				return m[1], true
			}
		}
	}
	return s.Value, true
}

// numberedNameShape is a name that goes on with a number: "North 40", "Route 66".
var numberedNameShape = regexp.MustCompile(`^[A-Z][\pL'-]*(?: [A-Z][\pL'-]*)* [0-9][0-9A-Z]{0,3}$`)

// modelAfter returns the end of a model number right after a space at end ("JD 8R":
// the 8R), digits first and capitals after, or -1.
func modelAfter(request string, end int) int {
	if end+1 >= len(request) || request[end] != ' ' || !isDigitByte(request[end+1]) {
		return -1
	}
	k := end + 1
	for k < len(request) && k-end <= 4 && (isDigitByte(request[k]) || request[k] >= 'A' && request[k] <= 'Z') {
		k++
	}
	if k < len(request) && (request[k] >= 'a' && request[k] <= 'z' || isDigitByte(request[k]) || request[k] >= 'A' && request[k] <= 'Z') {
		return -1
	}
	return k
}

// numberedNameExample reports whether a string parameter's examples include a name
// that goes on with a number ("Field name, e.g. North 40, River Paddock").
func numberedNameExample(pr *paramInfo) bool {
	if pr.kind != pString {
		return false
	}
	m := exampleList.FindStringSubmatch(pr.Description)
	return m != nil && slices.ContainsFunc(exampleItems.Split(m[1], -1), func(e string) bool {
		return numberedNameShape.MatchString(strings.Trim(strings.TrimSpace(e), ".'\""))
	})
}

// numberedName returns the span of the first name in clause c that goes on with a
// number after one space ("the North 40"). A number with its unit after it ("North 40
// minutes") is a measure, not part of the name. Written in lower case ("stop watering
// the north 40"), the name is the one word between "the" and the number, when it is no
// stop word, verb or preposition.
func numberedName(c clause, request string, isVerb func(string) bool) (from, to int, ok bool) {
	for si, s := range c.slots {
		if s.Kind != slot.Name || si+1 >= len(c.slots) {
			continue
		}
		n := c.slots[si+1]
		if n.Kind == slot.Number && n.Start == s.End+1 && request[s.End] == ' ' && numberedNameShape.MatchString(request[s.Start:n.End]) && unitAfter(request, n.End) == 0 {
			return s.Start, n.End, true
		}
	}
	// "book the JD 8R in for a service": a model number no slot holds.
	for _, s := range c.slots {
		if k := modelAfter(request, s.End); s.Kind == slot.Name && k > 0 && strings.ContainsAny(request[s.End:k], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
			numberedNameShape.MatchString(request[s.Start:k]) && !slices.ContainsFunc(c.slots, func(o slot.Slot) bool { return o.Start > s.End && o.Start < k }) {
			return s.Start, k, true
		}
	}
	for _, n := range c.slots {
		if n.Kind != slot.Number || !isDigits(n.Text) || unitAfter(request, n.End) != 0 || n.Start < 2 {
			continue
		}
		k := n.Start - 1
		for k > 0 && request[k-1] >= 'a' && request[k-1] <= 'z' {
			k--
		}
		w := request[k : n.Start-1]
		if w == "" || request[n.Start-1] != ' ' || stopWords[w] || isVerb(w) || prepositions[w] || timeUnits[w] || wordBefore(request, k) != "the" {
			continue
		}
		return k, n.End, true
	}
	return 0, 0, false
}

// countryAfter returns the country named right after a comma at end ("Paris, France"),
// as written, and true.
func countryAfter(request string, end int) (string, bool) {
	if end < 0 || end+2 > len(request) || request[end] != ',' || request[end+1] != ' ' {
		return "", false
	}
	rest := request[end+2:]
	k := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && r != ' ' })
	if k < 0 {
		k = len(rest)
	}
	ws := strings.Fields(rest[:k])
	for n := min(3, len(ws)); n >= 1; n-- {
		name := strings.Join(ws[:n], " ")
		if _, adj, ok := lexicon.Country(name); ok && !adj && unicode.IsUpper([]rune(name)[0]) {
			return name, true
		}
	}
	return "", false
}

// townAndState is an address that ends in a town and a state's two capitals.
var townAndState = regexp.MustCompile(`^[^,]*\d[^,]*, ((?:[A-Z][\pL'-]*\s?)+, [A-Z]{2})(?: \d{5})?(?:, (?:USA|US|United States))?$`)

// namedCode returns the code of a name that is the parameter's own name and a code
// ("SKU MUG-02" for sku, "Order A-55821" for order_number: MUG-02, A-55821), and true.
func namedCode(pr *paramInfo, v string) (string, bool) {
	ws := strings.Fields(v)
	if len(ws) != 2 || !strings.ContainsAny(ws[1], "0123456789-_") || strings.ToLower(ws[1]) == ws[1] {
		return "", false
	}
	lw := strings.ToLower(ws[0])
	if strings.EqualFold(pr.Name, lw) || pr.nameTerms[lw] || pr.nameTerms[stem(lw)] {
		return ws[1], true
	}
	return "", false
}

// jsonValue turns schema enum values into plan argument values (numbers as json.Number).
func jsonValue(v any) any {
	switch t := v.(type) {
	case float64:
		return json.Number(strconv.FormatFloat(t, 'f', -1, 64))
	case int:
		return json.Number(strconv.Itoa(t))
	}
	return v
}

// contentTerms are the terms of clause c's instruction (outside its slots and any
// dictated message) that can tell tools apart: not stop words, courtesies or generic
// verbs.
func (p *Pattern) contentTerms(c clause) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range words(instructionPart(maskSlots(c))) {
		lw := strings.ToLower(w)
		if blanked(lw) || stopWords[lw] || metaWords[lw] || greetingWords[lw] || genericVerbs[lw] {
			continue
		}
		for _, t := range terms(w) {
			if r := p.ix.respelled(t); r != "" {
				t = r // (match's correction of a mistyped word)
			}
			if !seen[t] && !genericVerbs[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// covered returns the terms of content that tool i's text holds.
func (p *Pattern) covered(i int, content []string) map[string]bool {
	d := &p.ix.docs[i]
	out := map[string]bool{}
	for _, t := range content {
		if d.tf[t] > 0 {
			out[t] = true
		}
	}
	return out
}

// dominates reports whether a covers every term b covers and more: the clause's words
// tell the tools apart ("buy 100 shares": stock_operation covers "share" too).
func dominates[K comparable](a, b map[K]bool) bool {
	if len(a) <= len(b) {
		return false
	}
	for t := range b {
		if !a[t] {
			return false
		}
	}
	return true
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for t := range a {
		if !b[t] {
			return false
		}
	}
	return true
}

// statements returns the text of the request's clauses that state, not ask ("we never
// touched the minibar"), joined.
func (b *builder) statements() string {
	var out []string
	for _, x := range b.clauses {
		if x.context || !x.asks {
			out = append(out, x.text)
		}
	}
	return strings.Join(out, " . ")
}

// statementBeside returns the text of the statement right after clause c, or else right
// before it, when c is the request's one clause that asks and the statement is no
// condition or question: what a message, a page or a ticket is about, as the user wrote
// it.
func (b *builder) statementBeside(c clause) string {
	k := -1
	for i, x := range b.clauses {
		if x.start == c.start {
			k = i
		} else if x.asks && !x.context && !x.meta && !x.states {
			return "" // another clause asks: the statement may be its
		}
	}
	if k < 0 {
		return ""
	}
	if k+1 < len(b.clauses) && plainStatement(b.clauses[k+1]) {
		return strings.TrimRight(withoutGreeting(b.clauses[k+1].text), ".!")
	}
	if k > 0 && plainStatement(b.clauses[k-1]) {
		return strings.TrimRight(withoutGreeting(b.clauses[k-1].text), ".!")
	}
	return ""
}

// statementAfter returns the statement right after clause c when no clause after c
// asks anything ("..., and ask for an extension on it, I was sick"), or "".
func (b *builder) statementAfter(c clause) string {
	k := slices.IndexFunc(b.clauses, func(x clause) bool { return x.start == c.start })
	if k < 0 || k+1 >= len(b.clauses) {
		return ""
	}
	for _, x := range b.clauses[k+1:] {
		if x.asks && !x.context && !x.meta && !x.states {
			return ""
		}
	}
	if x := b.clauses[k+1]; plainStatement(x) {
		return strings.TrimRight(withoutGreeting(x.text), ".!")
	}
	return ""
}

// plainStatement reports whether clause x states something (a situation, a value, no
// request), unconditionally, as no question, in three words or more.
func plainStatement(x clause) bool {
	return (x.context || !x.asks || x.states) && !x.condition && !x.test && !x.meta && !strings.HasSuffix(strings.TrimSpace(x.text), "?") && len(strings.Fields(x.text)) >= 3
}

// withoutGreeting is text without the greeting it opens with ("Hey, I've booked...":
// the greeting is not part of what was stated).
func withoutGreeting(text string) string {
	text = strings.TrimSpace(text)
	for {
		w := firstWord(text)
		if !greetingWords[strings.ToLower(w)] || w == "" {
			return text
		}
		text = strings.TrimLeft(text[len(w):], " ,!.")
	}
}

// backKinds are the words that name a typed value back ("that phone", "the same
// email", "this date"), with the kind of slot each names.
var backKinds = map[string]slot.Kind{"phone": slot.Phone, "number": slot.Phone, "mobile": slot.Phone,
	"email": slot.Email, "address": slot.Email, "date": slot.Date, "day": slot.Date, "time": slot.Time,
	"link": slot.URL, "url": slot.URL, "file": slot.File}

// namedBack returns the slot stated before clause c that c names back for parameter pr
// ("for that phone": the phone number stated last before it; "that phone number" is
// named by its first word), when pr takes its kind.
func (b *builder) namedBack(pr *paramInfo, c clause) (slot.Slot, bool) {
	ws := strings.Fields(asciiLower(c.text))
	for i := 0; i+1 < len(ws); i++ {
		if ws[i] != "that" && ws[i] != "this" && ws[i] != "same" {
			continue
		}
		w := strings.Trim(ws[i+1], ",.;:!?")
		k, ok := backKinds[w]
		if !ok || !takesSlotKind(pr, k) {
			continue
		}
		for j := len(b.all) - 1; j >= 0; j-- {
			if s := b.all[j]; s.Kind == k && s.End <= c.start {
				return s, true
			}
		}
	}
	return slot.Slot{}, false
}

// typedParam is the kind of parameter each typed slot fills.
var typedParam = map[slot.Kind]pkind{slot.Phone: pPhone, slot.Email: pEmail, slot.Date: pDate, slot.Time: pTime, slot.URL: pURL, slot.File: pFile}

// takesSlotKind reports whether parameter pr takes a slot of kind k.
func takesSlotKind(pr *paramInfo, k slot.Kind) bool {
	pk, ok := typedParam[k]
	return ok && pr.kind == pk
}

// resultNouns name an earlier step's result without saying what it holds ("the
// status", "the results", "the details").
var resultNouns = wordSet(`status update updates report summary result results details detail information info
	data output outcome answer response confirmation findings`)

// resultNamed returns the earlier step whose result phrase ph of clause c names: "the
// status" (a word of no particular thing, or one the step's tool is written with:
// trackShipment "Get the current status ... of a shipment") after a step, or false.
func (b *builder) resultNamed(c clause, ph string) (built, bool) {
	ws := strings.Fields(asciiLower(strings.TrimSpace(ph)))
	if len(b.steps) == 0 || len(ws) == 0 || len(ws) > 2 {
		return built{}, false
	}
	lower := asciiLower(c.text)
	definite := false
	for _, d := range []string{"the ", "that ", "its ", "their "} {
		definite = definite || containsWordFold(lower, d+strings.Join(ws, " "))
	}
	if !definite {
		return built{}, false
	}
	for i := len(b.steps) - 1; i >= 0; i-- {
		st := b.steps[i]
		named := true
		for _, w := range ws {
			// (Only what a tool that reads is written with is its result: "whatsapp the
			// candidate" after send_offer_v1 speaks to the candidate the offer went to.)
			named = named && (resultNouns[w] || genericNouns[w] || b.p.readOnly(st.tool) && b.p.docHas(st.tool, w) && !b.p.isVerb(w))
		}
		if named {
			return st, true
		}
	}
	return built{}, false
}

// statementBefore returns the text of the statement (a clause that states, not asks)
// right before clause c, or "".
func (b *builder) statementBefore(c clause) string {
	prev := ""
	for _, x := range splitClauses(b.request, b.all, b.p.isVerb) {
		if x.start >= c.start {
			break
		}
		if x.context || !x.asks {
			prev = withoutGreeting(x.text)
		} else {
			prev = ""
		}
	}
	return prev
}

// sameName reports whether two tools are named alike but for case and separators
// ("Tripadvisor_Search_Restaurants", "TripadvisorSearchRestaurants"): one API listed
// twice, not two readings of a clause.
func sameName(a, b *toolInfo) bool {
	norm := func(s string) string {
		var out []rune
		for _, r := range strings.ToLower(s) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				out = append(out, r)
			}
		}
		return string(out)
	}
	return norm(a.tool.Name) == norm(b.tool.Name)
}

// quoteFollowsVerb reports whether slot s comes right after the clause's verb.
func quoteFollowsVerb(c clause, s slot.Slot, isVerb func(string) bool) bool {
	pw := prevWords(c, s, 1)
	return len(pw) == 1 && (isVerb(pw[0]) || baseVerbs[pw[0]])
}

// prefixedValue returns the word of text that starts with the sign ('#' or '@') the
// parameter's description writes its examples with ("Channel name, e.g. #general"), or "".
func prefixedValue(pr *paramInfo, text string) string {
	for _, sign := range []string{"#", "@"} {
		if !strings.Contains(pr.Description, sign) || !mentions(pr, termSet("channel handle user username account mention tag hashtag")) {
			continue
		}
		for _, w := range strings.Fields(text) {
			w = strings.TrimRight(w, ",.;:!?'\"")
			if strings.HasPrefix(w, sign) && len(w) > 1 {
				return w
			}
		}
	}
	return ""
}

// checksOut reports whether clause c asks to check something out or in ("check out
// room 402", "check the guest in") and tool ti is the one that does it (its name or
// description says check-out or check-in): then "check" is the act, not a look.
func checksOut(c clause, ti *toolInfo) bool {
	if !ti.checksInOut {
		return false
	}
	ws := words(maskSlots(c))
	i := slices.IndexFunc(ws, func(w string) bool { return strings.EqualFold(w, "check") })
	if i < 0 {
		return false
	}
	// The particle next, or "out" after an object of up to two words: "check out room
	// 402", "check room 118 out"; "in" only next or last ("check the Kims in"), since
	// "check the minibar in 305" places what it looks at.
	after := ws[i+1 : min(len(ws), i+4)]
	particle := slices.ContainsFunc(after, func(w string) bool { return strings.EqualFold(w, "out") }) ||
		len(after) > 0 && strings.EqualFold(after[0], "in") || strings.EqualFold(ws[len(ws)-1], "in") && len(ws)-i <= 4
	return particle && ti.checksInOut
}

// checkInOut matches check-out and check-in however written: checkout, check_in,
// CheckOut (lower-cased), "check out", "check-in".
var checkInOut = regexp.MustCompile(`check[-_ ]?(?:out|in)\b`)

// seeVerbs ask to be shown something, never to act.
var seeVerbs = wordSet("show search list check see view display tell look browse lookup compare retrieve fetch what what's whats which where wheres who whos how hows")

// yesNoOpeners open a question that asks whether: "is it", "has it", "did they".
var yesNoOpeners = wordSet("is are was were has have had did does do isn't aren't hasn't didn't doesn't")

// asksToSee reports whether clause c asks to be shown or told something: it opens (after
// courtesies) with a verb of seeing or a question word, or it is a question that asks
// whether ("is my parcel delivered?").
func asksToSee(c clause) bool {
	ws := words(maskSlots(c))
	for i, w := range ws {
		lw := strings.ToLower(w)
		switch {
		case greetingWords[lw], lw == "please", lw == "can", lw == "could", lw == "would", lw == "will", lw == "you", lw == "me", lw == "us", lw == "i", lw == "to", lw == "want", lw == "like", lw == "d", lw == "kindly":
			continue
		}
		if delegateVerbs[lw] && toWithin(ws, i+1, 4) > 0 {
			return false // "tell my robot to clean": an instruction, not a question
		}
		if c.question && yesNoOpeners[lw] {
			return true // "Is SHP-88213 picked up yet?" asks whether, it cancels nothing
		}
		if (lw == "when" || lw == "when's" || lw == "whens") && (lw != "when" || i+1 < len(ws) && questionAux[strings.ToLower(ws[i+1])]) {
			return true // "when is my bill due": when, not a payment
		}
		if lw == "tell" && i+1 < len(ws) {
			// "tell me the balance" asks to see; "tell my coach I'll be late" sends.
			next := strings.ToLower(ws[i+1])
			return next == "me" || next == "us"
		}
		if lw == "see" && i+1 < len(ws) && (strings.EqualFold(ws[i+1], "a") || strings.EqualFold(ws[i+1], "an")) {
			return false // "I'd like to see a career advisor": to meet one
		}
		if lw == "find" && i+1 < len(ws) {
			// "find that leave request" looks up something that exists; "find me a
			// taxi" gets one.
			switch strings.ToLower(ws[i+1]) {
			case "that", "those", "this", "these", "my", "our":
				return true
			}
			return false
		}
		return seeVerbs[lw]
	}
	return false
}

var operandPattern = regexp.MustCompile(`\d+(?:\.\d+)?`)

// operands fills the unfilled numeric parameters of ti, in order, with the numbers of the
// clause's arithmetic expression when their counts agree.
func (b *builder) operands(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled []bool) {
	var expr *slot.Slot
	for i := range c.slots {
		if c.slots[i].Kind == kindExpression {
			if expr != nil {
				return // two expressions: which operand goes where is not said
			}
			expr = &c.slots[i]
		}
	}
	if expr == nil {
		return
	}
	var open, lists []int
	for pi := range ti.params {
		if pr := &ti.params[pi]; !filled[pi] && (pr.kind == pInteger || pr.kind == pNumber) {
			open = append(open, pi)
		} else if !filled[pi] && numberList(pr) {
			lists = append(lists, pi)
		}
	}
	locs := operandPattern.FindAllStringIndex(expr.Text, -1)
	if len(open) == 0 && len(lists) == 1 && len(locs) >= 2 && !strings.ContainsAny(expr.Value, "-*/×÷^%") {
		// "the sum of 133 and 34" for sum_numbers(numbers_list): every operand.
		list := make([]any, len(locs))
		for k, l := range locs {
			list[k] = json.Number(expr.Text[l[0]:l[1]])
		}
		pi := lists[0]
		args[ti.params[pi].Name] = list
		src[ti.params[pi].Name] = argSrc{how: srcSlot, slot: *expr}
		filled[pi] = true
		return
	}
	if len(open) < 2 || len(locs) != len(open) {
		return
	}
	for k, pi := range open {
		lo, hi := expr.Start+locs[k][0], expr.Start+locs[k][1]
		num := slot.Slot{Kind: slot.Number, Text: b.request[lo:hi], Value: b.request[lo:hi], Start: lo, End: hi}
		v, ok := convert(&ti.params[pi], num)
		if !ok {
			return
		}
		args[ti.params[pi].Name] = v
		src[ti.params[pi].Name] = argSrc{how: srcSlot, slot: num}
		filled[pi] = true
	}
}

// numberList reports whether pr takes a list of numbers.
func numberList(pr *paramInfo) bool {
	return pr.kind == pArray && (pr.items == "number" || pr.items == "integer")
}

// verbOnlyObject returns the object of clause c when tool ti's text shares only the
// clause's verb with it (covers) and an argument whose description gives examples took
// that object as a phrase of plain lower-case words none of them is; "" otherwise.
func (p *Pattern) verbOnlyObject(ti *toolInfo, c clause, covers map[string]bool, args map[string]any, src map[string]argSrc) string {
	if len(covers) != 1 {
		return ""
	}
	verb := ""
	for _, w := range words(maskSlots(c)) {
		lw := strings.ToLower(w)
		if stopWords[lw] || greetingWords[lw] || requestOpeners[lw] || lw == "please" || lw == "i" || lw == "you" {
			continue
		}
		if p.isVerb(lw) {
			verb = lw
		}
		break
	}
	if verb == "" {
		return ""
	}
	for _, t := range terms(verb) {
		if !covers[t] {
			return ""
		}
	}
	for name, a := range src {
		if pi := paramIndex(ti, name); pi >= 0 && ti.params[pi].kind == pEnum && (a.how == srcSlot && a.slot.Kind == slot.Enum || a.how == srcExample) {
			// "count: 3 cases of tomatoes in the walk-in": values of the tool's own
			// lists (case, walk_in) say it is the tool meant, beyond the verb.
			return ""
		}
	}
	for name, a := range src {
		if a.how != srcPhrase && a.how != srcNamed {
			continue
		}
		v, _ := args[name].(string)
		if v == "" || hasCapital(v) || len(strings.Fields(v)) > 2 {
			continue
		}
		pi := paramIndex(ti, name)
		if pi < 0 {
			continue
		}
		pr := &ti.params[pi]
		if len(pr.examples)+len(pr.phrases) == 0 || slices.Contains(pr.examples, strings.ToLower(v)) || slices.Contains(pr.phrases, strings.ToLower(v)) {
			continue
		}
		return strconvQuote(v)
	}
	return ""
}

// quantityWords name what a computation yields.
var quantityWords = wordSet("area volume perimeter circumference diameter radius length distance displacement speed velocity acceleration momentum weight mass density pressure temperature frequency wavelength probability mean median average variance deviation factorial derivative integral gcd lcm hypotenuse slope bmi")

// otherQuantity returns the quantity clause c asks for and the other one tool ti's name
// says it computes, when the tool's text never names the first ("the volume of a
// sphere" and circle_area); else "", "".
func (p *Pattern) otherQuantity(ti *toolInfo, c clause) (asked, named string) {
	d := &p.ix.docs[p.toolIndex[ti]]
	inClause := map[string]bool{}
	for _, w := range words(maskSlots(c)) {
		if lw := strings.ToLower(w); quantityWords[lw] {
			inClause[lw] = true
			if asked == "" && !p.docHas(ti, lw) {
				asked = lw
			}
		}
	}
	if asked == "" {
		return "", ""
	}
	for q := range quantityWords {
		if inClause[q] {
			continue
		}
		for _, t := range terms(q) {
			if d.name[t] && (named == "" || q < named) {
				named = q
			}
		}
	}
	if named == "" {
		return "", ""
	}
	return asked, named
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

// codeShape reports whether a name is written as a code: one word joining letters and
// digits ("APT-5521", "INV-2024-001", "L_579838452023959405").
func codeShape(v string) bool {
	if strings.ContainsAny(v, " \t") {
		return false
	}
	letters, digits, lower := false, false, false
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case unicode.IsLetter(r):
			letters = true
			lower = lower || unicode.IsLower(r)
		}
	}
	// "TSHIRT-WHT-L", "TOTE-NAT": capitals joined by hyphens are a code too; and
	// "112-5583021", an order number in groups of digits.
	return letters && digits || letters && !lower && strings.ContainsAny(v, "-_") && len(v) >= 5 ||
		!letters && strings.Contains(v, "-") && strings.Trim(v, "0123456789-") == ""
}

// mediaNouns name a medium the way a clause refers to a file the user gave.
var mediaNouns = map[string]string{"audio": "audio", "recording": "audio", "voiceover": "audio",
	"image": "image", "photo": "image", "picture": "image", "photograph": "image",
	"video": "video", "clip": "video"}

// unusedMediaFile returns the file the request states that clause c refers to ("the
// audio", "this image", "my video") when no argument takes it, or "".
func (b *builder) unusedMediaFile(c clause, args map[string]any, src map[string]argSrc) string {
	if hasRef(src) {
		return ""
	}
	ws := strings.Fields(strings.ToLower(maskSlots(c)))
	media := ""
	for i := 1; i < len(ws); i++ {
		if m, ok := mediaNouns[strings.Trim(ws[i], ".,;:!?'\"")]; ok {
			switch ws[i-1] {
			case "the", "this", "that", "my", "our":
				media = m
			}
		}
	}
	if media == "" {
		return ""
	}
	for _, s := range b.all {
		name := s.Value
		if s.Kind != slot.File && s.Kind != slot.Quoted || fileMedia(name) != media {
			continue
		}
		used := false
		for _, v := range args {
			plan.WalkStrings(v, func(x string) {
				if strings.Contains(x, name) {
					used = true
				}
			})
		}
		if !used {
			return name
		}
	}
	return ""
}

// currencies fills the unfilled currency parameters of ti with the currencies clause c
// names, in order: a parameter for where the money comes from takes the first, one for
// where it goes the last ("150 US dollars to euros"); a single one takes the only one.
func (b *builder) currencies(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled []bool) {
	var open []int
	// "from" and "to" of a tool that converts currencies, with nothing else said of
	// them, are currencies too.
	converts := ti.terms["currency"] || containsWordFold(ti.tool.Description, "currency") || containsWordFold(ti.tool.Description, "currencies")
	for pi := range ti.params {
		pr := &ti.params[pi]
		if !filled[pi] && pr.kind == pString && (pr.nameTerms["currency"] || mentionsAny(pr, []string{"currency"}) ||
			converts && pr.roles&(roleFrom|roleTo) != 0 && strings.TrimSpace(pr.Description) == "") {
			open = append(open, pi)
		}
	}
	if len(open) == 0 {
		return
	}
	found := currenciesIn(c.text)
	if len(found) == 0 || len(found) < len(open) {
		return
	}
	// The amount's currency is the one converted from, wherever the clause names it
	// ("how many yen do I get for 300 dollars").
	amount := amountCurrency(src)
	if amount != "" && len(found) == 2 && found[1] == amount {
		found[0], found[1] = found[1], found[0]
	}
	for k, pi := range open {
		pr := &ti.params[pi]
		code := found[k]
		from := pr.roles&roleFrom != 0 || pr.nameTerms["from"] || pr.nameTerms["source"] || pr.nameTerms["base"]
		switch {
		case from && amount != "" && slices.Contains(found, amount):
			code = amount // "convert 300 USD to JPY" (JPY already taken by "to")
		case len(open) == 1 && len(found) > 1:
			return // which of several is meant is not said
		case from:
			code = found[0]
		case pr.roles&roleTo != 0 || pr.nameTerms["to"] || pr.nameTerms["target"] || pr.nameTerms["quote"]:
			code = found[len(found)-1]
		}
		args[pr.Name], src[pr.Name] = code, argSrc{how: srcExample}
		filled[pi] = true
	}
}

// adviceAsked opens a question that asks for a judgement: whether to do something,
// whether it is worth it, what one would recommend.
var adviceAsked = regexp.MustCompile(`(?i)^\W*(?:is (?:it|now|this) (?:a )?(?:good|bad|smart|wise|the right) (?:time|idea|moment)|should (?:i|we)|is it worth|would you (?:recommend|advise)|do you (?:think|recommend|reckon)|what do you (?:think|recommend|suggest))\b`)

// courtesyAsk follows "do you think" in a request put politely: "do you think you could
// help me find ...".
var courtesyAsk = regexp.MustCompile(`(?i)^\s+(?:you|u)\s+(?:could|can|would|might)\b`)

// advises reports whether tool ti gives advice: its text speaks of recommending,
// advising or suggesting.
func (p *Pattern) advises(ti *toolInfo) bool {
	for _, w := range []string{"recommend", "recommendation", "advice", "advise", "suggest", "suggestion"} {
		if p.docHas(ti, w) {
			return true
		}
	}
	return false
}

// changesFields reports whether tool ti sets or updates fields of something (its verb,
// after any namespace, is set, update, change, edit, modify, configure or adjust), so
// that its optional parameters are what it changes.
func changesFields(ti *toolInfo) bool {
	name := ti.tool.Name[strings.LastIndexByte(ti.tool.Name, '.')+1:]
	for _, w := range []string{firstWord(name), firstWord(ti.tool.Description)} {
		switch strings.ToLower(w) {
		case "set", "sets", "update", "updates", "change", "changes", "edit", "edits", "modify", "modifies", "configure", "configures", "adjust", "adjusts":
			return true
		}
	}
	return false
}

// setsNothing reports whether args say only which thing ti changes (plain names and
// identifiers of its required parameters) while ti has two or more optional parameters
// with no default: the things it would change, none given.
func setsNothing(ti *toolInfo, args map[string]any) bool {
	optional := 0
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.Required {
			if args[pr.Name] != nil && (pr.kind != pString || pr.free || pr.whole || newValueParam(pr)) {
				return false // (an enum, a number, a text, a new one: what it changes to)
			}
			continue
		}
		if args[pr.Name] != nil {
			return false
		}
		if pr.Default == nil {
			optional++
		}
	}
	return optional >= 2
}

// numberDescribed reports whether pr's description says it is a number or a code of
// something, in a few words: "Tracking number", "The order's ID", "Booking code".
func numberDescribed(pr *paramInfo) bool {
	if pr.free || pr.whole {
		return false
	}
	d := strings.ToLower(pr.Description)
	if k := strings.IndexAny(d, ".,;:(-"); k >= 0 {
		d = d[:k]
	}
	ws := strings.Fields(d)
	if len(ws) == 0 || len(ws) > 3 {
		return false
	}
	switch ws[len(ws)-1] {
	case "number", "no", "id", "code", "reference":
		return len(ws) > 1
	}
	return false
}

// newValueParam reports whether pr is the value a change sets, by its name or its
// description: "new_email", "IBAN of the new account".
func newValueParam(pr *paramInfo) bool {
	return pr.nameTerms["new"] || containsWordFold(pr.Description, "new")
}

// currenciesIn returns the currencies text names, by code or name, in order (a currency
// named twice in a row once).
func currenciesIn(text string) []string {
	var found []string
	add := func(code string) {
		if len(found) == 0 || found[len(found)-1] != code {
			found = append(found, code)
		}
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if code, ok := slot.CurrencyCode(w); ok {
			add(code)
		} else if lw := strings.ToLower(w); lw == "pound" || lw == "pounds" || lw == "sterling" {
			add("GBP")
		}
	}
	return found
}

// receivedCurrency reports whether a currency parameter's description makes it the
// currency received or converted to ("The currency the recipient gets").
func receivedCurrency(pr *paramInfo) bool {
	d := strings.ToLower(pr.Description)
	for _, w := range []string{"recipient", "receive", "target", "destination", "converted to", "convert to", "payee gets", "they get"} {
		if strings.Contains(d, w) {
			return true
		}
	}
	return false
}

// listItems extends each list-of-strings argument filled from one slot of clause c with
// the slots of the same kind that follow it as a list ("A, B and C", "A or B"), marking
// them used.
func (b *builder) listItems(ti *toolInfo, c clause, args map[string]any, src map[string]argSrc, filled, usedSlot []bool) {
	for pi := range ti.params {
		pr := &ti.params[pi]
		if !filled[pi] || pr.kind != pArray || pr.items != "string" && pr.items != "" {
			continue
		}
		sr, ok := src[pr.Name]
		if !ok || sr.how != srcSlot {
			continue
		}
		list, ok := args[pr.Name].([]any)
		if !ok || len(list) != 1 {
			continue
		}
		// Before it: "attach IMG_4471.jpg and IMG_4472.jpg" took the second.
		start := sr.slot.Start
		for si := len(c.slots) - 1; si >= 0; si-- {
			s := c.slots[si]
			if s.End > start || usedSlot[si] {
				continue
			}
			if s.Kind != sr.slot.Kind || !listGap(b.request[s.End:start]) {
				break
			}
			v, ok := convert(pr, s)
			if !ok {
				break
			}
			if more, ok := v.([]any); ok {
				list = append(more, list...)
			} else {
				list = append([]any{v}, list...)
			}
			usedSlot[si] = true
			start = s.Start
		}
		end := sr.slot.End
		for si, s := range c.slots {
			if s.Start < end || usedSlot[si] {
				continue
			}
			if s.Kind != sr.slot.Kind {
				break
			}
			if !listGap(b.request[end:s.Start]) {
				break
			}
			if v, ok := convert(pr, s); ok {
				if more, ok := v.([]any); ok {
					list = append(list, more...)
				} else {
					list = append(list, v)
				}
				usedSlot[si] = true
				end = s.End
			}
		}
		args[pr.Name] = list
	}
}

// listGap reports whether gap, the text between two items, is list punctuation alone:
// ", ", " and ", ", and ", " or ".
func listGap(gap string) bool {
	gap = strings.TrimSpace(strings.ToLower(gap))
	gap = strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(gap, "and"), ","))
	gap = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(gap, "or"), "and"))
	return gap == "" || gap == ","
}

// trimTarget cuts from phrase ph a trailing "into X", "to X" or "in X" whose X is a slot
// another argument took ("translate hello into Spanish": the text is "hello").
func trimTarget(ph string, slots []slot.Slot, used []bool) string {
	lp := strings.ToLower(ph)
	for i, s := range slots {
		if i >= len(used) || !used[i] {
			continue
		}
		lt := strings.ToLower(s.Text)
		for _, prep := range []string{" into ", " to ", " in "} {
			if strings.HasSuffix(lp, prep+lt) {
				return strings.TrimSpace(ph[:len(ph)-len(prep)-len(lt)])
			}
		}
	}
	return ph
}

// withoutToolPlace cuts from phrase ph a closing preposition whose object is only the
// tool's own words: "take the sea bass off the menu" is the sea bass for a tool that
// takes dishes off the menu; "put the risotto back on the menu" the risotto.
func (b *builder) withoutToolPlace(ti *toolInfo, ph string) string {
	ws := strings.Fields(ph)
	if n := len(ws); n > 1 && closingParticles[strings.ToLower(ws[n-1])] {
		return strings.Join(ws[:n-1], " ") // "take the lamb shank off"
	}
	for k := len(ws) - 2; k >= 1; k-- {
		if !toolPlacePreps[strings.ToLower(ws[k])] {
			continue
		}
		rest := ws[k+1:]
		for len(rest) > 0 && (determiners[strings.ToLower(rest[0])] || possessives[strings.ToLower(rest[0])]) {
			rest = rest[1:]
		}
		if len(rest) == 0 || len(rest) > 2 || slices.ContainsFunc(rest, func(w string) bool {
			lw := strings.ToLower(w)
			return !isLetters(lw) || !b.p.docHas(ti, lw)
		}) {
			return ph
		}
		end := k
		if end > 1 && strings.EqualFold(ws[end-1], "back") {
			end--
		}
		return strings.Join(ws[:end], " ")
	}
	return ph
}

// closingParticles end a phrasal verb's object: "take the lamb shank off".
var closingParticles = wordSet("off back out away")

// toolPlacePreps put what a tool keeps after them: off the menu, onto the rota.
var toolPlacePreps = wordSet("off on onto from to into in")

// trimCount cuts from phrase ph a leading count another argument took: "2 packets of
// basil seeds" is "basil seeds" when packets is 2.
func trimCount(ph string, slots []slot.Slot, used []bool) string {
	ws := strings.Fields(ph)
	if len(ws) >= 3 && (unitWords[strings.ToLower(ws[1])] || unitAfter(ph, strings.Index(ph, ws[0])+len(ws[0])) != 0) {
		// "10 kg salmon": a count and its unit before the thing.
		for i, s := range slots {
			if i < len(used) && used[i] && s.Kind == slot.Number && s.Text == ws[0] {
				return strings.TrimPrefix(strings.Join(ws[2:], " "), "of ")
			}
		}
	}
	if len(ws) >= 3 && strings.EqualFold(ws[1], "of") {
		// "20kg of potatoes": a count written with its unit.
		for i, s := range slots {
			if i < len(used) && used[i] && s.Kind == slot.Number && strings.HasPrefix(ws[0], s.Text) && isLetters(strings.ToLower(ws[0][len(s.Text):])) {
				return strings.Join(ws[2:], " ")
			}
		}
	}
	if len(ws) < 4 || !strings.EqualFold(ws[2], "of") {
		return ph
	}
	for i, s := range slots {
		if i < len(used) && used[i] && (s.Kind == slot.Number && s.Text == ws[0] || s.Kind == kindDuration && strings.EqualFold(s.Text, ws[0]+" "+ws[1])) {
			return strings.Join(ws[3:], " ")
		}
	}
	return ph
}

// sameValue reports whether argument value v of parameter pr is slot s's value.
func sameValue(pr *paramInfo, s slot.Slot, v any) bool {
	if str, ok := v.(string); ok && str == s.Value {
		return true
	}
	w, ok := convertListed(pr, s)
	return ok && string(mustJSON(w)) == string(mustJSON(v))
}

// convertListed converts slot s for parameter pr, as fill does a slot of the clause and
// parallelValues each further value of a list: a language's name for a parameter of
// language codes is its code ("to French": fr), a country's for an ISO 3166 code
// parameter its code ("statistics for Italy": IT).
func convertListed(pr *paramInfo, s slot.Slot) (any, bool) {
	v, ok := convert(pr, s)
	if !ok || s.Kind != slot.Name {
		return v, ok
	}
	switch {
	case languageCodeParam(pr):
		if code, ok := lexicon.LanguageCode(s.Text); ok {
			return code, true
		}
	case isoCodeParam(pr):
		if code, ok := lexicon.CountryCode(s.Text); ok {
			return code, true
		}
	}
	return v, true
}

// parallelValues adds, for a clause that got one step, one more call of the same tool
// per further value the clause lists for the argument a value of the same kind filled
// ("the weather in Boston and in Denver": get_weather for Boston, then for Denver). The
// words after the first value must be only those values, list punctuation and
// prepositions, so that nothing else the clause asks for is read as a second call.
func (b *builder) parallelValues(c clause, mark int) {
	if n := len(b.steps) - mark; n > 1 {
		// "the current weather and the air quality in Delhi and in Beijing": each of
		// the clause's coordinated steps once per value of the list, when every one of
		// them took its first value.
		b.parallelEach(c, mark, n)
		return
	}
	if len(b.steps)-mark != 1 || b.steps[mark].producer {
		return
	}
	st := b.steps[mark]
	ti := st.tool
	// The argument a name, quoted value, number or date of the clause filled, and the
	// values the clause lists after it ("the population of Japan in 2000 and in 2020").
	for si, s := range c.slots {
		if s.Kind != slot.Name && s.Kind != slot.Quoted && s.Kind != slot.Number && s.Kind != slot.Date && s.Kind != slot.Enum && s.Kind != slot.Percent {
			continue
		}
		for pi := range ti.params {
			if v, ok := st.step.Args[ti.params[pi].Name]; ok && sameValue(&ti.params[pi], s, v) {
				more := b.listAfter(c, si, st.step.Args)
				if s.Kind == slot.Percent {
					more = b.listAround(c, si, st.step.Args)
					// The calls in the list's order: the first takes its first value.
					if len(more) > 0 && more[0].Start < s.Start {
						v0, ok := convert(&ti.params[pi], more[0])
						if !ok {
							return
						}
						b.steps[mark].step.Args[ti.params[pi].Name] = v0
						more[0] = s
						slices.SortFunc(more, func(x, y slot.Slot) int { return x.Start - y.Start })
						st = b.steps[mark]
					}
				}
				if len(more) > 0 {
					b.addParallel(st, &ti.params[pi], more)
					return
				}
			}
		}
	}
}

// listAfter returns the values clause c lists after its slot first, of the same kind and
// taken by no argument of args: every other slot after a name or a quoted value (the
// words after it must be only those values, list punctuation and prepositions, so that
// nothing else the clause asks for is read as a second call); for a number or a date,
// the values up to the next slot of another kind, which the calls share ("rooms for
// Monday and Tuesday from 10:00 to 11:00"). It returns nil when there is no such list.
func (b *builder) listAfter(c clause, first int, args map[string]any) []slot.Slot {
	kind := c.slots[first].Kind
	shared := kind == slot.Number || kind == slot.Date
	var more []slot.Slot
	var tail []slot.Slot // values after a list of names that the step took, for every call
	for _, s := range c.slots[first+1:] {
		if s.Kind != kind && shared && len(more) > 0 {
			break
		}
		if !shared && len(more) > 0 && (len(tail) > 0 || s.Kind != kind) && (slotUsed(s, args) || b.inArgWord(s, args)) {
			// "the populations of Canada and Australia in 2020", "in Paris, London and
			// Rome in celsius": the year and the unit are every call's.
			tail = append(tail, s)
			continue
		}
		if s.Kind != kind || slotUsed(s, args) || len(tail) > 0 {
			return nil // another kind of value, or one the step took ("from Bergen to Oslo")
		}
		more = append(more, s)
	}
	if len(more) == 0 {
		return nil
	}
	if len(tail) > 0 {
		// "a call with Priya and Tom on 2027-01-04" is one call with both of them.
		if pw := prevWords(c, c.slots[first], 1); len(pw) == 1 && togetherWords[pw[0]] {
			return nil
		}
	}
	// Only list words between (and, for names, after) the values.
	end := c.start + len(c.text)
	if shared || kind == slot.Enum {
		// (What follows the last of a list of kinds is no part of it: "a monitor and a
		// keyboard for jdoe".)
		end = more[len(more)-1].End
	}
	rest := b.request[c.slots[first].End:end]
	for _, s := range append(more, tail...) {
		rest = strings.Replace(rest, s.Text, " ", 1)
	}
	and := false
	role := ""
	if pw := prevWords(c, c.slots[first], 1); len(pw) == 1 && rolePrepositions[pw[0]] {
		role = pw[0]
	}
	for _, w := range strings.Fields(strings.ToLower(rest)) {
		w = strings.Trim(w, ",.;:!?-/")
		switch {
		case rolePrepositions[w] && w != role && !shared:
			// "from Lisbon to Porto and from Madrid to Seville": the names after
			// another role's preposition are another trip's ends, not a list of the
			// first one's.
			return nil
		case w == "and":
			and = true
		case shared && (w == "by" || w == "x" || w == "×"):
			return nil // "rectangles 2 by 3 and 4 by 5": pairs of dimensions, not a list
		case w == "" || prepositions[w] || stopWords[w] && w != "or" || !shared && everyCallWords[w]:
			// ("in Boston and Seattle right now": now is every call's.)
		default:
			return nil // another word, or "or" (alternatives are one call)
		}
	}
	if !and {
		return nil // "London, UK" is one place, not a list
	}
	return more
}

// rolePrepositions give a name its role in a trip or a move: where from, where to.
var rolePrepositions = wordSet("from to into via")

// everyCallWords, after a list of names, say something of every call: when, or a
// courtesy.
var everyCallWords = wordSet("right now currently presently please pls plz thanks")

// parallelEach repeats each of the n steps clause c got from mark on for every further
// value of a list of names they all took the first of, one call per step and value in
// the order the steps came.
func (b *builder) parallelEach(c clause, mark, n int) {
	steps := slices.Clone(b.steps[mark : mark+n])
	var more []slot.Slot
	for _, st := range steps {
		if st.producer {
			return
		}
	}
	for si, s := range c.slots {
		if s.Kind != slot.Name {
			continue
		}
		all := true
		for _, st := range steps {
			took := false
			for pi := range st.tool.params {
				if v, ok := st.step.Args[st.tool.params[pi].Name]; ok && sameValue(&st.tool.params[pi], s, v) {
					took = true
				}
			}
			all = all && took
		}
		if !all {
			continue
		}
		for _, st := range steps {
			m := b.listAfter(c, si, st.step.Args)
			if len(m) == 0 || more != nil && len(m) != len(more) {
				return
			}
			more = m
		}
		break
	}
	if len(more) == 0 {
		return
	}
	for _, st := range steps {
		for pi := range st.tool.params {
			pr := &st.tool.params[pi]
			if v, ok := st.step.Args[pr.Name]; ok && slices.ContainsFunc(c.slots, func(s slot.Slot) bool { return s.Kind == slot.Name && sameValue(pr, s, v) }) {
				b.addParallel(st, pr, more)
				break
			}
		}
	}
}

// listAround returns the other percentages of the list that clause c's slot at holds, a
// list of values of its kind joined by commas and "and" on either side of it ("a $60 bill
// at 15%, 18% and 20%"), none of which args took; nil when there is none.
func (b *builder) listAround(c clause, at int, args map[string]any) []slot.Slot {
	kind := c.slots[at].Kind
	joined := func(i, j int) (ok, and bool) {
		for _, w := range strings.Fields(strings.ToLower(b.request[c.slots[i].End:c.slots[j].Start])) {
			w = strings.Trim(w, ",;")
			switch {
			case w == "and":
				and = true
			case w == "" || w == "or" || stopWords[w]:
			default:
				return false, false
			}
		}
		return true, and
	}
	lo, hi, and := at, at, false
	for lo > 0 && c.slots[lo-1].Kind == kind {
		ok, a := joined(lo-1, lo)
		if !ok {
			break
		}
		lo, and = lo-1, and || a
	}
	for hi+1 < len(c.slots) && c.slots[hi+1].Kind == kind {
		ok, a := joined(hi, hi+1)
		if !ok {
			break
		}
		hi, and = hi+1, and || a
	}
	if !and || lo == hi {
		return nil
	}
	var more []slot.Slot
	for k := lo; k <= hi; k++ {
		if k == at {
			continue
		}
		if slotUsed(c.slots[k], args) {
			return nil
		}
		more = append(more, c.slots[k])
	}
	return more
}

// toValues counts the values of clause c that "to" introduces.
func toValues(c clause) int {
	n := 0
	for _, s := range c.slots {
		if pw := prevWords(c, s, 1); len(pw) == 1 && pw[0] == "to" {
			n++
		}
	}
	return n
}

// togetherWords introduce the names of a list that one call takes together.
var togetherWords = wordSet("with between among amongst")

// percentParam reports whether numeric parameter pr may take a percentage: its name or
// description speaks of a rate, a percent or a share of something.
func percentParam(pr *paramInfo) bool {
	if strings.Contains(pr.Description, "%") {
		return true
	}
	// (Terms are the description's words, lowercased: "percentage", not a stem.)
	for _, t := range []string{"rate", "percent", "percentage", "pct", "ratio", "interest", "discount", "tax", "growth", "share", "fraction", "probability", "humidity", "yield", "margin", "tip", "inflation", "return", "chance", "confidence", "level", "brightness", "volume", "threshold", "efficiency", "proportion", "commission", "fee", "apr", "apy", "split", "weight", "alpha", "factor", "scale", "opacity", "battery", "progress", "completion", "saving"} {
		if pr.terms[t] {
			return true
		}
	}
	return strings.Contains(pr.norm, "rate") || strings.Contains(pr.norm, "percent") || strings.Contains(pr.norm, "pct")
}

// inArgWord reports whether slot s is part of a word of the request that an argument of
// args holds whole: the 16 of a season "2015-16".
func (b *builder) inArgWord(s slot.Slot, args map[string]any) bool {
	lo, hi := s.Start, s.End
	for lo > 0 && b.request[lo-1] != ' ' {
		lo--
	}
	for hi < len(b.request) && b.request[hi] != ' ' {
		hi++
	}
	w := strings.TrimRight(b.request[lo:hi], ",.;:!?")
	if w == s.Text {
		return false
	}
	for _, v := range args {
		if x, ok := v.(string); ok && x == w {
			return true
		}
	}
	return false
}

// addParallel adds one call of st's tool per value of more for parameter pr, the other
// arguments as st has them.
func (b *builder) addParallel(st built, pr *paramInfo, more []slot.Slot) {
	ti := st.tool
	for _, s := range more {
		// A name in the list shares the first one's preposition ("in Boston, Denver
		// and Austin"); other values must fit on their own.
		if s.Kind != slot.Name && slotFits(pr, s, b.request) != "" {
			return
		}
	}
	calls := make([]map[string]any, 0, len(more))
	for _, s := range more {
		v, ok := convertListed(pr, s)
		if !ok {
			return
		}
		args := make(map[string]any, len(st.step.Args))
		for k, x := range st.step.Args {
			args[k] = x
		}
		args[pr.Name] = v
		calls = append(calls, args)
	}
	for _, args := range calls {
		b.steps = append(b.steps, built{step: plan.Step{ID: b.nextID(), Tool: st.step.Tool, Args: args}, tool: ti})
	}
}

// parallelExamples adds, for a clause that got one call whose argument is one of its
// parameter's example values, one more call per further example value of that parameter
// the clause lists right after it ("pay the gas and water bills": the gas bill, then the
// water bill; "the kitchen, hall and bedroom lights"). The list must hold only those
// values, list words and the clause's head noun, so that nothing else is read as a call.
func (b *builder) parallelExamples(c clause, mark int) {
	if len(b.steps)-mark != 1 || b.steps[mark].producer {
		return
	}
	st := b.steps[mark]
	for pi := range st.tool.params {
		pr := &st.tool.params[pi]
		v, ok := st.step.Args[pr.Name].(string)
		if !ok || pr.kind != pString || len(pr.enumRaw) > 0 || !slices.ContainsFunc(pr.examples, func(x string) bool { return strings.EqualFold(x, v) }) {
			continue
		}
		ws := words(maskSlots(c))
		at := slices.IndexFunc(ws, func(w string) bool { return strings.EqualFold(w, v) })
		if at < 0 {
			continue
		}
		var more []string
		and := false
		for _, w := range ws[at+1:] {
			lw := strings.ToLower(w)
			switch {
			case lw == "and":
				and = true
			case lw == "," || stopWords[lw] && lw != "or":
			case slices.ContainsFunc(pr.examples, func(x string) bool { return strings.EqualFold(x, lw) }):
				if !slices.Contains(more, lw) && !strings.EqualFold(lw, v) {
					more = append(more, lw)
				}
			default:
				// The head noun, once or after each value ("bills", "the gas bill and
				// the water bill"); any other word is something else the clause asks
				// for.
				if !b.p.docHas(st.tool, lw) {
					return
				}
			}
		}
		if len(more) == 0 || !and {
			return
		}
		for _, w := range more {
			x := pr.examples[slices.IndexFunc(pr.examples, func(e string) bool { return strings.EqualFold(e, w) })]
			args := make(map[string]any, len(st.step.Args))
			for k, a := range st.step.Args {
				args[k] = a
			}
			args[pr.Name] = x
			b.steps = append(b.steps, built{step: plan.Step{ID: b.nextID(), Tool: st.step.Tool, Args: args}, tool: st.tool})
		}
		return
	}
}

// docHas reports whether word w is a term of tool ti's name or description.
func (p *Pattern) docHas(ti *toolInfo, w string) bool {
	d := &p.ix.docs[p.toolIndex[ti]]
	for _, t := range terms(w) {
		if d.tf[t] > 0 {
			return true
		}
	}
	return false
}

// docHasAll reports whether every term of phrase is a term of tool ti's text ("request
// rate" is not what a tool that reports the error rate is about).
func (p *Pattern) docHasAll(ti *toolInfo, phrase string) bool {
	d := &p.ix.docs[p.toolIndex[ti]]
	ts := terms(phrase)
	for _, t := range ts {
		if d.tf[t] == 0 {
			return false
		}
	}
	return len(ts) > 0
}

// possessor returns name value v of slot s without its possessive when a noun follows
// it ("Max's weight": Max); a name that ends the phrase keeps it ("book Luigi's for 2").
func (b *builder) possessor(v string, s slot.Slot) string {
	base, ok := strings.CutSuffix(v, "'s")
	if !ok {
		base, ok = strings.CutSuffix(v, "’s")
	}
	if !ok || base == "" || s.End >= len(b.request) {
		return v
	}
	next := strings.Fields(b.request[s.End:])
	if len(next) == 0 || strings.ContainsAny(b.request[s.End:s.End+1], ",;:.!?") {
		return v
	}
	w := strings.ToLower(strings.Trim(next[0], ",;:.!?"))
	if w == "" || stopWords[w] || prepositions[w] || strings.Trim(next[0], ",;:.!?") != w {
		return v // "Luigi's for 2", "Luigi's on Friday", "Luigi's Pizza" (a name goes on)
	}
	return base
}

// ownsToolsThing reports whether the possessive name of slot s owns the thing tool ti is
// named for ("Rocco's food" for petshop.order_food), and pr is not a parameter of whose
// it is (a person, a pet, an owner, or what the tool's name says has the thing: the
// artist of music.artist_albums).
func (b *builder) ownsToolsThing(ti *toolInfo, pr *paramInfo, s slot.Slot) bool {
	d := &b.p.ix.docs[b.p.toolIndex[ti]]
	for t := range pr.nameTerms {
		if personTerms[t] || ownerTerms[t] || d.name[t] {
			return false // ("Radiohead's albums" for music.artist_albums' artist)
		}
	}
	next := strings.Fields(b.request[s.End:])
	if len(next) == 0 {
		return false
	}
	for _, t := range terms(strings.Trim(next[0], ",;:.!?")) {
		if d.name[t] {
			return true
		}
	}
	return false
}

// ownerTerms name a parameter of whose something is.
var ownerTerms = termSet("pet owner patient member user customer child student employee driver line account holder animal")

// labelledHandle returns the token written right after a word that names handle
// parameter pr ("username pnair", "login: jdoe"), or "".
func labelledHandle(pr *paramInfo, c clause) string {
	ws := strings.Fields(c.text)
	for i := 0; i+1 < len(ws); i++ {
		label := strings.ToLower(strings.Trim(ws[i], ",.;:!?()'\""))
		switch label {
		case "username", "login", "handle", "nickname", "userid", "user":
		default:
			continue
		}
		v := strings.Trim(ws[i+1], ",.;:!?()'\"")
		if v == "" || stopWords[strings.ToLower(v)] || strings.ContainsAny(v, " /") {
			continue
		}
		return v
	}
	return ""
}

// withoutCourtesy is phrase ph without the courtesy it ends with ("lisinopril please",
// "the blue one thanks").
func withoutCourtesy(ph string) string {
	for {
		ws := strings.Fields(ph)
		if len(ws) < 2 {
			return ph
		}
		last := strings.ToLower(strings.Trim(ws[len(ws)-1], ".,!?"))
		switch last {
		case "please", "pls", "plz", "thanks", "thx", "asap":
		default:
			return ph
		}
		ph = strings.TrimRight(strings.Join(ws[:len(ws)-1], " "), ",")
	}
}

var (
	// spacedCodeExample finds an example code of two words in a description: "e.g. CS
	// 101", "such as CHEM 210".
	spacedCodeExample = regexp.MustCompile(`(?i:e\.g\.|eg\.?|such as|like|example:?)\s+[A-Z]{2,6} [0-9]{2,4}\b`)
	// spacedCode is such a code in a request, written in capitals: "PHIL 120".
	spacedCode = regexp.MustCompile(`\b[A-Z]{2,6} [0-9]{2,4}\b`)
)

// rangeEnd reports whether time slot s ends a range of hours: another time comes right
// before it, joined by a range word ("10:00-11:30", "from 9 to 11am").
func (b *builder) rangeEnd(s slot.Slot) bool {
	for _, o := range b.all {
		if o.Kind == slot.Time && o.End <= s.Start && slot.RangeJoin(b.request[o.End:s.Start]) {
			return true
		}
	}
	return false
}

// exampleSquashed reports whether v is one of pr's examples written without its spaces
// ("UberEats" for "eg. Uber Eats").
func exampleSquashed(pr *paramInfo, v string) bool {
	is := func(e string) bool { return squashed(e) == squashed(v) }
	return slices.ContainsFunc(pr.examples, is) || slices.ContainsFunc(pr.phrases, is)
}

// squashed is v in lower case without spaces, hyphens or dots: "UberEats" and "Uber
// Eats" are one name.
func squashed(v string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", ".", "").Replace(v))
}

// thereSaid reports whether clause c says "there" of a place ("hire a lift there"), not
// "is there", "there are".
func thereSaid(c clause) bool {
	ws := strings.Fields(asciiLower(c.text))
	for i, w := range ws {
		if strings.Trim(w, ",.!?;:") != "there" {
			continue // ("there's" is no place either)
		}
		if i+1 < len(ws) && yesNoOpeners[strings.Trim(ws[i+1], ",.!?;:")] {
			continue // "there are", "there is"
		}
		if i > 0 && yesNoOpeners[ws[i-1]] {
			continue // "is there", "are there"
		}
		return true
	}
	return false
}

// definiteToolThing reports whether clause c speaks of "the" thing tool ti's name
// names ("email the invoice" for billing.invoice, "print the final bill"): the head
// noun, the last word, of a phrase after "the" (thePhrases).
func definiteToolThing(c clause, ti *toolInfo) bool {
	return slices.ContainsFunc(thePhrases(c), func(ph []string) bool {
		ts := terms(ph[len(ph)-1])
		return len(ts) > 0 && ti.terms[ts[0]]
	})
}

// owedToUser matches words that say money comes to the user: "owes me", "paid us",
// "sent me", "lent me".
var owedToUser = regexp.MustCompile(`(?i)\b(?:owes?|owed|owing|pa(?:y|ys|id)|sen(?:d|ds|t)|gave|gives?|lent|lends?|refunded|transferred|wired|venmoed)\s+(?:me|us)\b`)

// mentionsRequestForMoney reports whether ti asks someone for money rather than sending
// it ("Request a payment from a contact").
func mentionsRequestForMoney(ti *toolInfo) bool {
	d := strings.ToLower(ti.tool.Name + " " + ti.tool.Description)
	return strings.Contains(d, "request") || strings.Contains(d, "invoice") || strings.Contains(d, "collect") || strings.Contains(d, "remind")
}

// namedUnsaid returns the optional date or time parameter of ti that clause c names by
// a word of its own (a word of the parameter's name that neither the tool's name nor
// any other parameter's name holds: "late" of late_checkout, "return" of
// return_date) and option o leaves out, or nil.
func namedUnsaid(ti *toolInfo, c clause, o option) *paramInfo {
	var said map[string]bool
	for pi := range ti.params {
		pr := &ti.params[pi]
		if pr.Required || pr.kind != pDate && pr.kind != pTime || o.args[pr.Name] != nil || pr.Default != nil {
			continue
		}
		if said == nil {
			said = map[string]bool{}
			for _, t := range terms(maskSlots(c)) {
				said[t] = true
			}
		}
		for t := range pr.nameTerms {
			if !said[t] || ti.terms[t] || dateTerms[t] || genericParamWords[t] || slices.ContainsFunc(ti.params, func(q paramInfo) bool { return q.Name != pr.Name && q.nameTerms[t] }) {
				continue
			}
			return pr
		}
	}
	return nil
}

// genericParamWords name how a parameter holds its value, not what it is ("start",
// "end", "min"), a particle ("off" of off_at: "turn off the heat pumps") or a part of
// the day ("night": "slept ... last night" says which).
var genericParamWords = wordSet("start end from to min max begin finish until since new old value on off at in out up down night morning evening afternoon noon midnight today tonight")

// opaqueParam reports whether pr takes an opaque string: a credential (key, token,
// secret, password) or a page cursor.
func opaqueParam(pr *paramInfo) bool {
	n := pr.nameTerms
	return n["token"] || n["secret"] || n["password"] || n["apikey"] || n["cursor"] || n["key"] && !n["keyword"] && (pr.idLike || mentions(pr, accessTerms))
}

// accessTerms say a key is a credential: "the API key used for authenticating".
var accessTerms = termSet("api authentication authenticate authorization access")

// personPronouns stand for someone or something named before.
var personPronouns = wordSet("him her them he she they his their")

// thingPronouns stand for a thing named before.
var thingPronouns = wordSet("it its")

// sameReferent returns the value an earlier step gave a parameter named like pr, when
// clause c speaks of it with a pronoun ("book him at the vet" after "log Max's
// weight"), of its place with "there", or of a thing of it with "the" when pr is a
// required identifier: the one plain (not referenced) text value of that name among the
// earlier steps.
func (b *builder) sameReferent(ti *toolInfo, pr *paramInfo, c clause) (string, bool) {
	if pr.kind != pString || pr.whole || pr.free {
		return "", false
	}
	has, thing := false, false
	for _, w := range strings.Fields(asciiLower(c.text)) {
		w = strings.Trim(w, ",.;:!?")
		has = has || personPronouns[w]
		thing = thing || thingPronouns[w]
	}
	if !has && !thing && pr.Required && (pr.roles&rolePlace != 0 || pr.nameTerms["site"]) && thereSaid(c) {
		// "book the final inspection at S-09 and hire a scissor lift there": the site
		// the step before was given.
		thing = true
	}
	if !has && !thing && pr.Required && (pr.idLike || pr.re != nil) && definiteToolThing(c, ti) {
		// "check out room 214 and email the invoice to anna@...": the invoice is the
		// stay's, the room the step before was given; an identifier the step must have
		// and the clause does not give is that one, as a pronoun's would be. ("ask for
		// an extension on the lab report" after submitting problem set 7 names another
		// assignment: the lab report is no word of the tool's name.)
		thing = true
	}
	if !has && !thing {
		return "", false
	}
	found := ""
	for _, st := range b.steps {
		v, ok := st.step.Args[pr.Name].(string)
		if !ok || v == "" || len(plan.FindRefs(v)) > 0 {
			continue
		}
		if found != "" && found != v || !has && st.tool == ti {
			// Two of them: which one is meant is a guess. Or the same tool again on
			// the same thing: "fetch IBM's balance sheet and then its filing date"
			// asks for something else of it.
			return "", false
		}
		found = v
	}
	if !has && found != "" {
		// "transfer 25 CAP-NVY-OS from reno to newark then check newark stock on it":
		// the thing an earlier step was given, as the request writes it before the
		// clause.
		k := strings.Index(b.request, found)
		return found, k >= 0 && k+len(found) <= c.start
	}
	// The request must name one thing before the pronoun, the one found: "Max's weight:
	// 31 kg, Luna's weight: 4 kg, and book her" names two. With no step before that
	// holds a value of the name, the one name a statement before gives is the one:
	// "Luna hasn't been eating, book her in tomorrow at 16:00".
	names, named := 0, ""
	for _, s := range b.all {
		if s.Kind == slot.Name && s.End <= c.start {
			names++
			named = b.possessor(s.Value, s)
			if names > 1 || found != "" && named != found && s.Value != found {
				return "", false
			}
		}
	}
	if found != "" && names == 0 {
		// "jdoe forgot her password, reset it and unlock her account": a handle is no
		// name slot; the value the step before took, as the request writes it, is the
		// one named.
		k := strings.Index(b.request, found)
		return found, k >= 0 && k+len(found) <= c.start
	}
	if found == "" && names <= 1 && pr.nameTerms["name"] && b.statedBefore(c) {
		// "Luna hasn't been eating": a name that opens a sentence is no slot.
		if subject := b.statedSubject(c); names == 0 {
			named = subject
		} else if subject != "" && subject != named {
			return "", false // "Rex is limping and Luna is fine, book him": two
		}
		return named, named != ""
	}
	return found, found != "" && names == 1
}

// statedMeasure returns the one number the statements before clause c give with a unit
// that parameter pr names ("12.4 kg" for weight_kg), when c refers back ("log it").
func (b *builder) statedMeasure(pr *paramInfo, c clause) (any, slot.Slot, bool) {
	if !c.refers || !b.statedBefore(c) {
		return nil, slot.Slot{}, false
	}
	var found []slot.Slot
	for _, s := range b.all {
		if s.Kind != slot.Number || s.End > c.start {
			continue
		}
		if u := wordAfter(b.request, s.End); u != "" && isNoun(u) && !stopWords[u] && countsFor(pr, u) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		return nil, slot.Slot{}, false
	}
	v, ok := convert(pr, found[0])
	return v, found[0], ok
}

// statedInUnit returns the one number a statement before clause c gives in a unit of
// the dimension parameter pr is measured in: "A soccer ball is kicked at 20 m/s. How far
// does it land ...?" gives the initial velocity, to every clause that asks. Not a number
// of a clause that asks for something of its own. A statement after c that refers back
// to it counts too, and a duration for a parameter measured in time: "a ride from ...,
// and I can wait up to 10 minutes for it".
func (b *builder) statedInUnit(pr *paramInfo, c clause) (any, slot.Slot, bool) {
	if pr.dims == 0 {
		return nil, slot.Slot{}, false
	}
	var found []slot.Slot
	for _, o := range b.clauses {
		// "..., and I can wait up to 10 minutes for it": a statement after the clause
		// that refers back to what it asks for states a value of it too.
		after := o.start >= c.end && o.refers && !o.condition && !o.test
		if o.end > c.start && !after || o.asks && !o.states && !o.context {
			continue
		}
		for _, s := range o.slots {
			if s.Kind == slot.Number && unitAfter(b.request, s.End)&pr.dims != 0 || s.Kind == kindDuration && pr.dims&dimTime != 0 {
				found = append(found, s)
			}
		}
	}
	if len(found) != 1 {
		return nil, slot.Slot{}, false
	}
	v, ok := convert(pr, found[0])
	return v, found[0], ok
}

// statedSubject returns the name that is the subject of the one statement before clause
// c ("Luna hasn't been eating", "Rex has a limp"), or "".
func (b *builder) statedSubject(c clause) string {
	subject := ""
	for _, o := range b.clauses {
		if o.start >= c.start {
			break
		}
		toks := tokenize(o.text, nil)
		if !namedSubject(toks, b.p.isVerb) {
			continue
		}
		if subject != "" {
			return "" // two of them
		}
		for _, t := range toks {
			if t.word {
				subject = t.text
				break
			}
		}
	}
	return subject
}

// statedBefore reports whether the request before clause c only states something: no
// earlier clause was planned as a step.
func (b *builder) statedBefore(c clause) bool {
	if len(b.steps) > 0 {
		return false
	}
	for _, o := range b.clauses {
		if o.start < c.start && o.asks {
			return false
		}
	}
	return true
}

// otherDescribedBy reports whether a parameter of ti other than pr has word w in its
// name or description.
func otherDescribedBy(ti *toolInfo, pr *paramInfo, w string) bool {
	for _, t := range terms(w) {
		for qi := range ti.params {
			if q := &ti.params[qi]; q.Name != pr.Name && q.terms[t] {
				return true
			}
		}
	}
	return false
}

// dirParam reports whether path parameter pr of ti names a directory: its description
// says so ("Directory to search from"), or it is the only path of a tool named for
// directories (list_directory).
func (p *Pattern) dirParam(ti *toolInfo, pr *paramInfo) bool {
	if pr.terms["directory"] || pr.terms["folder"] {
		return true
	}
	paths := 0
	for _, q := range ti.params {
		if q.kind == pFile {
			paths++
		}
	}
	return paths == 1 && (ti.terms["directory"] || ti.terms["folder"] || ti.terms["dir"])
}

// notFolderNames are words before "folder" that name no folder ("this folder", "a new
// folder", "the current directory").
var notFolderNames = wordSet("this that these those same new current parent root home other whole entire shared every each any one")

// namedFolder returns the folder a clause names as "the Downloads folder", "my
// Projects directory" (the word as written), or "".
func namedFolder(c clause) string {
	ws := strings.Fields(c.text)
	for k := 2; k < len(ws); k++ {
		dir := strings.ToLower(strings.Trim(ws[k], ",.;:!?"))
		if dir != "folder" && dir != "directory" {
			continue
		}
		det, name := strings.ToLower(ws[k-2]), strings.Trim(ws[k-1], ",.;:!?'\"")
		if det != "the" && det != "my" && det != "our" || name == "" ||
			stopWords[strings.ToLower(name)] || notFolderNames[strings.ToLower(name)] {
			continue
		}
		return name
	}
	return ""
}

// folderPath turns "the archive folder" into the directory path "archive/" when a file
// of the clause went into another argument (a move or copy into a folder); any other
// phrase is returned as it is.
func folderPath(ph string, slots []slot.Slot, used []bool) string {
	ws := strings.Fields(strings.TrimPrefix(strings.TrimPrefix(ph, "the "), "my "))
	if len(ws) != 2 || ws[1] != "folder" && ws[1] != "directory" && ws[1] != "dir" {
		return ph
	}
	for i, s := range slots {
		if i < len(used) && used[i] && s.Kind == slot.File {
			return ws[0] + "/" // the folder, as a directory path
		}
	}
	return ph
}

// introducedPhrase returns the phrase of text that a plain string parameter's one-word name
// introduces, and where it lies: after "with (the) <name>" or "<name>:" ("send 300 to
// the landlord with reference December rent"), up to a word that starts another part of
// the request (and, to, on, for, ...) or the clause's end; a phrase of one to six words.
func introducedPhrase(pr *paramInfo, text string) (v string, from, to int) {
	if pr.kind != pString || pr.whole || pr.free || len(pr.Enum) > 0 || pr.re != nil || pr.Format != "" || pr.numeric || len(pr.nameTerms) != 1 || len(words(pr.Name)) != 1 {
		return "", 0, 0
	}
	lt := asciiLower(text)
	name := strings.ToLower(pr.Name)
	for i := 0; ; {
		k := strings.Index(lt[i:], name)
		if k < 0 {
			return "", 0, 0
		}
		k += i
		i = k + 1
		end := k + len(name)
		if k > 0 && isWordByte(lt[k-1]) || end < len(lt) && isWordByte(lt[end]) {
			continue
		}
		before := strings.Fields(lt[:k])
		if n := len(before); n > 0 && (before[n-1] == "the" || before[n-1] == "a" || before[n-1] == "an") {
			before = before[:n-1]
		}
		colon := strings.HasPrefix(lt[end:], ":")
		if !colon && (len(before) == 0 || before[len(before)-1] != "with") {
			continue
		}
		if colon {
			end++
		}
		start := end
		for start < len(lt) && lt[start] == ' ' {
			start++
		}
		stop := len(lt)
		for _, w := range introducedEnds {
			if j := strings.Index(lt[start:], w); j >= 0 && start+j < stop {
				stop = start + j
			}
		}
		ph := strings.Trim(strings.TrimSpace(text[start:stop]), `"'“”‘’`)
		if n := len(strings.Fields(ph)); n == 0 || n > 6 || stopWords[strings.ToLower(firstWord(ph))] || prepositions[strings.ToLower(firstWord(ph))] {
			continue
		}
		return ph, start, stop
	}
}

// introducedEnds end a phrase a parameter's name introduces.
var introducedEnds = []string{" and ", " then ", " to ", " from ", " on ", " at ", " for ", " please", " pls", ",", ";", ". ", "!", "?"}

// deniesVerb reports whether tool a's description says it does not do what the term v
// of a clause's main verb asks, which tool b's name says b does: "It does not restart
// the current version (use services.restart for that)" for "restart payments in prod".
func (p *Pattern) deniesVerb(v string, a, b *toolInfo) bool {
	if v == "" || !p.ix.docs[p.toolIndex[b]].name[v] || p.ix.docs[p.toolIndex[a]].name[v] {
		return false
	}
	for _, sentence := range sentenceSplit.Split(a.tool.Description, -1) {
		ls := " " + strings.ToLower(sentence) + " "
		if m := redirectTo.FindStringSubmatch(sentence); m != nil && slices.ContainsFunc(words(m[1]), func(w string) bool { return slices.Contains(terms(w), v) }) {
			// "To move an existing interview use reschedule_interview_v1": the work the
			// sentence names is another tool's.
			return true
		}
		k := strings.Index(ls, " not ")
		if k < 0 {
			k = strings.Index(ls, "n't ")
		}
		if k < 0 {
			continue
		}
		for _, w := range words(ls[k:]) {
			if slices.Contains(terms(w), v) {
				return true
			}
		}
	}
	return false
}

// redirectTo matches a description sentence that sends some work to another tool: "To
// move an existing interview use reschedule_interview_v1", "For repeating transfers,
// use schedule_recurring_payment". Its group is the work.
var redirectTo = regexp.MustCompile(`(?i)^\s*(?:to|for)\s+(.+?),?\s+use\s+\S`)

// countsItems reports whether pr counts things: a quantity, a count, copies, or a
// count by its name or description (countParam).
func countsItems(pr *paramInfo) bool {
	return pr.nameTerms["quantity"] || pr.nameTerms["qty"] || pr.nameTerms["count"] || pr.nameTerms["copies"] || countParam(pr.Name, strings.ToLower(pr.Description))
}

// selfDenies reports whether tool ti's description says it does verb term v to nothing:
// "Read-only: it sends nothing", "books nothing". (Not "It does not cancel spa
// bookings": a tool that cancels reservations says what else it does not cancel.)
func selfDenies(ti *toolInfo, v string) bool {
	ws := words(strings.ToLower(ti.tool.Description))
	for i, w := range ws {
		if w == "nothing" && i > 0 && slices.Contains(terms(ws[i-1]), v) {
			return true
		}
	}
	// "Read-only; plans are switched with the retailer, not here": a sentence that
	// says the verb's work is done elsewhere.
	for _, sent := range sentenceSplit.Split(ti.tool.Description, -1) {
		if doneElsewhere.MatchString(sent) && slices.Contains(terms(sent), v) {
			return true
		}
	}
	return false
}

// doneElsewhere says that what a sentence speaks of is not done by the tool.
var doneElsewhere = regexp.MustCompile(`(?i)\bnot (?:here|in (?:this|the) app|through (?:this|the) app|with this tool|by this tool)\b|\boutside (?:this|the) app\b`)

// courtesyOpeners come before a request's verb ("pls restart ...").
var courtesyOpeners = wordSet("please pls plz kindly just quickly")

// sentenceSplit splits a description into its sentences.
var sentenceSplit = regexp.MustCompile(`[.;!?]\s+|[.;!?]$`)

// mainVerbTerm returns the term of clause c's main verb as matching weighs it (a
// mistyped verb respelled), or "".
func (p *Pattern) mainVerbTerm(c clause) string {
	for _, w := range words(instructionPart(c.text)) {
		lw := strings.ToLower(w)
		if stopWords[lw] || nameIntroducers[lw] || courtesyOpeners[lw] {
			continue
		}
		ts := terms(w)
		if len(ts) == 0 {
			continue
		}
		t := ts[0]
		if r := p.ix.respelled(t); r != "" {
			t = r
		}
		if p.isVerb(lw) || p.isVerb(stem(lw)) || p.isVerb(t) {
			return t
		}
		return ""
	}
	return ""
}
