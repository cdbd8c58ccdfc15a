package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/history"
	"github.com/planwise/planwise/planner"
)

// sqliteConfig is the default configuration with the SQLite store in a test directory.
func sqliteConfig(t *testing.T) *app.Config {
	t.Helper()
	cfg := app.DefaultConfig()
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(t.TempDir(), "planwise.db")
	return &cfg
}

// waitFor polls f until it reports true or the deadline passes.
func waitFor(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A Go program assembles what planwise serve runs with New and Serve: the API answers,
// the store is ready, requests are recorded, and Serve stops everything it started.
func TestServeAssemblesTheServer(t *testing.T) {
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.New(ctx, sqliteConfig(t), app.Options{Serve: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	waitFor(t, "/readyz", func() bool {
		res, err := http.Get(url + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == 200
	})

	res, err := http.Post(url+"/api/v1/plan", "application/json", strings.NewReader(`{"request": "calculate (12.5 + 7) * 3"}`))
	if err != nil {
		t.Fatal(err)
	}
	var resp planner.Response
	if err := json.NewDecoder(res.Body).Decode(&resp); err != nil || res.StatusCode != 200 || resp.Source != planner.SourcePattern || resp.Plan.Steps[0].Tool != "calculate" {
		t.Fatalf("plan: %d %+v %v", res.StatusCode, resp, err)
	}
	res.Body.Close()

	// The planner the server uses is the app's, and the history queue Serve runs
	// writes its record.
	p, err := a.Planner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.Offline() != true {
		t.Error("no LLM configured, yet the planner is online")
	}
	h, err := a.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the history record", func() bool {
		rs, err := h.Recent(ctx, history.Query{Tenant: planner.DefaultTenant, Limit: 10})
		return err == nil && len(rs) == 1 && rs[0].Request == "calculate (12.5 + 7) * 3"
	})

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	http.DefaultClient.CloseIdleConnections()
	waitFor(t, "the goroutines to end", func() bool { return runtime.NumGoroutine() <= base+2 })
}

// Every part is built once and shared, whatever the order it is asked for in.
func TestPartsAreSharedWhateverTheOrder(t *testing.T) {
	ctx := context.Background()
	for _, order := range []string{"planner,executor,runs", "runs,executor,planner"} {
		a, err := app.New(ctx, sqliteConfig(t), app.Options{Stderr: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range strings.Split(order, ",") {
			switch part {
			case "planner":
				_, err = a.Planner(ctx)
			case "executor":
				_, err = a.Executor()
			case "runs":
				_, err = a.Runs(ctx)
			}
			if err != nil {
				t.Fatalf("%s: %s: %v", order, part, err)
			}
		}
		p1, _ := a.Planner(ctx)
		p2, _ := a.Planner(ctx)
		ex1, _ := a.Executor()
		ex2, _ := a.Executor()
		r1, _ := a.Runs(ctx)
		r2, _ := a.Runs(ctx)
		reg, _ := a.Registry()
		if p1 != p2 || ex1 != ex2 || r1 != r2 || p1.Registry() != reg || ex1.Registry() != reg {
			t.Errorf("%s: parts built twice or over different registries", order)
		}
		st, err := r1.Start(ctx, planner.RunRequest{Request: planner.Request{Text: "calculate 6 * 7"}}, true)
		if err != nil || st.Status != "succeeded" {
			t.Fatalf("%s: run: %+v %v", order, st, err)
		}
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Runs(ctx); err == nil {
			t.Errorf("%s: a run service built after Close", order)
		}
	}
}

func TestServerNeedsServe(t *testing.T) {
	cfg := app.DefaultConfig()
	cfg.Store.Driver = "memory"
	a, err := app.New(context.Background(), &cfg, app.Options{Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Server(context.Background()); err == nil {
		t.Fatal("Server built without Options.Serve")
	}
	if _, err := app.New(context.Background(), nil, app.Options{}); err == nil || !strings.Contains(err.Error(), "nil configuration") {
		t.Fatalf("nil configuration: %v", err)
	}
	// The registry given is the registry used.
	reg, err := a.Registry()
	if err != nil || reg.Len() == 0 {
		t.Fatalf("registry: %v", err)
	}
	b, err := app.New(context.Background(), &cfg, app.Options{Registry: reg, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got, _ := b.Registry(); got != reg {
		t.Error("Options.Registry was not used")
	}
}

// Listen listens on server.addr and logs that planwise is serving, with the mode it
// returns; an address in use is an error that says how to fix it.
func TestListen(t *testing.T) {
	ctx := context.Background()
	cfg := sqliteConfig(t)
	cfg.Server.Addr = "127.0.0.1:0"
	var logged strings.Builder
	a, err := app.New(ctx, cfg, app.Options{Serve: true, Offline: true, Stderr: io.Discard, Logger: slog.New(slog.NewJSONHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, mode, err := a.Listen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if !strings.HasPrefix(mode, "offline (as asked") {
		t.Errorf("mode %q", mode)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(logged.String()), &rec); err != nil || rec["msg"] != "planwise serving" ||
		rec["addr"] != ln.Addr().String() || rec["mode"] != mode || rec["store"] != a.StoreSummary() {
		t.Errorf("log %q (%v)", logged.String(), err)
	}

	busy := sqliteConfig(t)
	busy.Server.Addr = ln.Addr().String()
	b, err := app.New(ctx, busy, app.Options{Serve: true, Offline: true, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, _, err := b.Listen(ctx); err == nil || !strings.Contains(err.Error(), "(fix: choose a free address with --addr)") {
		t.Errorf("an address in use: %v", err)
	}

	// Options.Addr is listened on instead of server.addr, the caller's configuration
	// left as it was.
	given := sqliteConfig(t)
	given.Server.Addr = ln.Addr().String()
	c, err := app.New(ctx, given, app.Options{Serve: true, Offline: true, Addr: "127.0.0.1:0", Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ln2, _, err := c.Listen(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	if given.Server.Addr != ln.Addr().String() || c.Config().Server.Addr != "127.0.0.1:0" {
		t.Errorf("server.addr %q given, %q used", given.Server.Addr, c.Config().Server.Addr)
	}
}

// WarnAuthRefused speaks on Options.Stderr when, and only when, the provider refused the
// key while a request was planned (planner.AuthRefused).
func TestWarnAuthRefused(t *testing.T) {
	var stderr strings.Builder
	cfg := app.DefaultConfig()
	a, err := app.New(context.Background(), &cfg, app.Options{Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	refused := &planner.Response{Source: "pattern", Fallback: true, Errors: []string{"AuthError"}}
	a.WarnAuthRefused(&planner.Response{Source: "pattern", Errors: []string{"RateLimitError"}}, nil)
	a.WarnAuthRefused(nil, &planner.Error{Code: planner.CodeCannotPlan})
	if stderr.Len() != 0 {
		t.Fatalf("warned without a refused key: %q", stderr.String())
	}
	for _, tt := range []struct {
		resp *planner.Response
		err  error
	}{{refused, nil}, {nil, &planner.Error{Code: planner.CodeCannotPlan, Response: refused}}} {
		stderr.Reset()
		a.WarnAuthRefused(tt.resp, tt.err)
		if !strings.Contains(stderr.String(), "refused the API key") || !strings.Contains(stderr.String(), "OPENAI_API_KEY") {
			t.Errorf("resp %v, err %v: stderr %q", tt.resp, tt.err, stderr.String())
		}
	}
}

// The server's mode says "no LLM configured" only when that is why it plans offline:
// not when offline planning was asked for (Options.Offline, planner.offline), with an
// LLM configured or not.
func TestListenSaysWhyOffline(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name            string
		llm, asked, cfg bool // an LLM configured; Options.Offline; planner.offline
		noLLM           bool
		mode            string
	}{
		{"no LLM", false, false, false, true, "offline (no LLM configured"},
		{"--offline, no LLM", false, true, false, false, "offline (as asked"},
		{"--offline, an LLM", true, true, false, false, "offline (as asked"},
		{"planner.offline, an LLM", true, false, true, false, "offline (as asked"},
		{"an LLM", true, false, false, false, "online"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := app.DefaultConfig()
			cfg.Store.Driver, cfg.Server.Addr, cfg.Planner.Offline = "memory", "127.0.0.1:0", tt.cfg
			if tt.llm { // never called: nothing is planned
				cfg.LLM.BaseURL = "http://127.0.0.1:1/v1"
			}
			a, err := app.New(ctx, &cfg, app.Options{Serve: true, Offline: tt.asked, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			ln, mode, err := a.Listen(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ln.Close()
			if !strings.HasPrefix(mode, tt.mode) || a.NoLLM() != tt.noLLM {
				t.Errorf("mode %q, NoLLM %v; want %q..., %v", mode, a.NoLLM(), tt.mode, tt.noLLM)
			}
		})
	}
}
