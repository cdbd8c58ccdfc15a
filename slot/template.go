package slot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Template returns the request with each slot replaced by "<kind>", lowercased, with
// apostrophes inside words dropped and every other run of punctuation and white space
// reduced to a single space. It is the key under which the plan cache stores a plan:
// requests that differ only in slot values share it, requests that differ in any other
// word (polarity, roles, verbs) do not.
//
// slots must come from Extract on the same text; slots with offsets outside the text or
// overlapping an earlier slot are ignored.
func Template(text string, slots []Slot) string {
	var b strings.Builder
	b.Grow(len(text))
	space := false // a separator is pending
	emit := func(s string) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(s)
	}
	prev := 0
	normal := func(seg string) {
		for i := 0; i < len(seg); {
			r, n := utf8.DecodeRuneInString(seg[i:])
			switch {
			case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteByte(byte(r))
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteRune(unicode.ToLower(r))
			case (r == '\'' || r == '’') && i > 0 && i+n < len(seg) && wordRuneBefore(seg, i) && alnumAt(seg, i+n):
				// don't -> dont: an apostrophe inside a word is not a separator.
			default:
				space = true
			}
			i += n
		}
	}
	for _, s := range slots {
		if s.Start < prev || s.End > len(text) || s.Start >= s.End {
			continue
		}
		normal(text[prev:s.Start])
		space = true
		emit("<" + string(s.Kind) + ">")
		space = true
		prev = s.End
	}
	normal(text[prev:])
	return b.String()
}

func wordRuneBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isAlnum(r)
}
