package conntest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"testing"
)

// Poster sends one fixed POST on a kept-alive connection and reads each answer, as wrk
// does in planwise bench hits: the request's bytes are made once, and reading the answer
// allocates nothing once its buffer has grown, so that a benchmark of a server over
// loopback counts the server's work and little of the client's. It reads answers of
// announced length only (Content-Length), which is what both servers of bench hits send.
type Poster struct {
	conn net.Conn
	br   *bufio.Reader
	req  []byte
	body []byte
}

// NewPoster dials addr (host:port), closed when tb ends, for POSTs of body to path as
// JSON.
func NewPoster(tb testing.TB, addr, path, body string) *Poster {
	tb.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	req := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		path, addr, len(body), body)
	return &Poster{conn: conn, br: bufio.NewReaderSize(conn, 8<<10), req: []byte(req)}
}

var contentLength = []byte("content-length:")

// Post sends the request and returns the answer's status and body; the body is valid
// until the next Post.
func (p *Poster) Post() (status int, body []byte, err error) {
	if _, err := p.conn.Write(p.req); err != nil {
		return 0, nil, err
	}
	line, err := p.br.ReadSlice('\n')
	if err != nil {
		return 0, nil, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, nil, fmt.Errorf("status line %q", line)
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, nil, fmt.Errorf("status line %q", line)
	}
	n := -1
	for {
		line, err := p.br.ReadSlice('\n')
		if err != nil {
			return 0, nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		if len(line) > len(contentLength) && bytes.EqualFold(line[:len(contentLength)], contentLength) {
			if n, err = strconv.Atoi(string(bytes.TrimSpace(line[len(contentLength):]))); err != nil {
				return 0, nil, fmt.Errorf("header %q", line)
			}
		}
	}
	if n < 0 {
		return 0, nil, errors.New("an answer without Content-Length")
	}
	if cap(p.body) < n {
		p.body = make([]byte, n)
	}
	p.body = p.body[:n]
	if _, err := io.ReadFull(p.br, p.body); err != nil {
		return 0, nil, err
	}
	return status, p.body, nil
}
