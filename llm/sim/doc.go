// Package sim is planwise's OpenAI-compatible simulator: a test double that speaks the
// real wire format over real HTTP, for tests, benchmarks and demos where no real model is
// reachable. It is never a default, and it says what it is: every response carries the
// header X-Planwise-Sim: true, and chat completions carry system_fingerprint
// "planwise-sim".
//
// Server is an http.Handler serving
//
//   - POST /v1/chat/completions. The request is read from the last user message
//     (prompt.ExtractRequest); the plan comes from the labelled data set (Config.Gold,
//     matched by NormalizeRequest), else from a planner over the tools the request
//     declares (Config.PlannerFor, fed its function tools, or its response schema and the
//     system prompt's tool documentation as prompt.ReadTools reads them), else from
//     Config.Answerer. When nothing plans it the answer is the model's refusal: no steps
//     and the schema's cannot_plan field set to the reason. A request with tools is
//     answered with tool_calls: the plan's steps whose inputs are ready (the earlier
//     results the client reported substituted), and a closing text once all are called.
//     stream: true is answered with chat.completion.chunk server-sent events and
//     "data: [DONE]" (the usage in a last chunk with stream_options.include_usage). A
//     strict json_schema or strict function whose schema OpenAI would refuse
//     (additionalProperties not false, a property not required, a keyword such as
//     default or allOf, a root that is not an object, the size limits) gets OpenAI's 400
//     error body. Config.ModelErrors is the model tier knob: per model, the share of
//     answers made wrong (a wrong tool, a missing argument, a hallucinated name where no
//     enum pins names), drawn from a hash of the seed, model and request. With a json_schema
//     response_format the plan is encoded in exactly the shape that schema asks for
//     (prompt.InspectSchema, Shape.Encode); otherwise as plain plan JSON. Usage is
//     counted with the model's BPE tokenizer (tiktoken-go): 3 tokens per message plus
//     its role and content, 3 to prime the reply, plus the response schema text.
//   - POST /v1/embeddings: deterministic feature-hashing vectors (word unigrams and
//     bigrams, character trigrams; Config.EmbeddingDims, 256 by default, or the request's
//     "dimensions"), L2-normalised, as floats or base64; usage counted.
//   - GET /v1/models.
//
// Latency is drawn per model from a uniform range (gpt-4o-mini 200-500 ms, gpt-4o
// 400-900 ms, others 200-600 ms) scaled by Config.LatencyScale (0, the zero value, means
// no latency); the random source is seeded (Config.Seed), so a run is reproducible for
// the same sequence of requests.
//
// Faults are injected by configuration (Config.Faults: a probability per kind,
// optionally for one model only, so that cascades can be tested), by a script of faults
// request by request (Config.Script, so that a repair round can be tested), or per
// request with the header X-Sim-Fault: <kind> (and X-Sim-Fault-Model: <model> to apply it only when the
// request is for that model). The kinds are listed with FaultKind. Stats counts requests
// per model and injected faults per kind, for test assertions.
//
// A hanging request ends when the client gives up, when Close is called, or after
// Config.HangLimit. Close releases hanging requests; the caller that started the HTTP
// server still shuts it down.
package sim
