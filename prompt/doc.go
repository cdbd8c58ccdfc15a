// Package prompt turns a tool registry and a request into what an LLM is sent, and the
// model's structured answer back into a plan.Plan.
//
// It has three parts, used by the planner in this order:
//
//   - CompileSchema compiles the registry into the JSON Schema sent as the OpenAI
//     response_format (json_schema, strict: true). In ModePinned the schema pins every
//     tool name and its argument names: steps are an anyOf with one branch per tool. When
//     the registry does not fit OpenAI's strict-mode limits, or a tool's input schema uses
//     something strict mode cannot express, ModeGeneric is used instead: the tool is an
//     enum of all names (when that fits) and the arguments are a list of {name, value}
//     pairs whose value is a JSON-encoded string. Either way plan.Validate decides
//     afterwards; the schema only narrows what the model can say.
//
//   - Builder renders the messages: a system prompt (what a plan is, the rules, the tool
//     documentation rendered from the registry, curated worked examples shipped in
//     prompt/examples), optional dynamic few-shot examples from history, the request
//     between <request> delimiters (ExtractRequest recovers it), and for the one repair
//     round the previous answer with the exact validation errors. Prompt.Version is a
//     short hash that changes whenever the rendered template, the variant, the registry
//     or the curated example set changes; it namespaces the plan cache.
//
//   - DecodePlan reads the model's content in the mode the schema was compiled in and
//     returns a plan.Plan, or a *DecodeError that wraps ErrMalformed or ErrTruncated.
//     EncodePlan (and Shape.Encode, which fills the nulls a strict schema demands) is the
//     inverse, used by the simulator and by the examples shown to the model.
//
// # References in a pinned schema
//
// An argument value may be a reference "${sN.path}" to an earlier step's output, whatever
// the argument's declared type. A plain string argument already admits it. Every other
// argument (a number, a boolean, an enum, a formatted string, an array or an object)
// becomes anyOf [the translated type, {"$ref": "#/$defs/ref"}] where $defs.ref is a
// string whose pattern only matches a single reference. Optional arguments are required
// (strict mode demands it) but nullable; DecodePlan turns nulls back into absent
// arguments. Empty "after", "if" and "for_each" mean none. A free-form value (an object
// without declared properties, such as a map of HTTP headers) cannot be expressed in
// strict mode: it travels as JSON text inside a wrapper object {"__json": "..."}
// ($defs.json), which DecodePlan recognises and replaces with the decoded value.
//
// Everything here is pure and safe for concurrent use; a Builder is immutable once built.
package prompt
