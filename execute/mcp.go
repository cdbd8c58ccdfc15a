package execute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/tool"
)

// MCPConnectTimeout bounds starting an MCP server and the protocol handshake.
const MCPConnectTimeout = 30 * time.Second

// MCPStopGrace is how long closing a stdio server's session waits for the server to exit
// after its standard input is closed, before asking it to stop with SIGTERM (then
// SIGKILL). The specification leaves the wait to the client; the SDK's default of 5 s
// was the whole of the ~5 s every CLI call spent with servers that keep running after
// their input ends (the official server-everything is one). SIGTERM is itself the
// graceful request, so a short wait loses nothing.
const MCPStopGrace = 300 * time.Millisecond

// ErrClosed is returned by an MCPRunner after Close.
var ErrClosed = errors.New("executor closed")

// MCPRunner calls tools on MCP servers (stdio or streamable HTTP) through the official
// Go SDK. It keeps one session per server, opened on the first call and shared by all
// calls (the protocol multiplexes them); a session whose connection breaks (the server
// exited, the pipe closed) is dropped and reopened on the next call, so a retried
// idempotent call reaches a fresh server. Close ends every session and the processes of stdio servers.
//
// The output of a call is its structured content when there is some, else its text
// content (parsed when it is a JSON object or array, joined with newlines when there
// are several pieces), else the content items as JSON. A result flagged isError is a
// step error carrying the text.
type MCPRunner struct {
	mu       sync.Mutex
	sessions map[string]*mcpSession
	// changed holds, per server, what to call when the server says its tool list
	// changed (notifications/tools/list_changed); see watch.
	changed map[string]func()
	closed  bool
	wg      sync.WaitGroup // connecting goroutines
}

type mcpSession struct {
	ready chan struct{} // closed when cs or err is set
	cs    *mcp.ClientSession
	err   error
}

// NewMCPRunner returns a runner with no sessions yet.
func NewMCPRunner() *MCPRunner {
	return &MCPRunner{sessions: map[string]*mcpSession{}, changed: map[string]func(){}}
}

// watch calls f, on a goroutine of its own, whenever the server of spec says its tool
// list changed. One watcher per server; nil removes it.
func (m *MCPRunner) watch(spec *tool.MCPSpec, f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f == nil {
		delete(m.changed, serverKey(spec))
		return
	}
	m.changed[serverKey(spec)] = f
}

// toolsChanged runs the watcher of the server key. It is called from the session's
// message loop, so the watcher (which lists the tools over the same session) runs apart.
func (m *MCPRunner) toolsChanged(key string) {
	m.mu.Lock()
	f := m.changed[key]
	closed := m.closed
	m.mu.Unlock()
	if f != nil && !closed {
		go f()
	}
}

func serverKey(spec *tool.MCPSpec) string {
	if len(spec.Command) > 0 {
		return "stdio:" + strings.Join(spec.Command, "\x00")
	}
	return "http:" + spec.URL
}

// transportFor returns the transport for spec; a stdio server's standard error goes to
// stderr.
func transportFor(spec *tool.MCPSpec, stderr io.Writer) (mcp.Transport, error) {
	switch {
	case len(spec.Command) > 0 && spec.URL != "":
		return nil, errors.New("mcp: set either command (stdio) or url (streamable HTTP), not both")
	case len(spec.Command) > 0:
		// Not CommandContext: the server outlives the call that started it.
		cmd := exec.Command(spec.Command[0], spec.Command[1:]...)
		cmd.Stderr = stderr
		return &mcp.CommandTransport{Command: cmd, TerminateDuration: MCPStopGrace}, nil
	case spec.URL != "":
		return &mcp.StreamableClientTransport{Endpoint: spec.URL, DisableStandaloneSSE: true}, nil
	}
	return nil, errors.New("mcp: no server: set command (stdio) or url (streamable HTTP)")
}

func describeServer(spec *tool.MCPSpec) string {
	if len(spec.Command) > 0 {
		return fmt.Sprintf("MCP server %q", strings.Join(spec.Command, " "))
	}
	return "MCP server " + spec.URL
}

