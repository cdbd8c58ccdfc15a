package readall_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/planwise/planwise/internal/readall"
)

func TestIntoReadsWhatReadAllReads(t *testing.T) {
	data := bytes.Repeat([]byte("planwise "), 300)
	boom := errors.New("boom")
	for _, c := range []struct {
		name string
		r    func() io.Reader
		buf  []byte
	}{
		{"empty buffer", func() io.Reader { return bytes.NewReader(data) }, nil},
		{"exact capacity plus one", func() io.Reader { return bytes.NewReader(data) }, make([]byte, 0, len(data)+1)},
		{"exact capacity", func() io.Reader { return bytes.NewReader(data) }, make([]byte, 0, len(data))},
		{"small capacity", func() io.Reader { return bytes.NewReader(data) }, make([]byte, 0, 3)},
		{"one byte at a time", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) }, make([]byte, 0, 10)},
		{"data with EOF", func() io.Reader { return iotest.DataErrReader(bytes.NewReader(data)) }, nil},
		{"a failing read", func() io.Reader { return io.MultiReader(bytes.NewReader(data[:5]), iotest.ErrReader(boom)) }, nil},
		{"nothing", func() io.Reader { return bytes.NewReader(nil) }, nil},
	} {
		got, gotErr := readall.Into(c.r(), c.buf)
		want, wantErr := io.ReadAll(c.r())
		if !bytes.Equal(got, want) || gotErr != wantErr {
			t.Errorf("%s: %d bytes, %v; io.ReadAll: %d bytes, %v", c.name, len(got), gotErr, len(want), wantErr)
		}
	}
	// What b held stays in front.
	if got, _ := readall.Into(bytes.NewReader([]byte("b")), []byte("a")); string(got) != "ab" {
		t.Fatalf("appended: %q", got)
	}
	// A buffer of the right size is not grown.
	buf := make([]byte, 0, len(data)+1)
	got, _ := readall.Into(bytes.NewReader(data), buf)
	if &got[0] != &buf[:1][0] {
		t.Fatal("a buffer one byte longer than the data was replaced")
	}
}
