// Package lexicon holds the English word knowledge that several stages share: which
// everyday words mean the terms tool authors write (text -> sms, film -> movie, eat ->
// restaurant), and how names are cut into words. The pattern planner and the plan
// cache's guards share it so that they never disagree about what a word is or refers
// to.
package lexicon

import (
	"unicode"
	"unicode/utf8"
)

// Synonyms map a word (lower case, lightly stemmed) to the term tool authors use for
// it, so that the words people use reach the words of tool names and descriptions: the
// pattern planner indexes under these terms, and the plan cache reads a word as a tool
// cue when its term is one (slot.Cues).
var Synonyms = map[string]string{
	// messaging and calls
	"text": "sms", "texting": "sms", "txt": "sms",
	"ring": "call", "dial": "call", "phone": "phone",
	"e-mail": "email", "mail": "email",
	// booking and buying
	"reserve": "book", "reservation": "book", "booking": "book",
	"purchase": "buy",
	// finding and getting
	"find": "search", "look": "search", "lookup": "search", "locate": "search", "seek": "search",
	"retrieve": "get", "fetch": "get", "obtain": "get", "show": "get", "give": "get", "provide": "get", "display": "get", "list": "get",
	// media
	"watch": "play", "listen": "play", "stream": "play",
	"song": "music", "track": "music", "tune": "music",
	"film": "movie", "cinema": "movie",
	"article": "news", "headline": "news",
	// kinds of result
	"related": "similar", "alike": "similar",
	"realtime": "current",
	"overview": "detail", "biography": "detail", "bio": "detail", "profile": "detail",
	// travel and places
	"fly": "flight", "plane": "flight", "airline": "flight",
	"cab": "taxi", "ride": "taxi", // "get me a ride" orders a taxi, "get me a taxi" a ride
	"dinner": "restaurant", "lunch": "restaurant", "table": "restaurant", "eat": "restaurant", "dine": "restaurant",
	"accommodation": "hotel", "lodging": "hotel", "motel": "hotel",
	// everyday tasks
	"wake": "alarm", "alarm": "alarm",
	"discussion": "meeting", "conference": "meeting",
	"physician": "doctor", "dr": "doctor",
	"attorney": "lawyer", "solicitor": "lawyer",
	"settle": "pay", "payment": "pay",
	"invoice": "bill",
	"jot":     "note", "memo": "note",
	"tweet": "share", "post": "share",
	"printout":  "print",
	"far":       "distance", // "how far is it from Denver to Salt Lake City"
	"folder":    "directory",
	"structure": "tree", // "the folder structure of ~/site"
	"todo":      "todo",
	"snow":      "weather", "rain": "weather", "umbrella": "weather", // "will it snow in Denver on Saturday", "will I need an umbrella"
	// units of measure, by their full names: "how many kilograms is 165 lbs" asks for
	// a conversion between units ("pound" is left out: it is a currency as often;
	// fahrenheit and celsius too: a weather request names them as often as a conversion)
	"kilogram": "unit", "lbs": "unit", "gram": "unit", "ounce": "unit",
	"mile": "unit", "kilometer": "unit", "kilometre": "unit", "meter": "unit", "metre": "unit",
	"centimeter": "unit", "centimetre": "unit", "feet": "unit", "foot": "unit", "inch": "unit",
	"gallon": "unit", "liter": "unit", "litre": "unit", "milliliter": "unit", "millilitre": "unit",
	"remind": "reminder",
	"film's": "movie",
	// the short forms people type: "my dentist appt", "what meds am I on", "4 ppl"
	"appt": "appointment", "appts": "appointment", "meds": "prescription", "rx": "prescription",
	// a medication is what a prescription is for: "what meds am I on" lists the prescriptions
	"medication": "prescription", "medicine": "prescription",
	"ppl": "people", "msg": "message", "msgs": "message", "pic": "photo", "pics": "photo",
	// and the ones API authors write in names as often as in full: "the Apdex config"
	// is delete_apdex_configuration's, "repo" a repository's
	"config": "configuration", "info": "information", "repo": "repository",
	"env": "environment", "stat": "statistic", "img": "image", "qty": "quantity",
	"acct": "account", "dept": "department", "addr": "address",
	// "stick it in sprint 43", "shove it in the Iceland album": what is put somewhere
	"stick": "put", "shove": "put",
	// "turn on international roaming" is what a tool that switches it on or off does
	"turn": "switch", "toggle": "switch",
	// irregular past forms read as their verbs: "the percentage of the battery kept back"
	// is what "keep 30% in the battery" asks for
	"kept": "keep", "sent": "send", "paid": "pay", "bought": "buy", "sold": "sell",
	"spent": "spend", "taken": "take", "took": "take",
	"held": "hold", "told": "tell", "built": "build", "wrote": "write",
	"written": "write", "chosen": "choose", "brought": "bring", "caught": "catch",
}

// Words splits text into words, as written: runs of letters and digits, also split where a lower-case
// letter is followed by an upper-case one (CamelCase) and where letters meet digits.
func Words(text string) []string {
	var out []string
	start := -1
	var prev rune
	for i, r := range text {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !alnum {
			if start >= 0 {
				out = append(out, text[start:i])
				start = -1
			}
			prev = r
			continue
		}
		if start >= 0 && (unicode.IsLower(prev) && unicode.IsUpper(r) ||
			unicode.IsLetter(prev) && unicode.IsDigit(r) || unicode.IsDigit(prev) && unicode.IsLetter(r)) {
			out = append(out, text[start:i])
			start = i
		}
		if start < 0 {
			start = i
		}
		prev = r
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	// Split runs of capitals followed by a capitalised word: "APIKey" -> "API", "Key".
	for i := 0; i < len(out); i++ {
		w := out[i]
		for j := 1; j+1 < len(w); j++ {
			r0, _ := utf8.DecodeRuneInString(w[j-1:])
			r1, _ := utf8.DecodeRuneInString(w[j:])
			r2, _ := utf8.DecodeRuneInString(w[j+1:])
			if unicode.IsUpper(r0) && unicode.IsUpper(r1) && unicode.IsLower(r2) && j > 1 {
				out = append(out[:i+1], out[i:]...)
				out[i], out[i+1] = w[:j], w[j:]
				break
			}
		}
	}
	return out
}
