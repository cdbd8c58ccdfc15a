// Package llm is the contract between planwise and the language models it calls.
//
// # Who uses it
//
// The planner builds a [Request] (model, messages, an optional strict JSON schema in
// [ResponseFormat]) and calls [Client.Complete]. Implementations live in sub-packages
// and never import each other: llm/openai speaks to any OpenAI-compatible endpoint through
// the official SDK, llm/sim is the test double. Callers depend only on this package, so
// no SDK type leaks past it.
//
// # Errors
//
// Every failure is classified once, here, into an [ErrorType]. Providers return *[Error]
// with the type, the HTTP status and any Retry-After the server sent; [Classify] turns any
// error (context deadlines, network errors, breaker rejections, errors that implement
// ErrorType() ErrorType) into the same taxonomy, so metrics, logs and the fallback policy
// agree on what happened. [Retryable] is the single retry policy:
//
//   - retried: RateLimitError (429), ServerError (5xx), TimeoutError of one attempt,
//     NetworkError, HTTP 408/409, and ParseError when the response body itself was
//     malformed or empty (a transport or server glitch, so a second attempt usually
//     differs);
//   - not retried: AuthError, BadRequestError, other APIErrors, ValidationError,
//     CircuitOpen, Canceled, and ParseError for truncated output (finish_reason "length":
//     the same request would be cut at the same budget) or a refusal. Those are the
//     planner's to handle (repair round, cascade to a stronger tier, offline fallback).
//
// [ProviderWide] is the cascade's policy: it reports the failures another model at the
// same endpoint would meet too (the key refused, the endpoint unreachable or not
// answering in time, a breaker that opened on one of those and says so by wrapping
// [ErrUnreachable] or [ErrNoAnswer]). A provider that serves models from several
// endpoints says which serves a model ([Endpointer], [Client.Endpoint]); the planner
// climbs over a provider-wide failure only to a model served elsewhere.
//
// # The pipeline
//
// [Client] is the one LLM-call pipeline: it wraps any Provider (the small plug-in that
// speaks one API; SDK retries off) with the policies every call gets, composed once:
// the [Observer]'s call (a span), cost metering with a [PriceTable], the one retry loop
// and the circuit breakers, and the Observer's attempts (metrics). Chat completions
// ([Client.Complete]) and embeddings ([Client.Embed], [Embedder] for the semantic cache)
// go through the same chain and share the breakers of their provider and model. Every
// attempt comes back as data ([Attempt]: model, error type, usage, duration) on the
// [Response] or the *[Error], with the call's usage and cost, so that a caller accounts
// from what it gets back and nothing rides in the context. Observers receive the same
// data and cannot change a call. [Budget] refuses a call whose estimated cost would take
// the day's spending past a cap; the caller asks it before the call.
//
// The retry loop: exponential backoff with full jitter, Retry-After honoured up to a
// cap, a circuit breaker per provider and model (sony/gobreaker), an optional
// per-attempt timeout, and the request deadline as a hard bound: the loop never starts a
// wait that would end past the deadline, it returns the last typed error instead.
//
// The backoff is hand-rolled because full jitter (a uniform draw in
// [0, min(max, base·2^n)]) is three lines, while cenkalti/backoff only offers
// proportional randomisation and keeps per-loop state that would cost an allocation per
// call. The breaker counts attempts, not requests, and only transient failures (see
// [BreakerConfig]). A refused API key is not transient and is not counted there: it
// holds the endpoint instead ([ResilienceConfig].AuthHold), and until the hold ends
// calls to it fail at once with an AuthError wrapping [ErrAuthHeld], without an attempt.
//
// # Tokens and prices
//
// [CountTokens] and [CountMessages] count tokens offline with the BPE tables embedded in
// github.com/tiktoken-go/tokenizer (o200k_base for the gpt-4o, gpt-4.1, gpt-5 and o-series
// families, cl100k_base otherwise); nothing is downloaded. [PriceTable] holds USD prices
// per million tokens, loaded from the embedded prices.yaml and optionally overridden by a
// user file with the same layout ([LoadPrices]).
package llm
