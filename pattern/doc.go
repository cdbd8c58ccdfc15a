// Package pattern is the pattern planner (Pattern): it plans without an LLM. The request
// path falls back to it, after the history planner (package histplan), when no model is
// configured or the model fails; a plan from it has passed plan.Validate against the
// registry it was made for.
//
// It returns a *plan.Plan or an error wrapping plan.ErrCannotPlan (a *plan.CannotPlanError
// saying why and which clauses were not understood). It never makes up a plan: a tool is
// only used when a clause of the request matches it with enough confidence and every
// required argument can be filled from the request itself (a typed slot, a clearly stated
// phrase), from the tool's own schema default, or from an earlier step's output.
//
// # The pattern planner
//
// NewPattern indexes the registry once (BM25 over each tool's name split into words, its
// description, its parameter names and descriptions, and its examples, with light
// stemming and a small synonym table); a Pattern is then immutable and safe for
// concurrent use. Plan works in four stages:
//
//  1. Clauses: the request is split at sentence ends and at sequencing words ("then",
//     "and then", "after that", "afterwards", "finally", "next", "once ...", "also", and
//     "and" or a comma followed by a verb), never inside a slot (quoted strings, names,
//     dates, ...).
//  2. Matching: each clause is scored against every tool; the best tool above the
//     confidence threshold is kept. Clauses without a confident match are dropped (and
//     listed in the error if no clause matched).
//  3. Arguments: slots of the clause (see package slot) are assigned to parameters by
//     schema type and format (dates, times, e-mail addresses, phone numbers, URLs, file
//     names, numbers, enum values), by cues around the slot ("from X to Y", "at X",
//     "in X", "about X") and by the examples a parameter's description lists ("eg. buy,
//     sell"). A required parameter still empty then takes, in order: a typed slot stated
//     elsewhere in the request (the dates of a trip serve its hotel); an earlier step's
//     output field of the same name; the schema's default (or one the description
//     states); a reference to an earlier result the clause points at; the output of a
//     producer step, earlier or inserted now, whose output schema has the field (an ID,
//     a "restaurant_name" after "find a restaurant", the airlines a round-trip search
//     returns for its reservation) and that belongs to the consumer's family of tools or
//     is cited by the parameter's description ("extracted from the Search Airport API");
//     and, for free text only, the phrase the clause states for it (topic, query,
//     content, instruction). Identifiers and counts are never read from a phrase. A tool
//     whose required arguments cannot be filled is not used; a runner-up tool of the
//     same family may be tried instead.
//  4. References and ordering: a clause that refers back to an earlier result ("the
//     confirmation", "it", "the result", "them", "the summary", "that") fills its free-
//     text argument with a reference to the previous step (${sN}, or ${sN.field} when
//     the producer declares a string field), which is a dependency edge. When a clause
//     is sequenced by an explicit temporal marker ("then", "after that", "finally",
//     "once ...") and no data flows between the two steps, the later step gets an
//     ordering-only "after" edge: the user asked for that order, and an executor that
//     ran the steps in parallel would not honour it. Clauses joined by "and", "also" or a
//     comma stay independent and may run in parallel.
package pattern
