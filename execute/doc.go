// Package execute runs a validated plan: it calls the tools, in parallel where the plan
// allows, and reports what each step did.
//
// # Who calls it
//
// The planner, the CLI (`planwise run`) and the server build one Executor per tool
// registry with New, call Run once per plan, and call Close when they are done (it stops
// the MCP server processes and sessions the executor started). An Executor is safe for
// concurrent use by many runs.
//
// # Scheduling
//
// A plan is a DAG: a step depends on every step it references in its arguments, its
// for_each or its condition, and on the steps listed in its after. Run starts a step as
// soon as all of its dependencies have finished, so independent steps run in parallel, as
// in LLMCompiler. At most Concurrency tool calls (default 8) are in flight in one run,
// whether they come from separate steps or from the elements of a for_each loop, and a loop
// has at most LoopConcurrency elements in flight (default: Concurrency).
//
// # References
//
// An argument that is exactly one reference ("${s1.items}") takes the referenced value
// with its JSON type. References embedded in a longer string are interpolated: strings
// as they are, numbers and booleans as JSON literals, objects and arrays as compact JSON.
// A path that does not exist in the producer's output is a step error naming the
// reference and the fields the output does have. When the producer was simulated (its
// output is invented), a missing path yields a placeholder of the type the consumer's
// input schema expects instead, a for_each over a simulated value that is not an array
// loops once over that value, and a condition that cannot be evaluated on simulated
// outputs counts as true: dry runs go through every branch they can.
//
// # Conditions, loops and skipping
//
// A step's if is a CEL expression (plan.CompileCondition) over earlier steps' outputs,
// bound by step id. When it is false the step is skipped, and every step that reads a
// skipped step's output (in its arguments, its for_each or its condition) is skipped too;
// a step that only orders itself after a skipped step (after) still runs. A step whose
// dependency failed or was skipped for a failure is skipped with a reason naming the
// failed step; independent branches keep running and their results are kept.
//
// A for_each step calls its tool once per element of the referenced array, with ${item}
// bound to the element; its output is the list of per-element outputs, in order. When the
// condition mentions item it is evaluated per element and the elements for which it is
// false are left out of the output (a filter); otherwise it is evaluated once for the
// whole step.
//
// # Timeouts, retries and cancellation
//
// Each tool call (one attempt, one loop element) is bounded by a timeout: the tool's own
// (RunSpec.HTTP.TimeoutMS) when it declares one, else RunOptions.StepTimeout, else the
// executor's default (30 s). A failed call is retried with exponential backoff and jitter
// only when the tool is Idempotent and the error is not permanent (bad arguments, a
// refused address, an HTTP 4xx other than 408 and 429). Cancelling the context stops the
// run: calls in flight are cancelled, steps not yet started are reported as canceled, and
// the run's status is canceled.
//
// # Status
//
// A run succeeded when no step failed or was cancelled (steps skipped by a false condition
// are normal); it is partial when some step failed and some other step succeeded; failed
// when steps failed and none succeeded; canceled when the context ended it.
//
// # Tools
//
// A Runner runs a tool of one kind (tool.Tool.RunKind): built-in (BuiltinRunner: HTTP
// requests with private-address blocking, JSON extraction, arithmetic, templates, time),
// HTTP webhooks (WebhookRunner), MCP servers (MCPRunner, with ListMCPTools to import a
// server's tools), Go functions of the embedding program (GoRunner, tools built with
// tool.Func) and simulated tools (SimulatedRunner), whose outputs are declared or
// generated deterministically from the output schema; their steps carry Simulated: true.
// With RunOptions.DryRun every tool runs simulated.
//
// # Network policy
//
// http_request and webhooks share one guard (NetPolicy), enforced when the connection is
// made, on the address actually dialled: loopback, private (RFC 1918, fc00::/7),
// link-local (including 169.254.169.254), unspecified, multicast, CGNAT (100.64.0.0/10)
// and other special-purpose addresses are refused unless the host is allow-listed, so a
// public name that resolves to a private address and a redirect to one are refused too.
// Redirects are followed at most 5 times and each hop is checked again. A webhook's own
// declared host is trusted because the operator configured it (a tool file is
// configuration, like the allow-list); its redirects to other hosts are not.
//
// # Records
//
// RunStore persists results with their RunMeta and user Feedback; store/sqlite implements
// it. Run does not save anything itself: the caller decides what to record.
package execute
