package progress

import (
	"bytes"
	"os"
	"testing"
)

// Off a terminal nothing is drawn: New gives a nil bar whose methods do nothing.
func TestNewOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, 10, "set")
	if b != nil {
		t.Fatalf("New on a buffer = %v, want nil", b)
	}
	b.Set(3, 10)
	b.Finish()
	if buf.Len() != 0 {
		t.Errorf("a nil bar wrote %q", buf.String())
	}
	f, err := os.CreateTemp(t.TempDir(), "progress")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if New(f, 10, "set") != nil || IsTerminal(f) {
		t.Error("a regular file is taken for a terminal")
	}
}

// --progress: asked for, progress goes to the writer; refused, nowhere; not said,
// only to a terminal.
func TestTo(t *testing.T) {
	var buf bytes.Buffer
	for _, tc := range []struct {
		set, on bool
		want    bool
	}{
		{set: true, on: true, want: true},
		{set: true, on: false, want: false},
		{set: false, on: false, want: false}, // a buffer is no terminal
		{set: false, on: true, want: false},
	} {
		if got := To(&buf, tc.set, tc.on) != nil; got != tc.want {
			t.Errorf("To(buffer, set %v, on %v) != nil is %v, want %v", tc.set, tc.on, got, tc.want)
		}
	}
}
