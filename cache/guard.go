package cache

import (
	"slices"
	"strings"

	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/slot"
)

// normalize is the exact-path key text: lower case, runs of white space as one space,
// no leading or trailing white space or sentence punctuation. Case is folded because the
// exact path re-extracts and re-binds slots anyway ("email bob" finds no name slot, so
// it cannot be served the plan stored for "email Bob" unless the plan never used it).
func normalize(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, " .?!")
}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// shape is what the guards compare, computed once per request.
type shape struct {
	polarity []string // sorted polarity words of the template
	roles    []string // role words and slot placeholders, in order
	kinds    []string // slot kinds, sorted
	words    wordList // words of the normalised request
	content  wordList // stemmed content words of the template
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

func shapeOf(template string, slots []slot.Slot, normalized string) shape {
	var sh shape
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
	sh.words = newWordList(words(normalized))
	var content []string
	for _, w := range words(template) {
		if len(w) > 1 && !slot.IsFunctionWord(w) && !fillerWords[w] && !isPlaceholder(w) {
			content = append(content, slot.Stem(w))
		}
	}
	sh.content = newWordList(content)
	return sh
}

// isPlaceholder reports whether w is a slot kind as words() leaves it from "<kind>".
func isPlaceholder(w string) bool {
	switch w {
	case "quoted", "number", "money", "percent", "date", "time", "email", "url", "phone", "file", "name", "enum":
		return true
	}
	return false
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

// DefaultMaxWordEdits is the default Config.MaxWordEdits: off. Measured with the local
// embedder (`planwise eval cache --sweep --max-word-edits K`, 2000+2000 pairs, seed 1):
// at equal hit rate the guard removed no more hard-negative wrong plans than a higher
// threshold did (CLINC150 hardest different-intent pairs: 179 wrong at K=2/0.60 vs 171
// at no limit/0.65, both ~6% hit rate), and on GPTCache's mock data a higher threshold
// kept more right answers for the same error (no limit/0.80: 130 right, 3 wrong; K=2/0.80:
// 42 right, 2 wrong). It stays available for deployments that prefer misses.
const DefaultMaxWordEdits = -1

// fillerWords carry politeness or phrasing, not meaning; they never count as edits.
var fillerWords = setOf(`please can could would will should kindly just really also
	want wanna need like tell know help show give let lets hey hi hello thanks thank
	what whats how hows which where wheres when who whos why is are was were am be do does did
	there here some any much many`)

// words splits s into lower-case words of letters and digits (apostrophes dropped).
func words(s string) []string { return slot.Words(s) }

// guard compares the shapes of the cached and the new request and returns the miss
// reason, or "" when they agree.
func guard(cached, cur shape) Reason {
	if !slices.Equal(cached.polarity, cur.polarity) {
		return MissGuardNegation
	}
	if !slices.Equal(cached.kinds, cur.kinds) {
		return MissGuardSlots
	}
	if !slices.Equal(cached.roles, cur.roles) {
		return MissGuardRoles
	}
	return ""
}

// grounded reports whether every literal word the plan copied from the cached request
// also appears in the new request (slot.Grounded).
func grounded(p *plan.Plan, cached, cur wordList) bool {
	return slot.Grounded(p, cached.has, cur.has)
}
