package slot

import (
	"encoding/json"
	"slices"
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

// apostrophes are dropped from words; a Replacer is safe for concurrent use and costs
// kilobytes to build, so there is one.
var apostrophes = strings.NewReplacer("'", "", "\u2019", "")

// Words splits s into lower-case words of letters and digits, apostrophes dropped
// ("don't" -> "dont", as Template spells it).
func Words(s string) []string {
	s = apostrophes.Replace(s)
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
			for _, w := range Words(plan.BlankRefs(t)) {
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

// PhrasesGrounded reports whether every phrase the past plan copied from the past
// request is copied the same way from the new one. Grounded checks words one by one;
// this checks phrases, for each string argument of past (references aside) whose words
// occur consecutively in the past request:
//
//   - an argument of two words or more must occur, as re-bound in rebound, as
//     consecutive words of the new request: a changed function word or order ("clean the
//     floor of my house" copied from a request now saying "in my house") is a miss;
//   - an argument copied from the words around the slots (no slot value in it) must sit
//     between the same words in the new request as in the past one: where a copied
//     phrase ends is the planner's reading of its context, and other context may be read
//     otherwise ("a pizza for delivery" gave "pizza"; "a pizza delivery" may give "pizza
//     delivery").
//
// pastWords and curWords are the requests' words in order (Words); pastTmpl and curTmpl
// their templates' tokens in order (strings.Fields of Template: words and "<kind>"
// placeholders). Arguments whose structure differs between the plans are not compared.
func PhrasesGrounded(past, rebound *plan.Plan, pastWords, curWords, pastTmpl, curTmpl []string) bool {
	if len(past.Steps) != len(rebound.Steps) {
		return false
	}
	ok := true
	var visit func(a, b any)
	visit = func(a, b any) {
		if !ok {
			return
		}
		switch ta := a.(type) {
		case string:
			tb, isStr := b.(string)
			if !isStr || len(plan.FindRefs(ta)) > 0 {
				return
			}
			wa := Words(ta)
			if len(wa) == 0 || !containsRun(pastWords, wa) {
				return
			}
			if len(wa) >= 2 && !containsRun(curWords, Words(tb)) {
				ok = false
				return
			}
			if ctx := contexts(pastTmpl, wa); len(ctx) > 0 && !anyContext(curTmpl, wa, ctx) {
				ok = false
			}
		case map[string]any:
			tb, isMap := b.(map[string]any)
			if !isMap {
				return
			}
			for k, x := range ta {
				if y, has := tb[k]; has {
					visit(x, y)
				}
			}
		case []any:
			tb, isList := b.([]any)
			if !isList || len(ta) != len(tb) {
				return
			}
			for i := range ta {
				visit(ta[i], tb[i])
			}
		}
	}
	for i := range past.Steps {
		visit(past.Steps[i].Args, rebound.Steps[i].Args)
	}
	return ok
}

// context is the token before and the token after one occurrence of a phrase ("" at
// either end of the request, or where a greeting or thanks begins or ends it: "...
// my house. Thanks!" ends the phrase as the end of the request does).
type context struct{ before, after string }

var courtesyWords = setOf(`please thanks thank cheers hi hello hey`)

// contexts returns the contexts of every occurrence of run in toks.
func contexts(toks, run []string) []context {
	var out []context
	for i := 0; i+len(run) <= len(toks); i++ {
		if toks[i] != run[0] || !slices.Equal(toks[i:i+len(run)], run) {
			continue
		}
		var c context
		if i > 0 && !courtesyWords[toks[i-1]] {
			c.before = toks[i-1]
		}
		if k := i + len(run); k < len(toks) && !courtesyWords[toks[k]] {
			c.after = toks[k]
		}
		out = append(out, c)
	}
	return out
}

// anyContext reports whether run occurs in toks in one of the contexts ctx.
func anyContext(toks, run []string, ctx []context) bool {
	for _, c := range contexts(toks, run) {
		if slices.Contains(ctx, c) {
			return true
		}
	}
	return false
}

// containsRun reports whether run occurs as consecutive elements of words.
func containsRun(words, run []string) bool {
	if len(run) == 0 {
		return true
	}
	for i := 0; i+len(run) <= len(words); i++ {
		if words[i] == run[0] && slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// ValuesRecur reports whether the text of some slot of text also occurs in text where no
// slot of that text is: "deliver a pizza to Pizza" (the name Pizza is also a word
// elsewhere), "the 'Computer Science 101' course at Computer Science" (one value inside
// another). A plan made for such a request cannot be re-bound reliably (which "pizza"
// in the plan was the slot?), and a planner may read such a request either way, so the
// semantic cache re-binds neither from nor to one. Matching is case-insensitive on word
// boundaries; a quoted slot's text is its content.
func ValuesRecur(text string, slots []Slot) bool {
	type span struct{ lo, hi int }
	core := make([]span, len(slots))
	for i, s := range slots {
		lo, hi := s.Start, s.End
		if s.Kind == Quoted {
			inner := strings.TrimLeft(s.Text, "'\"‘“")
			lo += len(s.Text) - len(inner)
			inner = strings.TrimRight(inner, "'\"’”")
			hi = lo + len(inner)
		}
		if lo < 0 || hi > len(text) || lo >= hi {
			return true // offsets that do not fit the text: be safe
		}
		core[i] = span{lo, hi}
	}
	lower := strings.ToLower(text)
	for _, c := range core {
		needle := lower[c.lo:c.hi]
		for from := 0; ; {
			k := strings.Index(lower[from:], needle)
			if k < 0 {
				break
			}
			a := from + k
			b := a + len(needle)
			from = a + 1
			if (a > 0 && wordRuneBefore(lower, a)) || alnumAt(lower, b) {
				continue // inside a longer word
			}
			if !slices.Contains(core, span{a, b}) {
				return true
			}
		}
	}
	return false
}
