package loadgen

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/planwise/planwise/app"
	"github.com/planwise/planwise/pattern"
	"github.com/planwise/planwise/server"
	"github.com/planwise/planwise/tool"
)

// AppTarget is the system under test of a soak (SoakConfig.Start) as `planwise serve`
// assembles it: the planner wired from Config by package app, behind the HTTP API, with
// the production default store (SQLite, in a private temporary directory removed when it
// stops: with the memory driver the history keeps every record in memory, which is
// growth by design) and the cache and the history's success pool bounded, so that the
// heap can plateau.
type AppTarget struct {
	// Config is the configuration to start from; Start works on a copy.
	Config *app.Config
	// Registry is the tool registry (app.Options.Registry).
	Registry *tool.Registry
	// CacheCapacity bounds the cache (cache.capacity; the cache is enabled).
	CacheCapacity int
	// HistoryPool bounds the history's success pool (history.max_pool).
	HistoryPool int
	// Stderr receives the app's warnings.
	Stderr io.Writer
}

// Soak soaks planwise as pw is configured, as `planwise bench soak` does: the system
// under test is t over pw's configuration and tool registry (t's Config and Registry
// are set from pw), and the simulator answers with the pattern planner over the same
// registry (c's Answerer and Start are set).
func (t AppTarget) Soak(ctx context.Context, pw *app.App, c SoakConfig) (*SoakReport, error) {
	reg, err := pw.Registry()
	if err != nil {
		return nil, err
	}
	t.Config, t.Registry = pw.Config(), reg
	c.Answerer, c.Start = pattern.NewPattern(reg), t.Start
	return Soak(ctx, c)
}

// Start starts the target with its LLM at llmBaseURL, serving HTTP on ln; stop stops
// the server, closes the app and removes the store's directory.
func (t AppTarget) Start(ctx context.Context, llmBaseURL string, ln net.Listener) (stop func(), err error) {
	conf := *t.Config
	cfg := &conf
	cfg.LLM.BaseURL, cfg.LLM.APIKey = llmBaseURL, "sim"
	dir, err := os.MkdirTemp("", "planwise-soak-")
	if err != nil {
		return nil, err
	}
	cfg.Store.Driver, cfg.Store.Path = "sqlite", filepath.Join(dir, "soak.db")
	cfg.Cache.Enabled, cfg.Cache.Capacity = true, t.CacheCapacity
	cfg.History.MaxPool = t.HistoryPool
	pw, err := app.New(ctx, cfg, app.Options{Registry: t.Registry, Stderr: t.Stderr})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p, err := pw.Planner(ctx)
	if err != nil {
		pw.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	srvCtx, stopSrv := context.WithCancel(ctx)
	srvDone := make(chan error, 1)
	srv := server.New(server.Config{ReadTimeout: cfg.Server.ReadTimeout, WriteTimeout: cfg.Server.WriteTimeout,
		IdleTimeout: cfg.Server.IdleTimeout, MaxBodyBytes: cfg.Server.MaxBodyBytes}, p)
	go func() { srvDone <- srv.Serve(srvCtx, ln, 10*time.Second) }()
	return func() { stopSrv(); <-srvDone; pw.Close(); os.RemoveAll(dir) }, nil
}
