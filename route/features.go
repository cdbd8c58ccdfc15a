package route

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Features are the measurements of a request the analyzers use. Lexical counts are
// occurrences of cue phrases at word boundaries, case-insensitive.
type Features struct {
	Words     int `json:"words"`
	Sentences int `json:"sentences"`
	Commas    int `json:"commas"`
	// Ands counts the coordinating word "and".
	Ands int `json:"ands"`
	// Steps counts multi-step markers ("then", "after that", "finally", ...).
	Steps int `json:"steps"`
	// Conditionals counts "if", "when", "unless", "in case", ...
	Conditionals int `json:"conditionals"`
	// Loops counts "each", "every", "for all", "all of", ...
	Loops int `json:"loops"`
	// References counts words that refer to an earlier result ("it", "the result", ...).
	References int `json:"references"`
	// Parallel counts cues of independent branches ("and also", "meanwhile", "as well
	// as", "at the same time", ...).
	Parallel int `json:"parallel"`
	// FanIn counts cues of a step that joins several results ("both", "these", "all of
	// this", "everything", "together", ...).
	FanIn int `json:"fan_in"`
	// Branches counts conditions that need an "if" step ("if", "unless", "in case",
	// ..., but not an embedded question such as "check if", nor "if needed");
	// Iterations counts loop phrases that need a "for_each" step ("for each", "each
	// of", ...); Concurrent counts strong parallel cues ("meanwhile", "at the same
	// time", ...). The Analyzer's structural rules use them; the model does not.
	Branches   int `json:"branches"`
	Iterations int `json:"iterations"`
	Concurrent int `json:"concurrent"`
	// Clauses is the number of clauses the ClauseMatcher split the request into (0
	// without a matcher).
	Clauses int `json:"clauses"`
	// Tools is the number of distinct tools the clauses matched.
	Tools int `json:"tools"`
	// Unmatched is the number of clauses no tool matched.
	Unmatched int `json:"unmatched"`
	// SecondToolScore is the match score of the second-best distinct tool (0 with fewer
	// than two tools): a weak second tool is often a misreading of a one-step request.
	SecondToolScore float64 `json:"second_tool_score"`
	// ConfidentTools counts distinct tools matched with a score of at least 6.
	ConfidentTools int `json:"confident_tools"`
	// ReferringClauses counts clauses after the first that refer back to an earlier
	// result: data flows between steps.
	ReferringClauses int `json:"referring_clauses"`
}

// The cue phrases, lower case; multi-word phrases match as token sequences. They are
// lookup tables, built into a lexicon once per analyzer.

// stepCues are the multi-step markers: the seed's and a few more.
func stepCues() []string {
	return []string{"then", "after that", "next", "finally", "afterwards", "afterward",
		"followed by", "once", "subsequently", "later", "lastly", "after", "before",
		"first", "when done", "and then"}
}

func conditionalCues() []string {
	return []string{"if", "when", "unless", "in case", "whether", "otherwise",
		"only if", "provided that", "depending on", "as soon as"}
}

func loopCues() []string {
	return []string{"each", "every", "for all", "all of", "for every", "per",
		"repeat", "repeatedly", "all the", "for each", "each of", "every one of"}
}

func referenceCues() []string {
	return []string{"it", "that", "the result", "the results", "them", "this",
		"those", "its", "the output", "the same", "the above", "the previous", "resulting",
		"generated", "obtained", "the confirmation", "the summary"}
}

func parallelCues() []string {
	return []string{"and also", "also", "meanwhile", "as well as", "at the same time",
		"simultaneously", "in parallel", "in addition", "additionally", "along with",
		"while", "plus", "besides", "on top of that", "separately"}
}

func fanInCues() []string {
	return []string{"both", "these", "all of this", "all of these", "all these",
		"everything", "together", "combine", "combined", "compare", "merge", "the two",
		"these tasks", "completing these", "with all", "all of that"}
}

// branchCues and iterationCues are the conditionals and loops that unambiguously need
// an "if" or a "for_each" step ("when" is mostly temporal, "every day" a schedule).
func branchCues() []string {
	return []string{"if", "unless", "in case", "otherwise", "only if", "provided that"}
}

