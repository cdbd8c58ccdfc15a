package pattern

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/planwise/planwise/slot"
)

// A request often says its instruction once for several sets of values and leaves it
// out of the others ("convert 100 USD to EUR and 50 GBP to JPY", "the monthly payment
// for a loan of $10,000 at 5% for 3 years and one of $20,000 at 4% for 5 years"). One
// step cannot take both sets, so such a clause is refused whole; spelt out once per set
// ("convert 100 USD to EUR; convert 50 GBP to JPY") each part is an ordinary clause. The
// rewriting is tried only for a clause that could not be planned as written, and kept
// only when every part plans alone to the same tools and the request, rewritten, leaves
// fewer clauses unplanned: the parts pass every check a clause written out by the user
// would.

// regap plans request again with each clause of unplanned that leaves its instruction
// out for further sets of values spelt out once per set. It reports false, and the
// caller keeps its own result, when no clause could be spelt out or the rewritten
// request plans no more of it.
func (p *Pattern) regap(ctx context.Context, request, goal string, all, unplanned []clause) (*result, bool) {
	cs := slices.Clone(unplanned)
	slices.SortFunc(cs, func(a, b clause) int { return a.start - b.start })
	var out strings.Builder
	last, rewritten, steps := 0, 0, 0
	for _, c := range cs {
		if c.start < last || c.end > len(request) || request[c.start:c.end] != c.text {
			continue
		}
		pieces := gapPieces(c)
		if len(pieces) < 2 {
			pieces = eachPieces(request, all, c)
		}
		if len(pieces) < 2 {
			pieces = zipPieces(c)
		}
		if len(pieces) < 2 {
			continue
		}
		n, ok := p.planAlike(ctx, request[:c.start], pieces)
		if !ok {
			continue
		}
		steps += n
		out.WriteString(request[last:c.start])
		out.WriteString(strings.Join(pieces, "; "))
		last = c.end
		rewritten++
	}
	if rewritten == 0 {
		return nil, false
	}
	out.WriteString(request[last:])
	r, err := p.planSteps(ctx, out.String(), goal, planRewritten)
	if err != nil || len(r.unplanned) >= len(unplanned) || len(r.plan.Steps) < steps {
		// (Fewer steps than the parts planned alone: a part was read, in the
		// rewritten request, as something other than a request.)
		return nil, false
	}
	return r, true
}

// eachWord matches the word of a question that asks it of every set of values a
// statement before it lists: "What would the monthly payment be on each?", "How many
// kilometers is each one?".
var eachWord = regexp.MustCompile(`(?i)\beach(?: one| of them| of those| of these)?\b`)

