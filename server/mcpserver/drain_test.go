package mcpserver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/planner"
	"github.com/planwise/planwise/server/mcpserver"
	"github.com/planwise/planwise/tool"
)

// stdioPipe is a server's standard input and output as a raw newline-delimited
// JSON-RPC client sees them: the test writes requests, closes the input, and reads
// every line the server writes.
type stdioPipe struct {
	in    *io.PipeWriter
	eof   chan struct{} // closed when the server has read the end of its input
	lines chan string   // the server's output, one message a line; closed at its end
	done  chan error    // Run's result
}

func startStdio(t *testing.T, ctx context.Context, srv *mcpserver.Server) *stdioPipe {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	p := &stdioPipe{in: inW, eof: make(chan struct{}), lines: make(chan string, 16), done: make(chan error, 1)}
	go func() {
		p.done <- srv.Run(ctx, &mcp.IOTransport{Reader: &eofReader{inR, p.eof, false}, Writer: outW})
		outW.Close()
	}()
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	for _, msg := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
	} {
		p.send(t, msg)
	}
	return p
}

// eofReader closes eof when its reader returns io.EOF.
type eofReader struct {
	io.ReadCloser
	eof  chan struct{}
	seen bool
}

func (r *eofReader) Read(b []byte) (int, error) {
	n, err := r.ReadCloser.Read(b)
	if err == io.EOF && !r.seen {
		r.seen = true
		close(r.eof)
	}
	return n, err
}

func (p *stdioPipe) send(t *testing.T, msg string) {
	t.Helper()
	if _, err := io.WriteString(p.in, msg+"\n"); err != nil {
		t.Fatal(err)
	}
}

// response waits for the response to call id, failing at the deadline or when the
// server's output ends without it.
func (p *stdioPipe) response(t *testing.T, id int) map[string]any {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("the server's output ended without the response to call %d", id)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("not JSON: %q", line)
			}
			if got, ok := m["id"].(float64); ok && int(got) == id {
				return m
			}
		case <-deadline:
			t.Fatalf("no response to call %d", id)
		}
	}
}

// slowRuns serves runs whose built-in tools block until release is closed or their
// context ends, saying on started when one is called and on canceled when its context
// ended first.
func slowRuns(t *testing.T, drain time.Duration) (srv *mcpserver.Server, started, release, canceled chan struct{}) {
	t.Helper()
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	started, release, canceled = make(chan struct{}, 1), make(chan struct{}), make(chan struct{}, 1)
	ex := execute.New(reg, execute.WithRunner(tool.RunBuiltin, execute.RunnerFunc(func(ctx context.Context, _ *tool.Tool, _ map[string]any) (any, error) {
		select {
		case started <- struct{}{}:
		default:
		}
		select {
		case <-release:
			return map[string]any{"time": "12:00"}, nil
		case <-ctx.Done():
			canceled <- struct{}{}
			return nil, ctx.Err()
		}
	})))
	t.Cleanup(func() { ex.Close() })
	runs := planner.NewRuns(p, ex, nil, nil)
	t.Cleanup(runs.Close)
	srv, err = mcpserver.New(mcpserver.Config{Planner: p, Runs: runs, Tenant: "stdio", Drain: drain})
	if err != nil {
		t.Fatal(err)
	}
	return srv, started, release, canceled
}

const slowRun = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"run","arguments":{"request":"` + timeRequest + `"}}}`

// A client that sends its last request and closes the server's standard input (a
// script's `printf ... | planwise mcp`) still gets the answer: the server finishes the
// calls in flight before it ends, where the SDK cancelled them at the end of input and
// the answer was lost (issue 14).
func TestStdinClosedWithACallInFlightStillAnswers(t *testing.T) {
	srv, started, release, canceled := slowRuns(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := startStdio(t, ctx, srv)
	p.response(t, 1)
	p.send(t, slowRun)
	<-started // the call is in flight
	p.in.Close()
	<-p.eof
	// The tool finishes only once the server has read the end of its input; a server
	// that cancels the call then does so at once (the SDK alone did, within
	// microseconds), so half a second without it is the server waiting.
	select {
	case <-canceled:
	case <-time.After(500 * time.Millisecond):
	}
	close(release)
	res := p.response(t, 2)
	result, _ := res["result"].(map[string]any)
	if result == nil || result["isError"] == true || !strings.Contains(mustJSON(t, result), `"status":"succeeded"`) {
		t.Fatalf("response to the call in flight: %s; want the run, succeeded", mustJSON(t, res))
	}
	select {
	case err := <-p.done:
		if err != nil && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "closed") {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after answering the last call")
	}
}

// The wait is bounded: a call that does not finish within Config.Drain after the input
// ended is dropped and Run returns.
func TestStdinClosedWaitIsBounded(t *testing.T) {
	srv, started, _, _ := slowRuns(t, 50*time.Millisecond) // never released
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := startStdio(t, ctx, srv)
	p.response(t, 1)
	p.send(t, slowRun)
	<-started
	p.in.Close()
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run still waits for a call that does not finish, past Config.Drain")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