func iterationCues() []string {
	return []string{"for each", "for every", "each of", "for all", "every one of", "repeat", "repeatedly"}
}

// concurrentCues are the parallel cues that say two things happen independently
// ("also" and "plus" mostly just add one more thing to a list).
func concurrentCues() []string {
	return []string{"meanwhile", "at the same time", "simultaneously", "in parallel", "separately"}
}

// ifQuestionBefore and ifHedgeAfter are the words around an "if" that make it an
// embedded question ("check if it matches") or a hedge ("if needed"), not a condition.
func ifQuestionBefore() map[string]bool {
	return set("check", "see", "know", "out", "ask", "determine", "verify", "wonder", "tell",
		"me", "us", "confirm", "detect", "identify", "whether", "analyze", "analyse")
}

func ifHedgeAfter() map[string]bool {
	return set("needed", "necessary", "possible", "any", "applicable", "required", "available", "so", "you")
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// cueSet indexes cue phrases by their first word.
type cueSet map[string][][]string

func newCueSet(phrases []string) cueSet {
	s := cueSet{}
	for _, p := range phrases {
		ws := strings.Fields(p)
		s[ws[0]] = append(s[ws[0]], ws)
	}
	return s
}

// count returns the number of cue occurrences in words and the distinct cues found.
// Overlapping cues starting at the same word count once (the longest).
func (s cueSet) count(words []string, found *[]string) int {
	n := 0
	for i := 0; i < len(words); i++ {
		best := 0
		var bestCue []string
		for _, p := range s[words[i]] {
			if len(p) > best && hasPrefix(words[i:], p) {
				best, bestCue = len(p), p
			}
		}
		if best == 0 {
			continue
		}
		n++
		if found != nil {
			c := strings.Join(bestCue, " ")
			dup := false
			for _, f := range *found {
				if f == c {
					dup = true
					break
				}
			}
			if !dup {
				*found = append(*found, c)
			}
		}
		i += best - 1
	}
	return n
}

func hasPrefix(words, p []string) bool {
	if len(words) < len(p) {
		return false
	}
	for i, w := range p {
		if words[i] != w {
			return false
		}
	}
	return true
}

// lexicon holds the cue sets; built once per analyzer (no package state).
type lexicon struct {
	steps, conditionals, loops, references, parallel, fanIn cueSet
	branches, iterations, concurrent                        cueSet
	ifQuestionBefore, ifHedgeAfter                          map[string]bool
}

func newLexicon() *lexicon {
	return &lexicon{
		steps:        newCueSet(stepCues()),
		conditionals: newCueSet(conditionalCues()),
		loops:        newCueSet(loopCues()),
		references:   newCueSet(referenceCues()),
		parallel:     newCueSet(parallelCues()),
		fanIn:        newCueSet(fanInCues()),
		branches:     newCueSet(branchCues()),
		iterations:   newCueSet(iterationCues()),
		concurrent:   newCueSet(concurrentCues()),

		ifQuestionBefore: ifQuestionBefore(),
		ifHedgeAfter:     ifHedgeAfter(),
	}
}

// cues is what a lexical pass found: the counts and, when asked, the cue phrases.
type cues struct {
	f                                                 Features
	steps, conditionals, loops, refs, parallel, fanIn []string
}

// scan measures the lexical features of request. words is the lower-cased word list.
func (lx *lexicon) scan(request string, keep bool) (cues, []string) {
	words, sentences, commas := tokenize(request)
	var c cues
	c.f.Words, c.f.Sentences, c.f.Commas = len(words), sentences, commas
	for _, w := range words {
		if w == "and" {
			c.f.Ands++
		}
	}
	pick := func(dst *[]string) *[]string {
		if keep {
			return dst
		}
		return nil
	}
	c.f.Steps = lx.steps.count(words, pick(&c.steps))
	c.f.Conditionals = lx.conditionals.count(words, pick(&c.conditionals))
	c.f.Loops = lx.loops.count(words, pick(&c.loops))
	c.f.References = lx.references.count(words, pick(&c.refs))
	c.f.Parallel = lx.parallel.count(words, pick(&c.parallel))
	c.f.FanIn = lx.fanIn.count(words, pick(&c.fanIn))
	c.f.Iterations = lx.iterations.count(words, nil)
	c.f.Concurrent = lx.concurrent.count(words, nil)
	c.f.Branches = lx.branchCount(words)
	return c, words
}

// tokenize lower-cases request into words (letters, digits, apostrophes inside a word)
// and counts sentence ends and commas. Text in quotes still counts: the seed did not
// skip it either, and titles rarely hold cue words.
func tokenize(request string) (words []string, sentences, commas int) {
	words = make([]string, 0, 32)
	start := -1
	sawText := false
	flush := func(end int) {
		if start >= 0 {
			words = append(words, strings.ToLower(request[start:end]))
			start = -1
		}
	}
	for i := 0; i < len(request); {
		r, size := utf8.DecodeRuneInString(request[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			sawText = true
		case r == '\'' || r == '’':
			// Keep "don't" whole; a quote mark outside a word ends it.
			if start < 0 || i+size >= len(request) {
				flush(i)
			} else if n, _ := utf8.DecodeRuneInString(request[i+size:]); !unicode.IsLetter(n) {
				flush(i)
			}
		default:
			flush(i)
			switch r {
			case '.', '!', '?', ';':
				// "example.jpg" and "1.5" do not end a sentence.
				next, _ := utf8.DecodeRuneInString(request[i+size:])
				if sawText && (i+size >= len(request) || unicode.IsSpace(next)) {
					sentences++
					sawText = false
				}
			case ',':
				commas++
			}
		}
		i += size
	}
	flush(len(request))
	if sawText {
		sentences++
	}
	return words, sentences, commas
}

// branchCount counts the branch cues that state a condition: "if" not asked as a
// question ("check if") nor hedged ("if needed").
func (lx *lexicon) branchCount(words []string) int {
	n := 0
	for i, w := range words {
		if lx.branches[w] == nil {
			continue
		}
		for _, p := range lx.branches[w] {
			if !hasPrefix(words[i:], p) {
				continue
			}
			if w == "if" {
				if i > 0 && lx.ifQuestionBefore[words[i-1]] {
					break
				}
				if i+1 < len(words) && lx.ifHedgeAfter[words[i+1]] {
					break
				}
			}
			n++
			break
		}
	}
	return n
}

// maskQuotes replaces the content of every quoted span ('...', "...", ‘...’, “...”)
// with a single placeholder word. Quoted text is data (a title, a message, a passage to
// summarise), not instructions: its sentences, "and"s and "it"s say nothing about the
// plan. An apostrophe inside a word ("I'd", "company's") opens no quote, and a quote
// that is never closed masks nothing.
func maskQuotes(s string) string {
	var b []byte // allocated on the first quoted span only
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		closeRune, ok := quotePair(r)
		if !ok || (r == '\'' && i > 0 && isWordRune(lastRune(s[:i]))) {
			i += size
			continue
		}
		end := findClose(s, i+size, closeRune)
		if end < 0 {
			i += size
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
		}
		b = append(b, s[last:i+size]...)
		b = append(b, "quoted"...)
		_, csize := utf8.DecodeRuneInString(s[end:])
		b = append(b, s[end:end+csize]...)
		i = end + csize
		last = i
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

func quotePair(r rune) (rune, bool) {
	switch r {
	case '\'':
		return '\'', true
	case '"':
		return '"', true
	case '‘':
		return '’', true
	case '“':
		return '”', true
	}
	return 0, false
}

// findClose returns the offset of the closing quote after from: one not followed by a
// letter or digit (for "'", "Bob's" inside a quote does not close it), or -1.
func findClose(s string, from int, closeRune rune) int {
	for j := from; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == closeRune {
			next, _ := utf8.DecodeRuneInString(s[j+size:])
			if j+size >= len(s) || !isWordRune(next) {
				if j > from {
					return j
				}
				return -1 // an empty quote: nothing to mask
			}
		}
		j += size
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
