package slot

import (
	"slices"
	"strings"
	"unicode"

	"github.com/planwise/planwise/internal/lexicon"
	"github.com/planwise/planwise/tool"
)

// Cues are the words a tool registry uses to tell its tools apart: the words of tool
// and parameter names and descriptions, stemmed, less function words and words so common in the
// registry that they say nothing about which tool fits. A model reads them to choose
// tools wherever they appear in a request, inside a slot value as much as outside it
// ("a room at the Paradise Hotel" reads as a hotel booking, "a room at the Hilton" may
// not), so a plan made for one request may serve another only when both carry the same
// cues. Everyday words that mean a registry term count as that term (lexicon.Synonyms:
// "an Uber Eats taxi" carries restaurant through "eats"). The zero value (nil) has no
// cues.
type Cues struct {
	set map[string]bool
}

// CuesOf collects the cues of reg's tools.
func CuesOf(reg *tool.Registry) *Cues {
	if reg == nil {
		return nil
	}
	tools := reg.Tools()
	df := map[string]int{}
	for _, t := range tools {
		seen := map[string]bool{}
		ws := append(nameWords(t.Name), Words(t.Description)...)
		for _, p := range t.Params() {
			ws = append(ws, nameWords(p.Name)...)
			ws = append(ws, Words(p.Description)...)
		}
		for _, w := range ws {
			w = Stem(w)
			if len(w) < 3 || functionWords[w] || cueStop[w] || isNumber(w) || seen[w] {
				continue
			}
			seen[w] = true
			df[w]++
		}
	}
	// A word in most tools' descriptions ("user", "given") does not tell them apart.
	common := len(tools) / 2
	c := &Cues{set: make(map[string]bool, len(df))}
	for w, n := range df {
		if len(tools) < 6 || n <= common {
			c.set[w] = true
		}
	}
	return c
}

// Has reports whether w (lower case) is a cue.
func (c *Cues) Has(w string) bool {
	_, ok := c.cue(w)
	return ok
}

// cue returns the cue w stands for: its stem when the registry uses it, else the
// registry's term for it when w is a synonym of one (lexicon.Synonyms: "eats" reads as
// restaurant, "film" as movie).
func (c *Cues) cue(w string) (string, bool) {
	if c == nil {
		return "", false
	}
	s := Stem(w)
	if c.set[s] {
		return s, true
	}
	for _, k := range [...]string{w, s, strings.TrimSuffix(w, "s")} {
		if t, ok := lexicon.Synonyms[k]; ok {
			if t = Stem(t); c.set[t] {
				return t, true
			}
		}
	}
	return "", false
}

// In returns the cues among words (lower case, as Words returns them), stemmed and
// sorted, as often as they occur: "a passport guide for my passport" carries "passport"
// twice, which a request with one passport does not.
func (c *Cues) In(words []string) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, w := range words {
		if s, ok := c.cue(w); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// Signature is what two requests must share, cue for cue, for one's plan to serve the
// other: the cues of the template (the request with its slots replaced by placeholders),
// sorted, and then, slot by slot in order, the slot's GuardKind and the cues of its text.
// The cues of a value are compared with those of the value in the same place, not pooled
// with the rest of the request: "the Example University course at MIT" and "the Computer
// Science course at Example University" both say "university" once, but in other roles.
func (c *Cues) Signature(template string, slots []Slot) []string {
	if c == nil {
		return nil
	}
	var tw []string
	for _, w := range strings.Fields(template) {
		if strings.HasPrefix(w, "<") && strings.HasSuffix(w, ">") {
			continue
		}
		tw = append(tw, Words(w)...)
	}
	out := c.In(tw)
	for _, s := range slots {
		out = append(out, "|"+s.GuardKind())
		out = append(out, c.In(Words(s.Text))...)
	}
	return out
}

// cueStop are words of tool descriptions that describe the call, not what it does.
var cueStop = setOf(`the and for with from into that this these those which what when where who whose
	will would can could should may might must shall use used using uses get gets given give
	based specified specific provided provide provides input output return returns returned
	result results value values parameter parameters argument arguments function tool api
	user users request requests required optional option options information info data
	also other such like one two each any all some more most than then just only very
	new via per its their them they you your our his her has have had been being was were are
	not`)

// nameWords splits a tool or parameter name into lower-case words, as the pattern
// planner does (lexicon.Words): "make_voice_call" -> make voice call,
// "RentalCars.ReserveCar" -> rental cars reserve car.
func nameWords(name string) []string {
	ws := lexicon.Words(name)
	for i, w := range ws {
		ws[i] = strings.ToLower(w)
	}
	return ws
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// Stem strips common English inflections so that "cancelled" and "cancel", "hotels"
// and "hotel" agree. It is deliberately light.
func Stem(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s", "ly"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	if n := len(w); n > 4 && w[n-1] == w[n-2] {
		w = w[:n-1] // cancell -> cancel
	}
	return w
}