// eachPieces asks question c once per set of values the statement right before it lists
// ("A marathon is 26.2 miles and a half marathon 13.1 miles. How many kilometers is
// each?" -> "How many kilometers is 26.2 miles", "How many kilometers is 13.1 miles"):
// the statement's parts after a comma, "and" or colon that hold values, two or more of
// them of the same kinds of value, each written in place of "each". nil when c asks no
// such thing or holds values of its own.
func eachPieces(request string, all []clause, c clause) []string {
	loc := eachWord.FindStringIndex(c.text)
	if loc == nil || len(c.slots) > 0 {
		return nil
	}
	var st *clause
	for i := range all {
		if all[i].end <= c.start {
			st = &all[i]
		}
	}
	if st == nil || st.asks && !st.states || len(st.slots) < 2 || request[st.start:st.end] != st.text {
		return nil
	}
	local := localSlots(*st)
	if local == nil {
		return nil
	}
	toks := tokenize(st.text, local)
	type part struct {
		lo, hi int         // byte offsets in st.text: the first value's start, the part's end
		starts []int       // the offsets of its values
		kinds  []slot.Kind // and their kinds
	}
	var parts []part
	cur := part{lo: -1}
	flush := func() {
		if cur.lo >= 0 {
			parts = append(parts, cur)
		}
		cur = part{lo: -1}
	}
	for _, t := range toks {
		if !t.inSlot && (t.text == "," || t.text == ":" || t.text == ";" || t.word && t.lower == "and") {
			flush()
			continue
		}
		// A part runs from its first value to the end: "$10,000 at 5% for 3 years".
		for _, s := range st.slots {
			if t.inSlot && s.Start-st.start == t.start {
				if cur.lo < 0 {
					cur.lo = t.start
				}
				cur.starts = append(cur.starts, t.start)
				cur.kinds = append(cur.kinds, s.Kind)
			}
		}
		if cur.lo >= 0 && t.end > cur.hi {
			cur.hi = t.end
		}
	}
	flush()
	// The last parts of one signature: "two loans: $10,000 at 5% for 3 years, and
	// $20,000 at 4% for 5 years" lists the loans, not "two".
	if len(parts) == 0 {
		return nil
	}
	last := parts[len(parts)-1]
	k := len(parts) - 1
	for k > 0 && slices.Equal(parts[k-1].kinds, last.kinds) {
		k--
	}
	if k > 0 {
		// "My two rooms measure 4 m by 5 m and 6 m by 3 m": the first set after the
		// count that opens the part it is in.
		p := &parts[k-1]
		if n := len(p.starts) - len(last.starts); n > 0 && slices.Equal(p.kinds[n:], last.kinds) {
			p.lo, p.starts, p.kinds = p.starts[n], p.starts[n:], p.kinds[n:]
			k--
		}
	}
	sets := parts[max(k, 0):]
	if len(sets) < 2 {
		return nil
	}
	pieces := make([]string, 0, len(sets))
	for _, s := range sets {
		pieces = append(pieces, c.text[:loc[0]]+st.text[s.lo:s.hi]+c.text[loc[1]:])
	}
	return pieces
}

// respectively marks lists a clause pairs off element by element.
var respectively = regexp.MustCompile(`(?i),?\s*\b(?:respectively|in that order)\b`)

// zipPieces pairs off the lists of values of clause c that "respectively" joins, one
// clause per position: "the BMI of people weighing 60 kg and 80 kg with heights of 160
// cm and 180 cm respectively" -> "... weighing 60 kg with heights of 160 cm", "...
// weighing 80 kg with heights of 180 cm". nil unless c says "respectively" and holds two
// lists or more, each of values of one kind joined by commas and "and", all as long.
func zipPieces(c clause) []string {
	loc := respectively.FindStringIndex(c.text)
	local := localSlots(c)
	if loc == nil || len(local) < 4 {
		return nil
	}
	unitEnd := func(s slot.Slot) int { return withUnit(c.text, s.End) }
	joins := func(a, b slot.Slot) bool {
		for _, w := range strings.Fields(strings.ToLower(c.text[unitEnd(a):b.Start])) {
			if w = strings.Trim(w, ","); w != "" && w != "and" {
				return false
			}
		}
		return true
	}
	var runs [][]slot.Slot
	for i := 0; i < len(local); {
		j := i + 1
		for j < len(local) && local[j].Kind == local[i].Kind && joins(local[j-1], local[j]) {
			j++
		}
		if j-i >= 2 {
			runs = append(runs, local[i:j])
		}
		i = j
	}
	if len(runs) < 2 {
		return nil
	}
	for _, r := range runs[1:] {
		if len(r) != len(runs[0]) {
			return nil
		}
	}
	text := c.text[:loc[0]] + c.text[loc[1]:]
	cut := loc[1] - loc[0]
	pieces := make([]string, 0, len(runs[0]))
	for k := range runs[0] {
		var b strings.Builder
		last := 0
		for _, r := range runs {
			lo, hi := r[0].Start, unitEnd(r[len(r)-1])
			if lo >= loc[0] {
				lo, hi = lo-cut, hi-cut
			}
			el := c.text[r[k].Start:unitEnd(r[k])]
			if unitEnd(r[k]) == r[k].End && unitEnd(r[len(r)-1]) != r[len(r)-1].End {
				el += c.text[r[len(r)-1].End:unitEnd(r[len(r)-1])] // "2, 4 and 6 m": each in m
			}
			if lo < last || hi > len(text) {
				return nil
			}
			b.WriteString(text[last:lo])
			b.WriteString(el)
			last = hi
		}
		b.WriteString(text[last:])
		pieces = append(pieces, strings.TrimSpace(b.String()))
	}
	return pieces
}

