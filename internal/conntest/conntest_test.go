package conntest

import (
	"errors"
	"net"
	"net/http"
	"os"
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
