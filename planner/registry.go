package planner

import "github.com/planwise/planwise/tool"

// SetRegistry replaces the tool registry for the requests that start afterwards (a tool
// source's list changed, an MCP server came back). The planner is rebuilt over reg with
// the options it was made with, then extra (which override them: pass the options that
// are bound to a registry, such as WithLLM with a router for reg), and swapped in as one
// value: a request plans against one registry from start to end, and requests in flight
// finish with the one they started with. The cache and the history need nothing: the
// registry version is part of their namespaces, so plans made against the old registry
// are never served against the new one. On error the current registry stays.
//
// Options holding values built from a registry (WithPatternPlanner, WithHistoryPlanner,
// a Router) keep those values unless extra replaces them.
func (p *Planner) SetRegistry(reg *tool.Registry, extra ...Option) error {
	p.swap.Lock()
	defer p.swap.Unlock()
	q, err := New(reg, append(p.opts[:len(p.opts):len(p.opts)], extra...)...)
	if err != nil {
		return err
	}
	q.now = p.now
	p.live.Store(q)
	return nil
}
