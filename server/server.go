// Package server exposes planwise over HTTP. It only translates HTTP to library calls:
// decoding and size-limiting requests, authentication, status codes and JSON encoding.
// Planning, execution, metrics and learning live in their own packages.
//
// Endpoints (all JSON; see the OpenAPI document at /api/v1/openapi.json):
//
//	POST /api/v1/plan         plan a request
//	GET  /api/v1/tools        the tool registry
//	GET  /healthz             the process is alive
//	GET  /readyz              the process can serve (registry loaded, store reachable)
//	GET  /api/v1/openapi.json the OpenAPI 3.1 document
//
// Authentication is optional: when API keys are configured every /api/ request needs
// "Authorization: Bearer <key>"; the key selects the tenant. Keys are never logged.
package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	segjson "github.com/segmentio/encoding/json"
	"go.opentelemetry.io/otel/trace"

	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/tool"
)

// APIKey is an accepted bearer token and its tenant.
type APIKey struct {
	Key, Tenant, Name string
	// Admin keys see every tenant's metrics and alerts; others see their tenant's only.
	Admin bool
}

// Config configures the HTTP server.
type Config struct {
	Addr         string
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	MaxBodyBytes int64
	// BodyTimeout bounds the wait for a request body (default 5 s).
	BodyTimeout time.Duration
	// DrainDelay: on shutdown /readyz answers 503 "draining" for this long while
	// requests are still served, so that load balancers stop sending new ones before
	// the listener closes.
	DrainDelay time.Duration
	APIKeys    []APIKey
	Logger     *slog.Logger
}

// Ready reports whether a dependency is ready; used by /readyz.
type Ready func(ctx context.Context) error

// Server is the HTTP API.
type Server struct {
	cfg     Config
	planner *planner.Planner
	mux     *http.ServeMux // the routes
	// front is mux's routes and the catch-all "/" (unrouted) that answers what none
	// takes; nil when a route takes every request itself (a pattern "/" of all methods).
	front *http.ServeMux
	keys  map[[32]byte]APIKey
	// tenantKeys are the key ids of each tenant, for scoping metrics.
	tenantKeys map[string][]string
	draining   atomic.Bool
	ready      []Ready
	// degraded report what runs degraded without failing readiness.
	degraded []func() []string
	log      *slog.Logger
	limiter  *keyLimiter
	tracer   trace.TracerProvider // nil: not traced
	root     http.Handler         // mux, wrapped in the HTTP server span when traced
	routes   []string             // every pattern registered, in order (Routes)
	exact    exactRoutes          // the routes a request's method and path name exactly
}

// Option adds capabilities to the server.
type Option func(*Server)

// WithReadiness adds a readiness check to /readyz.
func WithReadiness(r Ready) Option { return func(s *Server) { s.ready = append(s.ready, r) } }

// WithDegraded adds to /readyz what is running degraded without making the service
// unready (an MCP tool server that is down: the other tools still plan). With any, the
// status is "degraded" (HTTP 200) and "degraded" lists them.
func WithDegraded(f func() []string) Option {
	return func(s *Server) { s.degraded = append(s.degraded, f) }
}

// WithRoute mounts an extra handler (pattern as for http.ServeMux); API routes under
// /api/ are authenticated like the built-in ones.
func WithRoute(pattern string, h http.Handler) Option {
	return func(s *Server) { s.handle(pattern, h) }
}

// WithLimitedRoute is WithRoute under the per-key rate limit (WithRateLimit) that plan and
// runs have: for routes that plan or run too (the MCP endpoint).
func WithLimitedRoute(pattern string, h http.Handler) Option {
	return func(s *Server) { s.handle(pattern, s.limited(h.ServeHTTP)) }
}

