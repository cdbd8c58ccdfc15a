// Package reuse decides whether a plan made for one request may serve another: the one
// sequence shape -> guards -> re-bind -> validate that the semantic plan cache (package
// cache) and the history planner (package histplan) both run on their candidates. What
// they differ in stays with them: how candidates are found (an index of templates, the
// history's nearest past requests), their thresholds, and how one candidate is chosen
// among several (the cache's ambiguity margin, the history planner's vote).
//
// For a past request (the cached one, or the past one whose plan the history holds) and
// the current one, Reuse applies, in order:
//
//  1. the shape guards: the polarity and negation words agree (not/no/never, on/off,
//     buy/sell, ...; as many times each), the slot kinds and counts agree
//     (slot.GuardKind), and the role words and slots come in the same order ("from X to
//     Y" is not "to X from Y");
//  2. at most MaxWordEdits content words differ (when set), and with Values, the guards
//     that look inside the values: both requests carry the same cues of the registry
//     (slot.Cues.Signature: "voice call" is not "video call"), and when values change no
//     slot value recurs elsewhere in either request (slot.ValuesRecur);
//  3. re-binding of the past plan to the current slots (slot.Rebind);
//  4. grounding: every literal word the plan copied from the past request is in the
//     current one (slot.Grounded), and with Values every phrase it copied is copied
//     verbatim and from the same context (slot.PhrasesGrounded);
//  5. plan.Validate against the registry.
//
// The first failing step is the Reason; a plan that passes them all is the re-bound
// copy, the caller's to modify.
package reuse

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/planwise/planwise/internal/lexicon"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/query"
	"github.com/planwise/planwise/slot"
	"github.com/planwise/planwise/tool"
)

// Reason says which step refused a candidate. The values are the plan cache's metric
// labels.
type Reason string

// The reasons a candidate is refused.
const (
	Negation Reason = "miss_guard_negation" // polarity or negation words differ
	Slots    Reason = "miss_guard_slots"    // the slot kinds or counts differ
	Roles    Reason = "miss_guard_roles"    // the role words and slots come in another order
	Words    Reason = "miss_guard_words"    // more content words differ than MaxWordEdits
	Cues     Reason = "miss_guard_cues"     // the registry's cue words differ
	Rebind   Reason = "miss_rebind"         // the plan cannot be re-bound to the new values
	Args     Reason = "miss_guard_args"     // a copied word or phrase is not in the new request
	Invalid  Reason = "miss_invalid"        // the re-bound plan fails plan.Validate
)

// Normalize is the exact-match key text: lower case, runs of white space as one space,
// no leading or trailing white space or sentence punctuation. Case is folded because an
// exact match still re-extracts and re-binds slots ("email bob" finds no name slot, so it
// cannot be served the plan stored for "email Bob" unless the plan never used it).
func Normalize(s string) string {
	if n, ok := normalizeASCII(s); ok {
		return n
	}
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, " .?!")
}

// normalizeASCII is Normalize for ASCII text in one pass: s itself when it is already
// normalised (a repeated request usually is: every verbatim cache hit normalises its
// text), else one allocation where Fields, Join and ToLower made three. It reports false
// for text with a byte past ASCII, whose white space and case are Unicode's.
func normalizeASCII(s string) (string, bool) {
	clean := true // s is its own normalisation so far
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return "", false
		case 'A' <= c && c <= 'Z', asciiSpace(c) && (c != ' ' || i == 0 || s[i-1] == ' '):
			clean = false
		}
	}
	if clean && (s == "" || !strings.ContainsRune(" .?!", rune(s[len(s)-1]))) {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is owed before the next word
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case asciiSpace(c):
			space = b.Len() > 0
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return strings.TrimRight(b.String(), " .?!"), true
}

// asciiSpace reports whether c is white space to strings.Fields (unicode.IsSpace below
// utf8.RuneSelf).
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// Shape is what the shape guards compare, computed once per request from its
// normalised text, slots and template. A cache keeps one per entry: it is small (one
// allocation per list).
type Shape struct {
	polarity []string // sorted polarity words of the template, with repeats
	roles    []string // role words and slot placeholders, in order
	kinds    []string // slot guard kinds, sorted
	words    wordList // words of the normalised request
	content  wordList // stemmed content words of the template
	// recur: a slot value also occurs elsewhere in the request (slot.ValuesRecur), so
	// a plan cannot be re-bound from or to it; known says it has been computed (a
	// current request's is, only when a guard asks).
	recur, recurKnown bool
}

// ShapeOf computes the shape of a request: its text, normalised text (Normalize),
// template (slot.Template) and slots.
func ShapeOf(text, normalized, template string, slots []slot.Slot) Shape {
	sh := shapeOf(normalized, template, slots)
	sh.recur, sh.recurKnown = slot.ValuesRecur(text, slots), true
	return sh
}

