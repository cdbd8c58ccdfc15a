package slot

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/planwise/planwise/plan"
)

// ErrUnbound is returned (wrapped) by Rebind when a plan cannot be re-bound to new slots.
var ErrUnbound = errors.New("slots cannot be re-bound")

// RebindError says which slot could not be re-bound and why. It matches ErrUnbound.
type RebindError struct {
	// From and To are the slots concerned (zero when the problem is the slot lists).
	From, To Slot
	Reason   string
}

func (e *RebindError) Error() string {
	if e.From.Kind == "" {
		return "rebind: " + e.Reason
	}
	return fmt.Sprintf("rebind %s %q -> %q: %s", e.From.Kind, e.From.Text, e.To.Text, e.Reason)
}

// Is makes errors.Is(err, ErrUnbound) true.
func (e *RebindError) Is(target error) bool { return target == ErrUnbound }

// form is one representation of a slot value in a plan: the normalised value, the text
// as written, or a kind-specific variant (the amount of a money value, a phone number
// without '+', a name without its possessive "'s").
type form struct {
	tag  string
	text string
	// written is true when text is also the slot as written in the request (a phone
	// number written as bare digits is both its "digits" and its "text" form).
	written bool
}

func forms(s Slot) []form {
	out := []form{{tag: "value", text: s.Value}}
	add := func(tag, text string) {
		if text == "" {
			return
		}
		for _, f := range out {
			if strings.EqualFold(f.text, text) {
				return
			}
		}
		out = append(out, form{tag: tag, text: text})
	}
	switch s.Kind {
	case Money:
		if k := strings.IndexByte(s.Value, ' '); k > 0 {
			add("amount", s.Value[:k])
		}
	case Phone:
		add("digits", strings.TrimPrefix(s.Value, "+"))
	case Name:
		if possessive(s.Value) {
			add("bare", s.Value[:len(s.Value)-2])
		}
	case Percent:
		add("bare", strings.TrimSuffix(s.Value, "%"))
	}
	if s.Kind != Quoted { // a quoted Text carries its quotes; the plan holds the content
		add("text", s.Text)
		for i := range out {
			out[i].written = strings.EqualFold(out[i].text, s.Text)
		}
	}
	return out
}

func formOf(fs []form, tag string) (string, bool) {
	for _, f := range fs {
		if f.tag == tag {
			return f.text, true
		}
	}
	return "", false
}

// binding is one from -> to pair.
type binding struct {
	from, to  Slot
	fromForms []form
	toForms   []form
	changed   bool
	used      bool
}

// Rebind returns a deep copy of p in which every argument value, or part of a string
// value, that came from a slot in from carries the corresponding slot in to instead, in
// the same representation (a normalised date stays normalised, a date as written is
// replaced by the new date as written). Slots pair up by kind, in order: from and to must
// hold the same kinds the same number of times.
//
// The error wraps ErrUnbound (as a *RebindError) when the kinds do not line up, when a
// slot whose value changed appears nowhere in the plan (it may have shaped the plan in a
// way that cannot be re-bound, so the plan might not be what a planner would produce for
// the new request), when one old value would need two different new values, or when two
// different old values would become the same new value.
func Rebind(p *plan.Plan, from, to []Slot) (*plan.Plan, error) {
	if p == nil {
		return nil, &RebindError{Reason: "no plan"}
	}
	bs, err := pair(from, to)
	if err != nil {
		return nil, err
	}
	// One old value must map to one new value.
	for i := range bs {
		for j := i + 1; j < len(bs); j++ {
			// Across kinds too: "a car in San Francisco" (a name) and "from 'San
			// Francisco'" (quoted) are one value in the plan's arguments.
			if strings.EqualFold(bs[i].from.Value, bs[j].from.Value) && !strings.EqualFold(bs[i].to.Value, bs[j].to.Value) {
				return nil, &RebindError{From: bs[j].from, To: bs[j].to,
					Reason: fmt.Sprintf("the same value also becomes %q", bs[i].to.Value)}
			}
			// And two values must stay two: a planner may merge what became one ("buy
			// insurance from A, and a voucher from A" may be one purchase).
			if !strings.EqualFold(bs[i].from.Value, bs[j].from.Value) && strings.EqualFold(bs[i].to.Value, bs[j].to.Value) {
				return nil, &RebindError{From: bs[j].from, To: bs[j].to,
					Reason: fmt.Sprintf("%q and %q would both become %q", bs[i].from.Value, bs[j].from.Value, bs[j].to.Value)}
			}
		}
	}
	anyChanged := false
	for i := range bs {
		if bs[i].changed {
			anyChanged = true
		}
	}
	q := p.Clone()
	if !anyChanged {
		return q, nil
	}
	for i := range q.Steps {
		st := &q.Steps[i]
		for k, v := range st.Args {
			st.Args[k] = rebindValue(v, bs, true)
		}
	}
	q.Goal = rebindStringTracked(q.Goal, bs, false)
	for _, b := range bs {
		if b.changed && !b.used {
			return nil, &RebindError{From: b.from, To: b.to, Reason: "the plan does not use this value, so it cannot be re-bound safely"}
		}
	}
	return q, nil
}

