package execute

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Limits bound what one run may do and hold, so that no plan (one ~25 KB plan that
// doubled a string through 18 steps grew a server to 1.47 GB) can exhaust the process or
// turn one API call into thousands of outbound calls. A zero field takes its default;
// a negative one turns that limit off.
type Limits struct {
	// RunTimeout bounds a whole run (default 5 min); the run then fails with the steps
	// still running canceled.
	RunTimeout time.Duration
	// MaxArgBytes bounds one tool call's resolved arguments as JSON (default 1 MiB):
	// interpolation stops as soon as it would pass it.
	MaxArgBytes int
	// MaxOutputBytes bounds one tool call's output as JSON (default 4 MiB).
	MaxOutputBytes int
	// MaxRunBytes bounds the outputs of all of a run's steps together (default 16 MiB).
	MaxRunBytes int
	// MaxLoopItems bounds the elements of one for_each (default 1,000).
	MaxLoopItems int
	// MaxCalls bounds the real (not simulated) tool calls of one run, retries and loop
	// elements included (default 1,000).
	MaxCalls int
}

// Default limits.
const (
	DefaultRunTimeout     = 5 * time.Minute
	DefaultMaxArgBytes    = 1 << 20
	DefaultMaxOutputBytes = 4 << 20
	DefaultMaxRunBytes    = 16 << 20
	DefaultMaxLoopItems   = 1000
	DefaultMaxCalls       = 1000
)

func (l *Limits) defaults() {
	set := func(v *int, d int) {
		switch {
		case *v == 0:
			*v = d
		case *v < 0:
			*v = int(^uint(0) >> 1)
		}
	}
	set(&l.MaxArgBytes, DefaultMaxArgBytes)
	set(&l.MaxOutputBytes, DefaultMaxOutputBytes)
	set(&l.MaxRunBytes, DefaultMaxRunBytes)
	set(&l.MaxLoopItems, DefaultMaxLoopItems)
	set(&l.MaxCalls, DefaultMaxCalls)
	if l.RunTimeout == 0 {
		l.RunTimeout = DefaultRunTimeout
	}
}

// LimitError is a step that would pass one of the run's Limits. It is permanent.
type LimitError struct {
	// Limit names the configuration key (execute.max_arg_bytes, ...).
	Limit string
	Msg   string
}

func (e *LimitError) Error() string { return e.Msg + " (limit " + e.Limit + ")" }

// ErrRunDeadline is the cause of a run stopped by Limits.RunTimeout.
var ErrRunDeadline = errors.New("the run's deadline passed")

// jsonSize returns the size of v encoded as JSON, stopping early once it passes limit
// (the returned size is then > limit but not exact). It allocates nothing for the plain
// JSON values the executor works with.
func jsonSize(v any, limit int) int {
	n := 0
	var walk func(v any)
	walk = func(v any) {
		if n > limit {
			return
		}
		switch t := v.(type) {
		case nil:
			n += 4
		case bool:
			n += 5
		case string:
			n += len(t) + 2
			if !utf8.ValidString(t) {
				n += len(t) // replacement characters
			}
		case int64, float64, int, json.Number, float32, int32:
			n += 8
		case map[string]any:
			n += 2
			for k, x := range t {
				n += len(k) + 4
				walk(x)
				if n > limit {
					return
				}
			}
		case []any:
			n += 2
			for _, x := range t {
				n++
				walk(x)
				if n > limit {
					return
				}
			}
		default:
			b, err := json.Marshal(t)
			if err != nil {
				n += 16
				return
			}
			n += len(b)
		}
	}
	walk(v)
	return n
}

func bytesText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
