package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sony/gobreaker/v2"
)

// ErrorType is the class of a failure, the label metrics report as error_type.
type ErrorType string

// The error taxonomy. The string values are stable: they appear in metrics, logs and the
// HTTP API.
const (
	// RateLimitError: HTTP 429; carries the server's Retry-After when it sent one.
	RateLimitError ErrorType = "RateLimitError"
	// TimeoutError: the request deadline or one attempt's timeout passed, or HTTP 408.
	TimeoutError ErrorType = "TimeoutError"
	// APIError: an HTTP status not covered by a more specific type, or an unclassified error.
	APIError ErrorType = "APIError"
	// ServerError: HTTP 5xx.
	ServerError ErrorType = "ServerError"
	// AuthError: HTTP 401, or a 403 that is not about one model: the provider refuses
	// the API key (or its organisation, project or region). A configuration problem,
	// never retried, and the same for every model of the provider (ProviderWide).
	AuthError ErrorType = "AuthError"
	// BadRequestError: HTTP 400, 404, 413 or 422, and a 403 whose error code is
	// "model_not_found" (OpenAI's answer when the project may not use that model): the
	// request is wrong, never retried.
	BadRequestError ErrorType = "BadRequestError"
	// ParseError: the response could not be used: a malformed or non-JSON body, an empty
	// answer, a refusal, or output truncated at the token limit.
	ParseError ErrorType = "ParseError"
	// ValidationError: the model's plan parsed but failed plan.Validate (set by the planner).
	ValidationError ErrorType = "ValidationError"
	// CircuitOpen: the circuit breaker for this provider and model rejected the call.
	CircuitOpen ErrorType = "CircuitOpen"
	// Canceled: the caller canceled the context.
	Canceled ErrorType = "Canceled"
	// NetworkError: the connection failed (refused, reset, DNS, TLS, closed mid-body).
	NetworkError ErrorType = "NetworkError"
)

// Causes a provider wraps in *Error so that callers can tell apart the kinds of
// ParseError (and test for them with errors.Is).
var (
	// ErrTruncated: the model stopped at the token limit (finish_reason "length").
	ErrTruncated = errors.New("output truncated at the token limit")
	// ErrMalformedResponse: the response body was not the JSON the API promises.
	ErrMalformedResponse = errors.New("malformed response body")
	// ErrEmptyResponse: the response had no choices or no content.
	ErrEmptyResponse = errors.New("empty response")
	// ErrRefused: the model refused to answer (the refusal text is in the message).
	ErrRefused = errors.New("model refused")
	// ErrCircuitOpen: the circuit breaker rejected the call without calling the provider.
	ErrCircuitOpen = errors.New("circuit breaker open")
	// ErrUnreachable is wrapped, with ErrCircuitOpen, by the rejection of a breaker
	// whose last counted failure was a NetworkError: the provider's endpoint could not
	// be reached.
	ErrUnreachable = errors.New("the provider could not be reached")
	// ErrNoAnswer is wrapped, with ErrCircuitOpen, by the rejection of a breaker whose
	// last counted failure was a TimeoutError: the provider's endpoint did not answer in
	// time (an attempt timed out, the provider said 408, or an attempt was cut by the
	// caller's deadline after BreakerConfig.SlowCall).
	ErrNoAnswer = errors.New("the provider did not answer in time")
)

// Error is a classified failure of a provider call.
type Error struct {
	Type ErrorType
	// Status is the HTTP status, 0 when there was no HTTP response.
	Status int
	// RetryAfter is the wait the server asked for (Retry-After or retry-after-ms), 0 if none.
	RetryAfter time.Duration
	// Provider and Model identify the endpoint, as in metrics labels.
	Provider, Model string
	// Attempts lists the calls the Client made before giving up, first to last; empty
	// when none was made (the circuit breaker refused, or the context had ended).
	Attempts []Attempt
	// Usage is what the failed call still consumed and will be billed for (a truncated
	// or refused completion); zero when the provider reported nothing.
	Usage Usage
	// CostUSD is what Usage costs at the Client's price table. Set by the Client.
	CostUSD float64
	// Err is the underlying cause.
	Err error
}

