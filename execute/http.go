package execute

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/planwise/planwise/tool"
)

const userAgent = "planwise/1 (+https://github.com/planwise/planwise)"

// readBody reads at most max bytes and reports whether there was more.
func readBody(r io.Reader, max int64) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > max {
		return b[:max], true, nil
	}
	return b, false, nil
}

// httpRequest implements http_request. Every status is an output (the plan may test
// ${s1.status}); only transport failures and refusals are errors. A body cut at the
// size limit is flagged with "truncated": true and is not parsed as JSON.
func (b *BuiltinRunner) httpRequest(ctx context.Context, args map[string]any) (any, error) {
	if b.HTTP == nil {
		return nil, Permanent(errors.New("http_request is disabled: no HTTP client configured"))
	}
	rawURL, err := stringArg(args, "url", true)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &ArgError{Arg: "url", Msg: fmt.Sprintf("%q is not an absolute http or https URL", rawURL)}
	}
	method, err := stringArg(args, "method", false)
	if err != nil {
		return nil, err
	}
	method = strings.ToUpper(method)
	if method == "" {
		method = http.MethodGet
	}
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead:
	default:
		return nil, &ArgError{Arg: "method", Msg: fmt.Sprintf("%q is not one of GET, POST, PUT, PATCH, DELETE, HEAD", method)}
	}
	var body io.Reader
	contentType := ""
	switch v := args["body"].(type) {
	case nil:
	case string:
		body = strings.NewReader(v)
		contentType = "text/plain; charset=utf-8"
	default:
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, &ArgError{Arg: "body", Msg: err.Error()}
		}
		body = bytes.NewReader(enc)
		contentType = "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, &ArgError{Arg: "url", Msg: err.Error()}
	}
	req.Header.Set("User-Agent", userAgent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if hs, ok := args["headers"].(map[string]any); ok {
		for k, v := range hs {
			s, ok := v.(string)
			if !ok {
				return nil, &ArgError{Arg: "headers." + k, Msg: "header values must be strings"}
			}
			req.Header.Set(k, s)
		}
	}
	resp, err := b.HTTP.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	max := b.MaxResponseBytes
	if max <= 0 {
		max = DefaultMaxResponseBytes
	}
	data, truncated, err := readBody(resp.Body, max)
	if err != nil {
		return nil, fmt.Errorf("reading the response of %s: %w", u.Redacted(), err)
	}
	headers := map[string]any{}
	for k, vs := range resp.Header {
		headers[k] = strings.Join(vs, ", ")
	}
	out := map[string]any{
		"status":  int64(resp.StatusCode),
		"headers": headers,
		"body":    bodyText(data),
	}
	if truncated {
		out["truncated"] = true
	} else if v, ok := bodyJSON(resp.Header.Get("Content-Type"), data); ok {
		out["json"] = v
	}
	return out, nil
}

// bodyText returns the body as a string; bytes that are not UTF-8 are replaced.
func bodyText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// unwrapURLError surfaces a policy refusal from inside url.Error and net.OpError, and
// marks it permanent.
func unwrapURLError(err error) error {
	var be *BlockedError
	if errors.As(err, &be) {
		return be
	}
	var pe *PermanentError
	if errors.As(err, &pe) {
		return pe
	}
	return err
}

// WebhookRunner runs tools declared with run: {kind: http}: the arguments go as a JSON
// body (POST, PUT, PATCH, DELETE) or as query parameters (GET), with the declared
// headers; a JSON response is the output, any other body is output as a string. A status
// of 400 or more is an error carrying a snippet of the body; 4xx other than 408 and 429
// are permanent (not retried).
//
// Policy: the host of the URL the operator declared is trusted, even on a private
// address, because tool files are configuration, like the allow-list; redirects to any
// other host go through the network policy like http_request.
type WebhookRunner struct {
	client  *http.Client
	maxBody int64
}

// NewWebhookRunner returns a webhook runner enforcing p, reading at most
// maxResponseBytes of a response (0: DefaultMaxResponseBytes).
func NewWebhookRunner(p NetPolicy, maxResponseBytes int64) *WebhookRunner {
	return newWebhookRunner(newNetGuard(p), maxResponseBytes)
}

func newWebhookRunner(g *netGuard, maxResponseBytes int64) *WebhookRunner {
	if maxResponseBytes <= 0 {
		maxResponseBytes = DefaultMaxResponseBytes
	}
	return &WebhookRunner{client: newGuardedClient(g), maxBody: maxResponseBytes}
}

// Run calls the webhook.
func (w *WebhookRunner) Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error) {
	if t.Run == nil || t.Run.HTTP == nil || t.Run.HTTP.URL == "" {
		return nil, Permanent(fmt.Errorf("tool %s declares no webhook URL", t.Name))
	}
	spec := t.Run.HTTP
	u, err := url.Parse(spec.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, Permanent(fmt.Errorf("tool %s: webhook URL %q is not an absolute http or https URL", t.Name, spec.URL))
	}
	method := strings.ToUpper(spec.Method)
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if method == http.MethodGet || method == http.MethodHead {
		q := u.Query()
		keys := make([]string, 0, len(args))
		for k := range args {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			q.Set(k, render(args[k]))
		}
		u.RawQuery = q.Encode()
	} else {
		enc, err := json.Marshal(args)
		if err != nil {
			return nil, Permanent(fmt.Errorf("tool %s: encoding arguments: %w", t.Name, err))
		}
		body = bytes.NewReader(enc)
	}
	req, err := http.NewRequestWithContext(withTrustedHost(ctx, u.Hostname()), method, u.String(), body)
	if err != nil {
		return nil, Permanent(err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range spec.Headers {
		req.Header.Set(k, v)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	max := w.maxBody
	data, truncated, err := readBody(resp.Body, max)
	if err != nil {
		return nil, fmt.Errorf("webhook %s: reading the response: %w", u.Redacted(), err)
	}
	if resp.StatusCode >= 400 {
		err := &HTTPStatusError{URL: u.Redacted(), Status: resp.StatusCode, Body: snippet(data, 512)}
		if resp.StatusCode < 500 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
			return nil, Permanent(err)
		}
		return nil, err
	}
	if truncated {
		return nil, Permanent(fmt.Errorf("webhook %s: response larger than %d bytes", u.Redacted(), max))
	}
	if v, ok := bodyJSON(resp.Header.Get("Content-Type"), data); ok {
		return v, nil
	}
	return bodyText(data), nil
}

// HTTPStatusError is a webhook's error response.
type HTTPStatusError struct {
	URL    string
	Status int
	Body   string
}

func (e *HTTPStatusError) Error() string {
	if e.Body == "" {
		return fmt.Sprintf("webhook %s answered %d %s", e.URL, e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("webhook %s answered %d %s: %s", e.URL, e.Status, http.StatusText(e.Status), e.Body)
}

func snippet(b []byte, n int) string {
	s := strings.TrimSpace(bodyText(b))
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
