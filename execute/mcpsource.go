package execute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/planwise/planwise/tool"
)

// MCPServer is an MCP server whose tools are listed into the registry.
type MCPServer struct {
	// ID names the server in errors, logs, readiness and metrics ("tools.mcp[0]", or its
	// configured name).
	ID string
	// Namespace, when set, prefixes the server's tool names ("fs" gives "fs.read_file"),
	// so that servers with tools of the same name can be used together. Empty keeps the
	// server's own names.
	Namespace string
	Spec      tool.MCPSpec
}

// MCPSourceOptions tune MCPSources. The zero value works.
type MCPSourceOptions struct {
	// Reserved maps the names of tools from other sources (built-ins, files) to where they
	// come from: an MCP tool by one of these names is refused, never a silent replacement.
	Reserved map[string]string
	// OnChange is called after the set of tools changed once Load has returned (a server
	// that was down listed its tools, or a server's list changed). Calls come one at a
	// time, from the sources' own goroutines. Without it, tool list changes are not
	// followed (a one-shot command has no use for them).
	OnChange func()
	// Logger receives connection failures, recoveries and list changes.
	Logger *slog.Logger
	// RetryMin and RetryMax bound the backoff between reconnection attempts to a server
	// that is down (defaults 1 s and 1 min).
	RetryMin, RetryMax time.Duration
}

// MCPServerStatus is one server's state, as readiness checks and metrics report it.
type MCPServerStatus struct {
	ID    string `json:"id"`
	Up    bool   `json:"up"`
	Tools int    `json:"tools"`
	// Error is why the server is down, or why its latest tool list was refused.
	Error string `json:"error,omitempty"`
	// Failures counts the connection or listing attempts that failed since the last
	// success.
	Failures int `json:"failures,omitempty"`
	// NextRetry is when a server that is down is tried again.
	NextRetry time.Time `json:"next_retry,omitzero"`
}

// MCPSources lists the tools of MCP servers into the registry and keeps the list
// current. It shares the runner's sessions (one per server, also used for tool calls):
// listing starts a server once per process, not once to list and again to call.
//
//   - Names: a server's tools keep their names, or get Namespace + "." in front. A name
//     that another server or another source already has is refused with an error naming
//     both (the fix: give the servers a namespace), never silently replaced.
//   - Down servers: Load waits a bounded time; a server that failed is, with retry,
//     retried in the background with exponential backoff and its tools join when it
//     answers; Status reports it meanwhile.
//   - Changes: a server's notifications/tools/list_changed makes its tools be listed
//     again; a different list calls OnChange (the caller builds a new registry, whose new
//     version keys the cache and the history afresh).
//
// Close stops the background work; the runner's sessions stay the runner's.
type MCPSources struct {
	runner  *MCPRunner
	opts    MCPSourceOptions
	servers []*mcpSource
	log     *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex // guards every mcpSource's state below cfg
	loaded   bool       // Load has returned: later changes call OnChange
	changeMu sync.Mutex // one OnChange at a time
}

type mcpSource struct {
	cfg MCPServer

	tools     []*tool.Tool
	up        bool
	err       error
	failures  int
	failTotal int
	changes   int
	nextRetry time.Time
	retrying  bool
}