// localSlots returns c's slots with offsets in c.text, or nil when one lies outside it.
func localSlots(c clause) []slot.Slot {
	local := make([]slot.Slot, 0, len(c.slots))
	for _, s := range c.slots {
		s.Start -= c.start
		s.End -= c.start
		if s.Start < 0 || s.End > len(c.text) {
			return nil
		}
		local = append(local, s)
	}
	return local
}

// planAlike reports whether every piece, after what the request says before it
// (before), plans whole to the same sequence of tools, and the number of steps the
// pieces add to it together.
func (p *Pattern) planAlike(ctx context.Context, before string, pieces []string) (int, bool) {
	var want []string
	n := 0
	if strings.TrimSpace(before) != "" {
		// The steps of what comes before are in every piece's plan; count them once.
		if r, err := p.planSteps(ctx, before, "", planPiece); err == nil {
			n -= len(pieces) * len(r.plan.Steps)
		}
	}
	for i, piece := range pieces {
		r, err := p.planSteps(ctx, before+piece, "", planPiece)
		if err != nil || len(r.unplanned) > 0 || len(r.plan.Steps) == 0 {
			return 0, false
		}
		n += len(r.plan.Steps)
		got := make([]string, len(r.plan.Steps))
		for k, s := range r.plan.Steps {
			got[k] = s.Tool
		}
		if i > 0 && !slices.Equal(got, want) {
			return 0, false
		}
		want = got
	}
	return n, true
}

// gapFillers stand, after "and", for the thing the first set of values was given for:
// "and one of $20,000", "and another of 7.5".
var gapFillers = wordSet("one another also then")

