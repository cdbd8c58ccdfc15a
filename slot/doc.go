// Package slot finds the typed values ("slots") in a natural-language request, turns the
// request into a template with those values abstracted away, and re-binds a plan made for
// one request to the slot values of another.
//
// Three components depend on this contract: the semantic plan cache keys entries on
// Template and re-binds cached plans on a hit, the history planner re-binds the plan of
// the most similar past request, and the pattern planner fills tool arguments from the
// slots of a clause.
//
// # Extraction
//
// An Extractor is built once (NewExtractor) from the enum values of the tool registry
// (EnumsOf) and a clock for relative dates, and is then safe for concurrent use. Extract
// scans the request once, left to right, and at each word boundary tries the recognisers
// in a fixed priority: quoted strings, URLs, e-mail addresses and file names, money,
// dates, times, phone numbers, percentages, numbers, enum values and finally proper names.
// The first recogniser that matches wins and scanning resumes after the match, so the
// slots returned are non-overlapping and in order of their byte offsets.
//
// Slot.Text is the span as written; Slot.Value is its normalised form: dates YYYY-MM-DD
// (relative dates such as "tomorrow" or "next Friday" resolved against Options.Now, and
// dates without a year resolved to the next such day on or after today), times HH:MM on a
// 24-hour clock, numbers without grouping commas or trailing fractional zeros (leading
// zeros are kept: "02139" is a postcode, not 2139), money "<amount> <ISO code>", phone
// numbers as digits with a leading '+', e-mail addresses lowercased, quoted strings
// without their quotes, enum values spelt as the registry spells them.
//
// A quoted e-mail address, URL, file name, date, time, phone number or amount is a slot
// of that kind ('bob@example.com' is an Email), other quoted text is Quoted. A house
// number followed by a street name ("123 Main St") is one Name. A capitalised word that
// starts a sentence is a Name only with more evidence (a possessive, inner capitals, a
// following capitalised word): "Weather in Paris" has one name, not two.
//
// Polarity and role words ("on", "off", "to", "from", "yes", "no", ...) are never slots,
// even when some tool lists them as enum values: they decide what a request means, so
// they stay in the template.
//
// # Templates
//
// Template lowercases the request, replaces each slot by "<kind>" and reduces every run of
// punctuation and white space to one space. Two requests that differ only in slot values
// share a template; requests that differ in any other word do not.
//
// # Re-binding
//
// Rebind(p, from, to) returns a copy of p in which every value that came from a slot of
// the old request (from) carries the corresponding slot of the new request (to) instead.
// Slots pair up by kind, in order. Rebind refuses (an error wrapping ErrUnbound) whenever
// it cannot show that the result is what a planner would have produced for the new
// request: different kinds or counts, a changed slot whose value the plan never used (it
// may have influenced the plan in a way Rebind cannot see), or one old value that would
// have to become two different new values.
package slot