// New returns a server for p.
func New(cfg Config, p *planner.Planner, opts ...Option) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 70 * time.Second
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 120 * time.Second
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, planner: p, mux: http.NewServeMux(), front: http.NewServeMux(), keys: map[[32]byte]APIKey{}, log: cfg.Logger}
	s.tenantKeys = map[string][]string{}
	for _, k := range cfg.APIKeys {
		s.keys[sha256.Sum256([]byte(k.Key))] = k
		t := k.Tenant
		if t == "" {
			t = planner.DefaultTenant
		}
		s.tenantKeys[t] = append(s.tenantKeys[t], KeyID(k.Key))
	}
	s.handle("POST /api/v1/plan", s.limited(s.handlePlan))
	s.handle("GET /api/v1/tools", http.HandlerFunc(s.handleTools))
	s.handle("GET /api/v1/openapi.json", http.HandlerFunc(s.handleOpenAPI))
	s.public("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}))
	s.public("GET /readyz", http.HandlerFunc(s.handleReady))
	for _, o := range opts {
		o(s)
	}
	routes := s.mux
	if s.front != nil {
		s.front.HandleFunc("/", s.unrouted)
		routes = s.front
	}
	s.root = s.edge(s.traced(s.exact.routed(routes)))
	return s
}

// handle registers h, wrapping API routes with authentication.
func (s *Server) handle(pattern string, h http.Handler) {
	path := pattern
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		path = pattern[i+1:]
	}
	if strings.HasPrefix(path, "/api/") && !strings.HasSuffix(path, "/openapi.json") {
		h = s.authenticate(h)
	}
	s.public(pattern, h)
}

// public registers h as it is, without authentication (the dashboard's files, probes,
// /metrics). Every route goes through here or handle, so Routes lists them all.
func (s *Server) public(pattern string, h http.Handler) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, h)
	s.exact.add(pattern, h)
	if s.front == nil {
		return
	}
	if takesAll(pattern) {
		s.front = nil // the route answers every request: nothing is unrouted
		return
	}
	s.front.Handle(pattern, h)
}

// takesAll reports whether pattern takes every request, as the catch-all "/" would (and
// so conflicts with it): no method, no host, and the path "/" or "/{name...}".
func takesAll(pattern string) bool {
	if pattern == "/" {
		return true
	}
	name, ok := strings.CutPrefix(pattern, "/{")
	if !ok {
		return false
	}
	name, ok = strings.CutSuffix(name, "...}")
	return ok && !strings.ContainsAny(name, "{}/")
}

// Routes returns the patterns of every route registered (as http.ServeMux patterns, in
// registration order): the OpenAPI document must describe each.
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// Handler returns the root handler.
func (s *Server) Handler() http.Handler { return s.root }

// HTTPServer returns an *http.Server with the configured timeouts.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              s.cfg.Addr,
		Handler:           s.root,
		ReadTimeout:       s.cfg.ReadTimeout,
		ReadHeaderTimeout: s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    http.DefaultMaxHeaderBytes, // the edge answers 431 past 64 KiB, in JSON
	}
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully, giving
// in-flight requests up to grace to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	hs := s.HTTPServer()
	errc := make(chan error, 1)
	// What net/http answers itself to a request it cannot parse is JSON too.
	go func() { errc <- hs.Serve(parseErrorListener{ln}) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Not ready first, then stop: in-flight and new requests are served meanwhile.
	s.draining.Store(true)
	if s.cfg.DrainDelay > 0 {
		t := time.NewTimer(s.cfg.DrainDelay)
		select {
		case <-t.C:
		case err := <-errc:
			t.Stop()
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type ctxKey int

const principalKey ctxKey = 1

// Principal is the authenticated caller.
type Principal struct {
	Tenant string
	// KeyID is a short hash of the API key: safe for logs and metric labels.
	KeyID string
	// Admin callers see every tenant's metrics and alerts: admin keys, and every caller
	// when authentication is off.
	Admin bool
}

// KeyID is the non-secret identifier of an API key: 8 hex digits of its SHA-256. It labels
// metrics and records and selects per-key settings; the key itself is never kept.
func KeyID(key string) string { return keyIDOf(sha256.Sum256([]byte(key))) }

// keyIDOf is the KeyID of the key whose SHA-256 is sum: authenticate has it already,
// from looking the key up, and hashes a request's key once.
func keyIDOf(sum [32]byte) string { return hex.EncodeToString(sum[:4]) }

// PrincipalFrom returns the caller of an authenticated request.
func PrincipalFrom(ctx context.Context) Principal {
	if info := requestInfoFrom(ctx); info != nil && info.known {
		return info.principal
	}
	p, _ := ctx.Value(principalKey).(Principal)
	return p
}

// withPrincipal serves r to h as p's: in the request's requestInfo when edge gave it
// one, else in a context value of its own.
func withPrincipal(h http.Handler, w http.ResponseWriter, r *http.Request, p Principal) {
	if info := requestInfoFrom(r.Context()); info != nil {
		info.principal, info.known = p, true
		h.ServeHTTP(w, r)
		return
	}
	h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey, p)))
}