// Error reports the provider, model, type, status and cause; never credentials.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("llm")
	if e.Provider != "" || e.Model != "" {
		b.WriteString(" ")
		b.WriteString(e.Provider)
		if e.Model != "" {
			b.WriteString("/")
			b.WriteString(e.Model)
		}
	}
	b.WriteString(": ")
	b.WriteString(string(e.Type))
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " retry after %s", e.RetryAfter)
	}
	if len(e.Attempts) > 1 {
		fmt.Fprintf(&b, " after %d attempts", len(e.Attempts))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrorType returns e.Type, so that Classify finds it through any wrapping.
func (e *Error) ErrorType() ErrorType { return e.Type }

// typed is implemented by errors that know their class. *Error implements it; other
// packages (the planner's validation failure, the simulator) may too.
type typed interface {
	error
	ErrorType() ErrorType
}

// Classify returns the class of any error: the outermost error in the chain that knows
// its type (*Error or any error with an ErrorType() ErrorType method) wins; otherwise
// context cancellation -> Canceled, deadlines and net timeouts -> TimeoutError, breaker
// rejections -> CircuitOpen, other network errors and unexpected EOF -> NetworkError,
// JSON syntax errors -> ParseError, anything else -> APIError. Classify(nil) is "".
func Classify(err error) ErrorType {
	if err == nil {
		return ""
	}
	if t, ok := errors.AsType[typed](err); ok {
		if et := t.ErrorType(); et != "" {
			return et
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return TimeoutError
	case errors.Is(err, ErrCircuitOpen), errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
		return CircuitOpen
	case errors.Is(err, ErrTruncated), errors.Is(err, ErrMalformedResponse), errors.Is(err, ErrEmptyResponse), errors.Is(err, ErrRefused):
		return ParseError
	}
	if ne, ok := errors.AsType[net.Error](err); ok {
		if ne.Timeout() {
			return TimeoutError
		}
		return NetworkError
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return NetworkError
	}
	if _, ok := errors.AsType[*json.SyntaxError](err); ok {
		return ParseError
	}
	if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return ParseError
	}
	return APIError
}

// Retryable reports whether another attempt of the same request may succeed. It is the
// one retry policy of planwise; see the package documentation for the reasoning.
func Retryable(err error) bool {
	switch Classify(err) {
	case RateLimitError, ServerError, TimeoutError, NetworkError:
		return true
	case APIError:
		// 409 is a transient lock conflict on OpenAI's side (the SDK retries it too).
		if e, ok := errors.AsType[*Error](err); ok {
			return e.Status == http.StatusConflict
		}
		return false
	case ParseError:
		return errors.Is(err, ErrMalformedResponse) || errors.Is(err, ErrEmptyResponse)
	default:
		return false
	}
}

// ProviderWide reports whether err is a failure of the provider's endpoint rather than
// of the model the call named, so that a call to another model at the same endpoint
// (the same base URL, the same API key) would fail the same way: the key refused
// (AuthError), no connection to the endpoint (NetworkError, after the Client's retries),
// no answer in time (TimeoutError: the attempts timed out or the provider said 408; a
// stronger model is no faster), or a circuit breaker that refused the call after its
// last failure was one of those (ErrUnreachable, ErrNoAnswer). A model the provider does
// not know or does not let the key use (404, 403 model_not_found), a rate limit, a 5xx
// or a bad answer are the model's: another model may do better. The planner's cascade
// to a stronger tier asks it, and climbs over such a failure only to a model served at
// another endpoint (Client.Endpoint), since at the same one it would only repeat it.
func ProviderWide(err error) bool {
	switch Classify(err) {
	case AuthError, NetworkError, TimeoutError:
		return true
	case CircuitOpen:
		return errors.Is(err, ErrUnreachable) || errors.Is(err, ErrNoAnswer)
	default:
		return false
	}
}

// TypeForStatus maps an HTTP error status to its ErrorType. Providers and the simulator
// use it so that a status means the same thing everywhere.
func TypeForStatus(status int) ErrorType {
	switch {
	case status == http.StatusTooManyRequests:
		return RateLimitError
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return AuthError
	case status == http.StatusBadRequest, status == http.StatusNotFound,
		status == http.StatusRequestEntityTooLarge, status == http.StatusUnprocessableEntity:
		return BadRequestError
	case status == http.StatusRequestTimeout:
		return TimeoutError
	case status >= 500 && status <= 599:
		return ServerError
	default:
		return APIError
	}
}

// ParseRetryAfter reads the wait a server asked for from the response headers:
// retry-after-ms (milliseconds, OpenAI's extension) takes precedence over Retry-After,
// which is either delta-seconds (fractions accepted) or an HTTP date, relative to now.
// It returns 0 when there is no usable value: negative, past, unparsable or absurd
// (a day or more) values count as none.
func ParseRetryAfter(h http.Header, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && ms < float64(maxRetryAfterHeader/time.Millisecond) {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s > 0 && s < float64(maxRetryAfterHeader/time.Second) {
			return time.Duration(s * float64(time.Second))
		}
		return 0
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 && d < maxRetryAfterHeader {
			return d
		}
	}
	return 0
}

// maxRetryAfterHeader bounds what ParseRetryAfter accepts, so that a hostile or broken
// header cannot overflow a Duration; the Client applies its own, much smaller, cap.
const maxRetryAfterHeader = 24 * time.Hour
