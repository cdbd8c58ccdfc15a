// Package dashboard serves planwise's live web dashboard: one HTML page with its
// stylesheet and script, written here and embedded in the binary, so it works with no
// internet access and no third-party code.
//
// The page is a client of the JSON API, nothing more. Every few seconds it fetches, with
// relative URLs (so the dashboard also works behind a path prefix):
//
//	api/v1/metrics/planner?window=5m|1h|lifetime   the metrics.Summary, series included
//	api/v1/alerts                                  firing alerts, transitions and rules
//	readyz                                         readiness and offline mode
//	api/v1/history?limit=15                        the recent requests (404: no history)
//
// and, when a recent request is selected (or linked as #request=ID),
// api/v1/history/{id} for its view: plan, source, attempts, tokens, cost and errors.
//
// When the server requires API keys the page asks for one and sends it as
// "Authorization: Bearer <key>"; the key stays in the tab's sessionStorage. After each
// successful refresh it sets data-state="live" on <body> and data-requests, data-window,
// data-updated and data-width (the window width it laid out for) on <main>, and on every
// chart's <svg> data-points (the time slots with data), data-scale (linear or log) and
// the plot's bounds, so that tests and people can tell the page shows live data.
//
// Handler answers GET and HEAD for "/" and "/assets/<file>" and 404 for anything else;
// the caller mounts it (server.WithDashboard does). Responses carry a strict
// Content-Security-Policy (scripts, styles and connections from the same origin only) and
// an ETag, so browsers revalidate instead of re-downloading.
package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed assets
var assets embed.FS

// contentSecurityPolicy allows nothing but the page's own files and API.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// file is one embedded asset, ready to serve.
type file struct {
	body  []byte
	ctype string
	etag  string
}

// handler serves the embedded files by URL path.
type handler struct {
	files map[string]file
}

// Handler returns the dashboard's handler. Mount it for "GET /" (exactly) and
// "GET /assets/".
func Handler() http.Handler {
	h := &handler{files: make(map[string]file)}
	err := fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = http.DetectContentType(body)
		}
		f := file{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		name := "/" + p // "/assets/app.js"
		if p == "assets/index.html" {
			name = "/"
		}
		h.files[name] = f
		return nil
	})
	if err != nil {
		// The files are compiled in: failing to read them is a broken build, not a
		// run-time condition.
		panic("dashboard: reading embedded assets: " + err.Error())
	}
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, ok := h.files[r.URL.Path]
	if !ok || strings.HasSuffix(r.URL.Path, "/index.html") {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", f.ctype)
	hd.Set("ETag", f.etag)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	// ServeContent answers If-None-Match with 304 and handles HEAD and ranges.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