func (s *Server) authenticate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.keys) == 0 {
			withPrincipal(h, w, r, Principal{Tenant: planner.DefaultTenant, KeyID: "anonymous", Admin: true})
			return
		}
		token, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="planwise"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing bearer token: send Authorization: Bearer <api key>", nil)
			return
		}
		// Keys are looked up by their SHA-256: timing reveals nothing about the key itself.
		sum := sha256.Sum256([]byte(token))
		k, found := s.keys[sum]
		if !found {
			w.Header().Set("WWW-Authenticate", `Bearer realm="planwise", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "invalid API key", nil)
			return
		}
		tenant := k.Tenant
		if tenant == "" {
			tenant = planner.DefaultTenant
		}
		withPrincipal(h, w, r, Principal{Tenant: tenant, KeyID: keyIDOf(sum), Admin: k.Admin})
	})
}

// PlanRequest is the body of POST /api/v1/plan.
type PlanRequest struct {
	Request string          `json:"request"`
	Options planner.Options `json:"options"`
}

func (s *Server) handlePlan(w http.ResponseWriter, r *http.Request) {
	var body PlanRequest
	if !s.decode(w, r, &body) {
		return
	}
	s.extendWrite(w, s.planner.Deadline(body.Options))
	p := PrincipalFrom(r.Context())
	resp, err := s.planner.Plan(r.Context(), planner.Request{
		Text: body.Request, Tenant: p.Tenant, APIKey: p.KeyID,
		RequestID: RequestIDFrom(r.Context()), HistoryID: historyIDFrom(r.Context()), Options: body.Options,
	})
	if err != nil {
		s.writePlanError(w, err)
		return
	}
	if resp.RequestID != RequestIDFrom(r.Context()) { // edge set the request's own
		headerSet(w.Header(), requestIDHeader, resp.RequestID)
	}
	writePlan(w, resp)
}

// extendWrite lets a request that may legitimately take d (its deadline) be answered even
// when d passes the server's write timeout: the reply is never dropped for taking the
// time the request was allowed.
func (s *Server) extendWrite(w http.ResponseWriter, d time.Duration) {
	if d+writeMargin <= s.cfg.WriteTimeout {
		return
	}
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d + writeMargin))
}

// writeMargin is the time past a request's deadline left to encode and send the reply.
const writeMargin = 5 * time.Second

func (s *Server) writePlanError(w http.ResponseWriter, err error) {
	code := planner.ErrorCode(err) // as the metrics and the history name the failure
	pe, ok := planner.AsError(err)
	if !ok {
		s.log.Error("plan failed", "err", err)
		writeError(w, http.StatusInternalServerError, code, "internal error", nil)
		return
	}
	extra := map[string]any{}
	if len(pe.Causes) > 0 {
		extra["causes"] = pe.Causes
	}
	if pe.Reason != "" {
		extra["reason"], extra["refused_by"] = pe.Reason, pe.RefusedBy
	}
	if pe.Response != nil {
		extra["request_id"] = pe.Response.RequestID
		if pe.Response.HistoryID != "" {
			extra["history_id"] = pe.Response.HistoryID
		}
		extra["attempts"] = pe.Response.Attempts
		extra["tokens"] = pe.Response.Tokens
		extra["cost_usd"] = pe.Response.CostUSD
		extra["errors"] = pe.Response.Errors
	}
	switch {
	case pe.RetryAfter > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(pe.RetryAfter.Seconds()))))
	case pe.Code == planner.CodeRateLimited || pe.HTTPStatus() == http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	}
	writeError(w, pe.HTTPStatus(), code, pe.Message, extra)
}

// ToolInfo is one tool in GET /api/v1/tools.
type ToolInfo struct {
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	InputSchema  json.RawMessage `json:"input_schema"`
	OutputSchema json.RawMessage `json:"output_schema,omitempty"`
	Run          string          `json:"run"`
	Source       string          `json:"source,omitempty"`
}

func (s *Server) handleTools(w http.ResponseWriter, r *http.Request) {
	reg := s.planner.Registry()
	out := struct {
		Version string     `json:"version"`
		Tools   []ToolInfo `json:"tools"`
	}{Version: reg.Version(), Tools: make([]ToolInfo, 0, reg.Len())}
	for _, t := range reg.Tools() {
		out.Tools = append(out.Tools, toolInfo(t))
	}
	writeJSON(w, http.StatusOK, out)
}

func toolInfo(t *tool.Tool) ToolInfo {
	return ToolInfo{Name: t.Name, Description: t.Description, InputSchema: t.InputSchema,
		OutputSchema: t.OutputSchema, Run: t.RunKind(), Source: t.Source}
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "draining", "problems": []string{"the server is shutting down"}})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var problems []string
	for _, check := range s.ready {
		if err := check(ctx); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "not ready", "problems": problems})
		return
	}
	body := map[string]any{"status": "ready", "offline": s.planner.Offline(),
		"registry_version": s.planner.Registry().Version(), "tools": s.planner.Registry().Len()}
	var degraded []string
	for _, f := range s.degraded {
		degraded = append(degraded, f()...)
	}
	if len(degraded) > 0 {
		body["status"], body["degraded"] = "degraded", degraded
	}
	writeJSON(w, http.StatusOK, body)
}

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiDoc)
}

// decode reads a JSON body with the size limit, rejecting unknown fields and trailing
// data. The Content-Type is not checked: the body must be JSON whatever a client says
// (curl -d, for one, labels JSON as a form). It writes the error response and returns false on failure.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	// The whole body is read first, within BodyTimeout: a body shorter than its
	// Content-Length is a 400 once that time is up, not a request that hangs until the
	// connection's read timeout and then fails as something else.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
	data, err := readBody(w, r.Body, r.ContentLength, s.cfg.MaxBodyBytes)
	if err != nil {
		var mbe *http.MaxBytesError
		var ne net.Error
		switch {
		case errors.As(err, &mbe):
			writeError(w, http.StatusRequestEntityTooLarge, "invalid_request",
				fmt.Sprintf("request body larger than %d bytes", s.cfg.MaxBodyBytes), nil)
		case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, io.ErrUnexpectedEOF):
			writeError(w, http.StatusBadRequest, "invalid_request",
				fmt.Sprintf("the request body did not arrive: %d of the %d bytes its Content-Length announced came within %s", len(data), r.ContentLength, s.cfg.BodyTimeout), nil)
		default:
			writeError(w, http.StatusBadRequest, "invalid_request", "reading the request body: "+err.Error(), nil)
		}
		return false
	}
	if err := decodeBody(data, v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "invalid JSON body: "+err.Error(), nil)
		return false
	}
	return true
}

// readBody reads a request body of announced length n (-1 when unknown) of at most
// limit bytes, as io.ReadAll(http.MaxBytesReader(w, body, limit)) does. A body of
// announced length within the limit is read into one buffer of its size (io.ReadAll
// starts at 512 bytes and grows) and without the limit's reader, an allocation a
// request: net/http reads no more of a body than its Content-Length, so only a request
// made by hand (a body longer than it says) can pass the limit, and it is refused with
// the limit's error.
func readBody(w http.ResponseWriter, body io.ReadCloser, n, limit int64) ([]byte, error) {
	if n < 0 || n > limit {
		return io.ReadAll(http.MaxBytesReader(w, body, limit))
	}
	b := make([]byte, 0, n+1) // the extra byte reads the end without growing
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		m, err := body.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		switch {
		case int64(len(b)) > limit:
			return b[:limit], &http.MaxBytesError{Limit: limit}
		case err == io.EOF:
			return b, nil
		case err != nil:
			return b, err
		}
	}
}

// errTrailingData is decodeBody's error for a body with more than one value.
var errTrailingData = errors.New("trailing data after the object")

// decodeBody decodes a request body into v (a pointer) as decodeBodyStd does: unknown
// fields and trailing data are errors, and an error is encoding/json's, whose words the
// API's 400s quote. segmentio/encoding parses a body the first time (about a quarter of
// encoding/json's CPU and allocations: a cache hit's whole request costs about 55 µs of
// CPU, and its decoding was 3 of them); a body it does not accept is decoded again by
// decodeBodyStd for the error. FuzzDecodeBody holds the two to the same values and
// errors.
func decodeBody(data []byte, v any) error {
	if pr, ok := v.(*PlanRequest); ok && decodePlanRequest(data, pr) {
		return nil
	}
	if rest, err := segjson.Parse(data, v, segjson.DisallowUnknownFields); err == nil && len(bytes.TrimLeft(rest, " \t\r\n")) == 0 {
		return nil
	}
	reflect.ValueOf(v).Elem().SetZero()
	return decodeBodyStd(data, v)
}

// decodePlanRequest decodes the body nearly every plan request has, {"request":"..."}
// with a string that needs no unescaping (no \\ or control characters, valid UTF-8), as
// encoding/json does: it sets Request and nothing else. It reports false for any other
// body, which decodeBody then decodes in full. segmentio/encoding scanned such a body
// for its flags before parsing it, about 2% of the server's CPU under bench hits (issue
// 13); FuzzDecodeBody holds decodeBody to encoding/json either way.
func decodePlanRequest(data []byte, pr *PlanRequest) bool {
	const key = `"request"`
	i := skipSpace(data, 0)
	if i == len(data) || data[i] != '{' {
		return false
	}
	i = skipSpace(data, i+1)
	if !bytes.HasPrefix(data[i:], []byte(key)) {
		return false
	}
	i = skipSpace(data, i+len(key))
	if i == len(data) || data[i] != ':' {
		return false
	}
	i = skipSpace(data, i+1)
	if i == len(data) || data[i] != '"' {
		return false
	}
	start := i + 1
	end := start
	ascii := true
	for ; end < len(data) && data[end] != '"'; end++ {
		switch c := data[end]; {
		case c < 0x20 || c == '\\':
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if end == len(data) || !ascii && !utf8.Valid(data[start:end]) {
		return false
	}
	i = skipSpace(data, end+1)
	if i == len(data) || data[i] != '}' || skipSpace(data, i+1) != len(data) {
		return false
	}
	pr.Request = string(data[start:end])
	return true
}

// skipSpace returns the index of the first byte of data from i on that is not JSON
// whitespace, or len(data).
func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// decodeBodyStd is decodeBody with encoding/json alone.
func decodeBodyStd(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errTrailingData
	}
	return nil
}

func writeError(w http.ResponseWriter, status int, code, msg string, extra map[string]any) {
	writeJSON(w, status, errorBody(code, msg, extra))
}

// errorBody is the API's error answer: {"error": {"code", "message", extra...}}.
func errorBody(code, msg string, extra map[string]any) map[string]any {
	body := map[string]any{"code": code, "message": msg}
	for k, v := range extra {
		body[k] = v
	}
	return map[string]any{"error": body}
}

// writeJSON answers v as JSON. segmentio/encoding writes the bytes encoding/json's
// Encoder writes (HTML characters escaped, map keys sorted, a final newline) in about
// half its CPU and without allocating; TestWriteJSONMatchesStdlib and
// FuzzEncodeMatchesStdlib hold the two to the same bytes.
func writeJSON(w http.ResponseWriter, status int, v any) {
	headerSet(w.Header(), contentTypeHeader, "application/json")
	w.WriteHeader(status)
	_ = segjson.NewEncoder(w).Encode(v)
}
