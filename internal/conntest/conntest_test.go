package conntest

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// The deadlines a handler sets through http.ResponseController reach the connection,
// without the ErrNotSupported error httptest's recorder makes the server allocate.
func TestDeadlinesReachTheConnection(t *testing.T) {
	r := NewRecorder(t)
	rc := http.NewResponseController(r)
	if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
		t.Fatalf("SetWriteDeadline: %v", err)
	}
	if err := rc.SetReadDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Fatalf("SetReadDeadline: %v", err)
	}
	var ne net.Error
	if _, err := r.conn.Read(make([]byte, 1)); !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a read past the deadline set through the recorder returned %v, want a timeout", err)
	}
	r.WriteHeader(http.StatusTeapot)
	r.Reset()
	if r.Code != http.StatusOK {
		t.Fatalf("Reset kept the previous response's status %d", r.Code)
	}
}

// A Poster sends the same request on one connection each time and reads each answer
// whole, whatever the spelling of its Content-Length.
func TestPosterKeepsTheConnection(t *testing.T) {
	var conns, requests atomic.Int32
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			body, _ := io.ReadAll(r.Body)
			if r.Method != "POST" || r.URL.Path != "/p" || r.Header.Get("Content-Type") != "application/json" {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			w.Header().Set("X-Echo", "1")
			w.WriteHeader(http.StatusCreated)
			w.Write(append([]byte("echo "), body...))
		}),
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	p := NewPoster(t, ln.Addr().String(), "/p", `{"a":1}`)
	for i := range 3 {
		status, body, err := p.Post()
		if err != nil || status != http.StatusCreated || string(body) != `echo {"a":1}` {
			t.Fatalf("post %d: %d %q %v", i, status, body, err)
		}
	}
	if conns.Load() != 1 || requests.Load() != 3 {
		t.Fatalf("%d connections, %d requests; want 1 and 3", conns.Load(), requests.Load())
	}
}
