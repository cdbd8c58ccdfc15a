package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/internal/config"
	"github.com/planwise/planwise/planner"
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

	mu    sync.Mutex
	apply func(*tool.Registry) // set by followRegistry
}

// mcpTools lists the tools of the configured MCP servers (once per process). base holds
// the tools of the other sources: an MCP tool may not take one of their names. One-shot
// commands need every server; with a.mcpDegrade (serve, mcp) servers that are down are
// left out, reported, and retried in the background.
func (a *app) mcpTools(cfg *config.Config, base *tool.Registry) ([]*tool.Tool, error) {
	if a.mcp != nil {
		return a.mcp.sources.Tools(), nil
	}
	log := a.mcpLog
	if log == nil {
		log = slog.New(slog.NewTextHandler(a.Err, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
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
	if a.mcpDegrade {
		opts.OnChange = a.mcpChanged // long-running: follow the servers' tool lists
	}
	st.sources = execute.NewMCPSources(st.runner, servers, opts)
	a.mcp = st
	wait := execute.MCPConnectTimeout
	if a.mcpDegrade {
		wait = mcpStartWait
	}
	ok, err := st.sources.Load(context.Background(), wait, a.mcpDegrade)
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

// followRegistry keeps p and ex on the current registry: when an MCP server that was down
// lists its tools or a server's tool list changes, a new registry (new version, so the
// cache and the history start afresh for it) is swapped into both.
func (a *app) followRegistry(p *planner.Planner, ex *execute.Executor, log *slog.Logger) {
	st := a.mcp
	if st == nil {
		return
	}
	st.mu.Lock()
	st.apply = func(reg *tool.Registry) {
		old := p.Registry().Version()
		if reg.Version() == old {
			return
		}
		opts, err := a.registryOptions(reg)
		if err == nil {
			err = p.SetRegistry(reg, opts...)
		}
		if err != nil {
			log.Error("tool registry change refused: keeping the previous registry", "err", err)
			return
		}
		ex.SetRegistry(reg)
		log.Info("tool registry changed", "registry_version", reg.Version(), "previous", old, "tools", reg.Len())
	}
	st.mu.Unlock()
	a.mcpChanged() // what changed between listing and now
}

// mcpChanged rebuilds the registry from the other sources and the MCP servers' current
// tools and hands it to followRegistry's apply.
func (a *app) mcpChanged() {
	st := a.mcp
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.apply == nil {
		return
	}
	reg, err := tool.NewRegistry(append(append([]*tool.Tool(nil), st.base...), st.sources.Tools()...)...)
	if err != nil {
		if a.mcpLog != nil {
			a.mcpLog.Error("tool registry change refused: keeping the previous registry", "err", err)
		}
		return
	}
	st.apply(reg)
}

// registryOptions are the planner options built from a registry, rebuilt when it changes:
// the LLM stage (prompt, schema and router are compiled from the registry), over the
// provider the planner was built with.
func (a *app) registryOptions(reg *tool.Registry) ([]planner.Option, error) {
	if a.llmStage == nil {
		return nil, nil // the planner was built without an LLM
	}
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	o, err := a.llmStageOption(cfg, reg)
	if err != nil {
		return nil, err
	}
	return []planner.Option{o}, nil
}

// closeMCP stops the MCP sources and the servers the runner started.
func (a *app) closeMCP() {
	if a.mcp == nil {
		return
	}
	a.mcp.sources.Close()
	a.mcp.runner.Close()
}