// NewMCPSources returns sources for servers, calling tools through runner. Load lists
// their tools.
func NewMCPSources(runner *MCPRunner, servers []MCPServer, opts MCPSourceOptions) *MCPSources {
	if opts.RetryMin <= 0 {
		opts.RetryMin = time.Second
	}
	if opts.RetryMax <= 0 {
		opts.RetryMax = time.Minute
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &MCPSources{runner: runner, opts: opts, log: log, ctx: ctx, cancel: cancel}
	for _, srv := range servers {
		s.servers = append(s.servers, &mcpSource{cfg: srv})
	}
	return s
}

// ErrNameConflict is wrapped by the error of a tool list that would reuse a name.
var ErrNameConflict = errors.New("tool name already taken")

// Load connects to every server at once and lists its tools, waiting at most wait
// (MCPConnectTimeout when zero). The lists are applied in configuration order, so that of
// two servers with a tool of the same name the later one is refused. A name conflict is
// an error whatever retry says: it is the configuration's to fix. Without retry, any
// server that failed makes Load fail (a one-shot command needs every tool it was told
// about). With retry, servers that failed or are still connecting are left down and
// retried in the background until Close; Load then returns their errors joined, for the
// caller to report, with ok true.
func (s *MCPSources) Load(ctx context.Context, wait time.Duration, retry bool) (ok bool, err error) {
	if wait <= 0 {
		wait = MCPConnectTimeout
	}
	type fetched struct {
		src   *mcpSource
		tools []*tool.Tool
		err   error
	}
	results := make(chan fetched, len(s.servers))
	for _, src := range s.servers {
		s.wg.Go(func() {
			ctx, cancel := context.WithTimeout(s.ctx, MCPConnectTimeout)
			defer cancel()
			tools, err := s.fetch(ctx, src)
			results <- fetched{src, tools, err}
		})
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	got := map[*mcpSource]fetched{}
collect:
	for len(got) < len(s.servers) {
		select {
		case r := <-results:
			got[r.src] = r
		case <-timer.C:
			break collect
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	var errs []error
	conflict := false
	for _, src := range s.servers {
		r, done := got[src]
		if !done {
			errs = append(errs, fmt.Errorf("%s: %s did not answer within %s", src.cfg.ID, describeServer(&src.cfg.Spec), wait))
			continue
		}
		if err := s.settle(src, r.tools, r.err); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", src.cfg.ID, err))
			conflict = conflict || errors.Is(err, ErrNameConflict)
			if retry && !errors.Is(err, ErrNameConflict) {
				s.startRetry(src)
			}
		}
	}
	s.mu.Lock()
	s.loaded = true
	s.mu.Unlock()
	if late := len(s.servers) - len(got); retry && late > 0 {
		// Their first attempt goes on; its result decides whether to retry.
		s.wg.Go(func() {
			for range late {
				select {
				case r := <-results:
					if err := s.settle(r.src, r.tools, r.err); err == nil {
						s.changed(r.src, "listed its tools late")
					} else if !errors.Is(err, ErrNameConflict) {
						s.startRetry(r.src)
					} else {
						s.log.Error("MCP server answered, but its tools were refused", "server", r.src.cfg.ID, "err", err)
					}
				case <-s.ctx.Done():
					return
				}
			}
		})
	}
	err = errors.Join(errs...)
	if conflict || (!retry && err != nil) {
		return false, err
	}
	return true, err
}

// list connects (or reuses the session), lists the server's tools and applies them.
func (s *MCPSources) list(src *mcpSource) error {
	ctx, cancel := context.WithTimeout(s.ctx, MCPConnectTimeout)
	defer cancel()
	tools, err := s.fetch(ctx, src)
	return s.settle(src, tools, err)
}

// settle applies a fetched list (unless fetching failed) and records the server's state.
func (s *MCPSources) settle(src *mcpSource, tools []*tool.Tool, err error) error {
	if err == nil {
		err = s.apply(src, tools)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		src.err = err
		if !errors.Is(err, ErrNameConflict) {
			src.up = false
			src.failures++
			src.failTotal++
		}
		return err
	}
	src.up, src.err, src.failures = true, nil, 0
	return nil
}

func (s *MCPSources) fetch(ctx context.Context, src *mcpSource) ([]*tool.Tool, error) {
	sess, err := s.runner.session(ctx, &src.cfg.Spec)
	if err != nil {
		return nil, err
	}
	if s.opts.OnChange != nil {
		// Watch before listing: a change announced in between is not lost.
		s.runner.watch(&src.cfg.Spec, func() { s.relist(src) })
	}
	tools, err := listTools(ctx, sess.cs, src.cfg.Spec, src.cfg.Namespace)
	if err != nil {
		// As for calls: a JSON-RPC error is the server's answer; anything else that is
		// not our own deadline means the connection broke.
		var rpcErr *jsonrpc.Error
		if !errors.As(err, &rpcErr) && ctx.Err() == nil {
			s.runner.drop(&src.cfg.Spec, sess)
		}
		return nil, err
	}
	return tools, nil
}

// apply sets src's tools unless a name is taken (ErrNameConflict); a different list
// counts as a change.
func (s *MCPSources) apply(src *mcpSource, tools []*tool.Tool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	taken := map[string]string{}
	for name, from := range s.opts.Reserved {
		taken[name] = from
	}
	for _, other := range s.servers {
		if other == src {
			continue
		}
		for _, t := range other.tools {
			taken[t.Name] = other.cfg.ID + " (" + describeServer(&other.cfg.Spec) + ")"
		}
	}
	byFrom := map[string][]string{}
	for _, t := range tools {
		if from, ok := taken[t.Name]; ok {
			byFrom[from] = append(byFrom[from], fmt.Sprintf("%q", t.Name))
		}
	}
	if len(byFrom) > 0 {
		var conflicts []string
		for from, names := range byFrom {
			sort.Strings(names)
			list := strings.Join(names, ", ")
			if len(names) > 6 {
				list = strings.Join(names[:6], ", ") + fmt.Sprintf(" and %d more", len(names)-6)
			}
			verb := "is also a tool"
			if len(names) > 1 {
				verb = "are also tools"
			}
			conflicts = append(conflicts, fmt.Sprintf("%s %s of %s", list, verb, from))
		}
		sort.Strings(conflicts)
		return fmt.Errorf("%w: %s (fix: give the MCP servers a name, e.g. name: fs, so that their tools are namespaced as fs.TOOL)",
			ErrNameConflict, strings.Join(conflicts, "; "))
	}
	if !sameTools(src.tools, tools) {
		src.tools = tools
		src.changes++
	}
	return nil
}

// relist lists a server's tools again after it said they changed.
func (s *MCPSources) relist(src *mcpSource) {
	s.mu.Lock()
	before := src.changes
	s.mu.Unlock()
	if err := s.list(src); err != nil {
		if s.ctx.Err() != nil {
			return // closing
		}
		s.log.Warn("MCP server tool list changed, but listing it again failed: keeping the previous list",
			"server", src.cfg.ID, "err", err)
		if !errors.Is(err, ErrNameConflict) {
			s.startRetry(src)
		}
		return
	}
	s.mu.Lock()
	changed := src.changes != before
	s.mu.Unlock()
	if changed {
		s.changed(src, "changed its tool list")
	}
}

// startRetry reconnects to a server that is down, with backoff, until it answers or
// Close. One retry loop per server.
func (s *MCPSources) startRetry(src *mcpSource) {
	s.mu.Lock()
	if src.retrying {
		s.mu.Unlock()
		return
	}
	src.retrying = true
	s.mu.Unlock()
	s.wg.Go(func() {
		defer func() {
			s.mu.Lock()
			src.retrying, src.nextRetry = false, time.Time{}
			s.mu.Unlock()
		}()
		b := backoff.NewExponentialBackOff()
		b.InitialInterval, b.MaxInterval, b.Multiplier = s.opts.RetryMin, s.opts.RetryMax, 2
		for {
			wait := b.NextBackOff()
			s.mu.Lock()
			src.nextRetry = time.Now().Add(wait)
			err := src.err
			s.mu.Unlock()
			s.log.Warn("MCP server is down: its tools are left out until it answers", "server", src.cfg.ID,
				"err", err, "retry_in", wait.String())
			t := time.NewTimer(wait)
			select {
			case <-s.ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			err = s.list(src)
			if err == nil {
				s.changed(src, "is up again")
				return
			}
			if errors.Is(err, ErrNameConflict) {
				s.log.Error("MCP server answered, but its tools were refused", "server", src.cfg.ID, "err", err)
				return
			}
		}
	})
}

// changed reports a change of the tool set to OnChange, once Load has returned.
func (s *MCPSources) changed(src *mcpSource, what string) {
	s.mu.Lock()
	loaded := s.loaded
	n := len(src.tools)
	s.mu.Unlock()
	s.log.Info("MCP server "+what, "server", src.cfg.ID, "tools", n)
	if !loaded || s.opts.OnChange == nil || s.ctx.Err() != nil {
		return
	}
	s.changeMu.Lock()
	defer s.changeMu.Unlock()
	s.opts.OnChange()
}

// Tools returns the tools of every server that listed them, in configuration order.
func (s *MCPSources) Tools() []*tool.Tool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*tool.Tool
	for _, src := range s.servers {
		out = append(out, src.tools...)
	}
	return out
}

// Status reports every server's state, in configuration order.
func (s *MCPSources) Status() []MCPServerStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]MCPServerStatus, len(s.servers))
	for i, src := range s.servers {
		st := MCPServerStatus{ID: src.cfg.ID, Up: src.up, Tools: len(src.tools), Failures: src.failures, NextRetry: src.nextRetry}
		if src.err != nil {
			st.Error = src.err.Error()
		}
		out[i] = st
	}
	return out
}

