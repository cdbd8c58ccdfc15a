package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/sony/gobreaker/v2"
)

// selfTyped is an error from another package that knows its class.
type selfTyped struct{}

func (selfTyped) Error() string        { return "plan invalid" }
func (selfTyped) ErrorType() ErrorType { return ValidationError }

func TestClassify(t *testing.T) {
	var syntaxErr *json.SyntaxError
	{
		var v any
		err := json.Unmarshal([]byte(`{"a":`), &v)
		if !errors.As(err, &syntaxErr) {
			// json.Unmarshal reports truncated input as a SyntaxError; keep the table honest.
			t.Fatalf("expected a *json.SyntaxError, got %T", err)
		}
	}
	var typeErr error
	{
		var v struct{ A int }
		typeErr = json.Unmarshal([]byte(`{"A":"x"}`), &v)
	}
	dnsErr := &net.DNSError{Err: "no such host", Name: "nowhere.invalid", IsNotFound: true}
	refused := &url.Error{Op: "Post", URL: "http://127.0.0.1:1", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	netTimeout := &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}}

	tests := []struct {
		name string
		err  error
		want ErrorType
	}{
		{"nil", nil, ""},
		{"typed rate limit", &Error{Type: RateLimitError, Status: 429}, RateLimitError},
		{"typed wrapped", fmt.Errorf("plan: %w", &Error{Type: ServerError, Status: 503}), ServerError},
		{"outermost typed wins", &Error{Type: TimeoutError, Err: &Error{Type: ServerError}}, TimeoutError},
		{"typed with empty type falls through", &Error{Err: context.Canceled}, Canceled},
		{"other package's typed error", fmt.Errorf("repair: %w", selfTyped{}), ValidationError},
		{"deadline", context.DeadlineExceeded, TimeoutError},
		{"wrapped deadline", fmt.Errorf("post: %w", context.DeadlineExceeded), TimeoutError},
		{"canceled", context.Canceled, Canceled},
		{"breaker open", gobreaker.ErrOpenState, CircuitOpen},
		{"breaker half-open full", gobreaker.ErrTooManyRequests, CircuitOpen},
		{"our breaker sentinel", fmt.Errorf("x: %w", ErrCircuitOpen), CircuitOpen},
		{"truncated", ErrTruncated, ParseError},
		{"malformed", fmt.Errorf("decode: %w", ErrMalformedResponse), ParseError},
		{"empty", ErrEmptyResponse, ParseError},
		{"refused", ErrRefused, ParseError},
		{"dns", dnsErr, NetworkError},
		{"connection refused", refused, NetworkError},
		{"net timeout", netTimeout, TimeoutError},
		{"os deadline", os.ErrDeadlineExceeded, TimeoutError},
		{"unexpected eof", fmt.Errorf("read body: %w", io.ErrUnexpectedEOF), NetworkError},
		{"json syntax", fmt.Errorf("parse: %w", syntaxErr), ParseError},
		{"json type", typeErr, ParseError},
		{"unknown", errors.New("something else"), APIError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"429", &Error{Type: RateLimitError, Status: 429}, true},
		{"500", &Error{Type: ServerError, Status: 500}, true},
		{"503 wrapped", fmt.Errorf("x: %w", &Error{Type: ServerError, Status: 503}), true},
		{"timeout", context.DeadlineExceeded, true},
		{"network", &net.OpError{Op: "dial", Err: syscall.ECONNRESET}, true},
		{"409", &Error{Type: APIError, Status: 409}, true},
		{"418", &Error{Type: APIError, Status: 418}, false},
		{"unknown", errors.New("boom"), false},
		{"401", &Error{Type: AuthError, Status: 401}, false},
		{"400", &Error{Type: BadRequestError, Status: 400}, false},
		{"canceled", context.Canceled, false},
		{"circuit open", &Error{Type: CircuitOpen}, false},
		{"validation", &Error{Type: ValidationError}, false},
		{"malformed body", &Error{Type: ParseError, Err: ErrMalformedResponse}, true},
		{"empty body", &Error{Type: ParseError, Err: ErrEmptyResponse}, true},
		{"truncated", &Error{Type: ParseError, Err: ErrTruncated}, false},
		{"refused", &Error{Type: ParseError, Err: ErrRefused}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// ProviderWide tells a failure every model at the endpoint shares (the key refused, no
// connection, no answer in time, a breaker that opened on one of those) from one of the
// model called.
func TestProviderWide(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"401", &Error{Type: AuthError, Status: 401}, true},
		{"403", fmt.Errorf("llm: %w", &Error{Type: AuthError, Status: 403}), true},
		{"connection refused", refused, true},
		{"connection refused, typed", &Error{Type: NetworkError, Err: refused}, true},
		{"breaker opened on unreachable", &Error{Type: CircuitOpen, Err: fmt.Errorf("%w (x: %w)", ErrCircuitOpen, ErrUnreachable)}, true},
		{"breaker opened on 503s", &Error{Type: CircuitOpen, Err: ErrCircuitOpen}, false},
		{"404 model not found", &Error{Type: BadRequestError, Status: 404}, false},
		{"403 model_not_found", &Error{Type: BadRequestError, Status: 403}, false},
		{"400", &Error{Type: BadRequestError, Status: 400}, false},
		{"429", &Error{Type: RateLimitError, Status: 429}, false},
		{"503", &Error{Type: ServerError, Status: 503}, false},
		// No answer in time: a stronger model at the same endpoint is no faster.
		{"attempt timed out", &Error{Type: TimeoutError, Err: fmt.Errorf("attempt timed out after 2s: %w", context.DeadlineExceeded)}, true},
		{"408", &Error{Type: TimeoutError, Status: 408}, true},
		{"timeout", context.DeadlineExceeded, true},
		{"breaker opened on timeouts", &Error{Type: CircuitOpen, Err: fmt.Errorf("%w (x: %w)", ErrCircuitOpen, ErrNoAnswer)}, true},
		{"truncated", &Error{Type: ParseError, Err: ErrTruncated}, false},
		{"canceled", context.Canceled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProviderWide(tt.err); got != tt.want {
				t.Errorf("ProviderWide(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestTypeForStatus(t *testing.T) {
	tests := map[int]ErrorType{
		400: BadRequestError, 401: AuthError, 403: AuthError, 404: BadRequestError,
		408: TimeoutError, 409: APIError, 413: BadRequestError, 418: APIError,
		422: BadRequestError, 429: RateLimitError, 500: ServerError, 502: ServerError,
		503: ServerError, 504: ServerError, 599: ServerError,
	}
	for status, want := range tests {
		if got := TypeForStatus(status); got != want {
			t.Errorf("TypeForStatus(%d) = %q, want %q", status, got, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"seconds", map[string]string{"Retry-After": "2"}, 2 * time.Second},
		{"fractional seconds", map[string]string{"Retry-After": "0.5"}, 500 * time.Millisecond},
		{"http date", map[string]string{"Retry-After": now.Add(3 * time.Second).Format(http.TimeFormat)}, 3 * time.Second},
		{"past date", map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"ms wins", map[string]string{"Retry-After": "2", "Retry-After-Ms": "150"}, 150 * time.Millisecond},
		{"bad ms falls back", map[string]string{"Retry-After": "2", "Retry-After-Ms": "soon"}, 2 * time.Second},
		{"negative", map[string]string{"Retry-After": "-1"}, 0},
		{"garbage", map[string]string{"Retry-After": "later"}, 0},
		{"absurd", map[string]string{"Retry-After": "1e300"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := ParseRetryAfter(h, now); got != tt.want {
				t.Errorf("ParseRetryAfter(%v) = %s, want %s", tt.header, got, tt.want)
			}
		})
	}
}

func TestErrorMessageAndUnwrap(t *testing.T) {
	cause := errors.New("upstream said no")
	e := &Error{Type: RateLimitError, Status: 429, RetryAfter: 2 * time.Second, Provider: "openai", Model: "gpt-4o-mini", Attempts: make([]Attempt, 3), Err: cause}
	want := "llm openai/gpt-4o-mini: RateLimitError (HTTP 429) retry after 2s after 3 attempts: upstream said no"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, cause) {
		t.Error("errors.Is does not reach the cause")
	}
}
