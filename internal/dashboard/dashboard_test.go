package dashboard

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Result()
}

func TestServesPageAndAssets(t *testing.T) {
	h := Handler()
	for _, tc := range []struct {
		path, ctype, contains string
	}{
		{"/", "text/html", `<script src="assets/app.js"`},
		{"/assets/app.js", "javascript", `api/v1/metrics/planner?window=`},
		{"/assets/app.css", "text/css", "prefers-color-scheme: dark"},
		{"/assets/favicon.svg", "image/svg+xml", "<svg"},
	} {
		res := get(t, h, http.MethodGet, tc.path, nil)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", tc.path, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, tc.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s", tc.path, ct, tc.ctype)
		}
		if !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s: body lacks %q", tc.path, tc.contains)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", tc.path, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", tc.path)
		}
		// Revalidation by ETag answers 304 without a body.
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("GET %s: no ETag", tc.path)
		}
		again := get(t, h, http.MethodGet, tc.path, map[string]string{"If-None-Match": etag})
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match: %d, want 304", tc.path, again.StatusCode)
		}
	}
}

func TestHeadAndErrors(t *testing.T) {
	h := Handler()
	if res := get(t, h, http.MethodHead, "/", nil); res.StatusCode != http.StatusOK || res.ContentLength == 0 {
		t.Errorf("HEAD /: %d, length %d", res.StatusCode, res.ContentLength)
	}
	for _, p := range []string{"/assets/", "/assets/nope.js", "/assets/index.html", "/index.html", "/../go.mod"} {
		if res := get(t, h, http.MethodGet, p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	if res := get(t, h, http.MethodPost, "/", nil); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", res.StatusCode)
	}
}

// TestPageIsSelfContained: everything the page loads is served by the handler (no CDN,
// no external URL), and every element the script looks up by id exists in the page.
func TestPageIsSelfContained(t *testing.T) {
	h := Handler()
	page := body(t, h, "/")
	refs := regexp.MustCompile(`(?:src|href)="([^"#]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("found only %d asset references", len(refs))
	}
	for _, m := range refs {
		ref := m[1]
		if strings.Contains(ref, "//") {
			t.Errorf("external reference %q: the dashboard must work offline", ref)
			continue
		}
		if res := get(t, h, http.MethodGet, "/"+ref, nil); res.StatusCode != http.StatusOK {
			t.Errorf("page references %s, which answers %d", ref, res.StatusCode)
		}
	}
	js := body(t, h, "/assets/app.js")
	if strings.Contains(js, "http://") && !strings.Contains(js, `"http://www.w3.org/2000/svg"`) || strings.Contains(js, "https://") {
		t.Error("app.js refers to an absolute URL")
	}
	ids := regexp.MustCompile(`\$\("([a-z0-9-]+)"\)`).FindAllStringSubmatch(js, -1)
	if len(ids) < 10 {
		t.Fatalf("found only %d element lookups in app.js", len(ids))
	}
	for _, m := range ids {
		if !strings.Contains(page, `id="`+m[1]+`"`) {
			t.Errorf("app.js looks up #%s, which index.html lacks", m[1])
		}
	}
}

func body(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	res := get(t, h, http.MethodGet, path, nil)
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	return string(b)
}