// shapeOf is ShapeOf but for recur, which is left to compute.
func shapeOf(normalized, template string, slots []slot.Slot) Shape {
	var sh Shape
	for _, tok := range strings.Fields(template) {
		switch {
		case strings.HasPrefix(tok, "<") && strings.HasSuffix(tok, ">"):
			sh.roles = append(sh.roles, tok)
		case slot.IsPolarityWord(tok):
			sh.polarity = append(sh.polarity, tok)
		case slot.IsRoleWord(tok):
			sh.roles = append(sh.roles, tok)
		}
	}
	slices.Sort(sh.polarity)
	for _, s := range slots {
		sh.kinds = append(sh.kinds, s.GuardKind())
	}
	slices.Sort(sh.kinds)
	sh.words = newWordList(slot.Words(normalized))
	var content []string
	for _, w := range slot.Words(template) {
		if len(w) > 1 && !slot.IsFunctionWord(w) && !fillerWords[w] && !isPlaceholder(w) {
			content = append(content, slot.Stem(w))
		}
	}
	sh.content = newWordList(content)
	return sh
}

// Request is one request analysed for reuse: the past one or the current one.
type Request struct {
	Text       string
	Normalized string // Normalize(Text)
	Template   string // slot.Template(Text, Slots)
	Slots      []slot.Slot
	Shape      Shape // ShapeOf the above
	// Plan is the past request's plan (unused for the current request).
	Plan *plan.Plan
	// Timeless says that Slots were extracted without reading the clock, so that the
	// same text has the same slots at any time (set by For; false when not known).
	Timeless bool

	sem *semantic // the current request's, computed on first use
}

// Analyse returns the Request for text and its slots.
func Analyse(text string, slots []slot.Slot) *Request {
	return analyse(text, slots, slot.Template(text, slots))
}

// analyse is Analyse with the template computed. Whether a value recurs is computed when
// a guard asks (recurs).
func analyse(text string, slots []slot.Slot, template string) *Request {
	r := &Request{Text: text, Normalized: Normalize(text), Template: template, Slots: slots}
	r.Shape = shapeOf(r.Normalized, template, slots)
	return r
}

// recurs reports whether a slot value recurs elsewhere in the request
// (slot.ValuesRecur), computing it once.
func (r *Request) recurs() bool {
	if !r.Shape.recurKnown {
		r.Shape.recur, r.Shape.recurKnown = slot.ValuesRecur(r.Text, r.Slots), true
	}
	return r.Shape.recur
}

// requestKey keys a query's analysis for reuse (query.Query.Value): the extractor it was
// made with, nil for the query's own Analyzer.
type requestKey struct{ ex *slot.Extractor }

// For returns the analysis of q for reuse against reg, computed once per query and
// shared by the stages that ask (the cache's lookup and store, the history planner):
// from q's own slots when q was analysed for reg (query.Query.SlotsFor), else from ex's.
// The Request is not safe for concurrent Reuse calls, and the stages of one request run
// one after the other.
func For(q query.Query, reg *tool.Registry, ex *slot.Extractor) *Request {
	slots, ok := q.SlotsFor(reg)
	key := requestKey{}
	if !ok {
		key.ex = ex
	}
	return q.Value(key, func() any {
		if !ok {
			slots, dated := ex.ExtractDated(q.Text)
			r := Analyse(q.Text, slots)
			r.Timeless = !dated
			return r
		}
		tmpl, _ := q.Template()
		r := analyse(q.Text, slots, tmpl)
		r.Timeless = q.Timeless()
		return r
	}).(*Request)
}

// semantic is what only a match that is not exact compares.
type semantic struct {
	cues  *slot.Cues
	sig   []string // cue signature (slot.Cues.Signature)
	words []string // words of the normalised request, in order
	tmpl  []string // the template's tokens, in order
}

func (r *Request) semantic(cues *slot.Cues) *semantic {
	if r.sem == nil || r.sem.cues != cues {
		r.sem = &semantic{cues: cues, sig: cues.Signature(r.Template, r.Slots),
			words: slot.Words(r.Normalized), tmpl: strings.Fields(r.Template)}
	}
	return r.sem
}

// Options configure one Reuse call.
type Options struct {
	// Values applies the guards that look inside the values and phrases (cues,
	// recurring values, copied phrases). The cache applies them to every match that is
	// not exact (the texts differ after Normalize); the history planner does not (see
	// docs/decisions.md).
	Values bool
	// MaxWordEdits bounds the content words (not function words, not slots, crudely
	// stemmed) one request has and the other lacks; negative disables the guard.
	MaxWordEdits int
	// Cues are the registry's cue words (slot.CuesOf), computed once per registry.
	Cues *slot.Cues
	// Validated says that past.Plan passed plan.Validate against this registry (a cache
	// entry is validated when it is stored, and its namespace pins the registry
	// version): a plan the re-binding leaves as it was is then not validated again.
	Validated bool
}

