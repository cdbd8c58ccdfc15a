package mcpserver

import (
	"context"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// DefaultDrain is how long Run waits, when the client's input ends, for the requests
// still in flight when Config.Drain is zero.
const DefaultDrain = 30 * time.Second

// drainTransport makes a session whose input ended (the client closed stdin, the usual
// way a script says "no more requests") answer the requests it already read before it
// ends, for at most wait: the SDK cancels every request in flight as soon as its read
// fails, so `printf '...' | planwise mcp` lost the answer to its last call. A session
// closed from our side (ctx, Close) does not wait.
type drainTransport struct {
	t    mcp.Transport
	wait time.Duration
}

func (d drainTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := d.t.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &drainConn{Connection: c, wait: d.wait, open: map[jsonrpc.ID]bool{},
		answered: make(chan struct{}, 1), closed: make(chan struct{})}, nil
}

// SupportsProtocolVersion answers as the wrapped transport does (every version when it
// does not say).
func (d drainTransport) SupportsProtocolVersion(v string) bool {
	if s, ok := d.t.(mcp.ProtocolVersionSupporter); ok {
		return s.SupportsProtocolVersion(v)
	}
	return true
}

// drainConn counts the calls it read and has not answered (open); when its input ends,
// Read returns the end only once none is open, wait has passed, or ctx ended.
type drainConn struct {
	mcp.Connection
	wait time.Duration

	mu       sync.Mutex
	open     map[jsonrpc.ID]bool
	answered chan struct{} // a call was answered (capacity 1: a wake-up, not a count)

	closeOnce sync.Once
	closed    chan struct{}
}

func (c *drainConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if err == nil {
		if req, ok := msg.(*jsonrpc.Request); ok && req.ID.IsValid() {
			c.mu.Lock()
			c.open[req.ID] = true
			c.mu.Unlock()
		}
		return msg, nil
	}
	timer := time.NewTimer(c.wait)
	defer timer.Stop()
	for {
		c.mu.Lock()
		n := len(c.open)
		c.mu.Unlock()
		if n == 0 {
			return nil, err
		}
		select {
		case <-c.answered:
		case <-timer.C:
			return nil, err
		case <-ctx.Done():
			return nil, err
		case <-c.closed:
			return nil, err
		}
	}
}

// Write sends msg, then counts a response as its call answered: Read ends the session
// only after the answer is written.
func (c *drainConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	err := c.Connection.Write(ctx, msg)
	if resp, ok := msg.(*jsonrpc.Response); ok && resp.ID.IsValid() {
		c.mu.Lock()
		delete(c.open, resp.ID)
		c.mu.Unlock()
		select {
		case c.answered <- struct{}{}:
		default:
		}
	}
	return err
}

func (c *drainConn) Close() error {
	c.closeOnce.Do(func() { close(c.closed) })
	return c.Connection.Close()
}
