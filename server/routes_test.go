package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The exact-route table gives a request the route the ServeMux would give it, or
// leaves it to the mux: every route of a server with the API's routes and extra ones
// (wildcards, a method-less pattern, a subtree, GET's HEAD), asked with its own method
// and path and with variations the mux cleans, redirects, unescapes or refuses.
func TestExactRoutesAgreeWithTheMux(t *testing.T) {
	pl := CachingPlanner(t, nil)
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	s := New(Config{}, pl, WithRoute("GET /metrics", ok), WithRoute("GET /api/v1/runs/{id}", ok),
		WithRoute("/api/v1/any", ok), WithRoute("POST /api/v1/any", ok), WithRoute("GET /files/", ok),
		WithRoute("PUT /api/v1/plan/{name...}", ok), WithRoute("DELETE /api/v1/x/{$}", ok))
	var reqs []*http.Request
	for _, pattern := range s.Routes() {
		method, path, found := strings.Cut(pattern, " ")
		if !found {
			method, path = "GET", pattern
		}
		path = strings.NewReplacer("{id}", "7", "{name...}", "a/b", "{$}", "").Replace(path)
		for _, m := range []string{method, "HEAD", "OPTIONS", "CONNECT", strings.ToLower(method)} {
			for _, p := range []string{path, path + "/", "/" + path, path + "/.", path + "?q=1",
				strings.Replace(path, "a", "%61", 1), strings.Replace(path, "/", "//", 2)} {
				reqs = append(reqs, httptest.NewRequest(m, p, nil))
			}
		}
	}
	exact := 0
	for _, r := range reqs {
		route, found := s.exact.find(r)
		if !found {
			continue
		}
		exact++
		if _, pattern := s.mux.Handler(r); pattern != route.pattern {
			t.Errorf("%s %s: the table gives %q, the mux %q", r.Method, r.RequestURI, route.pattern, pattern)
		}
	}
	// Every pattern with a method and a plain path is in the table, and found for its own
	// request.
	for _, want := range []string{"POST /api/v1/plan", "GET /api/v1/tools", "GET /healthz", "GET /metrics", "POST /api/v1/any"} {
		method, path, _ := strings.Cut(want, " ")
		if route, found := s.exact.find(httptest.NewRequest(method, path, nil)); !found || route.pattern != want {
			t.Errorf("%s: found %v %q, want the table's route", want, found, route.pattern)
		}
	}
	// Patterns that are not a method and a plain path are not, nor HEAD for GET's.
	for _, notExact := range []routeKey{{"GET", "/files/"}, {"", "/api/v1/any"}, {"GET", "/api/v1/any"},
		{"GET", "/api/v1/runs/{id}"}, {"DELETE", "/api/v1/x/{$}"}, {"HEAD", "/healthz"}} {
		if _, found := s.exact.m[notExact]; found {
			t.Errorf("%s %s is in the table", notExact.method, notExact.path)
		}
	}
	if exact < 10 {
		t.Fatalf("only %d of %d requests found in the table", exact, len(reqs))
	}
}

// A route that names a host takes precedence over those that do not, for its host:
// with one, the table answers nothing and the mux routes every request.
func TestExactRoutesOffWithAHostRoute(t *testing.T) {
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	s := New(Config{}, CachingPlanner(t, nil), WithRoute("POST example.com/api/v1/plan", ok))
	r := httptest.NewRequest("POST", "http://example.com/api/v1/plan", nil)
	if _, found := s.exact.find(r); found {
		t.Fatal("the table answered with a host route registered")
	}
	if _, pattern := s.mux.Handler(r); pattern != "POST example.com/api/v1/plan" {
		t.Fatalf("the mux gives %q", pattern)
	}
}

// The plan route is served from the table: r.Pattern is set as the mux sets it, and the
// mux's lookup is not made (a cache hit's CPU, BENCHMARKS.md, issue 13).
func TestPlanRouteSkipsTheMux(t *testing.T) {
	var got string
	s := New(Config{}, CachingPlanner(t, nil))
	s.exact.m[routeKey{"POST", "/api/v1/plan"}] = exactRoute{pattern: "POST /api/v1/plan",
		h: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.Pattern })}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("POST", "/api/v1/plan", strings.NewReader(`{}`)))
	if got != "POST /api/v1/plan" {
		t.Fatalf("the table's handler saw pattern %q (status %d)", got, rec.Code)
	}
}

// A request's context carries its requestInfo and is otherwise its parent: other keys,
// the deadline and cancellation are the parent's, and a context derived from it is
// cancelled with the parent without a goroutine to carry the cancellation (which
// context.WithCancel would start for a parent whose cancelCtx it could not find).
func TestRequestContextIsItsParent(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithDeadline(context.WithValue(context.Background(), key{}, "v"), time.Now().Add(time.Hour))
	ctx := &requestContext{Context: parent, info: requestInfo{id: "id-1"}}
	if RequestIDFrom(ctx) != "id-1" || ctx.Value(key{}) != "v" || ctx.Value(principalKey) != nil {
		t.Fatalf("values: id %q, key %v", RequestIDFrom(ctx), ctx.Value(key{}))
	}
	if d, ok := ctx.Deadline(); !ok || !d.Equal(func() time.Time { d, _ := parent.Deadline(); return d }()) {
		t.Fatalf("deadline %v %v", d, ok)
	}
	before := runtime.NumGoroutine()
	var children []context.Context
	for range 50 {
		c, stop := context.WithCancel(ctx)
		defer stop()
		children = append(children, c)
	}
	if n := runtime.NumGoroutine() - before; n >= 50 {
		t.Fatalf("deriving 50 contexts started %d goroutines", n)
	}
	cancel()
	for _, c := range children {
		<-c.Done()
	}
	if ctx.Err() != context.Canceled || !errors.Is(context.Cause(children[0]), context.Canceled) {
		t.Fatalf("err %v, cause %v", ctx.Err(), context.Cause(children[0]))
	}
}
