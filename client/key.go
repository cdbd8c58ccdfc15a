package client

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/planwise/planwise/planner"
)

// KeyEnv is the environment variable the planwise CLI's client commands (stats, bench
// load, history, insights and experiments with --server) read the API key from when
// their flags give none: it keeps the key out of the process list. It is not
// configuration (only PLANWISE_SECTION__KEY variables are), and New never reads it.
const KeyEnv = "PLANWISE_API_KEY"

// DefaultTimeout bounds each request of the planwise CLI's client commands unless their
// --timeout says otherwise.
const DefaultTimeout = 30 * time.Second

// KeyOrEnv is key, or else the value of $PLANWISE_API_KEY (KeyEnv).
func KeyOrEnv(key string) string { return cmp.Or(key, os.Getenv(KeyEnv)) }

// Key is the API key a client command of the planwise CLI was given: key (--api-key),
// else the content of file without surrounding white space (--api-key-file), else
// $PLANWISE_API_KEY. Giving both key and file is an error, as is a file that cannot be
// read.
func Key(key, file string) (string, error) {
	if file == "" {
		return KeyOrEnv(key), nil
	}
	if key != "" {
		return "", errors.New("give --api-key or --api-key-file, not both")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--api-key-file: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// KeyHint says how a client command of the planwise CLI gives the server an API key.
// Explain adds it to a call the server refused for its key; bench load to a run whose
// requests were refused.
const KeyHint = "the server requires an API key: pass --api-key or --api-key-file, or set $" + KeyEnv

// IsUnauthorized reports whether err is the server refusing the call's credentials
// (401 or 403).
func IsUnauthorized(err error) bool {
	e, ok := errors.AsType[*Error](err)
	return ok && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// IsCannotPlan reports whether err is a planner's refusal, "no tool fits the request"
// (code cannot_plan): a *planner.Error from a planner in this process (the offline
// planners found nothing, or the model answered cannot_plan) or a server's 422
// cannot_plan (*Error). A planning that failed for another reason is no refusal: a
// deadline spent, a provider unavailable or refusing its key with nothing planned
// offline (unavailable), a bad request or model, a rate limit, a server not reached or
// refusing the call's key. The planwise CLI's plan and run exit 2 on a refusal only.
func IsCannotPlan(err error) bool {
	if pe, ok := planner.AsError(err); ok {
		return pe.Code == planner.CodeCannotPlan
	}
	e, ok := errors.AsType[*Error](err)
	return ok && e.StatusCode == http.StatusUnprocessableEntity && e.Code == planner.CodeCannotPlan
}

// Explain words err, a failed call, for a person running one of the planwise CLI's
// client commands, the same way for every command: a call that got no answer names the
// server and --server; a call refused for its credentials (IsUnauthorized) gives the
// server's message and KeyHint. Any other error, and nil, is returned as it is. The
// error returned wraps err (errors.As still finds the *Error or *NetError).
func Explain(err error) error {
	if ne, ok := errors.AsType[*NetError](err); ok {
		return &explained{fmt.Sprintf("cannot reach the planwise server at %s: %v (is `planwise serve` running? set --server)", ne.Base, ne.Err), err}
	}
	if e, ok := errors.AsType[*Error](err); ok && IsUnauthorized(err) {
		return &explained{fmt.Sprintf("%s %s: %s (%s)", e.Method, e.Path, cmp.Or(e.Message, strings.TrimSpace(string(e.Body))), KeyHint), err}
	}
	return err
}

// explained is an error worded for people, its cause kept for errors.As.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }
