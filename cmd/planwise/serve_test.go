package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// planwise serve refuses, before it listens, to serve Go's profiles beyond loopback
// without server.pprof_allow_remote, naming the key and the fix.
func TestServeRefusesPprofBeyondLoopback(t *testing.T) {
	// A documentation address (RFC 5737): were it not refused, listening would fail
	// rather than open a port beyond loopback.
	t.Setenv("PLANWISE_SERVER__PPROF_ADDR", "192.0.2.1:6060")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a serve that starts stops here
	defer cancel()
	var out, stderr bytes.Buffer
	code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, &out, &stderr)
	if code != exitFailed || out.Len() != 0 || !strings.Contains(stderr.String(), "server.pprof_addr: \"192.0.2.1:6060\" is not a loopback address") ||
		!strings.Contains(stderr.String(), "(fix: use 127.0.0.1:6060") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and the refusal", code, out.String(), stderr.String())
	}
}
