// Package history is planwise's learning loop: the execution-history feature store and
// what is learnt from it.
//
// # Records
//
// The planner records every planning request once, after it answered, as a Record: the
// request, its slots, template and embedding, the route (tier, model), the prompt
// variant and experiment, where the plan came from, the plan, whether the first answer
// was valid (and the validation issue codes and failing "tool.arg" fields when it was
// not), the error type, latency, tokens and cost. Execution outcomes (RecordRun) and
// people's feedback (RecordFeedback) are attached later by the record's id. That id is
// planwise's own, never a client's X-Request-ID (Record.RequestID, which two requests
// may share): a client cannot overwrite, or attach to, another request's record.
//
// History.Record fills what the caller left empty (template, slots and embedding, all
// computed the same way as queries are, so that stored and query vectors are
// comparable), marks the record as a retry when the same API key asked a similar
// request within Options.RetryWindow, and persists it through a Store. store/sqlite
// implements Store; MemoryStore is for tests and for running without persistence.
//
// # The success pool
//
// Records that can teach are kept in an in-memory vector index, one per namespace
// (tenant, registry version): nothing crosses namespaces, so a changed tool catalogue
// starts from an empty pool. A record is in the pool when it has a plan, no error, its
// source is trusted (Options.LearnFrom: by default the LLM, people and imports; an
// offline planner's guess only after positive feedback), its execution did not fail and
// nobody rated it bad. RecordRun with a failed run and RecordFeedback with a negative
// rating take a record out. New rebuilds the pool from the store at start-up.
//
// Two consumers read the pool:
//
//   - Examples: dynamic few-shot examples for the prompt, the most similar successful
//     past requests above a similarity floor, one per template, picked for diversity in
//     the tools they use (maximal marginal relevance).
//   - Similar: the nearest past plans for the history planner (histplan.History), which
//     re-binds slots, applies guards and validates; History.Planner builds one.
//
// # Experiments
//
// Prompt A/B experiments split traffic between prompt variants by a hash of the
// experiment id and the request text (deterministic: the same request always gets the
// same variant). Per-variant statistics are computed from the records that carry the
// experiment id; a two-proportion z-test on plan validity, over the plans the model made
// with each arm's prompt, decides significance. The model's refusals ("no tool fits")
// are answers, not invalid plans: they are counted and tested beside validity, and an
// arm that refuses significantly more is not promoted unless a person names it. A winner
// is promoted by hand (Promote) or automatically (AutoPromote, once every arm has
// MinSamples plans and p < Alpha). After promotion Assign returns the winner for
// everyone. The automatic promotion's counts (Tally) are kept by the store when it is a
// TallyStore (MemoryStore, store/sqlite and store/postgres are), in the transaction that
// writes each record, so a restart does not start a running experiment over and replicas
// sharing the store count together; otherwise they are counted again from the stored
// records at start-up and after a prune. Either way they are the stored records' counts:
// records deleted by retention (Prune) leave the test as they leave ExperimentReport.
//
// # Insights
//
// Insights groups failures in a time window by tool, argument, error type and request
// template and turns the strongest signals into suggestions with their evidence: which
// tool argument to document better, which request patterns need a worked example or a
// stronger tier, which prompt variant falls back more.
//
// # Wiring into the request path
//
// Recording must stay off the request path (a durable SQLite insert costs milliseconds):
// the planner enqueues records on a Queue whose Run goroutine the caller owns, and the
// queue writes them in batches, applying run outcomes and feedback in order. A record is
// therefore written after its request was answered: a stop (Run's context done) writes
// everything queued, and a crash loses what the queue holds, at most
// Queue.MaxUnwritten records, those enqueued within Queue.Linger and one batch's write
// while the writer keeps up (serve: history.flush_interval and history.max_unflushed). Before the
// LLM call the planner asks Assign for the prompt variant and Examples for dynamic
// few-shot examples; the history planner (History.Planner) is the first offline
// fallback, reading the history of the query's tenant (query.Query.Tenant). IssuesOf turns a
// validation error into Record.IssueCodes and IssueFields.
//
// A History is safe for concurrent use and owns no goroutines.
package history
