package slot

import (
	"encoding/json"
	"strings"
	"unicode"

	"github.com/planwise/planwise/plan"
)

// The guards that decide whether a plan made for one request may serve another with the
// same template (the semantic cache, the history planner). They share these word lists
// so that the two can never disagree about what changes a request's meaning.

// polarityWords decide what a request does, whatever the rest says: two requests must
// use the same ones (as multisets) to share a plan. The list favours safety: a word here
// that a paraphrase drops costs a miss; a word missing lets "turn on" serve "turn off".
// Contractions appear without apostrophes, as Template spells them.
var polarityWords = setOf(`not no never nothing none nobody neither nor without except
	dont doesnt didnt cant cannot couldnt wont wouldnt shouldnt isnt arent wasnt werent havent hasnt
	on off enable enabled disable disabled activate deactivate
	open opened close closed lock locked unlock unlocked
	start started stop stopped pause paused resume resumed
	increase decrease raise lower up down more less higher
	buy sell add remove delete create cancel undo
	show hide mute unmute allow deny block unblock accept reject decline approve
	include exclude upload download import export subscribe unsubscribe follow unfollow
	login logout out yes true false
	before after above below over under min max minimum maximum high low
	first last next previous earliest latest oldest newest cheapest
	read unread archive unarchive pin unpin star unstar`)

// roleWords tie slots to roles ("from X to Y"): with the slot placeholders, their order
// must agree.
var roleWords = setOf(`from to into onto via cc bcc between per until since`)

// functionWords never ground an argument on their own.
var functionWords = setOf(`a an the and or of in on at by for with to from is are be it this that
	my your our their me you we us i he she they them his her its as if so do please`)

// IsPolarityWord reports whether w (lower case, apostrophes dropped) decides what a
// request does: not, on/off, buy/sell, before/after, ...
func IsPolarityWord(w string) bool { return polarityWords[w] }

// IsRoleWord reports whether w ties a slot to a role: from, to, via, ...
func IsRoleWord(w string) bool { return roleWords[w] }

// IsFunctionWord reports whether w is a function word (a, the, of, my, ...).
func IsFunctionWord(w string) bool { return functionWords[w] }

// Words splits s into lower-case words of letters and digits, apostrophes dropped
// ("don't" -> "dont", as Template spells it).
func Words(s string) []string {
	s = strings.NewReplacer("'", "", "\u2019", "").Replace(s)
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Grounded reports whether every literal word the plan copied from the past request also
// appears in the new one: a word of a plan argument counts as copied when the past
// request contains it (past(w)); function words and one-letter words do not count, and
// references (${s1.x}) are not literals. It stops "turn on the kitchen lights" serving
// "turn on the bedroom lights" when "kitchen" is not a slot.
func Grounded(p *plan.Plan, past, cur func(word string) bool) bool {
	ok := true
	var visit func(v any)
	visit = func(v any) {
		if !ok {
			return
		}
		switch t := v.(type) {
		case string:
			for _, w := range Words(stripRefs(t)) {
				if len(w) > 1 && !functionWords[w] && past(w) && !cur(w) {
					ok = false
					return
				}
			}
		case json.Number:
			if w := t.String(); past(w) && !cur(w) {
				ok = false
			}
		case map[string]any:
			for _, x := range t {
				visit(x)
			}
		case []any:
			for _, x := range t {
				visit(x)
			}
		}
	}
	for i := range p.Steps {
		visit(p.Steps[i].Args)
	}
	return ok
}

func stripRefs(s string) string {
	refs := plan.FindRefs(s)
	if len(refs) == 0 {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, r := range refs {
		b.WriteString(s[prev:r.Start])
		b.WriteByte(' ')
		prev = r.End
	}
	b.WriteString(s[prev:])
	return b.String()
}