// Down describes the servers that are down, and those whose latest tool list was refused
// (for a readiness report); nil when all are up and current.
func (s *MCPSources) Down() []string {
	var out []string
	for _, st := range s.Status() {
		if st.Up {
			if st.Error != "" {
				out = append(out, fmt.Sprintf("MCP server %s: its latest tool list was refused, the previous one is in use: %s", st.ID, st.Error))
			}
			continue
		}
		msg := fmt.Sprintf("MCP server %s is down (%d failed attempts): %s", st.ID, st.Failures, st.Error)
		if !st.NextRetry.IsZero() {
			msg += fmt.Sprintf("; retrying in %s", time.Until(st.NextRetry).Round(time.Second))
		}
		out = append(out, msg)
	}
	return out
}

// Close stops reconnection attempts and list watching, and waits for them.
func (s *MCPSources) Close() {
	s.cancel()
	for _, src := range s.servers {
		s.runner.watch(&src.cfg.Spec, nil)
	}
	s.wg.Wait()
}

var (
	descMCPUp = prometheus.NewDesc("planwise_mcp_server_up",
		"1 when the MCP tool server answered its latest connection or listing, 0 while it is down (its tools are left out).", []string{"server"}, nil)
	descMCPTools = prometheus.NewDesc("planwise_mcp_server_tools",
		"Tools listed into the registry from the MCP server.", []string{"server"}, nil)
	descMCPFailures = prometheus.NewDesc("planwise_mcp_server_failures_total",
		"Failed connection or listing attempts to the MCP server.", []string{"server"}, nil)
	descMCPChanges = prometheus.NewDesc("planwise_mcp_server_tool_list_changes_total",
		"Times the MCP server's tool list was listed with a different content (its first list included).", []string{"server"}, nil)
)

// Collector exposes the servers' state to Prometheus.
func (s *MCPSources) Collector() prometheus.Collector { return sourcesCollector{s} }

type sourcesCollector struct{ s *MCPSources }

func (c sourcesCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descMCPUp
	ch <- descMCPTools
	ch <- descMCPFailures
	ch <- descMCPChanges
}

func (c sourcesCollector) Collect(ch chan<- prometheus.Metric) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	for _, src := range c.s.servers {
		up := 0.0
		if src.up {
			up = 1
		}
		id := src.cfg.ID
		ch <- prometheus.MustNewConstMetric(descMCPUp, prometheus.GaugeValue, up, id)
		ch <- prometheus.MustNewConstMetric(descMCPTools, prometheus.GaugeValue, float64(len(src.tools)), id)
		ch <- prometheus.MustNewConstMetric(descMCPFailures, prometheus.CounterValue, float64(src.failTotal), id)
		ch <- prometheus.MustNewConstMetric(descMCPChanges, prometheus.CounterValue, float64(src.changes), id)
	}
}

// sameTools reports whether two lists describe the same tools.
func sameTools(a, b []*tool.Tool) bool {
	if len(a) != len(b) {
		return false
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