// connect opens a session with the server (the caller closes it). opts may be nil.
func connect(ctx context.Context, spec *tool.MCPSpec, opts *mcp.ClientOptions) (*mcp.ClientSession, error) {
	stderr := &tailBuffer{max: 2048}
	tr, err := transportFor(spec, stderr)
	if err != nil {
		return nil, Permanent(err)
	}
	c := mcp.NewClient(&mcp.Implementation{Name: "planwise", Version: "1"}, opts)
	cs, err := c.Connect(ctx, tr, nil)
	if err != nil {
		if tail := strings.TrimSpace(stderr.String()); tail != "" {
			return nil, fmt.Errorf("connecting to %s: %w (its stderr ends: %s)", describeServer(spec), err, tail)
		}
		return nil, fmt.Errorf("connecting to %s: %w", describeServer(spec), err)
	}
	return cs, nil
}

// tailBuffer keeps the last max bytes written to it: a server's recent diagnostics,
// without letting a chatty server grow memory.
type tailBuffer struct {
	mu  sync.Mutex
	b   []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bodyText(t.b)
}

// session returns the pooled session for spec, connecting once.
func (m *MCPRunner) session(ctx context.Context, spec *tool.MCPSpec) (*mcpSession, error) {
	key := serverKey(spec)
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, ErrClosed
	}
	s, ok := m.sessions[key]
	if !ok {
		s = &mcpSession{ready: make(chan struct{})}
		m.sessions[key] = s
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			// Detached from the first caller: other calls share the session.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), MCPConnectTimeout)
			defer cancel()
			cs, err := connect(cctx, spec, &mcp.ClientOptions{
				ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) { m.toolsChanged(key) },
			})
			m.mu.Lock()
			closed := m.closed
			if err != nil {
				delete(m.sessions, key) // the next call tries again
			}
			m.mu.Unlock()
			if err == nil && closed {
				cs.Close()
				cs, err = nil, ErrClosed
			}
			s.cs, s.err = cs, err
			close(s.ready)
		}()
	}
	m.mu.Unlock()
	select {
	case <-s.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.err != nil {
		return nil, s.err
	}
	return s, nil
}

// drop forgets a broken session so that the next call reconnects.
func (m *MCPRunner) drop(spec *tool.MCPSpec, s *mcpSession) {
	m.mu.Lock()
	if m.sessions[serverKey(spec)] == s {
		delete(m.sessions, serverKey(spec))
	}
	m.mu.Unlock()
	s.cs.Close()
}

// Run calls the tool on its server.
func (m *MCPRunner) Run(ctx context.Context, t *tool.Tool, args map[string]any) (any, error) {
	if t.Run == nil || t.Run.MCP == nil {
		return nil, Permanent(fmt.Errorf("tool %s declares no MCP server", t.Name))
	}
	spec := t.Run.MCP
	name := spec.Tool
	if name == "" {
		name = t.Name
	}
	s, err := m.session(ctx, spec)
	if err != nil {
		return nil, err
	}
	res, err := s.cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		// A JSON-RPC error is the server's answer: the session is fine. Anything else
		// that is not our own cancellation (EOF, a closed pipe) means the connection
		// broke: forget it so that the next call starts afresh.
		var rpcErr *jsonrpc.Error
		if !errors.As(err, &rpcErr) && ctx.Err() == nil {
			m.drop(spec, s)
		}
		return nil, fmt.Errorf("%s: calling %s: %w", describeServer(spec), name, err)
	}
	return callOutput(name, res)
}

// callOutput turns a CallToolResult into a step output or error.
func callOutput(name string, res *mcp.CallToolResult) (any, error) {
	var texts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			texts = append(texts, tc.Text)
		}
	}
	if res.IsError {
		msg := strings.Join(texts, "\n")
		if msg == "" {
			msg = "the tool reported an error"
		}
		return nil, &MCPToolError{Tool: name, Message: snippet([]byte(msg), 2048)}
	}
	if res.StructuredContent != nil {
		return normalize(res.StructuredContent)
	}
	if len(texts) == 1 {
		trimmed := strings.TrimSpace(texts[0])
		if trimmed != "" && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid([]byte(trimmed)) {
			return decodeJSON([]byte(trimmed))
		}
		return texts[0], nil
	}
	if len(texts) > 1 && len(texts) == len(res.Content) {
		return strings.Join(texts, "\n"), nil
	}
	b, err := json.Marshal(res.Content)
	if err != nil {
		return nil, err
	}
	return decodeJSON(b)
}

