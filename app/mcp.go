package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server/mcpserver"
	"github.com/planwise/planwise/tool"
)

// mcpStartWait bounds how long the long-running commands (serve, mcp) wait for MCP tool
// servers before starting without those that have not answered.
const mcpStartWait = 10 * time.Second

// mcpState is the process's MCP tool servers (tools.mcp): one runner whose sessions
// serve both the listing and the calls (a server starts once per process), and the
// sources that keep the lists current.
type mcpState struct {
	runner  *execute.MCPRunner
	sources *execute.MCPSources
	base    []*tool.Tool // the other sources' tools, to rebuild the registry around

	mu sync.Mutex // serialises registry changes
}

// mcpTools lists the tools of the configured MCP servers (once per app). base holds the
// tools of the other sources: an MCP tool may not take one of their names. One-shot
// commands need every server; with LongRunning (serve, mcp) servers that are down are
// left out, reported, and retried in the background. a.mu is held.
func (a *App) mcpTools(base *tool.Registry) ([]*tool.Tool, error) {
	if a.mcp != nil {
		return a.mcp.sources.Tools(), nil
	}
	cfg, log, degrade := a.cfg, a.log, a.opts.LongRunning
	servers := make([]execute.MCPServer, len(cfg.Tools.MCP))
	for i, m := range cfg.Tools.MCP {
		id := fmt.Sprintf("tools.mcp[%d]", i)
		if m.Name != "" {
			id += " (" + m.Name + ")"
		}
		servers[i] = execute.MCPServer{ID: id, Namespace: m.Name, Spec: tool.MCPSpec{Command: m.Command, URL: m.URL}}
	}
	reserved := map[string]string{}
	for _, t := range base.Tools() {
		reserved[t.Name] = sourceName(t.Source)
	}
	st := &mcpState{runner: execute.NewMCPRunner(), base: base.Tools()}
	opts := execute.MCPSourceOptions{Reserved: reserved, Logger: log, RetryMin: min(time.Second, cfg.Tools.MCPRetryMax), RetryMax: cfg.Tools.MCPRetryMax}
	if degrade {
		opts.OnChange = a.mcpChanged // long-running: follow the servers' tool lists
	}
	st.sources = execute.NewMCPSources(st.runner, servers, opts)
	a.mcp = st
	wait := execute.MCPConnectTimeout
	if degrade {
		wait = mcpStartWait
	}
	ok, err := st.sources.Load(context.Background(), wait, degrade)
	if !ok {
		if errors.Is(err, execute.ErrNameConflict) {
			return nil, fmt.Errorf("tools.mcp: %w", err) // the error says the fix
		}
		return nil, fmt.Errorf("tools.mcp: %w (fix: check the server command or URL)", err)
	}
	if err != nil {
		log.Warn("starting without the tools of MCP servers that are down; retrying them in the background", "err", err)
	}
	return st.sources.Tools(), nil
}

func sourceName(source string) string {
	if source == "" {
		return "another tool source"
	}
	return source
}

// mcpChanged rebuilds the registry from the other sources and the MCP servers' current
// tools when a server that was down lists its tools or a server's tool list changes,
// and swaps it (a new version, so the cache and the history start afresh for it) into
// the app's planner and executor, when they are built; requests and runs in flight keep
// the registry they started with.
func (a *App) mcpChanged() {
	a.mu.Lock()
	st := a.mcp
	a.mu.Unlock()
	if st == nil {
		return // still listing: the registry is built from what Load found
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	reg, err := tool.NewRegistry(append(append([]*tool.Tool(nil), st.base...), st.sources.Tools()...)...)
	if err != nil {
		a.log.Error("tool registry change refused: keeping the previous registry", "err", err)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.regDone || a.reg == nil {
		return // the first registry is being built: it lists the current tools
	}
	old := a.reg.Version()
	if a.planner != nil {
		old = a.planner.Registry().Version()
	}
	if reg.Version() == old {
		return
	}
	if a.planner != nil {
		var opts []planner.Option
		if a.llm != nil {
			// The LLM stage's prompt, schema and router are compiled from the registry;
			// the provider (breakers, connections) is kept.
			o, err := a.llmOption()
			if err != nil {
				a.log.Error("tool registry change refused: keeping the previous registry", "err", err)
				return
			}
			opts = append(opts, o)
		}
		if err := a.planner.SetRegistry(reg, opts...); err != nil {
			a.log.Error("tool registry change refused: keeping the previous registry", "err", err)
			return
		}
	}
	a.reg = reg
	if a.exec != nil {
		a.exec.SetRegistry(reg)
	}
	a.log.Info("tool registry changed", "registry_version", reg.Version(), "previous", old, "tools", reg.Len())
}

// ServeMCP serves planwise as an MCP server (package mcpserver: tools plan, run and
// tools, the registry resource) over t, as `planwise mcp` does on stdio: the app's
// planner and run service, calls without a principal as MCPTenant, logs to
// Options.Logger (a warning when no LLM is configured). It returns nil when the client
// goes away (after answering the calls it sent before closing its input, for at most
// planner.max_deadline + execute.run_timeout) or ctx ends.
func (a *App) ServeMCP(ctx context.Context, t mcp.Transport) error {
	p, err := a.Planner(ctx)
	if err != nil {
		return err
	}
	runs, err := a.Runs(ctx)
	if err != nil {
		return err
	}
	// When the client closes its input, the calls it sent are answered first, for as
	// long as one may take: planning's longest deadline, then the run's bound.
	drain := a.cfg.Planner.MaxDeadline + a.cfg.Execute.RunTimeout
	srv, err := mcpserver.New(mcpserver.Config{Planner: p, Runs: runs, Tenant: MCPTenant, Version: MCPVersion(), Logger: a.log, Drain: drain})
	if err != nil {
		return err
	}
	if a.NoLLM() {
		a.log.Warn("no LLM configured (set OPENAI_API_KEY or OPENAI_BASE_URL): planning offline")
	}
	err = srv.Run(ctx, t)
	if ctx.Err() != nil || errors.Is(err, mcp.ErrConnectionClosed) {
		return nil // the client went away or we were asked to stop
	}
	return err
}
