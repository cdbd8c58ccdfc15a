// Package readall reads a reader to its end into a buffer the caller gives, as
// io.ReadAll does into one of its own: a caller that knows the length, or keeps its
// buffer from one read to the next, allocates nothing more.
package readall

import "io"

// Into appends what r holds, up to io.EOF, to b and returns the result; on another error
// it returns what it read and the error, as io.ReadAll does.
func Into(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