// MCPToolError is a tool call the server answered with isError.
type MCPToolError struct {
	Tool    string
	Message string
}

func (e *MCPToolError) Error() string {
	return fmt.Sprintf("MCP tool %s failed: %s", e.Tool, e.Message)
}

// Close ends every session (stopping stdio server processes) and refuses later calls.
func (m *MCPRunner) Close() error {
	m.mu.Lock()
	m.closed = true
	sessions := m.sessions
	m.sessions = map[string]*mcpSession{}
	m.mu.Unlock()
	m.wg.Wait()
	// Servers are stopped together: each may take MCPStopGrace to exit.
	errs := make([]error, 0, len(sessions))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range sessions {
		if s.cs == nil {
			continue
		}
		wg.Go(func() {
			if err := s.cs.Close(); err != nil && !errors.Is(err, mcp.ErrConnectionClosed) && !stoppedByUs(err) {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// stoppedByUs reports whether err is a stdio server's exit on the SIGTERM that closing
// sends after MCPStopGrace: the stop asked for, not a failure.
func stoppedByUs(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGTERM
}

// ListMCPTools connects to the server, lists its tools and returns them as registry
// tools that run on it (Run{Kind: mcp}), with their input and output schemas, then ends
// the session. MCPSources lists through the executor's sessions instead, so that a
// server is started once. A tool is Idempotent when the server marks it read-only or
// idempotent. Names that are not valid registry names have their other characters
// replaced by '_' (the remote name is kept in RunSpec.MCP.Tool).
func ListMCPTools(ctx context.Context, spec tool.MCPSpec) ([]*tool.Tool, error) {
	cctx, cancel := context.WithTimeout(ctx, MCPConnectTimeout)
	defer cancel()
	cs, err := connect(cctx, &spec, nil)
	if err != nil {
		return nil, err
	}
	defer cs.Close()
	return listTools(ctx, cs, spec, "")
}

// listTools lists the server's tools over cs; namespace, when set, prefixes their names
// (namespace + ".").
func listTools(ctx context.Context, cs *mcp.ClientSession, spec tool.MCPSpec, namespace string) ([]*tool.Tool, error) {
	var out []*tool.Tool
	for mt, err := range cs.Tools(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("%s: listing tools: %w", describeServer(&spec), err)
		}
		in, err := json.Marshal(mt.InputSchema)
		if err != nil || mt.InputSchema == nil {
			in = json.RawMessage(`{"type":"object"}`)
		}
		name := mt.Name
		if namespace != "" {
			name = namespace + "." + name
		}
		t := &tool.Tool{
			Name:        registryName(name),
			Description: mt.Description,
			InputSchema: in,
			Run: &tool.RunSpec{Kind: tool.RunMCP, MCP: &tool.MCPSpec{
				Command: append([]string(nil), spec.Command...), URL: spec.URL, Tool: mt.Name,
			}},
			Source: describeServer(&spec),
		}
		if t.Description == "" {
			t.Description = mt.Title
		}
		if mt.OutputSchema != nil {
			if b, err := json.Marshal(mt.OutputSchema); err == nil {
				t.OutputSchema = b
			}
		}
		if a := mt.Annotations; a != nil && (a.ReadOnlyHint || a.IdempotentHint) {
			t.Idempotent = true
		}
		out = append(out, t)
	}
	return out, nil
}

func registryName(s string) string {
	if tool.ValidName(s) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if !(c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b[i] = '_'
		}
	}
	if len(b) == 0 || !(b[0] == '_' || b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z') {
		b = append([]byte("_"), b...)
	}
	if len(b) > 128 {
		b = b[:128]
	}
	return string(b)
}
