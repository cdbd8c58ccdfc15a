package pattern

import (
	"regexp"
	"strings"
)

// A reason is what went wrong (or happened) as people write it ("one of the mugs
// arrived chipped", "we sent the wrong colour", "it got there 4 days late") and the
// words a reason enum writes its values with (damaged_in_transit, wrong_item_sent,
// late_delivery). A value is named by one of a reason's alternatives when its first
// words begin with the alternative's ("damag" names damaged and damaged_in_transit, not
// water_damage, whose damage is a water's); the first alternative that names exactly
// one value of the enum gives it.
type reason struct {
	says   *regexp.Regexp
	values [][]string
}

// reasons are tried in order: what a thing arrived as ("arrived chipped": damaged)
// comes before that it arrived (received).
var reasons = []reason{
	{regexp.MustCompile(`(?i)\b(chipped|cracked|broken|smashed|shattered|torn|ripped|dented|scratched|crushed|squashed|damaged|bent|stained|snapped|water[- ]damaged)\b`),
		[][]string{{"damag"}, {"broken"}}},
	{regexp.MustCompile(`(?i)\b(wrong size|too (small|big|large|tight|loose|short|long)|(doesn'?t|does not|didn'?t|did not|don'?t|do not) fit)\b`),
		[][]string{{"doesnt", "fit"}, {"does", "not", "fit"}, {"fit"}, {"wrong", "size"}, {"wrong", "item"}}},
	{regexp.MustCompile(`(?i)\b(wrong (colou?r|item|one|book|product|thing|model|version|style|edition|variant|flavou?r|title|order|mug|shirt|part)s?|not what (i|we|she|he|they) ordered|sent (me |us |her |him |them )?the wrong)\b`),
		[][]string{{"wrong", "item"}, {"wrong", "product"}, {"incorrect", "item"}}},
	{regexp.MustCompile(`(?i)\bwrong address\b`),
		[][]string{{"wrong", "address"}}},
	{regexp.MustCompile(`(?i)\b(never (arrived|came|showed( up)?|turned up|got here|got there|delivered)|(didn'?t|did not|hasn'?t|has not) (arrive|come|show up|turn up)|missing|lost in the post|not in the box)\b`),
		[][]string{{"missing"}, {"lost"}, {"not", "received"}, {"never", "arrived"}}},
	{regexp.MustCompile(`(?i)\b(\d+ (days?|weeks?) late|arrived late|came late|got there late|late delivery|delivered late|delayed|took (forever|ages|weeks))\b`),
		[][]string{{"late"}, {"delay"}}},
	{regexp.MustCompile(`(?i)\b(faulty|defective|(doesn'?t|does not|won'?t|will not) (work|turn on|switch on|charge|start)|stopped working|dead on arrival|malfunction(ing|s)?)\b`),
		[][]string{{"defective"}, {"faulty"}, {"not", "working"}}},
	{regexp.MustCompile(`(?i)\b(changed? (my|her|his|their|our) mind|change of mind|(don'?t|doesn'?t|do not|does not|no longer) (want|need)s? (it|them|this|that)?)\b`),
		[][]string{{"changed", "mind"}, {"change", "mind"}, {"mind"}, {"no", "longer", "needed"}, {"unwanted"}}},
	{regexp.MustCompile(`(?i)\b(charged (me |us |her |him |them )?twice|double[- ]charged|duplicate|ordered (it )?twice|two of the same)\b`),
		[][]string{{"duplicate"}}},
	{regexp.MustCompile(`(?i)\b(not as described|(isn'?t|is not|wasn'?t|was not|aren'?t|are not) what the (photos?|pictures?|listing|description) (showed|show|said|says))\b`),
		[][]string{{"not", "as", "described"}}},
	{regexp.MustCompile(`(?i)\b(customer|buyer|client|she|he|they) (now )?(wants?|asked|requested|would like) to cancel\b`),
		[][]string{{"customer", "request"}, {"requested", "by", "customer"}}},
	{regexp.MustCompile(`(?i)\b(cycle count|recount(ed)?|stock ?take|stock count|miscount(ed)?)\b`),
		[][]string{{"stock", "count"}, {"recount"}, {"count"}}},
	{regexp.MustCompile(`(?i)\b(sending (it |them )?back|sent (it |them )?back|customer return(ed|s)?)\b`),
		[][]string{{"returned"}, {"return"}}},
	{regexp.MustCompile(`(?i)\b(received|recieved|came in|delivery (came|arrived)|just arrived)\b`),
		[][]string{{"received"}, {"new", "batch"}}},
}

// reasonValue returns the value of enum parameter pr that text says happened, by
// reasons, or false when text says none or names two values at once.
func reasonValue(pr *paramInfo, text string) (int, bool) {
	for _, r := range reasons {
		at := r.says.FindAllStringIndex(text, -1)
		said := false
		for _, m := range at {
			said = said || !negatedBefore(text[:m[0]])
		}
		if !said {
			continue
		}
		for _, alt := range r.values {
			pick := -1
			for i, v := range pr.Enum {
				if !valueBegins(v, alt) {
					continue
				}
				if pick >= 0 {
					return -1, false // (two values of one reason: say which)
				}
				pick = i
			}
			if pick >= 0 {
				return pick, true
			}
		}
	}
	return -1, false
}

// valueBegins reports whether enum value v's first words begin with words.
func valueBegins(v string, words []string) bool {
	vw := valueWords(v)
	if len(vw) < len(words) {
		return false
	}
	for i, w := range words {
		if !strings.HasPrefix(vw[i], w) {
			return false
		}
	}
	return true
}

// negatedBefore reports whether the words just before a phrase negate it ("it is not
// damaged", "nothing was broken").
func negatedBefore(before string) bool {
	ws := strings.Fields(strings.ToLower(before))
	if len(ws) > 3 {
		ws = ws[len(ws)-3:]
	}
	for _, w := range ws {
		w = strings.Trim(w, ",.;:!?")
		if negations[w] || strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t") {
			return true
		}
	}
	return false
}

// reasonParam reports whether pr says why or what kind of thing happened: a reason, a
// cause, a type or category of loss or damage.
func reasonParam(pr *paramInfo) bool {
	n := strings.ToLower(pr.Name + " " + pr.Description)
	for _, w := range []string{"reason", "cause", "why", "type", "kind", "category"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// reasonTook reports whether word w of text lies in a reason's phrase whose value a
// reason parameter of ti took in args ("sent" of "got sent the wrong colour", for
// reason: wrong_item).
func reasonTook(text, w string, ti *toolInfo, args map[string]any) bool {
	for _, r := range reasons {
		for _, m := range r.says.FindAllString(text, -1) {
			if !strings.Contains(strings.ToLower(m), w) {
				continue
			}
			for pi := range ti.params {
				pr := &ti.params[pi]
				v, ok := args[pr.Name].(string)
				if !ok || pr.kind != pEnum || !reasonParam(pr) {
					continue
				}
				for _, alt := range r.values {
					if valueBegins(v, alt) {
						return true
					}
				}
			}
		}
	}
	return false
}
