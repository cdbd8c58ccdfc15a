// Package client is a typed client of a planwise server's HTTP API (/api/v1): plans,
// runs, the tool registry, the learning loop (history, insights, experiments) and the
// metrics and alerts documents. The CLI's client commands (stats, history, insights,
// experiments with --server) use it; so can any Go program that talks to a running
// planwise. Flags, Key, KeyHint, Explain and DefaultTimeout are those commands' shared
// flags and way of taking an API key, of wording a key refused or a server not reached,
// and of bounding a request; CheckWindow and ExplainStats are stats'.
//
// A non-2xx answer is an *Error carrying the HTTP status and the API's typed error (code
// and message); a request that got no answer is a *NetError.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/planner"
)

// maxBody bounds an answer read into memory.
const maxBody = 64 << 20

// Client calls one planwise server. It is safe for concurrent use.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// Options configure New.
type Options struct {
	// Token is the API key, sent as Authorization: Bearer (none when empty).
	Token string
	// Timeout bounds each call (0: none beyond the context's).
	Timeout time.Duration
	// HTTPClient, when set, makes the calls (Timeout is then ignored).
	HTTPClient *http.Client
}

// A Client is a server's learning loop as its API key's tenant sees it.
var _ history.Learning = (*Client)(nil)

// New returns a client of the server at base, an http or https URL such as
// http://127.0.0.1:8080.
func New(base string, opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("client: %q is not a server URL such as http://127.0.0.1:8080", base)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: opts.Timeout}
	}
	return &Client{base: u.String(), token: opts.Token, http: hc}, nil
}

// Base is the server's base URL, without a trailing slash.
func (c *Client) Base() string { return c.base }

// Error is a non-2xx answer of the server.
type Error struct {
	Method, Path string
	StatusCode   int
	Status       string // "404 Not Found"
	// Code and Message are the API's typed error ({"error": {"code", "message"}}), empty
	// when the answer carried none.
	Code, Message string
	// Body is the answer as sent.
	Body []byte
}

func (e *Error) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s %s: %s (%d %s)", e.Method, e.Path, e.Message, e.StatusCode, e.Code)
	}
	return fmt.Sprintf("%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
}

// NetError is a call that got no answer: the server is unreachable, or the connection
// failed.
type NetError struct {
	Base         string // the server's base URL (Client.Base)
	Method, Path string
	Err          error
}

func (e *NetError) Error() string { return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err) }
func (e *NetError) Unwrap() error { return e.Err }

