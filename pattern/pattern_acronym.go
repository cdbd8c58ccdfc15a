package pattern

// Acronyms: "rps on the api-gateway" asks for the request rate of a catalogue whose
// metric enum glosses request_rate as "requests per second". A request's short word of
// consonants, or of capitals, that no tool uses is read as the enum value whose gloss
// it abbreviates, when exactly one phrase of the catalogue has its initials.

import (
	"strings"
)

// acronymsOf returns, by initials, the phrases of two to four words that texts hold
// (each phrase within one sentence, starting and ending with a word that is no stop
// word), leaving out initials that several phrases share.
func acronymsOf(texts []string) map[string]string {
	out := map[string]string{}
	ambiguous := map[string]bool{}
	for _, text := range texts {
		for _, sentence := range sentenceSplit.Split(text, -1) {
			for _, part := range strings.FieldsFunc(sentence, func(r rune) bool { return strings.ContainsRune(",:;()\"", r) }) {
				ws := strings.Fields(strings.ToLower(part))
				for i := range ws {
					for n := 2; n <= 4 && i+n <= len(ws); n++ {
						seq := ws[i : i+n]
						if !lettersOnly(seq) || stopWords[seq[0]] || stopWords[seq[n-1]] {
							continue
						}
						var initials strings.Builder
						for _, w := range seq {
							initials.WriteByte(w[0])
						}
						key, phrase := initials.String(), strings.Join(seq, " ")
						if have, ok := out[key]; ok && have != phrase {
							ambiguous[key] = true
						}
						out[key] = phrase
					}
				}
			}
		}
	}
	for k := range ambiguous {
		delete(out, k)
	}
	return out
}

// glossedAcronyms keeps the acronyms whose phrase glosses an enum value in its
// parameter's description ("request_rate is requests per second"), pointed at that
// value as people write it ("request rate"): the value is what the acronym asks for.
// Other phrases of the catalogue are too many to read a short word as one of them ("AI"
// is no "array indexes", "LA" no "list all").
func glossedAcronyms(acronyms map[string]string, tools []*toolInfo) map[string]string {
	out := map[string]string{}
	for key, phrase := range acronyms {
		for _, ti := range tools {
			for pi := range ti.params {
				pr := &ti.params[pi]
				desc := strings.ToLower(pr.Description)
				for _, v := range pr.Enum {
					lv := strings.ToLower(v)
					k := strings.Index(desc, lv)
					if k < 0 {
						continue
					}
					g := desc[k+len(lv):]
					if e := strings.IndexAny(g, ";,.("); e >= 0 {
						g = g[:e]
					}
					g = strings.TrimSpace(g)
					for _, lead := range []string{"is ", "means ", "= ", ": ", "- "} {
						g = strings.TrimPrefix(g, lead)
					}
					if g == phrase || strings.HasPrefix(g, phrase+" ") {
						out[key] = strings.NewReplacer("_", " ", "-", " ").Replace(lv)
					}
				}
			}
		}
	}
	return out
}

// lettersOnly reports whether every word of ws is made of ASCII letters.
func lettersOnly(ws []string) bool {
	for _, w := range ws {
		if w == "" || !isLetters(w) {
			return false
		}
	}
	return true
}

// expandAcronyms writes out the acronyms of request that the catalogue's phrases spell
// (see acronymsOf): words of two to four letters, all consonants or all capitals, that
// are no term of any tool.
func (p *Pattern) expandAcronyms(request string) string {
	if len(p.acronyms) == 0 {
		return request
	}
	var out strings.Builder
	last, changed := 0, false
	for i := 0; i < len(request); {
		if !isASCIILetter(request[i]) || i > 0 && (isASCIILetter(request[i-1]) || isDigitByte(request[i-1]) || request[i-1] == '-' || request[i-1] == '_' || request[i-1] == '.') {
			i++
			continue
		}
		j := i
		for j < len(request) && isASCIILetter(request[j]) {
			j++
		}
		w := request[i:j]
		if j < len(request) && (isDigitByte(request[j]) || request[j] == '-' || request[j] == '_' || request[j] == '.' && j+1 < len(request) && isASCIILetter(request[j+1])) {
			i = j
			continue // part of a code, a name or an address
		}
		if len(w) >= 2 && len(w) <= 4 && (strings.ToUpper(w) == w || !strings.ContainsAny(strings.ToLower(w), "aeiouy")) {
			lw := strings.ToLower(w)
			if phrase, ok := p.acronyms[lw]; ok && !stopWords[lw] {
				if _, known := p.ix.idf[lw]; !known {
					out.WriteString(request[last:i])
					out.WriteString(phrase)
					last, changed = j, true
				}
			}
		}
		i = j
	}
	if !changed {
		return request
	}
	out.WriteString(request[last:])
	return out.String()
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
