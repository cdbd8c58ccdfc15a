package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/client"
	"github.com/planwise/planwise/embed"
	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/metrics"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

// newServer starts the real HTTP API over the offline planner with the built-in tools,
// runs, metrics, alerts and the learning loop, behind one API key.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	emb, err := embed.NewLocal(embed.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := history.New(context.Background(), history.NewMemoryStore(), emb, history.Options{Variants: []string{"default", "concise"}})
	if err != nil {
		t.Fatal(err)
	}
	rec := metrics.NewRecorder(metrics.Options{})
	pl, err := planner.New(reg, planner.WithRecorder(rec), planner.WithLearning(h, nil))
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := metrics.NewAlerts(rec, metrics.DefaultRules(0, 0), metrics.AlertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	runs := planner.NewRuns(pl, execute.New(reg), nil, rec)
	t.Cleanup(runs.Close)
	srv := server.New(server.Config{APIKeys: []server.APIKey{{Key: "secret-key-1", Tenant: "acme"}}}, pl,
		server.WithRuns(runs), server.WithMetrics(rec, alerts), server.WithLearning(h))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func TestClientAgainstTheServer(t *testing.T) {
	ts := newServer(t)
	ctx := context.Background()
	c, err := client.New(ts.URL+"/", client.Options{Token: "secret-key-1", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if c.Base() != ts.URL {
		t.Errorf("base %q, want %q", c.Base(), ts.URL)
	}

	resp, err := c.Plan(ctx, planner.Request{Text: "calculate (12.5 + 7) * 3"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Plan == nil || len(resp.Plan.Steps) != 1 || resp.Plan.Steps[0].Tool != "calculate" || resp.Source != planner.SourcePattern {
		t.Fatalf("plan: %+v", resp)
	}

	st, err := c.StartRun(ctx, client.RunRequest{Request: "calculate 6 * 7"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != "succeeded" || st.ID == "" || len(st.Steps) != 1 {
		t.Fatalf("run: %+v", st)
	}
	got, err := c.Run(ctx, st.ID)
	if err != nil || got.ID != st.ID || got.Status != "succeeded" {
		t.Fatalf("run %s read back: %+v, %v", st.ID, got, err)
	}
	if err := c.Feedback(ctx, st.ID, 1, "right"); err != nil {
		t.Fatal(err)
	}

	raw, err := c.Metrics(ctx, "lifetime")
	if err != nil {
		t.Fatal(err)
	}
	var sum metrics.Summary
	if err := json.Unmarshal(raw, &sum); err != nil || sum.Requests != 2 || sum.Window != "lifetime" {
		t.Fatalf("metrics: %+v, %v", sum, err)
	}
	if raw, err = c.Alerts(ctx); err != nil || !json.Valid(raw) {
		t.Fatalf("alerts: %s, %v", raw, err)
	}

	rs, err := c.History(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Request != "calculate 6 * 7" || rs[0].Tenant != "acme" {
		t.Fatalf("history: %d records, newest %+v", len(rs), rs[0])
	}
	in, err := c.Insights(ctx, 0)
	if err != nil || in.Requests != 2 {
		t.Fatalf("insights: %+v, %v", in, err)
	}

	e, err := c.CreateExperiment(ctx, history.Experiment{ID: "wording", Variants: []history.Variant{{Name: "default"}, {Name: "concise"}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "wording" || len(e.Variants) != 2 || e.Tenant != "acme" {
		t.Fatalf("created: %+v", e)
	}
	list, err := c.Experiments(ctx)
	if err != nil || len(list) != 1 || list[0].Experiment.ID != "wording" {
		t.Fatalf("experiments: %+v, %v", list, err)
	}
	if e, err = c.Promote(ctx, "wording", "concise"); err != nil || e.Winner != "concise" {
		t.Fatalf("promote: %+v, %v", e, err)
	}

	// A typed refusal is an *Error with the API's code and message.
	_, err = c.Plan(ctx, planner.Request{Text: "make me a sandwich with extra pickles"})
	var apiErr *client.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 || apiErr.Code != "cannot_plan" || apiErr.Message == "" || len(apiErr.Body) == 0 {
		t.Fatalf("refusal: %v", err)
	}
	if _, err := c.Promote(ctx, "no-such-experiment", ""); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Fatalf("unknown experiment: %v", err)
	}
}

func TestClientErrors(t *testing.T) {
	ts := newServer(t)
	ctx := context.Background()

	for _, bad := range []string{"", "127.0.0.1:8080", "ftp://example.com", "http://"} {
		if _, err := client.New(bad, client.Options{}); err == nil {
			t.Errorf("New(%q) accepted", bad)
		}
	}

	// No key: 401, named by IsUnauthorized, with the server's message.
	c, err := client.New(ts.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.History(ctx, 10, 0)
	var apiErr *client.Error
	if !client.IsUnauthorized(err) || !errors.As(err, &apiErr) || apiErr.Method != "GET" || apiErr.Path != "/api/v1/history?limit=10&offset=0" || apiErr.Message == "" {
		t.Fatalf("without a key: %v", err)
	}
	if want := "GET /api/v1/history?limit=10&offset=0: " + apiErr.Message + " (401 " + apiErr.Code + ")"; err.Error() != want {
		t.Errorf("error text %q, want %q", err, want)
	}

	// Nobody listening: a *NetError.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err = client.New("http://"+addr, client.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Metrics(ctx, "")
	var netErr *client.NetError
	if !errors.As(err, &netErr) || netErr.Path != "/api/v1/metrics/planner" || client.IsUnauthorized(err) {
		t.Fatalf("unreachable: %v", err)
	}
}

// KeyOrEnv: the key given, else $PLANWISE_API_KEY; New never reads the variable itself.
func TestKeyOrEnv(t *testing.T) {
	t.Setenv(client.KeyEnv, "")
	if got := client.KeyOrEnv(""); got != "" {
		t.Errorf("no key, no variable: %q", got)
	}
	t.Setenv(client.KeyEnv, "from-env")
	if got := client.KeyOrEnv(""); got != "from-env" {
		t.Errorf("no key: %q, want the variable's", got)
	}
	if got := client.KeyOrEnv("given"); got != "given" {
		t.Errorf("a key given: %q, want it over the variable", got)
	}
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		w.Write([]byte(`{"records":[]}`))
	}))
	defer srv.Close()
	c, err := client.New(srv.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.History(context.Background(), 1, 0); err != nil || auth != "" {
		t.Errorf("New read $%s: Authorization %q (%v)", client.KeyEnv, auth, err)
	}
}

// Key: --api-key, else --api-key-file's content, else $PLANWISE_API_KEY; both flags, or
// a file that cannot be read, are errors naming the flags.
func TestKey(t *testing.T) {
	t.Setenv(client.KeyEnv, "from-env")
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, []byte("  from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ key, file, want, err string }{
		{"", "", "from-env", ""},
		{"given", "", "given", ""},
		{"", file, "from-file", ""},
		{"given", file, "", "give --api-key or --api-key-file, not both"},
		{"", file + ".missing", "", "--api-key-file: open "},
	} {
		got, err := client.Key(tt.key, tt.file)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Key(%q, %q) = %q, %v; want %q, %q", tt.key, tt.file, got, err, tt.want, tt.err)
		}
	}
}

// Explain words a refused key and an unreachable server for people, the same way for
// every call, and keeps the error's cause; anything else passes as it is.
func TestExplain(t *testing.T) {
	ts := newServer(t)
	ctx := context.Background()
	c, err := client.New(ts.URL, client.Options{Token: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Experiments(ctx)
	got := client.Explain(err)
	if want := "GET /api/v1/experiments: invalid API key (" + client.KeyHint + ")"; got.Error() != want {
		t.Errorf("refused key: %q, want %q", got, want)
	}
	if apiErr, ok := errors.AsType[*client.Error](got); !ok || apiErr.StatusCode != http.StatusUnauthorized || !client.IsUnauthorized(got) {
		t.Errorf("refused key: the *Error is lost: %#v", got)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close()
	c, err = client.New(base, client.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.History(ctx, 1, 0)
	got = client.Explain(err)
	if !strings.HasPrefix(got.Error(), "cannot reach the planwise server at "+base+": ") || !strings.HasSuffix(got.Error(), "(is `planwise serve` running? set --server)") {
		t.Errorf("unreachable: %q", got)
	}
	if _, ok := errors.AsType[*client.NetError](got); !ok {
		t.Errorf("unreachable: the *NetError is lost: %#v", got)
	}

	c, err = client.New(ts.URL, client.Options{Token: "secret-key-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Promote(ctx, "none", "")
	if err == nil || client.Explain(err) != err {
		t.Errorf("another error: %v changed to %v", err, client.Explain(err))
	}
	if client.Explain(nil) != nil {
		t.Error("Explain(nil) is not nil")
	}
}

// IsCannotPlan is true for a refusal only, whether a planner in this process or a server
// refused, and reads the error's type, not its words: the planwise CLI's plan and run
// exit 2 on it, 1 on every other failure.
func TestIsCannotPlan(t *testing.T) {
	ts := newServer(t)
	ctx := context.Background()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	local := func(req planner.Request) error {
		_, err := pl.Plan(ctx, req)
		return err
	}
	keyed, err := client.New(ts.URL, client.Options{Token: "secret-key-1", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	remote := func(c *client.Client, text string) error {
		_, err := c.Plan(ctx, planner.Request{Text: text})
		return err
	}
	anonymous, err := client.New(ts.URL, client.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := client.New("http://"+ln.Addr().String(), client.Options{Timeout: 5 * time.Second})
	ln.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"the offline planners refused", local(planner.Request{Text: "zxqv blorft wuzzle"}), true},
		{"a server's 422 cannot_plan", remote(keyed, "make me a sandwich with extra pickles"), true},
		{"a refusal wrapped", fmt.Errorf("planning: %w", local(planner.Request{Text: "zxqv blorft wuzzle"})), true},
		{"an invalid request", local(planner.Request{Text: "calculate 1 + 1", Options: planner.Options{DeadlineMS: -1}}), false},
		{"no LLM and nothing planned offline", fmt.Errorf("planning: %w", &planner.Error{Code: planner.CodeUnavailable, Message: "the LLM failed"}), false},
		{"the deadline spent", &planner.Error{Code: planner.CodeDeadline}, false},
		{"a server's 400", remote(keyed, " "), false},
		{"a server refusing the key", remote(anonymous, "zxqv blorft wuzzle"), false},
		{"a server not reached", remote(gone, "zxqv blorft wuzzle"), false},
		{"words only", errors.New("cannot_plan: no tool fits (422)"), false},
		{"a server's 422 of another code", &client.Error{StatusCode: 422, Code: "invalid_plan"}, false},
		{"nil", nil, false},
	} {
		if tt.err == nil && tt.name != "nil" {
			t.Fatalf("%s: no error", tt.name)
		}
		if got := client.IsCannotPlan(tt.err); got != tt.want {
			t.Errorf("%s: IsCannotPlan(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
