// Package conntest gives benchmarks and allocation budgets of the API handler a response
// recorder that, like net/http's response writer in planwise serve, sets deadlines on a
// connection. httptest's recorder supports neither SetReadDeadline nor SetWriteDeadline:
// the server's http.NewResponseController(w).SetReadDeadline (the body's read deadline,
// on every plan request) then makes and returns an ErrNotSupported error, two
// allocations and about 3% of a cache hit's CPU that serve never spends, while the timer
// serve does reset on its connection went uncounted.
package conntest

import (
	"net"
	"net/http/httptest"
	"testing"
	"time"
)

// Recorder is an httptest.ResponseRecorder whose deadlines are set on a loopback TCP
// connection, as serve's are on the request's connection. Reset it before each request.
type Recorder struct {
	*httptest.ResponseRecorder
	conn net.Conn
}

// NewRecorder dials a loopback connection, closed when tb ends, and returns a Recorder
// on it.
func NewRecorder(tb testing.TB) *Recorder {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		ln.Close()
		tb.Fatal(err)
	}
	peer := <-accepted
	tb.Cleanup(func() {
		conn.Close()
		if peer != nil {
			peer.Close()
		}
		ln.Close()
	})
	return &Recorder{ResponseRecorder: httptest.NewRecorder(), conn: conn}
}

// Reset gives r a new ResponseRecorder for the next request.
func (r *Recorder) Reset() { r.ResponseRecorder = httptest.NewRecorder() }

// SetReadDeadline sets the connection's read deadline, as net/http's response writer does.
func (r *Recorder) SetReadDeadline(t time.Time) error { return r.conn.SetReadDeadline(t) }

// SetWriteDeadline sets the connection's write deadline, as net/http's response writer does.
func (r *Recorder) SetWriteDeadline(t time.Time) error { return r.conn.SetWriteDeadline(t) }