// pair matches from and to slots by kind, in order.
func pair(from, to []Slot) ([]binding, error) {
	if len(from) != len(to) {
		return nil, &RebindError{Reason: fmt.Sprintf("%d slots cannot be re-bound to %d", len(from), len(to))}
	}
	byKind := map[Kind][]int{}
	for i, s := range to {
		byKind[s.Kind] = append(byKind[s.Kind], i)
	}
	bs := make([]binding, 0, len(from))
	for _, f := range from {
		idx := byKind[f.Kind]
		if len(idx) == 0 {
			return nil, &RebindError{Reason: fmt.Sprintf("slot kinds differ: %v vs %v", Kinds(from), Kinds(to))}
		}
		t := to[idx[0]]
		byKind[f.Kind] = idx[1:]
		b := binding{from: f, to: t, fromForms: forms(f), toForms: forms(t)}
		b.changed = f.Value != t.Value || f.Text != t.Text
		bs = append(bs, b)
	}
	return bs, nil
}

// numberOr is r as a JSON number ("098" is written 98), or old when r is no number.
func numberOr(r string, old any) any {
	if n, ok := plan.Number(r); ok {
		return n
	}
	return old
}

// rebindValue rebinds strings and numbers inside v; track marks bindings as used.
func rebindValue(v any, bs []binding, track bool) any {
	switch t := v.(type) {
	case string:
		return rebindStringTracked(t, bs, track)
	case json.Number:
		if r, ok := rebindNumber(string(t), bs, track); ok {
			return numberOr(r, t)
		}
		return t
	case float64:
		if r, ok := rebindNumber(json.Number(fmt.Sprint(t)).String(), bs, track); ok {
			return numberOr(r, t)
		}
		return t
	case int:
		if r, ok := rebindNumber(fmt.Sprint(t), bs, track); ok {
			return numberOr(r, t)
		}
		return t
	case map[string]any:
		for k, x := range t {
			t[k] = rebindValue(x, bs, track)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = rebindValue(x, bs, track)
		}
		return t
	}
	return v
}

// rebindNumber replaces a JSON number that equals a numeric slot's old value.
func rebindNumber(num string, bs []binding, track bool) (string, bool) {
	x, ok := new(big.Rat).SetString(num)
	if !ok {
		return "", false
	}
	for i := range bs {
		b := &bs[i]
		switch b.from.Kind {
		case Number, Money, Percent:
		default:
			continue
		}
		fv := numericPart(b.from)
		y, ok := new(big.Rat).SetString(fv)
		if !ok || x.Cmp(y) != 0 {
			continue
		}
		tv := numericPart(b.to)
		if _, ok := new(big.Rat).SetString(tv); !ok {
			continue
		}
		if track {
			b.used = true
		}
		return tv, true
	}
	return "", false
}

func numericPart(s Slot) string {
	v := s.Value
	if k := strings.IndexByte(v, ' '); k > 0 {
		v = v[:k]
	}
	return strings.TrimSuffix(v, "%")
}

// rebindStringTracked replaces, outside ${...} references, every occurrence of a slot's
// old form on word boundaries, leftmost-longest first, in one pass (so Bob->Alice and
// Alice->Bob swap correctly).
func rebindStringTracked(s string, bs []binding, track bool) string {
	if s == "" {
		return s
	}
	refs := plan.FindRefs(s)
	var out strings.Builder
	changed := false
	prev := 0
	seg := func(lo, hi int) {
		i := lo
		for i < hi {
			bi, f, n := longestAt(s, i, hi, bs)
			if n == 0 {
				i++
				continue
			}
			b := &bs[bi]
			if !b.changed {
				i += n
				continue
			}
			repl, ok := formOf(b.toForms, f.tag)
			switch {
			case f.tag == "text" && b.to.Kind != Quoted:
				// Copied as written: the new value as written, even when that spelling
				// is also one of its normalised forms (forms keeps one tag per spelling).
				repl = b.to.Text
			case !ok:
				repl = b.to.Value
			}
			// The old value was written in a form that is also a normalised one
			// ("1234567890" is the digits form of +1234567890 and the text as written):
			// inside a longer string (free text) it was copied as written, so the new
			// value goes in as written too; a whole argument keeps the normalised form.
			if f.written && f.tag != "text" && (i > 0 || i+n < len(s)) && b.to.Kind != Quoted {
				repl = b.to.Text
			}
			out.WriteString(s[prev:i])
			out.WriteString(repl)
			changed = true
			if track {
				b.used = true
			}
			i += n
			prev = i
		}
	}
	lo := 0
	for _, r := range refs {
		seg(lo, r.Start)
		lo = r.End
	}
	seg(lo, len(s))
	if !changed {
		return s
	}
	out.WriteString(s[prev:])
	return out.String()
}

// longestAt finds the longest slot form matching s at i (case-insensitively, on word
// boundaries, not beyond hi).
func longestAt(s string, i, hi int, bs []binding) (int, form, int) {
	if i > 0 && alnumAt(s, i) && wordRuneBefore(s, i) {
		return 0, form{}, 0
	}
	best, bestN := -1, 0
	var bestF form
	for bi := range bs {
		for _, f := range bs[bi].fromForms {
			n := len(f.text)
			if n == 0 || n <= bestN || i+n > hi || !strings.EqualFold(s[i:i+n], f.text) {
				continue
			}
			if alnumAt(s, i+n) && wordRuneBefore(f.text, n) {
				continue
			}
			best, bestN, bestF = bi, n, f
		}
	}
	if best < 0 {
		return 0, form{}, 0
	}
	return best, bestF, bestN
}
