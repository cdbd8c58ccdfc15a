package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/planwise/planwise/internal/ids"
)

// MaxRequestIDLen bounds a client's X-Request-ID.
const MaxRequestIDLen = 128

// maxHeaderBytes bounds the request headers a handler accepts (431 past it, as JSON).
// The HTTP server itself reads up to http.DefaultMaxHeaderBytes, so that this check,
// and not net/http's plain-text answer, is the one clients meet.
const maxHeaderBytes = 64 << 10

const requestKey ctxKey = 2

// requestIDHeader is X-Request-ID as net/http keeps and sends it (its canonical form):
// Header.Get and Set given another spelling make the canonical one on every call, an
// allocation each.
const requestIDHeader = "X-Request-Id"

// contentTypeHeader is Content-Type in its canonical form.
const contentTypeHeader = "Content-Type"

// headerGet and headerSet are Header.Get and Set for a key in canonical form
// (TestCanonicalHeaderKeys): Get and Set check the key and canonicalise it again on
// every call, three times a cache hit.
func headerGet(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func headerSet(h http.Header, key, value string) { h[key] = []string{value} }

// requestInfo is what the server knows of a request. edge puts it in the request's
// context, and authenticate fills in the caller: one context value and one copy of the
// *http.Request for both, where a value and a copy each were a tenth of a cache hit's
// garbage.
type requestInfo struct {
	id        string
	made      bool // the server made id: the client sent no X-Request-ID
	principal Principal
	known     bool // authenticate set principal
}

// requestContext is a request's context with its requestInfo in it: one allocation,
// where context.WithValue and the info it held were two. Every other key, the
// parent's cancellation and deadline are the parent's (context.WithCancel and the
// like find the parent's cancelCtx through Value, so no goroutine propagates it).
type requestContext struct {
	context.Context
	info requestInfo
}

func (c *requestContext) Value(key any) any {
	if key == any(requestKey) {
		return &c.info
	}
	return c.Context.Value(key)
}

func requestInfoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestKey).(*requestInfo)
	return info
}

// RequestIDFrom returns the request's id: the client's valid X-Request-ID or a new one.
func RequestIDFrom(ctx context.Context) string {
	if info := requestInfoFrom(ctx); info != nil {
		return info.id
	}
	return ""
}

// historyIDFrom returns the id the request's history record takes: the request id when
// the server made it, else "" (the planner makes one). A client's X-Request-ID is never a
// record's id: the store replaces records by id, so a client reusing another's request
// id, another tenant's included, would replace that record and attach its runs and
// feedback to it (docs/decisions.md).
func historyIDFrom(ctx context.Context) string {
	if info := requestInfoFrom(ctx); info != nil && info.made {
		return info.id
	}
	return ""
}

// validRequestID: 1-128 characters of letters, digits and . _ : - (what tracing systems
// and log pipelines accept as is).
func validRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// newRequestID is time-ordered: also the id of the history record kept of the request
// (historyIDFrom; see ids.New).
func newRequestID() string { return ids.New() }

// edge is the outermost handler: it bounds the headers and gives every request an id
// (echoed in X-Request-ID on every answer, errors included). The requests no route takes
// are answered by unrouted, the front mux's catch-all.
func (s *Server) edge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := headerGet(r.Header, requestIDHeader)
		made := id == ""
		switch {
		case made:
			id = newRequestID()
		case !validRequestID(id):
			w.Header().Set(requestIDHeader, newRequestID())
			writeError(w, http.StatusBadRequest, "invalid_request",
				"X-Request-ID must be 1-128 characters of letters, digits and . _ : -", nil)
			return
		}
		headerSet(w.Header(), requestIDHeader, id)
		r = r.WithContext(&requestContext{Context: r.Context(), info: requestInfo{id: id, made: made}})
		if headerSize(r) > maxHeaderBytes {
			writeError(w, http.StatusRequestHeaderFieldsTooLarge, "invalid_request", "request headers larger than 64 KiB", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unrouted answers, in the API's JSON error shape instead of net/http's plain text, the
// requests no route takes (404, and 405 with the methods allowed). It is the front mux's
// catch-all pattern "/", which every route's pattern is more specific than: a request a
// route takes is looked up once, where asking the routes' mux first whether one does
// looked it up twice (BENCHMARKS.md, issue 13). The front mux still redirects as the
// routes' mux would (a cleaned path, /tree to /tree/) before this runs.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	switch status, allow := s.miss(r); status {
	case http.StatusNotFound:
		writeError(w, http.StatusNotFound, "not_found", "no route "+r.URL.Path+"; see /api/v1/openapi.json", nil)
	case http.StatusMethodNotAllowed:
		if allow != "" {
			w.Header().Set("Allow", allow)
		}
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			r.Method+" is not allowed on "+r.URL.Path+"; allowed: "+allow, nil)
	default:
		s.mux.ServeHTTP(w, r)
	}
}

// miss returns what the routes' mux answers r when no route takes it: 404, or 405 and
// the methods allowed; 0 when a route takes r or the mux redirects it.
func (s *Server) miss(r *http.Request) (status int, allow string) {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		return 0, ""
	}
	rec := &statusOnly{h: http.Header{}}
	s.mux.ServeHTTP(rec, r)
	switch rec.status {
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return rec.status, rec.h.Get("Allow")
	}
	return 0, ""
}

func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// statusOnly records what the mux would answer, without a body.
type statusOnly struct {
	h      http.Header
	status int
}

func (s *statusOnly) Header() http.Header         { return s.h }
func (s *statusOnly) Write(b []byte) (int, error) { return len(b), nil }
func (s *statusOnly) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header; the scheme
// is case-insensitive (RFC 9110, 11.1).
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