// Raw makes one call and returns the answer's body, which must be JSON. body, when not
// nil, is sent as JSON.
func (c *Client) Raw(ctx context.Context, method, path string, body any) (json.RawMessage, error) {
	b, err := c.do(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	if !json.Valid(b) {
		return nil, fmt.Errorf("%s %s: the answer is not JSON", method, path)
	}
	return b, nil
}

// do makes one call and returns the body of a 2xx answer.
func (c *Client) do(ctx context.Context, method, path string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, &NetError{Base: c.base, Method: method, Path: path, Err: err}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if res.StatusCode/100 != 2 {
		e := &Error{Method: method, Path: path, StatusCode: res.StatusCode, Status: res.Status, Body: b}
		var typed struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(b, &typed) == nil {
			e.Code, e.Message = typed.Error.Code, typed.Error.Message
		}
		return nil, e
	}
	return b, nil
}

// call makes one call and decodes the answer into out.
func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	raw, err := c.do(ctx, method, path, body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// Plan plans a request (POST /api/v1/plan). A refusal or another typed error is an
// *Error whose Body holds the API's error, with the response when the server sent one.
func (c *Client) Plan(ctx context.Context, req planner.Request) (*planner.Response, error) {
	body := map[string]any{"request": req.Text, "options": req.Options}
	var resp planner.Response
	if err := c.call(ctx, http.MethodPost, "/api/v1/plan", body, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// RunRequest is the body of POST /api/v1/runs: a request to plan and run, or a plan to
// run as given.
type RunRequest struct {
	Request string          `json:"request,omitempty"`
	Options planner.Options `json:"options"`
	Plan    json.RawMessage `json:"plan,omitempty"`
	DryRun  bool            `json:"dry_run,omitempty"`
}

// StartRun starts a run (POST /api/v1/runs); with wait it answers when the run has
// ended. Without wait the state holds the run's id and status "queued".
func (c *Client) StartRun(ctx context.Context, req RunRequest, wait bool) (*planner.RunState, error) {
	path := "/api/v1/runs"
	if wait {
		path += "?wait=true"
	}
	var st planner.RunState
	if err := c.call(ctx, http.MethodPost, path, req, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// Run reads a run's state (GET /api/v1/runs/{id}).
func (c *Client) Run(ctx context.Context, id string) (*planner.RunState, error) {
	var st planner.RunState
	if err := c.call(ctx, http.MethodGet, "/api/v1/runs/"+url.PathEscape(id), nil, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// Feedback rates a run (POST /api/v1/runs/{id}/feedback): -1, 0 or 1.
func (c *Client) Feedback(ctx context.Context, id string, rating int, comment string) error {
	var out json.RawMessage
	return c.call(ctx, http.MethodPost, "/api/v1/runs/"+url.PathEscape(id)+"/feedback",
		map[string]any{"rating": rating, "comment": comment}, &out)
}

// Metrics returns the planner metrics document (GET /api/v1/metrics/planner) as sent;
// window is a duration such as 5m, "lifetime", or "" for the server's window. It decodes
// into metrics.Summary.
func (c *Client) Metrics(ctx context.Context, window string) (json.RawMessage, error) {
	q := ""
	if window != "" {
		q = "?window=" + url.QueryEscape(window)
	}
	return c.Raw(ctx, http.MethodGet, "/api/v1/metrics/planner"+q, nil)
}

// Alerts returns the alerts document (GET /api/v1/alerts) as sent.
func (c *Client) Alerts(ctx context.Context) (json.RawMessage, error) {
	return c.Raw(ctx, http.MethodGet, "/api/v1/alerts", nil)
}

// History returns recent request records, newest first (GET /api/v1/history).
func (c *Client) History(ctx context.Context, limit, offset int) ([]*history.Record, error) {
	var page struct {
		Records []*history.Record `json:"records"`
	}
	path := "/api/v1/history?limit=" + strconv.Itoa(limit) + "&offset=" + strconv.Itoa(offset)
	if err := c.call(ctx, http.MethodGet, path, nil, &page); err != nil {
		return nil, err
	}
	return page.Records, nil
}

// Insights analyses the failures of the last since (GET /api/v1/insights; 0: all).
func (c *Client) Insights(ctx context.Context, since time.Duration) (*history.Insights, error) {
	in := &history.Insights{}
	if err := c.call(ctx, http.MethodGet, "/api/v1/insights?since="+url.QueryEscape(since.String()), nil, in); err != nil {
		return nil, err
	}
	return in, nil
}

// Experiments lists the prompt experiments with their statistics (GET /api/v1/experiments).
func (c *Client) Experiments(ctx context.Context) ([]*history.ExperimentReport, error) {
	var out struct {
		Experiments []*history.ExperimentReport `json:"experiments"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/experiments", nil, &out); err != nil {
		return nil, err
	}
	return out.Experiments, nil
}

// CreateExperiment creates a prompt experiment (POST /api/v1/experiments). The
// experiment's id may be empty (the server makes one); its tenant is the key's.
func (c *Client) CreateExperiment(ctx context.Context, e history.Experiment) (*history.Experiment, error) {
	body := map[string]any{"id": e.ID, "name": e.Name, "variants": e.Variants, "auto_promote": e.AutoPromote,
		"min_samples": e.MinSamples, "alpha": e.Alpha}
	created := &history.Experiment{}
	if err := c.call(ctx, http.MethodPost, "/api/v1/experiments", body, created); err != nil {
		return nil, err
	}
	return created, nil
}

// Promote promotes a variant of an experiment (POST /api/v1/experiments/{id}/promote);
// an empty winner promotes the significantly better one.
func (c *Client) Promote(ctx context.Context, id, winner string) (*history.Experiment, error) {
	var body any
	if winner != "" {
		body = map[string]string{"winner": winner}
	}
	e := &history.Experiment{}
	if err := c.call(ctx, http.MethodPost, "/api/v1/experiments/"+id+"/promote", body, e); err != nil {
		return nil, err
	}
	return e, nil
}