// gapPieces splits clause c at each "and" or comma after which only another set of the
// values before it follows, and spells the instruction out for each set: "convert 100
// USD to EUR and 50 GBP to JPY" -> "convert 100 USD to EUR", "convert 50 GBP to JPY";
// "the area of a circle of radius 3 and of one of radius 7.5" -> "... of radius 3", "...
// of radius 7.5". nil unless every part after the first is such a set: values of the
// kinds the first part has, with no more of them than it has, words only from the first
// part, and before its first value only the last words of the first part's instruction
// ("of radius 7.5" after "the area of a circle of radius").
func gapPieces(c clause) []string {
	if len(c.slots) < 2 {
		return nil
	}
	local := localSlots(c)
	if local == nil {
		return nil
	}
	// An equation is one value: "solve x^2 + 3x - 10 = 0 and 2x^2 - 8 = 0".
	for _, e := range polyEquation.FindAllStringIndex(c.text, -1) {
		e[0] += len(c.text[e[0]:]) - len(strings.TrimLeft(c.text[e[0]:], " "))
		local = slices.DeleteFunc(local, func(s slot.Slot) bool { return s.Start < e[1] && s.End > e[0] })
		local = append(local, slot.Slot{Kind: kindExpression, Text: c.text[e[0]:e[1]], Start: e[0], End: e[1]})
	}
	slices.SortFunc(local, func(a, b slot.Slot) int { return a.Start - b.Start })
	toks := tokenize(c.text, local)
	type part struct{ lo, hi int } // token indices
	var parts []part
	lo := 0
	for i, t := range toks {
		if !t.inSlot && (t.text == "," || t.word && t.lower == "and") {
			if i > lo {
				parts = append(parts, part{lo, i})
			}
			lo = i + 1
		}
	}
	if lo < len(toks) {
		parts = append(parts, part{lo, len(toks)})
	}
	if len(parts) < 2 {
		return nil
	}
	slotsIn := func(pt part) []slot.Slot {
		var out []slot.Slot
		for _, s := range local {
			if s.Start >= toks[pt.lo].start && s.End <= toks[pt.hi-1].end {
				out = append(out, s)
			}
		}
		return out
	}
	firstValue := func(pt part) int {
		for i := pt.lo; i < pt.hi; i++ {
			if toks[i].inSlot {
				return i
			}
		}
		return -1
	}
	first := parts[0]
	f0 := firstValue(first)
	if f0 <= first.lo {
		return nil // no instruction before the first value
	}
	var lead []int // the instruction's words, as token indices
	for i := first.lo; i < f0; i++ {
		if toks[i].word {
			lead = append(lead, i)
		}
	}
	vals0 := slotsIn(first)
	kinds := map[slot.Kind]bool{}
	for _, s := range vals0 {
		kinds[s.Kind] = true
	}
	words0 := map[string]bool{}
	for i := f0; i < first.hi; i++ {
		if toks[i].word && !toks[i].inSlot {
			words0[toks[i].lower] = true
		}
	}
	pieces := []string{strings.TrimSpace(c.text[toks[first.lo].start:lastEnd(toks, first.lo, first.hi)])}
	for _, pt := range parts[1:] {
		start := pt.lo
		// "one of $20,000", "of one of radius 7.5": the thing named again.
		for start < pt.hi && toks[start].word && !toks[start].inSlot {
			if gapFillers[toks[start].lower] {
				start++
				continue
			}
			if start+1 < pt.hi && (toks[start+1].lower == "one" || toks[start+1].lower == "another") && !toks[start+1].inSlot {
				start += 2
				continue
			}
			break
		}
		fk := firstValue(part{start, pt.hi})
		vals := slotsIn(part{start, pt.hi})
		if fk < 0 || len(vals) == 0 || len(vals) > len(vals0) {
			return nil
		}
		for _, s := range vals {
			// "send $20 to Alice and 35 to Bob": the second amount's currency is the
			// first's.
			if !kinds[s.Kind] && !(s.Kind == slot.Number && kinds[slot.Money]) {
				return nil
			}
		}
		var before []string
		for i := start; i < fk; i++ {
			if !toks[i].word {
				return nil
			}
			before = append(before, toks[i].lower)
		}
		if len(before) >= len(lead) {
			return nil
		}
		keep := len(lead) - len(before)
		for k, w := range before {
			if !sameWord(toks[lead[keep+k]].lower, w) {
				keep = -1
				break
			}
		}
		if keep < 0 {
			// "which day of the week was July 20, 1969, and which day was November 9,
			// 1989": the instruction said again, shortened.
			if !shortened(toks, lead, before) {
				return nil
			}
			keep, start = len(lead), fk
		}
		for i := fk; i < pt.hi; i++ {
			// (A unit said once for the last set is the first's too: "2 by 3 and 4 by
			// 5 meters".)
			if toks[i].word && !toks[i].inSlot && !words0[toks[i].lower] && unitDims[toks[i].lower] == 0 {
				return nil
			}
		}
		cut := toks[f0].start
		if keep < len(lead) {
			cut = toks[lead[keep]].start
		}
		instr := strings.TrimSpace(c.text[toks[first.lo].start:cut])
		pieces = append(pieces, instr+" "+strings.TrimSpace(c.text[toks[start].start:lastEnd(toks, start, pt.hi)]))
	}
	return pieces
}

// shortened reports whether the words before are the instruction's (the words of the
// tokens lead) said again with some left out: its first and last words, and the others
// in its order.
func shortened(toks []token, lead []int, before []string) bool {
	if len(before) < 2 || before[0] != toks[lead[0]].lower || before[len(before)-1] != toks[lead[len(lead)-1]].lower {
		return false
	}
	k := 0
	for _, li := range lead {
		if k < len(before) && toks[li].lower == before[k] {
			k++
		}
	}
	return k == len(before)
}

// sameWord reports whether two words are the same, "a" and "an" being one.
func sameWord(a, b string) bool {
	return a == b || (a == "a" || a == "an") && (b == "a" || b == "an")
}

// lastEnd is the end offset of the last token in toks[lo:hi] that is a word or inside a
// value, leaving out trailing punctuation.
func lastEnd(toks []token, lo, hi int) int {
	for i := hi - 1; i > lo; i-- {
		if toks[i].word || toks[i].inSlot {
			return toks[i].end
		}
	}
	return toks[lo].end
}