// Reuse runs the guards, re-binds past.Plan to cur's slots and validates it against reg.
// It returns the re-bound plan, or nil, the step that refused it and, for Rebind and
// Invalid, the error that step returned. cur is not safe for concurrent Reuse calls
// (it computes its semantic part once, on first use).
func Reuse(past, cur *Request, reg *tool.Registry, o Options) (*plan.Plan, Reason, error) {
	if r := guard(past.Shape, cur.Shape); r != "" {
		return nil, r, nil
	}
	if o.MaxWordEdits >= 0 && wordEdits(past.Shape.content, cur.Shape.content) > o.MaxWordEdits {
		return nil, Words, nil
	}
	var pw, cw *semantic
	if o.Values {
		cw = cur.semantic(o.Cues)
		// The past request's semantic part is computed per call: a cache does not keep
		// it for every entry.
		pw = &semantic{sig: o.Cues.Signature(past.Template, past.Slots)}
		if !slices.Equal(cw.sig, pw.sig) {
			return nil, Cues, nil
		}
		if (past.recurs() || cur.recurs()) && slotsChanged(past.Slots, cur.Slots) {
			return nil, Rebind, nil
		}
		pw.words = slot.Words(past.Normalized)
	}
	if err := namedTwice(past, cur); err != nil {
		return nil, Rebind, err
	}
	p, err := slot.Rebind(past.Plan, past.Slots, cur.Slots)
	if err != nil {
		return nil, Rebind, err
	}
	if !grounded(p, past.Shape.words, cur.Shape.words) ||
		(o.Values && !slot.PhrasesGrounded(past.Plan, p, pw.words, cw.words, strings.Fields(past.Template), cw.tmpl)) {
		return nil, Args, nil
	}
	if o.Validated && SameSlots(past.Slots, cur.Slots) {
		return p, "", nil
	}
	if err := plan.Validate(p, reg); err != nil {
		return nil, Invalid, err
	}
	return p, "", nil
}

// SameSlots reports whether the two requests' slots are the same values written the
// same way: re-binding then changes nothing.
func SameSlots(a, b []slot.Slot) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || a[i].Value != b[i].Value || a[i].Text != b[i].Text {
			return false
		}
	}
	return true
}

// namedTwice refuses a re-binding when a name that changed is also given, in the past
// request, by a word of another form: "an Australian passport ... places to visit in
// Australia" may have taken the passport's country from "Australian", and re-binding
// "Australia" would move the passport too.
func namedTwice(past, cur *Request) error {
	for i, s := range past.Slots {
		if s.Kind != slot.Name || i >= len(cur.Slots) || strings.EqualFold(s.Value, cur.Slots[i].Value) {
			continue
		}
		for _, w := range lexicon.Words(past.Text) {
			if name, adj, ok := lexicon.Country(w); ok && adj && strings.EqualFold(name, s.Value) {
				return &slot.RebindError{From: s, To: cur.Slots[i], Reason: fmt.Sprintf("the request also names it as %q", w)}
			}
		}
	}
	return nil
}

// grounded reports whether every literal word the plan copied from the past request
// also appears in the current one (slot.Grounded).
func grounded(p *plan.Plan, past, cur wordList) bool {
	return slot.Grounded(p, past.has, cur.has)
}

// guard compares the shapes of the past and the current request and returns the reason
// they disagree, or "".
func guard(past, cur Shape) Reason {
	if !slices.Equal(past.polarity, cur.polarity) {
		return Negation
	}
	if !slices.Equal(past.kinds, cur.kinds) {
		return Slots
	}
	if !slices.Equal(past.roles, cur.roles) {
		return Roles
	}
	return ""
}

// slotsChanged reports whether any slot's text differs between the two requests (in
// order; the guards have checked that the kinds agree).
func slotsChanged(a, b []slot.Slot) bool {
	if len(a) != len(b) {
		return true
	}
	for i := range a {
		if !strings.EqualFold(a[i].Text, b[i].Text) {
			return true
		}
	}
	return false
}

// wordList is a sorted, deduplicated list of words: a set with one allocation, which
// matters at 100k cached entries (fewer heap objects for the collector to scan).
type wordList []string

func newWordList(ws []string) wordList {
	slices.Sort(ws)
	return wordList(slices.Compact(ws))
}

func (l wordList) has(w string) bool {
	_, ok := slices.BinarySearch(l, w)
	return ok
}

// wordEdits counts the content words in one list and not the other.
func wordEdits(a, b wordList) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			i++
			j++
		case a[i] < b[j]:
			n++
			i++
		default:
			n++
			j++
		}
	}
	return n + len(a) - i + len(b) - j
}

// isPlaceholder reports whether w is a slot kind as slot.Words leaves it from "<kind>".
func isPlaceholder(w string) bool {
	switch w {
	case "quoted", "number", "money", "percent", "date", "time", "email", "url", "phone", "file", "name", "enum":
		return true
	}
	return false
}

// fillerWords carry politeness or phrasing, not meaning; they never count as edits.
var fillerWords = setOf(`please can could would will should kindly just really also
	want wanna need like tell know help show give let lets hey hi hello thanks thank
	what whats how hows which where wheres when who whos why is are was were am be do does did
	there here some any much many`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
