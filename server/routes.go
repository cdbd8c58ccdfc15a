package server

import (
	"net/http"
	"path"
	"strings"
)

// exactRoutes answers, without asking the ServeMux, a request whose method and path
// are exactly those of a route registered with both and nothing else ("POST
// /api/v1/plan"): such a route is the most specific pattern any request of that
// method and path matches, so the mux would choose it too. Every other request goes to
// the mux as before. The mux's lookup (cleaning the path, walking its routing tree,
// the trailing-slash check) was about 1 µs of a cache hit's CPU in planwise serve, a
// cost the trivial server of bench hits, which has no mux, does not pay (BENCHMARKS.md,
// issue 13).
type exactRoutes struct {
	m map[routeKey]exactRoute
	// off: some route names a host, whose patterns take precedence over those
	// without; the table then answers nothing.
	off bool
}

type routeKey struct{ method, path string }

type exactRoute struct {
	h       http.Handler
	pattern string
}

// add records pattern's handler h when pattern is exact: a method, a space, and a
// clean path of unreserved characters (no wildcard, no trailing slash, nothing
// escaped), which a request's URL.Path equals only when the mux, cleaning and
// unescaping the request's path, would find that same path.
func (e *exactRoutes) add(pattern string, h http.Handler) {
	method, p := "", pattern // as the mux parses a pattern: [METHOD ][HOST]/[PATH]
	if i := strings.IndexAny(pattern, " \t"); i >= 0 {
		method, p = pattern[:i], strings.TrimLeft(pattern[i+1:], " \t")
	}
	if !strings.HasPrefix(p, "/") {
		e.off = true // a host
		return
	}
	if method == "" || method == http.MethodConnect || !exactPath(p) {
		return
	}
	if e.m == nil {
		e.m = map[routeKey]exactRoute{}
	}
	e.m[routeKey{method, p}] = exactRoute{h: h, pattern: pattern}
}

// exactPath: p is clean ("/a/b", not "/a/", "/a//b" or "/a/./b") and made of characters
// that a URL's path never escapes, so a request's EscapedPath is its Path.
func exactPath(p string) bool {
	if p == "/" || path.Clean(p) != p {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// find returns the route the mux would give r, when r's method and path are a route's
// exactly; ok is false for every other request. A path with an escape in it
// (RawPath set) is left to the mux.
func (e *exactRoutes) find(r *http.Request) (route exactRoute, ok bool) {
	if e.off || len(e.m) == 0 || r.URL.RawPath != "" {
		return exactRoute{}, false
	}
	route, ok = e.m[routeKey{r.Method, r.URL.Path}]
	return route, ok
}

// routed serves r with its exact route when it has one, setting r.Pattern as the mux
// does, and with mux otherwise.
func (e *exactRoutes) routed(mux http.Handler) http.Handler {
	if e.off || len(e.m) == 0 {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if route, ok := e.find(r); ok {
			r.Pattern = route.pattern
			route.h.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}
