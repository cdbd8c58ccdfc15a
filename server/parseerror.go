package server

import (
	"bytes"
	"net"
	"strconv"

	segjson "github.com/segmentio/encoding/json"
)

// parseErrorListener gives the API's JSON error shape to the answers net/http writes
// itself, before any handler runs, to a request it cannot parse: a malformed request line
// or header (400), a Transfer-Encoding it does not support (501), headers past
// http.Server.MaxHeaderBytes (431). net/http writes each as plain text in one Write of
// the form
//
//	HTTP/1.1 <status>\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n<text>
//
// and then closes the connection. A response a handler writes never has that form: its
// headers are written sorted, Connection before Content-Type. Every other Write passes
// through after a two-byte look.
type parseErrorListener struct{ net.Listener }

func (l parseErrorListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &parseErrorConn{Conn: c}, nil
}

type parseErrorConn struct{ net.Conn }

var (
	cannedStart   = []byte("HTTP/1.1 ")
	cannedHeaders = []byte("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n")
)

func (c *parseErrorConn) Write(b []byte) (int, error) {
	if len(b) < len(cannedStart)+3 || (b[9] != '4' && b[9] != '5') || !bytes.HasPrefix(b, cannedStart) {
		return c.Conn.Write(b)
	}
	i := bytes.Index(b, cannedHeaders)
	if i < 0 {
		return c.Conn.Write(b)
	}
	status, text := b[len(cannedStart):i], b[i+len(cannedHeaders):]
	if len(text) == 0 {
		text = status
	}
	body, err := segjson.Marshal(errorBody("invalid_request", "the request could not be parsed as HTTP/1.1: "+string(text), nil))
	if err != nil {
		return c.Conn.Write(b)
	}
	body = append(body, '\n')
	out := make([]byte, 0, len(b)+len(body)+64)
	out = append(out, cannedStart...)
	out = append(out, status...)
	out = append(out, "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(body)), 10)
	out = append(out, "\r\n\r\n"...)
	out = append(out, body...)
	if _, err := c.Conn.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// CloseWrite lets net/http half-close the connection after such an answer, as it does on
// a *net.TCPConn (so that the client reads the answer before the reset).
func (c *parseErrorConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
