// Package offline holds the planners that work without an LLM: the pattern planner
// (Pattern) and the history planner. The request path falls back to them, in that order
// after the history planner, when no model is configured or the model fails; a plan from
// either has passed plan.Validate against the registry it was made for.
//
// Both return a *plan.Plan or an error wrapping ErrCannotPlan (a *CannotPlanError saying
// why and which clauses were not understood). They never make up a plan: a tool is only
// used when a clause of the request matches it with enough confidence and every required
// argument can be filled from the request itself (a typed slot, a clearly stated phrase),
// from the tool's own schema default, or from an earlier step's output.
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
//     names, numbers, enum values) and by cues around the slot ("from X to Y", "at X",
//     "in X", "about X"); free-text parameters (topic, query, content, ...) take the
//     phrase the clause states for them. A required parameter that names an entity the
//     request does not give (an ID, a "restaurant_name" after "find a restaurant") is
//     filled from an earlier or an inserted producer step whose output schema has that
//     field, or whose name the parameter's description cites ("extracted from the Search
//     Airport API"). A tool whose required arguments cannot be filled is not used.
//  4. References and ordering: a clause that refers back to an earlier result ("the
//     confirmation", "it", "the result", "them", "the summary", "that") fills its free-
//     text argument with a reference to the previous step (${sN}, or ${sN.field} when
//     the producer declares a string field), which is a dependency edge. When a clause
//     is sequenced by an explicit temporal marker ("then", "after that", "finally",
//     "once ...") and no data flows between the two steps, the later step gets an
//     ordering-only "after" edge: the user asked for that order, and an executor that
//     ran the steps in parallel would not honour it. Clauses joined by "and", "also" or a
//     comma stay independent and may run in parallel.
package offline
