// Package lexicon holds the English word knowledge that several stages share: which
// everyday words mean the terms tool authors write (text -> sms, film -> movie, eat ->
// restaurant). It is data, not logic, so that the pattern planner and the plan cache's
// guards can never disagree about what a word refers to.
package lexicon

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
	"retrieve": "get", "fetch": "get", "obtain": "get", "show": "get", "give": "get", "provide": "get", "display": "get", "list": "get", "return": "get",
	// media
	"watch": "play", "listen": "play", "stream": "play",
	"song": "music", "track": "music", "tune": "music",
	"film": "movie", "cinema": "movie",
	"article": "news", "headline": "news",
	// travel and places
	"fly": "flight", "plane": "flight", "airline": "flight",
	"cab":    "taxi",
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
	"printout": "print",
	"film's":   "movie",
}
