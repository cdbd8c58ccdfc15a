package llm

import (
	"context"
	"time"
)

// Op is the kind of a call, named as the GenAI semantic conventions name operations
// (gen_ai.operation.name).
type Op string

// Operations of a Client.
const (
	OpChat       Op = "chat"
	OpEmbeddings Op = "embeddings"
)

// Call is one call through a Client as its Observer sees it: what was asked and, once
// it has ended, everything it took. Observers read it and must not change it.
type Call struct {
	Op       Op
	Provider string
	// Model is the model asked for.
	Model string

	// Attempts grows as attempts end; Usage sums theirs.
	Attempts []Attempt
	Usage    Usage
	// Set when the call ends: its cost at the Client's price table, its wall time
	// (waits included), the answer of a chat call that succeeded, or the *Error.
	CostUSD  float64
	Elapsed  time.Duration
	Response *Response
	Err      error
}

// Observer is told what a Client does, as data: observers receive the call and its
// attempts and can neither change them nor make the Client wait, so that metrics and
// traces stay out of the call's logic. Start and End bracket every call (End runs
// whatever the outcome); Attempt runs as each attempt ends, inside the retry loop, so it
// must be quick. Implementations must be safe for concurrent use.
type Observer interface {
	// Start returns the context of the call: its attempts run under it and End gets
	// it, so that a span it starts is the parent of the provider's HTTP spans.
	Start(ctx context.Context, call *Call) context.Context
	Attempt(ctx context.Context, call *Call, a Attempt)
	End(ctx context.Context, call *Call)
}
