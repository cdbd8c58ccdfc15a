// Package cache is planwise's semantic plan cache: it answers a request with a plan that
// was made (by an LLM, and validated) for an earlier request meaning the same thing, and
// it must practically never answer with a plan that is wrong for the new request.
//
// # Lookup
//
// Lookup runs, within one Namespace (registry version, prompt version, model tier and
// tenant; nothing crosses namespaces):
//
//  1. normalise the request (case, white space, trailing punctuation) and extract its
//     typed slots (slot.Extractor with the registry's enum values) and template;
//  2. exact fast path: an entry stored under the same normalised text;
//  3. otherwise embed the template (not the raw text, so "email Bob" and "email Alice"
//     are the same request with different slots) and search the namespace's index;
//  4. for each candidate above the calibrated similarity threshold, best first, run the
//     reuse kernel (package reuse, which the history planner runs too) with every
//     guard: the polarity and negation words of both requests agree (not/no/never,
//     on/off, enable/disable, lock/unlock, buy/sell, ...); the slot kinds and counts
//     agree (slot.GuardKind: an address-like name is not a company name, a quoted
//     question not a quoted title); the role words and slots appear in the same order
//     ("from X to Y" is not "to X from Y"); both requests carry the same cues, the words
//     the registry uses to tell its tools apart (slot.Cues: "voice call" is not "video
//     call"), in the template and slot by slot inside the values ("a room at the
//     Paradise Hotel" is not "a room at the Hilton"); and no slot value recurs elsewhere
//     in either request when values change ("a pizza ... at Pizza");
//  5. re-bind the cached plan to the new slot values (slot.Rebind: a plan whose changed
//     slots cannot all be re-bound, or whose distinct values would merge, is a miss);
//     every literal word the plan copied from the cached request must appear in the new
//     one (so "lights in the kitchen" never serves "lights in the bedroom" when the room
//     is not a recognised slot), and every phrase it copied must be copied verbatim and
//     from the same context (slot.PhrasesGrounded: "the floor of my house" does not
//     serve "the floor in my house"); then re-validate it with plan.Validate, unless
//     the re-binding changed nothing (the entry's own plan passed plan.Validate when it
//     was stored, or on its first serve when it was loaded, and the namespace pins the
//     registry version).
//
// The exact path re-binds and re-validates too: "remind me tomorrow" stored yesterday
// resolves "tomorrow" to a different date today.
//
// A hit's plan does not carry the reasoning of the plan stored: that is the model's words
// about the request it was made for, which it quotes, and the caller of a hit may be
// another user of the tenant. Its reasoning says it was served from the cache
// (ReasoningExact for the same request, ReasoningSemantic for one of the same template,
// re-bound). Its goal is the caller's request as written: the model's goal restates the
// first request in its words, and re-binding would rewrite only its slots. The entry
// keeps the model's reasoning and goal, and Hit.CachedRequest names the request for the
// operator.
//
// Every lookup returns a LookupResult whose Reason says why it hit or missed, for
// metrics. A nil Hit is a miss; an error is returned only when the lookup itself failed
// (the embedder failed, the context ended).
//
// # Lifecycle
//
// Store accepts only plans that pass plan.Validate and is idempotent (the same
// normalised request in the same namespace has one entry; storing again replaces its
// plan). Entries expire after Config.TTL, the least recently used are evicted above
// Config.Capacity, Evict removes one on negative feedback, InvalidateNamespace and
// Retain drop whole namespaces (a new registry or prompt version is a new namespace, so
// old entries are never served; Retain frees them). A Store persists entries so that a
// restart keeps the cache: New loads every entry, re-embedding those whose embedder
// changed. store/sqlite implements Store; NewMemoryStore is for tests and for running
// without persistence.
//
// A Cache is safe for concurrent use and owns no goroutines.
package cache
